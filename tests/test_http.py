"""data.http against the real emulator: retries, Retry-After, truncation, resets, error bodies, timeouts."""

from __future__ import annotations

import socket
import time

import pytest

from core.errors import FetchError
from data import http

TABLE = "85984NED"


def infos_url(mirror) -> str:
    return f"{mirror.url}/ODataFeed/odata/{TABLE}/TableInfos"


@pytest.fixture
def fast(cache_dir, monkeypatch):
    """Fast backoff (from cache_dir) and a short budget so exhausted retries end quickly."""
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "3")
    return cache_dir


def test_plain_get_returns_parsed_json_and_counts_requests(mirror, fast):
    with http.count_requests() as counter:
        data = http.get_json(infos_url(mirror), {"$format": "json"})
    assert data["value"][0]["Identifier"] == TABLE
    assert data["value"][0]["Modified"] == "2025-03-27T02:00:00"
    assert counter.count == 1 and counter.failed == 0
    assert len(mirror.requests("TableInfos")) == 1


def test_base_urls_are_read_at_call_time(monkeypatch):
    monkeypatch.setenv("STAPELKAART_CBS_URL", "http://example.invalid:1/")
    assert http.cbs_url() == "http://example.invalid:1"
    monkeypatch.delenv("STAPELKAART_CBS_URL")
    assert http.cbs_url() == "https://opendata.cbs.nl"
    monkeypatch.delenv("STAPELKAART_PDOK_URL", raising=False)
    assert http.pdok_url() == "https://api.pdok.nl"
    assert http.cbs_v4_url().startswith("https://datasets.cbs.nl")


def test_503_twice_then_success(mirror, fast):
    mirror.fault(match="TableInfos", status=503, times=2)
    with http.count_requests() as counter:
        data = http.get_json(infos_url(mirror), {"$format": "json"})
    assert data["value"][0]["Identifier"] == TABLE
    assert counter.count == 3 and counter.failed == 2
    assert [r["status"] for r in mirror.requests("TableInfos")] == [503, 503, 200]


def test_429_retry_after_is_honoured(mirror, fast):
    mirror.fault(match="TableInfos", status=429, times=1, retry_after=1)
    t0 = time.monotonic()
    http.get_json(infos_url(mirror), {"$format": "json"})
    elapsed = time.monotonic() - t0
    assert elapsed >= 1.0, "Retry-After: 1 must make the client wait at least one second"
    assert elapsed < 5


def test_retry_after_is_capped_by_budget(mirror, fast, monkeypatch):
    monkeypatch.setenv("STAPELKAART_HTTP_BUDGET", "0.5")
    mirror.fault(match="TableInfos", status=503, retry_after=60)
    t0 = time.monotonic()
    with pytest.raises(FetchError) as info:
        http.get_json(infos_url(mirror), {"$format": "json"})
    assert time.monotonic() - t0 < 3, "a 60 s Retry-After must be cut to the 0.5 s budget"
    assert "503" in info.value.message


def test_retry_after_http_date():
    assert http.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert http.parse_retry_after("2") == 2.0
    assert http.parse_retry_after("soon") is None
    assert http.parse_retry_after(None) is None


def test_truncated_body_is_retried(mirror, fast):
    mirror.fault(match="TableInfos", truncate=True, times=1)
    data = http.get_json(infos_url(mirror), {"$format": "json"})
    assert data["value"][0]["Identifier"] == TABLE
    assert len(mirror.requests("TableInfos")) == 2


def test_connection_reset_is_retried(mirror, fast):
    mirror.fault(match="TableInfos", reset=True, times=2)
    data = http.get_json(infos_url(mirror), {"$format": "json"})
    assert data["value"][0]["Identifier"] == TABLE
    assert len(mirror.requests("TableInfos")) == 3


def test_odata_error_with_status_200_is_a_clear_error_not_retried(mirror, fast):
    body = '{"odata.error":{"code":"","message":{"lang":"en-US","value":"query returns more than 10000 records"}}}'
    mirror.fault(match="TableInfos", status=200, body=body, content_type="application/json;charset=utf-8")
    with pytest.raises(FetchError) as info:
        http.get_json(infos_url(mirror), {"$format": "json"})
    assert "query returns more than 10000 records" in info.value.message
    assert "TableInfos" in info.value.message and info.value.url.startswith(mirror.url)
    assert len(mirror.requests("TableInfos")) == 1


def test_problem_json_is_a_clear_error(mirror, fast):
    url = f"{mirror.url}/cbs/wijken-en-buurten-2024/ogc/v1/collections/wijken/items"
    with pytest.raises(FetchError) as info:
        http.get_json(url, {"f": "json", "crs": "EPSG:28992"})  # short CRS form is a 400 problem+json
    assert "HTTP 400" in info.value.message and "PDOK" in info.value.message
    assert info.value.message_en != info.value.message
    assert len(mirror.requests("collections/wijken/items")) == 1


def test_404_names_url_and_server_message(mirror, fast):
    with pytest.raises(FetchError) as info:
        http.get_json(f"{mirror.url}/ODataFeed/odata/{TABLE}/Bestaatniet", {"$format": "json"})
    assert "Bestaatniet" in info.value.message
    assert "Resource not found" in info.value.message
    assert len(mirror.requests("Bestaatniet")) == 1


def test_wrong_content_type_is_retried_then_reported(mirror, fast):
    mirror.fault(match="TableInfos", status=200, body="<html>onderhoud</html>", content_type="text/html")
    with pytest.raises(FetchError) as info:
        http.get_json(infos_url(mirror), {"$format": "json"})
    assert "text/html" in info.value.message and "text/html" in info.value.message_en
    assert len(mirror.requests("TableInfos")) == 4  # 1 + STAPELKAART_HTTP_RETRIES=3


def test_wrong_content_type_once_then_success(mirror, fast):
    mirror.fault(match="TableInfos", status=200, body="<html>onderhoud</html>", content_type="text/html", times=1)
    assert http.get_json(infos_url(mirror), {"$format": "json"})["value"][0]["Identifier"] == TABLE


def test_empty_reply_is_retried(mirror, fast):
    mirror.fault(match="TableInfos", status=200, body="", content_type="application/json", times=1)
    assert http.get_json(infos_url(mirror), {"$format": "json"})["value"][0]["Identifier"] == TABLE
    assert len(mirror.requests("TableInfos")) == 2


def test_slow_response_beyond_timeout_is_retried(mirror, fast, monkeypatch):
    monkeypatch.setenv("STAPELKAART_HTTP_TIMEOUT", "0.3")
    mirror.fault(match="TableInfos", latency_ms=1500, times=1)
    t0 = time.monotonic()
    assert http.get_json(infos_url(mirror), {"$format": "json"})["value"][0]["Identifier"] == TABLE
    assert time.monotonic() - t0 < 1.4, "the client must give up on the slow answer, not wait for it"


def test_always_slow_gives_clear_timeout_error(mirror, fast, monkeypatch):
    monkeypatch.setenv("STAPELKAART_HTTP_TIMEOUT", "0.2")
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    mirror.fault(match="TableInfos", latency_ms=1000)
    with pytest.raises(FetchError) as info:
        http.get_json(infos_url(mirror), {"$format": "json"})
    assert "geen antwoord binnen 0.2 s" in info.value.message
    assert "no answer within 0.2 s" in info.value.message_en


def test_exhausted_retries_give_actionable_dutch_and_english_message(mirror, fast):
    mirror.fault(match="TableInfos", status=503)
    with pytest.raises(FetchError) as info:
        http.get_json(infos_url(mirror), {"$format": "json"})
    err = info.value
    assert "na 4 pogingen" in err.message and "controleer de verbinding" in err.message.lower()
    # It claims nothing about a cached copy: when this error reaches the user none was used (a stale copy is
    # shown marked as such instead, tests/test_storage_faults.py).
    assert "gecachte gegevens" not in err.message and "cached data" not in err.message_en
    assert "after 4 attempts" in err.message_en and "CBS" in err.message
    assert f"{mirror.url}/ODataFeed/odata/{TABLE}/TableInfos" in err.message
    assert err.transient is True
    assert len(mirror.requests("TableInfos")) == 4


def test_server_down_closed_port(fast, monkeypatch):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    with http.count_requests() as counter, pytest.raises(FetchError) as info:
        http.get_json(f"http://127.0.0.1:{port}/ODataFeed/odata/{TABLE}/TableInfos")
    assert "geen verbinding" in info.value.message
    assert counter.count == 2 and counter.failed == 2


def test_request_hook_sees_every_attempt(mirror, fast):
    events = []
    hook = http.add_request_hook(events.append)
    try:
        mirror.fault(match="TableInfos", status=502, times=1)
        http.get_json(infos_url(mirror), {"$format": "json"})
    finally:
        http.remove_request_hook(hook)
    assert [e["status"] for e in events] == [502, 200]
    assert [e["ok"] for e in events] == [False, True]


def test_iter_pages_follows_next_links_and_guards_loops(mirror, fast):
    mirror.config(page_size=7)
    url = f"{mirror.url}/ODataFeed/odata/{TABLE}/TypedDataSet"
    params = {"$format": "json", "$select": "WijkenEnBuurten", "$filter": "startswith(WijkenEnBuurten,'WK0479')"}
    keys = [
        row["WijkenEnBuurten"].strip()
        for page in http.iter_pages(url, params, http.odata_next_link)
        for row in page["value"]
    ]
    assert len(keys) == 19 == len(set(keys))
    assert len(mirror.requests("TypedDataSet")) == 3  # 7 + 7 + 5

    with pytest.raises(FetchError, match="dezelfde pagina"):
        list(http.iter_pages(url, params, lambda page: url + "?$format=json"))
    with pytest.raises(FetchError, match="Meer dan 2"):
        list(http.iter_pages(url, params, http.odata_next_link, max_pages=2))
