"""Run every ``benchmarks/bench_*.py`` module's ``main()`` in name order; each prints its own lines.

    python -m benchmarks            # all
    python -m benchmarks rescore    # only bench_rescore
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    if argv:
        names = [n for n in names if n.removeprefix("bench_") in argv or n in argv]
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            module.main()
        except Exception as exc:  # report and continue with the next benchmark; exit code says it failed
            print(f"{name}: FAILED {type(exc).__name__}: {exc}")
            failed += 1
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
