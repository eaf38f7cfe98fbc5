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

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer {
  display: none !important;
}
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important; padding: 1rem 2rem !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
h1 { font-size: 2.6rem !important; } h2 { font-size: 2rem !important; }
.sk-legend { font-size: 1.3rem; } .sk-swatch { width: 2.2rem; height: 1.5rem; }
.sk-sentence { font-size: 1.5rem; }
</style>
"""


def apply(present: bool) -> None:
    st.html(BASE_CSS + (PRESENT_CSS if present else ""))
