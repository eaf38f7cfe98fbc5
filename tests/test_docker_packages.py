"""The image holds every package the app imports: a package added to the tree (core/, issue 20) without a COPY
line in the Dockerfile would make the deployed app fail at its first import."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import REPO


def test_dockerfile_copies_every_package_that_exists():
    include = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [p.rstrip("*") for p in include if (REPO / p.rstrip("*") / "__init__.py").exists()]
    docker = (REPO / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (?:--\S+ )*(\w+) \./\1$", docker, re.M))
    app_imports = {
        m
        for m in packages
        if re.search(
            rf"^\s*(from|import) {m}\b",
            "\n".join(
                p.read_text(encoding="utf-8")
                for d in ("pages", "data", "geo", "indicators", "components")
                for p in (REPO / d).rglob("*.py")
                if "node_modules" not in p.parts
            ),
            re.M,
        )
    }
    assert "core" in app_imports  # the app does import core (core.numbers)
    assert app_imports - copied == set(), f"Dockerfile lacks COPY for {sorted(app_imports - copied)}"
