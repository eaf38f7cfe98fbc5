// The fill mesh of a geometry (pure functions, no WebGL; tested with node --test): triangles per part and a
// colour per vertex. deck.gl's SolidPolygonLayer tessellates with the same earcut.
import {earcut} from "@math.gl/polygon";

// Triangles of ``parts`` ([{area, polygon: Float32Array xy | {positions, holeIndices (flat-array units)}}],
// as geometry.js makes them): {xy: Float32Array, areas: Float32Array (area index per vertex), indices}.
export function triangulate(parts) {
  let nv = 0;
  for (const p of parts) nv += (p.polygon.positions || p.polygon).length / 2;
  const xy = new Float32Array(2 * nv);
  const areas = new Float32Array(nv);
  const chunks = [];
  let nIdx = 0;
  let base = 0;
  for (const p of parts) {
    const pos = p.polygon.positions || p.polygon;
    const holes = p.polygon.holeIndices ? p.polygon.holeIndices.map((h) => h / 2) : null; // earcut: vertices
    const n = pos.length / 2;
    xy.set(pos, 2 * base);
    areas.fill(p.area, base, base + n);
    const t = n >= 3 ? earcut(pos, holes, 2) : [];
    chunks.push(base, t);
    nIdx += t.length;
    base += n;
  }
  const indices = new Uint32Array(nIdx);
  let k = 0;
  for (let c = 0; c < chunks.length; c += 2) {
    const off = chunks[c];
    const t = chunks[c + 1];
    for (let i = 0; i < t.length; i++) indices[k++] = t[i] + off;
  }
  return {xy, areas, indices, vertices: nv, triangles: nIdx / 3};
}

// RGBA per vertex: palette[fill[area]] (an index outside the palette is transparent), into ``out`` if given.
export function vertexColours(areas, fill, palette, out) {
  const pal = new Uint8Array(4 * (palette.length + 1)); // the extra, last entry stays transparent
  palette.forEach((c, i) => pal.set([c[0], c[1], c[2], c[3] ?? 255], 4 * i));
  const pal32 = new Uint32Array(pal.buffer);
  const none = palette.length;
  const colours = out || new Uint8Array(4 * areas.length);
  const c32 = new Uint32Array(colours.buffer, colours.byteOffset, areas.length);
  for (let v = 0; v < areas.length; v++) {
    const idx = fill ? fill[areas[v]] : 0;
    c32[v] = pal32[idx < none ? idx : none];
  }
  return colours;
}
