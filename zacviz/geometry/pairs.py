"""Measures over many pairs of polygons, bounded for the worst valid projects.

- ``overlap_bounds``: for each pair, a number never below the area the two
  polygons share, and equal to it (to float precision) when both are convex.
  It is the area shared by their convex hulls, clipped with Sutherland–Hodgman
  over numpy arrays, all pairs at once: a stack of 1,000 turned surfaces is half
  a million pairs, which GEOS intersects one by one in tens of seconds.
- ``cell_areas`` and ``grid_overlap_bounds``: the same kind of bound for shapes
  whose hull says little (concave outlines, hulls of many vertices): over a
  grid of cells, the area two polygons can share is at most the sum, cell by
  cell, of the smaller of their areas in that cell. A stack of 1,000 turned
  60-vertex stars shares its largest area in a few hundred of its half a million
  pairs; a 16 × 16 grid leaves about a thousand to intersect. ``grid_table``
  and ``table_overlap_bounds`` do the same on finer grids, kept sparse: between
  turned 300-vertex stars with teeth a few metres wide, only cells of a metre
  or two tell the teeth from the gaps.
- ``within``: ``shapely.dwithin`` of each pair, through prepared geometries
  (GEOS's indexed facet distance) where both polygons have many vertices:
  GEOS's exact distance measures every segment against every other
  (10,000 × 10,000 vertices: a tenth of a second or more per pair).
"""

from __future__ import annotations

import numpy as np
import shapely

# Hulls of more vertices than this are replaced by their smallest enclosing
# rectangle (still a convex shape holding the polygon): the clip costs
# pairs × vertices × vertices.
_MAX_HULL_VERTICES = 24
# Pairs clipped at once: a few tens of MB of arrays.
_CLIP_BATCH = 32_768
# A clipped area is exact to about 1e-12 of the coordinates; this margin keeps
# the bound above GEOS's own value of the shared area.
_AREA_SLACK = 1e-6


def _convex_rings(
    polys: np.ndarray, origin: np.ndarray, max_vertices: int = _MAX_HULL_VERTICES
) -> np.ndarray:
    """Counter-clockwise convex rings holding ``polys``, ``(n, m, 2)``, relative to
    ``origin``; short rings are padded by repeating their last vertex (edges of
    zero length change neither a clip nor an area)."""
    hulls = shapely.convex_hull(polys)
    big = shapely.get_num_coordinates(hulls) - 1 > max_vertices
    if big.any():
        hulls[big] = shapely.oriented_envelope(hulls[big])
    hulls = shapely.orient_polygons(hulls)
    rings = shapely.get_exterior_ring(hulls)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    counts = np.bincount(index, minlength=len(polys))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    width = max(int(counts.max()) - 1, 1)
    # Vertex k of ring r, k past its end clamped to its last (non-closing) vertex.
    k = np.minimum(np.arange(width)[None, :], (counts - 2)[:, None])
    return coords[starts[:, None] + np.maximum(k, 0)] - origin


def _clip_areas(subject: np.ndarray, clip: np.ndarray) -> np.ndarray:
    """Area of each convex ``subject`` ring inside the convex ``clip`` ring of the
    same row (both counter-clockwise, ``(b, n, 2)`` and ``(b, m, 2)``):
    Sutherland–Hodgman, one clip edge at a time for every row at once."""
    b = len(subject)
    x = np.ascontiguousarray(subject[..., 0])
    y = np.ascontiguousarray(subject[..., 1])
    m = clip.shape[1]
    row_base = np.arange(b)[:, None]
    for e in range(m):
        e0x, e0y = clip[:, e, 0:1], clip[:, e, 1:2]
        e1 = clip[:, (e + 1) % m]
        dx, dy = e1[:, 0:1] - e0x, e1[:, 1:2] - e0y
        side = dx * (y - e0y) - dy * (x - e0x)
        inside = side >= 0.0
        if inside.all():
            continue
        w = x.shape[1]
        xn, yn, sn = np.roll(x, -1, axis=1), np.roll(y, -1, axis=1), np.roll(side, -1, axis=1)
        crossing = inside != (sn >= 0.0)
        # Slot 2k: vertex k if inside; slot 2k+1: where edge k crosses the line.
        px, py = np.empty((b, w, 2)), np.empty((b, w, 2))
        slots = np.empty((b, w, 2), dtype=bool)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = side / (side - sn)
            px[..., 0], px[..., 1] = x, x + t * (xn - x)
            py[..., 0], py[..., 1] = y, y + t * (yn - y)
        slots[..., 0], slots[..., 1] = inside, crossing
        keep = slots.reshape(b, 2 * w)
        # The kept points, in order, packed at the start of each row; each row
        # then padded with its last point (rows left empty are all 0: area 0).
        counts = keep.sum(axis=1)
        width = max(int(counts.max()), 1)
        flat = keep.ravel()
        dest = (np.cumsum(keep, axis=1) - 1 + row_base * width).ravel()[flat]
        nx, ny = np.zeros(b * width), np.zeros(b * width)
        nx[dest], ny[dest] = px.ravel()[flat], py.ravel()[flat]
        fill = np.minimum(np.arange(width)[None, :], np.maximum(counts - 1, 0)[:, None]) + row_base * width
        x, y = nx[fill], ny[fill]
    return 0.5 * np.abs((x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y).sum(axis=1))


def convex_rings(polys: np.ndarray, max_vertices: int = _MAX_HULL_VERTICES) -> np.ndarray:
    """Counter-clockwise convex rings holding each of ``polys`` (``(n, m, 2)``, in
    coordinates relative to the first polygon's first vertex), for
    ``overlap_bounds``: their convex hulls, or the smallest rectangle holding a
    hull of more than ``max_vertices`` vertices."""
    if not len(polys):
        return np.zeros((0, 1, 2))
    return _convex_rings(polys, shapely.get_coordinates(polys[0])[0], max_vertices)


def ring_areas(rings: np.ndarray) -> np.ndarray:
    """The areas of ``convex_rings``."""
    x, y = rings[..., 0], rings[..., 1]
    return 0.5 * np.abs((x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y).sum(axis=1))


def overlap_bounds(rings: np.ndarray, i: np.ndarray, j: np.ndarray, smaller: np.ndarray) -> np.ndarray:
    """For each pair ``(i[k], j[k])`` of the polygons of ``rings``
    (``convex_rings``), an upper bound of the area the two share, at most
    ``smaller[k]`` (the smaller one's area): the area shared by their convex
    hulls, plus a hair. For two convex polygons the bound is their shared area
    to float precision."""
    out = np.empty(len(i))
    for start in range(0, len(i), _CLIP_BATCH):
        sl = slice(start, start + _CLIP_BATCH)
        out[sl] = _clip_areas(rings[i[sl]], rings[j[sl]])
    return np.minimum(smaller, out + _AREA_SLACK * np.maximum(1.0, smaller))


def _ramp_mean(pa: np.ndarray, pb: np.ndarray) -> np.ndarray:
    """The mean of max(t, 0) for t going linearly from ``pa`` to ``pb``."""
    hi, lo = np.maximum(pa, pb), np.minimum(pa, pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        mixed = hi * hi / (2.0 * (hi - lo))
    return np.where(lo >= 0.0, 0.5 * (pa + pb), np.where(hi <= 0.0, 0.0, mixed))


def _runs(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``counts`` [2, 3] → owners [0, 0, 1, 1, 1] and offsets [0, 1, 0, 1, 2]."""
    owner = np.repeat(np.arange(len(counts)), counts)
    start = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - start[owner]


def cell_areas(polys: np.ndarray, bounds, g: int) -> np.ndarray:
    """The area of each polygon in each cell of a ``g`` × ``g`` grid over
    ``bounds`` (x0, y0, x1, y1, holding every polygon): ``(n, g · g)``, cell
    ``column · g + row``.

    Exact to float precision, in time proportional to the outlines (not the
    areas): a polygon's area is minus the integral of y dx along its
    counter-clockwise rings, so each edge, cut at the column lines, adds minus
    its length in x to every cell of the column below it, and its share to the
    few cells it crosses.
    """
    n = len(polys)
    if not n:
        return np.zeros((0, g * g))
    x0, y0, x1, y1 = (float(v) for v in bounds)
    sx, sy = (x1 - x0) / g, (y1 - y0) / g
    rings, ring_of = shapely.get_rings(shapely.orient_polygons(polys), return_index=True)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    # In cell units: cell (c, r) is [c, c + 1] × [r, r + 1].
    u, v = (coords[:, 0] - x0) / sx, (coords[:, 1] - y0) / sy
    edge = index[1:] == index[:-1]
    ua, va, ub, vb = u[:-1][edge], v[:-1][edge], u[1:][edge], v[1:][edge]
    owner = ring_of[index[:-1][edge]]
    # Each edge cut at the column lines: one piece per column it spans.
    c0 = np.clip(np.floor(np.minimum(ua, ub)), 0, g - 1).astype(np.int64)
    c1 = np.clip(np.ceil(np.maximum(ua, ub)), 1, g).astype(np.int64)
    e, off = _runs(np.maximum(c1 - c0, 0))
    col = c0[e] + off
    xa, xb = np.clip(ua[e], col, col + 1.0), np.clip(ub[e], col, col + 1.0)
    dx = xb - xa
    keep = dx != 0.0
    e, col, xa, xb, dx = e[keep], col[keep], xa[keep], xb[keep], dx[keep]
    slope = (vb[e] - va[e]) / (ub[e] - ua[e])
    ya, yb = va[e] + slope * (xa - ua[e]), va[e] + slope * (xb - ua[e])
    first = (owner[e] * g + col) * g  # the column's first cell
    size = n * g * g
    # The cells wholly below a piece get -dx each: a step down the column.
    below = np.clip(np.floor(np.minimum(ya, yb)), 0, g).astype(np.int64)
    step = np.bincount(first, weights=-dx, minlength=size)
    inside = below < g
    step -= np.bincount(first[inside] + below[inside], weights=-dx[inside], minlength=size)
    out = np.cumsum(step.reshape(n, g, g), axis=2)
    # The cells a piece crosses: minus the integral of clamp(y - row, 0, 1).
    top = np.clip(np.ceil(np.maximum(ya, yb)), 0, g).astype(np.int64)
    k, off = _runs(np.maximum(top - below, 0))
    row = below[k] + off
    yka, ykb = ya[k] - row, yb[k] - row
    share = -dx[k] * (_ramp_mean(yka, ykb) - _ramp_mean(yka - 1.0, ykb - 1.0))
    out += np.bincount(first[k] + row, weights=share, minlength=size).reshape(n, g, g)
    return out.reshape(n, g * g) * (sx * sy)


# Pair × cell sums done at once: a few tens of MB.
_GRID_BATCH = 1 << 21
# Polygon × cell areas measured at once by ``grid_table``: 16 MB an array (twice
# that, 4M, held 180 MB more at the peak of a stack of 1,000 jagged outlines).
_TABLE_CELLS = 1 << 21


def _rounded_up(exact: np.ndarray) -> np.ndarray:
    """``exact`` in single precision (half the memory traffic), each value
    rounded up so that sums of them stay bounds."""
    single = exact.astype(np.float32)
    low = single < exact
    single[low] = np.nextafter(single[low], np.float32(np.inf))
    return single


def grid_table(polys: np.ndarray, bounds, g: int) -> tuple[np.ndarray, float]:
    """The cell areas (``cell_areas``) of ``polys`` on a ``g`` × ``g`` grid over
    ``bounds``, for ``table_overlap_bounds``: ``(table, constant)``, ``table``
    the cells where the polygons' areas differ, in single precision rounded up,
    one row per polygon, and ``constant`` the sum over the other cells (all empty,
    all full: the same for every pair).

    Measured a few polygons at a time and kept sparse, so that fine grids
    (256 × 256: 65,536 cells a polygon, a few thousand along its outline) stay
    within a few tens of MB."""
    n = len(polys)
    if not n:
        return np.zeros((0, 0), dtype=np.float32), 0.0
    step = max(1, _TABLE_CELLS // (g * g))
    # Each chunk of polygons kept as the cells where they differ (rounded up)
    # and the areas where they do not; measured once.
    parts: list[tuple[np.ndarray, np.ndarray]] = []
    low_rows: list[np.ndarray] = []
    for start in range(0, n, step):
        c = cell_areas(polys[start : start + step], bounds, g)
        lo = c.min(axis=0)
        own = np.flatnonzero(c.max(axis=0) > lo)
        parts.append((own, _rounded_up(c[:, own])))
        low_rows.append(lo)
    lows = np.array(low_rows)
    same = lows.max(axis=0) == lows.min(axis=0)
    for own, _ in parts:
        same[own] = False
    constant = float(lows[0, same].sum())
    varying = np.flatnonzero(~same)
    table = np.empty((n, len(varying)), dtype=np.float32)
    for k, (own, values) in enumerate(parts):
        rows = slice(k * step, k * step + len(values))
        table[rows] = _rounded_up(lows[k, varying])[None, :]
        table[rows, np.searchsorted(varying, own)] = values
    return table, constant


def table_overlap_bounds(
    table: np.ndarray, constant: float, i: np.ndarray, j: np.ndarray, smaller: np.ndarray
) -> np.ndarray:
    """For each pair ``(i[k], j[k])`` of rows of a ``grid_table``, an upper bound
    of the area the two polygons share, at most ``smaller[k]``: the sum over the
    cells of the smaller of their areas there, plus a hair."""
    out = np.empty(len(i))
    batch = max(1, _GRID_BATCH // max(1, table.shape[1]))
    for start in range(0, len(i), batch):
        sl = slice(start, start + batch)
        out[sl] = np.minimum(table[i[sl]], table[j[sl]]).sum(axis=1, dtype=np.float64)
    out += constant
    return np.minimum(smaller, out + _AREA_SLACK * np.maximum(1.0, smaller))


def grid_overlap_bounds(cells: np.ndarray, i: np.ndarray, j: np.ndarray, smaller: np.ndarray) -> np.ndarray:
    """For each pair ``(i[k], j[k])`` of rows of ``cells`` (``cell_areas``), an
    upper bound of the area the two polygons share, at most ``smaller[k]``: the
    sum over the cells of the smaller of their areas there, plus a hair."""
    if not len(i):
        return np.empty(0)
    used = np.unique(np.concatenate([i, j]))
    sub = cells[used]
    # Cells where every polygon involved has the same area (all empty, all
    # full) add the same to every pair.
    varying = sub.max(axis=0) > sub.min(axis=0)
    constant = float(sub[0, ~varying].sum())
    table = np.zeros((len(cells), int(varying.sum())), dtype=np.float32)
    table[used] = _rounded_up(sub[:, varying])
    return table_overlap_bounds(table, constant, i, j, smaller)


# Pairs whose vertex counts multiply past this are tested through an index.
_INDEXED_FROM = 100_000


def within(a: np.ndarray, b: np.ndarray, distance: float) -> np.ndarray:
    """``shapely.dwithin(a, b, distance)`` for arrays of polygons; polygons of
    many vertices are prepared (indexed) first."""
    if not len(a):
        return np.zeros(0, dtype=bool)
    heavy = shapely.get_num_coordinates(a) * shapely.get_num_coordinates(b) > _INDEXED_FROM
    if heavy.any():
        shapely.prepare(a[heavy])
    return shapely.dwithin(a, b, distance)
