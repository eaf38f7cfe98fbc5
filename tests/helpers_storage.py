"""Real storage faults for the tests of issue 22, shared through a tests/ module (issue 20): tmpfs mounts (tests
run as root, so ``chmod`` alone would not stop a write), made read-only or filled. Registered as a pytest plugin
in tests/conftest.py, so the ``tmpfs`` fixture is available to every test; a test that needs a mount is skipped,
with the reason, where the machine cannot mount; every mount is unmounted in teardown.
"""

from __future__ import annotations

import subprocess

import pytest

PLAIN_NL = "Deze server kan geen nieuwe gegevens opslaan"
PLAIN_EN = "This server cannot store new data"


@pytest.fixture
def tmpfs(tmp_path):
    """tmpfs(path, size) mounts a fresh tmpfs at ``path`` (created); remount_ro(path) makes it read-only."""
    mounts = []

    def mount(path, size="16m"):
        path.mkdir(parents=True, exist_ok=True)
        run = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode:
            pytest.skip(
                f"cannot mount a tmpfs on this machine ({run.stderr.strip() or run.returncode}); "
                "storage faults need a real read-only or full filesystem"
            )
        mounts.append(path)
        return path

    yield mount
    for path in reversed(mounts):
        subprocess.run(["umount", str(path)], check=False, capture_output=True)
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def remount_ro(path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)


def load_kwb_2024(gemeenten, levels=("gemeente", "wijk")):
    from data.cbs import load_kwb

    return load_kwb(list(gemeenten), 2024, levels=list(levels))


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
