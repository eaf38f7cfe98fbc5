"""Unexpected failures are logged with their traceback under a short error id that the user is shown.

Why: pages must not hide bugs behind "laden mislukt". An expected failure is a ``StapelkaartError`` with a
plain-language message; anything else is a bug: :func:`log_unexpected` writes the full traceback to the log
(logger ``stapelkaart.errors``, level ERROR) with an id, and the page shows that id, so a user's report
("foutcode 7f3a9c21") finds the traceback in the server log.

    try:
        ...
    except StapelkaartError as err:
        st.error(err.text(lang))
    except Exception as exc:          # noqa: BLE001 - logged with traceback, id shown
        error_id = log_unexpected(exc, context="kaart")
        st.error(user_message(error_id, lang))
"""

from __future__ import annotations

import logging
import secrets

log = logging.getLogger("stapelkaart.errors")

ID_LEN = 8


def new_error_id() -> str:
    """8 random hex digits: unique enough to find one traceback in a server log, nothing to guess from."""
    return secrets.token_hex(ID_LEN // 2)


def log_unexpected(exc: BaseException, *, context: str = "", logger: logging.Logger | None = None) -> str:
    """Log ``exc`` with its traceback and a new error id; return the id.

    The log line reads ``fout-id 7f3a9c21 (kaart): KeyError: 'WK047912'`` followed by the traceback.
    """
    error_id = new_error_id()
    where = f" ({context})" if context else ""
    (logger or log).error(
        "fout-id %s%s: %s: %s", error_id, where, type(exc).__name__, exc, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return error_id


def user_message(error_id: str, lang: str = "nl") -> str:
    """What the page shows for an unexpected failure (plain text, safe for Markdown: hex id only)."""
    if lang == "en":
        return (
            f"Something went wrong that Stapelkaart did not expect (error id {error_id}). The details are in "
            "the server log under this id; please pass it on to the administrator."
        )
    return (
        f"Er ging iets mis dat Stapelkaart niet verwachtte (foutcode {error_id}). De details staan in het "
        "serverlog onder deze code; geef hem door aan de beheerder."
    )


__all__ = ["ID_LEN", "log_unexpected", "new_error_id", "user_message"]
