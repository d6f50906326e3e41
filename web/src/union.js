// The area of a union of simple rings, concave ones included, along its
// outline (Green's theorem), without merging the shapes: JSTS's union of a
// stack of 1,000 turned 60-vertex stars falls into its snapping fallback and
// took minutes.
//
// Every edge is cut at its crossings with the other rings' edges (found
// through a grid of the edges); walking around a ring, the number of other
// rings a point of it lies in changes by one at each crossing (+1 entering a
// counter-clockwise ring, from the right of its edge to its left); the parts
// of the edges at zero are the union's outline, and their cross products sum
// to twice its area. The count at a ring's first point is the winding number
// of the other rings there (a ray to the right).
//
// Degenerate cases are left to the caller (null): a vertex on another ring's
// edge or line within reach (touching shapes, shared or collinear edges), or
// counts that do not close around a ring (rounding near such a case).

const orient = (px, py, qx, qy, rx, ry) => (qx - px) * (ry - py) - (qy - py) * (rx - px);

// Crossings of one edge sorted when they may bring its count to zero: the
// edge is split into this many parts along it, and a part whose count at its
// start less its exits stays above zero is wholly covered.
const PARTS = 32;

/**
 * Twice the signed area swept from the origin by the parts of the edge a→b
 * where the count, `c0` at a and changed by `ds[k]` at `ts[k]` (k < n), is
 * zero; `order` is scratch room for n indices.
 */
function zeroParts(ax, ay, bx, by, c0, ts, ds, n, order) {
  const dx = bx - ax;
  const dy = by - ay;
  const piece = (t0, t1) => {
    const px = ax + t0 * dx;
    const py = ay + t0 * dy;
    const qx = ax + t1 * dx;
    const qy = ay + t1 * dy;
    return px * qy - qx * py;
  };
  if (n === 0) return c0 === 0 ? ax * by - bx * ay : 0;
  // Per part of the edge: the sum of the changes and the number of exits.
  const sum = new Int32Array(PARTS);
  const exits = new Int32Array(PARTS);
  for (let k = 0; k < n; k++) {
    const p = Math.min(PARTS - 1, Math.floor(ts[k] * PARTS));
    sum[p] += ds[k];
    if (ds[k] < 0) exits[p]++;
  }
  let twice = 0;
  let count = c0;
  for (let p = 0; p < PARTS; p++) {
    const lo = p / PARTS;
    const hi = (p + 1) / PARTS;
    if (count - exits[p] > 0) { count += sum[p]; continue; }
    // This part may reach zero: its crossings in order.
    let m = 0;
    for (let k = 0; k < n; k++) {
      const q = Math.min(PARTS - 1, Math.floor(ts[k] * PARTS));
      if (q === p) order[m++] = k;
    }
    const idx = order.subarray(0, m).sort((u, v) => ts[u] - ts[v] || ds[v] - ds[u]);
    let t = lo;
    for (let r = 0; r < m; r++) {
      const k = idx[r];
      if (count === 0 && ts[k] > t) twice += piece(t, ts[k]);
      count += ds[k];
      t = ts[k];
    }
    if (count === 0 && hi > t) twice += piece(t, hi);
  }
  return twice;
}

/**
 * Area of the union of simple counter-clockwise rings ([[x, y], ...], no
 * closing point), or null when a degenerate case is met (see above).
 */
export function ringsUnionArea(rings) {
  let nv = 0;
  for (const r of rings) nv += r.length;
  const [ox, oy] = rings[0][0];
  const xs = new Float64Array(nv);
  const ys = new Float64Array(nv);
  const ringOf = new Int32Array(nv);
  const next = new Int32Array(nv);
  const starts = new Int32Array(rings.length + 1);
  let v = 0;
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  rings.forEach((r, i) => {
    starts[i] = v;
    for (let k = 0; k < r.length; k++, v++) {
      xs[v] = r[k][0] - ox;
      ys[v] = r[k][1] - oy;
      ringOf[v] = i;
      next[v] = k + 1 < r.length ? v + 1 : starts[i];
      if (xs[v] < x0) x0 = xs[v]; if (xs[v] > x1) x1 = xs[v];
      if (ys[v] < y0) y0 = ys[v]; if (ys[v] > y1) y1 = ys[v];
    }
  });
  starts[rings.length] = nv;
  // The grid of the edges (each edge in every cell its box meets): cells about
  // as long as the mean edge, at most about 4 cells per edge on average.
  let len = 0;
  for (let e = 0; e < nv; e++) len += Math.abs(xs[next[e]] - xs[e]) + Math.abs(ys[next[e]] - ys[e]);
  const w = Math.max(x1 - x0, 1e-9);
  const h = Math.max(y1 - y0, 1e-9);
  const size = Math.max(len / nv / 2, Math.sqrt((w * h) / (4 * nv)), 1e-9);
  const gx = Math.min(1024, Math.max(1, Math.ceil(w / size)));
  const gy = Math.min(1024, Math.max(1, Math.ceil(h / size)));
  const sx = w / gx;
  const sy = h / gy;
  const col = (x) => Math.min(gx - 1, Math.max(0, Math.floor((x - x0) / sx)));
  const row = (y) => Math.min(gy - 1, Math.max(0, Math.floor((y - y0) / sy)));
  const cellCount = new Int32Array(gx * gy + 1);
  const span = (e, visit) => {
    const f = next[e];
    const c0 = col(Math.min(xs[e], xs[f]));
    const c1 = col(Math.max(xs[e], xs[f]));
    const r0 = row(Math.min(ys[e], ys[f]));
    const r1 = row(Math.max(ys[e], ys[f]));
    for (let c = c0; c <= c1; c++) for (let r = r0; r <= r1; r++) visit(c * gy + r);
  };
  for (let e = 0; e < nv; e++) span(e, (cell) => { cellCount[cell + 1]++; });
  for (let c = 0; c < gx * gy; c++) cellCount[c + 1] += cellCount[c];
  const fill = cellCount.slice(0, gx * gy);
  const cellEdges = new Int32Array(cellCount[gx * gy]);
  for (let e = 0; e < nv; e++) span(e, (cell) => { cellEdges[fill[cell]++] = e; });

  const seen = new Int32Array(nv).fill(-1);
  // The count at each ring's first point: the other rings' winding numbers
  // there, along a ray to the right.
  const countAt = (i) => {
    const px = xs[starts[i]];
    const py = ys[starts[i]];
    const r = row(py);
    let wn = 0;
    for (let c = col(px); c < gx; c++) {
      const cell = c * gy + r;
      for (let s = cellCount[cell]; s < cellCount[cell + 1]; s++) {
        const e = cellEdges[s];
        if (ringOf[e] === i || seen[e] === -2 - i) continue;
        seen[e] = -2 - i;
        const f = next[e];
        const cx = xs[e]; const cy = ys[e]; const dx = xs[f]; const dy = ys[f];
        if ((cy <= py) === (dy <= py)) {
          // Not across the ray's line: only a point on a horizontal edge matters.
          if (cy === py && dy === py && Math.min(cx, dx) <= px && px <= Math.max(cx, dx)) return null;
          continue;
        }
        if (Math.max(cx, dx) < px) continue;
        const o = orient(cx, cy, dx, dy, px, py);
        if (o === 0) return null;
        if (cy <= py && o > 0) wn++;
        else if (dy <= py && o < 0) wn--;
      }
    }
    return wn;
  };

  let cap = 64;
  let ts = new Float64Array(cap);
  let ds = new Int8Array(cap);
  let order = new Uint32Array(cap);
  let twice = 0;
  for (let i = 0; i < rings.length; i++) {
    let count = countAt(i);
    if (count === null || count < 0) return null;
    const first = count;
    for (let e = starts[i]; e < starts[i + 1]; e++) {
      const f = next[e];
      const ax = xs[e]; const ay = ys[e]; const bx = xs[f]; const by = ys[f];
      const ex0 = Math.min(ax, bx); const ex1 = Math.max(ax, bx);
      const ey0 = Math.min(ay, by); const ey1 = Math.max(ay, by);
      let n = 0;
      const c0 = col(ex0); const c1 = col(ex1); const r0 = row(ey0); const r1 = row(ey1);
      for (let c = c0; c <= c1; c++) {
        for (let r = r0; r <= r1; r++) {
          const cell = c * gy + r;
          for (let s = cellCount[cell]; s < cellCount[cell + 1]; s++) {
            const g = cellEdges[s];
            if (seen[g] === e || ringOf[g] === i) continue;
            seen[g] = e;
            const h2 = next[g];
            const cx = xs[g]; const cy = ys[g]; const dx = xs[h2]; const dy = ys[h2];
            if ((cx < ex0 && dx < ex0) || (cx > ex1 && dx > ex1) || (cy < ey0 && dy < ey0) || (cy > ey1 && dy > ey1)) continue;
            const sc = orient(ax, ay, bx, by, cx, cy);
            const sd = orient(ax, ay, bx, by, dx, dy);
            if ((sc > 0 && sd > 0) || (sc < 0 && sd < 0)) continue;
            const sa = orient(cx, cy, dx, dy, ax, ay);
            const sb = orient(cx, cy, dx, dy, bx, by);
            if ((sa > 0 && sb > 0) || (sa < 0 && sb < 0)) continue;
            // Boxes meet and neither edge is wholly on one side of the other's line.
            if (sc === 0 || sd === 0 || sa === 0 || sb === 0) return null;
            if (n === cap) {
              cap *= 2;
              const t2 = new Float64Array(cap); t2.set(ts); ts = t2;
              const d2 = new Int8Array(cap); d2.set(ds); ds = d2;
              order = new Uint32Array(cap);
            }
            ts[n] = sa / (sa - sb);
            ds[n] = sa < 0 ? 1 : -1;
            n++;
          }
        }
      }
      twice += zeroParts(ax, ay, bx, by, count, ts, ds, n, order);
      for (let k = 0; k < n; k++) count += ds[k];
      if (count < 0) return null;
    }
    if (count !== first) return null;
  }
  return twice / 2;
}
