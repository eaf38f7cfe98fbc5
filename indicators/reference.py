"""Against what is each rank computed? One fixed, named base per indicator (and per domain).

Rule (the method page says it in these words): a rank "t.o.v. Nederland" uses only the national frame (every
area of the level in the KWB table of that year, plus imported files that cover the country), never a value that
exists only because a gemeente is selected (PDOK attributes are fetched per selected gemeente; their derived
counts stay out of the national reference). Where the national frame has fewer than ``min_reference_values``
values for an indicator, it is ranked against its **own gemeente** (every area of the level in that gemeente with
a value), and the label says so: a fixed set, so an Amsterdam rank never changes when Zaanstad is added.

Every base reports its number of areas with a value; when that is below half of the named reference the label
gives the true base ("t.o.v. 114 wijken met gegevens (3 % van Nederland)").

A domain is ranked against the domain scores of the same base (the reference areas, or the areas of the own
gemeente when one of its indicators uses the gemeente base). Domain rank = 100 x #{base areas with a strictly
lower (better) domain score} / #base: "at least 80 % of the base areas do better" -- a domain rank >= 80 is
exactly "in de zwakste 20 %" (at most 20 % of the base flagged; ties can only lower that share).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.codes import LEVEL_WORDS, LEVELS, level_of_code
from core.numbers import format_number
from indicators.ranks import rank_against, sorted_reference

REF = "ref"  # key of the named reference's base
LOW_COVERAGE_SHARE = 0.5
MAX_NAMED_GEMEENTEN = 3  # a low national base lying in at most this many gemeenten names them


@dataclass
class Base:
    """Sorted, oriented values of one base (``key``: "ref" or a gemeente code), its size and its label."""

    key: str
    sorted: np.ndarray
    label: dict[str, str]
    national: bool = False  # the rank may be called "t.o.v. Nederland"

    @property
    def n(self) -> int:
        return int(self.sorted.size)


@dataclass
class IndicatorBases:
    """How one indicator is ranked: ``mode`` "ref" (the named reference), "gemeente" (own gemeente) or "none"."""

    mode: str
    bases: dict[str, Base] = field(default_factory=dict)
    priors: dict[str, object] = field(default_factory=dict)  # EB prior per base key (count-based rates)
    ref_value: float = float("nan")  # context indicators: the reference's value (no rank)
    #: gemeente key -> its number of areas with a value, where that is below the minimum (no base, no rank)
    small: dict[str, int] = field(default_factory=dict)


class RefSorted(dict):
    """``{indicator id: sorted oriented reference values}`` (the "ref" base, empty when the indicator is not
    ranked against it), carrying the full ``IndicatorBases`` per indicator in ``.bases``."""

    bases: dict[str, IndicatorBases]


class RefDomains(dict):
    """``{domain: sorted reference domain scores}`` with ``.by_key[domain][key]`` for gemeente bases and
    ``.labels[domain][key]`` (label dicts) and ``.mode[domain]``."""

    by_key: dict[str, dict[str, np.ndarray]]
    labels: dict[str, dict[str, dict[str, str]]]
    national: dict[str, dict[str, bool]]
    mode: dict[str, str]


def level_words(level: str) -> tuple[str, str]:
    """The areas of ``level`` in words, Dutch and English (core.codes.LEVEL_WORDS)."""
    return LEVEL_WORDS.get(level, (level, level))


def _and(names: Sequence[str], lang: str) -> str:
    word = " en " if lang == "nl" else " and "
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + word + names[-1]


def ref_label(reference, n: int, gemeenten: Sequence[str] = ()) -> tuple[dict[str, str], bool]:
    """Label of a rank against the named reference with ``n`` areas with a value, and whether it is national.

    ``gemeenten``: the names of the gemeenten those ``n`` areas lie in. A national base below half of the country
    that lies in at most ``MAX_NAMED_GEMEENTEN`` gemeenten names them ("..., landelijk alleen in Amsterdam en
    Zaanstad"): "t.o.v. Nederland" with 113 wijken is in truth a rank among two cities."""
    lv_nl, lv_en = level_words(reference.level)
    total = reference.n_areas
    share = 100.0 * n / total if total else 0.0
    n_nl, n_en = format_number(n, 0, "nl"), format_number(n, 0, "en")
    if reference.kind == "nl":
        all_nl, all_en = format_number(total, 0, "nl"), format_number(total, 0, "en")
        if n >= LOW_COVERAGE_SHARE * total:
            return (
                {
                    "nl": f"t.o.v. {n_nl} {lv_nl} van Nederland met gegevens ({share:.0f} % van alle {all_nl})",
                    "en": f"vs {n_en} {lv_en} of the Netherlands with data ({share:.0f} % of all {all_en})",
                },
                True,
            )
        only = sorted(set(gemeenten))
        where_nl = f", landelijk alleen in {_and(only, 'nl')}" if 0 < len(only) <= MAX_NAMED_GEMEENTEN else ""
        where_en = f", nationally only in {_and(only, 'en')}" if where_nl else ""
        return (
            {
                "nl": f"t.o.v. {n_nl} {lv_nl} met gegevens ({share:.0f} % van Nederland){where_nl}",
                "en": f"vs {n_en} {lv_en} with data ({share:.0f} % of the Netherlands){where_en}",
            },
            False,
        )
    shown = reference.label["nl"].rsplit(",", 1)[0]
    shown_en = reference.label["en"].rsplit(",", 1)[0]
    if n >= LOW_COVERAGE_SHARE * total:
        return ({"nl": f"t.o.v. {n_nl} {shown} met gegevens", "en": f"vs {n_en} {shown_en} with data"}, False)
    return (
        {
            "nl": f"t.o.v. {n_nl} {lv_nl} met gegevens ({share:.0f} % van {shown})",
            "en": f"vs {n_en} {lv_en} with data ({share:.0f} % of {shown_en})",
        },
        False,
    )


def base_gemeenten(codes, names: Mapping[str, str]) -> tuple[str, ...]:
    """The names of the gemeenten the region ``codes`` lie in (sorted; a code without a name shows its GM code)."""
    return tuple(sorted({names.get(g, g) for g in gemeente_of(pd.Index(codes)) if g}))


def gemeente_names(frame: pd.DataFrame) -> dict[str, str]:
    """GM code -> gemeentenaam of every row of a KWB frame (the national frame names gemeenten no selection
    holds), stripped; rows without a name are left out."""
    if "gemeente_code" not in frame.columns or "gemeentenaam" not in frame.columns:
        return {}
    sub = frame[["gemeente_code", "gemeentenaam"]].dropna().drop_duplicates("gemeente_code")
    return {str(c): str(n).strip() for c, n in zip(sub["gemeente_code"], sub["gemeentenaam"]) if str(n).strip()}


def gemeente_label(level: str, n: int, name: str) -> dict[str, str]:
    lv_nl, lv_en = level_words(level)
    return {
        "nl": f"t.o.v. {format_number(n, 0, 'nl')} {lv_nl} van {name} met gegevens (geen landelijke gegevens)",
        "en": f"vs {format_number(n, 0, 'en')} {lv_en} of {name} with data (no national data)",
    }


def gemeente_of(codes: pd.Index | np.ndarray) -> np.ndarray:
    """GM code of region codes (GM0363, WK0363MC, BU0363MC01 -> GM0363); other ids -> ""."""
    s = pd.Series(np.asarray(codes, dtype=object)).astype(str)
    gm = "GM" + s.str.slice(2, 6)
    # a gemeente, wijk or buurt prefix (core.codes) followed by the four digits of its gemeente
    ok = np.array([level_of_code(c) in LEVELS and len(c) >= 6 and c[2:6].isdigit() for c in s], dtype=bool)
    return np.where(ok, gm.to_numpy(), "")


def rank_by_key(
    values: np.ndarray, keys: np.ndarray, bases: dict[str, np.ndarray], direction: int = 1, strict: bool = False
) -> np.ndarray:
    """Rank of each value against the sorted base of its row key (NaN where the key has no base).

    ``strict=False``: 100 x #{base <= x} / n (indicator ranks, ``ranks.rank_against``);
    ``strict=True``: 100 x #{base < x} / n (domain ranks: share of the base doing strictly better).
    """
    x = np.asarray(values, dtype="float64")
    out = np.full(x.shape, np.nan)
    for key, ref in bases.items():
        rows = keys == key
        if not rows.any() or ref.size == 0:
            continue
        if strict:
            ok = rows & np.isfinite(x)
            out[ok] = 100.0 * np.searchsorted(ref, direction * x[ok], side="left") / ref.size
        else:
            out[rows] = rank_against(x[rows], ref, direction)
    return out


def domain_bases(
    dscore_ref: pd.DataFrame,
    dscore_all: pd.DataFrame,
    modes: dict[str, str],
    row_keys_gm: np.ndarray,
    at_level: np.ndarray,
    reference,
    names: dict[str, str],
    min_values: int,
) -> RefDomains:
    """Sorted domain scores per domain and base key, with labels (see the module docstring)."""
    out = RefDomains()
    out.by_key, out.labels, out.national, out.mode = {}, {}, {}, {}
    for d in dscore_all.columns:
        mode = modes.get(d, "ref")
        out.mode[d] = mode
        if mode == "gemeente":
            keys: dict[str, np.ndarray] = {}
            labels: dict[str, dict[str, str]] = {}
            col = dscore_all[d].to_numpy(dtype="float64")
            for g in pd.unique(row_keys_gm[at_level]):
                if not g:
                    continue
                vals = col[at_level & (row_keys_gm == g)]
                srt = sorted_reference(vals, 1)
                if srt.size >= min_values:
                    keys[g] = srt
                    labels[g] = gemeente_label(reference.level, int(srt.size), names.get(g, g))
            out[d] = np.array([])
            out.by_key[d], out.labels[d] = keys, labels
            out.national[d] = {g: False for g in keys}
        else:
            srt = sorted_reference(dscore_ref[d], 1) if d in dscore_ref else np.array([])
            if srt.size < min_values:
                srt = np.array([])
            out[d] = srt
            have = dscore_ref.index[dscore_ref[d].notna().to_numpy()] if d in dscore_ref else []
            label, national = ref_label(reference, int(srt.size), base_gemeenten(have, names))
            out.by_key[d] = {REF: srt} if srt.size else {}
            out.labels[d] = {REF: label} if srt.size else {}
            out.national[d] = {REF: national}
    return out
