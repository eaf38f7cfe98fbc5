"""The area sentence says what the numbers say, and admits what is missing."""

import doctest

import pages._common.narrative as narrative
from pages._common.narrative import area_sentence, join_list


def test_doctests():
    assert doctest.testmod(narrative).failed == 0


def test_join():
    assert join_list(["a", "b", "c"]) == "a, b en c"
    assert join_list([]) == ""


def test_older_figures_are_named():
    row = {"stacking_known": 0, "stacking_m": 6, "stacking_count": None}
    text = area_sentence(row, "Zuidoost", year=2024, older_years=[2020, 2024, 2020])
    assert text.endswith(" Een deel van de cijfers is van 2020.")
    assert area_sentence(row, "Zuidoost", year=2024, lang="en", older_years=[2019]).endswith(
        " Some of the figures are from 2019."
    )
