"""The page layer's rule (docs/ARCHITECTURE.md, "Module map"): pages import pure modules (indicators/, geo/,
render/, core/) directly and reach data/ only through the loaders door (pages/_common/loaders.py and its parts
loaders_*.py). The door is a boundary, not an alias list: its ``__all__`` is exactly what pages call, each name
defined in the door or its parts (no pass-through of a pure name), and no ``noqa: F401`` hides a re-export.
No module in pages/ imports a private Streamlit module. (The data/ rule is also the import-linter contract
"Pages reach data/ only through the loaders door" in pyproject.toml, run by `make lint`.)"""

from __future__ import annotations

import ast
import tomllib

from tests.conftest import REPO

COMMON = REPO / "pages" / "_common"
DOOR = COMMON / "loaders.py"


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


def _is_door(path) -> bool:
    return path.parent == COMMON and (path.name == "loaders.py" or path.name.startswith("loaders_"))


def _door_all() -> list[str]:
    names: list[str] = []
    for node in ast.parse(DOOR.read_text()).body:
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and target.id == "__all__":
                names += ast.literal_eval(node.value)
    return names


def test_only_the_door_imports_data():
    offenders = []
    for path in _page_modules():
        if _is_door(path):
            continue
        for module, name in _imports(path):
            if module.split(".")[0] == "data" and (module, name) != ("data.cbs", "KWB_TABLES"):
                offenders.append((path.relative_to(REPO).as_posix(), module, name))
    assert offenders == []
    state = (COMMON / "state.py").read_text()
    assert "from data.cbs import KWB_TABLES\n" in state  # the one name state.py takes from data.cbs (the years)


def test_the_rule_is_an_import_linter_contract():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["name"] == "Pages reach data/ only through the loaders door"]
    assert contract["type"] == "forbidden" and contract["source_modules"] == ["pages"]
    assert contract["forbidden_modules"] == ["data"]
    importers = {rule.split(" -> ")[0] for rule in contract["ignore_imports"]}
    door = {f"pages._common.{p.stem}" for p in COMMON.glob("loaders*.py")}
    assert importers - door == {"pages._common.state"}  # the door's modules, and the years in state.py


def test_the_door_exports_exactly_what_pages_call():
    """``__all__`` of the door == the ``loaders.<name>`` that page modules use; nothing else is reached through it."""
    used = set()
    for path in _page_modules():
        if _is_door(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "loaders":
                used.add(node.attr)
    exported = _door_all()
    assert len(exported) == len(set(exported))
    assert set(exported) == used


def test_the_door_passes_no_pure_name_through():
    """Every name the door imports from outside the page layer is I/O of data/ (or used inside the door itself):
    pure names of indicators/, geo/, render/ and core/ are imported by the pages that use them."""
    text = DOOR.read_text()
    assert "noqa: F401" not in text
    exported = set(_door_all())
    for node in ast.parse(text).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] != "pages":
            passed = {a.asname or a.name for a in node.names} & exported
            assert not passed or node.module.split(".")[0] == "data", (node.module, passed)


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
        if _is_door(path):
            continue
        for module, name in _imports(path):
            assert not (module.startswith("pages._common.loaders_") or (name or "").startswith("loaders_")), path
