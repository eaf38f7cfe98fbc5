"""Running ``python -m data`` in a subprocess and checking its one-line errors, shared through a tests/ module
(issue 20) by the CLI tests; and a CLI's ``main(argv)`` in the test's own process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence

import pytest

from tests.conftest import REPO


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, STAPELKAART_HTTP_RETRIES="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "data", *args], cwd=REPO, env=full_env, capture_output=True, text=True, timeout=120
    )


def run_main(
    main: Callable[[Sequence[str]], int], argv: Sequence[str], capsys: pytest.CaptureFixture[str]
) -> subprocess.CompletedProcess:
    """``main(argv)`` of a CLI in this process, with its exit code and output as ``subprocess.run`` gives them: the
    claims about a command's output and errors, without the 3 s of CPU a new Python spends importing pandas and
    scipy. An exception main lets through fails the test (a traceback in a real run). Each CLI keeps one test
    that runs the real ``python -m`` entry point in a subprocess."""
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's errors: exit 2
        code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
    out = capsys.readouterr()
    return subprocess.CompletedProcess(list(argv), code, out.out, out.err)


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int) -> str:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fout: "), proc.stderr
    return lines[0]
