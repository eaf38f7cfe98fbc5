"""Run every ``benchmarks/bench_*.py`` module's ``main()`` in name order and record the results.

    python -m benchmarks            # all, and rewrite benchmarks/results.md
    python -m benchmarks rescore    # only bench_rescore (results.md is left alone)
    python -m benchmarks load       # only bench_load: N concurrent sessions over the websocket

Each benchmark prints its own lines, ratios measured in the same run (not absolute times alone).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


class _Tee(io.TextIOBase):
    """Write to the terminal and keep a copy for results.md."""

    def __init__(self, stream) -> None:
        self.stream, self.copy = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.stream.write(text)
        self.copy.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    mem = ""
    with contextlib.suppress(OSError, ValueError, StopIteration), open("/proc/meminfo") as fh:
        kb = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        names = [n for n in names if n.removeprefix("bench_") in argv or n in argv]
    failed = 0
    sections: list[tuple[str, str]] = []
    for name in names:
        tee = _Tee(sys.stdout)
        with contextlib.redirect_stdout(tee):
            try:
                importlib.import_module(f"benchmarks.{name}").main()
            except Exception as exc:  # noqa: BLE001 - report, go on with the next benchmark, exit non-zero
                print(f"{name}: FAILED {type(exc).__name__}: {exc}")
                traceback.print_exc(file=sys.stderr)
                failed += 1
        sections.append((name, tee.copy.getvalue().rstrip()))
    if not argv:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        body = [f"# Benchmark results\n\nMeasured {stamp} on {_machine()} with `make bench`.\n"]
        body += [f"## {name.removeprefix('bench_')}\n\n```\n{text}\n```\n" for name, text in sections]
        (HERE / "results.md").write_text("\n".join(body))
        print(f"results written to {HERE / 'results.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    raise SystemExit(main(sys.argv[1:]))
