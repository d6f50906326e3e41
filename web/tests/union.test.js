// The area of a union of concave rings along its outline (union.js) against
// JSTS's union: random small stacks of stars and notched shapes, and the
// degenerate cases it leaves to JSTS (null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ringsUnionArea, ringsSharedArea } from '../src/union.js';
import { polygon, unionAll, intersection } from '../src/geometry.js';
import { random, rects } from './random_shapes.js';

/** A star of n points, counter-clockwise, turned by `turn`. */
function star(cx, cy, n, rIn, rOut, turn = 0) {
  return Array.from({ length: 2 * n }, (_, k) => {
    const r = k % 2 ? rIn : rOut;
    const a = turn + (Math.PI * k) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
}

/** A U-shaped ring (a notch from the top), counter-clockwise. */
function notched(x, y, w, h, turn) {
  const c = Math.cos(turn);
  const s = Math.sin(turn);
  const pts = [[0, 0], [w, 0], [w, h], [0.7 * w, h], [0.7 * w, 0.3 * h], [0.3 * w, 0.3 * h], [0.3 * w, h], [0, h]];
  return pts.map(([u, v]) => [x + u * c - v * s, y + u * s + v * c]);
}

const jstsArea = (rings) => unionAll(rings.map((r) => polygon([r]))).getArea();
const near = (got, want, what) => assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, want), `${what}: ${got} != ${want}`);

test('a stack of turned stars: the area of the JSTS union', () => {
  const rnd = random(5);
  for (let k = 0; k < 40; k++) {
    const n = 2 + Math.floor(rnd() * 12);
    const rings = Array.from({ length: n }, () => star(
      rnd() * 20, rnd() * 20, 3 + Math.floor(rnd() * 30), 2 + rnd() * 8, 11 + rnd() * 10, rnd() * 7,
    ));
    const got = ringsUnionArea(rings);
    assert.notEqual(got, null, `case ${k}`);
    near(got, jstsArea(rings), `case ${k}`);
  }
});

test('notched shapes leaving holes and shapes wholly inside others: the area of the JSTS union', () => {
  const rnd = random(9);
  for (let k = 0; k < 60; k++) {
    const n = 2 + Math.floor(rnd() * 8);
    const rings = Array.from({ length: n }, () => (rnd() < 0.5
      ? notched(rnd() * 30, rnd() * 30, 5 + rnd() * 30, 5 + rnd() * 30, rnd() * 7)
      : star(rnd() * 40, rnd() * 40, 3 + Math.floor(rnd() * 6), 1 + rnd() * 3, 4 + rnd() * 6, rnd())));
    const got = ringsUnionArea(rings);
    assert.notEqual(got, null, `case ${k}`);
    near(got, jstsArea(rings), `case ${k}`);
  }
  // Four notched shapes around a square hole the union does not cover.
  const ring = [notched(0, 0, 10, 10, 0), notched(20, 0, 10, 10, Math.PI / 2 + 1e-3),
    notched(21, 21, 10, 10, Math.PI + 2e-3), notched(-1, 20, 10, 10, -Math.PI / 2 + 3e-3), star(5, 5, 5, 1, 3, 0.1)];
  near(ringsUnionArea(ring), jstsArea(ring), 'the ring of notched shapes');
});

test('1,000 stacked 60-vertex stars: the area of the union of their first 60 with JSTS, the whole stack answered', () => {
  const rings = Array.from({ length: 1000 }, (_, i) => star(650000, 6860000, 30, 35, 60, 0.01 * i));
  const few = rings.slice(0, 60);
  near(ringsUnionArea(few), jstsArea(few), '60 stars');
  const all = ringsUnionArea(rings);
  // Between the union of the first 60 and the disc of the tips.
  assert.ok(all > ringsUnionArea(few) && all < Math.PI * 60 * 60, String(all));
});

test('touching shapes, shared and collinear edges, shared corners: nudged, the area of the JSTS union', () => {
  const square = (x, y) => [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10]];
  const cases = [
    [square(0, 0), square(10, 0)], // a shared edge
    [square(0, 0), square(0, 0)], // the same twice
    [square(0, 0), square(5, 10)], // edges along each other
    [square(0, 0), [[10, 5], [20, 0], [20, 10]]], // a corner on an edge
    [square(0, 0), square(10, 10)], // a shared corner
    [square(0, 0), square(20, 0)], // apart
    [square(0, 0), square(5.5, 5.25)], // crossing in general position
  ];
  for (const rings of cases) near(ringsUnionArea(rings), jstsArea(rings), JSON.stringify(rings));
  const rnd = random(13);
  for (let k = 0; k < 100; k++) {
    const rings = rects(rnd, 2 + Math.floor(rnd() * 5), { collinear: true });
    near(ringsUnionArea(rings), jstsArea(rings), JSON.stringify(rings));
  }
});

test('a stack of stars on a centimetre grid (shared corners, edges along each other): the area of the JSTS union', () => {
  const cm = (r) => r.map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]);
  for (const turn of [0.01, 0.2094395102, 0.1]) {
    const rings = Array.from({ length: 40 }, (_, i) => cm(star(300, 200, 30, 35, 60, turn * i)));
    near(ringsUnionArea(rings), jstsArea(rings), `turned ${turn}`);
  }
});

test('long edges across many short ones (a coarser grid of edges): the area of the JSTS union', () => {
  // Two 10 km needles across a stack of small stars: cells sized for the stars
  // would hold each needle's edges in a million cells.
  const needle = (a) => [[-5000 * Math.cos(a), -5000 * Math.sin(a)], [5000 * Math.cos(a) + 1, 5000 * Math.sin(a)],
    [5000 * Math.cos(a), 5000 * Math.sin(a) + 1]];
  const rings = [needle(0.7), needle(2.2), ...Array.from({ length: 50 }, (_, i) => star(i * 3, i * 2, 20, 1, 2, 0.1 * i))];
  near(ringsUnionArea(rings), jstsArea(rings), 'needles');
});

test('the area two concave rings share: that of their JSTS intersection, or null (degenerate)', () => {
  const rnd = random(17);
  const shared = (a, b) => intersection(polygon([a]), polygon([b])).getArea();
  let measured = 0;
  for (let k = 0; k < 200; k++) {
    const mk = () => (rnd() < 0.6
      ? star(rnd() * 20, rnd() * 20, 3 + Math.floor(rnd() * 30), 2 + rnd() * 8, 11 + rnd() * 10, rnd() * 7)
      : notched(rnd() * 20, rnd() * 20, 5 + rnd() * 20, 5 + rnd() * 20, rnd() * 7));
    const a = mk();
    // Apart, overlapping, nearly the same (a stack), or the same shape.
    const b = [mk(), a.map(([x, y]) => [x + 40, y]), a.map(([x, y]) => [x + 1e-3 * rnd(), y - 1e-3 * rnd()]), a][k % 4];
    const got = ringsSharedArea(a, b);
    if (got === null) continue; // left to JSTS
    measured++;
    const want = shared(a, b);
    assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, want), `case ${k}: ${got} != ${want}`);
  }
  assert.ok(measured >= 140, `${measured} of 200 measured`);
  // Rectangles meeting along edges (degenerate): null or the JSTS area.
  for (let k = 0; k < 100; k++) {
    const [a, b] = rects(rnd, 2, { collinear: true });
    const got = ringsSharedArea(a, b);
    if (got !== null) assert.ok(Math.abs(got - shared(a, b)) <= 1e-9 * Math.max(1, shared(a, b)), `rects ${k}`);
  }
});

test('stacked stars on a centimetre grid: the area two share (shared corners, edges along each other) without JSTS', () => {
  // The stars of the heavy link (tests/export/test_web_heavy.py), on the
  // showcase's lot, relative to the site's origin as the engine sees them.
  const cm = (r) => r.map(([x, y]) => [Math.round(x * 100) / 100 - 649100, Math.round(y * 100) / 100 - 6948400]);
  const rings = Array.from({ length: 420 }, (_, i) => cm(star(648816.836, 6948534.507, 30, 35, 60, 0.01 * i)));
  const shared = (a, b) => intersection(polygon([a]), polygon([b])).getArea();
  // Stars 377 apart are turned by 18 tips' periods and 0.09 mrad: on the
  // centimetre grid, nearly the same shape (the pairs sharing the most).
  for (let i = 0; i + 377 < rings.length; i += 2) {
    const got = ringsSharedArea(rings[i], rings[i + 377]);
    assert.notEqual(got, null, `stars ${i} and ${i + 377}`);
    const want = shared(rings[i], rings[i + 377]);
    assert.ok(Math.abs(got - want) <= 1e-9 * want, `stars ${i} and ${i + 377}: ${got} != ${want}`);
  }
  // The same shape twice, and a copy with a corner added in the middle of an edge.
  const a = rings[0];
  const b = [a[0], [(a[0][0] + a[1][0]) / 2, (a[0][1] + a[1][1]) / 2], ...a.slice(1)];
  for (const other of [a, b]) {
    const got = ringsSharedArea(a, other);
    assert.ok(Math.abs(got - shared(a, a)) <= 1e-9 * shared(a, a), String(got));
  }
});

test('two combs crossing tooth by tooth, along each other and with a corner on an edge: the JSTS area, in bounded time', () => {
  // 200 teeth each: every tooth of one crosses every tooth of the other; a
  // tooth of each lies along a tooth's tip of the other.
  const comb = (teeth) => {
    const pts = [[0, 0], [2 * teeth, 0]];
    for (let k = teeth - 1; k >= 0; k--) pts.push([2 * k + 1, 50], [2 * k + 1, 5], [2 * k, 5], [2 * k, 50]);
    return pts.slice(0, -1);
  };
  const a = comb(200).map(([x, y]) => [x - 200, y - 25]);
  const b = comb(200).map(([x, y]) => [-y + 25, x - 200]); // a quarter turn, exactly
  b.splice(1, 0, [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2]); // a corner in the middle of an edge
  const t0 = performance.now();
  const got = ringsSharedArea(a, b);
  assert.ok(performance.now() - t0 < 5000, 'bounded time');
  assert.notEqual(got, null);
  const want = intersection(polygon([a]), polygon([b])).getArea();
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, want), `${got} != ${want}`);
});
