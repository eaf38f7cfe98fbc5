"""Every page renders against the mirror without exception; widgets change results; the URL round-trips."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, SHARED_DATA

INCOME = SHARED_DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
PAGES = ["kaart", "vergelijken", "buurtprofiel", "prioriteren", "methode", "gegevens"]


def _app(params: dict | None = None) -> AppTest:
    import streamlit as st
    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _import_income(cache_dir):
    """The real CBS income file, imported as the Gegevens page does (persisted in the cache dir)."""
    import streamlit as st
    from pages._common import loaders
    loaders.import_user_file(INCOME.read_bytes(), INCOME.name)
    st.cache_data.clear()


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_against_the_mirror(mirror, cache_dir, page):
    at = _app({"page": page, "area": "WK047912"})
    at.run()
    if page != "kaart":
        at.switch_page(f"pages/{page}.py").run()
    _ok(at)
    assert not at.error, [e.value for e in at.error]
    assert at.title


def _map_args(at: AppTest) -> dict:
    """The arguments the Kaart page gave the map component (components.deckmap), bytes decoded."""
    import numpy as np
    comps = [c for c in at.get("component_instance") if c.proto.component_name == "components.deckmap.deckmap"]
    assert len(comps) == 1
    args = json.loads(comps[0].proto.json_args)
    special = {a.key: a.bytes for a in comps[0].proto.special_args}
    args["fill"] = np.frombuffer(special["fill"], dtype=np.uint8)
    return args


def test_kaart_draws_the_map_component_with_focus_outlines(mirror, cache_dir):
    """Claims of the old pydeck test on the component's arguments: every boundary is in the geometry file,
    focus members are outlined, areas without a value get the grey no-data class, no tiles (offline)."""
    import numpy as np
    from data.layercache import path_of
    from data.pdok import load_boundaries
    from geo.quantize import decode
    from indicators.focus import FOCUS_AREAS
    from pages._common import loaders

    at = _app()
    at.run()
    _ok(at)
    args = _map_args(at)   # the same-origin geometry file, no basemap (offline): checked below
    header, _ = decode(path_of(args["geometry_url"].rsplit("/", 1)[1]).read_bytes())
    pdok = load_boundaries(["GM0363", "GM0479"], 2024, "wijk")
    assert sorted(header["codes"]) == sorted(pdok["code"]) and len(args["fill"]) == len(pdok)
    members = {c for f in FOCUS_AREAS.values() for c in f.codes}
    assert "WK047912" in members and members <= set(args["outlines"])
    assert args["geometry_url"].startswith("/") and "cartocdn" not in json.dumps(args["palette"]) + args["geometry_url"]
    # grey no-data class: exactly the areas without a stacking value (recomputed from the scores)
    table = loaders.scored(("GM0363", "GM0479"), 2024, "wijk", "nl").table.set_index("code")
    dom = [c for c in table.columns if c.startswith("domain__") and c.count("__") == 1]
    nodata = {c for c in header["codes"] if c not in table.index or table.loc[c, dom].isna().all()}
    assert args["palette"][-1] == [189, 189, 189, 255] and nodata
    grey = {c for c, k in zip(header["codes"], args["fill"]) if k == len(args["palette"]) - 1}
    assert grey == nodata
    names = dict(zip(header["codes"], header["names"]))
    assert names["WK047912"] == "Poelenburg (WK047912)"
    assert dict(at.query_params)["page"] == "kaart"
    assert np.isin(args["fill"], np.arange(len(args["palette"]))).all()


def test_vergelijken_opens_each_focus_area_with_an_honest_sentence(mirror, cache_dir):
    at = _app({"page": "vergelijken"})
    at.run()
    at.switch_page("pages/vergelijken.py").run()
    _ok(at)
    assert [h.value for h in at.header] == ["Poelenburg", "Oud-Oost", "Zuidoost"]
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Voor Poelenburg zijn in 2024 geen van de 6 domeinen beschikbaar" in html
    assert "Voor Oud-Oost zijn in 2024 slechts" in html


def test_english_switch(mirror, cache_dir):
    at = _app({"lang": "en", "page": "vergelijken"})
    at.run()
    at.switch_page("pages/vergelijken.py").run()
    _ok(at)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "For Poelenburg, none of the 6 domains are available for 2024" in html


def test_weights_change_the_top_ranked_area(mirror, cache_dir):
    _import_income(cache_dir)
    at = _app()
    at.run()
    at.switch_page("pages/prioriteren.py").run()
    _ok(at)
    top = lambda: at.dataframe[0].value.iloc[0]["code"]  # noqa: E731
    first = top()
    at.slider(key="w_weight_werk").set_value(5.0).run()
    _ok(at)
    assert top() != first
    assert dict(at.query_params)["w"] == "werk:5" and dict(at.query_params)["page"] == "prioriteren"
    at.button(key="b_reset").click().run()
    assert top() == first and "w" not in dict(at.query_params)


def test_imported_income_file_survives_a_restart(mirror, cache_dir):
    _import_income(cache_dir)
    assert list((cache_dir / "userfiles").glob("*.csv"))
    at = _app({"page": "gegevens"})
    at.run()
    at.switch_page("pages/gegevens.py").run()
    _ok(at)
    assert any("cbs_inkomen_2020" in m.value.replace("\\", "") for m in at.markdown)


def test_query_params_round_trip(mirror, cache_dir):
    params = {"colour": "domain:wonen", "classes": "equal_interval", "k": "4", "area": "WK0363MC", "page": "kaart"}
    at = _app(params)
    at.run()
    _ok(at)
    assert dict(at.query_params) == params
    assert at.selectbox(key="w_colour").value == "domain:wonen"
    assert at.number_input(key="w_k").value == 4


def test_tampered_params_fall_back_with_a_visible_warning(mirror, cache_dir):
    at = _app({"year": "1900", "page": "../../etc", "w": "armoede:-1", "gm": "GM0479' or 1 eq 1",
               "colour": "<script>alert(1)</script>", "junk": "x" * 10_000})
    at.run()
    _ok(at)
    warning = " ".join(w.value for w in at.warning)
    assert "year" in warning and "page" in warning and "<script>" not in warning
    qp = dict(at.query_params)
    assert qp == {"page": "kaart"}


def test_presentation_mode_hides_chrome_and_steps_focus_areas(mirror, cache_dir):
    at = _app({"present": "1"})
    at.run()
    _ok(at)
    css = " ".join(h.proto.body for h in at.get("html"))
    assert 'data-testid="stSidebar"' in css and "display: none" in css
    assert at.title[0].value == "Poelenburg"
    at.button(key="b_next").click().run()
    assert at.title[0].value == "Oud-Oost" and dict(at.query_params)["focus"] == "1"


def test_buurt_level_shows_no_data_explanation(mirror, cache_dir):
    at = _app({"level": "buurt"})
    at.run()
    _ok(at)
    assert any("buurten" in i.value.lower() for i in at.info)


def test_hotspot_toggle_switches_the_legend_to_lisa(mirror, cache_dir):
    _import_income(cache_dir)
    at = _app()
    at.run()
    at.toggle(key="w_hotspots").set_value(True).run()
    _ok(at)
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "HH:" in legend and "niet significant" in legend
    assert dict(at.query_params)["hotspots"] == "1"


def test_profile_explains_why_and_shows_the_rank_interval(mirror, cache_dir):
    _import_income(cache_dir)
    at = _app({"area": "WK0363TG", "page": "buurtprofiel"})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    _ok(at)
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Armoede & inkomen" in text and "90 %-interval" in text
    assert any("Alleen 2024 is beschikbaar" in i.value for i in at.info)


def test_exports_png_and_pdf(mirror, cache_dir):
    at = _app()
    at.run()
    at.button(key="b_png").click().run()
    _ok(at)
    assert at.get("download_button")
    at.switch_page("pages/vergelijken.py").run()
    at.button(key="b_pdf").click().run()
    _ok(at)
    assert not at.error


def test_failed_fetch_without_cache_says_what_happened(mirror, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    mirror.fault(status=503)
    at = _app()
    at.run()
    _ok(at)
    assert at.error and "CBS" in at.error[0].value and "Traceback" not in at.error[0].value


def test_refresh_failure_keeps_the_cache_and_shows_its_date(mirror, cache_dir, monkeypatch):
    at = _app()
    at.run()                                   # warm the cache (Kaart loads everything)
    at.switch_page("pages/gegevens.py").run()
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    mirror.fault(status=503)
    at.button(key="b_refresh").click().run()
    _ok(at)
    assert any("Gecachte gegevens van" in w.value for w in at.warning), [e.value for e in at.error]


@pytest.mark.parametrize("page", ["vergelijken", "buurtprofiel", "prioriteren"])
def test_pages_with_the_income_file_imported(mirror, cache_dir, page):
    """With the income file, Poelenburg has no stacking domains at all (NA): pages must still render."""
    _import_income(cache_dir)
    at = _app({"area": "WK047912", "lang": "en"})
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    _ok(at)
    assert not at.error, [e.value for e in at.error]


def test_kaart_warns_when_ranks_rest_on_a_small_part_of_the_reference(mirror, cache_dir):
    """Reference 'nl' in the mirror: 114 of 3 393 wijken have benefit figures; the page says so."""
    at = _app()
    at.run()
    _ok(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "Lage dekking van de referentie" in warnings
    assert re.search(r"\b1\d\d van 3\s?393\b", warnings)


def test_vergelijken_switches_between_household_and_person_income(mirror, cache_dir):
    """The households/persons control swaps 'huishoudens in laagste 40%' for its person-based variant."""
    at = _app({"page": "vergelijken"})
    at.switch_page("pages/vergelijken.py").run()
    _ok(at)
    first = at.dataframe[0].value.to_string()
    assert "Huishoudens in landelijke laagste 40% inkomen" in first and "Personen in landelijke" not in first
    at.segmented_control(key="w_basis").set_value("persons").run()
    _ok(at)
    second = at.dataframe[0].value.to_string()
    assert "Personen in landelijke laagste 40% inkomen" in second and "Huishoudens in landelijke laagste 40%" not in second


def test_kaart_weight_change_recolours_with_the_same_geometry(mirror, cache_dir):
    """A weight on Kaart changes the colour indices; the geometry file (name = content hash) stays the same."""
    _import_income(cache_dir)
    at = _app({"colour": "composite"})
    at.run()
    _ok(at)
    before = _map_args(at)
    at.slider(key="kw_armoede").set_value(5.0).run()
    _ok(at)
    after = _map_args(at)
    assert dict(at.query_params)["w"] == "armoede:5"
    assert after["geometry_hash"] == before["geometry_hash"] and after["geometry_url"] == before["geometry_url"]
    assert (after["fill"] != before["fill"]).any()
