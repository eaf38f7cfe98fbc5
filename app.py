"""Stapelkaart: the navigation shell. Each page is one thin file in pages/.

Run: ``streamlit run app.py`` (or ``make run``). The URL holds the whole view (see pages/_common/state.py).
"""

from __future__ import annotations

import streamlit as st

from pages._common import style, widgets
from pages._common.i18n import t
from pages._common.state import PAGES

st.set_page_config(page_title="Stapelkaart", layout="wide")

view = widgets.init_view()
lang = view.lang
style.apply(view.present)

FILES = {p: f"pages/{p}.py" for p in PAGES}
ICONS = {"kaart": ":material/map:", "vergelijken": ":material/bar_chart:", "buurtprofiel": ":material/location_on:",
         "prioriteren": ":material/format_list_numbered:", "methode": ":material/menu_book:",
         "gegevens": ":material/database:"}
pages = {p: st.Page(FILES[p], title=t(f"page_{p}", lang), icon=ICONS[p], url_path=p, default=(p == "kaart"))
         for p in PAGES}
current = st.navigation(list(pages.values()), position="hidden" if view.present else "sidebar")

# A link such as /?page=vergelijken opens that page once, on arrival (the page path wins when both are given).
if not st.session_state.get("_arrived"):
    st.session_state["_arrived"] = True
    if current is pages["kaart"] and view.page != "kaart" and "page" in st.query_params:
        st.switch_page(pages[view.page], query_params=view.to_params())

view = widgets.sidebar(view)
widgets.share_box(view)
st.sidebar.caption(t("attribution", lang))
widgets.warn_bad_params(lang)
widgets.SHELL.active = True
try:
    current.run()
except Exception as exc:  # noqa: BLE001 (st.stop/st.rerun are BaseException and pass through)
    widgets.unexpected(exc, lang)
finally:
    widgets.SHELL.active = False
