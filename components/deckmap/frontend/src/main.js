// Stapelkaart map component (Streamlit components v1 protocol, hand-written: no React, no component-lib).
//
// Geometry arrives once: a gzip'd, content-hashed file (see geo/quantize.py for the layout) fetched by
// URL and kept in the browser (HTTP cache with immutable headers, plus the Cache Storage API keyed by
// the content hash, so a reload never downloads it again). Every rerun sends only small arguments:
// a class index per area (bytes) + palette, tooltip values, outlined codes and a version string.
// Tooltips are TEXT: built with textContent, never innerHTML.
//
// What the map shows is stated on the map element as data attributes (no globals for tests): data-args-version
// (the arguments received last), data-drawn-version (the arguments the last frame drew), data-rendered (frames
// drawn), data-outlines (codes drawn with an outline, space-separated), data-geometry-source (network |
// cache-storage), data-origin ("x y": the RD metres the file's local coordinates start from), data-view
// ("x y zoom": the local point at the centre and the zoom; 1 metre = 2^zoom pixels, y up), data-context (ok |
// lost | failed: the WebGL context) and data-error. Timings are performance marks and measures ("deckmap:*").
import {Deck, OrthographicView, COORDINATE_SYSTEM} from "@deck.gl/core";
import {PathLayer} from "@deck.gl/layers";
import {coarsen, decodeGeometry} from "./geometry.js";
import {formatNumber} from "./numbers.js";
import {BorderLayer} from "./borders.js";
import {FillLayer} from "./fill.js";
import {triangulate, vertexColours} from "./mesh.js";

const MAGIC_CACHE = "stapelkaart-geometry-v1";
performance.mark("deckmap:bundle");
const mapEl = document.getElementById("map");
const tipEl = document.getElementById("tip");
const statusEl = document.getElementById("status");

let deck = null;
let canvasEl = null; // the canvas of ``deck`` (ours: removed with it, so an old map never shows through)
let hovered = -1; // the area under the pointer (-1: none); highlighted by index, cleared when the pointer leaves
let geometry = null; // decoded file: {header, codes, names, parts, xy, borderIndex...} (geometry.js)
let geometryHash = null;
let pending = null; // latest render args while geometry loads
let state = {fill: null, palette: [], outlines: new Set(), fields: [], version: ""};
let clickSeq = 0;
let frameHeight = 0;
let fittedKey = null; // the ``fit`` the view was last framed to (a new one re-frames; colours alone do not)
let zoom = null; // the view's current zoom (1 local metre = 2^zoom screen pixels)
// From this many vertices on (a national map), zoomed-out views draw a copy of the polygons thinned to one
// screen pixel (geometry.js coarsen): under software WebGL the triangle count is what a repaint costs.
const LOD_MIN_VERTICES = 50000;
// Borders are drawn once a typical area is at least this many pixels across; below that the white lines
// would cover the colours (and cost a repaint as much as the fill does).
const BORDER_MIN_PX = 6;

function send(type, data) {
  window.parent.postMessage({isStreamlitMessage: true, type, ...data}, "*");
}

function setHeight(h) {
  if (h !== frameHeight) {
    frameHeight = h;
    mapEl.style.height = `${h}px`;
    send("streamlit:setFrameHeight", {height: h});
  }
}

async function fetchGeometry(url, hash) {
  // Content-hashed name: a cached copy is always the right one.
  let cache = null;
  if (self.caches) {
    try {
      cache = await caches.open(MAGIC_CACHE);
      const hit = await cache.match(hash);
      if (hit) {
        mapEl.dataset.geometrySource = "cache-storage";
        return new Uint8Array(await hit.arrayBuffer());
      }
    } catch (err) {
      cache = null; // Cache Storage unavailable (insecure context): the HTTP cache still applies
    }
  }
  const resp = await fetch(url, {credentials: "same-origin"});
  if (!resp.ok) throw new Error(`geometry ${resp.status}`);
  const raw = new Uint8Array(await resp.arrayBuffer());
  mapEl.dataset.geometrySource = "network";
  if (cache) {
    try {
      await cache.put(hash, new Response(raw, {headers: {"Content-Type": "application/octet-stream"}}));
    } catch (err) {
      /* quota: keep going without */
    }
  }
  return raw;
}

function toBytes(value) {
  if (value == null) return null;
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === "string") {
    const bin = atob(value);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  throw new Error("unsupported bytes argument");
}

function decodeFields(args) {
  return (args.fields || []).map((f, i) => {
    const b = toBytes(args[`field_values_${i}`]);
    const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    let values;
    if (f.encoding === "flags") {
      // bit i set = names[i]; 65535 = missing
      const raw = new Uint16Array(buf);
      const names = (f.names || []).map(String);
      const none = String(f.none ?? "—");
      const text = Array.from(raw, (v) => (v === 65535 ? null
        : (names.filter((_, i) => v & (1 << i)).join(", ") || none)));
      return {label: String(f.label), text, missing: String(f.missing ?? "—")};
    }
    if (f.encoding === "u16") {
      // fixed point: round(v * 10^decimals), 65535 = missing (NaN)
      const raw = new Uint16Array(buf);
      const div = 10 ** Number(f.decimals ?? 2);
      values = Float64Array.from(raw, (v) => (v === 65535 ? NaN : v / div));
    } else {
      values = new Float32Array(buf);
    }
    const decimals = Number(f.decimals ?? 2);
    const sep = args.number_format;   // core.numbers.NUMBER_FORMAT of the page's language
    const fmt = {format: (v) => formatNumber(v, decimals, sep)};
    return {label: String(f.label), decimals, suffix: String(f.suffix ?? ""),
            missing: String(f.missing ?? "—"), values, fmt};
  });
}

function outlinePaths() {
  if (!geometry || state.outlines.size === 0) return [];
  if (state.outlinePaths) return state.outlinePaths; // made once per arguments (a hover re-creates the layers)
  const out = [];
  for (const part of geometry.parts) {
    if (state.outlines.has(geometry.codes[part.area])) {
      for (const ring of part.rings) {
        // closed explicitly (the file drops each ring's closing vertex; PathLayer's _pathType "loop" drew
        // stray diagonals with flat XY arrays)
        const path = new Float32Array(ring.length + 2);
        path.set(ring);
        path[ring.length] = ring[0];
        path[ring.length + 1] = ring[1];
        out.push({area: part.area, path});
      }
    }
  }
  state.outlinePaths = out;
  return out;
}

function lodActive() {
  return !!geometry.lod && zoom !== null && zoom <= geometry.lodMaxZoom;
}

function bordersVisible() {
  return zoom === null || geometry.typicalSize * 2 ** zoom >= BORDER_MIN_PX;
}

function ensureLod(fitZoom) {
  // the thinned copy is made once per geometry, for one pixel at the first framing; used while a pixel is at
  // least 0.84 of that (outlines then move by at most 0.84 px)
  if (geometry.lod !== undefined) return;
  geometry.lod = null;
  if (geometry.header.n_vertices < LOD_MIN_VERTICES) return;
  const tol = 2 ** -fitZoom;
  geometry.lod = coarsen(geometry, tol);
  geometry.lodMaxZoom = fitZoom + 0.25; // 0.71 * 2^0.25 = 0.84 px
  mapEl.dataset.lod = `${tol} ${geometry.lod.vertices} ${geometry.header.n_vertices}`; // tolerance (m), vertices, of
}

// Triangles per geometry (full or thinned), made the first time that version is shown; colours per vertex
// rebuilt when the arguments' version changes (a new array: the layer uploads it).
function meshFor(id, parts) {
  geometry.meshes ??= {};
  geometry.meshes[id] ??= triangulate(parts);
  const mesh = geometry.meshes[id];
  if (mesh.colourVersion !== state.version) {
    mesh.colours = vertexColours(mesh.areas, state.fill, state.palette);
    mesh.colourVersion = state.version;
  }
  return mesh;
}

function areaLayer(id, parts, active) {
  const mesh = meshFor(id, parts);
  return new FillLayer({
    id,
    mesh,
    colors: mesh.colours,
    visible: active,
    coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
    pickable: active,
    // the hovered area by index (not autoHighlight): cleared for certain when the pointer leaves the map
    highlightedObjectIndex: active ? hovered : -1,
    highlightColor: [255, 255, 255, 90],
  });
}

function layers() {
  // (an empty outlines layer is left out: every layer costs shader set-up on first paint)
  const lod = lodActive();
  if (!lod) geometry.fullUsed = true; // the full polygons are tessellated the first time they are shown
  return [
    geometry.lod && areaLayer("areas-lod", geometry.lod.parts, lod),
    geometry.fullUsed && areaLayer("areas", geometry.parts, !lod),
    new BorderLayer({
      id: "area-borders",
      visible: bordersVisible(),
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      positions: geometry.xy,
      indices: geometry.borderIndex,
      color: [255, 255, 255, 200],
      pickable: false,
    }),
    state.outlines.size > 0 && new PathLayer({
      id: "outlines",
      data: outlinePaths(),
      coordinateSystem: COORDINATE_SYSTEM.CARTESIAN,
      positionFormat: "XY",
      getPath: (d) => d.path,
      getColor: state.outlineColour || [26, 26, 26, 255],
      getWidth: 3,
      widthUnits: "pixels",
      pickable: false,
    }),
  ].filter(Boolean);
}

let currentView = null; // the view state shown now ({target, zoom, minZoom, maxZoom}); kept over a new context

function showView(view) {
  currentView = {...currentView, ...view};
  mapEl.dataset.view = `${view.target[0]} ${view.target[1]} ${view.zoom}`;
}

function onViewStateChange({viewState}) {
  const before = `${lodActive()}|${bordersVisible()}`;
  zoom = viewState.zoom;
  showView(viewState);
  if (`${lodActive()}|${bordersVisible()}` !== before) deck.setProps({layers: layers()});
}

function setHovered(area) {
  if (area === hovered) return;
  hovered = area;
  if (deck && geometry) deck.setProps({layers: layers()});
}

// No highlight and no tooltip once the pointer is off the map (the iframe may miss its own pointerleave when
// the pointer leaves fast; any move over the parent page means it is outside the map).
function clearHover() {
  tipEl.style.display = "none";
  setHovered(-1);
}
document.documentElement.addEventListener("mouseleave", clearHover);
window.addEventListener("blur", clearHover);
try {
  window.parent.document.addEventListener("mousemove", () => { if (hovered !== -1) clearHover(); });
} catch (e) { /* not same-origin: the iframe's own leave events only */ }

function showTip(info) {
  if (!info.object) {
    clearHover();
    return;
  }
  const a = info.object.area;
  setHovered(a);
  const lines = [geometry.names[a] || geometry.codes[a]];
  for (const f of state.fields) {
    if (f.text) {
      lines.push(`${f.label}: ${f.text[a] ?? f.missing}`);
      continue;
    }
    const v = f.values[a];
    lines.push(`${f.label}: ${Number.isFinite(v) ? f.fmt.format(v) + f.suffix : f.missing}`);
  }
  tipEl.textContent = lines.join("\n"); // text only: a name like <img onerror=...> stays text
  tipEl.style.display = "block";
  tipEl.style.left = `${Math.min(info.x + 12, mapEl.clientWidth - 200)}px`;
  tipEl.style.top = `${info.y + 12}px`;
}

function fitView(width, height, fit) {
  // local units (metres from origin); ``fit``: RD bounds to frame instead (e.g. a focus area)
  const o = geometry.header.origin;
  const [minx, miny, maxx, maxy] = fit ? [fit[0] - o[0], fit[1] - o[1], fit[2] - o[0], fit[3] - o[1]]
                                       : geometry.header.extent;
  const w = Math.max(maxx - minx, 1);
  const h = Math.max(maxy - miny, 1);
  const zoom = Math.log2(Math.min(width / w, height / h) * 0.95);
  return {target: [(minx + maxx) / 2, (miny + maxy) / 2, 0], zoom, minZoom: zoom - 2, maxZoom: zoom + 8};
}

// Texts in the page's language (arguments lost_text and reload_text; Dutch until the first arguments arrive).
let texts = {lost: "De kaart kon niet opnieuw getekend worden.", reload: "Opnieuw laden"};
// How long a lost WebGL context may take to come back before the map takes a new one itself.
const RESTORE_WAIT_MS = 2000;
// How long a new context may take to draw its first frame before the map says it cannot draw.
const REDRAW_WAIT_MS = 15000;
let lostTimer = null;

// When the GPU process goes away (a driver reset, Chromium's GPU process crashing) every WebGL context of the
// page is lost and the canvas stays blank. preventDefault asks the browser to restore the context; on
// "restored", or when none came within RESTORE_WAIT_MS, the map is drawn again on a new canvas with a new
// context (deck.gl does not rebuild its GPU resources in a restored one), in the view the user had. If no frame
// follows, the map says so and offers a reload of the page (the address holds the whole view).
function watchContext(canvas) {
  canvas.addEventListener("webglcontextlost", (event) => {
    event.preventDefault();
    if (canvas !== canvasEl) return;
    mapEl.dataset.context = "lost";
    clearTimeout(lostTimer);
    lostTimer = setTimeout(rebuild, RESTORE_WAIT_MS);
  });
  canvas.addEventListener("webglcontextrestored", () => {
    if (canvas !== canvasEl) return;
    clearTimeout(lostTimer);
    rebuild();
  });
}

function rebuild() {
  lostTimer = null;
  const view = currentView;
  dropDeck();
  try {
    redraw(view);
  } catch (err) {
    showLost(err);
    return;
  }
  const canvas = canvasEl;
  setTimeout(() => {
    if (canvas === canvasEl && mapEl.dataset.context !== "ok") showLost(null);
  }, REDRAW_WAIT_MS);
}

function showLost(err) {
  mapEl.dataset.context = "failed";
  if (err) mapEl.dataset.error = String(err.message || err);
  statusEl.textContent = `${texts.lost} `;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = texts.reload;
  button.addEventListener("click", () => {
    try {
      window.parent.location.reload(); // the page's address holds the view
    } catch (e) {
      window.location.reload();
    }
  });
  statusEl.appendChild(button);
}

function redraw(keepView = null) {
  if (!geometry) return;
  const height = frameHeight || 560;
  const refit = state.fitKey !== fittedKey || (!deck && !keepView);
  const framed = refit ? fitView(mapEl.clientWidth || 800, height, state.fit) : !deck ? keepView : null;
  if (framed) {
    zoom = framed.zoom;
    ensureLod(framed.zoom);
    showView(framed);
  }
  if (!deck) {
    // Our own canvas, its drawing buffer already the size it is shown at: a canvas deck.gl creates starts at
    // 300 x 150 until its ResizeObserver fires, so the first frame was drawn twice (the second at full size).
    const canvas = document.createElement("canvas");
    canvas.style.width = "100%";
    canvas.style.height = "100%";
    mapEl.appendChild(canvas);
    canvasEl = canvas;
    watchContext(canvas);
    canvas.width = Math.max(1, mapEl.clientWidth || 800);
    canvas.height = Math.max(1, mapEl.clientHeight || height);
    deck = new Deck({
      canvas,
      width: "100%",
      height: "100%",
      views: new OrthographicView({id: "rd", flipY: false}),
      initialViewState: framed,
      onViewStateChange,
      controller: {doubleClickZoom: true, scrollZoom: true, dragRotate: false},
      useDevicePixels: 1,
      parameters: {clearColor: [1, 1, 1, 1]},
      glOptions: {preserveDrawingBuffer: true},
      // WebGL extensions are enabled when a feature is first asked for, not all at start-up (~80 ms of
      // getExtension calls under SwiftShader before the first frame)
      deviceProps: {_initializeFeatures: false},
      getCursor: ({isHovering}) => (isHovering ? "pointer" : "grab"),
      onHover: showTip,
      onClick: (info) => {
        if (info.object) {
          clickSeq += 1;
          send("streamlit:setComponentValue", {
            value: {code: geometry.codes[info.object.area], seq: clickSeq}, dataType: "json"});
        }
      },
      onAfterRender: ({gl}) => {
        if (gl && gl.isContextLost()) return;
        if (!performance.getEntriesByName("deckmap:rendered").length) performance.mark("deckmap:rendered");
        mapEl.dataset.rendered = String(Number(mapEl.dataset.rendered || 0) + 1);
        mapEl.dataset.drawnVersion = state.version;
        mapEl.dataset.context = "ok";
      },
      onError: (err) => {
        mapEl.dataset.error = String(err && err.message ? err.message : err);
      },
      layers: layers(),
    });
  } else {
    deck.setProps(framed ? {layers: layers(), initialViewState: framed} : {layers: layers()});
  }
  fittedKey = state.fitKey;
}

function dropDeck() {
  try {
    if (deck) deck.finalize();
  } catch (err) {
    /* a lost context may fail to release what it no longer has */
  }
  if (canvasEl) canvasEl.remove();
  deck = null;
  canvasEl = null;
  hovered = -1;
  tipEl.style.display = "none";
  if (statusEl.querySelector("button")) statusEl.textContent = "";
}

function applyArgs(args) {
  state = {
    fill: toBytes(args.fill),
    palette: (args.palette || []).map((c) => c.map(Number)),
    outlines: new Set(args.outlines || []),
    outlineColour: args.outline_colour || null,
    fields: decodeFields(args),
    version: String(args.version || ""),
    fit: Array.isArray(args.fit) && args.fit.length === 4 ? args.fit.map(Number) : null,
  };
  state.fitKey = state.fit ? state.fit.join(",") : "";
  if (args.label) mapEl.setAttribute("aria-label", String(args.label));
  mapEl.dataset.outlines = [...state.outlines].join(" ");
  redraw();
}

// The height to the bottom of the browser window (the iframe is same-origin), at least ``min``; 0 when the
// parent cannot be read.
function viewportHeight(min) {
  try {
    const top = window.frameElement.getBoundingClientRect().top;
    return Math.max(min, Math.floor(window.parent.innerHeight - top - 12));
  } catch (e) {
    return min;
  }
}

let fillMin = 0; // > 0: fill the window down to its bottom, at least this high (presentation mode)
function onParentResize() {
  if (fillMin > 0) setHeight(viewportHeight(fillMin));
}
try {
  window.parent.addEventListener("resize", onParentResize);
} catch (e) { /* not same-origin: the fixed height stays */ }

async function onRender(args) {
  if (!performance.getEntriesByName("deckmap:args").length) performance.mark("deckmap:args");
  texts = {lost: String(args.lost_text || texts.lost), reload: String(args.reload_text || texts.reload)};
  mapEl.dataset.argsVersion = String(args.version || ""); // the newest arguments: drawn once data-drawn-version says so
  fillMin = args.fill_viewport ? Number(args.height || 560) : 0;
  setHeight(fillMin > 0 ? viewportHeight(fillMin) : Number(args.height || 560));
  if (args.geometry_hash !== geometryHash) {
    geometryHash = args.geometry_hash;
    pending = args;
    dropDeck(); // other areas: nothing of the old map may stay on screen while the new one loads
    geometry = null;
    statusEl.textContent = String(args.loading_text || "Kaart laden…");
    performance.mark("deckmap:geometry-start");
    const raw = await fetchGeometry(String(args.geometry_url), String(args.geometry_hash));
    const decoded = await decodeGeometry(raw);
    if (geometryHash !== args.geometry_hash) return; // a newer geometry was asked for meanwhile
    performance.measure("deckmap:geometry", "deckmap:geometry-start");
    dropDeck();
    geometry = decoded;
    mapEl.dataset.origin = `${decoded.header.origin[0]} ${decoded.header.origin[1]}`;
    fittedKey = null;
    statusEl.textContent = "";
    applyArgs(pending);
    pending = null;
    return;
  }
  if (!geometry) {
    pending = args; // still loading: the newest args win
    return;
  }
  applyArgs(args);
}

window.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "streamlit:render") return;
  onRender(data.args || {}).catch((err) => {
    statusEl.textContent = `Kaart kon niet laden: ${err.message}`;
    mapEl.dataset.error = String(err.message);
  });
});

send("streamlit:componentReady", {apiVersion: 1});
