"""On-disk cache of downloaded tables and boundaries: Parquet/GeoParquet files plus a JSON manifest.

Why: CBS and PDOK are slow, rate-limited and sometimes down; the app must answer from disk first and keep
working offline with data of a known age. Why this layout: a crash, a full disk or a killed process in the
middle of a write must never leave something that *looks* like a valid entry.

Layout (``STAPELKAART_CACHE_DIR`` or ``platformdirs.user_cache_dir("stapelkaart")``)::

    entries/{slug}/manifest.json               written last, atomically; the entry exists iff this is valid
    entries/{slug}/data-{sha256[:16]}.parquet   content-addressed data file (GeoParquet for GeoDataFrames)
    entries/{slug}/version-{id}.json           KWB: one immutable manifest per version seen (kept with its data
                                               file); manifest.json is a copy of the current one

Every file is written to a temporary file in the same directory, fsync'ed and ``os.replace``-d. The data
file has a new name for new content, so replacing an entry never touches the file the old manifest points
at: until the new manifest lands, readers see the complete old entry. A manifest that is missing, unreadable,
of another format version, or whose data file's size/sha256 does not match is treated as **absent** (and
logged), never read.

Public API::

    key = CacheKey.make("kwb", 2024, "wijk", ["GM0479", "GM0363"])   # gemeenten sorted; [] / None -> "NL"
    manifest = put(key, frame, {"source_url": ..., "table_id": ..., "modified": ..., "attrs": {...}})
    hit = get(key)                 # (frame, manifest) or None; get(key, version=v) for a kept version
    versions(key)                  # KWB: every version kept (CBS Modified + fetch time), oldest first
    restore(key, version)          # make a kept version current again; previous_version(key)
    list_entries()                 # [Entry(key, manifest, status, problem, path)]
    age_days(manifest)             # float days since fetched_at
    newest_intact(key)             # (frame, manifest) of the newest intact kept version, when get(key) has none
    kept_rows(key)                 # rows of the good copy a new answer must not undercut (put(..., allow_fewer))
    put_or_keep(key, frame, manifest, notices=[])   # put(), but unstorable (read-only, full disk) -> notice

Snapshots (export/import of the whole cache) live in data.snapshot, which imports this module (one direction).
A write the storage refuses (read-only, full disk) raises core.errors.StorageError, never a bare OSError.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import CacheError, FewerRowsError, StorageError, storage_error

log = logging.getLogger(__name__)

#: Version of the entry/manifest/snapshot layout. Bump it when old entries can no longer be read.
FORMAT_VERSION = 1
APP_VERSION = "0.1.0"
MANIFEST = "manifest.json"
_SLUG_RE = re.compile(r"[^A-Za-z0-9_.+-]+")


def cache_dir() -> Path:
    """The cache root, read from the environment at call time (tests use a private one per test)."""
    env = os.environ.get("STAPELKAART_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("stapelkaart"))


def _entries_dir(root: Path | None = None) -> Path:
    return (root or cache_dir()) / "entries"


# ----------------------------------------------------------------------------------------------- keys
@dataclass(frozen=True)
class CacheKey:
    """What an entry holds: ``kind`` (``kwb``, ``boundaries``, ...), ``year``, ``level`` and the gemeenten.

    ``gemeenten`` is a sorted tuple of GM codes, or the string ``"NL"`` for national frames. Use
    :meth:`make`, which normalises order and duplicates, so ``[GM0479, GM0363]`` and ``[GM0363, GM0479]``
    are the same entry.
    """

    kind: str
    year: int
    level: str
    gemeenten: tuple[str, ...] | str

    @classmethod
    def make(cls, kind: str, year: int, level: str, gemeenten: Iterable[str] | str | None) -> CacheKey:
        if gemeenten is None or gemeenten == "NL" or (not isinstance(gemeenten, str) and not list(gemeenten)):
            sel: tuple[str, ...] | str = "NL"
        elif isinstance(gemeenten, str):
            sel = (gemeenten,)
        else:
            sel = tuple(sorted({str(g) for g in gemeenten}))
        return cls(str(kind), int(year), str(level), sel)

    @property
    def slug(self) -> str:
        """Directory name: readable for small selections, hashed for long ones (path length limits)."""
        if self.gemeenten == "NL":
            sel = "NL"
        elif len(self.gemeenten) <= 6:
            sel = "+".join(self.gemeenten)
        else:
            digest = hashlib.sha1(",".join(self.gemeenten).encode()).hexdigest()[:12]
            sel = f"{len(self.gemeenten)}gm-{digest}"
        return _SLUG_RE.sub("_", f"{self.kind}-{self.year}-{self.level}-{sel}")

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "year": self.year,
            "level": self.level,
            "gemeenten": self.gemeenten if self.gemeenten == "NL" else list(self.gemeenten),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> CacheKey:
        return cls.make(data["kind"], data["year"], data["level"], data["gemeenten"])

    def describe(self) -> str:
        sel = "NL" if self.gemeenten == "NL" else ",".join(self.gemeenten)
        return f"{self.kind} {self.year} {self.level} {sel}"


# ----------------------------------------------------------------------------------------- atomic I/O
def _fsync_dir(path: Path) -> None:
    """fsync a directory so a rename survives a power cut (no-op where unsupported, e.g. Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Turn an OSError that means "this storage takes no new data" (read-only, full disk: see
    core.errors.STORAGE_ERRNOS) into a StorageError with a plain message; other OSErrors pass unchanged."""
    try:
        yield
    except OSError as exc:
        err = storage_error(exc)
        if err is None:
            raise
        log.warning("Opslaan geweigerd door het bestandssysteem: %s", exc)
        raise err from exc


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same directory, fsync, ``os.replace``.

    Read-only storage or a full disk: StorageError (nothing partial is left behind)."""
    with storage_errors():
        _atomic_write_bytes(path, data)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix="-" + path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_geo(frame: Any) -> bool:
    try:
        import geopandas
    except ImportError:  # geopandas is a hard dependency of the app, but the cache works without it
        return False
    return isinstance(frame, geopandas.GeoDataFrame)


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise a (Geo)DataFrame to (Geo)Parquet bytes. ``attrs`` travel in the manifest, not here."""
    clean = frame.copy(deep=False)
    clean.attrs = {}
    buf = io.BytesIO()
    clean.to_parquet(buf, index=True)
    return buf.getvalue()


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=_json_default, allow_nan=False).encode("utf-8")


def utc_now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# ------------------------------------------------------------------------------------------ entries
@dataclass
class Entry:
    """One cache entry as found on disk. ``status`` is ``ok``, ``incomplete`` (no manifest), ``corrupt``."""

    slug: str
    path: Path
    status: str
    manifest: dict = field(default_factory=dict)
    problem: str | None = None

    @property
    def key(self) -> CacheKey | None:
        try:
            return CacheKey.from_json(self.manifest["key"])
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def age_days(self) -> float | None:
        return age_days(self.manifest) if self.manifest else None


def age_days(manifest: Mapping) -> float | None:
    """Days since the entry's ``fetched_at`` (None if unknown)."""
    try:
        fetched = datetime.fromisoformat(str(manifest["fetched_at"]))
    except (KeyError, ValueError):
        return None
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - fetched).total_seconds() / 86400.0)


def _check_entry(path: Path, manifest_name: str = MANIFEST) -> Entry:
    """Validate the entry directory ``path`` (its current manifest, or the version record
    ``manifest_name``) without reading the frame."""
    slug = path.name
    mpath = path / manifest_name
    if not mpath.exists():
        return Entry(slug, path, "incomplete", problem="manifest ontbreekt (onderbroken schrijfactie?)")
    try:
        manifest = json.loads(mpath.read_bytes())
    except (OSError, ValueError) as exc:
        return Entry(slug, path, "corrupt", problem=f"manifest onleesbaar: {exc}")
    if not isinstance(manifest, dict):
        return Entry(slug, path, "corrupt", problem="manifest is geen object")
    if manifest.get("format_version") != FORMAT_VERSION:
        return Entry(
            slug,
            path,
            "corrupt",
            manifest,
            f"formaatversie {manifest.get('format_version')!r}, verwacht {FORMAT_VERSION}",
        )
    data_file = manifest.get("data_file")
    if not isinstance(data_file, str) or "/" in data_file or "\\" in data_file or data_file.startswith("."):
        return Entry(slug, path, "corrupt", manifest, "manifest noemt geen geldig databestand")
    dpath = path / data_file
    try:
        size = dpath.stat().st_size
    except FileNotFoundError:
        return Entry(slug, path, "corrupt", manifest, f"databestand {data_file} ontbreekt")
    if size != manifest.get("size"):
        return Entry(
            slug,
            path,
            "corrupt",
            manifest,
            f"databestand {data_file} heeft {size} bytes, manifest zegt {manifest.get('size')}",
        )
    try:
        digest = _sha256_file(dpath)
    except OSError as exc:  # replaced by a concurrent put() between stat and read: treat as absent
        return Entry(slug, path, "corrupt", manifest, f"databestand {data_file} niet leesbaar: {exc}")
    if digest != manifest.get("sha256"):
        return Entry(slug, path, "corrupt", manifest, f"sha256 van {data_file} klopt niet")
    return Entry(slug, path, "ok", manifest)


def get(key: CacheKey, version: str | None = None) -> tuple[pd.DataFrame, dict] | None:
    """The cached frame and its manifest, or None if absent or not intact (a damaged entry is logged).

    ``version``: one kept version (see :func:`versions`) instead of the current one.
    """
    path = _entries_dir() / key.slug
    if not path.exists():
        return None
    name = MANIFEST if version is None else _version_file(version)
    if name is None:
        return None
    entry = _check_entry(path, name)
    if entry.status != "ok":
        log.warning(
            "Cache-item %s%s wordt genegeerd: %s",
            key.describe(),
            "" if version is None else f" versie {version}",
            entry.problem,
        )
        return None
    if entry.manifest.get("key") != key.to_json():
        log.warning("Cache-item %s hoort bij een andere sleutel (%s); genegeerd", path, entry.manifest.get("key"))
        return None
    dpath = path / entry.manifest["data_file"]
    try:
        if entry.manifest.get("geo"):
            import geopandas

            frame = geopandas.read_parquet(dpath)
        else:
            frame = pd.read_parquet(dpath)
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) on a bad file
        log.warning("Cache-item %s onleesbaar (%s); genegeerd", key.describe(), exc)
        return None
    frame.attrs = dict(entry.manifest.get("attrs") or {})
    return frame, entry.manifest


def put(
    key: CacheKey,
    frame: pd.DataFrame,
    manifest: Mapping[str, Any] | None = None,
    *,
    keep_versions: bool | None = None,
    allow_fewer: bool = True,
) -> dict:
    """Store ``frame`` under ``key`` atomically and return the completed manifest.

    ``keep_versions`` (default: ``key.kind in VERSIONED_KINDS``, i.e. KWB tables): the new content becomes
    a kept **version** (``version-{id}.json`` + its data file, never overwritten or deleted by a later put)
    and the current one; ``manifest["version"]`` is its id (see :func:`versions`, :func:`restore`).

    ``manifest`` carries the provenance: ``source_url``, ``table_id``, ``modified`` (CBS ``Modified``),
    optionally ``fetched_at`` (default: now, UTC) and ``attrs`` (default: ``frame.attrs``, JSON-serialisable).
    This function fills in ``format_version``, ``key``, ``rows``, ``columns`` (``attrs["columns"]``),
    ``crs``, ``geo``, ``data_file``, ``size`` and ``sha256``.

    ``allow_fewer=False``: refuse (FewerRowsError naming both counts) a frame with fewer rows than the good copy
    already kept (:func:`kept_rows`); the default (True) stores whatever it is given, as before.
    Storage that takes no new data (read-only, full disk): StorageError, and the entry is unchanged.
    """
    if not allow_fewer:
        check_not_fewer(key, len(frame))
    man = dict(manifest or {})
    payload = _frame_bytes(frame)
    sha = hashlib.sha256(payload).hexdigest()
    data_file = f"data-{sha[:16]}.parquet"
    attrs = man.pop("attrs", None)
    if attrs is None:
        attrs = dict(frame.attrs)
    geo = _is_geo(frame)
    crs = None
    if geo and frame.crs is not None:
        crs = frame.crs.to_string()
    man.update(
        {
            "format_version": FORMAT_VERSION,
            "key": key.to_json(),
            "source_url": man.get("source_url"),
            "table_id": man.get("table_id"),
            "modified": man.get("modified"),
            "fetched_at": man.get("fetched_at") or utc_now_iso(),
            "rows": len(frame),
            "columns": (attrs or {}).get("columns", {}),
            "crs": crs,
            "geo": geo,
            "data_file": data_file,
            "size": len(payload),
            "sha256": sha,
            "attrs": attrs,
        }
    )
    if keep_versions is None:
        keep_versions = key.kind in VERSIONED_KINDS
    if keep_versions:
        man["version"] = version_id(man.get("modified"), sha)
    manifest_bytes = _dumps(man)  # fail on unserialisable attrs *before* touching the disk
    path = _entries_dir() / key.slug
    with storage_errors():
        path.mkdir(parents=True, exist_ok=True)
    previous = _previous_data_file(path)
    atomic_write_bytes(path / data_file, payload)
    if keep_versions:
        record_name = _version_file(man["version"])
        assert record_name is not None, man["version"]  # version_id always yields a valid version
        record = path / record_name
        if _check_entry(path, record.name).status != "ok":  # a version once written is never rewritten
            atomic_write_bytes(record, manifest_bytes)
    atomic_write_bytes(path / MANIFEST, manifest_bytes)
    # Keep the file the old manifest pointed at: another session may be reading it right now.
    _remove_stale_files(path, keep={data_file} | ({previous} if previous else set()))
    return json.loads(manifest_bytes)


def put_or_keep(
    key: CacheKey,
    frame: pd.DataFrame,
    manifest: Mapping[str, Any] | None = None,
    *,
    notices: list[dict] | None = None,
    **kw: Any,
) -> dict:
    """:func:`put`, except that storage which takes no new data (StorageError) is not fatal: the frame stays
    usable for this answer, the returned manifest (in memory only) has ``not_stored: True`` and the plain
    message is appended to ``notices`` as ``{"nl", "en"}``. For loaders: a fetch that cannot be stored is
    still shown, with a notice (read-only replica cache, full disk)."""
    try:
        return put(key, frame, manifest, **kw)
    except StorageError as exc:
        log.warning("%s niet opgeslagen: %s", key.describe(), exc.message)
        if notices is not None and not any(n.get("nl") == exc.message for n in notices):
            notices.append({"nl": exc.message, "en": exc.message_en})
        man = dict(manifest or {})
        return dict(
            man,
            key=key.to_json(),
            rows=len(frame),
            attrs=man.get("attrs", dict(frame.attrs)),
            fetched_at=man.get("fetched_at") or utc_now_iso(),
            version=None,
            not_stored=True,
        )


def _previous_data_file(path: Path) -> str | None:
    """The data file named by the current manifest of entry ``path`` (None if there is none)."""
    try:
        name = json.loads((path / MANIFEST).read_bytes()).get("data_file")
    except (OSError, ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None


def _remove_stale_files(path: Path, keep: set[str], min_age: float = 60.0) -> None:
    """Delete data files no manifest points at and leftover temp files, once they are ``min_age`` s old.

    The age guard keeps a concurrent writer's freshly written (not yet referenced) data file alive.
    """
    now = time.time()
    keep = set(keep) | _version_data_files(path)
    for f in path.iterdir():
        if f.name in keep or f.name == MANIFEST or f.name.startswith(VERSION_PREFIX):
            continue
        if f.name.startswith(".tmp-") or (f.name.startswith("data-") and f.suffix == ".parquet"):
            with contextlib.suppress(FileNotFoundError):
                if now - f.stat().st_mtime >= min_age:
                    f.unlink()


def delete(key: CacheKey) -> bool:
    """Remove an entry (manifest first, so a half-deleted entry is already absent). True if it existed."""
    path = _entries_dir() / key.slug
    if not path.exists():
        return False
    with storage_errors():
        with contextlib.suppress(FileNotFoundError):
            (path / MANIFEST).unlink()
        for f in path.iterdir():  # version records and their data files too: delete means gone
            with contextlib.suppress(FileNotFoundError):
                f.unlink()
    with contextlib.suppress(OSError):
        path.rmdir()
    return True


# ----------------------------------------------------------------------------------------- versions
#: Kinds whose every fetched version is kept (CBS revises KWB tables during the year).
VERSIONED_KINDS = frozenset({"kwb"})
VERSION_PREFIX = "version-"
_VERSION_RE = re.compile(r"^[A-Za-z0-9_.+-]{1,80}$")


def version_id(modified: object, sha256: str) -> str:
    """Id of a version: CBS ``Modified`` (``2025-03-27T02:00:00`` -> ``20250327T020000``) + content hash.

    The same content under a new ``Modified`` is a new version (CBS republished it); the data file is shared.
    """
    stamp = re.sub(r"[^0-9A-Za-z]", "", str(modified))[:20] if modified else "onbekend"
    return f"{stamp}_{sha256[:12]}"


def _version_file(version: str) -> str | None:
    return f"{VERSION_PREFIX}{version}.json" if _VERSION_RE.match(str(version)) else None


def _version_data_files(path: Path) -> set[str]:
    out = set()
    for f in path.glob(f"{VERSION_PREFIX}*.json"):
        try:
            name = json.loads(f.read_bytes()).get("data_file")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(name, str):
            out.add(name)
    return out


def versions(key: CacheKey) -> list[dict]:
    """Every kept version of ``key``, oldest first (by CBS ``Modified``, then fetch time).

    Each: ``version, modified, fetched_at, rows, table_id, sha256, current`` (the one :func:`get` returns),
    ``status`` (``ok`` or ``corrupt``: listed, never read) and ``problem``.
    """
    path = _entries_dir() / key.slug
    if not path.exists():
        return []
    current = _check_entry(path)
    cur = current.manifest.get("version") if current.status == "ok" else None
    out = []
    for f in path.glob(f"{VERSION_PREFIX}*.json"):
        entry = _check_entry(path, f.name)
        m = entry.manifest
        vid = f.name[len(VERSION_PREFIX) : -len(".json")]
        out.append(
            {
                "version": vid,
                "modified": m.get("modified"),
                "fetched_at": m.get("fetched_at"),
                "rows": m.get("rows"),
                "table_id": m.get("table_id"),
                "sha256": m.get("sha256"),
                "current": vid == cur,
                "status": entry.status,
                "problem": entry.problem,
            }
        )
    return sorted(out, key=lambda v: (str(v["modified"] or ""), str(v["fetched_at"] or ""), v["version"]))


def previous_version(key: CacheKey) -> str | None:
    """The intact version just before the current one (None when there is none)."""
    ok = [v for v in versions(key) if v["status"] == "ok"]
    idx = next((i for i, v in enumerate(ok) if v["current"]), None)
    return ok[idx - 1]["version"] if idx else None


def newest_intact(key: CacheKey) -> tuple[pd.DataFrame, dict] | None:
    """The newest kept version that is intact, as (frame, manifest); None when there is none.

    For when :func:`get` has nothing (current data file damaged, ``manifest.json`` deleted) and the source is
    unreachable: an older intact copy, named as such by the caller, is better than no data."""
    for v in reversed(versions(key)):
        if v["status"] == "ok":
            hit = get(key, version=v["version"])
            if hit is not None:
                return hit
    return None


def kept_rows(key: CacheKey) -> int | None:
    """Rows of the good copy of ``key``: the current intact entry, else the newest intact kept version (None:
    nothing good is kept). A new answer with fewer rows must not replace it unconfirmed (see :func:`put`)."""
    path = _entries_dir() / key.slug
    if not path.exists():
        return None
    current = _check_entry(path)
    if current.status == "ok" and current.manifest.get("key") == key.to_json():
        return int(current.manifest.get("rows") or 0)
    ok = [v for v in versions(key) if v["status"] == "ok"]
    return int(ok[-1]["rows"] or 0) if ok else None


def check_not_fewer(key: CacheKey, rows: int) -> None:
    """FewerRowsError when ``rows`` is fewer than :func:`kept_rows` of ``key`` (nothing kept: fine)."""
    old = kept_rows(key)
    if old is not None and rows < old:
        raise FewerRowsError(key.describe(), old, int(rows))


def restore(key: CacheKey, version: str) -> dict:
    """Make a kept ``version`` the current one again (atomic; nothing else changes). Returns its manifest.

    Unknown or damaged version -> CacheError naming the versions that exist.
    """
    path = _entries_dir() / key.slug
    name = _version_file(version)
    entry = _check_entry(path, name) if name and path.exists() else None
    if name is None or entry is None or entry.status != "ok" or entry.manifest.get("key") != key.to_json():
        known = ", ".join(v["version"] for v in versions(key) if v["status"] == "ok") or "geen"
        why = entry.problem if entry is not None and entry.problem else "bestaat niet"
        raise CacheError(
            f"Versie {str(version)[:80]!r} van {key.describe()} kan niet terug worden gezet ({why}); "
            f"bewaarde versies: {known}.",
            f"Version {str(version)[:80]!r} of {key.describe()} cannot be restored ({why}); kept versions: {known}.",
        )
    atomic_write_bytes(path / MANIFEST, (path / name).read_bytes())
    return dict(entry.manifest)


def list_entries(include_broken: bool = True) -> list[Entry]:
    """All entries on disk, sorted by slug; broken ones (``incomplete``/``corrupt``) unless excluded."""
    root = _entries_dir()
    if not root.exists():
        return []
    out = []
    for path in sorted(p for p in root.iterdir() if p.is_dir()):
        entry = _check_entry(path)
        if entry.status == "ok" or include_broken:
            out.append(entry)
    return out


def has(key: CacheKey) -> bool:
    """Whether an entry for ``key`` is on disk (its manifest exists): a cheap look without reading or hashing
    the data; :func:`get` still checks the entry when it is read."""
    return (_entries_dir() / key.slug / MANIFEST).is_file()


def iter_ok(kind: str | None = None) -> Iterator[Entry]:
    """Intact entries, optionally of one ``kind``."""
    for entry in list_entries(include_broken=False):
        if kind is None or (entry.manifest.get("key") or {}).get("kind") == kind:
            yield entry


__all__: Sequence[str] = (
    "FORMAT_VERSION",
    "VERSIONED_KINDS",
    "CacheKey",
    "Entry",
    "age_days",
    "atomic_write_bytes",
    "cache_dir",
    "check_not_fewer",
    "delete",
    "get",
    "has",
    "iter_ok",
    "kept_rows",
    "list_entries",
    "newest_intact",
    "previous_version",
    "put",
    "put_or_keep",
    "restore",
    "storage_errors",
    "version_id",
    "versions",
)
