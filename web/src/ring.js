// Whether a ring is simple, as JSTS's IsSimpleOp (and GEOS's, which the
// Python reader calls through shapely's `is_simple`) answers it, without
// JSTS's geometry graph: on a 10,000-vertex ring that graph took seconds of
// the page's main thread while it decoded a shared link.
//
// The ring's consecutive repeated points are dropped (as JSTS does); it is
// simple when no two of its segments meet except neighbours at their shared
// vertex, and neighbours do not fold back over each other. Candidate pairs
// come from a sweep over the segments sorted by their left end, keeping the
// segments whose x range is still open; each candidate is decided with JSTS's
// exact orientation predicate, as its RobustLineIntersector decides it.
import Coordinate from 'jsts/org/locationtech/jts/geom/Coordinate.js';
import Orientation from 'jsts/org/locationtech/jts/algorithm/Orientation.js';

let X = new Float64Array(0);
let Y = new Float64Array(0);

/**
 * JSTS's orientation of vertex c against a -> b (1 left, -1 right, 0 on the
 * line): its floating-point filter first, its double-double value when the
 * filter cannot tell.
 */
function orient(a, b, c) {
  const detleft = (X[a] - X[c]) * (Y[b] - Y[c]);
  const detright = (Y[a] - Y[c]) * (X[b] - X[c]);
  const det = detleft - detright;
  let detsum;
  if (detleft > 0) {
    if (detright <= 0) return Math.sign(det);
    detsum = detleft + detright;
  } else if (detleft < 0) {
    if (detright >= 0) return Math.sign(det);
    detsum = -detleft - detright;
  } else {
    return Math.sign(det);
  }
  const bound = 1e-15 * detsum;
  if (det >= bound || -det >= bound) return Math.sign(det);
  const at = (i) => new Coordinate(X[i], Y[i]);
  return Orientation.index(at(a), at(b), at(c));
}

/** Whether closed segments p1-p2 and q1-q2 (vertex indices) share at least one point. */
function meet(p1, p2, q1, q2) {
  const a = orient(p1, p2, q1);
  const b = orient(p1, p2, q2);
  if ((a > 0 && b > 0) || (a < 0 && b < 0)) return false;
  const c = orient(q1, q2, p1);
  const d = orient(q1, q2, p2);
  if ((c > 0 && d > 0) || (c < 0 && d < 0)) return false;
  if (a === 0 && b === 0 && c === 0 && d === 0) {
    // Collinear: they meet when their boxes do (comparisons are exact).
    return Math.min(X[p1], X[p2]) <= Math.max(X[q1], X[q2]) && Math.min(X[q1], X[q2]) <= Math.max(X[p1], X[p2])
      && Math.min(Y[p1], Y[p2]) <= Math.max(Y[q1], Y[q2]) && Math.min(Y[q1], Y[q2]) <= Math.max(Y[p1], Y[p2]);
  }
  return true;
}

/** Whether a-b then b-c fold back over each other (collinear, c on a's side of b). */
function foldsBack(a, b, c) {
  if (orient(a, b, c) !== 0) return false;
  // Collinear and distinct: the signs of the differences are exact.
  const u = X[a] !== X[b] ? Math.sign(X[a] - X[b]) : Math.sign(Y[a] - Y[b]);
  const v = X[a] !== X[b] ? Math.sign(X[c] - X[b]) : Math.sign(Y[c] - Y[b]);
  return u === v;
}

/** Whether the ring `[[x, y], ...]` (closing vertex optional) is simple. */
export function ringIsSimple(points) {
  const a = points[0];
  const z = points[points.length - 1];
  const closing = a && (a[0] !== z[0] || a[1] !== z[1]) ? 1 : 0;
  if (points.length + closing < 4) return false; // JSTS makes no ring of it (it throws); neither does the page
  X = new Float64Array(points.length);
  Y = new Float64Array(points.length);
  let n = 0;
  for (const [x, y] of points) {
    if (n === 0 || X[n - 1] !== x || Y[n - 1] !== y) {
      X[n] = x;
      Y[n] = y;
      n++;
    }
  }
  while (n > 1 && X[0] === X[n - 1] && Y[0] === Y[n - 1]) n--;
  if (n < 3) return n === 1; // as JSTS: one point is simple, two fold back
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  const minY = new Float64Array(n);
  const maxY = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = (i + 1) % n;
    minX[i] = Math.min(X[i], X[k]);
    maxX[i] = Math.max(X[i], X[k]);
    minY[i] = Math.min(Y[i], Y[k]);
    maxY[i] = Math.max(Y[i], Y[k]);
  }
  // Sort and sweep: the segments in the order of their left ends, each
  // compared with the next ones until one starts right of its right end
  // (typed arrays, nothing allocated per segment: a 10,000-vertex ring has
  // millions of such pairs when its edges are long across and close together).
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((i, j) => minX[i] - minX[j]);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const y0 = new Float64Array(n);
  const y1 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    x0[k] = minX[i];
    x1[k] = maxX[i];
    y0[k] = minY[i];
    y1[k] = maxY[i];
  }
  for (let a = 0; a < n; a++) {
    const right = x1[a];
    const bottom = y0[a];
    const top = y1[a];
    for (let b = a + 1; b < n && x0[b] <= right; b++) {
      if (y1[b] < bottom || top < y0[b]) continue;
      const i = order[a];
      const j = order[b];
      const lo = Math.min(i, j);
      const hi = Math.max(i, j);
      if (hi === lo + 1) {
        // Neighbours lo -> hi share vertex hi.
        if (foldsBack(lo, hi, (hi + 1) % n)) return false;
      } else if (lo === 0 && hi === n - 1) {
        // The closing segment and the first share vertex 0.
        if (foldsBack(n - 1, 0, 1)) return false;
      } else if (meet(lo, lo + 1, hi, (hi + 1) % n)) {
        return false;
      }
    }
  }
  return true;
}
