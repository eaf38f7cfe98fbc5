// Decoder for the quantized geometry file written by geo/quantize.py (layout "SKQ1", gzip'd):
//   "SKQ1" | uint32 header length | header JSON (utf-8, padded to 4 bytes) |
//   int32 part_area[n_parts] | int32 part_ring_offsets[n_parts + 1] | int32 ring_vertex_offsets[n_rings + 1] |
//   int32 deltas[2 * n_vertices]   (per ring: first vertex relative to the origin, then differences)
// Coordinates are integer steps of header.scale metres in RD (EPSG:28992) from header.origin.

async function gunzip(raw) {
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw; // served already decoded
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function decodeGeometry(raw) {
  const bytes = await gunzip(raw);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== "SKQ1") throw new Error("unknown geometry format");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  let offset = 8 + headerLen;
  offset += (4 - (offset % 4)) % 4;
  const buf = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + bytes.byteLength);
  const ints = new Int32Array(buf);
  const nParts = header.n_parts;
  const nRings = header.n_rings;
  let p = 0;
  const partArea = ints.subarray(p, (p += nParts));
  const partRings = ints.subarray(p, (p += nParts + 1));
  const ringVerts = ints.subarray(p, (p += nRings + 1));
  const deltas = ints.subarray(p, p + 2 * header.n_vertices);
  // Undo the deltas into one Float32Array of local metres (scale applied); rings are views into it.
  const xy = new Float32Array(deltas.length);
  const s = header.scale;
  for (let r = 0; r < nRings; r++) {
    let x = 0;
    let y = 0;
    for (let v = ringVerts[r]; v < ringVerts[r + 1]; v++) {
      x += deltas[2 * v];
      y += deltas[2 * v + 1];
      xy[2 * v] = x * s;
      xy[2 * v + 1] = y * s;
    }
  }
  // Border segments as index pairs into xy (line-list), closing segment included: the file drops each
  // ring's closing vertex, so the last vertex joins the first.
  const borderIndex = new Uint32Array(2 * header.n_vertices);
  let k = 0;
  for (let r = 0; r < nRings; r++) {
    const a = ringVerts[r];
    const b = ringVerts[r + 1];
    if (b - a < 2) continue;
    for (let v = a; v < b; v++) {
      borderIndex[k++] = v;
      borderIndex[k++] = v + 1 < b ? v + 1 : a;
    }
  }
  const rings = new Array(nRings);
  for (let r = 0; r < nRings; r++) rings[r] = xy.subarray(2 * ringVerts[r], 2 * ringVerts[r + 1]);
  const parts = new Array(nParts);
  for (let i = 0; i < nParts; i++) {
    const r0 = partRings[i];
    const r1 = partRings[i + 1];
    const start = ringVerts[r0];
    const holeIndices = [];
    for (let r = r0 + 1; r < r1; r++) holeIndices.push(2 * (ringVerts[r] - start)); // flat-array units (x, y per vertex)
    const positions = xy.subarray(2 * start, 2 * ringVerts[r1]);
    parts[i] = {area: partArea[i], polygon: holeIndices.length ? {positions, holeIndices} : positions,
                rings: rings.slice(r0, r1)};
  }
  return {header, codes: header.codes, names: header.names, parts, xy, borderIndex: borderIndex.subarray(0, k),
          ringVerts, partRings, partArea, typicalSize: typicalSize(xy, ringVerts, partRings, nParts)};
}

// Median over parts of sqrt(width * height) of the exterior ring's bounding box, in metres: how big an area
// typically is, to decide from what zoom on its borders are worth drawing.
function typicalSize(xy, ringVerts, partRings, nParts) {
  if (nParts === 0) return 1;
  const sizes = new Float64Array(nParts);
  for (let i = 0; i < nParts; i++) {
    const r = partRings[i];
    let minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
    for (let v = ringVerts[r]; v < ringVerts[r + 1]; v++) {
      const x = xy[2 * v], y = xy[2 * v + 1];
      if (x < minx) minx = x;
      if (x > maxx) maxx = x;
      if (y < miny) miny = y;
      if (y > maxy) maxy = y;
    }
    sizes[i] = maxx > minx ? Math.sqrt((maxx - minx) * (maxy - miny)) : 0;
  }
  sizes.sort();
  return Math.max(sizes[nParts >> 1], 1);
}

// A display copy of the polygons for a zoomed-out view: every vertex snapped to a grid of ``tol`` metres and
// repeated vertices dropped, so no outline moves by more than 0.71 * tol; with tol one screen pixel the
// difference is invisible, and there are far fewer triangles to draw. Neighbours share their border vertices,
// so they snap alike and no gap opens between them. A hole that collapses is left out; an exterior ring that
// collapses keeps three of its own vertices. The file's geometry (<= 10 m from the source, topology kept) is
// untouched and drawn as soon as one pixel is finer than tol.
export function coarsen(g, tol) {
  const {xy, ringVerts, partRings, partArea} = g;
  const out = new Float32Array(xy.length + 6 * partArea.length);
  let longest = 1;
  for (let r = 0; r + 1 < ringVerts.length; r++) longest = Math.max(longest, ringVerts[r + 1] - ringVerts[r]);
  const cx = new Int32Array(longest);
  const cy = new Int32Array(cx.length);
  let n = 0;
  const parts = new Array(partArea.length);
  for (let i = 0; i < partArea.length; i++) {
    const start = n;
    const holes = [];
    for (let r = partRings[i]; r < partRings[i + 1]; r++) {
      const a = ringVerts[r];
      const b = ringVerts[r + 1];
      // grid cells of the ring's vertices, repeats dropped (also the last one when it equals the first)
      let m = 0;
      for (let v = a; v < b; v++) {
        const x = Math.round(xy[2 * v] / tol);
        const y = Math.round(xy[2 * v + 1] / tol);
        if (m === 0 || x !== cx[m - 1] || y !== cy[m - 1]) {
          cx[m] = x;
          cy[m] = y;
          m++;
        }
      }
      if (m > 1 && cx[m - 1] === cx[0] && cy[m - 1] === cy[0]) m--;
      // then every vertex exactly on the line between its neighbours (integer cross product 0): leaving it
      // out does not change the polygon at all, so neighbours still meet without a gap
      const ringStart = n;
      for (let k = 0; k < m; k++) {
        const p = (k + m - 1) % m;
        const q = (k + 1) % m;
        const cross = (cx[k] - cx[p]) * (cy[q] - cy[k]) - (cy[k] - cy[p]) * (cx[q] - cx[k]);
        if (m > 3 && cross === 0) continue;
        out[n++] = cx[k] * tol;
        out[n++] = cy[k] * tol;
      }
      if ((n - ringStart) / 2 < 3) {
        n = ringStart;
        if (r > partRings[i] || b - a < 3) continue; // a collapsed hole, or no ring at all
        const len = b - a;
        for (const k of [0, Math.floor(len / 3), Math.floor((2 * len) / 3)]) {
          out[n++] = xy[2 * (a + k)];
          out[n++] = xy[2 * (a + k) + 1];
        }
      }
      if (r > partRings[i]) holes.push(ringStart - start); // flat-array units, as deck.gl wants
    }
    const positions = out.subarray(start, n);
    parts[i] = {area: partArea[i], polygon: holes.length ? {positions, holeIndices: holes} : positions};
  }
  return {parts, vertices: n / 2};
}

