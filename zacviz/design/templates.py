"""Starting layouts: a plausible, compliant project on any lot, in one click.

A template (warehouse, workshop, offices, showroom, mixed) places its building
in the lot's *road frame* (x along the longest road frontage, y into the lot),
inside the buildable area for its height (:mod:`zacviz.geometry.envelope`), at
the front of the lot; a yard behind the building where the use needs one; and a
parking surface beside it, sized for the stalls the rules require. The layout is
then checked (:func:`zacviz.rules.engine.check_project`); if it fails (coverage,
green space, parking room...) the building shrinks and the layout is redone,
until it complies or the lot turns out too small (:class:`TemplateDoesNotFit`).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry

from zacviz.errors import InputError
from zacviz.geometry.envelope import buildable_area
from zacviz.geometry.lot import lot_geometry
from zacviz.geometry.parking import AISLE_M, STALL_DEPTH_M, STALL_WIDTH_M, stall_layout
from zacviz.model.project import (
    Building,
    Project,
    RectFootprint,
    Surface,
    rect_angle,
    storeys_within,
    wrap_angle,
)
from zacviz.model.site import Lot, Site

# Keep a hair inside every limit so that rounding never turns a pass into a fail.
_INSET_M = 0.02
_MIN_BUILDING_SIDE_M = 10.0
_SHRINK = (1.0, 0.85, 0.7, 0.55, 0.42, 0.32, 0.24, 0.18)


class TemplateDoesNotFit(InputError):
    """The lot is too small (or its rules too tight) for this template."""


@dataclass(frozen=True)
class Template:
    """A kind of starting project.

    ``share`` is the building footprint aimed at, as a share of the lot area;
    ``aspect`` its width along the road over its depth; ``annex_*`` describe a
    front office block joined to the main building (mixed template).
    """

    id: str
    use: str
    height_m: float
    storeys: int
    roof: str
    share: float
    aspect: float
    yard_depth_m: float = 0.0
    annex_use: str | None = None
    annex_depth_m: float = 0.0
    annex_storeys: int = 0
    annex_height_m: float = 0.0


TEMPLATES: dict[str, Template] = {
    t.id: t
    for t in (
        Template("warehouse", "warehouse", 12.0, 1, "flat", share=0.40, aspect=1.6, yard_depth_m=30.0),
        Template("workshop", "workshop", 9.0, 1, "shed", share=0.32, aspect=1.4, yard_depth_m=18.0),
        Template("offices", "office", 11.0, 3, "flat", share=0.18, aspect=2.2),
        Template("retail", "retail", 8.0, 1, "flat", share=0.22, aspect=1.5),
        Template(
            "mixed",
            "workshop",
            9.0,
            1,
            "shed",
            share=0.28,
            aspect=1.3,
            yard_depth_m=15.0,
            annex_use="office",
            annex_depth_m=12.0,
            annex_storeys=2,
            annex_height_m=8.0,
        ),
    )
}


# ---------------------------------------------------------------- road frame


@dataclass(frozen=True)
class RoadFrame:
    """A frame on the lot: origin, x along the road frontage, y into the lot."""

    ox: float
    oy: float
    angle_deg: float

    def to_local(self, geom: BaseGeometry) -> BaseGeometry:
        moved = affinity.translate(geom, -self.ox, -self.oy)
        return affinity.rotate(moved, -self.angle_deg, origin=(0.0, 0.0))

    def to_world(self, u: float, v: float) -> tuple[float, float]:
        a = math.radians(self.angle_deg)
        c, s = math.cos(a), math.sin(a)
        return (self.ox + u * c - v * s, self.oy + u * s + v * c)

    def rect(self, u0: float, v0: float, u1: float, v1: float) -> RectFootprint:
        cx, cy = self.to_world((u0 + u1) / 2.0, (v0 + v1) / 2.0)
        return RectFootprint(cx, cy, u1 - u0, v1 - v0, rect_angle(self.angle_deg))


def _segments(geom: BaseGeometry) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    out = []
    for line in getattr(geom, "geoms", [geom]):
        if isinstance(line, LineString) and not line.is_empty:
            pts = list(line.coords)
            out += list(itertools.pairwise(pts))
        elif hasattr(line, "exterior"):
            out += _segments(line.exterior)
    return out


def road_direction(site: Site, lot: Lot) -> float:
    """Angle (degrees, counter-clockwise from east) of the lot's longest road frontage.

    The lot's longest side when it has no frontage.
    """
    frame = road_frame(site, lot)
    return frame.angle_deg


def road_frame(site: Site, lot: Lot) -> RoadFrame:
    """The lot's road frame: x along its longest frontage segment, y into the lot."""
    frame: RoadFrame = site.cached(("road_frame", lot.id), lambda: _road_frame(site, lot), lot)
    return frame


def _road_frame(site: Site, lot: Lot) -> RoadFrame:
    lg = lot_geometry(site, lot)
    segs = _segments(lg.frontage) if not lg.frontage.is_empty else []
    if not segs or max(math.dist(a, b) for a, b in segs) < 1.0:
        segs = _segments(lot.polygon.minimum_rotated_rectangle)
    a, b = max(segs, key=lambda s: math.dist(s[0], s[1]))
    angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    c = lot.polygon.centroid
    mid = ((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0)
    # y (the left normal of x) must point into the lot.
    nx, ny = -math.sin(math.radians(angle)), math.cos(math.radians(angle))
    if (c.x - mid[0]) * nx + (c.y - mid[1]) * ny < 0:
        angle += 180.0
    return RoadFrame(c.x, c.y, wrap_angle(angle))


# ---------------------------------------------------------- largest rectangle


def largest_rectangle(region: BaseGeometry, max_cells: int = 120) -> tuple[float, float, float, float] | None:
    """A large axis-aligned rectangle inside ``region`` (its local frame).

    The region is rasterised on a grid of at most ``max_cells`` per side, the
    largest all-inside block of cells is found (histogram method), then each
    side is pushed out as far as the region allows.
    """
    if region.is_empty or region.area <= 0:
        return None
    minx, miny, maxx, maxy = region.bounds
    step = max(0.5, max(maxx - minx, maxy - miny) / max_cells)
    nx = max(1, int((maxx - minx) / step))
    ny = max(1, int((maxy - miny) / step))
    xs = minx + step * np.arange(nx + 1)
    ys = miny + step * np.arange(ny + 1)
    gx, gy = np.meshgrid(xs, ys)
    shapely.prepare(region)
    node = shapely.intersects_xy(region, gx, gy)
    cell = node[:-1, :-1] & node[1:, :-1] & node[:-1, 1:] & node[1:, 1:]
    best = _max_block(cell)
    if best is None:
        return None
    r0, c0, r1, c1 = best
    rect = [float(xs[c0]), float(ys[r0]), float(xs[c1]), float(ys[r1])]
    grown = region.buffer(1e-7)
    shapely.prepare(grown)
    if not grown.covers(box(*rect)):
        # A notch narrower than a cell: fall back to a smaller, safe rectangle.
        rect = [rect[0] + step, rect[1] + step, rect[2] - step, rect[3] - step]
        if rect[2] <= rect[0] or rect[3] <= rect[1] or not grown.covers(box(*rect)):
            return None
    for side in range(4):
        lo, hi = 0.0, step * 1.5
        for _ in range(12):
            mid = (lo + hi) / 2.0
            trial = list(rect)
            trial[side] += -mid if side < 2 else mid
            if grown.covers(box(*trial)):
                lo = mid
            else:
                hi = mid
        rect[side] += -lo if side < 2 else lo
    return (rect[0], rect[1], rect[2], rect[3])


def _max_block(cell: np.ndarray) -> tuple[int, int, int, int] | None:
    """(row0, col0, row1, col1), exclusive ends, of the largest all-True block."""
    rows, cols = cell.shape
    heights = np.zeros(cols, dtype=int)
    best_area = 0
    best: tuple[int, int, int, int] | None = None
    for r in range(rows):
        heights = np.where(cell[r], heights + 1, 0)
        stack: list[int] = []
        h = [*heights.tolist(), 0]
        for c in range(cols + 1):
            while stack and h[stack[-1]] >= h[c]:
                top = stack.pop()
                height = h[top]
                left = stack[-1] + 1 if stack else 0
                area = height * (c - left)
                if area > best_area:
                    best_area = area
                    best = (r - height + 1, left, r + 1, c)
            stack.append(c)
    return best


# ------------------------------------------------------------------ layout


def _stalls_needed(lot: Lot, buildings: list[Building]) -> int:
    from zacviz.rules.engine import building_floor_area, stalls_required

    per = lot.rules.parking_m2_per_stall or {}
    return sum(stalls_required(building_floor_area(b), per.get(b.use)) for b in buildings)


def _depth_candidates(limit: float) -> list[float]:
    """Parking depths where the row count steps up: rows × 5 m + aisles × 6 m."""
    out = set()
    k = 1
    while AISLE_M * k + STALL_DEPTH_M <= limit + 1e-9:
        for rows in (2 * k - 1, 2 * k):
            d = rows * STALL_DEPTH_M + k * AISLE_M
            if d <= limit + 1e-9:
                out.add(d)
        k += 1
    return sorted(out)


def _parking_rect(
    frame: RoadFrame, area: tuple[float, float, float, float], needed: int
) -> tuple[float, float, float, float] | None:
    """The smallest parking rect anchored at the front of ``area`` holding ``needed`` stalls."""
    u0, v0, u1, v1 = area
    width, depth = u1 - u0, v1 - v0

    def count(w: float, d: float) -> int:
        return stall_layout(frame.rect(u0, v0, u0 + w, v0 + d)).count

    if width <= 0 or depth <= 0 or count(width, depth) < needed:
        return None
    # Shallowest depth that holds them over the full width, then the narrowest width.
    chosen_d = depth
    for d in _depth_candidates(depth):
        if count(width, d + 0.01) >= needed:
            chosen_d = min(depth, d + 0.01)
            break
    chosen_w = width
    for m in range(1, int(width / STALL_WIDTH_M) + 1):
        w = min(width, m * STALL_WIDTH_M + 0.01)
        if count(w, chosen_d) >= needed:
            chosen_w = w
            break
    # A car park narrower than an aisle is awkward to enter: widen it if possible.
    chosen_w = max(chosen_w, min(width, AISLE_M + 2 * STALL_DEPTH_M))
    return (u0, v0, u0 + chosen_w, v0 + chosen_d)


def _layout(site: Site, lot: Lot, tpl: Template, frame: RoadFrame, f: float) -> list | None:
    rules = lot.rules
    max_h = rules.max_height_m if rules.max_height_m is not None else math.inf
    height = min(tpl.height_m, max_h)
    storeys = max(1, min(tpl.storeys, storeys_within(height)))
    annex_h = min(tpl.annex_height_m, max_h)
    annex_storeys = max(1, min(tpl.annex_storeys, storeys_within(annex_h)))
    top = max(height, annex_h if tpl.annex_use else 0.0)
    region = frame.to_local(buildable_area(site, lot, top))
    r = site.cached(("template_rect", lot.id, round(top, 3)), lambda: largest_rectangle(region), lot)
    if r is None:
        return None
    ru0, rv0, ru1, rv1 = r[0] + _INSET_M, r[1] + _INSET_M, r[2] - _INSET_M, r[3] - _INSET_M
    rw, rd = ru1 - ru0, rv1 - rv0
    annex_d = tpl.annex_depth_m if tpl.annex_use else 0.0
    if rw < _MIN_BUILDING_SIDE_M or rd - annex_d < _MIN_BUILDING_SIDE_M:
        return None

    lot_area = lot.area_m2
    total_storeys = storeys
    target = f * tpl.share * lot_area
    if rules.max_coverage is not None:
        target = min(target, 0.97 * rules.max_coverage * lot_area)
    if rules.max_floor_area_m2 is not None:
        target = min(target, 0.97 * rules.max_floor_area_m2 / total_storeys)
    bw = min(rw * (0.7 if rw > 40 else 1.0), math.sqrt(target * tpl.aspect))
    bd = min(rd - annex_d, target / bw)
    bw = min(rw * (0.7 if rw > 40 else 1.0), max(bw, target / bd))
    if bw < _MIN_BUILDING_SIDE_M or bd < _MIN_BUILDING_SIDE_M:
        return None

    boxes_local: list[tuple[float, float, float, float]] = []
    buildings: list[Building] = []
    if tpl.annex_use:
        aw = min(bw, max(_MIN_BUILDING_SIDE_M, 0.5 * bw))
        annex = (ru0, rv0, ru0 + aw, rv0 + annex_d)
        buildings.append(Building("b2", tpl.annex_use, annex_h, annex_storeys, "flat", frame.rect(*annex)))
        main = (ru0, rv0 + annex_d, ru0 + bw, rv0 + annex_d + bd)
        boxes_local.append(annex)
    else:
        main = (ru0, rv0, ru0 + bw, rv0 + bd)
    buildings.insert(0, Building("b1", tpl.use, height, storeys, tpl.roof, frame.rect(*main)))
    boxes_local.append(main)

    lot_local = frame.to_local(lot.polygon).buffer(-_INSET_M, join_style="mitre")
    taken = shapely.union_all([box(*b) for b in boxes_local])
    surfaces: list[Surface] = []
    if tpl.yard_depth_m > 0:
        wanted = box(main[0], main[3], main[2], main[3] + tpl.yard_depth_m * max(f, 0.5))
        yard = largest_rectangle(wanted.intersection(lot_local), max_cells=60)
        if yard is not None and yard[3] - yard[1] >= 8.0 and yard[2] - yard[0] >= 8.0:
            surfaces.append(Surface("s2", "yard", frame.rect(*yard)))
            taken = taken.union(box(*yard))
    needed = max(2, _stalls_needed(lot, buildings))
    free = lot_local.difference(taken)
    spot = largest_rectangle(free)
    if spot is None:
        return None
    parking = _parking_rect(frame, spot, needed)
    if parking is None:
        return None
    surfaces.insert(0, Surface("s1", "parking", frame.rect(*parking)))
    return [buildings, surfaces]


def apply_template(site: Site, lot: Lot, template_id: str, project: Project | None = None) -> Project:
    """A compliant project on ``lot`` laid out by the template ``template_id``.

    ``project`` (same lot) keeps its title and unknown keys; its buildings and
    surfaces are replaced. Raises :class:`TemplateDoesNotFit` when no compliant
    layout is found, ``KeyError`` for an unknown template.
    """
    from zacviz.rules.engine import check_project

    tpl = TEMPLATES[template_id]
    frame = road_frame(site, lot)
    base = project if project is not None and project.lot == lot.id else Project(site=site.id, lot=lot.id)
    for f in _SHRINK:
        parts = _layout(site, lot, tpl, frame, f)
        if parts is None:
            continue
        candidate = replace(base, buildings=tuple(parts[0]), surfaces=tuple(parts[1]))
        if check_project(candidate, site).compliant:
            return candidate
    raise TemplateDoesNotFit(f"lot {lot.id}: too small for the {template_id} template")


def fits(site: Site, lot: Lot, min_side_m: float = 20.0) -> bool:
    """Whether the lot's buildable area holds a ``min_side_m`` square in its road frame."""
    top = lot.rules.max_height_m or 12.0
    region = road_frame(site, lot).to_local(buildable_area(site, lot, min(12.0, top)))
    r = largest_rectangle(region)
    return r is not None and r[2] - r[0] >= min_side_m and r[3] - r[1] >= min_side_m
