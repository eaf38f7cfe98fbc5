"""Issue 20: one number formatter per language (``core.numbers.format_number``, the page layer's ``fmt.fmt_num``).

Before: four formatters — the table "1 234,5" with a thin space, the legend "1 234.5" in English, the PDF with an
ordinary space, the map tooltip "1.234,5" — and Dutch messages with "50.000" or "5.2 MB"."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.errors import UserFileError
from core.numbers import NUMBER_FORMAT, format_number
from data.userfiles import load_indicator_file
from pages._common import fmt, tables

ROOT = Path(__file__).resolve().parents[1]
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "decimals", "nl", "en"),
    [
        (1234.5, 1, f"1{NNBSP}234,5", "1,234.5"),
        (17942942, 0, f"17{NNBSP}942{NNBSP}942", "17,942,942"),
        (-1234.56, 1, f"-1{NNBSP}234,6", "-1,234.6"),
        (999.94, 1, "999,9", "999.9"),
        (0.05, None, "0,05", "0.05"),
        (0.1 + 0.2, None, "0,3", "0.3"),  # no float noise
        (54.4, None, "54,4", "54.4"),
        (float("nan"), 1, "–", "–"),
        (None, 1, "–", "–"),
        ("x", 0, "–", "–"),
        (float("inf"), 0, "–", "–"),
    ],
)
def test_the_rule_per_language(value, decimals, nl, en):
    assert format_number(value, decimals, "nl") == fmt.fmt_num(value, decimals, "nl") == nl
    assert format_number(value, decimals, "en") == fmt.fmt_num(value, decimals, "en") == en


def test_a_dutch_number_never_breaks_over_two_lines():
    # U+2009 (the old separator) and U+0020 are break opportunities; U+202F is not
    text = fmt.fmt_num(1234567.25, 2, "nl")
    assert text == f"1{NNBSP}234{NNBSP}567,25"
    assert not re.search(r"[\s\u2009]", text.replace(NNBSP, ""))
    assert NUMBER_FORMAT["nl"]["group"] == NNBSP and NUMBER_FORMAT["en"] == {"group": ",", "decimal": "."}


def test_screen_tables_format_every_number_column_the_same_way():
    df = pd.DataFrame(
        {"name": ["a", "b"], "inwoners": [12345, np.nan], "score": [48.75, 1234.5], "flag": [True, False]}
    )
    nl = tables.shown(df, None, "nl")
    assert nl["inwoners"].tolist() == [f"12{NNBSP}345", "–"]
    assert nl["score"].tolist() == ["48,8", f"1{NNBSP}234,5"]
    assert nl["flag"].tolist() == [True, False] and nl["name"].tolist() == ["a", "b"]
    assert tables.shown(df, None, "en")["score"].tolist() == ["48.8", "1,234.5"]


def test_import_preview_shows_the_file_values_in_the_user_format(tmp_path):
    p = tmp_path / "eigen.csv"  # synthetic
    p.write_text("regiocode;aandeel;aantal\nWK047912;54,4;1.234,5\nWK047911;0,125;\n", encoding="utf-8")
    uf = load_indicator_file(p)
    nl = tables.preview(uf.frame, "nl")
    assert nl.loc["WK047912"].tolist() == ["54,4", f"1{NNBSP}234,5"]
    assert nl.loc["WK047911"].tolist() == ["0,125", "–"]  # every decimal the file has; empty is '–'
    assert tables.preview(uf.frame, "en").loc["WK047912"].tolist() == ["54.4", "1,234.5"]


def test_import_messages_write_numbers_in_their_language(tmp_path):
    p = tmp_path / "groot.csv"
    p.write_bytes(b"regiocode;x\n" + b"WK047912;1\n" * 600_000)
    with pytest.raises(UserFileError) as err:
        load_indicator_file(p)
    nl, en = err.value.text("nl"), err.value.text("en")
    assert re.search(r"\d,\d MB", nl) and re.search(r"\d\.\d MB", en), (nl, en)
    assert not re.search(r"\d\.\d MB", nl)


# ---------------------------------------------------------------------------- no other formatter in the code

#: Number formatting that does not go through core.numbers: an f-string thousands spec (``:,``), a decimal
#: comma by string replacement, a Dutch thousands hack, or the browser's own Intl.NumberFormat.
HACKS = re.compile(
    r"""\{[^{}:'"]+:\d*,(\.(\d+|\{\w+\}))?[fdg]?\}|\.replace\("\.", ","\)|\.replace\(",", " "\)|"""
    r"""\.replace\("_", "\."\)|Intl\.NumberFormat"""
)
SCANNED = [
    "pages",
    "data",
    "geo",
    "indicators",
    "render",
    "components/deckmap/__init__.py",
    "components/deckmap/frontend/src",
]

#: Call sites in files other engineers own, each to be moved onto core.numbers.format_number (report of H2,
#: issue 20); remove an entry when its file is fixed. {file: number of hits still there}
PENDING = {}


def _hits() -> dict[str, int]:
    out: dict[str, int] = {}
    for entry in SCANNED:
        base = ROOT / entry
        files = [base] if base.is_file() else [*base.rglob("*.py"), *base.rglob("*.js")]
        for path in files:
            if "node_modules" in path.parts or "dist" in path.parts or path.name == "numbers.py":
                continue
            n = len(HACKS.findall(path.read_text(encoding="utf-8")))
            if n:
                out[str(path.relative_to(ROOT))] = n
    return out


def test_no_number_formatter_besides_core_numbers():
    hits = _hits()
    extra = {f: n for f, n in hits.items() if n > PENDING.get(f, 0)}
    assert extra == {}, f"number formatting outside core.numbers.format_number: {extra}"


def test_the_scan_finds_a_formatter():
    assert HACKS.search('text = f"{v:,.1f}"') and HACKS.search('f"{x:,.{decimals}f}"')
    assert HACKS.search('a.replace(".", ",")') and HACKS.search('f"{MAX_ROWS:,} rows"')
    assert not HACKS.search('f"{v:.1f}"') and not HACKS.search('float(text.replace(",", "."))')
    assert not HACKS.search('{"label": a, "n": b}') and not HACKS.search("const o = {x: 1, y: 2};")
