"""The illustrative layout of the ZAC de la Belle Assise, built from code.

Everything the demo site shows comes from :func:`build_layout`: the vector
layers written to ``plots/belle-assise`` (lots, roads, existing buildings,
landscape) *and* the details only the aerial image shows (fields, trees,
parking stalls, vehicles, roof equipment). Both use the same shapely
geometries, so the image and the vectors match exactly.

The park is designed in a local frame (``u`` east-ish, ``v`` north-ish, metres,
origin at the south-west corner of the park) and turned by :data:`ROTATION_DEG`
into Lambert-93 around :data:`CENTRE_L93`, because a real park is never aligned
with the map grid. The RD 916 runs along the west side; a roundabout gives
access to an entrance avenue and a loop road, and a cul-de-sac with a turning
head serves the deep lots to the east.

All of it is ILLUSTRATIVE: it must be replaced by the real cadastre and the
real règlement du PLU (see ``docs/DATA.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import shapely
from shapely import affinity, ops
from shapely.geometry import LinearRing, LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from zacviz.geometry.parking import layout_polygon

CRS = "EPSG:2154"
CENTRE_L93 = (649_100.0, 6_948_400.0)
ROTATION_DEG = 7.0
# Local point mapped onto CENTRE_L93 (the middle of the park).
_LOCAL_CENTRE = (350.0, 240.0)
SEED = 20_240_611

# Sun for the image and its shadows: from the south-south-east, late morning in
# early June, when survey flights such as BD ORTHO's are flown.
SUN_AZIMUTH_DEG = 157.5
SUN_ELEVATION_DEG = 50.0

# Zone UE: ILLUSTRATIVE values, to be replaced by the real règlement du PLU.
ZONE_UE: dict[str, object] = {
    "max_coverage": 0.6,
    "max_height_m": 15.0,
    "min_setback_road_m": 10.0,
    "min_setback_side_m": 5.0,
    "side_setback_height_ratio": 0.5,
    "min_building_spacing_m": 6.0,
    "min_green_ratio": 0.15,
    "parking_m2_per_stall": {"office": 40, "workshop": 100, "warehouse": 250, "retail": 30},
}
RD_SETBACK_M = 35.0
_ARC_SEGMENTS = 12  # per quarter circle; arcs every ~3 m on the roads


# ---------------------------------------------------------------- data types


@dataclass(frozen=True)
class LotSpec:
    """A lot: its polygon and GeoJSON properties."""

    id: str
    polygon: Polygon
    status: str
    price_eur_m2: float
    name: str | None = None
    extra: dict[str, float] = field(default_factory=dict)
    # How the image shows an unbuilt lot: "fallow", "mown", "crop", "earthworks".
    ground: str = "fallow"


@dataclass(frozen=True)
class RoadSpec:
    id: str
    name: str
    polygon: Polygon
    setback_m: float | None = None


@dataclass(frozen=True)
class LandscapeSpec:
    id: str
    kind: str  # green_strip | basin | hedge
    polygon: Polygon
    name: str | None = None


@dataclass(frozen=True)
class RoofDetail:
    """Something on a roof: a skylight, a smoke vent, a plant unit, a solar array."""

    kind: str  # skylight | vent | unit | solar
    polygon: Polygon
    height_m: float  # above the roof


@dataclass(frozen=True)
class BuildingSpec:
    """An existing building (context layer) and how its roof looks."""

    id: str
    lot_id: str
    name: str
    polygon: Polygon
    height_m: float
    roof: str  # steel | membrane | gravel (flat, with a parapet) | tiles | fibre (pitched)
    ridge_axis_deg: float | None = None  # pitched roofs: direction of the ridge
    details: tuple[RoofDetail, ...] = ()


@dataclass(frozen=True)
class Surface:
    """Ground the image paints: ``kind`` is a material name of the painter."""

    kind: str
    polygon: BaseGeometry


@dataclass(frozen=True)
class Field:
    """A farmed field around (or still on) the park."""

    polygon: BaseGeometry
    crop: str
    row_angle_deg: float  # direction of the drill rows, counter-clockwise from east
    tramline_m: float
    seed: int


@dataclass(frozen=True)
class Vehicle:
    polygon: Polygon
    kind: str  # car | van | truck
    colour: tuple[int, int, int]
    height_m: float
    angle_deg: float


@dataclass(frozen=True)
class Layout:
    """Everything the demo site is made of, in Lambert-93 metres."""

    lots: list[LotSpec]
    roads: list[RoadSpec]
    landscape: list[LandscapeSpec]
    buildings: list[BuildingSpec]
    fields: list[Field]
    surfaces: list[Surface]  # drawn in order, over the lots and landscape
    markings: list[BaseGeometry]  # white paint
    yellow_markings: list[BaseGeometry]
    trees: np.ndarray  # (n, 5): x, y, crown radius, height, tint in [-1, 1]
    vehicles: list[Vehicle]
    poles: np.ndarray  # (n, 3): x, y, height (street lights)
    stacks: list[tuple[Polygon, tuple[int, int, int], float]]  # stored materials
    # Image-only road continuations (RD 916 beyond the park, the rural lane).
    outer_roads: list[Surface]
    # Buildings off the park (image only, not in the context layer).
    farm: list[BuildingSpec]
    # Fences round the sold lots (lines).
    fences: list[BaseGeometry]
    # Dug ground (the basin): outline, depth and width of the banks, metres.
    hollows: list[tuple[BaseGeometry, float, float]]

    def bounds(self) -> tuple[float, float, float, float]:
        """Extent of the lots and roads, as ``Site.bounds`` computes it."""
        b = shapely.total_bounds([lot.polygon for lot in self.lots] + [r.polygon for r in self.roads])
        return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))


# ------------------------------------------------------------------- frames


def _to_world_matrix() -> list[float]:
    a = math.radians(ROTATION_DEG)
    c, s = math.cos(a), math.sin(a)
    uc, vc = _LOCAL_CENTRE
    x0, y0 = CENTRE_L93
    return [c, -s, s, c, x0 - c * uc + s * vc, y0 - s * uc - c * vc]


def to_world(geom: BaseGeometry) -> BaseGeometry:
    """A local-frame geometry in Lambert-93."""
    return affinity.affine_transform(geom, _to_world_matrix())


def world_xy(u: np.ndarray | float, v: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Local coordinates to Lambert-93 (vectorised)."""
    m = _to_world_matrix()
    u = np.asarray(u, float)
    v = np.asarray(v, float)
    return m[0] * u + m[1] * v + m[4], m[2] * u + m[3] * v + m[5]


def _disk(cx: float, cy: float, r: float) -> Polygon:
    return Point(cx, cy).buffer(r, quad_segs=_ARC_SEGMENTS)


def _rounded_rect(u0: float, v0: float, u1: float, v1: float, r: float) -> Polygon:
    return box(u0 + r, v0 + r, u1 - r, v1 - r).buffer(r, quad_segs=_ARC_SEGMENTS)


def _closing(geom: BaseGeometry, r: float) -> BaseGeometry:
    """Fill concave corners with arcs of radius ``r`` (kerb returns at junctions)."""
    return geom.buffer(r, quad_segs=_ARC_SEGMENTS).buffer(-r, quad_segs=_ARC_SEGMENTS)


def _largest(geom: BaseGeometry) -> Polygon:
    parts = list(getattr(geom, "geoms", [geom]))
    return max((p for p in parts if isinstance(p, Polygon)), key=lambda p: p.area)


def _parts(geom: BaseGeometry, min_area: float = 1.0) -> list[Polygon]:
    return [p for p in getattr(geom, "geoms", [geom]) if isinstance(p, Polygon) and p.area >= min_area]


# --------------------------------------------------------- the park (local)

PARK = box(0, 0, 700, 480)
RING_CENTRE = (100.0, 120.0, 440.0, 350.0)  # centreline of the loop road
ROAD_HALF = 6.0
ROUNDABOUT = (-7.0, 235.0)
ROUNDABOUT_R = 24.0
TURNING_HEAD = (640.0, 235.0)
TURNING_HEAD_R = 15.0
BASIN_CENTRE = (58.0, 70.0)

# Lot cells (local boxes) intersected with the developable ground.
# (id, region, u0, v0, u1, v1): region "outer" = outside the loop, "inner" = inside it.
_CELLS = [
    ("A1", "outer", 20, 300, 170, 472),
    ("A2", "outer", 170, 300, 260, 472),
    ("A3", "outer", 260, 300, 350, 472),
    ("A4", "outer", 350, 300, 446, 472),
    ("B1", "inner", 100, 235, 188, 350),
    ("B2", "inner", 188, 235, 270, 350),
    ("B3", "inner", 270, 235, 352, 350),
    ("B4", "inner", 352, 235, 440, 350),
    ("C1", "inner", 100, 120, 188, 235),
    ("C2", "inner", 188, 120, 270, 235),
    ("C3", "inner", 270, 120, 352, 235),
    ("C4", "inner", 352, 120, 440, 235),
    ("D1", "outer", 446, 235, 540, 472),
    ("D2", "outer", 540, 235, 620, 472),
    ("D3", "outer", 620, 235, 692, 472),
    ("D4", "outer", 446, 8, 540, 235),
    ("D5", "outer", 540, 8, 620, 235),
    ("D6", "outer", 620, 8, 692, 235),
    ("E1", "outer", 120, 8, 210, 172),
    ("E2", "outer", 210, 8, 300, 172),
    ("E3", "outer", 300, 8, 380, 172),
    ("E4", "outer", 380, 8, 446, 172),
    ("F1", "outer", 20, 235, 100, 300),
    ("F2", "outer", 20, 172, 100, 235),
]

# status, price €/m², name, overrides, ground look (unbuilt lots)
_LOT_META: dict[str, tuple[str, float, str | None, dict[str, float], str]] = {
    "A1": ("available", 38.0, "Vitrine RD 916", {"max_floor_area_m2": 9000.0}, "fallow"),
    "A2": ("sold", 32.0, "Village d'artisans", {}, ""),
    "A3": ("reserved", 32.0, None, {}, "mown"),
    "A4": ("available", 32.0, None, {}, "fallow"),
    "B1": ("available", 36.0, None, {"max_floor_area_m2": 5000.0}, "mown"),
    "B2": ("sold", 36.0, "Pôle tertiaire", {}, ""),
    "B3": ("available", 34.0, None, {}, "fallow"),
    "B4": ("available", 34.0, None, {}, "fallow"),
    "C1": ("reserved", 36.0, None, {}, "mown"),
    "C2": ("available", 34.0, None, {}, "fallow"),
    "C3": ("sold", 34.0, "Atelier de mécanique", {}, ""),
    "C4": ("available", 34.0, None, {}, "mown"),
    "D1": ("sold", 27.0, "Plateforme logistique", {}, ""),
    "D2": ("reserved", 27.0, "Pôle logistique", {"max_height_m": 18.0}, "mown"),
    "D3": ("available", 26.0, None, {}, "crop"),
    "D4": ("sold", 27.0, "Transports", {}, ""),
    "D5": ("available", 26.0, None, {"max_height_m": 18.0}, "crop"),
    "D6": ("available", 25.0, None, {}, "crop"),
    "E1": ("available", 33.0, None, {}, "fallow"),
    "E2": ("sold", 33.0, "Négoce de matériaux", {}, ""),
    "E3": ("available", 33.0, None, {"max_floor_area_m2": 4500.0}, "fallow"),
    "E4": ("reserved", 33.0, None, {}, "earthworks"),
    "F1": ("reserved", 45.0, "Vitrine RD 916 nord", {}, "mown"),
    "F2": ("sold", 45.0, "Showroom", {}, ""),
}


def _local_roads() -> dict[str, tuple[str, Polygon, float | None]]:
    """Public road polygons in the local frame, by id: (name, polygon, setback)."""
    u0, v0, u1, v1 = RING_CENTRE
    ring_line = LinearRing(_rounded_rect(u0, v0, u1, v1, 30.0).exterior.coords)
    ring = ring_line.buffer(ROAD_HALF, quad_segs=_ARC_SEGMENTS)
    disk = _disk(*ROUNDABOUT, ROUNDABOUT_R)
    entry = box(ROUNDABOUT[0], 228.0, u0 + 4.0, 242.0).difference(disk)
    rue = _largest(_closing(ring.union(entry), 8.0))
    stem = box(u1 + 2.0, 235.0 - ROAD_HALF, TURNING_HEAD[0], 235.0 + ROAD_HALF)
    head = _disk(*TURNING_HEAD, TURNING_HEAD_R)
    impasse = _largest(_closing(rue.union(stem).union(head), 8.0).difference(rue))
    rd = box(-14.0, -40.0, 0.0, 520.0).difference(disk)
    north, south = sorted(_parts(rd), key=lambda p: -p.centroid.y)
    return {
        "rd916-nord": ("RD 916", north, RD_SETBACK_M),
        "rd916-sud": ("RD 916", south, RD_SETBACK_M),
        "giratoire": ("Giratoire de la Belle Assise (RD 916)", disk, RD_SETBACK_M),
        "rue-belle-assise": ("Rue de la Belle Assise", rue, None),
        "impasse-artisans": ("Impasse des Artisans", impasse, None),
    }


def _basin_local() -> Polygon:
    """An organic basin outline: an ellipse with a few gentle lobes."""
    t = np.linspace(0, 2 * math.pi, 97)[:-1]
    r = 1.0 + 0.06 * np.sin(2 * t + 0.7) + 0.04 * np.sin(3 * t + 2.1) + 0.025 * np.cos(5 * t + 0.3)
    cu, cv = BASIN_CENTRE
    pts = np.column_stack([cu + 31.0 * r * np.cos(t), cv + 44.0 * r * np.sin(t)])
    return Polygon(pts)


def _local_landscape(roads_union: BaseGeometry) -> list[tuple[str, str, Polygon, str | None]]:
    basin = _basin_local()
    out: list[tuple[str, str, Polygon, str | None]] = []
    strip = box(0, 0, 20, 480).difference(roads_union)
    for k, part in enumerate(sorted(_parts(strip), key=lambda p: -p.centroid.y)):
        out.append(
            (f"bande-rd916-{'nord' if k == 0 else 'sud'}", "green_strip", part, "Bande paysagère RD 916")
        )
    out.append(("haie-nord", "hedge", box(20, 472, 700, 480), "Haie champêtre"))
    out.append(("haie-est", "hedge", box(692, 8, 700, 472), "Haie champêtre"))
    out.append(("haie-sud", "hedge", box(20, 0, 700, 8), "Haie champêtre"))
    green = box(20, 8, 120, 172).difference(roads_union).difference(basin)
    out.append(("parc-bassin", "green_strip", _largest(green), "Espace vert du bassin"))
    out.append(("bassin", "basin", basin, "Bassin de rétention des eaux pluviales"))
    return out


# ---------------------------------------------------------------- precision


def _node_and_round(geoms: list[BaseGeometry], decimals: int = 3) -> list[BaseGeometry]:
    """Insert every shared vertex into the neighbours' edges, then round to mm.

    A lot corner lying in the middle of a road edge (a T-junction) would move off
    that edge when rounded and make a sliver overlap; inserting it into the road
    outline first makes both round the same way.
    """
    points = shapely.multipoints(np.unique(np.round(shapely.get_coordinates(geoms), 9), axis=0))
    out = []
    for g in geoms:
        snapped = shapely.snap(g, points, 1e-6)
        rounded = shapely.transform(snapped, lambda c: np.round(c, decimals))
        rounded = shapely.remove_repeated_points(rounded, 10.0**-decimals)
        out.append(rounded)
    return out


def _orient(poly: Polygon) -> Polygon:
    """Exterior counter-clockwise, holes clockwise (RFC 7946)."""
    return shapely.geometry.polygon.orient(poly, sign=1.0)


# ------------------------------------------------------------------ builder


@lru_cache(maxsize=1)
def build_layout() -> Layout:
    """The whole demo site (cached: it is immutable and used many times)."""
    rng = np.random.default_rng(SEED)
    roads_local = _local_roads()
    roads_union = shapely.union_all([p for _, p, _ in roads_local.values()])
    land_local = _local_landscape(roads_union)
    land_union = shapely.union_all([p for _, _, p, _ in land_local])
    inner_region = Polygon(roads_local["rue-belle-assise"][1].interiors[0])
    developable = PARK.difference(roads_union).difference(land_union)
    outer_region = developable.difference(inner_region.buffer(0.01))
    lots_local: dict[str, Polygon] = {}
    for lot_id, region, u0, v0, u1, v1 in _CELLS:
        ground = inner_region if region == "inner" else outer_region
        piece = ground.intersection(box(u0, v0, u1, v1))
        parts = _parts(piece, 1.0)
        if len(parts) != 1:
            raise RuntimeError(f"layout: lot {lot_id} is made of {len(parts)} pieces")
        lots_local[lot_id] = parts[0]

    # One noding over every vector layer, in Lambert-93.
    names = list(lots_local) + list(roads_local) + [x[0] for x in land_local]
    local_geoms = (
        list(lots_local.values()) + [p for _, p, _ in roads_local.values()] + [p for _, _, p, _ in land_local]
    )
    world = _node_and_round([to_world(g) for g in local_geoms])
    by_name = dict(zip(names, (_orient(g) for g in world)))

    lots = []
    for lot_id in lots_local:
        status, price, name, extra, ground = _LOT_META[lot_id]
        lots.append(LotSpec(lot_id, by_name[lot_id], status, price, name, dict(extra), ground))
    roads = [RoadSpec(rid, name, by_name[rid], setback) for rid, (name, _, setback) in roads_local.items()]
    landscape = [LandscapeSpec(lid, kind, by_name[lid], name) for lid, kind, _, name in land_local]

    details = _Details(rng, lots_local, roads_local, land_local)
    details.build()
    return Layout(
        lots=lots,
        roads=roads,
        landscape=landscape,
        buildings=details.buildings,
        fields=details.fields,
        surfaces=details.surfaces,
        markings=details.markings,
        yellow_markings=details.yellow,
        trees=np.array(details.trees, float).reshape(-1, 5),
        vehicles=details.vehicles,
        poles=np.array(details.poles, float).reshape(-1, 3),
        stacks=details.stacks,
        outer_roads=details.outer_roads,
        hollows=details.hollows,
        farm=details.farm,
        fences=details.fences,
    )


# ------------------------------------------------------ image-only details

_CAR_COLOURS = [
    (235, 236, 236),
    (232, 233, 235),
    (220, 222, 224),
    (200, 202, 205),
    (160, 162, 165),
    (120, 122, 126),
    (60, 62, 66),
    (30, 32, 36),
    (25, 27, 30),
    (150, 30, 32),
    (30, 52, 100),
    (70, 90, 120),
    (175, 178, 182),
    (240, 240, 238),
    (95, 60, 40),
]


class _Details:
    """Builds what only the aerial image shows, in the local frame, then maps it."""

    def __init__(self, rng, lots, roads, land) -> None:
        self.rng = rng
        self.lots: dict[str, Polygon] = lots
        self.roads = roads
        self.land = land
        self.buildings: list[BuildingSpec] = []
        self.fields: list[Field] = []
        self.surfaces: list[Surface] = []
        self.markings: list[BaseGeometry] = []
        self.yellow: list[BaseGeometry] = []
        self.trees: list[tuple[float, float, float, float, float]] = []
        self.vehicles: list[Vehicle] = []
        self.poles: list[tuple[float, float, float]] = []
        self.stacks: list[tuple[Polygon, tuple[int, int, int], float]] = []
        self.outer_roads: list[Surface] = []
        self.farm: list[BuildingSpec] = []
        self.fences: list[BaseGeometry] = []
        self.hollows: list[tuple[BaseGeometry, float, float]] = []

    # -- helpers (local frame in, world out)

    def surface(self, kind: str, geom: BaseGeometry) -> None:
        if not geom.is_empty:
            self.surfaces.append(Surface(kind, to_world(geom)))

    def mark(self, geom: BaseGeometry, yellow: bool = False) -> None:
        if not geom.is_empty:
            (self.yellow if yellow else self.markings).append(to_world(geom))

    def tree(self, u: float, v: float, r: float, h: float, tint: float | None = None) -> None:
        x, y = world_xy(u, v)
        t = float(self.rng.uniform(-1, 1)) if tint is None else tint
        self.trees.append((float(x), float(y), r, h, t))

    def tree_row(self, line: LineString, spacing: float, r: float, h: float, jitter: float = 0.6) -> None:
        n = max(1, int(line.length // spacing))
        for k in range(n + 1):
            p = line.interpolate(min(line.length, k * spacing + float(self.rng.uniform(-jitter, jitter))))
            self.tree(
                p.x, p.y, r * float(self.rng.uniform(0.85, 1.15)), h * float(self.rng.uniform(0.85, 1.1))
            )

    def hedge(
        self,
        geom: BaseGeometry,
        density: float,
        r: tuple[float, float],
        h: tuple[float, float],
        big_every: float = 0.0,
    ) -> None:
        """Shrubs scattered in a band (and a taller tree now and then)."""
        area = geom.area
        n = int(area * density)
        minx, miny, maxx, maxy = geom.bounds
        pts = np.column_stack([self.rng.uniform(minx, maxx, n * 3), self.rng.uniform(miny, maxy, n * 3)])
        inside = shapely.contains_xy(geom, pts[:, 0], pts[:, 1])
        for u, v in pts[inside][:n]:
            big = big_every > 0 and self.rng.uniform() < 1.0 / big_every
            if big:
                self.tree(u, v, float(self.rng.uniform(3.2, 5.0)), float(self.rng.uniform(10, 16)))
            else:
                self.tree(u, v, float(self.rng.uniform(*r)), float(self.rng.uniform(*h)))

    def vehicle(
        self, u: float, v: float, angle: float, kind: str = "car", colour: tuple[int, int, int] | None = None
    ) -> None:
        size = {"car": (4.4, 1.8, 1.5), "van": (5.4, 2.0, 2.4), "truck": (16.5, 2.55, 4.0)}[kind]
        length = size[0] * float(self.rng.uniform(0.92, 1.05)) if kind == "car" else size[0]
        body = affinity.rotate(box(-length / 2, -size[1] / 2, length / 2, size[1] / 2), angle, origin=(0, 0))
        body = affinity.translate(body, u, v)
        if colour is None:
            colour = _CAR_COLOURS[int(self.rng.integers(len(_CAR_COLOURS)))]
        self.vehicles.append(Vehicle(to_world(body), kind, colour, size[2], angle + ROTATION_DEG))

    def parking(self, area: Polygon, fill: float, trees: bool = True) -> None:
        """Asphalt with painted stalls (the project's stall layout) and parked cars."""
        self.surface("asphalt_new", area)
        lay = layout_polygon(area)
        for corners in lay.stalls:
            poly = Polygon(corners)
            # Painted separators: the two long sides of the stall, 12 cm wide.
            c = np.asarray(corners)
            sides = (
                [(c[0], c[3]), (c[1], c[2])]
                if math.dist(c[0], c[3]) > math.dist(c[0], c[1])
                else [(c[0], c[1]), (c[3], c[2])]
            )
            for a, b in sides:
                self.mark(LineString([a, b]).buffer(0.06, cap_style="flat"))
            if self.rng.uniform() < fill:
                ctr = poly.centroid
                long_axis = sides[0]
                ang = math.degrees(
                    math.atan2(long_axis[1][1] - long_axis[0][1], long_axis[1][0] - long_axis[0][0])
                )
                ang += 180.0 * int(self.rng.integers(2))
                self.vehicle(
                    ctr.x + float(self.rng.normal(0, 0.1)),
                    ctr.y + float(self.rng.normal(0, 0.15)),
                    ang + float(self.rng.normal(0, 1.5)),
                )
        if trees:
            # Young trees along the edges of the parking, every fourth stall or so.
            ring = area.exterior
            self.tree_row(LineString(ring.coords), 11.0, 2.4, 7.0, jitter=0.3)

    def building(
        self,
        lot_id: str,
        bid: str,
        name: str,
        poly: Polygon,
        h: float,
        roof: str,
        ridge: float | None = None,
        details: tuple[RoofDetail, ...] = (),
    ) -> None:
        wd = tuple(RoofDetail(d.kind, to_world(d.polygon), d.height_m) for d in details)
        rdg = None if ridge is None else ridge + ROTATION_DEG
        # Millimetres, like the other vector layers.
        footprint = shapely.transform(to_world(poly), lambda c: np.round(c, 3))
        self.buildings.append(BuildingSpec(bid, lot_id, name, footprint, h, roof, rdg, wd))

    def skylights(
        self, u0, v0, u1, v1, along_u: bool, pitch: float, size=(1.6, 3.0), margin=6.0, spacing=12.0
    ) -> list[RoofDetail]:
        """Rows of translucent roof lights (lanterneaux), as on most French sheds."""
        out = []
        if along_u:
            for v in np.arange(v0 + margin, v1 - margin, spacing):
                for u in np.arange(u0 + margin, u1 - margin - size[1], pitch):
                    out.append(RoofDetail("skylight", box(u, v, u + size[1], v + size[0]), 0.15))
        else:
            for u in np.arange(u0 + margin, u1 - margin, spacing):
                for v in np.arange(v0 + margin, v1 - margin - size[1], pitch):
                    out.append(RoofDetail("skylight", box(u, v, u + size[0], v + size[1]), 0.15))
        return out

    def units(self, u0, v0, u1, v1, n: int) -> list[RoofDetail]:
        """Roof-top plant: air handling units, extract fans, a few vents."""
        out = []
        for _ in range(n):
            w, d = float(self.rng.uniform(1.2, 3.5)), float(self.rng.uniform(1.0, 2.2))
            u = float(self.rng.uniform(u0 + 2, u1 - 2 - w))
            v = float(self.rng.uniform(v0 + 2, v1 - 2 - d))
            out.append(RoofDetail("unit", box(u, v, u + w, v + d), float(self.rng.uniform(0.8, 1.8))))
        return out

    def access(self, u0: float, v0: float, u1: float, v1: float, kind: str = "asphalt_new") -> None:
        """A private access: paved from the carriageway across the verge and footpath into the lot."""
        self.surface(kind, box(u0, v0, u1, v1))

    # -- the parts of the site

    def build(self) -> None:
        self.build_roads()
        self.build_landscape()
        self.build_lots()
        self.build_fields()

    def build_roads(self) -> None:
        # RD 916, drawn well beyond the vector polygon (it goes on to Breteuil).
        cu, cv = ROUNDABOUT
        ring_out, ring_in = 16.5, 9.5
        rd_axis_u = cu
        rd_long = box(-14.0, -600.0, 0.0, 1100.0).difference(_disk(cu, cv, ROUNDABOUT_R))
        self.outer_roads.append(Surface("verge", to_world(rd_long)))
        lane_verge = box(-600.0, cv - 5.0, -14.0, cv + 5.0).difference(_disk(cu, cv, ring_out))
        self.outer_roads.append(Surface("verge", to_world(lane_verge)))
        # The roundabout's own ground first, then the carriageways that cross it.
        self.surface("verge", _disk(cu, cv, ROUNDABOUT_R))
        # Each arm flares out to the ring around a kerbed splitter island.
        flare = []
        for sgn in (1, -1):
            v_ring, v_end = cv + sgn * 12.0, cv + sgn * 45.0
            flare.append(
                Polygon(
                    [
                        (rd_axis_u - 5.5, v_ring),
                        (rd_axis_u + 5.5, v_ring),
                        (rd_axis_u + 3.5, v_end),
                        (rd_axis_u - 3.5, v_end),
                    ]
                )
            )
        carriage = box(rd_axis_u - 3.5, -600.0, rd_axis_u + 3.5, 1100.0).union(shapely.union_all(flare))
        carriage = carriage.difference(_disk(cu, cv, ring_out - 0.5))
        self.surface("asphalt_old", carriage)
        lane = box(-600.0, cv - 2.6, cu, cv + 2.6).union(
            Polygon(
                [(cu - 12.0, cv - 4.5), (cu - 12.0, cv + 4.5), (cu - 30.0, cv + 2.6), (cu - 30.0, cv - 2.6)]
            )
        )
        self.surface("asphalt_old", lane.difference(_disk(cu, cv, ring_out - 0.5)))
        entry = box(cu, cv - 3.25, cu + ROUNDABOUT_R + 0.5, cv + 3.25).union(
            Polygon(
                [(cu + 12.0, cv - 5.0), (cu + 12.0, cv + 5.0), (cu + 26.0, cv + 3.25), (cu + 26.0, cv - 3.25)]
            )
        )
        self.surface("asphalt_new", entry.difference(_disk(cu, cv, ring_out - 0.5)))
        # RD markings: dashed centre line (3 m / 10 m), edge lines following the flares.
        edge_lines = carriage.buffer(-0.3).boundary.buffer(0.07).difference(_disk(cu, cv, ring_out + 2.0))
        self.mark(edge_lines.intersection(box(rd_axis_u - 6, -600, rd_axis_u + 6, 1100)))
        for sgn in (1, -1):
            tip = cv + sgn * 40.0
            for v in np.arange(tip + sgn * 40.0, sgn * 1100.0, sgn * 13.0):
                if -600.0 < v < 1100.0:
                    self.mark(
                        box(rd_axis_u - 0.06, min(v, v + sgn * 3.0), rd_axis_u + 0.06, max(v, v + sgn * 3.0))
                    )
            self.mark(
                box(
                    rd_axis_u - 0.06, min(tip, tip + sgn * 40.0), rd_axis_u + 0.06, max(tip, tip + sgn * 40.0)
                )
            )
            island = Polygon(
                [
                    (rd_axis_u - 1.3, cv + sgn * (ring_out + 1.5)),
                    (rd_axis_u + 1.3, cv + sgn * (ring_out + 1.5)),
                    (rd_axis_u, tip),
                ]
            ).buffer(0.3)
            self.surface("kerb", island)
            self.surface("verge", island.buffer(-0.35))
        for sgn in (1, -1):  # islands on the lane and the avenue too, smaller
            tip = cu + sgn * 34.0
            base = cu + sgn * (ring_out + 1.5)
            island = Polygon([(base, cv - 1.2), (base, cv + 1.2), (tip, cv)]).buffer(0.3)
            self.surface("kerb", island)
            self.surface("verge", island.buffer(-0.35))
        # Roundabout: carriageway ring, truck apron, central island with a few trees.
        _disk(cu, cv, ROUNDABOUT_R)
        self.surface("asphalt_new", _disk(cu, cv, ring_out).difference(_disk(cu, cv, ring_in)))
        self.surface("pavers", _disk(cu, cv, 9.5).difference(_disk(cu, cv, 7.5)))
        self.surface("lawn", _disk(cu, cv, 7.5))
        self.mark(_disk(cu, cv, 16.3).exterior.buffer(0.07))
        self.mark(_disk(cu, cv, 9.7).exterior.buffer(0.07))
        for k in range(3):
            a = 2 * math.pi * k / 3 + 0.4
            self.tree(cu + 3.5 * math.cos(a), cv + 3.5 * math.sin(a), 2.6, 7.5)
        # Give-way lines at the entries (dashed across the entering lane).
        for a_deg in (90.0, 270.0, 0.0, 180.0):
            a = math.radians(a_deg)
            c, s = math.cos(a), math.sin(a)
            for off in np.arange(2.4, 5.4, 0.9):
                # The entering lane is on the driver's right (between island and kerb).
                pu = cu + 16.9 * c - off * s
                pv = cv + 16.9 * s + off * c
                dash = affinity.rotate(box(-0.25, -0.25, 0.25, 0.25), a_deg, origin=(0, 0))
                self.mark(affinity.translate(dash, pu, pv))

        # Internal roads: carriageway 6.5 m, grass verge with trees, a 1.8 m footpath.
        rue = self.roads["rue-belle-assise"][1]
        imp = self.roads["impasse-artisans"][1]
        u0, v0, u1, v1 = RING_CENTRE
        ring_line = LineString(_rounded_rect(u0, v0, u1, v1, 30.0).exterior.coords)
        entry_line = LineString([(cu, 235.0), (u0, 235.0)])
        stem_line = LineString([(u1, 235.0), (TURNING_HEAD[0], 235.0)])
        centre_lines = shapely.union_all([ring_line, entry_line, stem_line])
        self.surface("verge", rue)
        self.surface("verge", imp)
        public = rue.union(imp)
        carriage = (
            centre_lines.buffer(3.25, quad_segs=_ARC_SEGMENTS)
            .union(_disk(*TURNING_HEAD, 11.5))
            .intersection(public)
        )
        carriage = _closing(carriage, 6.0).intersection(public)
        footpath = (
            centre_lines.buffer(5.9, quad_segs=_ARC_SEGMENTS)
            .difference(centre_lines.buffer(4.1, quad_segs=_ARC_SEGMENTS))
            .intersection(public)
            .difference(carriage.buffer(0.8))
        )
        # Footpaths on both sides, except round the turning head.
        footpath = footpath.difference(_disk(*TURNING_HEAD, TURNING_HEAD_R + 0.5))
        self.surface("footpath", footpath)
        self.surface("asphalt_new", carriage)
        self.surface(
            "kerb",
            carriage.exterior.buffer(0.12)
            .intersection(public)
            .union(
                shapely.union_all([r.buffer(0.12) for r in carriage.interiors])
                if carriage.interiors
                else Polygon()
            ),
        )
        # Dashed centre line on the avenue and the loop (3 m / 3.5 m, urban T1).
        for line in (entry_line, ring_line):
            start = 20.0 if line is entry_line else 0.0
            d = start
            while d < line.length - 3.0:
                seg = ops.substring(line, d, d + 3.0)
                if seg.length > 0.5:
                    self.mark(seg.buffer(0.06, cap_style="flat"))
                d += 6.5
        # Street trees on the verges, street lights every 26 m.
        for side in (-1, 1):
            self.tree_row(
                entry_line.offset_curve(side * 5.0).intersection(box(14, 0, 90, 480)), 10.0, 2.8, 9.0
            )
        outer_verge = (
            ring_line.offset_curve(-4.9)
            if ring_line.offset_curve(-4.9).length > ring_line.length
            else (ring_line.offset_curve(4.9))
        )
        self.tree_row(LineString(outer_verge.coords), 16.0, 2.5, 8.0, jitter=1.0)
        for line in (ring_line, entry_line, stem_line):
            n = int(line.length // 26.0)
            for k in range(n + 1):
                p = line.interpolate(k * 26.0 + 5.0)
                off = line.offset_curve(3.9)
                q = off.interpolate(off.project(p))
                x, y = world_xy(q.x, q.y)
                self.poles.append((float(x), float(y), 8.0))
        # Give-way at the junction of the avenue with the loop.
        self.mark(box(u0 - 7.8, 235.2, u0 - 7.5, 238.2))

    def build_landscape(self) -> None:
        for lid, kind, poly, _ in self.land:
            if kind == "green_strip" and lid.startswith("bande"):
                self.surface("meadow_mown", poly)
                # A double row: trees near the RD, shrubs on the park side.
                _, miny, _, maxy = poly.bounds
                line = LineString([(6.0, miny + 4), (6.0, maxy - 4)]).intersection(poly.buffer(-2.0))
                for part in getattr(line, "geoms", [line]):
                    if part.length > 5:
                        self.tree_row(part, 9.0, 3.2, 11.0, jitter=1.5)
                self.hedge(
                    box(12.0, miny, 19.0, maxy).intersection(poly.buffer(-1.0)), 0.09, (1.0, 2.0), (2.0, 3.5)
                )
            elif kind == "hedge":
                self.surface("meadow", poly)
                self.hedge(poly.buffer(-1.0), 0.16, (1.4, 2.6), (3.0, 6.0), big_every=9.0)
            elif kind == "green_strip":
                self.surface("meadow_mown", poly)
                # Bank around the basin: tall grass, then a ring of reeds.
                self.hedge(
                    poly.difference(_basin_local().buffer(12.0)).buffer(-3.0), 0.004, (2.5, 4.0), (7.0, 12.0)
                )
            elif kind == "basin":
                # Grassed banks 2 m deep, a wet bottom, reeds round a permanent pool.
                self.surface("bank", poly)
                self.hollows.append((to_world(poly), 2.0, 7.0))
                self.surface("wet_meadow", poly.buffer(-7.0))
                pool = affinity.translate(affinity.scale(poly, 0.55, 0.62), 2.0, -4.0)
                self.surface("reeds", pool.buffer(3.0).intersection(poly.buffer(-8.0)))
                self.surface("water", pool)
                ring = poly.buffer(1.5).exterior
                for k in range(0, int(ring.length), 17):
                    p = ring.interpolate(k + float(self.rng.uniform(0, 6)))
                    if self.rng.uniform() < 0.55:
                        self.tree(
                            p.x,
                            p.y,
                            float(self.rng.uniform(2.5, 4.0)),
                            float(self.rng.uniform(6, 10)),
                            tint=float(self.rng.uniform(0.2, 1.0)),
                        )
                # Service track down to the basin outlet.
                self.surface("gravel", LineString([(94.0, 110.0), (78.0, 108.0)]).buffer(1.6))

    # -- lots

    def build_lots(self) -> None:
        for lot_id, (status, _, _, _, ground) in _LOT_META.items():
            poly = self.lots[lot_id]
            if status != "sold":
                kind = {"fallow": "fallow", "mown": "meadow_mown", "crop": "crop", "earthworks": "fallow"}[
                    ground
                ]
                if kind == "crop":
                    continue  # drawn with the fields
                self.surface(kind, poly)
                if ground == "earthworks":
                    self.earthworks(poly)
                continue
            first = len(self.surfaces)
            self.surface("lawn", poly)
            getattr(self, f"lot_{lot_id.lower()}")(poly)
            # A welded-mesh fence 30 cm inside the boundary, open where a drive crosses it.
            fence = to_world(LinearRing(poly.buffer(-0.3, join_style="mitre").exterior.coords))
            paved = shapely.union_all(
                [
                    s.polygon
                    for s in self.surfaces[first:]
                    if s.kind.startswith(("asphalt", "concrete", "gravel"))
                ]
            )
            self.fences.append(fence.difference(paved.buffer(0.5)))

    def earthworks(self, poly: Polygon) -> None:
        """A levelled platform of compacted soil and a spoil heap: works about to start."""
        minx, miny, maxx, maxy = poly.bounds
        plat = box(minx + 10, miny + 14, maxx - 8, maxy - 16).intersection(poly)
        self.surface("soil", plat)
        self.surface("gravel", box(minx + 18, maxy - 18, minx + 24, maxy + 1).intersection(poly.buffer(0.5)))
        heap = Point(maxx - 20, miny + 30).buffer(7.0)
        self.stacks.append((to_world(heap), (150, 128, 100), 2.5))
        self.vehicle(minx + 30, miny + 40, 35.0, "van", (225, 180, 40))

    def lot_a2(self, lot: Polygon) -> None:
        # Village d'artisans: two rows of small units around a shared yard.
        self.surface(
            "asphalt_new", box(174, 356, 256, 470).intersection(lot).difference(box(174, 420, 256, 470))
        )
        self.surface("asphalt_new", box(176, 418, 254, 438).intersection(lot))
        self.access(204, 352, 222, 358)
        self.surface("lawn", box(170, 458, 260, 472).intersection(lot))
        for k, (v0, v1) in enumerate(((400.0, 418.0), (438.0, 456.0))):
            poly = box(182, v0, 250, v1)
            det = self.skylights(182, v0, 250, v1, True, 8.5, size=(1.2, 2.4), margin=3.0, spacing=8.0)
            det += self.units(182, v0, 250, v1, 3)
            self.building(
                "A2", f"a2-{k + 1}", f"Ateliers {'nord' if k else 'sud'}", poly, 7.0, "steel", 0.0, tuple(det)
            )
        self.parking(box(186, 364, 248, 392), 0.45)
        for u in (188.0, 203.0, 222.0, 241.0):
            self.vehicle(u, 423.0, 90.0, "van", (236, 236, 234))
        self.hedge(box(171, 460, 259, 470).intersection(lot), 0.12, (1.2, 2.2), (2.5, 4.0))

    def lot_b2(self, lot: Polygon) -> None:
        # Offices: a three-storey block, staff parking in front, lawns and trees.
        self.access(256, 282, 263, 347)
        self.parking(box(196, 243, 262, 282), 0.7)
        main = box(204, 290, 254, 326)
        det = [
            *self.units(204, 290, 254, 326, 6),
            RoofDetail("skylight", box(222, 300, 236, 316), 0.4),
            RoofDetail("unit", box(208, 318, 214, 323), 1.8),
        ]
        self.building("B2", "b2-1", "Bureaux", main, 10.5, "gravel", None, tuple(det))
        self.surface("footpath", box(226, 326, 232, 344).union(box(200, 282, 258, 290).difference(main)))
        for u in (200.0, 214.0, 244.0):
            self.tree(u, 334.0, 3.4, 9.5)
        self.hedge(box(189, 236, 196, 344), 0.12, (1.2, 2.0), (2.0, 3.5))

    def lot_c3(self, lot: Polygon) -> None:
        # Mechanical workshop: a steel shed, an office front, yard and parking on the road side.
        self.surface("asphalt_old", box(278, 130, 346, 158))
        self.access(318, 123, 330, 131, "asphalt_old")
        self.surface("concrete", box(300, 214, 346, 230))
        self.surface("asphalt_old", box(346, 130, 351, 230).intersection(lot))
        shed = box(286, 166, 346, 214)
        det = self.skylights(286, 166, 346, 214, False, 7.5, margin=4.0, spacing=10.0) + self.units(
            286, 166, 346, 214, 3
        )
        self.building("C3", "c3-1", "Atelier", shed, 9.0, "steel", 90.0, tuple(det))
        office = box(286, 158, 312, 166)
        self.building(
            "C3",
            "c3-2",
            "Bureaux de l'atelier",
            office,
            6.5,
            "membrane",
            None,
            tuple(self.units(286, 158, 312, 166, 1)),
        )
        self.parking(box(280, 132, 312, 152), 0.6, trees=False)
        for k in range(4):
            self.vehicle(322 + 6.0 * k, 145.0, 90.0 + float(self.rng.normal(0, 4)), "van" if k % 2 else "car")
        self.stacks.append((to_world(box(330, 218, 344, 227)), (90, 80, 70), 1.8))
        self.hedge(box(271, 127, 276, 234), 0.14, (1.0, 1.8), (2.0, 3.0))

    def lot_d1(self, lot: Polygon) -> None:
        # Logistics platform: docks on the west side, truck yard, car park off the impasse.
        ware = box(486, 300, 534, 464)
        office = box(486, 288, 512, 300)
        self.surface("concrete_yard", box(452, 262, 486, 468))
        self.surface("concrete_yard", box(452, 252, 486, 262))
        self.access(456, 238, 478, 262, "concrete_yard")
        self.access(512, 238, 520, 252)
        self.parking(box(488, 252, 534, 284), 0.55)
        det = self.skylights(486, 300, 534, 464, True, 9.0, margin=5.0, spacing=9.0)
        det += self.units(486, 300, 534, 464, 5)
        self.building("D1", "d1-1", "Entrepôt", ware, 12.0, "steel", 90.0, tuple(det))
        self.building(
            "D1",
            "d1-2",
            "Bureaux logistique",
            office,
            7.0,
            "membrane",
            None,
            tuple(self.units(486, 288, 512, 300, 2)),
        )
        for k, v in enumerate(np.arange(308.0, 460.0, 4.2)):
            self.mark(box(466.0, v - 0.06, 486.0, v + 0.06), yellow=True)
            if self.rng.uniform() < 0.45:
                self.vehicle(
                    486.0 - 8.4, v + 2.1, 180.0, "truck", (236, 238, 240) if k % 3 else (200, 205, 210)
                )
        self.hedge(box(536, 244, 539.5, 470), 0.15, (1.2, 2.2), (3.0, 5.0))
        self.tree_row(LineString([(450, 470), (450, 262)]), 9.0, 2.8, 8.0)

    def lot_d4(self, lot: Polygon) -> None:
        # Transport company: cross-dock with solar roof, parked trailers, offices.
        ware = box(484, 40, 532, 190)
        office = box(496, 190, 532, 202)
        self.surface("concrete_yard", box(452, 30, 484, 218))
        self.access(456, 218, 476, 232, "concrete_yard")
        self.surface("asphalt_new", box(500, 205, 534, 227))
        self.access(514, 224, 522, 232)
        self.parking(box(500, 206, 534, 224), 0.6, trees=False)
        det = [RoofDetail("solar", box(488.0 + 7.5 * k, 46, 493.5 + 7.5 * k, 184), 0.5) for k in range(6)]
        det += self.units(484, 40, 532, 190, 3)
        self.building("D4", "d4-1", "Quai de transit", ware, 10.0, "steel", 90.0, tuple(det))
        self.building(
            "D4",
            "d4-2",
            "Bureaux transports",
            office,
            7.0,
            "gravel",
            None,
            tuple(self.units(496, 190, 532, 202, 2)),
        )
        for k, v in enumerate(np.arange(48.0, 186.0, 4.2)):
            self.mark(box(468.0, v - 0.06, 484.0, v + 0.06), yellow=True)
            if self.rng.uniform() < 0.4:
                self.vehicle(
                    484.0 - 8.4, v + 2.1, 180.0, "truck", (210, 40, 40) if k % 5 == 0 else (238, 238, 238)
                )
        # Trailers parked along the south fence.
        for k in range(5):
            self.vehicle(458.0, 36.0 + 3.6 * k, 0.0, "truck", (240, 240, 240))
        self.hedge(box(536, 12, 539.5, 228), 0.15, (1.2, 2.2), (3.0, 5.0))
        self.tree_row(LineString([(450, 30), (450, 220)]), 9.0, 2.8, 8.0)

    def lot_e2(self, lot: Polygon) -> None:
        # Builders' merchant: shed and shop, yard of stacked materials.
        shed = box(222, 20, 290, 58)
        shop = box(254, 58, 290, 70)
        self.surface("asphalt_old", box(214, 58, 298, 112).intersection(lot))
        self.surface("gravel", box(214, 14, 222, 100).union(box(290, 14, 297, 62)))
        det = self.skylights(222, 20, 290, 58, True, 8.0, margin=4.0, spacing=9.0) + self.units(
            222, 20, 290, 58, 2
        )
        self.building("E2", "e2-1", "Dépôt", shed, 9.0, "steel", 0.0, tuple(det))
        self.building(
            "E2", "e2-2", "Magasin", shop, 6.0, "membrane", None, tuple(self.units(254, 58, 290, 70, 1))
        )
        self.parking(box(256, 78, 296, 104), 0.5, trees=False)
        self.access(262, 100, 272, 117, "asphalt_old")
        # Pallets of blocks, bags and timber, in rows with forklift aisles.
        palette = [
            (182, 170, 150),
            (168, 160, 148),
            (150, 116, 96),
            (190, 188, 182),
            (140, 138, 130),
            (176, 150, 112),
            (128, 110, 96),
        ]
        for u in np.arange(216.0, 250.0, 5.5):
            for v in np.arange(74.0, 108.0, 2.9):
                if self.rng.uniform() < 0.75:
                    w, d = 2.4, float(self.rng.uniform(2.0, 2.6))
                    col = palette[int(self.rng.integers(len(palette)))]
                    self.stacks.append(
                        (to_world(box(u, v, u + w, v + d)), col, float(self.rng.uniform(0.8, 2.2)))
                    )
        self.vehicle(236.0, 66.0, 0.0, "truck", (245, 245, 245))
        self.hedge(box(211, 10, 215, 112), 0.12, (1.2, 2.0), (2.0, 4.0))

    def lot_f2(self, lot: Polygon) -> None:
        # Showroom facing the RD, visitor parking in front of it.
        show = box(48, 178, 83, 208)
        self.access(84, 210, 92, 232)
        self.surface("asphalt_new", box(48, 210, 92, 218))
        self.parking(box(24, 180, 46, 222), 0.5, trees=False)
        det = (RoofDetail("skylight", box(56, 186, 75, 200), 0.3), *tuple(self.units(48, 178, 83, 208, 3)))
        self.building("F2", "f2-1", "Showroom", show, 8.0, "membrane", None, det)
        for k in range(3):
            self.tree(30.0 + 8.0 * k, 176.0, 2.3, 6.0)

    # -- farmland around the park

    def build_fields(self) -> None:
        """Openfield parcels around the park (and on the lots still farmed), a farm, a copse."""
        # (crop, corners in the local frame): long parcels with a few oblique edges.
        cells = [
            ("wheat", [(-500, 560), (-14, 560), (-14, 900), (-500, 900)]),
            ("rapeseed", [(-500, 242), (-150, 242), (-170, 560), (-500, 560)]),
            ("beet", [(-150, 242), (-14, 242), (-14, 560), (-170, 560)]),
            ("barley", [(-500, -40), (-120, -40), (-105, 228), (-500, 228)]),
            ("wheat", [(-120, -40), (-14, -40), (-14, 228), (-105, 228)]),
            ("maize", [(-500, -500), (-14, -500), (-14, -40), (-500, -40)]),
            ("wheat", [(0, 493), (190, 493), (205, 900), (0, 900)]),
            ("flax", [(190, 493), (430, 493), (455, 900), (205, 900)]),
            ("barley", [(430, 493), (700, 493), (700, 900), (455, 900)]),
            ("wheat", [(700, 486), (1100, 486), (1100, 900), (700, 900)]),
            ("potato", [(708, 250), (1100, 215), (1100, 486), (708, 486)]),
            ("wheat", [(708, -8), (1100, -8), (1100, 215), (708, 250)]),
            ("beet", [(0, -14), (160, -14), (140, -500), (0, -500)]),
            ("barley", [(160, -14), (430, -14), (415, -500), (140, -500)]),
            ("bare", [(430, -14), (690, -14), (700, -500), (415, -500)]),
            ("rapeseed", [(690, -14), (1100, -14), (1100, -500), (700, -500)]),
        ]
        wood = Polygon([(745, 540), (850, 528), (905, 585), (880, 660), (770, 650)])
        farm = box(-235, -135, -125, -45)
        park_zone = PARK.buffer(8.0, join_style="mitre")
        rd = box(-14.0, -2000, 0.0, 2000)
        lane = box(-2000, ROUNDABOUT[1] - 5.0, -14.0, ROUNDABOUT[1] + 5.0)
        tracks = box(0, 488.0, 2000, 493.0).union(box(-14, -14, 2000, -8.0)).union(box(-2000, -94, -14, -88))
        cut = shapely.union_all(
            [
                park_zone,
                rd,
                lane,
                _disk(*ROUNDABOUT, ROUNDABOUT_R),
                tracks,
                wood.buffer(4.0),
                farm.buffer(6.0),
            ]
        )
        for k, (crop, pts) in enumerate(cells):
            poly = Polygon(pts).difference(cut)
            for part in _parts(poly, 500.0):
                angle = float(self.rng.choice([0.0, 90.0])) + float(self.rng.normal(0, 1.5)) + ROTATION_DEG
                tram = float(self.rng.choice([24.0, 28.0, 36.0]))
                self.fields.append(Field(to_world(part.buffer(-1.2)), crop, angle, tram, SEED + 101 * k))
        self.outer_roads.insert(0, Surface("dirt_track", to_world(tracks.difference(rd))))
        # The lots still farmed under a precarious lease (the field runs across them).
        farmed = shapely.union_all([self.lots[i] for i, m in _LOT_META.items() if m[4] == "crop"])
        for k, part in enumerate(_parts(farmed, 100.0)):
            self.fields.append(
                Field(to_world(part.buffer(-2.0)), "barley", 90.0 + ROTATION_DEG, 28.0, SEED + 7 + k)
            )
        # Hedges and tree rows along some field edges, a copse to the north-east.
        self.hedge(box(-168, 246, -160, 556), 0.05, (2.0, 3.5), (6.0, 12.0), big_every=5.0)
        self.hedge(box(700, 480, 1100, 486), 0.04, (2.0, 3.5), (6.0, 12.0), big_every=4.0)
        self.surface("forest_floor", wood.buffer(2.0))
        self.hedge(wood, 0.03, (3.0, 5.0), (12.0, 20.0), big_every=3.0)
        for u in np.arange(-300.0, 1100.0, 150.0):
            if self.rng.uniform() < 0.5:
                self.tree(
                    float(u + self.rng.uniform(0, 60)),
                    491.0 + float(self.rng.uniform(-2, 2)),
                    float(self.rng.uniform(3.0, 5.0)),
                    float(self.rng.uniform(10, 16)),
                )
        self.build_farm(farm)
        # Old roadside trees along the RD outside the park.
        for seg in (LineString([(-17.5, -600), (-17.5, 200)]), LineString([(-17.5, 272), (-17.5, 1100)])):
            self.tree_row(seg, 13.0, 3.6, 13.0, jitter=2.5)

    def build_farm(self, yard: Polygon) -> None:
        """A Picardy farm west of the RD: brick house, old tiled barn, modern sheds, a yard."""
        self.surface("farmyard", box(-205, -112, -136, -62))
        self.surface("gravel", box(-235, -110, -205, -80).union(box(-136, -93, -125, -89)))
        self.surface("lawn", box(-235, -75, -200, -45))
        self.outer_roads.append(Surface("asphalt_old", to_world(box(-125, -93, -14, -89))))
        self.farm.append(
            BuildingSpec(
                "ferme-1", "", "Maison", to_world(box(-228, -70, -214, -60)), 8.0, "tiles", ROTATION_DEG
            )
        )
        self.farm.append(
            BuildingSpec(
                "ferme-2", "", "Grange", to_world(box(-232, -128, -206, -116)), 9.0, "tiles", ROTATION_DEG
            )
        )
        self.farm.append(
            BuildingSpec(
                "ferme-3", "", "Hangar", to_world(box(-190, -130, -140, -112)), 10.0, "fibre", ROTATION_DEG
            )
        )
        self.farm.append(
            BuildingSpec(
                "ferme-4",
                "",
                "Hangar",
                to_world(box(-150, -100, -132, -60)),
                8.0,
                "steel",
                90.0 + ROTATION_DEG,
            )
        )
        for u, v in (
            (-238, -40),
            (-226, -42),
            (-212, -44),
            (-240, -56),
            (-240, -84),
            (-238, -100),
            (-120, -46),
            (-122, -140),
            (-200, -140),
            (-170, -40),
        ):
            self.tree(
                u + float(self.rng.uniform(-2, 2)),
                v,
                float(self.rng.uniform(3.0, 5.0)),
                float(self.rng.uniform(9.0, 15.0)),
            )
        self.vehicle(-175, -95, 30.0, "van", (60, 110, 60))
        self.vehicle(-205, -80, 100.0, "car")
