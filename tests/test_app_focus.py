"""The UI half of issue 12: focus areas as data in the URL, side by side, Buurtprofiel of a focus area."""

from __future__ import annotations

import pandas as pd

from tests import helpers_versions as V
from tests.conftest import SHARED_DATA, needs_shared
from tests.helpers_app import run_app

pytestmark = needs_shared

ZAANSTAD_PLUS = (
    "Zaandam-Zuid:WK047911;Poelenburg:WK047912;Pelders- en Hoornseveld:WK047913;"
    "Rosmolenwijk:WK047914;Kogerveldwijk:WK047915;Oud-Oost:WK0363MB+WK0363MC+WK0363MD+WK0363ME;"
    "Zuidoost:" + "+".join(f"WK0363T{c}" for c in "ABCDEFGHJKLM")
)


def _side_table(at) -> pd.DataFrame:
    """The side-by-side table (st.table): its columns are the focus areas, then the references."""
    return at.table[-1].value


def test_focus_areas_from_the_url_become_the_side_by_side_columns(mirror, warm_cache):
    fa = "Noord-Zaandam:WK047911+WK047912;Oud-Oost:WK0363MB+WK0363MC"
    at = run_app({"fa": fa, "page": "vergelijken"}, "vergelijken")
    assert not at.error, [e.value for e in at.error]
    side = _side_table(at)
    assert list(side.columns) == ["Noord-Zaandam", "Oud-Oost", "Zaanstad", "Amsterdam", "Nederland"]
    assert dict(at.query_params)["fa"] == fa  # the link keeps the definition
    heads = [h.value.replace("\\", "") for h in at.subheader]
    assert heads[:2] == ["Noord-Zaandam", "Oud-Oost"]


def test_bad_members_are_named_and_nothing_else_is_dropped(mirror, warm_cache):
    at = run_app({"fa": "A:WK047911+WK047999;B:BU04791201", "page": "vergelijken"}, "vergelijken")
    text = " ".join(w.value for w in at.warning)
    assert "WK047999" in text and "'B'" in text and "buurt" in text
    assert "WK047911" not in text  # only the bad member is named; A keeps its good member
    at = run_app({"fa": "Leeg:", "page": "vergelijken"}, "vergelijken")
    assert "'Leeg' heeft geen leden" in " ".join(w.value for w in at.warning)


def test_buurtprofiel_of_a_focus_area_lists_members_and_sums_numerators(mirror, warm_cache):
    fa = "Twee:WK047911+WK047921"
    at = run_app({"fa": fa, "fopen": "twee", "page": "buurtprofiel"}, "buurtprofiel")
    assert not at.error, [e.value for e in at.error]
    members = [d.value for d in at.dataframe if "code" in d.value.columns]
    assert members and list(members[0]["code"]) == ["WK047911", "WK047921"]
    # the aggregate of two wijken = sum of numerators / sum of denominators, recomputed from ../shared/data
    import json

    from indicators import registry as reg
    from indicators.focus import FocusArea
    from indicators.focusscore import focus_profile
    from pages._common import loaders_frames
    from pages._common.fmt import fmt_num
    from pages._common.i18n import label

    rows = json.loads((SHARED_DATA / "derived" / "odata" / "85984NED" / "TypedDataSet.json").read_text())
    by = {r["WijkenEnBuurten"].strip(): r for r in rows}
    num = sum(by[c]["PersonenPerSoortUitkeringBijstand_94"] for c in ("WK047911", "WK047921"))
    den = sum(by[c]["AantalInwoners_5"] for c in ("WK047911", "WK047921"))
    profile = next(d.value for d in at.dataframe if "Waarde" in d.value.columns).set_index("Indicator")
    shown = profile.loc[label(reg.INDICATORS["bijstand_per_1000"], "nl"), "Waarde"]
    assert shown == fmt_num(1000 * num / den, 1, "nl")
    corp = sum(by[c]["InBezitWoningcorporatie_49"] * by[c]["Woningvoorraad_35"] for c in ("WK047911", "WK047921"))
    stock = sum(by[c]["Woningvoorraad_35"] for c in ("WK047911", "WK047921"))
    assert profile.loc[label(reg.INDICATORS["sociale_huur"], "nl"), "Waarde"] == fmt_num(corp / stock, 1, "nl")
    # and every figure shown is the one indicators.focusscore.focus_profile computes
    res = loaders_frames.scored(("GM0363", "GM0479"), 2024, "wijk", "nl").result
    row, _ = focus_profile(
        res, FocusArea.make("Twee", ["WK047911", "WK047921"]), national=loaders_frames.kwb_national(2024, "gemeente")
    )
    for ind in reg.INDICATORS.values():
        assert profile.loc[label(ind, "nl"), "Waarde"] == fmt_num(row.get(ind.id), 1, "nl"), ind.id


def test_editor_adds_renames_deletes_and_loads_a_preset(mirror, warm_cache):
    at = run_app({"page": "vergelijken", "fa": "Een:WK047911;Twee:WK047921"}, "vergelijken")
    at.text_input(key="w_fa_new_name").input("Drie")
    at.multiselect(key="w_fa_new_members").select("WK047923")
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert dict(at.query_params)["fa"] == "Een:WK047911;Twee:WK047921;Drie:WK047923"
    at.text_input(key="w_fa_name_0").input("Eerste")
    at.checkbox(key="w_fa_del_1").check()
    next(b for b in at.button if b.label == "Wijzigingen toepassen").click().run()
    assert dict(at.query_params)["fa"] == "Eerste:WK047911;Drie:WK047923"
    assert list(_side_table(at).columns[:2]) == ["Eerste", "Drie"]
    at.selectbox(key="w_fa_preset").select("zaanstad-kansengelijkheid")
    at.button(key="b_fa_preset").click().run()
    assert dict(at.query_params)["fa"].startswith("Zaandam-Zuid:WK047911;Poelenburg (Zaanstad):WK047912;")
    assert not at.exception


def test_what_changed_lists_exactly_the_differing_variables_and_a_view_can_go_back(serve):
    from data.cbs import load_kwb

    serve(1)
    load_kwb(V.GM, 2024, levels=("gemeente", "wijk", "buurt"))
    serve(2)
    v2 = load_kwb(V.GM, 2024, levels=("gemeente", "wijk", "buurt"), refresh=True)
    expected = {(v, s) for c, v, s in V.expected_differences(v2) if c == "WK047911"}
    at = run_app({"page": "buurtprofiel", "area": "WK047911", "ref": "gemeente"}, "buurtprofiel")
    assert not at.error, [e.value for e in at.error]
    listed = [d.value for d in at.dataframe if "variable" in d.value.columns]
    assert listed, [m.value for m in at.info]
    shown = {(v, s) for v, s in zip(listed[0]["variable"], listed[0]["Status"])}
    status = {"gewijzigd": "changed", "nieuw": "appeared", "verdwenen": "disappeared"}
    assert {(v, status[s]) for v, s in shown} == expected and expected
    assert any("2025-03-27" in c.value and "2025-10-01" in c.value for c in at.caption)
    # a focus area of two wijken: its members' changed figures
    at = run_app(
        {"page": "buurtprofiel", "fa": "Zz:WK047911+WK0363FG", "fopen": "zz", "ref": "gemeente"}, "buurtprofiel"
    )
    listed = [d.value for d in at.dataframe if "variable" in d.value.columns]
    want = {(c, v) for c, v, _ in V.expected_differences(v2) if c in ("WK047911", "WK0363FG")}
    assert set(zip(listed[0]["code"], listed[0]["variable"])) == want
    # "go back to the previous version" is this view's choice (kv=), the shared cache keeps its current one
    at.button(key="b_kv_old").click().run()
    assert dict(at.query_params)["kv"] == V.MODIFIED[1]
    assert any("2025-03-27" in w.value for w in at.warning)
    from data import cache

    assert all(cache.versions(k)[-1]["current"] for k in V.cache_keys())


def test_eindhoven_preset_compares_without_a_map_and_says_so(mirror, warm_cache):
    from indicators.focus import PRESETS
    from indicators.focuscodec import format_focus_param

    at = run_app(
        {"fa": format_focus_param(PRESETS["eindhoven-tongelre-gestel"].areas), "page": "vergelijken"}, "vergelijken"
    )
    assert not at.error, [e.value for e in at.error]
    assert any("GM0772" in i.value and "zonder kaart" in i.value for i in at.info)
    assert list(_side_table(at).columns) == ["Tongelre", "Gestel", "Eindhoven", "Nederland"]


def test_vergelijken_legend_has_one_mark_per_meaning(mirror, warm_cache):
    """Each panel's own gemeente is one legend entry ('Eigen gemeente'), not two gemeenten with the same mark;
    the gemeente's name stays in the tooltip data."""
    import json

    at = run_app({"page": "vergelijken"}, "vergelijken")
    assert not at.exception
    spec = json.loads(next(e for e in at.main if getattr(e, "type", "") == "vega_lite_chart").proto.spec)
    scale = spec["spec"]["layer"][1]["encoding"]["color"]["scale"]
    assert scale["domain"].count("Eigen gemeente") == 1
    assert "Amsterdam" not in scale["domain"] and "Zaanstad" not in scale["domain"]
    assert len(set(zip(scale["domain"], scale["range"]))) == len(scale["domain"])
