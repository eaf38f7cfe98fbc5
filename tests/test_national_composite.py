"""Issue 23: the national composite says what it rests on.

Nationally (``cbs-mirror --national``) the deprivation variables exist only for Amsterdam and 5 Zaanstad wijken,
and their national denominators not at all, so only the domain Wonen has a domain score in the national
reference. The engine's rule (a composite needs min(3, domains with data) domains) then makes the composite and
the stacking count of "Heel Nederland" the Wonen domain alone; the legend said "Samengestelde score" with five
classes and nothing about it. Now the legend names the one domain.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import MIRROR_BIN
from tests.helpers_app import map_args, run_app

pytestmark = pytest.mark.skipif(not MIRROR_BIN.exists(), reason="../shared/cbs-mirror is absent")


def _legend(at) -> str:
    bodies = [h.proto.body for h in at.get("html") if h.proto.body.startswith('<div class="sk-legend"')]
    assert len(bodies) == 1
    return html.unescape(re.sub(r"<[^>]+>", " ", bodies[0]))


@pytest.mark.parametrize("colour", ["composite", "stacking"])
def test_national_legend_says_the_composite_is_wonen_alone(nat_warm, colour):
    from pages._common import loaders_frames

    res = loaders_frames.scored(loaders_frames.NATIONAL, 2024, "wijk", "nl").result
    assert res.settings["domains_with_data"] == ("wonen",) and res.settings["min_domains"] == 3
    at = run_app({"nl": "1", "colour": colour})
    legend = " ".join(_legend(at).split())
    assert (
        "Alleen het domein Wonen heeft in deze referentie (3 393 wijken van Nederland, 2024) genoeg gegevens: "
        "de samengestelde score en het aantal gestapelde domeinen rusten hier op dat ene domein van de 6, "
        "niet op de 3 die de regel vraagt als er genoeg zijn." in legend.replace("\u202f", " ")
    ), legend
    # what is coloured is what the line says: at most 1 stacked domain, composite where Wonen has a score
    table = res.table
    coloured = table["composite"].notna()
    assert (coloured == table["domain__wonen__rank"].notna()).all()
    if colour == "stacking":
        assert table["stacking_count"].max() <= 1
    assert len(map_args(at)["fill"]) == 3393


def test_english_and_buurt_level(nat_warm):
    at = run_app({"nl": "1", "colour": "composite", "lang": "en", "level": "buurt"})
    legend = " ".join(_legend(at).split()).replace("\u202f", " ")
    # at buurt level 50150NED adds Health (issue 23): two domains with data, of the 7 counted
    assert (
        "Only 2 of the 7 domains (Housing, Health) have enough data in this reference (14,574 neighbourhoods" in legend
    ), legend
