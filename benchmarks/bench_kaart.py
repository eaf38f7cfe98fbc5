"""The real Kaart page (``streamlit run serve.py``) in Debian Chromium: a weight change -> repainted map.

Set-up (not timed): cbs-mirror, the disk cache filled with ``python -m data fetch``, the real CBS income file
(../shared/data/income) imported as the Gegevens page does (without it the composite has too few domains in
the mirror and every area is 'geen gegevens'), the page opened at ``/?colour=composite`` (Amsterdam + Zaanstad
wijken) and "Gewichten per domein" opened by a click.

Timed per change (median of ``CHANGES``), in the page: from the key press on the first weight slider (one step
of 0.5, alternately up and down; capture phase, before Streamlit's handler) to the map component having drawn the
new arguments and the GPU having finished (benchmarks/_deckmap.wait_drawn); the time from the rerun request
(websocket send) is printed too. Bytes: the websocket bytes received for the change, against the bytes of the
geometry file (fetched once). Server: a real weight change at wijk level sent over the websocket as the browser
sends it (the slider's state and the map section's fragment id), from the request to ``script_finished`` on the
running serve.py (median of ``CHANGES``).
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
from benchmarks._deckmap import ARGS, CHROMIUM, INPUT_HOOK, canvas_pixels, input_to_drawn_ms, open_counted, wait_drawn

REPO = Path(__file__).resolve().parents[1]
INCOME = REPO / ".." / "shared" / "data" / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
CHANGES = 10
TARGET_MS = 300.0
SERVER_TARGET_MS = 100.0


def _import_income(env: dict) -> str:
    """Import the income file as the Gegevens page does; returns its digest (imports are per view: ``files=``)."""
    code = (
        f"from pages._common import loaders; from pathlib import Path; p = Path({str(INCOME.resolve())!r});"
        "print(loaders.import_user_file(p.read_bytes(), p.name))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True, timeout=300
    )
    return out.stdout.strip().splitlines()[-1]


def _browser_changes(browser, url: str) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ctx, page, geo, ws, version, first_s = open_counted(browser, url, init_script=INPUT_HOOK, wait_idle=True)
    # "Gewichten per domein" opened as a user does (its sliders are sent only while it is open), then the first
    # weight moved by keyboard: one step of 0.5 right or left per change (1 -> 1.5 -> 1 ...)
    page.locator('[data-testid="stExpander"] summary', has_text="Gewichten per domein").first.click()
    slider = page.get_by_role("slider").first
    slider.wait_for(timeout=60_000)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=60_000)
    version = wait_drawn(page, timeout_s=60)
    page.wait_for_timeout(500)
    times, sent, sizes, unchanged = [], [], [], 0
    for i in range(CHANGES):
        before = canvas_pixels(page)
        ws.received = 0
        slider.focus()
        slider.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        try:
            version = wait_drawn(page, changed_from=version, timeout_s=20)
        except PlaywrightTimeout:
            unchanged += 1  # no repaint: counted, not hung
            continue
        from_input, from_send = input_to_drawn_ms(page)
        times.append(from_input)
        sent.append(from_send)
        page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=60_000)
        page.wait_for_timeout(300)  # trailing frames of this rerun
        sizes.append(ws.received)
        changed = float((np.abs(before.astype(int) - canvas_pixels(page).astype(int)).sum(axis=2) > 30).mean())
        unchanged += changed <= 0
    ctx.close()
    if not times:
        raise RuntimeError(f"no repaint after {CHANGES} slider key presses")
    return {
        "ms": statistics.median(times),
        "send_ms": statistics.median(sent),
        "bytes": statistics.median(sizes),
        "geo": sum(geo),
        "geo_fetches": len(geo),
        "unchanged": unchanged,
        "first_s": first_s,
    }


def _server_ms(url: str, digest: str) -> tuple[float, float]:
    """Median (ms) from a weight change's rerun request to ``script_finished`` on the running serve.py, over
    Streamlit's websocket as the browser sends it (the slider's new state and the map section's fragment id:
    benchmarks/_stclient.widget_changes), Amsterdam + Zaanstad wijken; and the median bytes received."""
    import asyncio

    from benchmarks._stclient import widget_changes

    values = [1.5, 2, 2.5, 3, 3.5, 3, 2.5, 2, 1.5, 1][:CHANGES]
    out = asyncio.run(
        widget_changes(url, f"colour=composite&files={digest}", "w_weight_armoede", values, open_keys=("x_weights",))
    )
    if not out["fragment"]:
        print("(the weight slider is not in a fragment: every change reruns the whole page)")
    return statistics.median(out["changes"]) * 1000, statistics.median(out["bytes"])


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        with _mirror.running(tmp_path, cache_dir=cache) as mirror_url:
            env = dict(
                os.environ,
                STAPELKAART_CBS_URL=mirror_url,
                STAPELKAART_PDOK_URL=mirror_url,
                STAPELKAART_CACHE_DIR=str(cache),
                STAPELKAART_USERSTORE_DIR=str(tmp_path / "userstore"),
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
                ],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
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
    print(
        f"browser change: Kaart page (serve.py), 129 wijken, composite: repaint {c['ms']:.0f} ms from the key press "
        f"on a weight slider to the finished frame ({c['send_ms']:.0f} ms from the rerun request; median of {CHANGES} "
        f"weight changes; goal <= {TARGET_MS:.0f} ms, ratio {c['ms'] / TARGET_MS:.2f}), "
        f"{c['bytes'] / 1024:.1f} KB received per change = {c['bytes'] / c['geo']:.3f} of the "
        f"{c['geo'] / 1024:.1f} KB geometry file (goal <= 0.10; fetched {c['geo_fetches']}x; "
        f"{CHANGES - c['unchanged']} of {CHANGES} changes changed canvas pixels); first load {c['first_s']:.2f} s"
    )
    print(
        f"server: Kaart weight change at wijk level, Amsterdam + Zaanstad: {c['server_ms']:.0f} ms from the rerun "
        f"request to script_finished on serve.py (websocket, the map section's fragment; median of {CHANGES}; "
        f"goal <= {SERVER_TARGET_MS:.0f} ms, ratio {c['server_ms'] / SERVER_TARGET_MS:.2f}), "
        f"{c['server_bytes'] / 1024:.1f} KB sent per change"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
