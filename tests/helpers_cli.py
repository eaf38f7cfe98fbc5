"""Running ``python -m data`` in a subprocess and checking its one-line errors, shared through a tests/ module
(issue 20) by the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, STAPELKAART_HTTP_RETRIES="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "data", *args], cwd=REPO, env=full_env, capture_output=True, text=True, timeout=120
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int) -> str:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fout: "), proc.stderr
    return lines[0]
