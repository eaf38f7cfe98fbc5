"""The navigation shell around every page: page config, sidebar, share link, ``st.navigation``, errors.

``app.py`` calls :func:`main` (the entrypoint of ``streamlit run app.py``). The project keeps its pages in a
folder called ``pages/``; Streamlit treats such a folder next to the entrypoint as a legacy multipage app until
``st.navigation`` has run once in the process ("As soon as any session of your app executes the st.navigation
command, your app will ignore the pages/ directory (across all sessions)": st.navigation reference). So the
first request of a fresh server straight to ``/vergelijken`` runs ``pages/vergelijken.py`` on its own; the page
then calls :func:`main` itself (:func:`page_view`), which runs ``st.navigation`` (public API), resolves the
same URL path and runs the page inside the shell, in the same script run: no rerun, no widget value lost.
"""

from __future__ import annotations

import logging
import sys
from typing import NoReturn

import streamlit as st

from pages._common import firstscreen, links, session, style, widgets
from pages._common.i18n import t
from pages._common.links import ICONS
from pages._common.state import PAGES, ViewState


def _log_to_stderr() -> None:
    """The app's loggers (``stapelkaart.errors``: tracebacks under an error id; data/, pages/) write to the
    server's stderr, where an operator finds the id a user reports. Once per process."""
    for name in ("stapelkaart", "data", "pages"):
        logger = logging.getLogger(name)
        if not any(getattr(h, "_stapelkaart", False) for h in logger.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            handler._stapelkaart = True
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False


def main() -> None:
    _log_to_stderr()
    st.set_page_config(page_title="Stapelkaart", layout="wide")
    view = session.init()  # the widgets' callbacks of this run already changed it: one view for the run
    lang = view.lang
    style.apply(view.present, lang)

    pages = {p: st.Page(f"pages/{p}.py", title=t(f"page_{p}", lang), icon=ICONS[p], url_path=p) for p in PAGES}
    # the menu is links.nav_links (links that carry the view); Streamlit's own stays hidden
    # Kaart is served twice: as the default page at "/" (in the menu) and, hidden, at /kaart (what share links
    # say). A default page only answers at "/", so /kaart alone would be "Page not found".
    home = st.Page("pages/kaart.py", title=t("page_kaart", lang), icon=ICONS["kaart"], url_path="start", default=True)
    pages["kaart"] = st.Page(
        "pages/kaart.py", title=t("page_kaart", lang), icon=ICONS["kaart"], url_path="kaart", visibility="hidden"
    )
    current = st.navigation([home, *pages.values()], position="hidden")

    # A link such as /?page=vergelijken opens that page once, on arrival (the page path wins when both are given).
    if session.once("_arrived") and current is home and view.page != "kaart" and session.arrived_with_page():
        st.switch_page(pages[view.page], query_params=session.address(view))

    view = session.enter_page("kaart" if current is home else current.url_path)
    offline = firstscreen.check(view, view.page)  # no cache and no connection: said at once (issue 23)
    # One writer per sidebar slot and run: the page menu and the share link are written once, after the page ran
    # (they then hold what the page changed), by the shell -- or, on the Kaart, by its map section (an
    # st.fragment that reruns alone and writes both itself, also in a full run; see links.refresh_share_box).
    # A page that has said all it can ends with end_page(), never st.stop(), so this always runs.
    nav_slot = st.sidebar.empty()
    widgets.sidebar(view)
    share_slot = st.sidebar.empty()
    st.sidebar.caption(t("attribution", lang))
    links.warn_bad_params(lang)
    session.commit()  # the address bar at once (a slow page), and again after the page
    session.SHELL.active = True
    session.set_share_slot(share_slot, nav_slot)
    try:
        if offline is not None:
            firstscreen.show(offline, view)
        else:
            current.run()
    except PageEnd:  # the page said all it can for this view
        pass
    except Exception as exc:  # noqa: BLE001 (logged with traceback and error id; st.stop/st.rerun pass through)
        widgets.unexpected(exc, lang)
    finally:
        session.SHELL.active = False
        view = session.commit()  # the address bar: the view this run showed
        slot = session.share_slot()  # None when the Kaart's map section wrote it itself
        if slot is not None:
            links.share_box(view, slot)
            links.nav_links(view, nav_slot)


class PageEnd(Exception):
    """Raised by :func:`end_page`: the page has said all it can for this view (an error shown, nothing to show)."""


def end_page() -> NoReturn:
    """End the page here, not the run: the shell still writes the page menu, the share link and the address bar
    (``st.stop()`` would end the run before them, leaving a link to the view as it entered the page)."""
    raise PageEnd


def page_view(slug: str) -> ViewState:
    """Called first by every page: the session's view (the page itself is recorded by the shell).

    A page run outside the shell (the first request of a fresh server straight to ``/vergelijken``: Streamlit's
    legacy ``pages/`` mode, see the module docstring) runs the shell, which runs this page inside it, and stops.
    """
    if not getattr(session.SHELL, "active", False):
        main()
        st.stop()
    return session.enter_page(slug)
