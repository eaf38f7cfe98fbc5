// node --test: the display copy of geometry.js (coarsen) keeps its promises (run by tests/test_deckmap_js.py).
import {test} from "node:test";
import assert from "node:assert/strict";
import {coarsen} from "../src/geometry.js";

// A geometry as decodeGeometry returns it, from rings given as [[x, y], ...] (no closing vertex), one part
// per ring list: parts = [[exterior, hole, ...], ...].
function geometryOf(parts) {
  const xy = [];
  const ringVerts = [0];
  const partRings = [0];
  const partArea = [];
  parts.forEach((rings, i) => {
    for (const ring of rings) {
      for (const [x, y] of ring) xy.push(x, y);
      ringVerts.push(xy.length / 2);
    }
    partRings.push(ringVerts.length - 1);
    partArea.push(i);
  });
  return {xy: Float32Array.from(xy), ringVerts: Int32Array.from(ringVerts), partRings: Int32Array.from(partRings),
          partArea: Int32Array.from(partArea)};
}

function ringsOf(part) {
  const p = part.polygon;
  const pos = p.positions || p;
  const starts = [0, ...(p.holeIndices || []), pos.length];
  const out = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    const ring = [];
    for (let k = starts[i]; k < starts[i + 1]; k += 2) ring.push([pos[k], pos[k + 1]]);
    out.push(ring);
  }
  return out;
}

// two 1000 m squares side by side; their shared edge x = 1000 has points every 7 m, in opposite order
function neighbours() {
  const edge = [];
  for (let y = 0; y <= 1000; y += 7) edge.push([1000, y]);
  const leftRing = [[0, 0], [1000, 0], ...edge.slice(1, -1), [1000, 1000], [0, 1000]];
  const rightRing = [[1000, 0], [2000, 0], [2000, 1000], [1000, 1000], ...edge.slice(1, -1).reverse()];
  return geometryOf([[leftRing], [rightRing]]);
}

test("every vertex moves by at most 0.71 * tol (snapped to the tol grid)", () => {
  const g = neighbours();
  const tol = 50;
  const {parts} = coarsen(g, tol);
  for (const part of parts) {
    for (const ring of ringsOf(part)) {
      for (const [x, y] of ring) {
        // nearest input vertex
        let best = Infinity;
        for (let v = 0; v < g.xy.length / 2; v++) best = Math.min(best, Math.hypot(g.xy[2 * v] - x, g.xy[2 * v + 1] - y));
        assert.ok(best <= tol * Math.SQRT1_2 + 1e-6, `vertex ${x},${y} is ${best} m from the source`);
      }
    }
  }
});

test("neighbours keep one shared border: the same points on both sides, so no gap opens", () => {
  const g = neighbours();
  const {parts, vertices} = coarsen(g, 50);
  assert.ok(vertices < g.xy.length / 2, "fewer vertices than the source");
  const onEdge = (ring) => ring.filter(([x]) => Math.abs(x - 1000) < 1e-6).map(([x, y]) => `${x},${y}`).sort();
  assert.deepEqual(onEdge(ringsOf(parts[0])[0]), onEdge(ringsOf(parts[1])[0]));
  // and the two squares still cover 2000 x 1000 m (shoelace areas)
  const area = (ring) => Math.abs(ring.reduce((s, [x, y], i) => {
    const [x2, y2] = ring[(i + 1) % ring.length];
    return s + x * y2 - x2 * y;
  }, 0)) / 2;
  const total = area(ringsOf(parts[0])[0]) + area(ringsOf(parts[1])[0]);
  assert.ok(Math.abs(total - 2e6) < 1e-6, `covered ${total} m²`);
});

test("a hole smaller than the grid is left out; an area smaller than the grid keeps three of its vertices", () => {
  const outer = [[0, 0], [1000, 0], [1000, 1000], [0, 1000]];
  const hole = [[500, 500], [510, 500], [510, 510], [500, 510]];
  const tiny = [[3000, 3000], [3004, 3000], [3004, 3004], [3000, 3004]];
  const {parts} = coarsen(geometryOf([[outer, hole], [tiny]]), 100);
  assert.equal(ringsOf(parts[0]).length, 1, "the 10 m hole is gone at a 100 m grid");
  const t = ringsOf(parts[1]);
  assert.equal(t.length, 1);
  assert.equal(t[0].length, 3);
  for (const [x, y] of t[0]) assert.ok(tiny.some(([a, b]) => a === x && b === y), "its own vertices");
});

test("only vertices exactly on the line between their neighbours are left out: the shape stays the same", () => {
  // on grid points (tol 10): (10, 10) is one cell off the line from (0, 0) to (20, 10), (10, 0) lies on it
  const ring = [[0, 0], [10, 0], [20, 0], [20, 30], [0, 30], [0, 20], [10, 10]];
  const area = (r) => Math.abs(r.reduce((s, [x, y], i) => s + x * r[(i + 1) % r.length][1] - r[(i + 1) % r.length][0] * y, 0)) / 2;
  const {parts} = coarsen(geometryOf([[ring]]), 10);
  const out = ringsOf(parts[0])[0];
  assert.equal(area(out), area(ring));
  assert.ok(!out.some(([x, y]) => x === 10 && y === 0), "the collinear (10, 0) is left out");
});
