"""Admin actions (import a snapshot, refresh the shared cache, make a file the default) are off by default.

Why: one server is shared by a team; an action that changes what *everyone* sees must not be one click away
for any visitor. They are enabled only when the operator sets ``STAPELKAART_ADMIN_TOKEN`` (at least
``MIN_TOKEN_LEN`` characters) and a session has entered that token. No user accounts: one shared secret,
compared in constant time, read from the environment at call time (never stored, logged or put in a URL).

    admin_enabled() -> bool          # is a token configured at all? (the page then offers the token field)
    check_token(entered) -> bool     # True only if a token is configured and ``entered`` equals it
    how_to_enable(lang) -> str       # the sentence the page shows when admin actions are off
"""

from __future__ import annotations

import hmac
import logging
import os

log = logging.getLogger(__name__)

ENV = "STAPELKAART_ADMIN_TOKEN"
MIN_TOKEN_LEN = 16


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
    """True only if a token is configured and ``entered`` equals it (constant-time comparison)."""
    token = _configured()
    if token is None or not isinstance(entered, str) or not entered:
        return False
    return hmac.compare_digest(entered.encode("utf-8"), token.encode("utf-8"))


def how_to_enable(lang: str = "nl") -> str:
    """Plain text (no Markdown) telling an operator how to turn the admin actions on."""
    if lang == "en":
        return (f"Admin actions (import a snapshot, refresh the shared cache, make a file the default for everyone) "
                f"are off. To enable them, start the server with the environment variable {ENV} set to a secret of "
                f"at least {MIN_TOKEN_LEN} characters, then enter that secret here.")
    return (f"Beheeracties (snapshot importeren, de gedeelde cache verversen, een bestand standaard maken voor "
            f"iedereen) staan uit. Zet ze aan door de server te starten met de omgevingsvariabele {ENV} op een "
            f"geheim van minstens {MIN_TOKEN_LEN} tekens, en vul dat geheim hier in.")


__all__ = ["ENV", "MIN_TOKEN_LEN", "admin_enabled", "check_token", "how_to_enable"]
