"""data.userstore (per-view imported files), data.admin (token gate), data.errorlog (error ids)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from pathlib import Path

import pandas as pd
import pytest

from core.errors import UserFileError, UserInputError
from data import admin, errorlog, userstore

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
INCOME_CSV = SHARED_DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
SMALL = b"regiocode,waarde\nGM0479,3.5\nGM0363,4\n"  # synthetic


def test_put_then_get_round_trips_the_values(cache_dir):
    digest = userstore.put(SMALL, "eigen.csv", year=2021)
    assert userstore.is_digest(digest) and userstore.exists(digest)
    uf = userstore.get(digest)
    assert uf.year == 2021 and uf.source == "eigen.csv"
    assert uf.frame.loc["GM0479", "waarde"] == 3.5 and uf.frame.loc["GM0363", "waarde"] == 4.0
    m = userstore.meta(digest)
    assert (m.filename, m.year, m.size) == ("eigen.csv", 2021, len(SMALL))
    assert (userstore.store_dir() / f"{digest}.bin").read_bytes() == SMALL
    assert userstore.store_dir().parent == cache_dir  # default: inside the cache dir


def test_digest_is_content_addressed(cache_dir):
    a = userstore.put(SMALL, "a.csv", year=2021)
    assert userstore.put(SMALL, "renamed.csv", year=2021) == a  # same bytes + year: same file
    assert userstore.meta(a).filename == "a.csv"  # first import's meta kept
    assert userstore.put(SMALL, "a.csv", year=2022) != a  # another year reads differently
    assert userstore.put(SMALL + b"GM0344,1\n", "a.csv", year=2021) != a
    unkeyed = hashlib.sha256(
        json.dumps({"unknown_codes": "skip", "year": 2021}, sort_keys=True).encode() + b"\0" + SMALL
    ).hexdigest()[:12]
    secret = (cache_dir / "server-secret").read_bytes().strip()  # generated on first use (no env)
    keyed = hmac.new(
        secret,
        json.dumps({"unknown_codes": "skip", "year": 2021}, sort_keys=True).encode() + b"\0" + SMALL,
        hashlib.sha256,
    ).hexdigest()[:12]
    assert a == keyed != unkeyed  # issue 22: keyed, so nobody computes a victim's files= link offline
    assert not userstore.exists(unkeyed)  # and the public sha256 of the bytes opens nothing


def test_real_cbs_income_file_is_stored_and_read_back_unchanged(cache_dir):
    if not INCOME_CSV.exists():
        pytest.skip("../shared/data is absent")
    from data.userfiles import load_indicator_file

    direct = load_indicator_file(INCOME_CSV, unknown_codes="skip")
    digest = userstore.put(INCOME_CSV.read_bytes(), INCOME_CSV.name)
    stored = userstore.get(digest)
    pd.testing.assert_frame_equal(stored.frame, direct.frame)
    assert stored.year == direct.year == 2020 and stored.mapping == direct.mapping


def test_invalid_file_is_refused_and_nothing_is_written(cache_dir):
    with pytest.raises(UserFileError):
        userstore.put(b"regiocode,x\nGM0479,1\nGM0363,2\nGM0479,3\n", "dubbel.csv", year=2021)
    assert not userstore.store_dir().exists() or list(userstore.store_dir().iterdir()) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "3fa9c2",
        "3FA9C2D41B07",
        "3fa9c2d41b07a",
        "../../etc/pa",
        "3fa9c2d41b0g",
        "[Klik](http://x)",
        "3fa9c2d41b07\n",
        None,
        123,
    ],
)
def test_malformed_digests_are_rejected(cache_dir, text):
    assert not userstore.is_digest(text)
    assert not userstore.exists(text)
    if isinstance(text, str):
        with pytest.raises(UserInputError):
            userstore.get(text)


def test_unknown_digest_is_a_clear_error(cache_dir):
    with pytest.raises(UserInputError, match="bestaat niet"):
        userstore.get("0123456789ab")


def test_tampered_bytes_are_refused(cache_dir):
    digest = userstore.put(SMALL, "eigen.csv", year=2021)
    (userstore.store_dir() / f"{digest}.bin").write_bytes(SMALL.replace(b"3.5", b"9.5"))
    with pytest.raises(UserFileError, match="gewijzigd of beschadigd"):
        userstore.get(digest)


def test_prefix_collision_is_refused_not_served(cache_dir):
    digest = userstore.put(SMALL, "eigen.csv", year=2021)
    meta_path = userstore.store_dir() / f"{digest}.json"
    meta = json.loads(meta_path.read_text())
    meta["sha256"] = digest + "0" * 52  # pretend another file owns this short digest
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(UserInputError, match="ander bestand"):
        userstore.put(SMALL, "eigen.csv", year=2021)


def test_parse_files_param_keeps_known_and_names_the_rest(cache_dir):
    a = userstore.put(SMALL, "a.csv", year=2021)
    b = userstore.put(SMALL, "b.csv", year=2022)
    good, bad = userstore.parse_files_param(f"{a},nope,{b},{a},0123456789ab,")
    assert good == [a, b] and bad == ["nope", "0123456789ab"]
    assert userstore.parse_files_param(None) == ([], [])


def test_defaults_need_admin(cache_dir):
    digest = userstore.put(SMALL, "eigen.csv", year=2021)
    assert userstore.default_files() == []
    with pytest.raises(PermissionError):
        userstore.set_default(digest, admin=False)
    assert userstore.default_files() == []
    assert userstore.set_default(digest, admin=True) == [digest]
    assert userstore.set_default(digest, admin=True) == [digest]  # idempotent
    assert userstore.default_files() == [digest]
    assert userstore.set_default(digest, on=False, admin=True) == []
    with pytest.raises(UserInputError):
        userstore.set_default("0123456789ab", admin=True)


def test_store_dir_can_be_set_apart_from_the_cache(cache_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("STAPELKAART_USERSTORE_DIR", str(tmp_path / "shared-store"))
    digest = userstore.put(SMALL, "eigen.csv", year=2021)
    assert (tmp_path / "shared-store" / f"{digest}.bin").exists()


# -------------------------------------------------------------------------------------------------- admin
def test_admin_off_without_token(monkeypatch):
    monkeypatch.delenv(admin.ENV, raising=False)
    assert not admin.admin_enabled()
    assert not admin.check_token("")
    assert not admin.check_token("anything-at-all-long-enough")
    assert admin.ENV in admin.how_to_enable("nl") and admin.ENV in admin.how_to_enable("en")


def test_admin_token_is_checked_exactly(monkeypatch):
    token = "een-geheim-van-genoeg-tekens"
    monkeypatch.setenv(admin.ENV, token)
    assert admin.admin_enabled()
    assert admin.check_token(token)
    for wrong in ("", token[:-1], token + "x", token.upper(), None, 1234):
        assert not admin.check_token(wrong)


def test_short_admin_token_keeps_admin_off(monkeypatch, caplog):
    monkeypatch.setenv(admin.ENV, "kort")
    with caplog.at_level(logging.WARNING):
        assert not admin.admin_enabled()
        assert not admin.check_token("kort")
    assert "korter dan" in caplog.text and "kort" not in caplog.text.replace("korter", "")


def test_admin_uses_constant_time_comparison():
    import inspect

    assert "hmac.compare_digest" in inspect.getsource(admin.check_token)


# ----------------------------------------------------------------------------------------------- errorlog
def test_unexpected_error_is_logged_with_traceback_and_id(caplog):
    def broken():
        return {}["WK047912"]

    try:
        broken()
    except KeyError as exc:
        with caplog.at_level(logging.ERROR, logger="stapelkaart.errors"):
            error_id = errorlog.log_unexpected(exc, context="kaart")
    assert re.fullmatch(r"[0-9a-f]{8}", error_id)
    record = next(r for r in caplog.records if error_id in r.getMessage())
    assert record.levelno == logging.ERROR and "(kaart): KeyError: 'WK047912'" in record.getMessage()
    assert record.exc_info is not None
    assert "in broken" in caplog.text and 'return {}["WK047912"]' in caplog.text  # the traceback itself
    assert error_id in errorlog.user_message(error_id, "nl") and error_id in errorlog.user_message(error_id, "en")


def test_error_ids_differ():
    assert len({errorlog.new_error_id() for _ in range(200)}) == 200


# --- issue 22: keyed digests, old links during the transition, imports that would do nothing ------------------


def _legacy_store(data: bytes, year: int) -> str:
    """A file as the code before keyed digests stored it: named by the unkeyed sha256, meta without "key"."""
    full = hashlib.sha256(
        json.dumps({"unknown_codes": "skip", "year": year}, sort_keys=True).encode() + b"\0" + data
    ).hexdigest()
    root = userstore.store_dir()
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{full[:12]}.bin").write_bytes(data)
    (root / f"{full[:12]}.json").write_text(
        json.dumps(
            {
                "sha256": full,
                "filename": "oud.csv",
                "year": year,
                "imported_at": "2026-01-01T00:00:00+00:00",
                "size": len(data),
            }
        )
    )
    return full[:12]


def test_the_secret_comes_from_the_environment_and_otherwise_is_kept(cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_SECRET", "a" * 40)
    with_env = userstore.put(SMALL, "a.csv", year=2021)
    assert (
        with_env
        == hmac.new(
            b"a" * 40,
            json.dumps({"unknown_codes": "skip", "year": 2021}, sort_keys=True).encode() + b"\0" + SMALL,
            hashlib.sha256,
        ).hexdigest()[:12]
    )
    assert not (cache_dir / "server-secret").exists()  # nothing written when the env sets it
    monkeypatch.delenv("STAPELKAART_SECRET")
    first = userstore.server_secret()
    assert len(first) == 64 and (cache_dir / "server-secret").read_bytes().strip() == first
    assert userstore.server_secret() == first  # kept: the same links tomorrow
    assert userstore.put(SMALL, "a.csv", year=2021) != with_env  # another secret, another name


def test_an_old_unkeyed_link_still_opens_during_the_transition_and_is_refused_after(cache_dir, monkeypatch):
    old = _legacy_store(SMALL, 2021)
    assert userstore.exists(old) and userstore.get(old).frame.loc["GM0479", "waarde"] == 3.5
    assert userstore.parse_files_param(old) == ([old], [])
    assert userstore.put(SMALL, "a.csv", year=2021) != old  # a new import gets a keyed name
    monkeypatch.setenv("STAPELKAART_LEGACY_FILE_LINKS", "0")
    assert not userstore.exists(old)
    with pytest.raises(UserInputError, match="Importeer het bestand opnieuw"):
        userstore.get(old)


def test_an_import_without_a_year_is_refused_with_the_fix_named(cache_dir):
    with pytest.raises(UserFileError) as exc:
        userstore.put(b"regiocode,voortijdig_schoolverlaten\nWK047912,3.5\n", "vsv.csv")
    assert "Jaar van de cijfers" in exc.value.message and "kolom 'jaar'" in exc.value.message
    assert "Year of the figures" in exc.value.message_en
    assert not userstore.store_dir().exists() or list(userstore.store_dir().glob("*.bin")) == []
    ok = userstore.put(b"regiocode,jaar,voortijdig_schoolverlaten\nWK047912,2022,3.5\n", "vsv.csv")
    assert userstore.get(ok).year == 2022  # a jaar column is enough


def test_a_file_with_no_code_in_the_view_is_refused_before_it_is_stored(cache_dir):
    view = ["GM0479", "WK047912", "WK047911"]
    with pytest.raises(UserFileError) as exc:
        userstore.put(SMALL.replace(b"GM0479", b"GM0014"), "elders.csv", year=2021, view_codes=view)
    assert "geen enkele code" in exc.value.message and "GM0014" in exc.value.message
    assert not userstore.store_dir().exists() or list(userstore.store_dir().glob("*.bin")) == []
    assert userstore.exists(userstore.put(SMALL, "hier.csv", year=2021, view_codes=view))  # GM0479 is in it


def test_admin_token_attempts_are_rate_limited(monkeypatch):
    token = "een-geheim-van-genoeg-tekens"
    monkeypatch.setenv(admin.ENV, token)
    clock = [1000.0]
    monkeypatch.setattr(admin.time, "monotonic", lambda: clock[0])
    admin._failures.clear()
    for i in range(admin.MAX_FAILURES):
        assert not admin.check_token(f"fout-{i}-nog-wat-tekens")
    with pytest.raises(admin.TooManyAttempts, match="over 60 seconden") as exc:
        admin.check_token(token)  # even the right token is not checked now
    assert "60 seconds" in exc.value.message_en
    clock[0] += 30
    with pytest.raises(admin.TooManyAttempts, match="over 30 seconden"):
        admin.check_token(token)
    clock[0] += 30  # the oldest failure is WINDOW old: open again
    assert admin.check_token(token)
    admin._failures.clear()


def test_a_store_that_cannot_be_written_says_so_without_server_paths(cache_dir, tmp_path, monkeypatch):
    """A read-only tmpfs as the store (replica mode; tests run as root, so chmod alone would not stop writes)."""
    import subprocess

    ro = tmp_path / "ro-store"
    ro.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)], check=False, capture_output=True
    ).returncode:
        pytest.skip("this machine cannot mount a read-only tmpfs (needs root and CAP_SYS_ADMIN)")
    try:
        monkeypatch.setenv("STAPELKAART_USERSTORE_DIR", str(ro))
        with pytest.raises(UserFileError) as exc:
            userstore.put(SMALL, "a.csv", year=2021)
        assert "kan geen bestanden opslaan" in exc.value.message and "cannot store files" in exc.value.message_en
        assert str(tmp_path) not in exc.value.message + exc.value.message_en and "/" not in exc.value.message
        monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(ro))  # no place for a secret either
        with pytest.raises(UserFileError, match="kan geen bestanden opslaan"):
            userstore.server_secret()
    finally:
        subprocess.run(["umount", str(ro)], check=False)
