"""The gezondheid domain on screen (issue 23): its absence in words (legend), the survey year used, the trend
between survey years on Buurtprofiel (one buurt or gemeente) and Vergelijken (focus areas with their gemeenten and
Nederland), and its rows in 'Wat is er veranderd' between two years (``changes_section``). Numbers come from the
door's health view models (``loaders.health_source``, ``health_profile``, ``health_compare``, ``health_panel``,
``health_changed``; the method page passes ``loaders.method(view)``'s); this module only words and lays them out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import registry as reg
from indicators.columns import absent_domains
from indicators.rates import survey_year
from pages._common import fmt, loaders
from pages._common.i18n import t
from pages._common.scoring import domains_counted

HEALTH = reg.INDICATORS["ervaren_gezondheid_niet_goed"]


def _why_absent(why, lang: str) -> str:
    """Why 50150NED is absent (the data layer's ``{"code", "nl", "en"}``) in ``lang``."""
    return (why or {}).get(lang) or (why or {}).get("nl") or t("why_source_absent", lang)


def legend_lines(result, view) -> list[str]:
    """The domain's state where it changes the colours: absent (why, and how many domains m counts) or the survey
    year the view uses."""
    if result is None:
        return []
    lang = view.lang
    absent = absent_domains(result.settings)
    m = len(domains_counted(result.weights, result.settings))
    if absent.get(HEALTH.domain) == "level_absent":
        return [t("health_absent_level", lang, m=m)]
    if absent.get(HEALTH.domain) == "source_absent":
        return [t("health_absent_source", lang, why=_why_absent(loaders.health_source().why, lang), m=m)]
    survey = survey_year(HEALTH, view.year)
    return [t("health_survey_year", lang, survey=survey, year=view.year)] if survey else []


def absent_lines(view, level: str, weights) -> list[str]:
    """Where a page shows the domains without a score result at hand (Vergelijken's panels): why the gezondheid
    panel stays empty at ``level`` -- no wijk figures in 50150NED, or no table at the service -- and how many
    domains stacking and the composite count instead (the same words as the map's legend). Which domains are
    absent and what m counts is the engine's rule (``absent_domains``, ``counted_weights`` through
    ``domains_counted``) on the settings of the scores the page shows; nothing is said when nothing
    scores (``loaders.health_panel``: the view's focus areas of that level over their gemeenten, else the view's
    gemeenten)."""
    panel = loaders.health_panel(view, level)
    if panel.settings is None:
        return []
    lang = view.lang
    why = absent_domains(panel.settings).get(HEALTH.domain)
    m = len(domains_counted(weights, panel.settings))
    if why == "level_absent":
        return [t("health_absent_level", lang, m=m)]
    if why == "source_absent":
        return [t("health_absent_source", lang, why=_why_absent(panel.why, lang), m=m)]
    return []


def _columns(frame: pd.DataFrame, y1: int, y2: int, lang: str) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for y in (y1, y2):
        out[f"{y} (%)"] = [fmt.fmt_num(v, 1, lang) for v in frame[f"value_{y}"]]
    out[t("health_col_change_pp", lang)] = [fmt.fmt_num(v, 1, lang) for v in frame["change"]]
    for y in (y1, y2):
        out[t("health_col_rank_year", lang, year=y)] = [fmt.fmt_num(v, 0, lang) for v in frame[f"rank_{y}"]]
    out[t("health_col_rank_move", lang)] = [fmt.fmt_num(v, 0, lang) for v in frame["rank_change"]]
    return out


def _reference_caption(n, y1, y2, lang: str, level: str = "buurt") -> str:
    """The reference of the rank movement: the ``n`` regions of ``level`` with a value in both years."""
    key = "health_trend_base_gemeente" if level == "gemeente" else "health_trend_base"
    return t(key, lang, n=fmt.fmt_num(n, 0, lang), y1=y1, y2=y2)


def _base_caption(frame: pd.DataFrame, lang: str, level: str = "buurt") -> str:
    a = frame.attrs
    return _reference_caption(a.get("reference_n"), a.get("y1"), a.get("y2"), lang, level)


def profile_section(view, code: str, level: str) -> None:
    """Buurtprofiel: the health trend of one buurt or gemeente (2020 -> 2024, 2022 -> 2024), or why there is none."""
    lang = view.lang
    st.subheader(t("health_trend_title", lang))
    if level not in HEALTH.levels:
        st.info(t("health_trend_none", lang, why=t("why_level_absent", lang)))
        return
    profile = loaders.health_profile(code, level)
    if not profile.trends:
        st.info(t("health_trend_none", lang, why=fmt.md(_why_absent(profile.why, lang))))
        return
    for (y1, y2), frame in profile.trends.items():
        shown = _columns(frame, y1, y2, lang)
        shown.insert(0, t("health_col_area", lang), [code])
        st.markdown(f"**{y1} → {y2}**")
        st.dataframe(shown, hide_index=True)
        st.caption(_base_caption(frame, lang, level))


def compare_section(view, areas, gm_names: dict[str, str]) -> None:
    """Vergelijken: the health trend of every focus area with its gemeenten and Nederland, side by side."""
    lang = view.lang
    st.subheader(t("health_trend_title", lang))
    compare = loaders.health_compare(view, areas)
    if compare.error is not None:  # no national KWB: no adults to weigh by, said with its own reason
        st.info(t("health_trend_none", lang, why=fmt.md_message(compare.error.text(lang)).rstrip(".")))
        return
    if not compare.trends:
        st.info(t("health_trend_none", lang, why=fmt.md(_why_absent(compare.why, lang))))
        return
    gms = compare.gemeenten
    for (y1, y2), frame in compare.trends.items():
        rows = frame.copy()
        comp = compare.comparators.get((y1, y2))
        if comp is not None:
            comp = comp.rename(index=lambda g: f"{gm_names.get(g, g)} ({g})" if g in gms else g)
            rows = pd.concat([rows, comp])
        shown = _columns(rows, y1, y2, lang)
        shown.insert(0, t("health_col_area", lang), [str(i) for i in rows.index])  # a dataframe cell is plain text
        shown[t("health_col_n_buurten", lang)] = [fmt.fmt_num(v, 0, lang) for v in rows["n_used"]]
        st.markdown(f"**{y1} → {y2}**")
        st.dataframe(shown, hide_index=True)
        st.caption(_base_caption(frame, lang) + " " + t("health_trend_weights", lang, year=view.year))


def _changed_why(row, surveys: tuple, absent, lang: str) -> str:
    """Why a row of ``loaders.health_changed`` has no old -> new, in words (Markdown: the one part from the data
    layer, why the table is absent (``absent``), escaped)."""
    why = row["why"]
    years = t("offline_and", lang).join(str(y) for y in row["years"])
    if why == "source_absent":
        return t("health_changed_source", lang, why=fmt.md_message(_why_absent(absent, lang)))
    if why == "level_absent":
        return t("why_level_absent", lang)
    if why == "not_survey":
        return t("health_changed_not_survey", lang, years=years, surveys=", ".join(map(str, surveys)))
    if why == "no_value":
        other = [
            t("health_changed_other", lang, year=y, value=fmt.fmt_num(row[side], 1, lang))
            for y, side in ((row["y_old"], "old"), (row["y_new"], "new"))
            if not pd.isna(row[side])
        ]
        return t("health_changed_no_value", lang, years=years, other="".join(other))
    return t(f"health_changed_{why}", lang)


def changes_section(view, ids: list[str], titles: dict[str, str], areas: list, y_old: int, y_new: int) -> None:
    """'Wat is er veranderd' between two years: "ervaren gezondheid niet goed" old -> new of every area (``ids``:
    codes and focus ids, ``titles``: their names as shown) from 50150NED's survey years, with the rank movement
    against the same reference in both years; for each area without a comparison a sentence saying why (absent
    table, wijk level, no survey year, no value), never a blank. Independent of the KWB tables of both years."""
    lang = view.lang
    st.markdown(f"**{t('health_changed_title', lang, y1=y_old, y2=y_new)}**")
    changed = loaders.health_changed(view, ids, areas, y_old, y_new)  # focus areas weighted by adults per buurt
    frame = changed.rows
    surveys = tuple(frame.attrs.get("surveys") or ())
    rows = frame.assign(y_old=y_old, y_new=y_new)
    ok = rows[rows["why"] == ""]
    if len(ok):
        shown = _columns(
            ok.rename(
                columns={
                    "old": f"value_{y_old}",
                    "new": f"value_{y_new}",
                    "difference": "change",
                    "rank_old": f"rank_{y_old}",
                    "rank_new": f"rank_{y_new}",
                    "rank_move": "rank_change",
                }
            ).set_index("area"),
            y_old,
            y_new,
            lang,
        )
        shown.insert(0, t("health_col_area", lang), [titles.get(a, a) for a in ok["area"]])
        if (ok["kind"] == "focus").any():  # a focus area's mean rests on its buurten with both years
            shown[t("health_col_n_buurten", lang)] = [
                fmt.fmt_num(n, 0, lang) if k == "focus" else "–" for n, k in zip(ok["n_used"], ok["kind"])
            ]
        st.dataframe(shown, hide_index=True)
        for level in ("buurt", "gemeente"):
            part = ok[(ok["kind"] == "area") & (ok["level"] == level)]
            if len(part):
                st.caption(_reference_caption(part["reference_n"].iloc[0], y_old, y_new, lang, level))
        part = ok[ok["kind"] == "focus"]
        if len(part):
            n = fmt.fmt_num(part["reference_n"].iloc[0], 0, lang)
            st.caption(t("health_changed_focus", lang, year=view.year, n=n))
    for _, row in rows[rows["why"] != ""].iterrows():
        why = _changed_why(row, surveys, changed.why, lang)
        st.info(t("health_changed_none", lang, area=fmt.md(titles.get(row["area"], row["area"])), why=why))


def status_text(source, year: int, lang: str) -> str:
    """Whether 50150NED is there now (method page; ``source``: ``loaders.method(view).health``): loaded with its
    count of buurten in the view's survey year, or absent and why (plain text)."""
    if source.why is not None:
        return t("health_absent_source", lang, why=_why_absent(source.why, lang), m=len(reg.DOMAINS) - 1)
    survey = survey_year(HEALTH, year) or year
    n = source.n_buurten.get(survey, 0)
    return t("health_status_ok", lang, n=fmt.fmt_num(n, 0, lang), year=survey)


def measures_table(measures, lang: str) -> pd.DataFrame:
    """Method page: the monitor measures declared for 50150NED (``measures``: ``loaders.method(view).health_measures``)
    and whether the table the service has now holds them, per level ("in deze gegevens", "niet in deze gegevens", "geen waarden op dit niveau", or the table
    itself not available). Only "ervaren gezondheid" is an indicator; the others are shown when a full 50150NED
    has them."""
    rows = []
    for m in measures:
        row = {t("health_col_measure", lang): m["label"].get(lang) or m["label"]["nl"]}
        for level, status in m["status"].items():
            head = t("health_col_level_" + level, lang)
            if status is None:
                row[head] = t("health_measure_no_table", lang)
            elif status["status"] == "ok":
                row[head] = t("health_measure_ok", lang)
            else:
                row[head] = status["text"].get(lang) or status["text"]["nl"]
        rows.append(row)
    return pd.DataFrame(rows)
