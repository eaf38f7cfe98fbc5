"""The one HTTP client of Stapelkaart: timeouts, retries with backoff, answer validation, request counting.

Why one module: CBS OData and PDOK fail in the same few ways (503/429 under load, connection resets in the
middle of paging, truncated bodies, an HTML maintenance page with status 200, an OData error *with* status
200). Handling that once, here, means every loader gets the same behaviour and the same user-facing
messages, and the tests against ``../shared/cbs-mirror`` exercise all loaders' network paths at once.

Public API (used by ``data.cbs``, ``data.pdok`` and anything else that talks HTTP):

* :func:`cbs_url`, :func:`cbs_v4_url`, :func:`pdok_url`: base URLs, read from the environment **at call
  time** (tests point them at the mirror after import).
* :func:`settings`: the retry/timeout settings (``STAPELKAART_HTTP_*``), also read at call time.
* :func:`get_json` ``(url, params=None) -> object``: GET, validate, parse JSON; retries transient
  failures and raises :class:`core.errors.FetchError` (Dutch ``message`` + English ``message_en``, both
  naming the URL and what to do) when it cannot get a usable answer.
* :func:`get_json_response`: the same, returning :class:`JsonResponse` (``data``, ``url``, ``status``,
  ``headers``, ``attempts``) for callers that need headers (e.g. PDOK ``Content-Crs``).
* :func:`iter_pages` ``(url, params, next_link)``: follow server-side paging links (OData
  ``odata.nextLink``, OGC API ``links[rel=next]``) with a loop guard.
* :func:`count_requests` (context manager) / :func:`total_requests` / :func:`add_request_hook`: how many
  HTTP requests (every attempt counts) a piece of code made, so loaders and the CLI can report it and tests
  can prove that a cached load made none.
"""

from __future__ import annotations

import contextlib
import contextvars
import email.utils
import json
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from core.errors import FetchError

log = logging.getLogger(__name__)

DEFAULT_CBS_URL = "https://opendata.cbs.nl"
DEFAULT_CBS_V4_URL = "https://datasets.cbs.nl"
DEFAULT_PDOK_URL = "https://api.pdok.nl"

CONNECT_TIMEOUT = 10.0
BACKOFF_CAP = 30.0
#: Statuses that mean "the server is (temporarily) overloaded or broken": worth another attempt.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
USER_AGENT = "stapelkaart (+https://github.com/; requests)"


# --------------------------------------------------------------------------------------------- settings
def _env_url(name: str, default: str) -> str:
    return (os.environ.get(name) or default).rstrip("/")


def cbs_url() -> str:
    """Base URL of CBS OData v3 (``STAPELKAART_CBS_URL``), without trailing slash."""
    return _env_url("STAPELKAART_CBS_URL", DEFAULT_CBS_URL)


def cbs_v4_url() -> str:
    """Base URL of CBS OData v4 (``STAPELKAART_CBS_V4_URL``), without trailing slash."""
    return _env_url("STAPELKAART_CBS_V4_URL", DEFAULT_CBS_V4_URL)


def pdok_url() -> str:
    """Base URL of the PDOK API (``STAPELKAART_PDOK_URL``), without trailing slash."""
    return _env_url("STAPELKAART_PDOK_URL", DEFAULT_PDOK_URL)


def _env_float(name: str, default: float, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return max(minimum, float(raw))
    except ValueError:
        log.warning("%s=%r is geen getal; standaardwaarde %s wordt gebruikt", name, raw, default)
        return default


@dataclass(frozen=True)
class HttpSettings:
    """Retry/timeout settings; see the Environment table in docs/ARCHITECTURE.md."""

    read_timeout: float = 30.0
    connect_timeout: float = CONNECT_TIMEOUT
    retries: int = 4
    backoff: float = 1.0
    budget: float = 120.0

    def delay(self, attempt: int) -> float:
        """Backoff before attempt ``attempt + 1`` (0-based): ``base * 2**attempt``, capped at 30 s.

        A little jitter (up to 10 %) keeps several app sessions from hammering CBS in lockstep.
        """
        base = min(BACKOFF_CAP, self.backoff * (2**attempt))
        return base * (1.0 + 0.1 * random.random())


def settings() -> HttpSettings:
    """Current settings from ``STAPELKAART_HTTP_TIMEOUT/RETRIES/BACKOFF/BUDGET`` (read now, not at import)."""
    return HttpSettings(
        read_timeout=_env_float("STAPELKAART_HTTP_TIMEOUT", 30.0, 0.01),
        retries=int(_env_float("STAPELKAART_HTTP_RETRIES", 4, 0)),
        backoff=_env_float("STAPELKAART_HTTP_BACKOFF", 1.0, 0.0),
        budget=_env_float("STAPELKAART_HTTP_BUDGET", 120.0, 0.0),
    )


# ------------------------------------------------------------------------------------- request counting
@dataclass
class RequestCounter:
    """Counts HTTP attempts made while it is active (see :func:`count_requests`)."""

    count: int = 0
    failed: int = 0
    by_host: dict[str, int] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)

    def _add(self, url: str, ok: bool) -> None:
        self.count += 1
        if not ok:
            self.failed += 1
        host = urlsplit(url).netloc
        self.by_host[host] = self.by_host.get(host, 0) + 1
        if len(self.urls) < 1000:
            self.urls.append(url)


_active_counters: contextvars.ContextVar[tuple[RequestCounter, ...]] = contextvars.ContextVar(
    "stapelkaart_request_counters", default=()
)
_hooks: list[Callable[[dict], None]] = []
_total_lock = threading.Lock()
_total = [0]  # attempts since start: one cell, updated under the lock


@contextlib.contextmanager
def count_requests() -> Iterator[RequestCounter]:
    """Count the HTTP requests made inside the ``with`` block (this thread/context only; nests).

    >>> with count_requests() as counter:
    ...     pass
    >>> counter.count
    0
    """
    counter = RequestCounter()
    token = _active_counters.set((*_active_counters.get(), counter))
    try:
        yield counter
    finally:
        _active_counters.reset(token)


def total_requests() -> int:
    """HTTP attempts made by this process since start (all threads)."""
    return _total[0]


def add_request_hook(hook: Callable[[dict], None]) -> Callable[[dict], None]:
    """Call ``hook(event)`` after every attempt; event keys: url, status, ok, error, attempt, elapsed.

    Returns the hook so it can be passed to :func:`remove_request_hook`. Hooks must not raise.
    """
    _hooks.append(hook)
    return hook


def remove_request_hook(hook: Callable[[dict], None]) -> None:
    with contextlib.suppress(ValueError):
        _hooks.remove(hook)


def _record(url: str, status: int | None, ok: bool, error: str | None, attempt: int, elapsed: float) -> None:
    with _total_lock:
        _total[0] += 1
    for counter in _active_counters.get():
        counter._add(url, ok)
    event = {"url": url, "status": status, "ok": ok, "error": error, "attempt": attempt, "elapsed": elapsed}
    for hook in list(_hooks):
        try:
            hook(event)
        except Exception:  # a broken progress hook must not break a download; but say so
            log.exception("request hook %r failed", hook)


# ------------------------------------------------------------------------------------------- session
_local = threading.local()


def session() -> requests.Session:
    """One ``requests.Session`` per thread (connection reuse; Sessions are not thread-safe)."""
    s = getattr(_local, "session", None)
    if s is None:
        s = requests.Session()
        s.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json, application/geo+json;q=0.9"})
        _local.session = s
    return s


# ------------------------------------------------------------------------------------------- errors
class _Retryable(Exception):
    """Internal: this attempt failed in a way that another attempt may fix."""

    def __init__(
        self, reason_nl: str, reason_en: str, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason_en)
        self.reason_nl = reason_nl
        self.reason_en = reason_en
        self.retry_after = retry_after
        self.status = status


def service_name(url: str) -> str:
    """Human name of the service behind ``url`` for messages: ``CBS``, ``PDOK`` or the host."""
    path = urlsplit(url).path.lower()
    if "/ogc/" in path:  # the bases may coincide (one emulator in tests); the path tells them apart
        return "PDOK"
    if "/odata" in path or "/odatafeed" in path:
        return "CBS"
    for base, name in ((cbs_url(), "CBS"), (cbs_v4_url(), "CBS"), (pdok_url(), "PDOK")):
        if url.startswith(base):
            return name
    return urlsplit(url).netloc or url


def _error(
    message: str, message_en: str, url: str, *, status: int | None = None, transient: bool = False
) -> FetchError:
    err = FetchError(message, message_en, url=url)
    err.status = status  # type: ignore[attr-defined]
    err.transient = transient  # type: ignore[attr-defined]
    return err


def server_message(body: Any, text: str = "") -> str | None:
    """The human message inside an error body: OData v3 ``odata.error``, OData v4 ``error``, RFC 7807."""
    if isinstance(body, Mapping):
        for key in ("odata.error", "error"):
            err = body.get(key)
            if isinstance(err, Mapping):
                msg = err.get("message")
                if isinstance(msg, Mapping):
                    msg = msg.get("value")
                if msg:
                    return str(msg)
                if err.get("code"):
                    return str(err["code"])
        if "title" in body or "detail" in body:  # RFC 7807 problem details
            parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
            return ": ".join(parts) or None
    snippet = " ".join(text.split())[:200]
    return snippet or None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date; None if absent/bad.

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def _is_json_type(content_type: str) -> bool:
    ctype = content_type.split(";", 1)[0].strip().lower()
    return ctype == "application/json" or ctype.endswith("+json") or ctype == "text/json"


# --------------------------------------------------------------------------------------------- GET
@dataclass
class JsonResponse:
    """A validated JSON answer: parsed ``data`` plus where it came from."""

    data: Any
    url: str
    status: int
    headers: Mapping[str, str]
    attempts: int


def full_url(url: str, params: Mapping[str, Any] | None = None) -> str:
    """The URL as requests will send it (used in messages and logs)."""
    return requests.Request("GET", url, params=dict(params or {})).prepare().url or url


def _attempt(
    url: str,
    params: Mapping[str, Any] | None,
    cfg: HttpSettings,
    timeout_read: float,
    headers: Mapping[str, str] | None,
) -> tuple[requests.Response, Any]:
    """One GET + validation. Returns (response, parsed JSON) or raises _Retryable / FetchError."""
    shown = full_url(url, params)
    resp = _send(url, params, cfg, timeout_read, headers)
    body_text, parsed = _body(resp)
    _check_status(resp, parsed, body_text, shown)
    return resp, _check_json(resp, parsed, shown)


def _send(
    url: str,
    params: Mapping[str, Any] | None,
    cfg: HttpSettings,
    timeout_read: float,
    headers: Mapping[str, str] | None,
) -> requests.Response:
    """The GET itself; a network failure becomes _Retryable."""
    try:
        resp = session().get(
            url, params=params, timeout=(cfg.connect_timeout, timeout_read), headers=dict(headers or {})
        )
    except requests.Timeout as exc:
        raise _Retryable(f"geen antwoord binnen {timeout_read:g} s", f"no answer within {timeout_read:g} s") from exc
    except requests.exceptions.ChunkedEncodingError as exc:
        raise _Retryable("antwoord halverwege afgebroken", "answer cut off halfway") from exc
    except requests.ConnectionError as exc:
        raise _Retryable("geen verbinding of verbinding verbroken", "no connection or connection reset") from exc
    except requests.exceptions.ContentDecodingError as exc:
        raise _Retryable("antwoord onleesbaar (decodering)", "answer could not be decoded") from exc
    return resp


def _body(resp: requests.Response) -> tuple[str, Any]:
    """(body as text, parsed JSON or None when the body is not JSON or not valid JSON)."""
    body_text = ""
    parsed: Any = None
    ctype = resp.headers.get("Content-Type", "")
    if resp.content:
        body_text = resp.content.decode("utf-8", errors="replace")
        if _is_json_type(ctype):
            try:
                parsed = json.loads(body_text)
            except ValueError:
                parsed = None
    return body_text, parsed


def _check_status(resp: requests.Response, parsed: Any, body_text: str, shown: str) -> None:
    """A retryable status -> _Retryable; any other 4xx/5xx -> FetchError (retrying will not help)."""
    status = resp.status_code
    if status in RETRY_STATUSES:
        msg = server_message(parsed, body_text if parsed is None else "") or resp.reason or ""
        raise _Retryable(
            f"HTTP {status} {msg}".strip(),
            f"HTTP {status} {msg}".strip(),
            retry_after=parse_retry_after(resp.headers.get("Retry-After")),
            status=status,
        )
    if status >= 400:
        msg = server_message(parsed, body_text if parsed is None else "") or resp.reason or "?"
        raise _error(
            f"{service_name(shown)} weigerde het verzoek (HTTP {status}): {msg}. URL: {shown}. "
            "Dit is waarschijnlijk een fout in het verzoek of een tabel/collectie die niet (meer) bestaat; "
            "opnieuw proberen helpt niet.",
            f"{service_name(shown)} refused the request (HTTP {status}): {msg}. URL: {shown}. "
            "This is most likely a bad request or a table/collection that does not exist (any more); "
            "retrying will not help.",
            shown,
            status=status,
        )


def _check_json(resp: requests.Response, parsed: Any, shown: str) -> Any:
    """The parsed JSON of a 2xx/3xx answer; empty, non-JSON or broken -> _Retryable; an error object -> FetchError."""
    status = resp.status_code
    ctype = resp.headers.get("Content-Type", "")
    if not resp.content or not resp.content.strip():
        raise _Retryable("leeg antwoord", "empty answer", status=status)
    if not _is_json_type(ctype):
        # A maintenance/captive-portal page arrives as text/html with status 200. It is usually transient.
        raise _Retryable(
            f"verkeerd inhoudstype '{ctype or 'onbekend'}' (JSON verwacht)",
            f"wrong content type '{ctype or 'unknown'}' (expected JSON)",
            status=status,
        )
    if parsed is None:
        raise _Retryable("onvolledige of ongeldige JSON", "truncated or invalid JSON", status=status)
    if isinstance(parsed, Mapping) and (
        "odata.error" in parsed
        or ("error" in parsed and isinstance(parsed.get("error"), Mapping))
        or "problem+json" in ctype.lower()
    ):
        msg = server_message(parsed) or "?"
        raise _error(
            f"{service_name(shown)} gaf een foutmelding (HTTP {status}): {msg}. URL: {shown}. "
            "Controleer tabel, filter of jaar; opnieuw proberen helpt waarschijnlijk niet.",
            f"{service_name(shown)} answered with an error (HTTP {status}): {msg}. URL: {shown}. "
            "Check table, filter or year; retrying will most likely not help.",
            shown,
            status=status,
        )
    return parsed


def get_json_response(
    url: str,
    params: Mapping[str, Any] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    budget: float | None = None,
) -> JsonResponse:
    """GET ``url`` and return the parsed, validated JSON answer, retrying transient failures.

    Retried: connection errors/resets, timeouts, truncated bodies (ChunkedEncodingError or invalid JSON),
    empty answers, a non-JSON content type, HTTP 408/429/500/502/503/504. The wait before attempt *n+1*
    is ``STAPELKAART_HTTP_BACKOFF * 2**n`` (max 30 s), or the server's ``Retry-After`` if given, and never
    more than what is left of ``STAPELKAART_HTTP_BUDGET``. Not retried (raised at once as FetchError with
    the server's message): other 4xx, an OData error body with status 200, RFC 7807 problem+json.
    """
    cfg = settings()
    total_budget = cfg.budget if budget is None else budget
    start = time.monotonic()
    shown = full_url(url, params)
    last: _Retryable | None = None
    attempts = 0
    for attempt in range(cfg.retries + 1):
        attempts = attempt + 1
        t0 = time.monotonic()
        try:
            resp, parsed = _attempt(url, params, cfg, cfg.read_timeout, headers)
        except _Retryable as exc:
            _record(shown, exc.status, False, exc.reason_en, attempt, time.monotonic() - t0)
            last = exc
        except FetchError as exc:
            _record(shown, getattr(exc, "status", None), False, exc.message_en, attempt, time.monotonic() - t0)
            raise
        else:
            _record(shown, resp.status_code, True, None, attempt, time.monotonic() - t0)
            if attempt:
                log.info("%s gelukt na %d pogingen", shown, attempts)
            return JsonResponse(parsed, resp.url, resp.status_code, resp.headers, attempts)

        if attempt >= cfg.retries:
            break
        remaining = total_budget - (time.monotonic() - start)
        wait = last.retry_after if last.retry_after is not None else cfg.delay(attempt)
        if remaining <= 0:
            break
        if last.retry_after is not None and last.retry_after > remaining:
            # The server asks us to come back after our budget: retrying earlier would be refused anyway.
            last = _Retryable(
                f"{last.reason_nl}; de server vraagt {last.retry_after:.0f} s te wachten (Retry-After), "
                f"meer dan de resterende {max(remaining, 0):.0f} s",
                f"{last.reason_en}; the server asks to wait {last.retry_after:.0f} s (Retry-After), "
                f"more than the remaining {max(remaining, 0):.0f} s",
                last.retry_after,
                status=last.status,
            )
            break
        wait = min(wait, remaining)
        log.warning("%s: %s; nieuwe poging %d/%d over %.2f s", shown, last.reason_nl, attempt + 1, cfg.retries, wait)
        time.sleep(wait)

    assert last is not None
    name = service_name(shown)
    raise _error(
        f"{name} gaf geen bruikbaar antwoord na {attempts} pogingen ({shown}): {last.reason_nl}. "
        "Controleer de verbinding of probeer later opnieuw.",
        f"{name} gave no usable answer after {attempts} attempts ({shown}): {last.reason_en}. "
        "Check the connection or try again later.",
        shown,
        status=last.status,
        transient=True,
    )


def get_json(url: str, params: Mapping[str, Any] | None = None, *, headers: Mapping[str, str] | None = None) -> Any:
    """GET ``url`` with ``params`` and return the parsed JSON (see :func:`get_json_response`)."""
    return get_json_response(url, params, headers=headers).data


def iter_responses(
    url: str,
    params: Mapping[str, Any] | None,
    next_link: Callable[[Any], str | None],
    *,
    max_pages: int = 2000,
    what: str = "",
) -> Iterator[JsonResponse]:
    """Yield the :class:`JsonResponse` of every page (body and headers), following ``next_link(page.data)``.

    The first request carries ``params``; next links are complete URLs (they already include the query,
    as both OData's ``odata.nextLink`` and OGC API's ``rel=next`` do). A link that repeats, or more than
    ``max_pages`` pages, raises FetchError instead of looping forever on a misbehaving server; ``what``
    (e.g. "de wijken van GM0479") names what was being downloaded in that message.
    """
    seen: set[str] = set()
    current: str | None = url
    current_params = params
    pages = 0
    of_nl = f" van {what}" if what else ""
    of_en = f" of {what}" if what else ""
    while current is not None:
        shown = full_url(current, current_params)
        if shown in seen:
            raise _error(
                f"{service_name(shown)} verwijst steeds naar dezelfde pagina ({shown}); downloaden{of_nl} afgebroken "
                "om een eindeloze lus te voorkomen. Probeer later opnieuw.",
                f"{service_name(shown)} keeps linking to the same page ({shown}); download{of_en} stopped to avoid "
                "an endless loop. Try again later.",
                shown,
            )
        seen.add(shown)
        pages += 1
        if pages > max_pages:
            raise _error(
                f"Meer dan {max_pages} pagina's van {service_name(shown)}{of_nl} ({url}); downloaden afgebroken.",
                f"More than {max_pages} pages from {service_name(shown)}{of_en} ({url}); download stopped.",
                shown,
            )
        resp = get_json_response(current, current_params)
        yield resp
        current = next_link(resp.data)
        current_params = None


def iter_pages(
    url: str, params: Mapping[str, Any] | None, next_link: Callable[[Any], str | None], *, max_pages: int = 2000
) -> Iterator[Any]:
    """Yield the parsed JSON of every page (see :func:`iter_responses`, which also gives the headers)."""
    for resp in iter_responses(url, params, next_link, max_pages=max_pages):
        yield resp.data


def odata_next_link(page: Any) -> str | None:
    """``odata.nextLink`` of an OData v3 page (v4: ``@odata.nextLink``), or None."""
    if isinstance(page, Mapping):
        return page.get("odata.nextLink") or page.get("@odata.nextLink")
    return None


def ogc_next_link(page: Any) -> str | None:
    """The ``rel: next`` link of an OGC API Features page, or None."""
    if isinstance(page, Mapping):
        for link in page.get("links") or ():
            if isinstance(link, Mapping) and link.get("rel") == "next" and link.get("href"):
                return str(link["href"])
    return None


def utc_now_iso() -> str:
    """Current UTC time as ISO 8601 with seconds (for ``fetched_at``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
