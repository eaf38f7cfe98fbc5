"""Playwright helpers for the map component (tests/test_deckmap.py and benchmarks/bench_browser.py)."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

import numpy as np

FRAME_SELECTOR = "iframe[title='components.deckmap.deckmap']"
GEO_SUFFIX = ".skq"


def map_frame(page, timeout_s: float = 60):
    """The component's iframe Frame, once its document has loaded."""
    page.wait_for_selector(FRAME_SELECTOR, state="attached", timeout=timeout_s * 1000)
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        frame = page.frame(url=lambda u: "components.deckmap.deckmap" in u)
        if frame is not None:
            return frame
        time.sleep(0.02)
    raise TimeoutError("map iframe not found")


def wait_drawn(frame, *, version: str | None = None, changed_from: str | None = None, timeout_s: float = 60) -> str:
    """Wait until deck.gl has rendered the current arguments (optionally a version other than ``changed_from``)
    and two more animation frames have passed; returns the drawn version."""
    frame.wait_for_function(
        """([old]) => window.__deckmapRendered > 0 && document.getElementById('map').dataset.version
                      && document.getElementById('map').dataset.version === window.__deckmapArgsVersion
                      && (old === null || window.__deckmapArgsVersion !== old)""",
        arg=[changed_from], timeout=timeout_s * 1000, polling=10)
    frame.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return frame.evaluate("() => window.__deckmapArgsVersion")


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

    def attach(self, page) -> "WsCounter":
        def on_ws(ws):
            ws.on("framereceived", self._on_frame)
        page.on("websocket", on_ws)
        return self

    def _on_frame(self, payload) -> None:
        n = len(payload) if isinstance(payload, (bytes, bytearray)) else len(payload.encode())
        self.received += n
        self.frames.append(n)
