"""Issue 22/23, PDOK part: a short or wrong PDOK answer is never cached as the truth, boundaries are versioned,
and a gemeente without boundaries never takes the others down. Against ../shared/cbs-mirror (default mode:
boundaries for GM0363 Amsterdam and GM0479 Zaanstad only) and its fault API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import FetchError, UserInputError
from data import cache, http, pdok, pdok_national
from data.pdok_service import CRS_RD_URI, items_url
from data.pdok_store import boundaries_key

WIJKEN_0479 = r"collections/wijken/items\?.*gemeentecode=GM0479"
RD = "<http://www.opengis.net/def/crs/EPSG/0/28992>"


def _page(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features, "numberReturned": len(features), "links": []})


def _served(gm: str, level: str = "wijk") -> list[dict]:
    """The features the mirror serves for ``gm`` (one page of up to 1 000, RD New), read straight from it."""
    return http.get_json(items_url(2024, level), {"f": "json", "limit": 1000, "crs": CRS_RD_URI, "gemeentecode": gm})[
        "features"
    ]


def _key(gm: str = "GM0479", level: str = "wijk") -> cache.CacheKey:
    return boundaries_key(2024, level, gm)


# ------------------------------------------------------------------------------ partial selections
def test_gemeente_without_boundaries_does_not_take_the_others_down(mirror, cache_dir):
    """?gm=GM0363,GM0479,GM0772: the old code failed the whole map with 'PDOK heeft geen wijken voor GM0772'."""
    gdf = pdok.load_boundaries(["GM0363", "GM0479", "GM0772"], 2024, "wijk")
    assert sorted(set(gdf["gemeente_code"])) == ["GM0363", "GM0479"]
    assert len(gdf) == 110 + 19 and gdf["code"].is_unique
    assert list(gdf.attrs["missing"]) == ["GM0772"] and gdf.attrs["missing_kind"] == {"GM0772": "absent"}
    assert "niet in de PDOK-gemeenten van 2024" in gdf.attrs["missing"]["GM0772"]
    assert "not in PDOK's gemeenten of 2024" in gdf.attrs["missing_en"]["GM0772"]
    text = pdok.missing_message(gdf, "nl")
    assert text.startswith("Geen grenzen voor GM0772; de kaart toont GM0363, GM0479. GM0772: PDOK heeft geen wijken")
    assert pdok.missing_message(gdf, "en").startswith("No boundaries for GM0772; the map shows GM0363, GM0479.")
    # the two good gemeenten are cached on their own; the missing one is not cached at all
    assert cache.get(_key("GM0363")) is not None and cache.get(_key("GM0479")) is not None
    assert cache.get(_key("GM0772")) is None
    mirror.clear_requests()
    again = pdok.load_boundaries(["GM0363", "GM0479", "GM0772"], 2024, "wijk")
    items = mirror.requests("collections/wijken/items")
    assert len(items) == 1 and "GM0772" in items[0]["target"]  # only the missing one is asked again,
    assert len(mirror.requests(r"collections/gemeenten/items\?.*GM0772")) == 1  # once: PDOK does not list it
    assert again["code"].tolist() == gdf["code"].tolist()
    assert pdok.missing_message(pdok.load_boundaries(["GM0479"], 2024, "wijk")) is None


def test_only_unknown_gemeenten_is_still_an_error(mirror, cache_dir):
    with pytest.raises(UserInputError, match="PDOK heeft geen wijken voor GM0772 in 2024"):
        pdok.load_boundaries(["GM0772"], 2024, "wijk")
    with pytest.raises(UserInputError, match="Geen grenzen \\(wijken, 2024\\) voor GM0014, GM0772"):
        pdok.load_boundaries(["GM0772", "GM0014"], 2024, "wijk")


def test_pdok_down_costs_one_retry_budget_not_one_per_gemeente(mirror, cache_dir, monkeypatch):
    pdok.load_boundaries(["GM0479"], 2024, "wijk")  # cached; GM0363 is not
    mirror.clear_requests()
    mirror.fault(match="collections/wijken/items", status=503)
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    gdf = pdok.load_boundaries(["GM0363", "GM0479", "GM0772"], 2024, "wijk", refresh=True)
    assert set(gdf["gemeente_code"]) == {"GM0479"} and gdf.attrs["source"]["stale"]
    assert set(gdf.attrs["missing"]) == {"GM0363", "GM0772"}
    assert gdf.attrs["missing_kind"] == {"GM0363": "failed", "GM0772": "failed"}
    assert len(mirror.requests("collections/wijken/items")) == 2  # GM0363: 1 try + 1 retry, then no more


# ------------------------------------------------------------------------------ wrong answers
def test_another_gemeentes_features_are_an_error_and_the_good_version_stays(mirror, cache_dir):
    good = pdok.load_boundaries(["GM0479"], 2024, "wijk")
    amsterdam = _served("GM0363")[:3]
    mirror.clear_requests()
    mirror.fault(
        match=WIJKEN_0479,
        status=200,
        body=_page(amsterdam),
        content_type="application/geo+json",
        headers={"Content-Crs": RD},
    )
    kept = pdok.load_boundaries(["GM0479"], 2024, "wijk", refresh=True)
    assert kept["code"].tolist() == good["code"].tolist() and len(kept) == 19
    src = kept.attrs["source"]
    assert src["stale"] and "3 wijken buiten GM0479 in 2024" in src["error"]
    assert len(mirror.requests(WIJKEN_0479)) == 2  # asked again once, then reported
    versions = cache.versions(_key())
    assert [v["rows"] for v in versions] == [19] and versions[0]["current"]
    mirror.clear_faults()
    with pytest.raises(FetchError, match="buiten GM0363"):  # no cache: the error, nothing stored
        mirror.fault(
            match=r"wijken/items\?.*GM0363",
            status=200,
            body=_page(_served("GM0479")[:2]),
            content_type="application/geo+json",
            headers={"Content-Crs": RD},
        )
        pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert cache.get(_key("GM0363")) is None and cache.versions(_key("GM0363")) == []


def test_empty_answer_for_a_known_gemeente_is_an_error_never_cached(mirror, cache_dir):
    mirror.fault(match=WIJKEN_0479, status=200, body=_page([]), content_type="application/geo+json")
    with pytest.raises(FetchError) as exc:
        pdok.load_boundaries(["GM0479"], 2024, "wijk")
    assert "0 wijken voor GM0479 in 2024" in exc.value.message and "in de PDOK-gemeenten van 2024" in exc.value.message
    assert len(mirror.requests(WIJKEN_0479)) == 2
    assert len(mirror.requests(r"collections/gemeenten/items\?.*GM0479")) == 1  # does PDOK know the gemeente?
    assert cache.get(_key()) is None
    mirror.clear_faults()  # the next visit asks again and gets the truth
    assert len(pdok.load_boundaries(["GM0479"], 2024, "wijk")) == 19


def test_a_refresh_with_fewer_features_keeps_the_good_version_unless_confirmed(mirror, cache_dir):
    pdok.load_boundaries(["GM0479"], 2024, "wijk")
    first = cache.versions(_key())
    again = pdok.load_boundaries(["GM0479"], 2024, "wijk", refresh=True)  # same content: no new version
    assert cache.versions(_key()) == first and cache.get(_key())[1]["fetched_at"] == again.attrs["source"]["fetched_at"]
    five = _served("GM0479")[:5]
    mirror.fault(
        match=WIJKEN_0479,
        status=200,
        body=_page(five),
        content_type="application/geo+json",
        headers={"Content-Crs": RD},
    )
    kept = pdok.load_boundaries(["GM0479"], 2024, "wijk", refresh=True)
    assert len(kept) == 19 and kept.attrs["source"]["refused"] == {"rows_new": 5, "rows_kept": 19}
    assert "PDOK leverde nu 5 wijken van GM0479, de bewaarde versie heeft er 19" in kept.attrs["source"]["error"]
    assert cache.versions(_key()) == first and len(cache.get(_key())[0]) == 19
    # an explicit confirmation makes the smaller version current; the good one stays kept, its file on disk
    smaller = pdok.load_boundaries(["GM0479"], 2024, "wijk", refresh=True, allow_fewer=True)
    assert len(smaller) == 5 and not smaller.attrs["source"].get("stale")
    rows = {v["rows"]: v for v in cache.versions(_key())}
    assert set(rows) == {5, 19} and rows[5]["current"] and not rows[19]["current"]
    old = cache.get(_key(), version=rows[19]["version"])
    assert old is not None and len(old[0]) == 19
    entry_dir = Path(cache_dir) / "entries" / _key().slug
    assert (entry_dir / old[1]["data_file"]).exists()


def test_lost_manifest_with_pdok_down_falls_back_to_the_largest_kept_version(mirror, cache_dir, monkeypatch):
    pdok.load_boundaries(["GM0479"], 2024, "wijk")
    (Path(cache_dir) / "entries" / _key().slug / "manifest.json").unlink()
    mirror.fault(match="collections/wijken/items", status=503)
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "0")
    gdf = pdok.load_boundaries(["GM0479"], 2024, "wijk")
    assert len(gdf) == 19 and gdf.attrs["source"]["stale"] and "503" in gdf.attrs["source"]["error"]


def test_heel_nederland_is_one_paged_pass_naming_the_gemeenten_without_boundaries(mirror, cache_dir):
    """The page's national view (load_boundaries_each over all 342 gemeenten) made one request per gemeente
    (~340, 9.5 s); now one pass over the collection. The default mirror serves wijken of 2 gemeenten only."""
    import pandas as pd

    from tests.conftest import SHARED_DATA

    stats = pd.read_csv(
        SHARED_DATA / "kwb" / "cbs_wijkbuurtkaart2024v2_gemeente_stats_all.csv", usecols=["gemeentecode", "water"]
    )
    gemeenten = sorted(stats.loc[stats["water"] == "NEE", "gemeentecode"].str.strip())
    assert len(gemeenten) == 342
    gdf, missing = pdok_national.load_boundaries_each(gemeenten, 2024, "wijk")
    assert sorted(set(gdf["gemeente_code"])) == ["GM0363", "GM0479"] and len(gdf) == 129
    assert len(missing) == 340 and set(missing) == set(gemeenten) - {"GM0363", "GM0479"}
    assert len(mirror.requests("collections/wijken/items")) == 1
    en = pdok.missing_message(gdf, "en")
    assert en.startswith(
        "No boundaries for GM0014, GM0034, GM0037, GM0047, GM0050, GM0059 and 334 other gemeenten; "
        "the map shows GM0363, GM0479. For example GM0014: PDOK's national wijken collection of 2024 "
        "has no wijken of GM0014."
    )


def test_older_multi_gemeente_entry_still_serves_offline(mirror, cache_dir, monkeypatch):
    """Entries cached (or imported from a snapshot) before boundaries were cached per gemeente hold several
    gemeenten under one key; with PDOK down a gemeente's rows are taken from such an entry, marked stale."""
    both = pdok.load_boundaries(["GM0363", "GM0479"], 2024, "wijk")
    old_key = cache.CacheKey.make("boundaries", 2024, "wijk", ["GM0363", "GM0479"])
    cache.put(old_key, both, {"source_url": both.attrs["source"]["url"], "table_id": both.attrs["source"]["table_id"]})
    cache.delete(_key("GM0363"))
    cache.delete(_key("GM0479"))
    mirror.fault(match="collections/wijken/items", status=503)
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "0")
    gdf = pdok.load_boundaries(["GM0479"], 2024, "wijk")
    assert len(gdf) == 19 and set(gdf["gemeente_code"]) == {"GM0479"} and gdf.attrs["source"]["stale"]
