"""Issue 23: the first screen learns within ~2 s that CBS/PDOK cannot be reached (data.reach), instead of
waiting out data.http's retries (5 attempts x 30 s)."""

from __future__ import annotations

import socket
import time

from data import http, reach


def _dead_url() -> str:
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_mirror_is_reachable_quickly_and_uncounted(mirror):
    with http.count_requests() as counter:
        r = reach.reachable(mirror.url)
    assert r.ok and r.status == 200 and r.seconds < 2 and r.reason == ""
    assert counter.count == 0


def test_refused_connection_is_not_reachable_at_once():
    r = reach.reachable(_dead_url())
    assert not r.ok and r.seconds < 2 and "geen verbinding" in r.reason and "no connection" in r.reason_en


def test_a_server_that_does_not_answer_is_given_up_after_the_timeout(mirror):
    """A hanging service (the mirror's latency fault, 10 s) is 'not reachable' after ~timeout, not 5 x 30 s."""
    mirror.fault(latency_ms=10_000, times=1)
    t0 = time.monotonic()
    r = reach.reachable(mirror.url, timeout=1.0)
    took = time.monotonic() - t0
    assert not r.ok and 0.9 <= took < 2.0 and "binnen 1 s geen antwoord" in r.reason


def test_both_services_in_parallel(mirror, monkeypatch):
    monkeypatch.setenv("STAPELKAART_CBS_URL", mirror.url)
    monkeypatch.setenv("STAPELKAART_PDOK_URL", _dead_url())
    out = reach.services_reachable(timeout=1.0)
    assert out["CBS"].ok and not out["PDOK"].ok
    monkeypatch.setenv("STAPELKAART_CBS_URL", "http://offline.invalid")
    t0 = time.monotonic()
    out = reach.services_reachable(timeout=1.0)
    assert not out["CBS"].ok and time.monotonic() - t0 < 2.5
