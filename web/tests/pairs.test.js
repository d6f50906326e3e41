// largestShared (src/pairs.js) against the plain search: every pair
// intersected by JSTS, the most shared area, the first pair among equals.
import test from 'node:test';
import assert from 'node:assert/strict';
import { largestShared, cellAreas } from '../src/pairs.js';
import { polygon, area, intersection } from '../src/geometry.js';
import { random, rects } from './random_shapes.js';
import { ringIsSimple } from '../src/ring.js';

/** A star of `n` points (radii r0 and r1, alternately) around (cx, cy), counter-clockwise. */
function star(cx, cy, n, r0, r1, turn) {
  return Array.from({ length: 2 * n }, (_, k) => {
    const r = k % 2 ? r0 : r1;
    const a = turn + (Math.PI * k) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
}

function ringArea(ring) {
  let s = 0;
  ring.forEach(([x1, y1], k) => {
    const [x2, y2] = ring[(k + 1) % ring.length];
    s += x1 * y2 - x2 * y1;
  });
  return s / 2;
}

function isConvex(ring) {
  return ring.every(([ax, ay], k) => {
    const [bx, by] = ring[(k + 1) % ring.length];
    const [cx, cy] = ring[(k + 2) % ring.length];
    return (bx - ax) * (cy - by) - (by - ay) * (cx - bx) >= 0;
  });
}

/** Both searches on the same shapes; returns the number of pairs intersected. */
function compare(rings) {
  const polys = rings.map((r) => polygon([r]));
  const areas = polys.map(area);
  const pairs = [];
  for (let i = 0; i < rings.length; i++) for (let j = i + 1; j < rings.length; j++) pairs.push([i, j]);
  const shared = pairs.map(([i, j]) => area(intersection(polys[i], polys[j])));
  let k = 0;
  shared.forEach((s, m) => { if (s > shared[k]) k = m; });
  let calls = 0;
  const got = largestShared(pairs, rings, areas, (i) => isConvex(rings[i]), (i, j) => {
    calls++;
    return area(intersection(polys[i], polys[j]));
  });
  assert.deepEqual(got, { k, shared: shared[k] });
  return calls;
}

test('a stack of turned concave stars: the plain answer, from few intersections', () => {
  const rnd = random(11);
  for (let round = 0; round < 2; round++) {
    const n = 4 + Math.floor(rnd() * 20);
    const cx = 1000 * rnd();
    const cy = 1000 * rnd();
    const rings = Array.from({ length: 60 }, (_, k) =>
      star(cx + rnd() * 3, cy + rnd() * 3, n, 5 + 10 * rnd(), 20 + 10 * rnd(), 0.01 * k + rnd() * 0.02));
    const calls = compare(rings);
    assert.ok(calls < (60 * 59) / 2 / 10, `${calls} intersections`);
  }
});

test('mixed stacks: rectangles (some given twice), stars, shapes apart', () => {
  const rnd = random(5);
  for (let round = 0; round < 4; round++) {
    const rings = rects(rnd, 25, { collinear: true });
    for (let k = 0; k < 15; k++) rings.push(star(5 + 10 * rnd(), 5 + 10 * rnd(), 3 + Math.floor(rnd() * 9), 1 + 3 * rnd(), 5 + 5 * rnd(), rnd() * 7));
    rings.push(star(500, 500, 5, 1, 2, 0)); // far from the others
    compare(rings);
  }
});

test('equal shared areas: the first pair in order wins', () => {
  // Four copies of a concave shape: every pair shares all of it.
  const s = star(0, 0, 7, 2, 5, 0.3);
  const rings = [star(40, 0, 7, 2, 5, 0), s, s.map((p) => [...p]), s.map((p) => [...p]), s.map((p) => [...p])];
  const polys = rings.map((r) => polygon([r]));
  const pairs = [[0, 1], [1, 2], [1, 3], [2, 3], [3, 4]];
  const got = largestShared(pairs, rings, polys.map(area), () => false, (i, j) => area(intersection(polys[i], polys[j])));
  assert.equal(got.k, 1);
  assert.equal(largestShared([], rings, [], () => false, () => 0), null);
});

test('cell areas add up to the area, and each lies in its cell', () => {
  const rnd = random(3);
  for (let round = 0; round < 20; round++) {
    const ring = star(50 * rnd(), 50 * rnd(), 3 + Math.floor(rnd() * 30), 1 + 5 * rnd(), 8 + 10 * rnd(), rnd() * 7);
    const cells = cellAreas(ring, -20, -20, 6, 6, 16);
    const total = cells.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - ringArea(ring)) < 1e-9 * ringArea(ring), `${total} vs ${ringArea(ring)}`);
    cells.forEach((c) => assert.ok(c >= 0 && c <= 36 + 1e-9));
    // A cell against the polygon clipped to it by JSTS.
    const col = Math.floor(rnd() * 16);
    const row = Math.floor(rnd() * 16);
    const x0 = -20 + 6 * col;
    const y0 = -20 + 6 * row;
    const sq = polygon([[[x0, y0], [x0 + 6, y0], [x0 + 6, y0 + 6], [x0, y0 + 6]]]);
    const inner = col > 0 && row > 0 && col < 15 && row < 15;
    if (inner) assert.ok(Math.abs(cells[col * 16 + row] - area(intersection(polygon([ring]), sq))) < 1e-9);
  }
});

test('a pair whose boxes promise less is still found when it shares a little more', () => {
  // Two big stars sharing S, and two copies of a smaller star of area 1.005 S
  // elsewhere: the big pair comes first in the boxes' order, and the small
  // pair beats it only if its bound is never below what it shares.
  for (const shift of [12, 18, 25]) {
    const big = [star(0, 0, 12, 10, 30, 0), star(shift, 0, 12, 10, 30, 0.1)];
    const s = area(intersection(polygon([big[0]]), polygon([big[1]])));
    const f = Math.sqrt((1.005 * s) / ringArea(star(0, 0, 12, 10, 30, 0)));
    const small = star(200, 200, 12, 10 * f, 30 * f, 0.2);
    assert.ok(compare([...big, small, small.map((p) => [...p])]) <= 3);
  }
});

test('a stack of 300 turned stars: few pairs reach the grid bound, fewer the exact measure', () => {
  // The heavy link's family (SPEC §2's limits: 1,000 of them): one concave
  // star turned 0.01 rad from the last, so that all boxes and areas are alike.
  const rings = Array.from({ length: 300 }, (_, k) => star(500, 300, 30, 35, 60, 0.01 * k));
  const polys = rings.map((r) => polygon([r]));
  const pairs = [];
  for (let i = 0; i < rings.length; i++) for (let j = i + 1; j < rings.length; j++) pairs.push([i, j]);
  const stats = { coarse: 0, fine: 0, exact: 0 };
  const got = largestShared(pairs, rings, polys.map(area), () => false,
    (i, j) => area(intersection(polys[i], polys[j])), stats);
  // Without the bound by sums, every pair took the grid's (a 256-cell sum).
  assert.ok(stats.coarse > 0 && stats.coarse < pairs.length / 5, `${stats.coarse} grid bounds of ${pairs.length} pairs`);
  // The pairs 21 apart (turned 0.21 rad, 0.0006 from a tip's turn, 2π/30)
  // share the most, all as much to rounding: each is measured, few others.
  assert.ok(stats.exact > 0 && stats.exact <= stats.fine && stats.exact <= 300 - 21 + 20, `${stats.exact} intersections`);
  const [i, j] = pairs[got.k];
  assert.equal(j - i, 21);
  assert.equal(got.shared, area(intersection(polys[i], polys[j])));
});

test('cell areas of rings past the grid and with corners on its lines: the stretched cells hold the rest', () => {
  const rnd = random(11);
  const big = 1e4;
  let measured = 0;
  for (let round = 0; round < 30; round++) {
    // Corners on whole metres: many on the grid's lines (every 6 m from -20).
    const ring = star(100 * rnd() - 40, 100 * rnd() - 40, 3 + Math.floor(rnd() * 20), 2 + 8 * rnd(), 15 + 30 * rnd(), rnd() * 7)
      .map(([x, y]) => [Math.round(x), Math.round(y)]);
    if (ringArea(ring) <= 0 || !ringIsSimple(ring)) continue;
    measured++;
    const cells = cellAreas(ring, -20, -20, 6, 6, 16);
    const total = cells.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - ringArea(ring)) < 1e-9 * ringArea(ring), `${total} vs ${ringArea(ring)}`);
    for (const [col, row] of [[0, 0], [15, 15], [0, 7], [7, 15], [Math.floor(rnd() * 16), Math.floor(rnd() * 16)]]) {
      const lo = (k) => (k === 0 ? -big : -20 + 6 * k);
      const hi = (k) => (k === 15 ? big : -20 + 6 * (k + 1));
      const box = polygon([[[lo(col), lo(row)], [hi(col), lo(row)], [hi(col), hi(row)], [lo(col), hi(row)]]]);
      const want = area(intersection(polygon([ring]), box));
      assert.ok(Math.abs(cells[col * 16 + row] - want) < 1e-9 * Math.max(1, ringArea(ring)), `cell ${col},${row}: ${cells[col * 16 + row]} != ${want}`);
    }
  }
  assert.ok(measured >= 20, `${measured} rings measured`);
});
