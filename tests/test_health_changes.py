"""Issue 23: gezondheid in "Wat is er veranderd" between two years, in national mode (``cbs-mirror --national``).

Every expected figure is recomputed from the raw 50150NED copy named in ../shared/data/PROVENANCE.md (section
national/woonikveilig: ``gemeente/GMxxxx.json``, ``gezondheid.trend`` = year -> % goed ervaren gezondheid, 18+, for
the gemeente and each buurt; a year without a value is absent): value = 100 - % goed; rank = 100 x #{ref <= x} /
#ref against the SAME reference in both years (every region of the level in NL with a value in both years); a focus
area = the mean of its buurten with both years weighted by adults (inwoners - inwoners0tot15 of the raw files).
The mirror serves no KWB 2020 or 2022: the health rows do not depend on it (the KWB part says so itself).
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tests.conftest import MIRROR_BIN, SHARED_DATA
from tests.helpers_app import assert_ok, run_app

pytestmark = pytest.mark.skipif(not MIRROR_BIN.exists(), reason="../shared/cbs-mirror is absent")

RAW = SHARED_DATA / "national" / "woonikveilig" / "gemeente"
BUURT = "BU07723350"  # 't Hofke, Oud-Tongelre (Eindhoven)
TONGELRE = ("WK077231", "WK077232", "WK077233")


@pytest.fixture(scope="module")
def raw():
    """{level: {code: {year: niet goed}}} of every region in the raw files, and adults per buurt."""
    values = {"buurt": {}, "gemeente": {}}
    adults = {}
    for path in sorted(RAW.glob("GM*.json")):
        gm = json.loads(path.read_text())
        regions = [(gm["code"], "gemeente", gm.get("gezondheid"))]
        regions += [(b["code"], "buurt", b.get("gezondheid")) for b in gm["buurten"]]
        for code, level, gz in regions:
            trend = (gz or {}).get("trend") or {}
            values[level][code] = {int(y): 100 - float(v) for y, v in trend.items() if v is not None}
        for b in gm["buurten"]:
            d = b.get("demografie") or {}
            if d.get("inwoners") is not None and d.get("inwoners0tot15") is not None:
                adults[b["code"]] = d["inwoners"] - d["inwoners0tot15"]
    return values, adults


def _rank(x: float, ref: list[float]) -> float:
    return 100 * sum(r <= x for r in ref) / len(ref)


def _expected_region(raw, code: str, level: str, y1: int, y2: int) -> dict:
    values, _ = raw
    both = [v for v in values[level].values() if y1 in v and y2 in v]
    v = values[level][code]
    r1, r2 = _rank(v[y1], [b[y1] for b in both]), _rank(v[y2], [b[y2] for b in both])
    return {"old": v[y1], "new": v[y2], "change": v[y2] - v[y1], "r1": r1, "r2": r2, "n": len(both)}


def _num(text: str) -> float:
    """A number as the page prints it (nl or en; a minus sign may be U+2212)."""
    s = str(text).replace("\u2212", "-").replace("\u202f", "").replace("\xa0", "")
    return float(s.replace(",", ".")) if re.fullmatch(r"-?\d+(,\d+)?", s) else float(s.replace(",", ""))


def _years(at, old: int, new: int):
    at.radio(key="w_changed_mode").set_value("years").run()
    at.selectbox(key="w_changed_old_year").set_value(old).run()
    at.selectbox(key="w_changed_new_year").set_value(new).run()
    assert_ok(at)
    return at


def _health_table(at, lang: str, y1: int):
    area = "Gebied" if lang == "nl" else "Area"
    frames = [d.value for d in at.dataframe if {area, f"{y1} (%)"} <= set(d.value.columns)]
    # the profile's own trend table (2020/2022 -> 2024) comes first; "Wat is er veranderd" is the last one
    return frames[-1].set_index(area)


def _check_row(row, exp: dict, y1: int, y2: int, lang: str) -> None:
    change = "Verandering (procentpunt)" if lang == "nl" else "Change (percentage points)"
    rank = "Rang" if lang == "nl" else "Rank"
    move = "Rangverschuiving" if lang == "nl" else "Rank movement"
    assert abs(_num(row[f"{y1} (%)"]) - exp["old"]) < 0.051
    assert abs(_num(row[f"{y2} (%)"]) - exp["new"]) < 0.051
    assert abs(_num(row[change]) - exp["change"]) < 0.051
    assert _num(row[f"{rank} {y1}"]) == round(exp["r1"]) and _num(row[f"{rank} {y2}"]) == round(exp["r2"])
    assert abs(_num(row[move]) - (exp["r2"] - exp["r1"])) <= 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_buurt_2020_to_2024_old_new_and_rank_move_against_the_same_buurten(nat_warm, raw, lang):
    at = _years(run_app({"gm": "GM0772", "level": "buurt", "area": BUURT, "lang": lang}, "buurtprofiel"), 2020, 2024)
    title = "Gezondheid 2020 → 2024" if lang == "nl" else "Health 2020 → 2024"
    assert any(m.value.startswith(f"**{title}") for m in at.markdown), [m.value for m in at.markdown]
    table = _health_table(at, lang, 2020)
    (name,) = [i for i in table.index if BUURT in i]
    exp = _expected_region(raw, BUURT, "buurt", 2020, 2024)
    _check_row(table.loc[name], exp, 2020, 2024, lang)
    n = f"{exp['n']:,}".replace(",", "\u202f" if lang == "nl" else ",")
    words = f"dezelfde {n} buurten met beide jaren" if lang == "nl" else f"same {n} neighbourhoods with both years"
    assert any(words in c.value for c in at.caption), [c.value for c in at.caption]
    print(f"\n{BUURT} 2020 -> 2024: {exp['old']:.1f} -> {exp['new']:.1f}, rank {exp['r1']:.0f} -> {exp['r2']:.0f}")


def test_a_gemeente_is_ranked_against_the_gemeenten_with_both_years(nat_warm, raw):
    """Buurtprofiel offers wijken and buurten only; a gemeente's row comes from the same door (Gegevens' section)."""
    from pages._common import loaders
    from pages._common.state import ViewState

    view = ViewState.from_params({"gm": "GM0772", "level": "buurt"})
    got = loaders.health_changed(view, ["GM0772", "BU07723350"], [], 2022, 2024).rows.set_index("area")
    for code, level in (("GM0772", "gemeente"), (BUURT, "buurt")):
        exp, row = _expected_region(raw, code, level, 2022, 2024), got.loc[code]
        assert row["why"] == "" and row["level"] == level
        assert np.isclose(row["old"], exp["old"]) and np.isclose(row["new"], exp["new"])
        assert np.isclose(row["rank_old"], exp["r1"]) and np.isclose(row["rank_new"], exp["r2"])
        assert np.isclose(row["rank_move"], exp["r2"] - exp["r1"]) and row["reference_n"] == exp["n"]
    assert got.loc["GM0772", "reference_n"] < 400 < got.loc[BUURT, "reference_n"]  # gemeenten vs buurten


def test_a_buurt_without_a_value_in_one_year_keeps_the_other_and_gets_no_change(nat_warm, raw):
    """A buurt the raw file has for 2024 but not for 2020: its 2024 value stays, 2020 is missing (never filled from
    another survey year), and it has no change and no rank; the first such buurt in the raw files is found here."""
    from pages._common import loaders
    from pages._common.state import ViewState

    values, _ = raw
    code = next(c for c, v in values["buurt"].items() if 2024 in v and 2020 not in v)
    view = ViewState.from_params({"gm": "GM" + code[2:6], "level": "buurt"})
    row = loaders.health_changed(view, [code], [], 2020, 2024).rows.set_index("area").loc[code]
    assert row["why"] == "no_value" and row["years"] == (2020,)
    assert np.isnan(row["old"]) and np.isclose(row["new"], values["buurt"][code][2024])
    assert np.isnan(row["difference"]) and np.isnan(row["rank_old"]) and np.isnan(row["rank_move"])
    at = _years(run_app({"gm": "GM" + code[2:6], "level": "buurt", "area": code}, "buurtprofiel"), 2020, 2024)
    v = f"{values['buurt'][code][2024]:.1f}".replace(".", ",")
    words = f"geen waarde in 2020 in 50150NED (2024: {v} %); geen verandering en geen rang"
    assert any(i.value.startswith("Gezondheid, ") and words in i.value for i in at.info), [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_wijk_level_and_a_year_without_survey_say_why_in_words(nat_warm, lang):
    at = _years(
        run_app({"gm": "GM0772", "level": "wijk", "area": "WK077231", "lang": lang}, "buurtprofiel"), 2020, 2024
    )
    infos = [i.value for i in at.info]
    head = "Gezondheid, " if lang == "nl" else "Health, "
    why = "geen wijkcijfers in 50150NED" if lang == "nl" else "no district figures in 50150NED"
    assert any(i.startswith(head) and "WK077231" in i and why in i for i in infos), infos

    at = _years(run_app({"gm": "GM0772", "level": "buurt", "area": BUURT, "lang": lang}, "buurtprofiel"), 2021, 2024)
    infos = [i.value for i in at.info]
    why = "geen peiljaar: 2021" if lang == "nl" else "not a survey year: 2021"
    assert any(i.startswith(head) and why in i and "2012, 2016, 2020, 2022, 2024" in i for i in infos), infos
    assert not [d for d in at.dataframe if "2021 (%)" in d.value.columns]  # never a value carried over


def test_a_focus_area_is_the_adults_weighted_mean_of_its_buurten(nat_warm, raw):
    values, adults = raw
    fa = "Tongelre:" + "+".join(TONGELRE)
    at = _years(run_app({"fa": fa, "fopen": "tongelre"}, "buurtprofiel"), 2020, 2024)
    table = _health_table(at, "nl", 2020)
    members = [c for c in values["buurt"] if any(c.startswith("BU" + w[2:8]) for w in TONGELRE)]
    used = [c for c in members if {2020, 2024} <= set(values["buurt"][c])]
    w = np.array([adults[c] for c in used], dtype=float)
    v1 = float(np.dot(w, [values["buurt"][c][2020] for c in used]) / w.sum())
    v2 = float(np.dot(w, [values["buurt"][c][2024] for c in used]) / w.sum())
    both = [v for v in values["buurt"].values() if 2020 in v and 2024 in v]
    exp = {
        "old": v1,
        "new": v2,
        "change": v2 - v1,
        "r1": _rank(v1, [b[2020] for b in both]),
        "r2": _rank(v2, [b[2024] for b in both]),
    }
    _check_row(table.loc["Tongelre"], exp, 2020, 2024, "nl")
    assert table.loc["Tongelre", "Buurten (met beide jaren)"] == str(len(used))
    assert any("gewogen naar volwassenen" in c.value for c in at.caption)


def test_vergelijken_absent_lines_count_m_by_the_engine_rule(nat, monkeypatch):
    """healthui.absent_lines takes which domains are absent and what m counts from the engine's settings of the
    scores the page shows (``absent_domains`` / ``counted_weights``), never from a rule of its own."""
    import dataclasses
    from types import SimpleNamespace

    from indicators import engine
    from indicators.registry import DOMAINS
    from pages._common import healthui, loaders_frames, loaders_healthview
    from pages._common.state import ViewState

    view = ViewState.from_params({"gm": "GM0772", "level": "wijk"})
    settings = loaders_frames.scored(view.gemeenten, view.year, "wijk", view.reference).result.settings
    m = sum(w > 0 for w in engine.counted_weights(dict.fromkeys(DOMAINS, 1.0), settings).values())
    assert engine.absent_domains(settings) == {"gezondheid": "level_absent"} and m == len(DOMAINS) - 1
    (line,) = healthui.absent_lines(view, "wijk", {})
    assert line.startswith("Gezondheid telt hier niet mee") and f"tellen {m} domeinen." in line
    (line,) = healthui.absent_lines(view, "wijk", {"wonen": 0})
    assert f"tellen {m - 1} domeinen." in line
    assert healthui.absent_lines(view, "buurt", {}) == []  # buurten have 50150NED values: health counts

    scored = loaders_frames.scored

    def one_more_absent(*args, **kw):  # the engine counting one more domain out: the words follow it
        s = scored(*args, **kw)
        more = (*engine.absent_domains(s.result.settings).items(), ("wonen", "source_absent"))
        return dataclasses.replace(s, result=SimpleNamespace(settings={**s.result.settings, "absent_domains": more}))

    monkeypatch.setattr(loaders_healthview, "scored", one_more_absent)  # what the door's health_panel scores
    (line,) = healthui.absent_lines(view, "wijk", {})
    assert f"tellen {m - 1} domeinen." in line


@pytest.fixture
def default_mode(mirror, cache_dir, monkeypatch):
    """The default emulator: it serves no 50150NED (HTTP 404), so the table is absent."""
    from data import health
    from pages._common import loaders_health

    monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", mirror.url)
    health.forget_absent()
    loaders_health._health.clear()
    yield mirror
    health.forget_absent()
    loaders_health._health.clear()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_without_the_table_each_area_says_there_is_no_comparison(default_mode, lang):
    at = _years(run_app({"area": "WK0363MC", "ref": "gemeente", "lang": lang}, "buurtprofiel"), 2022, 2024)
    infos = [i.value for i in at.info]
    from data.health import health_or_absent

    _, why = health_or_absent()  # the data layer's reason: the service (its URL) has no table 50150NED
    head = "Gezondheid, " if lang == "nl" else "Health, "
    words = ("geen vergelijking, " if lang == "nl" else "no comparison, ") + why[lang].split("(")[0]
    lines = [i for i in infos if i.startswith(head) and "WK0363MC" in i]
    assert len(lines) == 1 and words in lines[0] and "50150NED" in lines[0], infos
    assert f"`{default_mode.url}`" in lines[0]  # the URL as a code span, never an escaped link
    assert not [d for d in at.dataframe if "2022 (%)" in d.value.columns]
