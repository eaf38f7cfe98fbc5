"""Mutation check of the indicator engine: mutmut over ``indicators/`` with a fast test selection.

    .venv/bin/python -m benchmarks.mutation [--max-children 2] [--out benchmarks/mutation.md] [--keep]

Copies the code and the fast, mirror-free tests into a temporary directory (so the repository never gets a
``mutants/`` folder or a mutmut config), writes a ``setup.cfg`` ``[mutmut]`` section there, runs
``mutmut run`` and writes ``benchmarks/mutation.md``: killed / total per file and every surviving mutant with
its diff. Not part of ``make test``: it takes minutes (about 10-15 on 2 cores).

Mutated: ``indicators/{ranks,scores,reference,smoothing,focus,hotspots,sensitivity}.py`` (rank, score, base,
shrinkage, focus-aggregation, LISA and interval rules). Tests: ``tests/test_measure_units.py``,
``tests/test_indicators_engine.py``, ``tests/test_indicators_sensitivity.py``.
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
MUTATE = ("ranks", "scores", "reference", "smoothing", "focus", "hotspots", "sensitivity")
TESTS = ("tests/test_measure_units.py", "tests/test_indicators_engine.py", "tests/test_indicators_sensitivity.py")
COPY = ("indicators", "data", "geo", "pytest.ini")
SHOW_DIFFS = 40


def prepare(work: Path) -> None:
    for name in COPY:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, work / name)
    (work / "tests").mkdir()
    for name in ("__init__.py", "conftest.py", *(Path(t).name for t in TESTS)):
        shutil.copy2(REPO / "tests" / name, work / "tests" / name)
    only = "\n    ".join(f"indicators/{m}.py" for m in MUTATE)
    tests = "\n    ".join(TESTS)
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = indicators\n"
        f"only_mutate =\n    {only}\n"
        f"pytest_add_cli_args_test_selection =\n    {tests}\n"
        "pytest_add_cli_args =\n    -q\n    -x\n    -p\n    no:cacheprovider\n"
        "also_copy =\n    data\n    geo\n    pytest.ini\n",
        encoding="utf-8")


def statuses(work: Path) -> dict[str, str]:
    """mutant name -> status, from ``mutmut results --all=true``."""
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all=true"], cwd=work,
                         capture_output=True, text=True, check=True)
    result = {}
    for line in out.stdout.splitlines():
        if ": " in line:
            name, status = line.strip().rsplit(": ", 1)
            result[name] = status
    return result


def diff(work: Path, name: str) -> str:
    out = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=work, capture_output=True, text=True)
    return out.stdout.strip()


def report(stat: dict[str, str], work: Path, seconds: float) -> str:
    counts = Counter(stat.values())
    total = len(stat)
    killed = counts.get("killed", 0)
    lines = ["# Mutation check of the indicator engine", "",
             f"`python -m benchmarks.mutation` (mutmut, {total} mutants of "
             f"`indicators/{{{','.join(MUTATE)}}}.py`; tests: {', '.join(f'`{t}`' for t in TESTS)}), "
             + (f"{seconds / 60:.1f} min." if seconds > 1 else "report of an earlier run (--report-only)."), "",
             f"**Killed: {killed} / {total} ({100 * killed / total:.1f} %)**" if total else "No mutants.", "",
             "| status | mutants |", "|---|---:|"]
    lines += [f"| {s} | {n} |" for s, n in counts.most_common()]
    per_file: dict[str, Counter] = {}
    for name, status in stat.items():
        per_file.setdefault(name.split(".x_")[0].split("ǁ")[0], Counter())[status] += 1
    lines += ["", "| module | killed | survived | not checked | total |", "|---|---:|---:|---:|---:|"]
    for mod, c in sorted(per_file.items()):
        lines.append(f"| {mod} | {c.get('killed', 0)} | {c.get('survived', 0)} | {c.get('not checked', 0)} | "
                     f"{sum(c.values())} |")
    checked = sum(1 for s in stat.values() if s != "not checked")
    if checked < total:
        lines += ["", f"Run stopped before the end: {checked} of {total} mutants checked; killed / checked = "
                      f"{killed} / {checked} ({100 * killed / max(checked, 1):.1f} %)."]
    survivors = [n for n, s in stat.items() if s not in ("killed", "not checked")]
    lines += ["", f"## Survivors ({len(survivors)}; diffs of the first {min(len(survivors), SHOW_DIFFS)})", ""]
    for i, name in enumerate(survivors):
        if i < SHOW_DIFFS:
            lines += [f"### {name} ({stat[name]})", "", "```diff", diff(work, name), "```", ""]
        else:
            lines.append(f"* {name} ({stat[name]})")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.mutation")
    p.add_argument("--max-children", type=int, default=2)
    p.add_argument("--out", default=str(REPO / "benchmarks" / "mutation.md"))
    p.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    p.add_argument("--report-only", metavar="WORK_DIR",
                   help="only write the report from the results in a kept work directory (e.g. after a stopped run)")
    args = p.parse_args(argv)
    if args.report_only:
        work, args.keep = Path(args.report_only), True
    else:
        work = Path(tempfile.mkdtemp(prefix="stapelkaart-mutation-"))
    try:
        start = time.time()
        if args.report_only:
            run = subprocess.CompletedProcess([], 0)
        else:
            prepare(work)
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            run = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)],
                                 cwd=work, env=env)
        seconds = time.time() - start
        stat = statuses(work)
        text = report(stat, work, seconds)
        tmp = Path(args.out).with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, args.out)  # atomic
        killed = sum(s == "killed" for s in stat.values())
        print(json.dumps({"killed": killed, "total": len(stat), "mutmut_exit": run.returncode}))
        return 0 if stat else 1
    finally:
        if args.keep:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
