// The pair sharing the largest area among many pairs of shapes, without
// intersecting them all (port of the idea of zacviz/geometry/pairs.py).
//
// A stack of 1,000 turned concave shapes is half a million pairs, and JSTS
// intersects two 60-vertex stars in about a millisecond: the plain search took
// minutes. Each pair gets an upper bound of the area it can share: first the
// smaller shape's area and the area shared by the two bounding boxes, then
// a bound from a few sums of each shape's areas in the cells of a 16 × 16 grid
// (a few operations a pair), then the sum, over those cells, of the smaller of
// the two shapes' areas in each cell. Pairs are intersected in the order of
// their bounds, and
// the search stops once no pair left can beat the best one; the answer is the
// one of the plain search (the most shared area, the first pair in order among
// equals), as the bounds never fall below a shared area.

// Cells per side of the grid, and of the finer one for the pairs it keeps.
const GRID = 16;
const FINE = 64;
// A shared area measured by JSTS may exceed the exact one by rounding (about
// 1e-12 of it); this margin keeps every bound above it.
const AREA_SLACK = 1e-6;
// Pairs with a grid bound kept before the most promising are intersected.
const BATCH = 256;
// Sign vectors of the bound by sums (below), and the pairs of the first chunk
// taken in the order of their bounds.
const SIGNS = 8;
const CHUNK = 1024;

const slack = (smaller) => AREA_SLACK * Math.max(1, smaller);

/**
 * The area of the counter-clockwise ring in each cell of the `g` × `g` grid
 * whose cells are `sx` × `sy` from (x0, y0): a Float64Array, cell
 * `column · g + row` (the first and last columns and rows stretch to hold
 * everything).
 *
 * Along the outline (Green's theorem), each edge cut at the grid's lines: a
 * cell's area is the integral of −(clamp(y, row's bottom, row's top) − row's
 * bottom) dx over the parts of the outline in its column, which is, for the
 * parts in the cell itself, −dx times their mean height above the row's
 * bottom, and for those above it, −dx times the row's height (summed from
 * the top down). Vertical lines add nothing. (Clipping the ring column by
 * column, then row by row, cost a measure of the rest per row: a third of
 * the overlap rule for 1,000 stacked stars.)
 */
export function cellAreas(ring, x0, y0, sx, sy, g = GRID) {
  const out = new Float64Array(g * g);
  const above = new Float64Array(g * g); // −dx of the parts in each cell
  const n = ring.length;
  let [by0, by1] = [Infinity, -Infinity];
  for (let k = 0; k < n; k++) {
    by0 = Math.min(by0, ring[k][1]);
    by1 = Math.max(by1, ring[k][1]);
  }
  const cell = (v, v0, s) => Math.min(g - 1, Math.max(0, Math.floor((v - v0) / s)));
  // A row's bottom: the first one's is below the ring (it stretches down).
  const bottom = (r) => (r === 0 ? Math.min(by0, y0) : y0 + r * sy);
  /** The part (ax, ay)–(bx, by) of an edge, within column c: cut at the row lines. */
  const part = (c, ax, ay, bx, by) => {
    const ra = cell(ay, y0, sy);
    const rb = cell(by, y0, sy);
    if (ra === rb) {
      const dx = bx - ax;
      out[c * g + ra] -= dx * ((ay + by) / 2 - bottom(ra));
      above[c * g + ra] -= dx;
      return;
    }
    const step = rb > ra ? 1 : -1;
    let px = ax;
    let py = ay;
    for (let r = ra; ; r += step) {
      let qx = bx;
      let qy = by;
      if (r !== rb) {
        // Where the part leaves row r: its top line going up, its bottom going down.
        qy = y0 + (step > 0 ? r + 1 : r) * sy;
        qx = ax + ((qy - ay) / (by - ay)) * (bx - ax);
      }
      const dx = qx - px;
      out[c * g + r] -= dx * ((py + qy) / 2 - bottom(r));
      above[c * g + r] -= dx;
      if (r === rb) break;
      px = qx;
      py = qy;
    }
  };
  for (let k = 0; k < n; k++) {
    const [ax, ay] = ring[k];
    const [bx, by] = ring[(k + 1) % n];
    if (ax === bx) continue;
    const ca = cell(ax, x0, sx);
    const cb = cell(bx, x0, sx);
    if (ca === cb) {
      part(ca, ax, ay, bx, by);
      continue;
    }
    const step = cb > ca ? 1 : -1;
    let px = ax;
    let py = ay;
    for (let c = ca; ; c += step) {
      let qx = bx;
      let qy = by;
      if (c !== cb) {
        qx = x0 + (step > 0 ? c + 1 : c) * sx;
        qy = ay + ((qx - ax) / (bx - ax)) * (by - ay);
      }
      part(c, px, py, qx, qy);
      if (c === cb) break;
      px = qx;
      py = qy;
    }
  }
  // Each cell gets the row's height times −dx of the parts above it in its column.
  for (let c = 0; c < g; c++) {
    let sum = 0;
    for (let r = g - 1; r >= 0; r--) {
      const i = c * g + r;
      const height = r === g - 1 ? 0 : y0 + (r + 1) * sy - bottom(r);
      out[i] = Math.max(0, out[i] + sum * height);
      sum += above[i];
    }
  }
  return out;
}

/**
 * The pair sharing the largest area: `{ k, shared }` with `k` the index in
 * `pairs` ([i, j] index pairs of `rings`, counter-clockwise) of the first one
 * among those sharing the most, or null for no pair. `areas` are the shapes'
 * areas, `convex(i)` whether shape i is convex and `sharedArea(i, j)` the exact
 * measure (cheap for two convex shapes: those pairs are measured directly).
 * `stats`, if given, counts the bounds and measures made: {coarse, fine, exact}.
 */
export function largestShared(pairs, rings, areas, convex, sharedArea, stats = null) {
  const np = pairs.length;
  if (!np) return null;
  let bestK = -1;
  let best = -Infinity;
  const offer = (k, shared) => {
    if (shared > best || (shared === best && k < bestK)) { best = shared; bestK = k; }
  };
  if (pairs.every(([i, j]) => convex(i) && convex(j))) {
    // Only convex shapes: each pair is clipped directly, in order, skipped
    // when the smaller shape cannot beat the best.
    pairs.forEach(([i, j], k) => {
      if (Math.min(areas[i], areas[j]) + slack(Math.min(areas[i], areas[j])) < best) return;
      if (stats) stats.exact++;
      offer(k, sharedArea(i, j));
    });
    return { k: bestK, shared: best };
  }
  const boxes = new Map();
  const boxOf = (i) => {
    let b = boxes.get(i);
    if (!b) {
      b = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of rings[i]) {
        if (x < b[0]) b[0] = x; if (y < b[1]) b[1] = y; if (x > b[2]) b[2] = x; if (y > b[3]) b[3] = y;
      }
      boxes.set(i, b);
    }
    return b;
  };
  // First bound: the smaller area, and the area the boxes share.
  const cheap = new Float64Array(np);
  let [gx0, gy0, gx1, gy1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let k = 0; k < np; k++) {
    const [i, j] = pairs[k];
    const a = boxOf(i);
    const b = boxOf(j);
    const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const smaller = Math.min(areas[i], areas[j]);
    cheap[k] = Math.min(smaller, w * h) + slack(smaller);
    gx0 = Math.min(gx0, a[0], b[0]); gy0 = Math.min(gy0, a[1], b[1]);
    gx1 = Math.max(gx1, a[2], b[2]); gy1 = Math.max(gy1, a[3], b[3]);
  }
  // Second bound: the grid's, over the box of every shape of a pair; then,
  // for the pairs it keeps, a finer grid's.
  const grids = [GRID, FINE].map((g) => ({ g, sx: (gx1 - gx0) / g || 1, sy: (gy1 - gy0) / g || 1, cells: new Map() }));
  const cellsOf = (level, i) => {
    const { g, sx, sy, cells } = grids[level];
    let c = cells.get(i);
    if (!c) { c = cellAreas(rings[i], gx0, gy0, sx, sy, g); cells.set(i, c); }
    return c;
  };
  // The coarse grid of every shape of a pair, in one table of the cells
  // where the shapes differ: the others (all empty, all full) add the same to
  // every pair.
  const used = new Uint8Array(rings.length);
  for (const [i, j] of pairs) { used[i] = 1; used[j] = 1; }
  const shapes = [];
  used.forEach((u, i) => { if (u) shapes.push(i); });
  const first = cellsOf(0, shapes[0]);
  const varying = [];
  let constant = 0;
  for (let c = 0; c < first.length; c++) {
    if (shapes.some((i) => cellsOf(0, i)[c] !== first[c])) varying.push(c);
    else constant += first[c];
  }
  const nv = varying.length;
  const table = new Float64Array(rings.length * nv);
  for (const i of shapes) {
    const c = cellsOf(0, i);
    for (let v = 0; v < nv; v++) table[i * nv + v] = c[varying[v]];
  }
  // Third bound, a few operations a pair: the grid's sum of the smaller cell
  // areas is (Σa + Σb − Σ|a − b|) / 2, and Σ|a − b| is at least
  // |Σ w·(a − b)| for any signs w; a shape's sums for a few sign vectors
  // (fixed pseudo-random ones) bound every pair. In a stack of turned stars,
  // all of whose boxes and areas are alike, it leaves about 1% of the pairs
  // for the grid.
  const sums = new Float64Array(rings.length);
  const proj = new Float64Array(rings.length * SIGNS);
  let seed = 12345;
  const signs = Array.from({ length: SIGNS }, () => Int8Array.from({ length: nv }, () => {
    seed = (seed * 16807) % 2147483647;
    return seed & 1 ? 1 : -1;
  }));
  for (const i of shapes) {
    let s = 0;
    for (let v = 0; v < nv; v++) s += table[i * nv + v];
    sums[i] = s;
    for (let w = 0; w < SIGNS; w++) {
      const sw = signs[w];
      let p = 0;
      for (let v = 0; v < nv; v++) p += sw[v] * table[i * nv + v];
      proj[i * SIGNS + w] = p;
    }
  }
  const bound = new Float64Array(np);
  for (let k = 0; k < np; k++) {
    const [i, j] = pairs[k];
    let apart = 0;
    for (let w = 0, a = i * SIGNS, b = j * SIGNS; w < SIGNS; w++, a++, b++) {
      const d = proj[a] > proj[b] ? proj[a] - proj[b] : proj[b] - proj[a];
      if (d > apart) apart = d;
    }
    const smaller = Math.min(areas[i], areas[j]);
    const b = Math.min(smaller, constant + (sums[i] + sums[j] - apart) / 2) + slack(smaller);
    bound[k] = b < cheap[k] ? b : cheap[k];
  }
  const gridBound = (level, i, j) => {
    let s = 0;
    if (level === 0) {
      s = constant;
      for (let a = i * nv, b = j * nv, end = a + nv; a < end; a++, b++) s += table[a] < table[b] ? table[a] : table[b];
    } else {
      const a = cellsOf(level, i);
      const b = cellsOf(level, j);
      for (let c = 0; c < a.length; c++) s += a[c] < b[c] ? a[c] : b[c];
    }
    const smaller = Math.min(areas[i], areas[j]);
    return Math.min(smaller, s) + slack(smaller);
  };
  // Pairs that may beat the best, measured by batches in their bounds' order.
  let held = [];
  const settle = () => {
    held.sort((p, q) => q[1] - p[1] || p[0] - q[0]);
    const kept = [];
    for (const [k, bound] of held) {
      if (bound < best) break;
      if (stats) stats.fine++;
      const fine = gridBound(1, pairs[k][0], pairs[k][1]);
      if (fine >= best) kept.push([k, fine]);
    }
    kept.sort((p, q) => q[1] - p[1] || p[0] - q[0]);
    for (const [k, bound] of kept) {
      if (bound < best) break;
      if (stats) stats.exact++;
      offer(k, sharedArea(pairs[k][0], pairs[k][1]));
    }
    held = [];
  };
  // The pairs in the order of their bounds, by chunks of the highest: the
  // search ends once the best beats every bound of the chunks left (a full
  // sort of half a million pairs took longer than the search).
  const ranked = Float64Array.from(bound).sort();
  let above = Infinity; // the chunks so far: the pairs bounded from here up
  for (let size = CHUNK; above > best; size *= 4) {
    const floor = size >= np ? -Infinity : ranked[np - size];
    const chunk = [];
    for (let k = 0; k < np; k++) if (bound[k] >= floor && bound[k] < above) chunk.push(k);
    chunk.sort((p, q) => bound[q] - bound[p] || p - q);
    for (const k of chunk) {
      if (bound[k] < best) break; // sorted: no pair left can beat the best
      const [i, j] = pairs[k];
      if (convex(i) && convex(j)) {
        if (stats) stats.exact++;
        offer(k, sharedArea(i, j));
        continue;
      }
      if (stats) stats.coarse++;
      const b = gridBound(0, i, j);
      if (b < best) continue;
      held.push([k, b]);
      if (held.length >= BATCH) settle();
    }
    settle();
    above = floor;
  }
  return { k: bestK, shared: best };
}
