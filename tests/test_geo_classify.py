"""Classification schemes, palettes, legends and text contrast."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import UserInputError
from geo.classify import (
    LISA_COLORS,
    NODATA_CLASS,
    NODATA_RGBA,
    SCHEMES,
    class_colors,
    classify,
    contrast_ratio,
    legend,
    lisa_colors,
    lisa_legend,
    relative_luminance,
    sequential_palette,
    text_colors,
)

VALUES = np.array([3.0, np.nan, 12.5, 40.0, 55.0, np.inf, 61.0, 78.0, 80.0, 99.0, 20.0, 35.0])


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_counts_per_class_sum_to_non_missing_and_nan_is_nodata(scheme):
    result = classify(VALUES, scheme, 4)
    entries = legend(VALUES, result)
    finite = np.isfinite(VALUES)
    assert (result.classes[~finite] == NODATA_CLASS).all()
    assert (result.classes[finite] >= 0).all()
    assert sum(e.n for e in entries if not e.nodata) == finite.sum()
    assert sum(e.n for e in entries) == len(VALUES)
    nodata = entries[-1]
    assert nodata.nodata and nodata.n == 2 and nodata.label == "geen gegevens / onderdrukt"
    assert nodata.color == tuple(int(v) for v in NODATA_RGBA)


def test_class_bounds_contain_their_values():
    result = classify(VALUES, "natural_breaks", 4)
    for e in legend(VALUES, result)[:-1]:
        members = VALUES[result.classes == e.class_index]
        assert ((members >= e.lower) & (members <= e.upper)).all()


def test_fixed_cbs_breaks_highlight_the_worst_band():
    result = classify(VALUES, "fixed")
    assert list(result.bins) == [20, 40, 60, 80, 100]
    entries = legend(VALUES, result)
    assert [e.label for e in entries[:5]] == ["0 – < 20", "20 – < 40", "40 – < 60", "60 – < 80", "≥ 80"]
    assert [e.highlight for e in entries] == [False] * 4 + [True, False]
    # a score of exactly 80 is in the worst band, as stacking (score >= 80) counts it
    assert result.classes[list(VALUES).index(99.0)] == 4 and result.classes[list(VALUES).index(80.0)] == 4


def test_unknown_scheme_lists_the_valid_ones():
    with pytest.raises(UserInputError, match=r"must be one of|kies uit") as err:
        classify(VALUES, "jenks", 5)
    assert "quantiles, natural_breaks, equal_interval, fixed" in err.value.message_en


def test_few_distinct_values_and_all_missing():
    assert classify([1.0, 1.0, 2.0, np.nan], "quantiles", 5).k <= 2
    empty = classify([np.nan, np.nan], "quantiles", 5)
    assert empty.k == 0 and (empty.classes == -1).all()
    assert legend([np.nan, np.nan], empty)[-1].n == 2


def test_palette_gets_darker_with_disadvantage():
    for name in ("YlOrRd", "viridis"):
        for k in (2, 5, 9, 12):
            lum = relative_luminance(sequential_palette(k, name))
            assert (np.diff(lum) < 0).all(), (name, k)


def test_colours_are_a_vectorised_lookup_with_grey_nodata():
    result = classify(VALUES, "quantiles", 5)
    rgba = class_colors(result, alpha=200)
    assert rgba.shape == (len(VALUES), 4) and rgba.dtype == np.uint8
    assert (rgba[1, :3] == NODATA_RGBA[:3]).all() and (rgba[:, 3] == 200).all()
    top = result.classes.max()
    assert (rgba[result.classes == top][0] == np.append(sequential_palette(result.k)[-1][:3], 200)).all()


def test_text_colour_meets_wcag_aa_on_every_fill():
    fills = np.vstack(
        [
            sequential_palette(9),
            sequential_palette(7, "viridis"),
            np.array(list(LISA_COLORS.values())),
            NODATA_RGBA[None, :],
        ]
    )
    text = text_colors(fills)
    assert (contrast_ratio(fills, text) >= 4.5).all()
    assert tuple(text_colors(np.array([[128, 0, 38, 255]]))[0]) == (255, 255, 255, 255)


def test_lisa_palette_and_legend():
    labels = ["HH", "LL", "ns", None, "HL", "LH", "HH"]
    rgba = lisa_colors(labels)
    assert tuple(rgba[0]) == LISA_COLORS["HH"] and (rgba[3, :3] == NODATA_RGBA[:3]).all()
    entries = lisa_legend(labels)
    assert [e.n for e in entries] == [2, 1, 1, 1, 1, 1]
    assert len({e.color for e in entries}) == 6
