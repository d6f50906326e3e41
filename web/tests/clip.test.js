// The engine's clipping and union helpers, exactly: the fast forms (scratch
// buffers, a sweep of sorted starts and ends, an edge left as soon as it is
// covered) must give the very numbers of the plain forms they replaced, kept
// here as references, and the right areas in degenerate cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convexUnionArea, convexSharedArea, uncoveredCross, rectCorners } from '../src/engine.js';
import { polygon, intersection } from '../src/geometry.js';
import { apartBeyond, facetDistance, segmentToSegment } from '../src/distance.js';
import { random, rects } from './random_shapes.js';

/** The uncovered pieces as the engine first measured them: sorted [start, end] pairs, merged. */
function referenceCross(twice, ax, ay, bx, by, covered) {
  covered.sort((p, q) => p[0] - q[0]);
  let t = 0;
  const piece = (t0, t1) => {
    const px = ax + t0 * (bx - ax);
    const py = ay + t0 * (by - ay);
    const qx = ax + t1 * (bx - ax);
    const qy = ay + t1 * (by - ay);
    twice += px * qy - qx * py;
  };
  for (const [c0, c1] of covered) {
    if (c0 > t) piece(t, c0);
    t = Math.max(t, c1);
  }
  if (t < 1) piece(t, 1);
  return twice;
}

/** The union area as the engine first measured it (every edge against every ring, pieces sorted). */
function referenceUnion(rings) {
  const [ox, oy] = rings[0][0];
  const rs = rings.map((r) => r.map(([x, y]) => [x - ox, y - oy]));
  let twice = 0;
  for (let i = 0; i < rs.length; i++) {
    const n = rs[i].length;
    for (let e = 0; e < n; e++) {
      const [ax, ay] = rs[i][e];
      const [bx, by] = rs[i][(e + 1) % n];
      const covered = [];
      rs.forEach((other, j) => {
        if (j === i) return;
        let lo = 0;
        let hi = 1;
        for (let f = 0; f < other.length && lo < hi; f++) {
          const [cx, cy] = other[f];
          const ex = other[(f + 1) % other.length][0] - cx;
          const ey = other[(f + 1) % other.length][1] - cy;
          const sa = ex * (ay - cy) - ey * (ax - cx);
          const sb = ex * (by - cy) - ey * (bx - cx);
          if (sa === 0 && sb === 0) {
            if (!(ex * (bx - ax) + ey * (by - ay) > 0 && j < i)) hi = lo;
          } else if (sa <= 0 && sb <= 0) hi = lo;
          else if (sa < 0) lo = Math.max(lo, sa / (sa - sb));
          else if (sb < 0) hi = Math.min(hi, sa / (sa - sb));
        }
        if (lo < hi) covered.push([lo, hi]);
      });
      twice = referenceCross(twice, ax, ay, bx, by, covered);
    }
  }
  return twice / 2;
}

/** Sutherland–Hodgman with a new array per step, as the engine first clipped. */
function referenceShared(subject, clip) {
  let out = subject;
  for (let i = 0; i < clip.length && out.length; i++) {
    const [ax, ay] = clip[i];
    const [bx, by] = clip[(i + 1) % clip.length];
    const side = ([x, y]) => (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    const input = out;
    out = [];
    for (let k = 0; k < input.length; k++) {
      const p = input[k];
      const q = input[(k + 1) % input.length];
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) out.push(p);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  if (out.length < 3) return 0;
  let s = 0;
  for (let k = 0; k < out.length; k++) {
    const [x1, y1] = out[k];
    const [x2, y2] = out[(k + 1) % out.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function intervals(rnd, n) {
  // Ends on a coarse grid (ties, touching, [0, 1] itself) and some anywhere.
  const v = () => (rnd() < 0.7 ? Math.round(rnd() * 8) / 8 : rnd());
  const out = [];
  while (out.length < n) {
    const a = v();
    const b = v();
    if (a < b) out.push([a, b]);
  }
  return out;
}

test('the sweep of sorted starts and ends leaves the very pieces the sorted pairs left', () => {
  const rnd = random(5);
  for (let k = 0; k < 2000; k++) {
    const covered = intervals(rnd, Math.floor(rnd() * 12));
    const [ax, ay, bx, by] = [rnd() * 100 - 50, rnd() * 100 - 50, rnd() * 100 - 50, rnd() * 100 - 50];
    const start = rnd() * 1000;
    const starts = Float64Array.from(covered, (c) => c[0]);
    const ends = Float64Array.from(covered, (c) => c[1]);
    const got = uncoveredCross(start, ax, ay, bx, by, starts, ends, covered.length);
    assert.equal(got, referenceCross(start, ax, ay, bx, by, covered.map((c) => [...c])), JSON.stringify(covered));
  }
});

test('an edge wholly covered, or by touching parts, adds nothing; a bare edge adds all of it', () => {
  const f = (covered) => uncoveredCross(0, 1, 2, 3, 5, Float64Array.from(covered, (c) => c[0]),
    Float64Array.from(covered, (c) => c[1]), covered.length);
  assert.equal(f([[0, 1]]), 0);
  assert.equal(f([[0.5, 1], [0, 0.5]]), 0); // touching
  assert.equal(f([[0.25, 0.75], [0, 0.5], [0.5, 1]]), 0);
  assert.equal(f([]), 1 * 5 - 3 * 2);
  // Only the count first entries are read.
  assert.equal(uncoveredCross(0, 1, 2, 3, 5, Float64Array.of(0, 9), Float64Array.of(1, 9), 0), 1 * 5 - 3 * 2);
});

test('the union of convex rings is, to the last bit, the plain union', () => {
  const rnd = random(13);
  for (let k = 0; k < 200; k++) {
    const rings = rects(rnd, 2 + Math.floor(rnd() * 8), { collinear: true });
    assert.equal(convexUnionArea(rings), referenceUnion(rings), JSON.stringify(rings));
  }
  // Stacked and turned, as the heavy car parks: most edges are covered at once.
  const stacked = Array.from({ length: 60 }, (_, i) => rectCorners({ cx: 5, cy: 7, width: 50 + 0.01 * i, depth: 30, angle_deg: i * 3.1 }));
  assert.equal(convexUnionArea(stacked), referenceUnion(stacked));
});

test('the union of degenerate rings: identical, touching, flat, a point', () => {
  const sq = (x, y, s = 1) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s]];
  assert.equal(convexUnionArea([sq(0, 0, 2), sq(0, 0, 2), sq(0, 0, 2)]), 4);
  assert.equal(convexUnionArea([sq(0, 0), sq(1, 0), sq(0, 1), sq(1, 1)]), 4); // touching along edges and corners
  assert.equal(convexUnionArea([sq(0, 0), [[0, 0], [2, 0], [1, 0]]]), 1); // a flat ring along an edge
  assert.equal(convexUnionArea([sq(0, 0), [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]]), 1); // a point inside
  assert.equal(convexUnionArea([sq(0, 0, 3), sq(1, 1)]), 9); // one inside another
  assert.equal(convexUnionArea([[[0, 0], [1, 0], [2, 0]]]), 0);
});

test('the area two convex rings share is, to the last bit, the plain clipping', () => {
  const rnd = random(17);
  for (let k = 0; k < 500; k++) {
    const [a, b] = rects(rnd, 2, { collinear: true });
    assert.equal(convexSharedArea(a, b), referenceShared(a, b), JSON.stringify([a, b]));
  }
});

test('shared areas of degenerate rings; scratch buffers grow and are reused', () => {
  const sq = (x, y, s = 1) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s]];
  assert.equal(convexSharedArea(sq(0, 0, 2), sq(0, 0, 2)), 4); // identical
  assert.equal(convexSharedArea(sq(0, 0), sq(1, 0)), 0); // touching along an edge
  assert.equal(convexSharedArea(sq(0, 0), sq(1, 1)), 0); // at a corner
  assert.equal(convexSharedArea(sq(0, 0), sq(5, 5)), 0); // apart
  assert.equal(convexSharedArea([[0, 0], [1, 0], [2, 0]], sq(0, -1, 3)), 0); // zero area
  assert.equal(convexSharedArea([], sq(0, 0)), 0);
  assert.equal(convexSharedArea([[0, 0], [1, 0], [2, 0], [2, 2], [0, 2]], sq(1, 1, 4)), 1); // a collinear corner
  // A ring of 5,000 corners (past any scratch size) against a square, then a small pair again.
  const circle = Array.from({ length: 5000 }, (_, i) => [10 * Math.cos((2 * Math.PI * i) / 5000), 10 * Math.sin((2 * Math.PI * i) / 5000)]);
  const small = convexSharedArea(sq(0, 0, 2), sq(1, 1, 2));
  const big = convexSharedArea(circle, sq(-5, -5, 20));
  assert.equal(big, referenceShared(circle, sq(-5, -5, 20)));
  assert.ok(Math.abs(big - intersection(polygon([circle]), polygon([sq(-5, -5, 20)])).getArea()) < 1e-6);
  assert.equal(convexSharedArea(sq(-5, -5, 20), circle), referenceShared(sq(-5, -5, 20), circle));
  assert.equal(convexSharedArea(sq(0, 0, 2), sq(1, 1, 2)), small);
  assert.equal(small, 1);
});

test('a segment is skipped only when surely farther than the best from a box', () => {
  // Box [0, 0, 1, 1]; the segment (3, 0)-(3, 5) is 2 away.
  assert.equal(apartBeyond(3, 0, 3, 5, 0, 0, 1, 1, 1.9), true);
  assert.equal(apartBeyond(3, 0, 3, 5, 0, 0, 1, 1, 2), false); // as far as the best: measured
  assert.equal(apartBeyond(3, 0, 3, 5, 0, 0, 1, 1, Infinity), false);
  assert.equal(apartBeyond(1, 1, 4, 4, 0, 0, 1, 1, 0), false); // touching
  assert.equal(apartBeyond(3, 3, 4, 4, 0, 0, 1, 1, 2.8), true); // diagonal: 2√2 ≈ 2.83
  assert.equal(apartBeyond(3, 3, 4, 4, 0, 0, 1, 1, 2.83), false);
  assert.equal(apartBeyond(1 + 1e-200, 0, 2, 0, 0, 0, 1, 1, 1e-201), false); // too fine to square: never skipped
});

test('boxed distances are, to the last bit, the least of every segment pair', () => {
  const rnd = random(23);
  const star = (cx, cy, n, r0, r1) => Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    const r = i % 2 ? r1 : r0;
    return [Math.round((cx + r * Math.cos(a)) * 100) / 100, Math.round((cy + r * Math.sin(a)) * 100) / 100];
  });
  for (let k = 0; k < 12; k++) {
    const a = star(0, 0, 40 + Math.floor(rnd() * 400), 16, 18);
    const b = star(34 + rnd() * 4, rnd() * 10, 40 + Math.floor(rnd() * 400), 16, 18);
    let want = Infinity;
    const segs = (r) => r.map((p, i) => [...p, ...r[(i + 1) % r.length]]);
    for (const s of segs(a)) for (const t of segs(b)) want = Math.min(want, segmentToSegment(...s, ...t));
    assert.equal(facetDistance(polygon([a]), polygon([b])), want);
  }
});
