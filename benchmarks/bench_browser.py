"""Warm start -> map painted for the Amsterdam buurten map on the real Kaart page, in Debian Chromium via Playwright.

Set-up (not timed): cbs-mirror, the disk cache filled with ``python -m data fetch``, a running
``streamlit run serve.py`` (as users start it). Timed: from ``page.goto`` of ``/?gm=GM0363&level=buurt`` until
the map component (components/deckmap) has rendered its current arguments (deck.gl ``onAfterRender``),
Streamlit reports the script run finished and two animation frames have passed; for the pydeck baseline until
its deck.gl canvas exists and the run finished, + 2 frames. First visit = a new browser context on a fresh server process; warm
start = the median of 9 repeat visits in that context (browser HTTP cache and server caches warm), the app's and
the baseline's visits alternating, so that a busy moment of the shared 2-core machine falls on both alike.
Target: < 2 s. The same is measured for a one-point pydeck app (baseline) in the same run, so the ratio
shows what Stapelkaart adds to Streamlit + deck.gl on this machine's software-rendered Chromium.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import _mirror
from benchmarks._deckmap import ARGS, CHROMIUM

REPO = Path(__file__).resolve().parents[1]
PATH = "/?gm=GM0363&level=buurt"
TARGET_S = 2.0
PAINTED = """() => !!document.querySelector('[data-testid="stDeckGlJsonChart"] canvas')
              && !document.querySelector('[data-testid="stStatusWidget"]')"""
DRAWN = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const f = document.querySelector("iframe[title='components.deckmap.deckmap']");
  const m = f && f.contentWindow && f.contentWindow.document.getElementById('map');
  if (!m || !m.dataset.rendered) return false;
  return !!m.dataset.drawnVersion && m.dataset.drawnVersion === m.dataset.argsVersion;
}"""


BASELINE_APP = """import pydeck as pdk, streamlit as st
st.title("baseline")
st.pydeck_chart(pdk.Deck(layers=[pdk.Layer("ScatterplotLayer", data=[{"p": [4.9, 52.37]}], get_position="p",
                get_radius=100)], map_style=None, map_provider=None,
                initial_view_state=pdk.ViewState(latitude=52.37, longitude=4.9, zoom=10)))
"""


def _visit(page, url: str, ready: str = PAINTED) -> float:
    """Seconds from navigation to a painted deck.gl canvas with the script run finished."""
    t0 = time.perf_counter()
    page.goto(url)
    try:
        page.wait_for_function(ready, timeout=120_000, polling=20)
    except Exception as exc:
        raise RuntimeError(f"{url}: not painted within 120 s ({exc})") from exc
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return time.perf_counter() - t0


def _paired(browser, app_url: str, base_url: str, repeats: int) -> tuple[float, float, float, float]:
    """First visits of both (each in a new context), then ``repeats`` warm visits of each, alternating app and
    baseline so that a busy moment of the machine falls on both alike; medians of the warm visits."""
    ctxs = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    app, base = (c.new_page() for c in ctxs)
    app_first, base_first = _visit(app, app_url, DRAWN), _visit(base, base_url)
    app_warm, base_warm = [], []
    for _ in range(repeats):
        app_warm.append(_visit(app, app_url, DRAWN))
        base_warm.append(_visit(base, base_url))
    for c in ctxs:
        c.close()
    return app_first, statistics.median(app_warm), base_first, statistics.median(base_warm)


def measure(repeats: int = 9) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        baseline = tmp_path / "baseline.py"
        baseline.write_text(BASELINE_APP)
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
            procs = []
            try:
                proc, app_url = _mirror.start_streamlit(_mirror.USER_ENTRY, env)
                procs.append(proc)
                proc, base_url = _mirror.start_streamlit(baseline, env)
                procs.append(proc)
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    app_first, app_again, base_first, base_again = _paired(
                        browser, app_url + PATH, base_url + "/", repeats
                    )
                    browser.close()
            finally:
                for proc in procs:
                    proc.terminate()
                    proc.wait(15)
    return {
        "first": app_first,
        "again": app_again,
        "base_first": base_first,
        "base_again": base_again,
        "repeats": repeats,
    }


def main() -> None:
    if not Path(CHROMIUM).exists():
        print("browser: skipped (/usr/bin/chromium absent; `make bench` installs it)")
        return
    r = measure()
    print(
        f"browser: Kaart page (serve.py, map component), Amsterdam buurten map painted in {r['again']:.2f} s on a warm start (browser and server "
        f"caches warm, median of {r['repeats']}), {r['first']:.2f} s on the first visit of a new browser context"
    )
    print(
        f"browser baseline (one-point pydeck app, same Streamlit, same Chromium/SwiftShader): warm "
        f"{r['base_again']:.2f} s, first {r['base_first']:.2f} s"
    )
    print(
        f"browser ratio: warm start / {TARGET_S:.0f} s target = {r['again'] / TARGET_S:.2f} (< 1.00 meets it); "
        f"Stapelkaart / baseline = {r['again'] / r['base_again']:.2f} warm, {r['first'] / r['base_first']:.2f} first"
    )


if __name__ == "__main__":
    main()
