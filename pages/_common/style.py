"""CSS for Stapelkaart: visible keyboard focus always; presentation mode on demand.

Presentation mode (``?present=1``) hides the sidebar, header and toolbar, enlarges the type and lets
the map and legend fill the screen, for council sessions on a projector.
"""

from __future__ import annotations

import streamlit as st

BASE_CSS = """
<style>
/* keyboard users always see where they are (WCAG 2.4.7) */
a:focus-visible, button:focus-visible, [role="button"]:focus-visible, input:focus-visible,
[role="combobox"]:focus-visible, [role="slider"]:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid #1f4e79 !important; outline-offset: 2px !important;
}
.sk-legend { display: flex; flex-direction: column; gap: .25rem; font-size: .95rem; }
.sk-legend-row { display: flex; align-items: center; gap: .5rem; }
.sk-swatch { width: 1.6rem; height: 1.1rem; border: 1px solid #444; flex: none; }
.sk-sentence { font-size: 1.15rem; line-height: 1.5; border-left: 6px solid #1f4e79; padding: .4rem .8rem;
  background: #eef1f5; margin: .5rem 0 1rem 0; }
</style>
"""

#: Map height in presentation mode (px): with the compact header below, the map and legend end above the fold
#: of a 1280x720 projector (tests/test_presentation_browser.py measures it); pages/kaart.py passes it to deck_map.
PRESENT_MAP_HEIGHT = 390

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer {
  display: none !important;
}
/* one screen at 1280x720: little padding, tight gaps, large but not oversized type */
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important; padding: .4rem 2rem 1rem !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 18px; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: .45rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
h1 { font-size: 2.1rem !important; padding: .3rem 0 .6rem 0 !important; } h2 { font-size: 1.7rem !important; }
[data-testid="stMain"] .stButton button { min-height: 2.2rem; padding: .15rem .8rem; }
[data-testid="stMain"] .stButton button p { font-size: 1rem; white-space: nowrap; }
.st-key-w_present_focus [data-testid="stWidgetLabel"] p { font-size: .85rem; }
.st-key-w_present_focus button p { font-size: .95rem; }
.sk-legend { font-size: 1.05rem; gap: .15rem; } .sk-swatch { width: 1.8rem; height: 1.15rem; }
.sk-sentence { font-size: 1.3rem; line-height: 1.35; padding: .25rem .8rem; margin: .1rem 0; }
</style>
"""


def apply(present: bool) -> None:
    st.html(BASE_CSS + (PRESENT_CSS if present else ""))
