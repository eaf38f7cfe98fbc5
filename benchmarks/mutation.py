"""Mutation check of the indicator engine: mutmut over ``indicators/`` with a fast test selection.

    .venv/bin/python -m benchmarks.mutation [--max-children 2] [--out benchmarks/mutation.md] [--keep]
    .venv/bin/python -m benchmarks.mutation --resume WORK_DIR     # continue a kept run with the current tests
    .venv/bin/python -m benchmarks.mutation --report-only WORK_DIR

Copies the code and the fast, mirror-free tests into a temporary directory (so the repository never gets a
``mutants/`` folder or a mutmut config), writes a ``setup.cfg`` ``[mutmut]`` section there, runs
``mutmut run`` and writes ``benchmarks/mutation.md``: killed / total per module, every surviving mutant with its
diff, the survivors judged equivalent (``EQUIVALENT``, one-line reason each) and the hand-written mutants
(``HAND_MUTANTS``). Not part of ``make test``: a full run takes about an hour on 2 shared cores.

``--resume`` copies the current sources and test files into a kept work directory, lets mutmut check what is not
checked yet (changed functions, new mutants) and then re-runs every survivor against the current tests: a test
added after a run can only kill more mutants, and each survivor is checked against it explicitly.

Mutated: ``indicators/{ranks,scores,reference,smoothing,focus,hotspots,sensitivity}.py`` (rank, score, base,
shrinkage, focus-aggregation, LISA and interval rules); ``NOT_MUTATED`` says why the other modules are not.
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
MUTATE = ("ranks", "scores", "reference", "smoothing", "focus", "hotspots", "sensitivity")
# Mirror-free tests only (a test that needs ../shared is skipped in the temporary copy anyway: it has no ../shared).
_FOCUS = "tests/test_focus_areas.py::"
TESTS = ("tests/test_measure_units.py", "tests/test_indicators_engine.py", "tests/test_indicators_sensitivity.py",
         "tests/test_measure_rules.py",
         _FOCUS + "test_url_param_round_trips_any_name_through_a_real_query_string",
         _FOCUS + "test_compact_form_typed_by_hand",
         _FOCUS + "test_param_bounds_and_syntax_errors_name_the_problem",
         _FOCUS + "test_validate_names_every_bad_member_and_drops_nothing",
         _FOCUS + "test_json_export_import_round_trip_and_rejects_other_files")
COPY = ("indicators", "data", "geo", "pytest.ini")
SHOW_DIFFS = 400

NOT_MUTATED = {
    "engine": "orchestration of the rules (1 718 mutants, about an hour more on 2 shared cores); its reference-set "
              "rule (suppressed areas out of the reference) is a hand-written mutant below, and every rule it calls "
              "(ranks, scores, reference, smoothing) is mutated",
    "rates": "value formulas and their sources (numerator / denominator per indicator), tested against "
             "../shared/data in tests/test_indicators_real.py and tests/test_measure_claims.py (mirror tests)",
    "registry": "declarations (the indicators as data), no logic",
    "method, weights, tables": "text and formatting of what the rules say",
    "trend, changes, __main__": "not part of the issue-10 measure (changes.py belongs to another owner; the CLI "
                                "is tested over the mirror)",
}

# Hand-written mutants: (id, file, text in the file, replacement, the claim a test must defend).
HAND_MUTANTS = (
    ("suppressed-in-reference", "indicators/engine.py",
     "in_ref = index.isin(reference.codes) & ~area_suppressed.to_numpy()",
     "in_ref = index.isin(reference.codes)",
     "suppressed areas (< 200 inhabitants) are excluded from the reference"),
    ("suppressed-in-level-base", "indicators/engine.py",
     "at_level = (_levels(base) == level).to_numpy() & ~area_suppressed.to_numpy()",
     "at_level = (_levels(base) == level).to_numpy()",
     "suppressed areas are excluded from the own-gemeente base too"),
    ("rank-outside-interval", "indicators/sensitivity.py",
     '"rank": rank_positions(base[:, None])[:, 0]',
     '"rank": rank_positions(-base[:, None])[:, 0]',
     "the rank with the chosen weights lies inside its interval"),
    ("interval-weights-only", "indicators/sensitivity.py",
     "comps = draw_composites(np.asarray(domain_draws, dtype=\"float64\"), draws, min_domains)",
     "comps, _, _ = composite_matrix(x, draws, min_domains)",
     "the interval with data draws covers data uncertainty, not weights alone"),
    ("hh-ll-swap", "indicators/hotspots.py",
     'QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}',
     'QUADRANTS = {1: "LL", 2: "LH", 3: "HH", 4: "HL"}',
     "a planted high cluster is HH, a low one LL"),
    ("hl-lh-swap", "indicators/hotspots.py",
     'QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}',
     'QUADRANTS = {1: "HH", 2: "HL", 3: "LL", 4: "LH"}',
     "a high outlier among low neighbours is HL"),
)

# Survivors judged equivalent (no test can tell them apart from the original), with the reason.
EQUIVALENT: dict[str, str] = {}


def prepare(work: Path) -> None:
    for name in COPY:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, work / name)
    (work / "tests").mkdir()
    for name in dict.fromkeys(("__init__.py", "conftest.py", *(Path(t.split("::")[0]).name for t in TESTS))):
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
                out.append({"id": hid, "file": rel, "claim": claim, "status": "not applied (text not found once)",
                            "by": ""})
                continue
            path.write_text(text.replace(old, new), encoding="utf-8")
            run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS],
                                 cwd=work, capture_output=True, text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
            failed = [ln.split(" ", 1)[1].split(" - ")[0] for ln in run.stdout.splitlines() if ln.startswith("FAILED ")]
            status = "killed" if run.returncode == 1 and failed else ("survived" if run.returncode == 0 else
                                                                      f"error (pytest exit {run.returncode})")
            out.append({"id": hid, "file": rel, "claim": claim, "status": status, "by": ", ".join(failed),
                        "old": old, "new": new})
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


def _module(name: str) -> str:
    return name.split(".x_")[0].split(".xǁ")[0].split("ǁ")[0]


def report(stat: dict[str, str], work: Path, seconds: float, hand: list[dict] | None = None,
           note: str = "") -> str:
    counts = Counter(stat.values())
    total = len(stat)
    killed = counts.get("killed", 0)
    equivalent = {n for n, s in stat.items() if s == "survived" and n in EQUIVALENT}
    lines = ["# Mutation check of the indicator engine", "",
             f"`python -m benchmarks.mutation` (mutmut 3.8.1, `--max-children 2`, {total} mutants of "
             f"`indicators/{{{','.join(MUTATE)}}}.py`). Tests (mirror-free): "
             + ", ".join(f"`{t}`" for t in TESTS) + ".", "",
             (f"Run time {seconds / 60:.1f} min. " if seconds > 1 else "") + note, "",
             f"**Killed: {killed} / {total} ({100 * killed / total:.1f} %)**; without the {len(equivalent)} "
             f"survivors judged equivalent (listed with their reason below): {killed} / {total - len(equivalent)} "
             f"({100 * killed / max(total - len(equivalent), 1):.1f} %)." if total else "No mutants.", "",
             "| status | mutants |", "|---|---:|"]
    lines += [f"| {s} | {n} |" for s, n in counts.most_common()]
    per_file: dict[str, Counter] = {}
    for name, status in stat.items():
        c = per_file.setdefault(_module(name), Counter())
        c[status] += 1
        if name in equivalent:
            c["equivalent"] += 1
    lines += ["", "| module | killed | survived (of which equivalent) | no tests | not checked | total | killed % |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for mod, c in sorted(per_file.items()):
        tot = sum(v for k, v in c.items() if k != "equivalent")
        lines.append(f"| {mod} | {c.get('killed', 0)} | {c.get('survived', 0)} ({c.get('equivalent', 0)}) | "
                     f"{c.get('no tests', 0)} | {c.get('not checked', 0)} | {tot} | "
                     f"{100 * c.get('killed', 0) / max(tot, 1):.1f} |")
    checked = sum(1 for s in stat.values() if s != "not checked")
    if checked < total:
        lines += ["", f"Run stopped before the end: {checked} of {total} mutants checked; killed / checked = "
                      f"{killed} / {checked} ({100 * killed / max(checked, 1):.1f} %)."]
    lines += ["", "## Not mutated, and why", ""] + [f"* `{k}`: {v}" for k, v in NOT_MUTATED.items()]
    if hand:
        lines += ["", "## Hand-written mutants (deliberate breaks from review)", "",
                  "Each applied alone to a fresh copy; the same test selection run with `-x`.", "",
                  "| id | file | break | claim | result | failing test |", "|---|---|---|---|---|---|"]
        for h in hand:
            brk = f"`{h.get('old', '')}` -> `{h.get('new', '')}`".replace("|", "\\|")
            lines.append(f"| {h['id']} | {h['file']} | {brk} | {h['claim']} | {h['status']} | {h['by']} |")
    if equivalent:
        lines += ["", f"## Survivors judged equivalent ({len(equivalent)})", ""]
        lines += [f"* `{n}`: {EQUIVALENT[n]}" for n in sorted(equivalent)]
    survivors = [n for n, s in stat.items() if s not in ("killed", "not checked") and n not in equivalent]
    lines += ["", f"## Other survivors ({len(survivors)}; diffs of the first {min(len(survivors), SHOW_DIFFS)})", ""]
    for i, name in enumerate(survivors):
        if i < SHOW_DIFFS:
            lines += [f"### {name} ({stat[name]})", "", "```diff", diff(work, name), "```", ""]
        else:
            lines.append(f"* {name} ({stat[name]})")
    return "\n".join(lines) + "\n"


def resume(work: Path, max_children: int) -> int:
    """Copy the current sources and tests into ``work``, check what is unchecked, then re-run every survivor."""
    for name in ("indicators", "data", "geo"):
        shutil.copytree(REPO / name, work / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    for name in dict.fromkeys(("__init__.py", "conftest.py", *(Path(t.split("::")[0]).name for t in TESTS))):
        shutil.copy2(REPO / "tests" / name, work / "tests" / name)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    first = subprocess.run(cmd, cwd=work, env=env)
    survivors = [n for n, s in statuses(work).items() if s == "survived"]
    if not survivors:
        return first.returncode
    return subprocess.run(cmd + survivors, cwd=work, env=env).returncode


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.mutation")
    p.add_argument("--max-children", type=int, default=2)
    p.add_argument("--out", default=str(REPO / "benchmarks" / "mutation.md"))
    p.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    p.add_argument("--report-only", metavar="WORK_DIR",
                   help="only write the report from the results in a kept work directory (e.g. after a stopped run)")
    p.add_argument("--resume", metavar="WORK_DIR",
                   help="continue a kept run with the current sources and tests, re-running every survivor")
    p.add_argument("--no-hand", action="store_true", help="skip the hand-written mutants")
    args = p.parse_args(argv)
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
            note = ("Completed with --resume: every mutant checked, every survivor re-run against the final tests; "
                    "the time is that of the resume only.")
        else:
            prepare(work)
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            run = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)],
                                 cwd=work, env=env)
        seconds = time.time() - start
        stat = statuses(work)
        hand = None if args.no_hand else hand_mutants()
        text = report(stat, work, seconds, hand, note)
        tmp = Path(args.out).with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, args.out)  # atomic
        killed = sum(s == "killed" for s in stat.values())
        print(json.dumps({"killed": killed, "total": len(stat), "mutmut_exit": run.returncode,
                          "hand": {h["id"]: h["status"] for h in hand or []}}))
        return 0 if stat else 1
    finally:
        if args.keep:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
