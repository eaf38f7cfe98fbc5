"""``python -m benchmarks.mutation --resume``: a function that only moved to another mutated module keeps its results.

A small kept run is made with mutmut's own generation step, results are set, then two functions move from module
``a`` to module ``b``: one with the same text (and a new comment), one with a changed line. After ``carry_moved``
mutmut's generation merges the kept results: the moved function's mutants have the same names under ``b`` and keep
their exit codes; the changed one is checked anew; the function that stayed keeps its own. Mirror-free; needs mutmut
(requirements-mutation.txt).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mutmut")

from benchmarks.mutation import _GENERATE, carry_moved

STAY = """
def stay(x):
    return x + 1 if x > 0 else x - 1
"""
MOVE = """
def move(values, limit=3):
    out = [v * 2 for v in values if v < limit]
    return sum(out) or None
"""
CHANGE = """
def change(text):
    return text.strip().lower() + "-x"
"""


def _generate(work: Path, *modules: str) -> None:
    subprocess.run([sys.executable, "-c", _GENERATE, *modules], cwd=work, check=True, capture_output=True)


def _meta(work: Path, module: str) -> dict:
    return json.loads((work / "mutants" / "indicators" / f"{module}.py.meta").read_text(encoding="utf-8"))


def _prefix(module: str, func: str) -> str:
    return f"indicators.{module}.x_{func}__mutmut_"


def test_a_moved_function_keeps_its_results_and_a_changed_one_is_checked_anew(tmp_path):
    work = tmp_path / "work"
    (work / "indicators").mkdir(parents=True)
    (work / "mutants" / "indicators").mkdir(parents=True)
    (work / "setup.cfg").write_text(
        "[mutmut]\nsource_paths = indicators\nonly_mutate =\n    indicators/a.py\n    indicators/b.py\n",
        encoding="utf-8",
    )
    (work / "indicators" / "a.py").write_text(STAY + MOVE + CHANGE, encoding="utf-8")
    (work / "indicators" / "b.py").write_text("B = 1\n", encoding="utf-8")
    _generate(work, "a", "b")
    before = _meta(work, "a")
    # a kept run: every mutant checked, alternately killed (1) and survived (0)
    before["exit_code_by_key"] = {k: i % 2 for i, k in enumerate(sorted(before["exit_code_by_key"]))}
    before["durations_by_key"] = dict.fromkeys(before["exit_code_by_key"], 0.5)
    (work / "mutants" / "indicators" / "a.py.meta").write_text(json.dumps(before), encoding="utf-8")
    stats = {
        "tests_by_mangled_function_name": {f"indicators.a.x_{f}": [f"t::{f}"] for f in ("stay", "move", "change")},
        "function_hashes": {f"indicators.a.x_{f}": before["hash_by_function_name"][f"x_{f}"] for f in ("stay", "move")},
        "function_dependencies": {"indicators.a.x_stay": ["indicators.a.x_move"]},
    }
    (work / "mutants" / "mutmut-stats.json").write_text(json.dumps(stats), encoding="utf-8")
    moved = {k: v for k, v in before["exit_code_by_key"].items() if k.startswith(_prefix("a", "move"))}
    assert len(moved) >= 5 and set(moved.values()) == {0, 1}

    # the split: move() to b with the same text (after other code, with a comment), change() to b with a new line
    (work / "indicators" / "a.py").write_text(STAY, encoding="utf-8")
    (work / "indicators" / "b.py").write_text(
        "B = 1\n" + CHANGE.replace('"-x"', '"-y"') + "\n# moved here\n" + MOVE, encoding="utf-8"
    )
    assert carry_moved(work, ("a", "b")) == {"b": ["x_move"]}
    _generate(work, "a", "b")  # mutmut's own merge of kept results with the sources
    a, b = _meta(work, "a"), _meta(work, "b")

    carried = {k: v for k, v in b["exit_code_by_key"].items() if k.startswith(_prefix("b", "move"))}
    assert carried == {k.replace("indicators.a.", "indicators.b.", 1): v for k, v in moved.items()}
    assert all(b["durations_by_key"][k] == 0.5 for k in carried)
    changed = [v for k, v in b["exit_code_by_key"].items() if k.startswith(_prefix("b", "change"))]
    assert changed and all(v is None for v in changed)  # a changed text is checked anew
    assert set(a["exit_code_by_key"]) == {k for k in before["exit_code_by_key"] if k.startswith(_prefix("a", "stay"))}
    assert all(v is not None for v in a["exit_code_by_key"].values())  # what stayed keeps its results

    after = json.loads((work / "mutants" / "mutmut-stats.json").read_text(encoding="utf-8"))
    assert after["tests_by_mangled_function_name"]["indicators.b.x_move"] == ["t::move"]
    assert "indicators.a.x_move" not in after["tests_by_mangled_function_name"]
    assert after["function_hashes"]["indicators.b.x_move"] == stats["function_hashes"]["indicators.a.x_move"]
    assert after["function_dependencies"]["indicators.a.x_stay"] == ["indicators.b.x_move"]
