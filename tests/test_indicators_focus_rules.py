"""Focus areas (``indicators/focuscodec.py``, ``indicators/focusscore.py``): reading a focus-area file (depth limit,
every refusal in words) and a focus area's value from its members (``aggregate_parts``).

Mirror-free and fast: part of the mutation selection (``benchmarks/mutation.py``). A focus-area file is 4 deep
(``{"focus_areas": [{"codes": [...]}]}``); anything deeper than ``MAX_JSON_DEPTH`` (8) levels of ``[``/``{``
outside strings is refused before it is parsed. The documents below are built by hand with a known depth.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from indicators.engine import make_reference, score_areas
from indicators.focus import FocusArea
from indicators.focuscodec import MAX_JSON_DEPTH, focus_from_json, focus_to_json, parse_focus_param
from indicators.focusscore import NOT_AVAILABLE, aggregate_parts, score_focus
from tests.helpers_engine import age_shares, synthetic_frame

DEEP_NL = (
    "Focusgebiedenbestand is dieper genest dan een focusgebiedenbestand kan zijn (meer dan 8 niveaus); het is niet "
    "gelezen. Gebruik een bestand van 'Focusgebieden downloaden'."
)
DEEP_EN = (
    "Focus-area file is nested deeper than a focus-area file can be (more than 8 levels); it was not read. "
    "Use a file from 'Download focus areas'."
)


def _area(name: str = "Zaandam-Zuid") -> FocusArea:
    return FocusArea.make(name, ["WK047911", "WK047912"])


def _nested(levels: int) -> list:
    inner: list = []
    for _ in range(levels - 1):
        inner = [inner]
    return inner


def _with_extra(extra: object, name: str = "Zaandam-Zuid") -> str:
    doc = json.loads(focus_to_json([_area(name)]))
    doc["extra"] = extra  # the document object is level 1, so the extra value starts at level 2
    return json.dumps(doc)


def _refusal(text: str | bytes) -> UserInputError:
    with pytest.raises(UserInputError) as exc:
        focus_from_json(text)
    return exc.value


def test_exactly_the_depth_limit_is_read_after_a_closed_sibling():
    assert MAX_JSON_DEPTH == 8
    # level 1 the document, 2 the extra list; [] closes at level 3; then 6 more levels: 2 + 6 = 8
    text = _with_extra([[], _nested(6)])
    assert [a.name for a in focus_from_json(text)] == ["Zaandam-Zuid"]


def test_one_level_more_is_refused_in_both_languages():
    e = _refusal(_with_extra([[], _nested(7)]))  # 2 + 7 = 9
    assert (e.message, e.message_en) == (DEEP_NL, DEEP_EN)
    # the deepest branch after a deep one that closed: the count goes back down, then up to 9
    e = _refusal(_with_extra([_nested(6), [[_nested(5)]]]))  # 2 + 6 = 8, then 2 + 2 + 5 = 9
    assert e.message == DEEP_NL


def test_brackets_inside_names_are_text_also_after_escaped_quotes_and_backslashes():
    for name in ('A "[[[[[[[[[[" B', "C \\ [[[[[[[[[[", 'D \\" [[[[{{{{{{'):
        assert [a.name for a in focus_from_json(_with_extra([], name))] == [name], name
    # and after such a name the real nesting still counts
    e = _refusal(_with_extra(_nested(8), 'E \\"[ '))
    assert e.message == DEEP_NL


def test_the_depth_check_comes_before_parsing():
    assert _refusal("X" + "[" * 9).message == DEEP_NL
    e = _refusal("XXXXXXXXXXXX")  # not JSON at all, and no nesting: said so, not "too deep"
    assert e.message.startswith("Focusgebiedenbestand is geen geldige JSON (")
    assert e.message_en.startswith("Focus-area file is not valid JSON (")


def test_bytes_are_read_in_the_encoding_json_detects():
    text = focus_to_json([_area("Poelenburg – Peldersveld")])
    for enc in ("utf-8", "utf-16", "utf-32-le"):
        assert [a.name for a in focus_from_json(text.encode(enc))] == ["Poelenburg – Peldersveld"], enc
    e = _refusal(b'{"format": "\xff\xfe\xfd"}')
    assert (e.message, e.message_en) == (
        "Focusgebiedenbestand is geen tekst (verwacht JSON in UTF-8).",
        "Focus-area file is not text (expected JSON in UTF-8).",
    )


# --- aggregate_parts: a focus area's value from its members' numerators and denominators -----------------


def test_aggregate_parts_sums_members_and_says_which_are_missing():
    nan = np.nan
    rows = {  # code: value (per 100), num, den, year, source
        "A": (10.0, 95.0, 950.0, 2023, "kwb"),
        "B": (nan, nan, 20.0, 2023, "kwb"),
        "C": (nan, nan, 30.0, 2023, "kwb"),
        "D": (50.0, nan, 500.0, 2023, "bestand"),  # a value without a numerator: not summable
        "E": (10.0, 10.0, 100.0, 2022, "kwb"),
        "G": (nan, nan, 100.0, 2023, "kwb"),
        "H": (nan, nan, 0.0, 2023, "kwb"),
        "I": (nan, nan, 0.0, 2023, "kwb"),
        "J": (25.0, 0.1, 0.4, 2022, "kwb"),
        "K": (50.0, 0.3, 0.6, 2024, "pdok"),
        "L": (7.0, 7.0, 100.0, 2021, "kwb"),
    }
    part = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "num", "den", "year", "source"])
    groups = {"g1": "ABC", "g2": "DEG", "g3": "HI", "g4": "JK", "g5": "L"}
    out = aggregate_parts(part, {g: list(c) for g, c in groups.items()}, 100.0)
    # g1: A holds 950 of 1 000 (95 % >= 90 %): A's rate, and the source names B and C (5 % of the base)
    assert out.loc["g1", "value"] == 100.0 * 95.0 / 950.0 and out.loc["g1", "den"] == 950.0
    assert out.loc["g1", "source"] == "kwb (zonder B, C: 5% van de noemer)" and out.loc["g1", "year"] == 2023
    # g2: only E (100 of 700 = 14.29 %) is summable: no value, the reason names D and G
    assert np.isnan(out.loc["g2", "value"]) and out.loc["g2", "why"] == "members:0.1429:D,G"
    # g3: a base of 0 is no base: share 0, both named
    assert np.isnan(out.loc["g3", "value"]) and out.loc["g3", "why"] == "members:0.0000:H,I"
    # g4: a base that sums to exactly 1 is a base
    assert out.loc["g4", "value"] == pytest.approx(100.0 * 0.4 / 1.0) and out.loc["g4", "year"] == 2024
    assert out.loc["g4", "source"] == "kwb | pdok"
    assert out.loc["g5", "value"] == 7.0  # one member is that member
    assert out.loc[["g1", "g4", "g5"], "why"].tolist() == ["", "", ""]
    assert out["dropped"].dtype == bool and not out["dropped"].any()


# --- score_focus: comparator rows and the population rule of a focus area --------------------------------


def test_comparators_name_a_gemeente_without_data_or_name_by_its_code():
    frame = synthetic_frame(12)
    wijken = frame[frame["level"] == "wijk"].copy()
    wijken.loc[wijken["code"] == "WK900100", "aantal_inwoners"] = 100.0
    wijken.loc[wijken["code"] == "WK900101", "aantal_inwoners"] = 100.0
    wijken.loc[wijken["code"] == "WK900102", "aantal_inwoners"] = 99.0
    frame = pd.concat([frame[frame["level"] != "wijk"], wijken], ignore_index=True)
    frame.attrs = {"source": {"table_id": "SYNTH", "year": 2024}}
    nameless = frame.copy()
    nameless.loc[nameless["level"] == "gemeente", "name"] = np.nan
    nameless.attrs = frame.attrs
    ref = make_reference(nameless, "selection", "wijk", 2024, ["GM9001"])
    res = score_areas({2024: nameless}, 2024, level="wijk", reference=ref)
    areas = [
        FocusArea.make("Precies 200", ["WK900100", "WK900101"], id="p200"),
        FocusArea.make("Net te klein", ["WK900101", "WK900102"], id="p199"),
    ]
    out = score_focus(res, areas)
    assert out.loc["GM9001", "name"] == "GM9001" and out.loc["GM9001", "members"] == "GM9001"
    assert out.loc["NL00", "gemeenten"] == ""
    # "fewer than 200 inhabitants": 100 + 100 = 200 is shown, 100 + 99 = 199 is not
    assert out.loc["p200", "population"] == 200.0 and pd.isna(out.loc["p200", "suppressed_reason"])
    assert out.loc["p199", "population"] == 199.0 and not pd.isna(out.loc["p199", "suppressed_reason"])
    # the data hold the wijken but not their gemeente: the comparator row says so, named by its code
    only = frame[frame["level"] == "wijk"].reset_index(drop=True)
    only.attrs = frame.attrs
    res2 = score_areas(
        {2024: only}, 2024, level="wijk", reference=make_reference(only, "selection", "wijk", 2024, ["GM9001"])
    )
    row = score_focus(res2, areas[:1]).loc["GM9001"]
    assert row["members"] == NOT_AVAILABLE and row["name"] == "GM9001"


def test_link_with_too_many_members_still_names_the_problems_after_it():
    text = "A:" + "+".join(["WK000101"] * 251) + ";B"
    with pytest.raises(UserInputError) as exc:
        parse_focus_param(text)
    assert exc.value.message == (
        "Focusgebieden in de link: 'A' heeft 251 leden (maximaal 250); "
        "focusgebied 2 ('B') heeft geen ':' tussen naam en codes."
    )
    assert exc.value.message_en == (
        "Focus areas in the link: 'A' has 251 members (at most 250); "
        "focus area 2 ('B') has no ':' between name and codes."
    )


def test_gemeente_rows_are_ranked_against_their_own_gemeente_where_the_country_has_no_data():
    """ww_werkleeftijd has no national values here (the age counts are missing from the national frame and
    only the selected gemeenten get them from attributes): it is ranked against the own gemeente. A gemeente
    comparator row is ranked there too, with its own gemeente's label; Nederland has no own gemeente."""
    a = synthetic_frame(40, seed=1, gemeente="GM9001")
    b = synthetic_frame(30, seed=2, gemeente="GM9002")
    nat = pd.concat([a, b], ignore_index=True).drop(
        columns=["k_15_tot_25_jaar", "k_25_tot_45_jaar", "k_45_tot_65_jaar"]
    )
    nat.attrs = a.attrs
    attrs = age_shares(nat["code"])
    ref = make_reference(nat, "nl", "wijk", 2024)
    res = score_areas(
        {2024: nat}, 2024, level="wijk", reference=ref, gemeenten=["GM9001", "GM9002"], attributes={2024: attrs}
    )
    out = score_focus(res, [FocusArea.make("Een", ["WK900101", "WK900102"]), FocusArea.make("Twee", ["WK900201"])])
    u = res.universe
    for gm, wijk in (("GM9001", "WK900101"), ("GM9002", "WK900201")):
        assert np.isfinite(out.loc[gm, "ww_werkleeftijd__rank"]), gm
        assert out.loc[gm, "ww_werkleeftijd__ref"] == u.loc[wijk, "ww_werkleeftijd__ref"], gm
    assert "geen landelijke gegevens" in out.loc["GM9002", "ww_werkleeftijd__ref"]
    assert np.isnan(out.loc["NL00", "ww_werkleeftijd__rank"])
    # Nederland from the national wijken, their missing working-age counts from the attributes' percentages:
    # 100 x sum(WW) / sum(inwoners x (12 + 28 + 26) / 100)
    wijken = nat[nat["level"] == "wijk"].reset_index(drop=True)
    wijken.attrs = nat.attrs
    with_nl = score_focus(res, [FocusArea.make("Een", ["WK900101"])], national=wijken, national_attributes=attrs)
    work = wijken["aantal_inwoners"].to_numpy() * 66 / 100
    expected = 100 * wijken["personen_per_soort_uitkering_ww"].sum() / work.sum()
    assert with_nl.loc["NL00", "ww_werkleeftijd"] == pytest.approx(expected)
