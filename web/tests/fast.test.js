// The engine's direct measures against JSTS, which they replace where JSTS is
// slow: union and shared areas of convex rings, distances by boxed chunks.
// Random shapes on an integer grid, so that edges often coincide exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convexUnionArea, convexSharedArea } from '../src/engine.js';
import { facetDistance } from '../src/distance.js';
import { polygon, multiPolygon, unionAll, intersection, distance, boundary } from '../src/geometry.js';
import { checksInPage, SYNC_MAX_ITEMS } from '../src/checker.js';
import { random, rects } from './random_shapes.js';

test('the union of convex rings has the area JSTS gives', () => {
  const rnd = random(7);
  for (let k = 0; k < 100; k++) {
    const rings = rects(rnd, 2 + Math.floor(rnd() * 6));
    const want = unionAll(rings.map((r) => polygon([r]))).getArea();
    assert.ok(Math.abs(convexUnionArea(rings) - want) < 1e-6, JSON.stringify(rings));
  }
});

test('the area two convex rings share is the area of their JSTS intersection', () => {
  const rnd = random(11);
  for (let k = 0; k < 300; k++) {
    const [a, b] = rects(rnd, 2);
    const want = intersection(polygon([a]), polygon([b])).getArea();
    assert.ok(Math.abs(convexSharedArea(a, b) - want) < 1e-6, JSON.stringify([a, b]));
  }
});

function star(cx, cy, n, r0, r1) {
  return Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    const r = i % 2 ? r1 : r0;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
}

test('distances by boxed chunks are JSTS distances, contact and containment included', () => {
  const rnd = random(3);
  for (let k = 0; k < 200; k++) {
    const a = polygon([star(rnd() * 30, rnd() * 30, 8 + Math.floor(rnd() * 200), 3 + rnd() * 5, 6 + rnd() * 5)]);
    const shapes = [
      polygon([star(rnd() * 30, rnd() * 30, 8 + Math.floor(rnd() * 200), 1 + rnd() * 2, 2 + rnd() * 2)]),
      multiPolygon([[rects(rnd, 1)[0]], [rects(rnd, 1)[0]]]),
      boundary(polygon([rects(rnd, 1)[0]])),
    ];
    // The same segment-to-segment formulas; the order of the operands may change the last bit.
    for (const b of shapes) assert.ok(Math.abs(facetDistance(a, b) - distance(a, b)) < 1e-9);
  }
});

test('two 10,000-vertex buildings side by side: the same distance as JSTS', () => {
  const a = polygon([star(0, 0, 10000, 16, 18)]);
  const b = polygon([star(37, 0, 10000, 16, 18)]);
  assert.ok(Math.abs(facetDistance(a, b) - distance(a, b)) < 1e-9);
});

test('small projects are checked in the page, big ones in the worker', () => {
  const rect = { rect: { cx: 0, cy: 0, width: 10, depth: 10, angle_deg: 0 } };
  const doc = (n, fp = rect) => ({ buildings: Array.from({ length: n }, () => ({ footprint: fp })), surfaces: [] });
  assert.ok(checksInPage(doc(10)));
  assert.ok(!checksInPage(doc(SYNC_MAX_ITEMS + 1)));
  assert.ok(!checksInPage(doc(1, { polygon: star(0, 0, 10000, 16, 18) })));
});
