"""``python -m data`` end to end in a subprocess, against the emulator."""

from __future__ import annotations

import json
import socket
import zipfile

import pytest

from tests.helpers_cli import assert_one_line_error, run


def closed_port_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


def test_fetch_cold_then_warm_makes_zero_requests(mirror, cache_dir):
    cold = run("fetch", "--gemeente", "GM0479", "GM0363", "--year", "2024", "--level", "wijk", "buurt", "-q")
    assert cold.returncode == 0, cold.stderr
    assert "statistiek wijken    85984NED:   129 rijen" in cold.stdout
    assert "statistiek buurten   85984NED:     0 rijen" in cold.stdout and "geen buurtencijfers" in cold.stdout
    assert "129 vlakken" in cold.stdout
    assert len(mirror.requests("TypedDataSet")) == 2
    mirror.clear_requests()
    warm = run("fetch", "--gemeente", "GM0363", "GM0479", "--year", "2024", "--level", "wijk", "buurt", "-q")
    assert warm.returncode == 0, warm.stderr
    assert " 0 HTTP-verzoeken" in warm.stdout and "cache (" in warm.stdout
    assert mirror.requests() == []

    listing = run("list")
    assert "kwb-2024-wijk-GM0479: 19 rijen, 85984NED" in listing.stdout
    # one boundaries entry per gemeente since issue 22 (data.pdok_store.boundaries_key)
    assert "boundaries-2024-wijk-GM0363: 110 rijen" in listing.stdout
    assert "boundaries-2024-wijk-GM0479: 19 rijen" in listing.stdout


def test_unknown_gemeente_exit_2_one_line(mirror, cache_dir):
    line = assert_one_line_error(run("fetch", "--gemeente", "GM9999", "--year", "2024"), 2)
    assert "GM9999" in line and "bestaat niet in KWB 2024 (85984NED)" in line


def test_unknown_year_exit_2_one_line(mirror, cache_dir):
    line = assert_one_line_error(run("fetch", "--gemeente", "GM0479", "--year", "2030"), 2)
    assert "2019, 2020" in line


def test_no_network_no_cache_exit_3_one_line(cache_dir):
    url = closed_port_url()
    proc = run(
        "fetch",
        "--gemeente",
        "GM0479",
        "--year",
        "2024",
        STAPELKAART_CBS_URL=url,
        STAPELKAART_PDOK_URL=url,
        STAPELKAART_DATADERDEN_URL=url,
    )
    line = assert_one_line_error(proc, 3)
    assert url in line and "controleer de verbinding" in line.lower()


def test_no_network_with_warm_cache_uses_it(mirror, cache_dir):
    assert run("fetch", "--gemeente", "GM0479", "--year", "2024", "--level", "wijk", "-q").returncode == 0
    url = closed_port_url()
    proc = run(
        "fetch",
        "--gemeente",
        "GM0479",
        "--year",
        "2024",
        "--level",
        "wijk",
        "--refresh",
        "-q",
        STAPELKAART_CBS_URL=url,
        STAPELKAART_PDOK_URL=url,
        STAPELKAART_DATADERDEN_URL=url,
    )
    assert proc.returncode == 0, proc.stderr
    assert "VEROUDERDE cache" in proc.stdout and "19 rijen" in proc.stdout


def test_list_gemeenten(mirror, cache_dir):
    proc = run("list-gemeenten", "--year", "2024")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 342 and "GM0479  Zaanstad" in lines and "GM0363  Amsterdam" in lines


def test_snapshot_round_trip_and_rejection(mirror, cache_dir, tmp_path):
    assert run("fetch", "--gemeente", "GM0479", "--year", "2024", "--level", "wijk", "-q").returncode == 0
    snap = tmp_path / "snap.zip"
    exported = run("export-snapshot", str(snap))
    assert exported.returncode == 0 and snap.exists(), exported.stderr
    other = str(tmp_path / "other-cache")
    imported = run("import-snapshot", str(snap), STAPELKAART_CACHE_DIR=other)
    assert imported.returncode == 0, imported.stderr
    assert "kwb-2024-wijk-GM0479: 19 rijen" in run("list", STAPELKAART_CACHE_DIR=other).stdout

    bad = tmp_path / "v2.zip"
    with zipfile.ZipFile(snap) as zin, zipfile.ZipFile(bad, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "snapshot.json":
                meta = json.loads(data)
                meta["format_version"] = 2
                data = json.dumps(meta).encode()
            zout.writestr(name, data)
    line = assert_one_line_error(run("import-snapshot", str(bad), STAPELKAART_CACHE_DIR=other), 4)
    assert "formaatversie 2" in line


@pytest.mark.parametrize("lang,prefix", [("en", "error: ")])
def test_english_messages(mirror, cache_dir, lang, prefix):
    proc = run("--lang", lang, "fetch", "--gemeente", "GM9999", "--year", "2024")
    assert proc.returncode == 2 and proc.stderr.startswith(prefix + "Gemeente 'GM9999' does not exist")
