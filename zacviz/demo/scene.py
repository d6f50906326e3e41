"""Paint one band of the illustrative aerial image from the layout.

Order matters and follows what a camera sees from above: ground (fields,
grass, paving), paint on the ground, vehicles and stored goods, roofs, tree
crowns; then the shadows every raised thing casts on whatever lies behind it
(one ray-march over a height field, so trees, buildings, roof plant, cars and
lamp posts all cast consistent shadows), the shading of crowns and roof
pitches, and last the camera: a little blur, haze and sensor noise.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import ndimage
from shapely import affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.demo import layout as lay
from zacviz.demo.canvas import Canvas, Window, rgb
from zacviz.demo.noise import fbm, point_noise

# Where the sun is, as unit vectors.
_AZ = math.radians(lay.SUN_AZIMUTH_DEG)
_EL = math.radians(lay.SUN_ELEVATION_DEG)
SUN = np.array([math.sin(_AZ) * math.cos(_EL), math.cos(_AZ) * math.cos(_EL), math.sin(_EL)], np.float32)
TAN_EL = math.tan(_EL)
# Skylight tint of shadowed ground: bluish and about 40 % as bright.
SHADOW_RGB = np.array([0.40, 0.44, 0.54], np.float32)
MAX_OBJECT_M = 22.0


# ------------------------------------------------------------------ textures


def _noise(cv: Canvas, win: Window, scales: tuple[float, ...], seed: int) -> np.ndarray:
    return fbm(win.xs, win.ys, scales, seed)


def _local_axes(cv: Canvas, win: Window, angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates along and across a direction (metres), for rows and stripes."""
    a = math.radians(angle_deg)
    x = (win.xs - lay.CENTRE_L93[0]).astype(np.float32)
    y = (win.ys - lay.CENTRE_L93[1]).astype(np.float32)
    along = x[None, :] * math.cos(a) + y[:, None] * math.sin(a)
    across = -x[None, :] * math.sin(a) + y[:, None] * math.cos(a)
    return along, across


def _line_cover(dist_m: np.ndarray, width_m: float, res: float) -> np.ndarray:
    """Anti-aliased coverage of a line of ``width_m`` at distance ``dist_m`` from its axis."""
    half = width_m / 2.0
    px = max(res, 1e-6)
    cov = np.clip((half - dist_m) / px + 0.5, 0.0, 1.0)
    # A line thinner than a pixel shows as a fainter pixel, not a full one.
    return cov * min(1.0, width_m / px)


def _periodic_dist(x: np.ndarray, period: float, offset: float = 0.0) -> np.ndarray:
    """Distance from ``x`` to the nearest of the lines ``offset + k * period``."""
    return np.abs(np.mod(x - offset + period / 2.0, period) - period / 2.0)


def _textured(
    cv: Canvas, win: Window, base, var: float, scales, seed: int, fine: float = 0.03, tint=(1.0, 1.0, 1.0)
) -> np.ndarray:
    """A base colour with multi-scale brightness variation and pixel grain."""
    n = _noise(cv, win, scales, seed)
    g = cv.pixel_noise(win, seed + 1)
    col = rgb(base)[None, None, :] * (1.0 + var * n + fine * g)[..., None]
    if tint != (1.0, 1.0, 1.0):
        col = col * np.asarray(tint, np.float32)
    return col


def _mix(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    return a + (b - a) * t[..., None]


# ------------------------------------------------------------ ground covers


def grass(
    cv: Canvas,
    win: Window,
    seed: int,
    *,
    base=(112, 126, 74),
    dry=(156, 150, 104),
    dry_share=0.25,
    stripes: float = 0.0,
    stripe_angle: float = 0.0,
    var: float = 0.06,
    tufts: float = 0.07,
) -> np.ndarray:
    """Grass: greener and drier patches, tufts and grain, optional mowing stripes."""
    n_mid = _noise(cv, win, (7.0, 2.6), seed)
    n_fine = _noise(cv, win, (0.9, 0.4), seed + 1)
    grain = cv.pixel_noise(win, seed + 2)
    patch = _noise(cv, win, (26.0, 9.0, 3.0), seed + 5)
    # Soft threshold: dry_share of the area (roughly) turns to straw.
    t = np.clip((patch + 0.9 - 1.8 * (1.0 - dry_share)) * 1.3 + 0.5 * n_fine * 0.3, 0.0, 1.0) * 0.85
    colour = rgb(base) + (rgb(dry) - rgb(base)) * t[..., None]
    bright = 1.0 + var * n_mid + tufts * n_fine + 0.045 * grain
    out = colour * bright[..., None]
    if stripes > 0:
        _, across = _local_axes(cv, win, stripe_angle)
        band = np.clip(np.sin(2 * np.pi * across / 3.4) * 3.0, -1.0, 1.0).astype(np.float32)
        out *= (1.0 + stripes * band)[..., None]
    return out.astype(np.float32)


def fallow(cv: Canvas, win: Window, seed: int) -> np.ndarray:
    """Unmown fallow ground: tall grasses, darker weed clumps, straw, a few tracks."""
    out = grass(cv, win, seed, base=(118, 128, 76), dry=(170, 160, 114), dry_share=0.45, var=0.07, tufts=0.1)
    weeds = _noise(cv, win, (4.0, 1.6, 0.6), seed + 11)
    clump = np.clip(weeds * 2.2 - 1.0, 0, 0.55).astype(np.float32)
    out = _mix(out, np.broadcast_to(rgb((82, 98, 56)), out.shape), clump)
    # Flowering patches (yarrow, wild carrot): pale speckles.
    flowers = np.clip(_noise(cv, win, (12.0, 4.0), seed + 12) * 2.0 - 1.1, 0, 1) * np.clip(
        cv.pixel_noise(win, seed + 13) - 0.5, 0, 1
    )
    out = _mix(out, np.broadcast_to(rgb((205, 204, 186)), out.shape), (flowers * 0.8).astype(np.float32))
    # Tractor tracks from the last mowing, months ago.
    along, across = _local_axes(cv, win, lay.ROTATION_DEG + 90.0 + (seed % 7) * 5.0)
    d = _periodic_dist(across + 3.0 * np.sin(along / 37.0), 55.0, seed % 50)
    track = _line_cover(np.abs(d - 0.85), 0.45, cv.res) * 0.35
    return out * (1.0 + 0.1 * track)[..., None]


def soil(cv: Canvas, win: Window, seed: int) -> np.ndarray:
    """Levelled, compacted soil with machine tracks (earthworks)."""
    out = _textured(cv, win, (168, 150, 122), 0.08, (12.0, 4.0, 1.0, 0.4), seed, 0.05)
    along, across = _local_axes(cv, win, lay.ROTATION_DEG + 20.0)
    tracks = np.zeros(out.shape[:2], np.float32)
    for k, off in enumerate((3.0, 9.5, 17.0, 26.0)):
        wav = across + 4.0 * np.sin(along / (23.0 + 7 * k) + k)
        d = _periodic_dist(wav, 41.0, off)
        tracks = np.maximum(tracks, _line_cover(np.abs(d - 1.0), 0.7, cv.res))
    return out * (1.0 - 0.14 * tracks)[..., None]


def asphalt(cv: Canvas, win: Window, seed: int, old: bool) -> np.ndarray:
    """Asphalt: aggregate grain, a patchy surface, repairs and oil on old roads."""
    base = (116, 116, 116) if old else (84, 85, 88)
    out = _textured(cv, win, base, 0.04, (9.0, 2.5, 0.8), seed, 0.09)
    out *= (1.0 + 0.05 * _noise(cv, win, (0.35,), seed + 3))[..., None]
    patch = _noise(cv, win, (14.0, 5.0), seed + 9)
    dark = np.clip(patch * 3.0 - (1.4 if old else 2.2), 0, 1) * (0.2 if old else 0.08)
    return out * (1.0 - dark)[..., None]


def concrete(cv: Canvas, win: Window, seed: int, joints: float = 0.0) -> np.ndarray:
    out = _textured(cv, win, (188, 184, 176), 0.04, (10.0, 3.0, 0.8), seed, 0.04)
    stains = np.clip(_noise(cv, win, (5.0, 1.5, 0.5), seed + 2) * 2.5 - 1.5, 0, 1) * 0.12
    out *= (1.0 - stains)[..., None]
    if joints > 0:
        along, across = _local_axes(cv, win, lay.ROTATION_DEG)
        j = np.maximum(
            _line_cover(_periodic_dist(along, joints), 0.06, cv.res),
            _line_cover(_periodic_dist(across, joints), 0.06, cv.res),
        )
        out *= (1.0 - 0.35 * j)[..., None]
    return out


def water(cv: Canvas, win: Window, seed: int) -> np.ndarray:
    out = _textured(cv, win, (56, 66, 54), 0.06, (12.0, 4.0, 1.5), seed, 0.02)
    algae = np.clip(_noise(cv, win, (6.0, 2.0), seed + 4) * 2 - 0.8, 0, 1)
    return _mix(out, rgb((88, 104, 66))[None, None, :] * np.ones_like(out), algae * 0.5)


def reeds(cv: Canvas, win: Window, seed: int) -> np.ndarray:
    out = _textured(cv, win, (118, 128, 76), 0.1, (3.0, 1.0, 0.35), seed, 0.1)
    dry = np.clip(_noise(cv, win, (5.0, 1.6), seed + 1) * 2 - 0.4, 0, 1)
    return _mix(out, rgb((162, 150, 100))[None, None, :] * np.ones_like(out), dry * 0.5)


def _surface_colour(cv: Canvas, win: Window, kind: str, seed: int) -> np.ndarray:
    if kind == "lawn":
        return grass(
            cv,
            win,
            seed,
            base=(104, 126, 66),
            dry=(146, 148, 96),
            dry_share=0.15,
            stripes=0.02,
            stripe_angle=lay.ROTATION_DEG + 90.0 * (seed % 2),
            var=0.05,
        )
    if kind == "verge":
        return grass(cv, win, seed, base=(114, 128, 74), dry=(158, 152, 106), dry_share=0.3)
    if kind == "meadow_mown":
        return grass(
            cv,
            win,
            seed,
            base=(112, 130, 72),
            dry=(160, 154, 104),
            dry_share=0.25,
            stripes=0.012,
            stripe_angle=lay.ROTATION_DEG + 90.0 * (seed % 2),
        )
    if kind == "meadow":
        return grass(cv, win, seed, base=(100, 116, 64), dry=(154, 146, 98), dry_share=0.35, var=0.08)
    if kind == "bank":
        return grass(cv, win, seed, base=(106, 122, 68), dry=(150, 144, 96), dry_share=0.3, var=0.07)
    if kind == "fallow":
        return fallow(cv, win, seed)
    if kind == "soil":
        return soil(cv, win, seed)
    if kind == "asphalt_new":
        return asphalt(cv, win, seed, old=False)
    if kind == "asphalt_old":
        return asphalt(cv, win, seed, old=True)
    if kind == "concrete":
        return concrete(cv, win, seed)
    if kind == "farmyard":
        out = concrete(cv, win, seed) * np.float32(0.92)
        mud = np.clip(_noise(cv, win, (9.0, 3.0, 1.0), seed + 7) * 2.0 - 0.2, 0, 1).astype(np.float32)
        out = _mix(out, _textured(cv, win, (120, 106, 86), 0.08, (2.0, 0.6), seed + 8, 0.08), mud * 0.8)
        straw = np.clip(_noise(cv, win, (4.0, 1.2), seed + 9) * 2.5 - 1.6, 0, 1).astype(np.float32)
        return _mix(out, np.broadcast_to(rgb((190, 172, 120)), out.shape), straw * 0.7)
    if kind == "concrete_yard":
        return concrete(cv, win, seed, joints=5.0)
    if kind == "footpath":
        return _textured(cv, win, (170, 166, 156), 0.04, (6.0, 1.5, 0.5), seed, 0.05)
    if kind == "kerb":
        return _textured(cv, win, (196, 194, 188), 0.03, (3.0,), seed, 0.04)
    if kind == "pavers":
        along, across = _local_axes(cv, win, 0.0)
        out = _textured(cv, win, (168, 140, 120), 0.05, (4.0, 0.6), seed, 0.06)
        j = np.maximum(
            _line_cover(_periodic_dist(along, 0.3), 0.03, cv.res),
            _line_cover(_periodic_dist(across, 0.3), 0.03, cv.res),
        )
        return out * (1.0 - 0.2 * j)[..., None]
    if kind == "gravel":
        return _textured(cv, win, (176, 168, 152), 0.06, (5.0, 1.2, 0.4), seed, 0.1)
    if kind == "dirt_track":
        out = _textured(cv, win, (160, 146, 118), 0.08, (9.0, 2.5, 0.7), seed, 0.07)
        along, across = _local_axes(cv, win, lay.ROTATION_DEG)
        mid = _line_cover(_periodic_dist(across, 10000.0, 490.5 - 240.0), 1.0, cv.res)
        return _mix(out, rgb((110, 124, 70))[None, None, :] * np.ones_like(out), mid * 0.6)
    if kind == "water":
        return water(cv, win, seed)
    if kind == "reeds":
        return reeds(cv, win, seed)
    if kind == "wet_meadow":
        return grass(
            cv, win, seed, base=(92, 116, 62), dry=(128, 134, 84), dry_share=0.3, var=0.08, tufts=0.1
        )
    if kind == "forest_floor":
        return _textured(cv, win, (70, 78, 48), 0.1, (4.0, 1.0), seed, 0.08)
    raise ValueError(f"unknown surface kind {kind!r}")


def dig(cv: Canvas, poly: BaseGeometry, depth: float, width: float) -> None:
    """Lower the ground inside ``poly``: banks ``width`` wide down to ``depth`` (lit by :func:`shading`)."""
    got = cv.mask_of(poly, pad_m=2.0)
    if got is None:
        return
    win, alpha = got
    inside = ndimage.distance_transform_edt(alpha > 0.5) * cv.res
    t = np.clip(inside / width, 0.0, 1.0)
    profile = (-depth * (t * t * (3.0 - 2.0 * t))).astype(np.float32)
    dst = cv.relief[win.rows, win.cols]
    np.minimum(dst, profile, out=dst)


def paint_surface(cv: Canvas, geom: BaseGeometry, kind: str, seed: int) -> None:
    got = cv.mask_of(geom)
    if got is None:
        return
    win, alpha = got
    cv.paint(win, alpha, _surface_colour(cv, win, kind, seed))


# -------------------------------------------------------------------- fields

# crop: (plant, soil, row spacing m or 0, cover, variation, tramline track colour or None)
_CROPS: dict[str, tuple] = {
    "wheat": ((112, 130, 70), (150, 134, 104), 0.0, 1.0, 0.06, (146, 138, 100)),
    "barley": ((166, 158, 98), (160, 144, 110), 0.0, 1.0, 0.06, (150, 136, 100)),
    "rapeseed": ((104, 112, 64), (140, 126, 98), 0.0, 1.0, 0.09, (88, 92, 60)),
    "beet": ((70, 104, 48), (150, 130, 102), 0.45, 0.7, 0.07, None),
    "maize": ((92, 122, 58), (170, 148, 116), 0.75, 0.3, 0.05, None),
    "potato": ((84, 114, 54), (160, 136, 106), 0.75, 0.55, 0.06, None),
    "flax": ((118, 130, 100), (150, 134, 104), 0.0, 1.0, 0.05, (140, 136, 110)),
    "pasture": ((100, 122, 64), (140, 130, 96), 0.0, 1.0, 0.08, None),
    "bare": ((150, 128, 100), (150, 128, 100), 0.3, 0.0, 0.08, None),
}


@lru_cache(maxsize=64)
def _headland(field_index: int) -> tuple[BaseGeometry, BaseGeometry]:
    """The headland tramline loop of a field and its inner part (where rows run straight)."""
    f = lay.build_layout().fields[field_index]
    inset = f.tramline_m / 2.0
    inner = f.polygon.buffer(-inset, join_style="mitre", mitre_limit=2.0)
    tracks = []
    for d in (inset - 0.9, inset + 0.9):
        ring = f.polygon.buffer(-d, join_style="round")
        tracks.append(ring.boundary.buffer(0.25))
    return inner, tracks[0].union(tracks[1])


def paint_field(cv: Canvas, index: int) -> None:
    f = lay.build_layout().fields[index]
    got = cv.mask_of(f.polygon)
    if got is None:
        return
    win, alpha = got
    plant, soil_c, spacing, cover, var, track = _CROPS[f.crop]
    rs = np.random.default_rng(f.seed)
    # Each field its own shade: same sowing date and variety only by chance.
    shift = (rs.uniform(0.93, 1.05) * rs.uniform(0.97, 1.03, 3)).astype(np.float32)
    along, across = _local_axes(cv, win, f.row_angle_deg)
    big = _noise(cv, win, (90.0, 40.0, 15.0, 5.0), f.seed)
    # Drill streaks: noise stretched along the rows.
    streak = point_noise(along / 9.0, across / 0.7, f.seed + 1)
    grain = cv.pixel_noise(win, f.seed + 2)
    plant_c = rgb(plant) * shift
    soil_col = rgb(soil_c)
    if spacing > 0:
        period_px = spacing / cv.res
        visible = float(np.clip((period_px - 2.0) / 2.5, 0.0, 1.0))
        phase = 0.5 + 0.5 * np.cos(2 * np.pi * across / spacing)
        rows = np.clip((phase - (1.0 - cover)) / 0.35 + 0.5, 0, 1)
        t = cover + (rows - cover) * visible
        t = np.clip(t + 0.25 * big, 0, 1)
        col = _mix(
            soil_col[None, None, :] * np.ones((*win.shape, 3), np.float32),
            plant_c[None, None, :] * np.ones((*win.shape, 3), np.float32),
            t.astype(np.float32),
        )
    else:
        col = np.broadcast_to(plant_c, (*win.shape, 3)).copy()
        if f.crop == "pasture":
            patches = np.clip(_noise(cv, win, (6.0, 2.0, 0.8), f.seed + 5), -1, 1)
            col *= (1.0 + 0.08 * patches)[..., None]
        # Lodged or thinner patches show the soil a little.
        thin = np.clip(_noise(cv, win, (18.0, 6.0), f.seed + 6) * 2.2 - 1.3, 0, 1) * 0.35
        col = _mix(col, np.broadcast_to(soil_col, col.shape), thin.astype(np.float32))
    col *= (1.0 + 1.5 * var * big + 0.03 * streak + 0.035 * grain)[..., None]
    if track is not None:
        inner, loop = _headland(index)
        offset = float(rs.uniform(0, f.tramline_m))
        d = _periodic_dist(across, f.tramline_m, offset)
        # The sprayer's passes leave a slightly different band of crop.
        band = np.clip(1.0 - d / 1.6, 0.0, 1.0) * cv.coverage([inner], win, 1)
        col *= (1.0 - 0.06 * band)[..., None]
        tracks = np.maximum(_line_cover(np.abs(d - 0.9), 0.45, cv.res), 0.0)
        inner_got = cv.coverage([inner], win, 1)
        tracks *= inner_got
        loop_cov = cv.coverage([loop], win, 2)
        tracks = np.maximum(tracks, loop_cov)
        wear = 0.6 + 0.4 * np.clip(point_noise(along / 15.0, across / 3.0, f.seed + 9) + 0.5, 0, 1)
        tc = rgb(track)[None, None, :] * (1.0 + 0.08 * grain)[..., None]
        col = _mix(col, tc, (tracks * wear).astype(np.float32))
    cv.paint(win, alpha, col)


# --------------------------------------------------------------- markings


def paint_markings(cv: Canvas, geoms: list[BaseGeometry], colour, seed: int) -> None:
    got = cv.mask_of(geoms, supersample=4)
    if got is None:
        return
    win, alpha = got
    wear = np.clip(0.82 + 0.25 * _noise(cv, win, (3.0, 0.8), seed), 0.45, 1.0)
    grain = cv.pixel_noise(win, seed + 1)
    col = rgb(colour)[None, None, :] * (1.0 + 0.04 * grain)[..., None]
    cv.paint(win, alpha * wear, col)


# ------------------------------------------------------------- raised things


def _raise(cv: Canvas, win: Window, alpha: np.ndarray, height: float | np.ndarray) -> None:
    dst = cv.objects[win.rows, win.cols]
    np.maximum(dst, np.where(alpha > 0.5, height, 0.0).astype(np.float32), out=dst)


def paint_vehicle(cv: Canvas, v: lay.Vehicle, seed: int) -> None:
    got = cv.mask_of(v.polygon.buffer(0.25, quad_segs=2).buffer(-0.25, quad_segs=2), supersample=3)
    if got is None:
        return
    win, alpha = got
    body = rgb(v.colour)
    x, y = cv.grids(win)
    c = v.polygon.centroid
    a = math.radians(v.angle_deg)
    along = (x - c.x) * math.cos(a) + (y - c.y) * math.sin(a)
    across = -(x - c.x) * math.sin(a) + (y - c.y) * math.cos(a)
    col = np.broadcast_to(body, (*win.shape, 3)).copy()
    if v.kind == "truck":
        # Tractor unit at the front, a gap, the trailer roof with its ribs.
        cab = along > 5.2
        col[cab] = rgb((170, 172, 176)) if v.colour[0] > 200 else body * 0.8
        gap = (along > 4.6) & (along <= 5.2)
        col[gap] = rgb((40, 40, 42))
        ribs = _line_cover(_periodic_dist(along, 0.6), 0.06, cv.res)
        col *= (1.0 - 0.06 * ribs * (~cab))[..., None]
        _raise(cv, win, alpha, 4.0)
    else:
        length = 4.4 if v.kind == "car" else 5.4
        half = length / 2
        # Windscreen, rear window and a glossy roof.
        glass = ((along > half * 0.18) & (along < half * 0.55)) | (
            (along < -half * 0.5) & (along > -half * 0.78)
        )
        glass &= np.abs(across) < 0.78
        col[glass] = rgb((38, 44, 52))
        roof = (along >= -half * 0.5) & (along <= half * 0.18) & (np.abs(across) < 0.72)
        col[roof] *= 1.06
        edge = np.abs(across) > 0.75
        col[edge] *= 0.82
        _raise(cv, win, alpha, v.height_m)
    cv.paint(win, alpha, col)


def paint_stack(cv: Canvas, poly: Polygon, colour, height: float, seed: int) -> None:
    got = cv.mask_of(poly)
    if got is None:
        return
    win, alpha = got
    col = _textured(cv, win, colour, 0.08, (1.5, 0.5), seed, 0.08)
    cv.paint(win, alpha, col)
    _raise(cv, win, alpha, height)


def paint_fences(cv: Canvas, lines: list[BaseGeometry]) -> None:
    """Mesh fences: a faint dark line, 1.8 m high (a thin, see-through shadow)."""
    got = cv.mask_of([g.buffer(0.04, cap_style="flat") for g in lines if not g.is_empty], supersample=3)
    if got is None:
        return
    win, alpha = got
    cv.paint(win, alpha * 0.35, rgb((60, 70, 60)))
    dst = cv.objects[win.rows, win.cols]
    np.maximum(dst, np.where(alpha > 0.3, 1.8, 0.0).astype(np.float32), out=dst)


def paint_pole(cv: Canvas, x: float, y: float, h: float) -> None:
    win = cv.window((x - 0.3, y - 0.3, x + 0.3, y + 0.3))
    if win is None:
        return
    cv.objects[win.rows, win.cols] = np.maximum(cv.objects[win.rows, win.cols], h)
    cv.image[win.rows, win.cols] = cv.image[win.rows, win.cols] * 0.4 + rgb((70, 72, 76)) * 0.6


# Pitched roofs: slope (rise per metre) and colour.
_PITCHED = {
    "steel": (0.05, (176, 180, 184)),
    "tiles": (0.85, (116, 88, 76)),
    "fibre": (0.27, (150, 148, 140)),
}


def paint_building(cv: Canvas, b: lay.BuildingSpec, seed: int) -> None:
    got = cv.mask_of(b.polygon, supersample=3)
    if got is None:
        return
    win, alpha = got
    x, y = cv.grids(win)
    height = np.full(win.shape, b.height_m, np.float32)
    if b.roof in _PITCHED:
        pitch, base = _PITCHED[b.roof]
        ridge = math.radians(b.ridge_axis_deg or 0.0)
        c = b.polygon.centroid
        along = (x - c.x) * math.cos(ridge) + (y - c.y) * math.sin(ridge)
        d_ridge = np.abs(-(x - c.x) * math.sin(ridge) + (y - c.y) * math.cos(ridge))
        corners = np.asarray(b.polygon.exterior.coords)
        half = float(
            np.abs(-(corners[:, 0] - c.x) * math.sin(ridge) + (corners[:, 1] - c.y) * math.cos(ridge)).max()
        )
        rel = ((half - np.minimum(d_ridge, half)) * pitch).astype(np.float32)
        height = (b.height_m - half * pitch + rel).astype(np.float32)
        cv.relief[win.rows, win.cols] = np.where(alpha > 0.5, rel, cv.relief[win.rows, win.cols])
        col = _textured(cv, win, base, 0.03, (12.0, 3.0), seed, 0.025)
        if b.roof == "steel":
            # Trapezoidal sheets: ribs down the slope, a lap every 12 m, a ridge cap.
            ribs = 0.5 + 0.5 * np.cos(2 * np.pi * along / 1.0)
            col *= (1.0 + 0.035 * (ribs - 0.5))[..., None].astype(np.float32)
            laps = _line_cover(_periodic_dist(d_ridge, 12.0, 0.0), 0.1, cv.res)
            col *= (1.0 - 0.08 * laps)[..., None]
            cap = _line_cover(d_ridge, 0.6, cv.res)
            col = _mix(col, np.broadcast_to(rgb((196, 198, 200)), col.shape), cap.astype(np.float32))
            # Dirt washed down towards the gutters.
            col *= (1.0 - 0.06 * np.clip(d_ridge / max(half, 1.0), 0, 1) ** 2)[..., None]
        else:
            # Old roofs: courses parallel to the ridge, moss and lichen, a ridge line.
            courses = _line_cover(_periodic_dist(d_ridge, 0.36 if b.roof == "tiles" else 1.1), 0.05, cv.res)
            col *= (1.0 - 0.12 * courses)[..., None]
            moss = np.clip(_noise(cv, win, (3.0, 1.0, 0.4), seed + 5) * 1.8 - 0.3, 0, 1)
            tint = rgb((96, 92, 70)) if b.roof == "tiles" else rgb((176, 168, 120))
            col = _mix(col, np.broadcast_to(tint, col.shape), (moss * 0.45).astype(np.float32))
            cap = _line_cover(d_ridge, 0.35, cv.res)
            col *= (1.0 - 0.2 * cap)[..., None]
    elif b.roof == "membrane":
        col = _textured(cv, win, (198, 198, 194), 0.03, (8.0, 2.0), seed, 0.025)
        along, _ = _local_axes(cv, win, lay.ROTATION_DEG)
        seams = _line_cover(_periodic_dist(along, 2.0), 0.05, cv.res)
        col *= (1.0 - 0.05 * seams)[..., None]
        dirt = np.clip(_noise(cv, win, (6.0, 2.0), seed + 3) * 2 - 0.6, 0, 1) * 0.1
        col *= (1.0 - dirt)[..., None]
    else:  # gravel ballast
        col = _textured(cv, win, (150, 146, 136), 0.05, (5.0, 1.0, 0.35), seed, 0.12)
    if b.roof in ("steel", "membrane", "gravel"):
        # Parapet (acrotère): a lighter coping 40 cm wide, 80 cm above the roof.
        edge = b.polygon.exterior.buffer(0.4).intersection(b.polygon)
        parapet = cv.coverage([edge], win, 3)
        col = _mix(col, np.broadcast_to(rgb((206, 206, 204)), col.shape), parapet * 0.8)
        height = np.where(parapet > 0.3, np.maximum(height, b.height_m) + 0.8, height).astype(np.float32)
    cv.paint(win, alpha, col)
    _raise(cv, win, alpha, height)
    for k, d in enumerate(b.details):
        _paint_roof_detail(cv, b, d, seed + 17 * k)


def _paint_roof_detail(cv: Canvas, b: lay.BuildingSpec, d: lay.RoofDetail, seed: int) -> None:
    got = cv.mask_of(d.polygon, supersample=3)
    if got is None:
        return
    win, alpha = got
    if d.kind == "skylight":
        col = _textured(cv, win, (214, 220, 222), 0.04, (1.0,), seed, 0.04)
        frame = cv.coverage([d.polygon.exterior.buffer(0.15)], win, 3)
        col = _mix(col, np.broadcast_to(rgb((150, 152, 150)), col.shape), frame * 0.6)
    elif d.kind == "unit":
        col = _textured(cv, win, (158, 160, 162), 0.03, (1.0,), seed, 0.03)
        c = d.polygon.centroid
        fan = affinity.scale(d.polygon, 0.35, 0.35, origin=c).centroid.buffer(0.45)
        col = _mix(col, np.broadcast_to(rgb((70, 72, 76)), col.shape), cv.coverage([fan], win, 3))
    elif d.kind == "solar":
        col = _textured(cv, win, (42, 52, 72), 0.04, (3.0,), seed, 0.03)
        x, y = cv.grids(win)
        a = math.radians(lay.ROTATION_DEG)
        along = x * math.cos(a) + y * math.sin(a)
        across = -x * math.sin(a) + y * math.cos(a)
        grid = np.maximum(
            _line_cover(_periodic_dist(along, 1.13), 0.04, cv.res),
            _line_cover(_periodic_dist(across, 1.72), 0.05, cv.res),
        )
        col = _mix(col, np.broadcast_to(rgb((150, 156, 166)), col.shape), (grid * 0.7).astype(np.float32))
    else:
        col = _textured(cv, win, (120, 122, 124), 0.03, (1.0,), seed, 0.03)
    cv.paint(win, alpha, col)
    _raise(cv, win, alpha, b.height_m + d.height_m)


# ---------------------------------------------------------------------- trees


def plant_trees(cv: Canvas, trees: np.ndarray) -> None:
    """Crowns as clumpy domes in a canopy height map (the taller crown wins)."""
    if len(trees) == 0:
        return
    x0, y0, x1, y1 = cv.bounds
    r = trees[:, 2]
    sel = (trees[:, 0] + r > x0) & (trees[:, 0] - r < x1) & (trees[:, 1] + r > y0) & (trees[:, 1] - r < y1)
    if not sel.any():
        return
    # Leaf clumps at three sizes; big crowns get bigger clumps (scaled lookup).
    coarse = fbm(cv.xs, cv.ys, (2.2, 1.1), 4242)
    fine = fbm(cv.xs, cv.ys, (0.55, 0.28), 4243)
    for tx, ty, tr, th, tint in trees[sel]:
        win = cv.window((tx - tr * 1.35, ty - tr * 1.35, tx + tr * 1.35, ty + tr * 1.35))
        if win is None:
            continue
        dx = (win.xs - tx)[None, :]
        dy = (win.ys - ty)[:, None]
        cl = coarse[win.rows, win.cols]
        fn = fine[win.rows, win.cols]
        rho = np.sqrt(dx * dx + dy * dy) / tr
        d = rho - 0.3 * cl - 0.12 * fn
        inside = d < 1.0
        if not inside.any():
            continue
        dome = np.sqrt(np.clip(1.0 - d * d, 0.0, 1.0))
        z = (th - 0.7 * tr) + 0.7 * tr * dome + (0.28 * cl + 0.16 * fn) * min(tr, 3.0) * np.sqrt(dome)
        z = np.where(inside, z, 0.0).astype(np.float32)
        dst = cv.canopy[win.rows, win.cols]
        higher = z > dst
        dst[higher] = z[higher]
        cv.canopy_tint[win.rows, win.cols][higher] = tint


# Crown colours, from dark bluish greens (conifers, oaks) to light yellowish (willows, poplars).
_CROWN_PALETTE = (
    np.array([(38, 56, 36), (50, 70, 38), (62, 80, 42), (74, 92, 48), (92, 104, 56)], np.float32) / 255.0
)


def canopy_colour(cv: Canvas) -> tuple[np.ndarray, np.ndarray]:
    """Where crowns are the top surface, and their colours there (before light)."""
    top = cv.canopy > cv.objects + 0.01
    rows = np.flatnonzero(top.any(axis=1))
    if len(rows) == 0:
        return top, np.zeros((0, 3), np.float32)
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    var = fbm(cv.xs, cv.ys[r0:r1], (1.2, 0.5, 0.25), 777)
    sub = top[r0:r1]
    n = len(_CROWN_PALETTE) - 1
    t = np.clip((cv.canopy_tint[r0:r1][sub] + 1.0) * 0.5 * n, 0, n - 0.001)
    i = t.astype(np.int32)
    f = (t - i)[:, None]
    col = _CROWN_PALETTE[i] * (1 - f) + _CROWN_PALETTE[i + 1] * f
    col *= (1.0 + 0.16 * var[sub])[:, None]
    return top, col.astype(np.float32)


# --------------------------------------------------------------------- light


def cast_shadows(cv: Canvas, heights: np.ndarray) -> np.ndarray:
    """Share of direct sun each pixel misses (0 lit, 1 in full shadow).

    Marches from every pixel towards the sun over the height field: a pixel is
    in shadow when something along the ray rises above the ray.
    """
    res = cv.res
    # Direction towards the sun in pixel steps (columns east, rows south).
    dc, dr = math.sin(_AZ), -math.cos(_AZ)
    steps = int(math.ceil(min(float(heights.max()), MAX_OBJECT_M) / TAN_EL / res)) + 1
    if steps <= 1:
        return np.zeros_like(heights)
    pad = steps + 2
    hp = np.pad(heights, pad)
    h, w = heights.shape
    reach = np.full(heights.shape, -1e9, np.float32)
    drop = np.float32(res * TAN_EL)
    last = (None, None)
    for k in range(1, steps + 1):
        oc, orow = int(round(k * dc)), int(round(k * dr))
        if (oc, orow) == last:
            continue
        last = (oc, orow)
        dist = math.hypot(oc, orow)
        shifted = hp[pad + orow : pad + orow + h, pad + oc : pad + oc + w]
        np.maximum(reach, shifted - np.float32(dist) * drop, out=reach)
    shade = np.clip((reach - heights) / 0.25, 0.0, 1.0)
    return ndimage.gaussian_filter(shade, 0.7 + 0.05 / max(res, 0.05))


def shading(cv: Canvas, surface: np.ndarray) -> np.ndarray:
    """Lambert light on the small slopes of ``surface`` (1 on flat ground)."""
    gy, gx = np.gradient(surface, cv.res)
    # Steps (eaves, gable ends, crown edges seen as cliffs) are not slopes.
    steep = gx * gx + gy * gy > 4.0
    gx = np.where(steep, 0.0, gx)
    gy = np.where(steep, 0.0, gy)
    # Rows run south: d/dnorth = -d/drow.
    nx, ny = -gx, gy
    norm = np.sqrt(nx * nx + ny * ny + 1.0)
    lam = (nx * SUN[0] + ny * SUN[1] + SUN[2]) / norm
    return np.clip(lam / SUN[2], 0.0, 1.6).astype(np.float32)


# ---------------------------------------------------------------------- band


def paint_band(cv: Canvas) -> None:
    """Paint everything of the layout that reaches the canvas."""
    L = lay.build_layout()
    full = cv.full()
    # Field margins and anything not otherwise covered: rough grass.
    cv.image[:] = grass(cv, full, 11, base=(110, 124, 70), dry=(156, 150, 104), dry_share=0.4, var=0.08)
    for k, s in enumerate(L.outer_roads):
        paint_surface(cv, s.polygon, s.kind, 100 + k)
    for k in range(len(L.fields)):
        paint_field(cv, k)
    for k, s in enumerate(L.surfaces):
        paint_surface(cv, s.polygon, s.kind, 1000 + k)
    for poly, depth, width in L.hollows:
        dig(cv, poly, depth, width)
    paint_markings(cv, L.markings, (226, 228, 226), 5)
    paint_markings(cv, L.yellow_markings, (214, 186, 60), 6)
    for k, (poly, colour, h) in enumerate(L.stacks):
        paint_stack(cv, poly, colour, h, 3000 + k)
    for k, v in enumerate(L.vehicles):
        paint_vehicle(cv, v, 5000 + k)
    for x, y, h in L.poles:
        paint_pole(cv, x, y, h)
    paint_fences(cv, L.fences)
    for k, b in enumerate(L.buildings + L.farm):
        paint_building(cv, b, 7000 + 31 * k)
    plant_trees(cv, L.trees)

    top, crowns = canopy_colour(cv)
    cv.image[top] = crowns
    heights = np.maximum(cv.objects, cv.canopy)
    shadow = cast_shadows(cv, heights)
    light = shading(cv, np.where(top, cv.canopy, cv.relief).astype(np.float32))
    # Crowns: darker in their hollows (ambient occlusion) and between crowns.
    canopy_smooth = ndimage.gaussian_filter(cv.canopy, 1.2 / cv.res * 0.5)
    occl = np.clip((canopy_smooth - cv.canopy) / 1.5, 0.0, 0.5)
    light = np.where(top, (light**1.6) * (1.0 - occl) * 1.05 + 0.05, light)
    direct = np.clip(light, 0.0, 1.6) * (1.0 - shadow)
    ambient = SHADOW_RGB[None, None, :]
    factor = ambient + (1.0 - ambient) * direct[..., None]
    cv.image *= factor
