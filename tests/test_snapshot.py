"""data.snapshot limits and data.userfiles caps: bombs are refused without filling memory or touching the cache.

Each bomb is built on disk by streaming (never as one bytes object), and the import/read runs under
tracemalloc: the peak of Python allocations must stay far below what the bomb would unpack to. The 55,000-row
XLSX is read in a fresh Python whose peak resident memory is measured instead (all allocations; see
``_READ_PEAK_RSS``).
"""

from __future__ import annotations

import hashlib
import io
import os
import tomllib
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.errors import CacheError, UserFileError
from data import cache, snapshot, userfiles

REPO = Path(__file__).resolve().parents[1]
KEY = cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479"])
MB = 2**20


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"code": ["WK047912", "WK047913"], "aantal_inwoners": [8665.0, np.nan]})


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its sha256: the cache's exact state."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _zip(path: Path, members) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, size, rnd in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as out:
                rng = np.random.default_rng(0)
                left = size
                while left > 0:
                    n = min(50 * 1024, left)
                    chunk = bytearray(n)
                    if rnd:
                        chunk[:rnd] = rng.bytes(min(rnd, n))
                    out.write(chunk)
                    left -= n
    return path


@pytest.fixture
def warm(cache_dir, tmp_path):
    """A cache with one real entry, its exact file tree, and a valid snapshot of it."""
    cache.put(KEY, _frame(), {"table_id": "85984NED"})
    snap = tmp_path / "good.zip"
    snapshot.export_snapshot(snap)
    return cache_dir, _tree(cache_dir), snap


def _import_measured(path: Path) -> tuple[BaseException | None, int]:
    tracemalloc.start()
    try:
        snapshot.import_snapshot(path)
    except CacheError as exc:
        err = exc
    else:
        err = None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return err, peak


def _assert_untouched(root: Path, before: dict[str, str]) -> None:
    assert _tree(root) == before, "a refused snapshot changed the cache"
    assert not list(root.glob(".snapshot-staging-*")), "staging directory left behind"


def test_upload_limit_is_the_streamlit_upload_limit():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * MB == snapshot.UPLOAD_LIMIT_BYTES
    assert snapshot.UPLOAD_LIMITS.max_unpacked == 10 * snapshot.UPLOAD_LIMIT_BYTES


def test_valid_snapshot_still_imports_into_an_empty_cache(warm, tmp_path, monkeypatch):
    _, _, snap = warm
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "other"))
    report = snapshot.import_snapshot(snap)
    assert report.imported == [KEY.slug]
    got, _ = cache.get(KEY)
    pd.testing.assert_frame_equal(got, _frame())
    assert not list((tmp_path / "other").glob(".snapshot-staging-*"))


def test_ratio_bomb_is_refused_from_the_directory_without_unpacking(warm, tmp_path):
    root, before, _ = warm
    bomb = _zip(tmp_path / "ratio.zip", [("snapshot.json", 2, 0), ("entries/x/data-0.parquet", 60 * MB, 0)])
    assert bomb.stat().st_size < MB  # 60 MB of zeros in well under 1 MB
    err, peak = _import_measured(bomb)
    assert err is not None and "zip-bom" in err.message and "zip bomb" in err.message_en
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB while refusing a 60 MB ratio bomb"
    _assert_untouched(root, before)


@pytest.mark.slow
def test_size_bomb_under_the_ratio_cap_is_refused_by_total_unpacked_size(warm, tmp_path):
    root, before, _ = warm
    members = [("snapshot.json", 2, 0)] + [(f"entries/x{i}/data-0.parquet", 55 * MB, 1024) for i in range(4)]
    bomb = _zip(tmp_path / "size.zip", members)
    assert bomb.stat().st_size < snapshot.UPLOAD_LIMIT_BYTES  # passes the upload limit ...
    with zipfile.ZipFile(bomb) as zf:  # ... and the per-member ratio cap
        assert max(i.file_size / i.compress_size for i in zf.infolist() if i.file_size > MB) < 100
    err, peak = _import_measured(bomb)
    assert err is not None and "pakt uit tot 220 MB" in err.message and "200 MB" in err.message
    assert peak < 8 * MB
    _assert_untouched(root, before)


def test_too_many_members_are_refused(warm, tmp_path):
    root, before, _ = warm
    bomb = tmp_path / "many.zip"
    with zipfile.ZipFile(bomb, "w") as zf:
        for i in range(snapshot.UPLOAD_LIMITS.max_members + 1):
            zf.writestr(f"entries/e{i}/manifest.json", b"{}")
    err, _peak = _import_measured(bomb)
    assert err is not None and f"de grens is {snapshot.UPLOAD_LIMITS.max_members}" in err.message
    _assert_untouched(root, before)


def test_a_zip_over_the_upload_limit_is_refused_before_it_is_opened(warm, tmp_path):
    root, before, _ = warm
    big = tmp_path / "big.zip"
    with open(big, "wb") as fh:
        fh.truncate(snapshot.UPLOAD_LIMIT_BYTES + 1)  # sparse: no disk or memory used
    err, _ = _import_measured(big)
    assert err is not None and "de grens is 20 MB" in err.message and "geen leesbaar zip" not in err.message
    _assert_untouched(root, before)


@pytest.mark.slow
def test_a_large_forged_data_file_is_streamed_not_read_whole(warm, tmp_path):
    """A snapshot that passes every size check but whose 150 MB data file was swapped: it is hashed while
    streamed to a staging file (peak memory stays at a few chunks), refused on the checksum, cache untouched."""
    root, before, good = warm
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(forged, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename.endswith(".parquet"):
                info = zipfile.ZipInfo(item.filename)
                info.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(info, "w", force_zip64=True) as out:
                    rng = np.random.default_rng(1)
                    for _ in range(150 * MB // (50 * 1024)):
                        chunk = bytearray(50 * 1024)
                        chunk[:1024] = rng.bytes(1024)
                        out.write(chunk)
            else:
                dst.writestr(item, src.read(item))
    assert forged.stat().st_size < snapshot.UPLOAD_LIMIT_BYTES
    err, peak = _import_measured(forged)
    assert err is not None and "controlesom" in err.message
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB while streaming a 150 MB member"
    _assert_untouched(root, before)


def test_a_data_file_that_is_not_parquet_is_refused_even_with_matching_checksums(warm, tmp_path):
    """A forged snapshot whose checksums are all recomputed for junk content still does not enter the cache."""
    import json

    root, before, good = warm
    junk = b"not parquet at all" * 10
    forged = tmp_path / "junk.zip"
    with zipfile.ZipFile(good) as src:
        snap = json.loads(src.read("snapshot.json"))
        item = snap["entries"][0]
        mname = f"entries/{item['slug']}/manifest.json"
        manifest = json.loads(src.read(mname))
        sha = hashlib.sha256(junk).hexdigest()
        manifest.update(sha256=sha, size=len(junk))
        mbytes = json.dumps(manifest).encode()
        item.update(sha256=sha, manifest_sha256=hashlib.sha256(mbytes).hexdigest())
        with zipfile.ZipFile(forged, "w") as dst:
            dst.writestr(mname, mbytes)
            dst.writestr(f"entries/{item['slug']}/{item['data_file']}", junk)
            dst.writestr("snapshot.json", json.dumps(snap))
    with pytest.raises(CacheError, match="geen geldig Parquet"):
        snapshot.import_snapshot(forged)
    _assert_untouched(root, before)


def test_cli_max_mb_raises_the_limit(warm, tmp_path):
    assert snapshot.SnapshotLimits.for_megabytes(50).max_compressed == 50 * MB
    assert snapshot.SnapshotLimits.for_megabytes(50).max_unpacked == 500 * MB


# --------------------------------------------------------------------------------------------- XLSX/CSV
def _xlsx(rows: int, cols: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["code"] + [f"v{c}" for c in range(1, cols)])
    for r in range(rows - 1):
        ws.append([f"WK{r:06d}"] + [r % 97] * (cols - 1))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_text(rows: int, cols: int) -> bytes:
    """The workbook ``_xlsx(rows, cols)`` writes, its sheet's rows written as text: openpyxl's write-only mode
    spends 4 s of CPU on 55,000 rows. The other members are openpyxl's own (a header-only workbook)."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(2, cols + 1)]
    rows_xml = "".join(
        f'<row r="{r + 2}"><c r="A{r + 2}" t="inlineStr"><is><t>WK{r:06d}</t></is></c>'
        + "".join(f'<c r="{x}{r + 2}" t="n"><v>{r % 97}</v></c>' for x in letters)
        + "</row>"
        for r in range(rows - 1)
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx(1, cols))) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</row></sheetData>", b"</row>" + rows_xml.encode() + b"</sheetData>")
            dst.writestr(item, body)
    return buf.getvalue()


def _sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


#: In a fresh Python, with userfiles and openpyxl imported and the file in memory, the growth of the process's
#: peak resident memory (VmHWM, reset to the current size through /proc/self/clear_refs) over one refused read.
#: It counts every allocation, Python's and C's, so it is at least what tracemalloc's peak of Python allocations
#: would be, without tracemalloc's cost on each of the read's 13 million calls (22 s of CPU for this read).
_READ_PEAK_RSS = """
import json, sys
import openpyxl  # the read imports it: loaded before the baseline
from core.errors import UserFileError
from data import userfiles

def kb(field):
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) for ln in fh if ln.startswith(field + ":"))

data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
base = kb("VmRSS")
try:
    userfiles.load_indicator_file(data, filename=sys.argv[2])
except UserFileError as exc:
    print(json.dumps({"message": exc.message, "message_en": exc.message_en, "peak": (kb("VmHWM") - base) * 1024}))
"""


def _read_peak_rss(data: bytes, name: str, tmp_path: Path) -> tuple[dict, int]:
    """The refusal (message, message_en) and the peak memory growth of reading ``data`` in a fresh Python."""
    import json
    import subprocess
    import sys

    path = tmp_path / name
    path.write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "-c", _READ_PEAK_RSS, str(path), name],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = json.loads(proc.stdout)  # no output: the read was not refused
    return out, out["peak"]


def _read_measured(data: bytes, name: str) -> tuple[UserFileError, int]:
    tracemalloc.start()
    try:
        with pytest.raises(UserFileError) as info:
            userfiles.load_indicator_file(data, filename=name)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return info.value, peak


@pytest.mark.slow
def test_xlsx_with_too_many_rows_is_refused_with_the_cap_named(tmp_path):
    assert _sheet_xml(_xlsx_text(300, 3)) == _sheet_xml(_xlsx(300, 3))  # the same workbook openpyxl writes
    data = _xlsx_text(userfiles.MAX_ROWS + 5_000, 2)
    assert len(data) < userfiles.MAX_BYTES
    err, peak = _read_peak_rss(data, "lang.xlsx", tmp_path)
    assert "meer dan 50\u202f000 rijen" in err["message"] and "more than 50,000 rows" in err["message_en"]
    assert peak < 64 * MB, f"peak {peak / MB:.1f} MB while refusing a {userfiles.MAX_ROWS + 5_000}-row XLSX"


def test_xlsx_with_too_many_columns_is_refused_with_the_cap_named():
    err, _ = _read_measured(_xlsx(3, userfiles.MAX_COLUMNS + 1), "breed.xlsx")
    assert f"rij 1 heeft {userfiles.MAX_COLUMNS + 1} kolommen; de grens is {userfiles.MAX_COLUMNS}" in err.message


def test_xlsx_zip_bomb_is_refused_before_openpyxl_parses_it(tmp_path):
    bomb = _zip(tmp_path / "bomb.xlsx", [("[Content_Types].xml", 10, 0), ("xl/sharedStrings.xml", 150 * MB, 0)])
    data = bomb.read_bytes()
    assert len(data) < userfiles.MAX_BYTES
    err, peak = _read_measured(data, "bom.xlsx")
    assert "pakt uit tot 157 MB" in err.message and "sharedStrings" in err.message
    assert peak < 8 * MB


def test_csv_with_too_many_rows_is_refused():
    text = "code;waarde\n" + "".join(f"WK{r:06d};1\n" for r in range(userfiles.MAX_ROWS + 1))
    err, _ = _read_measured(text.encode(), "lang.csv")
    assert "meer dan 50\u202f000 rijen" in err.message


def test_the_real_cbs_xlsx_is_within_the_caps():
    path = REPO.parent / "shared" / "data" / "income" / "cbs_maatwerk_inkomen_per_gemeente_en_wijk_2020_wb2023.xlsx"
    if not path.exists():
        pytest.skip("../shared/data is absent")
    uf = userfiles.load_indicator_file(path, unknown_codes="skip")
    assert len(uf.frame) > 3000


def test_defusedxml_is_installed_and_used_by_openpyxl():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML, "openpyxl recommends defusedxml against XML bombs; it must be installed"
    assert os.environ.get("OPENPYXL_DEFUSEDXML", "True") == "True"


def test_import_into_a_read_only_cache_is_a_clear_error(warm, tmp_path, monkeypatch):
    _, _, snap = warm
    ro = tmp_path / "ro"
    ro.mkdir()
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(ro))
    if os.geteuid() == 0:  # root ignores permissions: simulate with a file in the way
        monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "afile" / "cache"))
        (tmp_path / "afile").write_text("x")
    else:
        ro.chmod(0o500)
    try:
        with pytest.raises(CacheError, match="niet schrijfbaar"):
            snapshot.import_snapshot(snap)
    finally:
        ro.chmod(0o700)
