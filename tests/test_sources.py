"""Sources declared as data (data.sources): measures found by name part, filters checked, base URLs per service.

The mirror serves test-defined tables (``--tables``) whose measure keys carry other numeric suffixes than
the ones we know, as CBS does between revisions (85984NED: ``MateVanStedelijkheid_127`` -> ``_120``), and a
50150NED with more monitor measures, more age groups and the interval bounds: the loader must pick the
declared categories and fill the declared measures by their name.
"""

from __future__ import annotations

import dataclasses
import json
import os

import numpy as np
import pytest

from core.errors import FetchError
from data import health, http
from data.sources import (
    GEZONDHEID,
    KWB_2024,
    SOURCES,
    DimensionFilter,
    find_measure_key,
    get_source,
    measure_key,
    resolve_filter,
    resolve_measures,
    service_url,
)
from tests.conftest import needs_shared, start_mirror

pytestmark = needs_shared


def _topic(i: int, key: str, title: str) -> dict:
    return {
        "ID": i,
        "Position": i,
        "ParentID": None,
        "Type": "Topic",
        "Key": key,
        "Title": title,
        "Datatype": "Double",
        "Unit": "%",
        "Decimals": 1,
    }


def _dim(i: int, key: str, kind: str = "Dimension") -> dict:
    return {"ID": i, "Position": i, "ParentID": None, "Type": kind, "Key": key, "Title": key}


# A "2026 revision" of 50150NED: other suffixes, loneliness present, two age groups, estimate + lower bound.
_GZ_KEYS = {
    "goed_ervaren_gezondheid": "GoedErvarenGezondheid_6",
    "eenzaamheid": "Eenzaam_29",
    "ernstig_eenzaam": "ErnstigZeerErnstigEenzaam_30",
    "langdurige_aandoeningen": "EenOfMeerLangdurigeAandoeningen_7",
}
_ROWS = [  # (region, period, age, margin, goed, eenzaam)
    ("GM0772    ", "2022JJ00", "20300", "MW00000", 67.3, 51.0),
    ("GM0772    ", "2024JJ00", "20300", "MW00000", 71.9, 49.5),
    ("BU07723350", "2024JJ00", "20300", "MW00000", 67.5, None),
    ("BU07723350", "2022JJ00", "20300", "MW00000", 61.8, 55.1),
    ("BU07723350", "2024JJ00", "53115", "MW00000", 99.0, 99.0),  # 18-64: must not be taken
    ("BU07723350", "2024JJ00", "20300", "MW00007", 1.0, 1.0),  # lower bound: must not be taken
    ("WK077233  ", "2024JJ00", "20300", "MW00000", 70.0, 50.0),  # the real table has wijken
]


def _gz_table() -> dict:
    props = [
        _dim(0, "Leeftijd"),
        _dim(1, "Marges"),
        _dim(2, "WijkenEnBuurten", "GeoDimension"),
        _dim(3, "Perioden", "TimeDimension"),
        _topic(6, _GZ_KEYS["goed_ervaren_gezondheid"], "Goed ervaren gezondheid"),
        _topic(7, _GZ_KEYS["langdurige_aandoeningen"], "Eén of meer langdurige aandoeningen"),
        _topic(29, _GZ_KEYS["eenzaamheid"], "Eenzaam"),
        _topic(30, _GZ_KEYS["ernstig_eenzaam"], "Ernstig/zeer ernstig eenzaam"),
        _topic(31, "EmotioneelEenzaam_31", "Emotioneel eenzaam"),
    ]  # shares the word, never matched
    rows = [
        {
            "Leeftijd": a,
            "Marges": m,
            "WijkenEnBuurten": r,
            "Perioden": p,
            _GZ_KEYS["goed_ervaren_gezondheid"]: g,
            _GZ_KEYS["eenzaamheid"]: e,
            "EmotioneelEenzaam_31": 12.0,
        }
        for r, p, a, m, g, e in _ROWS
    ]
    return {
        "id": "50150NED",
        "TableInfos": {
            "Identifier": "50150NED",
            "Title": "Gezondheid per wijk en buurt",
            "Modified": "2026-06-01T02:00:00",
        },
        "DataProperties": props,
        "dimensions": {
            "Leeftijd": [{"Key": "20300", "Title": "18 jaar of ouder"}, {"Key": "53115", "Title": "18 tot 65 jaar"}],
            "Marges": [{"Key": "MW00000", "Title": "Waarde"}, {"Key": "MW00007", "Title": "Ondergrens 95%-interval"}],
            "WijkenEnBuurten": [
                {"Key": "GM0772    ", "Title": "Eindhoven"},
                {"Key": "WK077233  ", "Title": "Oud-Tongelre"},
                {"Key": "BU07723350", "Title": "'t Hofke"},
            ],
            "Perioden": [{"Key": f"{y}JJ00", "Title": str(y)} for y in (2012, 2016, 2020, 2022, 2024)],
        },
        "TypedDataSet": rows,
    }


def _kwb_table() -> dict:
    props = [
        _dim(0, "WijkenEnBuurten", "GeoDimension"),
        _topic(1, "AantalInwoners_4", "Aantal inwoners"),
        _topic(2, "MateVanStedelijkheid_120", "Mate van stedelijkheid"),
    ]
    return {
        "id": "TEST84NED",
        "TableInfos": {"Identifier": "TEST84NED", "Title": "KWB revision with new suffixes"},
        "DataProperties": props,
        "dimensions": {"WijkenEnBuurten": [{"Key": "GM0772    ", "Title": "Eindhoven"}]},
        "TypedDataSet": [{"WijkenEnBuurten": "GM0772    ", "AantalInwoners_4": 246417, "MateVanStedelijkheid_120": 1}],
    }


@pytest.fixture(scope="module")
def renumbered(tmp_path_factory):
    tables = tmp_path_factory.mktemp("tables")
    for table in (_gz_table(), _kwb_table()):
        (tables / table["id"]).mkdir()
        (tables / table["id"] / "table.json").write_text(json.dumps(table))
    m = start_mirror(tmp_path_factory.mktemp("mirror"), "--tables", str(tables))
    yield m
    m.proc.terminate()
    m.proc.wait(10)


@pytest.fixture
def on_mirror(renumbered, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", renumbered.url)
    monkeypatch.setenv("STAPELKAART_CBS_URL", renumbered.url)
    return renumbered


def test_the_declared_sources_name_their_service_and_url_variable(monkeypatch):
    assert get_source("gezondheid_wijk_buurt") is GEZONDHEID and set(SOURCES) == {"gezondheid_wijk_buurt", "kwb_2024"}
    assert (GEZONDHEID.table_id, GEZONDHEID.service, GEZONDHEID.env) == (
        "50150NED",
        "dataderden",
        "STAPELKAART_DATADERDEN_URL",
    )
    assert (KWB_2024.service, KWB_2024.env) == ("opendata", "STAPELKAART_CBS_URL")
    assert GEZONDHEID.years == (2012, 2016, 2020, 2022, 2024)
    assert GEZONDHEID.filters == (
        DimensionFilter("Leeftijd", "20300", "18 jaar of ouder"),
        DimensionFilter("Marges", "MW00000", "Waarde"),
    )
    monkeypatch.delenv("STAPELKAART_DATADERDEN_URL", raising=False)
    monkeypatch.delenv("STAPELKAART_CBS_URL", raising=False)
    assert GEZONDHEID.base_url() == "https://dataderden.cbs.nl/ODataFeed/odata/50150NED"
    assert KWB_2024.base_url() == "https://opendata.cbs.nl/ODataFeed/odata/85984NED"
    monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", "http://127.0.0.1:9/")
    assert service_url("dataderden") == "http://127.0.0.1:9" and service_url("opendata") == http.cbs_url()
    with pytest.raises(KeyError, match="must be one of"):
        get_source("nope")


def test_a_measure_is_found_by_its_name_part_not_its_suffix(on_mirror):
    """85984NED renumbered: our declaration has no suffix at all; the live DataProperties say _120."""
    src = dataclasses.replace(KWB_2024, table_id="TEST84NED")
    props = http.get_json(f"{src.base_url()}/DataProperties", {"$format": "json"})["value"]
    assert measure_key(src, "mate_van_stedelijkheid", props) == "MateVanStedelijkheid_120"
    assert measure_key(src, "aantal_inwoners", props) == "AantalInwoners_4"
    with pytest.raises(FetchError) as err:
        measure_key(src, "k_0_tot_15_jaar", props)
    assert "k_0_tot_15_jaar" in err.value.message and "AantalInwoners_4, MateVanStedelijkheid_120" in err.value.message
    assert "AantalInwoners_4" in err.value.message_en


def test_name_part_is_the_whole_stem_never_a_substring():
    props = [
        {"Type": "Topic", "Key": "EmotioneelEenzaam_31"},
        {"Type": "Topic", "Key": "Eenzaam_29"},
        {"Type": "Dimension", "Key": "Eenzaam"},
    ]
    assert find_measure_key(GEZONDHEID.measure("eenzaamheid"), props) == "Eenzaam_29"
    assert find_measure_key(GEZONDHEID.measure("eenzaamheid"), props[:1]) is None
    found, missing = resolve_measures(GEZONDHEID, props)
    assert found == {"eenzaamheid": "Eenzaam_29"} and "goed_ervaren_gezondheid" in missing


def test_filters_are_checked_against_the_live_categories():
    flt = GEZONDHEID.filters[0]
    assert resolve_filter(GEZONDHEID, flt, [{"Key": "20300", "Title": "18 jaar of ouder"}]) == "20300"
    # a revision that renumbered the category but kept its title
    assert resolve_filter(GEZONDHEID, flt, [{"Key": "A041", "Title": "18 jaar of ouder "}]) == "A041"
    with pytest.raises(FetchError) as err:
        resolve_filter(GEZONDHEID, flt, [{"Key": "20300", "Title": "65 jaar of ouder"}])
    assert "Leeftijd" in err.value.message and "20300 = 65 jaar of ouder" in err.value.message


def test_a_renumbered_50150NED_fills_every_declared_measure_it_has(on_mirror):
    frame = health.load_health("GM0772", levels=("gemeente", "wijk", "buurt"))
    assert frame.attrs["measure_keys"] == _GZ_KEYS
    assert "eenzaamheid" not in frame.attrs["absent_measures"]
    assert "moeite_met_rondkomen" in frame.attrs["absent_measures"]
    got = {(r.code, r.year): (r.goed_ervaren_gezondheid, r.eenzaamheid) for r in frame.itertuples()}
    # only 18+ and the estimate; the 18-64 row (99.0) and the lower bound (1.0) are not taken
    assert got == {
        ("GM0772", 2022): (67.3, 51.0),
        ("GM0772", 2024): (71.9, 49.5),
        ("WK077233", 2024): (70.0, 50.0),
        ("BU07723350", 2022): (61.8, 55.1),
        ("BU07723350", 2024): (67.5, got[("BU07723350", 2024)][1]),
    }
    assert np.isnan(got[("BU07723350", 2024)][1])  # null in the table: NaN, not 0
    assert frame.attrs["absent_levels"] == []  # this table has wijken: they are loaded
    assert health.measure_status(frame, "eenzaamheid", "buurt")["status"] == "ok"
    assert health.measure_status(frame, "langdurige_aandoeningen", "buurt") == {
        "status": "empty",
        "text": {"nl": "geen waarden op dit niveau", "en": "no values at this level"},
    }
    assert health.measure_status(frame, "roker", "buurt")["text"]["nl"] == "niet in deze gegevens"
    assert dict(zip(frame["code"], frame["name"]))["BU07723350"] == "'t Hofke"


def test_a_category_the_table_lacks_stops_the_load_with_what_exists(on_mirror):
    src = dataclasses.replace(GEZONDHEID, filters=(DimensionFilter("Leeftijd", "20400", "65 jaar of ouder"),))
    with pytest.raises(FetchError) as err:
        health.load_health("GM0772", source=src)
    assert "20300 = 18 jaar of ouder; 53115 = 18 tot 65 jaar" in err.value.message
    assert not os.path.exists(os.environ["STAPELKAART_CACHE_DIR"] + "/entries") or not os.listdir(
        os.environ["STAPELKAART_CACHE_DIR"] + "/entries"
    )


def test_doctests():
    import doctest

    import data.sources
    import indicators.health

    assert doctest.testmod(data.sources).failed == 0
    assert doctest.testmod(indicators.health).failed == 0


def test_the_health_indicator_is_wired_against_its_source():
    from indicators import registry

    ind = registry.INDICATORS["ervaren_gezondheid_niet_goed"]
    src = get_source(ind.source_id)
    assert (ind.id, ind.domain, ind.complement, ind.direction) == (
        "ervaren_gezondheid_niet_goed",
        "gezondheid",
        100.0,
        +1,
    )
    assert ind.years == src.years and set(ind.levels) <= set(src.levels) and "wijk" not in ind.levels
    assert ind.numerator == (src.measure("goed_ervaren_gezondheid").id,)
    assert "gezondheid" in registry.DOMAINS and registry.scored_indicators("gezondheid") == [ind]
    # the KWB entries are unchanged by the new keyword fields: only the health indicator has a second table
    others = [i for i in registry.INDICATORS.values() if i is not ind]
    assert all(i.source_id is None and i.complement is None for i in others)
    with pytest.raises(ValueError, match="complement"):
        dataclasses.replace(ind, kind="mean")
