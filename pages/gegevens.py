"""Gegevens: what is cached, imported indicator files of this view, snapshots; admin actions behind a token.

An import belongs to the view: it is stored under the digest of its bytes and the link names it (``files=``).
What changes everyone's view (refresh the shared cache, import a snapshot, make a file the default) is an
admin action: off unless ``STAPELKAART_ADMIN_TOKEN`` is set and this session entered it.
"""

from __future__ import annotations

import streamlit as st

from core.errors import StapelkaartError
from pages._common import changesui, fmt, focusui, loaders, shell, tables, widgets
from pages._common.i18n import t

view = shell.page_view("gegevens")
lang = view.lang
st.title(t("page_gegevens", lang))
changesui.version_notice(view)  # a view on an older kept version (kv=) says so here too; links keep kv
status = loaders.data_status(view)  # read again below after an action changed the cache or the view's files

# --- admin gate (only True/False is kept in the session, never the token) ---
st.subheader(t("admin_title", lang))
is_admin = status.admin_enabled and bool(st.session_state.get("_admin"))
if not status.admin_enabled:
    st.text(status.how_to_enable)
elif is_admin:
    st.success(t("admin_on", lang))
    if st.button(t("admin_logout", lang), key="b_admin_out"):
        st.session_state["_admin"] = False
        st.rerun()
else:
    with st.form("f_admin", clear_on_submit=True):
        token = st.text_input(t("admin_token", lang), type="password", key="w_admin_token")
        focusui.localise_input_hint(["w_admin_token"], lang, in_form=True)
        if st.form_submit_button(t("admin_login", lang)):
            try:
                st.session_state["_admin"] = loaders.check_token(token)
            except StapelkaartError as exc:  # too many wrong tokens: this one was not checked
                st.session_state["_admin"] = False
                st.error(fmt.md_message(exc.text(lang)))
            else:
                if st.session_state["_admin"]:
                    st.rerun()
                st.error(t("admin_bad", lang))

# --- cache ---
st.subheader(t("cache_title", lang))
if is_admin:  # the server's folder is for its administrator, not for every visitor (issue 22)
    st.caption(t("cache_dir", lang, path=fmt.code(status.cache_path)))
if status.freshness.empty:
    st.write(t("nothing_cached", lang))
else:
    st.dataframe(tables.freshness(status.freshness, lang), hide_index=True, width="stretch")

# --- refresh the shared cache (admin) ---
st.subheader(t("fetch_title", lang))
if not is_admin:
    st.caption(t("admin_needed", lang))
elif st.button(t("refresh_button", lang), key="b_refresh"):
    bar = st.progress(0.0, text=t("loading", lang))
    before = changesui.current_version(view)
    try:
        done, stale = loaders.refresh(
            view.gemeenten, view.year, ("wijk", "buurt"), lambda f, text: bar.progress(min(max(f, 0.0), 1.0), text=text)
        )
    except StapelkaartError as exc:
        bar.empty()
        widgets.show_error(exc, lang, t("fetch_title", lang).lower())
    else:
        bar.empty()
        if done:
            st.success(t("fetch_done", lang, what=fmt.md_text(", ".join(done))))
        if stale:
            st.warning(t("stale", lang, date=min(stale)), icon=":material/schedule:")
        changesui.note_refresh(view, before)
        status = loaders.data_status(view)  # the caches were cleared: notices and the view's data as they are now
if is_admin:  # what the last refresh brought: a new CBS version opens 'Wat is er veranderd' on the two
    changesui.after_refresh(view)


# --- user indicator files of this view ---
def _view_codes() -> set[str] | None:
    """The codes of this view (its gemeenten, their wijken and buurten, NL00): an import none of whose codes is
    among them is refused before it is stored. None (no check) when the view's data cannot be loaded."""
    frame = status.kwb
    if not view.gemeenten or frame is None:
        return None
    return {*map(str, frame["code"]), *view.gemeenten, "NL00"} if len(frame) else None


for text in status.notices:  # the view's data an import is checked against: say when it is stale or degraded
    st.warning(fmt.md_message(text), icon=":material/warning:")

st.subheader(t("import_title", lang))
st.caption(t("import_help", lang))
st.caption(t("income_hint", lang))
upload = st.file_uploader(t("upload", lang), type=["csv", "xlsx"], key="w_upload")
focusui.localise_uploader("w_upload", lang, "CSV, XLSX")
year = st.number_input(t("import_year", lang), 1990, 2100, value=None, key="w_import_year")
if upload is not None and st.button(t("import_button", lang), key="b_import"):
    try:
        digest = loaders.import_user_file(
            upload.getvalue(), upload.name, int(year) if year else None, view_codes=_view_codes()
        )
    except StapelkaartError as exc:
        st.error(t("import_problems", lang) + " " + fmt.md_message(exc.text(lang)))
        for p in getattr(exc, "problems", [])[:12]:
            st.markdown("- " + fmt.md(p))
    else:
        view = widgets.update(files=tuple(dict.fromkeys((*view.files, digest))))
        status = loaders.data_status(view)  # the list below shows the new file
        uf = status.imported(digest)
        n_rows, n_cols = len(uf.frame), len(uf.frame.columns)
        st.success(
            t(
                "import_ok",
                lang,
                source=fmt.md(uf.source),
                rows=t("n_areas_one", lang) if n_rows == 1 else t("n_areas", lang, n=fmt.fmt_num(n_rows, 0, lang)),
                cols=t("n_columns_one", lang) if n_cols == 1 else t("n_columns", lang, n=fmt.fmt_num(n_cols, 0, lang)),
            )
        )
        st.caption(t("import_in_view", lang, digest=digest))
        st.caption(t("preview", lang))
        st.dataframe(tables.preview(uf.frame.head(20), lang))
        for w in uf.warnings[:5]:
            st.caption(fmt.md(w))
defaults, shown = status.defaults, status.active
st.markdown("**" + t("imported_files", lang) + "**")
if not shown:
    st.write(t("no_files_in_view", lang))
for d in shown:
    info = status.files[d]
    c1, c2, c3 = st.columns([4, 1, 1])
    c1.markdown(
        fmt.md(f"{info.filename} · {info.year or '–'} · {d}")
        + (" · " + t("file_default", lang) if d in defaults else "")
    )
    if d in view.files and c2.button(t("remove", lang), key=f"b_rm_{d}", help=t("remove_help", lang)):
        widgets.update(files=tuple(x for x in view.files if x != d))
        st.rerun()
    if is_admin and c3.button(t("default_off" if d in defaults else "default_on", lang), key=f"b_def_{d}"):
        loaders.set_default_file(d, d not in defaults, admin=True)
        st.rerun()

# --- snapshot (export: everyone; import replaces the shared cache: admin) ---
st.subheader(t("snapshot_title", lang))
c1, c2 = st.columns(2)
if c1.button(t("snapshot_export", lang), key="b_snap"):
    c1.download_button(
        t("snapshot_export", lang),
        loaders.snapshot_bytes(),
        file_name="stapelkaart_snapshot.zip",
        mime="application/zip",
        key="dl_snap",
    )
if not is_admin:
    c2.caption(t("snapshot_import_admin", lang))
else:
    snap = c2.file_uploader(t("snapshot_import", lang), type=["zip"], key="w_snap")
    focusui.localise_uploader("w_snap", lang, "ZIP")
    if snap is not None and c2.button(t("snapshot_import", lang), key="b_snap_in"):
        try:
            loaders.import_snapshot(snap.getvalue())
            c2.success(t("snapshot_ok", lang))
        except StapelkaartError as exc:
            widgets.show_error(exc, lang, t("snapshot_import", lang).lower())
