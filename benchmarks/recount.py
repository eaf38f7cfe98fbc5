"""Issue 21, the independent recount: every figure ``python -m indicators`` prints for the default views,
recomputed from ``../shared/data`` with the method text alone (``benchmarks/_recount_calc.py``,
``_recount_focus.py``, ``_recount_labels.py``; none of them imports the engine), compared figure by figure.

    python -m benchmarks.recount        # figures compared / equal / differing per kind, first examples
    python -m benchmarks.recount --as-written   # the same under the method text before these rules were stated

Views (those of the first recount in issue 21): Amsterdam + Zaanstad, wijk, 2024, with the CBS income file,
reference ``nl`` and ``selection``; and the focus areas of the preset ``zaanstad-kansengelijkheid`` plus
"Zaandam-Zuid = WK047911 + WK047912" with their gemeente and Nederland; hotspots of the composite (nl). Equal: the same text, both missing, or
numbers within 1e-9 relative.
"""

from __future__ import annotations

import functools
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from benchmarks import _mirror
from benchmarks._recount_calc import INCOME
from benchmarks._recount_score import recount_score

REPO = Path(__file__).resolve().parents[1]
GEMEENTEN = ("GM0363", "GM0479")
FOCUS_ARGS = ("--preset", "zaanstad-kansengelijkheid", "--define", "Zaandam-Zuid=WK047911,WK047912")
HOTSPOT_ARGS = ("--indicator", "composite", "--reference", "nl")
IDENTITY = {"code", "id", "name", "level", "gemeente_code", "gemeenten", "members", "kind", "year"}
REL = 1e-9


@dataclass
class Tally:
    compared: int = 0
    differing: int = 0
    examples: list[str] = field(default_factory=list)


def kind_of(col: str) -> str:
    """The kind of figure a CLI column holds, for the per-kind counts."""
    if col.startswith("domain__"):
        parts = col.split("__")
        return "domain score" if len(parts) == 2 else f"domain {parts[2]}"
    if col.startswith(("stacking_", "composite")):
        return col.split("__")[0] if "__" not in col else "composite " + col.split("__")[1]
    if "__" in col:
        return {"low": "interval", "high": "interval"}.get(col.split("__")[1], col.split("__")[1])
    if col in ("lisa", "p_sim", "significant", "I", "quadrant"):
        return f"hotspot {col}"
    return col if col in ("reference", "population", "suppressed", "suppressed_reason") else "value"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def equal(a, b) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    a, b = float(a), float(b)
    return abs(a - b) <= REL * max(abs(a), abs(b), 1e-300) or a == b


def compare(view: str, cli: list[dict], mine: pd.DataFrame, key: str, tallies: dict[str, Tally]) -> None:
    """Every non-identity, non-source column of every CLI row against the recount's row of the same ``key``."""
    for row in cli:
        code = row[key]
        for col, val in row.items():
            if col in IDENTITY or col.endswith("__source"):
                continue
            t = tallies.setdefault(kind_of(col), Tally())
            t.compared += 1
            got = mine.at[code, col] if (code in mine.index and col in mine.columns) else "(not recounted)"
            got = None if not isinstance(got, str) and pd.isna(got) else got
            if not equal(val, got):
                t.differing += 1
                if len(t.examples) < 3:
                    t.examples.append(f"{view} {code} {col}: CLI {val!r:.80}, recount {got!r:.80}")


def cli_json(*args: str) -> list[dict]:
    """``python -m indicators <args> --format json --full`` with the income file, against the running mirror."""
    cmd = [sys.executable, "-m", "indicators", *args, "--year", "2024", "--format", "json", "--full"]
    proc = subprocess.run(
        [*cmd, "--income-file", str(INCOME)], cwd=REPO, capture_output=True, text=True, timeout=600, env=os.environ
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout)


def views() -> list[tuple[str, Callable[[], list[dict]], Callable[[], pd.DataFrame], str]]:
    from benchmarks._recount_focus import recount_focus
    from benchmarks._recount_hotspots import recount_hotspots

    score = ("score", "--gemeente", *GEMEENTEN, "--level", "wijk")
    nl = functools.cache(lambda: recount_score("nl"))  # the nl view and the hotspots both read it (5 s each)
    return [
        ("nl", lambda: cli_json(*score, "--reference", "nl"), nl, "code"),
        ("selection", lambda: cli_json(*score, "--reference", "selection"), lambda: recount_score("selection"), "code"),
        ("focus", lambda: cli_json("focus", *FOCUS_ARGS, "--reference", "nl"), recount_focus, "id"),
        (
            "hotspots",
            lambda: cli_json("hotspots", "--gemeente", *GEMEENTEN, "--level", "wijk", *HOTSPOT_ARGS),
            lambda: recount_hotspots(nl()["composite"]),
            "code",
        ),
    ]


def recount() -> dict[str, Tally]:
    """Start the mirror, run the CLI views, compare: tallies per kind of figure."""
    tallies: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory() as tmp, _mirror.running(Path(tmp), cache_dir=Path(tmp) / "cache"):
        for view, run_cli, run_mine, key in views():
            compare(view, run_cli(), run_mine(), key, tallies)
    return tallies


def report(tallies: dict[str, Tally]) -> str:
    total = sum(t.compared for t in tallies.values())
    bad = sum(t.differing for t in tallies.values())
    lines = [f"figures compared: {total}; equal: {total - bad}; differing: {bad}", ""]
    lines.append(f"{'kind':<28}{'compared':>10}{'equal':>10}{'differing':>10}")
    for kind, t in sorted(tallies.items()):
        lines.append(f"{kind:<28}{t.compared:>10}{t.compared - t.differing:>10}{t.differing:>10}")
        lines += [f"    {e}" for e in t.examples]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``--as-written``: the recount under the method text as it stood before issue 21's rules were stated."""
    from benchmarks import _recount_calc

    _recount_calc.STATED["rules"] = "--as-written" not in (sys.argv[1:] if argv is None else argv)
    print(report(recount()))


if __name__ == "__main__":
    main()
