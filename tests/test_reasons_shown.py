"""Issue 21: a missing value or rank says why where it shows (rules D1, D2, the focus coverage rule), in the
user's language, with names where codes stand."""

from __future__ import annotations

import pytest

from tests.conftest import needs_shared
from tests.helpers_app import assert_ok as _ok
from tests.helpers_app import import_income as _import_income
from tests.helpers_app import new_app as _app

pytestmark = needs_shared


def _why(at) -> str:
    return " ".join(m.value for m in at.markdown if "Waarom ontbreekt" in m.value or "Why is a value" in m.value)


def test_zaanstad_wijk_says_why_werk_has_no_rank_and_the_income_value_was_dropped(mirror, cache_dir, warm_cache):
    at = _app({"area": "WK047911", "page": "buurtprofiel", "files": _import_income(cache_dir)})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    _ok(at)
    text = _why(at).replace("\\", "")
    # D1: Zaanstad has 5 wijken with 2024 werk data, a gemeente base needs 10
    assert (
        "WW-uitkeringen per 100 inwoners 15-65: geen rang: van Zaanstad hebben maar 5 wijken een waarde; "
        "minimaal 10" in text
    )
    # D2: the 2020 income file's value is not used for a wijk whose boundaries changed
    assert "code of grenzen van dit gebied zijn sindsdien gewijzigd" in text


def test_english_reasons_are_english(mirror, warm_cache):
    at = _app({"area": "WK047911", "page": "buurtprofiel", "lang": "en"})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    _ok(at)
    text = _why(at).replace("\\", "")
    assert "no rank: only 5 districts of Zaanstad have a value; at least 10" in text
    assert "geen rang" not in text


def test_focus_area_names_the_members_that_lack_a_value(mirror, warm_cache):
    at = _app({"fa": "Zz:WK047911+WK047912", "fopen": "zz", "page": "buurtprofiel"})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    _ok(at)
    assert not at.error, [e.value for e in at.error]
    text = _why(at).replace("\\", "")
    # bijstand per 1000: WK047912 (Poelenburg) has no value; the members with one hold < 90 % of the inhabitants
    assert "de leden met een waarde hebben samen" in text and "minimaal 90 % nodig; zonder waarde: Poelenburg" in text


@pytest.mark.parametrize(
    "code, words",
    [
        ("base_small:5:10", "geen rang: van Zaanstad hebben maar 5 wijken een waarde; minimaal 10"),
        (
            "members:0.4375:WK047912",
            (
                "geen waarde: de leden met een waarde hebben samen 44 % van de basis, minimaal 90 % "
                "nodig; zonder waarde: Poelenburg"
            ),
        ),
        (
            "boundary_changed",
            (
                "waarde van een eerder jaar of ingelezen bestand niet gebruikt: code of grenzen van dit "
                "gebied zijn sindsdien gewijzigd (KWB IndelingswijzigingGemeenteWijkBuurt)"
            ),
        ),
        ("", ""),
        (None, ""),
    ],
)
def test_why_words(code, words):
    from pages._common.reasons import why_text

    assert why_text(code, "nl", gemeente="Zaanstad", names={"WK047912": "Poelenburg"}) == words


def test_a_withheld_composite_says_why(mirror, warm_cache):
    """Zaanstad wijk WK047911 (no income file): werk has no rank (D1), so 1 of the 2 weighted domains with data is
    known: the profile says that instead of a bare '–'."""
    at = _app({"area": "WK047911", "page": "buurtprofiel"})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    _ok(at)
    assert next(m.value for m in at.metric if m.label == "Samengestelde score") == "–"
    caps = " ".join(c.value for c in at.caption)
    assert "Geen samengestelde score: 1 van de minimaal 2 domeinen met een gewicht boven 0 bekend" in caps, caps
