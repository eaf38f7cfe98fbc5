"""Content-addressed store of imported indicator files: an import belongs to the view that names it.

Why: one server serves a whole team. A file imported by one visitor must not enter anyone else's scores, yet
the importer's share link must reproduce the view *with* the file for whoever opens it. So an import is
stored under a digest of its content and the view's URL names it (``&files=3fa9c2d41b07``); a visitor whose
URL names no file sees no imported values. Making a file the default for everyone is a separate, admin-only
step (:func:`set_default`).

The digest is the first 12 hex digits of ``HMAC-SHA256(secret, options + bytes)``, where the options are those
that change how the bytes are read (the year the values are read as: given at import or found in the file), and
the secret is the server's: ``STAPELKAART_SECRET``, or (unset) a random one generated once (``secrets.token_hex``)
and kept in ``<cache dir>/server-secret`` (written atomically, first writer wins; a read-only cache falls back to
the store dir). Keyed, so nobody can compute the link of a file (a public CBS file, say) offline and learn from
"bestaat niet (meer)" whether someone imported it: without the secret a digest cannot be guessed. The same file
imported twice with the same year is stored once. 12 hex digits (48 bits) are short enough for a URL; :func:`put`
compares the full sha256 kept in the meta file, so a prefix collision is refused instead of serving the other file.

Transition: files stored before keyed digests (their meta has no ``"key"``) are named by the unkeyed
``sha256(options + bytes)``; their old ``files=`` links still open (``STAPELKAART_LEGACY_FILE_LINKS``, default
on; ``0`` ends the transition: such a link is then refused with a message that says to import the file again).
A new import is always stored under its keyed digest, also when the same bytes exist under an old one. With the
transition ended, an admin default named by an old digest stops too (:func:`default_files` lists what opens).

Layout (``STAPELKAART_USERSTORE_DIR``, default ``<cache dir>/userstore``)::

    {digest}.bin     the bytes as uploaded
    {digest}.json    {"sha256", "key", "filename", "year", "imported_at", "size"}  (after the .bin, atomically;
                     "key": "hmac-sha256" for a keyed digest, absent for an old unkeyed one)
    defaults.json    {"digests": [...]}: files every view includes (admin action)

API::

    digest = put(data, "inkomen.xlsx", year=2020)   # validates first (UserFileError), then stores
    uf = get(digest)                                # UserIndicatorFile, re-validated from the stored bytes
    exists(digest); meta(digest)
    is_digest(text)                                 # strict format check for the URL allow-list
    default_files(); set_default(digest, admin=True)
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.errors import StorageError, UserFileError, UserInputError
from data.cache import atomic_write_bytes, cache_dir, utc_now_iso

log = logging.getLogger(__name__)

DIGEST_LEN = 12
_DIGEST_RE = re.compile(rf"[0-9a-f]{{{DIGEST_LEN}}}")
DEFAULTS = "defaults.json"
#: ``unknown_codes`` used for every stored file: a national file carries codes outside the selection.
UNKNOWN_CODES = "skip"
SECRET_ENV = "STAPELKAART_SECRET"
SECRET_FILE = "server-secret"
LEGACY_ENV = "STAPELKAART_LEGACY_FILE_LINKS"
KEY = "hmac-sha256"


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
    size: int
    sha256: str


def _full_sha(data: bytes, year: int | None) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"year": year, "unknown_codes": UNKNOWN_CODES}, sort_keys=True).encode())
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _read_secret(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return text.encode() if len(text) >= 32 else None


def _create_secret(path: Path) -> bytes:
    """A new random secret at ``path``, unless another process was first (then that one): written to a temp file
    and linked into place, so a reader never sees a half-written secret and two servers never keep two."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix="-" + path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: keep theirs
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    found = _read_secret(path)
    if found is None:
        raise OSError(f"secret at {path} is unreadable")
    return found


def server_secret() -> bytes:
    """The key of the digests: ``STAPELKAART_SECRET``, else the one kept in the cache dir (made on first use),
    else (read-only cache) the one kept in the store dir."""
    env = os.environ.get(SECRET_ENV, "")
    if env:
        return env.encode("utf-8")
    places = [cache_dir() / SECRET_FILE, store_dir() / SECRET_FILE]
    for path in places:
        found = _read_secret(path)
        if found is not None:
            return found
    for path in places:
        try:
            return _create_secret(path)
        except OSError as exc:
            log.warning("Geheim voor bestandsverwijzingen niet op te slaan in %s (%s)", path.parent, exc)
    raise _cannot_store()


def _cannot_store() -> UserFileError:
    return UserFileError(
        "Deze server kan geen bestanden opslaan (de opslag is alleen-lezen of vol); er is niets geïmporteerd. "
        f"Vraag de beheerder de bestandsmap (STAPELKAART_USERSTORE_DIR) schrijfbaar te maken of {SECRET_ENV} te zetten.",
        "This server cannot store files (its storage is read-only or full); nothing was imported. Ask the "
        f"administrator to make the store folder (STAPELKAART_USERSTORE_DIR) writable or to set {SECRET_ENV}.",
        problems=["opslag niet schrijfbaar"],
    )


def _keyed(data: bytes, year: int | None) -> str:
    h = hmac.new(server_secret(), digestmod=hashlib.sha256)
    h.update(json.dumps({"year": year, "unknown_codes": UNKNOWN_CODES}, sort_keys=True).encode())
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _legacy_links() -> bool:
    return os.environ.get(LEGACY_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def _opens(meta: dict) -> bool:
    """A stored file opens by its digest if it is keyed, or an old unkeyed one during the transition."""
    return meta.get("key") == KEY or _legacy_links()


def _check(digest: str) -> str:
    if not is_digest(digest):
        raise UserInputError(
            f"'{str(digest)[:40]}' is geen geldige bestandsverwijzing (verwacht {DIGEST_LEN} tekens 0-9/a-f).",
            f"'{str(digest)[:40]}' is not a valid file reference (expected {DIGEST_LEN} characters 0-9/a-f).",
        )
    return digest


def _not_found(digest: str) -> UserInputError:
    return UserInputError(
        f"Het geïmporteerde bestand {digest} bestaat niet (meer) op deze server; importeer het opnieuw op Gegevens.",
        f"The imported file {digest} does not exist (any more) on this server; import it again on Gegevens.",
    )


def put(
    data: bytes,
    filename: str,
    year: int | None = None,
    *,
    view_codes: Collection[str] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> str:
    """Validate ``data`` as an indicator file (raises ``UserFileError``), store it, return its keyed digest.

    Nothing is written when validation fails. Also refused before anything is stored: a file without a year
    (none given and no ``jaar`` column: its values would never be used) and, with ``view_codes`` (the codes of
    the importing view), a file none of whose codes is in the view. Storing the same bytes with the same year
    again returns the same digest and leaves the first meta data (and its ``imported_at``) in place.
    ``bounds``: the value range per indicator id, as ``load_indicator_file(bounds=)`` (the page layer passes
    ``indicators.bounds.value_bounds()``).
    """
    from data.userfiles import load_indicator_file, safe_filename

    uf = load_indicator_file(data, filename=filename, year=year, unknown_codes=UNKNOWN_CODES, bounds=bounds)
    name = safe_filename(filename)
    if uf.year is None:
        raise UserFileError(
            f"Bestand '{name}' heeft geen jaar: vul 'Jaar van de cijfers' in, of geef het bestand een kolom 'jaar' "
            "met één jaartal. Zonder jaar worden de cijfers nergens gebruikt; er is niets geïmporteerd.",
            f"File '{name}' has no year: fill in 'Year of the figures', or give the file a column 'jaar' with one "
            "year. Without a year the figures are used nowhere; nothing was imported.",
            problems=["geen jaar"],
        )
    if view_codes is not None:
        in_view = set(uf.frame.index) & {str(c).strip().upper() for c in view_codes}
        if not in_view:
            example = ", ".join(list(uf.frame.index[:3]))
            raise UserFileError(
                f"Bestand '{name}': geen enkele code ({len(uf.frame)} gebieden, bijv. {example}) hoort bij de "
                "gemeenten van deze weergave, dus het zou niets veranderen. Kies eerst de gemeenten van het bestand "
                "in de zijbalk en importeer het dan; er is niets geïmporteerd.",
                f"File '{name}': none of its codes ({len(uf.frame)} areas, e.g. {example}) belongs to the "
                "municipalities of this view, so it would change nothing. Choose the file's municipalities in the "
                "sidebar first, then import it; nothing was imported.",
                problems=["geen code in de weergave"],
            )
    full = _full_sha(bytes(data), uf.year)  # the year the values are read as (given, or found in the file)
    digest = _keyed(bytes(data), uf.year)[:DIGEST_LEN]
    root = store_dir()
    existing = _read_meta(root / f"{digest}.json")
    if existing is not None:
        if existing.get("sha256") != full:
            raise UserInputError(
                f"Bestand '{name}' kan niet worden opgeslagen: de verkorte controlesom {digest} "
                "hoort al bij een ander bestand. Wijzig het bestand minimaal (bijv. een extra lege regel).",
                f"File '{name}' cannot be stored: the short checksum {digest} already belongs to "
                "another file. Change the file slightly (e.g. an extra empty line).",
            )
        if (root / f"{digest}.bin").exists():
            return digest
    meta = {
        "sha256": full,
        "key": KEY,
        "filename": name,
        "year": uf.year,
        "imported_at": datetime.now(UTC).isoformat(),
        "size": len(data),
    }
    try:
        atomic_write_bytes(root / f"{digest}.bin", bytes(data))
        atomic_write_bytes(root / f"{digest}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    except (OSError, StorageError) as exc:  # read-only store (replica mode), full disk: say so, no server paths
        log.error("Indicatorbestand %s niet opgeslagen in %s: %s", name, root, exc)
        raise _cannot_store() from None
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
    if not _opens(m):
        raise UserInputError(
            f"De link noemt bestand {digest} met een verwijzing van vóór de beveiligde bestandsverwijzingen; die "
            "opent niet meer. Importeer het bestand opnieuw op Gegevens (het krijgt dan een nieuwe link).",
            f"The link names file {digest} by a reference from before the protected file references; those no "
            "longer open. Import the file again on Gegevens (it then gets a new link).",
        )
    return StoredFile(
        digest, str(m.get("filename", "")), m.get("year"), int(m.get("size", 0)), str(m.get("sha256", ""))
    )


def exists(digest: str) -> bool:
    """True if ``digest`` is well-formed and its file and meta data are stored (never raises)."""
    if not is_digest(digest):
        return False
    root = store_dir()
    m = _read_meta(root / f"{digest}.json")
    return (root / f"{digest}.bin").is_file() and m is not None and _opens(m)


def get(digest: str):
    """The stored file as a validated ``UserIndicatorFile`` (re-read from its bytes with the stored year).

    Raises ``UserInputError`` for a malformed/unknown digest and ``UserFileError`` if the stored bytes no
    longer validate (e.g. after a change of the validation rules), or were altered on disk.
    """
    from core.errors import UserFileError
    from data.userfiles import load_indicator_file

    info = meta(digest)
    data = (store_dir() / f"{digest}.bin").read_bytes()
    if _full_sha(data, info.year) != info.sha256:
        raise UserFileError(
            f"Het opgeslagen bestand {digest} ({info.filename}) is op de server gewijzigd of beschadigd; "
            "importeer het opnieuw.",
            f"The stored file {digest} ({info.filename}) was changed or damaged on the server; import it again.",
        )
    return load_indicator_file(data, filename=info.filename, year=info.year, unknown_codes=UNKNOWN_CODES)


def default_files() -> list[str]:
    """Digests every view includes (set by an admin), in the order they were made default; unknown ones left out."""
    m = _read_meta(store_dir() / DEFAULTS) or {}
    found = m.get("digests")
    digests = found if isinstance(found, list) else []
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
    for raw in (value or "").split(","):
        part = raw.strip()
        if not part:
            continue
        if exists(part):
            if part not in good:
                good.append(part)
        else:
            bad.append(part)
    return good, bad


__all__ = [
    "DIGEST_LEN",
    "SECRET_ENV",
    "StoredFile",
    "default_files",
    "exists",
    "get",
    "is_digest",
    "meta",
    "parse_files_param",
    "put",
    "server_secret",
    "set_default",
    "store_dir",
]
