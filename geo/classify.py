"""Choropleth classes, colours and legends.

* Schemes (mapclassify): ``quantiles``, ``natural_breaks`` (Fisher-Jenks), ``equal_interval`` and ``fixed``
  (CBS-style fixed breaks, default 0-20-40-60-80-100 for percentile ranks; the worst band is highlighted).
* Missing / suppressed values (NaN, inf) get class ``-1`` = "geen gegevens / onderdrukt", drawn in grey.
* Sequential palette: ColorBrewer **YlOrRd** (colour-blind safe, print friendly); alternative ``viridis``
  (reversed). High values = more disadvantaged = darker.
* LISA categories HH/LL/HL/LH/ns: ColorBrewer RdYlBu end and mid colours (colour-blind safe), as in GeoDa.
* Text on a fill: black or white, whichever has the higher WCAG contrast (always >= 4.5:1, level AA).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import mapclassify
import numpy as np
import pandas as pd

from core.colours import NODATA_RGBA as _NODATA
from core.errors import UserInputError
from core.numbers import format_number
from core.thresholds import WORST_BAND_FROM

NODATA_CLASS = -1
NODATA_LABEL = {"nl": "geen gegevens / onderdrukt", "en": "no data / suppressed"}
NODATA_RGBA = np.array(_NODATA, dtype=np.uint8)  # core.colours: ColorBrewer Greys #bdbdbd
# fixed breaks for ranks 0-100 in steps of 20; the top class (from core.thresholds.WORST_BAND_FROM) is the worst band
CBS_PERCENTILE_BREAKS = (20.0, 40.0, 60.0, WORST_BAND_FROM, 100.0)

# ColorBrewer YlOrRd (Cynthia Brewer, colorbrewer2.org), by number of classes.
_YLORRD = {
    3: ["ffeda0", "feb24c", "f03b20"],
    4: ["ffffb2", "fecc5c", "fd8d3c", "e31a1c"],
    5: ["ffffb2", "fecc5c", "fd8d3c", "f03b20", "bd0026"],
    6: ["ffffb2", "fed976", "feb24c", "fd8d3c", "f03b20", "bd0026"],
    7: ["ffffb2", "fed976", "feb24c", "fd8d3c", "fc4e2a", "e31a1c", "b10026"],
    8: ["ffffcc", "ffeda0", "fed976", "feb24c", "fd8d3c", "fc4e2a", "e31a1c", "b10026"],
    9: ["ffffcc", "ffeda0", "fed976", "feb24c", "fd8d3c", "fc4e2a", "e31a1c", "bd0026", "800026"],
}
PALETTES = ("YlOrRd", "viridis")

# LISA cluster colours (GeoDa convention; ColorBrewer RdYlBu 5-class colours).
LISA_COLORS = {
    "HH": (215, 25, 28, 255),  # #d7191c hoog-hoog (hotspot)
    "LL": (44, 123, 182, 255),  # #2c7bb6 laag-laag (coldspot)
    "HL": (253, 174, 97, 255),  # #fdae61 hoog tussen laag
    "LH": (171, 217, 233, 255),  # #abd9e9 laag tussen hoog
    "ns": (240, 240, 240, 255),  # niet significant
}
LISA_LABELS = {
    "HH": {"nl": "hoog, omringd door hoog (hotspot)", "en": "high among high (hotspot)"},
    "LL": {"nl": "laag, omringd door laag (coldspot)", "en": "low among low (coldspot)"},
    "HL": {"nl": "hoog, omringd door laag", "en": "high among low"},
    "LH": {"nl": "laag, omringd door hoog", "en": "low among high"},
    "ns": {"nl": "niet significant", "en": "not significant"},
}


# ----------------------------------------------------------------------------------------- schemes


@dataclass(frozen=True)
class Scheme:
    """A classification scheme: ``fit(y, k, breaks)`` returns upper bounds of the classes."""

    name: str
    label: dict
    uses_k: bool
    fit: Callable[[np.ndarray, int, Sequence[float] | None], np.ndarray]


_T = TypeVar("_T")


def _quiet(fn: Callable[[], _T]) -> _T:
    """Run a mapclassify call without its 'not enough unique values' warnings (we reduce k ourselves)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn()


def _fit_quantiles(y, k, _breaks):
    return _quiet(lambda: mapclassify.Quantiles(y, k=k)).bins


def _fit_natural(y, k, _breaks):
    return _quiet(lambda: mapclassify.FisherJenks(y, k=k)).bins


def _fit_equal(y, k, _breaks):
    return _quiet(lambda: mapclassify.EqualInterval(y, k=k)).bins


def _fit_fixed(y, _k, breaks):
    bins = np.asarray(breaks if breaks is not None else CBS_PERCENTILE_BREAKS, dtype=float)
    return _quiet(lambda: mapclassify.UserDefined(y, bins=bins)).bins


SCHEMES: dict[str, Scheme] = {
    "quantiles": Scheme("quantiles", {"nl": "kwantielen (gelijke aantallen)", "en": "quantiles"}, True, _fit_quantiles),
    "natural_breaks": Scheme(
        "natural_breaks",
        {"nl": "natuurlijke grenzen (Fisher-Jenks)", "en": "natural breaks (Fisher-Jenks)"},
        True,
        _fit_natural,
    ),
    "equal_interval": Scheme("equal_interval", {"nl": "gelijke intervallen", "en": "equal interval"}, True, _fit_equal),
    "fixed": Scheme(
        "fixed",
        {"nl": "vaste grenzen (0-20-40-60-80-100)", "en": "fixed breaks (0-20-40-60-80-100)"},
        False,
        _fit_fixed,
    ),
}


def get_scheme(name: str) -> Scheme:
    """The scheme called ``name``; an unknown name raises UserInputError listing the valid ones."""
    if name not in SCHEMES:
        valid = ", ".join(SCHEMES)
        raise UserInputError(
            f"'{name}' is geen klassenindeling; kies uit: {valid}.",
            f"'{name}' is not a classification scheme; must be one of: {valid}.",
        )
    return SCHEMES[name]


@dataclass(frozen=True)
class Classification:
    """Class per area (``-1`` = no data) plus the class bounds: class i covers (bins[i-1], bins[i]];
    for the ``fixed`` scheme [bins[i-1], bins[i]) with the top class closed (a score of 80 is in 80-100)."""

    classes: np.ndarray  # int per area, -1 = geen gegevens / onderdrukt
    bins: np.ndarray  # upper bound per class
    lower: float  # lower bound of class 0
    scheme: str
    highlight: tuple[int, ...] = field(default=())  # e.g. the worst band of the fixed scheme

    @property
    def k(self) -> int:
        return len(self.bins)

    def counts(self) -> np.ndarray:
        """Areas per class 0..k-1 (the no-data count is ``(classes == -1).sum()``)."""
        return np.bincount(self.classes[self.classes >= 0], minlength=self.k)[: self.k]


def classify(
    values,
    scheme: str = "quantiles",
    k: int = 5,
    *,
    breaks: Sequence[float] | None = None,
    highlight_worst: bool | None = None,
) -> Classification:
    """Class index per area with ``scheme`` and ``k`` classes; NaN/inf (missing, suppressed) -> class -1.

    ``k`` shrinks when there are fewer distinct values than classes. ``breaks`` (upper bounds) only for
    ``fixed``. ``highlight_worst`` (default: only for ``fixed``) marks the top class as the worst band.
    """
    spec = get_scheme(scheme)
    if spec.uses_k and (not isinstance(k, (int, np.integer)) or k < 2):
        raise UserInputError(
            f"Aantal klassen moet een geheel getal van minstens 2 zijn, niet {k!r}.",
            f"The number of classes must be an integer of at least 2, not {k!r}.",
        )
    y = pd.to_numeric(pd.Series(np.asarray(values, dtype=object).ravel()), errors="coerce").to_numpy(float)
    ok = np.isfinite(y)
    classes = np.full(len(y), NODATA_CLASS, dtype=np.int64)
    if not ok.any():
        return Classification(classes, np.array([], dtype=float), math.nan, scheme)
    yv = y[ok]
    k_eff = min(int(k), len(np.unique(yv))) if spec.uses_k else int(k)
    if spec.uses_k and k_eff < 2:
        bins = np.array([yv.max()])
    else:
        bins = np.unique(np.asarray(spec.fit(yv, k_eff, breaks), dtype=float))
    if scheme == "fixed":
        # Fixed bands are [a, b): a score of exactly 80 lies in the worst band 80-100, as stacking counts it.
        classes[ok] = np.minimum(np.searchsorted(bins[:-1], yv, side="right"), len(bins) - 1)
    else:
        classes[ok] = np.minimum(np.searchsorted(bins, yv, side="left"), len(bins) - 1)
    lower = float(min(0.0, yv.min())) if scheme == "fixed" and breaks is None else float(yv.min())
    worst = (scheme == "fixed") if highlight_worst is None else highlight_worst
    return Classification(classes, bins, lower, scheme, (len(bins) - 1,) if worst else ())


# ----------------------------------------------------------------------------------------- colours


def _hex_to_rgba(codes: Sequence[str]) -> np.ndarray:
    return np.array([[int(c[i : i + 2], 16) for i in (0, 2, 4)] + [255] for c in codes], dtype=np.uint8)


def sequential_palette(k: int, name: str = "YlOrRd") -> np.ndarray:
    """``k`` RGBA colours (k x 4 uint8), light to dark (low to high = more disadvantaged)."""
    if name not in PALETTES:
        raise UserInputError(
            f"'{name}' is geen kleurenschaal; kies uit: {', '.join(PALETTES)}.",
            f"'{name}' is not a palette; must be one of: {', '.join(PALETTES)}.",
        )
    if k <= 0:
        return np.zeros((0, 4), dtype=np.uint8)
    if name == "viridis":
        from matplotlib import colormaps  # lazy: matplotlib is only needed for this palette

        rgba = colormaps["viridis_r"](np.linspace(0.0, 1.0, k) if k > 1 else [0.5])
        return np.round(np.asarray(rgba) * 255).astype(np.uint8)
    if k == 1:
        return _hex_to_rgba(["fd8d3c"])
    if k == 2:
        return _hex_to_rgba([_YLORRD[3][0], _YLORRD[3][2]])
    if k in _YLORRD:
        return _hex_to_rgba(_YLORRD[k])
    base = _hex_to_rgba(_YLORRD[9]).astype(float)  # > 9 classes: interpolate the 9-class ramp
    pos = np.linspace(0, 8, k)
    out = np.column_stack([np.interp(pos, np.arange(9), base[:, c]) for c in range(4)])
    return np.round(out).astype(np.uint8)


def class_colors(
    classes: np.ndarray | Classification,
    k: int | None = None,
    *,
    palette: str = "YlOrRd",
    nodata: Sequence[int] = tuple(NODATA_RGBA),
    alpha: int = 255,
) -> np.ndarray:
    """RGBA per area (n x 4 uint8) by table lookup (no row loop); class -1 gets the no-data grey."""
    if isinstance(classes, Classification):
        k = classes.k if k is None else k
        classes = classes.classes
    classes = np.asarray(classes, dtype=np.int64)
    k = int(classes.max() + 1 if k is None else k) if len(classes) else 0
    table = np.vstack([sequential_palette(k, palette), np.asarray(nodata, dtype=np.uint8)[None, :]])
    table[:, 3] = alpha
    return table[np.where(classes < 0, k, classes)]


def lisa_colors(labels: Sequence[str], *, nodata: Sequence[int] = tuple(NODATA_RGBA), alpha: int = 255) -> np.ndarray:
    """RGBA per area for LISA labels HH/LL/HL/LH/ns; anything else (None, NaN) gets the no-data grey."""
    names = list(LISA_COLORS)
    table = np.vstack([np.array(list(LISA_COLORS.values()), dtype=np.uint8), np.asarray(nodata, dtype=np.uint8)])
    table[:, 3] = alpha
    idx = pd.Categorical(pd.Series(labels, dtype=object), categories=names).codes
    return table[np.where(idx < 0, len(names), idx)]


def relative_luminance(rgba: np.ndarray) -> np.ndarray:
    """WCAG 2.x relative luminance of sRGB colours (n x 3 or n x 4, 0-255)."""
    c = np.atleast_2d(np.asarray(rgba, dtype=float))[:, :3] / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """WCAG contrast ratio (1-21) between colours ``a`` and ``b`` (row-wise, broadcasting)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def text_colors(fill_rgba: np.ndarray, background: Sequence[int] = (255, 255, 255)) -> np.ndarray:
    """Black or white text per fill (n x 4 uint8), whichever contrasts more (always >= 4.5:1, WCAG AA).

    A translucent fill is first composited over ``background`` (the base map), as the reader sees it.
    """
    fill = np.atleast_2d(np.asarray(fill_rgba, dtype=float))
    a = (fill[:, 3:4] / 255.0) if fill.shape[1] == 4 else 1.0
    seen = fill[:, :3] * a + np.asarray(background[:3], dtype=float) * (1 - a)
    black, white = np.array([[0, 0, 0]]), np.array([[255, 255, 255]])
    use_white = contrast_ratio(seen, white) > contrast_ratio(seen, black)
    out = np.where(use_white[:, None], 255, 0).astype(np.uint8)
    return np.column_stack([out, out, out, np.full(len(out), 255, dtype=np.uint8)])


# ----------------------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class LegendEntry:
    """One legend row; ``lower``/``upper`` are None for the no-data class."""

    class_index: int
    label: str
    color: tuple[int, int, int, int]
    text_color: tuple[int, int, int, int]
    lower: float | None
    upper: float | None
    n: int
    highlight: bool = False
    nodata: bool = False


def _auto_decimals(bins: np.ndarray, lower: float) -> int:
    span = float(np.nanmax(bins) - lower) if len(bins) else 0.0
    return 0 if span >= 100 else 1 if span >= 10 else 2


def legend(
    values,
    classification: Classification,
    *,
    palette: str = "YlOrRd",
    lang: str = "nl",
    decimals: int | None = None,
    unit: str = "",
) -> list[LegendEntry]:
    """Legend rows: one per class (label ``lower - upper``, colour, n) plus the no-data class.

    ``values`` must be the series that was classified (its length is checked); n over all rows sums to it.
    """
    classes = classification.classes
    if len(np.asarray(values).ravel()) != len(classes):
        raise UserInputError(
            "Legenda: waarden en klassen hebben een verschillende lengte.",
            "Legend: values and classes differ in length.",
        )
    k = classification.k
    colours = np.vstack([class_colors(np.arange(k), k, palette=palette), NODATA_RGBA[None, :]])
    texts = text_colors(colours)
    d = _auto_decimals(classification.bins, classification.lower) if decimals is None else decimals
    suffix = f" {unit}" if unit else ""
    counts = classification.counts()
    entries = []
    lower = classification.lower
    fixed = classification.scheme == "fixed"
    last = len(classification.bins) - 1
    for i, upper in enumerate(classification.bins):
        if fixed:  # [a, b) bands; the top band includes its upper bound
            lo, hi = format_number(lower, d, lang), format_number(upper, d, lang)
            text = f"≥ {lo}" if i == last else f"{lo} – < {hi}"
        else:
            text = f"{format_number(lower, d, lang)} – {format_number(upper, d, lang)}"
        entries.append(
            LegendEntry(
                class_index=i,
                label=f"{text}{suffix}",
                color=_rgba_tuple(int(v) for v in colours[i]),
                text_color=_rgba_tuple(int(v) for v in texts[i]),
                lower=float(lower),
                upper=float(upper),
                n=int(counts[i]),
                highlight=i in classification.highlight,
            )
        )
        lower = float(upper)
    entries.append(
        LegendEntry(
            class_index=NODATA_CLASS,
            label=NODATA_LABEL.get(lang, NODATA_LABEL["nl"]),
            color=_rgba_tuple(int(v) for v in NODATA_RGBA),
            text_color=_rgba_tuple(int(v) for v in texts[-1]),
            lower=None,
            upper=None,
            n=int((classes == NODATA_CLASS).sum()),
            nodata=True,
        )
    )
    return entries


def _rgba_tuple(values: Iterable[int]) -> tuple[int, int, int, int]:
    """Four ints (r, g, b, a) as a fixed-length tuple."""
    r, g, b, a = values
    return (r, g, b, a)


def lisa_legend(labels: Sequence[str], *, lang: str = "nl") -> list[LegendEntry]:
    """Legend rows for LISA categories with counts, plus no data (labels outside HH/LL/HL/LH/ns)."""
    s = pd.Series(labels, dtype=object)
    entries = []
    names = list(LISA_COLORS)
    for i, name in enumerate(names):
        rgba = np.array(LISA_COLORS[name], dtype=np.uint8)
        entries.append(
            LegendEntry(
                i,
                f"{name}: {LISA_LABELS[name].get(lang, LISA_LABELS[name]['nl'])}",
                _rgba_tuple(int(v) for v in rgba),
                _rgba_tuple(int(v) for v in text_colors(rgba)[0]),
                None,
                None,
                int((s == name).sum()),
                highlight=name == "HH",
            )
        )
    entries.append(
        LegendEntry(
            NODATA_CLASS,
            NODATA_LABEL.get(lang, NODATA_LABEL["nl"]),
            _rgba_tuple(int(v) for v in NODATA_RGBA),
            (0, 0, 0, 255),
            None,
            None,
            int((~s.isin(names)).sum()),
            nodata=True,
        )
    )
    return entries
