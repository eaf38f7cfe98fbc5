"""Issue 20: one module for missing values (core/values.py): every CBS/PDOK/user-file "no figure" sign
becomes NaN through the one number cleaner, never 0, and no data module keeps a second list or cleaner."""

from __future__ import annotations

import ast
import io
import tokenize

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO

# Every sign the modules listed before issue 20 (data/cbs.py MISSING_VALUES and its text signs,
# data/pdok_service.py MISSING_VALUES, data/userfiles.py MISSING_TOKENS/MISSING_NUMBERS, data/health.py's
# "." / "x"), plus CBS's ".." / "?" / "geheim", written as the sources write them.
CBS = [-99997, -99999999, -99997.0, -99999999.0, "", ".", "x", "-", "  .  ", None]
PDOK = [-99997, -99999999]
USERFILES = [
    "",
    ".",
    "..",
    "-",
    "x",
    "?",
    "-99997",
    "-99999999",
    "-99997.0",
    "-99999999.0",
    "geheim",
    "nan",
    "na",
    "n/a",
    "null",
    "none",
    -99997.0,
    -99999999.0,
]
HEALTH = [".", "x", None]
MORE = ["..", "?", "geheim", "Geheim", " X ", "NULL", "\u00a0.\u00a0", np.nan, pd.NA]
ALL = CBS + PDOK + USERFILES + HEALTH + MORE


@pytest.mark.parametrize("raw", ALL, ids=repr)
def test_every_sign_is_nan_through_the_one_cleaner(raw):
    from core.values import clean_number, clean_numbers

    assert np.isnan(clean_number(raw))
    out = clean_numbers(pd.Series([raw, 0, "0", 12.5], dtype=object, name="v"))
    assert out.dtype == "float64" and out.name == "v"
    assert np.isnan(out.iloc[0]) and out.iloc[1:].tolist() == [0.0, 0.0, 12.5]  # a real 0 stays 0


def test_numeric_arrays_and_series_of_every_dtype():
    """Numbers as CBS/PDOK JSON gives them: int64 and float64 columns, the placeholders NaN, nothing else."""
    from core.values import clean_numbers

    ints = clean_numbers(np.array([-99997, 3, -99999999, 0], dtype="int64"))
    assert isinstance(ints, np.ndarray) and ints.dtype == "float64"
    np.testing.assert_array_equal(ints, [np.nan, 3.0, np.nan, 0.0])
    floats = clean_numbers(pd.Series([-99997.0, 1.5, np.inf, -0.1], index=[7, 8, 9, 10]))
    assert floats.index.tolist() == [7, 8, 9, 10]
    np.testing.assert_array_equal(floats.to_numpy(), [np.nan, 1.5, np.nan, -0.1])
    assert clean_numbers([]).shape == (0,)


def test_text_numbers_and_bad_cells():
    from core.values import clean_numbers, parse_numbers

    assert clean_numbers(["12.5", " 3 ", "1.234,5", "7,5"]).tolist()[:2] == [12.5, 3.0]
    vals, ok = parse_numbers(["1.234,5", "veel", "1e999", True, "-99997", "geheim"], decimal_comma=True)
    np.testing.assert_array_equal(vals, [1234.5, np.nan, np.nan, np.nan, np.nan, np.nan])
    assert ok.tolist() == [True, False, False, False, True, True]  # a missing sign is fine, 'veel' is not


def test_user_file_signs_are_nan_and_words_are_errors():
    """A user CSV with every sign: NaN (not errors), one real 0 kept; 'veel' is reported as 'geen getal'."""
    from core.errors import UserFileError
    from data import userfiles

    signs = ["", ".", "..", "-", "x", "?", "-99997", "-99999999", "geheim", "0"]
    body = "regiocode,waarde\n" + "".join(f"WK0479{i + 10:02d},{s}\n" for i, s in enumerate(signs))
    uf = userfiles.load_indicator_file(body.encode(), filename="tekens.csv", year=2024, unknown_codes="skip")
    col = uf.frame[next(c for c in uf.frame.columns if c not in ("code", "name", "level", "gemeente_code", "year"))]
    assert col.isna().sum() == len(signs) - 1 and (col == 0).sum() == 1
    with pytest.raises(UserFileError, match="geen getal"):
        userfiles.load_indicator_file(
            b"regiocode,waarde\nWK047910,veel\nWK047911,3\nWK047912,4\n",
            filename="woord.csv",
            year=2024,
            unknown_codes="skip",
        )


def _py_files():
    skip = {REPO / "core" / "values.py"}
    for top in ("core", "data", "indicators", "geo", "pages", "components", "benchmarks", "scripts"):
        for path in sorted((REPO / top).rglob("*.py")):
            if path not in skip and "node_modules" not in path.parts:
                yield path
    yield REPO / "app.py"


def test_no_second_copy_of_the_signs_or_a_cleaner():
    """No code outside core/values.py (and tests/) writes -99997 / -99999999 as a number or a string value,
    defines its own MISSING_* list, or its own number cleaner (comments and docstrings may name them)."""
    offenders = []
    for path in _py_files():
        text = path.read_text()
        rel = path.relative_to(REPO).as_posix()
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NUMBER and tok.string.replace("_", "").rstrip("0").rstrip(".") in (
                "99997",
                "99999999",
            ):
                offenders.append((rel, tok.start[0], tok.string))
            elif tok.type == tokenize.STRING:
                try:
                    value = ast.literal_eval(tok.string)
                except (ValueError, SyntaxError):
                    continue
                if isinstance(value, str) and value.strip() in ("-99997", "-99999999", "-99997.0", "-99999999.0"):
                    offenders.append((rel, tok.start[0], tok.string))
        for node in ast.walk(ast.parse(text)):
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            offenders += [
                (rel, node.lineno, t.id) for t in targets if isinstance(t, ast.Name) and t.id.startswith("MISSING_")
            ]
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") in (
                "clean_number",
                "clean_numbers",
                "parse_number",
                "parse_numbers",
            ):
                offenders.append((rel, node.lineno, f"def {node.name}"))
    assert offenders == []


@pytest.mark.parametrize("module", ["data/cbs.py", "data/pdok_frame.py", "data/userfiles.py", "data/health.py"])
def test_the_loaders_use_the_one_cleaner(module):
    tree = ast.parse((REPO / module).read_text())
    imported = {
        a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "core.values" for a in n.names
    }
    assert imported & {"clean_numbers", "parse_numbers", "clean_number"}, module


def test_core_values_imports_only_the_bottom_layer():
    tree = ast.parse((REPO / "core" / "values.py").read_text())
    mods = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    mods |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert mods <= {"__future__", "math", "re", "collections", "typing", "numpy", "pandas"}, mods
