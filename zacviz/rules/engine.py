"""The rule engine: a project on its lot → metrics and rule verdicts (SPEC §3).

Each rule reports its worst case (the building, pair or road with the smallest
margin), the items at fault and the geometry at fault. Shapely calls are
vectorised over all buildings at once; the lot's derived geometry is cached.
Checks never raise for a valid project: bad data is refused earlier, when files
are read.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from zacviz.errors import InputError
from zacviz.geometry.footprint import footprint_area, footprint_polygons
from zacviz.geometry.lot import LotGeometry, lot_geometry
from zacviz.geometry.pairs import (
    cell_areas,
    convex_rings,
    grid_overlap_bounds,
    grid_table,
    overlap_bounds,
    ring_areas,
    table_overlap_bounds,
    within,
)
from zacviz.geometry.parking import stall_counts
from zacviz.geometry.union_area import union_area
from zacviz.model.project import Building, Project
from zacviz.model.site import Lot, RuleSet, Site
from zacviz.rules.results import CheckResult, Metrics, Quantity, RuleResult
from zacviz.rules.table import RULE_IDS, RULES

# SPEC §3 tolerances.
TOL_LENGTH = 0.01
TOL_AREA = 0.01
TOL_RATIO = 1e-6


def resolve_lot(project: Project, site: Site) -> Lot:
    """The project's lot in ``site``; InputError naming the field if absent."""
    lot = site.lot(project.lot)
    if lot is None:
        raise InputError(f"lot: unknown lot {project.lot!r} in site {site.id!r}")
    return lot


def building_floor_area(b: Building) -> float:
    """Footprint area × storeys, rounded to 0.01 m² as SPEC §3 counts it."""
    return round(footprint_area(b.footprint) * b.storeys, 2)


def stalls_required(floor_area_m2: float, m2_per_stall: float | None) -> int:
    """ceil(floor area / m² per stall), on decimals so 400.00 / 100 is exactly 4."""
    if not m2_per_stall or m2_per_stall <= 0:
        return 0
    from decimal import Decimal  # here: a millisecond at every start of zacviz check

    q = Decimal(repr(round(floor_area_m2, 2))) / Decimal(repr(float(m2_per_stall)))
    return int(q.to_integral_value(rounding="ROUND_CEILING"))


def surface_stalls(project: Project, lot_polygon: BaseGeometry | None = None) -> dict[str, int]:
    """Stalls of each parking surface: as stated, else the documented layout
    (inside ``lot_polygon`` when given, SPEC §2)."""
    parks = [s for s in project.surfaces if s.kind == "parking"]
    # The layouts to do, as one batch (1,000 concave car parks: one numpy pass).
    laid = iter(stall_counts([s.footprint for s in parks if s.stalls is None], lot_polygon))
    return {s.id: s.stalls if s.stalls is not None else next(laid) for s in parks}


def _union(geoms: Sequence[BaseGeometry] | np.ndarray) -> BaseGeometry:
    return shapely.union_all(list(geoms)) if len(geoms) else shapely.GeometryCollection()


def _collect(geoms: Sequence[BaseGeometry] | np.ndarray) -> BaseGeometry:
    """The polygons of ``geoms`` as one MultiPolygon, without a costly union:
    the geometry at fault is drawn, not measured, so parts may overlap."""
    if not len(geoms):
        return shapely.MultiPolygon()
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    polys = parts[shapely.get_type_id(parts) == 3]
    return shapely.multipolygons(polys) if len(polys) else shapely.MultiPolygon()


def _candidate_pairs(polys: np.ndarray, distance: float) -> np.ndarray:
    """Index pairs (i < j), in order, whose bounding boxes come within ``distance``."""
    if len(polys) < 2:
        return np.zeros((2, 0), dtype=int)
    tree = shapely.STRtree(polys)
    b = shapely.bounds(polys)
    grown = shapely.box(b[:, 0] - distance, b[:, 1] - distance, b[:, 2] + distance, b[:, 3] + distance)
    pairs = tree.query(grown)
    pairs = pairs[:, pairs[0] < pairs[1]]
    # In (i, j) order, not the tree's: the rules list failing ids in pair order,
    # as the page's engine and the small-project path do.
    return pairs[:, np.lexsort((pairs[1], pairs[0]))]


def check_project(
    project: Project, site: Site, *, at_fault: bool = True, numpy_union: bool = False
) -> CheckResult:
    """Check ``project`` against the rules of its lot in ``site``.

    ``at_fault=False`` leaves out the geometry at fault of failing rules (every
    ``geometry`` None): what a caller that draws nothing needs, such as
    ``zacviz check``. Values, items and messages are the same.
    ``numpy_union=True``: a heavy union is measured by union_area's numpy
    merges rather than by GEOS. Only the command line's check and the report
    ask for it: in a process where Qt's views are made (the editor, the plan
    picture), those merges ran twice as slow, for a reason not found yet
    (1,000 jagged car parks: the check 14–15 s so, against 7 s without Qt and
    9.7 s with GEOS).
    """
    lot = resolve_lot(project, site)
    lg = lot_geometry(site, lot)
    rules = lot.rules
    buildings = project.buildings
    all_polys = footprint_polygons([b.footprint for b in buildings] + [s.footprint for s in project.surfaces])
    b_polys, s_polys = all_polys[: len(buildings)], all_polys[len(buildings) :]
    all_ids = [b.id for b in buildings] + [s.id for s in project.surfaces]

    # --- metrics. Unions are costly and rarely needed: when no two shapes
    # overlap, the union's area is the sum of the areas.
    nb = len(b_polys)
    areas = shapely.area(all_polys) if len(all_polys) else np.zeros(0)
    covered = shapely.covers(lg.polygon, all_polys) if len(all_polys) else np.zeros(0, dtype=bool)
    # Inscribed discs prove overlaps without polygon operations; measured once,
    # only if a rule needs them (a pair of boxes that meet, two buildings).
    discs = functools.cache(lambda: _inscribed_discs(all_polys))
    overlapping = _overlapping_pairs(all_polys, discs)
    b_overlap = bool(((overlapping[0] < nb) & (overlapping[1] < nb)).any())
    unions = functools.partial(
        _union_areas,
        b_polys if b_overlap else None,
        all_polys if overlapping.shape[1] or not covered.all() else None,
        None if covered.all() else lg.polygon,
    )
    lot_area = lg.area_m2
    floor_areas = [building_floor_area(b) for b in buildings]
    per_stall = rules.parking_m2_per_stall or {}
    required = [
        stalls_required(fa, per_stall.get(b.use)) for b, fa in zip(buildings, floor_areas, strict=True)
    ]
    # A union of many vertices (a stack of 1,000 outlines: a second of GEOS,
    # which releases the GIL) is measured in a thread of its own while the
    # stall layouts and the rules that do not read the metrics run here.
    heavy = (b_overlap or bool(overlapping.shape[1]) or not covered.all()) and int(
        shapely.get_num_coordinates(all_polys).sum()
    ) >= _UNION_IN_THREAD_FROM
    pool = ThreadPoolExecutor(max_workers=1) if heavy else None
    try:
        # The thread measures the areas only (no union is built: see
        # union_area); the green share's shape at fault, if drawn, is united then.
        measuring: Future[_Unions] | None = pool.submit(unions, areas_only=numpy_union) if pool else None
        stalls = surface_stalls(project, lg.polygon)

        sealed_shape: list[BaseGeometry | None] = [None]  # the union in the lot, once measured

        @functools.cache
        def metrics_now() -> Metrics:
            union_b, union_all, sealed_shape[0] = measuring.result() if measuring is not None else unions()
            footprint_m2 = float(areas[:nb].sum()) if union_b is None else union_b
            sealed_m2 = float(areas.sum()) if union_all is None else union_all
            return Metrics(
                lot_area_m2=lot_area,
                footprint_m2=footprint_m2,
                coverage=footprint_m2 / lot_area,
                floor_area_m2=float(sum(footprint_area(b.footprint) * b.storeys for b in buildings)),
                sealed_m2=sealed_m2,
                green_ratio=(lot_area - sealed_m2) / lot_area,
                parking_required=int(sum(required)),
                parking_provided=int(sum(stalls.values())),
            )

        def metrics_if_measured() -> Metrics | None:
            return metrics_now() if measuring is None or measuring.done() else None

        ctx = CheckContext(
            project=project,
            rules=rules,
            lot_geometry=lg,
            measured=metrics_if_measured,
            buildings=buildings,
            b_polys=b_polys,
            s_polys=s_polys,
            all_polys=all_polys,
            all_ids=all_ids,
            areas=areas,
            covered=covered,
            overlapping=overlapping,
            discs=discs,
            required=required,
            draw=at_fault,
            sealed=lambda: sealed_shape[0],
        )
        # The rules that read the metrics while the unions are still measured
        # wait for them, after the others.
        verdicts: dict[str, RuleResult | None] = {}
        for entry in RULES:
            with contextlib.suppress(_MetricsPending):
                verdicts[entry.id] = CHECKS[entry.id](ctx)
        metrics = metrics_now()
        ctx = replace(ctx, measured=lambda: metrics)
        for entry in RULES:
            if entry.id not in verdicts:
                verdicts[entry.id] = CHECKS[entry.id](ctx)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    results = [v for v in (verdicts[entry.id] for entry in RULES) if v is not None]
    return CheckResult(lot=lot.id, metrics=metrics, rules=tuple(results), stalls_by_surface=stalls)


# Vertices from which a union is measured in a thread beside the rules.
_UNION_IN_THREAD_FROM = 20_000


# Vertices from which the thread measures the unions' areas with union_area
# rather than uniting with GEOS: GEOS releases the GIL for the whole union,
# the numpy merges only in their array operations, so below this the rules
# beside the thread would wait on them for less than GEOS takes (1,000 stacked
# 60-vertex stars: GEOS; 1,000 stacked 300-vertex car parks: union_area).
_AREAS_ONLY_FROM = 150_000


def _vertices(polys: np.ndarray | None) -> int:
    return int(shapely.get_num_coordinates(polys).sum()) if polys is not None and len(polys) else 0


# The buildings' union's area, every shape's union's area in the lot, and that
# union itself (None: not asked for).
_Unions = tuple[float | None, float | None, BaseGeometry | None]


def _union_areas(
    b_polys: np.ndarray | None,
    all_polys: np.ndarray | None,
    lot: BaseGeometry | None,
    *,
    areas_only: bool = False,
) -> _Unions:
    """The area of the union of ``b_polys`` (the buildings, when two of them
    overlap) and that of the union of ``all_polys`` (every shape, when two
    overlap or one leaves the lot) inside ``lot`` (None: every shape is inside
    it), with that union (the green share's shape at fault); None for a union
    not asked for. ``areas_only``: the areas by :func:`union_area` (GEOS when
    it cannot decide), and no union (None)."""
    if areas_only and _vertices(all_polys if all_polys is not None else b_polys) >= _AREAS_ONLY_FROM:
        return _fast_union_areas(b_polys, all_polys, lot)
    b_union = _union(b_polys) if b_polys is not None else None
    footprint_m2 = float(b_union.area) if b_union is not None else None
    if all_polys is None:
        return footprint_m2, None, None
    # The buildings' union, when measured, is not measured again (a stack of
    # 1,000 concave outlines takes GEOS a second).
    nb = len(b_polys) if b_polys is not None else 0
    sealed = _union(all_polys) if b_union is None else _union([b_union, *all_polys[nb:]])
    # Inside the lot, the union's area is its area in the lot.
    if lot is not None:
        sealed = sealed.intersection(lot)
    return footprint_m2, float(sealed.area), sealed


def _fast_union_areas(
    b_polys: np.ndarray | None, all_polys: np.ndarray | None, lot: BaseGeometry | None
) -> _Unions:
    """The areas of :func:`_union_areas` without building a union: a stack of
    1,000 concave outlines has a union of 300,000 vertices that GEOS builds in
    seconds; its area is a sum over the boundary (SPEC §3 needs the area)."""
    footprint_m2 = None
    if b_polys is not None:
        footprint_m2 = union_area(b_polys)
        if footprint_m2 is None:  # touching or shared outlines: GEOS decides
            footprint_m2 = float(_union(b_polys).area)
    if all_polys is None:
        return footprint_m2, None, None
    if b_polys is not None and footprint_m2 is not None and lot is None and len(all_polys) == len(b_polys):
        return footprint_m2, footprint_m2, None  # buildings only: the same union
    sealed_m2 = union_area(all_polys, lot)
    if sealed_m2 is None:
        sealed = _union(all_polys)
        sealed = sealed if lot is None else sealed.intersection(lot)
        return footprint_m2, float(sealed.area), sealed
    return footprint_m2, sealed_m2, None


class _MetricsPending(Exception):
    """A rule read the metrics before the unions were measured: it runs again later."""


# ------------------------------------------------------------------ rules


@dataclass(frozen=True)
class CheckContext:
    """What every check may read: the project, its lot and the shared measures.

    ``all_polys``/``all_ids`` hold the buildings first (``b_polys``), then the
    surfaces (``s_polys``); ``overlapping`` are the intersecting index pairs of
    ``all_polys``, ``areas`` their areas, ``discs()`` a disc inside each of them
    (centres, radii) and ``required`` the stalls each building needs;
    ``draw`` says whether failing rules give their geometry at fault.
    ``metrics`` are read through ``measured()``, None while the unions are
    measured in a thread.
    """

    project: Project
    rules: RuleSet
    lot_geometry: LotGeometry
    measured: Callable[[], Metrics | None]
    buildings: Sequence[Building]
    b_polys: np.ndarray
    s_polys: np.ndarray
    all_polys: np.ndarray
    all_ids: list[str]
    areas: np.ndarray
    covered: np.ndarray
    overlapping: np.ndarray
    discs: Callable[[], tuple[np.ndarray, np.ndarray]]
    required: list[int]
    draw: bool = True
    sealed: Callable[[], BaseGeometry | None] = lambda: None

    @property
    def metrics(self) -> Metrics:
        """The project's metrics (the unions' areas may still be measured in
        a thread: then the rule reading them is put off until they are)."""
        m = self.measured()
        if m is None:
            raise _MetricsPending
        return m


Check = Callable[[CheckContext], "RuleResult | None"]
CHECKS: dict[str, Check] = {}
"""One check function per entry of the rule table; None when the lot's rules
do not set that rule (or, for ``overlap``, when there is no surface)."""


def check(rule_id: str) -> Callable[[Check], Check]:
    """Register the check function of ``rule_id`` (an id of the rule table)."""
    if rule_id not in RULE_IDS:
        raise ValueError(f"{rule_id!r} is not in the rule table")

    def register(fn: Check) -> Check:
        CHECKS[rule_id] = fn
        return fn

    return register


@check("inside_lot")
def _check_inside_lot(c: CheckContext) -> RuleResult:
    return _inside_lot(c.lot_geometry, c.all_polys, c.all_ids, c.covered, c.draw)


@check("coverage")
def _check_coverage(c: CheckContext) -> RuleResult | None:
    if c.rules.max_coverage is None:
        return None
    return _coverage(c.metrics, c.rules.max_coverage, c.buildings, c.b_polys, c.draw)


@check("height")
def _check_height(c: CheckContext) -> RuleResult | None:
    if c.rules.max_height_m is None:
        return None
    return _height(c.buildings, c.b_polys, c.rules.max_height_m, c.draw)


@check("road_setback")
def _check_road_setback(c: CheckContext) -> RuleResult | None:
    return _road_setback(c.lot_geometry, c.buildings, c.b_polys, c.rules, c.draw)


@check("side_setback")
def _check_side_setback(c: CheckContext) -> RuleResult | None:
    if c.rules.side_setback_for(0.0) is None:
        return None
    return _side_setback(c.lot_geometry, c.buildings, c.b_polys, c.rules, c.draw)


@check("building_spacing")
def _check_building_spacing(c: CheckContext) -> RuleResult | None:
    if c.rules.min_building_spacing_m is None:
        return None
    return _building_spacing(c.buildings, c.b_polys, c.rules.min_building_spacing_m, c.discs, c.draw)


@check("green_ratio")
def _check_green_ratio(c: CheckContext) -> RuleResult | None:
    if c.rules.min_green_ratio is None:
        return None
    metrics = c.metrics  # first: the union in the lot is measured with the metrics

    def sealed() -> BaseGeometry:
        shape = c.sealed()
        if shape is None:
            shape = _union(c.all_polys)
            # A union of shapes all in the lot is in the lot.
            shape = shape if c.covered.all() else shape.intersection(c.lot_geometry.polygon)
        return shape

    return _green_ratio(metrics, c.rules.min_green_ratio, c.all_ids, sealed, c.draw)


@check("parking")
def _check_parking(c: CheckContext) -> RuleResult | None:
    if c.rules.parking_m2_per_stall is None:
        return None
    return _parking(c.project, c.metrics, c.required, c.s_polys, c.b_polys, c.draw)


@check("floor_area")
def _check_floor_area(c: CheckContext) -> RuleResult | None:
    if c.rules.max_floor_area_m2 is None:
        return None
    return _floor_area(c.metrics, c.rules.max_floor_area_m2, c.buildings, c.b_polys, c.draw)


@check("overlap")
def _check_overlap(c: CheckContext) -> RuleResult | None:
    if not len(c.s_polys):
        return None
    return _overlap(c.all_polys, c.all_ids, len(c.b_polys), c.overlapping, c.areas, c.draw)


def _overlapping_pairs(polys: np.ndarray, discs: Callable[[], tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Index pairs (i < j) of shapes whose interiors may overlap (they intersect);
    ``discs()`` gives the shapes' inscribed discs."""
    pairs = _candidate_pairs(polys, 0.0)
    if not pairs.shape[1]:
        return pairs
    # Pairs whose inscribed discs overlap intersect: only the others are tested
    # (a stack of 1,000 shapes is half a million pairs).
    if pairs.shape[1] <= _PROVE_PAIRS_FROM:
        return pairs[:, shapely.intersects(polys[pairs[0]], polys[pairs[1]])]
    centres, radii = discs()
    hit = _proven_overlaps(centres, radii, pairs[0], pairs[1])
    rest = np.flatnonzero(~hit)
    if len(rest):
        hit[rest] = shapely.intersects(polys[pairs[0][rest]], polys[pairs[1][rest]])
    return pairs[:, hit]


def _max_rule(
    rule_id: str, value: float, limit: float, tol: float, unit: str, items, geometry, draw: bool = True
) -> RuleResult:
    """A rule whose value must stay at most ``limit``; ``geometry`` is a callable
    giving the geometry at fault, called only when the rule fails and ``draw``."""
    ok = value <= limit + tol
    return RuleResult(
        id=rule_id,
        ok=ok,
        value=value,
        limit=limit,
        margin=limit - value,
        unit=unit,
        items=() if ok else tuple(items),
        message_key=f"{rule_id}.{'ok' if ok else 'fail'}",
        geometry=None if ok or not draw else geometry(),
    )


def _inside_lot(
    lg: LotGeometry, polys: np.ndarray, ids: list[str], covered: np.ndarray, draw: bool = True
) -> RuleResult:
    if len(polys) == 0:
        return RuleResult("inside_lot", True, 0.0, 0.0, 0.0, "m2", message_key="inside_lot.ok")
    outside = np.zeros(len(polys))
    parts = []
    for i in np.flatnonzero(~covered):
        part = polys[i].difference(lg.polygon)
        outside[i] = part.area
        if outside[i] > TOL_AREA:
            parts.append(part)
    worst = float(outside.max())
    items = [ids[i] for i in np.flatnonzero(outside > TOL_AREA)]
    return _max_rule("inside_lot", worst, 0.0, TOL_AREA, "m2", items, lambda: _collect(parts), draw)


def _coverage(metrics: Metrics, limit: float, buildings, b_polys, draw: bool = True) -> RuleResult:
    ids = [b.id for b in buildings]
    return _max_rule(
        "coverage", metrics.coverage, limit, TOL_RATIO, "ratio", ids, lambda: _collect(b_polys), draw
    )


def _height(buildings: Sequence[Building], polys: np.ndarray, limit: float, draw: bool = True) -> RuleResult:
    if not buildings:
        return RuleResult("height", True, None, limit, None, "m", message_key="height.none")
    heights = np.array([b.height_m for b in buildings])
    i = int(np.argmax(heights))
    bad = np.flatnonzero(heights > limit + TOL_LENGTH)
    return _max_rule(
        "height",
        float(heights[i]),
        limit,
        TOL_LENGTH,
        "m",
        [buildings[int(j)].id for j in bad],
        lambda: _collect(polys[bad]),
        draw,
    )


def _road_setback(
    lg: LotGeometry, buildings, polys: np.ndarray, rules: RuleSet, draw: bool = True
) -> RuleResult | None:
    if not len(lg.roads):
        if rules.min_setback_road_m is None:
            return None
        return RuleResult(
            "road_setback", True, None, rules.min_setback_road_m, None, "m", message_key="road_setback.none"
        )
    if not buildings:
        limit = float(lg.road_setbacks.max())
        return RuleResult("road_setback", True, None, limit, None, "m", message_key="road_setback.none")
    dist = shapely.distance(polys[:, None], lg.road_geoms[None, :])
    margin = dist - lg.road_setbacks[None, :]
    bi, ri = np.unravel_index(int(np.argmin(margin)), margin.shape)
    value = float(dist[bi, ri])
    limit = float(lg.road_setbacks[ri])
    ok = value >= limit - TOL_LENGTH
    fail = margin < -TOL_LENGTH
    items: list[str] = []
    parts = []
    if not ok:
        for j in np.flatnonzero(fail.any(axis=1)):
            items.append(buildings[j].id)
        for k in np.flatnonzero(fail.any(axis=0)):
            items.append(lg.roads[k].id)
        for j, k in zip(*np.nonzero(fail)) if draw else ():
            band = lg.road_geoms[k].buffer(float(lg.road_setbacks[k]), quad_segs=8)
            parts.append(polys[j].intersection(band))
    return RuleResult(
        "road_setback",
        ok,
        value,
        limit,
        value - limit,
        "m",
        tuple(items),
        message_key=f"road_setback.{'ok' if ok else 'fail'}",
        message_fields={"road": lg.roads[ri].label},
        geometry=_collect(parts) if parts else None,
    )


def _side_setback(
    lg: LotGeometry, buildings, polys: np.ndarray, rules: RuleSet, draw: bool = True
) -> RuleResult:
    if not buildings or lg.side_boundary.is_empty:
        limit = rules.side_setback_for(max((b.height_m for b in buildings), default=0.0))
        return RuleResult("side_setback", True, None, limit, None, "m", message_key="side_setback.none")
    limits = np.array([rules.side_setback_for(b.height_m) for b in buildings], dtype=float)
    dist = shapely.distance(polys, lg.side_boundary)
    margin = dist - limits
    i = int(np.argmin(margin))
    ok = bool(margin[i] >= -TOL_LENGTH)
    bad = np.flatnonzero(margin < -TOL_LENGTH)
    parts = []
    if len(bad) and draw:
        # One band per distinct limit, not one per building; the part of an
        # outline of many vertices inside it is drawn from its hull, as the
        # spacing rule does (GEOS intersects a jagged outline with a band in
        # a tenth of a second).
        drawn = polys[bad]
        jagged = shapely.get_num_coordinates(drawn) > _MAX_BAND_VERTICES
        drawn[jagged] = shapely.convex_hull(drawn[jagged])
        bands = {d: lg.side_boundary.buffer(d, quad_segs=8) for d in np.unique(limits[bad]).tolist()}
        band_of = np.empty(len(bad), dtype=object)
        band_of[:] = [bands[d] for d in limits[bad].tolist()]
        parts = list(shapely.intersection(drawn, band_of))
    return RuleResult(
        "side_setback",
        ok,
        float(dist[i]),
        float(limits[i]),
        float(margin[i]),
        "m",
        tuple(buildings[j].id for j in bad),
        message_key=f"side_setback.{'ok' if ok else 'fail'}",
        geometry=_collect(parts) if parts else None,
    )


_ALL_PAIRS_UP_TO = 40
_ALL_PAIRS_VERTICES = 4_000
# Two shapes each holding a disc, the discs overlapping deeply enough to hold a
# disc of this radius between them, share more than TOL_AREA (π·0.06² ≈ 0.0113 m²):
# no polygon operation is needed to know it.
_PROOF_RADIUS = 0.06
# Below this many pairs, testing each costs less than measuring the discs.
_PROVE_PAIRS_FROM = 64
# The geometry at fault is only drawn: past this many failing pairs (a layout
# failing everywhere) the first ones are enough to show where.
MAX_DRAWN_PAIRS = 500
_MAX_BAND_VERTICES = 500


def _inscribed_discs(polys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A disc inside each polygon: centres ``(n, 2)`` and radii ``(n,)``."""
    centres = shapely.point_on_surface(polys)
    radii = shapely.distance(centres, shapely.boundary(polys))
    return shapely.get_coordinates(centres), np.nan_to_num(radii)


def _proven_overlaps(centres: np.ndarray, radii: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs whose inscribed discs share a disc of radius _PROOF_RADIUS."""
    gap = np.hypot(centres[i, 0] - centres[j, 0], centres[i, 1] - centres[j, 1])
    return gap <= radii[i] + radii[j] - 2.0 * _PROOF_RADIUS


def _building_spacing(
    buildings,
    polys: np.ndarray,
    spacing: float,
    discs: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None,
    draw: bool = True,
) -> RuleResult:
    """``discs()``, when given, holds the buildings' inscribed discs first (the
    check's, measured once for every shape); ``draw``: whether to give the
    geometry at fault."""
    n = len(buildings)
    none = RuleResult("building_spacing", True, None, spacing, None, "m", message_key="building_spacing.none")
    if n < 2:
        return none
    # Look for the closest pair that is not joined, widening the search until
    # one is found or every pair has been seen.
    # Few buildings: every pair in one vectorised call beats any tree search
    # (unless they have many vertices: GEOS's exact distance measures every
    # segment against every other).
    if n <= _ALL_PAIRS_UP_TO and int(shapely.get_num_coordinates(polys).sum()) <= _ALL_PAIRS_VERTICES:
        reach = radius = math.inf
    else:
        extent = shapely.total_bounds(polys)
        reach = math.hypot(extent[2] - extent[0], extent[3] - extent[1]) + 1.0
        radius = spacing + TOL_LENGTH
    # Few buildings: measuring every pair costs less than proving overlaps.
    prove = n > _ALL_PAIRS_UP_TO
    if prove:
        centres, radii = discs() if discs is not None else _inscribed_discs(polys)
        centres, radii = centres[:n], radii[:n]
    while True:
        pairs = np.array(np.triu_indices(n, 1)) if radius >= reach else _candidate_pairs(polys, radius)
        # Pairs surely overlapping (stacked buildings: up to n²/2 of them) cost
        # no polygon operation; only the others are measured.
        if prove:
            proven = _proven_overlaps(centres, radii, pairs[0], pairs[1])
        else:
            proven = np.zeros(pairs.shape[1], dtype=bool)
        dist = np.zeros(pairs.shape[1])
        overlap = np.where(proven, np.inf, 0.0)  # inf: more than TOL_AREA, measured when needed
        rest = np.flatnonzero(~proven)
        if len(rest) and radius < reach:
            # Exact distances only for the pairs within the search radius
            # (an indexed test for polygons of many vertices).
            far = ~within(polys[pairs[0][rest]], polys[pairs[1][rest]], radius)
            dist[rest[far]] = math.inf
            rest = rest[~far]
        if len(rest):
            dist[rest] = _spacing_distances(polys[pairs[0][rest]], polys[pairs[1][rest]], spacing)
        if radius < reach:  # only the pairs within the search radius
            keep = dist <= radius
            pairs, dist, overlap, proven = pairs[:, keep], dist[keep], overlap[keep], proven[keep]
        near = np.flatnonzero((dist <= TOL_LENGTH) & ~proven)
        if len(near):
            overlap[near] = shapely.area(shapely.intersection(polys[pairs[0][near]], polys[pairs[1][near]]))
        joined = (dist <= TOL_LENGTH) & (overlap <= TOL_AREA)
        candidates = np.flatnonzero(~joined)
        if len(candidates) or radius >= reach:
            break
        radius = min(radius * 4.0, reach)
    if not len(candidates):
        return none
    margin = dist - spacing
    k = candidates[int(np.argmin(margin[candidates]))]
    value = float(dist[k])
    failing = candidates[margin[candidates] < -TOL_LENGTH]
    ok = not len(failing)
    # Every failing pair at once: the ids in the order of the pairs (a set
    # lookup, not a list), the overlaps and the parts of each building inside
    # the other's spacing band (each building buffered once, not once a pair).
    fi, fj = pairs[0][failing], pairs[1][failing]
    flat = np.column_stack([fi, fj]).ravel()
    _, first = np.unique(flat, return_index=True)
    items = [buildings[int(x)].id for x in flat[np.sort(first)]]
    parts = []
    if len(failing) and draw:
        drawn = slice(0, MAX_DRAWN_PAIRS)
        di, dj, over = fi[drawn], fj[drawn], overlap[failing][drawn] > TOL_AREA
        if over.any():
            parts.extend(shapely.intersection(polys[di[over]], polys[dj[over]]))
        apart = ~over
        if apart.any():
            ai, aj = di[apart], dj[apart]
            used = np.unique(np.concatenate([ai, aj]))
            bands = np.empty(len(polys), dtype=object)
            # The band of a polygon of many vertices is drawn around its hull:
            # GEOS buffers a 10,000-vertex jagged outline in minutes.
            outline = polys[used]
            jagged = shapely.get_num_coordinates(outline) > _MAX_BAND_VERTICES
            outline[jagged] = shapely.convex_hull(outline[jagged])
            bands[used] = shapely.buffer(outline, spacing, quad_segs=8)
            # Likewise the part inside the other's band is drawn from the hull of
            # such an outline (GEOS intersects it with a band in seconds).
            drawn_shape = polys.copy()
            drawn_shape[used] = outline
            parts.extend(shapely.intersection(drawn_shape[ai], bands[aj]))
            parts.extend(shapely.intersection(drawn_shape[aj], bands[ai]))
    if len(failing) and not np.isfinite(overlap[k]):
        overlap[k] = shapely.area(shapely.intersection(polys[pairs[0][k]], polys[pairs[1][k]]))
    key = "ok"
    fields: dict[str, object] = {}
    if not ok:
        worst_overlap = float(overlap[k])
        if worst_overlap > TOL_AREA:
            key = "overlap"
            fields["overlap"] = Quantity(worst_overlap, "m2")
        else:
            key = "fail"
    return RuleResult(
        "building_spacing",
        ok,
        value,
        spacing,
        value - spacing,
        "m",
        tuple(items),
        message_key=f"building_spacing.{key}",
        message_fields=fields,
        geometry=_collect(parts) if parts else None,
    )


_HEAVY_PAIR = 250_000


def _spacing_distances(a: np.ndarray, b: np.ndarray, spacing: float) -> np.ndarray:
    """The distances the spacing rule needs, pair by pair: ``shapely.distance``,
    except for pairs of polygons of many vertices (GEOS's exact distance tries
    every segment against every other: 0.1 s and more a pair of 10,000-vertex
    outlines).

    Among those, only the least distance and the pairs within 0.01 m are
    measured; the others get a stand-in above the least, on the same side of the
    rule's limit (``d − spacing < −0.01``) as their distance, which indexed
    tests (``dwithin`` on prepared polygons) tell. The rule uses no more: its
    value is the least distance, its items the pairs over the limit.
    """
    out = np.empty(len(a))
    heavy = shapely.get_num_coordinates(a) * shapely.get_num_coordinates(b) > _HEAVY_PAIR
    if spacing <= 3.0 * TOL_LENGTH:
        heavy[:] = False
    light = np.flatnonzero(~heavy)
    if len(light):
        out[light] = shapely.distance(a[light], b[light])
    h = np.flatnonzero(heavy)
    if not len(h):
        return out
    ha, hb = a[h], b[h]
    exact = within(ha, hb, TOL_LENGTH)
    out[h[exact]] = shapely.distance(ha[exact], hb[exact])
    rest = np.flatnonzero(~exact)
    if not len(rest):
        return out
    # The least distance: measure the pair whose boxes are closest, then any
    # pair strictly closer than the least so far; pairs as close are ties.
    box_a, box_b = shapely.bounds(ha[rest]), shapely.bounds(hb[rest])
    gap = np.maximum(
        np.maximum(box_b[:, 0] - box_a[:, 2], box_a[:, 0] - box_b[:, 2]),
        np.maximum(box_b[:, 1] - box_a[:, 3], box_a[:, 1] - box_b[:, 3]),
    )
    first = rest[int(np.argmin(gap))]
    least = float(shapely.distance(ha[first], hb[first]))
    measured = {int(first)}
    while True:
        closer = rest[within(ha[rest], hb[rest], float(np.nextafter(least, -math.inf)))]
        closer = np.array([k for k in closer if int(k) not in measured], dtype=int)
        if not len(closer):
            break
        d = shapely.distance(ha[closer], hb[closer])
        measured.update(int(k) for k in closer)
        least = min(least, float(d.min()))
    ties = within(ha[rest], hb[rest], least)
    # The largest distance still under the limit.
    limit = spacing - TOL_LENGTH
    while limit - spacing >= -TOL_LENGTH:
        limit = float(np.nextafter(limit, -math.inf))
    while float(np.nextafter(limit, math.inf)) - spacing < -TOL_LENGTH:
        limit = float(np.nextafter(limit, math.inf))
    failing = within(ha[rest], hb[rest], limit)
    above = max(float(np.nextafter(limit, math.inf)), float(np.nextafter(least, math.inf)))
    out[h[rest]] = np.where(ties, least, np.where(failing, limit, above))
    return out


def _green_ratio(
    metrics: Metrics, limit: float, ids: list[str], sealed: Callable[[], BaseGeometry], draw: bool = True
) -> RuleResult:
    """``sealed()``: the union of every shape in the lot, the shape at fault."""
    value = metrics.green_ratio
    ok = value >= limit - TOL_RATIO
    return RuleResult(
        "green_ratio",
        ok,
        value,
        limit,
        value - limit,
        "ratio",
        () if ok else tuple(ids),
        message_key=f"green_ratio.{'ok' if ok else 'fail'}",
        geometry=None if ok or not draw else sealed(),
    )


def _parking(
    project: Project, metrics: Metrics, required: list[int], s_polys, b_polys, draw: bool = True
) -> RuleResult:
    provided, needed = metrics.parking_provided, metrics.parking_required
    ok = provided >= needed
    items: tuple[str, ...] = ()
    geometry = None
    if not ok:
        items = tuple(b.id for b, r in zip(project.buildings, required) if r > 0)
        if draw:
            parking = [p for p, s in zip(s_polys, project.surfaces) if s.kind == "parking"]
            geometry = _collect(parking) if parking else _collect(b_polys)
    return RuleResult(
        "parking",
        ok,
        float(provided),
        float(needed),
        float(provided - needed),
        "stalls",
        items,
        message_key=f"parking.{'ok' if ok else 'fail'}",
        geometry=geometry,
    )


def _floor_area(metrics: Metrics, limit: float, buildings, b_polys, draw: bool = True) -> RuleResult:
    ids = [b.id for b in buildings]
    return _max_rule(
        "floor_area", metrics.floor_area_m2, limit, TOL_AREA, "m2", ids, lambda: _collect(b_polys), draw
    )


# Pairs intersected at once: the first ones found (which prune the others) and
# then, in the order of their bounds, until no pair left can beat the best.
# Small batches stop closer to the last pair that can (a stack of 1,000 jagged
# car parks: 580 intersections instead of 752 with batches of 256).
_OVERLAP_BATCH = 64
_OVERLAP_CHUNK = 65_536
_OVERLAP_DRAWN = 500


# The grids of the cell-by-cell overlap bound: a coarse one for every pair,
# finer ones, each twice the last, for the pairs left after the first
# intersections that a hull says little of, while they leave more than a batch
# to intersect: at most _FINE_CELLS pair × cell sums and _FINE_TABLE polygon ×
# cell areas a grid. The first is 64 cells across, not 32: a 32 grid over
# 1,000 jagged outlines cost more (0.4 s) than the pair × cell sums it spared
# on the 64 grid (25 million, 0.1 s).
_COARSE_GRID = 16
_FINE_GRIDS = (64, 128, 256)
_FINE_CELLS = 100_000_000
_FINE_TABLE = 70_000_000
# A hull (or its enclosing rectangle) this much larger than its shape gives a
# loose bound: such shapes are bounded on the grid instead.
_LOOSE_HULL = 1e-3


class _OverlapBounds:
    """Upper bounds of the area shared by pairs ``(pi[k], pj[k])`` of ``polys``,
    measured lazily: the grids and convex rings cost nothing for pairs the
    bounding boxes already settle."""

    def __init__(self, polys: np.ndarray, areas: np.ndarray, pi: np.ndarray, pj: np.ndarray) -> None:
        self.polys, self.areas, self.pi, self.pj = polys, areas, pi, pj
        self._hull: tuple[np.ndarray, np.ndarray] | None = None
        self._grid: np.ndarray | None = None
        self.coarse_s = 0.0  # the coarse grid's time a shape

    def _hulls(self) -> tuple[np.ndarray, np.ndarray]:
        """The convex rings, and which of them are loose around their shape."""
        if self._hull is None:
            rings = convex_rings(self.polys)
            self._hull = rings, ring_areas(rings) > self.areas * (1.0 + _LOOSE_HULL) + TOL_AREA
        return self._hull

    def _cells(self, shapes: np.ndarray, g: int) -> np.ndarray:
        """Cell areas (``cell_areas``) of ``shapes`` (indices), on a g × g grid over them."""
        table = np.zeros((len(self.polys), g * g))
        table[shapes] = cell_areas(self.polys[shapes], shapely.total_bounds(self.polys[shapes]), g)
        return table

    def coarse(self, k: np.ndarray, cheap: np.ndarray) -> np.ndarray:
        """Bounds of pairs ``k``, at most ``cheap``, on the coarse grid (one grid
        over every shape of a pair, in any chunk)."""
        if self._grid is None:
            shapes = np.unique(np.concatenate([self.pi, self.pj]))
            t0 = time.perf_counter()
            self._grid = self._cells(shapes, _COARSE_GRID)
            self.coarse_s = (time.perf_counter() - t0) / max(len(shapes), 1)
        return grid_overlap_bounds(self._grid, self.pi[k], self.pj[k], cheap)

    def refined(
        self, k: np.ndarray, bound: np.ndarray, floor: float, pair_s: float = math.inf
    ) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of ``k`` whose tighter bounds stay at or above ``floor``, and
        those bounds (at most ``bound``). Tighter: the area their convex hulls
        share where both hulls are close to their shapes, else a finer grid over
        their shapes, finer and finer while it leaves many. (The hull of a
        convex 60-gon, not the rectangle holding it, would be tighter, but
        clipping two such hulls in numpy costs what GEOS's intersection of the
        two shapes does.)

        A finer grid is made only while intersecting the pairs it would sort
        out (``pair_s`` seconds each, as timed on the first ones) would cost
        more than making it (twice the last grid's time, per shape): stacks of
        60-vertex stars intersect faster than a 256-cell grid is made, stacks
        of 300-vertex outlines the other way round. Only the time changes,
        never the answer."""
        rings, loose = self._hulls()
        i, j = self.pi[k], self.pj[k]
        out = bound.copy()
        on_grid = loose[i] | loose[j]
        hull = ~on_grid
        if hull.any():
            out[hull] = overlap_bounds(rings, i[hull], j[hull], bound[hull])
        g_k = np.flatnonzero(on_grid)
        varying = _COARSE_GRID**2
        grid_s = self.coarse_s  # the last grid's time a shape
        for g in _FINE_GRIDS:
            # Each finer grid only for the pairs the last one left.
            g_k = g_k[out[g_k] >= floor]
            n = len(g_k)
            varying = min(4 * varying, g * g)  # about 4 × the last grid's cells along the outlines
            if n <= _OVERLAP_BATCH or n * varying > _FINE_CELLS:
                break
            shapes, rows = np.unique(np.concatenate([i[g_k], j[g_k]]), return_inverse=True)
            if len(shapes) * g * g > _FINE_TABLE or n * pair_s < 2.0 * grid_s * len(shapes):
                break
            polys = self.polys[shapes]
            t0 = time.perf_counter()
            table, constant = grid_table(polys, shapely.total_bounds(polys), g)
            grid_s = (time.perf_counter() - t0) / len(shapes)
            varying = max(table.shape[1], 1)
            out[g_k] = table_overlap_bounds(table, constant, rows[:n], rows[n:], out[g_k])
        alive = out >= floor
        return k[alive], out[alive]


def _beats(best: tuple[float, int, int], bound: float, i: int, j: int) -> bool:
    """Whether ``best`` (shared area, i, j) stays the worst case against any pair
    (i, j) sharing at most ``bound``: larger, or as large and first."""
    return best[0] > bound or (best[0] == bound and best[1:] < (i, j))


def _overlap(
    polys: np.ndarray, ids: list[str], nb: int, pairs: np.ndarray, areas: np.ndarray, draw: bool = True
) -> RuleResult:
    """No surface may overlap a building or another surface (SPEC §3 ``overlap``).

    ``pairs`` are the intersecting index pairs (i < j) of ``polys`` (buildings
    first, ``nb`` of them, then surfaces); building-building pairs are the
    spacing rule's. The worst case is the pair sharing the largest area, the
    first in the order of the project's items among equals.

    A stack of 1,000 surfaces is half a million pairs: they are not all
    intersected. Each pair gets an upper bound of what it can share: first the
    smaller shape's area and the area shared by the bounding boxes, then, chunk
    by chunk in that bound's order, the cell-by-cell bound of a grid over the
    shapes; the most promising pairs are intersected and the others that may
    still beat them get the area their convex hulls share (exact for
    rectangles) or, where a hull says little (a concave outline, a hull of many
    vertices), the bound of a finer grid. Pairs are intersected in
    the order of their bounds and the search stops once no pair left can beat the best one.
    """
    keep = pairs[1] >= nb  # the second shape of the pair is a surface
    pairs = pairs[:, keep]
    if not pairs.shape[1]:
        return RuleResult("overlap", True, 0.0, 0.0, 0.0, "m2", message_key="overlap.ok")
    pi, pj = pairs
    smaller = np.minimum(areas[pi], areas[pj])
    box = shapely.bounds(polys)
    w = np.minimum(box[pi, 2], box[pj, 2]) - np.maximum(box[pi, 0], box[pj, 0])
    h = np.minimum(box[pi, 3], box[pj, 3]) - np.maximum(box[pi, 1], box[pj, 1])
    boxes = np.clip(w, 0.0, None) * np.clip(h, 0.0, None)
    # A hair above: GEOS's shared area of a shape inside another is its area, to float noise.
    cheap = np.minimum(smaller, boxes) * (1.0 + 1e-9) + 1e-9
    order = np.lexsort((pj, pi, -cheap))
    bounds = _OverlapBounds(polys, areas, pi, pj)
    best = (-1.0, 0, 0)  # (shared area, i, j)

    timed = [0.0, 0]  # seconds and pairs intersected

    def intersect(idx: np.ndarray) -> None:
        nonlocal best
        t0 = time.perf_counter()
        shared = shapely.area(shapely.intersection(polys[pi[idx]], polys[pj[idx]]))
        timed[0] += time.perf_counter() - t0
        timed[1] += len(idx)
        for k, a in zip(idx, shared):
            cand = (float(a), int(pi[k]), int(pj[k]))
            if cand[0] > best[0] or (cand[0] == best[0] and cand[1:] < best[1:]):
                best = cand

    def by_bound(k: np.ndarray, bound: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sub = np.lexsort((pj[k], pi[k], -bound))
        return k[sub], bound[sub]

    # The bounds of every pair that may beat the best, chunk by chunk in the
    # order of the cheap bound; the first chunk's most promising pairs are
    # intersected at once, so that the best found prunes the other chunks.
    found_k, found_b = [], []
    for start in range(0, len(order), _OVERLAP_CHUNK):
        head = int(order[start])
        if _beats(best, float(cheap[head]), int(pi[head]), int(pj[head])):
            break
        chunk = order[start : start + _OVERLAP_CHUNK]
        chunk, bound = by_bound(chunk, bounds.coarse(chunk, cheap[chunk]))
        if best[0] < 0.0:
            intersect(chunk[:_OVERLAP_BATCH])
            chunk, bound = chunk[_OVERLAP_BATCH:], bound[_OVERLAP_BATCH:]
        alive = bound >= best[0]
        found_k.append(chunk[alive])
        found_b.append(bound[alive])
    cand = np.concatenate(found_k) if found_k else np.zeros(0, dtype=int)
    bound = np.concatenate(found_b) if found_b else np.zeros(0)
    alive = bound >= best[0]
    cand, bound = cand[alive], bound[alive]
    # The pairs still in the running: tighter bounds.
    cand, bound = bounds.refined(cand, bound, best[0], timed[0] / max(timed[1], 1))
    cand, bound = by_bound(cand, bound)
    for b0 in range(0, len(cand), _OVERLAP_BATCH):
        k0 = int(cand[b0])
        if _beats(best, float(bound[b0]), int(pi[k0]), int(pj[k0])):
            break
        intersect(cand[b0 : b0 + _OVERLAP_BATCH])
    value, i, j = best

    def at_fault() -> BaseGeometry:
        # The shared parts of the failing pairs, the largest first, at most a few hundred drawn.
        parts = []
        for start in range(0, len(order), _OVERLAP_BATCH):
            idx = order[start : start + _OVERLAP_BATCH]
            shared = shapely.intersection(polys[pi[idx]], polys[pj[idx]])
            parts.extend(shared[shapely.area(shared) > TOL_AREA])
            if len(parts) >= _OVERLAP_DRAWN:
                break
        return _collect(parts[:_OVERLAP_DRAWN])

    return _max_rule("overlap", value, 0.0, TOL_AREA, "m2", [ids[i], ids[j]], at_fault, draw)
