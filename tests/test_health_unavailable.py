"""Default emulator mode has no 50150NED (issue 23): one 404, remembered; the gezondheid domain is absent -- out of
the composite's m and stacking's denominator (m = 6) -- and the legend and the method page say so in words."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from data import cbs, health
from indicators.columns import absent_domains
from indicators.engine import make_reference, score_areas
from tests.conftest import needs_shared
from tests.helpers_app import assert_ok, new_app

pytestmark = needs_shared
SOURCE = "gezondheid_wijk_buurt"


@pytest.fixture
def dataderden(mirror, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", mirror.url)
    health.forget_absent()
    yield mirror
    health.forget_absent()


def test_a_service_without_the_table_is_one_404_remembered(dataderden):
    dataderden.clear_requests()
    frame, why = health.health_or_absent()
    assert frame is None and why["code"] == "not_served" and "50150NED" in why["nl"] and "50150NED" in why["en"]
    asked = dataderden.requests("50150NED")
    assert len(asked) == 1, asked  # TableInfos answered 404: nothing else asked
    again, why2 = health.health_or_absent()
    assert again is None and why2 == why and len(dataderden.requests("50150NED")) == 1  # not asked again


def _gemeente_result(sources):
    sel = cbs.load_kwb(["GM0479", "GM0363"], 2024, levels=("gemeente", "wijk"))
    nat = cbs.load_kwb_national(2024, "gemeente")
    ref = make_reference(nat, "nl", "gemeente", 2024)
    return score_areas({2024: sel}, 2024, level="gemeente", reference=ref, national={2024: nat}, sources=sources)


def test_without_the_table_the_domain_is_absent_and_m_is_six(dataderden):
    frame, _ = health.health_or_absent()
    res = _gemeente_result({SOURCE: frame})
    ind = res.indicator("ervaren_gezondheid_niet_goed")
    assert ind.value.isna().all() and (ind.why == "source_absent").all()  # missing, never 0
    assert absent_domains(res.settings) == {"gezondheid": "source_absent"}
    assert (res.stacking.m == 6).all() and (res.composite.m == 6).all()
    # a weight on gezondheid changes nothing while it is absent; with weight 0 elsewhere m follows the weights
    same = res.reweight({"gezondheid": 5})
    assert same.composite.value.equals(res.composite.value) and (same.composite.m == 6).all()
    assert (res.reweight({"werk": 0}).stacking.m == 5).all()


def test_the_legend_says_why_and_how_many_domains_count(dataderden):
    from pages._common import healthui

    res = _gemeente_result({SOURCE: health.health_or_absent()[0]})
    for lang, words in (("nl", "Gezondheid telt niet mee"), ("en", "Health does not count")):
        (line,) = healthui.legend_lines(res, SimpleNamespace(lang=lang, year=2024))
        assert words in line and "50150NED" in line and ("6 domeinen" in line or "6 domains" in line), line
    wijk = score_areas(
        {2024: cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))},
        2024,
        level="wijk",
        reference=make_reference(cbs.load_kwb_national(2024, "wijk"), "nl", "wijk", 2024),
        national={2024: cbs.load_kwb_national(2024, "wijk")},
    )
    (line,) = healthui.legend_lines(wijk, SimpleNamespace(lang="en", year=2024))
    assert "no district figures in 50150NED" in line and "6 domains" in line


def test_the_method_page_states_the_rules_and_the_absence(dataderden):
    for lang, words in (
        ("nl", ("modelschattingen voor kleine gebieden", "Nu: Gezondheid telt niet mee")),
        ("en", ("small-area model estimates", "Now: Health does not count")),
    ):
        at = new_app({"lang": lang})
        at.run()
        at.switch_page("pages/methode.py").run()
        assert_ok(at)
        text = " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)
        for w in words:
            assert w in text, (lang, w)
        assert "50150NED" in text and "2012, 2016, 2020, 2022, 2024" in text


def test_the_health_strings_override_no_other_string():
    """i18n.STRINGS merges the parts with update(): a key of HEALTH_STRINGS used elsewhere would replace its text (it
    did: 'col_rank_move' renamed the changes table's 'Rang oud → nieuw')."""
    import pages._common.i18n as i18n
    from pages._common.i18n_data import DATA_STRINGS
    from pages._common.i18n_focus import FOCUS_STRINGS
    from pages._common.i18n_health import HEALTH_STRINGS
    from pages._common.i18n_reports import REPORT_STRINGS

    others = set(DATA_STRINGS) | set(FOCUS_STRINGS) | set(REPORT_STRINGS)
    source = Path(i18n.__file__).read_text(encoding="utf-8")
    assert not set(HEALTH_STRINGS) & others
    assert not [k for k in HEALTH_STRINGS if f'"{k}":' in source]
    assert all(set(v) == {"nl", "en"} for v in HEALTH_STRINGS.values())


def test_at_wijk_level_the_health_slider_says_it_does_not_count(dataderden):
    from tests.helpers_app import run_app

    for lang, words in (("nl", "Telt op wijkniveau niet mee"), ("en", "Does not count at district level")):
        at = run_app({"lang": lang}, page="prioriteren")
        helps = {s.label: s.help for s in at.select_slider}  # weights are select_sliders ("1,5", not "1.50")
        health = next(v for k, v in helps.items() if k in ("Gezondheid", "Health"))
        assert health.startswith(words) and "50150NED" in health
        assert all(not v for k, v in helps.items() if k not in ("Gezondheid", "Health"))  # only the absent domain
