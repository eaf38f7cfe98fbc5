"""Issue 21: Prioriteren's table had a raw "code" header and a "Gemeente" column of codes (GM0363); the rank
column "#" must be whole numbers (text "–" where there is none, never "None"). Wording of the worst band:
"zwakste" (nl) and "worst" (en) on every page, never mixed with "slechtste" / "weakest"."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO
from tests.helpers_app import run_app


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_prioriteren_headers_are_words_and_rank_is_whole(mirror, warm_cache, lang):
    at = run_app({"gm": "GM0479,GM0363", "lang": lang}, page="prioriteren")
    df = at.dataframe[0].value
    cols = list(df.columns)
    assert "code" not in cols and not [c for c in cols if re.fullmatch(r"GM\d{4}", str(c))], cols
    assert "Code" in cols
    gem = "Gemeente" if lang == "nl" else "Municipality"
    assert gem in cols
    assert set(df[gem]) == {"Amsterdam", "Zaanstad"}, set(df[gem])
    assert all(re.fullmatch(r"GM\d{4}|WK\w+", c) for c in df["Code"])
    ranks = [r for r in df["#"] if r != "–"]
    assert ranks and all(re.fullmatch(r"\d+", str(r)) for r in ranks), ranks[:5]
    assert [int(r) for r in ranks] == list(range(1, len(ranks) + 1))


def test_worst_band_wording_is_one_word_per_language():
    texts = [
        (p, p.read_text(encoding="utf-8"))
        for sub in ("pages", "render", "indicators")
        for p in (REPO / sub).rglob("*.py")
    ]
    assert not [p for p, s in texts if re.search(r"slechtste", s, re.I)]
    assert not [p for p, s in texts if re.search(r"weakest", s, re.I)]
