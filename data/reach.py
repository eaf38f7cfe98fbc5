"""A quick "can we reach CBS and PDOK at all?" for the first screen (issue 23).

Without internet and without a cache the first screen used to wait for data.http's retries (5 attempts with
a 30 s read timeout and backoff: 35–80 s) before it could say anything. :func:`reachable` answers in at most
``timeout`` seconds (default 2) with **one** request and no retry: any HTTP answer, even an error status,
means the host is reachable; a refused connection, a DNS failure or no answer within the timeout means it is
not. It does not replace the loaders' retries (a reachable service can still be slow or fail); it decides
what the page says first: "geen verbinding met CBS/PDOK" at once, with what works offline.

    r = reachable(http.cbs_url())          # Reach(ok, url, seconds, reason, reason_en)
    both = services_reachable()            # {"CBS": Reach, "PDOK": Reach}, checked in parallel

The answers are not counted by :func:`data.http.count_requests` (they are not data requests).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from data import http

DEFAULT_TIMEOUT = 2.0


@dataclass(frozen=True)
class Reach:
    """The answer of :func:`reachable`: ``ok``, the ``url`` tried, ``seconds`` taken, ``status`` (HTTP status
    or None) and, when not ok, why in Dutch (``reason``) and English (``reason_en``)."""

    ok: bool
    url: str
    seconds: float
    status: int | None = None
    reason: str = ""
    reason_en: str = ""


def reachable(base_url: str, timeout: float = DEFAULT_TIMEOUT) -> Reach:
    """One GET of ``base_url`` with a ``timeout`` (seconds) for connecting and for the first byte; no retry,
    at most 64 KB of the body read. Never raises for network trouble: the answer says what happened."""
    url = base_url.rstrip("/") + "/"
    host = urlsplit(url).netloc or url
    t0 = time.monotonic()
    try:
        with requests.get(
            url, timeout=(timeout, timeout), stream=True, allow_redirects=False, headers={"User-Agent": http.USER_AGENT}
        ) as resp:
            status = resp.status_code
            try:  # read a small body to its end, so closing is no connection reset for the server
                for _ in resp.iter_content(65536):
                    break
            except requests.RequestException:
                pass  # the status answered the question
    except requests.Timeout:
        return Reach(
            False,
            url,
            time.monotonic() - t0,
            None,
            f"{host} gaf binnen {timeout:g} s geen antwoord",
            f"{host} did not answer within {timeout:g} s",
        )
    except requests.ConnectionError as exc:
        dns = "resolve" in str(exc).lower() or "name or service" in str(exc).lower()
        return Reach(
            False,
            url,
            time.monotonic() - t0,
            None,
            f"{host} is niet te bereiken ({'onbekende naam: geen internet?' if dns else 'geen verbinding'})",
            f"{host} cannot be reached ({'unknown name: no internet?' if dns else 'no connection'})",
        )
    except requests.RequestException as exc:  # an invalid URL and the like: not reachable, said plainly
        return Reach(
            False, url, time.monotonic() - t0, None, f"{host}: {type(exc).__name__}", f"{host}: {type(exc).__name__}"
        )
    return Reach(True, url, time.monotonic() - t0, status)


def services_reachable(timeout: float = DEFAULT_TIMEOUT, urls: dict[str, str] | None = None) -> dict[str, Reach]:
    """CBS (``STAPELKAART_CBS_URL``) and PDOK (``STAPELKAART_PDOK_URL``), or the named ``urls``, checked in
    parallel: within ``timeout`` seconds (plus thread start) in all, not twice that."""
    urls = urls or {"CBS": http.cbs_url(), "PDOK": http.pdok_url()}
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        futures = {name: pool.submit(reachable, url, timeout) for name, url in urls.items()}
        return {name: f.result() for name, f in futures.items()}
