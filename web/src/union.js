// The area of a union of simple rings, concave ones included, without JSTS:
// its union of a stack of 1,000 turned 60-vertex stars falls into its
// snapping fallback and took minutes.
//
// The rings are merged two by two, then the merged shapes two by two, and so
// on (a cascade: each merge meets only the outlines left). One merge: every
// edge is cut at its crossings with the other shapes' edges (found through a
// grid of the edges); walking along a loop, the number of other shapes a
// point lies in changes by one at each crossing (+1 entering, from the right
// of a counter-clockwise edge to its left); the parts of the edges at zero
// are the merged outline, chained into loops by the crossings they start and
// end at (a crossing is the same point for both edges). The count at a
// loop's first point is the other shapes' winding number there (a ray to the
// right). The area is that of the last loops (shoelace; holes turn clockwise).
//
// Degenerate cases: a vertex on another shape's edge or on its line within
// reach (touching shapes, shared or collinear edges), three edges through one
// point, or counts that do not close around a loop (rounding near such a
// case). The merge is made again with one shape nudged (below); if that fails
// too, the caller measures otherwise (null).

const orient = (px, py, qx, qy, rx, ry) => (qx - px) * (ry - py) - (qy - py) * (rx - px);

// An edge's crossings are sorted only where they may bring its count to
// zero: the edge is split into this many parts, and a part whose count at
// its start less its exits stays above zero is wholly inside other shapes.
const PARTS = 32;
// Cells of the grid of edges per edge, on average, at most.
const REGISTRATIONS = 16;

// Crossings of an edge sorted by insertion up to this many (a typed array's
// sort with a comparator cost more than the rest of a merge).
const FEW = 16;

/** Sorts the first `m` indices of `idx` by their values in `t` (insertion; stable). */
function sortByT(idx, m, t) {
  for (let a = 1; a < m; a++) {
    const k = idx[a];
    const v = t[k];
    let b = a - 1;
    while (b >= 0 && t[idx[b]] > v) {
      idx[b + 1] = idx[b];
      b--;
    }
    idx[b + 1] = k;
  }
}

/** Growable columns of numbers (Float64Array each). */
class Columns {
  constructor(names) {
    this.names = names;
    this.cap = 64;
    this.n = 0;
    for (const k of names) this[k] = new Float64Array(this.cap);
  }

  grow() {
    this.cap *= 2;
    for (const k of this.names) {
      const a = new Float64Array(this.cap);
      a.set(this[k]);
      this[k] = a;
    }
  }
}

/**
 * The grid of the edges of a merge (each edge in every cell its box meets),
 * cells about as long as the mean edge; coarser while the edges would fill
 * more than REGISTRATIONS cells each on average (long edges across the
 * grid). Each cell's edges in order, the first group's (edges below `first`)
 * first: `split` is where the second group's begin, so that an edge meets
 * only the other group's. (Apart from mergeLoops: a smaller function is
 * optimised sooner, and the worker checks a link once, cold.)
 */
function edgeGrid(xs, ys, next, first, x0, y0, x1, y1, len) {
  const nv = xs.length;
  const w = Math.max(x1 - x0, 1e-9);
  const h = Math.max(y1 - y0, 1e-9);
  let size = Math.max(len / nv, 1e-9);
  let gx;
  let gy;
  let sx;
  let sy;
  const col = (x) => Math.min(gx - 1, Math.max(0, Math.floor((x - x0) / sx)));
  const row = (y) => Math.min(gy - 1, Math.max(0, Math.floor((y - y0) / sy)));
  for (;;) {
    gx = Math.min(1024, Math.max(1, Math.ceil(w / size)));
    gy = Math.min(1024, Math.max(1, Math.ceil(h / size)));
    sx = w / gx;
    sy = h / gy;
    let total = 0;
    for (let e = 0; e < nv; e++) {
      const f = next[e];
      total += (Math.abs(col(xs[f]) - col(xs[e])) + 1) * (Math.abs(row(ys[f]) - row(ys[e])) + 1);
    }
    if (total <= REGISTRATIONS * nv || (gx === 1 && gy === 1)) break;
    size *= 2;
  }
  const cells = gx * gy;
  const cellCount = new Int32Array(cells + 1);
  let fill = null;
  let cellEdges = null;
  const split = new Int32Array(cells);
  for (let pass = 0; pass < 2; pass++) {
    for (let e = 0; e < nv; e++) {
      const f = next[e];
      const c0 = col(Math.min(xs[e], xs[f]));
      const c1 = col(Math.max(xs[e], xs[f]));
      const r0 = row(Math.min(ys[e], ys[f]));
      const r1 = row(Math.max(ys[e], ys[f]));
      for (let c = c0; c <= c1; c++) {
        for (let r = r0; r <= r1; r++) {
          const cell = c * gy + r;
          if (pass === 0) {
            cellCount[cell + 1]++;
            if (e < first) split[cell]++;
          } else {
            cellEdges[fill[cell]++] = e;
          }
        }
      }
    }
    if (pass === 0) {
      for (let c = 0; c < cells; c++) {
        cellCount[c + 1] += cellCount[c];
        split[c] += cellCount[c];
      }
      fill = cellCount.slice(0, cells);
      cellEdges = new Int32Array(cellCount[cells]);
    }
  }
  return { gx, gy, sx, sy, cellCount, split, cellEdges };
}

/**
 * The outline of the union of the two `groups` (each an array of loops, flat
 * Float64Arrays [x0, y0, x1, y1, ...]: counter-clockwise outer loops,
 * clockwise holes), as loops, or null (a degenerate case).
 */
function mergeLoops(groups) {
  if (groups.length !== 2) throw new Error('mergeLoops: two groups');
  let nv = 0;
  let nl = 0;
  for (const g of groups) for (const l of g) { nv += l.length / 2; nl++; }
  const xs = new Float64Array(nv);
  const ys = new Float64Array(nv);
  const next = new Int32Array(nv);
  const loopStart = new Int32Array(nl + 1);
  const loopGroup = new Int32Array(nl);
  let v = 0;
  let l = 0;
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  let len = 0;
  groups.forEach((g, i) => {
    for (const loop of g) {
      const m = loop.length / 2;
      loopStart[l] = v;
      loopGroup[l] = i;
      for (let k = 0; k < m; k++, v++) {
        xs[v] = loop[2 * k];
        ys[v] = loop[2 * k + 1];
        next[v] = k + 1 < m ? v + 1 : loopStart[l];
        if (xs[v] < x0) x0 = xs[v]; if (xs[v] > x1) x1 = xs[v];
        if (ys[v] < y0) y0 = ys[v]; if (ys[v] > y1) y1 = ys[v];
      }
      l++;
    }
  });
  loopStart[nl] = nv;
  for (let e = 0; e < nv; e++) len += Math.abs(xs[next[e]] - xs[e]) + Math.abs(ys[next[e]] - ys[e]);
  const { gx, gy, sx, sy, cellCount, split, cellEdges } = edgeGrid(xs, ys, next, loopStart[groups[0].length], x0, y0, x1, y1, len);
  const col = (x) => Math.min(gx - 1, Math.max(0, Math.floor((x - x0) / sx)));
  const row = (y) => Math.min(gy - 1, Math.max(0, Math.floor((y - y0) / sy)));
  // The range of a cell's edges of the group other than `i`.
  const fromOf = (i, cell) => (i === 0 ? split[cell] : cellCount[cell]);
  const toOf = (i, cell) => (i === 0 ? cellCount[cell + 1] : split[cell]);

  const seen = new Int32Array(nv).fill(-1);
  // The count at a loop's first point: the other groups' winding numbers
  // there, along a ray to the right.
  const countAt = (loop) => {
    const i = loopGroup[loop];
    const px = xs[loopStart[loop]];
    const py = ys[loopStart[loop]];
    const r = row(py);
    const mark = -2 - loop;
    let wn = 0;
    for (let c = col(px); c < gx; c++) {
      const cell = c * gy + r;
      for (let s = fromOf(i, cell), end = toOf(i, cell); s < end; s++) {
        const e = cellEdges[s];
        if (seen[e] === mark) continue;
        seen[e] = mark;
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

  // An edge's crossings: where along it, the change of the count, the key of
  // the crossing (nv + lower edge · nv + higher edge) and its point.
  const cross = new Columns(['t', 'd', 'key', 'x', 'y']);
  // The outline's pieces: keys of their start and end, and their start point.
  const pieces = new Columns(['from', 'to', 'x', 'y']);
  let order = new Uint32Array(64);
  const sum = new Int32Array(PARTS);
  const exits = new Int32Array(PARTS);
  const part = (t) => Math.min(PARTS - 1, Math.floor(t * PARTS));
  let open = false;
  const begin = (key, x, y) => {
    if (pieces.n === pieces.cap) pieces.grow();
    pieces.from[pieces.n] = key;
    pieces.x[pieces.n] = x;
    pieces.y[pieces.n] = y;
    open = true;
  };
  const end = (key) => {
    pieces.to[pieces.n++] = key;
    open = false;
  };

  for (let loop = 0; loop < nl; loop++) {
    const i = loopGroup[loop];
    let count = countAt(loop);
    if (count === null || count < 0) return null;
    const first = count;
    for (let e = loopStart[loop]; e < loopStart[loop + 1]; e++) {
      const f = next[e];
      const ax = xs[e]; const ay = ys[e]; const bx = xs[f]; const by = ys[f];
      const ex0 = Math.min(ax, bx); const ex1 = Math.max(ax, bx);
      const ey0 = Math.min(ay, by); const ey1 = Math.max(ay, by);
      cross.n = 0;
      const c0 = col(ex0); const c1 = col(ex1); const r0 = row(ey0); const r1 = row(ey1);
      for (let c = c0; c <= c1; c++) {
        for (let r = r0; r <= r1; r++) {
          const cell = c * gy + r;
          for (let s = fromOf(i, cell), end = toOf(i, cell); s < end; s++) {
            const g = cellEdges[s];
            if (seen[g] === e) continue;
            seen[g] = e;
            const g1 = next[g];
            const cx = xs[g]; const cy = ys[g]; const dx = xs[g1]; const dy = ys[g1];
            if ((cx < ex0 && dx < ex0) || (cx > ex1 && dx > ex1) || (cy < ey0 && dy < ey0) || (cy > ey1 && dy > ey1)) continue;
            const sc = orient(ax, ay, bx, by, cx, cy);
            const sd = orient(ax, ay, bx, by, dx, dy);
            if ((sc > 0 && sd > 0) || (sc < 0 && sd < 0)) continue;
            const sa = orient(cx, cy, dx, dy, ax, ay);
            const sb = orient(cx, cy, dx, dy, bx, by);
            if ((sa > 0 && sb > 0) || (sa < 0 && sb < 0)) continue;
            // Boxes meet and neither edge is wholly on one side of the other's line.
            if (sc === 0 || sd === 0 || sa === 0 || sb === 0) return null;
            if (cross.n === cross.cap) cross.grow();
            const k = cross.n++;
            cross.t[k] = sa / (sa - sb);
            cross.d[k] = sa < 0 ? 1 : -1;
            // The point from the lower edge, for both edges.
            if (e < g) {
              cross.key[k] = nv + e * nv + g;
              cross.x[k] = ax + cross.t[k] * (bx - ax);
              cross.y[k] = ay + cross.t[k] * (by - ay);
            } else {
              const u = sc / (sc - sd);
              cross.key[k] = nv + g * nv + e;
              cross.x[k] = cx + u * (dx - cx);
              cross.y[k] = cy + u * (dy - cy);
            }
          }
        }
      }
      // Along the edge: the parts at zero.
      const n = cross.n;
      if (count === 0) begin(e, ax, ay);
      if (n && n <= FEW) {
        // A few crossings (most edges): all sorted at once, then walked part by part as below.
        const t = cross.t;
        for (let k = 0; k < n; k++) order[k] = k;
        sortByT(order, n, t);
        for (let k0 = 0; k0 < n;) {
          const p = part(t[order[k0]]);
          let k1 = k0;
          let sm = 0;
          let ex = 0;
          for (; k1 < n && part(t[order[k1]]) === p; k1++) {
            const d = cross.d[order[k1]];
            sm += d;
            if (d < 0) ex++;
          }
          if (count - ex > 0) {
            count += sm;
            k0 = k1;
            continue;
          }
          for (let q = k0; q < k1; q++) {
            const k = order[q];
            if (q > k0 && t[order[q - 1]] === t[k]) return null; // two crossings at one point
            const before = count;
            count += cross.d[k];
            if (before === 0) end(cross.key[k]);
            else if (count === 0) begin(cross.key[k], cross.x[k], cross.y[k]);
          }
          k0 = k1;
        }
      } else if (n) {
        sum.fill(0);
        exits.fill(0);
        for (let k = 0; k < n; k++) {
          const p = part(cross.t[k]);
          sum[p] += cross.d[k];
          if (cross.d[k] < 0) exits[p]++;
        }
        if (order.length < n) order = new Uint32Array(2 * n);
        for (let p = 0; p < PARTS; p++) {
          if (count - exits[p] > 0) { count += sum[p]; continue; }
          let m = 0;
          for (let k = 0; k < n; k++) if (part(cross.t[k]) === p) order[m++] = k;
          const t = cross.t;
          const idx = order.subarray(0, m);
          if (m <= FEW) sortByT(idx, m, t);
          else idx.sort((a, b) => t[a] - t[b]);
          for (let q = 0; q < m; q++) {
            const k = idx[q];
            if (q > 0 && t[idx[q - 1]] === t[k]) return null; // two crossings at one point
            const before = count;
            count += cross.d[k];
            if (before === 0) end(cross.key[k]);
            else if (count === 0) begin(cross.key[k], cross.x[k], cross.y[k]);
          }
        }
      }
      if (count < 0) return null;
      if (open) end(f);
    }
    if (count !== first) return null;
  }
  return chainPieces(pieces);
}

/**
 * The loops the outline's pieces make ({from, to, x, y, n}: each piece from
 * the key of its start to that of its end), or null when a key starts two
 * pieces, or none.
 */
function chainPieces(pieces) {
  // Chain the pieces into loops: the piece starting at each key, in an
  // open-addressing table (keys pass 2^31: a Map of them boxed each one).
  const slots = 2 ** Math.ceil(Math.log2(2 * pieces.n + 2));
  const mask = slots - 1;
  const slotKey = new Float64Array(slots).fill(-1);
  const slotPiece = new Int32Array(slots);
  const slotOf = (key) => {
    let h = (Math.imul(key >>> 0, 0x9e3779b1) ^ Math.floor(key / 4294967296)) & mask;
    while (slotKey[h] !== -1 && slotKey[h] !== key) h = (h + 1) & mask;
    return h;
  };
  for (let p = 0; p < pieces.n; p++) {
    const h = slotOf(pieces.from[p]);
    if (slotKey[h] !== -1) return null;
    slotKey[h] = pieces.from[p];
    slotPiece[h] = p;
  }
  const used = new Uint8Array(pieces.n);
  const loops = [];
  for (let p = 0; p < pieces.n; p++) {
    if (used[p]) continue;
    const pts = [];
    let q = p;
    while (!used[q]) {
      used[q] = 1;
      pts.push(pieces.x[q], pieces.y[q]);
      const h = slotOf(pieces.to[q]);
      if (slotKey[h] === -1) return null;
      q = slotPiece[h];
    }
    if (q !== p || pts.length < 6) return null;
    loops.push(Float64Array.from(pts));
  }
  return loops;
}

// A merge met in a degenerate case is made again with its second shape moved
// by a tiny step (this fraction of the extent of all, in a direction of its
// own): the area of a union changes by at most the moved outline's length
// times the step (1e-11 · 100 m · 10 km of outline = 1e-5 m² for each), and
// moved shapes no longer share points or lines.
const NUDGE = 1e-11;
const NUDGE_TRIES = 3;

/** The loops of `group` moved by (dx, dy). */
function moved(group, dx, dy) {
  return group.map((loop) => {
    const out = new Float64Array(loop.length);
    for (let k = 0; k < loop.length; k += 2) {
      out[k] = loop[k] + dx;
      out[k + 1] = loop[k + 1] + dy;
    }
    return out;
  });
}

/**
 * Area of the union of simple counter-clockwise rings ([[x, y], ...], no
 * closing point), or null when a degenerate case is met even once the
 * shapes are nudged (see above).
 */
export function ringsUnionArea(rings) {
  const [ox, oy] = rings[0][0];
  let extent = 0;
  let groups = rings.map((r) => {
    const flat = new Float64Array(2 * r.length);
    for (let k = 0; k < r.length; k++) {
      flat[2 * k] = r[k][0] - ox;
      flat[2 * k + 1] = r[k][1] - oy;
      extent = Math.max(extent, Math.abs(flat[2 * k]), Math.abs(flat[2 * k + 1]));
    }
    return [flat];
  });
  const step = NUDGE * Math.max(1, extent);
  let merges = 0;
  while (groups.length > 1) {
    const merged = [];
    for (let k = 0; k < groups.length; k += 2) {
      if (k + 1 === groups.length) {
        merged.push(groups[k]);
        continue;
      }
      let loops = mergeLoops([groups[k], groups[k + 1]]);
      for (let attempt = 1; !loops && attempt <= NUDGE_TRIES; attempt++) {
        // Directions turning by the golden angle: no two merges alike.
        const a = (++merges) * 2.399963229728653;
        loops = mergeLoops([groups[k], moved(groups[k + 1], attempt * step * Math.cos(a), attempt * step * Math.sin(a))]);
      }
      if (!loops) return null;
      merged.push(loops);
    }
    groups = merged;
  }
  let twice = 0;
  for (const loop of groups[0]) {
    const m = loop.length / 2;
    for (let k = 0, q = m - 1; k < m; q = k++) twice += loop[2 * q] * loop[2 * k + 1] - loop[2 * k] * loop[2 * q + 1];
  }
  return twice / 2;
}

/**
 * The area two simple counter-clockwise rings share, as the sum of their
 * areas less that of their union, merged along their outlines once (no
 * nudge: a nudged shape shares another area), or null when that merge meets
 * a degenerate case (the caller measures otherwise).
 */
export function ringsSharedArea(a, b) {
  const [ox, oy] = a[0];
  const flat = (r) => {
    const out = new Float64Array(2 * r.length);
    for (let k = 0; k < r.length; k++) {
      out[2 * k] = r[k][0] - ox;
      out[2 * k + 1] = r[k][1] - oy;
    }
    return out;
  };
  const fa = flat(a);
  const fb = flat(b);
  const loops = mergeLoops([[fa], [fb]]);
  if (!loops) {
    // Shared corners or edges along each other (centimetre coordinates of
    // stacked shapes): measured piece by piece, exactly.
    if (a.length * b.length > PIECES_MAX_PRODUCT) return null;
    const twice = sharedPieces(fa, fb);
    return twice === null ? null : Math.max(0, twice / 2);
  }
  const twice = (loop) => {
    const m = loop.length / 2;
    let s = 0;
    for (let k = 0, q = m - 1; k < m; q = k++) s += loop[2 * q] * loop[2 * k + 1] - loop[2 * k] * loop[2 * q + 1];
    return s;
  };
  let union = 0;
  for (const loop of loops) union += twice(loop);
  return Math.max(0, (twice(fa) + twice(fb) - union) / 2);
}

// sharedPieces tests every edge of one ring against every edge of the other:
// at most this many pairs (two 1,000-vertex rings), else JSTS measures; and
// its parts' middles against the other ring's edges, at most this many tests
// (rings cut into many parts: JSTS measures too).
const PIECES_MAX_PRODUCT = 1e6;
const PIECES_MAX_TESTS = 2e7;
// A piece's middle nearer another ring's edge than this fraction of the
// extent of both is too close to tell inside from outside: JSTS measures.
const PIECES_CLEARANCE = 1e-10;

/**
 * Twice the area two simple counter-clockwise flat rings share, along the
 * outline of their intersection (Green's theorem): the parts of each ring's
 * edges inside the other, and the parts lying along an edge of the other in
 * the same direction once (those in opposite directions bound nothing
 * shared). Each edge is cut wherever the other ring's outline meets it
 * (crossings, corners on it, the ends of a common stretch); each part is
 * inside or outside as its middle is. Degenerate cases are exact here (no
 * nudge); null when a part's middle lies too near the other outline to tell
 * (PIECES_CLEARANCE) or the orientation tests disagree (rounding).
 */
export function sharedPieces(pa, pb) {
  let extent = 0;
  for (const p of [pa, pb]) for (let k = 0; k < p.length; k++) extent = Math.max(extent, Math.abs(p[k]));
  const clearance = PIECES_CLEARANCE * Math.max(1, extent);
  let twice = 0;
  let tests = 0;
  let ts = new Float64Array(64);
  let along = new Float64Array(12);
  for (const [p, q, first] of [[pa, pb, true], [pb, pa, false]]) {
    const n = p.length / 2;
    const m = q.length / 2;
    for (let e = 0; e < n; e++) {
      const ax = p[2 * e]; const ay = p[2 * e + 1];
      const e1 = e + 1 < n ? e + 1 : 0;
      const bx = p[2 * e1]; const by = p[2 * e1 + 1];
      const ux = bx - ax; const uy = by - ay;
      const uu = ux * ux + uy * uy;
      if (uu === 0) continue;
      const ex0 = Math.min(ax, bx); const ex1 = Math.max(ax, bx);
      const ey0 = Math.min(ay, by); const ey1 = Math.max(ay, by);
      let nt = 0;
      const cut = (t) => {
        if (!(t > 0 && t < 1)) return;
        if (nt === ts.length) { const grown = new Float64Array(2 * nt); grown.set(ts); ts = grown; }
        ts[nt++] = t;
      };
      // Stretches [lo, hi] of the edge along edges of the other ring, and their directions.
      let stretches = 0;
      for (let f = 0; f < m; f++) {
        const cx = q[2 * f]; const cy = q[2 * f + 1];
        const f1 = f + 1 < m ? f + 1 : 0;
        const dx = q[2 * f1]; const dy = q[2 * f1 + 1];
        if ((cx < ex0 && dx < ex0) || (cx > ex1 && dx > ex1) || (cy < ey0 && dy < ey0) || (cy > ey1 && dy > ey1)) continue;
        const sc = orient(ax, ay, bx, by, cx, cy);
        const sd = orient(ax, ay, bx, by, dx, dy);
        if ((sc > 0 && sd > 0) || (sc < 0 && sd < 0)) continue;
        const sa = orient(cx, cy, dx, dy, ax, ay);
        const sb = orient(cx, cy, dx, dy, bx, by);
        if (sc === 0 && sd === 0) {
          if (sa !== 0 || sb !== 0) return null;
          const tc = ((cx - ax) * ux + (cy - ay) * uy) / uu;
          const td = ((dx - ax) * ux + (dy - ay) * uy) / uu;
          const s0 = Math.max(0, Math.min(tc, td));
          const s1 = Math.min(1, Math.max(tc, td));
          if (s0 < s1) {
            cut(s0);
            cut(s1);
            if (3 * stretches === along.length) { const grown = new Float64Array(2 * along.length); grown.set(along); along = grown; }
            along[3 * stretches] = s0;
            along[3 * stretches + 1] = s1;
            along[3 * stretches + 2] = td > tc ? 1 : -1;
            stretches++;
          }
          continue;
        }
        if ((sa > 0 && sb > 0) || (sa < 0 && sb < 0)) continue;
        if (sa === 0 && sb === 0) return null;
        if (sc === 0) cut(((cx - ax) * ux + (cy - ay) * uy) / uu);
        if (sd === 0) cut(((dx - ax) * ux + (dy - ay) * uy) / uu);
        if (sc !== 0 && sd !== 0 && sa !== 0 && sb !== 0) cut(sa / (sa - sb));
      }
      const t = ts.subarray(0, nt).sort();
      let t0 = 0;
      for (let k = 0; k <= nt; k++) {
        const t1 = k < nt ? t[k] : 1;
        if (t1 <= t0) continue;
        let keep;
        let on = 0; // along an edge of the other ring: its direction
        for (let k3 = 0; k3 < 3 * stretches; k3 += 3) if (along[k3] <= t0 && t1 <= along[k3 + 1]) on = along[k3 + 2];
        if (on) {
          keep = first && on > 0;
        } else {
          const tm = (t0 + t1) / 2;
          tests += m;
          if (tests > PIECES_MAX_TESTS) return null;
          const inside = insideRing(q, ax + tm * ux, ay + tm * uy, clearance);
          if (inside === null) return null;
          keep = inside;
        }
        if (keep) {
          const px = ax + t0 * ux; const py = ay + t0 * uy;
          const qx = t1 === 1 ? bx : ax + t1 * ux; const qy = t1 === 1 ? by : ay + t1 * uy;
          twice += px * qy - qx * py;
        }
        t0 = t1;
      }
    }
  }
  return twice;
}

/**
 * Whether the point lies inside the flat ring (crossings of a ray to the
 * right), or null when it lies within `clearance` of an edge's line where
 * that edge crosses the ray's line (too near to tell).
 */
function insideRing(q, px, py, clearance) {
  const m = q.length / 2;
  let inside = false;
  for (let f = 0, g = m - 1; f < m; g = f++) {
    const cx = q[2 * g]; const cy = q[2 * g + 1];
    const dx = q[2 * f]; const dy = q[2 * f + 1];
    if ((cy <= py) === (dy <= py)) continue;
    const o = orient(cx, cy, dx, dy, px, py);
    const len = Math.hypot(dx - cx, dy - cy);
    if (Math.abs(o) <= clearance * len) return null;
    // Upward edges have the point on their left when the ray crosses them to the right.
    if ((dy > cy) === (o > 0)) inside = !inside;
  }
  return inside;
}
