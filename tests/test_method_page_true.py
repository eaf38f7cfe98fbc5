"""Issue 21, the method page: "Wat hier staat is wat wordt berekend" -- the lines it listed as false are gone and
the unstated rules (D1, D2, minima) are stated from the engine's settings."""

from __future__ import annotations

from tests.conftest import needs_shared
from tests.helpers_app import assert_ok as _ok
from tests.helpers_app import import_income as _import_income
from tests.helpers_app import new_app as _app

pytestmark = needs_shared


def _method(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for exp in at.expander:
        parts += [m.value for m in exp.markdown]
    return " ".join(parts).replace("\\", "")


def test_method_page_states_the_rules_and_no_false_lines(mirror, cache_dir, warm_cache):
    at = _app({"page": "methode", "files": _import_income(cache_dir)})
    at.run()
    at.switch_page("pages/methode.py").run()
    _ok(at)
    text = _method(at)
    assert "METHOD_TEXT" not in text
    assert "D1 · Rang t.o.v. de eigen gemeente" in text and "minstens 10 zijn" in text
    assert "D2 · Gewijzigde indeling" in text and "IndelingswijzigingGemeenteWijkBuurt" in text
    assert "min(3, aantal domeinen met gewicht boven 0" in text
    assert "minstens 90 % van de noemer" in text
    assert "noemer < 0" not in text and "kleiner dan 0" not in text  # schooluitval has no publication rule
    assert (
        "**Noemer**: `aantal_inwoners`" not in text.split("Gemiddeld inkomen")[1][:600]
        if "Gemiddeld inkomen" in text
        else True
    )
    woz = text.split("WOZ")[-1][:800]
    assert "**Noemer**" not in woz  # a mean has a base, not a denominator
    # the income indicators name the income file they came from, not only 85984NED
    income = next(
        " ".join(m.value for m in e.markdown)
        for e in at.expander
        if e.label == "Huishoudens in landelijke laagste 40% inkomen"
    ).replace("\\", "")
    used = income.split("Bronnen van de waarden in deze selectie")[1]
    assert "2023/35" in used, income
    fresh = [d.value for d in at.dataframe]
    assert fresh and all(c not in ("kind", "fetched_at", "status") for d in fresh for c in d.columns)
