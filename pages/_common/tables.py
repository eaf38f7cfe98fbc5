"""Tables as the pages show them: readable (i18n) column names and formatted cells over indicators.tables."""

from __future__ import annotations

import pandas as pd

from indicators import registry as reg
from indicators.method import stacking_text
from indicators.result import scores
from indicators.tables import num, rank_table, shown_indicators
from pages._common import loaders
from pages._common.fmt import fmt_num, source_text, year_text
from pages._common.fmt import label as md_label
from pages._common.i18n import STRINGS, t
from pages._common.i18n import label as lab


def ranked(table: pd.DataFrame, gemeenten, min_population: float, min_stacking: int, lang: str) -> pd.DataFrame:
    """Filtered, ranked like with like (indicators.tables.rank_table, rule ``RANK_RULE``), readable columns.

    Composite and stacking carry n (domains known) and m (domains that carry weight / all domains): the composite
    as "3 van 6 domeinen (onvolledig)", stacking as "k van n bekend (m domeinen)" (indicators.method), plus the
    numbers k, n and m as their own columns for the exports.
    """
    df = rank_table(table, gemeenten, min_population, min_stacking)
    code = t("export_col_code", lang)  # "Code": a word for a header, never the raw column name (issue 21)
    out = pd.DataFrame({"#": df["#"], t("area", lang): df.get("name", df.get("code")), code: df.get("code")})
    if "gemeente_code" in df:  # the gemeente by name (its code is in the export)
        names = loaders.catalogue(int(df["year"].iloc[0])).names if "year" in df and len(df) else {}
        out[t("filter_gemeente", lang)] = [names.get(g, g) for g in df["gemeente_code"]]
    rows = df.to_dict("records")
    view = scores(df)
    comp, st = view.composite, view.stacking
    if comp.value is not None:
        out[t("composite", lang)] = pd.to_numeric(comp.value, errors="coerce").round(1).values
    if comp.n is not None:
        out[t("composite_on", lang)] = [composite_base(r, lang) for r in rows]
    if st.k is not None:
        out[t("stacking_col", lang)] = [stacking_text(r, lang) for r in rows]
        out[t("stacking_count", lang)] = pd.array(pd.to_numeric(st.k, errors="coerce"), dtype="Int64")
    for col, key in ((st.n, "stacking_known_col"), (st.m, "stacking_m_col")):
        if col is not None:
            out[t(key, lang)] = pd.array(pd.to_numeric(col, errors="coerce"), dtype="Int64")
    if st.which is not None:
        out[t("stacking_domains", lang)] = [
            ", ".join(lab(reg.DOMAINS[d], lang) for d in str(s).split(";") if d in reg.DOMAINS)
            if isinstance(s, str)
            else ""
            for s in st.which
        ]
    for d, dom in view.domains.items():
        if dom.score is not None:
            out[lab(reg.DOMAINS[d], lang)] = pd.to_numeric(dom.score, errors="coerce").round(0).values
    if "population" in df:
        out[t("min_population", lang).split()[-1].capitalize()] = pd.to_numeric(
            df["population"], errors="coerce"
        ).values
    return out.reset_index(drop=True)


def composite_base(row, lang: str) -> str:
    """ "6 van 6 domeinen" / "3 van 6 domeinen (onvolledig)" / "niet genoeg gegevens (1 van 6 domeinen)"."""
    comp = scores(row).composite
    n, m = num(comp.n), num(comp.m)
    if not (n == n and m == m):
        return "–"
    base = t("composite_base", lang, n=int(n), m=int(m))
    if num(comp.value) != num(comp.value):  # NaN: no composite
        return t("composite_none", lang, base=base)
    return base if n >= m else f"{base} ({t('incomplete', lang)})"


def indicator_profile(row: pd.Series, lang: str, reference: str, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Every registry indicator of one area: raw value, EB estimate and 95 % interval (count-based rates), rank with
    its own base (``IndicatorScores.base_label``: names the base and its number of areas with data), year and
    source. Context indicators (``scored=False``, e.g. migration background) get no rank: their value next to the
    reference's value (``IndicatorScores.ref_value``, of ``reference``). ``labels``: base labels in ``lang``
    (``wording.base_labels``)."""
    out = []
    view = scores(row)
    for ind in reg.INDICATORS.values():
        f = view.indicator(ind.id)
        rec = {
            t("domain", lang): lab(reg.DOMAINS[ind.domain], lang) if ind.domain else "–",
            t("indicator", lang): lab(ind, lang),
            t("value", lang): fmt_num(f.value, 1, lang),
            t("unit", lang): ind.unit.get(lang, ind.unit["nl"]),
            t("value_eb", lang): fmt_num(f.smoothed, 1, lang) if ind.count_based else "–",
            t("interval_95", lang): _interval(f, lang) if ind.count_based else "–",
        }
        if ind.scored:
            base = f.base_label
            rec[t("rank", lang)] = fmt_num(f.rank, 0, lang)
            rec[t("rank_base", lang)] = (labels or {}).get(base, base) if isinstance(base, str) and base else "–"
            rec[t("ref_value_col", lang)] = "–"
        else:
            rec[t("rank", lang)] = t("context_no_rank", lang)
            rec[t("rank_base", lang)] = "–"
            ref_value = num(f.ref_value)
            rec[t("ref_value_col", lang)] = (
                f"{fmt_num(ref_value, 1, lang)} ({reference})" if ref_value == ref_value else t("ref_value_na", lang)
            )
        rec[t("year", lang)] = year_text(f.year)
        rec[t("source", lang)] = source_text(f.source) + (
            f" ({t('why_den_small', lang, min=f'{ind.min_denominator:g}')})"
            if isinstance(f.why, str) and f.why == "den_small"
            else ""
        )  # a value withheld by the publication rule says so in its source cell, in the user's language
        out.append(rec)
    return pd.DataFrame(out)


def _interval(f, lang: str) -> str:
    lo, hi = num(f.interval_lo), num(f.interval_hi)
    return f"{fmt_num(lo, 1, lang)}–{fmt_num(hi, 1, lang)}" if lo == lo and hi == hi else "–"


def column_names(table: pd.DataFrame, lang: str) -> dict[str, str]:
    """id -> the column heading of each row of a score_focus table (unique: a repeated name gets its code)."""
    out, seen = {}, set()
    for rid, r in table.iterrows():
        name = t("nederland", lang) if r["kind"] == "land" else str(r["name"]).split(" (")[0]
        name = f"{name} ({rid})" if name in seen else name
        seen.add(name)
        out[rid] = name
    return out


def side_by_side(
    table: pd.DataFrame, lang: str, counts: dict[str, dict[str, float]] | None = None, basis: str = "households"
) -> pd.DataFrame:
    """Rows per domain (its rank 0-100 in the domain's base) and per indicator (value, or with ``counts`` the absolute number);
    one column per focus area, then each gemeente and Nederland (the fixed references)."""
    names = column_names(table, lang)
    order = [*table.index[table["kind"] == "focus"], *table.index[table["kind"] != "focus"]]
    rows = []
    for d in [*reg.DOMAINS, None]:
        dname = lab(reg.DOMAINS[d], lang) if d else "–"
        if d:
            rec = {t("domain", lang): dname, t("indicator", lang): t("row_domain", lang), t("unit", lang): "0–100"}
            # the domain's rank in its base (>= 100 - band: in the worst band, the stacking rule)
            rec.update({names[i]: fmt_num(scores(table.loc[i]).domain(d).rank, 0, lang) for i in order})
            rows.append(rec)
        for ind in (i for i in shown_indicators(basis) if (i.domain if i.domain in reg.DOMAINS else None) == d):
            unit = ind.unit.get(lang, ind.unit["nl"])
            if counts is not None:
                subject = t("persons", lang) if ind.kind == "ratio" else unit.replace("%", "").strip()
                unit = t("count_of", lang, subject=subject) if ind.id in counts else "–"
            rec = {t("domain", lang): dname, t("indicator", lang): lab(ind, lang), t("unit", lang): unit}
            for i in order:
                rec[names[i]] = (
                    fmt_num(table.loc[i].get(ind.id), 1, lang)
                    if counts is None
                    else fmt_num(counts.get(ind.id, {}).get(i), 0, lang)
                )
            rows.append(rec)
    return pd.DataFrame(rows)


def focus_figures(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table export of Vergelijken (what the focus-area PDF calls "de tabelexport"): one row per focus area,
    then its gemeenten and Nederland; each domain's rank (0-100) and every indicator of the registry (all key figures
    of the PDF, context indicators too), as numbers at full precision, empty where there is no value."""
    names = column_names(table, lang)
    order = [*table.index[table["kind"] == "focus"], *table.index[table["kind"] != "focus"]]
    kinds = [str(table.loc[i, "kind"]) for i in order]
    out = pd.DataFrame(
        {
            t("area", lang): [names[i] for i in order],
            "code": [str(i) for i in order],
            t("fx_kind", lang): [t(f"fx_kind_{k}", lang) if f"fx_kind_{k}" in STRINGS else k for k in kinds],
        }
    )
    for d, dom in scores(table).domains.items():
        values = dom.rank if dom.rank is not None else pd.Series(float("nan"), index=table.index)
        out[t("fx_domain_rank", lang, domain=lab(reg.DOMAINS[d], lang))] = pd.to_numeric(
            values.reindex(order), errors="coerce"
        ).to_numpy(dtype="float64")
    for ind in reg.INDICATORS.values():
        values = table[ind.id] if ind.id in table else pd.Series(float("nan"), index=table.index)
        out[f"{lab(ind, lang)} ({ind.unit.get(lang, ind.unit['nl'])})"] = pd.to_numeric(
            values.reindex(order), errors="coerce"
        ).to_numpy(dtype="float64")
    return out


def for_st_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for st.table, which renders its column headers, row labels and text cells as Markdown: each of
    them escaped with ``fmt.label`` at this sink (a focus-area name from the link is text, never a link or an
    image). Not for st.dataframe (plain text there: an escape would be shown)."""
    out = frame.copy()
    out.columns = [md_label(c) for c in out.columns]
    out.index = pd.Index(
        [md_label(i) if isinstance(i, str) else i for i in out.index],
        name=md_label(out.index.name) if isinstance(out.index.name, str) else out.index.name,
    )
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if not pd.api.types.is_numeric_dtype(col):
            out.iloc[:, j] = [md_label(v) if isinstance(v, str) else v for v in col]
    return out


def side_by_side_display(side: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`side_by_side` with domain, indicator and unit in one row label (so all columns fit 1280 px)."""
    dom, ind, unit = t("domain", lang), t("indicator", lang), t("unit", lang)
    is_domain = side[ind] == t("row_domain", lang)
    row_label = [
        f"{d.upper()} – {t('rank', lang)}" if isd else f"{i} ({u})"
        for d, i, u, isd in zip(side[dom], side[ind], side[unit], is_domain)
    ]
    out = side.drop(columns=[dom, ind, unit])
    out.index = pd.Index(row_label, name=ind)
    return out


def freshness(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The cache table of Gegevens in the user's language: column names, kinds, levels and statuses (an unknown
    kind or status is shown as it is)."""
    out = frame.copy()
    for col, prefix in (("kind", "fr_kind_"), ("status", "fr_status_"), ("level", "fr_level_")):
        if col in out:
            words = {v: t(prefix + str(v), lang) for v in out[col].dropna().unique() if (prefix + str(v)) in STRINGS}
            if col == "level":
                words.update({v: t(f"level_{v}", lang).lower() for v in ("wijk", "buurt") if v in set(out[col])})
            out[col] = out[col].map(lambda v, words=words: words.get(v, v))
    return out.rename(columns={c: t(f"fr_{c}", lang) for c in out.columns if f"fr_{c}" in STRINGS})


def shown(frame: pd.DataFrame, columns, lang: str) -> pd.DataFrame:
    """A table for the screen: ``columns`` (``None``: every numeric column) as text in the user's number format
    (``fmt.fmt_num``) with '–' where there is no value (Streamlit would print 'None' and its own English number
    format); whole columns without decimals, others with one. Exports keep the numbers and empty cells."""
    out = frame.copy()
    if columns is None:
        columns = [
            c for c in out.columns if pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
        ]
    for c in columns:
        if c in out:
            v = pd.to_numeric(out[c], errors="coerce")
            whole = bool((v.dropna() == v.dropna().round()).all())
            out[c] = [fmt_num(x, 0 if whole else 1, lang) if pd.notna(x) else "–" for x in v]
    return out


def preview(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An imported file's first rows for the screen: every number as the file has it (all its decimals), in the
    user's number format; no value: '–'."""
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c]):
            out[c] = [fmt_num(x, None, lang) for x in out[c]]
    return out
