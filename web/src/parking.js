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

function grid(length, depth, x0, y0, window = null) {
  const [rows, aisles] = rowsForDepth(depth);
  const perRow = Math.floor(length / STALL_WIDTH_M + EPS);
  if (rows === 0 || perRow === 0) return [];
  const bs = bands(rows, aisles);
  const usedY = bs.reduce((s, [, size]) => s + size, 0);
  const usedX = perRow * STALL_WIDTH_M;
  const ox = x0 + (length - usedX) / 2;
  let y = y0 + (depth - usedY) / 2;
  // With a window (the lot's extent), only the stalls meeting it.
  let first = 0;
  let last = perRow;
  if (window) {
    first = Math.max(0, Math.floor((window[0] - ox) / STALL_WIDTH_M));
    last = Math.min(perRow, Math.ceil((window[2] - ox) / STALL_WIDTH_M));
  }
  const stalls = [];
  for (const [kind, size] of bs) {
    if (window && (y > window[3] || y + size < window[1])) {
      y += size;
      continue;
    }
    if (kind === 'row') {
      for (let i = first; i < last; i++) {
        const x = ox + i * STALL_WIDTH_M;
        stalls.push([[x, y], [x + STALL_WIDTH_M, y], [x + STALL_WIDTH_M, y + size], [x, y + size]]);
      }
    }
    y += size;
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
    let stalls = grid(fx1 - fx0, fy1 - fy0, fx0, fy0, clipFrame ? bounds(clipFrame[0]) : null);
    if (!isRect && stalls.length) {
      const inside = buffer(polygon([frame]), 1e-6);
      stalls = stalls.filter((s) => containsProperly(inside, polygon([s])));
    }
    if (clipFrame && stalls.length) {
      const inside = buffer(polygon(clipFrame), 1e-6);
      stalls = stalls.filter((s) => containsProperly(inside, polygon([s])));
    }
    count = Math.max(count, stalls.length);
  }
  return count;
}
