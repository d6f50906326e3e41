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

const orient = (a, b, c) => Orientation.index(a, b, c);

/** Whether closed segments p1-p2 and q1-q2 share at least one point. */
function meet(p1, p2, q1, q2) {
  const a = orient(p1, p2, q1);
  const b = orient(p1, p2, q2);
  if ((a > 0 && b > 0) || (a < 0 && b < 0)) return false;
  const c = orient(q1, q2, p1);
  const d = orient(q1, q2, p2);
  if ((c > 0 && d > 0) || (c < 0 && d < 0)) return false;
  if (a === 0 && b === 0 && c === 0 && d === 0) {
    // Collinear: they meet when their boxes do (comparisons are exact).
    return Math.min(p1.x, p2.x) <= Math.max(q1.x, q2.x) && Math.min(q1.x, q2.x) <= Math.max(p1.x, p2.x)
      && Math.min(p1.y, p2.y) <= Math.max(q1.y, q2.y) && Math.min(q1.y, q2.y) <= Math.max(p1.y, p2.y);
  }
  return true;
}

/** Whether a-b then b-c fold back over each other (collinear, c on b's side of a). */
function foldsBack(a, b, c) {
  if (orient(a, b, c) !== 0) return false;
  // Collinear and distinct: the signs of the differences are exact.
  const u = a.x !== b.x ? Math.sign(a.x - b.x) : Math.sign(a.y - b.y);
  const v = a.x !== b.x ? Math.sign(c.x - b.x) : Math.sign(c.y - b.y);
  return u === v;
}

/** Whether the ring `[[x, y], ...]` (closing vertex optional) is simple. */
export function ringIsSimple(points) {
  const a = points[0];
  const z = points[points.length - 1];
  const closing = a && (a[0] !== z[0] || a[1] !== z[1]) ? 1 : 0;
  if (points.length + closing < 4) return false; // JSTS makes no ring of it (it throws); neither does the page
  const pts = [];
  for (const [x, y] of points) {
    const last = pts[pts.length - 1];
    if (!last || last.x !== x || last.y !== y) pts.push(new Coordinate(x, y));
  }
  while (pts.length > 1 && pts[0].x === pts[pts.length - 1].x && pts[0].y === pts[pts.length - 1].y) pts.pop();
  const n = pts.length;
  if (n < 3) return n === 1; // as JSTS: one point is simple, two fold back
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  const minY = new Float64Array(n);
  const maxY = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = pts[i];
    const q = pts[(i + 1) % n];
    minX[i] = Math.min(p.x, q.x);
    maxX[i] = Math.max(p.x, q.x);
    minY[i] = Math.min(p.y, q.y);
    maxY[i] = Math.max(p.y, q.y);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => minX[i] - minX[j]);
  let active = [];
  for (const i of order) {
    active = active.filter((j) => maxX[j] >= minX[i]);
    for (const j of active) {
      if (maxY[j] < minY[i] || maxY[i] < minY[j]) continue;
      const lo = Math.min(i, j);
      const hi = Math.max(i, j);
      if (hi === lo + 1) {
        // Neighbours lo -> hi share pts[hi].
        if (foldsBack(pts[lo], pts[hi], pts[(hi + 1) % n])) return false;
      } else if (lo === 0 && hi === n - 1) {
        // The closing segment and the first share pts[0].
        if (foldsBack(pts[n - 1], pts[0], pts[1])) return false;
      } else if (meet(pts[lo], pts[lo + 1], pts[hi], pts[(hi + 1) % n])) {
        return false;
      }
    }
    active.push(i);
  }
  return true;
}
