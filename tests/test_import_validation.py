"""Issue 22, validated imports: finite numbers only, ranges per indicator kind, ragged rows, UTF-16 text.

Every file here is synthetic, written by the test itself; the indicator kinds come from indicators.registry.
"""

from __future__ import annotations

import math

import pytest

from core.errors import UserFileError
from core.numbers import format_number
from data.userfiles import load_indicator_file
from indicators.bounds import value_bounds
from indicators.registry import INDICATORS

BOUNDS = value_bounds()  # the page layer and the CLI pass these; data/ does not import indicators/


def _refused(data: bytes, name: str = "t.csv", **kw) -> str:
    with pytest.raises(UserFileError) as exc:
        load_indicator_file(data, filename=name, year=2022, bounds=BOUNDS, **kw)
    return "\n".join(exc.value.problems)


def test_a_number_too_large_for_a_float_is_refused_with_row_and_column():
    text = _refused(b"regiocode,waarde\nWK047911,1.5\nWK047912,1e999\nWK047913,2\n")
    assert "rij 3, kolom 'waarde': '1e999' is geen eindig getal" in text
    text = _refused(b"regiocode;waarde\nWK047911;1,5\nWK047912;-1E400\nWK047913;2\n")
    assert "rij 3, kolom 'waarde': '-1E400'" in text


def test_finite_numbers_still_read():
    uf = load_indicator_file(b"regiocode,waarde\nWK047911,1e300\nWK047912,-2.5e-3\n", filename="t.csv", year=2022)
    assert uf.frame["waarde"].tolist() == [1e300, -2.5e-3] and all(map(math.isfinite, uf.frame["waarde"]))


@pytest.mark.parametrize("value", [b"-50", b"250", b"100.5"])
def test_a_percentage_outside_0_to_100_is_refused(value):
    ind = "voortijdig_schoolverlaten"  # unit "%" in the registry
    assert INDICATORS[ind].unit["nl"].startswith("%")
    text = _refused(b"regiocode," + ind.encode() + b"\nWK047911,3\nWK047912," + value + b"\n")
    shown = format_number(float(value), None, "nl")  # the Dutch message writes "100,5" (issue 20)
    assert f"rij 3, kolom '{ind}': {shown} kan niet voor {ind}" in text and "tussen 0 en 100" in text


def test_a_share_column_outside_0_to_100_is_refused_and_the_bounds_themselves_pass():
    ind = next(i for i in INDICATORS.values() if i.kind == "share")
    assert "kan niet voor" in _refused(f"regiocode,{ind.id}\nWK047911,100.01\n".encode())
    uf = load_indicator_file(
        f"regiocode,{ind.id}\nWK047911,0\nWK047912,100\n".encode(), filename="t.csv", year=2022, bounds=BOUNDS
    )
    assert uf.frame[ind.id].tolist() == [0.0, 100.0]


def test_a_negative_rate_is_refused_and_a_large_one_is_not():
    ind = next(i for i in INDICATORS.values() if i.kind == "ratio" and not i.unit["nl"].startswith("%"))
    text = _refused(f"regiocode,{ind.id}\nWK047911,-0.1\n".encode())
    assert f"kolom '{ind.id}': -0,1 kan niet voor {ind.id}" in text and "niet negatief" in text
    assert load_indicator_file(
        f"regiocode,{ind.id}\nWK047911,1500\n".encode(), filename="t.csv", year=2022, bounds=BOUNDS
    ).frame[ind.id].tolist() == [1500.0]


def test_a_column_that_feeds_no_indicator_is_not_bounded():
    uf = load_indicator_file(
        b"regiocode,eigen_maat\nWK047911,-50\nWK047912,250\n", filename="t.csv", year=2022, bounds=BOUNDS
    )
    assert uf.frame["eigen_maat"].tolist() == [-50.0, 250.0]


def test_a_ragged_row_is_refused_with_its_row_number():
    text = _refused(b"regiocode,a,b\nWK047911,1,2\nWK047912,3,4,5\nWK047913,6,7\n")
    assert "rij 3 heeft 4 cellen, de kopregel 3" in text
    assert "rij 2 " not in text and "rij 4 " not in text


def test_a_short_row_is_still_read_with_missing_values():
    uf = load_indicator_file(b"regiocode,a,b\nWK047911,1,2\nWK047912,3\n", filename="t.csv", year=2022)
    assert math.isnan(uf.frame.loc["WK047912", "b"])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read(encoding):
    text = "regiocode;naam;waarde\nWK047911;Zaandam-Zuid;1,5\nWK047912;Poelenburg é;2\n"
    uf = load_indicator_file(text.encode(encoding), filename="u16.csv", year=2022)
    assert uf.frame["waarde"].tolist() == [1.5, 2.0] and uf.names["WK047912"] == "Poelenburg é"


def test_broken_utf16_is_refused_by_name():
    data = "regiocode,waarde\nWK047911,1\n".encode("utf-16") + b"\x00\xd8"  # a lone surrogate at the end
    with pytest.raises(UserFileError, match="UTF-16"):
        load_indicator_file(data, filename="u16.csv", year=2022)


def test_the_page_door_passes_the_registry_bounds(cache_dir):
    """The Gegevens page imports through loaders_files.import_user_file, which passes indicators.bounds to
    data.userstore.put (data/ no longer reads the registry itself): a share of 150 is still refused there,
    and nothing is stored."""
    from data import userstore
    from pages._common.loaders_files import import_user_file

    ind = next(i for i in INDICATORS.values() if i.kind == "share")
    with pytest.raises(UserFileError) as exc:
        import_user_file(f"regiocode,{ind.id}\nWK047911,150\n".encode(), "t.csv", 2022)
    assert f"kan niet voor {ind.id}" in "\n".join(exc.value.problems)
    store = userstore.store_dir()
    assert not (store.exists() and list(store.glob("*.bin")))
    assert userstore.is_digest(import_user_file(f"regiocode,{ind.id}\nWK047911,15\n".encode(), "t.csv", 2022))
