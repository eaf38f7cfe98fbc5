"""The typed score result (issue 20): one module names the score columns, and the typed fields hold what they say.

SYNTHETIC frames (``tests.helpers_engine``) for the arithmetic; the guard scans the production source.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.columns import absent_domains
from indicators.registry import DOMAINS, INDICATORS, scored_indicators
from indicators.result import Composite, DomainScores, IndicatorScores, Stacking, scores
from tests.conftest import needs_shared
from tests.helpers_app import assert_ok, new_app
from tests.helpers_engine import score, synthetic_frame

ROOT = Path(__file__).resolve().parents[1]
OWNER = ROOT / "indicators" / "result.py"
#: the column-name conventions of the score table: only ``indicators/result.py`` may spell them
SUFFIXES = re.compile(r"domain__|composite__|__(rank|band|why|ref|ref_n|ref_value|low|high|eb|year|source)\b")


def _sources() -> list[Path]:
    out = [*ROOT.glob("app.py")]
    for pkg in ("pages", "render", "indicators", "data", "components", "core", "geo"):
        out += sorted((ROOT / pkg).rglob("*.py"))
    return [p for p in out if p != OWNER and "node_modules" not in p.parts]


def test_no_module_but_the_owner_spells_score_column_names():
    hits = [
        f"{p.relative_to(ROOT)}:{i}: {line.strip()}"
        for p in _sources()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if SUFFIXES.search(line)
    ]
    assert len(_sources()) > 50  # the scan reaches the packages
    assert hits == []


def test_guard_pattern_catches_the_old_spellings():
    olds = (
        'f"{ind.id}__rank"',
        'f"domain__{d}__band"',
        '"composite__n"',
        'row.get(f"{i}__why")',
        'k.endswith("__ref")',
    )
    for old in (*olds, 'f"{ind.id}__ref_n"', 'f"{f.id}__year"', 'f"{ind_id}__low"'):
        assert SUFFIXES.search(old)
    assert not SUFFIXES.search("stacking_text(row)") and not SUFFIXES.search("__name__")


@pytest.fixture(scope="module")
def result():
    return score(synthetic_frame(n=40, seed=3))


def test_accessors_are_typed_and_indexed_by_area(result):
    ind = result.indicator("bijstand_per_1000")
    assert isinstance(ind, IndicatorScores) and ind.id == "bijstand_per_1000"
    assert isinstance(result.domain("werk"), DomainScores)
    assert set(result.domains) == set(DOMAINS)  # every registry domain, no fixed list
    assert set(result.scores.indicators) == set(INDICATORS)
    assert isinstance(result.stacking, Stacking) and isinstance(result.composite, Composite)
    for series in (ind.value, ind.rank, result.domain("werk").band, result.stacking.k, result.composite.value):
        assert list(series.index) == list(result.table.index)
    # with the settings that produced them
    assert result.stacking.worst_band == result.settings["worst_band"] == result.domain("werk").worst_band
    assert result.domain("werk").min_share == result.settings["min_indicator_share"]
    assert result.composite.weights == result.weights
    assert (result.composite.min_domains, result.composite.transform) == (3, "rank")
    assert ind.smoothing == "eb"
    assert ind.interval_lo is not None and ind.smoothed is not None  # count-based: interval and smoothed value
    assert result.indicator("woz_waarde").interval_lo is None  # a mean has no count interval


def test_indicator_rank_is_the_rank_of_the_smoothed_value_in_its_base(result):
    ref = result.table.index[~result.table["suppressed"].to_numpy(dtype=bool)]
    for ind in scored_indicators():
        f = result.indicator(ind.id)
        ranked = f.smoothed if ind.count_based and f.smoothed.notna().any() else f.value
        base = ranked.loc[ref].dropna().to_numpy() * ind.direction
        if base.size < 10:  # below the minimum base: no rank at all
            assert f.rank.isna().all()
            continue
        x = ranked.to_numpy(dtype="float64") * ind.direction
        expect = np.where(np.isfinite(x), 100.0 * (base[None, :] <= x[:, None]).sum(axis=1) / base.size, np.nan)
        expect[result.table["suppressed"].to_numpy(dtype=bool)] = np.nan
        np.testing.assert_allclose(f.rank.to_numpy(dtype="float64"), expect, equal_nan=True)
        ranked_rows = f.rank.notna()
        assert (f.base_n[ranked_rows] == base.size).all()
        assert (f.why[ranked_rows] == "").all()


def test_domain_fields_recomputed_from_indicator_ranks(result):
    supp = result.table["suppressed"].to_numpy(dtype=bool)
    cut = 100.0 - result.settings["worst_band"]
    for d in DOMAINS:
        dom = result.domain(d)
        members = [i.id for i in scored_indicators(d)]
        if not members:
            continue
        ranks = pd.DataFrame({i: result.indicator(i).rank for i in members})
        n = ranks.notna().sum(axis=1)
        mean = ranks.mean(axis=1).round(6).where((n >= 0.5 * len(members)) & (n > 0) & ~supp)
        np.testing.assert_allclose(dom.score.round(6), mean, equal_nan=True)
        assert (dom.n == n).all() and (dom.m == len(members)).all()
        # domain rank = share of the base (the non-suppressed areas' domain scores) strictly below
        base = dom.score[~supp].dropna().to_numpy()
        x = dom.score.to_numpy(dtype="float64")
        expect = np.where(np.isfinite(x), 100.0 * (base[None, :] < x[:, None]).sum(axis=1) / max(base.size, 1), np.nan)
        np.testing.assert_allclose(dom.rank.to_numpy(dtype="float64"), expect, equal_nan=True)
        known = dom.rank.notna()
        assert (dom.band[known].astype(bool) == (dom.rank[known] >= cut)).all()
        assert dom.band[~known].isna().all()
        assert (dom.base_n[known] == base.size).all()


def test_stacking_and_composite_recomputed_from_domain_fields(result):
    w = {"armoede": 2.0, "werk": 0.0, "onderwijs": 1.0}
    res = result.reweight(w)
    # gezondheid at wijk level is absent (50150NED has no wijk figures): out of m like a weight of 0
    assert absent_domains(res.settings) == {"gezondheid": "level_absent"}
    on = [d for d in DOMAINS if res.weights[d] > 0 and d != "gezondheid"]
    bands = pd.DataFrame({d: res.domain(d).band.astype("boolean").fillna(False).astype(bool) for d in on})
    known = pd.DataFrame({d: res.domain(d).rank.notna() for d in on})
    st, comp = res.stacking, res.composite
    has = known.sum(axis=1) > 0
    assert (st.k[has] == bands.sum(axis=1)[has]).all() and st.k[~has].isna().all()
    assert (st.n.dropna() == known.sum(axis=1)[st.n.notna()]).all()
    assert (st.m == len(on)).all()
    which = bands.apply(lambda r: ";".join(d for d in on if r[d]), axis=1)
    assert (st.which[has].fillna("") == which[has]).all()
    x = pd.DataFrame({d: res.domain(d).score for d in on})
    wt = pd.Series({d: res.weights[d] for d in on})
    avail = x.notna()
    value = (x.fillna(0) * wt).sum(axis=1) / (avail * wt).sum(axis=1)
    ok = comp.value.notna()
    assert ok.any()
    np.testing.assert_allclose(comp.value[ok], value[ok])
    assert (comp.n == avail.sum(axis=1)).all() and (comp.m == len(on)).all()
    assert (comp.n[~ok & ~res.table["suppressed"]] < comp.need[~ok & ~res.table["suppressed"]]).all()
    assert comp.weights == res.weights


def test_row_view_equals_frame_view(result):
    code = result.table.index[result.composite.value.notna().to_numpy()][0]
    row = scores(result.table.loc[code])
    as_dict = scores(result.table.loc[code].to_dict())
    ranked = next(i.id for i in scored_indicators() if pd.notna(result.indicator(i.id).rank[code]))
    for view in (row, as_dict):
        assert view.composite.value == result.composite.value[code]
        assert view.domain("werk").rank == result.domain("werk").rank[code]
        assert view.indicator(ranked).rank == result.indicator(ranked).rank[code]
        assert view.stacking.k == result.stacking.k[code]
    assert scores({}).domain("werk").rank is None  # an absent field is None, not 0


def test_engine_reasons_are_codes_and_the_page_words_them_in_either_language():
    """Item 4 of the task: engine output carries codes and numbers; the page layer adds the words (nl and en)."""
    from indicators.registry import INDICATORS as IND
    from pages._common.i18n import label
    from pages._common.reasons import suppressed_text

    frame = synthetic_frame(n=30, seed=5)
    frame.loc[2, "aantal_inwoners"] = 150
    frame.loc[6, "woningvoorraad"] = 20  # below sociale_huur's minimum denominator (50)
    res = score(frame)
    small, den = res.table.loc[frame.loc[2, "code"]], res.table.loc[frame.loc[6, "code"]]
    assert small["suppressed_reason"].split(";")[0] == "population:200"  # then its values below a minimum
    assert "den_small:sociale_huur:50" in den["suppressed_reason"].split(";")
    assert set(res.composite.note.dropna().unique()) <= {"", "withheld", "suppressed"}
    assert res.composite.note[frame.loc[2, "code"]] == "suppressed"
    assert suppressed_text("population:200", "nl") == "minder dan 200 inwoners"
    assert suppressed_text("population:200", "en") == "fewer than 200 inhabitants"
    both = suppressed_text("population_unknown;den_small:sociale_huur:50", "en")
    assert both == f"number of inhabitants unknown; {label(IND['sociale_huur'], 'en')}: denominator below 50"
    assert suppressed_text(None, "en") == "" and suppressed_text("", "nl") == ""


@needs_shared
@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Suppressed: fewer than 200 inhabitants"), ("nl", "Onderdrukt: minder dan 200 inwoners")]
)
def test_the_profile_words_a_suppressed_area_in_the_users_language(mirror, warm_cache, lang, words):
    """Zoeterwoude wijk WK063804 has 75 inhabitants (KWB 2024): its profile says why in the user's language, never
    the engine's code (before: the Dutch reason on the English page)."""
    at = new_app({"gm": "GM0638", "area": "WK063804", "page": "buurtprofiel", "lang": lang})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    assert_ok(at)
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert words in warnings and "population:" not in warnings, warnings


@needs_shared
def test_the_focus_profile_names_its_reference_in_english(mirror, warm_cache):
    """The engine's ``reference`` column is Dutch; the English focus profile shows the same Reference in English
    (before: "… wijken van Nederland, 2024" in the reference-value column of an English page)."""
    from indicators.focus import PRESETS
    from indicators.focuscodec import format_focus_param, parse_focus_param
    from pages._common.i18n import t

    preset = next(iter(PRESETS.values()))
    fa = format_focus_param(preset.areas)
    at = new_app({"fa": fa, "fopen": parse_focus_param(fa)[0].id, "page": "buurtprofiel", "lang": "en"})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    assert_ok(at)
    col = t("ref_value_col", "en")
    table = next(d.value for d in at.dataframe if col in d.value.columns)
    cells = [str(v) for v in table[col] if str(v) not in ("–", t("ref_value_na", "en"))]
    assert cells, table[col].tolist()  # a context indicator with a reference value
    assert all("of the Netherlands" in c or " of " in c for c in cells) and not any(" van " in c for c in cells), cells


def test_a_withheld_value_says_why_beside_its_source_in_the_users_language():
    """The engine no longer appends Dutch ("onderdrukt: noemer < 50") to the source; the profile table words the
    ``den_small`` code beside the source in nl and en."""
    from pages._common.i18n import label, t
    from pages._common.tables import indicator_profile

    frame = synthetic_frame(n=30, seed=5)
    frame.loc[6, "woningvoorraad"] = 20  # below sociale_huur's minimum denominator (50)
    res = score(frame)
    row = res.table.loc[frame.loc[6, "code"]]
    assert res.indicator("sociale_huur").why[row.name] == "den_small"
    for lang, words in (
        ("nl", "niet gepubliceerd: noemer kleiner dan 50"),
        ("en", "not published: denominator below 50"),
    ):
        prof = indicator_profile(row, lang, res.reference.text(lang))
        cell = prof.loc[prof[t("indicator", lang)] == label(INDICATORS["sociale_huur"], lang), t("source", lang)].item()
        assert cell.endswith(f"({words})") and "onderdrukt" not in cell, cell
        phrase = words.rsplit(" ", 1)[0]  # without the number: any indicator's minimum
        for ind in INDICATORS.values():
            said = phrase in prof.loc[prof[t("indicator", lang)] == label(ind, lang), t("source", lang)].item()
            assert said == (res.indicator(ind.id).why[row.name] == "den_small"), ind.id
