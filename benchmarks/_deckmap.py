"""Playwright helpers for the map component (tests/test_deckmap.py and benchmarks/bench_browser.py)."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

import numpy as np

#: Debian Chromium, as the brief prescribes, and the brief's flags: software WebGL through SwiftShader, no
#: background requests. The benchmarks use them as they are; the tests add one (tests/_browser.py).
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking"]

FRAME_SELECTOR = "iframe[title='components.deckmap.deckmap']"
GEO_SUFFIX = ".skq"


def map_frame(page, timeout_s: float = 60):
    """The component's iframe Frame, once its document has loaded."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        handle = page.wait_for_selector(FRAME_SELECTOR, state="attached", timeout=timeout_s * 1000)
        frame = handle.content_frame() if handle is not None else None
        if frame is not None and "components.deckmap.deckmap" in frame.url and not frame.is_detached():
            return frame
        time.sleep(0.02)
    raise TimeoutError("map iframe not found")


# The component states on its #map element which arguments it holds (data-args-version) and which the last
# frame drew (data-drawn-version); drawn = equal (and, with ``old``, another version than that one).
_DRAWN = """([sel, old]) => {
  const f = document.querySelector(sel);
  const m = f && f.contentWindow && f.contentWindow.document.getElementById('map');
  if (!m || !m.dataset.rendered) return false;
  const drawn = m.dataset.drawnVersion;
  return !!drawn && drawn === m.dataset.argsVersion && (old === null || drawn !== old);
}"""

# RD points -> pixels in the map's frame, from what the component states: data-origin (the file's origin, RD),
# data-view (local centre x y and zoom; 1 m = 2^zoom px, y up) and its canvas' shown size.
PROJECT = """(pts) => {
  const m = document.getElementById('map');
  const c = m.querySelector('canvas');
  const [ox, oy] = m.dataset.origin.split(' ').map(Number);
  const [tx, ty, z] = m.dataset.view.split(' ').map(Number);
  const s = 2 ** z;
  return pts.map(([x, y]) => [c.clientWidth / 2 + (x - ox - tx) * s, c.clientHeight / 2 - (y - oy - ty) * s]);
}"""


def project(frame, points) -> np.ndarray:
    """Pixel positions in the map's frame of RD points (n x 2), as the component draws them now."""
    return np.array(frame.evaluate(PROJECT, [[float(x), float(y)] for x, y in points]), dtype=float).reshape(-1, 2)


def map_state(frame) -> dict:
    """The map element's data attributes (data-args-version -> ``argsVersion``, as ``dataset`` names them)."""
    return frame.evaluate("() => Object.assign({}, document.getElementById('map').dataset)")


# In the app's own document (not the map's iframe): when the user's last input happened (a click or a key,
# capture phase, before Streamlit's handlers) and when the page last sent on Streamlit's websocket; wait_drawn
# notes when the map was drawn and finished. A repaint is timed in the page, from the input to the finished
# frame, so Playwright's own work around a click (actionability checks, its IPC) is not counted as the app's.
INPUT_HOOK = """(() => { if (window.parent !== window) return;
  const note = () => { window.__lastInput = performance.now(); };
  window.addEventListener('click', note, true);
  window.addEventListener('keydown', note, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (d) { window.__lastSend = performance.now(); return send.call(this, d); };
})()"""


def input_to_drawn_ms(page) -> tuple[float, float]:
    """(input -> drawn, websocket send -> drawn) in ms for the last change (needs INPUT_HOOK and wait_drawn)."""
    t = page.evaluate("() => [window.__drawnAt - window.__lastInput, window.__drawnAt - window.__lastSend]")
    return float(t[0]), float(t[1])


def wait_drawn(page, *, changed_from: str | None = None, timeout_s: float = 60) -> str:
    """Wait (polling in the page, 10 ms) until deck.gl has rendered the current component arguments, optionally
    a version other than ``changed_from``, two more animation frames have passed and the GPU has finished them
    (one pixel read back: under software WebGL the draw calls are only queued when ``onAfterRender`` fires, and
    an unsynchronised measure hands the rasterising on to the next change); returns that version.

    The component iframe is same-origin, so the page reads its window directly (no Playwright frame lookup,
    which adds seconds on a loaded machine)."""
    page.wait_for_function(_DRAWN, arg=[FRAME_SELECTOR, changed_from], timeout=timeout_s * 1000, polling=10)
    return page.evaluate(
        """(sel) => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => {
        const m = document.querySelector(sel).contentWindow.document.getElementById('map');
        const canvas = m.querySelector('canvas');
        // the map's own context (getContext returns the one the canvas has): one pixel read back, so the GPU has
        // finished those frames
        const gl = canvas && canvas.getContext('webgl2');
        if (gl) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
        window.__drawnAt = performance.now();
        r(m.dataset.drawnVersion);
    })))""",
        FRAME_SELECTOR,
    )


def canvas_pixels(page) -> np.ndarray:
    """RGB pixels of the map iframe as shown on screen (H x W x 3, uint8)."""
    from PIL import Image

    png = page.locator(FRAME_SELECTOR).screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def painted_share(pixels: np.ndarray) -> float:
    """Share of pixels that are not the white background."""
    return float((pixels.min(axis=2) < 245).mean())


@dataclass
class WsCounter:
    """Bytes the page received over Streamlit's websocket (all frames, binary and text)."""

    received: int = 0
    frames: list = field(default_factory=list)

    def attach(self, page) -> WsCounter:
        def on_ws(ws):
            ws.on("framereceived", self._on_frame)

        page.on("websocket", on_ws)
        return self

    def _on_frame(self, payload) -> None:
        n = len(payload) if isinstance(payload, (bytes, bytearray)) else len(payload.encode())
        self.received += n
        self.frames.append(n)


def open_counted(browser, url: str, *, init_script: str | None = None, wait_idle: bool = False):
    """A 1400x1000 page on ``url`` that counts the geometry file's bytes (``geo``: one entry per fetch) and the
    websocket bytes (``ws``); returns ``(ctx, page, geo, ws, version, first_s)`` after the map has drawn."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    if init_script:
        ctx.add_init_script(init_script)
    page = ctx.new_page()
    geo: list[int] = []
    page.on("response", lambda r: geo.append(len(r.body())) if r.url.endswith(GEO_SUFFIX) else None)
    ws = WsCounter().attach(page)
    t0 = time.perf_counter()
    page.goto(url)
    if wait_idle:
        page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=180_000)
    version = wait_drawn(page, timeout_s=180)
    return ctx, page, geo, ws, version, time.perf_counter() - t0
