"""The focus-area editor: presets, define/rename/delete, add the selected map area, JSON export/import.

Everything it changes is written to the view's ``fa`` URL parameter (``indicators.focuscodec.format_focus_param``),
so the link shares the focus areas. Members are picked from the wijken/buurten of the selected gemeenten (by
name + code); a member of another gemeente appears once that gemeente is selected in the sidebar.
"""

from __future__ import annotations

import streamlit as st

from core.codes import level_of_code
from core.errors import UserInputError
from indicators.focus import PRESETS, SELF_DEFINED, FocusArea, source_text
from indicators.focuscodec import focus_from_json, focus_to_json, format_focus_param, parse_focus_param
from pages._common import fmt, loaders, widgets
from pages._common.i18n import label, t


def _set(areas: list) -> None:
    widgets.update(fa=format_focus_param(areas), fopen=None)
    st.rerun()


def member_options(names: dict[str, str | None]) -> dict[str, str]:
    """code -> "name (code)" (the code alone where no name is known), sorted as shown."""
    out = {c: f"{n} ({c})" if n else c for c, n in names.items()}
    return dict(sorted(out.items(), key=lambda kv: kv[1]))


def problems(view, focus) -> None:
    """Name the bad members (unknown code, other level, empty list) of the view's focus areas (``focus``:
    ``loaders.focus``): nothing dropped."""
    exc = focus.problem
    if exc is not None:
        st.warning(t("fa_problem", view.lang, text=fmt.md_message(exc.text(view.lang))), icon=":material/warning:")


def editor(view, focus, *, expanded: bool = False) -> None:
    """The 'Focusgebieden' expander of the view's focus areas (``focus``: ``loaders.focus``), on Vergelijken."""
    lang = view.lang
    areas = focus.areas
    with st.expander(t("fa_title", lang), expanded=expanded):
        st.caption(t("fa_help", lang))
        presets = PRESETS
        pid = st.selectbox(
            t("fa_preset", lang),
            list(presets),
            key="w_fa_preset",
            format_func=lambda p: label(presets[p], lang),
            placeholder=t("choose_one", lang),
        )
        p = presets[pid]
        src, note = source_text(p.source, lang), source_text(p.note, lang)
        st.caption(t("fa_preset_source", lang, source=fmt.md(src)) + (f" {fmt.md(note)}" if note else ""))
        if st.button(t("fa_use_preset", lang), key="b_fa_preset"):
            _set(list(p.areas))
        names = focus.member_names
        options = member_options(names)
        with st.form("f_fa_edit"):
            edited, drop = [], []
            for i, a in enumerate(areas):
                c1, c2, c3 = st.columns([3, 6, 1])
                name = c1.text_input(t("fa_name", lang), a.name, key=f"w_fa_name_{i}", max_chars=60)
                codes = c2.multiselect(
                    t("fa_members", lang),
                    list(options),
                    default=list(a.codes),
                    key=f"w_fa_members_{i}",
                    format_func=lambda c: options.get(c, c),
                    placeholder=t("choose_areas", lang),
                )
                if c3.checkbox(t("fa_delete", lang), key=f"w_fa_del_{i}"):
                    drop.append(i)
                edited.append((name, codes, a.source))
            localise_input_hint([f"w_fa_name_{i}" for i in range(len(areas))], lang, in_form=True)
            if st.form_submit_button(t("fa_apply", lang)):
                _apply([(n, c, s) for i, (n, c, s) in enumerate(edited) if i not in drop], lang)
        with st.form("f_fa_new", clear_on_submit=True):
            st.markdown(f"**{t('fa_new', lang)}**")
            name = st.text_input(t("fa_name", lang), key="w_fa_new_name", max_chars=60)
            localise_input_hint(["w_fa_new_name"], lang, in_form=True)
            codes = st.multiselect(
                t("fa_members", lang),
                list(options),
                key="w_fa_new_members",
                format_func=lambda c: options.get(c, c),
                placeholder=t("choose_areas", lang),
            )
            if st.form_submit_button(t("fa_add", lang)):
                _apply([(a.name, list(a.codes), a.source) for a in areas] + [(name, codes, SELF_DEFINED)], lang)
        if level_of_code(view.area) in ("wijk", "buurt") and areas:
            area_label = fmt.label(fmt.area_name(names.get(view.area), view.area))  # "Poelenburg (WK047912)"
            target = st.selectbox(
                t("fa_add_selected", lang, area=area_label),
                range(len(areas)),
                key="w_fa_target",
                format_func=lambda i: areas[i].name,
                placeholder=t("choose_one", lang),
            )
            if st.button(t("fa_add_selected_button", lang, area=area_label), key="b_fa_add_sel"):
                add_member(view, areas[target].id, view.area)
        c1, c2 = st.columns(2)
        c1.download_button(
            t("fa_export", lang),
            focus_to_json(areas),
            file_name="focusgebieden.json",
            mime="application/json",
            key="dl_fa_json",
        )
        up = c2.file_uploader(t("fa_import", lang), type=["json"], key="w_fa_upload")
        localise_uploader("w_fa_upload", lang, "JSON")
        if up is not None and st.session_state.get("_fa_uploaded") != up.file_id:
            st.session_state["_fa_uploaded"] = up.file_id
            try:
                _set(focus_from_json(up.getvalue()))
            except UserInputError as exc:
                st.error(fmt.md_message(exc.text(lang)))


def localise_input_hint(keys, lang: str, *, in_form: bool) -> None:
    """Streamlit writes "Press Enter to apply" / "Press Enter to submit form" under a text field being typed in,
    in English whatever the UI language, and has no parameter for it: replace that hint (the first part of
    ``InputInstructions``; a character counter after it stays) by ``input_enter_apply`` / ``input_enter_submit`` in
    ``lang``, for the text inputs with ``keys`` (CSS generated content, as :func:`localise_uploader`)."""
    if not keys:
        return
    text = t("input_enter_submit" if in_form else "input_enter_apply", lang).replace("\\", "\\\\").replace('"', '\\"')
    sel = ",".join(f'.st-key-{k} [data-testid="InputInstructions"] > span:first-child' for k in keys)
    after = ",".join(f'.st-key-{k} [data-testid="InputInstructions"] > span:first-child::after' for k in keys)
    st.html(
        f"<style>{sel}{{font-size:0;visibility:hidden}}"
        f'{after}{{content:"{text}";font-size:0.75rem;visibility:visible}}</style>'
    )


def localise_uploader(key: str, lang: str, types: str) -> None:
    """Streamlit's file uploader has no parameter for its texts ("Upload", "20MB per file • CSV, XLSX", "Drag and
    drop a file here" while a file is dragged over it, in
    English whatever the UI language): replace them, for the uploader with ``key``, by ``upload_button`` and
    ``upload_limit`` in ``lang`` (CSS generated content; the originals are hidden from sight and from screen
    readers with visibility, so the button is announced once, in the UI language)."""

    def css(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    mb = st.get_option("server.maxUploadSize")
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    st.html(
        f'<style>{zone} button [data-testid="stMarkdownContainer"] p,'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span{{font-size:0;visibility:hidden}}'
        f'{zone} button [data-testid="stMarkdownContainer"] p::after{{content:"{css(t("upload_button", lang))}";'
        "font-size:0.875rem;visibility:visible}"
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after{{'
        f'content:"{css(t("upload_limit", lang, mb=mb, types=types))}";font-size:0.875rem;visibility:visible}}'
        # while a file is dragged over it: "Drag and drop a file here" (the one plain div in the zone)
        f"{zone} > div:not([data-testid]) > span{{font-size:0;visibility:hidden}}"
        f'{zone} > div:not([data-testid]) > span::after{{content:"{css(t("upload_drag", lang))}";'
        "font-size:1rem;visibility:visible}"
        "</style>"
    )


def _apply(items, lang: str) -> None:
    """Build the areas (syntax checked: names, empty member lists named) and write them to the URL."""
    try:
        areas = [FocusArea.make(n, c, source=s or SELF_DEFINED) for n, c, s in items]
        if any(not a.name for a in areas):
            raise UserInputError("Elk focusgebied heeft een naam nodig.", "Every focus area needs a name.")
        parse_focus_param(format_focus_param(areas))  # the same checks as a link gets
    except UserInputError as exc:
        st.error(fmt.md_message(exc.text(lang)))
        return
    _set(areas)


def add_member(view, focus_id: str, code: str) -> None:
    """'Voeg <gebied> toe aan <focusgebied>' (Buurtprofiel of a wijk, or after clicking it on the Kaart)."""
    areas = loaders.focus(view).areas
    out = [FocusArea.make(a.name, [*a.codes, code] if a.id == focus_id else a.codes, source=a.source) for a in areas]
    _set(out)


# --- presentation mode: the user's focus areas as labels -----------------------------------------------

K_PRESENT = "w_present_focus"


def _present_pick() -> None:
    """A click on a label opens that focus area (clicking the current one again changes nothing)."""
    picked = st.session_state.get(K_PRESENT)
    if picked is not None:
        widgets.update(focus=int(picked))


def present_labels(view, names: list[str]) -> None:
    """Presentation mode: one label per focus area of the view, in its order, the current one selected. The labels
    sit in one wrapping row (st.pills), so they never overlap; next/previous and a click run over the same list."""
    away = [a.name for a in loaders.focus(view).areas if a.gemeente_code not in view.gemeenten]
    if away:  # next/previous run over the focus areas on this map; say which ones are not on it
        st.caption(t("present_not_on_map", view.lang, names=fmt.md(", ".join(away))))
    if len(names) < 2:
        return
    current = view.focus % len(names)
    st.session_state[K_PRESENT] = current  # follows next/previous (set before the widget exists)
    st.pills(
        t("present_focus_of", view.lang, i=current + 1, n=len(names)),
        list(range(len(names))),
        key=K_PRESENT,
        format_func=lambda i: fmt.label(names[i]),
        on_change=_present_pick,
    )
