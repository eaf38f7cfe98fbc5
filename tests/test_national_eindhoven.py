"""Issue 23: Eindhoven (GM0772) at wijk and buurt level in national mode, alone and with Amsterdam + Zaanstad.

Against ``cbs-mirror --national``. Expected values are recomputed from the mirror's own data files
(``../shared/data/derived-national``): 85984NED rows (``AantalInwoners_5``) and the PDOK features served per
gemeente (one line per feature). Count drawn = count served: the codes in the map's geometry file equal the
codes PDOK serves for the selection, and every drawn area has a fill class.
"""

from __future__ import annotations

import gzip
import json
from functools import cache

import pytest

from tests.conftest import MIRROR_BIN, SHARED_DATA
from tests.helpers_app import map_args, run_app

NAT = SHARED_DATA / "derived-national"
pytestmark = pytest.mark.skipif(not MIRROR_BIN.exists(), reason="../shared/cbs-mirror is absent")
THREE = ("GM0363", "GM0479", "GM0772")


@cache
def _served(collection: str) -> dict[str, str]:
    """code -> gemeentecode of every feature the national mirror serves in ``collection``."""
    prop = {"wijken": "wijkcode", "buurten": "buurtcode"}[collection]
    out = {}
    with gzip.open(NAT / "pdok_wbk2024" / f"{collection}.features.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            props = json.loads(line.split("\t")[1])
            out[props[prop]] = props["gemeentecode"]
    return out


@cache
def _inwoners() -> dict[str, float]:
    """AantalInwoners_5 per region code of the national 85984NED rows (absent = null)."""
    with gzip.open(NAT / "odata" / "85984NED" / "TypedDataSet.json.gz", "rt", encoding="utf-8") as fh:
        rows = json.load(fh)
    return {r["WijkenEnBuurten"].strip(): r["AantalInwoners_5"] for r in rows if r.get("AantalInwoners_5") is not None}


def _drawn(at) -> tuple[list[str], dict]:
    from components.deckmap.store import path_of
    from geo.quantize import decode

    args = map_args(at)
    header, _ = decode(path_of(args["geometry_url"].rsplit("/", 1)[1]).read_bytes())
    assert len(args["fill"]) == len(header["codes"])
    return list(header["codes"]), args


def test_oud_tongelre_and_its_buurten_have_statistics(nat_warm):
    from pages._common import loaders_frames

    frame = loaders_frames.kwb(("GM0772",), 2024)
    raw = _inwoners()
    assert raw["WK077233"] == 8930
    wk = frame.set_index("code")
    assert wk.loc["WK077233", "name"] == "Oud-Tongelre" and wk.loc["WK077233", "aantal_inwoners"] == 8930
    served_bu = sorted(c for c, g in _served("buurten").items() if c.startswith("BU077233"))
    assert len(served_bu) == 5
    stats_bu = sorted(c for c in frame.loc[frame["level"] == "buurt", "code"] if c.startswith("BU077233"))
    assert stats_bu == served_bu
    for c in served_bu:  # each buurt's inhabitants as CBS gives them (NaN where CBS gives none)
        assert wk.loc[c, "aantal_inwoners"] == raw[c]
    assert (frame["level"] == "wijk").sum() == sum(g == "GM0772" for g in _served("wijken").values()) == 20


@pytest.mark.parametrize("level,collection", [("wijk", "wijken"), ("buurt", "buurten")])
def test_eindhoven_is_drawn_whole(nat_warm, level, collection):
    at = run_app({"gm": "GM0772", "level": level})
    codes, args = _drawn(at)
    served = sorted(c for c, g in _served(collection).items() if g == "GM0772")
    assert sorted(codes) == served
    assert len(served) == {"wijk": 20, "buurt": 116}[level]
    prefix = {"wijk": "WK077233", "buurt": "BU077233"}[level]
    assert sum(c.startswith(prefix) for c in codes) == {"wijk": 1, "buurt": 5}[level]
    assert args["label"].startswith(
        f"Kaart van {len(served)} {'wijken' if level == 'wijk' else 'buurten'} in Eindhoven"
    )
    # the buurten carry statistics: not every area in the grey no-data class
    assert (args["fill"] != len(args["palette"]) - 1).sum() > 0


@pytest.mark.parametrize("level,collection", [("wijk", "wijken"), ("buurt", "buurten")])
def test_amsterdam_zaanstad_eindhoven_together(nat_warm, level, collection):
    at = run_app({"gm": ",".join(THREE), "level": level})
    codes, args = _drawn(at)
    served = {c: g for c, g in _served(collection).items() if g in THREE}
    assert sorted(codes) == sorted(served)
    per_gm = {g: sum(v == g for v in served.values()) for g in THREE}
    expected = {
        "wijk": {"GM0363": 110, "GM0479": 19, "GM0772": 20},
        "buurt": {"GM0363": 518, "GM0479": 79, "GM0772": 116},
    }
    assert per_gm == expected[level]
    assert f"Kaart van {len(served)} " in args["label"] and "Eindhoven" in args["label"]
    assert not [e.value for e in at.error]
