"""Issue 21: notices and buttons name an area as "Name (code)", never a bare code ("Voeg WK047912 toe" ->
"Voeg Poelenburg (WK047912) toe"). The name is read from the raw CBS region list in ../shared/data."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SHARED_DATA
from tests.helpers_app import run_app

REGIONS = SHARED_DATA / "derived" / "odata" / "85984NED" / "WijkenEnBuurten.json"
CODE = "WK047912"


def _name(code: str) -> str:
    rows = json.loads(REGIONS.read_text(encoding="utf-8"))
    return next(r["Title"].strip() for r in rows if r["Key"].strip() == code)


def _labels(at) -> list[str]:
    return [e.proto.label for e in at.get("expandable")] + [b.label for b in at.button]


@pytest.mark.parametrize(("page", "lang"), [("buurtprofiel", "nl"), ("buurtprofiel", "en"), (None, "nl")])
def test_add_to_focus_names_the_area(mirror, warm_cache, page, lang):
    name = _name(CODE)
    at = run_app({"gm": "GM0479,GM0363", "area": CODE, "lang": lang}, page=page)
    labels = _labels(at)
    add = [lab for lab in labels if lab.startswith(("Voeg", "Add"))]
    assert add, labels
    for lab in add:
        assert f"{name} (WK047912)" in lab.replace("\\", ""), lab
    assert not [lab for lab in add if f" {CODE} " in f" {lab} ".replace("(WK047912)", "")], add
