"""The only place where pages meet data/, indicators/ and geo/: ``st.cache_data`` wrappers.

data/, indicators/ and geo/ never import streamlit; this module adapts their APIs for the pages
(argument types that hash well, equal-weight scoring cached once and reweighted cheaply, imported user
files persisted in the cache dir so they survive restarts).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from data.errors import StapelkaartError

log = logging.getLogger(__name__)

FALLBACK_GEMEENTEN = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
DEFAULT_DOMAINS = ("armoede", "werk", "onderwijs", "schooluitval", "wonen", "jeugd")


# --- registry (allow-lists for the URL) ----------------------------------------------------------

def domain_ids() -> tuple[str, ...]:
    try:
        from indicators.registry import DOMAINS
        return tuple(DOMAINS)
    except ImportError:
        return DEFAULT_DOMAINS


def colour_ids() -> tuple[str, ...]:
    ids = ["composite", "stacking"] + [f"domain:{d}" for d in domain_ids()]
    try:
        from indicators.registry import scored_indicators
        ids += [f"ind:{i.id}" for i in scored_indicators()]
    except ImportError:
        pass
    return tuple(ids)


def registry():
    from indicators import registry as reg
    return reg


def base_url() -> str:
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 (AppTest has no request)
        url = ""
    if not url:
        return "http://localhost:8501"
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- loaders --------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, ttl=3600)
def gemeente_options(year: int) -> dict[str, str]:
    try:
        from data.cbs import list_gemeenten
        frame = list_gemeenten(year)
        return {str(c): str(n) for c, n in zip(frame["code"], frame["name"])}
    except StapelkaartError as exc:  # offline, or a year without data: the two focus gemeenten remain
        log.warning("Gemeentelijst %s niet beschikbaar: %s", year, exc.message)
        return dict(FALLBACK_GEMEENTEN)


@st.cache_data(show_spinner=False, ttl=3600)
def kwb(gemeenten: tuple[str, ...], year: int) -> pd.DataFrame:
    from data.cbs import load_kwb
    return load_kwb(list(gemeenten), year, levels=("gemeente", "wijk", "buurt"))


@st.cache_data(show_spinner=False, ttl=3600)
def kwb_national(year: int, level: str) -> pd.DataFrame:
    from data.cbs import load_kwb_national
    return load_kwb_national(year, level)


@st.cache_data(show_spinner=False, ttl=3600)
def boundaries(gemeenten: tuple[str, ...], year: int, level: str):
    from data.pdok import load_boundaries
    return load_boundaries(list(gemeenten), year, level)


def refresh(gemeenten: tuple[str, ...], year: int, levels: tuple[str, ...],
            progress: Callable[[float, str], None]) -> tuple[list[str], list[str]]:
    """Fetch again (Gegevens page), reporting progress 0..1; clears the in-memory caches afterwards.

    Returns (done, stale): what was fetched, and the fetched_at dates of cached copies that had to be kept
    because the service did not answer (the loaders then return the cache marked ``stale``).
    """
    from data.cbs import load_kwb, load_kwb_national
    from data.pdok import load_boundaries
    done, stale = [], []
    steps = 2 + len(levels)

    from data.errors import FetchError

    def note(load, what, kind):
        try:
            frame = load()
        except FetchError as exc:
            errors.append(exc)
            stale.extend(cached_dates(kind, year))
            return
        src = frame.attrs.get("source", {})
        (stale.append(str(src.get("fetched_at", "?"))[:10]) if src.get("stale") else done.append(what))

    errors: list = []
    progress(0.0, f"KWB {year}")
    note(lambda: load_kwb(list(gemeenten), year, levels=("gemeente", "wijk", "buurt"), refresh=True,
                          progress=lambda n, total, label: progress(0.5 / steps, f"{label}: {n}")), f"KWB {year}", "kwb")
    progress(1 / steps, f"KWB {year} Nederland")
    note(lambda: load_kwb_national(year, "wijk", refresh=True), f"KWB {year} NL", "kwb")
    for i, lv in enumerate(levels):
        progress((2 + i) / steps, f"PDOK {lv}")
        note(lambda lv=lv: load_boundaries(list(gemeenten), year, lv, refresh=True), f"PDOK {lv}", "boundaries")
    if errors and not stale:
        raise errors[0]
    progress(1.0, "✓")
    st.cache_data.clear()
    return done, stale


def cached_dates(kind: str, year: int) -> list[str]:
    from data import cache
    return [str(e.manifest.get("fetched_at", "?"))[:10] for e in cache.iter_ok(kind)
            if e.key is not None and e.key.year == year]


# --- user indicator files (persisted in <cache>/userfiles) -----------------------------------------

def userfiles_dir() -> Path:
    from data.cache import cache_dir
    return cache_dir() / "userfiles"


def import_user_file(data: bytes, filename: str, year: int | None = None):
    """Validate (raises UserFileError) and persist; returns the UserIndicatorFile."""
    from data.userfiles import load_indicator_file, safe_filename
    uf = load_indicator_file(data, filename=filename, year=year, unknown_codes="skip")
    d = userfiles_dir()
    d.mkdir(parents=True, exist_ok=True)
    name = safe_filename(filename)
    (d / name).write_bytes(data)
    (d / (name + ".json")).write_text(json.dumps({"year": uf.year, "filename": name}))
    st.cache_data.clear()
    return uf


def remove_user_file(name: str) -> None:
    d = userfiles_dir()
    for p in (d / name, d / (name + ".json")):
        if p.parent == d and p.exists():
            p.unlink()
    st.cache_data.clear()


def user_file_signature() -> tuple[tuple[str, float], ...]:
    d = userfiles_dir()
    if not d.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime) for p in d.iterdir() if not p.name.endswith(".json")))


@st.cache_data(show_spinner=False)
def user_files(signature: tuple) -> list:
    from data.userfiles import load_indicator_file
    out = []
    for name, _ in signature:
        path = userfiles_dir() / name
        meta_path = path.with_name(name + ".json")
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        try:
            out.append(load_indicator_file(path, year=meta.get("year"), unknown_codes="skip"))
        except (StapelkaartError, OSError) as exc:  # listed with its problem on Gegevens, not scored
            log.warning("Indicatorbestand %s wordt niet gebruikt: %s", name, exc)
            continue
    return out


def user_values(signature: tuple) -> list:
    from indicators.rates import user_values_from_file
    out = []
    for uf in user_files(signature):
        if uf.year is not None:
            out += user_values_from_file(uf, uf.mapping or None)
    return out


# --- scoring --------------------------------------------------------------------------------------

@dataclass
class Scored:
    """What a page needs: the ScoreResult plus the frames it came from and honest notes."""

    result: object | None
    table: pd.DataFrame
    kwb: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)
    source: dict = field(default_factory=dict)


@st.cache_data(show_spinner=False, ttl=3600)
def _score(gemeenten: tuple[str, ...], year: int, level: str, reference: str, signature: tuple):
    from indicators.engine import make_reference, score_areas
    sel = kwb(gemeenten, year)
    attributes = None
    try:
        b = boundaries(gemeenten, year, level)
        attributes = {year: pd.DataFrame(b.drop(columns="geometry"))}
    except StapelkaartError as exc:  # boundaries only add the marked PDOK fallback attributes
        log.warning("Grenzen %s %s niet beschikbaar; geen PDOK-terugval voor leeftijdsgroepen: %s",
                    year, level, exc.message)
    if reference == "nl":
        nat = kwb_national(year, level)
        frame = pd.concat([sel, nat], ignore_index=True).drop_duplicates("code")
        frame.attrs = dict(sel.attrs)  # table id and fetch details travel into every value's source
        ref = make_reference(nat, "nl", level, year)
    else:
        frame = sel
        names = gemeente_options(year)
        ref = make_reference(sel, "selection", level, year, gemeenten, names=names)
    result = score_areas({year: frame}, year, level=level, reference=ref, gemeenten=gemeenten,
                         user_values=user_values(signature), attributes=attributes)
    return result, sel


def scored(gemeenten: tuple[str, ...], year: int, level: str, reference: str,
           weights: dict[str, float] | None = None) -> Scored:
    """Score the selection (cached for equal weights, reweighted here)."""
    from data.errors import UserInputError
    sig = user_file_signature()
    try:
        result, sel = _score(tuple(sorted(gemeenten)), year, level, reference, sig)
    except UserInputError:
        if level == "buurt":      # no buurt statistics: empty table, boundaries still drawn as 'geen gegevens'
            return Scored(None, pd.DataFrame(columns=["code", "name", "gemeente_code", "composite"]), None,
                          notes=["buurt_no_data"])
        raise
    if weights:
        if sum(weights.values()) <= 0:
            weights = None
        result = result.reweight(weights)
    return Scored(result, result.table, sel, source=dict(sel.attrs.get("source", {})))


def available_years() -> tuple[int, ...]:
    from data.cbs import KWB_TABLES
    return tuple(sorted(KWB_TABLES))


# --- focus areas ----------------------------------------------------------------------------------

def focus_areas() -> list:
    """The focus areas of the registry (H3), or [] when not available yet."""
    try:
        from indicators import focus
    except ImportError:
        return []
    return list(getattr(focus, "FOCUS_AREAS", {}).values())


def fmt_num(value: object, decimals: int = 1, lang: str = "nl") -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(v):
        return "–"
    text = f"{v:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\u2009").replace(".", ",")
    return text


def older_years(row: pd.Series, year: int) -> list[int]:
    """Years before ``year`` that the row's indicator values come from (e.g. the 2020 income file)."""
    out = set()
    for ind in registry().scored_indicators():
        y = row.get(f"{ind.id}__year")
        if y is not None and not pd.isna(y) and int(y) < year and not pd.isna(row.get(ind.id)):
            out.add(int(y))
    return sorted(out)


def stacked(row: pd.Series) -> list[str]:
    """The stacking domains of a score row (``;``-joined; NA/empty = none), registry ids only."""
    value = row.get("stacking_domains")
    if not isinstance(value, str):
        return []
    return [d for d in value.split(";") if d in domain_ids()]


def domain_ranks(row: pd.Series) -> dict[str, float | None]:
    out = {}
    for d in domain_ids():
        v = row.get(f"domain__{d}")
        out[d] = None if v is None or (isinstance(v, float) and np.isnan(v)) or pd.isna(v) else float(v)
    return out


# --- hotspots (LISA) ------------------------------------------------------------------------------

def with_hotspots(scored_: Scored, gdf) -> Scored:
    """Add a ``lisa`` column (HH/LL/HL/LH/ns; None = no data or no neighbours) from indicators.hotspots
    (local Moran's I on the composite, Queen contiguity, 999 permutations, fixed seed)."""
    from indicators.hotspots import local_moran
    table = scored_.table.copy()
    values = pd.to_numeric(table.set_index("code")["composite"], errors="coerce") if len(table) else pd.Series(dtype=float)
    lisa = _lisa(tuple(values.index), tuple(values.to_numpy()), gdf, local_moran)
    table["lisa"] = table["code"].map(lisa)
    return Scored(scored_.result, table, scored_.kwb, scored_.notes, scored_.source)


def _lisa(codes: tuple, values: tuple, gdf, local_moran) -> dict:
    out = local_moran(gdf, pd.Series(values, index=list(codes), dtype="float64"))
    label = out["label"].where(out["label"].isin(["HH", "LL", "HL", "LH"]),
                               np.where(out["label"] == "niet significant", "ns", None))
    return dict(zip(out["code"], label))


# --- focus areas vs gemeente and Nederland ------------------------------------------------------

def focus_table(view, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """indicators.focus.score_focus for the focus areas in the selected gemeenten (+ gemeente, Nederland)."""
    from indicators.focus import FOCUS_AREAS, score_focus
    sel = {k: f for k, f in FOCUS_AREAS.items() if f.gemeente_code in view.gemeenten}
    if not sel or view.level != "wijk":
        return pd.DataFrame()
    s = scored(view.gemeenten, view.year, "wijk", view.reference, weights)
    try:
        national = kwb_national(view.year, "gemeente")
    except StapelkaartError:  # the Nederland row then says 'niet beschikbaar'
        national = None
    return score_focus(s.result, sel, national=national, user_values=user_values(user_file_signature()))


def focus_by_id(fid):
    for f in focus_areas():
        if f.id == fid:
            return f
    return None


def absolute_counts(view, focus, codes_by_row: dict[str, tuple[str, ...]]) -> dict[str, dict[str, float]]:
    """Counts behind each rate (persons, households, dwellings), summed over members: {indicator: {row id: n}}.

    ratio: the numerator itself; share (a %): % x base / 100; mean (WOZ, income): no count (absent).
    """
    from indicators.focus import aggregate_parts
    reg = registry()
    res = scored(view.gemeenten, view.year, "wijk", view.reference).result
    out: dict[str, dict[str, float]] = {}
    for ind in reg.INDICATORS.values():
        if ind.kind not in ("ratio", "share") or ind.id not in res.parts:
            continue
        agg = aggregate_parts(res.parts[ind.id], codes_by_row, ind.scale)
        div = 100.0 if ind.kind == "share" else 1.0
        out[ind.id] = {rid: float(agg.loc[rid, "num"]) / div for rid in agg.index}
    return out


def shown_indicators(basis: str = "households") -> list:
    """Registry indicators for a table: household forms (default) or, with ``basis="persons"``, the person-based
    variant in place of each household indicator that has one (``Indicator.variant_of``)."""
    reg = registry()
    swap = reg.variants() if basis == "persons" else {}
    return [swap.get(i.id, i) for i in reg.INDICATORS.values() if not i.variant_of]


def indicator_comparison(rows: pd.DataFrame, lang: str, focus_name: str,
                         counts: dict[str, dict[str, float]] | None = None, basis: str = "households") -> pd.DataFrame:
    """One row per indicator: value (or, with ``counts``, the absolute number) and rank of the focus area,
    its gemeente and Nederland, year and source; ``basis`` chooses household or person-based variants."""
    from pages._common.i18n import label as lab, t
    reg = registry()
    out = []
    for ind in shown_indicators(basis):
        unit = ind.unit.get(lang, ind.unit["nl"])
        if counts is not None:
            subject = (t("persons", lang) if ind.kind == "ratio" else unit.replace("%", "").strip())
            unit = t("count_of", lang, subject=subject) if ind.id in counts else "–"
        rec = {t("domain", lang): lab(reg.DOMAINS[ind.domain], lang) if ind.domain else "–",
               t("indicator", lang): lab(ind, lang), t("unit", lang): unit}
        for rid, r in rows.iterrows():
            name = focus_name if r["kind"] == "focus" else (t("nederland", lang) if r["kind"] == "land" else str(r["name"]))
            if counts is None:
                rec[name] = fmt_num(r.get(ind.id), 1, lang)
            else:
                rec[name] = fmt_num(counts.get(ind.id, {}).get(rid), 0, lang)
            if r["kind"] == "focus":
                rec[t("rank", lang)] = fmt_num(r.get(f"{ind.id}__rank"), 0, lang)
                y = r.get(f"{ind.id}__year")
                rec[t("year", lang)] = "–" if y is None or pd.isna(y) else str(int(y))
                src = r.get(f"{ind.id}__source")
                rec[t("source", lang)] = "–" if src is None or pd.isna(src) or not src else str(src)
        out.append(rec)
    return pd.DataFrame(out)


# --- ranking and exports --------------------------------------------------------------------------

def ranked(table: pd.DataFrame, gemeenten, min_population: float, min_stacking: int, lang: str) -> pd.DataFrame:
    """Filtered, sorted (composite, then stacking count), with readable column names."""
    from pages._common.i18n import label as lab, t
    reg = registry()
    df = table.copy()
    if "gemeente_code" in df and gemeenten:
        df = df[df["gemeente_code"].isin(list(gemeenten))]
    if "population" in df:
        df = df[pd.to_numeric(df["population"], errors="coerce").fillna(0) >= min_population]
    if "stacking_count" in df:
        df = df[pd.to_numeric(df["stacking_count"], errors="coerce").fillna(0) >= min_stacking]
    sort = [c for c in ("composite", "stacking_count") if c in df]
    if sort:
        df = df.sort_values(sort, ascending=False, na_position="last")
    # Only areas with a composite get a rank number; suppressed or incomplete areas are listed unranked.
    has_score = pd.to_numeric(df["composite"], errors="coerce").notna().to_numpy() if "composite" in df \
        else np.zeros(len(df), dtype=bool)
    number = pd.array(np.where(has_score, np.cumsum(has_score), 0), dtype="Int64")
    number[~has_score] = pd.NA
    out = pd.DataFrame({"#": number, t("area", lang): df.get("name", df.get("code")),
                        "code": df.get("code")})
    if "gemeente_code" in df:
        out[t("filter_gemeente", lang)] = df["gemeente_code"].values
    for c, key in (("composite", "composite"), ("stacking_count", "stacking_count")):
        if c in df:
            out[t(key, lang)] = pd.to_numeric(df[c], errors="coerce").round(1).values
    if "stacking_domains" in df:
        out[t("stacking_domains", lang)] = [
            ", ".join(lab(reg.DOMAINS[d], lang) for d in str(s).split(";") if d in reg.DOMAINS) if isinstance(s, str) else ""
            for s in df["stacking_domains"]]
    for d in reg.DOMAINS:
        if f"domain__{d}" in df:
            out[lab(reg.DOMAINS[d], lang)] = pd.to_numeric(df[f"domain__{d}"], errors="coerce").round(0).values
    if "population" in df:
        out[t("min_population", lang).split()[-1].capitalize()] = pd.to_numeric(df["population"], errors="coerce").values
    return out.reset_index(drop=True)


def exports(ranked_df: pd.DataFrame, view, reference: str, weights, scored_: Scored) -> tuple[bytes, bytes]:
    from data.export import ExportHeader, table_to_csv, table_to_xlsx
    src = scored_.source or {}
    sources = [f"CBS Kerncijfers wijken en buurten {view.year} ({src.get('table_id', '')})".replace(" ()", ""),
               "CBS/Kadaster, PDOK wijken en buurten"]
    sources += [uf.citation or uf.source for uf in user_files(user_file_signature())]
    header = ExportHeader(title="Stapelkaart: prioritering", year=view.year, reference=reference, weights=weights,
                          sources=sources, lang=view.lang)
    csv = table_to_csv(ranked_df, header)
    return (csv.encode("utf-8") if isinstance(csv, str) else csv), table_to_xlsx(ranked_df, header)


# --- profile --------------------------------------------------------------------------------------

def num(value: object) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return v


def indicator_profile(row: pd.Series, lang: str, reference: str) -> pd.DataFrame:
    from pages._common.i18n import label as lab, t
    reg = registry()
    out = []
    for ind in reg.INDICATORS.values():
        y = row.get(f"{ind.id}__year")
        src = row.get(f"{ind.id}__source")
        out.append({t("domain", lang): lab(reg.DOMAINS[ind.domain], lang) if ind.domain else "–",
                    t("indicator", lang): lab(ind, lang), t("value", lang): fmt_num(row.get(ind.id), 1, lang),
                    t("unit", lang): ind.unit.get(lang, ind.unit["nl"]),
                    t("rank", lang): fmt_num(row.get(f"{ind.id}__rank"), 0, lang),
                    t("reference_col", lang): reference,
                    t("year", lang): "–" if y is None or pd.isna(y) else str(int(y)),
                    t("source", lang): "–" if src is None or pd.isna(src) or not src else str(src)})
    return pd.DataFrame(out)


def rank_interval(scored_: Scored, code: str) -> tuple[int | None, int | None, int | None]:
    """Position of ``code`` by composite now and its 5-95 % interval under random weights around the chosen ones
    (indicators.sensitivity: Dirichlet draws, fixed seed)."""
    res = scored_.result
    if res is None or code not in scored_.table.index:
        return None, None, None
    iv = _intervals(scored_)
    if code not in iv.index or pd.isna(iv.loc[code, "rank"]):
        return None, None, None
    r = iv.loc[code]
    return int(round(r["rank_low"])), int(round(r["rank_high"])), int(r["rank"])


def _intervals(scored_: Scored) -> pd.DataFrame:
    from indicators.sensitivity import rank_intervals
    res = scored_.result
    return rank_intervals(res.domain_x.loc[res.table.index], res.weights,
                          min_domains=res.settings.get("min_domains", 3))


def years_with_data(gemeenten, level: str) -> list[int]:
    """Years whose KWB is in the cache or loads (the mirror has only 2024)."""
    from data import cache
    years = sorted({e.key.year for e in cache.iter_ok("kwb") if e.key is not None and e.key.level == level
                    and e.key.gemeenten != "NL" and set(e.key.gemeenten) & set(gemeenten)})
    return years


def trend(view, code: str, years: list[int]) -> pd.DataFrame:
    """Composite per year with comparability from indicators.trend (breaks in boundaries end a series)."""
    from indicators.trend import trend as comparable_trend
    frames, values = {}, {}
    for y in years:
        try:
            s = scored(view.gemeenten, y, view.level, view.reference)
        except StapelkaartError:  # a year that does not load is left out of the trend (and said so)
            continue
        frames[y] = s.kwb
        values[y] = float(s.table["composite"].get(code, np.nan)) if code in s.table.index else np.nan
    return comparable_trend(frames, code, values, lang=view.lang) if frames else pd.DataFrame()


# --- method / cache -------------------------------------------------------------------------------

def indicator_method(ind, lang: str, year: int) -> str:
    from pages._common.i18n import t
    try:
        from data.cbs import table_id
        tid = table_id(year)
    except StapelkaartError:
        tid = "?"
    num_ = " + ".join(ind.numerator) or "–"
    den = " + ".join(ind.denominator) or "–"
    kinds = {"ratio": f"{ind.scale:g} × ({num_}) / ({den})", "share": f"{num_} (% van {den})",
             "mean": f"{num_} ({den})", "external": f"{t('source', lang)}: {ind.source}"}
    direction = "+1 (hoger = meer achterstand)" if ind.direction > 0 else "−1 (lager = meer achterstand)"
    if lang == "en":
        direction = "+1 (higher = more disadvantaged)" if ind.direction > 0 else "−1 (lower = more disadvantaged)"
    lines = [ind.description.get(lang, ind.description["nl"]),
             f"- **{t('formula', lang)}**: `{kinds.get(ind.kind, ind.kind)}`",
             f"- **{t('numerator', lang)}**: `{num_}` · **{t('denominator', lang)}**: `{den}`",
             f"- **{t('direction', lang)}**: {direction}",
             f"- **{t('suppression', lang)}**: {t('denominator', lang).lower()} < {ind.min_denominator:g}; "
             + ("< 200 inwoners" if lang == "nl" else "< 200 inhabitants"),
             f"- **{t('table_id', lang)}**: {ind.source} {year} ({tid})"]
    if ind.denominator_note:
        lines.append(f"- {ind.denominator_note.get(lang, ind.denominator_note.get('nl', ''))}")
    return "\n".join(lines)


def score_settings(view) -> dict:
    """The engine settings actually used (worst band, minimum domains, minimum population) for the method page."""
    try:
        res = scored(view.gemeenten, view.year, view.level, view.reference).result
        return dict(res.settings) if res is not None else {}
    except StapelkaartError:  # the method text then shows the engine defaults
        return {}


def cache_path() -> str:
    from data.cache import cache_dir
    return str(cache_dir())


def freshness(lang: str) -> pd.DataFrame:
    from data import cache
    rows = []
    for e in cache.list_entries():
        k = e.key
        rows.append({"kind": k.kind if k else e.slug, "year": k.year if k else None, "level": k.level if k else None,
                     "gemeenten": (k.gemeenten if isinstance(k.gemeenten, str) else ",".join(k.gemeenten)) if k else "",
                     "fetched_at": str(e.manifest.get("fetched_at", ""))[:19],
                     "age_days": None if e.age_days is None else round(e.age_days, 1),
                     "status": e.status, "source": e.manifest.get("source_url", "")})
    return pd.DataFrame(rows)


def snapshot_bytes() -> bytes:
    import tempfile
    from data.cache import export_snapshot
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "snapshot.zip"
        export_snapshot(path)
        return path.read_bytes()


def import_snapshot(data: bytes):
    import tempfile
    from data.cache import import_snapshot as imp
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "snapshot.zip"
        path.write_bytes(data)
        report = imp(path)
    st.cache_data.clear()
    return report


def focus_sentence_for(view, focus_id: str) -> str:
    """The Vergelijken sentence of one focus area (used in presentation mode)."""
    from pages._common.i18n import label as lab, t
    from pages._common.narrative import focus_sentence
    reg = registry()
    try:
        table = focus_table(view, view.weight_map(domain_ids()))
    except StapelkaartError:  # no data: presentation mode then shows the map without a sentence
        return ""
    if table.empty or focus_id not in table.index:
        return ""
    row = table.loc[focus_id]
    f = focus_by_id(focus_id)
    name = lab(f, view.lang).split(" (")[0]
    flagged = stacked(row)
    return focus_sentence(name, domain_ranks(row), year=view.year, flagged=flagged,
                          older_years=older_years(row, view.year),
                          labels={d: lab(reg.DOMAINS[d], view.lang).lower() for d in reg.DOMAINS},
                          reference=t("ref_short_" + view.reference, view.lang), lang=view.lang)


def focus_pdf(view) -> bytes:
    """One A4 page per focus area (data.export.focus_report_pdf): map thumbnail, profile, key figures, sentence."""
    from data.export import FocusReport, focus_report_pdf
    from pages._common.i18n import label as lab
    reg = registry()
    table = focus_table(view, view.weight_map(domain_ids()))
    gdf = boundaries(view.gemeenten, view.year, "wijk")
    s = scored(view.gemeenten, view.year, "wijk", view.reference)
    ref = s.result.reference.text(view.lang)
    names = gemeente_options(view.year)
    reports = []
    for f in focus_areas():
        if f.id not in table.index:
            continue
        row = table.loc[f.id]
        domains = {lab(reg.DOMAINS[d], view.lang): {"score": row.get(f"domain__{d}"), "n": int(num(row.get(f"domain__{d}__n")) or 0)
                                                     if not math.isnan(num(row.get(f"domain__{d}__n"))) else 0,
                                                     "m": int(num(row.get(f"domain__{d}__m")) or 0)
                                                     if not math.isnan(num(row.get(f"domain__{d}__m"))) else 0}
                   for d in reg.DOMAINS}
        figures = [{"label": lab(i, view.lang), "value": row.get(i.id), "unit": i.unit.get(view.lang, i.unit["nl"]),
                    "year": row.get(f"{i.id}__year"), "source": row.get(f"{i.id}__source")}
                   for i in reg.scored_indicators() if not math.isnan(num(row.get(i.id)))]
        areas = gdf[gdf["gemeente_code"] == f.gemeente_code]
        reports.append(FocusReport(
            name=lab(f, view.lang).split(" (")[0], gemeente=names.get(f.gemeente_code, f.gemeente_code), areas=areas,
            focus=areas[areas["code"].isin(f.codes)], domains=domains, key_figures=figures,
            sentence=focus_sentence_for(view, f.id), reference=ref, year=view.year, lang=view.lang))
    return focus_report_pdf(reports)
