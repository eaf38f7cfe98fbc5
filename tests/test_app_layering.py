"""The page layer reaches data/, indicators/ and geo/ only through the loaders door (pages/_common/loaders.py and
its parts loaders_*.py, which it re-exports; plus declarations),
and no module in pages/ imports a private Streamlit module. (Module size and complexity: ruff's mccabe rule in `make lint`.)"""

from __future__ import annotations

import ast

from tests.conftest import REPO

# Declarations pages may import directly (docs/ARCHITECTURE.md, "Module map"): data, not behaviour.
DECLARATIONS = {
    "indicators.registry",
    "indicators.weights",
    "core.errors",
    "core.crs",
    "data.cbs",
    "indicators.method",
    "indicators.result",  # the typed fields of a score row or frame (read access, no computation)
    "indicators.methodrules",  # the computation rules in words, numbers from the engine's constants
}  # the rules in words (pure text from a score row)
LOWER = ("data", "indicators", "geo")


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                yield node.module, a.name


def _page_modules():
    return sorted([REPO / "app.py", *(REPO / "pages").rglob("*.py")])


def test_only_the_loaders_module_calls_into_lower_layers():
    offenders = []
    for path in _page_modules():
        if path.name == "loaders.py" or path.name.startswith("loaders_"):  # the door (split by size)
            continue
        for module, name in _imports(path):
            full = f"{module}.{name}" if module in LOWER and name else module
            if full.split(".")[0] in LOWER and full not in DECLARATIONS and module not in DECLARATIONS:
                offenders.append((path.relative_to(REPO).as_posix(), full))
    assert offenders == []
    state = (REPO / "pages" / "_common" / "state.py").read_text()
    assert "from data.cbs import KWB_TABLES\n" in state  # the one name state.py takes from data.cbs


def test_no_private_streamlit_internals_in_app_pages_or_tests():
    paths = [*_page_modules(), *(REPO / "tests").glob("test_app_*.py"), REPO / "tests" / "conftest.py"]
    private = ("PagesManager", "_mpa_v1", "script_runner")
    for path in (p for p in paths if p.name != "test_app_layering.py"):
        for module, _name in _imports(path):
            assert not module.startswith(("streamlit.runtime", "streamlit.web")), (path, module)
        assert not [w for w in private if w in path.read_text()], path


def test_the_loaders_parts_are_reached_through_loaders_only():
    """Pages call ``loaders.<name>``; the parts (loaders_*.py) are an implementation detail of that one door."""
    for path in _page_modules():
        if path.name == "loaders.py" or path.name.startswith("loaders_"):
            continue
        for module, name in _imports(path):
            assert not (module.startswith("pages._common.loaders_") or (name or "").startswith("loaders_")), path
