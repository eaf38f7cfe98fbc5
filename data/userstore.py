"""Content-addressed store of imported indicator files: an import belongs to the view that names it.

Why: one server serves a whole team. A file imported by one visitor must not enter anyone else's scores, yet
the importer's share link must reproduce the view *with* the file for whoever opens it. So an import is
stored under a digest of its content and the view's URL names it (``&files=3fa9c2d41b07``); a visitor whose
URL names no file sees no imported values. Making a file the default for everyone is a separate, admin-only
step (:func:`set_default`).

The digest is the first 12 hex digits of ``sha256(options + bytes)``, where the options are those that
change how the bytes are read (the year the values are read as: given at import or found in the file). The same file imported twice with the same year is stored once.
12 hex digits (48 bits) are short enough for a URL; :func:`put` compares the full sha256 kept in the meta
file, so a (deliberately made) prefix collision is refused instead of serving the other file.

Layout (``STAPELKAART_USERSTORE_DIR``, default ``<cache dir>/userstore``)::

    {digest}.bin     the bytes as uploaded
    {digest}.json    {"sha256", "filename", "year", "imported_at", "size"}  (written after the .bin, atomically)
    defaults.json    {"digests": [...]}: files every view includes (admin action)

API::

    digest = put(data, "inkomen.xlsx", year=2020)   # validates first (UserFileError), then stores
    uf = get(digest)                                # UserIndicatorFile, re-validated from the stored bytes
    exists(digest); list_files(); meta(digest)
    is_digest(text)                                 # strict format check for the URL allow-list
    default_files(); set_default(digest, admin=True)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from data.cache import atomic_write_bytes, cache_dir, utc_now_iso
from data.errors import UserInputError

log = logging.getLogger(__name__)

DIGEST_LEN = 12
_DIGEST_RE = re.compile(rf"[0-9a-f]{{{DIGEST_LEN}}}")
DEFAULTS = "defaults.json"
#: ``unknown_codes`` used for every stored file: a national file carries codes outside the selection.
UNKNOWN_CODES = "skip"


def store_dir() -> Path:
    """The store root, read from the environment at call time (tests use a private cache per test)."""
    env = os.environ.get("STAPELKAART_USERSTORE_DIR")
    return Path(env) if env else cache_dir() / "userstore"


def is_digest(text: object) -> bool:
    """True for exactly 12 lower-case hex digits: the only form a ``files=`` value may take."""
    return isinstance(text, str) and _DIGEST_RE.fullmatch(text) is not None


@dataclass(frozen=True)
class StoredFile:
    """The meta data of one stored file (what the Gegevens page lists)."""

    digest: str
    filename: str
    year: int | None
    imported_at: str
    size: int
    sha256: str


def _full_sha(data: bytes, year: int | None) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"year": year, "unknown_codes": UNKNOWN_CODES}, sort_keys=True).encode())
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _check(digest: str) -> str:
    if not is_digest(digest):
        raise UserInputError(
            f"'{str(digest)[:40]}' is geen geldige bestandsverwijzing (verwacht {DIGEST_LEN} tekens 0-9/a-f).",
            f"'{str(digest)[:40]}' is not a valid file reference (expected {DIGEST_LEN} characters 0-9/a-f).")
    return digest


def _not_found(digest: str) -> UserInputError:
    return UserInputError(
        f"Het geïmporteerde bestand {digest} bestaat niet (meer) op deze server; importeer het opnieuw op Gegevens.",
        f"The imported file {digest} does not exist (any more) on this server; import it again on Gegevens.")


def put(data: bytes, filename: str, year: int | None = None) -> str:
    """Validate ``data`` as an indicator file (raises ``UserFileError``), store it, return its digest.

    Nothing is written when validation fails. Storing the same bytes with the same year again returns the
    same digest and leaves the first meta data (and its ``imported_at``) in place.
    """
    from data.userfiles import load_indicator_file, safe_filename

    uf = load_indicator_file(data, filename=filename, year=year, unknown_codes=UNKNOWN_CODES)
    full = _full_sha(bytes(data), uf.year)       # the year the values are read as (given, or found in the file)
    digest = full[:DIGEST_LEN]
    root = store_dir()
    existing = _read_meta(root / f"{digest}.json")
    if existing is not None:
        if existing.get("sha256") != full:
            raise UserInputError(
                f"Bestand '{safe_filename(filename)}' kan niet worden opgeslagen: de verkorte controlesom {digest} "
                "hoort al bij een ander bestand. Wijzig het bestand minimaal (bijv. een extra lege regel).",
                f"File '{safe_filename(filename)}' cannot be stored: the short checksum {digest} already belongs to "
                "another file. Change the file slightly (e.g. an extra empty line).")
        if (root / f"{digest}.bin").exists():
            return digest
    atomic_write_bytes(root / f"{digest}.bin", bytes(data))
    meta = {"sha256": full, "filename": safe_filename(filename), "year": uf.year,
            "imported_at": datetime.now(timezone.utc).isoformat(), "size": len(data)}
    atomic_write_bytes(root / f"{digest}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    log.info("Indicatorbestand %s opgeslagen als %s", meta["filename"], digest)
    return digest


def _read_meta(path: Path) -> dict | None:
    try:
        meta = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("Metagegevens %s onleesbaar (%s); genegeerd", path, exc)
        return None
    return meta if isinstance(meta, dict) else None


def meta(digest: str) -> StoredFile:
    """The stored file's meta data; ``UserInputError`` for a malformed or unknown digest."""
    _check(digest)
    m = _read_meta(store_dir() / f"{digest}.json")
    if m is None or not (store_dir() / f"{digest}.bin").exists():
        raise _not_found(digest)
    return StoredFile(digest, str(m.get("filename", "")), m.get("year"), str(m.get("imported_at", "")),
                      int(m.get("size", 0)), str(m.get("sha256", "")))


def exists(digest: str) -> bool:
    """True if ``digest`` is well-formed and its file and meta data are stored (never raises)."""
    if not is_digest(digest):
        return False
    root = store_dir()
    return (root / f"{digest}.bin").is_file() and _read_meta(root / f"{digest}.json") is not None


def get(digest: str):
    """The stored file as a validated ``UserIndicatorFile`` (re-read from its bytes with the stored year).

    Raises ``UserInputError`` for a malformed/unknown digest and ``UserFileError`` if the stored bytes no
    longer validate (e.g. after a change of the validation rules), or were altered on disk.
    """
    from data.errors import UserFileError
    from data.userfiles import load_indicator_file

    info = meta(digest)
    data = (store_dir() / f"{digest}.bin").read_bytes()
    if _full_sha(data, info.year) != info.sha256:
        raise UserFileError(
            f"Het opgeslagen bestand {digest} ({info.filename}) is op de server gewijzigd of beschadigd; "
            "importeer het opnieuw.",
            f"The stored file {digest} ({info.filename}) was changed or damaged on the server; import it again.")
    return load_indicator_file(data, filename=info.filename, year=info.year, unknown_codes=UNKNOWN_CODES)


def list_files() -> list[StoredFile]:
    """Every stored file, oldest import first."""
    root = store_dir()
    if not root.is_dir():
        return []
    out = []
    for path in root.glob("*.json"):
        if is_digest(path.stem) and exists(path.stem):
            out.append(meta(path.stem))
    return sorted(out, key=lambda f: (f.imported_at, f.digest))


def default_files() -> list[str]:
    """Digests every view includes (set by an admin), in the order they were made default; unknown ones left out."""
    m = _read_meta(store_dir() / DEFAULTS) or {}
    digests = m.get("digests") if isinstance(m.get("digests"), list) else []
    return [d for d in digests if exists(d)]


def set_default(digest: str, on: bool = True, *, admin: bool) -> list[str]:
    """Make ``digest`` a default for every view (``on=False``: stop that); returns the new list.

    ``admin`` is the caller's answer from :func:`data.admin.check_token` for this session; without it the
    call is refused (``PermissionError``), so a page cannot change everyone's view by mistake.
    """
    if not admin:
        raise PermissionError("set_default needs an admin session (STAPELKAART_ADMIN_TOKEN)")
    _check(digest)
    if on and not exists(digest):
        raise _not_found(digest)
    current = default_files()
    new = ([*current, digest] if digest not in current else current) if on else [d for d in current if d != digest]
    atomic_write_bytes(store_dir() / DEFAULTS, json.dumps({"digests": new, "changed_at": utc_now_iso()}).encode())
    return new


def parse_files_param(value: str | None) -> tuple[list[str], list[str]]:
    """Split a ``files=`` URL value into (known digests in order, rejected parts).

    A part is rejected if it is not a digest or not stored here; the page names the rejected ones (as
    escaped text) and shows the rest. Duplicates are dropped.
    """
    good, bad = [], []
    for part in (value or "").split(","):
        part = part.strip()
        if not part:
            continue
        if exists(part):
            if part not in good:
                good.append(part)
        else:
            bad.append(part)
    return good, bad


__all__ = ["DIGEST_LEN", "StoredFile", "default_files", "exists", "get", "is_digest", "list_files", "meta",
           "parse_files_param", "put", "set_default", "store_dir"]
