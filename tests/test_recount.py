"""Issue 21, the independent recount: every figure ``python -m indicators`` prints for the default views equals the
recomputation from ``../shared/data`` and the method text alone (``benchmarks/recount.py``, which never imports
the engine), and the method page states the rules that recomputation needed."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import needs_shared
from tests.helpers_app import assert_ok, new_app

pytestmark = needs_shared


@pytest.mark.slow
def test_recount_reproduces_every_figure_of_the_cli():
    from benchmarks.recount import recount, report

    tallies = recount()
    text = report(tallies)
    compared = sum(t.compared for t in tallies.values())
    assert compared >= 44_000, text  # score nl, score selection, focus, hotspots (issue 21's default views)
    kinds = ("value", "rank", "eb", "interval", "domain score", "domain rank", "domain band", "composite")
    for kind in (*kinds, "hotspot I", "hotspot p_sim", "hotspot significant"):
        assert tallies[kind].compared > 0, (kind, text)
    assert sum(t.differing for t in tallies.values()) == 0, text


def test_recount_comparison_counts_a_difference():
    """The comparison itself: a number off by more than 1e-9 relative, a missing value or other words differ."""
    from benchmarks.recount import Tally, compare, equal

    assert equal(26.000000000000004, 26.0) and equal(None, float("nan")) and equal(True, True)
    assert not equal(1.0, 1.0 + 1e-6) and not equal(None, 0.0) and not equal("3 % van Nederland", "3 %")
    mine = pd.DataFrame({"ww_werkleeftijd__rank": [84.40366972477064]}, index=["WK0363AA"])
    tallies: dict[str, Tally] = {}
    compare("nl", [{"code": "WK0363AA", "ww_werkleeftijd__rank": 84.5}], mine, "code", tallies)
    assert tallies["rank"].compared == 1 and tallies["rank"].differing == 1


def test_method_rules_come_from_the_engine_constants():
    from core.thresholds import WORST_BAND_FROM
    from indicators.engine import MIN_REFERENCE_AREAS
    from indicators.focusscore import NL_MIN_COVERAGE
    from indicators.methodrules import computation_rules
    from indicators.scores import SCORE_DECIMALS

    nl = dict(computation_rules({"min_population": 150}, "nl"))
    en = dict(computation_rules({"min_population": 150}, "en"))
    assert len(nl) == len(en) == 8
    assert f"afgerond op {SCORE_DECIMALS} decimalen" in nl["Domeinscore en domeinrang"]
    assert f"rang ≥ {WORST_BAND_FROM:g}" in nl["Domeinscore en domeinrang"]
    assert f"minstens {MIN_REFERENCE_AREAS} zijn" in nl["Domeinscore en domeinrang"]
    assert "minstens 150 inwoners" in nl["Basis van een rang"] and "at least 150 inhabitants" in en["Base of a rank"]
    assert f"{100 * NL_MIN_COVERAGE:g} % van de inwoners" in nl["Focusgebied van één lid en Nederland"]
    assert "even hoog of lager" in nl["Indicatorrang"] and "as high or lower" in en["Indicator rank"]
    assert "seed 12345" in nl["Hotspots: buren en toets"] and "queen contiguity" in en["Hotspots: neighbours and test"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_method_page_states_the_recount_rules(mirror, warm_cache, lang):
    at = new_app({"page": "methode", **({"lang": "en"} if lang == "en" else {})})
    at.run()
    at.switch_page("pages/methode.py").run()
    assert_ok(at)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    titles = ["Indicatorrang", "Domeinscore en domeinrang", "Empirisch Bayes en interval"]
    if lang == "en":
        titles = ["Indicator rank", "Domain score and domain rank", "Empirical Bayes and interval"]
    for title in titles:
        assert f"**{title}.**" in text, title
    assert "θ = Σe / Σn" in text
