"""``score_areas``: from tidy KWB frames to ranks, domain scores, stacking and the composite.

Pipeline (each step a small function elsewhere, see ``rates``, ``ranks``, ``scores``):

1. every registry indicator per region, with year and source per value (``rates.resolve_indicator``);
2. suppression: areas with fewer than ``min_population`` inhabitants (default 200), and values whose
   denominator is below the indicator's ``min_denominator``, get no rank and no stacking; the reason is in
   ``suppressed_reason`` (codes, ``SUPPRESSED_CODES``; the page layer words them). Area-level: the CBS values stay visible. Indicator-level: the value itself is not
   published (NaN);
3. percentile ranks (``ranks.percentile_rank``) against one fixed, named base per indicator
   (``indicators.reference``): for an "nl" reference the non-suppressed reference areas with a value *in the
   national frame* (never PDOK values fetched for the selection); where that has fewer than
   ``min_reference_values`` (10) values, the areas of the own gemeente. Count-based rates are ranked after
   empirical-Bayes shrinkage (``indicators.smoothing``); raw value, interval and smoothed value are columns;
   ``IndicatorScores.base_n`` and ``.base_label`` name the base. Context indicators get no rank, only
   ``IndicatorScores.ref_value``;
4. domain scores (mean indicator rank), domain ranks within the domain's base and the band (``DomainScores.band``:
   in the worst ``worst_band`` %), stacking "k van n bekend (m domeinen)" and the composite (``scores``).

``ScoreResult.reweight`` recomputes only the composite for new weights: a few matrix products, fast
enough to rerun on every slider move for all ~17 000 wijken and buurten of Nederland.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from core.codes import LEVEL_WORDS, levels_of
from core.errors import UserInputError
from core.numbers import format_number
from core.thresholds import MIN_REFERENCE_AREAS, WORST_BAND
from indicators.columns import (
    absent_domains,
    composite_columns,
    counted_weights,
    domain_columns,
    domain_members,
    has_data,
    indicator_columns,
    population_reason,
    ranked_value,
    stacking_columns,
    suppress_small,
)
from indicators.ranks import rank_against, sorted_reference
from indicators.rates import UserValues, _indexed, get_variable, resolve_indicator, resolve_source_indicator
from indicators.reference import (
    LOW_COVERAGE_SHARE,
    REF,
    Base,
    IndicatorBases,
    RefSorted,
    base_gemeenten,
    domain_bases,
    gemeente_label,
    gemeente_names,
    ref_label,
)
from indicators.registry import INDICATORS, Indicator, scored_indicators
from indicators.result import (
    Composite,
    DomainScores,
    IndicatorScores,
    Scores,
    Stacking,
    score_columns,
    scores,
)
from indicators.scores import (
    DOMAIN_IDS,
    domain_scores,
    validate_weights,
)
from indicators.smoothing import eb_prior

LEVEL_NAMES = LEVEL_WORDS
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
    return pd.Series(levels_of(frame.index), index=frame.index, dtype=object)


def _gemeente_codes(frame: pd.DataFrame) -> pd.Series:
    if "gemeente_code" in frame.columns:
        return frame["gemeente_code"].astype(str)
    return "GM" + frame.index.to_series().str[2:6]


def make_reference(
    frame: pd.DataFrame,
    kind: str,
    level: str,
    year: int,
    gemeenten: Sequence[str] = (),
    *,
    names: Mapping[str, str] | None = None,
    min_areas: int = MIN_REFERENCE_AREAS,
) -> Reference:
    """Build a ``Reference`` from the tidy frame of ``year``.

    ``kind="nl"``: every area of ``level`` in ``frame`` (pass the national frame, ``load_kwb_national``).
    ``kind="selection"``: the areas of ``level`` in ``gemeenten``. Fewer than ``min_areas`` -> UserInputError.
    """
    if kind not in ("nl", "selection"):
        raise UserInputError(
            f"Referentie '{kind}' bestaat niet; kies 'nl' of 'selection'.",
            f"Reference '{kind}' does not exist; must be one of: nl, selection.",
        )
    if level not in LEVEL_NAMES:
        raise UserInputError(
            f"Niveau '{level}' bestaat niet; kies uit: {', '.join(LEVEL_NAMES)}.",
            f"Level '{level}' does not exist; must be one of: {', '.join(LEVEL_NAMES)}.",
        )
    frame = _indexed(frame)
    at_level = _levels(frame) == level
    gm = tuple(gemeenten)
    if kind == "selection":
        if not gm:
            raise UserInputError(
                "Een referentie 'selectie' heeft gemeenten nodig.", "A 'selection' reference needs gemeenten."
            )
        at_level &= _gemeente_codes(frame).isin(gm)
    codes = tuple(frame.index[at_level.to_numpy()])
    lv_nl, lv_en = LEVEL_NAMES[level]
    if kind == "nl":
        # named by its base (how many areas), never "all": the reference is the areas of the national frame
        label = {
            "nl": f"{format_number(len(codes), 0, 'nl')} {lv_nl} van Nederland, {year}",
            "en": f"{format_number(len(codes), 0, 'en')} {lv_en} of the Netherlands, {year}",
        }
    else:
        shown = ", ".join((names or {}).get(g, g) for g in gm)
        label = {"nl": f"{lv_nl} van {shown}, {year}", "en": f"{lv_en} of {shown}, {year}"}
    if len(codes) < min_areas:
        raise UserInputError(
            f"De referentie ({label['nl']}) telt {len(codes)} {lv_nl}; minimaal {min_areas} nodig om te rangschikken. "
            "Kies meer gemeenten of referentie 'nl'.",
            f"The reference ({label['en']}) has {len(codes)} {lv_en}; at least {min_areas} are needed for ranks. "
            "Select more gemeenten or reference 'nl'.",
        )
    ref_kind: Literal["nl", "selection"] = "nl" if kind == "nl" else "selection"  # validated above
    return Reference(ref_kind, level, int(year), label, len(codes), gm, codes)


@dataclass
class ScoreResult:
    """Scores of one selection against one reference.

    ``table``: one row per area of the selection (columns in docs/ARCHITECTURE.md, "Indicator engine"); read its
    scores through the typed fields ``indicator(id)``, ``domain(d)``/``domains``, ``stacking`` and ``composite``
    (``indicators.result``), never by column name.
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
    #: The second tables' frames by ``source_id`` (None: the service has no such table), as scored.
    sources: dict[str, pd.DataFrame | None] = field(repr=False, default_factory=dict)

    @property
    def scores(self) -> Scores:
        """Typed fields of ``table`` (``indicators.result``), with the settings and weights that produced them."""
        return scores(self.table, self.settings, self.weights)

    def indicator(self, ind_id: str) -> IndicatorScores:
        return self.scores.indicator(ind_id)

    def domain(self, domain_id: str) -> DomainScores:
        return self.scores.domain(domain_id)

    @property
    def domains(self) -> dict[str, DomainScores]:
        return self.scores.domains

    @property
    def stacking(self) -> Stacking:
        return self.scores.stacking

    @property
    def composite(self) -> Composite:
        return self.scores.composite

    def reweight(self, weights: Mapping[str, float] | None) -> ScoreResult:
        """The same result with new domain weights: only the composite and stacking columns change (a weight of 0
        takes a domain out of both)."""
        w = validate_weights(weights)
        counted = counted_weights(w, self.settings)
        comp = composite_columns(
            self.domain_x, counted, self.settings["min_domains"], self.universe["suppressed"], has_data(self.settings)
        )
        comp = pd.concat([comp, stacking_columns(self.universe, counted)], axis=1)
        universe = self.universe.copy(deep=False)  # copy-on-write: only the composite columns are new
        universe[list(comp.columns)] = comp
        table = self.table.copy(deep=False)
        rows = comp.iloc[self.table_rows]
        for col in comp.columns:
            table[col] = rows[col].to_numpy()
        return replace(self, table=table, universe=universe, weights=w)


def _absent(sources: Mapping[str, pd.DataFrame | None], level: str) -> tuple[tuple[str, str], ...]:
    out = {}
    for d in DOMAIN_IDS:
        inds = scored_indicators(d)
        whys = [
            "level_absent" if level not in i.levels else "source_absent"
            for i in inds
            if i.source_id and (sources.get(i.source_id) is None or level not in i.levels)
        ]
        if inds and len(whys) == len(inds):
            out[d] = whys[0]
    return tuple(out.items())


def population(frames: Mapping[int, pd.DataFrame], year: int, index: pd.Index) -> pd.Series:
    """aantal_inwoners of ``year``, or of the most recent earlier year in ``frames`` where missing."""
    pop = pd.Series(np.nan, index=index)
    for y in sorted((y for y in frames if y <= year), reverse=True):
        pop = pop.fillna(get_variable(_indexed(frames[y]), "aantal_inwoners", index)[0])
    return pop


def score_areas(
    frames: Mapping[int, pd.DataFrame],
    year: int,
    *,
    level: str,
    reference: Reference,
    gemeenten: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
    user_values: Sequence[UserValues] = (),
    attributes: Mapping[int, pd.DataFrame] | None = None,
    min_population: float = 200,
    worst_band: float = WORST_BAND,
    min_domains: int = 3,
    transform: str = "rank",
    min_indicator_share: float = 0.5,
    min_reference_values: int = MIN_REFERENCE_AREAS,
    national: Mapping[int, pd.DataFrame] | pd.DataFrame | None = None,
    smoothing: str = "eb",
    sources: Mapping[str, pd.DataFrame | None] | None = None,
) -> ScoreResult:
    """Score the areas of ``level`` in ``gemeenten`` (default: the reference's) against ``reference``.

    ``frames``: tidy KWB frames by year (``data.cbs.load_kwb``); ``frames[year]`` must hold the selection and,
    for an "nl" reference, the national frame of the level (concatenate them). Earlier years are only used
    where the requested year has no value. ``attributes``: PDOK Wijk- en Buurtkaart attributes by year
    (``code`` + attribute columns, e.g. from ``data.pdok.load_boundaries``), used for the marked fallback of
    missing KWB counts. ``user_values``: imported indicator files (``rates.user_values_from_file``).

    ``national`` (optional, "nl" reference): the national frame(s) by year (``load_kwb_national``); the values
    of the reference areas are taken from it only. Without it they come from ``frames`` -- in both cases without
    ``attributes`` (fetched per selected gemeente), so no national rank depends on the selection
    (``indicators.reference``). ``smoothing``: ``"eb"`` (default; empirical Bayes for count-based rates before
    ranking, ``indicators.smoothing``) or ``"none"``.

    ``sources``: the frames of second tables by ``Indicator.source_id`` (``data.health.load_health`` for
    ``gezondheid_wijk_buurt``); a source not given, or None, is absent: its indicators have no value (why
    ``source_absent``) and a domain made only of them is left out of m (:func:`absent_domains`), as is one whose
    table has no values at ``level`` (``level_absent``: declared in ``Indicator.levels``; such a source need not
    be loaded at all).
    """
    if year not in frames:
        raise UserInputError(f"Geen KWB-gegevens voor {year} meegegeven.", f"No KWB data given for {year}.")
    if transform not in ("rank", "exp"):
        raise UserInputError(
            f"Transformatie '{transform}' bestaat niet; kies 'rank' of 'exp'.",
            f"Transform '{transform}' does not exist; must be one of: rank, exp.",
        )
    if smoothing not in ("eb", "none"):
        raise UserInputError(
            f"Smoothing '{smoothing}' bestaat niet; kies 'eb' of 'none'.",
            f"Smoothing '{smoothing}' does not exist; must be one of: eb, none.",
        )
    if reference.n_areas < MIN_REFERENCE_AREAS:
        raise UserInputError(
            f"De referentie telt {reference.n_areas} gebieden; minimaal {MIN_REFERENCE_AREAS} nodig.",
            f"The reference has {reference.n_areas} areas; at least {MIN_REFERENCE_AREAS} are needed.",
        )
    if not 0 < worst_band <= 100:
        raise UserInputError(
            f"De zwakste band moet tussen 0 en 100 liggen, niet {worst_band}.",
            f"The worst band must lie between 0 and 100, not {worst_band}.",
        )
    w = validate_weights(weights)
    frames = {y: _indexed(f) for y, f in frames.items()}
    attributes = {y: _indexed(a) for y, a in (attributes or {}).items()}
    if isinstance(national, pd.DataFrame):
        national = {year: national}
    nat_frames = {y: _indexed(f) for y, f in national.items()} if national is not None else None
    base = frames[year]
    index = base.index
    pop = population(frames, year, index)
    area_suppressed = pop.isna() | (pop < min_population)
    area_reason = pd.Series("", index=index, dtype=object)
    area_reason[pop < min_population] = population_reason(min_population)
    area_reason[pop.isna()] = "population_unknown"

    in_ref = index.isin(reference.codes) & ~area_suppressed.to_numpy()
    if reference.kind == "nl":
        ref_frames = nat_frames or frames
        ref_codes = pd.Index(reference.codes)
        ref_pop = population(ref_frames, year, ref_codes)
        ref_index = ref_codes[(ref_pop >= min_population).to_numpy()]
    else:
        ref_frames = frames
        ref_index = index[in_ref]
    gm_rows = _gemeente_codes(base).to_numpy(dtype=object)
    at_level = (_levels(base) == level).to_numpy() & ~area_suppressed.to_numpy()
    names = (
        {str(k): str(v) for k, v in zip(index, base["name"]) if isinstance(v, str)} if "name" in base.columns else {}
    )
    if reference.kind == "nl":  # a low national base names its gemeenten, also those no selection holds
        names = {**gemeente_names(ref_frames[year]), **names}
    settings = dict(
        year=year,
        level=level,
        min_population=min_population,
        worst_band=worst_band,
        min_domains=min_domains,
        transform=transform,
        min_indicator_share=min_indicator_share,
        min_reference_values=min_reference_values,
        smoothing=smoothing,
    )
    sources = dict(sources or {})
    settings["absent_domains"] = _absent(sources, level)
    parts: dict[str, pd.DataFrame] = {}
    ref_sorted = RefSorted()
    ref_sorted.bases = {}
    ref_rank_cols = {}
    coverage = []
    reasons = area_reason.copy()
    for ind in INDICATORS.values():
        p = _resolve(frames, year, ind, index, sources, attributes=attributes, user_values=user_values)
        p, reasons = suppress_small(ind, p, reasons)
        if reference.kind == "nl":
            rp = _resolve(ref_frames, year, ind, ref_index, sources, user_values=user_values)
            rp, _ = suppress_small(ind, rp, pd.Series("", index=ref_index, dtype=object))
        else:
            rp = p.loc[ref_index]
        parts[ind.id] = p
        ib, ref_rank = indicator_bases(ind, p, rp, reference, gm_rows, at_level, names, settings)
        ref_sorted.bases[ind.id] = ib
        ref_sorted[ind.id] = ib.bases[REF].sorted if ib.mode == "ref" else np.array([])
        ref_rank_cols[ind.id] = ref_rank
        coverage.append(_coverage_row(ind, p, reference, ib, min_reference_values))
        absent_why = absent_domains(settings).get(str(ind.domain), "")
        coverage[-1]["note"] = SOURCE_NOTES.get(absent_why, coverage[-1]["note"])

    cols, dscore, dn, dm = indicator_columns(parts, area_suppressed, ref_sorted, settings, row_gemeente=gm_rows)
    members = domain_members()
    ref_dscore, _, _ = domain_scores(pd.DataFrame(ref_rank_cols, index=ref_index), members, min_indicator_share)
    modes = {
        d: ("gemeente" if any(ref_sorted.bases[i].mode == "gemeente" for i in members[d]) else "ref")
        for d in DOMAIN_IDS
    }
    ref_domains = domain_bases(ref_dscore, dscore, modes, gm_rows, at_level, reference, names, min_reference_values)
    dom_cols, domain_x = domain_columns(dscore, dn, dm, area_suppressed, ref_domains, settings, gm_rows)
    settings["domains_with_data"] = tuple(
        d for d in DOMAIN_IDS if ref_dscore[d].notna().any() or dscore[d][at_level].notna().any()
    )
    out = pd.concat([cols, dom_cols], axis=1)
    counted = counted_weights(w, settings)
    stack = stacking_columns(out, counted)
    out[stack.columns] = stack
    comp = composite_columns(domain_x, counted, min_domains, out["suppressed"], has_data(settings))
    out[comp.columns] = comp
    universe = pd.DataFrame(
        {
            "code": index,
            "name": base["name"] if "name" in base.columns else pd.NA,
            "level": _levels(base),
            "gemeente_code": _gemeente_codes(base),
            "year": int(year),
            "reference": reference.text("nl"),
            "population": pop,
        },
        index=index,
    )
    universe = pd.concat([universe, out], axis=1)
    universe["suppressed_reason"] = reasons.replace("", pd.NA).astype("string")

    gm = tuple(gemeenten) if gemeenten else reference.gemeenten
    select = (universe["level"] == level).to_numpy().copy()
    if gm:
        select &= universe["gemeente_code"].isin(gm).to_numpy()
    table_rows = np.flatnonzero(select)
    table = universe.loc[select, table_columns()].reset_index(drop=True)
    table.index = pd.Index(table["code"], name=None)
    return ScoreResult(
        table=table,
        coverage=pd.DataFrame(coverage),
        weights=w,
        reference=reference,
        universe=universe,
        domain_x=domain_x,
        settings=settings,
        ref_sorted=ref_sorted,
        ref_domains=ref_domains,
        parts=parts,
        table_rows=table_rows,
        sources=sources,
    )


#: The coverage note of an indicator whose table is absent (``absent_domains``).
SOURCE_NOTES = {"level_absent": "geen waarden op dit niveau in deze tabel", "source_absent": "tabel niet beschikbaar"}


def _resolve(frames, year, ind: Indicator, index, sources, **kw) -> pd.DataFrame:
    """``rates.resolve_source_indicator`` for an indicator of a second table, else ``rates.resolve_indicator``."""
    if ind.source_id:
        return resolve_source_indicator(frames, year, ind, index, sources.get(ind.source_id))
    return resolve_indicator(frames, year, ind, index, **kw)


def indicator_bases(
    ind: Indicator,
    p: pd.DataFrame,
    rp: pd.DataFrame,
    reference: Reference,
    gm_rows: np.ndarray,
    at_level: np.ndarray,
    names: Mapping[str, str],
    settings: Mapping,
) -> tuple[IndicatorBases, np.ndarray]:
    """The base(s) of one indicator (``indicators.reference``) and the ranks of the reference areas."""
    min_values = settings["min_reference_values"]
    nan_ranks = np.full(len(rp), np.nan)
    if not ind.scored:  # context: no rank, only the reference's own value (sum of numerators / denominators)
        has = rp["num"].notna() & rp["den"].notna() & (rp["den"] > 0)
        ref_value = ind.scale * rp["num"][has].sum() / rp["den"][has].sum() if has.sum() >= min_values else np.nan
        return IndicatorBases("none", ref_value=float(ref_value)), nan_ranks
    ref_n = int(rp["value"].notna().sum())
    if ref_n >= min_values:
        prior = eb_prior(rp["num"].to_numpy("float64"), rp["den"].to_numpy("float64")) if ind.count_based else None
        vals = ranked_value(ind, rp, prior, settings["smoothing"])
        srt = sorted_reference(vals, ind.direction)
        have = rp.index[np.isfinite(np.asarray(vals, dtype="float64"))]
        label, national = ref_label(reference, int(srt.size), base_gemeenten(have, names))
        ib = IndicatorBases("ref", {REF: Base(REF, srt, label, national)}, {REF: prior})
        return ib, rank_against(vals, srt, ind.direction)
    if reference.kind != "nl":
        return IndicatorBases("none"), nan_ranks
    # No national values: each area is ranked against the areas of its own gemeente (a fixed, named set).
    ib = IndicatorBases("gemeente")
    has = p["value"].notna().to_numpy()
    for g in pd.unique(gm_rows[at_level & has]):
        rows = at_level & (gm_rows == g)
        sub = p[rows]
        have = int(sub["value"].notna().sum())
        if have < min_values:  # rule D1: a gemeente base needs min_values areas with a value
            ib.small[str(g)] = have
            continue
        prior = eb_prior(sub["num"].to_numpy("float64"), sub["den"].to_numpy("float64")) if ind.count_based else None
        srt = sorted_reference(ranked_value(ind, sub, prior, settings["smoothing"]), ind.direction)
        ib.bases[str(g)] = Base(str(g), srt, gemeente_label(reference.level, int(srt.size), names.get(g, g)))
        ib.priors[str(g)] = prior
    return (ib if ib.bases else IndicatorBases("none", small=ib.small)), nan_ranks


def table_columns() -> list[str]:
    """Columns of ``ScoreResult.table`` in order (the contract of docs/ARCHITECTURE.md)."""
    ident = ["code", "name", "level", "gemeente_code", "year", "reference", "population"]
    return [*ident, *score_columns(), "suppressed", "suppressed_reason"]


def _coverage_row(
    ind: Indicator, p: pd.DataFrame, reference: Reference, ib: IndicatorBases, min_reference_values: int
) -> dict:
    years = sorted({int(y) for y in p["year"].dropna()})
    sources = sorted({str(s) for s in p["source"].dropna()})
    n_ref = ib.bases[REF].n if ib.mode == "ref" else 0
    if not ind.scored:
        note = "context: geen rang"
    elif ib.mode == "gemeente":
        note = (
            (
                "geen landelijke gegevens: rang t.o.v. de eigen gemeente ("
                + "; ".join(b.label["nl"] for b in ib.bases.values())
                + ")"
            )
            if ib.bases
            else NO_DATA["nl"]
        )
    elif n_ref == 0 and int(p["value"].notna().sum()) == 0:
        note = NO_DATA["nl"]
    elif ib.mode == "none":
        note = f"te weinig waarden in de referentie (< {min_reference_values}): geen rangen"
    elif reference.n_areas and n_ref < LOW_COVERAGE_SHARE * reference.n_areas:
        note = (
            f"lage dekking: rang t.o.v. de {n_ref} van {reference.n_areas} gebieden van de referentie "
            f"met een waarde ({100 * n_ref / reference.n_areas:.0f} %)"
        )
    else:
        note = ""
    return {
        "indicator": ind.id,
        "label": ind.text("nl"),
        "domain": ind.domain or "context",
        "scored": ind.scored,
        "mode": ib.mode,
        "n_reference": reference.n_areas,
        "n_reference_with_value": n_ref,
        "share_reference_with_value": n_ref / reference.n_areas if reference.n_areas else np.nan,
        "n_with_value": int(p["value"].notna().sum()),
        "years": ";".join(map(str, years)),
        "sources": " | ".join(sources),
        "note": note,
        "low_coverage": bool(reference.n_areas) and 0 < n_ref < LOW_COVERAGE_SHARE * reference.n_areas,
    }
