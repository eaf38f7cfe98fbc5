"""Cache snapshots: one zip with every intact cache entry, to carry a warm cache to another machine.

Why limits: a snapshot can arrive as an upload (Gegevens page, admin only) and is then untrusted input. A
zip of 20 MB can declare gigabytes inside (a zip bomb), or thousands of members. So an import checks, before
anything is written to the cache:

* the zip itself is at most ``limits.max_compressed`` bytes (default: the upload limit, 20 MB, the same as
  ``server.maxUploadSize`` in ``.streamlit/config.toml``);
* its members declare together at most ``limits.max_unpacked`` (10x the upload limit) and there are at most
  ``limits.max_members``; no member larger than 1 MB is compressed more than ``limits.max_ratio`` times
  (Parquet hardly compresses: a real snapshot's members are < 3x);
* every member is *streamed* (1 MB chunks) into a staging directory next to the entries, counting the bytes
  actually produced (a member whose header lies about its size is stopped at the declared size and then
  fails its CRC) and hashing them on the way; JSON files are capped at 1 MB;
* every checksum matches, every data file is a readable Parquet file with the row count its manifest states.

Only then are the staged files moved into ``entries/`` (data file first, manifest last, as ``cache.put``
does). On any refusal the staging directory is removed and ``entries/`` has not been touched.

    export_snapshot(zip_path) -> [slug, ...]
    import_snapshot(zip_path, overwrite_newer=False, limits=UPLOAD_LIMITS) -> ImportReport
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from core.errors import CacheError
from data import cache

log = logging.getLogger(__name__)

SNAPSHOT_MANIFEST = "snapshot.json"
#: The upload limit of the app (``server.maxUploadSize = 20`` MB in .streamlit/config.toml; Streamlit counts
#: a megabyte as 2**20 bytes). tests/test_snapshot.py checks that the two agree.
UPLOAD_LIMIT_BYTES = 20 * 2**20
_CHUNK = 1 << 20
_MAX_JSON = 1 << 20
_RATIO_MIN_SIZE = 1 << 20


@dataclass(frozen=True)
class SnapshotLimits:
    """What an import accepts. ``UPLOAD_LIMITS`` is the default; the CLI can scale it (``--max-mb``)."""

    max_compressed: int = UPLOAD_LIMIT_BYTES
    max_unpacked: int = 10 * UPLOAD_LIMIT_BYTES
    max_members: int = 2001  # snapshot.json + 1000 entries of (manifest, data file)
    max_ratio: float = 100.0

    @classmethod
    def for_megabytes(cls, mb: float) -> SnapshotLimits:
        size = int(mb * 2**20)
        return cls(max_compressed=size, max_unpacked=10 * size)


UPLOAD_LIMITS = SnapshotLimits()


@dataclass
class ImportReport:
    """What :func:`import_snapshot` did: slugs imported, and slugs skipped with the reason."""

    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _error(nl: str, en: str) -> CacheError:
    return CacheError(nl, en)


def _mb(n: float) -> str:
    return f"{n / 2**20:.0f} MB"


# ------------------------------------------------------------------------------------------- export
def export_snapshot(zip_path: str | os.PathLike) -> list[str]:
    """Write every intact entry plus ``snapshot.json`` to ``zip_path`` (atomically). Returns the slugs.

    Use: carry a warm cache to a machine without internet (a workshop laptop), or archive the exact data a
    report was made with. Broken entries are left out (and logged). The zip is written to a temporary file
    next to ``zip_path`` (streamed, not built in memory) and renamed when complete.
    """
    zip_path = Path(zip_path)
    entries = []
    for entry in cache.list_entries():
        if entry.status != "ok":
            log.warning("Snapshot: %s overgeslagen (%s)", entry.slug, entry.problem)
            continue
        entries.append(entry)
    listing = []
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix="-" + zip_path.name, dir=zip_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for entry in entries:
                    data_file = entry.manifest["data_file"]
                    zf.write(entry.path / data_file, f"entries/{entry.slug}/{data_file}")
                    zf.write(entry.path / cache.MANIFEST, f"entries/{entry.slug}/{cache.MANIFEST}")
                    listing.append(
                        {
                            "slug": entry.slug,
                            "key": entry.manifest.get("key"),
                            "data_file": data_file,
                            "sha256": entry.manifest["sha256"],
                            "manifest_sha256": cache._sha256_file(entry.path / cache.MANIFEST),
                            "versions": _export_versions(zf, entry, {data_file}),
                        }
                    )
                zf.writestr(
                    SNAPSHOT_MANIFEST,
                    cache._dumps(
                        {
                            "format_version": cache.FORMAT_VERSION,
                            "app_version": cache.APP_VERSION,
                            "created_at": cache.utc_now_iso(),
                            "entries": listing,
                        }
                    ),
                )
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, zip_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    size = zip_path.stat().st_size
    if size > UPLOAD_LIMITS.max_compressed:
        log.warning(
            "Snapshot %s is %s: groter dan de uploadgrens van %s; importeer hem met "
            "`python -m data import-snapshot --max-mb ...`",
            zip_path,
            _mb(size),
            _mb(UPLOAD_LIMITS.max_compressed),
        )
    return [e.slug for e in entries]


# ------------------------------------------------------------------------------------------- import
def _export_versions(zf: zipfile.ZipFile, entry, written: set[str]) -> list[dict]:
    """The kept versions of a KWB entry (``version-*.json`` + their data files), each data file once."""
    out = []
    for f in sorted(entry.path.glob(f"{cache.VERSION_PREFIX}*.json")):
        checked = cache._check_entry(entry.path, f.name)
        if checked.status != "ok":
            log.warning("Snapshot: versie %s van %s overgeslagen (%s)", f.name, entry.slug, checked.problem)
            continue
        data_file = checked.manifest["data_file"]
        if data_file not in written:
            zf.write(entry.path / data_file, f"entries/{entry.slug}/{data_file}")
            written.add(data_file)
        zf.write(f, f"entries/{entry.slug}/{f.name}")
        out.append(
            {
                "file": f.name,
                "data_file": data_file,
                "sha256": checked.manifest["sha256"],
                "manifest_sha256": cache._sha256_file(f),
            }
        )
    return out


def _bad_member(name: str) -> bool:
    """True for zip member names that could escape the cache dir (absolute, ``..``, drive letters)."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return True
    parts = PurePosixPath(name).parts
    return any(p in ("..", "") for p in parts)


def _check_archive(zf: zipfile.ZipFile, zip_path: Path, limits: SnapshotLimits) -> None:
    """Refuse by the central directory alone: member count, declared total size, compression ratio, names."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise _error(
            f"Snapshot {zip_path} geweigerd: {len(infos)} bestanden, de grens is {limits.max_members}. "
            "Niets geïmporteerd.",
            f"Snapshot {zip_path} rejected: {len(infos)} members, the limit is {limits.max_members}. Nothing imported.",
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.max_unpacked:
        raise _error(
            f"Snapshot {zip_path} pakt uit tot {_mb(unpacked)}; de grens is {_mb(limits.max_unpacked)} "
            f"(10x de uploadgrens). Niets geïmporteerd.",
            f"Snapshot {zip_path} unpacks to {_mb(unpacked)}; the limit is {_mb(limits.max_unpacked)} "
            "(10x the upload limit). Nothing imported.",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_MIN_SIZE and ratio > limits.max_ratio:
            raise _error(
                f"Snapshot {zip_path} geweigerd: {info.filename!r} is {ratio:.0f}x gecomprimeerd "
                f"(grens {limits.max_ratio:.0f}x; een zip-bom?). Niets geïmporteerd.",
                f"Snapshot {zip_path} rejected: {info.filename!r} is compressed {ratio:.0f}x "
                f"(limit {limits.max_ratio:.0f}x; a zip bomb?). Nothing imported.",
            )
    bad = [i.filename for i in infos if _bad_member(i.filename)]
    if bad:
        raise _error(
            f"Snapshot {zip_path} geweigerd: onveilige bestandsnaam {bad[0]!r} (pad buiten de cache).",
            f"Snapshot {zip_path} rejected: unsafe member name {bad[0]!r} (path outside the cache).",
        )


def _stream_member(
    zf: zipfile.ZipFile, name: str, dest: Path | None, budget: list[int], zip_path: Path, cap: int | None = None
) -> tuple[str, int, bytes | None]:
    """Copy member ``name`` in chunks to ``dest`` (or keep it, for JSON, when ``dest`` is None, up to ``cap``).

    Returns (sha256, size, bytes-or-None). ``budget[0]`` is the number of bytes the import may still write;
    every chunk is charged against it, so a member that produces more than it declared cannot exceed it.
    """
    h, size = hashlib.sha256(), 0
    kept: bytearray | None = bytearray() if dest is None else None
    try:
        with zf.open(name) as src, open(dest, "wb") if dest is not None else contextlib.nullcontext() as out:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                budget[0] -= len(chunk)
                if budget[0] < 0 or (cap is not None and size > cap):
                    raise _error(
                        f"Snapshot {zip_path} geweigerd: {name!r} pakt uit tot meer dan toegestaan. "
                        "Niets geïmporteerd.",
                        f"Snapshot {zip_path} rejected: {name!r} unpacks to more than allowed. Nothing imported.",
                    )
                h.update(chunk)
                if out is not None:
                    out.write(chunk)
                elif kept is not None:
                    kept += chunk
    except KeyError as exc:
        raise _error(
            f"Snapshot {zip_path} is onvolledig: {exc}.", f"Snapshot {zip_path} is incomplete: {exc}."
        ) from exc
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:  # CRC error, bad stream
        raise _error(
            f"Snapshot {zip_path} is beschadigd: {name!r} is niet uit te pakken ({exc}). Niets geïmporteerd.",
            f"Snapshot {zip_path} is damaged: {name!r} cannot be unpacked ({exc}). Nothing imported.",
        ) from exc
    return h.hexdigest(), size, (bytes(kept) if kept is not None else None)


def _member_bytes(zf: zipfile.ZipFile, name: str, budget: list[int], zip_path: Path) -> tuple[str, bytes]:
    """(sha256, bytes) of a small JSON member kept in memory (capped at ``_MAX_JSON``)."""
    sha, _, kept = _stream_member(zf, name, None, budget, zip_path, cap=_MAX_JSON)
    return sha, kept or b""


def _parquet_rows(path: Path) -> int | None:
    """Row count from the Parquet footer (None if the file is not Parquet). Reads only the footer."""
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path).num_rows
    except (OSError, ValueError):  # pyarrow.ArrowInvalid is a ValueError
        return None


def import_snapshot(
    zip_path: str | os.PathLike, *, overwrite_newer: bool = False, limits: SnapshotLimits = UPLOAD_LIMITS
) -> ImportReport:
    """Import a snapshot made by :func:`export_snapshot`. Validates everything before writing to the cache.

    Rejected with CacheError (cache untouched): larger than ``limits`` (see the module docstring), not a zip,
    no ``snapshot.json``, another format version, a member name with ``..``/absolute path, a file whose
    sha256 does not match, a data file that is no Parquet or has another row count than its manifest, a
    member the listing does not name. Each entry is then moved in like :func:`data.cache.put` (data file
    first, manifest last). An existing entry that was fetched later than the snapshot's copy is kept unless
    ``overwrite_newer``.
    """
    zip_path = Path(zip_path)
    try:
        size = zip_path.stat().st_size
    except OSError as exc:
        raise _error(
            f"Snapshot {zip_path} is niet te lezen ({exc}).", f"Snapshot {zip_path} cannot be read ({exc})."
        ) from exc
    if size > limits.max_compressed:
        raise _error(
            f"Snapshot {zip_path} is {_mb(size)}; de grens is {_mb(limits.max_compressed)}. Niets geïmporteerd.",
            f"Snapshot {zip_path} is {_mb(size)}; the limit is {_mb(limits.max_compressed)}. Nothing imported.",
        )
    try:
        zf = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise _error(
            f"Snapshot {zip_path} is geen leesbaar zip-bestand ({exc}). Maak een nieuwe met "
            "`python -m data export-snapshot`.",
            f"Snapshot {zip_path} is not a readable zip file ({exc}). Make a new one with "
            "`python -m data export-snapshot`.",
        ) from exc
    root = cache.cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".snapshot-staging-", dir=root))
    except OSError as exc:
        zf.close()
        raise _error(
            f"De cache {root} is niet schrijfbaar ({exc.strerror}); niets geïmporteerd. Importeer op de "
            "machine die de gedeelde cache voorbereidt.",
            f"The cache {root} is not writable ({exc.strerror}); nothing imported. Import on the machine "
            "that prepares the shared cache.",
        ) from exc
    try:
        with zf:
            staged = _validate_and_stage(zf, zip_path, limits, staging)
        return _move_in(staged, staging, overwrite_newer)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _validate_and_stage(
    zf: zipfile.ZipFile, zip_path: Path, limits: SnapshotLimits, staging: Path
) -> list[tuple[str, dict, str, bytes, list]]:
    _check_archive(zf, zip_path, limits)
    names = set(zf.namelist())
    if SNAPSHOT_MANIFEST not in names:
        raise _error(
            f"{zip_path} is geen Stapelkaart-snapshot ({SNAPSHOT_MANIFEST} ontbreekt).",
            f"{zip_path} is not a Stapelkaart snapshot ({SNAPSHOT_MANIFEST} is missing).",
        )
    budget = [limits.max_unpacked]
    entries = _snapshot_entries(zf, zip_path, budget)
    _check_entry_names(entries, names, zip_path)
    return [_stage_entry(zf, zip_path, item, n, staging, budget) for n, item in enumerate(entries)]


def _snapshot_entries(zf: zipfile.ZipFile, zip_path: Path, budget: list[int]) -> list[dict]:
    """The entry list of the snapshot manifest, after checking it is readable and of this format version."""
    _, raw = _member_bytes(zf, SNAPSHOT_MANIFEST, budget, zip_path)
    try:
        snap = json.loads(raw)
    except ValueError as exc:
        raise _error(
            f"{SNAPSHOT_MANIFEST} in {zip_path} is onleesbaar ({exc}).",
            f"{SNAPSHOT_MANIFEST} in {zip_path} is unreadable ({exc}).",
        ) from exc
    version = snap.get("format_version") if isinstance(snap, dict) else None
    if version != cache.FORMAT_VERSION:
        app = snap.get("app_version") if isinstance(snap, dict) else "?"
        raise _error(
            f"Snapshot {zip_path} heeft formaatversie {version!r} (app {app}); deze Stapelkaart leest alleen "
            f"versie {cache.FORMAT_VERSION}. Maak de snapshot opnieuw met deze versie; de bestaande cache is niet "
            "gewijzigd.",
            f"Snapshot {zip_path} has format version {version!r}; this Stapelkaart reads only version "
            f"{cache.FORMAT_VERSION}. Re-create the snapshot with this version; the existing cache was not changed.",
        )
    entries = snap.get("entries") or []
    if not isinstance(entries, list) or not all(isinstance(i, dict) for i in entries):
        raise _error(
            f"Snapshot {zip_path}: de lijst met items is ongeldig. Niets geïmporteerd.",
            f"Snapshot {zip_path}: the list of entries is invalid. Nothing imported.",
        )
    return entries


def _check_entry_names(entries: list[dict], names: set[str], zip_path: Path) -> None:
    """Refuse unsafe or unknown member names, bad version lists and an entry named twice."""
    allowed = {SNAPSHOT_MANIFEST}
    for item in entries:
        slug, data_file = str(item.get("slug", "")), str(item.get("data_file", ""))
        if _bad_member(slug) or "/" in slug or _bad_member(data_file) or "/" in data_file:
            raise _error(
                f"Snapshot {zip_path} geweigerd: ongeldige naam {slug!r}/{data_file!r}.",
                f"Snapshot {zip_path} rejected: invalid name {slug!r}/{data_file!r}.",
            )
        allowed.update({f"entries/{slug}/{cache.MANIFEST}", f"entries/{slug}/{data_file}"})
        kept = item.get("versions") or []
        if (
            not isinstance(kept, list)
            or not all(isinstance(v, dict) for v in kept)
            or any(
                not cache._version_file(str(v.get("file", ""))[len(cache.VERSION_PREFIX) : -len(".json")])
                or not str(v.get("file", "")).startswith(cache.VERSION_PREFIX)
                or _bad_member(str(v.get("data_file", "")))
                or "/" in str(v.get("data_file", ""))
                for v in kept
            )
        ):
            raise _error(
                f"Snapshot {zip_path} geweigerd: ongeldige versielijst bij {slug!r}.",
                f"Snapshot {zip_path} rejected: invalid list of versions for {slug!r}.",
            )
        allowed.update(f"entries/{slug}/{v[k]}" for v in kept for k in ("file", "data_file"))
    extra = sorted(names - allowed)
    if extra:
        raise _error(
            f"Snapshot {zip_path} bevat onbekende bestanden, o.a. {extra[0]!r}.",
            f"Snapshot {zip_path} contains unknown files, e.g. {extra[0]!r}.",
        )
    if len({str(i.get("slug")) for i in entries}) != len(entries):
        raise _error(
            f"Snapshot {zip_path} noemt een item twee keer. Niets geïmporteerd.",
            f"Snapshot {zip_path} names an entry twice. Nothing imported.",
        )


def _stage_entry(
    zf: zipfile.ZipFile, zip_path: Path, item: dict, n: int, staging: Path, budget: list[int]
) -> tuple[str, dict, str, bytes, list]:
    """Check one entry (manifest, checksums, key, Parquet rows) and stage its data file and kept versions."""
    slug, data_file = str(item["slug"]), str(item["data_file"])
    mname, dname = f"entries/{slug}/{cache.MANIFEST}", f"entries/{slug}/{data_file}"
    msha, mbytes = _member_bytes(zf, mname, budget, zip_path)
    try:
        manifest = json.loads(mbytes)
        if not isinstance(manifest, dict):
            raise ValueError("manifest is geen object")
    except ValueError as exc:
        raise _error(
            f"Snapshot {zip_path}: manifest van {slug} is onleesbaar ({exc}).",
            f"Snapshot {zip_path}: manifest of {slug} is unreadable ({exc}).",
        ) from exc
    target = staging / f"{n}-{data_file}"
    dsha, dsize, _ = _stream_member(zf, dname, target, budget, zip_path)
    if (
        dsha != item.get("sha256")
        or dsha != manifest.get("sha256")
        or dsize != manifest.get("size")
        or msha != item.get("manifest_sha256")
        or manifest.get("data_file") != data_file
        or manifest.get("format_version") != cache.FORMAT_VERSION
    ):
        raise _error(
            f"Snapshot {zip_path} is beschadigd: controlesom van {slug} klopt niet. Niets geïmporteerd.",
            f"Snapshot {zip_path} is damaged: checksum of {slug} does not match. Nothing imported.",
        )
    try:
        key = cache.CacheKey.from_json(manifest["key"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _error(
            f"Snapshot {zip_path}: item {slug} heeft geen geldige sleutel.",
            f"Snapshot {zip_path}: entry {slug} has no valid key.",
        ) from exc
    if key.slug != slug:
        raise _error(
            f"Snapshot {zip_path}: item {slug} hoort bij sleutel {key.slug}.",
            f"Snapshot {zip_path}: entry {slug} belongs to key {key.slug}.",
        )
    rows = _parquet_rows(target)
    if rows is None or rows != manifest.get("rows"):
        raise _error(
            f"Snapshot {zip_path}: databestand van {slug} is geen geldig Parquet-bestand met "
            f"{manifest.get('rows')} rijen. Niets geïmporteerd.",
            f"Snapshot {zip_path}: the data file of {slug} is not a valid Parquet file with "
            f"{manifest.get('rows')} rows. Nothing imported.",
        )
    return (
        slug,
        manifest,
        target.name,
        mbytes,
        _stage_versions(zf, zip_path, item, manifest, staging, n, target.name, budget),
    )


def _stage_versions(
    zf, zip_path: Path, item: dict, manifest: dict, staging: Path, n: int, current_staged: str, budget: list[int]
) -> list[tuple[str, bytes, str, str]]:
    """Check and stage the kept versions of one entry: (version file, its bytes, data file, staged name)."""
    slug = str(item["slug"])
    staged_data = {manifest["data_file"]: current_staged}
    out = []
    for m, v in enumerate(item.get("versions") or []):
        vfile, data_file = str(v["file"]), str(v["data_file"])
        vsha, vbytes = _member_bytes(zf, f"entries/{slug}/{vfile}", budget, zip_path)
        try:
            vman = json.loads(vbytes)
        except ValueError as exc:
            raise _error(
                f"Snapshot {zip_path}: {vfile} van {slug} is onleesbaar ({exc}).",
                f"Snapshot {zip_path}: {vfile} of {slug} is unreadable ({exc}).",
            ) from exc
        if data_file not in staged_data:
            target = staging / f"{n}-v{m}-{data_file}"
            dsha, dsize, _ = _stream_member(zf, f"entries/{slug}/{data_file}", target, budget, zip_path)
            if dsha != vman.get("sha256") or dsize != vman.get("size") or _parquet_rows(target) != vman.get("rows"):
                raise _error(
                    f"Snapshot {zip_path} is beschadigd: versie {vfile} van {slug} klopt niet. Niets geïmporteerd.",
                    f"Snapshot {zip_path} is damaged: version {vfile} of {slug} does not match. Nothing imported.",
                )
            staged_data[data_file] = target.name
        if (
            vsha != v.get("manifest_sha256")
            or vman.get("sha256") != v.get("sha256")
            or vman.get("data_file") != data_file
            or vman.get("key") != manifest.get("key")
        ):
            raise _error(
                f"Snapshot {zip_path} is beschadigd: versie {vfile} van {slug} klopt niet. Niets geïmporteerd.",
                f"Snapshot {zip_path} is damaged: version {vfile} of {slug} does not match. Nothing imported.",
            )
        out.append((vfile, vbytes, data_file, staged_data[data_file]))
    return out


def _move_in(staged: list[tuple[str, dict, str, bytes, list]], staging: Path, overwrite_newer: bool) -> ImportReport:
    report = ImportReport()
    root = cache._entries_dir()
    for slug, manifest, staged_name, mbytes, kept in staged:
        path = root / slug
        existing = cache._check_entry(path) if path.exists() else None
        if (
            existing is not None
            and existing.status == "ok"
            and not overwrite_newer
            and str(existing.manifest.get("fetched_at", "")) > str(manifest.get("fetched_at", ""))
        ):
            report.skipped.append((slug, "bestaand item is nieuwer"))
            continue
        path.mkdir(parents=True, exist_ok=True)
        previous = cache._previous_data_file(path)
        data_file = manifest["data_file"]
        for vfile, vbytes, vdata, vstaged in kept:  # kept versions first: data file, then its record
            if vdata == data_file:
                continue  # written after the current data file, below
            if (staging / vstaged).exists():  # a data file shared by two versions is moved once
                os.replace(staging / vstaged, path / vdata)
            cache.atomic_write_bytes(path / vfile, vbytes)
        src = staging / staged_name
        with open(src, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(src, path / data_file)  # same file system: the staging dir is inside the cache root
        for vfile, vbytes, vdata, _ in kept:
            if vdata == data_file:
                cache.atomic_write_bytes(path / vfile, vbytes)
        cache._fsync_dir(path)
        cache.atomic_write_bytes(path / cache.MANIFEST, mbytes)
        cache._remove_stale_files(path, keep={data_file, previous} - {None})
        report.imported.append(slug)
    return report


__all__ = [
    "SNAPSHOT_MANIFEST",
    "UPLOAD_LIMITS",
    "UPLOAD_LIMIT_BYTES",
    "ImportReport",
    "SnapshotLimits",
    "export_snapshot",
    "import_snapshot",
]
