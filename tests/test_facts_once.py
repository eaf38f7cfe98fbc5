"""Issue 20, "facts in several places": every fact below has ONE definition, in core/ (the bottom layer).

A grep over the production code (comments left out, as tests/test_missing_values.py does for -99997): a second
copy of a fact in any other file fails. Copies in files other engineers were still editing when this test was
written are PENDING, each with what to use instead; a PENDING entry that no longer matches fails too, so the
list only shrinks (delete the entry when its file uses core).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("core", "data", "geo", "indicators", "pages", "components", "render")

#: fact -> (its one home, patterns of a copy)
FACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "region-code regex": ("core/codes.py", (r"GM\\d\{4\}", r"\((NL\|)?GM\|WK\|BU\)")),
    "prefix -> level": (
        "core/codes.py",
        (
            r"""["']GM["']\s*:\s*["']gemeente""",  # a private prefix map
            r"""["']wijk["']\s*:\s*["']WK["']""",  # ... or level -> prefix map
            r"""\[:2\]\s*(==|!=|in)\s*[\(\{\[]?\s*["'](GM|WK|BU|NL)""",  # code[:2] == "WK", code[:2] in ("WK", "BU")
            r"""startswith\(\s*["'](GM|WK|BU)["']\s*\)""",  # code.startswith("WK")
            r"""replace\(\s*["']WI["']\s*,\s*["']WK""",  # level[:2].upper().replace("WI", "WK")
            r"LEVEL_OF_PREFIX\.get\(",  # the map read by hand: use level_of_code
        ),
    ),
    "the three levels": ("core/codes.py", (r"""\(\s*["']gemeente["']\s*,\s*["']wijk["']\s*,\s*["']buurt["']\s*\)""",)),
    "RD New area of use": (
        "core/crs.py",
        (r"\bBOUNDS\w*\s*=\s*\(", r"\b(50\.75|53\.7|7\.22)\b", r"\b(289|629|640)_?000\b"),
    ),
    "worst band 20": (
        "core/thresholds.py",
        (r"worst_band\s*(:\s*float\s*)?=\s*20\b", r"worst 20 %", r"zwakste 20", r"≥ 80 = worst"),
    ),
    "no-data grey": ("core/colours.py", (r"189,\s*189,\s*189", r"#bdbdbd", r"0\.85,\s*0\.85,\s*0\.85")),
}

#: (fact, file) -> what to use instead. Files H3/H4 were editing (issue 20), and shared ones.
PENDING: dict[tuple[str, str], str] = {
    ("worst band 20", "pages/_common/i18n_focus.py"): "'≥ {from}' filled from WORST_BAND_FROM (line 43)",
}


def _code_text(path: Path) -> str:
    """The source without comments and docstrings (prose may explain a fact; other strings stay: a regex, a
    colour or a sentence on screen is written in one)."""
    src = path.read_text(encoding="utf-8")
    lines = src.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col]
    for node in ast.walk(ast.parse(src)):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            for i in range(body[0].lineno - 1, body[0].end_lineno):
                lines[i] = ""
    return "\n".join(lines)


def _sources() -> dict[str, str]:
    files = [p for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py")] + list(REPO.glob("*.py"))
    return {p.relative_to(REPO).as_posix(): _code_text(p) for p in files if "node_modules" not in p.parts}


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return _sources()


def _hits(sources: dict[str, str], fact: str) -> set[str]:
    home, patterns = FACTS[fact]
    return {f for f, text in sources.items() if f != home and any(re.search(p, text) for p in patterns)}


@pytest.mark.parametrize("fact", FACTS)
def test_a_fact_is_defined_once(sources, fact):
    home, _ = FACTS[fact]
    assert home in sources
    extra = sorted(f for f in _hits(sources, fact) if (fact, f) not in PENDING)
    assert not extra, f"a second copy of '{fact}' (use {home}): {extra}"


@pytest.mark.parametrize("key", PENDING, ids=lambda k: f"{k[0]}@{k[1]}")
def test_pending_copies_still_exist(sources, key):
    """Tightens: once a file uses core, its PENDING entry must go (so the copy cannot come back unnoticed)."""
    fact, path = key
    assert path in _hits(sources, fact), f"{path} no longer copies '{fact}': delete its PENDING entry"


def test_the_rd_area_of_use_holds_the_projected_epsg_area():
    """NL_BOUNDS_RD contains the EPSG:28992 area of use (NL_BOUNDS_WGS84) projected to RD metres."""
    from pyproj import CRS, Transformer

    from core.crs import NL_BOUNDS_RD, NL_BOUNDS_WGS84

    assert CRS.from_epsg(28992).area_of_use.bounds == NL_BOUNDS_WGS84
    x0, y0, x1, y1 = Transformer.from_crs(4326, 28992, always_xy=True).transform_bounds(
        *NL_BOUNDS_WGS84, densify_pts=101
    )
    assert NL_BOUNDS_RD[0] <= x0 and NL_BOUNDS_RD[1] <= y0 and x1 <= NL_BOUNDS_RD[2] and y1 <= NL_BOUNDS_RD[3]
    assert y1 > 629_000  # the old second box (data/pdok_service) stopped at y 629 000


def test_pdok_check_refuses_outside_the_one_area_of_use():
    """data.pdok_check uses core.crs.NL_BOUNDS_RD: a wijk at y 635 000 (inside the area of use) passes."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from core.errors import FetchError
    from data.pdok_check import check_rd

    inside = gpd.GeoSeries([box(200_000, 634_000, 201_000, 635_000)], crs="EPSG:28992")
    check_rd(inside, pd.Series(["WK000101"]), "http://x")
    with pytest.raises(FetchError):
        check_rd(
            gpd.GeoSeries([box(200_000, 650_000, 201_000, 651_000)], crs="EPSG:28992"),
            pd.Series(["WK000101"]),
            "http://x",
        )


def test_levels_from_codes():
    from core.codes import AREA_CODE_RE, CODEISH_RE, GEMEENTE_CODE_RE, level_of_code, levels_of

    assert levels_of(["GM0479", "WK047912", "BU04791201", "NL00", "XX1", None]) == [
        "gemeente",
        "wijk",
        "buurt",
        "land",
        None,
        None,
    ]
    assert level_of_code("WK0363MC") == "wijk"
    assert AREA_CODE_RE.match("WK0363MC") and not AREA_CODE_RE.match("NL00")
    assert GEMEENTE_CODE_RE.match("GM0479") and not GEMEENTE_CODE_RE.match("GM479")
    assert CODEISH_RE.match("GM04") and not CODEISH_RE.match("XX04")


def test_legend_numbers_use_the_one_format():
    """The English legend wrote 1 234.5 where the table writes 1,234.5 (issue 20)."""
    import numpy as np

    from core.numbers import format_number
    from geo.classify import classify, legend

    values = np.array([1000.0, 1234.5, 2500.0, 4000.0, 5000.0, 6000.0])
    cls = classify(values, "equal_interval", k=3)
    for lang in ("nl", "en"):
        labels = [e.label for e in legend(values, cls, lang=lang, decimals=1) if not e.nodata]
        assert labels[0] == f"{format_number(1000.0, 1, lang)} – {format_number(cls.bins[0], 1, lang)}"


def test_no_data_grey_is_the_core_grey():
    import numpy as np

    from core.colours import NODATA_RGBA
    from geo.classify import NODATA_RGBA as CLASSIFY

    assert tuple(int(v) for v in np.asarray(CLASSIFY)) == NODATA_RGBA


def test_data_imports_no_indicators():
    """data/ is below indicators/: the import check gets its bounds from the caller (data.userchecks)."""
    bad = []
    for p in (REPO / "data").rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            bad += [f"{p.name}: {n}" for n in names if n == "indicators" or n.startswith("indicators.")]
    assert not bad
