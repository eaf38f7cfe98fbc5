"""Admin actions (import a snapshot, refresh the shared cache, make a file the default) are off by default.

Why: one server is shared by a team; an action that changes what *everyone* sees must not be one click away
for any visitor. They are enabled only when the operator sets ``STAPELKAART_ADMIN_TOKEN`` (at least
``MIN_TOKEN_LEN`` characters) and a session has entered that token. No user accounts: one shared secret,
compared in constant time, read from the environment at call time (never stored, logged or put in a URL).

    admin_enabled() -> bool          # is a token configured at all? (the page then offers the token field)
    check_token(entered) -> bool     # True only if a token is configured and ``entered`` equals it;
                                     # TooManyAttempts after MAX_FAILURES wrong tokens within WINDOW seconds
    how_to_enable(lang) -> str       # the sentence the page shows when admin actions are off
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from collections import deque

from core.errors import UserInputError

log = logging.getLogger(__name__)

ENV = "STAPELKAART_ADMIN_TOKEN"
MIN_TOKEN_LEN = 16
#: Rate limit on token attempts (one server process, all visitors together): after MAX_FAILURES wrong tokens
#: within WINDOW seconds every attempt is refused, unchecked, until the oldest of them is WINDOW seconds old.
#: Guessing a 16-character token at 5 a minute is hopeless; the cost is that an attacker can keep the form
#: closed for the administrator for a minute at a time (who can still use the CLI).
MAX_FAILURES = 5
WINDOW = 60.0
_failures: deque[float] = deque()
_lock = threading.Lock()


class TooManyAttempts(UserInputError):
    """Too many wrong tokens recently: this attempt was not checked."""


def _configured() -> str | None:
    token = os.environ.get(ENV, "")
    if not token:
        return None
    if len(token) < MIN_TOKEN_LEN:
        log.warning("%s is korter dan %d tekens; beheeracties blijven uit", ENV, MIN_TOKEN_LEN)
        return None
    return token


def admin_enabled() -> bool:
    """True if a usable admin token is configured (set, at least ``MIN_TOKEN_LEN`` characters)."""
    return _configured() is not None


def check_token(entered: object) -> bool:
    """True only if a token is configured and ``entered`` equals it (constant-time comparison).

    Raises ``TooManyAttempts`` (a UserInputError naming the wait) without comparing while MAX_FAILURES wrong
    tokens were entered within the last WINDOW seconds."""
    token = _configured()
    if token is None or not isinstance(entered, str) or not entered:
        return False
    now = time.monotonic()
    with _lock:
        while _failures and now - _failures[0] >= WINDOW:
            _failures.popleft()
        if len(_failures) >= MAX_FAILURES:
            wait = max(1, int(WINDOW - (now - _failures[0]) + 0.999))
            log.warning("Beheertoken: %d onjuiste pogingen binnen %.0f s; poging geweigerd", len(_failures), WINDOW)
            raise TooManyAttempts(
                f"Te veel onjuiste pogingen; probeer het over {wait} seconden opnieuw.",
                f"Too many wrong attempts; try again in {wait} seconds.",
            )
        ok = hmac.compare_digest(entered.encode("utf-8"), token.encode("utf-8"))
        if not ok:
            _failures.append(now)
    return ok


def how_to_enable(lang: str = "nl") -> str:
    """Plain text (no Markdown) telling an operator how to turn the admin actions on."""
    if lang == "en":
        return (
            f"Admin actions (import a snapshot, refresh the shared cache, make a file the default for everyone) "
            f"are off. To enable them, start the server with the environment variable {ENV} set to a secret of "
            f"at least {MIN_TOKEN_LEN} characters, then enter that secret here."
        )
    return (
        f"Beheeracties (snapshot importeren, de gedeelde cache verversen, een bestand standaard maken voor "
        f"iedereen) staan uit. Zet ze aan door de server te starten met de omgevingsvariabele {ENV} op een "
        f"geheim van minstens {MIN_TOKEN_LEN} tekens, en vul dat geheim hier in."
    )


__all__ = [
    "ENV",
    "MAX_FAILURES",
    "MIN_TOKEN_LEN",
    "WINDOW",
    "TooManyAttempts",
    "admin_enabled",
    "check_token",
    "how_to_enable",
]
