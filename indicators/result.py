"""The typed score result: per-concept fields, and the one place that names the score table's columns.

``ScoreResult.table`` (and ``universe``, the focus-area tables, the cached map frames) store one column per
figure. What each column means is defined here and nowhere else: consumers read typed fields --

* ``IndicatorScores``: value, rank, year, source, base size and label, the reason a value or rank is missing
  (``why``), the reference's value (context indicators), interval and smoothed value (count-based rates);
* ``DomainScores``: domain score (mean indicator rank), n of m indicators, domain rank in its base, band (in
  the worst ``worst_band`` %), base size and label;
* ``Stacking``: k domains in the band of the n known, of m counted, and which;
* ``Composite``: value, n of m weighted domains, the minimum that applied (``need``) and the note.

``scores(frame_or_row)`` gives a ``Scores`` view: on a DataFrame every field is a Series indexed like the frame
(None where the frame lacks it), on one row (a Series or a dict) a scalar (None where absent). The column
names themselves come from ``indicator_column``/``domain_column`` and the ``STACKING``/``COMPOSITE`` tables;
tests/test_score_result.py checks that no other module spells them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import pandas as pd

from indicators.registry import DOMAINS, INDICATORS, Indicator

V = TypeVar("V")

IndicatorPart = Literal[
    "value", "rank", "year", "source", "base_n", "base_label", "why", "ref_value", "low", "high", "smoothed"
]
DomainPart = Literal["score", "n", "m", "rank", "band", "base_n", "base_label"]

_IND_SUFFIX: dict[str, str] = {
    "value": "",
    "rank": "__rank",
    "year": "__year",
    "source": "__source",
    "base_n": "__ref_n",
    "base_label": "__ref",
    "why": "__why",
    "ref_value": "__ref_value",
    "low": "__low",
    "high": "__high",
    "smoothed": "__eb",
}
_DOM_SUFFIX: dict[str, str] = {
    "score": "",
    "n": "__n",
    "m": "__m",
    "rank": "__rank",
    "band": "__band",
    "base_n": "__ref_n",
    "base_label": "__ref",
}
#: field of ``Stacking`` -> column
STACKING: dict[str, str] = {
    "k": "stacking_count",
    "which": "stacking_domains",
    "n": "stacking_known",
    "m": "stacking_m",
}
#: field of ``Composite`` -> column
COMPOSITE: dict[str, str] = {
    "value": "composite",
    "n": "composite__n",
    "m": "composite__m",
    "need": "composite__need",
    "note": "composite__note",
}


def indicator_column(ind_id: str, part: IndicatorPart = "value") -> str:
    """The column of one field of an indicator (``"value"`` is the indicator id itself)."""
    return ind_id + _IND_SUFFIX[part]


def domain_column(domain_id: str, part: DomainPart = "score") -> str:
    """The column of one field of a domain."""
    return f"domain__{domain_id}" + _DOM_SUFFIX[part]


def indicator_parts(ind: Indicator) -> list[IndicatorPart]:
    """The fields an indicator has: a rank and base always; the reference value for context indicators; the
    interval and the smoothed value for count-based rates."""
    parts: list[IndicatorPart] = ["value", "rank", "year", "source", "base_n", "base_label", "why"]
    if not ind.scored:
        parts.append("ref_value")
    if ind.count_based:
        parts += ["low", "high", "smoothed"]
    return parts


DOMAIN_PARTS: tuple[DomainPart, ...] = ("score", "n", "m", "rank", "band", "base_n", "base_label")


def score_columns() -> list[str]:
    """Every score column in table order: per indicator, per domain, stacking, composite."""
    cols = [indicator_column(i.id, p) for i in INDICATORS.values() for p in indicator_parts(i)]
    cols += [domain_column(d, p) for d in DOMAINS for p in DOMAIN_PARTS]
    return [*cols, *STACKING.values(), *COMPOSITE.values()]


def is_base_label_column(column: str) -> bool:
    """Whether ``column`` holds a base label (indicator or domain): the columns a page translates."""
    return column.endswith(_IND_SUFFIX["base_label"])


@dataclass(frozen=True)
class IndicatorScores(Generic[V]):
    """One indicator: value, rank in its base (``base_n`` areas, named ``base_label``), ``why`` a value or rank is
    missing (a code), the reference's value (context indicators), the 95 % interval and the value that was ranked
    (``smoothed``: empirical Bayes when ``smoothing == "eb"``) of count-based rates."""

    id: str
    value: V
    rank: V
    year: V
    source: V
    base_n: V
    base_label: V
    why: V
    ref_value: V | None = None
    interval_lo: V | None = None
    interval_hi: V | None = None
    smoothed: V | None = None
    smoothing: str | None = None


@dataclass(frozen=True)
class DomainScores(Generic[V]):
    """One domain: score (mean of n of m indicator ranks, withheld below ``min_share`` of m), its rank in its base
    and ``band`` (rank >= 100 - ``worst_band``)."""

    id: str
    score: V
    n: V
    m: V
    rank: V
    band: V
    base_n: V
    base_label: V
    worst_band: float | None = None
    min_share: float | None = None


@dataclass(frozen=True)
class Stacking(Generic[V]):
    """k domains in the worst band of the n known (of m counted: weight > 0), and which (``;``-joined ids)."""

    k: V
    n: V
    m: V
    which: V
    worst_band: float | None = None


@dataclass(frozen=True)
class Composite(Generic[V]):
    """Weighted composite of the domains, from n of m weighted domains; ``need``: the minimum that applied."""

    value: V
    n: V
    m: V
    need: V
    note: V
    weights: Mapping[str, float] | None = None
    min_domains: int | None = None
    transform: str | None = None


@dataclass(frozen=True)
class Scores:
    """Typed read access to a score frame (fields are Series) or one score row (fields are scalars).

    ``settings``: the settings that produced the scores (``ScoreResult.settings``), when known.
    """

    src: Any
    settings: Mapping[str, Any] = field(default_factory=dict)
    weights: Mapping[str, float] | None = None

    def get(self, column: str) -> Any:
        if isinstance(self.src, pd.DataFrame):
            return self.src[column] if column in self.src.columns else None
        return self.src.get(column)

    def indicator(self, ind_id: str) -> IndicatorScores:
        def g(part: IndicatorPart) -> Any:
            return self.get(indicator_column(ind_id, part))

        return IndicatorScores(
            ind_id,
            g("value"),
            g("rank"),
            g("year"),
            g("source"),
            g("base_n"),
            g("base_label"),
            g("why"),
            g("ref_value"),
            g("low"),
            g("high"),
            g("smoothed"),
            self.settings.get("smoothing"),
        )

    def domain(self, domain_id: str) -> DomainScores:
        s = self.settings
        fields = {p: self.get(domain_column(domain_id, p)) for p in DOMAIN_PARTS}  # part names = field names
        return DomainScores(domain_id, **fields, worst_band=s.get("worst_band"), min_share=s.get("min_indicator_share"))

    @property
    def indicators(self) -> dict[str, IndicatorScores]:
        return {i: self.indicator(i) for i in INDICATORS}

    @property
    def domains(self) -> dict[str, DomainScores]:
        return {d: self.domain(d) for d in DOMAINS}

    @property
    def stacking(self) -> Stacking:
        return Stacking(**{f: self.get(c) for f, c in STACKING.items()}, worst_band=self.settings.get("worst_band"))

    @property
    def composite(self) -> Composite:
        s = self.settings
        fields = {f: self.get(c) for f, c in COMPOSITE.items()}
        return Composite(**fields, weights=self.weights, min_domains=s.get("min_domains"), transform=s.get("transform"))


def scores(src: Any, settings: Mapping[str, Any] | None = None, weights: Mapping[str, float] | None = None) -> Scores:
    """The typed view of a score frame or row (see module docstring)."""
    return Scores(src, dict(settings or {}), weights)


def totals_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The stacking and composite columns of a score frame (NA where the frame lacks one): the narrow frame whose
    rows (``to_dict("records")``) the tooltip words, instead of every row of a 180-column table."""
    na = pd.Series(pd.NA, index=frame.index, dtype="object")
    cols = [*STACKING.values(), *COMPOSITE.values()]
    return pd.DataFrame({c: frame[c] if c in frame.columns else na for c in cols}, index=frame.index)
