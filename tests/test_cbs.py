"""data.cbs against the emulator: real 2024 figures, paging, faults, cache behaviour, cbsodata parity."""

from __future__ import annotations

import socket
import warnings

import numpy as np
import pandas as pd
import pytest

from core.errors import FetchError, UserInputError
from data import cache, cbs, http
from tests.conftest import SHARED_DATA

STRIPPED = SHARED_DATA / "kwb" / "kwb2024_85984NED_GM_WK_stripped.csv"


@pytest.fixture(scope="module")
def stripped() -> pd.DataFrame:
    """The real 85984NED values the mirror serves (read at run time from ../shared/data)."""
    return pd.read_csv(STRIPPED, dtype={"code": str}).set_index("code")


def typed_requests(mirror) -> list[dict]:
    return mirror.requests("TypedDataSet")


def test_poelenburg_has_8665_inhabitants_in_2024(mirror, cache_dir, stripped):
    frame = cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    row = frame.set_index("code").loc["WK047912"]
    assert row["aantal_inwoners"] == 8665.0 == stripped.loc["WK047912", "AantalInwoners_5"]
    assert row["name"] == "Poelenburg" and row["level"] == "wijk" and row["gemeente_code"] == "GM0479"
    assert row["year"] == 2024


def test_wijk_counts_and_tidy_schema(mirror, cache_dir, stripped):
    frame = cbs.load_kwb(["GM0479", "GM0363"], 2024, levels=("gemeente", "wijk"))
    assert list(frame.columns[:5]) == ["code", "level", "name", "gemeente_code", "year"]
    wijken = frame[frame["level"] == "wijk"]
    assert (wijken["gemeente_code"] == "GM0479").sum() == 19
    assert (wijken["gemeente_code"] == "GM0363").sum() == 110
    assert set(frame.loc[frame["level"] == "gemeente", "code"]) == {"GM0363", "GM0479"}
    assert frame["code"].is_unique and not frame["code"].str.contains(" ").any()
    assert frame.set_index("code").loc["GM0363", "name"] == "Amsterdam"
    # every numeric topic is float64, canonical names resolved from DataProperties
    for col in (
        "aantal_inwoners",
        "bevolkingsdichtheid",
        "gemiddelde_woz_waarde_van_woningen",
        "k_40_huishoudens_met_laagste_inkomen",
        "personen_per_soort_uitkering_ao",
    ):
        assert frame[col].dtype == np.float64, col
    assert frame["soort_regio"].dropna().isin(["Gemeente", "Wijk"]).all()
    # values equal the source file for every overlapping row (no 0 for missing)
    joined = frame.set_index("code")[["aantal_inwoners", "bevolkingsdichtheid"]].join(stripped, how="inner")
    assert len(joined) == 131
    pd.testing.assert_series_equal(
        joined["aantal_inwoners"], joined["AantalInwoners_5"].astype(float), check_names=False
    )
    pd.testing.assert_series_equal(joined["bevolkingsdichtheid"], joined["Bevolkingsdichtheid_34"], check_names=False)
    cols = frame.attrs["columns"]
    assert cols["aantal_inwoners"]["key"] == "AantalInwoners_5"
    assert cols["aantal_inwoners"]["table_id"] == "85984NED"
    assert cols["aantal_inwoners"]["modified"] == "2025-03-27T02:00:00"
    src = frame.attrs["source"]
    assert src["table_id"] == "85984NED" and src["modified"] == "2025-03-27T02:00:00"
    assert src["from_cache"] is False and src["stale"] is False


def test_secret_and_missing_values_are_nan(mirror, cache_dir, stripped):
    frame = cbs.load_kwb_national(2024, "wijk").set_index("code")
    secret = stripped[(stripped["level"] == "WK") & stripped["Bevolkingsdichtheid_34"].isna()].index
    assert len(secret) > 0
    assert frame.loc[secret, "bevolkingsdichtheid"].isna().all()
    assert not (frame["aantal_inwoners"] == -99997).any()
    # income topics are all null in the emulator: NaN, never 0
    assert frame["gemiddeld_inkomen_per_inwoner"].isna().all()


def test_missing_wijk_titles_give_na_names(mirror, cache_dir):
    frame = cbs.load_kwb_national(2024, "wijk")
    assert len(frame) == 3393
    assert frame["name"].isna().sum() == 47
    assert frame["code"].notna().all()


def test_paging_with_small_pages_returns_every_row_once(mirror, cache_dir):
    cbs.list_gemeenten(2024)  # 342 rows: keep it out of the 7-row paging (speed)
    mirror.clear_requests()
    mirror.config(page_size=7)
    frame = cbs.load_kwb(["GM0479"], 2024, levels=("gemeente", "wijk"))
    assert len(frame) == 20 and frame["code"].is_unique
    assert len(typed_requests(mirror)) == 3  # 7 + 7 + 6 rows
    assert frame.set_index("code").loc["WK047912", "name"] == "Poelenburg"


def test_reset_in_the_middle_of_paging_gives_exact_rows(mirror, cache_dir):
    cbs.list_gemeenten(2024)
    mirror.clear_requests()
    mirror.config(page_size=7)
    mirror.fault(match=r"TypedDataSet.*\$skip=14", reset=True, times=1)
    frame = cbs.load_kwb(["GM0479"], 2024, levels=("gemeente", "wijk"))
    assert len(frame) == 20 and frame["code"].is_unique
    statuses = [r["status"] for r in typed_requests(mirror)]
    assert statuses.count(None) == 1 and len(statuses) == 4


def test_national_pages_beyond_one_page(mirror, cache_dir, stripped):
    mirror.config(page_size=1000)
    frame = cbs.load_kwb_national(2024, "wijk")
    assert len(frame) == (stripped["level"] == "WK").sum() == 3393
    assert frame["code"].is_unique
    assert len(typed_requests(mirror)) == 4


def test_two_503_then_success(mirror, cache_dir):
    mirror.fault(match="TypedDataSet", status=503, times=2)
    frame = cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    assert len(frame) == 19


def test_second_load_makes_zero_requests(mirror, cache_dir):
    first = cbs.load_kwb(["GM0479", "GM0363"], 2024, levels=("gemeente", "wijk"))
    mirror.clear_requests()
    with http.count_requests() as counter:
        second = cbs.load_kwb(["GM0363", "GM0479"], 2024, levels=("gemeente", "wijk"))
    assert counter.count == 0
    assert mirror.requests() == []
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs["source"]["from_cache"] is True
    # a subset is served from the same entries
    sub = cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    assert len(sub) == 19 and mirror.requests() == []
    # refresh asks CBS again; with an unchanged `Modified` stamp the rows are not downloaded again
    cbs.load_kwb(["GM0479"], 2024, levels=("wijk",), refresh=True)
    assert [r["path"].rsplit("/", 1)[-1] for r in mirror.requests()] == ["TableInfos"]
    assert typed_requests(mirror) == []


def test_server_down_with_warm_cache_returns_stale_copy_with_age(mirror, cache_dir, caplog):
    cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    mirror.fault(status=503)
    with pytest.warns(RuntimeWarning, match="dag"):
        frame = cbs.load_kwb(["GM0479"], 2024, levels=("wijk",), refresh=True)
    assert len(frame) == 19
    assert frame.attrs["source"]["stale"] is True
    assert frame.attrs["source"]["age_days"] is not None and frame.attrs["source"]["age_days"] >= 0
    assert "Gecachte gegevens" in caplog.text


def test_closed_port_with_warm_cache(mirror, cache_dir, monkeypatch):
    cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("STAPELKAART_CBS_URL", f"http://127.0.0.1:{port}")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        frame = cbs.load_kwb(["GM0479"], 2024, levels=("wijk",), refresh=True)
    assert frame.attrs["source"]["stale"] is True


def test_server_down_without_cache_is_fetch_error(mirror, cache_dir):
    mirror.fault(status=503)
    with pytest.raises(FetchError) as info:
        cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    assert "probeer later opnieuw" in info.value.message.lower()
    assert info.value.url.startswith(mirror.url)


def test_unknown_gemeente_is_user_input_error_with_suggestion(mirror, cache_dir):
    with pytest.raises(UserInputError) as info:
        cbs.load_kwb(["GM9999"], 2024)
    msg = info.value.message
    assert msg.startswith("Gemeente 'GM9999' bestaat niet in KWB 2024 (85984NED).")
    assert "list-gemeenten" in msg and "does not exist" in info.value.message_en
    assert typed_requests(mirror) == []  # nothing downloaded for an invalid selection


def test_gemeente_by_name_and_short_code(mirror, cache_dir):
    frame = cbs.load_kwb(["zaanstad", "363"], 2024, levels=("gemeente",))
    assert sorted(frame["code"]) == ["GM0363", "GM0479"]


def test_unknown_year_lists_available_years(mirror, cache_dir):
    with pytest.raises(UserInputError) as info:
        cbs.load_kwb(["GM0479"], 2017)
    assert "2017" in info.value.message and "2019, 2020" in info.value.message and "2025" in info.value.message
    assert mirror.requests() == []


def test_known_year_not_served_is_fetch_error(mirror, cache_dir):
    with pytest.raises(FetchError, match="84583NED"):
        cbs.load_kwb(["GM0479"], 2019)


def test_2025_v4_not_served_by_emulator_is_fetch_error(mirror, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_CBS_V4_URL", mirror.url)
    with pytest.raises(FetchError, match="86165NED"):
        cbs.load_kwb(["GM0479"], 2025)


def test_buurt_level_gives_zero_rows_not_a_crash(mirror, cache_dir):
    frame = cbs.load_kwb(["GM0479"], 2024, levels=("buurt",))
    assert len(frame) == 0 and "aantal_inwoners" in frame.columns


def test_unfiltered_answer_is_rejected(mirror, cache_dir):
    """If the service ignores the filter and answers other gemeenten, nothing is stored."""
    body = (
        '{"odata.metadata":"x","value":[{"ID":1,"WijkenEnBuurten":"WK036300  ","Gemeentenaam_1":"Amsterdam",'
        '"AantalInwoners_5":1}]}'
    )
    mirror.fault(match="TypedDataSet", status=200, body=body, content_type="application/json;charset=utf-8")
    with pytest.raises(FetchError, match="buiten het gevraagde filter"):
        cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    assert cache.get(cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479"])) is None


def test_region_filter_pads_gemeente_keys():
    assert cbs.region_filter("GM0363", ["gemeente", "wijk", "buurt"]) == (
        "WijkenEnBuurten eq 'GM0363    ' or startswith(WijkenEnBuurten,'WK0363') "
        "or startswith(WijkenEnBuurten,'BU0363')"
    )


def test_kwb_tables_single_source():
    assert cbs.KWB_TABLES[2024] == "85984NED" and cbs.KWB_TABLES[2025] == "86165NED"
    assert sorted(cbs.KWB_TABLES) == list(range(2019, 2026))


def test_rows_equal_cbsodata_get_data(mirror, cache_dir):
    import cbsodata

    flt = "startswith(WijkenEnBuurten,'WK0479')"
    old = (cbsodata.options.catalog_url, cbsodata.options.use_https)
    try:
        cbsodata.options.catalog_url = mirror.url.split("://", 1)[1]
        cbsodata.options.use_https = False
        reference = cbsodata.get_data("85984NED", filters=flt)
        props = cbsodata.get_meta("85984NED", "DataProperties")
    finally:
        cbsodata.options.catalog_url, cbsodata.options.use_https = old
    ours = cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    assert len(ours) == len(reference) == 19
    names = {p["Key"]: cbs.canonical_names(props)[p["Key"]] for p in props if p.get("Type") == "Topic"}
    numeric = [p["Key"] for p in props if p.get("Type") == "Topic" and p.get("Datatype") != "String"]
    for mine, theirs in zip(ours.to_dict("records"), reference):
        # cbsodata replaces the region key by the dimension title
        assert (mine["name"] if pd.notna(mine["name"]) else None) == (theirs["WijkenEnBuurten"] or "").strip() or None
        assert mine["code"] == theirs["Codering_3"].strip()
        for key in numeric:
            expected = theirs[key]
            got = mine[names[key]]
            if expected is None or expected in (-99997, -99999999):
                assert np.isnan(got), key
            else:
                assert got == pytest.approx(float(expected)), key


def test_a_year_the_source_does_not_have_says_so_and_which_year_to_choose(mirror, cache_dir):
    """The mirror (like a source without the 2019 table) answers 404 for 84583NED: the user reads which year
    to choose, not a raw HTTP text (issue 11)."""
    for load in (lambda: cbs.list_gemeenten(2019), lambda: cbs.load_kwb(["GM0363"], 2019)):
        with pytest.raises(FetchError) as info:
            load()
        assert info.value.message == "KWB 2019 (84583NED) is bij deze bron niet beschikbaar; kies 2024."
        assert "HTTP" not in info.value.text("en") and "choose 2024" in info.value.text("en")
