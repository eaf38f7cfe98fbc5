"""``score_areas``: from tidy KWB frames to ranks, domain scores, stacking and the composite.

Pipeline (each step a small function elsewhere, see ``rates``, ``ranks``, ``scores``):

1. every registry indicator per region, with year and source per value (``rates.resolve_indicator``);
2. suppression: areas with fewer than ``min_population`` inhabitants (default 200), and values whose
   denominator is below the indicator's ``min_denominator``, get no rank and no stacking; the reason is in
   ``suppressed_reason``. Area-level: the CBS values stay visible. Indicator-level: the value itself is not
   published (NaN);
3. percentile ranks (``ranks.percentile_rank``) against the reference: the non-suppressed areas of the
   ``Reference`` that have a value. An indicator with fewer than ``min_reference_values`` (10) such values
   gets no ranks (coverage says why);
4. domain scores, stacking and composite (``scores``).

``ScoreResult.reweight`` recomputes only the composite for new weights: a few matrix products, fast
enough to rerun on every slider move for all ~17 000 wijken and buurten of Nederland.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from data.errors import UserInputError
from indicators.ranks import exponential_transform, rank_against, sorted_reference
from indicators.rates import UserValues, _indexed, get_variable, resolve_indicator
from indicators.registry import DOMAINS, INDICATORS, Indicator, scored_indicators
from indicators.scores import (DOMAIN_IDS, composite_matrix, domain_scores, stacking, validate_weights,
                               weight_vector)

MIN_REFERENCE_AREAS = 10
#: Below this share of the reference with a value, ranks are still given but the coverage note says
#: against how many areas they really are ("114 van 3 393 wijken"), and pages show a warning.
LOW_COVERAGE_SHARE = 0.5
LEVEL_NAMES = {"gemeente": ("gemeenten", "municipalities"), "wijk": ("wijken", "districts"),
               "buurt": ("buurten", "neighbourhoods")}
_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "NL": "land"}
NO_DATA = {"nl": "geen gegevens op dit niveau", "en": "no data at this level"}


@dataclass(frozen=True)
class Reference:
    """What ranks are relative to: all wijken/buurten of Nederland, or of the selected gemeenten, in one year.

    ``codes`` are the member areas; ``n_areas`` their number (at least 10).
    """

    kind: Literal["nl", "selection"]
    level: str
    year: int
    label: dict[str, str]
    n_areas: int
    gemeenten: tuple[str, ...] = ()
    codes: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def text(self, lang: str = "nl") -> str:
        return self.label.get(lang, self.label["nl"])


def _levels(frame: pd.DataFrame) -> pd.Series:
    if "level" in frame.columns:
        return frame["level"].astype(str)
    return frame.index.to_series().str[:2].map(_PREFIX)


def _gemeente_codes(frame: pd.DataFrame) -> pd.Series:
    if "gemeente_code" in frame.columns:
        return frame["gemeente_code"].astype(str)
    return "GM" + frame.index.to_series().str[2:6]


def make_reference(frame: pd.DataFrame, kind: str, level: str, year: int,
                   gemeenten: Sequence[str] = (), *, names: Mapping[str, str] | None = None,
                   min_areas: int = MIN_REFERENCE_AREAS) -> Reference:
    """Build a ``Reference`` from the tidy frame of ``year``.

    ``kind="nl"``: every area of ``level`` in ``frame`` (pass the national frame, ``load_kwb_national``).
    ``kind="selection"``: the areas of ``level`` in ``gemeenten``. Fewer than ``min_areas`` -> UserInputError.
    """
    if kind not in ("nl", "selection"):
        raise UserInputError(f"Referentie '{kind}' bestaat niet; kies 'nl' of 'selection'.",
                             f"Reference '{kind}' does not exist; must be one of: nl, selection.")
    if level not in LEVEL_NAMES:
        raise UserInputError(f"Niveau '{level}' bestaat niet; kies uit: {', '.join(LEVEL_NAMES)}.",
                             f"Level '{level}' does not exist; must be one of: {', '.join(LEVEL_NAMES)}.")
    frame = _indexed(frame)
    at_level = _levels(frame) == level
    gm = tuple(gemeenten)
    if kind == "selection":
        if not gm:
            raise UserInputError("Een referentie 'selectie' heeft gemeenten nodig.",
                                 "A 'selection' reference needs gemeenten.")
        at_level &= _gemeente_codes(frame).isin(gm)
    codes = tuple(frame.index[at_level.to_numpy()])
    lv_nl, lv_en = LEVEL_NAMES[level]
    if kind == "nl":
        label = {"nl": f"alle {lv_nl} van Nederland, {year}", "en": f"all {lv_en} of the Netherlands, {year}"}
    else:
        shown = ", ".join((names or {}).get(g, g) for g in gm)
        label = {"nl": f"{lv_nl} van {shown}, {year}", "en": f"{lv_en} of {shown}, {year}"}
    if len(codes) < min_areas:
        raise UserInputError(
            f"De referentie ({label['nl']}) telt {len(codes)} {lv_nl}; minimaal {min_areas} nodig om te rangschikken. "
            "Kies meer gemeenten of referentie 'nl'.",
            f"The reference ({label['en']}) has {len(codes)} {lv_en}; at least {min_areas} are needed for ranks. "
            "Select more gemeenten or reference 'nl'.")
    return Reference(kind, level, int(year), label, len(codes), gm, codes)


@dataclass
class ScoreResult:
    """Scores of one selection against one reference.

    ``table``: one row per area of the selection (columns in docs/ARCHITECTURE.md, "Indicator engine").
    ``coverage``: one row per indicator (areas of the reference with a value, years and sources used).
    ``weights``: the domain weights used (all domains, shown). ``reference``: the Reference.
    ``universe``: the same per-area columns for every area that was scored (selection, reference and any
    gemeente rows in the frames); ``focus`` uses it. ``domain_x``: the (possibly transformed) domain
    matrix of ``universe`` that ``reweight`` combines.
    """

    table: pd.DataFrame
    coverage: pd.DataFrame
    weights: dict[str, float]
    reference: Reference
    universe: pd.DataFrame
    domain_x: pd.DataFrame
    settings: dict
    ref_sorted: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    ref_domains: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    table_rows: np.ndarray = field(repr=False, default_factory=lambda: np.array([], dtype="int64"))
    parts: dict[str, pd.DataFrame] = field(repr=False, default_factory=dict)

    def reweight(self, weights: Mapping[str, float] | None) -> ScoreResult:
        """The same result with new domain weights: only ``composite``, ``composite__n/__m`` change."""
        w = validate_weights(weights)
        comp = composite_columns(self.domain_x, w, self.settings["min_domains"], self.universe["suppressed"])
        universe = self.universe.copy(deep=False)  # copy-on-write: only the composite columns are new
        universe[list(comp.columns)] = comp
        table = self.table.copy(deep=False)
        rows = comp.iloc[self.table_rows]
        for col in comp.columns:
            table[col] = rows[col].to_numpy()
        return replace(self, table=table, universe=universe, weights=w)


def composite_columns(domain_x: pd.DataFrame, weights: Mapping[str, float], min_domains: int,
                      suppressed: pd.Series) -> pd.DataFrame:
    """``composite``, ``composite__n``, ``composite__m`` and a note when it is withheld."""
    comp, n, m = composite_matrix(domain_x[list(DOMAIN_IDS)].to_numpy(), weight_vector(weights), min_domains)
    supp = suppressed.to_numpy(dtype=bool)
    comp = np.where(supp, np.nan, comp)
    codes = np.where(supp, 2, np.where(np.isnan(comp), 1, 0))
    note = pd.Categorical.from_codes(codes, ["", f"achtergehouden: minder dan {min_domains} domeinen", "onderdrukt"])
    return pd.DataFrame({"composite": comp, "composite__n": n, "composite__m": m, "composite__note": note},
                        index=domain_x.index)


def population(frames: Mapping[int, pd.DataFrame], year: int, index: pd.Index) -> pd.Series:
    """aantal_inwoners of ``year``, or of the most recent earlier year in ``frames`` where missing."""
    pop = pd.Series(np.nan, index=index)
    for y in sorted((y for y in frames if y <= year), reverse=True):
        pop = pop.fillna(get_variable(_indexed(frames[y]), "aantal_inwoners", index)[0])
    return pop


def score_areas(frames: Mapping[int, pd.DataFrame], year: int, *, level: str, reference: Reference,
                gemeenten: Sequence[str] | None = None, weights: Mapping[str, float] | None = None,
                user_values: Sequence[UserValues] = (), attributes: Mapping[int, pd.DataFrame] | None = None,
                min_population: float = 200, worst_band: float = 20.0, min_domains: int = 3,
                transform: str = "rank", min_indicator_share: float = 0.5,
                min_reference_values: int = MIN_REFERENCE_AREAS) -> ScoreResult:
    """Score the areas of ``level`` in ``gemeenten`` (default: the reference's) against ``reference``.

    ``frames``: tidy KWB frames by year (``data.cbs.load_kwb``); ``frames[year]`` must hold the selection and,
    for an "nl" reference, the national frame of the level (concatenate them). Earlier years are only used
    where the requested year has no value. ``attributes``: PDOK Wijk- en Buurtkaart attributes by year
    (``code`` + attribute columns, e.g. from ``data.pdok.load_boundaries``), used for the marked fallback of
    missing KWB counts. ``user_values``: imported indicator files (``rates.user_values_from_file``).
    """
    if year not in frames:
        raise UserInputError(f"Geen KWB-gegevens voor {year} meegegeven.", f"No KWB data given for {year}.")
    if transform not in ("rank", "exp"):
        raise UserInputError(f"Transformatie '{transform}' bestaat niet; kies 'rank' of 'exp'.",
                             f"Transform '{transform}' does not exist; must be one of: rank, exp.")
    if reference.n_areas < MIN_REFERENCE_AREAS:
        raise UserInputError(f"De referentie telt {reference.n_areas} gebieden; minimaal {MIN_REFERENCE_AREAS} nodig.",
                             f"The reference has {reference.n_areas} areas; at least {MIN_REFERENCE_AREAS} are needed.")
    w = validate_weights(weights)
    frames = {y: _indexed(f) for y, f in frames.items()}
    attributes = {y: _indexed(a) for y, a in (attributes or {}).items()}
    base = frames[year]
    index = base.index
    pop = population(frames, year, index)
    area_suppressed = pop.isna() | (pop < min_population)
    area_reason = pd.Series("", index=index, dtype=object)
    area_reason[pop < min_population] = f"minder dan {min_population:g} inwoners"
    area_reason[pop.isna()] = "inwonertal onbekend"

    in_ref = index.isin(reference.codes) & ~area_suppressed.to_numpy()
    parts: dict[str, pd.DataFrame] = {}
    ref_sorted: dict[str, np.ndarray] = {}
    coverage = []
    reasons = area_reason.copy()
    for ind in INDICATORS.values():
        p = resolve_indicator(frames, year, ind, index, attributes=attributes, user_values=user_values)
        p, reasons = suppress_small(ind, p, reasons)
        parts[ind.id] = p
        ref_vals = p["value"][in_ref]
        n_ref = int(ref_vals.notna().sum())
        ref_sorted[ind.id] = sorted_reference(ref_vals, ind.direction) if n_ref >= min_reference_values else np.array([])
        coverage.append(_coverage_row(ind, p, reference, n_ref, min_reference_values))

    settings = dict(year=year, level=level, min_population=min_population, worst_band=worst_band,
                    min_domains=min_domains, transform=transform, min_indicator_share=min_indicator_share,
                    min_reference_values=min_reference_values)
    cols, domain_x, ref_domains = score_parts(parts, area_suppressed, ref_sorted, w, settings, in_ref=in_ref)
    universe = pd.DataFrame({
        "code": index, "name": base["name"] if "name" in base.columns else pd.NA,
        "level": _levels(base), "gemeente_code": _gemeente_codes(base), "year": int(year),
        "reference": reference.text("nl"), "population": pop,
    }, index=index)
    universe = pd.concat([universe, cols], axis=1)
    universe["suppressed_reason"] = reasons.replace("", pd.NA).astype("string")

    gm = tuple(gemeenten) if gemeenten else reference.gemeenten
    select = (universe["level"] == level).to_numpy().copy()
    if gm:
        select &= universe["gemeente_code"].isin(gm).to_numpy()
    table_rows = np.flatnonzero(select)
    table = universe.loc[select, table_columns()].reset_index(drop=True)
    table.index = pd.Index(table["code"], name=None)
    return ScoreResult(table=table, coverage=pd.DataFrame(coverage), weights=w, reference=reference,
                       universe=universe, domain_x=domain_x, settings=settings, ref_sorted=ref_sorted,
                       ref_domains=ref_domains, parts=parts, table_rows=table_rows)


def suppress_small(ind: Indicator, p: pd.DataFrame, reasons: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Withhold values whose denominator is below ``ind.min_denominator`` (publication rule) and say why."""
    small = (p["den"] < ind.min_denominator) & p["value"].notna()
    if ind.min_denominator <= 0 or not small.any():
        return p, reasons
    why = f"{ind.id}: noemer < {ind.min_denominator:g}"
    reasons = reasons.where(~small, reasons + np.where(reasons == "", "", "; ") + why)
    p = p.copy()
    p.loc[small, ["value", "num"]] = np.nan
    p.loc[small, "source"] = p.loc[small, "source"] + f" (onderdrukt: noemer < {ind.min_denominator:g})"
    return p, reasons


def score_parts(parts: Mapping[str, pd.DataFrame], suppressed: pd.Series, ref_sorted: Mapping[str, np.ndarray],
                weights: Mapping[str, float], settings: Mapping, *, in_ref: np.ndarray | None = None,
                ref_domains: Mapping[str, np.ndarray] | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, np.ndarray]]:
    """Indicator values/ranks, domain scores, stacking and composite for rows with resolved ``parts``.

    Ranks are against ``ref_sorted``. The reference's domain scores (for ``transform="exp"``) are taken from
    the rows flagged ``in_ref`` or given as ``ref_domains`` (focus areas reuse those of their ScoreResult).
    """
    index = suppressed.index
    cols: dict[str, object] = {}
    ranks = {}
    for ind in INDICATORS.values():
        p = parts[ind.id]
        r = pd.Series(rank_against(p["value"].where(~suppressed), ref_sorted[ind.id], ind.direction), index=index)
        ranks[ind.id] = r
        cols[ind.id] = p["value"]
        cols[f"{ind.id}__rank"] = r
        cols[f"{ind.id}__year"] = p["year"]
        cols[f"{ind.id}__source"] = p["source"]
    members = {d: [i.id for i in scored_indicators(d)] for d in DOMAIN_IDS}
    dscore, dn, dm = domain_scores(pd.DataFrame(ranks, index=index), members, settings["min_indicator_share"])
    dscore = dscore.mask(suppressed, axis=0)
    if ref_domains is None:
        ref_domains = {d: sorted_reference(dscore[d][in_ref], 1) for d in DOMAIN_IDS}
    domain_x = transform_domains(dscore, ref_domains, settings["transform"])
    for d in DOMAIN_IDS:
        cols[f"domain__{d}"] = dscore[d]
        cols[f"domain__{d}__n"] = dn[d]
        cols[f"domain__{d}__m"] = dm[d]
    out = pd.DataFrame(cols, index=index)
    out["stacking_count"], out["stacking_domains"] = stacking(dscore, settings["worst_band"], suppressed)
    out["suppressed"] = suppressed.to_numpy(dtype=bool)
    comp = composite_columns(domain_x, weights, settings["min_domains"], out["suppressed"])
    out[comp.columns] = comp
    return out, domain_x, dict(ref_domains)


def table_columns() -> list[str]:
    """Columns of ``ScoreResult.table`` in order (the contract of docs/ARCHITECTURE.md)."""
    cols = ["code", "name", "level", "gemeente_code", "year", "reference", "population"]
    for ind in INDICATORS.values():
        cols += [ind.id, f"{ind.id}__rank", f"{ind.id}__year", f"{ind.id}__source"]
    for d in DOMAIN_IDS:
        cols += [f"domain__{d}", f"domain__{d}__n", f"domain__{d}__m"]
    return cols + ["stacking_count", "stacking_domains", "composite", "composite__n", "composite__m",
                   "composite__note", "suppressed", "suppressed_reason"]


def transform_domains(dscore: pd.DataFrame, ref_domains: Mapping[str, np.ndarray], transform: str) -> pd.DataFrame:
    """Domain scores as combined into the composite: as they are (``"rank"``), or (``"exp"``) the IMD
    exponential transform of their percentile rank among the reference areas' domain scores
    (``ref_domains``: sorted reference domain scores per domain)."""
    if transform == "rank":
        return dscore
    out = {}
    for d in DOMAIN_IDS:
        ref = ref_domains[d]
        out[d] = exponential_transform(rank_against(dscore[d], ref, 1)) if ref.size else np.full(len(dscore), np.nan)
    return pd.DataFrame(out, index=dscore.index)


def _coverage_row(ind: Indicator, p: pd.DataFrame, reference: Reference, n_ref: int,
                  min_reference_values: int) -> dict:
    years = sorted({int(y) for y in p["year"].dropna()})
    sources = sorted({str(s) for s in p["source"].dropna()})
    if n_ref == 0:
        note = NO_DATA["nl"]
    elif n_ref < min_reference_values:
        note = f"te weinig waarden in de referentie ({n_ref} < {min_reference_values}): geen rangen"
    elif reference.n_areas and n_ref < LOW_COVERAGE_SHARE * reference.n_areas:
        note = (f"lage dekking: rang t.o.v. de {n_ref} van {reference.n_areas} gebieden van de referentie "
                f"met een waarde ({100 * n_ref / reference.n_areas:.0f} %)")
    else:
        note = ""
    return {"indicator": ind.id, "label": ind.text("nl"), "domain": ind.domain or "context", "scored": ind.scored,
            "n_reference": reference.n_areas, "n_reference_with_value": n_ref,
            "share_reference_with_value": n_ref / reference.n_areas if reference.n_areas else np.nan,
            "n_with_value": int(p["value"].notna().sum()), "years": ";".join(map(str, years)),
            "sources": " | ".join(sources), "note": note,
            "low_coverage": bool(reference.n_areas) and 0 < n_ref < LOW_COVERAGE_SHARE * reference.n_areas}
