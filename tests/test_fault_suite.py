"""Fault, bad-input and security suite (issue "Proof of quality").

Each test is one case of the issue's list and asserts the precise outcome a user sees. Server faults use
the cbs-mirror's fault API (real HTTP, real CBS/PDOK data); nothing mocks ``requests``. The case id in
each docstring (F01 ...) is the one listed in the closing note.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tests.conftest import REPO, SHARED_DATA, needs_shared, start_mirror

pytestmark = needs_shared

WIJK_ITEMS = "collections/wijken/items"
AMSTERDAM_WIJKEN = 110


def _kwb(gemeenten=("GM0363",), levels=("gemeente", "wijk"), **kw):
    from data.cbs import load_kwb

    return load_kwb(list(gemeenten), 2024, levels=list(levels), **kw)


def _unique_codes(frame) -> bool:
    return frame["code"].is_unique


# ------------------------------------------------------------------------------------------ server faults
def test_F01_reset_on_page_3_of_5_gives_exact_rows_without_duplicates(mirror, cache_dir):
    """F01 reset mid-paging: page 3 of 5 is reset once; the result has all 111 rows exactly once."""
    mirror.config(page_size=23)  # 1 gemeente + 110 wijken = 111 rows = 5 pages of 23
    mirror.fault(match=r"TypedDataSet.*\$skip=46", reset=True, times=1)
    frame = _kwb()
    pages = [r for r in mirror.requests("TypedDataSet") if r["status"] == 200]
    assert len(frame) == 1 + AMSTERDAM_WIJKEN and _unique_codes(frame)
    assert len(pages) == 5
    assert any(r["status"] is None for r in mirror.requests("TypedDataSet"))  # the reset really happened


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_F02_transient_5xx_then_success(mirror, cache_dir, status):
    """F02 500/502/503/504 twice, then success: retried, correct data (Poelenburg 8,665 inhabitants)."""
    mirror.fault(match="TypedDataSet", status=status, times=2)
    frame = _kwb(["GM0479"])
    assert frame.set_index("code").loc["WK047912", "aantal_inwoners"] == 8665
    statuses = [r["status"] for r in mirror.requests("TypedDataSet")]
    assert statuses == [status, status, 200]


def test_F03_429_retry_after_is_honoured(mirror, cache_dir):
    """F03 429 with Retry-After: 1 -> the client waits at least 1 s, then succeeds."""
    mirror.fault(match="TypedDataSet", status=429, retry_after=1, times=1)
    t0 = time.monotonic()
    frame = _kwb(["GM0479"], levels=["wijk"])
    assert time.monotonic() - t0 >= 1.0
    assert len(frame) == 19


def test_F04_truncated_json_is_retried(mirror, cache_dir):
    """F04 truncated JSON body (half sent, then closed) -> retried, complete result."""
    mirror.fault(match="TypedDataSet", truncate=True, times=2)
    frame = _kwb(["GM0479"], levels=["wijk"])
    assert len(frame) == 19 and _unique_codes(frame)


def test_F05_response_slower_than_timeout_is_retried(mirror, cache_dir, monkeypatch):
    """F05 a response slower than the read timeout -> abandoned after the timeout and retried."""
    monkeypatch.setenv("STAPELKAART_HTTP_TIMEOUT", "1")
    mirror.fault(match="TypedDataSet", latency_ms=2500, times=1)
    t0 = time.monotonic()
    frame = _kwb(["GM0479"], levels=["wijk"])
    assert len(frame) == 19
    assert time.monotonic() - t0 < 2.5 + 1.0  # did not wait for the slow answer plus a full second one


def test_F06_wrong_content_type_fails_clearly(mirror, cache_dir):
    """F06 an HTML maintenance page instead of JSON -> FetchError naming the content type and URL."""
    from core.errors import FetchError

    mirror.fault(match="TypedDataSet", status=200, body="<html>onderhoud</html>", content_type="text/html")
    with pytest.raises(FetchError) as info:
        _kwb(["GM0479"], levels=["wijk"])
    assert "text/html" in info.value.message and "TypedDataSet" in info.value.message


def test_F07_odata_error_body_with_status_200(mirror, cache_dir):
    """F07 an OData error body with HTTP 200 -> FetchError with the server's message, no retry storm."""
    from core.errors import FetchError

    body = json.dumps({"odata.error": {"code": "", "message": {"lang": "en-US", "value": "Storing in tabel"}}})
    mirror.fault(match="TypedDataSet", status=200, body=body, content_type="application/json")
    with pytest.raises(FetchError) as info:
        _kwb(["GM0479"], levels=["wijk"])
    assert "Storing in tabel" in info.value.message
    assert len(mirror.requests("TypedDataSet")) == 1


def test_F08_service_down_for_good_serves_dated_cache_within_budget(mirror, cache_dir, monkeypatch):
    """F08 service down for good: gives up within the budget and serves the last good cache, marked stale."""
    warm = _kwb(["GM0479"])
    monkeypatch.setenv("STAPELKAART_HTTP_BUDGET", "3")
    mirror.fault(status=503)  # everything, forever
    t0 = time.monotonic()
    frame = _kwb(["GM0479"], refresh=True)
    elapsed = time.monotonic() - t0
    assert elapsed < 3 + 2.0
    assert frame.attrs["source"]["stale"] is True and frame.attrs["source"]["age_days"] is not None
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), warm.reset_index(drop=True))


def test_F08b_cli_down_without_cache_one_line_no_traceback(mirror, cache_dir):
    """F08b CLI with the service down and no cache: exit code != 0, one line, no traceback."""
    mirror.fault(status=503)
    env = dict(os.environ, STAPELKAART_HTTP_BUDGET="2", STAPELKAART_HTTP_RETRIES="1")
    proc = subprocess.run(
        [sys.executable, "-m", "data", "fetch", "--gemeente", "GM0479", "--year", "2024", "--level", "wijk"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    assert re.search(r"^fout: .+", proc.stderr, re.M)


# ------------------------------------------------------------------------------------------ paging
def test_P01_same_next_link_twice_stops_with_loop_guard(mirror, cache_dir):
    """P01 PDOK returns the same `next` link again -> loop guard stops with a clear FetchError."""
    from core.errors import FetchError
    from data.pdok import load_boundaries

    href = f"{mirror.url}/cbs/wijken-en-buurten-2024/ogc/v1/{WIJK_ITEMS}?cursor=abc&f=json"
    page = {"type": "FeatureCollection", "features": [], "numberReturned": 0, "links": [{"rel": "next", "href": href}]}
    mirror.fault(match=WIJK_ITEMS, status=200, body=json.dumps(page), content_type="application/geo+json")
    with pytest.raises(FetchError) as info:
        load_boundaries(["GM0479"], 2024, "wijk")
    assert "lus" in info.value.message and len(mirror.requests(WIJK_ITEMS)) <= 3


def test_P02_empty_page_is_no_boundaries_message(mirror, cache_dir):
    """P02 an empty PDOK page -> a message that names gemeente and year, not an empty map."""
    from core.errors import StapelkaartError
    from data.pdok import load_boundaries

    page = {"type": "FeatureCollection", "features": [], "numberReturned": 0, "links": []}
    mirror.fault(match=WIJK_ITEMS, status=200, body=json.dumps(page), content_type="application/geo+json")
    with pytest.raises(StapelkaartError) as info:
        load_boundaries(["GM0479"], 2024, "wijk")
    assert "GM0479" in info.value.message and "2024" in info.value.message


def test_P03_more_features_than_one_page(mirror, cache_dir, monkeypatch):
    """P03 518 Amsterdam buurten in pages of 100: final count equals the number the source has."""
    import data.pdok as pdok
    import data.pdok_fetch as pdok_fetch

    source = json.loads(
        (SHARED_DATA / "boundaries" / "amsterdam_buurten_gemeente_api_2022indeling.geojson").read_text()
    )
    monkeypatch.setattr(pdok_fetch, "PAGE_LIMIT", 100)
    gdf = pdok.load_boundaries(["GM0363"], 2024, "buurt")
    assert len(gdf) == len(source["features"]) == 518 and gdf["code"].is_unique
    assert len(mirror.requests("collections/buurten/items")) == 6


def _big_table(tmp: Path, rows: int) -> Path:
    """A synthetic test-defined OData table (documented in the mirror README) with ``rows`` buurten."""
    table = tmp / "SYN01NED"
    table.mkdir(parents=True)
    keys = [f"BU9999{i:04d}" for i in range(rows)]
    spec = {
        "id": "SYN01NED",
        "TableInfos": {"Identifier": "SYN01NED", "Title": "Synthetic paging test", "Modified": "2026-01-01T00:00:00"},
        "DataProperties": [
            {
                "ID": 0,
                "Position": 0,
                "ParentID": None,
                "Type": "GeoDetail",
                "Key": "WijkenEnBuurten",
                "Title": "Wijken en buurten",
            },
            {
                "ID": 1,
                "Position": 1,
                "ParentID": None,
                "Type": "Topic",
                "Key": "AantalInwoners_5",
                "Title": "Aantal inwoners",
                "Datatype": "Long",
                "Unit": "aantal",
                "Decimals": 0,
            },
        ],
        "dimensions": {"WijkenEnBuurten": [{"Key": k.ljust(10), "Title": k, "Description": None} for k in keys]},
        "TypedDataSet": [{"WijkenEnBuurten": k.ljust(10), "AantalInwoners_5": i} for i, k in enumerate(keys)],
    }
    (table / "table.json").write_text(json.dumps(spec))
    return tmp


def test_P04_more_than_10000_rows_via_odatafeed(tmp_path, monkeypatch):
    """P04 >10,000 rows: ODataFeed pages at 10,000; every one of 12,345 rows arrives exactly once."""
    from data import http

    m = start_mirror(tmp_path, "--tables", str(_big_table(tmp_path / "tables", 12345)))
    try:
        monkeypatch.setenv("STAPELKAART_CBS_URL", m.url)
        rows = []
        for page in http.iter_pages(
            f"{m.url}/ODataFeed/odata/SYN01NED/TypedDataSet", {"$format": "json"}, http.odata_next_link
        ):
            rows.extend(page["value"])
        assert len(rows) == 12345
        assert len({r["WijkenEnBuurten"] for r in rows}) == 12345
        assert len(m.requests("TypedDataSet")) == 2
    finally:
        m.proc.terminate()
        m.proc.wait(10)


def test_P05_odataapi_more_than_10000_refusal_is_reported(mirror, cache_dir, monkeypatch):
    """P05 the ODataApi "more than 10000 records" refusal -> FetchError quoting CBS; loaders use ODataFeed."""
    from core.errors import FetchError
    from data import http

    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "0")
    mirror.config(api_limit=1000)
    with pytest.raises(FetchError) as info:
        http.get_json(f"{mirror.url}/ODataApi/odata/85984NED/TypedDataSet", {"$format": "json"})
    assert "more than 1000" in info.value.message or "10000" in info.value.message
    mirror.clear_requests()
    _kwb(["GM0479"], levels=["wijk"])
    assert all("/ODataFeed/" in r["path"] for r in mirror.requests())


# ------------------------------------------------------------------------------------------ data
def test_D01_all_null_column_in_newest_year_is_unavailable_never_zero(mirror, cache_dir):
    """D01 income columns are null for every area in KWB 2024 -> NaN and 0 coverage, never 0."""
    frame = _kwb()
    col = frame["huishoudens_met_een_laag_inkomen"]
    assert col.isna().all() and not (col == 0).any()
    from indicators.engine import make_reference, score_areas

    ref = make_reference(frame, "selection", "wijk", 2024, ["GM0363"])
    result = score_areas({2024: frame}, 2024, level="wijk", reference=ref)
    cov = result.coverage.set_index("indicator")
    assert result.table["laag_inkomen"].isna().all()
    assert cov.loc["laag_inkomen", "n_with_value"] == 0
    assert cov.loc["laag_inkomen", "n_reference_with_value"] == 0
    assert cov.loc["laag_inkomen", "note"] == "geen gegevens op dit niveau"


def test_D02_placeholder_values_are_missing():
    """D02 -99997, -99999999, '.', null and blanks are missing (NaN), real numbers are kept."""
    from core.values import clean_number  # the one number cleaner (data.cbs reads every CBS value through it)

    for raw in (-99997, -99999999, "-99997", ".", None, "", "  .  "):
        assert np.isnan(clean_number(raw)), raw
    assert clean_number("12.5") == 12.5 and clean_number(0) == 0.0


def test_D02b_pdok_placeholder_becomes_nan(mirror, cache_dir):
    """D02b PDOK serves -99997 for stadsverwarming in Oosterparkbuurt -> NaN in our frame."""
    from data.pdok import load_boundaries

    gdf = load_boundaries(["GM0363"], 2024, "wijk").set_index("code")
    assert np.isnan(gdf.loc["WK0363MC", "percentage_woningen_met_stadsverwarming"])
    assert gdf.loc["WK0363MC", "aantal_inwoners"] == 10715


def test_D03_statistics_and_boundaries_mismatch_is_reported(mirror, cache_dir):
    """D03 region in statistics but not in boundaries and vice versa -> listed in the join report."""
    from data.pdok import load_boundaries
    from geo.join import join_scores

    gdf = load_boundaries(["GM0479"], 2024, "wijk")
    stats = _kwb(["GM0479"], levels=["wijk"])
    stats = pd.concat(
        [stats[stats["code"] != "WK047912"], stats.iloc[[0]].assign(code="WK047999", name="Niet op de kaart")],
        ignore_index=True,
    )
    result = join_scores(gdf, stats, stats_year=2024, boundary_year=2024)
    assert "WK047999" in result.report.stats_without_boundary
    assert "WK047912" in result.report.boundaries_without_stats
    assert len(result.frame) == 19  # Poelenburg stays on the map as "geen gegevens"
    assert not bool(result.frame.set_index("code").loc["WK047912", "has_data"])


def test_D04_statistics_of_another_year_are_refused(mirror, cache_dir):
    """D04 statistics of 2023 on boundaries of 2024 -> refused with a clear message, no half map."""
    from core.errors import UserInputError
    from data.pdok import load_boundaries
    from geo.join import join_scores

    gdf = load_boundaries(["GM0479"], 2024, "wijk")
    stats = _kwb(["GM0479"], levels=["wijk"]).assign(year=2023)
    with pytest.raises(UserInputError) as info:
        join_scores(gdf, stats, stats_year=2023, boundary_year=2024)
    assert "2023" in info.value.message and "2024" in info.value.message


def test_D05_boundary_change_marks_trend_not_comparable():
    """D05 Indelingswijziging 3 in 2023 -> 2022 not comparable with 2023/2024; 2 = code changed too."""
    from indicators.trend import trend

    def frame(flag):
        return pd.DataFrame({"code": ["WK036399"], "indelingswijziging_gemeente_wijk_buurt": [flag]})

    out = trend(
        {2022: frame("1"), 2023: frame("3"), 2024: frame("1")}, "WK036399", {2022: 10.0, 2023: 11.0, 2024: 12.0}
    )
    assert out["comparable"].tolist() == [False, True, True]
    assert "grenzen gewijzigd" in out.loc[1, "reason"]
    out2 = trend({2023: frame("1"), 2024: frame("2")}, "WK036399", {2023: 1.0, 2024: 2.0})
    assert out2["comparable"].tolist() == [False, True]
    unknown = trend({2023: frame(None), 2024: frame(None)}, "WK036399", {2023: 1.0, 2024: 2.0})
    assert unknown["comparable"].tolist() == [False, True]  # a missing flag is never read as "unchanged"


def test_D06_duplicate_codes_are_refused():
    """D06 duplicate region codes in an indicator file -> UserFileError naming both rows, nothing imported."""
    from core.errors import UserFileError
    from data.userfiles import load_indicator_file

    csv = b"regiocode,vsv\nWK047912,2.1\nWK047912,2.4\n"
    with pytest.raises(UserFileError) as info:
        load_indicator_file(csv, filename="vsv.csv")
    text = " ".join(info.value.problems) + info.value.message
    assert "WK047912" in text and re.search(r"\b[23]\b", text)


def test_D07_tiny_populations_are_left_out_of_ranks_and_labelled(mirror, cache_dir):
    """D07 areas with 0 and 5 inhabitants are suppressed: no rank, no stacking, a reason."""
    from indicators.engine import make_reference, score_areas

    frame = _kwb()
    wijken = frame["level"] == "wijk"
    codes = frame.loc[wijken, "code"].iloc[:2].tolist()
    frame.loc[frame["code"] == codes[0], "aantal_inwoners"] = 0
    frame.loc[frame["code"] == codes[1], "aantal_inwoners"] = 5
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM0363"])
    table = score_areas({2024: frame}, 2024, level="wijk", reference=ref).table.set_index("code")
    for code in codes:
        assert bool(table.loc[code, "suppressed"])
        assert "population:200" in str(table.loc[code, "suppressed_reason"])  # a code: fewer than 200 inhabitants
        assert np.isnan(table.loc[code, "composite"])
        ranks = table.loc[code, [c for c in table.columns if c.endswith("__rank")]]
        assert pd.to_numeric(ranks, errors="coerce").isna().all()


def test_D08_coordinates_outside_nl_or_swapped_axes_are_refused(mirror, cache_dir):
    """D08 PDOK features with swapped RD axes -> refused with a message about the coordinates."""
    from core.errors import StapelkaartError
    from data.pdok import load_boundaries

    feature = {
        "type": "Feature",
        "id": 1,
        "properties": {"gemeentecode": "GM0479", "wijkcode": "WK047912", "wijknaam": "Poelenburg"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[497000, 116000], [498000, 116000], [498000, 117000], [497000, 116000]]],
        },
    }
    page = {"type": "FeatureCollection", "features": [feature], "numberReturned": 1, "links": []}
    mirror.fault(
        match=WIJK_ITEMS,
        status=200,
        body=json.dumps(page),
        content_type="application/geo+json",
        headers={"Content-Crs": "<http://www.opengis.net/def/crs/EPSG/0/28992>"},
    )
    with pytest.raises(StapelkaartError) as info:
        load_boundaries(["GM0479"], 2024, "wijk")
    assert re.search(r"assen|coördinaten|Nederland", info.value.message)


# ------------------------------------------------------------------------------------------ input
def test_I01_unknown_gemeente_and_year(mirror, cache_dir):
    """I01 unknown gemeente GM9999 and year 1900 -> UserInputError naming the value and what exists."""
    from core.errors import UserInputError
    from data.cbs import load_kwb

    with pytest.raises(UserInputError) as gm:
        load_kwb(["GM9999"], 2024)
    assert "GM9999" in gm.value.message and "85984NED" in gm.value.message
    with pytest.raises(UserInputError) as yr:
        load_kwb(["GM0479"], 1900)
    assert "1900" in yr.value.message and "2024" in yr.value.message
    assert not mirror.requests("TypedDataSet")  # nothing reached an OData filter


ALL_ZERO = {d: 0 for d in ("armoede", "werk", "onderwijs", "schooluitval", "wonen", "jeugd", "gezondheid")}


@pytest.mark.parametrize("weights", [ALL_ZERO, {"armoede": -1}, {"geluk": 1}, {"armoede": float("nan")}])
def test_I02_invalid_weights(weights):
    """I02 weights all zero, negative, unknown domain, NaN -> UserInputError."""
    from core.errors import UserInputError
    from indicators.scores import validate_weights

    with pytest.raises(UserInputError):
        validate_weights(weights)


MALFORMED = {
    # neither UTF-8 nor Windows-1252 (0x81 and 0x8d are unassigned in cp1252): refused, naming both encodings
    "wrong_encoding": ("vsv.csv", b"regiocode,naam,vsv\nWK047912,Poelenburg\x81\x8d,2\n"),
    # UTF-16 text that is not valid UTF-16 (a lone surrogate): refused by name, not as "geen tekstbestand"
    "broken_utf16": ("vsv.csv", "regiocode,naam,vsv\nWK047912,Poelenburg,2\n".encode("utf-16") + b"\x00\xd8"),
    "formula": ("vsv.csv", b"regiocode,vsv\nWK047912,=1+1\n"),
    "too_large": ("vsv.csv", b"regiocode,vsv\n" + b"WK047912,1\n" * 700_000),
    "no_code_column": ("vsv.csv", b"gebied,vsv\nPoelenburg,2\n"),
    "non_numeric": ("vsv.csv", b"regiocode,vsv\nWK047912,veel\n"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_I03_malformed_user_files_import_nothing(case):
    """I03 malformed user files -> UserFileError with an actionable message; nothing is imported."""
    from core.errors import UserFileError
    from data.userfiles import load_indicator_file

    name, raw = MALFORMED[case]
    with pytest.raises(UserFileError) as info:
        load_indicator_file(raw, filename=name)
    assert info.value.message
    named = {"wrong_encoding": ("UTF-8", "Windows-1252"), "broken_utf16": ("UTF-16",)}.get(case, ())
    for encoding in named:  # a file in a wrong encoding is refused by the encodings it was tried as
        assert encoding in info.value.message
    if named:
        assert "geen tekstbestand" not in info.value.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_I03a_utf16_text_is_read_not_refused(encoding):
    """I03a UTF-16 text (Excel's "Unicode-tekst", with or without BOM) is read: same values as UTF-8."""
    from data.userfiles import load_indicator_file

    text = "regiocode,naam,vsv\nWK047912,Poelenburg,2\nWK047911,Kogerveld,3\n"
    f = load_indicator_file(text.encode(encoding), filename="vsv.csv")
    g = load_indicator_file(text.encode("utf-8"), filename="vsv.csv")
    assert f.frame.loc["WK047912"].iloc[-1] == 2.0 and f.frame.loc["WK047911"].iloc[-1] == 3.0
    pd.testing.assert_frame_equal(f.frame, g.frame)


def test_I03b_semicolon_csv_and_merged_header_xlsx_load(tmp_path):
    """I03b a Dutch semicolon CSV with decimal commas and an XLSX with merged header rows both load."""
    from data.userfiles import load_indicator_file

    f = load_indicator_file("regiocode;vsv\nWK047912;2,5\nWK0363MC;1,25\n".encode("cp1252"), filename="vsv.csv")
    assert f.frame.loc["WK047912"].iloc[0] == 2.5
    wb = openpyxl.Workbook()  # synthetic: title row, merged two-row header
    ws = wb.active
    ws["A1"] = "Voortijdig schoolverlaten (synthetisch)"
    ws.merge_cells("A2:A3")
    ws["A2"] = "regiocode"
    ws.merge_cells("B2:B3")
    ws["B2"] = "vsv"
    ws.append(["WK047912", 2.5])
    buf = io.BytesIO()
    wb.save(buf)
    g = load_indicator_file(buf.getvalue(), filename="vsv.xlsx")
    assert g.frame.loc["WK047912"].iloc[0] == 2.5


def test_I03c_path_like_file_name_is_refused():
    """I03c a path-like upload name ('../../etc/vsv.csv') is refused with a message; a plain name loads."""
    from core.errors import UserFileError
    from data.userfiles import load_indicator_file

    with pytest.raises(UserFileError) as info:
        load_indicator_file(b"regiocode,vsv\nWK047912,2\n", filename="../../etc/vsv.csv")
    assert ".." in info.value.message
    assert load_indicator_file(b"regiocode,vsv\nWK047912,2\n", filename="vsv.csv").source == "vsv.csv"


@pytest.mark.parametrize(
    "params",
    [
        {"year": "1900"},
        {"page": "../../etc/passwd"},
        {"w": "armoede=-3"},
        {"gm": "GM0479' or 1 eq 1"},
        {"area": "<script>alert(1)</script>"},
        {"level": "x" * 10_000},
    ],
)
def test_I04_tampered_query_params_fall_back_with_a_warning(params):
    """I04 tampered query params -> defaults, with the parameter named in ``problems`` (shown as a warning)."""
    from pages._common.state import ViewState

    state = ViewState.from_params(params)
    default = ViewState()
    assert state == default
    assert next(iter(params)) in state.problems


# ------------------------------------------------------------------------------------------ cache
KILL_WRITER = r"""
import os, sys, pandas as pd
from data import cache
key = cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479"])
real_replace = os.replace
def die(*a, **k):
    os._exit(9)          # killed between writing the temp file and renaming it
os.replace = die
cache.put(key, pd.DataFrame({"code": ["WK047912"], "aantal_inwoners": [1.0]}), {"source_url": "x"})
"""


def test_C01_killed_during_write_leaves_no_corrupt_entry(mirror, cache_dir):
    """C01 a writer killed mid-write: the old good entry is still served, no corrupt entry appears."""
    from data import cache

    good = _kwb(["GM0479"], levels=["wijk"])
    proc = subprocess.run([sys.executable, "-c", KILL_WRITER], cwd=REPO, env=dict(os.environ), timeout=60)
    assert proc.returncode == 9
    mirror.clear_requests()
    again = _kwb(["GM0479"], levels=["wijk"])
    assert len(again) == len(good) == 19 and again.set_index("code").loc["WK047912", "aantal_inwoners"] == 8665
    assert mirror.requests() == []
    assert [e.status for e in cache.list_entries()] == ["ok"] * len(cache.list_entries())


def test_C02_snapshot_from_another_version_is_refused(tmp_path, mirror, cache_dir):
    """C02 a snapshot written by another format version -> CacheError, and the cache is untouched."""
    from core.errors import CacheError
    from data import cache, snapshot

    _kwb(["GM0479"], levels=["wijk"])
    snap = tmp_path / "snap.zip"
    snapshot.export_snapshot(snap)
    before = sorted(e.path.name for e in cache.list_entries())
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(snap) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("snapshot.json"):
                meta = json.loads(data)
                meta["format_version"] = 999
                data = json.dumps(meta).encode()
            dst.writestr(item, data)
    with pytest.raises(CacheError):
        snapshot.import_snapshot(forged)
    assert sorted(e.path.name for e in cache.list_entries()) == before


# ------------------------------------------------------------------------------------------ security
NASTY = '<img src=x onerror=alert(1)> & "Oud-Oost" \'t Hof'


def test_S01_html_in_names_reaches_the_map_as_text(cache_dir):
    """S01 HTML/JS in area names reaches the map component as plain text (the geometry file's names, shown
    in the tooltip) and the component's only DOM sink for them is textContent: inert, & and quotes read right."""
    import geopandas as gpd
    from shapely.geometry import box

    from components.deckmap.store import map_geometry_for
    from geo.quantize import decode

    gdf = gpd.GeoDataFrame(
        {"code": ["WK047912", "WK047911"], "name": [NASTY, "Kogerveld"]},
        geometry=[box(115000, 495000, 116000, 496000), box(116000, 495000, 117000, 496000)],
        crs="EPSG:28992",
    )
    stats = pd.DataFrame({"code": ["WK047911"], "name": ['<b>Kogerveld</b> & "co"']})
    header, _ = decode(map_geometry_for(gdf, stats).data)
    # exact text, not entity-encoded: textContent would show "&lt;img" literally
    assert header["names"] == [f"{NASTY} (WK047912)", '<b>Kogerveld</b> & "co" (WK047911)']

    def uncommented(text: str) -> str:  # the JS without its comments (main.js says "never innerHTML" in one)
        return re.sub(r"/\*.*?\*/", "", re.sub(r"^\s*//.*|; *//.*", ";", text, flags=re.M), flags=re.S)

    sources = {f.name: uncommented(f.read_text()) for f in (REPO / "components/deckmap/frontend/src").glob("*.js")}
    html_sinks = re.compile(
        r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|"
        r"createContextualFragment|srcdoc|\.html\("
    )
    assert {name: html_sinks.findall(code) for name, code in sources.items() if html_sinks.search(code)} == {}
    main = sources["main.js"]
    assert "const lines = [geometry.names[a] || geometry.codes[a]];" in main  # the name is the tooltip's title
    assert re.search(r"tipEl\.textContent = lines\.join\(", main)  # ... written as text


def test_S02_exports_neutralise_formulas_and_keep_numbers(tmp_path):
    """S02 CSV/XLSX: text cells and headers starting with = + - @ are neutralised; numbers stay numeric."""
    from render.export import ExportHeader, table_to_csv, table_to_xlsx

    df = pd.DataFrame(
        {
            "=naam": ['=HYPERLINK("http://x")', "+31", "@SUM(A1)", "-1+1", "Poelenburg"],
            "waarde": [1.5, -2.0, 3.0, np.nan, 0.0],
        }
    )
    header = ExportHeader(
        title="Test", year=2024, reference="wijken van Nederland", weights={"armoede": 1.0}, sources=["CBS 85984NED"]
    )
    wb = openpyxl.load_workbook(io.BytesIO(table_to_xlsx(df, header)))
    cells = [c for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(re.match(r"\s*[=+\-@]", t) for t in texts)
    numbers = [c.value for c in cells if isinstance(c.value, (int, float))]
    assert -2.0 in numbers and 1.5 in numbers
    csv = table_to_csv(df).decode("utf-8-sig")  # the table alone; the header block is the XLSX's 2nd sheet
    assert "'=HYPERLINK" in csv and "'@SUM" in csv and "-2.0" in csv
    assert not re.search(r"(^|[,;])[=+@]", csv, re.M)


def test_S03_make_run_binds_to_localhost_unless_configured():
    """S03 `make run` serves on 127.0.0.1 by default; HOST=0.0.0.0 is an explicit choice."""
    out = subprocess.run(["make", "-n", "run"], cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    assert "--server.address 127.0.0.1" in out
    out = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0"], cwd=REPO, capture_output=True, text=True, timeout=60
    ).stdout
    assert "--server.address 0.0.0.0" in out


#: Streamlit advisories with the first fixed release (GitHub advisory database / Snyk).
STREAMLIT_ADVISORIES = {
    "CVE-2022-35918 path traversal in custom components": (1, 11, 1),
    "SNYK-PYTHON-STREAMLIT-6156621 directory traversal": (1, 30, 0),
    "GHSA-rxff-vr5r-8cj5 path traversal (static files)": (1, 37, 0),
    "GHSA-7p48-42j8-8846 / CVE-2026-33682 SSRF in ComponentRequestHandler": (1, 54, 0),
}


def test_S04_streamlit_is_pinned_past_known_advisories():
    """S04 requirements.txt pins Streamlit exactly, at a release past every listed advisory."""
    pins = dict(line.split("==", 1) for line in (REPO / "requirements.txt").read_text().split() if "==" in line)
    version = tuple(int(p) for p in re.findall(r"\d+", pins["streamlit"])[:3])
    for advisory, fixed in STREAMLIT_ADVISORIES.items():
        assert version >= fixed, advisory
    import streamlit

    assert streamlit.__version__ == pins["streamlit"]


def test_C03_refresh_with_unchanged_cbs_modified_does_not_refetch_rows(mirror, cache_dir):
    """C03a refresh when CBS's `Modified` stamp is unchanged: only TableInfos is asked, no rows again."""
    _kwb(["GM0479"], levels=["wijk"])
    mirror.clear_requests()
    frame = _kwb(["GM0479"], levels=["wijk"], refresh=True)
    paths = [r["path"] for r in mirror.requests()]
    assert len(frame) == 19
    assert paths and all(p.endswith("/TableInfos") for p in paths)
    assert frame.attrs["source"]["checked_modified"] == "2025-03-27T02:00:00"


def test_C04_refresh_with_changed_cbs_modified_refetches(mirror, cache_dir):
    """C03b refresh when the cached manifest's `Modified` differs from CBS's: rows are fetched again."""
    import data.cbs as cbs
    from data import cache

    _kwb(["GM0479"], levels=["wijk"])
    key = cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479"])
    frame, manifest = cache.get(key)
    cache.put(key, frame, dict(manifest, modified="2024-01-01T00:00:00"))  # an older CBS publication
    mirror.clear_requests()
    again = cbs.load_kwb(["GM0479"], 2024, levels=["wijk"], refresh=True)
    assert len(mirror.requests("TypedDataSet")) == 1
    assert cache.get(key)[1]["modified"] == "2025-03-27T02:00:00" and len(again) == 19


def test_F09_retry_after_beyond_the_budget_fails_fast(mirror, cache_dir, monkeypatch):
    """F09 429 with Retry-After 300 s and a 5 s budget: give up at once, naming Retry-After; no long sleep."""
    from core.errors import FetchError

    monkeypatch.setenv("STAPELKAART_HTTP_BUDGET", "5")
    mirror.fault(match="TypedDataSet", status=429, retry_after=300)
    t0 = time.monotonic()
    with pytest.raises(FetchError) as info:
        _kwb(["GM0479"], levels=["wijk"])
    assert time.monotonic() - t0 < 2.0
    assert "Retry-After" in info.value.message
    assert len(mirror.requests("TypedDataSet")) == 1


def test_C05_snapshot_with_a_broken_manifest_is_a_clear_error(tmp_path, mirror, cache_dir):
    """C05 a snapshot whose entry manifest is not JSON -> CacheError (not a raw ValueError); cache untouched."""
    from core.errors import CacheError
    from data import cache, snapshot

    _kwb(["GM0479"], levels=["wijk"])
    snap, forged = tmp_path / "snap.zip", tmp_path / "forged.zip"
    snapshot.export_snapshot(snap)
    with zipfile.ZipFile(snap) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"{kapot" if item.filename.endswith("/manifest.json") else data)
    with pytest.raises(CacheError):
        snapshot.import_snapshot(forged)
    assert [e.status for e in cache.list_entries()] == ["ok"] * len(cache.list_entries())
