"""The map component's own JavaScript rules, run with Node's test runner (components/deckmap/frontend/test):
the zoomed-out display copy of a national map (geometry.js ``coarsen``) moves no vertex by more than 0.71 of
its grid, keeps neighbours' shared borders identical (no gaps) and drops only what is smaller than the grid."""

import shutil
import subprocess
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[1] / "components" / "deckmap" / "frontend"


def test_component_javascript_rules():
    node = shutil.which("node")
    assert node, "node not found: `make test` installs Node.js with npm for the map component"
    out = subprocess.run([node, "--test", "test/"], cwd=FRONTEND, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "# fail 0" in out.stdout and "# pass 6" in out.stdout, out.stdout[-2000:]
