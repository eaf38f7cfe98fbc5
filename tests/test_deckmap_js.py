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


def test_tooltip_numbers_follow_core_numbers():
    """The tooltip writes numbers as core.numbers.format_number does, with the separators Python passes
    (deck_map ``number_format``): nl 1 234,5 (U+202F), en 1,234.5 — never the browser's 1.234,5 (issue 20)."""
    import json

    from core.numbers import NUMBER_FORMAT, format_number

    cases = [
        (1234.5, 1),
        (17942942, 0),
        (-1234.56, 1),
        (999.94, 1),
        (999.95, 1),
        (0.05, 2),
        (2.5, 0),
        (3.5, 0),
        (0.125, 2),
        (-0.04, 1),
        (48.75, 1),
        (123456.789, 2),
        (7, 0),
        (1e6, 0),
    ]
    node = shutil.which("node")
    assert node
    script = (
        "import {formatNumber} from './src/numbers.js';"
        f"const cases = {json.dumps(cases)}; const seps = {json.dumps(NUMBER_FORMAT)};"
        "console.log(JSON.stringify(Object.fromEntries(Object.entries(seps).map(([l, s]) =>"
        " [l, cases.map(([v, d]) => formatNumber(v, d, s)).concat([formatNumber(NaN, 1, s)])]))));"
    )
    out = subprocess.run(
        [node, "--no-warnings", "--input-type=module", "-e", script],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout)
    for lang in ("nl", "en"):
        assert got[lang] == [format_number(v, d, lang) for v, d in cases] + ["–"], lang
    assert got["nl"][0] == "1\u202f234,5" and got["en"][0] == "1,234.5"
    assert "Intl.NumberFormat" not in (FRONTEND / "src" / "main.js").read_text(encoding="utf-8")
