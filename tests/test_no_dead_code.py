"""Issue 20: no code that only tests keep alive. Every top-level name of these modules is used by the app (its own
module, another module through ``module.name``, or a ``from module import name``), never only by tests/.

Checked on the syntax tree (strings and docstrings do not count as a use), so a generic name such as ``code`` or
``label`` is only live when something outside tests/ reaches *this* module's ``code``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "pages._common.fmt",
    "pages._common.loaders",
    "pages._common.scoring",
    "pages._common.focusui",
    "pages._common.tables",
    "pages._common.wording",
    "pages._common.narrative",
    "data.userfiles",
    "data.userstore",
    "data.admin",
    "data.userchecks",
    "core.numbers",
    "core.crs",
    "core.thresholds",
    "indicators.bounds",
]
# core.codes and core.colours join once the PENDING sites of tests/test_facts_once.py use them (their
# AREA_CODE_RE, GEMEENTE_CODE_RE and NODATA_RGBA_FLOAT are the replacements for pages/_common/state.py and
# render/export.py).
SKIP_DIRS = {"tests", ".venv", "node_modules", ".git", "build", "dist"}


def _sources() -> dict[Path, ast.Module]:
    out = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if SKIP_DIRS & set(rel.parts[:-1]) or any(p.startswith(".") for p in rel.parts[:-1]):
            continue
        out[rel] = ast.parse(path.read_text(encoding="utf-8"))
    return out


SOURCES = _sources()


def _top_level_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name) and not target.id.startswith("__"):
                    names.add(target.id)
    return names


def _uses(module: str) -> set[str]:
    """Names of ``module`` used by non-test code: loads inside the module, ``alias.name`` elsewhere, imports."""
    short = module.rsplit(".", 1)[1]
    own = ROOT / (module.replace(".", "/") + ".py")
    used: set[str] = set()
    for rel, tree in SOURCES.items():
        aliases = {short} if (ROOT / rel) != own else set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == module:
                used.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module == module.rsplit(".", 1)[0]:
                aliases.update(a.asname or a.name for a in node.names if a.name == short)
            elif isinstance(node, ast.Import):
                aliases.update(a.asname for a in node.names if a.name == module and a.asname)
        for node in ast.walk(tree):
            if (ROOT / rel) == own and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                used.add(node.attr)
    return used


@pytest.mark.parametrize("module", MODULES)
def test_every_top_level_name_has_a_caller_outside_tests(module):
    tree = SOURCES[Path(module.replace(".", "/") + ".py")]
    dead = sorted(_top_level_names(tree) - _uses(module))
    assert dead == [], f"{module}: only tests (or nothing) use {dead}"


def test_the_check_sees_a_dead_name():
    """The checker itself: a name defined and used by nobody is reported (the test above can fail)."""
    tree = ast.parse("def live():\n    return 1\n\ndef dead():\n    return live()\n")
    assert _top_level_names(tree) == {"live", "dead"}
