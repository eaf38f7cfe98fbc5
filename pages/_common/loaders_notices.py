"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the notices about the data a page shows.

``data_notices(view)`` says, for every page that shows data, what the data layer reported about the frames
behind it: a cached copy shown because CBS or PDOK gave no usable answer (``source["stale"]``, with the date),
a refresh refused because it had fewer rows (``source["refused"]``, the reason), data that could not be
stored (read-only replica cache, full disk: ``source["notices"]``), gemeenten left out (``source["notices"]``),
and gemeenten without boundaries (data.pdok.missing_message). Until now only the Kaart said any of this, and
only for the selection's KWB frame.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.errors import StapelkaartError
from data.pdok import missing_message
from pages._common.i18n import t
from pages._common.loaders_focus import focus_gemeenten, focus_level, national_attributes, view_focus_areas
from pages._common.loaders_frames import NATIONAL, boundaries, kwb, kwb_national

#: The frames each page shows (data_notices looks at these; a page not listed shows no data: Methode).
PAGE_DATA = {
    "kaart": {"boundaries": True, "version": False},  # the Kaart always reads the current KWB (no kv)
    "buurtprofiel": {},
    "prioriteren": {},
    "vergelijken": {"focus": True, "boundaries": True, "nederland": True},
    "gegevens": {"reference": False},
}


def source_notices(source: Mapping | None, lang: str, stale_key: str = "stale") -> list[str]:
    """The notice texts of one frame's ``attrs["source"]`` (plain text: escape at the sink)."""
    source = source or {}
    out: list[str] = []
    if source.get("refused") and source.get("error"):
        out.append(str(source.get("error_en") if lang == "en" and source.get("error_en") else source["error"]))
    elif source.get("stale"):
        out.append(t(stale_key, lang, date=str(source.get("fetched_at") or "?")[:10]))
    for note in source.get("notices") or ():
        out.append(str(note.get("en" if lang == "en" else "nl") or note.get("nl") or ""))
    return [text for text in out if text]


def data_notices(view, *, page: str | None = None) -> list[str]:
    """Every notice about the data ``view``'s page (``page``, default ``view.page``) shows, in ``view.lang``,
    each text once, in this order: the selection's KWB, the national KWB (reference Nederland, the national
    view, the Nederland row), the PDOK boundaries, the PDOK gemeente attributes. Plain text: show each with
    ``st.warning(fmt.md(text))``. Reads the same cached loaders the page used (nothing is fetched twice); a
    frame that cannot be loaded at all is left out here (the page shows that error itself). [] for a page
    without data."""
    page = page or view.page
    spec = PAGE_DATA.get(page)
    if spec is None:
        return []
    lang = view.lang
    national_view = page == "kaart" and bool(getattr(view, "national", False))
    level = view.level
    gemeenten: tuple[str, ...] = tuple(view.gemeenten)
    if spec.get("focus"):
        areas = view_focus_areas(view)
        level = focus_level(view, areas)
        gemeenten = focus_gemeenten(view, [a for a in areas if a.level == level])
    version = view.kv if spec.get("version", True) else None
    texts: list[str] = []

    def add(load, stale_key: str, *args) -> object | None:
        try:
            frame = load(*args)
        except StapelkaartError:
            return None
        texts.extend(source_notices((getattr(frame, "attrs", None) or {}).get("source"), lang, stale_key))
        return frame

    if not national_view:
        add(kwb, "stale", tuple(sorted(gemeenten)), view.year, version)
    if national_view or (spec.get("reference", True) and view.reference == "nl"):
        add(kwb_national, "stale_national", view.year, level)
    if spec.get("nederland"):
        add(kwb_national, "stale_national", view.year, "gemeente")
        add(national_attributes, "stale_attributes", view.year)
    if spec.get("boundaries"):
        for part in (
            [NATIONAL] if national_view else [tuple(gemeenten)] if page == "kaart" else [(g,) for g in gemeenten]
        ):
            gdf = add(boundaries, "stale_boundaries", part, view.year, level)
            if gdf is not None and page == "kaart":
                texts.append(missing_message(gdf, lang) or "")
    return [text for i, text in enumerate(texts) if text and text not in texts[:i]]
