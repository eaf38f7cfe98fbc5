"""Unexpected failures injected from the test side (issue 20: production code holds no test hooks).

``inject(point)`` replaces one function of the page layer by one that raises ``KeyError('injected fault at
<point>')``, the kind of bug the error boundary must log with the id the page shows:

* ``"scored"``: every loader that scores (``pages._common.loaders_frames.scored`` and the modules that imported it);
* ``"export"``: ``pages._common.reports.exports`` (Prioriteren's CSV/XLSX);
* ``"page:<slug>"``: ``shell.page_view`` for that page inside the shell (the first call of every page, inside the
  error boundary).

In-process (AppTest) pass ``monkeypatch.setattr`` as ``set_attr`` so the patch is undone after the test; a server
started from tests/apps/fault_serve.py calls it once at start-up (``STAPELKAART_FAULT_AT``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def _raise(point: str):
    raise KeyError(f"injected fault at {point}")


def inject(point: str, set_attr: Callable = setattr) -> None:
    importlib.import_module("pages._common.loaders")
    shell = importlib.import_module("pages._common.shell")
    session = importlib.import_module("pages._common.session")
    if point == "scored":
        original = sys.modules["pages._common.loaders_frames"].scored

        def scored(*args, **kwargs):
            _raise(point)

        holders = [
            m for n, m in list(sys.modules.items()) if n.startswith("pages") and vars(m).get("scored") is original
        ]
        for module in holders:
            set_attr(module, "scored", scored)
        return
    if point == "export":
        reports = importlib.import_module("pages._common.reports")

        def exports(*args, **kwargs):
            _raise(point)

        set_attr(reports, "exports", exports)
        return
    if point.startswith("page:"):
        slug, page_view = point.removeprefix("page:"), shell.page_view

        def faulty_page_view(name: str):
            # inside the shell only: a first request straight to /<slug> runs the page outside it, and page_view
            # then runs the shell, which runs the page again (docs/ARCHITECTURE.md, "Pages and the pages/ folder")
            if name == slug and getattr(session.SHELL, "active", False):
                _raise(point)
            return page_view(name)

        set_attr(shell, "page_view", faulty_page_view)
        return
    raise ValueError(f"unknown fault point {point!r}")
