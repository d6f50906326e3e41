// Port of zacviz/geometry/parking.py: the stall count of a parking surface
// that does not state its stalls (rows of 2.5 x 5 m stalls on 6 m aisles).
import { polygon, containsProperly, buffer, centroid } from './geometry.js';

const STALL_WIDTH_M = 2.5;
const STALL_DEPTH_M = 5.0;
const AISLE_M = 6.0;
const EPS = 1e-6;

function rowsForDepth(depth) {
  let best = [0, 0];
  for (let k = 1; AISLE_M * k + STALL_DEPTH_M <= depth + EPS; k++) {
    const rows = Math.min(2 * k, Math.floor((depth - AISLE_M * k) / STALL_DEPTH_M + EPS));
    if (rows > best[0]) best = [rows, k];
  }
  return best;
}

function bands(rows, aisles) {
  const out = [];
  let left = rows;
  for (let i = 0; i < aisles; i++) {
    if (left >= 2) {
      out.push(['row', STALL_DEPTH_M], ['aisle', AISLE_M], ['row', STALL_DEPTH_M]);
      left -= 2;
    } else if (left === 1) {
      out.push(['row', STALL_DEPTH_M], ['aisle', AISLE_M]);
      left -= 1;
    }
  }
  return out;
}

export function grid(length, depth, x0, y0, window = null) {
  // With a window (the lot's extent), only the stalls meeting it.
  return rowRings(gridRows(length, depth, x0, y0, window));
}

/** The stall rings of rows (as `gridRows` gives them), row by row, left to right. */
export function rowRings(rows) {
  const stalls = [];
  for (const { y0: ya, y1: yb, x0s, x1s } of rows) {
    for (let i = 0; i < x0s.length; i++) stalls.push([[x0s[i], ya], [x1s[i], ya], [x1s[i], yb], [x0s[i], yb]]);
  }
  return stalls;
}

export function rectangleCount(width, depth) {
  let best = 0;
  for (const [length, across] of [[width, depth], [depth, width]]) {
    const [rows] = rowsForDepth(across);
    best = Math.max(best, rows * Math.floor(length / STALL_WIDTH_M + EPS));
  }
  return best;
}

/**
 * The stalls rectangleCount counts, as rings in the rectangle's own frame
 * (centred on 0, x along its width): what the plan draws.
 */
export function rectangleStalls(width, depth) {
  const along = grid(width, depth, -width / 2, -depth / 2);
  const across = grid(depth, width, -depth / 2, -width / 2).map((ring) => ring.map(([l, a]) => [a, l]));
  return across.length > along.length ? across : along;
}

// A stall farther than NEAR_M from every edge is wholly inside or outside the
// outline; a point of a stall outside it and farther than WITNESS_M from every
// edge proves the stall is not inside the outline grown by 1e-6 m.
const NEAR_M = 1e-4;
const WITNESS_M = 1e-5;

function firstAbove(sorted, x) {
  // Index of the first value > x.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstAtLeast(sorted, x) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lineCrossings(edges, y) {
  // Where the edges cross the line at height y, sorted (even-odd, half-open in y).
  const xs = [];
  for (const [ax, ay, bx, by] of edges) {
    if ((ay > y) !== (by > y)) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
  }
  return xs.sort((a, b) => a - b);
}

function farFromEdges(edges, x, y) {
  const w2 = WITNESS_M * WITNESS_M;
  for (const [ax, ay, bx, by] of edges) {
    const vx = bx - ax;
    const vy = by - ay;
    const t = Math.min(1, Math.max(0, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
    const dx = x - ax - t * vx;
    const dy = y - ay - t * vy;
    if (dx * dx + dy * dy <= w2) return false;
  }
  return true;
}

function outsideWitness(edges, lines, x0, y0, x1, y1) {
  // A point of the stall [x0, x1] x [y0, y1] outside the outline and far from
  // it: the middles of the stretches between crossings, on the row's three
  // lines, then on the stall's left and right sides.
  for (const [y, xs] of lines) {
    const a = firstAbove(xs, x0);
    const b = firstAtLeast(xs, x1);
    const m = Math.max(b - a, 0) + 1;
    for (let k = 0; k < m; k++) {
      if ((a + k) % 2 !== 0) continue;
      const lo = k === 0 ? x0 : xs[a + k - 1];
      const hi = k === m - 1 ? x1 : xs[a + k];
      if (farFromEdges(edges, (lo + hi) / 2, y)) return true;
    }
  }
  for (const x of [x0, x1]) {
    const ys = [];
    for (const [ax, ay, bx, by] of edges) {
      if ((ax > x) !== (bx > x)) {
        const yc = ay + ((x - ax) * (by - ay)) / (bx - ax);
        if (yc > y0 && yc < y1) ys.push(yc);
      }
    }
    if (!ys.length) continue;
    ys.sort((p, q) => p - q);
    const ends = [y0, ...ys, y1];
    for (let k = 0; k + 1 < ends.length; k++) {
      const y = (ends[k] + ends[k + 1]) / 2;
      if (!farFromEdges(edges, x, y)) continue;
      let left = 0;
      for (const [ax, ay, bx, by] of edges) {
        if ((ay > y) !== (by > y) && ax + ((y - ay) * (bx - ax)) / (by - ay) < x) left++;
      }
      if (left % 2 === 0) return true;
    }
  }
  return false;
}

/** The stall rows `grid` lays, as {y0, y1, x0s, x1s} (the same numbers, no rings). */
export function gridRows(length, depth, x0, y0, window = null) {
  const [rows, aisles] = rowsForDepth(depth);
  const perRow = Math.floor(length / STALL_WIDTH_M + EPS);
  if (rows === 0 || perRow === 0) return [];
  const bs = bands(rows, aisles);
  const usedY = bs.reduce((s, [, size]) => s + size, 0);
  const usedX = perRow * STALL_WIDTH_M;
  const ox = x0 + (length - usedX) / 2;
  let y = y0 + (depth - usedY) / 2;
  let first = 0;
  let last = perRow;
  if (window) {
    first = Math.max(0, Math.floor((window[0] - ox) / STALL_WIDTH_M));
    last = Math.min(perRow, Math.ceil((window[2] - ox) / STALL_WIDTH_M));
  }
  const out = [];
  for (const [kind, size] of bs) {
    if (window && (y > window[3] || y + size < window[1])) {
      y += size;
      continue;
    }
    if (kind === 'row' && last > first) {
      const x0s = [];
      const x1s = [];
      for (let i = first; i < last; i++) {
        const x = ox + i * STALL_WIDTH_M;
        x0s.push(x);
        x1s.push(x + STALL_WIDTH_M);
      }
      out.push({ y0: y, y1: y + size, x0s, x1s });
    }
    y += size;
  }
  return out;
}

function edgesOf(rings) {
  const edges = [];
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[(i + 1) % ring.length];
      if (ax !== bx || ay !== by) edges.push([ax, ay, bx, by]);
    }
  }
  return edges;
}

/**
 * Which stalls of one row ([x0s[k], x1s[k]] x [y0, y1], left to right) lie
 * wholly inside the polygon of `rings` (edges `edges`): exactly those JSTS
 * finds properly inside it grown by 1e-6 m. A stall no edge comes within
 * NEAR_M of is inside as its centre is; one an edge comes near is out when a
 * witness says so; JSTS decides the few left (`jsts.grown`, made once).
 */
function rowMask(rings, edges, jsts, y0, y1, x0s, x1s) {
  const n = x0s.length;
  let sorted = true;
  for (let k = 1; k < n; k++) if (!(x0s[k] > x0s[k - 1])) sorted = false;
  const band = edges.filter(([, ay, , by]) => Math.max(ay, by) >= y0 - NEAR_M && Math.min(ay, by) <= y1 + NEAR_M);
  const near = new Uint8Array(n);
  if (sorted) {
    for (const [ax, ay, bx, by] of band) {
      let u0;
      let u1;
      if (ay === by) {
        u0 = Math.min(ax, bx);
        u1 = Math.max(ax, bx);
      } else {
        const t0 = Math.min(1, Math.max(0, (y0 - NEAR_M - ay) / (by - ay)));
        const t1 = Math.min(1, Math.max(0, (y1 + NEAR_M - ay) / (by - ay)));
        const xa = ax + t0 * (bx - ax);
        const xb = ax + t1 * (bx - ax);
        u0 = Math.min(xa, xb);
        u1 = Math.max(xa, xb);
      }
      // Stalls whose x range meets [u0, u1], grown by NEAR_M.
      const lo = firstAtLeast(x1s, u0 - NEAR_M);
      const hi = firstAbove(x0s, u1 + NEAR_M);
      for (let k = lo; k < hi; k++) near[k] = 1;
    }
  } else {
    near.fill(1);
  }
  const yc = (y0 + y1) / 2;
  const lines = [[y0, lineCrossings(band, y0)], [y1, lineCrossings(band, y1)], [yc, lineCrossings(band, yc)]];
  const middle = lines[2][1];
  const mask = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const x0 = x0s[k];
    const x1 = x1s[k];
    if (!near[k]) {
      mask[k] = firstAtLeast(middle, (x0 + x1) / 2) % 2;
    } else if (!(sorted && outsideWitness(band, lines, x0, y0, x1, y1))) {
      if (!jsts.grown) jsts.grown = buffer(polygon(rings), 1e-6);
      mask[k] = containsProperly(jsts.grown, polygon([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]])) ? 1 : 0;
    }
  }
  return mask;
}

/** The rows (as `gridRows` gives them) with only their stalls inside the polygon of `rings`. */
export function keepInsideRows(rings, rows) {
  const edges = edgesOf(rings);
  const jsts = { grown: null };
  const out = [];
  for (const { y0, y1, x0s, x1s } of rows) {
    const mask = rowMask(rings, edges, jsts, y0, y1, x0s, x1s);
    const k0 = [];
    const k1 = [];
    for (let k = 0; k < mask.length; k++) {
      if (mask[k]) {
        k0.push(x0s[k]);
        k1.push(x1s[k]);
      }
    }
    if (k0.length) out.push({ y0, y1, x0s: k0, x1s: k1 });
  }
  return out;
}

function rotate(points, deg, ox, oy) {
  const a = (deg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return points.map(([x, y]) => [ox + (x - ox) * c - (y - oy) * s, oy + (x - ox) * s + (y - oy) * c]);
}

function bounds(points) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function ringArea(points) {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

/**
 * Stalls the documented layout gives any simple polygon (ring of points); with
 * `clipRings` (the lot's rings), only those wholly inside the lot (SPEC §2).
 */
export function polygonCount(points, clipRings = null) {
  // Longest edge angle (first longest edge of the closed ring).
  const ring = points.slice();
  let best = -1;
  let angle = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    const len = Math.hypot(x2 - x1, y2 - y1);
    if (len > best) {
      best = len;
      angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
    }
  }
  const g = polygon([ring]);
  const [cx, cy] = centroid(g);
  const local = rotate(ring, -angle, cx, cy).map(([x, y]) => [x - cx, y - cy]);
  const clipLocal = clipRings && clipRings.map((r) => rotate(r, -angle, cx, cy).map(([x, y]) => [x - cx, y - cy]));
  const [minx, miny, maxx, maxy] = bounds(local);
  const w = maxx - minx;
  const h = maxy - miny;
  const isRect = Math.abs(ringArea(local) - w * h) <= 1e-6 * Math.max(w * h, 1);
  let count = 0;
  for (const turn of [0, 90]) {
    const frame = turn === 0 ? local : rotate(local, -90, 0, 0);
    const [fx0, fy0, fx1, fy1] = bounds(frame);
    const clipFrame = clipLocal && (turn === 0 ? clipLocal : clipLocal.map((r) => rotate(r, -90, 0, 0)));
    let rows = gridRows(fx1 - fx0, fy1 - fy0, fx0, fy0, clipFrame ? bounds(clipFrame[0]) : null);
    if (!isRect && rows.length) rows = keepInsideRows([frame], rows);
    if (clipFrame && rows.length) rows = keepInsideRows(clipFrame, rows);
    count = Math.max(count, rows.reduce((sum, r) => sum + r.x0s.length, 0));
  }
  return count;
}
