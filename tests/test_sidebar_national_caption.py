"""Issue 23: with "Heel Nederland" on, the sidebar caption said "Gemeenten: Zaanstad, Amsterdam" while the map
shows every gemeente of the country. It now says what is shown: Heel Nederland and how many gemeenten (counted
here from the raw KWB 2024 file in ../shared/data)."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import SHARED_DATA
from tests.helpers_app import run_app

KWB = SHARED_DATA / "kwb" / "kwb2024_85984NED_GM_WK_stripped.csv"


def _n_gemeenten() -> int:
    with KWB.open(newline="", encoding="utf-8") as fh:
        return sum(1 for r in csv.DictReader(fh) if r["code"].startswith("GM"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_national_caption_says_what_is_shown(mirror, cache_dir, lang):
    n = _n_gemeenten()
    assert n > 300
    at = run_app({"nl": "1", "lang": lang})
    captions = [c.value for c in at.sidebar.caption]
    want = f"Heel Nederland ({n} gemeenten)" if lang == "nl" else f"All of the Netherlands ({n} municipalities)"
    assert want in captions, captions
    assert not [c for c in captions if "Amsterdam" in c or "Zaanstad" in c], captions


def test_selection_caption_names_the_gemeenten(mirror, cache_dir):
    at = run_app({"gm": "GM0479,GM0363"})
    assert "Gemeenten: Zaanstad, Amsterdam" in [c.value for c in at.sidebar.caption]
