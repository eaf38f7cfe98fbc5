"""Shared UI pieces: the view state in session + URL, the sidebar, the share link, legends, messages.

Widgets are keyed and seeded from the ``ViewState``; after they render, the state is rebuilt from their
values and written back to ``st.query_params`` so the URL always reproduces the view.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace

import streamlit as st

from indicators import registry as reg
from indicators.weights import WEIGHT_DEFAULT
from data.errors import StapelkaartError
from pages._common import fmt, loaders
from pages._common.i18n import label, t
from pages._common.state import LEVELS, REFERENCES, YEARS, ViewState

SHELL = threading.local()   # SHELL.active: app.py is running this page (set around ``page.run()``)
VIEW = "_view"
LAST_PARAMS = "_last_params"
PROBLEMS = "_param_problems"
GM_HINTS = "_gm_hints"          # (what gm= held that is no gemeente, whether the view fell back to the default)


# --- allow-lists from the registry -----------------------------------------------------------------

def domain_ids() -> tuple[str, ...]:
    return tuple(reg.DOMAINS)


def colour_ids() -> tuple[str, ...]:
    """What the map may be coloured by: composite, stacking count, a domain, a scored indicator."""
    return ("composite", "stacking", *(f"domain:{d}" for d in reg.DOMAINS),
            *(f"ind:{i.id}" for i in reg.scored_indicators()))


# --- state ----------------------------------------------------------------------------------------

def _params_now() -> dict[str, str]:
    return {k: st.query_params.get(k) for k in st.query_params.keys()}


def init_view() -> ViewState:
    """Parse the URL on the first run of a session, or when the URL changed outside the app (back button).

    Page navigation clears the query string; then the session's state is kept and written back.
    """
    params = _params_now()
    changed = params != st.session_state.get(LAST_PARAMS) and bool(params)
    if VIEW not in st.session_state or changed:
        view = ViewState.from_params(params, domains=domain_ids(), colour_ids=colour_ids())
        known = loaders.known_gemeenten(view.year)     # None when the list cannot be loaded: codes kept
        if known is not None and "gm" in params:
            view = ViewState.from_params(params, domains=domain_ids(), colour_ids=colour_ids(), gemeenten=known)
        good, missing = loaders.parse_files(",".join(view.files))
        if missing:
            view = replace(view, files=tuple(good))
        st.session_state[PROBLEMS] = (view.problems, view.dropped, tuple(missing))
        asked = {c.strip().upper() for c in str(params.get("gm") or "").split(",")}
        st.session_state[GM_HINTS] = (view.gm_unmatched, not set(view.gemeenten) & asked)   # fell back: replace
        st.session_state[VIEW] = view
        seed_widgets(view, force=True)
        set_view(view)
    return st.session_state[VIEW]


def view() -> ViewState:
    return st.session_state.get(VIEW) or ViewState()


def set_view(new: ViewState) -> ViewState:
    """Store the state and mirror it in the URL (only writes when something changed)."""
    st.session_state[VIEW] = new
    st.session_state[loaders.VIEW_FILES] = new.files
    params = new.to_params()
    if params != _params_now():
        st.query_params.from_dict(params)
    st.session_state[LAST_PARAMS] = params
    return new


def update(**changes) -> ViewState:
    return set_view(view().with_(**changes))


def seed_widgets(v: ViewState, force: bool = False) -> None:
    """Put the state's values into the widget keys (before the widgets are created)."""
    values = {"w_gemeenten": list(v.gemeenten), "w_year": v.year, "w_level": v.level, "w_ref": v.reference,
              "w_lang": v.lang, "w_present": v.present, "w_colour": v.colour, "w_classes": v.classes,
              "w_k": v.k, "w_hotspots": v.hotspots, "w_national": v.national}
    for d in domain_ids():
        values[f"w_weight_{d}"] = float(dict(v.weights).get(d, WEIGHT_DEFAULT))
    for key, value in values.items():
        if force or key not in st.session_state:
            st.session_state[key] = value
    if force:                                   # area pickers are seeded by the pages from the state
        for key in ("w_area_wijk", "w_area_buurt", "w_profile_area"):
            st.session_state.pop(key, None)


# --- sidebar --------------------------------------------------------------------------------------

def sidebar(v: ViewState) -> ViewState:
    """Common controls (every page). Returns the updated state."""
    lang = v.lang
    seed_widgets(v)
    with st.sidebar:
        st.radio(t("lang_label", lang), ["nl", "en"], key="w_lang", horizontal=True,
                 format_func=lambda x: {"nl": "Nederlands", "en": "English"}[x])
        options = loaders.gemeente_options(v.year)
        for code in v.gemeenten:              # a valid code from the URL that the list lacks stays selectable
            options.setdefault(code, code)
        # the list of ~340 gemeenten (7 KB, re-sent on every rerun) only while the user is choosing (issue 13)
        current = st.session_state.get("w_gemeenten") or v.gemeenten   # this run's choice, not the last one
        st.caption(f"{t('gemeenten', lang)}: " + fmt.md(", ".join(options.get(c, c) for c in current)))
        box = st.expander(t("gemeenten_choose", lang), key="x_gemeenten", on_change="rerun")   # a fixed label: stays open
        if box.open:
            with box:
                st.multiselect(t("gemeenten", lang), list(options), key="w_gemeenten", help=t("gemeenten_help", lang),
                               format_func=lambda c: f"{options.get(c, c)} ({c})")
        st.selectbox(t("year", lang), list(YEARS), key="w_year")
        st.radio(t("level", lang), list(LEVELS), key="w_level", horizontal=True,
                 format_func=lambda x: t(f"level_{x}", lang))
        st.radio(t("reference", lang), list(REFERENCES), key="w_ref", format_func=lambda x: t(f"ref_{x}", lang))
        st.toggle(t("present_toggle", lang), key="w_present", on_change=_present_changed)
    chosen = tuple(st.session_state["w_gemeenten"])      # seeded from the view while the list is closed
    gemeenten = chosen or v.gemeenten
    new = v.with_(gemeenten=gemeenten, year=int(st.session_state["w_year"]), level=st.session_state["w_level"],
                  reference=st.session_state["w_ref"], lang=st.session_state["w_lang"],
                  present=bool(st.session_state["w_present"]), weights=v.weights)
    if new.gemeenten != v.gemeenten or new.year != v.year or new.level != v.level:
        new = new.with_(area=None if new.area and new.area[:2] != new.level[:2].upper().replace("WI", "WK") else new.area)
    if not chosen:
        st.sidebar.info(t("gemeenten_empty", lang))
    return set_view(new)


def _present_changed() -> None:
    """Callback of the presentation toggle: the state changes before the next run builds the navigation."""
    update(present=bool(st.session_state["w_present"]))


def _leave_present() -> None:
    """Callback of 'Presentatiemodus verlaten' (runs before any widget exists, so ``w_present`` may be set)."""
    st.session_state["w_present"] = False
    update(present=False)


def present_bar(v: ViewState, n_focus: int, focus_name: str | None) -> None:
    """Presentation mode: leave, previous/next focus area."""
    cols = st.columns([2, 2, 2, 1])
    if cols[0].button("◀ " + t("present_prev", v.lang), key="b_prev", disabled=n_focus < 2):
        update(focus=(v.focus - 1) % max(n_focus, 1))
        st.rerun()
    if cols[1].button(t("present_next", v.lang) + " ▶", key="b_next", disabled=n_focus < 2):
        update(focus=(v.focus + 1) % max(n_focus, 1))
        st.rerun()
    cols[2].button(t("present_exit", v.lang), key="b_exit", on_click=_leave_present)


# --- display helpers ------------------------------------------------------------------------------

def legend(rows: Sequence[Mapping], title: str, caption: str, notes: Sequence[str] = ()) -> None:
    """HTML legend: colour swatch + text label + n (colour is never the only carrier), its caption and the
    ``notes`` under it (plain text, escaped), all in one element: the map section re-sends it on every change."""
    items = "".join(
        f'<div class="sk-legend-row" role="listitem"><span class="sk-swatch" style="background:{html.escape(r["hex"])}"></span>'
        f'<span>{html.escape(str(r["label"]))} <span style="color:#444">(n = {int(r["n"])})</span></span></div>'
        for r in rows)
    lines = "".join(f'<p class="sk-caption">{html.escape(str(n))}</p>' for n in (caption, *notes) if n)
    st.html(f'<div class="sk-legend"><strong>{html.escape(title)}</strong>'
            f'<div role="list" aria-label="{html.escape(title)}">{items}</div></div>'
            f'<div class="sk-legend-notes">{lines}</div>')


def sentence(text: str) -> None:
    if not text:
        return
    st.html(f'<p class="sk-sentence">{html.escape(text)}</p>')


def show_error(exc: BaseException, lang: str, what: str) -> None:
    """An expected failure (``StapelkaartError``) in plain language; anything else is a bug: logged with its
    traceback under an error id (logger ``stapelkaart.errors``), and the page shows that id. Never a traceback."""
    if isinstance(exc, StapelkaartError):
        st.error(fmt.md(exc.text(lang)), icon=":material/error:")
        return
    error_id = loaders.log_unexpected(exc, context=f"{view().page}: {what}")
    st.error(loaders.error_message(error_id, lang), icon=":material/bug_report:")


def stale_notice(source: Mapping, lang: str) -> None:
    """Cached data shown because fetching failed: say so, with its date."""
    if source and source.get("stale"):
        date = str(source.get("fetched_at") or "?")[:10]
        st.warning(t("stale", lang, date=date), icon=":material/schedule:")


def coverage_warning(scored, lang: str) -> None:
    """Say when ranks of scored indicators rest on less than half of the reference (e.g. 114 of 3 393 wijken)."""
    result = getattr(scored, "result", None)
    cov = getattr(result, "coverage", None)
    if cov is None or "low_coverage" not in cov or cov.empty:
        return
    low = cov[cov["low_coverage"].astype(bool) & cov["scored"].astype(bool)]
    if low.empty:
        return
    if view().present:      # presentation: one line with a link, the map and legend stay above the fold
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.caption(t("low_coverage_short", lang, n=len(low), ref=result.reference.text(lang)))
        c2.page_link("pages/methode.py", label=t("page_methode", lang), icon=":material/menu_book:")
        return
    items = "; ".join(t("low_coverage_item", lang, label=label(reg.INDICATORS[r.indicator], lang),
                        n=int(r.n_reference_with_value), total=int(r.n_reference)) for r in low.itertuples())
    st.warning(t("low_coverage", lang, ref=result.reference.text(lang), items=items), icon=":material/info:")


def area_table(joined, lang: str):
    """The map as a table: colour is never the only carrier of the value."""
    cols = {"sk_name": t("area", lang), "code": "code", "sk_value": t("value", lang), "sk_rank": t("tooltip_rank", lang),
            "sk_stack": t("stacking_domains", lang)}
    return joined[list(cols)].rename(columns=cols)


def map_exports(v: ViewState, data, scored, gdf) -> None:
    """Map PNG via data.export (reports.map_png: the source line of the year's table and every imported file)."""
    if st.button(t("export_png_make", v.lang), key="b_png"):
        from pages._common.reports import map_png
        st.download_button(t("export_png_download", v.lang), map_png(v, data, scored, gdf),
                           file_name=f"stapelkaart_{v.year}_{v.level}.png",
                           mime="image/png", key="dl_png")


def reset_weights(domains) -> None:
    """Callback of 'Gewichten terugzetten': equal weights (1) for every domain."""
    for d in domains:
        st.session_state[f"w_weight_{d}"] = WEIGHT_DEFAULT


def page_view(slug: str) -> ViewState:
    """Called first by every page: records which page is shown (so the link opens it) and returns the state.

    A page run outside the shell (the first request of a fresh server straight to ``/vergelijken``: Streamlit's
    legacy ``pages/`` mode, see pages/_common/shell.py) runs the shell, which runs this page inside it, and stops.
    """
    if not getattr(SHELL, "active", False):
        from pages._common import shell
        shell.main()
        st.stop()
    loaders.test_fault(f"page:{slug}")
    v = view()
    return set_view(v.with_(page=slug)) if v.page != slug else v


class quiet_status:  # noqa: N801 (used like st.status)
    """A status box out of sight: a spinner showing ``label`` after 0.5 s (none with ``spinner=False``: a rescore
    of frames in memory), nothing left on success; a failure (``update(state="error")``) leaves one in ``slot``."""

    def __init__(self, slot, label: str, *, spinner: bool = True):
        self._slot = slot
        self._label = label
        self._spinner = st.spinner(label) if spinner else None

    def __enter__(self):
        if self._spinner is not None:
            self._spinner.__enter__()
        return self

    def __exit__(self, *exc):
        return self._spinner.__exit__(*exc) if self._spinner is not None else False

    def write(self, *_args) -> None: ...

    def update(self, *, label: str | None = None, state: str | None = None, expanded: bool = False) -> None:
        if state == "error":
            self._slot.status(label or self._label, state="error", expanded=expanded)


def load_status(label: str, *, quiet: bool, expanded: bool, instant: bool = False):
    """st.status(label) where loading is worth watching; otherwise a quiet_status in the same place, without
    even a spinner when the work is ``instant`` (everything it needs already in memory)."""
    slot = st.empty()
    if quiet or instant:
        return quiet_status(slot, label, spinner=not instant)
    return slot.status(label, expanded=expanded)


def unexpected(exc: BaseException, lang: str) -> None:
    """Last line of defence: a plain message (and the traceback with its id in the server log), never a blank page."""
    show_error(exc, lang, t("page_" + view().page, lang).lower())
