"""Issue 21 (weights) and issue 23 (what the composite rests on): where the map shows no composite, the legend and
the tooltip say which rule withheld it and how many domains were known of how many needed, not only "geen
gegevens / onderdrukt (n = ...)"; whenever the composite rests on fewer domains than carry weight, for every
area, the legend names the domains it rests on (not only in the national view).

Expected counts are recomputed from the score table's own domain scores and weights (not from its composite
columns): a composite needs min(3, weighted domains with data) known weighted domains."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from tests.helpers_app import map_args, run_app

README_LINK = {"gm": "GM0479,GM0363", "colour": "composite", "w": "armoede:2,werk:0"}  # README's own example


def _legend(at) -> str:
    bodies = [h.proto.body for h in at.get("html") if h.proto.body.startswith('<div class="sk-legend"')]
    assert len(bodies) == 1
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", bodies[0])).split()).replace("\u202f", " ")


def _recount(weights: dict[str, float]):
    """(known weighted domains per area, need, weighted domains, suppressed) recomputed from domain scores."""
    from indicators import registry as reg
    from indicators.columns import absent_domains
    from indicators.result import domain_column
    from pages._common import loaders_frames

    res, _ = loaders_frames._score(("GM0363", "GM0479"), 2024, "wijk", "nl", ())
    table = res.table
    absent = absent_domains(res.settings)  # gezondheid at wijk level: out of m, said by its own line
    weighted = [d for d in reg.DOMAINS if weights.get(d, 1.0) > 0 and d not in absent]
    with_data = [d for d in weighted if table[domain_column(d)].notna().any()]
    known = sum(table[domain_column(d)].notna().astype(int) for d in weighted)
    need = min(res.settings["min_domains"], len(with_data))
    return table, known, need, weighted, with_data


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_readme_link_legend_says_why_no_composite(mirror, warm_cache, lang):
    table, known, need, weighted, _ = _recount({"armoede": 2, "werk": 0})
    supp = table["suppressed"].astype(bool)
    withheld = (~supp) & (known < need)
    assert int((~supp & ~withheld).sum()) >= 100  # the README link shows composites
    at = run_app({**README_LINK, "lang": lang})
    legend = _legend(at)
    assert int(withheld.sum()) > 0
    for k, n in known[withheld].value_counts().items():
        areas = (f"{n} gebied" + ("en" if n > 1 else "")) if lang == "nl" else (f"{n} area" + ("s" if n > 1 else ""))
        want = f"{areas}: {k} van minimaal {need}" if lang == "nl" else f"{areas}: {k} of at least {need}"
        assert want in legend, legend
    rule = (
        f"Geen samengestelde score (grijs) waar minder dan {need} van de {len(weighted)} domeinen met een gewicht "
        "boven 0 bekend zijn"
        if lang == "nl"
        else f"No composite score (grey) where fewer than {need} of the {len(weighted)} domains with a weight "
        "above 0 are known"
    )
    assert rule in legend, legend
    # the suppressed area (Poelenburg's neighbour below the minimum population) is counted with its reason
    n_supp, pop = int(supp.sum()), 200
    assert n_supp == 1 and (table.loc[supp, "population"] < pop).all()
    want = (
        "Ook geen score (grijs) voor onderdrukte gebieden: 1 gebied: minder dan 200 inwoners."
        if lang == "nl"
        else "No score (grey) for suppressed areas either: 1 area: fewer than 200 inhabitants."
    )
    assert want in legend, legend


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_readme_link_tooltip_gives_each_area_its_reason(mirror, warm_cache, lang):
    table, known, need, _weighted, _ = _recount({"armoede": 2, "werk": 0})
    at = run_app({**README_LINK, "lang": lang})
    args = map_args(at)
    label = "Waarom geen score" if lang == "nl" else "Why no score"
    line = next(f for f in args["fields"] if f["label"] == label)
    assert line["encoding"] == "flags"
    comps = [c for c in at.get("component_instance") if c.proto.component_name == "components.deckmap.deckmap"]
    raw = {a.key: a.bytes for a in comps[0].proto.special_args}
    masks = np.frombuffer(raw[[k for k in raw if k.startswith("field")][args["fields"].index(line)]], dtype="<u2")
    from components.deckmap import geometry_url  # noqa: F401  (the order of areas is the geometry's)
    from pages._common import loaders_map

    order = list(loaders_map.map_geometry(("GM0363", "GM0479"), 2024, "wijk").codes)
    names = line["names"]
    for i, code in enumerate(order):
        if code not in table.index:
            continue
        text = ", ".join(n for b, n in enumerate(names) if int(masks[i]) & (1 << b)) or line["none"]
        if bool(table.loc[code, "suppressed"]):
            assert ("onderdrukt" if lang == "nl" else "suppressed") in text, (code, text)
        elif known[code] < need:
            want = f"{known[code]} van minimaal {need}" if lang == "nl" else f"{known[code]} of at least {need}"
            assert text.startswith(want), (code, text)
        else:
            assert text == line["none"], (code, text)


@pytest.mark.parametrize("colour", ["composite", "stacking"])
def test_legend_names_the_domains_the_composite_rests_on(mirror, warm_cache, colour):
    """Amsterdam + Zaanstad without imported files: only Werk and Wonen have domain scores, so every area's
    composite and stacking rest on at most those 2 of the 6 domains; the legend says so (before: only nationally)."""
    from indicators import registry as reg

    _table, known, _need, weighted, with_data = _recount({})
    assert len(with_data) < len(weighted) and int(known.max()) <= len(with_data)
    at = run_app({"gm": "GM0479,GM0363", "colour": colour})
    names = ", ".join(reg.DOMAINS[d].label["nl"] for d in with_data)
    assert f"Alleen {len(with_data)} van de {len(weighted)} domeinen ({names}) hebben in deze referentie" in _legend(
        at
    ), _legend(at)
