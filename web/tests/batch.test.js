// Many prisms in one geometry: the merged arrays hold every part in order,
// and a face index names its part again (what a tap on the 3D view picks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeCache, concatFloats, mergeTriangles, partOfFace } from '../src/batch.js';
import { flatArrays, prismArrays } from '../src/prism.js';

const square = (x, y, s) => [[[x, y], [x + s, y], [x + s, y + s], [x, y + s]]];

test('merged prisms keep their triangles, in order, and each face names its prism', () => {
  const parts = [prismArrays(square(0, 0, 10), 8), prismArrays(square(20, 0, 5), 3), prismArrays(square(40, 0, 7), 12)];
  const merged = mergeTriangles(parts);
  const counts = parts.map((p) => p.position.length / 9);
  assert.deepEqual(counts, [12, 12, 12]); // two caps of two triangles, four walls of two
  assert.deepEqual([...merged.starts], [0, 12, 24, 36]);
  assert.equal(merged.position.length, 36 * 9);
  assert.deepEqual(merged.position.subarray(12 * 9, 24 * 9), parts[1].position);
  assert.deepEqual(merged.normal.subarray(24 * 9), parts[2].normal);
  for (let face = 0; face < 36; face++) {
    const k = partOfFace(merged.starts, face);
    assert.equal(k, Math.floor(face / 12));
    // The face's first vertex lies in the footprint of the prism it names.
    const x = merged.position[face * 9];
    assert.ok(x >= [0, 20, 40][k] - 1e-9 && x <= [10, 25, 47][k] + 1e-9, `face ${face}: x ${x}, part ${k}`);
  }
  assert.equal(partOfFace(merged.starts, 36), -1);
  assert.equal(partOfFace(merged.starts, -1), -1);
  assert.equal(partOfFace(merged.starts, undefined), -1);
});

test('an empty part names no face; nothing merged names nothing', () => {
  const a = { position: new Float32Array(18) };
  const none = { position: new Float32Array(0) };
  const merged = mergeTriangles([a, none, none, a]);
  assert.deepEqual([...merged.starts], [0, 2, 2, 2, 4]);
  assert.deepEqual([0, 1, 2, 3].map((f) => partOfFace(merged.starts, f)), [0, 0, 3, 3]);
  assert.equal(merged.normal, null);
  const empty = mergeTriangles([]);
  assert.equal(empty.position.length, 0);
  assert.equal(partOfFace(empty.starts, 0), -1);
});

test('a flat surface faces up and covers its area', () => {
  const { position } = flatArrays([[[0, 0], [0, 30], [50, 30], [50, 0]], [[10, 10], [20, 10], [20, 20], [10, 20]]]);
  let area = 0;
  for (let i = 0; i < position.length; i += 9) {
    const cross = (position[i + 3] - position[i]) * (position[i + 7] - position[i + 1])
      - (position[i + 4] - position[i + 1]) * (position[i + 6] - position[i]);
    assert.ok(cross > 0, 'every triangle turns left (faces up)');
    area += cross / 2;
    assert.equal(position[i + 2], 0);
  }
  assert.ok(Math.abs(area - (1500 - 100)) < 1e-6, `area ${area}`);
});

test('the shape cache builds once per footprint and height', () => {
  let made = 0;
  const cache = new ShapeCache((h) => { made += 1; return { h }; });
  const fp = { rect: { cx: 0, cy: 0, width: 1, depth: 1 } };
  assert.equal(cache.get(fp, 8, 8).h, 8);
  assert.equal(cache.get(fp, 8, 8).h, 8);
  assert.equal(made, 1);
  assert.equal(cache.get(fp, 9, 9).h, 9); // a new height: built again
  assert.equal(cache.get({ ...fp }, 9, 9).h, 9); // a new footprint object: built again
  assert.equal(made, 3);
  assert.deepEqual([...concatFloats([new Float32Array([1, 2]), new Float32Array(0), new Float32Array([3])])], [1, 2, 3]);
});
