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
  return {header, codes: header.codes, names: header.names, parts, rings, xy, borderIndex: borderIndex.subarray(0, k)};
}
