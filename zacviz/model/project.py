"""The project a company prepares on one lot: buildings and sealed surfaces.

Everything here is immutable: an edit makes a new object (``dataclasses.replace``)
through a command, so the geometry caches keyed by these objects stay valid and
undo is a matter of keeping the previous value.

Unknown keys met in a file are kept in ``extra`` mappings and written back, so a
newer file survives a round trip through an older zacviz.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

USES = ("office", "workshop", "warehouse", "retail")
ROOFS = ("flat", "shed", "gable", "sawtooth")
SURFACE_KINDS = ("parking", "yard", "storage")

_EMPTY: Mapping[str, Any] = MappingProxyType({})

NO_LOT = ""
"""The lot of a project not placed on a lot yet (the editor's and the kiosk's blank)."""

STOREY_HEIGHT_M = 3.5
"""The height one storey takes: how many storeys a height holds, and how high
storeys lift a roof (the editor's new buildings, the templates, the kiosk)."""


def storeys_within(height_m: float) -> int:
    """How many storeys fit under ``height_m`` (at least one)."""
    # A hair of tolerance so that 7.0 m holds two 3.5 m storeys whatever the rounding.
    return max(1, int(math.floor(height_m / STOREY_HEIGHT_M + 1e-9)))


def wrap_angle(angle_deg: float) -> float:
    """``angle_deg`` brought into [-180°, 180°), to a millionth of a degree."""
    a = round((angle_deg + 180.0) % 360.0 - 180.0, 6)
    return -180.0 if a >= 180.0 else a


def rect_angle(angle_deg: float) -> float:
    """A rectangle's angle in (-90°, 90°]: turned by 180° it is the same
    rectangle, so it is shown and stored the way a user reads it."""
    a = wrap_angle(angle_deg)
    if a > 90.0:
        a = round(a - 180.0, 6)
    elif a <= -90.0:
        a = round(a + 180.0, 6)
    return a


def frozen_extra(extra: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy of unknown keys (values are JSON data, left as they are)."""
    return MappingProxyType(dict(extra)) if extra else _EMPTY


@dataclass(frozen=True)
class RectFootprint:
    """A rectangle: centre, ``width`` along its own x axis, ``depth`` along y,
    turned ``angle_deg`` counter-clockwise from east."""

    cx: float
    cy: float
    width: float
    depth: float
    angle_deg: float = 0.0
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)
    # Unknown keys beside "rect" in the footprint object.
    outer: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.cx, self.cy)

    def corners(self) -> tuple[tuple[float, float], ...]:
        """The four corners, counter-clockwise, starting at the local (-w/2, -d/2)."""
        a = math.radians(self.angle_deg)
        c, s = math.cos(a), math.sin(a)
        hw, hd = self.width / 2.0, self.depth / 2.0
        local = ((-hw, -hd), (hw, -hd), (hw, hd), (-hw, hd))
        return tuple((self.cx + x * c - y * s, self.cy + x * s + y * c) for x, y in local)

    def moved(self, dx: float, dy: float) -> RectFootprint:
        return replace(self, cx=self.cx + dx, cy=self.cy + dy)


@dataclass(frozen=True)
class PolygonFootprint:
    """A simple polygon, vertices in the site CRS, without a closing vertex."""

    points: tuple[tuple[float, float], ...]
    closed_in_file: bool = field(default=False, compare=False)
    # Unknown keys beside "polygon" in the footprint object.
    outer: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)

    @property
    def centre(self) -> tuple[float, float]:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return ((min(xs) + max(xs)) / 2.0, (min(ys) + max(ys)) / 2.0)

    def moved(self, dx: float, dy: float) -> PolygonFootprint:
        return replace(self, points=tuple((x + dx, y + dy) for x, y in self.points))


Footprint = RectFootprint | PolygonFootprint


@dataclass(frozen=True)
class Building:
    """A hypothetical building: footprint, height to the highest point, storeys."""

    id: str
    use: str
    height_m: float
    storeys: int
    roof: str
    footprint: Footprint
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)


@dataclass(frozen=True)
class Surface:
    """Sealed ground that is not a building: parking, yard or storage."""

    id: str
    kind: str
    footprint: Footprint
    stalls: int | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)


@dataclass(frozen=True)
class Project:
    """A building project on one lot of one site."""

    site: str
    lot: str
    title: str = ""
    buildings: tuple[Building, ...] = ()
    surfaces: tuple[Surface, ...] = ()
    version: int = 1
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)

    def item(self, item_id: str) -> Building | Surface | None:
        """The building or surface with this id, or None."""
        items: tuple[Building | Surface, ...] = (*self.buildings, *self.surfaces)
        for it in items:
            if it.id == item_id:
                return it
        return None

    def ids(self) -> set[str]:
        return {b.id for b in self.buildings} | {s.id for s in self.surfaces}

    def new_id(self, prefix: str) -> str:
        """A fresh id such as ``b4`` that no building or surface uses yet."""
        taken = self.ids()
        n = 1
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"
