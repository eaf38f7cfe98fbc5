"""CSS for Stapelkaart: visible keyboard focus always; presentation mode on demand.

Presentation mode (``?present=1``) hides the sidebar, header and toolbar, enlarges the type and lets
the map and legend fill the screen, for council sessions on a projector.
"""

from __future__ import annotations

import streamlit as st

from pages._common.i18n import t

BASE_CSS = """
<style>
/* keyboard users always see where they are (WCAG 2.4.7) */
a:focus-visible, button:focus-visible, [role="button"]:focus-visible, input:focus-visible,
[role="combobox"]:focus-visible, [role="slider"]:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #1f4e79 !important; outline-offset: 2px !important;
}
.sk-legend { display: flex; flex-direction: column; gap: .25rem; font-size: .95rem; }
.sk-legend-row { display: flex; align-items: center; gap: .5rem; }
.sk-caption { font-size: .875rem; color: #555; margin: .35rem 0 0 0; line-height: 1.45; }
.sk-swatch { width: 1.6rem; height: 1.1rem; border: 1px solid #444; flex: none; }
.sk-sentence { font-size: 1.15rem; line-height: 1.5; border-left: 6px solid #1f4e79; padding: .4rem .8rem;
  background: #eef1f5; margin: .5rem 0 1rem 0; }
/* Streamlit writes "No results" in an empty select/multiselect list in English and has no parameter for it:
   in the Dutch UI (marker LANG_MARKER) the text is replaced by generated content (issue 21) */
body:has(.sk-lang-nl) [role="listbox"][data-empty="true"] [role="option"] > span { font-size: 0; visibility: hidden; }
body:has(.sk-lang-nl) [role="listbox"][data-empty="true"] [role="option"] > span::after {
  content: "@NO_RESULTS@"; font-size: .875rem; visibility: visible; }
/* Streamlit's toolbar over tables and charts (search, "Download as CSV", "Show data", "Fullscreen", …) speaks
   English only and has no parameter for its texts: not shown, in either language, so the two UIs offer the same;
   the downloads a user needs are the app's own (Prioriteren's export, the map's PNG/PDF), in the user's language */
[data-testid="stElementToolbar"] { display: none !important; }
/* ... and for the same reason the column menu a table header opens (its three dots: "Sort ascending", "Pin
   column", "Statistics", …); a click on the header itself still sorts the rows */
[data-testid="stDataFrameColumnMenu"] { display: none !important; }
/* ... and "Press Enter to apply" under a number field being typed in (no number field sits in a form) */
body:has(.sk-lang-nl) [data-testid="stNumberInput"] [data-testid="InputInstructions"] > span:first-child {
  font-size: 0; visibility: hidden; }
body:has(.sk-lang-nl) [data-testid="stNumberInput"] [data-testid="InputInstructions"] > span:first-child::after {
  content: "@ENTER_APPLY@"; font-size: .75rem; visibility: visible; }
</style>
"""


def _css_text(key: str) -> str:
    return t(key, "nl").replace("\\", "\\\\").replace('"', '\\"')


BASE_CSS = BASE_CSS.replace("@NO_RESULTS@", _css_text("no_results")).replace(
    "@ENTER_APPLY@", _css_text("input_enter_apply")
)

#: Map height in presentation mode (px): with the compact header below, the map and legend end above the fold
#: of a 1280x720 projector (tests/test_presentation_browser.py measures it); pages/kaart.py passes it to deck_map.
PRESENT_MAP_HEIGHT = 390

#: Presentation mode, in the same style element as the rest: every rule applies only while the page holds the
#: marker element (:data:`PRESENT_MARKER`, written by the shell). The style element's text is then the same in both
#: modes and leaving presentation mode does not depend on Streamlit removing an old style element (a style-only
#: st.html goes to the event container, where an old one could outlive the run that left the mode); the marker is
#: an ordinary element in the sidebar that the next run replaces in place.
PRESENT_CSS = """
<style>
body:has(.sk-present-mode) [data-testid="stSidebar"], body:has(.sk-present-mode) [data-testid="stSidebarCollapsedControl"],
body:has(.sk-present-mode) [data-testid="collapsedControl"], body:has(.sk-present-mode) header[data-testid="stHeader"], body:has(.sk-present-mode) [data-testid="stToolbar"],
body:has(.sk-present-mode) [data-testid="stDecoration"], body:has(.sk-present-mode) footer {
  display: none !important;
}
/* one screen at 1280x720: little padding, tight gaps, large but not oversized type */
body:has(.sk-present-mode) [data-testid="stMainBlockContainer"], body:has(.sk-present-mode) .block-container { max-width: 100% !important; padding: .4rem 2rem 1rem !important; }
html:has(.sk-present-mode), body:has(.sk-present-mode), body:has(.sk-present-mode) [data-testid="stAppViewContainer"] { font-size: 18px; }
body:has(.sk-present-mode) [data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: .45rem; }
body:has(.sk-present-mode) [data-testid="stMarkdownContainer"] p, body:has(.sk-present-mode) [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
body:has(.sk-present-mode) h1 { font-size: 2.1rem !important; padding: .3rem 0 .6rem 0 !important; } body:has(.sk-present-mode) h2 { font-size: 1.7rem !important; }
body:has(.sk-present-mode) [data-testid="stMain"] .stButton button { min-height: 2.2rem; padding: .15rem .8rem; }
body:has(.sk-present-mode) [data-testid="stMain"] .stButton button p { font-size: 1rem; white-space: nowrap; }
body:has(.sk-present-mode) .st-key-w_present_focus [data-testid="stWidgetLabel"] p { font-size: .85rem; }
body:has(.sk-present-mode) .st-key-w_present_focus button p { font-size: .95rem; }
body:has(.sk-present-mode) .sk-legend { font-size: 1.05rem; gap: .15rem; } body:has(.sk-present-mode) .sk-swatch { width: 1.8rem; height: 1.15rem; }
body:has(.sk-present-mode) .sk-sentence { font-size: 1.3rem; line-height: 1.35; padding: .25rem .8rem; margin: .1rem 0; }
</style>
"""

PRESENT_MARKER = '<span class="sk-present-mode" hidden></span>'
#: The Dutch UI's marker: the rules of BASE_CSS that replace Streamlit's own English apply only while it is there.
LANG_MARKER = '<span class="sk-lang-nl" hidden></span>'


def apply(present: bool, lang: str = "nl") -> None:
    """The app's CSS (the same text in both modes and languages), and in the sidebar's first places the
    presentation marker and the Dutch marker or, where they do not apply, empty elements that replace them."""
    st.html(BASE_CSS + PRESENT_CSS)
    marker = st.sidebar.empty()
    if present:
        marker.html(PRESENT_MARKER)
    lang_marker = st.sidebar.empty()
    if lang == "nl":
        lang_marker.html(LANG_MARKER)
