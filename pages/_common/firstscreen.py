"""The first screen when the view's data is not cached and CBS/PDOK cannot be reached (issue 23).

The shell asks :func:`pages._common.loaders.first_screen` before it runs a page that loads data; when that gives
an answer, this screen takes the page's place: what is wrong, at once (no 35-80 s of retries), and what works
instead — a gemeente that is cached (links that open it), a snapshot import (who may, the exact commands) and the
emulator for a try-out (the exact commands). Every name from the cache or a reason from the network is escaped.
"""

from __future__ import annotations

import streamlit as st

from pages._common import fmt, loaders, session
from pages._common.i18n import t
from pages._common.links import ICONS
from pages._common.state import ViewState

#: The pages that load CBS/PDOK data for their view (Gegevens and Methode show what there is without it).
DATA_PAGES = ("kaart", "prioriteren", "vergelijken", "buurtprofiel")

FETCH = (
    ".venv/bin/python -m data fetch --gemeente GM0479 GM0363 --year 2024 --level wijk buurt\n"
    ".venv/bin/python -m data export-snapshot stapelkaart.zip"
)
IMPORT = ".venv/bin/python -m data import-snapshot stapelkaart.zip"
EMULATOR = (
    "../shared/cbs-mirror/cbs-mirror --port 8765 &\n"
    "export STAPELKAART_CBS_URL=http://127.0.0.1:8765\n"
    "export STAPELKAART_PDOK_URL=http://127.0.0.1:8765\n"
    "make run"
)


def check(view: ViewState, page: str):
    """The offline answer for ``view`` on ``page`` (None: run the page as usual)."""
    if page not in DATA_PAGES:
        return None
    return loaders.first_screen(view, national=view.national and page == "kaart")


def show(off, view: ViewState) -> None:
    """The screen for ``off`` (data.firstscreen.Offline) in the view's language."""
    lang = view.lang
    services = t("offline_and", lang).join(off.down)
    checked = max(r.seconds for r in off.down.values())  # the reachability request itself (answers are reused)
    st.title(t("offline_title", lang, services=services))
    st.error(
        t("offline_intro", lang, n=len(off.missing), services=services, seconds=f"{checked:.1f}")
        + "\n\n"
        + "\n".join(
            f"- {name}: {fmt.md_message(r.reason if lang == 'nl' else r.reason_en)}" for name, r in off.down.items()
        )
    )

    st.subheader(t("offline_cached_title", lang))
    if off.cached:
        st.markdown(t("offline_cached_text", lang))
        names = loaders.catalogue(view.year).names
        for c in off.cached:
            level = view.level if view.level in c.levels else c.levels[-1]
            target = view.with_(
                gemeenten=(c.code,),
                year=c.year,
                level=level,
                reference=view.reference if level in c.national_reference else "gemeente",
                national=False,
                area=None,
                kv=None,
            )
            levels = ", ".join(t(f"level_{lv}", lang).split(" (")[0].lower() for lv in c.levels)
            st.page_link(
                "pages/kaart.py",
                label=t(
                    "offline_cached_link",
                    lang,
                    name=fmt.md(names.get(c.code, c.code)),
                    code=c.code,
                    year=c.year,
                    levels=levels,
                ),
                icon=ICONS["kaart"],
                query_params=session.address(target),
            )
    else:
        st.markdown(t("offline_cached_none", lang))

    st.subheader(t("offline_snapshot_title", lang))
    st.markdown(t("offline_snapshot_text", lang))
    st.code(FETCH, language="bash")
    admin = t("offline_admin_on" if loaders.admin_enabled() else "offline_admin_off", lang)
    st.markdown(t("offline_snapshot_import", lang, admin=admin))
    st.code(IMPORT, language="bash")
    st.page_link(
        "pages/gegevens.py",
        label=t("page_gegevens", lang),
        icon=ICONS["gegevens"],
        query_params=session.address(view),
    )

    st.subheader(t("offline_emulator_title", lang))
    st.markdown(t("offline_emulator_text", lang))
    st.code(EMULATOR, language="bash")
