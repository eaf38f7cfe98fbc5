// node --test: the fill mesh (mesh.js) covers every area exactly and colours it from its class (run by
// tests/test_deckmap_js.py).
import {test} from "node:test";
import assert from "node:assert/strict";
import {triangulate, vertexColours} from "../src/mesh.js";

const square = (x, y, s) => [x, y, x + s, y, x + s, y + s, x, y + s];
// parts as geometry.js makes them: area 0 a 10x10 square with a 2x2 hole, area 1 two squares (two parts)
const parts = [
  {area: 0, polygon: {positions: Float32Array.from([...square(0, 0, 10), ...square(4, 4, 2).reverse()]), holeIndices: [8]}},
  {area: 1, polygon: Float32Array.from(square(20, 0, 3))},
  {area: 1, polygon: Float32Array.from(square(30, 0, 1))},
];

function triangleAreas(mesh) {
  const byArea = new Map();
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const [a, b, c] = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
    const owner = mesh.areas[a];
    assert.equal(mesh.areas[b], owner, "a triangle's vertices belong to one area");
    assert.equal(mesh.areas[c], owner, "a triangle's vertices belong to one area");
    const [ax, ay, bx, by, cx, cy] = [a, b, c].flatMap((v) => [mesh.xy[2 * v], mesh.xy[2 * v + 1]]);
    byArea.set(owner, (byArea.get(owner) || 0) + Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2);
  }
  return byArea;
}

test("triangles cover each area exactly, holes left out", () => {
  const mesh = triangulate(parts);
  assert.equal(mesh.vertices, 16);
  const areas = triangleAreas(mesh);
  assert.equal(areas.get(0), 100 - 4);
  assert.equal(areas.get(1), 9 + 1);
});

test("every vertex takes its area's class colour; an index outside the palette is transparent", () => {
  const mesh = triangulate(parts);
  const palette = [[10, 20, 30, 255], [200, 100, 50, 128]];
  const colours = vertexColours(mesh.areas, Uint8Array.from([1, 7]), palette);
  for (let v = 0; v < mesh.vertices; v++) {
    const rgba = Array.from(colours.subarray(4 * v, 4 * v + 4));
    assert.deepEqual(rgba, mesh.areas[v] === 0 ? [200, 100, 50, 128] : [0, 0, 0, 0]);
  }
  const again = vertexColours(mesh.areas, Uint8Array.from([0, 0]), palette);
  assert.deepEqual(Array.from(again.subarray(0, 4)), [10, 20, 30, 255]);
});
