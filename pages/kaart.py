"""Kaart: where do disadvantages stack up? Choropleth of wijken/buurten, focus outlines, legend, selection."""

from __future__ import annotations

import streamlit as st

from components.deckmap import deck_map
from indicators import registry as reg
from indicators.weights import WEIGHT_DEFAULT, WEIGHT_MAX, WEIGHT_MIN, WEIGHT_STEP
from pages._common import fmt, focusui, links, loaders, mapview, reports, style, widgets
from pages._common.i18n import label, t
from pages._common.state import CLASSIFIERS, K_RANGE

view = widgets.page_view("kaart")
lang = view.lang
focus = [f for f in loaders.focus_areas() if f.gemeente_code in view.gemeenten]
focus_names = [reports.focus_name(f, lang) for f in focus]
current_focus = focus_names[view.focus % len(focus_names)] if (view.present and focus_names) else None

st.title(current_focus or t("map_title", lang))
if view.present:
    widgets.present_bar(view, len(focus_names), current_focus)
    focusui.present_labels(view, focus_names)
    if current_focus:
        widgets.sentence(reports.focus_sentence_for(view, focus[view.focus % len(focus)].id))

@st.fragment
def map_section() -> None:
    """Controls, map, legend and selection: a change here (colour, classes, weights, a click) reruns only this
    part (st.fragment), not the shell and sidebar; it writes the share link itself, also when it stops early."""
    try:
        _map_section()
    finally:
        links.refresh_share_box()


def _map_section() -> None:
    view = widgets.view()
    lang = view.lang
    # --- controls (not in presentation mode): their place comes first, their widgets after the map, so the
    # map's component reaches the browser first (its frame loads while the controls render; issue 13). The
    # values are the widgets' own state, which Streamlit sets before the run.
    controls = None
    if not view.present:
        controls = st.container()
        view = widgets.update(colour=st.session_state["w_colour"], classes=st.session_state["w_classes"],
                              k=int(st.session_state["w_k"]), hotspots=bool(st.session_state["w_hotspots"]),
                              national=bool(st.session_state["w_national"]))
        domains = widgets.domain_ids()
        if st.session_state.get("x_weights") and all(f"kw_{d}" in st.session_state for d in domains):
            weights = {d: float(st.session_state[f"kw_{d}"]) for d in domains}
            view = widgets.update(weights=weights if sum(weights.values()) > 0 else dict.fromkeys(domains, WEIGHT_DEFAULT))
    gms = loaders.NATIONAL if view.national else view.gemeenten   # the national view: every area of the KWB frame

    # --- data ---
    first = "_kaart_loaded" not in st.session_state
    load_key = (gms, view.year, view.level, view.reference)
    loaded = loaders.is_loaded(*load_key)
    # frames in memory: a rescore of milliseconds, no spinner (hotspots may still compute their permutations)
    status = widgets.load_status(t("loading", lang), quiet=view.present or loaded, expanded=first,
                                 instant=loaded and not view.hotspots)
    try:
        with status:
            status.write(t("loading_kwb", lang, year=view.year))
            scored = loaders.scored(gms, view.year, view.level, view.reference, view.weight_map(widgets.domain_ids()))
            status.write(t("loading_geo", lang))
            gdf = loaders.boundaries(gms, view.year, view.level)
            geometry = loaders.map_geometry(gms, view.year, view.level)   # never keyed by weights
            if view.hotspots:
                scored = loaders.with_hotspots(scored, gms, view.year, view.level)
            data = mapview.build(view, scored, gdf, geometry)
            status.update(label=t("loaded", lang), state="complete", expanded=False)
        st.session_state["_kaart_loaded"] = True
        loaders.mark_loaded(*load_key)
    except Exception as exc:  # noqa: BLE001 (shown in plain language; pages never show tracebacks)
        status.update(label=t("load_failed", lang), state="error", expanded=False)   # never left on "Gegevens laden…"
        widgets.show_error(exc, lang, t("loading", lang).rstrip("…").lower())
        if controls is not None:
            _controls(controls, view, lang)        # still there to choose something else
        st.stop()

    if view.national:     # the map draws what has boundaries, and says so
        st.info(t("national_coverage", lang, n=len(data.geometry.codes), m=gdf.attrs.get("n_kwb", "?"),
                  level=t(f"level_{view.level}", lang).lower()))
    for note in scored.notes:
        st.info(t(note, lang, year=view.year))
    widgets.stale_notice(scored.source, lang)
    widgets.coverage_warning(scored, lang)

    # --- map + legend (the map first; secondary content after it) ---
    area_key = f"w_area_{view.level}"
    codes = data.joined["code"].tolist()
    names = dict(zip(codes, data.joined["sk_name"].tolist()))
    # a click on the map reruns this section with the component's new value: taken before the map is drawn,
    # so the clicked area is outlined in this very run (not one change later)
    view = _take_click(st.session_state.get("kaart_map"), names, area_key)
    selected = view.area if view.area in set(data.geometry.codes) else None
    map_col, legend_col = st.columns([4, 1]) if not view.present else st.columns([3, 1])
    with map_col:
        gemeente_names = t("map_nederland", lang) if view.national else \
            ", ".join(loaders.gemeente_options(view.year).get(g, g) for g in view.gemeenten)
        deck_map(data.geometry, data.classes, data.palette, fields=data.fields,
                           outlines=data.outline_codes + ([selected] if selected else []),
                           height=style.PRESENT_MAP_HEIGHT if view.present else 620, fill_viewport=view.present,
                           key="kaart_map",
                           loading_text=t("map_loading", lang),
                           locale="en-GB" if lang == "en" else "nl-NL",
                           fit=mapview.focus_fit(gdf, focus[view.focus % len(focus)].codes) if current_focus else None,
                           label=t("map_alt", lang, n=data.n_areas, level=t(f"level_{view.level}", lang).lower(),
                                   gemeenten=gemeente_names, colour=data.colour_label))
    with legend_col:
        ref_text = scored.result.reference.text(lang) if scored.result is not None else t(f"ref_short_{view.reference}", lang)
        notes = [t("focus_outline", lang) + (": " + ", ".join(data.focus_names) if data.focus_names else "")] \
            if (data.focus_names or selected) else []
        # + the rules behind the colours (wording.legend_lines: stacking, hotspots), in the legend's one element
        widgets.legend(data.legend_rows, data.colour_label,
                       t("legend_caption", lang, colour=data.colour_label, year=view.year, ref=ref_text),
                       notes=[*notes, *(data.legend_lines or ())])

    if controls is not None:
        _controls(controls, view, lang)

    # --- selection: click on the map (taken above, before the map was drawn), or pick from the list (keyboard) ---
    if not view.present:
        pick = st.expander(t("select_area", lang) + (": " + fmt.md(names[view.area]) if view.area in names else ""),
                           key="x_pick", on_change="rerun")
        if pick.open:                        # the list of every area only while choosing (not re-sent per rerun)
            options = [""] + sorted(codes, key=lambda c: names[c])
            if st.session_state.get(area_key) not in options or area_key not in st.session_state:
                st.session_state[area_key] = view.area if view.area in options else ""
            choice = pick.selectbox(t("select_area", lang), options, key=area_key,
                                    format_func=lambda c: names.get(c, t("select_area_none", lang)) if c else t("select_area_none", lang))
            if (choice or None) != view.area:
                view = widgets.update(area=choice or None)
        if view.area and view.area in names:
            st.page_link("pages/buurtprofiel.py", label=t("open_profile", lang, name=names[view.area]),
                         icon=":material/location_on:", query_params={**view.with_(page="buurtprofiel").to_params()})
            fas = loaders.view_focus_areas(view)      # the clicked area into one of the view's focus areas (issue 12)
            if fas:
                with st.expander(t("add_to_focus", lang, area=view.area)):
                    target = st.selectbox(t("fa_title", lang), range(len(fas)), key="w_kaart_fa_target",
                                          format_func=lambda i: fas[i].name)
                    if st.button(t("fa_add_selected_button", lang, area=view.area), key="b_kaart_add_focus"):
                        focusui.add_member(view, fas[target].id, view.area)
        table = st.expander(t("areas_table", lang), key="x_areas", on_change="rerun")
        if table.open:                       # sent only when opened (not on first load)
            with table:
                st.dataframe(widgets.area_table(data.table, lang), hide_index=True, width="stretch")
        widgets.map_exports(view, data, scored, gdf)
    st.caption(t("attribution", lang))


def _controls(box, view, lang: str) -> None:
    """The colour, classes, hotspot and national controls and the weight sliders, into ``box`` (made above the
    map). Their values were read from the widget state at the start of the run (_map_section)."""
    with box:
        # one horizontal container, not five columns: this row is re-sent on every change in the map section,
        # and each column is one more block for the browser to rebuild (issue 13)
        row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
        row.selectbox(t("colour", lang), list(widgets.colour_ids()), key="w_colour",
                      format_func=lambda c: mapview.colour_label(c, lang), width=280)
        row.selectbox(t("classes", lang), list(CLASSIFIERS), key="w_classes",
                      format_func=lambda c: t(f"cls_{c}", lang), width=250)
        row.number_input(t("k", lang), min_value=K_RANGE[0], max_value=K_RANGE[1], step=1, key="w_k", width=150)
        toggles = row.container(gap="small")      # the two toggles stacked: their labels are never cut off
        toggles.toggle(t("hotspots", lang), key="w_hotspots", help=t("hotspots_help", lang))
        toggles.toggle(t("national", lang), key="w_national", help=t("national_help", lang))
        domains = widgets.domain_ids()
        # the same weights as Prioriteren (a change only recolours); the six sliders are sent only while the
        # expander is open (issue 13); closed, the view's weights stand
        weights_box = st.expander(t("weights", lang), key="x_weights", on_change="rerun")
        if weights_box.open:
            for d, w in view.weight_map(domains).items():   # own keys (a widget key shared across pages loses its
                if st.session_state.get(f"_seeded_kw_{d}") != w or f"kw_{d}" not in st.session_state:  # state),
                    st.session_state[f"kw_{d}"] = st.session_state[f"_seeded_kw_{d}"] = w   # seeded from the view
            sliders = weights_box.container(horizontal=True, gap="medium")
            for d in domains:
                sliders.slider(label(reg.DOMAINS[d], lang), WEIGHT_MIN, WEIGHT_MAX, step=WEIGHT_STEP, key=f"kw_{d}")


def _take_click(clicked, names: dict, area_key: str):
    """The view with a new click on the map (not the same one again) as its area; the view as it is otherwise."""
    seq = (clicked or {}).get("seq")
    if clicked and seq != st.session_state.get("_last_pick"):
        st.session_state["_last_pick"] = seq
        if clicked.get("code") in names:
            st.session_state[area_key] = clicked["code"]
            return widgets.update(area=clicked["code"])
    return widgets.view()


map_section()
