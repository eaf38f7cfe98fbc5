"""The Kaart page (``streamlit run serve.py``) on "Heel Nederland" at buurt level in Debian Chromium (software WebGL),
against ``cbs-mirror --national``; part of benchmarks/bench_national.py.

* first visit of a **fresh server** to the painted national buurt map (``/?nl=1&level=buurt``): once with an empty
  disk cache (statistics and boundaries fetched from the mirror, geometry prepared), then from a new server process on
  the disk cache that visit filled, and from one more (the usual case after ``python -m data fetch``: the first process
  after a download may prepare the geometry once more, see the ``national note`` line); from ``page.goto`` to
  the map component having drawn and the GPU having finished (benchmarks/_deckmap.wait_drawn); and the server's
  share: the page's first script run on one more new process, over the websocket without a browser (_stclient);
* weight change -> repainted map of every national buurt: bench_deckmap's measurement (click on the number input's +,
  timed in the page from the click to the finished frame; websocket bytes against the geometry file) on
  benchmarks/_national_map_app.py (the map component, the real national buurt geometry). Not on the Kaart page: its
  composite has no value for any national buurt in the mirror's data (the line prints the legend's count), so a
  weight change there recolours nothing.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import _mirror
from benchmarks._deckmap import GEO_SUFFIX, wait_drawn
from benchmarks._stclient import open_page
from benchmarks.bench_deckmap import CHANGES, TARGET_MS, _component_changes
from benchmarks.bench_kaart import ARGS, CHROMIUM

REPO = Path(__file__).resolve().parents[1]
QUERY = "/?nl=1&level=buurt&colour=composite"
APP = REPO / "benchmarks" / "_national_map_serve.py"
FIRST_TIMEOUT_S = 600


def _kaart_visit(browser, url: str) -> dict:
    """Seconds from ``goto`` to the painted national map, the bytes of the geometry file fetched, and the areas the
    legend counts as "geen gegevens" for the colouring of ``QUERY``."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    geo: list[int] = []
    page.on("response", lambda r: geo.append(len(r.body())) if r.url.endswith(GEO_SUFFIX) else None)
    t0 = time.perf_counter()
    page.goto(url)
    wait_drawn(page, timeout_s=FIRST_TIMEOUT_S)
    seconds = time.perf_counter() - t0
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=120_000)
    found = re.search(r"geen gegevens / onderdrukt \(n = ([\d.]+)\)", page.inner_text("body"))
    ctx.close()
    return {"s": seconds, "geo": sum(geo), "no_value": int(found.group(1).replace(".", "")) if found else 0}


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        proc_m, mirror_url = _mirror.start(tmp_path, "--national")
        env = dict(
            os.environ,
            STAPELKAART_CBS_URL=mirror_url,
            STAPELKAART_PDOK_URL=mirror_url,
            STAPELKAART_CACHE_DIR=str(cache),
            STAPELKAART_USERSTORE_DIR=str(tmp_path / "userstore"),
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                # a new server process each time; the disk cache stays. "second": the first process after the
                # download; "warm": one more, as every later process starts
                for name in ("cold", "second", "warm"):
                    proc, url = _mirror.start_streamlit(_mirror.USER_ENTRY, env)
                    try:
                        out[name] = _kaart_visit(browser, url + QUERY)
                    finally:
                        proc.terminate()
                        proc.wait(15)
                # the repaint app's geometry is prepared before its server starts (set-up, not timed)
                done = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        "from data.pdok_national import load_boundaries_national as b;"
                        "from components.deckmap.store import prepared_geometry as p;"
                        "print(len(p(b(2024, 'buurt'))[0].codes))",
                    ],
                    cwd=REPO,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                out["areas"] = int(done.stdout.split()[-1])
                proc, url = _mirror.start_streamlit(APP, env)
                try:
                    out["changes"] = _component_changes(browser, url + "/?level=buurt")
                finally:
                    proc.terminate()
                    proc.wait(15)
                browser.close()
            # the server's share (outside Playwright's event loop): one more new process, the page run once over
            # the websocket (no browser)
            proc, url = _mirror.start_streamlit(_mirror.USER_ENTRY, env)
            try:
                run = asyncio.run(open_page(url, QUERY.lstrip("/?"), timeout=FIRST_TIMEOUT_S))
                if not run.finished or run.errors:
                    raise RuntimeError(f"Kaart page run failed: {run.errors}")
                out["server_s"] = run.seconds
            finally:
                proc.terminate()
                proc.wait(15)
        finally:
            proc_m.terminate()
            proc_m.wait(10)
    return out


def main() -> None:
    if (
        not Path(CHROMIUM).exists()
        or not (REPO / "components" / "deckmap" / "frontend" / "dist" / "index.html").exists()
    ):
        print("national browser: skipped (needs /usr/bin/chromium and components/deckmap/build.sh)")
        return
    load = os.getloadavg()[0]
    r = measure()
    cold, second, warm, c = r["cold"], r["second"], r["warm"], r["changes"]
    print(
        f"national browser: Kaart page (serve.py), Heel Nederland, buurten ({QUERY}): first visit of a fresh "
        f"server to the painted map {cold['s']:.1f} s with an empty disk cache (statistics and boundaries fetched "
        f"from the mirror, geometry prepared), {second['s']:.1f} s from a new server process on the disk cache "
        f"that visit filled and {warm['s']:.1f} s from one more new process (of which the "
        f"server's script run, timed alone on another new process over the websocket: {r['server_s']:.1f} s); "
        f"geometry file {warm['geo'] / 1e6:.2f} MB; the composite legend counts "
        f"{warm['no_value']:,} buurten without a value"
    )
    print(
        f"national browser change: map component on the {r['areas']:,} national buurten (benchmarks/_national_map_app.py, "
        f"classes from a weighted mix of two real per-area ranks; a number input): repaint {c['ms']:.0f} ms from "
        f"the click to the finished frame (median of {CHANGES} weight changes; goal <= {TARGET_MS:.0f} ms, ratio "
        f"{c['ms'] / TARGET_MS:.2f}; {c['outside_ms']:.0f} ms timed outside the page, Playwright's click "
        f"included; {CHANGES - c['unchanged']} of {CHANGES} changes changed canvas pixels), "
        f"{c['bytes'] / 1024:.1f} KB received per change = {c['bytes'] / c['geo']:.3f} of the "
        f"{c['geo'] / 1e6:.2f} MB geometry file, server script {c['server_ms']:.0f} ms per change; load average "
        f"{load:.1f} on {os.cpu_count()} cores when the browser part started"
        + (f"; zoomed out it draws {c['lod']['vertices']:,} of {c['lod']['of']:,} vertices" if c.get("lod") else "")
    )
