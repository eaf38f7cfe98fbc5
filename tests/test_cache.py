"""data.cache: round trips, integrity checks, interrupted writes, snapshots."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from core.errors import CacheError, StorageError
from data import cache, snapshot

REPO = Path(__file__).resolve().parents[1]
KEY = cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479", "GM0363"])


def sample_frame(n: int = 5, value: float = 1.0) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "code": [f"WK0479{i:02d}" for i in range(n)],
            "name": ["Poelenburg", None] + ["x"] * (n - 2),
            "aantal_inwoners": np.arange(n, dtype="float64") * value,
        }
    )
    frame.loc[1, "aantal_inwoners"] = np.nan
    frame.attrs["columns"] = {"aantal_inwoners": {"key": "AantalInwoners_5", "title": "Aantal inwoners"}}
    frame.attrs["source"] = {"table_id": "85984NED", "year": 2024}
    return frame


def test_key_normalises_order_and_national():
    assert cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479", "GM0363", "GM0479"]) == KEY
    assert KEY.gemeenten == ("GM0363", "GM0479")
    assert KEY.slug == "kwb-2024-wijk-GM0363+GM0479"
    nl = cache.CacheKey.make("kwb", 2024, "wijk", None)
    assert nl.gemeenten == "NL" and cache.CacheKey.make("kwb", 2024, "wijk", []) == nl
    many = cache.CacheKey.make("kwb", 2024, "wijk", [f"GM{i:04d}" for i in range(40)])
    assert len(many.slug) < 60
    assert cache.CacheKey.from_json(KEY.to_json()) == KEY


def test_cache_dir_from_env(cache_dir, monkeypatch):
    assert cache.cache_dir() == cache_dir
    monkeypatch.delenv("STAPELKAART_CACHE_DIR")
    assert cache.cache_dir().name == "stapelkaart"


def test_round_trip_with_manifest(cache_dir):
    assert cache.get(KEY) is None
    frame = sample_frame()
    man = cache.put(
        KEY, frame, {"source_url": "http://x/TypedDataSet", "table_id": "85984NED", "modified": "2025-03-27T02:00:00"}
    )
    got, manifest = cache.get(KEY)
    pd.testing.assert_frame_equal(got, frame)
    assert got.attrs == frame.attrs
    assert np.isnan(got.loc[1, "aantal_inwoners"]) and pd.isna(got.loc[1, "name"])
    for field in (
        "format_version",
        "source_url",
        "table_id",
        "modified",
        "fetched_at",
        "rows",
        "columns",
        "crs",
        "sha256",
    ):
        assert field in manifest, field
    assert manifest == man
    assert manifest["rows"] == 5 and manifest["table_id"] == "85984NED"
    assert manifest["columns"]["aantal_inwoners"]["key"] == "AantalInwoners_5"
    assert 0 <= cache.age_days(manifest) < 0.01
    entries = cache.list_entries()
    assert [(e.slug, e.status) for e in entries] == [(KEY.slug, "ok")]
    assert entries[0].key == KEY


def test_geodataframe_round_trip_keeps_crs(cache_dir):
    gdf = gpd.GeoDataFrame({"code": ["WK047912"]}, geometry=[Point(116000, 500000).buffer(10)], crs="EPSG:28992")
    key = cache.CacheKey.make("boundaries", 2024, "wijk", ["GM0479"])
    man = cache.put(key, gdf, {"source_url": "pdok"})
    got, _ = cache.get(key)
    assert isinstance(got, gpd.GeoDataFrame)
    assert got.crs.to_epsg() == 28992 and man["crs"] == "EPSG:28992" and man["geo"] is True
    assert got.geometry.iloc[0].equals(gdf.geometry.iloc[0])


def test_age_from_fetched_at(cache_dir):
    cache.put(KEY, sample_frame(), {"fetched_at": "2020-01-01T00:00:00+00:00"})
    assert cache.age_days(cache.get(KEY)[1]) > 365 * 4


def test_tampered_data_file_is_absent_and_reported(cache_dir, caplog):
    man = cache.put(KEY, sample_frame())
    data = cache_dir / "entries" / KEY.slug / man["data_file"]
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    data.write_bytes(bytes(raw))
    assert cache.get(KEY) is None
    assert "sha256" in caplog.text
    assert cache.list_entries()[0].status == "corrupt"
    assert cache.list_entries(include_broken=False) == []


def test_truncated_data_file_is_absent(cache_dir):
    man = cache.put(KEY, sample_frame())
    data = cache_dir / "entries" / KEY.slug / man["data_file"]
    data.write_bytes(data.read_bytes()[:100])
    assert cache.get(KEY) is None
    assert "bytes" in cache.list_entries()[0].problem


def test_missing_manifest_is_absent(cache_dir):
    cache.put(KEY, sample_frame())
    (cache_dir / "entries" / KEY.slug / "manifest.json").unlink()
    assert cache.get(KEY) is None
    assert cache.list_entries()[0].status == "incomplete"


def test_error_inside_writer_keeps_old_entry(cache_dir, monkeypatch):
    cache.put(KEY, sample_frame(value=1.0))
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("manifest.json"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(cache.os, "replace", failing_replace)
    with pytest.raises(StorageError, match="de schijf is vol") as info:  # a full disk is said plainly (issue 22)
        cache.put(KEY, sample_frame(value=2.0))
    assert info.value.errno == 28 and isinstance(info.value.__cause__, OSError)
    monkeypatch.setattr(cache.os, "replace", real_replace)
    got, _ = cache.get(KEY)
    assert got["aantal_inwoners"].iloc[2] == 2.0 * 1  # value=1.0 frame: 0,nan,2,3,4
    assert not [p for p in (cache_dir / "entries" / KEY.slug).iterdir() if p.name.startswith(".tmp-")]


def test_error_inside_first_write_leaves_no_entry(cache_dir, monkeypatch):
    monkeypatch.setattr(cache.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError):
        cache.put(KEY, sample_frame())
    monkeypatch.undo()
    assert cache.get(KEY) is None


def test_killed_writer_never_leaves_a_corrupt_entry(cache_dir):
    """SIGKILL a process that keeps rewriting an entry; whatever is on disk is intact or absent."""
    script = textwrap.dedent(f"""
        import sys, numpy as np, pandas as pd
        sys.path.insert(0, {str(REPO)!r})
        from data import cache
        key = cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479"])
        i = 0
        while True:
            i += 1
            frame = pd.DataFrame({{"v": np.full(200_000, float(i))}})
            cache.put(key, frame, {{"source_url": str(i)}})
            print(i, flush=True)
    """)
    key = cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479"])
    env = dict(os.environ, STAPELKAART_CACHE_DIR=str(cache_dir))
    for delay in (0.03, 0.11, 0.23, 0.37):
        proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE)
        assert proc.stdout.readline(), "writer did not complete a first put"  # imports done, writing now
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        hit = cache.get(key)
        assert hit is not None, "a complete earlier entry must survive a kill during a later write"
        frame, manifest = hit
        assert frame["v"].nunique() == 1
        assert float(frame["v"].iloc[0]) == float(manifest["source_url"])
        entries = cache.list_entries()
        assert [e.status for e in entries] == ["ok"], [(e.status, e.problem) for e in entries]


def test_snapshot_round_trip(cache_dir, tmp_path, monkeypatch):
    frame = sample_frame()
    cache.put(KEY, frame, {"table_id": "85984NED"})
    gkey = cache.CacheKey.make("boundaries", 2024, "wijk", ["GM0479"])
    cache.put(gkey, gpd.GeoDataFrame({"code": ["a"]}, geometry=[Point(1, 2)], crs="EPSG:28992"))
    snap = tmp_path / "snap.zip"
    assert sorted(snapshot.export_snapshot(snap)) == sorted([KEY.slug, gkey.slug])
    meta = json.loads(zipfile.ZipFile(snap).read("snapshot.json"))
    assert meta["format_version"] == cache.FORMAT_VERSION and meta["app_version"]

    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "other"))
    assert cache.get(KEY) is None
    report = snapshot.import_snapshot(snap)
    assert sorted(report.imported) == sorted([KEY.slug, gkey.slug])
    got, manifest = cache.get(KEY)
    pd.testing.assert_frame_equal(got, frame)
    assert manifest["table_id"] == "85984NED"
    assert cache.get(gkey)[0].crs.to_epsg() == 28992


def _rewrite_zip(src: Path, dst: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            data = change(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)


def test_snapshot_of_other_version_is_rejected_and_nothing_is_lost(cache_dir, tmp_path):
    cache.put(KEY, sample_frame())
    snap, bad = tmp_path / "snap.zip", tmp_path / "v99.zip"
    snapshot.export_snapshot(snap)

    def bump(name, data):
        if name == "snapshot.json":
            meta = json.loads(data)
            meta["format_version"] = 99
            return json.dumps(meta)
        return data

    _rewrite_zip(snap, bad, bump)
    before = cache.get(KEY)[1]
    with pytest.raises(CacheError) as info:
        snapshot.import_snapshot(bad)
    assert "formaatversie 99" in info.value.message and "version 99" in info.value.message_en
    assert cache.get(KEY)[1] == before


def test_snapshot_with_path_traversal_is_rejected(cache_dir, tmp_path):
    cache.put(KEY, sample_frame())
    snap, evil = tmp_path / "snap.zip", tmp_path / "evil.zip"
    snapshot.export_snapshot(snap)
    _rewrite_zip(snap, evil, lambda n, d: d)
    with zipfile.ZipFile(evil, "a") as zf:
        zf.writestr("../../escaped.txt", "x")
    with pytest.raises(CacheError, match="onveilige bestandsnaam"):
        snapshot.import_snapshot(evil)
    assert not (cache_dir.parent / "escaped.txt").exists()
    assert not (tmp_path / "escaped.txt").exists()


def test_snapshot_with_damaged_file_is_rejected(cache_dir, tmp_path, monkeypatch):
    cache.put(KEY, sample_frame())
    snap, damaged = tmp_path / "snap.zip", tmp_path / "damaged.zip"
    snapshot.export_snapshot(snap)
    _rewrite_zip(snap, damaged, lambda n, d: d[:-10] + b"0" * 10 if n.endswith(".parquet") else d)
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "other"))
    with pytest.raises(CacheError, match="controlesom"):
        snapshot.import_snapshot(damaged)
    assert cache.list_entries() == []


def test_not_a_zip_is_a_cache_error(cache_dir, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_text("no zip")
    with pytest.raises(CacheError, match="geen leesbaar zip"):
        snapshot.import_snapshot(junk)


def test_import_keeps_newer_existing_entry(cache_dir, tmp_path):
    cache.put(KEY, sample_frame(value=1.0), {"fetched_at": "2024-01-01T00:00:00+00:00"})
    snap = tmp_path / "old.zip"
    snapshot.export_snapshot(snap)
    cache.put(KEY, sample_frame(value=3.0))  # fetched now: newer than the snapshot's copy
    report = snapshot.import_snapshot(snap)
    assert report.imported == [] and report.skipped[0][0] == KEY.slug
    assert cache.get(KEY)[0]["aantal_inwoners"].iloc[2] == 6.0


def test_cache_and_snapshot_import_in_one_direction_only():
    """Issue 22: data.snapshot imports data.cache, never the other way (no lazy module __getattr__ shim)."""
    import ast

    tree = ast.parse(Path(cache.__file__).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {f"{node.module}.{a.name}" for a in node.names} | {str(node.module)}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    assert not {n for n in names if "snapshot" in n}, names
    assert "__getattr__" not in {f.name for f in tree.body if isinstance(f, ast.FunctionDef)}
    assert not hasattr(cache, "import_snapshot") and hasattr(snapshot, "import_snapshot")
