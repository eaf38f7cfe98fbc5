"""PDOK boundaries against the real-data mirror (../shared/cbs-mirror), plus a tiny local OGC API server.

The tiny server (``FakePdok``) is a real HTTP server on 127.0.0.1 serving canned GeoJSON pages for the
misbehaviours the mirror cannot produce: a repeated ``next`` link, a limit capped below our page size,
``numberMatched``, an empty last page, lon/lat or swapped coordinates, a wrong Content-Crs, an invalid
polygon and a feature of another gemeente. Its features are synthetic squares in Amsterdam (RD metres).
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import shapely

from core.errors import FetchError, UserInputError
from data import http, pdok, pdok_fetch
from data.pdok_service import items_url
from data.pdok_store import boundaries_key

RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"


# ------------------------------------------------------------------------------------------ mirror


def test_all_518_amsterdam_buurten_arrive_through_paging(mirror, cache_dir, monkeypatch):
    monkeypatch.setattr(pdok_fetch, "PAGE_LIMIT", 100)
    gdf = pdok.load_boundaries(["GM0363"], 2024, "buurt")
    assert len(gdf) == 518 and gdf["code"].is_unique
    assert gdf["code"].str.match(r"^BU0363[A-Z]{2}\d{2}$").all()
    assert (gdf["gemeente_code"] == "GM0363").all() and (gdf["level"] == "buurt").all()
    assert gdf.crs.to_epsg() == 28992 and gdf.is_valid.all() and not gdf.geometry.is_empty.any()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    requests = mirror.requests("collections/buurten/items")
    assert len(requests) == 6 and all(r["status"] == 200 for r in requests)  # 5 x 100 + 18
    assert all("limit=100" in r["target"] and "gemeentecode=GM0363" in r["target"] for r in requests)
    assert gdf.attrs["paging"]["GM0363"]["pages"] == 6


def test_limit_above_the_service_cap_is_clamped_but_complete(mirror, cache_dir, monkeypatch):
    monkeypatch.setattr(pdok_fetch, "PAGE_LIMIT", 5000)
    gdf = pdok.load_boundaries(["GM0363"], 2024, "buurt")
    assert len(gdf) == 518
    assert [r["status"] for r in mirror.requests("collections/buurten/items")] == [200]


def test_zaanstad_19_wijken_with_attributes(mirror, cache_dir):
    calls = []
    gdf = pdok.load_boundaries(["479"], 2024, "wijk", progress=lambda fraction, text: calls.append((fraction, text)))
    assert calls[-1] == (1.0, "Grenzen opgehaald") and all(0 <= f <= 1 for f, _ in calls)
    assert len(gdf) == 19 and gdf["code"].str.startswith("WK0479").all()
    assert list(gdf.columns[:5]) == ["code", "level", "name", "gemeente_code", "year"]
    poelenburg = gdf.set_index("code").loc["WK047912"]
    assert poelenburg["name"] == "Poelenburg" and poelenburg["year"] == 2024
    assert gdf["aantal_inwoners"].dtype == "float64"
    assert gdf.crs.to_epsg() == 28992 and gdf.is_valid.all()
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 100_000 < minx < maxx < 130_000 and 490_000 < miny < maxy < 510_000
    target = unquote(mirror.requests("collections/wijken/items")[0]["target"])
    assert "crs=http://www.opengis.net/def/crs/EPSG/0/28992" in target and "f=json" in target


def test_missing_values_become_nan(mirror, cache_dir):
    gdf = pdok.load_boundaries(["GM0363"], 2024, "wijk").set_index("code")
    served = {}
    for f in http.get_json(items_url(2024, "wijk"), {"f": "json", "limit": 1000, "gemeentecode": "GM0363"})["features"]:
        for k, v in f["properties"].items():
            if v == -99997:
                served[(f["properties"]["wijkcode"], k)] = v
    assert served, "the mirror serves -99997 for some Amsterdam wijk attributes"
    for code, col in served:
        assert gdf.loc[code, col] != gdf.loc[code, col]  # NaN


def test_second_call_makes_zero_requests(mirror, cache_dir):
    first = pdok.load_boundaries(["GM0479"], 2024, "wijk")
    mirror.clear_requests()
    with http.count_requests() as counter:
        second = pdok.load_boundaries(["GM0479"], 2024, "wijk")
    assert counter.count == 0 and mirror.requests() == []
    assert second.attrs["source"]["from_cache"] and not second.attrs["source"]["stale"]
    assert second["code"].tolist() == first["code"].tolist() and second.crs.to_epsg() == 28992
    pdok.load_boundaries(["GM0479"], 2024, "wijk", refresh=True)
    assert len(mirror.requests("collections/wijken/items")) == 1


def test_503_then_success(mirror, cache_dir):
    mirror.fault(match="collections/wijken/items", status=503, times=1, retry_after=0)
    gdf = pdok.load_boundaries(["GM0479"], 2024, "wijk")
    assert len(gdf) == 19
    assert [r["status"] for r in mirror.requests("collections/wijken/items")] == [503, 200]


def test_server_down_with_warm_cache_returns_stale_copy_with_age(mirror, cache_dir, monkeypatch):
    pdok.load_boundaries(["GM0479"], 2024, "wijk")
    with socket.socket() as s:  # a port that nobody listens on: the server is down
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("STAPELKAART_PDOK_URL", dead)
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    gdf = pdok.load_boundaries(["GM0479"], 2024, "wijk", refresh=True)
    src = gdf.attrs["source"]
    assert len(gdf) == 19 and src["stale"] and src["from_cache"]
    assert src["age_days"] is not None and 0 <= src["age_days"] < 0.01
    assert dead in src["error"]
    with pytest.raises(FetchError) as exc:  # no cache for buurten: the error names the URL
        pdok.load_boundaries(["GM0479"], 2024, "buurt")
    assert dead in exc.value.message and exc.value.url.startswith(dead)


def test_year_without_boundaries_is_a_clear_error(mirror, cache_dir):
    with pytest.raises(UserInputError, match="Grenzen voor 2023 niet beschikbaar bij PDOK") as exc:
        pdok.load_boundaries(["GM0479"], 2023, "wijk")
    assert "wijken-en-buurten-2023" in exc.value.message
    assert mirror.requests("wijken-en-buurten-2023")[0]["status"] == 404


def test_bad_input_is_refused_before_any_request(mirror, cache_dir):
    with pytest.raises(UserInputError):
        pdok.load_boundaries(["Zaanstad"], 2024, "wijk")
    with pytest.raises(UserInputError):
        pdok.load_boundaries(["GM0479"], 2024, "straat")
    with pytest.raises(UserInputError):
        pdok.load_boundaries([], 2024, "wijk")
    assert mirror.requests() == []


# ----------------------------------------------------------------------------- tiny local OGC server


def square(x, y, size=100.0):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def feature(code, geometry, gm="GM0363", name=None):
    return {
        "type": "Feature",
        "properties": {"wijkcode": code, "wijknaam": name or code, "gemeentecode": gm, "aantal_inwoners": -99997},
        "geometry": geometry,
    }


class FakePdok:
    """Serves ``pages`` (cursor -> dict) as OGC API pages; ``cap`` clamps ``limit`` like the real service."""

    def __init__(self) -> None:
        self.features: list[dict] = []
        self.cap = 1000
        self.crs_header: str | None = f"<{RD_URI}>"
        self.number_matched: int | None = None
        self.repeat_next = False
        self.empty_last_page = False
        self.hits: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.hits.append(self.path)
                q = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                limit = min(int(q.get("limit", 10)), fake.cap)
                start = int(q.get("cursor", 0))
                feats = fake.features[start : start + limit]
                nxt = start + limit
                base = f"{fake.url}{urlsplit(self.path).path}?f=json&limit={limit}&crs={RD_URI}&gemeentecode=GM0363"
                links = []
                if fake.repeat_next and start > 0:
                    links.append({"rel": "next", "href": f"{base}&cursor={start}"})  # the same page again
                elif nxt < len(fake.features) or (fake.empty_last_page and start < len(fake.features)):
                    links.append({"rel": "next", "href": f"{base}&cursor={nxt}"})
                body = {"type": "FeatureCollection", "links": links, "features": feats, "numberReturned": len(feats)}
                if fake.number_matched is not None:
                    body["numberMatched"] = fake.number_matched
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/geo+json")
                if fake.crs_header:
                    self.send_header("Content-Crs", fake.crs_header)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake(cache_dir, monkeypatch):
    server = FakePdok()
    server.features = [feature(f"WK0363{chr(65 + i)}A", square(120_000 + 200 * i, 487_000)) for i in range(7)]
    monkeypatch.setenv("STAPELKAART_PDOK_URL", server.url)
    yield server
    server.close()


def test_capped_limit_is_followed_to_completion(fake, monkeypatch):
    fake.cap = 3
    monkeypatch.setattr(pdok_fetch, "PAGE_LIMIT", 5000)
    gdf = pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert len(gdf) == 7 and len(fake.hits) == 3  # 3 + 3 + 1
    assert "limit=5000" in fake.hits[0]
    assert gdf["aantal_inwoners"].isna().all()  # -99997 -> NaN


def test_count_is_checked_against_number_matched(fake):
    fake.cap, fake.number_matched = 3, 7
    gdf = pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert len(gdf) == 7 == gdf.attrs["paging"]["GM0363"]["number_matched"]
    fake.number_matched = 9
    # issue 22: a short answer is asked again, then the good cached version is kept and the reason named
    fake.hits.clear()
    kept = pdok.load_boundaries(["GM0363"], 2024, "wijk", refresh=True)
    assert len(fake.hits) == 2 * 3 and len(kept) == 7
    assert (
        kept.attrs["source"]["stale"]
        and "PDOK leverde 7 wijken voor GM0363, maar meldde 9" in kept.attrs["source"]["error"]
    )
    with pytest.raises(FetchError, match="PDOK leverde 7 buurten voor GM0363, maar meldde 9"):
        pdok.load_boundaries(["GM0363"], 2024, "buurt")  # nothing cached: the error itself


def test_repeated_next_link_stops_the_loop(fake):
    fake.cap, fake.repeat_next = 3, True
    with pytest.raises(FetchError, match="eindeloze lus") as exc:
        pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert "cursor=3" in exc.value.url and len(fake.hits) == 2


def test_page_cap_stops_a_server_that_never_ends(fake, monkeypatch):
    fake.cap = 1
    monkeypatch.setattr(pdok_fetch, "MAX_PAGES", 4)
    with pytest.raises(FetchError, match="Meer dan 4 pagina's"):
        pdok.load_boundaries(["GM0363"], 2024, "wijk")


def test_empty_last_page_is_fine(fake):
    fake.cap, fake.empty_last_page = 7, True
    gdf = pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert len(gdf) == 7 and len(fake.hits) == 2


def test_gemeente_without_features_is_an_error(fake):
    fake.features = []  # also the gemeenten collection: PDOK does not know GM0363
    with pytest.raises(UserInputError, match="PDOK heeft geen wijken voor GM0363") as exc:
        pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert "niet in de PDOK-gemeenten van 2024" in exc.value.message


def test_lonlat_coordinates_are_refused(fake):
    fake.features = [feature("WK0363AA", square(4.9, 52.37, 0.01))]
    with pytest.raises(FetchError, match="graden") as exc:
        pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert "RD" in exc.value.message and "degrees" in exc.value.message_en


def test_swapped_axes_are_refused(fake):
    fake.features = [feature("WK0363AA", square(487_000, 120_000))]
    with pytest.raises(FetchError, match="verwisseld"):
        pdok.load_boundaries(["GM0363"], 2024, "wijk")


def test_wrong_content_crs_is_refused(fake):
    fake.crs_header = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    with pytest.raises(FetchError, match="CRS84"):
        pdok.load_boundaries(["GM0363"], 2024, "wijk")


def test_invalid_polygon_is_repaired_and_reported(fake):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[120_000, 487_000], [120_100, 487_100], [120_100, 487_000], [120_000, 487_100], [120_000, 487_000]]
        ],
    }
    fake.features[0] = feature("WK0363AA", bowtie)
    gdf = pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert len(gdf) == 7 and gdf.is_valid.all()
    assert gdf.attrs["geometry"]["repaired"] == 1 and gdf.attrs["geometry"]["repaired_codes"] == ["WK0363AA"]
    fixed = gdf.set_index("code").geometry["WK0363AA"]
    assert fixed.geom_type in {"Polygon", "MultiPolygon"} and shapely.area(fixed) == pytest.approx(5000)


def test_features_of_other_gemeenten_are_an_error_never_cached(fake):
    """Issue 22: another gemeente's feature makes the answer wrong (it was "weggelaten" and cached before)."""
    from data import cache

    fake.features.append(feature("WK047912", square(115_000, 497_000), gm="GM0479"))
    with pytest.raises(FetchError, match="buiten GM0363 in 2024") as exc:
        pdok.load_boundaries(["GM0363"], 2024, "wijk")
    assert "WK047912" in exc.value.message and "not used nor stored" in exc.value.message_en
    assert len(fake.hits) == 2  # asked again once
    assert cache.get(boundaries_key(2024, "wijk", "GM0363")) is None
