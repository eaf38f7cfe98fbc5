"""User-facing errors of Stapelkaart.

Every error carries a Dutch message (``message``, shown by default) and an English one
(``message_en``). Both say what went wrong and what the user can do about it. CLIs print the
message on one line and exit without a traceback; pages show it with ``st.error``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


class StapelkaartError(Exception):
    """Base class for expected, explainable failures."""

    exit_code = 1

    def __init__(self, message: str, message_en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message

    def text(self, lang: str = "nl") -> str:
        return self.message_en if lang == "en" else self.message


class UserInputError(StapelkaartError, ValueError):
    """Unknown gemeente, year, level, weight, ...: the user can correct the input."""

    exit_code = 2

    @dataclass(frozen=True)
    class Value:
        """A UserInputError as a (picklable, cacheable) return value; ``error()`` makes it an exception again."""

        message: str
        message_en: str

        def error(self) -> "UserInputError":
            return UserInputError(self.message, self.message_en)


class FetchError(StapelkaartError):
    """A service did not give a usable answer after retries; the message names the URL."""

    exit_code = 3

    def __init__(self, message: str, message_en: str | None = None, *, url: str | None = None) -> None:
        super().__init__(message, message_en)
        self.url = url


class CacheError(StapelkaartError):
    """A cache entry or snapshot cannot be used."""

    exit_code = 4


class UserFileError(StapelkaartError, ValueError):
    """An uploaded/imported indicator file is not usable; ``problems`` lists row/column findings."""

    exit_code = 2

    def __init__(self, message: str, message_en: str | None = None, *, problems: list[str] | None = None) -> None:
        super().__init__(message, message_en)
        self.problems = list(problems or [])


def input_errors_as_values(fn):
    """Decorator: a UserInputError raised by ``fn`` is returned as ``UserInputError.Value`` (so a cache such as
    ``st.cache_data``, which never stores exceptions, keeps the known failure like a result)."""
    @functools.wraps(fn)
    def inner(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except UserInputError as exc:
            return UserInputError.Value(exc.message, exc.message_en)
    return inner
