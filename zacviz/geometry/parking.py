"""Parking stall layout for a parking surface that does not state its stalls.

Method
------
Stalls are 2.5 m wide and 5.0 m deep, parked at right angles to 6.0 m aisles.
The grid is aligned with the footprint's longest edge. Across the grid, bays are
stacked as *double* modules (row 5 m + aisle 6 m + row 5 m = 16 m) and, when the
remaining depth allows, one *single* module (row + aisle = 11 m); every stall
row thus opens onto an aisle inside the surface. For a depth ``D`` the number of
rows is ``max over k aisles of min(2k, floor((D - 6k) / 5))`` and each row holds
``floor(L / 2.5)`` stalls for a length ``L``. Both ways of laying the rows (along
the longest edge, or across it) are tried and the one with more stalls wins, so
for a rectangle the count is the best any such row-and-aisle layout can reach.
The layout is centred in the surface.

For any other polygon the same candidate layouts are laid over its bounding box
in the rotated frame and only the stalls lying wholly inside the polygon are
kept; the best candidate wins. That is a good, not an optimal, layout.

A surface reaching out of its lot counts only the stalls of that layout lying
wholly inside the lot (SPEC §2): the grid is then laid only over the lot's
extent, so a 5 km surface costs what the lot does.

"Wholly inside" is GEOS's ``contains_properly`` in the outline grown by
1e-6 m (:func:`_inside_geos`, the definition). It is decided row by row with
numpy (:func:`_inside_mask`), for all the car parks of a check at once
(:func:`stall_counts`); GEOS decides only the stalls an edge runs along. The
page (web/src/parking.js) does the same with JSTS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.geometry.footprint import footprint_polygon
from zacviz.model.project import Footprint, RectFootprint

STALL_WIDTH_M = 2.5
STALL_DEPTH_M = 5.0
AISLE_M = 6.0
_EPS = 1e-6
# Beyond this many grid cells a surface is not laid out stall by stall (the
# drawing would hold millions of boxes; no lot is that large).
MAX_LAYOUT_STALLS = 20_000


@dataclass(frozen=True)
class StallLayout:
    """The stalls laid out in a parking surface.

    ``stalls`` holds the rectangles in the site CRS (``(n, 4, 2)`` corner array,
    counter-clockwise), ``aisles`` the aisle rectangles, ready for the views.
    """

    count: int
    stalls: np.ndarray
    aisles: np.ndarray
    angle_deg: float

    def stall_polygons(self) -> list[Polygon]:
        return list(shapely.polygons(self.stalls)) if self.count else []


def _rows_for_depth(depth: float) -> tuple[int, int]:
    """(rows, aisles) maximising the stall rows that fit across ``depth``."""
    best = (0, 0)
    k = 1
    while AISLE_M * k + STALL_DEPTH_M <= depth + _EPS:
        rows = min(2 * k, math.floor((depth - AISLE_M * k) / STALL_DEPTH_M + _EPS))
        if rows > best[0]:
            best = (rows, k)
        k += 1
    return best


def _bands(rows: int, aisles: int) -> list[tuple[str, float]]:
    """The sequence of (kind, size) bands across the layout, from y = 0."""
    bands: list[tuple[str, float]] = []
    left = rows
    for _ in range(aisles):
        if left >= 2:
            bands += [("row", STALL_DEPTH_M), ("aisle", AISLE_M), ("row", STALL_DEPTH_M)]
            left -= 2
        elif left == 1:
            bands += [("row", STALL_DEPTH_M), ("aisle", AISLE_M)]
            left -= 1
    return bands


def _grid_rows(
    length: float,
    depth: float,
    x0: float,
    y0: float,
    centre: bool,
    window: tuple[float, float, float, float] | None = None,
) -> tuple[float, int, int, np.ndarray, np.ndarray]:
    """The best layout for a box (local frame), as rows: ``(ox, first, last,
    row_y, aisles)``, stall ``k`` of a row at height ``y`` being
    ``[ox + k · 2.5, ox + k · 2.5 + 2.5] × [y, y + 5]`` for ``first <= k < last``;
    with ``window`` (minx, miny, maxx, maxy), only the stalls and aisles meeting it."""
    rows, aisles = _rows_for_depth(depth)
    per_row = math.floor(length / STALL_WIDTH_M + _EPS)
    if rows == 0 or per_row == 0:
        return 0.0, 0, 0, np.zeros(0), np.zeros((0, 4, 2))
    bands = _bands(rows, aisles)
    used_y = sum(size for _, size in bands)
    used_x = per_row * STALL_WIDTH_M
    ox = x0 + ((length - used_x) / 2.0 if centre else 0.0)
    y = y0 + ((depth - used_y) / 2.0 if centre else 0.0)
    first, last = 0, per_row
    ax0, ax1 = ox, ox + used_x
    if window is not None:
        first = max(0, math.floor((window[0] - ox) / STALL_WIDTH_M))
        last = min(per_row, math.ceil((window[2] - ox) / STALL_WIDTH_M))
        ax0, ax1 = max(ax0, window[0]), min(ax1, window[2])
    row_y: list[float] = []
    aisle_boxes = []
    for kind, size in bands:
        if window is not None and (y > window[3] or y + size < window[1]):
            y += size
            continue
        if kind == "row":
            row_y.append(y)
        elif ax1 > ax0:
            aisle_boxes.append(((ax0, y), (ax1, y), (ax1, y + size), (ax0, y + size)))
        y += size
    return (
        ox,
        first,
        max(first, last),
        np.asarray(row_y, dtype=float),
        np.asarray(aisle_boxes, dtype=float).reshape(-1, 4, 2),
    )


def _stall_boxes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The stalls whose lower left corners are ``(x, y)``: ``(n, 4, 2)``, counter-clockwise."""
    stalls = np.empty((len(x), 4, 2))
    stalls[:, 0, 0], stalls[:, 0, 1] = x, y
    stalls[:, 1, 0], stalls[:, 1, 1] = x + STALL_WIDTH_M, y
    stalls[:, 2, 0], stalls[:, 2, 1] = x + STALL_WIDTH_M, y + STALL_DEPTH_M
    stalls[:, 3, 0], stalls[:, 3, 1] = x, y + STALL_DEPTH_M
    return stalls


def _grid(
    length: float,
    depth: float,
    x0: float,
    y0: float,
    centre: bool,
    window: tuple[float, float, float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Stall and aisle rectangles (local frame, ``(n, 4, 2)`` corner arrays,
    counter-clockwise) of the best layout for a box; with ``window`` (minx,
    miny, maxx, maxy), only those meeting it."""
    ox, first, last, row_y, aisles = _grid_rows(length, depth, x0, y0, centre, window)
    # Every row's stalls at once, row by row, left to right.
    xs = ox + np.arange(first, last) * STALL_WIDTH_M
    sx, sy = np.meshgrid(xs, row_y)
    return _stall_boxes(sx.ravel(), sy.ravel()), aisles


def _inside_geos(shape: BaseGeometry, stalls: np.ndarray) -> np.ndarray:
    """Which stalls lie wholly inside ``shape`` (up to 1e-6 m): GEOS's
    ``contains_properly`` in the shape grown by 1e-6 m, through a prepared
    shape (GEOS prepares an unprepared one again for every stall). This is the
    definition :func:`_inside_mask` answers faster; it decides only the
    stalls within 0.1 mm of the outline that no witness settles."""
    grown = shape.buffer(1e-6)
    shapely.prepare(grown)
    return shapely.contains_properly(grown, shapely.polygons(stalls))


# A stall farther than this from every edge of the outline is wholly inside or
# wholly outside it (the 1e-6 m growth and GEOS's rounding are far smaller).
_NEAR_M = 1e-4
# A point of a stall outside the outline and farther than this from it lies
# outside the outline grown by 1e-6 m: the stall is not inside.
_WITNESS_M = 1e-5


def _expand(counts: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``[starts[i], starts[i] + counts[i])``: (owner i, value) of every element."""
    owner = np.repeat(np.arange(len(counts)), counts)
    ends = np.cumsum(counts)
    return owner, starts[owner] + np.arange(int(ends[-1]) if len(ends) else 0) - (ends - counts)[owner]


def _inside_mask(shape: BaseGeometry, stalls: np.ndarray) -> np.ndarray:
    """Which stalls lie wholly inside ``shape``: exactly :func:`_inside_geos`,
    decided row by row with numpy.

    The stalls come row by row, left to right (as :func:`_grid` lays them). A
    stall no edge of the outline comes within 0.1 mm of is inside or outside
    as its centre is (even-odd crossings along the row's middle line). A stall
    an edge comes near is out when a witness of it lies outside the outline
    and more than 1e-5 m from every edge (so outside the outline grown by
    1e-6 m): the middle of a stretch between two crossings of the row's
    bottom, top or middle line across the stall, then of its left or right
    side. Only the few stalls left (an edge running along a side, a slit
    thinner than the growth) go to GEOS."""
    return _inside_masks([shape], [stalls])[0]


# Stalls decided together in one numpy pass (bounds the memory of a batch).
_BATCH_STALLS = 200_000


def _inside_masks(shapes: list[BaseGeometry], stalls_list: list[np.ndarray]) -> list[np.ndarray]:
    """:func:`_inside_geos` for several (shape, stalls) at once: the numpy
    passes run over every stall of a batch, not once per car park."""
    out = [np.zeros(len(st), dtype=bool) for st in stalls_list]
    todo = [i for i, st in enumerate(stalls_list) if len(st)]
    start = 0
    while start < len(todo):
        end, total = start, 0
        while end < len(todo) and (end == start or total + len(stalls_list[todo[end]]) <= _BATCH_STALLS):
            total += len(stalls_list[todo[end]])
            end += 1
        chunk = todo[start:end]
        for i, mask in zip(chunk, _masks_batch([shapes[i] for i in chunk], [stalls_list[i] for i in chunk])):
            out[i] = mask
        start = end
    return out


def _masks_one_by_one(shapes: list[BaseGeometry], stalls_list: list[np.ndarray]) -> list[np.ndarray]:
    if len(shapes) == 1:
        return [_inside_geos(shapes[0], stalls_list[0])]
    return [_masks_batch([sh], [st])[0] for sh, st in zip(shapes, stalls_list)]


def _row_edge_pairs(
    ry0: np.ndarray,
    ry1: np.ndarray,
    rg: np.ndarray,
    g_row_start: np.ndarray,
    g_row_end: np.ndarray,
    ax: np.ndarray,
    ay: np.ndarray,
    ex: np.ndarray,
    ey: np.ndarray,
    eg: np.ndarray,
    key_y,
) -> tuple[np.ndarray, ...]:
    """The (edge, row) pairs of a batch whose edge meets the row's band
    [ry0, ry1] grown by _NEAR_M (rows and edges of group ``rg``/``eg``, rows
    ordered by ``key_y(group, y)``): the edge's index, the row's, the edge's
    ends, and the x range [u0, u1] it covers in that band, grown by _NEAR_M."""
    eylo, eyhi = np.minimum(ay, ey), np.maximum(ay, ey)
    r_lo = np.maximum(np.searchsorted(key_y(rg, ry1 + _NEAR_M), key_y(eg, eylo), "left"), g_row_start[eg])
    r_hi = np.minimum(np.searchsorted(key_y(rg, ry0 - _NEAR_M), key_y(eg, eyhi), "right"), g_row_end[eg])
    pe, pr = _expand(np.maximum(r_hi - r_lo, 0), r_lo)
    pax, pay, pex, pey = ax[pe], ay[pe], ex[pe], ey[pe]
    dx, dy = pex - pax, pey - pay
    flat = dy == 0
    sdy = np.where(flat, 1.0, dy)
    t0 = np.clip((ry0[pr] - _NEAR_M - pay) / sdy, 0.0, 1.0)
    t1 = np.clip((ry1[pr] + _NEAR_M - pay) / sdy, 0.0, 1.0)
    xa, xb = pax + t0 * dx, pax + t1 * dx
    u0 = np.where(flat, np.minimum(pax, pex), np.minimum(xa, xb)) - _NEAR_M
    u1 = np.where(flat, np.maximum(pax, pex), np.maximum(xa, xb)) + _NEAR_M
    return pe, pr, pax, pay, pex, pey, u0, u1


def _masks_batch(shapes: list[BaseGeometry], stalls_list: list[np.ndarray]) -> list[np.ndarray]:
    """The masks of non-empty stall arrays, each laid row by row, left to right."""
    n_groups = len(shapes)
    geoms = np.empty(n_groups, dtype=object)
    geoms[:] = shapes
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    if not len(parts) or np.any(shapely.get_type_id(parts) != 3):
        return _masks_one_by_one(shapes, stalls_list)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    same = coord_of[1:] == coord_of[:-1]
    edges = np.hstack([coords[:-1], coords[1:]])[same]
    eg = part_of[ring_of[coord_of[:-1][same]]]
    moving = (edges[:, 0] != edges[:, 2]) | (edges[:, 1] != edges[:, 3])
    edges, eg = edges[moving], eg[moving]
    if not np.all(np.bincount(eg, minlength=n_groups)):
        return _masks_one_by_one(shapes, stalls_list)
    lens = np.array([len(st) for st in stalls_list])
    stalls = np.concatenate(stalls_list)
    sg = np.repeat(np.arange(n_groups), lens)
    n = len(stalls)
    bx0, by0 = np.ascontiguousarray(stalls[:, 0, 0]), np.ascontiguousarray(stalls[:, 0, 1])
    bx1, by1 = np.ascontiguousarray(stalls[:, 2, 0]), np.ascontiguousarray(stalls[:, 2, 1])
    # Rows: runs of stalls of one car park sharing their bottom line.
    new_row = np.r_[True, (sg[1:] != sg[:-1]) | (by0[1:] != by0[:-1])]
    row = np.cumsum(new_row) - 1
    ry0, ry1, rg = by0[new_row], by1[new_row], sg[new_row]
    n_rows = len(ry0)
    same_group = sg[1:] == sg[:-1]
    same_row = ~new_row[1:]
    rows_same_group = rg[1:] == rg[:-1]
    if (
        np.any((by0[1:] < by0[:-1]) & same_group)
        or np.any((bx0[1:] <= bx0[:-1]) & same_row)
        or np.any(by1 != ry1[row])
        or np.any((ry1[:-1] > ry0[1:]) & rows_same_group)
        or np.any(bx1 <= bx0)
    ):
        return _masks_one_by_one(shapes, stalls_list)
    g_rows = np.bincount(rg, minlength=n_groups)
    g_row_end = np.cumsum(g_rows)
    g_row_start = g_row_end - g_rows
    ax, ay, ex, ey = edges.T
    # Row-major keys: a row's x shifted past every x of the rows before it;
    # the same for a car park's y past the car parks before it.
    lo_x = min(bx0.min(), ax.min(), ex.min()) - 1.0
    big = 2.0 * (max(bx1.max(), ax.max(), ex.max()) - lo_x + 1.0)
    lo_y = min(by0.min(), ay.min(), ey.min()) - 1.0
    big_y = 2.0 * (max(by1.max(), ay.max(), ey.max()) - lo_y + 1.0)
    if np.spacing((n_rows + 1) * big) > 1e-7 or np.spacing((n_groups + 1) * big_y) > 1e-7:
        half = n_groups // 2
        if not half:
            return [_inside_geos(shapes[0], stalls_list[0])]
        return _masks_batch(shapes[:half], stalls_list[:half]) + _masks_batch(
            shapes[half:], stalls_list[half:]
        )

    def key(r: np.ndarray, x: np.ndarray) -> np.ndarray:
        return r * big + (x - lo_x)

    def key_y(g: np.ndarray, y: np.ndarray) -> np.ndarray:
        return g * big_y + (y - lo_y)

    # (row, edge) pairs: the edges meeting each row's band, grown by _NEAR_M.
    pe, pr, pax, pay, pex, pey, u0, u1 = _row_edge_pairs(
        ry0, ry1, rg, g_row_start, g_row_end, ax, ay, ex, ey, eg, key_y
    )
    dx, dy = pex - pax, pey - pay
    # The stalls of the row whose x range meets [u0, u1]: near that edge.
    counts = np.bincount(row, minlength=n_rows)
    start = np.cumsum(counts) - counts
    k0, k1 = key(row, bx0), key(row, bx1)
    lo = np.maximum(np.searchsorted(k1, key(pr, u0), "left"), start[pr])
    hi = np.minimum(np.searchsorted(k0, key(pr, u1), "right"), start[pr] + counts[pr])
    owner, pb = _expand(np.maximum(hi - lo, 0), lo)
    near = np.zeros(n, dtype=bool)
    near[pb] = True

    # Each row's three lines (bottom, middle, top): where the edges cross
    # them, in row-major order (the even-odd rule, half-open in y).
    ryc = (ry0 + ry1) / 2.0
    crossings = []
    for y_of_row in (ry0, ryc, ry1):
        y = y_of_row[pr]
        cross = (pay > y) != (pey > y)
        xc = pax[cross] + (y[cross] - pay[cross]) * dx[cross] / dy[cross]
        keys = key(pr[cross], xc)
        order = np.argsort(keys, kind="stable")
        keys, xc = keys[order], xc[order]
        first = np.searchsorted(keys, np.arange(n_rows) * big - 0.5)
        crossings.append((y_of_row, keys, xc, first))
    inside = np.zeros(n, dtype=bool)
    far = ~near
    _, keys, _, first = crossings[1]
    left_of = np.searchsorted(keys, key(row[far], (bx0[far] + bx1[far]) / 2.0)) - first[row[far]]
    inside[far] = left_of % 2 == 1
    if not near.any():
        return np.split(inside, np.cumsum(lens)[:-1])
    order = np.argsort(pb, kind="stable")
    p_count = np.bincount(pb, minlength=n)
    p_start = np.cumsum(p_count) - p_count
    pb_sorted, pe_sorted = pb[order], pe[owner[order]]

    def far_from_edges(qx: np.ndarray, qy: np.ndarray, qb: np.ndarray) -> np.ndarray:
        """Whether each point (of stall ``qb``) lies farther than _WITNESS_M
        from every edge near its stall (the others are farther than _NEAR_M)."""
        wi, pi = _expand(p_count[qb], p_start[qb])
        if not len(wi):
            return np.zeros(len(qb), dtype=bool)
        e = pe_sorted[pi]
        sx, sy, vx, vy = ax[e], ay[e], ex[e] - ax[e], ey[e] - ay[e]
        px, py = qx[wi], qy[wi]
        t = np.clip(((px - sx) * vx + (py - sy) * vy) / (vx * vx + vy * vy), 0.0, 1.0)
        d2 = (px - sx - t * vx) ** 2 + (py - sy - t * vy) ** 2
        firsts = np.flatnonzero(np.r_[True, wi[1:] != wi[:-1]])
        far_w = np.zeros(len(qb), dtype=bool)
        far_w[wi[firsts]] = np.minimum.reduceat(d2, firsts) > _WITNESS_M**2
        return far_w

    # Witnesses, line by line (bottom, top, middle) for the near stalls still
    # undecided: the middle of every stretch of the line across the stall
    # between two crossings, kept when outside the outline and far from it.
    out = np.zeros(n, dtype=bool)
    for y_of_row, keys, xc, first in (crossings[0], crossings[2], crossings[1]):
        idx = np.flatnonzero(near & ~out)
        if not len(idx):
            break
        r = row[idx]
        a = np.searchsorted(keys, key(r, bx0[idx]), "right")
        b = np.searchsorted(keys, key(r, bx1[idx]), "left")
        m = np.maximum(b - a, 0) + 1
        w, k = _expand(m, np.zeros(len(idx), dtype=int))
        j = a[w] + k
        x_lo = np.where(k == 0, bx0[idx][w], xc[np.minimum(j - 1, len(xc) - 1)] if len(xc) else 0.0)
        x_hi = np.where(k == m[w] - 1, bx1[idx][w], xc[np.minimum(j, len(xc) - 1)] if len(xc) else 0.0)
        keep = (j - first[r[w]]) % 2 == 0
        wx = ((x_lo + x_hi) / 2.0)[keep]
        wb = idx[w][keep]
        out[wb[far_from_edges(wx, y_of_row[row[wb]], wb)]] = True
    idx = np.flatnonzero(near)
    # On the left and right sides of the stalls still undecided, the middle of
    # every stretch between two crossings (a notch may reach in from a side
    # and miss the three lines), outside when an even number of the edges of
    # its row's band cross its own line to its left.
    undecided = ~out[pb_sorted]
    qb_pairs, qe_pairs = pb_sorted[undecided], pe_sorted[undecided]
    vx_, vb, vy_ = [], [], []
    for side_x in (bx0, bx1):
        x = side_x[qb_pairs]
        sx, sy, tx, ty = ax[qe_pairs], ay[qe_pairs], ex[qe_pairs], ey[qe_pairs]
        cross = (sx > x) != (tx > x)
        yc = sy[cross] + (x[cross] - sx[cross]) * (ty[cross] - sy[cross]) / (tx[cross] - sx[cross])
        box = qb_pairs[cross]
        keep = (yc > by0[box]) & (yc < by1[box])
        yc, box = yc[keep], box[keep]
        if not len(box):
            continue
        o = np.lexsort((yc, box))
        yc, box = yc[o], box[o]
        new_box = np.r_[True, box[1:] != box[:-1]]
        last = np.r_[box[1:] != box[:-1], True]
        between = (yc[:-1] + yc[1:]) / 2.0
        vy_ += [
            (by0[box[new_box]] + yc[new_box]) / 2.0,
            between[~new_box[1:]],
            (yc[last] + by1[box[last]]) / 2.0,
        ]
        bs = np.concatenate([box[new_box], box[1:][~new_box[1:]], box[last]])
        vx_.append(side_x[bs])
        vb.append(bs)
    if vb:
        qx, qy, qb = np.concatenate(vx_), np.concatenate(vy_), np.concatenate(vb)
        keep = far_from_edges(qx, qy, qb)
        qx, qy, qb = qx[keep], qy[keep], qb[keep]
        r_order = np.argsort(pr, kind="stable")
        r_count = np.bincount(pr, minlength=n_rows)
        r_start = np.cumsum(r_count) - r_count
        r = row[qb]
        si, ri = _expand(r_count[r], r_start[r])
        pp = r_order[ri]
        px, py = qx[si], qy[si]
        hit = (pay[pp] > py) != (pey[pp] > py)
        xc = pax[pp] + (py - pay[pp]) * dx[pp] / np.where(hit, dy[pp], 1.0)
        left_count = np.bincount(si[hit & (xc < px)], minlength=len(qb))
        out[qb[left_count % 2 == 0]] = True
    left = idx[~out[idx]]
    for g in np.unique(sg[left]):
        mine = left[sg[left] == g]
        inside[mine] = _inside_geos(shapes[g], stalls[mine])
    return np.split(inside, np.cumsum(lens)[:-1])


def _longest_edge_angle(poly: Polygon) -> float:
    coords = np.asarray(poly.exterior.coords)
    d = np.diff(coords, axis=0)
    lengths = np.hypot(d[:, 0], d[:, 1])
    i = int(np.argmax(lengths))
    return math.degrees(math.atan2(d[i, 1], d[i, 0]))


def _to_world(boxes: np.ndarray, angle: float, origin: tuple[float, float]) -> np.ndarray:
    if not len(boxes):
        return np.zeros((0, 4, 2))
    arr = np.asarray(boxes, dtype=float)
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    x, y = arr[..., 0], arr[..., 1]
    return np.stack([origin[0] + x * c - y * s, origin[1] + x * s + y * c], axis=-1)


@dataclass
class _Candidate:
    frame: BaseGeometry
    clip_frame: BaseGeometry | None
    stalls: np.ndarray  # empty when only counted (see rows)
    aisles: np.ndarray
    angle: float
    # The layout as rows (_grid_rows): ox, first, last, row_y.
    rows: tuple[float, int, int, np.ndarray]

    @property
    def slots(self) -> int:
        """The stalls of the layout before any is dropped."""
        return len(self.rows[3]) * (self.rows[2] - self.rows[1])


@dataclass
class _Prepared:
    angle: float
    origin: tuple[float, float]
    is_rect: bool
    candidates: list[_Candidate]
    early: StallLayout | None = None


def _prepare(poly: Polygon, clip: BaseGeometry | None, with_stalls: bool = True) -> _Prepared:
    """The two candidate layouts of a polygon, before the stalls outside it
    (and outside ``clip``) are dropped; ``with_stalls=False``: as rows only
    (for :func:`_row_counts`), no stall array."""
    angle = _longest_edge_angle(poly)
    origin = (poly.centroid.x, poly.centroid.y)
    local = affinity.rotate(poly, -angle, origin=origin, use_radians=False)
    local = affinity.translate(local, -origin[0], -origin[1])
    clip_local = None
    if clip is not None:
        clip_local = affinity.translate(
            affinity.rotate(clip, -angle, origin=origin, use_radians=False), -origin[0], -origin[1]
        )
    minx, miny, maxx, maxy = local.bounds
    w, h = maxx - minx, maxy - miny
    is_rect = abs(local.area - w * h) <= 1e-6 * max(w * h, 1.0)
    if clip is None and w * h / (STALL_WIDTH_M * STALL_DEPTH_M) > MAX_LAYOUT_STALLS:
        # Larger than any lot (25 ha of stalls): not laid out for drawing; a
        # check counts only the stalls inside the lot (stall_counts with the lot).
        empty = np.zeros((0, 4, 2))
        early = StallLayout(
            count=rectangle_count(w, h) if is_rect else 0, stalls=empty, aisles=empty, angle_deg=angle
        )
        return _Prepared(angle, origin, is_rect, [], early)
    candidates = []
    # Rows along the longest edge, then rows across it (the frame turned 90°).
    for turn in (0.0, 90.0):
        clip_frame = None
        if clip_local is not None:
            clip_frame = clip_local if turn == 0.0 else affinity.rotate(clip_local, -90.0, origin=(0, 0))
        window = clip_frame.bounds if clip_frame is not None else None
        if turn == 0.0:
            ox, first, last, row_y, aisles = _grid_rows(w, h, minx, miny, centre=True, window=window)
            frame = local
        else:
            frame = affinity.rotate(local, -90.0, origin=(0, 0))
            fx0, fy0, fx1, fy1 = frame.bounds
            ox, first, last, row_y, aisles = _grid_rows(
                fx1 - fx0, fy1 - fy0, fx0, fy0, centre=True, window=window
            )
        stalls = np.zeros((0, 4, 2))
        if with_stalls:
            # Every row's stalls at once, row by row, left to right (as _grid).
            sx, sy = np.meshgrid(ox + np.arange(first, last) * STALL_WIDTH_M, row_y)
            stalls = _stall_boxes(sx.ravel(), sy.ravel())
        candidates.append(
            _Candidate(frame, clip_frame, stalls, aisles, angle + turn, (ox, first, last, row_y))
        )
    return _Prepared(angle, origin, is_rect, candidates)


def _keep_inside(preps: list[_Prepared]) -> None:
    """Drop, in every candidate at once, the stalls outside its polygon, then
    those outside its clip."""
    cands = [c for p in preps if not p.is_rect for c in p.candidates if len(c.stalls)]
    for c, mask in zip(cands, _inside_masks([c.frame for c in cands], [c.stalls for c in cands])):
        c.stalls = c.stalls[mask]
    cands = [c for p in preps for c in p.candidates if c.clip_frame is not None and len(c.stalls)]
    for c, mask in zip(cands, _inside_masks([c.clip_frame for c in cands], [c.stalls for c in cands])):
        c.stalls = c.stalls[mask]


def _best(prep: _Prepared) -> StallLayout:
    if prep.early is not None:
        return prep.early
    empty = np.zeros((0, 4, 2))
    best: tuple[int, np.ndarray, np.ndarray, float] = (0, empty, empty, prep.angle)
    for c in prep.candidates:
        if len(c.stalls) > best[0]:
            best = (len(c.stalls), c.stalls, c.aisles, c.angle)
    count, stalls, aisles, final_angle = best
    return StallLayout(
        count=count,
        stalls=_to_world(stalls, final_angle, prep.origin),
        aisles=_to_world(aisles, final_angle, prep.origin),
        angle_deg=final_angle,
    )


def layout_polygon(poly: Polygon, clip: BaseGeometry | None = None) -> StallLayout:
    """Lay out stalls inside any polygon (see the module docstring); with
    ``clip`` (the lot), keep only the stalls wholly inside it too."""
    prep = _prepare(poly, clip)
    _keep_inside([prep])
    return _best(prep)


def layout_counts(polys: list[Polygon], clip: BaseGeometry | None = None) -> list[int]:
    """``layout_polygon(poly, clip).count`` for every polygon, a batch at a
    time: the stall tests of many car parks run as one numpy pass."""
    counts: list[int] = []
    batch: list[_Prepared] = []
    held = 0
    # Without a lot, only the counts are needed: each row's stalls far from
    # the outline are counted by arithmetic (_row_counts), not laid out.
    by_rows = clip is None
    limit = _BATCH_SLOTS if by_rows else _BATCH_STALLS
    for i, poly in enumerate(polys):
        prep = _prepare(poly, clip, with_stalls=not by_rows)
        batch.append(prep)
        held += sum(c.slots for c in prep.candidates)
        if held >= limit or i == len(polys) - 1:
            if by_rows:
                counts += _batch_counts(batch)
            else:
                _keep_inside(batch)
                counts += [
                    p.early.count if p.early is not None else max(len(c.stalls) for c in p.candidates)
                    for p in batch
                ]
            batch, held = [], 0
    return counts


# Stall places (laid out or not) counted at once by _row_counts.
_BATCH_SLOTS = 2_000_000


def _batch_counts(preps: list[_Prepared]) -> list[int]:
    """The best candidate's count of each of ``preps`` (prepared without a
    clip, as rows): what :func:`_keep_inside` then :func:`_best` give."""
    cands = [c for p in preps if not p.is_rect for c in p.candidates if c.slots]
    inside = dict(zip(map(id, cands), _row_counts([c.frame for c in cands], [c.rows for c in cands])))
    return [
        p.early.count
        if p.early is not None
        else max((inside.get(id(c), c.slots) for c in p.candidates), default=0)
        for p in preps
    ]


def _row_counts(frames: list[BaseGeometry], rows: list[tuple[float, int, int, np.ndarray]]) -> list[int]:
    """How many stalls of each layout (given as rows, :func:`_grid_rows`) lie
    wholly inside its frame: ``_inside_masks(frames, stalls)[i].sum()``, the
    stalls not laid out one by one.

    A stall no edge comes within 0.1 mm of is inside as its centre is: along
    the row's middle line, between an odd and an even crossing of the
    outline, and those are counted by arithmetic, per stretch between two
    crossings. Only the stalls an edge comes near (those along the outline)
    are laid out and decided by :func:`_inside_masks`."""
    n_c = len(frames)
    if not n_c:
        return []

    def laid_out() -> list[int]:
        masks = _inside_masks(
            frames,
            [
                _stall_boxes(*(a.ravel() for a in np.meshgrid(ox + np.arange(f, la) * STALL_WIDTH_M, ry)))
                for ox, f, la, ry in rows
            ],
        )
        return [int(m.sum()) for m in masks]

    geoms = np.empty(n_c, dtype=object)
    geoms[:] = frames
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    if not len(parts) or np.any(shapely.get_type_id(parts) != 3):
        return laid_out()
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    same = coord_of[1:] == coord_of[:-1]
    ax, ay = coords[:-1, 0][same], coords[:-1, 1][same]
    ex, ey = coords[1:, 0][same], coords[1:, 1][same]
    eg = part_of[ring_of[coord_of[:-1][same]]]
    moving = (ax != ex) | (ay != ey)
    ax, ay, ex, ey, eg = ax[moving], ay[moving], ex[moving], ey[moving], eg[moving]
    if not np.all(np.bincount(eg, minlength=n_c)):
        return laid_out()
    # The rows of every layout, layout after layout, each from the bottom up.
    n_rows = np.array([len(r[3]) for r in rows])
    rg = np.repeat(np.arange(n_c), n_rows)
    ry0 = np.concatenate([r[3] for r in rows])
    if np.any(np.diff(ry0)[rg[1:] == rg[:-1]] <= 0.0):
        return laid_out()
    ry1 = ry0 + STALL_DEPTH_M
    rox = np.array([r[0] for r in rows])[rg]
    rfirst = np.array([r[1] for r in rows])[rg]
    rlast = np.array([r[2] for r in rows])[rg]
    g_row_end = np.cumsum(n_rows)
    g_row_start = g_row_end - n_rows
    total_rows = len(ry0)
    # (row, edge) pairs: the edges meeting each row's band grown by _NEAR_M,
    # found per layout through keys ordered layout by layout, then by height.
    lo_y = min(ry0.min(), ay.min(), ey.min()) - 1.0
    big_y = 2.0 * (max(ry1.max(), ay.max(), ey.max()) - lo_y + 1.0)
    if np.spacing((n_c + 1) * big_y) > 1e-7:
        return laid_out()

    def key_y(g: np.ndarray, y: np.ndarray) -> np.ndarray:
        return g * big_y + (y - lo_y)

    _pe, pr, pax, pay, pex, pey, u0, u1 = _row_edge_pairs(
        ry0, ry1, rg, g_row_start, g_row_end, ax, ay, ex, ey, eg, key_y
    )
    # Row-major keys: a row's x shifted past every x of the rows before it.
    lo_x = min(rox.min(), ax.min(), ex.min()) - 1.0
    big = 2.0 * (max((rox + rlast * STALL_WIDTH_M).max(), ax.max(), ex.max()) - lo_x + 1.0)
    row_major = bool(np.spacing((total_rows + 1) * big) <= 1e-7)
    if row_major:
        # The pairs row by row, left to right (by where each edge enters its
        # row's band), once: the sorts of crossings below (and of each line's
        # in _proven_out) then find them nearly in order, which a stable sort
        # goes through in a few passes, not the time of sorting them anew.
        o = np.argsort(pr * big + (u0 - lo_x))
        pr, pax, pay, pex, pey, u0, u1 = pr[o], pax[o], pay[o], pex[o], pey[o], u0[o], u1[o]
    dx, dy = pex - pax, pey - pay
    # The stalls [ox + k w, ox + k w + w] meeting [u0, u1] are near that edge;
    # a hair more is taken (a stall taken as near is still decided exactly).
    ox_p = rox[pr]
    k0 = np.maximum(np.ceil((u0 - ox_p) / STALL_WIDTH_M - 1.0 - 1e-7), rfirst[pr]).astype(np.int64)
    k1 = np.minimum(np.floor((u1 - ox_p) / STALL_WIDTH_M + 1e-7), rlast[pr] - 1).astype(np.int64)
    owner, k = _expand(np.maximum(k1 - k0 + 1, 0), k0)
    # Marked on the stall places of the batch, row after row (slot_of), left to right.
    per_row = rlast - rfirst
    slot_of = np.cumsum(per_row) - per_row
    marked = np.zeros(int(per_row.sum()), dtype=bool)
    marked[slot_of[pr[owner]] + (k - rfirst[pr[owner]])] = True
    near = np.flatnonzero(marked)
    near_row = np.searchsorted(slot_of, near, "right") - 1
    near_k = near - slot_of[near_row] + rfirst[near_row]
    width = int(rlast.max()) + 1
    # Each row's crossings of its middle line, as the number of stalls whose
    # centres lie to their left (exact for the stalls far from every edge).
    ym = ((ry0 + ry1) / 2.0)[pr]
    cross = (pay > ym) != (pey > ym)
    cr = pr[cross]
    xc = pax[cross] + (ym[cross] - pay[cross]) * dx[cross] / dy[cross]
    kc = np.clip(np.ceil((xc - rox[cr]) / STALL_WIDTH_M - 0.5), rfirst[cr], rlast[cr]).astype(np.int64)
    ck = np.sort(cr * (width + 1) + kc, kind="stable")  # nearly in order when row_major
    c_row, c_k = ck // (width + 1), ck % (width + 1)
    # The stalls between the 1st and 2nd crossing of a row, the 3rd and 4th...
    c_first = np.searchsorted(c_row, np.arange(total_rows))
    sign = np.where((np.arange(len(ck)) - c_first[c_row]) % 2 == 1, 1.0, -1.0)
    centre_in = np.bincount(rg[c_row], weights=sign * c_k, minlength=n_c)
    # ... less the near ones among them, decided one by one.
    left_of = np.searchsorted(ck, near_row * (width + 1) + near_k, "right") - c_first[near_row]
    centre_in -= np.bincount(rg[near_row], weights=left_of % 2, minlength=n_c)
    # The near stalls a witness proves out (a point of the bottom, middle or
    # top line outside the outline and farther than _WITNESS_M from it) are
    # out; only the others are decided one by one.
    if row_major:
        for y_of_row in [(ry0 + ry1) / 2.0, ry0, ry1] + [ry0 + f * STALL_DEPTH_M for f in _MORE_LINES]:
            # Each line only for the rows with stalls still undecided.
            busy = np.zeros(total_rows, dtype=bool)
            busy[near_row] = True
            p = busy[pr]
            slots = slot_of[near_row] + (near_k - rfirst[near_row])
            proven = _proven_out(
                y_of_row, rox, rfirst, rlast, slot_of, slots, pr[p], pax[p], pay[p], pex[p], pey[p], big, lo_x
            )
            near_row, near_k = near_row[~proven], near_k[~proven]
    near_g = rg[near_row]
    split = np.searchsorted(near_g, np.arange(n_c + 1))
    sx = rox[near_row] + near_k * STALL_WIDTH_M
    boxes = _stall_boxes(sx, ry0[near_row])
    masks = _inside_masks(frames, [boxes[split[g] : split[g + 1]] for g in range(n_c)])
    return [int(round(centre_in[g])) + int(m.sum()) for g, m in enumerate(masks)]


# Other lines across the rows where witnesses are looked for (a notch reaching
# into a stall from a side misses the bottom, middle and top lines).
_MORE_LINES = (0.25, 0.75)
# Points this far from every edge are farther than _WITNESS_M from it, float
# noise included.
_CLEAR_M = 1.1 * _WITNESS_M


def _proven_out(
    y_of_row: np.ndarray,
    rox: np.ndarray,
    rfirst: np.ndarray,
    rlast: np.ndarray,
    slot_of: np.ndarray,
    slots: np.ndarray,
    pr: np.ndarray,
    pax: np.ndarray,
    pay: np.ndarray,
    pex: np.ndarray,
    pey: np.ndarray,
    big: float,
    lo_x: float,
) -> np.ndarray:
    """Which of the stall places ``slots`` (numbered row after row, ``slot_of``
    the first of each row) meet, on the line
    ``y_of_row[row]`` of their row, a stretch outside the outline and farther
    than _CLEAR_M from every edge: such a stall is not inside the outline
    grown by 1e-6 m. ``(pr, pax, pay, pex, pey)`` are the edges near each row
    (every edge within _NEAR_M of its band)."""
    y = y_of_row[pr]
    # Only the edges that come within _CLEAR_M of the line matter.
    meet = (np.minimum(pay, pey) <= y + _CLEAR_M) & (np.maximum(pay, pey) >= y - _CLEAR_M)
    pr, pax, pay, pex, pey, y = pr[meet], pax[meet], pay[meet], pex[meet], pey[meet], y[meet]
    dy = pey - pay
    # Each edge's stretch of the line within _CLEAR_M of it (or a little more).
    flat = dy == 0.0
    sdy = np.where(flat, 1.0, dy)
    ta = np.clip((y - _CLEAR_M - pay) / sdy, 0.0, 1.0)
    tb = np.clip((y + _CLEAR_M - pay) / sdy, 0.0, 1.0)
    dx = pex - pax
    xa, xb = pax + ta * dx, pax + tb * dx
    b_lo = np.where(flat, np.minimum(pax, pex), np.minimum(xa, xb)) - _CLEAR_M
    b_hi = np.where(flat, np.maximum(pax, pex), np.maximum(xa, xb)) + _CLEAR_M
    b_row = pr
    if not len(b_row) or not len(slots):
        return np.zeros(len(slots), dtype=bool)

    def key(r: np.ndarray, x: np.ndarray) -> np.ndarray:
        return r * big + (x - lo_x)

    # Merged, row by row: the gaps between them are clear of every edge.
    k_lo = key(b_row, b_lo)
    order = np.argsort(k_lo, kind="stable")  # nearly in order already (_row_counts)
    b_row, b_lo, b_hi, k_lo = b_row[order], b_lo[order], b_hi[order], k_lo[order]
    # The edges crossing the line (the even-odd rule, half-open in y), each
    # inside its own block.
    crossing = ((pay > y) != (pey > y))[order]
    k_hi = key(b_row, b_hi)
    reach = np.maximum.accumulate(k_hi)
    new_row = np.r_[True, b_row[1:] != b_row[:-1]]
    starts = new_row | np.r_[True, k_lo[1:] > reach[:-1]]
    # Gap m: from the end of merged block m to the start of block m + 1 of the
    # same row (or the row's end); outside when an even number of crossings
    # lie in the blocks to its left.
    s_idx = np.flatnonzero(starts)
    ends = np.r_[s_idx[1:] - 1, len(reach) - 1]
    g_row = b_row[s_idx]
    g_lo = reach[ends] - g_row * big + lo_x
    nxt_same = np.r_[g_row[1:] == g_row[:-1], False]
    g_hi = np.where(nxt_same, np.r_[b_lo[s_idx[1:]], 0.0], np.inf)
    so_far = np.cumsum(crossing)
    row_start = np.maximum.accumulate(np.where(new_row, np.arange(len(new_row)), 0))
    before_row = so_far[row_start] - crossing[row_start]
    out = (so_far[ends] - before_row[ends]) % 2 == 0
    # Also the gap before each row's first block (outside).
    first_blocks = s_idx[new_row[s_idx]]
    g_row = np.r_[g_row, b_row[first_blocks]]
    g_lo = np.r_[g_lo, np.full(len(first_blocks), -np.inf)]
    g_hi = np.r_[g_hi, b_lo[first_blocks]]
    out = np.r_[out, np.ones(len(first_blocks), dtype=bool)]
    g_row, g_lo, g_hi = g_row[out], g_lo[out], g_hi[out]
    # The stalls each gap meets over more than a hair: first to last.
    ox = rox[g_row]
    with np.errstate(invalid="ignore"):
        ka = np.floor((g_lo - ox) / STALL_WIDTH_M - 1.0 + 1e-6) + 1.0
        kb = np.ceil((g_hi - ox) / STALL_WIDTH_M - 1e-6) - 1.0
    ka = np.maximum(np.nan_to_num(ka, nan=-1.0, neginf=-1.0), rfirst[g_row])
    kb = np.minimum(np.nan_to_num(kb, nan=-1.0, posinf=1e18), rlast[g_row] - 1)
    ok = ka <= kb
    if not ok.any():
        return np.zeros(len(slots), dtype=bool)
    start = slot_of[g_row[ok]] + (ka[ok] - rfirst[g_row[ok]]).astype(np.int64)
    last = slot_of[g_row[ok]] + (kb[ok] - rfirst[g_row[ok]]).astype(np.int64)
    o = np.argsort(start, kind="stable")  # in order but for each row's first gap
    start, last = start[o], np.maximum.accumulate(last[o])
    i = np.searchsorted(start, slots, "right") - 1
    return (i >= 0) & (last[np.maximum(i, 0)] >= slots)


def rectangle_count(width: float, depth: float) -> int:
    """Stalls the layout gives a ``width`` × ``depth`` rectangle, by arithmetic alone."""
    best = 0
    for length, across in ((width, depth), (depth, width)):
        rows, _ = _rows_for_depth(across)
        best = max(best, rows * math.floor(length / STALL_WIDTH_M + _EPS))
    return best


# By footprint and the lot's WKB (a geometry hashes through its WKB, made anew each time).
_COUNTS: dict[tuple[Footprint, bytes | None], int] = {}


def stall_counts(fps: list[Footprint], lot: BaseGeometry | None = None) -> list[int]:
    """The stalls of each footprint's layout (``stall_layout(fp).count``), with
    ``lot`` only those lying wholly inside it (SPEC §2), the layouts still to
    do done as one batch; a rectangle's count by arithmetic alone."""
    lot_key = lot.wkb if lot is not None else None
    todo: dict[tuple[Footprint, bytes | None], Polygon] = {}
    for fp in fps:
        k = (fp, lot_key)
        if k in _COUNTS or k in todo:
            continue
        if isinstance(fp, RectFootprint) and lot is None:
            _COUNTS[k] = rectangle_count(fp.width, fp.depth)
        else:
            todo[k] = footprint_polygon(fp)
    if todo:
        keys = list(todo)
        polys = list(todo.values())
        clipped = [False] * len(polys)
        if lot is not None:
            geoms = np.empty(len(polys), dtype=object)
            geoms[:] = polys
            clipped = [not c for c in shapely.covers(lot, geoms)]
        for k, clip in zip(keys, clipped):
            if not clip and isinstance(k[0], RectFootprint):
                _COUNTS[k] = rectangle_count(k[0].width, k[0].depth)
            elif not clip and (k[0], None) in _COUNTS:
                _COUNTS[k] = _COUNTS[(k[0], None)]  # wholly in the lot: the layout's own count
        for want_clip in (False, True):
            pick = [i for i, c in enumerate(clipped) if c == want_clip and keys[i] not in _COUNTS]
            got = layout_counts([polys[i] for i in pick], lot if want_clip else None)
            for i, count in zip(pick, got):
                _COUNTS[keys[i]] = count
                if not want_clip:
                    _COUNTS[(keys[i][0], None)] = count
    out = [_COUNTS[(fp, lot_key)] for fp in fps]
    if len(_COUNTS) > 8192:
        _COUNTS.clear()
    return out


@lru_cache(maxsize=1024)
def stall_layout(fp: Footprint) -> StallLayout:
    """The stall layout of a parking footprint, cached by its parameters."""
    return layout_polygon(footprint_polygon(fp))


# Stalls whose lines a plan or a 3D view draws, in all: the car parks past it,
# in the project's order, are drawn without lines. 1,000 stacked concave car
# parks are two million stalls, whose lines took minutes and gigabytes to draw
# (the page's plan draws at most 3,000).
MAX_STALLS_DRAWN = 20_000


def stall_lines_drawn(footprints: list[Footprint]) -> list[bool]:
    """For each car park footprint, in order, whether its stall lines fit in
    what is left of MAX_STALLS_DRAWN (a car park too big for what is left is
    skipped; a smaller one after it may still fit)."""
    left = MAX_STALLS_DRAWN
    out = []
    # Counted as one batch: only the car parks drawn need their layouts.
    for n in stall_counts(footprints):
        out.append(n <= left)
        if n <= left:
            left -= n
    return out
