"""Every page renders against the mirror without exception; widgets change results; the URL round-trips."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers_app import INCOME, assert_ok, import_income, map_args, new_app
from tests.helpers_faults import inject

ADMIN_TOKEN = "test-admin-token-0123456789"
PAGES = ["kaart", "vergelijken", "buurtprofiel", "prioriteren", "methode", "gegevens"]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_against_the_mirror(mirror, warm_cache, page):
    at = new_app({"page": page, "area": "WK047912"})
    at.run()
    if page != "kaart":
        at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    assert at.title


def test_kaart_draws_the_map_component_with_focus_outlines(mirror, warm_cache):
    """Claims of the old pydeck test on the component's arguments: every boundary is in the geometry file,
    focus members are outlined, areas without a value get the grey no-data class, no tiles (offline)."""
    import numpy as np

    from components.deckmap.store import path_of
    from data.pdok import load_boundaries
    from geo.quantize import decode
    from indicators.focus import FOCUS_AREAS
    from pages._common import loaders_frames

    at = new_app()
    at.run()
    assert_ok(at)
    args = map_args(at)  # the same-origin geometry file, no basemap (offline): checked below
    header, _ = decode(path_of(args["geometry_url"].rsplit("/", 1)[1]).read_bytes())
    pdok = load_boundaries(["GM0363", "GM0479"], 2024, "wijk")
    assert sorted(header["codes"]) == sorted(pdok["code"]) and len(args["fill"]) == len(pdok)
    members = {c for f in FOCUS_AREAS.values() for c in f.codes}
    assert "WK047912" in members and members <= set(args["outlines"])
    assert args["geometry_url"].startswith("/") and "cartocdn" not in json.dumps(args["palette"]) + args["geometry_url"]
    # grey no-data class: exactly the areas without a stacking value (recomputed from the scores)
    table = loaders_frames.scored(("GM0363", "GM0479"), 2024, "wijk", "nl").table.set_index("code")
    dom = [c for c in table.columns if c.startswith("domain__") and c.count("__") == 1]
    nodata = {c for c in header["codes"] if c not in table.index or table.loc[c, dom].isna().all()}
    assert args["palette"][-1] == [189, 189, 189, 255] and nodata
    grey = {c for c, k in zip(header["codes"], args["fill"]) if k == len(args["palette"]) - 1}
    assert grey == nodata
    names = dict(zip(header["codes"], header["names"]))
    assert names["WK047912"] == "Poelenburg (WK047912)"
    assert at.session_state["_view"].page == "kaart" and "page" not in at.query_params  # the path names the page
    assert np.isin(args["fill"], np.arange(len(args["palette"]))).all()


def test_vergelijken_opens_each_focus_area_with_an_honest_sentence(mirror, warm_cache):
    at = new_app({"page": "vergelijken"})
    at.run()
    at.switch_page("pages/vergelijken.py").run()
    assert_ok(at)
    # side by side (issue 12): one column per focus area, each under its own subheading
    heads = [h.value.replace("\\", "") for h in at.subheader]  # names are Markdown-escaped (user-defined)
    assert [h for h in heads if h != "Naast elkaar"] == [
        "Poelenburg",
        "Oud-Oost",
        "Zuidoost",
        "Gezondheid tussen peiljaren (ervaren gezondheid niet goed, % volwassenen)",  # issue 23: after the areas
    ]
    html = " ".join(h.proto.body for h in at.get("html"))
    # issue 10: "not enough data" is never worded as "nothing wrong"; n of m is always said
    assert "Voor Poelenburg is van geen enkel domein genoeg bekend" in html and "(0 van 6 bekend)" in html
    assert "geen teken dat er niets aan de hand is" in html
    assert "In Oud-Oost ligt geen van de 2 bekende domeinen (van 6) in de zwakste 20 %" in html


def test_english_switch(mirror, warm_cache):
    at = new_app({"lang": "en", "page": "vergelijken"})
    at.run()
    at.switch_page("pages/vergelijken.py").run()
    assert_ok(at)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "For Poelenburg no domain has enough data to say whether it is in the worst 20 % (0 of 6 known)" in html


def test_weights_change_the_ranking_order(mirror, cache_dir, warm_cache):
    """werk = 5 reorders the ranking (with the honest measure of issue 10 WK0363TG stays first with equal weights
    and with werk = 5, so the claim is the top five, recomputed from the engine for those weights)."""
    digest = import_income(cache_dir)
    at = new_app({"files": digest})
    at.run()
    at.switch_page("pages/prioriteren.py").run()
    assert_ok(at)
    top5 = lambda: list(at.dataframe[0].value["Code"].iloc[:5])  # noqa: E731
    first = top5()
    at.select_slider(key="w_weight_werk").set_value(5.0).run()
    assert_ok(at)
    from indicators import registry as reg
    from indicators.tables import rank_table
    from pages._common import loaders_frames, scoring

    weights = {**dict.fromkeys(reg.DOMAINS, 1.0), "werk": 5.0}
    result, _ = loaders_frames._score(("GM0363", "GM0479"), 2024, "wijk", "nl", (digest,))  # the view's files
    table = result.reweight(weights).table
    min_pop = scoring.ENGINE_DEFAULTS["min_population"]  # the page's default filter
    expected = list(rank_table(table, ("GM0363", "GM0479"), min_pop, 0)["code"].iloc[:5])
    assert top5() == expected and top5() != first
    assert dict(at.query_params)["w"] == "werk:5" and at.session_state["_view"].page == "prioriteren"
    at.button(key="b_reset").click().run()
    assert top5() == first and "w" not in dict(at.query_params)


def test_imported_income_file_survives_a_restart_in_the_view_that_names_it(mirror, cache_dir):
    """Imports are per view (issue 11): stored under the digest of the bytes; a view whose link names the digest
    lists and scores it, a view whose link does not never sees it."""
    digest = import_income(cache_dir)
    assert (cache_dir / "userstore" / f"{digest}.bin").read_bytes() == INCOME.read_bytes()
    at = new_app({"page": "gegevens", "files": digest})
    at.run()
    at.switch_page("pages/gegevens.py").run()
    assert_ok(at)
    assert any("cbs_inkomen_2020" in m.value.replace("\\", "") for m in at.markdown)
    assert dict(at.query_params)["files"] == digest
    other = new_app({"page": "gegevens"})
    other.run()
    other.switch_page("pages/gegevens.py").run()
    assert_ok(other)
    assert not any("cbs_inkomen_2020" in m.value.replace("\\", "") for m in other.markdown)


def test_query_params_round_trip(mirror, warm_cache):
    params = {"colour": "domain:wonen", "classes": "equal_interval", "k": "4", "area": "WK0363MC", "page": "kaart"}
    at = new_app(params)
    at.run()
    assert_ok(at)
    assert dict(at.query_params) == params
    assert at.selectbox(key="w_colour").value == "domain:wonen"
    assert at.number_input(key="w_k").value == 4


def test_tampered_params_fall_back_with_a_visible_warning(mirror, warm_cache):
    at = new_app(
        {
            "year": "1900",
            "page": "../../etc",
            "w": "armoede:-1",
            "gm": "GM0479' or 1 eq 1",
            "colour": "<script>alert(1)</script>",
            "junk": "x" * 10_000,
        }
    )
    at.run()
    assert_ok(at)
    warning = " ".join(w.value for w in at.warning)
    assert "year" in warning and "page" in warning and "<script>" not in warning
    qp = dict(at.query_params)
    assert qp == {}  # nothing of the tampered link stays; the path names the page (no page= written)


def test_presentation_mode_hides_chrome_and_steps_focus_areas(mirror, warm_cache):
    at = new_app({"present": "1"})
    at.run()
    assert_ok(at)
    css = " ".join(h.proto.body for h in at.get("html"))
    assert 'data-testid="stSidebar"' in css and "display: none" in css
    title = lambda: at.title[0].value.replace("\\", "")  # noqa: E731 (a focus name is escaped: text, never Markdown)
    assert title() == "Poelenburg"
    at.button(key="b_next").click().run()
    assert title() == "Oud-Oost" and dict(at.query_params)["focus"] == "1"


def test_buurt_level_shows_no_data_explanation(mirror, warm_cache):
    at = new_app({"level": "buurt"})
    at.run()
    assert_ok(at)
    assert any("buurten" in i.value.lower() for i in at.info)


def test_hotspot_toggle_switches_the_legend_to_lisa(mirror, cache_dir, warm_cache):
    at = new_app({"files": import_income(cache_dir)})
    at.run()
    at.toggle(key="w_hotspots").set_value(True).run()
    assert_ok(at)
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "HH:" in legend and "niet significant" in legend
    assert dict(at.query_params)["hotspots"] == "1"


def test_profile_explains_why_and_shows_the_rank_interval(mirror, cache_dir, warm_cache):
    at = new_app({"area": "WK0363TG", "page": "buurtprofiel", "files": import_income(cache_dir)})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    assert_ok(at)
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Armoede & inkomen" in text and "90 %-interval" in text
    assert any("Alleen 2024 is beschikbaar" in i.value for i in at.info)


def test_exports_png_and_pdf(mirror, warm_cache):
    at = new_app()
    at.run()
    at.button(key="b_png").click().run()
    assert_ok(at)
    assert at.get("download_button")
    at.switch_page("pages/vergelijken.py").run()
    at.button(key="b_pdf").click().run()
    assert_ok(at)
    assert not at.error


def test_failed_fetch_without_cache_says_what_happened(mirror, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    mirror.fault(status=503)
    at = new_app()
    at.run()
    assert_ok(at)
    assert at.error and "CBS" in at.error[0].value and "Traceback" not in at.error[0].value
    # the status box ends on the failure, never left on "Gegevens laden…" (issue 11)
    assert [(s.label, s.state) for s in at.status] == [("Laden mislukt", "error")]


def test_loaded_frames_show_no_status_box_but_a_failure_still_does(mirror, cache_dir, monkeypatch):
    """Once the frames are in memory, a Kaart run shows no status box (st.status sleeps 50 ms each time one is
    made); a failure on that quiet path still ends in the "Laden mislukt" box, with the plain message."""
    at = new_app()
    at.run()
    assert_ok(at)
    assert [(s.label, s.state) for s in at.status] == [("Gegevens geladen", "complete")]  # first load: the steps
    at.run()
    assert_ok(at)
    assert not at.status  # in memory: nothing to watch
    inject("scored", monkeypatch.setattr)  # a bug in scoring (tests/helpers_faults.py)
    at.run()
    assert [(s.label, s.state) for s in at.status] == [("Laden mislukt", "error")]
    assert at.error


def test_a_bug_in_the_export_is_logged_under_the_id_the_page_shows(mirror, warm_cache, monkeypatch):
    """Prioriteren's export used to show "Exporteren mislukt: KeyError" and log nothing: a bug there is now logged
    with its traceback under an error id, and the page shows that id (a known failure keeps its words)."""
    import logging
    import re

    at = new_app()
    at.switch_page("pages/prioriteren.py").run()
    assert_ok(at)
    inject("export", monkeypatch.setattr)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # the app's error logger does not propagate (it writes to the server's stderr)
    logging.getLogger("stapelkaart.errors").addHandler(handler)
    try:
        at.run()
    finally:
        logging.getLogger("stapelkaart.errors").removeHandler(handler)
    shown = " ".join(e.value for e in at.error)
    assert "KeyError" not in shown, shown
    error_id = re.search(r"foutcode ([0-9a-f]{8})", shown).group(1)
    logged = [r for r in records if error_id in r.getMessage()]
    assert logged and "injected fault at export" in repr(logged[0].exc_info), [r.getMessage() for r in records]


def test_refresh_failure_keeps_the_cache_and_shows_its_date(mirror, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_ADMIN_TOKEN", ADMIN_TOKEN)  # refreshing the shared cache is an admin action
    at = new_app()
    at.run()  # warm the cache (Kaart loads everything)
    at.switch_page("pages/gegevens.py").run()
    assert not [b for b in at.button if b.key == "b_refresh"]  # not offered before the token is entered
    at.text_input[0].set_value(ADMIN_TOKEN)
    at.button[0].click().run()
    assert_ok(at)
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    mirror.fault(status=503)
    mirror.clear_requests()
    at.button(key="b_refresh").click().run()
    assert_ok(at)
    assert any("Gecachte gegevens van" in w.value for w in at.warning), [e.value for e in at.error]
    # CBS down: after its first failing request the other CBS step is not tried (ends within one network budget)
    tried = [r for r in mirror.requests() if "85984NED" in str(r.get("path", r))]
    assert 1 <= len(tried) <= 2, tried  # one step, RETRIES=1: two attempts, then nothing else from CBS


@pytest.mark.parametrize("page", ["vergelijken", "buurtprofiel", "prioriteren"])
def test_pages_with_the_income_file_imported(mirror, cache_dir, warm_cache, page):
    """With the income file, Poelenburg has no stacking domains at all (NA): pages must still render."""
    at = new_app({"area": "WK047912", "lang": "en", "files": import_income(cache_dir)})
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]


def test_kaart_warns_when_ranks_rest_on_a_small_part_of_the_reference(mirror, warm_cache):
    """Reference 'nl' in the mirror: 114 of 3 393 wijken have benefit figures; the page says so."""
    at = new_app()
    at.run()
    assert_ok(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "Lage dekking van de referentie" in warnings
    assert re.search(r"\b1\d\d van 3\s?393\b", warnings)


def test_vergelijken_switches_between_household_and_person_income(mirror, warm_cache):
    """The households/persons control swaps 'huishoudens in laagste 40%' for its person-based variant."""
    at = new_app({"page": "vergelijken"})
    at.switch_page("pages/vergelijken.py").run()
    assert_ok(at)
    first = " ".join(at.table[-1].value.index)  # the side-by-side table (issue 12): rows are indicators
    assert "Huishoudens in landelijke laagste 40% inkomen" in first and "Personen in landelijke" not in first
    at.segmented_control(key="w_basis").set_value("persons").run()
    assert_ok(at)
    second = " ".join(at.table[-1].value.index)
    assert (
        "Personen in landelijke laagste 40% inkomen" in second and "Huishoudens in landelijke laagste 40%" not in second
    )


def test_admin_actions_are_off_without_a_token_and_say_how_to_enable_them(mirror, cache_dir, monkeypatch):
    monkeypatch.delenv("STAPELKAART_ADMIN_TOKEN", raising=False)
    at = new_app({"page": "gegevens"})
    at.run()
    at.switch_page("pages/gegevens.py").run()
    assert_ok(at)
    keys = {b.key for b in at.button}
    assert "b_refresh" not in keys and not [u for u in at.get("file_uploader") if u.proto.id.endswith("w_snap")]
    assert any("STAPELKAART_ADMIN_TOKEN" in x.value for x in at.text)
    monkeypatch.setenv("STAPELKAART_ADMIN_TOKEN", ADMIN_TOKEN)
    at.run()
    at.text_input[0].set_value("wrong-token-wrong-token")
    at.button[0].click().run()
    assert "b_refresh" not in {b.key for b in at.button} and at.error
    at.text_input[0].set_value(ADMIN_TOKEN)
    at.button[0].click().run()
    assert "b_refresh" in {b.key for b in at.button}
    assert at.session_state["_admin"] is True and not at.text_input  # a bool in the session; the token field is gone


def test_gegevens_shows_no_streamlit_help_dump(mirror, warm_cache):
    for lang in ("nl", "en"):
        at = new_app({"page": "gegevens", "lang": lang})
        at.run()
        at.switch_page("pages/gegevens.py").run()
        assert_ok(at)
        text = " ".join(str(e.value) for e in [*at.markdown, *at.text, *at.caption] if hasattr(e, "value"))
        assert "DeltaGenerator" not in text and not at.get("help")


def test_a_weight_of_zero_from_the_link_is_kept(mirror, warm_cache):
    at = new_app({"page": "prioriteren", "w": "armoede:0"})
    at.switch_page("pages/prioriteren.py").run()
    assert_ok(at)
    assert at.select_slider(key="w_weight_armoede").value == 0.0
    assert dict(at.query_params)["w"] == "armoede:0"
    assert not [w for w in at.warning if "Niet alle" in w.value]  # 0 = not counted, not an invalid weight


def test_kaart_weight_change_recolours_with_the_same_geometry(mirror, cache_dir, warm_cache):
    """A weight on Kaart changes the colour indices; the geometry file (name = content hash) stays the same."""
    at = new_app({"colour": "composite", "files": import_income(cache_dir)})
    at.run()
    assert_ok(at)
    before = map_args(at)
    assert not at.select_slider  # the weight sliders are sent only while "Gewichten" is open
    at.session_state["x_weights"] = True  # open it (as a click on the expander does)
    at.run()
    at.select_slider(key="w_weight_armoede").set_value(5.0).run()  # the one weight key (Kaart and Prioriteren)
    assert_ok(at)
    after = map_args(at)
    assert dict(at.query_params)["w"] == "armoede:5"
    assert after["geometry_hash"] == before["geometry_hash"] and after["geometry_url"] == before["geometry_url"]
    assert (after["fill"] != before["fill"]).any()
