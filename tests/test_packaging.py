"""Packaging: runtime and test requirements apart, everything pinned, the runtime set complete.

`make run` and the Docker image install requirements.txt only, so it must hold every distribution the app
imports (and their dependencies), and nothing that only tests or benchmarks use.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
RUNTIME_CODE = [
    REPO / "app.py",
    *sorted((REPO / "data").rglob("*.py")),
    *sorted((REPO / "indicators").rglob("*.py")),
    *sorted((REPO / "geo").rglob("*.py")),
    *sorted((REPO / "pages").rglob("*.py")),
]
LOCAL = {"core", "render", "data", "indicators", "geo", "pages", "components", "benchmarks", "tests"}
TEST_TOOLS = {
    "pytest",
    "playwright",
    "hypothesis",
    "axe-playwright-python",
    "cbsodata",
    "mutmut",
    "iniconfig",
    "pluggy",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"{path.name}: '{line}' is not pinned with =="
        out[_norm(name)] = version.strip()
    return out


def _runtime_imports() -> set[str]:
    names = set()
    for path in RUNTIME_CODE:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in LOCAL and n != "__future__"}


def test_runtime_requirements_hold_no_test_tools():
    runtime = _pins(REPO / "requirements.txt")
    assert not TEST_TOOLS & set(runtime), sorted(TEST_TOOLS & set(runtime))
    assert runtime["defusedxml"], "openpyxl recommends defusedxml"


def test_dev_requirements_include_the_runtime_and_the_test_tools():
    text = (REPO / "requirements-dev.txt").read_text()
    assert re.search(r"^-r requirements\.txt$", text, re.M)
    dev = _pins(REPO / "requirements-dev.txt")
    assert {"pytest", "playwright", "hypothesis", "axe-playwright-python", "cbsodata"} <= set(dev)
    assert not set(dev) & set(_pins(REPO / "requirements.txt")), "a package is pinned in both files"


def test_every_runtime_import_is_a_pinned_runtime_distribution():
    runtime = _pins(REPO / "requirements.txt")
    dists = md.packages_distributions()
    missing = {}
    for module in sorted(_runtime_imports()):
        owners = {_norm(d) for d in dists.get(module, [])}
        assert owners, f"module {module!r} is imported by the app but no installed distribution provides it"
        if not owners & set(runtime):
            missing[module] = sorted(owners)
    assert not missing, f"imported by the app, not in requirements.txt: {missing}"


def test_runtime_pins_are_closed_under_dependencies_and_match_the_venv():
    runtime = _pins(REPO / "requirements.txt")
    env = dict(default_environment(), extra="")
    for name, version in runtime.items():
        dist = md.distribution(name)
        assert dist.version == version, f"{name}: venv has {dist.version}, requirements.txt pins {version}"
        for raw in dist.requires or []:
            req = Requirement(raw)
            if req.marker and not req.marker.evaluate(env):
                continue
            assert _norm(req.name) in runtime, f"{name} needs {req.name}, which requirements.txt does not pin"


def test_make_run_and_docker_install_the_runtime_only():
    make = (REPO / "Makefile").read_text()
    run_rule = re.search(r"^run: (.*)$", make, re.M).group(1)
    assert "STAMP_RUN" in run_rule and "STAMP_DEV" not in run_rule
    assert re.search(r"^test: .*\$\(STAMP_DEV\)", make, re.M)
    docker = "\n".join(ln for ln in (REPO / "Dockerfile").read_text().splitlines() if not ln.lstrip().startswith("#"))
    assert "-r requirements.txt" in docker and "requirements-dev" not in docker
    assert re.search(r"^USER stapelkaart$", docker, re.M)


def test_pyproject_entry_points_name_existing_main_functions():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert meta["requires-python"].startswith(">=3.11")
    import importlib

    for script, target in meta["scripts"].items():
        module, func = target.split(":")
        assert callable(getattr(importlib.import_module(module), func)), script
