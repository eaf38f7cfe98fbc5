"""The focus-area sentence says what the numbers say, and admits what is missing."""

import doctest

import pages._common.narrative as narrative
from pages._common.narrative import focus_sentence, join_list

SIX = ["armoede", "werk", "onderwijs", "wonen", "gezondheid", "veiligheid"]


def test_doctests():
    assert doctest.testmod(narrative).failed == 0


def test_full_picture_names_the_worst_domains_in_order():
    ranks = {"armoede": 91, "werk": 85, "onderwijs": 88, "wonen": 95, "gezondheid": 40, "veiligheid": 30}
    assert focus_sentence("Poelenburg", ranks, year=2024) == (
        "In Poelenburg liggen 4 van de 6 domeinen in de zwakste 20 % van Nederland: "
        "armoede, werk, onderwijs en wonen.")


def test_singular_and_none():
    ranks = dict.fromkeys(SIX, 10.0) | {"wonen": 81.0}
    assert focus_sentence("X", ranks, year=2024).startswith("In X ligt 1 van de 6 domeinen")
    assert focus_sentence("X", dict.fromkeys(SIX, 10.0), year=2024) == (
        "In X ligt geen van de 6 domeinen in de zwakste 20 % van Nederland.")


def test_missing_domains_are_stated_honestly():
    ranks = dict.fromkeys(SIX, None) | {"armoede": 95.0, "wonen": 50.0}
    text = focus_sentence("Poelenburg", ranks, year=2024)
    assert text.startswith("Voor Poelenburg zijn in 2024 slechts 2 van 6 domeinen beschikbaar (armoede en wonen)")
    assert "daarvan ligt er 1 in de zwakste 20 % van Nederland: armoede." in text
    assert "Geen gegevens voor werk, onderwijs, gezondheid en veiligheid." in text
    assert "te weinig" in text


def test_nothing_available_claims_nothing():
    text = focus_sentence("Poelenburg", dict.fromkeys(SIX, float("nan")), year=2024)
    assert "geen van de 6 domeinen beschikbaar" in text
    assert "zwakste" not in text


def test_flagged_from_engine_overrides_threshold_and_labels_and_english():
    ranks = {"armoede": 70.0, "werk": 99.0}
    text = focus_sentence("Oud-Oost", ranks, year=2024, flagged={"armoede"}, lang="en",
                          labels={"armoede": "poverty", "werk": "work"}, worst_band=30)
    assert text == "In Oud-Oost, 1 of the 2 domains is in the weakest 30% of the Netherlands: poverty."


def test_reference_label_and_join():
    assert "van Amsterdam" in focus_sentence("Zuidoost", {"a": 90.0}, year=2024, reference="Amsterdam")
    assert join_list(["a", "b", "c"]) == "a, b en c"
    assert join_list([]) == ""


def test_older_figures_are_named():
    text = focus_sentence("Zuidoost", {"armoede": 95.0, "werk": 50.0}, year=2024, older_years=[2020, 2024, 2020])
    assert text.endswith(" Een deel van de cijfers is van 2020.")
