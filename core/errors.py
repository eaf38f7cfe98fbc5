"""User-facing errors of Stapelkaart.

Every error carries a Dutch message (``message``, shown by default) and an English one
(``message_en``). Both say what went wrong and what the user can do about it. CLIs print the
message on one line and exit without a traceback; pages show it with ``st.error``.
"""

from __future__ import annotations

import errno as _errno
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

        def error(self) -> UserInputError:
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


class StorageError(CacheError):
    """This server cannot store new data: a read-only cache or user store (``deploy/run-replicas.sh`` makes the
    shared cache read-only), a full disk or quota. What is cached keeps being served. ``errno`` is the OS's."""

    def __init__(self, message: str, message_en: str | None = None, *, errno: int | None = None) -> None:
        super().__init__(message, message_en)
        self.errno = errno


#: OS errors that mean "this storage does not take new data" (not a bug; the administrator can fix it).
STORAGE_ERRNOS = frozenset({_errno.EROFS, _errno.ENOSPC, _errno.EDQUOT, _errno.EACCES, _errno.EPERM})


def storage_error(exc: OSError) -> StorageError | None:
    """The StorageError for an OSError of :data:`STORAGE_ERRNOS` (None for any other OSError: that stays a bug).
    The message names no server path (the visitor does not need it; the log has the OSError)."""
    if exc.errno not in STORAGE_ERRNOS:
        return None
    full = exc.errno in (_errno.ENOSPC, _errno.EDQUOT)
    why_nl = "de schijf is vol" if full else "de opslag is alleen-lezen"
    why_en = "the disk is full" if full else "the storage is read-only"
    return StorageError(
        f"Deze server kan geen nieuwe gegevens opslaan ({why_nl}); vraag de beheerder om "
        f"{'ruimte vrij te maken' if full else 'de opslag beschrijfbaar te maken'}. Gegevens die al bewaard zijn, "
        "worden nog getoond.",
        f"This server cannot store new data ({why_en}); ask the administrator to "
        f"{'free some space' if full else 'make the storage writable'}. Data that is already stored is still shown.",
        errno=exc.errno,
    )


class FewerRowsError(CacheError):
    """A new answer has fewer rows than the good version already kept: not stored without an explicit
    confirmation (``allow_fewer=True``; CLI ``--allow-fewer``). ``old``/``new``: the two row counts."""

    def __init__(self, what: str, old: int, new: int) -> None:
        super().__init__(
            f"{what}: het nieuwe antwoord heeft {new} rijen, de bewaarde versie {old}. De bewaarde versie blijft "
            f"staan. Publiceert de bron echt minder gebieden, bevestig dan als beheerder dat {new} in plaats van "
            f"{old} rijen goed is (python -m data fetch … --refresh --allow-fewer).",
            f"{what}: the new answer has {new} rows, the kept version {old}. The kept version stays. If the source "
            f"really publishes fewer areas, confirm as administrator that {new} instead of {old} rows is right "
            "(python -m data fetch … --refresh --allow-fewer).",
        )
        self.what, self.old, self.new = what, old, new


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


# ---- Geometry (formerly core/errors.py) ----


class GeoError(StapelkaartError, ValueError):
    """Geometry that cannot be shown as asked (wrong CRS, invalid coverage, duplicate codes)."""

    exit_code = 2


class CoordinateError(GeoError):
    """Coordinates outside the Netherlands, swapped axes or a missing CRS."""


class YearMismatchError(UserInputError):
    """Statistics of one year were offered for boundaries of another year."""
