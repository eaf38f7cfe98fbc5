"""What the link says back to the user: the share link of this exact view, and which parts of an opened link
were not used. Nothing from the URL is echoed except values that passed the allow-list (a parameter name from the
URL is never shown; unknown names are only counted).
"""

from __future__ import annotations

import difflib
import html
import re

import streamlit as st

from pages._common import fmt, loaders, session
from pages._common.i18n import t
from pages._common.state import ViewState, share_url


def base_url() -> str:
    """Scheme and host of this request (for the share link); localhost when there is none (AppTest)."""
    from urllib.parse import urlsplit

    url = st.context.url or ""
    if not url:
        return "http://localhost:8501"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


ICONS = {
    "kaart": ":material/map:",
    "vergelijken": ":material/bar_chart:",
    "buurtprofiel": ":material/location_on:",
    "prioriteren": ":material/format_list_numbered:",
    "methode": ":material/menu_book:",
    "gegevens": ":material/database:",
}

#: the parameter names a link may carry (the only names ever shown back: a name from the URL is never echoed)
PARAM_NAMES = (
    "gm",
    "year",
    "level",
    "ref",
    "colour",
    "classes",
    "k",
    "w",
    "area",
    "focus",
    "hotspots",
    "page",
    "lang",
    "present",
    "files",
    "fa",
    "fopen",
    "kv",
    "nl",
)  # every name ViewState.to_params writes


def warn_bad_params(lang: str) -> None:
    """Say which settings of the link were not used. Only known parameter names are listed (as inert text);
    unknown names are counted, never shown; dropped gemeente codes and missing files passed the allow-list."""
    problems, dropped, missing = session.link_problems()
    unmatched, fell_back = session.gm_hints()
    part = "gm" in problems and bool(unmatched) and not fell_back  # some of gm= kept, the unreadable rest left out
    known = [p for p in problems if p in PARAM_NAMES and not (part and p == "gm")]
    n_unknown = sum(p not in PARAM_NAMES for p in problems)
    parts = []
    if known:
        parts.append(t("bad_params", lang, names=", ".join(known)))
    if n_unknown:
        parts.append(t("unknown_params", lang, n=n_unknown))
    if dropped:
        parts.append(t("gm_dropped", lang, codes=", ".join(dropped), year=session.current().year))
    if part and len(unmatched) > len(dropped):
        parts.append(t("gm_part_dropped", lang, year=session.current().year))
    if missing:
        parts.append(t("files_missing", lang, files=", ".join(missing)))
    if parts:
        st.warning(fmt.md(" ".join(parts)), icon=":material/warning:")
    gemeente_picker(lang)


def gemeente_suggestions(unmatched, options: dict[str, str], n: int = 3) -> list[str]:
    """Gemeente codes of ``options`` (code -> name, the CBS list) that a part of ``gm=`` probably meant: a code
    one typo away (``GM0497`` -> ``GM0479``), or a name written out (``zaanstad`` -> ``GM0479``)."""
    by_name = {name.casefold(): code for code, name in options.items()}
    out: list[str] = []
    for raw in unmatched:
        text = str(raw).strip()
        if re.fullmatch(r"(?i)gm\d{4}", text):
            out += difflib.get_close_matches(text.upper(), list(options), n=n, cutoff=0.8)
        elif text:
            out += [by_name[m] for m in difflib.get_close_matches(text.casefold(), list(by_name), n=n, cutoff=0.6)]
    return list(dict.fromkeys(out))[:5]


def gemeente_picker(lang: str) -> None:
    """The fix for a gemeente the link named wrongly, offered where the message is: a list of every gemeente
    of the year with the likely ones first. Picking one adds it to the view (or replaces the default the view
    fell back to). Only names from the CBS list are shown; nothing from the URL."""
    unmatched, fell_back = session.gm_hints()
    if not unmatched:
        return
    options = loaders.catalogue(session.current().year).names
    likely = gemeente_suggestions(unmatched, options)
    if likely:
        st.caption(t("gm_suggest", lang, names=", ".join(f"{options[c]} ({c})" for c in likely)))
    order = likely + [c for c in sorted(options, key=lambda c: options[c]) if c not in likely]
    st.selectbox(
        t("gm_pick", lang),
        order,
        index=None,
        key="w_gm_fix",
        placeholder=t("gm_pick_placeholder", lang),
        format_func=lambda c: f"{options.get(c, c)} ({c})",
        on_change=_pick_gemeente,
        args=(fell_back,),
    )


def _pick_gemeente(fell_back: bool) -> None:
    code = st.session_state.get("w_gm_fix")
    if code:
        session.fix_gemeente(code, fell_back)


def nav_links(v: ViewState, slot) -> None:
    """The page menu in the sidebar: one link per page carrying this view's parameters, so a page change is one
    browser history entry with the view in it (Streamlit's own menu clears the query string on a page change;
    the view written back after it was a second entry, and Back needed two presses). Not in presentation mode."""
    box = slot.container()
    if v.present:
        return
    params = session.address(v)
    for slug, icon in ICONS.items():
        box.page_link(f"pages/{slug}.py", label=t(f"page_{slug}", v.lang), icon=icon, query_params=params)


def refresh_share_box() -> None:
    """The end of a page section that reruns alone (the Kaart's map section, an st.fragment), on its full runs
    and its own reruns alike: the view into the address bar, and the share link into the shell's sidebar slot
    (Streamlit reserves the slot for the fragment only when it wrote there in the last full run); the shell
    then leaves the slot alone."""
    v = session.commit()
    slot = session.share_slot(taken=True)
    if slot is not None:
        share_box(v, slot)
        nav_links(v, session.nav_slot())


def share_box(v: ViewState, slot=None) -> None:
    """'Kopieer link': the URL of this exact view in a read-only text field (select and copy).

    The shell calls this after the page ran (into ``slot``, a placeholder made before it), so the link holds
    what the page's own widgets changed in this run and equals the address bar. No ``st.code``: it would load
    the syntax highlighter for one line.
    """
    url = share_url(base_url(), v)
    box = (slot or st.sidebar).container()
    with box.expander(t("share_title", v.lang), expanded=False):
        st.caption(t("share_help", v.lang))
        st.html(
            f'<input class="sk-share" data-testid="sk-share-link" type="text" readonly '
            f'aria-label="{html.escape(t("share_title", v.lang))}" value="{html.escape(url, quote=True)}" '
            'style="width:100%;font-family:monospace;font-size:0.85rem;padding:0.3rem">'
        )
