"""Issue 23, boundaries part: the whole country from one paged pass, any gemeente, partially if need be.

Against ``cbs-mirror --national`` (started once for this module): PDOK ``wijken`` 3 393 and ``buurten``
14 568 features for all 342 gemeenten. The counts are recomputed from the mirror's own data files
(``../shared/data/derived-national/pdok_wbk2024/*.features.tsv.gz``, one line per served feature).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import time

import pytest

from tests.conftest import MIRROR_BIN, SHARED_DATA, start_mirror

PDOK_FILES = SHARED_DATA / "derived-national" / "pdok_wbk2024"
pytestmark = pytest.mark.skipif(not MIRROR_BIN.exists(), reason="../shared/cbs-mirror is absent")


def _served(collection: str) -> dict[str, str]:
    """code -> gemeentecode of every feature the national mirror serves in ``collection`` (from its data file)."""
    prop = {"wijken": "wijkcode", "buurten": "buurtcode"}[collection]
    out = {}
    with gzip.open(PDOK_FILES / f"{collection}.features.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            props = json.loads(line.split("\t")[1])
            out[props[prop]] = props["gemeentecode"]
    return out


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    m = start_mirror(tmp_path_factory.mktemp("national-mirror"), "--national")
    old = os.environ.get("STAPELKAART_PDOK_URL")
    os.environ["STAPELKAART_PDOK_URL"] = m.url
    yield m
    if old is None:
        os.environ.pop("STAPELKAART_PDOK_URL", None)
    else:
        os.environ["STAPELKAART_PDOK_URL"] = old
    m.proc.terminate()
    m.proc.wait(10)


@pytest.fixture
def nat(national):
    national.reset()
    yield national
    national.reset()


@pytest.mark.parametrize("level,collection", [("wijk", "wijken"), ("buurt", "buurten")])
def test_heel_nederland_in_one_paged_pass_equals_what_is_served(nat, cache_dir, level, collection):
    from data import cache, http
    from data.pdok_national import load_boundaries_national
    from data.pdok_store import boundaries_key

    served = _served(collection)
    t0 = time.perf_counter()
    gdf = load_boundaries_national(2024, level)
    first = time.perf_counter() - t0
    assert len(gdf) == len(served) and set(gdf["code"]) == set(served)
    assert dict(zip(gdf["code"], gdf["gemeente_code"])) == served
    assert gdf["gemeente_code"].nunique() == 342 and gdf.crs.to_epsg() == 28992
    pages = nat.requests(f"collections/{collection}/items")
    # one pass: each page of 1 000 features asked for once (a page asked again is a retry after a read timeout on
    # a loaded machine, the same target), never per gemeente
    targets = {p["target"] for p in pages}
    assert len(targets) == math.ceil(len(served) / 1000)
    assert all("gemeentecode" not in p["target"] for p in pages)
    assert all(p["status"] == 200 for p in pages)
    paging = gdf.attrs["paging"]["NL"]
    assert paging["features"] == len(served) and paging["pages"] == len(targets)
    assert len(cache.versions(boundaries_key(2024, level, None))) == 1
    nat.clear_requests()
    t0 = time.perf_counter()
    with http.count_requests() as counter:
        again = load_boundaries_national(2024, level)
    cached = time.perf_counter() - t0
    assert counter.count == 0 and again.attrs["source"]["from_cache"] and len(again) == len(served)
    print(
        f"\nnational {level}: {len(gdf)} features in {len(pages)} pages; first load {first:.2f} s, cached {cached:.2f} s"
    )


def test_every_gemeente_from_the_national_pass_not_one_request_each(nat, cache_dir):
    from data.pdok_national import load_boundaries_each

    served = _served("wijken")
    gemeenten = sorted(set(served.values()))
    gdf, missing = load_boundaries_each(gemeenten, 2024, "wijk")
    assert missing == {} and len(gdf) == len(served) == 3393
    assert len(nat.requests("collections/wijken/items")) == 4  # 3 393 wijken in pages of 1 000


def test_amsterdam_zaanstad_eindhoven_together_at_wijk_and_buurt_level(nat, cache_dir):
    from data import pdok

    gdf = pdok.load_boundaries(["GM0363", "GM0479", "GM0772"], 2024, "wijk")
    counts = gdf["gemeente_code"].value_counts().to_dict()
    assert counts == {"GM0363": 110, "GM0479": 19, "GM0772": 20} and gdf.attrs["missing"] == {}
    names = gdf.set_index("code")["name"]
    assert names["WK077233"] == "Oud-Tongelre" and names["WK077272"] == "Oud-Gestel"
    assert gdf.set_index("code").loc["WK077233", "aantal_inwoners"] == 8930
    buurten = pdok.load_boundaries(["GM0772"], 2024, "buurt")
    expected = sorted(c for c, g in _served("buurten").items() if g == "GM0772")
    assert buurten["code"].tolist() == expected and len(expected) > 100


def test_one_gemeentes_features_dropped_the_others_drawn_and_it_is_named(nat, cache_dir):
    """The emulator's fault API drops Eindhoven's wijken (an empty answer); Amsterdam and Zaanstad are drawn."""
    from data import cache, pdok
    from data.pdok_store import boundaries_key

    empty = json.dumps({"type": "FeatureCollection", "features": [], "numberReturned": 0, "links": []})
    nat.fault(
        match=r"collections/wijken/items\?.*gemeentecode=GM0772",
        status=200,
        body=empty,
        content_type="application/geo+json",
    )
    gdf = pdok.load_boundaries(["GM0363", "GM0479", "GM0772"], 2024, "wijk")
    assert set(gdf["gemeente_code"]) == {"GM0363", "GM0479"} and len(gdf) == 129
    assert gdf.attrs["missing_kind"] == {"GM0772": "failed"}  # PDOK lists Eindhoven: an error, not "absent"
    assert "0 wijken voor GM0772 in 2024" in gdf.attrs["missing"]["GM0772"]
    assert "GM0772" in pdok.missing_message(gdf, "en") and cache.get(boundaries_key(2024, "wijk", "GM0772")) is None


def test_national_refresh_cut_short_keeps_the_complete_version(nat, cache_dir):
    """A refresh whose second page ends the collection (1 000 of 3 393 wijken) never replaces the good version."""
    from data import cache
    from data.pdok_national import load_boundaries_national
    from data.pdok_store import boundaries_key

    load_boundaries_national(2024, "wijk")
    empty = json.dumps({"type": "FeatureCollection", "features": [], "numberReturned": 0, "links": []})
    nat.fault(match=r"collections/wijken/items\?.*cursor=", status=200, body=empty, content_type="application/geo+json")
    kept = load_boundaries_national(2024, "wijk", refresh=True)
    assert len(kept) == 3393 and kept.attrs["source"]["refused"] == {"rows_new": 1000, "rows_kept": 3393}
    assert [v["rows"] for v in cache.versions(boundaries_key(2024, "wijk", None))] == [3393]
    nat.clear_faults()
    nat.fault(match=r"collections/wijken/items", status=200, body=empty, content_type="application/geo+json")
    stale = load_boundaries_national(2024, "wijk", refresh=True)  # an empty country: an error, kept copy
    assert len(stale) == 3393 and stale.attrs["source"]["stale"] and "0 wijken" in stale.attrs["source"]["error"]
