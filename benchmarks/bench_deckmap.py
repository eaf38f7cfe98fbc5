"""The map component (components/deckmap) in Debian Chromium via Playwright, against the pydeck way, in one run.

Apps: tests/apps/deckmap_serve.py (the component; st.App with the immutable geometry route), a pydeck app with
the same map and weight input (benchmarks/_pydeck_change_app.py: the deck, geometry included, re-sent on every
rerun) and the one-point pydeck baseline of bench_browser.py. Real Amsterdam + Zaanstad boundaries from the
cbs-mirror; "national" = those 568 buurten REPLICATED 30x (17,040 areas; no national boundaries in ../shared).

* ``browser component:`` warm start to a drawn map (buurten) vs the one-point pydeck app (this is the
  component test app, not the Kaart page; the Kaart page integration comes later);
* ``browser change:`` weight change (click on +) -> canvas repainted with the new colours, timed in the page
  from the click event (capture phase, before Streamlit's handler) to the finished frame (the component's
  deck.gl ``onAfterRender`` for the new arguments + 2 animation frames + one pixel read back, so the GPU has
  finished; pydeck: script run finished + 2 frames); the time seen from Python, Playwright's click included,
  is printed too; median of 10 changes, bytes received on the websocket per change, server script time per change;
  each change is checked to have changed canvas pixels (not timed).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks import _mirror
from benchmarks._deckmap import INPUT_HOOK, WsCounter, canvas_pixels, input_to_drawn_ms, open_counted, wait_drawn
from benchmarks.bench_browser import ARGS, BASELINE_APP, CHROMIUM, PAINTED, _visit

REPO = Path(__file__).resolve().parents[1]
CHANGES = 10
TARGET_MS = 300.0


def _script_ms(page, run_before: int, timeout_s: float = 60) -> tuple[int, float]:
    """Wait for the caption of the next script run; return (run number, server script ms)."""
    loc = page.get_by_text("script ms:")
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        txt = loc.inner_text()
        run = int(txt.split()[1])
        if run > run_before:
            return run, float(txt.rsplit(":", 1)[1])
        page.wait_for_timeout(10)
    raise TimeoutError("no new script run")


def _component_visit(page, url: str) -> float:
    t0 = time.perf_counter()
    page.goto(url)
    wait_drawn(page, timeout_s=120)
    return time.perf_counter() - t0


def _component_changes(browser, url: str) -> dict:
    ctx, page, geo, ws, version, first_s = open_counted(browser, url, init_script=INPUT_HOOK)
    run, _ = _script_ms(page, 0)
    first_ws = ws.received
    times, outside, sizes, server, unchanged = [], [], [], [], 0
    for _ in range(CHANGES):
        before = canvas_pixels(page)
        ws.received = 0
        t0 = time.perf_counter()
        page.get_by_test_id("stNumberInputStepUp").click()
        version = wait_drawn(page, changed_from=version, timeout_s=120)
        outside.append(time.perf_counter() - t0)  # incl. Playwright's click handling, for reference
        times.append(input_to_drawn_ms(page)[0] / 1000)  # from the click in the page to the finished frame
        run, ms = _script_ms(page, run)
        server.append(ms)
        page.wait_for_timeout(200)  # trailing frames of this rerun
        sizes.append(ws.received)
        changed = float((np.abs(before.astype(int) - canvas_pixels(page).astype(int)).sum(axis=2) > 30).mean())
        unchanged += changed <= 0
    # the component's data-lod: "tolerance_m vertices of" (absent: no thinned copy)
    lod_attr = page.evaluate(
        "(sel) => document.querySelector(sel).contentWindow.document.getElementById('map').dataset.lod || null",
        "iframe[title='components.deckmap.deckmap']",
    )
    lod = None
    if lod_attr:
        tol, vertices, of = lod_attr.split()
        lod = {"tolerance_m": float(tol), "vertices": int(vertices), "of": int(of)}
    ctx.close()
    return {
        "ms": statistics.median(times) * 1000,
        "outside_ms": statistics.median(outside) * 1000,
        "bytes": statistics.median(sizes),
        "geo": sum(geo),
        "geo_fetches": len(geo),
        "unchanged": unchanged,
        "server_ms": statistics.median(server),
        "first_s": first_s,
        "first_ws": first_ws,
        "lod": lod,
    }


def _pydeck_changes(browser, url: str) -> dict:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.add_init_script(INPUT_HOOK)
    page = ctx.new_page()
    ws = WsCounter().attach(page)
    page.goto(url)
    page.wait_for_function(PAINTED, timeout=180_000, polling=20)
    run, _ = _script_ms(page, 0)
    first_ws = ws.received
    times, sizes, server = [], [], []
    for _ in range(CHANGES):
        ws.received = 0
        page.get_by_test_id("stNumberInputStepUp").click()
        run, ms = _script_ms(page, run)
        page.wait_for_function(PAINTED, timeout=120_000, polling=10)
        # timed in the page as for the component: from the click to two frames after the new deck was painted
        times.append(
            page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
                "() => r((performance.now() - window.__lastInput) / 1000))))"
            )
        )
        server.append(ms)
        page.wait_for_timeout(200)
        sizes.append(ws.received)
    ctx.close()
    return {
        "ms": statistics.median(times) * 1000,
        "bytes": statistics.median(sizes),
        "server_ms": statistics.median(server),
        "first_ws": first_ws,
    }


def _warm(browser, url: str, visit, repeats: int = 3) -> tuple[float, float]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    first = visit(page, url)
    again = statistics.median(visit(page, url) for _ in range(repeats))
    ctx.close()
    return first, again


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        (tmp_path / "baseline.py").write_text(BASELINE_APP)
        with _mirror.running(tmp_path, cache_dir=cache) as mirror_url:
            env = dict(
                os.environ,
                STAPELKAART_CBS_URL=mirror_url,
                STAPELKAART_PDOK_URL=mirror_url,
                STAPELKAART_CACHE_DIR=str(cache),
            )
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "data",
                    "fetch",
                    "--gemeente",
                    "GM0363",
                    "GM0479",
                    "--year",
                    "2024",
                    "--level",
                    "wijk",
                    "buurt",
                ],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
            # the national geometry is prepared once before the servers start (set-up, not timed here)
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from benchmarks._national import replicate;"
                    "from data.pdok import load_boundaries; from components.deckmap.store import prepared_geometry;"
                    "prepared_geometry(replicate(load_boundaries(['GM0363','GM0479'], 2024, 'buurt')))",
                ],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
                timeout=600,
            )
            procs = []
            try:
                for name, script in (
                    ("comp", REPO / "tests" / "apps" / "deckmap_serve.py"),
                    ("pydeck", REPO / "benchmarks" / "_pydeck_change_app.py"),
                    ("base", tmp_path / "baseline.py"),
                ):
                    proc, url = _mirror.start_streamlit(script, env)
                    procs.append(proc)
                    out[name + "_url"] = url
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    out["comp_warm"] = _warm(browser, out["comp_url"] + "/?level=buurt", _component_visit)
                    out["base_warm"] = _warm(browser, out["base_url"] + "/", _visit)
                    for level in ("buurt", "wijk", "national"):
                        out[f"comp_{level}"] = _component_changes(browser, out["comp_url"] + f"/?level={level}")
                    out["pydeck_buurt"] = _pydeck_changes(browser, out["pydeck_url"] + "/?level=buurt")
                    browser.close()
            finally:
                for proc in procs:
                    proc.terminate()
                    proc.wait(15)
    return out


def main() -> None:
    if not Path(CHROMIUM).exists():
        print("browser change: skipped (/usr/bin/chromium absent; `make bench` installs it)")
        return
    if not (REPO / "components" / "deckmap" / "frontend" / "dist" / "index.html").exists():
        print("browser change: skipped (run components/deckmap/build.sh first)")
        return
    r = measure()
    (cf, cw), (bf, bw) = r["comp_warm"], r["base_warm"]
    print(
        f"browser component: map component test app (Amsterdam + Zaanstad buurten; not yet the Kaart page) drawn "
        f"in {cw:.2f} s warm (median of 3), {cf:.2f} s first visit; one-point pydeck app {bw:.2f} s warm, "
        f"{bf:.2f} s first; ratio {cw / bw:.2f} warm, {cf / bf:.2f} first (goal <= 1.5)"
    )
    p = r["pydeck_buurt"]
    for level, label in (
        ("buurt", "568 buurten"),
        ("wijk", "129 wijken"),
        ("national", "17,040 areas, REPLICATED buurten (30x)"),
    ):
        c = r[f"comp_{level}"]
        print(
            f"browser change: component, {label}: repaint {c['ms']:.0f} ms from the click to the finished frame "
            f"(median of {CHANGES} weight changes; goal <= {TARGET_MS:.0f} ms, ratio {c['ms'] / TARGET_MS:.2f}; "
            f"{c['outside_ms']:.0f} ms timed outside the page, Playwright's click included), {c['bytes'] / 1024:.1f} KB "
            f"received per change = {c['bytes'] / c['geo']:.3f} of the {c['geo'] / 1024:.1f} KB geometry file "
            f"(goal <= 0.10; fetched {c['geo_fetches']}x; {CHANGES - c['unchanged']} of {CHANGES} changes changed "
            f"canvas pixels), server script {c['server_ms']:.1f} ms per change, "
            f"first load {c['first_s']:.2f} s"
            + (
                f"; zoomed out it draws {c['lod']['vertices']:,} of {c['lod']['of']:,} vertices, snapped to a "
                f"{c['lod']['tolerance_m']:.0f} m grid = 1 screen pixel (outlines move <= 0.71 px; borders hidden "
                f"while a typical area is < 6 px)"
                if c.get("lod")
                else ""
            )
        )
    c = r["comp_buurt"]
    print(
        f"browser change: before (pydeck, deck re-sent), 568 buurten: repaint {p['ms']:.0f} ms, "
        f"{p['bytes'] / 1024:.1f} KB per change, server script {p['server_ms']:.1f} ms; component/pydeck in this "
        f"run: time {c['ms'] / p['ms']:.2f}, bytes {c['bytes'] / p['bytes']:.3f}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
