"""Mutation check of the indicator engine: mutmut over ``indicators/`` with a fast test selection.

    .venv/bin/python -m benchmarks.mutation [--max-children 2] [--out benchmarks/mutation.md] [--keep]
    .venv/bin/python -m benchmarks.mutation --resume WORK_DIR     # continue a kept run with the current tests
    .venv/bin/python -m benchmarks.mutation --resume WORK_DIR --dry-run   # only count what that would run
    .venv/bin/python -m benchmarks.mutation --report-only WORK_DIR

Copies the code and the fast, mirror-free tests into a temporary directory (so the repository never gets a
``mutants/`` folder or a mutmut config), writes a ``setup.cfg`` ``[mutmut]`` section there, runs
``mutmut run`` and writes ``benchmarks/mutation.md``: killed / total per module, every surviving mutant with its
diff, the survivors judged equivalent (``EQUIVALENT``, one-line reason each) and the hand-written mutants
(``HAND_MUTANTS``). Not part of ``make test``: a full run takes about an hour on 2 shared cores.

``--resume`` copies the current sources and test files into a kept work directory, lets mutmut check what is not
checked yet (changed functions, new mutants) and then re-runs every survivor against the current tests: a test
added after a run can only kill more mutants, and each survivor is checked against it explicitly. A function that
only moved to another mutated module (the same text, by mutmut's hash of its AST) is no change: ``carry_moved`` keeps
its results under its new name. ``--dry-run`` counts, on a copy, the mutants a resume would check anew and re-run.

Mutated: ``indicators/{ranks,scores,reference,smoothing,focus,focuscodec,focusscore,hotspots,sensitivity}.py`` (rank,
score, base, shrinkage, the focus-area model, text forms and aggregation, LISA and interval rules); ``NOT_MUTATED``
says why the other modules are not.
mutmut mutates code inside functions only, never module-level constants (e.g. ``hotspots.QUADRANTS``): the
deliberate breaks from review that sit in such places or in ``engine.py`` are ``HAND_MUTANTS``, applied one at a
time to a fresh copy and run against the same test selection.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MUTATE = ("ranks", "scores", "reference", "smoothing", "focus", "focuscodec", "focusscore", "hotspots", "sensitivity")
# Mirror-free tests only (a test that needs ../shared is skipped in the temporary copy anyway: it has no ../shared).
_FOCUS = "tests/test_focus_areas.py::"
TESTS = (
    "tests/test_measure_units.py",
    "tests/test_indicators_engine.py",
    "tests/test_indicators_sensitivity.py",
    "tests/test_measure_rules.py",
    "tests/test_indicators_reference_rules.py",
    "tests/test_indicators_score_rules.py",
    "tests/test_indicators_hotspot_rules.py",
    "tests/test_indicators_focus_rules.py",
    "tests/test_indicators_interval_rules.py",
    _FOCUS + "test_url_param_round_trips_any_name_through_a_real_query_string",
    _FOCUS + "test_compact_form_typed_by_hand",
    _FOCUS + "test_param_bounds_and_syntax_errors_name_the_problem",
    _FOCUS + "test_validate_names_every_bad_member_and_drops_nothing",
    _FOCUS + "test_json_export_import_round_trip_and_rejects_other_files",
)
COPY = ("indicators", "data", "geo", "core", "benchmarks", "pytest.ini")  # tests/_browser imports benchmarks
SHOW_DIFFS = 400

NOT_MUTATED = {
    "engine": "orchestration of the rules (1 718 mutants, about an hour more on 2 shared cores); its reference-set "
    "rule (suppressed areas out of the reference) is a hand-written mutant below, and every rule it calls "
    "(ranks, scores, reference, smoothing) is mutated",
    "columns": "the per-area score columns, split out of engine (not mutated before either); its rules are "
    "called with the mutated ranks, scores, reference and smoothing, and held by the engine tests",
    "rates": "value formulas and their sources (numerator / denominator per indicator), tested against "
    "../shared/data in tests/test_indicators_real.py and tests/test_measure_claims.py (mirror tests)",
    "registry": "declarations (the indicators as data), no logic",
    "method, methodrules, weights, tables": "text and formatting of what the rules say",
    "trend, changes, __main__": "not part of the issue-10 measure (changes.py belongs to another owner; the CLI "
    "is tested over the mirror)",
}

# Hand-written mutants: (id, file, text in the file, replacement, the claim a test must defend).
HAND_MUTANTS = (
    (
        "suppressed-in-reference",
        "indicators/engine.py",
        "in_ref = index.isin(reference.codes) & ~area_suppressed.to_numpy()",
        "in_ref = index.isin(reference.codes)",
        "suppressed areas (< 200 inhabitants) are excluded from the reference",
    ),
    (
        "suppressed-in-level-base",
        "indicators/engine.py",
        "at_level = (_levels(base) == level).to_numpy() & ~area_suppressed.to_numpy()",
        "at_level = (_levels(base) == level).to_numpy()",
        "suppressed areas are excluded from the own-gemeente base too",
    ),
    (
        "rank-outside-interval",
        "indicators/sensitivity.py",
        '"rank": rank_positions(base[:, None])[:, 0]',
        '"rank": rank_positions(-base[:, None])[:, 0]',
        "the rank with the chosen weights lies inside its interval",
    ),
    (
        "interval-weights-only",
        "indicators/sensitivity.py",
        'comps = draw_composites(np.asarray(domain_draws, dtype="float64"), draws, min_domains)',
        "comps, _, _ = composite_matrix(x, draws, min_domains)",
        "the interval with data draws covers data uncertainty, not weights alone",
    ),
    (
        "hh-ll-swap",
        "indicators/hotspots.py",
        'QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}',
        'QUADRANTS = {1: "LL", 2: "LH", 3: "HH", 4: "HL"}',
        "a planted high cluster is HH, a low one LL",
    ),
    (
        "hl-lh-swap",
        "indicators/hotspots.py",
        'QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}',
        'QUADRANTS = {1: "HH", 2: "HL", 3: "LL", 4: "LH"}',
        "a high outlier among low neighbours is HL",
    ),
)

# Survivors judged equivalent (no test can tell them apart from the original): (function, text of the original
# line, text of the mutated line, reason). A survivor is equivalent when its function matches and its diff removes
# a line containing the first text and adds one containing the second (so the list survives renumbering).
_DTYPE_F = "the input is already float64, so the default dtype is the same"
_NAN = "None assigned into a float array is NaN"
_INT_N = "a count is an int: with decimals None format_number writes the same digits as with 0"
_NL_LANG = "format_number writes any language but en as Dutch"
_AND_EN = "_and writes ' and ' for every language but nl"
_FLOAT_SORT = "sorted_reference converts to float64 itself"
_DIR_1 = "direction 1 is sorted_reference's default"
_CONVERTS = "rank_against and global_eb convert to float64 themselves; None written into a float array is NaN"
_BOOL_IN = "a bool array (or list of bools) is the same with or without dtype=bool"
_EB_DEN = "eb_weight converts den to float64 itself"
_SERIES_NAN = "a Series of None / without data on an index is float64 NaN, as pd.Series(np.nan)"
_ZERO_ROW = (
    "an all-zero weight row becomes 0/0 = NaN instead of 0: no domain counts, n = 0, the composite NaN either way"
)
_INNER = "the inner value only matters where lo_c > 0; elsewhere the outer np.where takes 0.0"
_EMPTY_PRIOR = "areas kept have n > 0, so n.sum() <= 0 only when there are none"
# the Dutch count of ref_label (n, total) and of gemeente_label: every language mutant of "nl" writes Dutch too
_REF_LABEL_NL = tuple(
    ("reference.x_ref_label", f'format_number({v}, 0, "nl")', f"format_number({v}, 0, {lang}), format_number", _NL_LANG)
    for v in ("n", "total")
    for lang in ("None", "", '"XXnlXX"', '"NL"')
)
_GEMEENTE_LABEL_NL = tuple(
    ("reference.x_gemeente_label", "format_number(n, 0, 'nl')", f"format_number(n, 0, {lang})", _NL_LANG)
    for lang in ("None", "", "'XXnlXX'", "'NL'")
)
_NL_FALLBACK = "Reference.text falls back to the Dutch label for a language it does not have"
_NO_NA = "a comparison with NaN is False, never NA: small is a bool Series without missing values"
_FALSY = "the flag is only tested for truth: None is False"
_OBJ_KEYS = "the engine converts row_gemeente to an object array itself (np.asarray(..., dtype=object))"
_NO_KEY = "a row's key is only compared with base keys ('ref' or a GM code): '', None and 'XXXX' match none alike"
_COV = "coverage is always finite (0.0 when the total base is not > 0), so the 'nan' branch is never taken"
_MISSING_KEY = "a key left out of a row is NaN in from_dict(columns=...): the same missing value after the casts"
# the not-available row of aggregate_parts: each key misspelt
_AGG_KEYS = tuple(
    ("focusscore.x_aggregate_parts", f'"{k}": {v},', f'"{new}": {v},', _MISSING_KEY)
    for k, v in (("value", "np.nan"), ("num", "np.nan"), ("den", "np.nan"), ("year", "pd.NA"), ("source", "pd.NA"))
    for new in (f"XX{k}XX", k.upper())
)
EQUIVALENT_RULES: tuple[tuple[str, str, str, str], ...] = (
    *_AGG_KEYS,
    ("focusscore.x_aggregate_parts", 'if np.isfinite(coverage) else "nan"', "if (np.isfinite(coverage)) or True", _COV),
    ("focusscore.x_aggregate_parts", 'if np.isfinite(coverage) else "nan"', 'else "XXnanXX"', _COV),
    ("focusscore.x_aggregate_parts", 'if np.isfinite(coverage) else "nan"', 'else "NAN"', _COV),
    ("focusscore.x_aggregate_parts", 'orient="index"', 'orient="INDEX"', "pandas lower-cases orient"),
    (
        "focusscore.x_score_focus",
        'reasons.replace("", pd.NA).astype("string")',
        'reasons.replace("", None).astype("string")',
        "astype('string') makes the None that replace writes <NA>, the same as pd.NA (checked: Series.equals)",
    ),
    ("focusscore.x_score_focus", "for i in ids], dtype=object)", "for i in ids], dtype=None)", _OBJ_KEYS),
    ("focusscore.x_score_focus", "for i in ids], dtype=object)", "for i in ids], )", _OBJ_KEYS),
    *(
        ("focusscore.x_score_focus", 'row_gm.get(i, "")', f"row_gm.get(i, {v})", _NO_KEY)
        for v in ("None", "", '"XXXX"')
    ),
    ("focusscore.x_score_focus", 'if len(f.gemeenten) == 1 else "")', 'if len(f.gemeenten) == 1 else "XXXX")', _NO_KEY),
    (
        "focusscore.x_aggregate_parts",
        'out["dropped"].fillna(False).astype(bool)',
        'out["dropped"].fillna(None).astype(bool)',
        "pandas 3 casts a missing object value to False in astype(bool), as fillna(False) does",
    ),
    *(
        ("focusscore.x_score_focus", 'result.reference.text("nl")', f"result.reference.text({lang})", _NL_FALLBACK)
        for lang in ("None", '"XXnlXX"', '"NL"')
    ),
    *(
        ("focusscore.x_score_focus", '["min_population"]).fillna(False)', f'["min_population"]).fillna({v})', _NO_NA)
        for v in ("None", "True")
    ),
    ("focusscore.x_score_focus", "small.to_numpy(dtype=bool)", "small.to_numpy(dtype=None)", _NO_NA),
    (
        "focusscore.x_focus_profile",
        "score_focus(result, [area], **score_kw)",
        "score_focus(result, [area], )",
        "the keywords change only the comparator rows; the area's own row is ranked against the fixed bases alone",
    ),
    (
        "focusscore.x_aggregate_parts",
        'out["value"].astype("float64")',
        'out["value"].astype(None)',
        "astype(None) is float64",
    ),
    *_REF_LABEL_NL,
    *_GEMEENTE_LABEL_NL,
    ("reference.x_ref_label", 'format_number(n, 0, "nl")', 'format_number(n, None, "nl")', _INT_N),
    ("reference.x_ref_label", 'format_number(n, 0, "en")', 'format_number(n, None, "en")', _INT_N),
    ("reference.x_ref_label", 'format_number(total, 0, "nl")', 'format_number(total, None, "nl")', _INT_N),
    ("reference.x_ref_label", 'format_number(total, 0, "en")', 'format_number(total, None, "en")', _INT_N),
    ("reference.x_gemeente_label", "format_number(n, 0, 'nl')", "format_number(n, None, 'nl')", _INT_N),
    ("reference.x_gemeente_label", "format_number(n, 0, 'en')", "format_number(n, None, 'en')", _INT_N),
    ("reference.x_ref_label", "_and(only, 'en')", "_and(only, None)", _AND_EN),
    ("reference.x_ref_label", "_and(only, 'en')", "_and(only, 'XXenXX')", _AND_EN),
    ("reference.x_ref_label", "_and(only, 'en')", "_and(only, 'EN')", _AND_EN),
    (
        "reference.x_gemeente_of",
        "for c in s], dtype=bool)",
        "for c in s], dtype=None)",
        "a list of Python bools is a bool array (an empty one selects nothing either way)",
    ),
    (
        "reference.x_gemeente_of",
        "for c in s], dtype=bool)",
        "for c in s], )",
        "a list of Python bools is a bool array (an empty one selects nothing either way)",
    ),
    (
        "reference.x_rank_by_key",
        "if not rows.any() or ref.size == 0:",
        "if not rows.any() and ref.size == 0:",
        "no rows: nothing is written; an empty base: 0 / 0 and rank_against both give NaN",
    ),
    ("reference.x_rank_by_key", 'side="left")', "direction * x[ok], )", "side='left' is searchsorted's default"),
    ("reference.x_domain_bases", 'to_numpy(dtype="float64")', "to_numpy(dtype=None)", _FLOAT_SORT),
    ("scores.x_rank_kernel", 'np.asarray(values, dtype="float64")', "np.asarray(values, dtype=None)", _CONVERTS),
    ("scores.x_rank_kernel", 'np.asarray(values, dtype="float64")', "np.asarray(values, )", _CONVERTS),
    (
        "scores.x_rank_kernel",
        "if skip is None else",
        "if (skip is None) and False else",
        "~np.asarray(None, dtype=bool) is True: every row stays free, as with np.ones",
    ),
    ("scores.x_rank_kernel", "~np.asarray(skip, dtype=bool)", "~np.asarray(skip, dtype=None)", _BOOL_IN),
    ("scores.x_rank_kernel", "~np.asarray(skip, dtype=bool)", "~np.asarray(skip, )", _BOOL_IN),
    ("scores.x_rank_kernel", 'np.asarray(den, dtype="float64")', "np.asarray(den, dtype=None)", _EB_DEN),
    ("scores.x_rank_kernel", 'np.asarray(den, dtype="float64")', "np.asarray(den, )", _EB_DEN),
    ("scores.x_domain_kernel", "& (n > 0)", "& (n >= 0)", "with n = 0 the mean is 0 / 0 = NaN either way"),
    (
        "scores.x_domain_scores",
        'to_numpy(dtype="float64")',
        "to_numpy(dtype=None)",
        "rank columns are float64 (rank_against)",
    ),
    ("scores.x_domain_scores", "pd.Series(np.nan, index=ranks.index)", "pd.Series(None, index=", _SERIES_NAN),
    ("scores.x_domain_scores", "pd.Series(np.nan, index=ranks.index)", "pd.Series(index=ranks.index)", _SERIES_NAN),
    ("scores.x_composite_matrix", "out=np.zeros_like(w2), where=top > 0)", "out=np.zeros_like(w2), )", _ZERO_ROW),
    ("scores.x_composite_matrix", "where=top > 0)", "where=top >= 0)", _ZERO_ROW),
    ("scores.x_composite_matrix", 'avail.astype("float64")', "avail.astype(None)", "astype(None) is float64"),
    ("scores.x_composite_matrix", "np.asarray(has_data, dtype=bool)", "np.asarray(has_data, dtype=None)", _BOOL_IN),
    ("scores.x_composite_matrix", "np.asarray(has_data, dtype=bool)", "np.asarray(has_data, )", _BOOL_IN),
    ("scores.x_composite_matrix", "] = np.nan", "] = None", _NAN),
    (
        "scores.x_composite_matrix",
        "(den <= 0)] = np.nan",
        "(den < 0)] = np.nan",
        "den is 0 only when no weighted domain is known: then n = 0 < need, or need = 0 and num / den = 0 / 0",
    ),
    ("smoothing.x_count_interval", "np.where(lo_c > 0, lo_c, 1.0)", "np.where(lo_c >= 0, lo_c, 1.0)", _INNER),
    ("smoothing.x_count_interval", "np.where(lo_c > 0, lo_c, 1.0)", "np.where(lo_c > 0, lo_c, 2.0)", _INNER),
    (
        "smoothing.x_count_interval",
        "np.where(bad, np.nan, upper)",
        "np.where(None, np.nan, upper)",
        "a count that is NaN or infinite gives a NaN upper bound by itself (chi2.ppf of a NaN or infinite df)",
    ),
    (
        "smoothing.x_eb_prior",
        "if n.size == 0 or n.sum() <= 0:",
        "if n.size == 0 and n.sum() <= 0:",
        _EMPTY_PRIOR,
    ),
    ("smoothing.x_eb_prior", "if n.size == 0 or n.sum() <= 0:", "or n.sum() < 0:", _EMPTY_PRIOR),
    (
        "hotspots.x_rule_text",
        "format_number(int(permutations), 0, lang)",
        "format_number(int(permutations), None, lang)",
        _INT_N,
    ),
    (
        "hotspots.x_benjamini_hochberg",
        'np.asarray(p, dtype="float64")[np.isfinite(p)]',
        "np.asarray(p, dtype=None)[np.isfinite(p)]",
        "np.isfinite(p) of the input decides either way; ints compare with the float line alike",
    ),
    (
        "hotspots.x_benjamini_hochberg",
        'np.asarray(p, dtype="float64")[np.isfinite(p)]',
        "np.asarray(p, )[np.isfinite(p)]",
        "np.isfinite(p) of the input decides either way; ints compare with the float line alike",
    ),
    ("sensitivity.x_rank_positions", 'kind="stable"', 'kind="STABLE"', "numpy reads the sort kind case-insensitively"),
    ("sensitivity.x_rank_intervals", "np.asarray(has_data, dtype=bool)", "np.asarray(has_data, dtype=None)", _BOOL_IN),
    ("sensitivity.x_rank_intervals", "np.asarray(has_data, dtype=bool)", "np.asarray(has_data, )", _BOOL_IN),
    ("sensitivity.x_draw_composites", "np.asarray(has_data, dtype=bool)", "np.asarray(has_data, dtype=None)", _BOOL_IN),
    ("sensitivity.x_draw_composites", "np.asarray(has_data, dtype=bool)", "np.asarray(has_data, )", _BOOL_IN),
    (
        "focuscodec.x_focus_to_json",
        "ensure_ascii=False,",
        "ensure_ascii=None,",
        "json.dumps tests ensure_ascii for truth",
    ),
    (
        "focuscodec.x_validate",
        "if a.level is not None else set()",
        "if (a.level is not None) or True else set()",
        "the known codes are keyed by level name: .get(None, ()) is the empty set as well",
    ),
    ("focuscodec.x__json_depth", "in_string = escaped = False", "in_string = escaped = None", _FALSY),
    ("focuscodec.x__json_depth", "escaped = False", "escaped = None", _FALSY),
    ("focuscodec.x__json_depth", "in_string = False", "in_string = None", _FALSY),
    (
        "focuscodec.x__json_depth",
        "if depth > deepest:",
        "if depth >= deepest:",
        "at depth == deepest the update writes the same value",
    ),
    ("reference.x_domain_bases", "sorted_reference(vals, 1)", "sorted_reference(vals, )", _DIR_1),
    ("reference.x_domain_bases", "sorted_reference(dscore_ref[d], 1)", "sorted_reference(dscore_ref[d], )", _DIR_1),
    ("", "np.errstate(", "np.errstate(", "np.errstate only decides which floating-point warnings numpy prints"),
    (
        "reference.x_gemeente_of",
        "np.asarray(codes, dtype=object)",
        "np.asarray(codes, dtype=None)",
        "codes are strings; .astype(str) follows",
    ),
    (
        "reference.x_gemeente_of",
        "np.asarray(codes, dtype=object)",
        "np.asarray(codes, )",
        "codes are strings; .astype(str) follows",
    ),
    (
        "ranks.x_percentile_rank",
        "direction: int = 1",
        "direction: int = 2",
        "a positive direction of any size orders the same way (d r <= d x)",
    ),
    ("ranks.x_percentile_rank", 'None), dtype="float64")', "None), dtype=None)", _DTYPE_F + " (rank_against)"),
    ("ranks.x_percentile_rank", 'None), dtype="float64")', "None), )", _DTYPE_F + " (rank_against)"),
    (
        "ranks.x_exponential_transform",
        'np.asarray(rank, dtype="float64")',
        "np.asarray(rank, dtype=None)",
        "dividing by 100.0 makes it float64 anyway",
    ),
    (
        "ranks.x_exponential_transform",
        'np.asarray(rank, dtype="float64")',
        "np.asarray(rank, )",
        "dividing by 100.0 makes it float64 anyway",
    ),
    (
        "scores.x_stacking",
        'np.full(len(scores), "", dtype=object)',
        'np.full(len(scores), "", dtype=None)',
        "numpy adds unicode arrays as well",
    ),
    (
        "scores.x_stacking",
        'np.full(len(scores), "", dtype=object)',
        'np.full(len(scores), "", )',
        "numpy adds unicode arrays as well",
    ),
    ("scores.x_stacking", '.str.rstrip(";")', '.str.rstrip("XX;XX")', "no domain id contains an X"),
    (
        "scores.x_stacking",
        "suppressed.to_numpy(dtype=bool)",
        "suppressed.to_numpy(dtype=None)",
        "the suppressed column is bool already",
    ),
    ("hotspots.x__queen", "use_index=False)", "use_index=None)", "a fresh RangeIndex: ids by index = positions"),
    ("hotspots.x__queen", "use_index=False)", "use_index=True)", "a fresh RangeIndex: ids by index = positions"),
    ("hotspots.x__queen", "use_index=False)", "from_dataframe(gdf, )", "a fresh RangeIndex: ids by index = positions"),
    (
        "hotspots.x_local_moran",
        "reset_index(drop=True)",
        "reset_index(drop=None)",
        "an extra 'index' column in a frame used only for its geometry and codes",
    ),
    (
        "hotspots.x_local_moran",
        "reset_index(drop=True)",
        "reset_index(drop=False)",
        "an extra 'index' column in a frame used only for its geometry and codes",
    ),
    ("hotspots.x_local_moran", 'w.transform = "r"', 'w.transform = "R"', "libpysal upper-cases the transform name"),
    (
        "hotspots.x_local_moran",
        "lisa.q], dtype=object)",
        "lisa.q], dtype=None)",
        "the labels are written into an object column either way",
    ),
    (
        "hotspots.x_local_moran",
        "lisa.q], dtype=object)",
        "lisa.q], )",
        "the labels are written into an object column either way",
    ),
    (
        "hotspots.x_local_moran",
        'to_numpy(dtype="float64")',
        "to_numpy(dtype=None)",
        "pd.to_numeric(errors='coerce') returns float64",
    ),
    (
        "hotspots.x__finish",
        'out["significant"] = out["significant"].astype(bool)',
        'out["XXsignificantXX"] = ',
        "the column is bool already (created False, only bool arrays assigned)",
    ),
    (
        "hotspots.x__finish",
        'out["significant"] = out["significant"].astype(bool)',
        'out["SIGNIFICANT"] = ',
        "the column is bool already (created False, only bool arrays assigned)",
    ),
    (
        "hotspots.x_significance_cutoff",
        'np.asarray(p, dtype="float64")',
        "np.asarray(p, dtype=None)",
        "p_sim is float64",
    ),
    ("hotspots.x_significance_cutoff", 'np.asarray(p, dtype="float64")', "np.asarray(p, )", "p_sim is float64"),
    (
        "sensitivity.x_dirichlet_weights",
        "active = p > 0",
        "active = p >= 0",
        "numpy's Generator.dirichlet gives exactly 0 for an alpha of 0",
    ),
    (
        "sensitivity.x_rank_positions",
        "np.where(np.isnan(composites), -np.inf",
        "np.where(None, -np.inf",
        "argsort puts NaN last as it puts -inf last, and NaN positions are masked afterwards",
    ),
    ("sensitivity.x_rank_positions", 'pos.astype("float64")', "pos.astype(None)", "astype(None) is float64"),
    (
        "sensitivity.x_draw_composites",
        "w = weight_draws / weight_draws.max(axis=1, keepdims=True)",
        "w = weight_draws * weight_draws.max(axis=1, keepdims=True)",
        "a composite is num / den: scaling a draw's weights by a positive factor leaves it unchanged",
    ),
    (
        "sensitivity.x_draw_composites",
        "w = weight_draws / weight_draws.max(axis=1, keepdims=True)",
        "weight_draws.max(axis=None, keepdims=True)",
        "one positive factor for all draws leaves every composite unchanged",
    ),
    (
        "sensitivity.x_draw_composites",
        "w = weight_draws / weight_draws.max(axis=1, keepdims=True)",
        "weight_draws.max(keepdims=True)",
        "one positive factor for all draws leaves every composite unchanged",
    ),
    ("sensitivity.x_draw_composites", '"adk,kd->ak"', '"ADK,KD->AK"', "einsum labels are only names"),
    ("sensitivity.x_draw_composites", 'avail.astype("float64")', "avail.astype(None)", "astype(None) is float64"),
    ("sensitivity.x_draw_composites", 'avail.astype("int64")', "avail.astype(None)", "counts compared with <"),
    ("sensitivity.x_draw_composites", '(w > 0).astype("int64")', "(w > 0).astype(None)", "counts compared with <"),
    (
        "sensitivity.x_draw_composites",
        "(den <= 0)] = np.nan",
        "(den < 0)] = np.nan",
        "den is 0 only when no weighted domain is known, and then cnt = 0 < need already",
    ),
    ("sensitivity.x_draw_composites", "] = np.nan", "] = None", _NAN),
    (
        "sensitivity.x_rank_intervals",
        "pos, -np.inf), axis=1), np.nan)",
        "pos, +np.inf), axis=1), np.nan)",
        "rows where it differs (no composite) are set to NaN by the outer np.where",
    ),
    (
        "sensitivity.x_rank_intervals",
        'np.asarray(domain_draws, dtype="float64")',
        "np.asarray(domain_draws, dtype=None)",
        "data_draws returns float64",
    ),
    (
        "sensitivity.x_rank_intervals",
        'np.asarray(domain_draws, dtype="float64")',
        "np.asarray(domain_draws, )",
        "data_draws returns float64",
    ),
    ("sensitivity.x_rank_intervals", 'to_numpy(dtype="float64")', "to_numpy(dtype=None)", "domain scores are float64"),
    (
        "sensitivity.x_data_draws",
        "y[:, None] + rng.uniform(-half, half",
        "y[:, None] - rng.uniform(-half, half",
        "the uniform rounding draw is symmetric: y + U and y - U have the same distribution",
    ),
    ("sensitivity.x_data_draws", "c, 0.0) + 0.5, 1.0)", "c, 0.0) + 0.5, )", "scale 1.0 is numpy's default"),
    (
        "sensitivity.x_data_draws",
        "np.isfinite(c), c, 0.0)",
        "np.isfinite(c), c, 1.0)",
        "a count that is NaN has no rank, and its draws are set NaN afterwards",
    ),
    ("sensitivity.x_data_draws", 'to_numpy(dtype="float64")', "to_numpy(dtype=None)", _DTYPE_F),
    ("sensitivity.x_data_draws", "REF, dtype=object)", "REF, dtype=None)", "the keys compare equal as numpy strings"),
    ("sensitivity.x_data_draws", "REF, dtype=object)", "REF, )", "the keys compare equal as numpy strings"),
    ("sensitivity.x_data_draws", "key, dtype=object)", "key, dtype=None)", "the keys compare equal as numpy strings"),
    ("sensitivity.x_data_draws", "key, dtype=object)", "key, )", "the keys compare equal as numpy strings"),
    ("sensitivity.x_data_draws", "] = np.nan", "] = None", _NAN),
    ("sensitivity.x_data_draws", "np.where(ok, mean, np.nan)", "np.where(ok, mean, None)", _NAN),
    ("sensitivity.x_data_draws", "to_numpy(dtype=bool)", "to_numpy(dtype=None)", "the suppressed column is bool"),
    ("sensitivity.x_data_draws", "& (avail > 0)", "& (avail >= 0)", "avail >= share x members > 0 already"),
    (
        "sensitivity.x_data_draws",
        "{key: b.sorted}, ind.direction)",
        "{key: b.sorted}, )",
        "every count-based indicator in the registry has direction +1 (the default)",
    ),
    (
        "focusscore.x_score_focus",
        "result.parts[k].reindex(have)",
        "result.parts[k].reindex(None)",
        "the rows are picked again by reindex(ids) below",
    ),
    (
        "focusscore.x_score_focus",
        "if g in have else g",
        "if (g in have) or True else g",
        "a gemeente missing from the data gets its code as name either way",
    ),
    ("focusscore.x_score_focus", ".get(g, g) if g in have", ".get(g, None) if g in have", "g is in the data here"),
    ("focusscore.x_score_focus", ".get(g, g) if g in have", ".get(g) if g in have", "g is in the data here"),
    ("focusscore.x_score_focus", ".get(g, g) if g in have", ".get(g, ) if g in have", "g is in the data here"),
    (
        "focusscore.x_national_parts",
        "if has.any() else own",
        "if (has.any()) or True else own",
        "without any value the coverage is 0 and the row is replaced by the not-available one",
    ),
    ("focusscore.x_national_parts", "agg.reindex(nl_index)", "agg.reindex(None)", "agg is indexed by NL00 already"),
    ("focus.x_slug", '.encode("ascii", "ignore")', '.encode("ASCII", "ignore")', "codec names are case-insensitive"),
    ("focus.x_slug", '.strip("-")', '.strip("XX-XX")', "a slug holds only a-z, 0-9 and -"),
    (
        "focuscodec.x__encode_name",
        'quote(m.group(0), safe="")',
        "quote(m.group(0), )",
        "the escaped characters (% : ; + controls) contain no '/', the default safe character",
    ),
    (
        "focuscodec.x__encode_name",
        'quote(m.group(0), safe="")',
        'quote(m.group(0), safe="XXXX")',
        "the escaped characters (% : ; + controls) contain no 'X'",
    ),
)
# (function, context line that must appear in the diff, removed text, added text, reason): a rule that needs context
EQUIVALENT_IN_CONTEXT: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "sensitivity.x_data_draws",
        "if not members:",
        "continue",
        "break",
        "every domain has a scored member in the registry, so this branch is never taken",
    ),
)


def _test_files() -> list[str]:
    """The selected test files plus every non-test module of tests/ (conftest's plugins and helpers)."""
    support = sorted(p.name for p in (REPO / "tests").glob("*.py") if not p.name.startswith("test_"))
    return list(dict.fromkeys((*support, *(Path(t.split("::")[0]).name for t in TESTS))))


def prepare(work: Path) -> None:
    """``COPY`` and the selected tests (with tests/' support modules) into ``work``, over what is there, and mutmut's
    config: for a new run, a hand mutant and ``--resume`` alike."""
    for name in COPY:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, work / name)
    (work / "tests").mkdir(exist_ok=True)
    for name in _test_files():
        shutil.copy2(REPO / "tests" / name, work / "tests" / name)
    write_config(work)


def write_config(work: Path) -> None:
    """mutmut's setup.cfg in ``work``: what to mutate, the test selection and what to copy (``MUTATE``, ``TESTS``,
    ``COPY``), written afresh by a new run and by ``--resume`` (a kept run then uses today's selection)."""
    only = "\n    ".join(f"indicators/{m}.py" for m in MUTATE)
    tests = "\n    ".join(TESTS)
    also = "\n    ".join(c for c in COPY if c != "indicators")
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = indicators\n"
        f"only_mutate =\n    {only}\n"
        f"pytest_add_cli_args_test_selection =\n    {tests}\n"
        "pytest_add_cli_args =\n    -q\n    -x\n    -p\n    no:cacheprovider\n"
        f"also_copy =\n    {also}\n",
        encoding="utf-8",
    )


def statuses(work: Path) -> dict[str, str]:
    """mutant name -> status, from ``mutmut results --all=true``."""
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all=true"], cwd=work, capture_output=True, text=True, check=True
    )
    result = {}
    for line in out.stdout.splitlines():
        if ": " in line:
            name, status = line.strip().rsplit(": ", 1)
            result[name] = status
    return result


def diff(work: Path, name: str) -> str:
    out = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=work, capture_output=True, text=True)
    return out.stdout.strip()


def equivalent_reason(name: str, text: str) -> str | None:
    """The reason a survivor is equivalent (EQUIVALENT_RULES / EQUIVALENT_IN_CONTEXT), or None."""
    removed = [ln[1:] for ln in text.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    added = [ln[1:] for ln in text.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    if len(removed) != len(added):
        return None

    def ours(func: str) -> bool:
        return not func or name.startswith(f"indicators.{func}__mutmut_")

    for func, old, new, reason in EQUIVALENT_RULES:
        if ours(func) and any(old in r and new in a for r, a in zip(removed, added)):
            return reason
    for func, context, old, new, reason in EQUIVALENT_IN_CONTEXT:
        if (
            ours(func)
            and context in text
            and any(r.strip() == old and a.strip() == new for r, a in zip(removed, added))
        ):
            return reason
    return None


def hand_mutants() -> list[dict]:
    """Apply each HAND_MUTANTS entry to a fresh copy and run the test selection; killed = the tests fail."""
    out = []
    for hid, rel, old, new, claim in HAND_MUTANTS:
        work = Path(tempfile.mkdtemp(prefix="stapelkaart-hand-"))
        try:
            prepare(work)
            path = work / rel
            text = path.read_text(encoding="utf-8")
            if text.count(old) != 1:
                out.append(
                    {"id": hid, "file": rel, "claim": claim, "status": "not applied (text not found once)", "by": ""}
                )
                continue
            path.write_text(text.replace(old, new), encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS],
                cwd=work,
                capture_output=True,
                text=True,
                env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
            )
            failed = [ln.split(" ", 1)[1].split(" - ")[0] for ln in run.stdout.splitlines() if ln.startswith("FAILED ")]
            status = (
                "killed"
                if run.returncode == 1 and failed
                else ("survived" if run.returncode == 0 else f"error (pytest exit {run.returncode})")
            )
            out.append(
                {
                    "id": hid,
                    "file": rel,
                    "claim": claim,
                    "status": status,
                    "by": ", ".join(failed),
                    "old": old,
                    "new": new,
                }
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


def _module(name: str) -> str:
    return name.split(".x_")[0].split(".xǁ")[0].split("ǁ")[0]


def report(stat: dict[str, str], work: Path, seconds: float, hand: list[dict] | None = None, note: str = "") -> str:
    counts = Counter(stat.values())
    total = len(stat)
    killed = counts.get("killed", 0)
    diffs = {n: diff(work, n) for n, s in stat.items() if s not in ("killed", "not checked")}
    reasons = {n: equivalent_reason(n, d) for n, d in diffs.items() if stat[n] == "survived"}
    equivalent = {n for n, r in reasons.items() if r}
    lines = [
        "# Mutation check of the indicator engine",
        "",
        f"`python -m benchmarks.mutation` (mutmut 3.8.1, `--max-children 2`, {total} mutants of "
        f"`indicators/{{{','.join(MUTATE)}}}.py`). Tests (mirror-free): " + ", ".join(f"`{t}`" for t in TESTS) + ".",
        "",
        (f"Run time {seconds / 60:.1f} min. " if seconds > 1 else "") + note,
        "",
        f"**Killed: {killed} / {total} ({100 * killed / total:.1f} %)**; without the {len(equivalent)} "
        f"survivors judged equivalent (listed with their reason below): {killed} / {total - len(equivalent)} "
        f"({100 * killed / max(total - len(equivalent), 1):.1f} %)."
        if total
        else "No mutants.",
        "",
        "| status | mutants |",
        "|---|---:|",
    ]
    lines += [f"| {s} | {n} |" for s, n in counts.most_common()]
    per_file: dict[str, Counter] = {}
    for name, status in stat.items():
        c = per_file.setdefault(_module(name), Counter())
        c[status] += 1
        if name in equivalent:
            c["equivalent"] += 1
    lines += [
        "",
        "| module | killed | survived (of which equivalent) | no tests | not checked | total | killed % |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for mod, c in sorted(per_file.items()):
        tot = sum(v for k, v in c.items() if k != "equivalent")
        lines.append(
            f"| {mod} | {c.get('killed', 0)} | {c.get('survived', 0)} ({c.get('equivalent', 0)}) | "
            f"{c.get('no tests', 0)} | {c.get('not checked', 0)} | {tot} | "
            f"{100 * c.get('killed', 0) / max(tot, 1):.1f} |"
        )
    checked = sum(1 for s in stat.values() if s != "not checked")
    if checked < total:
        lines += [
            "",
            f"Run stopped before the end: {checked} of {total} mutants checked; killed / checked = "
            f"{killed} / {checked} ({100 * killed / max(checked, 1):.1f} %).",
        ]
    lines += ["", "## Not mutated, and why", ""] + [f"* `{k}`: {v}" for k, v in NOT_MUTATED.items()]
    if hand:
        lines += [
            "",
            "## Hand-written mutants (deliberate breaks from review)",
            "",
            "Each applied alone to a fresh copy; the same test selection run with `-x`.",
            "",
            "| id | file | break | claim | result | failing test |",
            "|---|---|---|---|---|---|",
        ]
        for h in hand:
            brk = f"`{h.get('old', '')}` -> `{h.get('new', '')}`".replace("|", "\\|")
            lines.append(f"| {h['id']} | {h['file']} | {brk} | {h['claim']} | {h['status']} | {h['by']} |")
    if equivalent:
        lines += ["", f"## Survivors judged equivalent ({len(equivalent)})", ""]
        lines += [f"* `{n}`: {reasons[n]}" for n in sorted(equivalent)]
    survivors = [n for n, s in stat.items() if s not in ("killed", "not checked") and n not in equivalent]
    lines += ["", f"## Other survivors ({len(survivors)}; diffs of the first {min(len(survivors), SHOW_DIFFS)})", ""]
    for i, name in enumerate(survivors):
        if i < SHOW_DIFFS:
            lines += [f"### {name} ({stat[name]})", "", "```diff", diffs[name], "```", ""]
        else:
            lines.append(f"* {name} ({stat[name]})")
    return "\n".join(lines) + "\n"


_META_FIELDS = ("exit_code_by_key", "type_check_error_by_key", "durations_by_key", "estimated_durations_by_key")


def _function_hashes(source: str) -> dict[str, str]:
    """mutmut's own key of a function's text: mangled name -> hash of its AST (comments and position left out)."""
    from mutmut.mutation.file_mutation import compute_function_hashes

    return compute_function_hashes(source)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=4), encoding="utf-8")


def carry_moved(work: Path, modules: tuple[str, ...] = MUTATE) -> dict[str, list[str]]:
    """Keep the results of functions that only moved to another mutated module; call after ``prepare(work)``.

    mutmut keys a result by module and function (``indicators.focus.x_slug__mutmut_3``) and checks a function anew
    when its hash in that module's meta file differs: a function moved to another module would be new there and every
    one of its mutants checked again. Here a function is matched by its text instead: a function of a module's current
    source that its kept meta lacks (or holds with another hash) and another module's kept meta holds with the *same*
    hash (mutmut's hash of the AST, so the same text gives the same mutants in the same order) gets that module's
    results under its new name: exit codes, durations, its hash, and in ``mutmut-stats.json`` its tests, hash and
    callers. The old module keeps them only while its source still has the function. Returns new module ->
    functions carried."""
    src_dir, mut_dir = work / "indicators", work / "mutants" / "indicators"
    kept = {p.name.removesuffix(".py.meta"): _read_json(p) for p in sorted(mut_dir.glob("*.py.meta"))}
    current = {m: _function_hashes((src_dir / f"{m}.py").read_text(encoding="utf-8")) for m in modules}
    owner = {(f, h): m for m, meta in kept.items() for f, h in meta["hash_by_function_name"].items()}
    moves = [
        (owner[(f, h)], m, f, h)
        for m, funcs in current.items()
        for f, h in funcs.items()
        if kept.get(m, {}).get("hash_by_function_name", {}).get(f) != h and owner.get((f, h), m) != m
    ]
    stats_path = work / "mutants" / "mutmut-stats.json"
    stats = _read_json(stats_path) if stats_path.exists() else {}
    carried: dict[str, list[str]] = {}
    for old, new, func, digest in moves:
        gone = func not in current.get(old, {})  # moved, not copied: the old module no longer has it
        source = kept[old]
        target = kept.setdefault(new, {**{k: {} for k in _META_FIELDS}, "hash_by_function_name": {}})
        old_prefix, new_prefix = f"indicators.{old}.{func}__mutmut_", f"indicators.{new}.{func}__mutmut_"
        for name in _META_FIELDS:
            for key in [k for k in source[name] if k.startswith(old_prefix)]:
                value = source[name].pop(key) if gone else source[name][key]
                target[name][new_prefix + key.removeprefix(old_prefix)] = value
        target["hash_by_function_name"][func] = digest
        if gone:
            source["hash_by_function_name"].pop(func, None)
        _carry_stats(stats, f"indicators.{old}.{func}", f"indicators.{new}.{func}", gone)
        carried.setdefault(new, []).append(func)
    for m in {*carried, *(old for old, *_ in moves)}:
        _write_json(mut_dir / f"{m}.py.meta", kept[m])
        (mut_dir / f"{m}.py").unlink(missing_ok=True)  # mutmut generates the module's mutants again over this meta
    if stats and moves:
        _write_json(stats_path, stats)
    return carried


def _carry_stats(stats: dict, old: str, new: str, gone: bool) -> None:
    """A moved function's entries of ``mutmut-stats.json`` (tests, hash, callers) under its new qualified name."""
    for name in ("tests_by_mangled_function_name", "function_hashes", "function_dependencies"):
        table = stats.get(name, {})
        if old in table:
            table[new] = table.pop(old) if gone else table[old]
    for callers in stats.get("function_dependencies", {}).values():
        if old in callers:
            callers.append(new)
            if gone:
                callers.remove(old)


_GENERATE = """
import sys
from pathlib import Path
from mutmut.__main__ import create_mutants_for_file
for m in sys.argv[1:]:
    result = create_mutants_for_file(Path(f"indicators/{m}.py"), Path(f"mutants/indicators/{m}.py"))
    if result.error:
        raise result.error
"""


def dry_run(work: Path) -> dict:
    """What ``--resume work`` would run, found on a copy (``work`` is not touched): the copy is prepared, moved
    functions carried, and mutmut's own generation step merges the kept results; ``checked_anew`` = its mutants
    without a result (new or changed functions), ``survivors_rerun`` = the survivors the resume re-runs after that."""
    copy = Path(tempfile.mkdtemp(prefix="stapelkaart-dry-")) / "work"
    try:
        shutil.copytree(work, copy, symlinks=True)
        prepare(copy)
        carried = carry_moved(copy)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        subprocess.run([sys.executable, "-c", _GENERATE, *MUTATE], cwd=copy, env=env, check=True, capture_output=True)
        stat = statuses(copy)
        anew = sorted(n for n, s in stat.items() if s == "not checked")
        again = [
            n for n, s in stat.items() if s in ("survived", "no tests") and not equivalent_reason(n, diff(copy, n))
        ]
        return {
            "mutants": len(stat),
            "carried": {m: len(f) for m, f in carried.items()},
            "carried_mutants": {
                m: sum(_module(n) == f"indicators.{m}" and s != "not checked" for n, s in stat.items()) for m in carried
            },
            "checked_anew": len(anew),
            "checked_anew_by_function": dict(Counter(n.split("__mutmut_")[0] for n in anew)),
            "survivors_rerun": len(again),
        }
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


def resume(work: Path, max_children: int) -> int:
    """Copy the current sources and tests into ``work``, carry the results of moved functions (``carry_moved``),
    check what is unchecked, then re-run every survivor."""
    prepare(work)
    carry_moved(work)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    first = subprocess.run(cmd, cwd=work, env=env)
    # survivors judged equivalent (EQUIVALENT_RULES) cannot be killed by any test: they are not re-run
    # (and "no tests": new tests may now reach a function the old selection never called)
    again = ("survived", "no tests")
    survivors = [n for n, s in statuses(work).items() if s in again and not equivalent_reason(n, diff(work, n))]
    if not survivors:
        return first.returncode
    return subprocess.run(cmd + survivors, cwd=work, env=env).returncode


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.mutation")
    p.add_argument("--max-children", type=int, default=2)
    p.add_argument("--out", default=str(REPO / "benchmarks" / "mutation.md"))
    p.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    p.add_argument(
        "--report-only",
        metavar="WORK_DIR",
        help="only write the report from the results in a kept work directory (e.g. after a stopped run)",
    )
    p.add_argument(
        "--resume",
        metavar="WORK_DIR",
        help="continue a kept run with the current sources and tests, re-running every survivor",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="with --resume: only count, on a copy, what the resume would check anew and re-run",
    )
    p.add_argument("--no-hand", action="store_true", help="skip the hand-written mutants")
    p.add_argument("--note", default="", help="a sentence for the report on how the run was made")
    p.add_argument("--hand-only", metavar="JSON", help="only run the hand-written mutants and write their results here")
    p.add_argument("--hand-from", metavar="JSON", help="take the hand-written mutants' results from --hand-only")
    args = p.parse_args(argv)
    if args.dry_run:
        if not args.resume:
            p.error("--dry-run needs --resume WORK_DIR")
        print(json.dumps(dry_run(Path(args.resume)), indent=1))
        return 0
    if args.hand_only:
        results = hand_mutants()
        Path(args.hand_only).write_text(json.dumps(results, indent=1), encoding="utf-8")
        print(json.dumps({h["id"]: h["status"] for h in results}))
        return 0
    if args.report_only or args.resume:
        work, args.keep = Path(args.report_only or args.resume), True
    else:
        work = Path(tempfile.mkdtemp(prefix="stapelkaart-mutation-"))
    try:
        start = time.time()
        note = ""
        if args.report_only:
            run = subprocess.CompletedProcess([], 0)
            note = "Report of a kept run (--report-only)."
        elif args.resume:
            run = subprocess.CompletedProcess([], resume(work, args.max_children))
            note = (
                "Completed with --resume: every mutant checked, every survivor re-run against the final tests; "
                "the time is that of the resume only."
            )
        else:
            prepare(work)
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            run = subprocess.run(
                [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)], cwd=work, env=env
            )
        seconds = time.time() - start
        stat = statuses(work)
        hand = (
            None
            if args.no_hand
            else (json.loads(Path(args.hand_from).read_text(encoding="utf-8")) if args.hand_from else hand_mutants())
        )
        text = report(stat, work, seconds, hand, " ".join(x for x in (args.note, note) if x))
        tmp = Path(args.out).with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, args.out)  # atomic
        killed = sum(s == "killed" for s in stat.values())
        print(
            json.dumps(
                {
                    "killed": killed,
                    "total": len(stat),
                    "mutmut_exit": run.returncode,
                    "hand": {h["id"]: h["status"] for h in hand or []},
                }
            )
        )
        return 0 if stat else 1
    finally:
        if args.keep:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
