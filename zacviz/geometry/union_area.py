"""The exact area of a union of many polygons (optionally in a lot), without GEOS.

GEOS's ``union_all`` of a stack of 1,000 jagged outlines takes seconds: its
overlay builds a topology graph at every step of the cascade. A check needs
only the union's *area*, and an area is a sum over the boundary (Green's
theorem), whatever the order of its pieces. So the outlines are merged two by
two, all merges of a level in one numpy pass:

- the edges of the two regions of a merge that may cross are paired through a
  grid of cells; each pair is decided by four orientation tests;
- every edge is cut at its crossings; whether a piece lies inside the other
  region follows from one point-in-region test per ring and the parity of the
  crossings met along the ring since that point;
- the pieces outside the other region (inside it, for the lot) are the new
  boundary; at a crossing, the piece that comes in is followed by the one that
  goes out, so the new rings are chained without comparing coordinates.

Coordinates are taken relative to a local origin (exact for Lambert-93
coordinates of one site). Whatever the orientation tests cannot decide with a
margin (touching outlines, shared corners or edges, identical outlines, a
vertex on another outline) raises :class:`Undecided`; :func:`union_area` then
returns None and the caller measures with GEOS. So the fast path never gives a
wrong area: it gives GEOS's area to rounding, or no area.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["Undecided", "union_area"]

# Work bounds: beyond them the fast path gives up (GEOS measures instead).
_MAX_CELL_ENTRIES_PER_EDGE = 24  # grid cells an edge may cover, on average
_MAX_PAIRS = 12_000_000  # candidate edge pairs (or anchor tests) in one level: ~300 MB
_MAX_LEVELS = 64
_MAX_VERTICES = 5_000_000
_SLICE = 250_000  # edge pairs tested at once
_CELL = 1.0  # cell side, in median edge lengths (0.5-2 measured within 10 %)


class Undecided(Exception):
    """The fast path cannot decide this input with a margin (GEOS must)."""


def union_area(polys: Sequence[BaseGeometry] | np.ndarray, lot: BaseGeometry | None = None) -> float | None:
    """Area of the union of ``polys`` (inside ``lot`` when given), or None when
    the input is degenerate for the fast path (the caller then uses GEOS)."""
    try:
        return _union_area(polys, lot)
    except Undecided:
        return None


# ------------------------------------------------------------------ input


def _rings(polys: Sequence[BaseGeometry] | np.ndarray) -> list[list[np.ndarray]]:
    """Per region, its rings as closed-free (n, 2) arrays: shell counter-clockwise,
    holes clockwise. Anything but valid polygons is undecided."""
    arr = np.asarray(list(polys), dtype=object)
    if not len(arr):
        return []
    parts = shapely.get_parts(arr)
    if not (shapely.get_type_id(parts) == 3).all():
        raise Undecided("not polygons")
    if not np.isfinite(shapely.get_coordinates(parts)).all():
        raise Undecided("not finite")
    # Parts of one MultiPolygon are separate regions (their union is exact).
    parts = shapely.orient_polygons(parts) if hasattr(shapely, "orient_polygons") else _orient(parts)
    out = []
    for p in parts:
        rings = [np.asarray(p.exterior.coords)[:-1]] + [np.asarray(r.coords)[:-1] for r in p.interiors]
        out.append(rings)
    return out


def _orient(parts: np.ndarray) -> np.ndarray:
    return np.array([shapely.geometry.polygon.orient(p, 1.0) for p in parts], dtype=object)


class _Regions:
    """Rings of vertices, each ring contiguous; ``ring_start[i]``/``ring_end[i]``
    bound the ring of vertex i; ``reg[i]`` is its region."""

    def __init__(self, xy: np.ndarray, ring_id: np.ndarray, reg: np.ndarray):
        self.xy = xy
        self.reg = reg
        n = len(xy)
        first = np.ones(n, dtype=bool)
        first[1:] = ring_id[1:] != ring_id[:-1]
        starts = np.flatnonzero(first)
        lengths = np.diff(np.append(starts, n))
        self.starts = starts
        self.ring_of = np.repeat(np.arange(len(starts)), lengths)
        self.ring_start = starts[self.ring_of]
        ring_end = starts + lengths
        idx = np.arange(n)
        self.nxt = np.where(idx + 1 == ring_end[self.ring_of], self.ring_start, idx + 1)


def _union_area(polys, lot: BaseGeometry | None) -> float:
    regions = _rings(polys)
    if not regions:
        return 0.0
    lot_rings = _rings([lot]) if lot is not None else []
    if len(lot_rings) > 1:
        raise Undecided("a lot of several parts")
    allxy = np.concatenate([r for rs in regions + lot_rings for r in rs])
    if len(allxy) > _MAX_VERTICES:
        raise Undecided("too many vertices")
    if not np.isfinite(allxy).all():
        raise Undecided("not finite")
    lo, hi = allxy.min(axis=0), allxy.max(axis=0)
    origin = (lo + hi) / 2.0
    extent = float(max((hi - lo).max(), 1e-300))
    # Margins of the orientation tests, in metres: far above the rounding of
    # the local coordinates (and of the shift to them), far below any real
    # distance between outlines.
    tol = 1e-9 * extent + 8 * float(np.spacing(np.abs(allxy).max()))

    xys, ring_ids, regs = [], [], []
    rid = 0
    for k, rs in enumerate(regions):
        for r in rs:
            xys.append(r - origin)
            ring_ids.append(np.full(len(r), rid))
            regs.append(np.full(len(r), k))
            rid += 1
    cur = _Regions(np.concatenate(xys), np.concatenate(ring_ids), np.concatenate(regs))
    n_regions = len(regions)
    levels = 0
    while n_regions > 1:
        levels += 1
        if levels > _MAX_LEVELS:
            raise Undecided("levels")
        cur = _merge(cur, tol, union=True)
        n_regions = (n_regions + 1) // 2
    if lot is not None:
        lot_xy = [r - origin for r in lot_rings[0]]
        xy = np.concatenate([cur.xy, *lot_xy])
        ring_id = np.concatenate(
            [
                cur.ring_of,
                *[np.full(len(r), cur.ring_of.max(initial=-1) + 1 + i) for i, r in enumerate(lot_xy)],
            ]
        )
        reg = np.concatenate(
            [np.zeros(len(cur.xy), dtype=np.int64), np.ones(len(xy) - len(cur.xy), dtype=np.int64)]
        )
        cur = _merge(_Regions(xy, ring_id, reg), tol, union=False)
    if not len(cur.xy):
        return 0.0
    x, y = cur.xy[:, 0], cur.xy[:, 1]
    xn, yn = x[cur.nxt], y[cur.nxt]
    return float(np.sum(x * yn - xn * y) / 2.0)


# ------------------------------------------------------------------ one level


def _merge(cur: _Regions, tol: float, union: bool) -> _Regions:
    """Merge regions 2k and 2k+1 (union, or intersection when not ``union``)."""
    xy, nxt = cur.xy, cur.nxt
    n = len(xy)
    grp = cur.reg // 2
    side = cur.reg % 2
    x0, y0 = xy[:, 0], xy[:, 1]
    x1, y1 = x0[nxt], y0[nxt]

    ia, ib, ta, tb, px, py = _level_crossings(x0, y0, x1, y1, grp, side, tol)
    nc = len(ia)

    # Crossings along each edge, in order: entry 2c is crossing c on a, 2c+1 on b.
    e_edge = np.empty(2 * nc, dtype=np.int64)
    e_edge[0::2], e_edge[1::2] = ia, ib
    e_t = np.empty(2 * nc)
    e_t[0::2], e_t[1::2] = ta, tb
    # Along each edge by t in [0, 1]: one sort of edge + t. Two crossings
    # whose t the sum cannot tell apart are closer than the margin: undecided.
    order = np.argsort(e_edge + e_t)
    s_edge, s_t = e_edge[order], e_t[order]
    if nc:
        if (s_edge[1:] < s_edge[:-1]).any():
            raise Undecided("crossings at an edge's end")
        same = s_edge[1:] == s_edge[:-1]
        seg_len = np.hypot(x1 - x0, y1 - y0)
        if (same & (np.abs(s_t[1:] - s_t[:-1]) * seg_len[s_edge[1:]] <= tol)).any():
            raise Undecided("crossings meet")
    k = np.bincount(e_edge, minlength=n)  # crossings per edge
    base = np.arange(n) + np.concatenate(([0], np.cumsum(k)[:-1]))  # first piece of each edge
    npieces = n + 2 * nc
    # Rank of each sorted entry on its edge.
    first_entry = np.concatenate(([0], np.cumsum(k)[:-1]))
    rank = np.arange(2 * nc) - first_entry[s_edge]
    piece_in = np.empty(2 * nc, dtype=np.int64)
    piece_in[order] = base[s_edge] + rank  # piece ending at the entry's crossing
    piece_out = piece_in + 1

    # Status (inside the other region) at each ring's first vertex, then by parity.
    anchor_in = _point_in_other(cur, grp, side, x0, y0, x1, y1, tol)
    cum = np.concatenate(([0], np.cumsum(k)))
    before = cum[:-1] - cum[cur.ring_start]  # crossings on the ring before edge e
    start_status = (anchor_in[cur.ring_of] + before) & 1
    piece_edge = np.repeat(np.arange(n), k + 1)
    piece_j = np.arange(npieces) - base[piece_edge]
    status = (start_status[piece_edge] + piece_j) & 1
    keep = status == (0 if union else 1)

    # Start point of each piece.
    sx = np.empty(npieces)
    sy = np.empty(npieces)
    sx[base], sy[base] = x0, y0
    cx = np.repeat(px, 2)
    cy = np.repeat(py, 2)
    sx[piece_out], sy[piece_out] = cx, cy

    # Successor of each kept piece.
    succ = np.full(npieces, -1, dtype=np.int64)
    last = base + k  # last piece of each edge: followed by the next edge's first
    succ[last] = base[nxt]
    pin = piece_in.reshape(-1, 2)
    pout = piece_out.reshape(-1, 2)
    kin = keep[pin]
    kout = keep[pout]
    if nc and ((kin.sum(axis=1) != 1) | (kout.sum(axis=1) != 1)).any():
        raise Undecided("crossing not simple")
    if nc:
        succ[pin[kin]] = pout[kout]
    kept = np.flatnonzero(keep)
    if not len(kept):
        return _Regions(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    new_index = np.full(npieces, -1, dtype=np.int64)
    new_index[kept] = np.arange(len(kept))
    s = new_index[succ[kept]]
    if (s < 0).any():
        raise Undecided("open chain")
    o, ring = _cycles(s)
    new_xy = np.column_stack([sx[kept][o], sy[kept][o]])
    new_grp = grp[piece_edge[kept]][o]
    return _Regions(new_xy, ring, new_grp)


def _level_crossings(x0, y0, x1, y1, grp, side, tol):
    """Every crossing of an edge of side 0 with an edge of side 1 of the same
    group, once: (ia, ib) the edges, in increasing order of ``ia · n + ib``,
    (ta, tb) where along each, (px, py) the point. Undecided when two edges
    touch or nearly do."""
    n = len(x0)
    ia, ib = _candidate_pairs(x0, y0, x1, y1, grp, side, tol)
    # Each edge's box (grown by the margin) and vector, once for the level
    # rather than once for each of the pairs it is in (ten or so).
    edges = _Edges(x0, y0, x1, y1, tol)
    # The pairs by slices, to bound the memory of the tests.
    found = [
        _crossings(ia[i : i + _SLICE], ib[i : i + _SLICE], edges, tol) for i in range(0, len(ia), _SLICE)
    ]
    if not found:
        none = np.zeros(0, dtype=np.int64)
        return none, none, np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
    ia, ib, ta, tb, px, py = (np.concatenate(c) for c in zip(*found, strict=True))
    # A pair met in several cells counts once (each time it gave the same
    # crossing: the same products).
    once = np.unique(ia * n + ib, return_index=True)[1]
    return ia[once], ib[once], ta[once], tb[once], px[once], py[once]


class _Edges:
    """A level's edges: start (x0, y0), vector (dx, dy), box grown by ``tol``
    on each side (so two boxes meet when the edges come within 2 ``tol``) and
    orientation margin ``tol`` × length."""

    def __init__(self, x0, y0, x1, y1, tol):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.dx, self.dy = x1 - x0, y1 - y0
        self.xlo, self.xhi = np.minimum(x0, x1) - tol, np.maximum(x0, x1) + tol
        self.ylo, self.yhi = np.minimum(y0, y1) - tol, np.maximum(y0, y1) + tol
        self.margin = tol * np.hypot(self.dx, self.dy)


def _crossings(ia, ib, edges: _Edges, tol):
    """The pairs (ia, ib) of edges that cross, with where along each (ta, tb)
    and the crossing point; a pair that touches or nearly does is undecided."""
    e = edges
    # Boxes (grown by the margin) that meet, first: a few comparisons, in x
    # then, for the pairs left, in y.
    meet = (e.xlo[ia] <= e.xhi[ib]) & (e.xlo[ib] <= e.xhi[ia])
    ia, ib = ia[meet], ib[meet]
    meet = (e.ylo[ia] <= e.yhi[ib]) & (e.ylo[ib] <= e.yhi[ia])
    ia, ib = ia[meet], ib[meet]
    # Orientation of each end of b against a: most pairs left have both ends
    # of b on one side of a (apart), and need no more tests.
    ax, ay = e.dx[ia], e.dy[ia]
    bx0, by0 = e.x0[ib], e.y0[ib]
    rx, ry = bx0 - e.x0[ia], by0 - e.y0[ia]
    ma = e.margin[ia]
    # (The same products as ever: the crossings' t are the same to the bit.)
    o1 = ax * ry - ay * rx  # b's start against a
    o2 = ax * (e.y1[ib] - e.y0[ia]) - ay * (e.x1[ib] - e.x0[ia])  # b's end against a
    p1, n1, p2, n2 = o1 > ma, o1 < -ma, o2 > ma, o2 < -ma
    rest = ~((p1 & p2) | (n1 & n2))
    ia, ib = ia[rest], ib[rest]
    o1, o2, rx, ry = o1[rest], o2[rest], rx[rest], ry[rest]
    p1, n1, p2, n2 = p1[rest], n1[rest], p2[rest], n2[rest]
    # Orientation of each end of a against b.
    bx, by = e.dx[ib], e.dy[ib]
    mb = e.margin[ib]
    o3 = bx * -ry - by * -rx  # a's start against b
    o4 = bx * (e.y1[ia] - e.y0[ib]) - by * (e.x1[ia] - e.x0[ib])  # a's end against b
    # Each sign with a margin: within it, undecided.
    p3, n3, p4, n4 = o3 > mb, o3 < -mb, o4 > mb, o4 < -mb
    apart = (p3 & p4) | (n3 & n4)
    cross = ((p1 & n2) | (n1 & p2)) & ((p3 & n4) | (n3 & p4))
    if (~apart & ~cross).any():
        raise Undecided("edges touch")
    ia, ib = ia[cross], ib[cross]
    o1, o2, o3, o4 = o1[cross], o2[cross], o3[cross], o4[cross]
    ta = o3 / (o3 - o4)
    px = e.x0[ia] + ta * e.dx[ia]
    py = e.y0[ia] + ta * e.dy[ia]
    tb = o1 / (o1 - o2)
    return ia, ib, ta, tb, px, py


def _cycles(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a permutation ``s`` (each element's successor): the elements cycle
    after cycle, each cycle in its order, and the cycle of each of them.

    Most elements lead to the next one (the pieces of a ring that no crossing
    cut): such runs are ranked as one, by pointer doubling over the runs."""
    m = len(s)
    idx = np.arange(m)
    is_head = np.ones(m, dtype=bool)
    is_head[1:] = s[:-1] != idx[1:]
    heads = np.flatnonzero(is_head)
    nr = len(heads)
    run_of = np.cumsum(is_head) - 1
    ends = np.append(heads[1:], m) - 1
    rs = run_of[s[ends]]  # the run after each run
    # Each run's cycle: its smallest run (doubling a window until it is stable).
    label = np.arange(nr)
    p = rs.copy()
    steps = max(1, int(nr).bit_length()) + 1
    for _ in range(steps):
        lab2 = np.minimum(label, label[p])
        if np.array_equal(lab2, label):
            break  # the smallest of a window is the smallest of its cycle
        label = lab2
        p = p[p]
    # Rank: cut each cycle before its smallest run, count the steps to the cut.
    r_idx = np.arange(nr)
    nx = np.where(rs == label, r_idx, rs)
    dist = (nx != r_idx).astype(np.int64)
    for _ in range(steps):
        nn = nx[nx]
        if np.array_equal(nn, nx):
            break
        dist += dist[nx]
        nx = nn
    run_order = np.lexsort((-dist, label))
    lengths = (ends - heads + 1)[run_order]
    first = heads[run_order]
    order = np.repeat(first - (np.cumsum(lengths) - lengths), lengths) + idx
    return order, np.repeat(label[run_order], lengths)


class _Grid:
    """Square cells over a level's edges; a cell's key also holds the group."""

    def __init__(self, x0, y0, x1, y1, ids, pad):
        # The live edges' ends, taken once (each min and max the same as of
        # the ends taken again for each).
        ax, ay, bx, by = x0[ids], y0[ids], x1[ids], y1[ids]
        xmin, ymin = min(float(ax.min()), float(bx.min())), min(float(ay.min()), float(by.min()))
        xmax, ymax = max(float(ax.max()), float(bx.max())), max(float(ay.max()), float(by.max()))
        lengths = np.hypot(bx - ax, by - ay)
        span = max(xmax, ymax) - min(xmin, ymin)
        self.cell = max(_CELL * float(np.median(lengths)), span / 8192.0, 64 * pad, 1e-12)
        self.gx0 = xmin - self.cell - 2 * pad
        self.gy0 = ymin - self.cell - 2 * pad
        self.ncols = int((xmax + 2 * pad - self.gx0) // self.cell) + 2
        self.nrows = int((ymax + 2 * pad - self.gy0) // self.cell) + 2


def _candidate_pairs(x0, y0, x1, y1, grp, side, pad):
    """Index pairs (edge of side 0, edge of side 1) of one group that pass
    through a common cell (each edge grown by ``pad``); a pair may come once
    per common cell. Edges that cross share the cell of their crossing point."""
    n = len(x0)
    none = np.zeros(0, dtype=np.int64)
    ng = int(grp.max()) + 1 if n else 1
    has = np.zeros((2, ng), dtype=bool)
    has[side, grp] = True
    live = has[0][grp] & has[1][grp]  # edges whose group has two regions
    if not live.any():
        return none, none
    ids = np.flatnonzero(live)
    grid = _Grid(x0, y0, x1, y1, ids, pad)
    if ng * grid.nrows * grid.ncols >= 2**62:
        raise Undecided("grid too large")
    e, key = _cover(ids, x0, y0, x1, y1, grp, grid, pad)
    total = len(key)
    key, sd, e = _sorted_by_cell(key * 2 + side[e], e)
    newkey = np.ones(total, dtype=bool)
    newkey[1:] = key[1:] != key[:-1]
    kstart = np.flatnonzero(newkey)
    kid = np.cumsum(newkey) - 1
    n0 = np.bincount(kid[sd == 0], minlength=len(kstart))
    n1 = np.bincount(kid[sd == 1], minlength=len(kstart))
    a_pos = np.flatnonzero(sd == 0)
    a_k = kid[a_pos]
    reps = n1[a_k]
    npairs = int(reps.sum())
    if npairs > _MAX_PAIRS:
        raise Undecided("too many pairs")
    # Pair p of the A edge at a_pos[q]: the B edge at its cell's first B entry
    # (kstart + n0) plus p's rank among q's pairs (p - its first pair).
    pa = np.repeat(e[a_pos], reps)
    pb = e[np.repeat(kstart[a_k] + n0[a_k] - (np.cumsum(reps) - reps), reps) + np.arange(npairs)]
    return pa, pb


def _sorted_by_cell(sk: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cover entries (``sk`` = cell key · 2 + side, edge ``e``) in the order of
    ``sk``: the keys, the sides and the edges. When a key and an entry's
    number fit in 63 bits together they are sorted as one integer (a sort of
    values, not of indices: a third faster on a level's 700,000 entries)."""
    total = len(sk)
    bits = max(total, 1).bit_length()
    if not total or int(sk.max()) >= 1 << (63 - bits):
        o = np.argsort(sk)
        sk = sk[o]
    else:
        packed = np.sort((sk << bits) | np.arange(total, dtype=np.int64))
        o = packed & ((1 << bits) - 1)
        sk = packed >> bits
    return sk >> 1, sk & 1, e[o]


def _cover(ids, x0, y0, x1, y1, grp, grid: _Grid, pad) -> tuple[np.ndarray, np.ndarray]:
    """(edge, cell key) for every cell that each edge, grown by ``pad``, passes through."""
    cell, gx0, gy0 = grid.cell, grid.gx0, grid.gy0
    xa = np.minimum(x0[ids], x1[ids]) - pad
    xb = np.maximum(x0[ids], x1[ids]) + pad
    c0 = ((xa - gx0) // cell).astype(np.int64)
    c1 = ((xb - gx0) // cell).astype(np.int64)
    ncol = c1 - c0 + 1
    total = int(ncol.sum())
    if total > _MAX_CELL_ENTRIES_PER_EDGE * len(ids) + 1_000_000:
        raise Undecided("edges too long for the grid")
    k = np.repeat(np.arange(len(ids)), ncol)
    col = c0[k] + (np.arange(total) - np.repeat(np.cumsum(ncol) - ncol, ncol))
    e = ids[k]
    # The edge's part in this column (grown by pad), as a range of y.
    lo = np.maximum(xa[k], gx0 + col * cell - pad)
    hi = np.minimum(xb[k], gx0 + (col + 1) * cell + pad)
    dx = x1[e] - x0[e]
    dy = y1[e] - y0[e]
    safe = np.where(dx != 0, dx, 1.0)
    t_lo = np.where(dx != 0, np.clip((lo - x0[e]) / safe, 0.0, 1.0), 0.0)
    t_hi = np.where(dx != 0, np.clip((hi - x0[e]) / safe, 0.0, 1.0), 1.0)
    ya_ = y0[e] + t_lo * dy
    yb_ = y0[e] + t_hi * dy
    r0 = ((np.minimum(ya_, yb_) - pad - gy0) // cell).astype(np.int64)
    r1 = ((np.maximum(ya_, yb_) + pad - gy0) // cell).astype(np.int64)
    nrow = r1 - r0 + 1
    total2 = int(nrow.sum())
    if total2 > _MAX_CELL_ENTRIES_PER_EDGE * len(ids) + 1_000_000:
        raise Undecided("edges too long for the grid")
    j = np.repeat(np.arange(total), nrow)
    row = r0[j] + (np.arange(total2) - np.repeat(np.cumsum(nrow) - nrow, nrow))
    ej = e[j]
    return ej, (grp[ej] * grid.nrows + row) * grid.ncols + col[j]


def _point_in_other(cur: _Regions, grp, side, x0, y0, x1, y1, tol) -> np.ndarray:
    """Per ring: 1 when its first vertex lies inside the other region of its
    group (even-odd over that region's rings), else 0."""
    starts = cur.starts
    nr = len(starts)
    # Edges sorted by (group, side): the other region's edges are one range.
    key = grp * 2 + side
    # Regions come in order (rings are chained group by group), so the edges
    # mostly need no sort.
    o = np.arange(len(key)) if not (key[1:] < key[:-1]).any() else np.argsort(key, kind="stable")
    skey = key[o]
    rkey = grp[starts] * 2 + (1 - side[starts])
    lo = np.searchsorted(skey, rkey, side="left")
    hi = np.searchsorted(skey, rkey, side="right")
    reps = hi - lo
    total = int(reps.sum())
    if total > _MAX_PAIRS:
        raise Undecided("too many anchor tests")
    r = np.repeat(np.arange(nr), reps)
    ei = o[np.repeat(lo, reps) + (np.arange(total) - np.repeat(np.cumsum(reps) - reps, reps))]
    px = x0[starts][r]
    py = y0[starts][r]
    ex0, ey0, ex1, ey1 = x0[ei], y0[ei], x1[ei], y1[ei]
    dx, dy = ex1 - ex0, ey1 - ey0
    ll = dx * dx + dy * dy
    t = np.clip(((px - ex0) * dx + (py - ey0) * dy) / np.where(ll > 0, ll, 1.0), 0.0, 1.0)
    near = np.hypot(ex0 + t * dx - px, ey0 + t * dy - py) <= tol
    if near.any():
        raise Undecided("vertex on another outline")
    straddle = (ey0 > py) != (ey1 > py)
    orient = dx * (py - ey0) - dy * (px - ex0)
    right = straddle & ((orient > 0) == (ey1 > ey0))
    return np.bincount(r, weights=right, minlength=nr).astype(np.int64) & 1
