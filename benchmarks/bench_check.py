"""How fast the rule engine and ``zacviz check`` are on this machine.

Prints, for a typical project (3 buildings, 2 surfaces) and a 100-building
project, the median time of ``check_project`` after an edit (every run moves the
buildings, so no footprint comes from a cache), and the wall time of
``zacviz check`` as a process next to ``python -c "import shapely"``.

Also the spacing rule alone on 1,000 small buildings 0.9 m apart (every
neighbouring pair failing), next to one vectorised shapely buffer of the same
footprints as an anchor.

The worst valid projects of SPEC §2 for the pair rules: 1,000 turned surfaces
stacked on one spot (the overlap rule; anchor: GEOS intersecting 10,000 of
their pairs) and 40 buildings of 10,000 vertices 1.5 m apart (the spacing rule;
anchor: GEOS's exact distance of one diagonal pair of them).

Targets: typical ≤ 1 ms, 100 buildings ≤ 20 ms, the process ≤ 1.5 × the bare
shapely import, spacing of 1,000 failing buildings ≤ 100 ms, each worst case
≤ 2 s (SPEC §2, for the whole `zacviz check`).

    python benchmarks/bench_check.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import shapely

import zacviz
from zacviz.geometry.footprint import footprint_polygons
from zacviz.io.project_file import project_to_dict
from zacviz.io.site_folder import load_site
from zacviz.model.project import Building, PolygonFootprint, Project, RectFootprint, Surface
from zacviz.rules.engine import _building_spacing, check_project

CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
X0, Y0 = 649_000.0, 6_948_000.0


def write_site(folder: Path) -> None:
    """A 400 × 300 m lot between a street (south) and a departmental road (north)."""

    def fc(features):
        return json.dumps({"type": "FeatureCollection", "crs": CRS, "features": features})

    def poly(x0, y0, x1, y1):
        return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}

    lots = [
        {
            "type": "Feature",
            "properties": {"id": "A1", "zone": "UE", "status": "available"},
            "geometry": poly(X0, Y0, X0 + 400, Y0 + 300),
        },
        {
            "type": "Feature",
            "properties": {"id": "A2", "zone": "UE", "status": "sold"},
            "geometry": poly(X0 + 400, Y0, X0 + 600, Y0 + 300),
        },
    ]
    roads = [
        {
            "type": "Feature",
            "properties": {"id": "r1", "name": "Rue des Artisans"},
            "geometry": poly(X0 - 100, Y0 - 12, X0 + 700, Y0),
        },
        {
            "type": "Feature",
            "properties": {"id": "rd", "name": "RD 916", "setback_m": 35},
            "geometry": poly(X0 - 100, Y0 + 300, X0 + 700, Y0 + 315),
        },
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lots.geojson").write_text(fc(lots))
    (folder / "roads.geojson").write_text(fc(roads))
    (folder / "site.toml").write_text(
        """[site]
id = "bench"
name = "Bench"
crs = "EPSG:2154"
[zones.UE]
max_coverage = 0.6
max_height_m = 15.0
min_setback_road_m = 10.0
min_setback_side_m = 5.0
side_setback_height_ratio = 0.5
min_building_spacing_m = 6.0
min_green_ratio = 0.15
[zones.UE.parking_m2_per_stall]
office = 40
workshop = 100
warehouse = 250
retail = 30
"""
    )


def typical_project() -> Project:
    rect = RectFootprint
    return Project(
        site="bench",
        lot="A1",
        buildings=(
            Building("b1", "warehouse", 12.0, 1, "flat", rect(X0 + 150, Y0 + 150, 80, 50, 0.0)),
            Building("b2", "office", 9.0, 3, "flat", rect(X0 + 80, Y0 + 60, 30, 15, 0.0)),
            Building("b3", "workshop", 8.0, 1, "shed", rect(X0 + 280, Y0 + 150, 40, 30, 12.0)),
        ),
        surfaces=(
            Surface("s1", "parking", rect(X0 + 150, Y0 + 60, 60, 32, 0.0)),
            Surface("s2", "yard", rect(X0 + 150, Y0 + 215, 80, 25, 0.0)),
        ),
    )


def grid_project(n: int = 100) -> Project:
    buildings = []
    cols = 10
    for i in range(n):
        cx = X0 + 30 + (i % cols) * 36.0
        cy = Y0 + 30 + (i // cols) * 26.0
        buildings.append(
            Building(f"b{i + 1}", "workshop", 8.0, 1, "flat", RectFootprint(cx, cy, 28.0, 18.0, 3.0))
        )
    return Project(site="bench", lot="A1", buildings=tuple(buildings))


def failing_grid(n: int = 1000) -> Project:
    """``n`` 9 × 9 m buildings 0.9 m apart: every neighbouring pair breaks the 6 m spacing."""
    buildings = tuple(
        Building(
            f"b{i + 1}",
            "office",
            8.0,
            1,
            "flat",
            RectFootprint(X0 + 5 + (i % 40) * 9.9, Y0 + 5 + (i // 40) * 9.9, 9.0, 9.0, 0.0),
        )
        for i in range(n)
    )
    return Project(site="bench", lot="A1", buildings=buildings)


def turned_stack(n: int = 1000) -> Project:
    """``n`` 60 × 30 m yards on one spot, each turned 0.37 rad from the last."""
    surfaces = tuple(
        Surface(f"s{i + 1}", "yard", RectFootprint(X0 + 200, Y0 + 150, 60.0, 30.0, math.degrees(i * 0.37)))
        for i in range(n)
    )
    return Project(site="bench", lot="A1", buildings=typical_project().buildings[:1], surfaces=surfaces)


def jagged_neighbours(n: int = 40, vertices: int = 10_000) -> Project:
    """``n`` star-shaped outlines of ``vertices`` vertices (radius 16–18 m), 1.5 m apart."""
    buildings = []
    for k in range(n):
        cx, cy = X0 + 20 + (k % 8) * 37.5, Y0 + 40 + (k // 8) * 42.0
        pts = tuple(
            (
                cx + (18.0 if i % 2 else 16.0) * math.cos(2 * math.pi * i / vertices),
                cy + (18.0 if i % 2 else 16.0) * math.sin(2 * math.pi * i / vertices),
            )
            for i in range(vertices)
        )
        buildings.append(Building(f"v{k + 1}", "office", 8.0, 1, "flat", PolygonFootprint(pts)))
    return Project(site="bench", lot="A1", buildings=tuple(buildings))


def concave_car_parks(n: int = 1000) -> Project:
    """``n`` car parks without ``stalls``, each a jagged 300-vertex star (150
    teeth 20 m deep, 145 m out: most of the lot, every stall row cut by teeth),
    stacked and each turned 0.01 rad from the last, so no layout comes from a
    cache; 12 MB of JSON, under the 16 MB file cap."""

    def outline(turn: float) -> tuple[tuple[float, float], ...]:
        return tuple(
            (
                X0 + 200 + (145.0 if k % 2 == 0 else 125.0) * math.cos(turn + math.pi * k / 150),
                Y0 + 150 + (145.0 if k % 2 == 0 else 125.0) * math.sin(turn + math.pi * k / 150),
            )
            for k in range(300)
        )

    return Project(
        site="bench",
        lot="A1",
        buildings=typical_project().buildings[:1],
        surfaces=tuple(Surface(f"s{i}", "parking", PolygonFootprint(outline(0.01 * i))) for i in range(n)),
    )


def bench_concave_car_parks(site) -> str:
    """The stall counts of :func:`concave_car_parks` alone, in process (the
    rest of their check is the overlap rule of a stack); anchor: GEOS growing
    the 1,000 outlines by 1e-6 m, the first step of the per-stall test."""
    from zacviz.geometry import parking
    from zacviz.geometry.lot import lot_geometry
    from zacviz.rules.engine import resolve_lot, surface_stalls

    project = concave_car_parks()
    lot = lot_geometry(site, resolve_lot(project, site)).polygon
    polys = footprint_polygons([s.footprint for s in project.surfaces])

    def counts(k: int) -> None:
        parking._COUNTS.clear()
        surface_stalls(project, lot)

    t = median_ms(counts, 3)
    t_anchor = median_ms(lambda k: shapely.buffer(polys, 1e-6), 3)
    return (
        f"stall counts, 1,000 concave car parks:            median {t:.0f} ms  (target: their whole check "
        f"≤ 2,000 ms); anchor: GEOS buffer of the 1,000 outlines {t_anchor:.0f} ms, ratio {t / t_anchor:.1f}"
    )


def nudged(p: Project, k: int) -> Project:
    """The project with every footprint moved by a hair, to defeat the caches."""
    d = 1e-3 * (k % 997 + 1)
    return replace(
        p,
        buildings=tuple(replace(b, footprint=b.footprint.moved(d, 0.0)) for b in p.buildings),
        surfaces=tuple(replace(s, footprint=s.footprint.moved(d, 0.0)) for s in p.surfaces),
    )


def median_ms(fn, repeat: int) -> float:
    times = []
    for k in range(repeat):
        t = time.perf_counter()
        fn(k)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def processes_ms(cmds: list[list[str]], repeat: int) -> list[float]:
    """Median wall time of each command; runs are interleaved so that a busy
    moment of the machine weighs on all commands alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(repeat):
        for k, cmd in enumerate(cmds):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[k].append(time.perf_counter() - t)
    return [statistics.median(t) * 1e3 for t in times]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        write_site(folder)
        site = load_site(folder)
        typical, big = typical_project(), grid_project(100)
        check_project(typical, site)  # warm the per-lot cache, as an editor would be
        t_typ = median_ms(lambda k: check_project(nudged(typical, k), site), args.repeat)
        t_big = median_ms(lambda k: check_project(nudged(big, k), site), max(20, args.repeat // 10))
        grid = failing_grid(1000)
        g_polys = footprint_polygons([b.footprint for b in grid.buildings])
        t_spacing = median_ms(lambda k: _building_spacing(grid.buildings, g_polys, 6.0), 7)
        t_anchor = median_ms(lambda k: shapely.buffer(g_polys, 6.0, quad_segs=8), 7)
        stack = turned_stack()
        stacks = [nudged(stack, k) for k in range(3)]  # moved outside the timing
        t_stack = median_ms(lambda k: check_project(stacks[k], site), 3)
        s_polys = footprint_polygons([x.footprint for x in stack.surfaces])
        si, sj = np.triu_indices(len(s_polys), 1)
        sample = slice(0, 10_000)
        t_stack_anchor = median_ms(
            lambda k: shapely.intersection(s_polys[si[sample]], s_polys[sj[sample]]), 3
        )
        jagged = jagged_neighbours()
        jaggeds = [nudged(jagged, k) for k in range(3)]
        t_jagged = median_ms(lambda k: check_project(jaggeds[k], site), 3)
        # Two diagonal neighbours: GEOS is quicker on outlines side by side.
        j_polys = footprint_polygons([jagged.buildings[0].footprint, jagged.buildings[9].footprint])
        t_jagged_anchor = median_ms(lambda k: shapely.distance(j_polys[0], j_polys[1]), 3)
        concave_line = bench_concave_car_parks(site)
        project_file = Path(tmp) / "typical.zacviz.json"
        project_file.write_text(json.dumps(project_to_dict(typical)))
        check_cmd = [sys.executable, "-m", "zacviz", "check", str(project_file), "--site", str(folder)]
        shapely_cmd = [sys.executable, "-c", "import shapely"]
        # An installed package has its bytecode compiled; do the same here, as
        # PYTHONDONTWRITEBYTECODE would otherwise make every run compile again.
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(Path(zacviz.__file__).parent)], check=True
        )
        processes_ms([check_cmd], 2)  # warm the OS file cache
        t_shapely, t_check = processes_ms([shapely_cmd, check_cmd], 21)
    print(f"check, typical project (3 buildings, 2 surfaces): median {t_typ:.3f} ms  (target ≤ 1 ms)")
    print(f"check, 100 buildings:                             median {t_big:.2f} ms  (target ≤ 20 ms)")
    print(f"process `python -c 'import shapely'`:             median {t_shapely:.0f} ms")
    print(
        f"process `zacviz check`:                           median {t_check:.0f} ms  "
        f"= {t_check / t_shapely:.2f} × shapely  (target ≤ 1.5 ×)"
    )
    print(
        f"spacing rule, 1,000 buildings all failing:        median {t_spacing:.1f} ms  (target ≤ 100 ms); "
        f"anchor: buffer of the 1,000 footprints {t_anchor:.1f} ms, ratio {t_spacing / t_anchor:.1f}"
    )
    print(
        f"overlap rule, 1,000 turned stacked surfaces:      median {t_stack:.0f} ms  (target ≤ 2,000 ms); "
        f"anchor: GEOS intersection of 10,000 of their pairs {t_stack_anchor:.0f} ms, "
        f"ratio {t_stack / t_stack_anchor:.1f}"
    )
    print(
        f"spacing rule, 40 buildings of 10,000 vertices:   median {t_jagged:.0f} ms  (target ≤ 2,000 ms); "
        f"anchor: GEOS distance of one diagonal pair of them {t_jagged_anchor:.0f} ms, "
        f"ratio {t_jagged / t_jagged_anchor:.1f}"
    )
    print(concave_line)


if __name__ == "__main__":
    main()
