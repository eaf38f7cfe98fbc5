"""On-disk cache of downloaded tables and boundaries: Parquet/GeoParquet files plus a JSON manifest.

Why: CBS and PDOK are slow, rate-limited and sometimes down; the app must answer from disk first and keep
working offline with data of a known age. Why this layout: a crash, a full disk or a killed process in the
middle of a write must never leave something that *looks* like a valid entry.

Layout (``STAPELKAART_CACHE_DIR`` or ``platformdirs.user_cache_dir("stapelkaart")``)::

    entries/{slug}/manifest.json               written last, atomically; the entry exists iff this is valid
    entries/{slug}/data-{sha256[:16]}.parquet   content-addressed data file (GeoParquet for GeoDataFrames)

Every file is written to a temporary file in the same directory, fsync'ed and ``os.replace``-d. The data
file has a new name for new content, so replacing an entry never touches the file the old manifest points
at: until the new manifest lands, readers see the complete old entry. A manifest that is missing, unreadable,
of another format version, or whose data file's size/sha256 does not match is treated as **absent** (and
logged), never read.

Public API::

    key = CacheKey.make("kwb", 2024, "wijk", ["GM0479", "GM0363"])   # gemeenten sorted; [] / None -> "NL"
    manifest = put(key, frame, {"source_url": ..., "table_id": ..., "modified": ..., "attrs": {...}})
    hit = get(key)                 # (frame, manifest) or None
    list_entries()                 # [Entry(key, manifest, status, problem, path)]
    age_days(manifest)             # float days since fetched_at
    export_snapshot(zip_path) / import_snapshot(zip_path)   # in data.snapshot (limits, streaming), re-exported
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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

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
        return {"kind": self.kind, "year": self.year, "level": self.level,
                "gemeenten": self.gemeenten if self.gemeenten == "NL" else list(self.gemeenten)}

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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same directory, fsync, ``os.replace``."""
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
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


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
        fetched = fetched.replace(tzinfo=timezone.utc)
    return max(0.0, (datetime.now(timezone.utc) - fetched).total_seconds() / 86400.0)


def _check_entry(path: Path) -> Entry:
    """Validate the entry directory ``path`` without reading the frame."""
    slug = path.name
    mpath = path / MANIFEST
    if not mpath.exists():
        return Entry(slug, path, "incomplete", problem="manifest ontbreekt (onderbroken schrijfactie?)")
    try:
        manifest = json.loads(mpath.read_bytes())
    except (OSError, ValueError) as exc:
        return Entry(slug, path, "corrupt", problem=f"manifest onleesbaar: {exc}")
    if not isinstance(manifest, dict):
        return Entry(slug, path, "corrupt", problem="manifest is geen object")
    if manifest.get("format_version") != FORMAT_VERSION:
        return Entry(slug, path, "corrupt", manifest,
                     f"formaatversie {manifest.get('format_version')!r}, verwacht {FORMAT_VERSION}")
    data_file = manifest.get("data_file")
    if not isinstance(data_file, str) or "/" in data_file or "\\" in data_file or data_file.startswith("."):
        return Entry(slug, path, "corrupt", manifest, "manifest noemt geen geldig databestand")
    dpath = path / data_file
    try:
        size = dpath.stat().st_size
    except FileNotFoundError:
        return Entry(slug, path, "corrupt", manifest, f"databestand {data_file} ontbreekt")
    if size != manifest.get("size"):
        return Entry(slug, path, "corrupt", manifest,
                     f"databestand {data_file} heeft {size} bytes, manifest zegt {manifest.get('size')}")
    try:
        digest = _sha256_file(dpath)
    except OSError as exc:  # replaced by a concurrent put() between stat and read: treat as absent
        return Entry(slug, path, "corrupt", manifest, f"databestand {data_file} niet leesbaar: {exc}")
    if digest != manifest.get("sha256"):
        return Entry(slug, path, "corrupt", manifest, f"sha256 van {data_file} klopt niet")
    return Entry(slug, path, "ok", manifest)


def get(key: CacheKey) -> tuple[pd.DataFrame, dict] | None:
    """The cached frame and its manifest, or None if absent or not intact (a damaged entry is logged)."""
    path = _entries_dir() / key.slug
    if not path.exists():
        return None
    entry = _check_entry(path)
    if entry.status != "ok":
        log.warning("Cache-item %s wordt genegeerd: %s", key.describe(), entry.problem)
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


def put(key: CacheKey, frame: pd.DataFrame, manifest: Mapping[str, Any] | None = None) -> dict:
    """Store ``frame`` under ``key`` atomically and return the completed manifest.

    ``manifest`` carries the provenance: ``source_url``, ``table_id``, ``modified`` (CBS ``Modified``),
    optionally ``fetched_at`` (default: now, UTC) and ``attrs`` (default: ``frame.attrs``, JSON-serialisable).
    This function fills in ``format_version``, ``key``, ``rows``, ``columns`` (``attrs["columns"]``),
    ``crs``, ``geo``, ``data_file``, ``size`` and ``sha256``.
    """
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
    man.update({
        "format_version": FORMAT_VERSION,
        "key": key.to_json(),
        "source_url": man.get("source_url"),
        "table_id": man.get("table_id"),
        "modified": man.get("modified"),
        "fetched_at": man.get("fetched_at") or utc_now_iso(),
        "rows": int(len(frame)),
        "columns": (attrs or {}).get("columns", {}),
        "crs": crs,
        "geo": geo,
        "data_file": data_file,
        "size": len(payload),
        "sha256": sha,
        "attrs": attrs,
    })
    manifest_bytes = _dumps(man)  # fail on unserialisable attrs *before* touching the disk
    path = _entries_dir() / key.slug
    path.mkdir(parents=True, exist_ok=True)
    previous = _previous_data_file(path)
    atomic_write_bytes(path / data_file, payload)
    atomic_write_bytes(path / MANIFEST, manifest_bytes)
    # Keep the file the old manifest pointed at: another session may be reading it right now.
    _remove_stale_files(path, keep={data_file, previous} - {None})
    return json.loads(manifest_bytes)


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
    for f in path.iterdir():
        if f.name in keep or f.name == MANIFEST:
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
    with contextlib.suppress(FileNotFoundError):
        (path / MANIFEST).unlink()
    for f in path.iterdir():
        with contextlib.suppress(FileNotFoundError):
            f.unlink()
    with contextlib.suppress(OSError):
        path.rmdir()
    return True


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


def iter_ok(kind: str | None = None) -> Iterator[Entry]:
    """Intact entries, optionally of one ``kind``."""
    for entry in list_entries(include_broken=False):
        if kind is None or (entry.manifest.get("key") or {}).get("kind") == kind:
            yield entry


__all__: Sequence[str] = (
    "FORMAT_VERSION", "CacheKey", "Entry", "ImportReport", "age_days", "atomic_write_bytes", "cache_dir",
    "delete", "export_snapshot", "get", "import_snapshot", "iter_ok", "list_entries", "put",
)

# Snapshots live in data/snapshot.py (size limits, streamed import); these names stay importable from here.
_SNAPSHOT_NAMES = frozenset({"SNAPSHOT_MANIFEST", "ImportReport", "export_snapshot", "import_snapshot"})


def __getattr__(name: str) -> Any:
    """``cache.import_snapshot`` etc. resolve to data.snapshot lazily (data.snapshot imports this module)."""
    if name in _SNAPSHOT_NAMES:
        from data import snapshot

        return getattr(snapshot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
