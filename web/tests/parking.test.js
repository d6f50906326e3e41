// The row-by-row stall test (keepInsideRows) against its definition, JSTS's
// containsProperly in the outline grown by 1e-6 m (kept here as the oracle):
// the same stalls on random concave outlines, on outlines whose edges run
// along the stall lines or a hair off them, on notches ending inside stalls
// and on slits thinner than the growth; and the counts Python gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridRows, keepInsideRows, rowRings, polygonCount } from '../src/parking.js';
import { polygon, buffer, containsProperly } from '../src/geometry.js';
import { random } from './random_shapes.js';
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js';

function oracle(rings, stalls) {
  const grown = buffer(polygon(rings), 1e-6);
  return stalls.filter((s) => containsProperly(grown, polygon([s])));
}

function bounds(rings) {
  const xs = rings.flat().map((p) => p[0]);
  const ys = rings.flat().map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function rowsOver(rings) {
  const [x0, y0, x1, y1] = bounds(rings);
  return gridRows(x1 - x0, y1 - y0, x0, y0);
}

function sameAsOracle(rings, rows = rowsOver(rings)) {
  assert.ok(IsValidOp.isValid(polygon(rings)), 'a valid outline');
  const want = oracle(rings, rowRings(rows));
  assert.deepEqual(rowRings(keepInsideRows(rings, rows)), want);
  return want.length;
}

function star(rnd) {
  const n = 3 + Math.floor(rnd() * 60);
  const rOut = 8 + rnd() * 50;
  const rIn = rOut * (0.2 + 0.77 * rnd());
  const turn = rnd() * Math.PI;
  return Array.from({ length: 2 * n }, (_, k) => {
    const r = k % 2 === 0 ? rOut : rIn;
    return [r * Math.cos(turn + (Math.PI * k) / n), r * Math.sin(turn + (Math.PI * k) / n)];
  });
}

function staircase(rnd) {
  // Steps on the stall lines (multiples of 2.5 and 5 m).
  const steps = 2 + Math.floor(rnd() * 9);
  let x = 0;
  let y = 0;
  const xs = [];
  const ys = [];
  for (let i = 0; i < steps; i++) {
    x += (1 + Math.floor(rnd() * 7)) * 2.5;
    y += (1 + Math.floor(rnd() * 5)) * 5;
    xs.push(x);
    ys.push(y);
  }
  const pts = [[0, 0], [xs[steps - 1] + 10, 0]];
  for (let i = 0; i < steps; i++) pts.push([xs[steps - 1 - i] + 10, ys[i]], [xs[steps - 1 - i], ys[i]]);
  pts.push([0, ys[steps - 1]]);
  return pts;
}

function turned(ring, deg) {
  const a = (deg * Math.PI) / 180;
  return ring.map(([x, y]) => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)]);
}

test('random stars and staircases, turned: the same stalls as JSTS', () => {
  const rnd = random(14);
  let seen = 0;
  for (let i = 0; i < 15; i++) {
    for (const ring of [star(rnd), staircase(rnd)]) {
      for (const deg of [0, 90, rnd() * 360]) seen += sameAsOracle([turned(ring, deg)]);
    }
  }
  assert.ok(seen > 0);
});

test('edges along the stall sides, or a hair off them', () => {
  const stalls = gridRows(60, 50, 0, 0);
  const xs = [...new Set(rowRings(stalls).map((s) => s[0][0]))].sort((a, b) => a - b);
  const ys = [...new Set(rowRings(stalls).map((s) => s[0][1]))].sort((a, b) => a - b);
  for (const off of [0, 1e-12, -1e-12, 1e-7, -1e-7, 9e-7, -9e-7, 1.1e-6, -1.1e-6, 1e-5, -1e-5, 2e-4]) {
    const cx = xs[8] + off;
    const cy = ys[2] + off;
    const lo = ys[0] + off;
    assert.ok(sameAsOracle([[[0, lo], [60, lo], [60, cy], [cx, cy], [cx, 50], [0, 50]]], stalls) > 0);
  }
});

test('notches ending inside stalls, slits thinner than the growth, holes', () => {
  const stalls = gridRows(60, 40, 0, 0);
  const xs = [...new Set(rowRings(stalls).map((s) => s[0][0]))].sort((a, b) => a - b);
  const ys = [...new Set(rowRings(stalls).map((s) => s[0][1]))].sort((a, b) => a - b);
  // The top edge with V notches whose tips end inside stalls, right to left.
  const top = [];
  xs.slice(1, -1).forEach((x, i) => {
    if (i % 3 === 0) top.push([x + 0.6, 40], [x + 1.0, ys[1] + 1 + 0.1 * i], [x + 1.4, 40]);
  });
  top.reverse();
  // The left edge with notches reaching into the first stall of a row, top to bottom.
  const left = [];
  ys.forEach((y, j) => {
    if (j % 2 === 0) left.push([0, y + 2.0], [1.2 + 0.1 * j, y + 2.3], [0, y + 2.6]);
  });
  left.reverse();
  const ring = [
    [0, 0], [30, 0], [30, 25], [30 + 1e-6, 25], [30 + 1e-6, 0], // a slit thinner than the growth
    [31.3, 0], [31.3, 25], [31.3 + 3e-6, 25], [31.3 + 3e-6, 0], // one just thicker
    [60, 0], [60, 40], ...top, [0, 40], ...left,
  ];
  assert.ok(sameAsOracle([ring], stalls) > 0);
  const hole = [[20, 10], [20 + 5e-7, 10], [20 + 5e-7, 10.5], [20, 10.5]];
  const holes = [[12, 12], [25, 14], [18, 30]];
  assert.ok(sameAsOracle([[[0, 0], [60, 0], [60, 40], [0, 40]], hole, holes], stalls) > 0);
});

test('polygonCount gives the counts Python gives', () => {
  const starAt = (cx, cy, turn, rIn, rOut, n) => Array.from({ length: 2 * n }, (_, k) => {
    const r = k % 2 === 0 ? rOut : rIn;
    return [cx + r * Math.cos(turn + (Math.PI * k) / n), cy + r * Math.sin(turn + (Math.PI * k) / n)];
  });
  const lot = [[[-100, -90], [120, -80], [110, 95], [-95, 100]], [[10, 10], [30, 12], [20, 40]]];
  // From zacviz.geometry.parking.layout_polygon on the same outlines.
  const cases = [
    [[0, 0, 0.3, 110, 145, 30], 2270, 1718],
    [[0, 0, 0.01, 125, 145, 150], 2418, 1773],
    [[5, 7, 1.0, 35, 60, 30], 210, 190],
  ];
  for (const [args, alone, inLot] of cases) {
    const ring = starAt(...args);
    assert.equal(polygonCount(ring), alone);
    assert.equal(polygonCount(ring, lot), inLot);
  }
  assert.equal(polygonCount([[0, 0], [60, 0], [60, 20], [20, 20], [20, 50], [0, 50]]), 80);
});
