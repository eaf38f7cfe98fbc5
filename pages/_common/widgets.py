"""Shared UI pieces: the sidebar, the presentation bar, legends, messages.

Every widget of the view is bound to it through ``pages._common.session`` (seeded from the view before it is
created, written back by its callback); this module never reads widget keys itself.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import streamlit as st

from core.errors import StapelkaartError
from indicators import registry as reg
from indicators.weights import WEIGHT_MAX, WEIGHT_MIN, WEIGHT_STEP
from pages._common import fmt, loaders, session
from pages._common.i18n import label, t
from pages._common.state import LEVELS, REFERENCES, YEARS, ViewState

# the session's view for the pages (session.py owns it; these names stay for the pages that call them)
view, update, domain_ids, colour_ids, go = (
    session.current,
    session.update,
    session.domain_ids,
    session.colour_ids,
    session.go,
)


# --- sidebar --------------------------------------------------------------------------------------


def sidebar(v: ViewState) -> None:
    """Common controls (every page), each bound to the view: a change is in the view before the next run."""
    lang = v.lang
    with st.sidebar:
        st.radio(
            t("lang_label", lang),
            ["nl", "en"],
            horizontal=True,
            **session.bind("lang"),
            format_func=lambda x: {"nl": "Nederlands", "en": "English"}[x],
        )
        cat = loaders.catalogue(v.year)
        options = cat.names
        n_all = len(options) if cat.complete else 0  # 0: the list is not available
        for code in v.gemeenten:  # a valid code from the URL that the list lacks stays selectable
            options.setdefault(code, code)
        # the list of ~340 gemeenten (7 KB, re-sent on every rerun) only while the user is choosing (issue 13);
        # the caption says what the page shows: on Kaart with "Heel Nederland" every gemeente (issue 23)
        if v.national and v.page == "kaart":  # without the list (offline: its fallback) no count
            st.caption(t("national_caption", lang, n=fmt.fmt_num(n_all, 0, lang)) if n_all else t("national", lang))
        else:
            st.caption(f"{t('gemeenten', lang)}: " + fmt.md(", ".join(options.get(c, c) for c in v.gemeenten)))
        box = st.expander(
            t("gemeenten_choose", lang), key="x_gemeenten", on_change="rerun"
        )  # a fixed label: stays open
        if box.open:
            with box:
                st.multiselect(
                    t("gemeenten", lang),
                    list(options),
                    help=t("gemeenten_help", lang),
                    placeholder=t("gm_pick_placeholder", lang),  # not Streamlit's "Choose options"
                    format_func=lambda c: f"{options.get(c, c)} ({c})",
                    **session.bind("gemeenten"),
                )
        st.selectbox(t("year", lang), list(YEARS), placeholder=t("choose_one", lang), **session.bind("year"))
        st.radio(
            t("level", lang),
            list(LEVELS),
            horizontal=True,
            format_func=lambda x: t(f"level_{x}", lang),
            **session.bind("level"),
        )
        st.radio(
            t("reference", lang),
            list(REFERENCES),
            format_func=lambda x: t(f"ref_{x}", lang),
            **session.bind("reference"),
        )
        st.toggle(t("present_toggle", lang), **session.bind("present"))
        if session.take_notice("gemeenten_empty"):
            st.info(t("gemeenten_empty", lang))


def present_bar(v: ViewState, n_focus: int, focus_name: str | None) -> None:
    """Presentation mode: leave, previous/next focus area."""
    cols = st.columns([2, 2, 2, 1])
    n = max(n_focus, 1)
    cols[0].button(
        "◀ " + t("present_prev", v.lang),
        key="b_prev",
        disabled=n_focus < 2,
        on_click=lambda: update(focus=(view().focus - 1) % n),
    )
    cols[1].button(
        t("present_next", v.lang) + " ▶",
        key="b_next",
        disabled=n_focus < 2,
        on_click=lambda: update(focus=(view().focus + 1) % n),
    )
    cols[2].button(t("present_exit", v.lang), key="b_exit", on_click=lambda: update(present=False))


# --- display helpers ------------------------------------------------------------------------------


def legend(rows: Sequence[Mapping], title: str, caption: str, notes: Sequence[str] = (), *, lang: str) -> None:
    """HTML legend: colour swatch + text label + n (colour is never the only carrier), its caption and the
    ``notes`` under it (plain text, escaped), all in one element: the map section re-sends it on every change."""
    items = "".join(
        f'<div class="sk-legend-row" role="listitem"><span class="sk-swatch" style="background:{html.escape(r["hex"])}"></span>'
        f'<span>{html.escape(str(r["label"]))} <span style="color:#444">(n = {fmt.fmt_num(r["n"], 0, lang)})</span></span></div>'
        for r in rows
    )
    lines = "".join(f'<p class="sk-caption">{html.escape(str(n))}</p>' for n in (caption, *notes) if n)
    st.html(
        f'<div class="sk-legend"><strong>{html.escape(title)}</strong>'
        f'<div role="list" aria-label="{html.escape(title)}">{items}</div></div>'
        f'<div class="sk-legend-notes">{lines}</div>'
    )


def sentence(text: str) -> None:
    if not text:
        return
    st.html(f'<p class="sk-sentence">{html.escape(text)}</p>')


def show_error(exc: BaseException, lang: str, what: str) -> None:
    """An expected failure (``StapelkaartError``) in plain language; anything else is a bug: logged with its
    traceback under an error id (logger ``stapelkaart.errors``), and the page shows that id. Never a traceback."""
    if isinstance(exc, StapelkaartError):
        st.error(fmt.md_message(exc.text(lang)), icon=":material/error:")
        return
    error_id = loaders.log_unexpected(exc, context=f"{view().page}: {what}")
    st.error(loaders.error_message(error_id, lang), icon=":material/bug_report:")


def export_error(exc: BaseException, lang: str) -> None:
    """A failed export: an expected failure (``StapelkaartError``) in words after "Exporteren mislukt"; anything
    else is a bug, logged under an error id that the page shows (:func:`show_error`)."""
    if isinstance(exc, StapelkaartError):
        st.error(t("export_failed", lang, error=fmt.md_message(exc.text(lang))), icon=":material/error:")
    else:
        show_error(exc, lang, "export")


def stale_notice(source: Mapping, lang: str) -> None:
    """Cached data shown because fetching failed (its date); then the data layer's ``source["notices"]``."""
    if source and source.get("stale"):
        date = str(source.get("fetched_at") or "?")[:10]
        st.warning(t("stale", lang, date=date), icon=":material/schedule:")
    for note in (source or {}).get("notices") or ():
        st.warning(fmt.md_message(note["en" if lang == "en" else "nl"]), icon=":material/warning:")


def coverage_warning(scored, lang: str) -> None:
    """Say when ranks of scored indicators rest on less than half of the reference (e.g. 114 of 3 393 wijken)."""
    result = getattr(scored, "result", None)
    cov = getattr(result, "coverage", None)
    if cov is None or "low_coverage" not in cov or cov.empty:
        return
    low = cov[cov["low_coverage"].astype(bool) & cov["scored"].astype(bool)]
    if low.empty:
        return
    if view().present:  # presentation: one line with a link, the map and legend stay above the fold
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.caption(t("low_coverage_short", lang, n=len(low), ref=result.reference.text(lang)))
        c2.page_link(
            "pages/methode.py",
            label=t("page_methode", lang),
            icon=":material/menu_book:",
            query_params=session.address(view()),
        )
        return
    items = "; ".join(
        t(
            "low_coverage_item",
            lang,
            label=label(reg.INDICATORS[r.indicator], lang),
            n=fmt.fmt_num(r.n_reference_with_value, 0, lang),
            total=fmt.fmt_num(r.n_reference, 0, lang),
        )
        for r in low.itertuples()
    )
    st.warning(t("low_coverage", lang, ref=result.reference.text(lang), items=items), icon=":material/info:")


def area_table(joined, lang: str):
    """The map as a table: colour is never the only carrier of the value."""
    cols = {
        "sk_name": t("area", lang),
        "code": "code",
        "sk_value": t("value", lang),
        "sk_rank": t("tooltip_rank", lang),
        "sk_stack": t("stacking_domains", lang),
    }
    return joined[list(cols)].rename(columns=cols)


def map_exports(v: ViewState, data, scored, gdf) -> None:
    """Map PNG via render.export (reports.map_png: the source line of the year's table and every imported file)."""
    if st.button(t("export_png_make", v.lang), key="b_png"):
        from pages._common.reports import map_png

        st.download_button(
            t("export_png_download", v.lang),
            map_png(v, data, scored, gdf),
            file_name=f"stapelkaart_{v.year}_{v.level}.png",
            mime="image/png",
            key="dl_png",
        )


def reset_weights(domains=None) -> None:
    """Callback of 'Gewichten terugzetten': equal weights (1) for every domain."""
    session.reset_weights()


def weight_slider(box, domain: str, lang: str, level: str | None = None) -> float:
    """The slider of one domain's weight (the same key on Kaart and Prioriteren), bound to the view; a change
    that leaves every weight at 0 gives equal weights and says so (session.set_weights, the one rule). A domain
    whose table has no values at ``level`` (gezondheid at wijk level) says under its slider that it does not count."""
    inds = reg.scored_indicators(domain)
    absent = level is not None and bool(inds) and all(i.source_id and level not in i.levels for i in inds)
    bound = session.bind_weight(domain)
    return box.select_slider(
        label(reg.DOMAINS[domain], lang),
        weight_options(float(st.session_state[bound["key"]])),
        format_func=lambda w: fmt.fmt_num(w, None, lang),  # "1" / "1,5" (nl), not Streamlit's "1.00"
        help=t("health_weight_absent_level", lang) if absent else None,
        **bound,
    )


def weight_options(current: float) -> list[float]:
    """The slider's stops: WEIGHT_MIN..WEIGHT_MAX by WEIGHT_STEP, plus the view's weight where a link holds one
    between the stops (1.25), so it is shown as it is. A select_slider, because st.slider formats with printf
    (no decimal comma) and shows "1.00" for 1 (issue 21)."""
    n = round((WEIGHT_MAX - WEIGHT_MIN) / WEIGHT_STEP)
    stops = [round(WEIGHT_MIN + i * WEIGHT_STEP, 6) for i in range(n + 1)]
    return sorted({*stops, current}) if WEIGHT_MIN <= current <= WEIGHT_MAX else stops


def weights_notice(lang: str) -> None:
    """'Alle gewichten zijn 0; gelijke gewichten worden gebruikt.' after the change that did that."""
    if session.take_notice("weights_all_zero"):
        st.warning(t("weights_all_zero", lang))


class quiet_status:
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
