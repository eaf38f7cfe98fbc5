"""Gegevens: what is cached, fetch/refresh with progress, import a user indicator file, snapshots."""

from __future__ import annotations

import streamlit as st

from pages._common import fmt, loaders, widgets
from pages._common.i18n import t

view = widgets.page_view("gegevens")
lang = view.lang
st.title(t("page_gegevens", lang))

# --- cache ---
st.subheader(t("cache_title", lang))
st.caption(t("cache_dir", lang, path=loaders.cache_path()))
fresh = loaders.freshness()
st.dataframe(fresh, hide_index=True, width="stretch") if not fresh.empty else st.write(t("nothing_cached", lang))

# --- fetch / refresh ---
st.subheader(t("fetch_title", lang))
if st.button(t("refresh_button", lang), key="b_refresh"):
    bar = st.progress(0.0, text=t("loading", lang))
    with st.status(t("loading", lang), expanded=True) as status:
        try:
            done, stale = loaders.refresh(view.gemeenten, view.year, ("wijk", "buurt"),
                                           lambda f, text: bar.progress(min(max(f, 0.0), 1.0), text=text))
            status.update(label=t("fetch_done", lang, what=", ".join(done) or "–"),
                          state="error" if stale else "complete")
            if stale:
                st.warning(t("stale", lang, date=min(stale)))
        except Exception as exc:  # noqa: BLE001
            status.update(label=t("load_failed", lang), state="error")
            widgets.show_error(exc, lang, t("fetch_title", lang).lower())

# --- user indicator file ---
st.subheader(t("import_title", lang))
st.caption(t("import_help", lang))
st.caption(t("income_hint", lang))
upload = st.file_uploader(t("upload", lang), type=["csv", "xlsx"], key="w_upload")
year = st.number_input(t("import_year", lang), 1990, 2100, value=None, key="w_import_year")
if upload is not None and st.button(t("import_button", lang), key="b_import"):
    try:
        uf = loaders.import_user_file(upload.getvalue(), upload.name, int(year) if year else None)
        st.success(t("import_ok", lang, source=fmt.md(uf.source), rows=len(uf.frame), cols=len(uf.frame.columns)))
        st.caption(t("preview", lang))
        st.dataframe(uf.frame.head(20))
        for w in uf.warnings[:5]:
            st.caption(fmt.md(w))
    except Exception as exc:  # noqa: BLE001
        st.error(t("import_problems", lang) + " " + fmt.md(getattr(exc, "text", lambda _l: str(exc))(lang)))
        for p in getattr(exc, "problems", [])[:12]:
            st.markdown("- " + fmt.md(p))
files = loaders.user_files(loaders.user_file_signature())
if files:
    st.markdown("**" + t("imported_files", lang) + "**")
    for uf in files:
        c1, c2 = st.columns([4, 1])
        c1.markdown(fmt.md(f"{uf.source} · {uf.year} · {len(uf.frame)} · {uf.citation}"))
        if c2.button(t("remove", lang), key=f"b_rm_{uf.source}"):
            loaders.remove_user_file(uf.source)
            st.rerun()

# --- snapshot ---
st.subheader(t("snapshot_title", lang))
c1, c2 = st.columns(2)
if c1.button(t("snapshot_export", lang), key="b_snap"):
    c1.download_button(t("snapshot_export", lang), loaders.snapshot_bytes(), file_name="stapelkaart_snapshot.zip",
                       mime="application/zip", key="dl_snap")
snap = c2.file_uploader(t("snapshot_import", lang), type=["zip"], key="w_snap")
if snap is not None and c2.button(t("snapshot_import", lang), key="b_snap_in"):
    try:
        loaders.import_snapshot(snap.getvalue())
        c2.success(t("snapshot_ok", lang))
    except Exception as exc:  # noqa: BLE001
        widgets.show_error(exc, lang, t("snapshot_import", lang).lower())
