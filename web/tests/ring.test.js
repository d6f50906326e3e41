// The page's own ring simplicity test against JSTS's IsSimpleOp, which it
// replaces: random rings on a small integer grid (so that vertices touch and
// edges overlap often), bow-ties, touching vertices, collinear overlaps,
// repeated points, and big rings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ringIsSimple } from '../src/ring.js';
import IsSimpleOp from 'jsts/org/locationtech/jts/operation/IsSimpleOp.js';
import { linearRing } from '../src/geometry.js';
import { random } from './random_shapes.js';

function jsts(points) {
  try {
    return new IsSimpleOp(linearRing(points)).isSimple();
  } catch {
    return false; // what the page makes of a ring JSTS refuses
  }
}

const same = (ring) => assert.equal(ringIsSimple(ring), jsts(ring), JSON.stringify(ring));

test('random rings on a grid: the same answers as JSTS', () => {
  const rnd = random(11);
  let simple = 0;
  for (let k = 0; k < 4000; k++) {
    const n = 3 + Math.floor(rnd() * 7);
    const size = 2 + Math.floor(rnd() * 4);
    const ring = [];
    for (let i = 0; i < n; i++) {
      if (ring.length && rnd() < 0.1) ring.push([...ring[ring.length - 1]]); // a repeated point
      else ring.push([Math.floor(rnd() * size), Math.floor(rnd() * size)]);
    }
    if (rnd() < 0.3) ring.push([...ring[0]]); // closed in the file
    same(ring);
    if (jsts(ring)) simple++;
  }
  assert.ok(simple > 300, `too few simple rings to mean anything (${simple})`);
});

test('random rings with real coordinates far from the origin: the same answers as JSTS', () => {
  const rnd = random(5);
  for (let k = 0; k < 1000; k++) {
    const n = 3 + Math.floor(rnd() * 12);
    const ring = [];
    for (let i = 0; i < n; i++) ring.push([650000 + rnd() * 0.001, 6900000 + rnd() * 0.001]);
    same(ring);
  }
});

test('named shapes: the same answers as JSTS', () => {
  const cases = {
    square: [[0, 0], [4, 0], [4, 4], [0, 4]],
    closedSquare: [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
    bowTie: [[0, 0], [2, 2], [2, 0], [0, 2]],
    touchingVertex: [[0, 0], [4, 0], [2, 2], [4, 4], [0, 4], [2, 2]],
    vertexOnEdge: [[0, 0], [4, 0], [4, 4], [2, 0], [0, 4]],
    startOnEdge: [[2, 0], [4, 4], [0, 4], [0, 0], [4, 0]],
    foldBack: [[0, 0], [4, 0], [2, 0], [2, 2]],
    foldBackAtStart: [[2, 0], [0, 0], [4, 0], [4, 4]],
    collinearOverlap: [[0, 0], [3, 0], [3, 1], [1, 1], [1, 0], [2, 0], [2, -1], [0, -1]],
    collinearStraight: [[0, 0], [1, 0], [2, 0], [2, 2], [0, 2]],
    repeated: [[0, 0], [0, 0], [4, 0], [4, 0], [4, 4], [0, 4], [0, 4]],
    repeatedClosing: [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0], [0, 0]],
    twoPoints: [[0, 0], [1, 1], [0, 0], [1, 1]],
    onePoint: [[5, 5], [5, 5], [5, 5], [5, 5]],
    line: [[0, 0], [1, 0], [2, 0]],
    hairline: [[0, 0], [1e-9, 1], [0, 2], [-1e-12, 1]],
  };
  for (const ring of Object.values(cases)) same(ring);
  assert.equal(ringIsSimple(cases.square), true);
  assert.equal(ringIsSimple(cases.bowTie), false);
  assert.equal(ringIsSimple(cases.touchingVertex), false);
  assert.equal(ringIsSimple(cases.foldBack), false);
});

function star(n, cx, cy, wobble) {
  const ring = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const r = 100 + (i % 2 ? wobble : 0);
    ring.push([cx + r * Math.cos(t), cy + r * Math.sin(t)]);
  }
  return ring;
}

test('10,000-vertex rings: the same answers as JSTS, simple or crossed once', () => {
  const ring = star(10000, 650000, 6900000, 3);
  same(ring);
  assert.equal(ringIsSimple(ring), true);
  const crossed = ring.map((p) => [...p]);
  crossed[5000] = [650000 + 200, 6900000]; // a spike across the whole ring
  same(crossed);
  assert.equal(ringIsSimple(crossed), false);
  const touched = ring.map((p) => [...p]);
  touched[7000] = [...touched[2000]];
  same(touched);
  assert.equal(ringIsSimple(touched), false);
});
