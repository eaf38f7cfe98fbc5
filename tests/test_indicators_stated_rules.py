"""Issue 21: the rules that decide whether a value, rank, domain or composite exists are stated, and the engine
depends on no global focus-area set."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd

from tests.conftest import REPO


def test_the_engine_does_not_import_the_focus_module():
    code = ("import sys, indicators.engine as e; e.row_gemeentes(__import__('pandas').Index(['zuidoost'])); "
            "assert 'indicators.focus' not in sys.modules, 'engine imports focus'")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


def test_row_gemeentes_take_the_callers_focus_areas_not_a_global_default():
    from indicators.engine import row_gemeentes
    idx = pd.Index(["WK0363MC", "zuidoost", "mijn-wijk"])
    assert list(row_gemeentes(idx)) == ["GM0363", "", ""]          # the default set is not consulted
    assert list(row_gemeentes(idx, {"mijn-wijk": "GM0479"})) == ["GM0363", "", "GM0479"]
    assert isinstance(row_gemeentes(idx), np.ndarray)


def test_method_rules_are_generated_from_the_settings():
    from indicators import method
    s = {"min_reference_values": 12, "min_population": 250, "min_indicator_share": 0.5, "min_domains": 4}
    rules = dict(method.availability_rules(s, "nl"))
    assert "minder dan 12 gebieden" in rules["D1 · Rang t.o.v. de eigen gemeente"]
    assert "minimaal 12" in rules["D1 · Rang t.o.v. de eigen gemeente"]
    assert "IndelingswijzigingGemeenteWijkBuurt" in rules["D2 · Gewijzigde indeling"]
    assert "3 (grenzen gewijzigd)" in rules["D2 · Gewijzigde indeling"]
    assert "minder dan 250 inwoners" in rules["Onderdrukking"]
    assert "min(4, aantal domeinen met gewicht boven 0" in rules["Samengestelde score en gewicht 0"]
    assert "90 %" in rules["Focusgebied"] and "50 %" in rules["Domeinscore"]
    en = dict(method.availability_rules(s, "en"))
    assert len(en) == len(rules) and "fewer than 12 areas" in en["D1 · Rank vs the own municipality"]


def test_the_readme_example_weights_give_composites(mirror, cache_dir):
    """README: `w=armoede:2,werk:0` on Zaanstad + Amsterdam. Before: no composite for any of the 128 wijken (the
    minimum counted 3 of the 5 weighted domains, of which only wonen (and armoede with the income file) have data)."""
    from pages._common import loaders
    result, _ = loaders._score(("GM0363", "GM0479"), 2024, "wijk", "nl", ())
    w = result.reweight({"armoede": 2, "werk": 0}).table
    have = w["composite"].notna()
    assert have.sum() >= 100, int(have.sum())
    data = set(result.settings["domains_with_data"])
    need = min(3, len({"armoede", "onderwijs", "schooluitval", "wonen", "jeugd"} & data))
    assert (w["composite__need"] == need).all()
    assert (w.loc[have, "composite__n"] >= need).all() and (w.loc[~have & ~w["suppressed"], "composite__n"] < need).all()
    assert (w["stacking_m"] == 5).all() and not w["stacking_domains"].fillna("").str.contains("werk").any()
