"""The real Kaart page (``streamlit run serve.py``) in Debian Chromium: a weight change -> repainted map.

Set-up (not timed): cbs-mirror, the disk cache filled with ``python -m data fetch``, the real CBS income file
(../shared/data/income) imported as the Gegevens page does (without it the composite has too few domains in
the mirror and every area is 'geen gegevens'), the page opened at ``/?colour=composite`` (Amsterdam + Zaanstad
wijken) and the "Gewichten" expander opened.

Timed per change (median of ``CHANGES``): from the websocket message that asks for the rerun (the number of
classes typed; the weight slider did not answer Playwright key presses, so the browser part is a recolour by
classes, the same rerun path without geometry; the server part is a real weight change) to the map component having rendered the new
arguments (deck.gl ``onAfterRender``, measured in the page), and the websocket bytes received for the change,
against the bytes of the geometry file (fetched once). Server: a real weight change at wijk level sent over the
websocket as the browser sends it (the slider's state and the map section's fragment id), from the request to
``script_finished`` on the running serve.py (median of ``CHANGES``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from benchmarks import _mirror
from benchmarks._deckmap import FRAME_SELECTOR, canvas_pixels, open_counted

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking"]
INCOME = REPO / ".." / "shared" / "data" / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
CHANGES = 10
TARGET_MS = 300.0
SERVER_TARGET_MS = 100.0
SEND_HOOK = """(() => { const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (d) { window.__lastSend = performance.now(); return send.call(this, d); }; })()"""
REPAINT = """([sel, old]) => new Promise((resolve) => {
  const t0 = performance.now();
  const tick = () => {
    if (performance.now() - t0 > 20000) { resolve([null, old]); return; }   // no repaint: counted, not hung
    const w = document.querySelector(sel).contentWindow;
    const drawn = w.document.getElementById('map').dataset.version;
    if (drawn && drawn === w.__deckmapArgsVersion && drawn !== old) {
      requestAnimationFrame(() => requestAnimationFrame(() => resolve([performance.now() - window.__lastSend, drawn])));
    } else { setTimeout(tick, 5); }
  };
  tick();
})"""


def _import_income(env: dict) -> str:
    """Import the income file as the Gegevens page does; returns its digest (imports are per view: ``files=``)."""
    code = ("from pages._common import loaders; from pathlib import Path; p = Path(%r);"
            "print(loaders.import_user_file(p.read_bytes(), p.name))" % str(INCOME.resolve()))
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True,
                         text=True, timeout=300)
    return out.stdout.strip().splitlines()[-1]


def _browser_changes(browser, url: str) -> dict:
    ctx, page, geo, ws, version, first_s = open_counted(browser, url, init_script=SEND_HOOK, wait_idle=True)
    # The weight slider did not answer Playwright's key presses (no rerun) in this run: the browser part changes
    # the number of classes instead (same rerun path: no geometry, classify + colour array + tooltip values).
    box = page.locator('[data-testid="stNumberInput"] input').first
    page.wait_for_timeout(500)
    times, sizes, unchanged = [], [], 0
    for i in range(CHANGES):
        before = canvas_pixels(page)
        ws.received = 0
        box.fill(str(3 + i % 4))
        box.press("Enter")
        ms, version = page.evaluate(REPAINT, [FRAME_SELECTOR, version])
        if ms is None:
            unchanged += 1
            continue
        times.append(ms)
        page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=60_000)
        page.wait_for_timeout(300)  # trailing frames of this rerun
        sizes.append(ws.received)
        changed = float((np.abs(before.astype(int) - canvas_pixels(page).astype(int)).sum(axis=2) > 30).mean())
        unchanged += changed <= 0
    ctx.close()
    if not times:
        raise RuntimeError(f"no repaint after {CHANGES} slider key presses")
    return {"ms": statistics.median(times), "bytes": statistics.median(sizes), "geo": sum(geo),
            "geo_fetches": len(geo), "unchanged": unchanged, "first_s": first_s}


def _server_ms(url: str, digest: str) -> tuple[float, float]:
    """Median (ms) from a weight change's rerun request to ``script_finished`` on the running serve.py, over
    Streamlit's websocket as the browser sends it (the slider's new state and the map section's fragment id:
    benchmarks/_stclient.widget_changes), Amsterdam + Zaanstad wijken; and the median bytes received."""
    import asyncio
    from benchmarks._stclient import widget_changes
    values = [1.5, 2, 2.5, 3, 3.5, 3, 2.5, 2, 1.5, 1][:CHANGES]
    out = asyncio.run(widget_changes(url, f"colour=composite&files={digest}", "kw_armoede", values,
                                    open_keys=("x_weights",)))
    if not out["fragment"]:
        print("(the weight slider is not in a fragment: every change reruns the whole page)")
    return statistics.median(out["changes"]) * 1000, statistics.median(out["bytes"])


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        with _mirror.running(tmp_path, cache_dir=cache) as mirror_url:
            env = dict(os.environ, STAPELKAART_CBS_URL=mirror_url, STAPELKAART_PDOK_URL=mirror_url,
                       STAPELKAART_CACHE_DIR=str(cache), STAPELKAART_USERSTORE_DIR=str(tmp_path / "userstore"))
            subprocess.run([sys.executable, "-m", "data", "fetch", "--gemeente", "GM0363", "GM0479", "--year", "2024",
                            "--level", "wijk"], cwd=REPO, env=env, check=True, capture_output=True, timeout=300)
            digest = _import_income(env)
            proc, url = _mirror.start_streamlit(_mirror.USER_ENTRY, env)
            try:
                server, server_bytes = _server_ms(url, digest)
                print(f"(server run for a weight change measured: {server:.0f} ms)", flush=True)
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    out = _browser_changes(browser, url + f"/?colour=composite&files={digest}")
                    browser.close()
            finally:
                proc.terminate()
                proc.wait(15)
    out["server_ms"], out["server_bytes"] = server, server_bytes
    return out


def main() -> None:
    if not Path(CHROMIUM).exists() or not INCOME.exists():
        print("browser change (Kaart): skipped (needs /usr/bin/chromium and ../shared/data/income)")
        return
    c = measure()
    print(f"browser change: Kaart page (serve.py), 129 wijken, composite: repaint {c['ms']:.0f} ms after the rerun "
          f"request (median of {CHANGES} changes of the number of classes, not weights: see the module docstring; goal <= {TARGET_MS:.0f} ms, ratio {c['ms'] / TARGET_MS:.2f}), "
          f"{c['bytes'] / 1024:.1f} KB received per change = {c['bytes'] / c['geo']:.3f} of the "
          f"{c['geo'] / 1024:.1f} KB geometry file (goal <= 0.10; fetched {c['geo_fetches']}x; "
          f"{CHANGES - c['unchanged']} of {CHANGES} changes changed canvas pixels); first load {c['first_s']:.2f} s")
    print(f"server: Kaart weight change at wijk level, Amsterdam + Zaanstad: {c['server_ms']:.0f} ms from the rerun "
          f"request to script_finished on serve.py (websocket, the map section's fragment; median of {CHANGES}; "
          f"goal <= {SERVER_TARGET_MS:.0f} ms, ratio {c['server_ms'] / SERVER_TARGET_MS:.2f}), "
          f"{c['server_bytes'] / 1024:.1f} KB sent per change")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
