"""'Wat is er veranderd' per area or focus area (Buurtprofiel, and Gegevens right after a refresh).

Two comparisons, one view (indicators.changes.what_changed):

* **two versions** of the year's KWB table kept in the cache (``data.cbs.kwb_versions``: CBS ``Modified`` + fetch
  time). Default: the previous kept version against the newest; ``preselect`` sets both (Gegevens after a refresh
  that brought a new version). "Terug naar de vorige versie" is a choice of this view (the ``kv`` URL parameter):
  the shared cache is not changed, so nobody else's view changes.
* **two years** (``state.YEARS``): only areas whose code and boundaries did not change in between are compared; a
  code of only one year's indeling is named as not comparable (never as "nieuw" or "verdwenen"). Gezondheid
  (50150NED, its own survey years) comes first and does not need the KWB tables of both years
  (``healthui.changes_section``: old -> new and the rank movement, or why not in words); its indicator is then
  left out of the KWB indicator table, whose ranks are against each year's own reference.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import StapelkaartError, UserInputError
from indicators import registry as reg
from indicators.changes import STATUS as CHANGE_STATUS
from indicators.changes import what_changed
from pages._common import fmt, healthui, loaders, widgets
from pages._common.i18n import label, t
from pages._common.state import YEARS

K_MODE, K_OLD, K_NEW, K_OLD_YEAR, K_NEW_YEAR = (
    "w_changed_mode",
    "w_changed_old",
    "w_changed_new",
    "w_changed_old_year",
    "w_changed_new_year",
)


def _value(v, lang: str) -> str:
    """A KWB figure as published: whole numbers without decimals, missing as '–'."""
    if v is None or isinstance(v, str):
        return "–" if v is None else str(v)
    f = float(v)
    return fmt.fmt_num(f, 0 if f.is_integer() else 1, lang)


def _date(v: dict) -> str:
    return str(v.get("modified") or "?")[:10]


def version_notice(view) -> None:
    """Say when this view reads an older kept version, with the way back to the newest."""
    if view.kv:
        st.warning(t("view_version", view.lang, date=view.kv[:10]), icon=":material/history:")
        if st.button(t("use_current", view.lang), key="b_kv_current"):
            widgets.update(kv=None)
            st.rerun()


def preselect(old: str, new: str) -> None:
    """Open the section on two versions (CBS Modified of each), e.g. right after a refresh brought ``new``."""
    st.session_state[K_MODE] = "versions"
    st.session_state[K_OLD], st.session_state[K_NEW] = old, new


def _pick(where, text: str, options: list, default, key: str, **kw):
    """A selectbox whose value lives in the session (seeded with ``default`` when missing or no longer offered)."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    return where.selectbox(text, options, key=key, **kw)


def _version_sides(view, areas):
    """``loaders.changes`` of two kept versions (the user picks them); None when there are not two."""
    lang = view.lang
    kept = loaders.changes(view, areas).versions
    if len(kept) < 2:
        st.info(t("changed_one", lang, version=", ".join(f"CBS {_date(v)}" for v in kept) or "–"))
        return None
    dates = [v["modified"] for v in kept]
    labels = {
        v["modified"]: t("changed_version_label", lang, date=_date(v), fetched=str(v["fetched_at"])[:10]) for v in kept
    }
    c1, c2 = st.columns(2)
    old = _pick(
        c1, t("changed_old", lang), dates, dates[-2], K_OLD, format_func=labels.get, placeholder=t("choose_one", lang)
    )
    new = _pick(
        c2, t("changed_new", lang), dates, dates[-1], K_NEW, format_func=labels.get, placeholder=t("choose_one", lang)
    )
    ch = loaders.changes(view, areas, versions=(old, new))
    if ch.error is not None:  # said by the section
        raise ch.error
    return ch


def _pick_years(view) -> tuple[int, int] | None:
    """The two years the user compares (old < new), or None after saying the order is wrong."""
    lang = view.lang
    years = sorted(YEARS)
    c1, c2 = st.columns(2)
    earlier = [y for y in years if y < view.year]
    old = _pick(
        c1,
        t("changed_old_year", lang),
        years,
        earlier[-1] if earlier else years[0],
        K_OLD_YEAR,
        placeholder=t("choose_one", lang),
    )
    new = _pick(c2, t("changed_new_year", lang), years, view.year, K_NEW_YEAR, placeholder=t("choose_one", lang))
    if old >= new:
        st.info(t("changed_year_order", lang))
        return None
    return old, new


def _year_sides(view, areas, old: int, new: int):
    """``loaders.changes`` of two years (the view's own year in the version the view reads, kv=), or None after
    saying which year's KWB did not load."""
    lang = view.lang
    ch = loaders.changes(view, areas, years=(old, new))
    if ch.missing is not None:
        y, exc = ch.missing
        st.info(t("changed_year_missing", lang, year=y, error=fmt.md_message(exc.text(lang))))
        return None
    st.caption(t("changed_year_rule", lang, a=old))
    if ch.error is not None:  # the scores of a year did not load: said by the section
        raise ch.error
    return ch


def section(view, codes: list[str], areas: list, name: str) -> None:
    """The 'Wat is er veranderd' section for ``codes`` (areas) and ``areas`` (focus areas)."""
    lang = view.lang
    st.subheader(t("changed_title", lang))
    if st.session_state.get(K_MODE) not in ("versions", "years"):
        st.session_state[K_MODE] = "versions"
    mode = st.radio(
        t("changed_mode", lang),
        ["versions", "years"],
        key=K_MODE,
        horizontal=True,
        format_func=lambda m: t(f"changed_mode_{m}", lang, year=view.year),
    )
    titles = _titles(codes, areas, name)
    try:
        if mode == "years":
            picked = _pick_years(view)
            if picked is None:
                return
            healthui.changes_section(view, [*codes, *(a.id for a in areas)], titles, areas, *picked)
            compared = _year_sides(view, areas, *picked)
        else:
            compared = _version_sides(view, areas)
        if compared is None or compared.sides is None:
            return
        sides = compared.sides
        ch = what_changed(
            sides.old,
            sides.new,
            codes,
            focus_areas=areas,
            old_scores=sides.old_scores,
            new_scores=sides.new_scores,
            between=sides.between,
        )
    except UserInputError as exc:  # e.g. no asked area comparable between the two years: says why
        st.info(fmt.md_message(exc.text(lang)))
        return
    except StapelkaartError as exc:
        st.error(fmt.md_message(exc.text(lang)))
        return
    show(view, ch, codes, areas, name, scored_ids=set(sides.old_scores.index) | set(sides.new_scores.index))
    old, newest = ch.old.modified, compared.versions[-1]["modified"]  # kept versions read after the sides loaded
    if (
        mode == "versions"
        and old
        and old != newest
        and view.kv != old
        and st.button(t("use_version", lang, date=old[:10]), key="b_kv_old")
    ):
        widgets.update(kv=old)
        st.rerun()


def _titles(codes: list[str], areas: list, name: str) -> dict[str, str]:
    """How each area is named in the section: "name (code)" for the one area of a profile, else its code; a focus
    area by its name."""
    single = len(codes) + len(areas) == 1
    return {**{c: f"{name} ({c})" if single else c for c in codes}, **{a.id: a.name for a in areas}}


def show(view, ch, codes: list[str], areas: list, name: str, scored_ids: set = frozenset()) -> None:
    """One block per area and focus area: not comparable (why), stacking before/after, figures, indicators (between
    two years without the second tables' indicators: ``healthui.changes_section`` shows them against one
    reference)."""
    lang = view.lang
    st.caption(t("changed_versions", lang, old=ch.old.text(lang), new=ch.new.text(lang)))
    titles = _titles(codes, areas, name)
    for aid in [*codes, *(a.id for a in areas)]:
        if ch.reason(aid, lang):
            st.info(
                t("changed_not_comparable", lang, area=fmt.md(titles[aid]), reason=fmt.md_message(ch.reason(aid, lang)))
            )
            continue
        arow = ch.areas[ch.areas["area"] == aid]
        if aid not in scored_ids:
            st.caption(t("changed_stacking_na", lang))
        elif len(arow):
            r = arow.iloc[0]
            st.markdown(
                t(
                    "changed_stacking",
                    lang,
                    old=fmt.fmt_num(r["stacking_old"], 0, lang),
                    new=fmt.fmt_num(r["stacking_new"], 0, lang),
                    cold=fmt.fmt_num(r["composite_old"], 1, lang),
                    cnew=fmt.fmt_num(r["composite_new"], 1, lang),
                )
            )
        figs = ch.figures[ch.figures["area"] == aid]
        if figs.empty:
            st.success(t("changed_none_years" if ch.years else "changed_none", lang, area=fmt.md(titles[aid])))
        else:
            st.markdown(f"**{t('changed_figures', lang, n=len(figs))}**")
            st.dataframe(
                pd.DataFrame(
                    {
                        "code": figs["member"],
                        t("col_variable", lang): figs["title"],
                        "variable": figs["variable"],
                        t("col_status", lang): figs["status"].map(lambda s: CHANGE_STATUS[s][lang]),
                        t("col_old", lang): [_value(v, lang) for v in figs["old"]],
                        t("col_new", lang): [_value(v, lang) for v in figs["new"]],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        inds = ch.indicators[ch.indicators["area"] == aid]
        if ch.years:  # shown above against the same reference in both years
            inds = inds[[not reg.INDICATORS[i].source_id for i in inds["indicator"]]]
        if len(inds):
            st.markdown(f"**{t('changed_indicators', lang)}**")
            st.dataframe(
                pd.DataFrame(
                    {
                        t("indicator", lang): [label(reg.INDICATORS[i], lang) for i in inds["indicator"]],
                        t("col_status", lang): [CHANGE_STATUS[x][lang] for x in inds["status"]],
                        t("col_old", lang): [fmt.fmt_num(v, 1, lang) for v in inds["old"]],
                        t("col_new", lang): [fmt.fmt_num(v, 1, lang) for v in inds["new"]],
                        t("col_rank_move", lang): [
                            f"{fmt.fmt_num(a, 0, lang)} → {fmt.fmt_num(b, 0, lang)}"
                            + ("" if pd.isna(m) else f" ({m:+.0f})")
                            for a, b, m in zip(inds["rank_old"], inds["rank_new"], inds["rank_move"])
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
            )


# --- right after "Verversen" on Gegevens ------------------------------------------------------------------

K_REFRESHED = "_changes_after_refresh"


def current_version(view) -> str | None:
    """CBS Modified of the version the shared cache currently serves for the view's selection (None: not cached)."""
    return _current(loaders.changes(view).versions)


def _current(kept) -> str | None:
    return next((v["modified"] for v in reversed(kept) if v["current"]), None)


def note_refresh(view, before: str | None) -> None:
    """Remember what a refresh brought (before -> now) so the changes open without hunting for them."""
    ch = loaders.changes(view)
    after = _current(ch.versions)
    st.session_state[K_REFRESHED] = {
        "gemeenten": tuple(view.gemeenten),
        "year": view.year,
        "old": before,
        "new": after,
        "answered": ch.cbs_answered is not False,
    }
    if before and after and before != after:
        preselect(before, after)


def after_refresh(view) -> None:
    """The result of this session's last refresh of the view's selection: a new version opens 'Wat is er
    veranderd' on the two versions (the view's area and focus areas, else its gemeenten); else says nothing changed."""
    done = st.session_state.get(K_REFRESHED)
    if not done or done["gemeenten"] != tuple(view.gemeenten) or done["year"] != view.year or not done["new"]:
        return
    lang = view.lang
    if not done.get("answered", True):  # CBS did not answer: whether it has a new version is not known
        st.info(t("refresh_not_checked", lang, year=view.year, date=str(done["new"])[:10]))
        return
    if not done["old"] or done["old"] == done["new"]:
        st.info(t("refresh_same_version", lang, year=view.year, date=str(done["new"])[:10]))
        return
    st.success(t("refresh_new_version", lang, year=view.year, old=done["old"][:10], new=done["new"][:10]))
    areas = list(loaders.changes(view).focus_areas)
    codes = [view.area] if view.area else ([] if areas else list(view.gemeenten))
    section(view, codes, areas, view.area or ", ".join(view.gemeenten))
    st.page_link(
        "pages/buurtprofiel.py",
        label=t("refresh_open_profile", lang),
        icon=":material/location_on:",
        query_params=view.with_(page="buurtprofiel").to_params(),
    )
    if st.button(t("refresh_close", lang), key="b_refresh_close"):
        st.session_state.pop(K_REFRESHED, None)
        st.rerun()
