"""The Stapelkaart map: a Streamlit components-v1 component wrapping deck.gl that keeps geometry in the browser.

Geometry travels once per (gemeenten, level, year) as a content-hashed file (``components.deckmap.store``); every rerun
sends only a class index per area (bytes), the palette, tooltip values (float32 bytes), outlined codes and a
version string. A click returns the clicked area's code to Python.

Serving the geometry file:

* ``serve.py`` (``streamlit run serve.py``) runs the app as ``st.App`` with :func:`routes` and
  :func:`middleware` from :mod:`components.deckmap.server`: ``/_stapelkaart/geo/<digest>.skq`` and the
  bundle under ``/component/components.deckmap.deckmap/assets/`` get
  ``Cache-Control: public, max-age=31536000, immutable``;
* plain ``streamlit run app.py`` (fallback): the geometry directory is a second (file-only) component and is
  served by Streamlit's component route with ``Cache-Control: public`` only; the frontend then keeps the file
  in the browser's Cache Storage under its content hash, so a reload still does not download it again.

Build the frontend with ``components/deckmap/build.sh`` (npm ci + esbuild) before use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import streamlit.components.v1 as components

from components.deckmap import server
from components.deckmap.store import geometry_dir
from core.numbers import NUMBER_FORMAT
from geo.quantize import EncodedGeometry

FRONTEND = Path(__file__).resolve().parent / "frontend" / "dist"
if not (FRONTEND / "index.html").is_file():
    raise RuntimeError(f"{FRONTEND} is missing: run components/deckmap/build.sh (npm ci + build) first")


def _declare():
    """Register both components with the running Streamlit runtime (cheap; done per call, not at import:
    serve.py imports this package before the runtime exists, and a registration then would be lost)."""
    comp = components.declare_component("deckmap", path=str(FRONTEND))
    components.declare_component("geometry", path=str(geometry_dir()))  # fallback file route only
    return comp


FALLBACK_PREFIX = "/component/components.deckmap.geometry/"


def geometry_url(geometry: EncodedGeometry) -> str:
    """Where the browser fetches the file: the immutable app route when serve.py runs, else the fallback."""
    prefix = server.GEO_PREFIX if server.routes_active() else FALLBACK_PREFIX
    return prefix + geometry.filename


U16_MISSING = 65535


def field(label: str, values, *, decimals: int = 2, suffix: str = "", missing: str = "—") -> dict:
    """One tooltip line: ``label: value`` per area (NaN shows ``missing``).

    Values travel as bytes: uint16 fixed point (``round(v * 10**decimals)``, 65535 = missing) when every value
    fits in 0..65534 at that precision (the value shown is then exactly the rounded one), else float32.
    """
    arr = np.asarray(values, dtype=float)
    finite = np.isfinite(arr)
    scaled = np.round(arr * 10.0**decimals)
    if finite.any() and (scaled[finite] >= 0).all() and (scaled[finite] < U16_MISSING).all():
        raw, kind = np.where(finite, scaled, U16_MISSING).astype("<u2").tobytes(), "u16"
    else:
        raw, kind = arr.astype("<f4").tobytes(), "f32"
    return {
        "label": str(label),
        "values": raw,
        "encoding": kind,
        "decimals": int(decimals),
        "suffix": str(suffix),
        "missing": str(missing),
    }


def flags_field(label: str, masks, names: Sequence[str], *, missing: str = "—", none: str = "—") -> dict:
    """One tooltip line listing names per area: bit i of the area's mask = ``names[i]`` (e.g. the stacked
    domains: "Werk, Wonen"); NaN shows ``missing``, a mask of 0 shows ``none``. Travels as uint16 (65535 =
    missing), two bytes per area, however long the names are; at most 15 names."""
    if len(names) > 15:
        raise ValueError("at most 15 names fit a uint16 mask")
    arr = np.asarray(masks, dtype=float)
    raw = np.where(np.isfinite(arr), arr, U16_MISSING).astype("<u2").tobytes()
    return {
        "label": str(label),
        "values": raw,
        "encoding": "flags",
        "names": [str(n) for n in names],
        "decimals": 0,
        "suffix": "",
        "missing": str(missing),
        "none": str(none),
    }


def deck_map(
    geometry: EncodedGeometry,
    classes,
    palette: Sequence[Sequence[int]],
    *,
    fields: Sequence[Mapping] = (),
    outlines: Sequence[str] = (),
    outline_colour=(26, 26, 26, 255),
    height: int = 560,
    label: str = "Kaart",
    loading_text: str = "Kaart laden…",
    lost_text: str = "De kaart kon niet opnieuw getekend worden.",
    reload_text: str = "Opnieuw laden",
    lang: str = "nl",
    fit: Sequence[float] | None = None,
    fill_viewport: bool = False,
    key: str | None = None,
    on_change=None,
) -> dict | None:
    """Draw the map; returns ``{"code": ..., "seq": n}`` of the last clicked area (None before any click).

    ``classes``: one palette index per area (uint8, order of ``geometry.codes``). ``palette``: RGBA lists
    (include the no-data colour). ``fields``: :func:`field` entries for the tooltip (the area name comes from
    the geometry file). ``outlines``: codes drawn with a dark outline (focus areas, the selection).
    ``lang``: number format of the tooltip values (core.numbers.NUMBER_FORMAT: nl ``1 234,5``, en ``1,234.5``). ``fit``: RD bounds
    (minx, miny, maxx, maxy) to frame instead of the whole layer; a new ``fit`` re-frames the view.
    ``fill_viewport``: grow from ``height`` (the minimum) to the bottom of the browser window, and follow its
    resizes (presentation mode: 402 px at 1280x720 under the compact header, ~760 px on a 1080p projector).
    ``lost_text``, ``reload_text``: the message and the button shown when the browser lost the map's WebGL context
    (its GPU process went away) and no new one could draw (the component redraws by itself when one can).
    ``on_change``: called (a Streamlit widget callback, before the rerun) when a click set a new value.
    """
    cls = np.asarray(classes, dtype=np.uint8)
    if len(cls) != len(geometry.codes):
        raise ValueError(f"{len(cls)} classes for {len(geometry.codes)} areas")
    fill = cls.tobytes()
    pal = [[int(v) for v in c] for c in palette]
    outl = [str(c) for c in outlines]
    # The component re-renders only when a JSON argument changes: a short version string covers the bytes.
    h = hashlib.sha256(fill)
    h.update(repr((pal, outl, [(f["label"], f["values"]) for f in fields])).encode())
    # Only top-level bytes arguments travel as binary (nested ones would need JSON): one per tooltip field.
    meta = [{k: v for k, v in f.items() if k != "values"} for f in fields]
    values = {f"field_values_{i}": f["values"] for i, f in enumerate(fields)}
    return _declare()(
        geometry_url=geometry_url(geometry),
        geometry_hash=geometry.digest,
        fill=fill,
        palette=pal,
        fields=meta,
        outlines=outl,
        outline_colour=list(outline_colour),
        height=int(height),
        fill_viewport=bool(fill_viewport),
        label=str(label),
        loading_text=str(loading_text),
        lost_text=str(lost_text),
        reload_text=str(reload_text),
        number_format=dict(NUMBER_FORMAT.get(lang, NUMBER_FORMAT["nl"])),
        fit=[float(v) for v in fit] if fit is not None else None,
        version=h.hexdigest()[:16],
        key=key,
        default=None,
        on_change=on_change,
        **values,
    )
