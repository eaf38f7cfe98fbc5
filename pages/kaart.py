"""Kaart: where do disadvantages stack up? Choropleth of wijken/buurten, focus outlines, legend, selection."""

from __future__ import annotations

import streamlit as st

from components.deckmap import deck_map
from pages._common import changesui, fmt, focusui, links, loaders, mapview, reports, session, shell, style, widgets
from pages._common.i18n import t
from pages._common.state import CLASSIFIERS, K_RANGE

view = shell.page_view("kaart")
lang = view.lang
focus = [f for f in loaders.focus(view).areas if f.gemeente_code in view.gemeenten]
focus_names = [reports.focus_name(f, lang) for f in focus]
current_focus = focus_names[view.focus % len(focus_names)] if (view.present and focus_names) else None

st.title(fmt.md(current_focus) if current_focus else t("map_title", lang))  # a focus name is text, never Markdown
changesui.version_notice(view)  # a view that reads an older kept KWB version (kv=) says so
if view.present:
    widgets.present_bar(view, len(focus_names), current_focus)
    focusui.present_labels(view, focus_names)
    if current_focus:
        widgets.sentence(reports.focus_sentence_for(view, focus[view.focus % len(focus)].id))


@st.fragment
def map_section() -> None:
    """Controls, map, legend and selection: a change here (colour, classes, weights, a click) reruns only this
    part (st.fragment), not the shell and sidebar; it writes the share link itself, also when it ends early."""
    session.commit()  # a change of this section's widgets (callbacks ran before)
    try:
        _map_section()
    except shell.PageEnd:  # said what it could (a load error); the link below is still this view's
        pass
    finally:
        links.refresh_share_box()


def _map_section() -> None:
    view = widgets.view()
    lang = view.lang
    # --- controls (not in presentation mode): their place comes first, their widgets after the map, so the
    # map's component reaches the browser first (its frame loads while the controls render; issue 13). Each is
    # bound to the view (session.bind): a change is in the view before this run starts.
    controls = st.container() if not view.present else None
    frame, data = _load(view, lang, controls)
    scored, gdf = frame.scored, frame.boundaries
    _notices(view, frame, data, lang)

    # --- map + legend (the map first; secondary content after it) ---
    area_key = f"w_area_{view.level}"
    codes = data.joined["code"].tolist()
    names = dict(zip(codes, data.joined["sk_name"].tolist()))
    selected = view.area if view.area in set(data.geometry.codes) else None
    map_col, legend_col = st.columns([4, 1]) if not view.present else st.columns([3, 1])
    with map_col:
        gemeente_names = (
            t("map_nederland", lang)
            if view.national
            else ", ".join(map(loaders.catalogue(view.year).name, view.gemeenten))
        )
        map_key = f"kaart_map_{data.geometry.digest[:16]}"  # keyed by what it draws: new areas, a new map
        deck_map(
            data.geometry,
            data.classes,
            data.palette,
            fields=data.fields,
            outlines=data.outline_codes + ([selected] if selected else []),
            height=style.PRESENT_MAP_HEIGHT if view.present else 620,
            fill_viewport=view.present,
            key=map_key,
            on_change=session.map_click(map_key),
            loading_text=t("map_loading", lang),
            lost_text=t("map_lost", lang),
            reload_text=t("map_reload", lang),
            lang=lang,
            fit=mapview.focus_fit(gdf, focus[view.focus % len(focus)].codes) if current_focus else None,
            label=t(
                "map_alt",
                lang,
                n=data.n_areas,
                level=t(f"level_{view.level}", lang).lower(),
                gemeenten=gemeente_names,
                colour=data.colour_label,
            ),
        )
    with legend_col:
        ref_text = (
            scored.result.reference.text(lang) if scored.result is not None else t(f"ref_short_{view.reference}", lang)
        )
        notes = (
            [t("focus_outline", lang) + (": " + ", ".join(data.focus_names) if data.focus_names else "")]
            if (data.focus_names or selected)
            else []
        )
        # + the rules behind the colours (wording.legend_lines: stacking, hotspots), in the legend's one element
        widgets.legend(
            data.legend_rows,
            data.colour_label,
            t("legend_caption", lang, colour=data.colour_label, year=view.year, ref=ref_text),
            notes=[*notes, *(data.legend_lines or ())],
            lang=lang,
        )

    if controls is not None:
        _controls(controls, view, lang)

    # --- selection: click on the map (taken above, before the map was drawn), or pick from the list (keyboard) ---
    if not view.present:
        pick = st.expander(
            t("select_area", lang) + (": " + fmt.md(names[view.area]) if view.area in names else ""),
            key="x_pick",
            on_change="rerun",
        )
        if pick.open:  # the list of every area only while choosing (not re-sent per rerun)
            options = ["", *sorted(codes, key=lambda c: names[c])]
            pick.selectbox(
                t("select_area", lang),
                options,
                placeholder=t("choose_one", lang),
                **session.bind_area(area_key, options),
                format_func=lambda c: names.get(c, t("select_area_none", lang)) if c else t("select_area_none", lang),
            )
        if view.area and view.area in names:
            st.page_link(
                "pages/buurtprofiel.py",
                label=t("open_profile", lang, name=fmt.md(names[view.area])),
                icon=":material/location_on:",
                query_params=session.address(view),
            )
            fas = frame.focus_areas  # the clicked area into one of the view's focus areas (issue 12)
            if fas:
                area_label = fmt.label(fmt.area_name(names.get(view.area), view.area))  # "Poelenburg (WK047912)"
                with st.expander(t("add_to_focus", lang, area=area_label)):
                    target = st.selectbox(
                        t("fa_title", lang),
                        range(len(fas)),
                        key="w_kaart_fa_target",
                        format_func=lambda i: fas[i].name,
                        placeholder=t("choose_one", lang),
                    )
                    if st.button(t("fa_add_selected_button", lang, area=area_label), key="b_kaart_add_focus"):
                        focusui.add_member(view, fas[target].id, view.area)
        table = st.expander(t("areas_table", lang), key="x_areas", on_change="rerun")
        if table.open:  # sent only when opened (not on first load)
            with table:
                st.dataframe(widgets.area_table(data.table, lang), hide_index=True, width="stretch")
        widgets.map_exports(view, data, scored, gdf)
    st.caption(t("attribution", lang))


def _load(view, lang: str, controls):
    """The Kaart's data of ``view`` (loaders.map_frame) and what the map draws of it (mapview.build), behind the
    load status; a failure is said in plain language (the controls still shown, to choose something else) and
    ends this run."""
    first = session.once("_kaart_first_load")
    loaded = loaders.map_loaded(view)
    # frames in memory: a rescore of milliseconds, no spinner (hotspots may still compute their permutations)
    status = widgets.load_status(
        t("loading", lang), quiet=view.present or loaded, expanded=first, instant=loaded and not view.hotspots
    )
    steps = {"kwb": t("loading_kwb", lang, year=view.year), "geo": t("loading_geo", lang)}
    try:
        with status:
            frame = loaders.map_frame(view, lambda what: status.write(steps[what]))
            data = mapview.build(view, frame)
            status.update(label=t("loaded", lang), state="complete", expanded=False)
    except Exception as exc:  # noqa: BLE001 (shown in plain language; pages never show tracebacks)
        status.update(label=t("load_failed", lang), state="error", expanded=False)  # never left on "Gegevens laden…"
        widgets.show_error(exc, lang, t("loading", lang).rstrip("…").lower())
        if controls is not None:
            _controls(controls, view, lang)  # still there to choose something else
        shell.end_page()
    return frame, data


def _notices(view, frame, data, lang: str) -> None:
    """What the map leaves out or rests on: national coverage, the data layer's notices for this view (stale
    copies, a gemeente without boundaries: ``frame.notices``), ranks on a thin reference."""
    if view.national:  # the map draws what has boundaries, and says so
        st.info(
            t(
                "national_coverage",
                lang,
                n=len(data.geometry.codes),
                m=frame.boundaries.attrs.get("n_kwb", "?"),
                level=t(f"level_{view.level}", lang).lower(),
            )
        )
    for note in frame.scored.notes:
        st.info(t(note, lang, year=view.year))
    for text in frame.notices:  # the fragment's view (its own reruns), never the page's
        st.warning(fmt.md_message(text), icon=":material/warning:")
    widgets.coverage_warning(frame.scored, lang)


def _controls(box, view, lang: str) -> None:
    """The colour, classes, hotspot and national controls and the weight sliders, into ``box`` (made above the
    map), each bound to the view (session.bind): created from it, a change written back before the next run."""
    with box:
        # one horizontal container, not five columns: this row is re-sent on every change in the map section,
        # and each column is one more block for the browser to rebuild (issue 13)
        row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
        row.selectbox(
            t("colour", lang),
            list(widgets.colour_ids()),
            **session.bind("colour"),
            format_func=lambda c: mapview.colour_label(c, lang),
            placeholder=t("choose_one", lang),
            width=280,
        )
        row.selectbox(
            t("classes", lang),
            list(CLASSIFIERS),
            **session.bind("classes"),
            format_func=lambda c: t(f"cls_{c}", lang),
            placeholder=t("choose_one", lang),
            width=250,
        )
        row.number_input(
            t("k", lang), min_value=K_RANGE[0], max_value=K_RANGE[1], step=1, width=150, **session.bind("k")
        )
        toggles = row.container(gap="small")  # the two toggles stacked: their labels are never cut off
        toggles.toggle(t("hotspots", lang), help=t("hotspots_help", lang), **session.bind("hotspots"))
        toggles.toggle(t("national", lang), help=t("national_help", lang), **session.bind("national"))
        # the same weights and sliders as Prioriteren (a change only recolours); the six sliders are sent only
        # while the expander is open (issue 13); closed, the view's weights stand
        weights_box = st.expander(t("weights", lang), key="x_weights", on_change="rerun")
        if weights_box.open:
            sliders = weights_box.container(horizontal=True, gap="medium")
            for d in widgets.domain_ids():
                widgets.weight_slider(sliders, d, lang, view.level)
        widgets.weights_notice(lang)


map_section()
