"""The worst valid projects of SPEC §2 through ``zacviz check``, ``render`` and
``report``, each as a process of its own: wall time, peak memory and CPU
time (all threads; on a loaded machine a better guide than the wall time,
which then counts the waits for a core).

Targets (SPEC §2, on a quiet machine): ``check`` ≤ 2 s, ``render`` and
``report`` ≤ 20 s, each ≤ 1 GB.

Anchor: a process doing a fixed GEOS workload (``import shapely``, then 2,000
turned 60-vertex stars buffered by 1 m), run just before each measurement, so
that the ratio says how far a figure is from the anchor whatever the load
(the CPU ratio: CPU time against the anchor's).

The cases (all within the limits):

- ``stars``: 1,000 concave 60-vertex stars stacked on one spot as yards, each
  turned 0.01 rad from the last (every pair overlaps, hulls bound nothing);
- ``star-buildings``: the same stars as buildings (the spacing rule, the union);
- ``60-gons``: 1,000 convex 60-gons stacked as yards, each turned 0.01 rad;
- ``car-parks``: 1,000 60 × 30 m car parks without ``stalls``, stacked, each
  turned 0.37 rad;
- ``concave-car-parks``: 1,000 car parks without ``stalls``, each a jagged
  300-vertex star (150 teeth 20 m deep, 145 m out: most of the lot, every
  stall row cut by teeth), stacked and each turned 0.01 rad from the last, so
  no layout comes from a cache (12 MB of JSON, under the 16 MB file cap);
- ``failing-grid``: 1,000 9 m buildings 0.9 m apart (every neighbour fails
  the spacing rule);
- ``10k-vertices``: 40 buildings of 10,000 vertices 1.5 m apart;
- ``10-km``: 500 buildings and 500 car parks on a ring 9.9 km from the lot.

    python benchmarks/bench_heavy.py [--cases stars,car-parks] [--commands check,report]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import (
    X0,
    Y0,
    concave_car_parks,
    failing_grid,
    jagged_neighbours,
    turned_stack,
    typical_project,
    write_site,
)

from zacviz.io.project_file import project_to_dict
from zacviz.model.project import Building, PolygonFootprint, Project, RectFootprint, Surface

TARGET_S = {"check": 2.0, "plan": 20.0, "3d": 20.0, "report": 20.0}
TARGET_MB = 1024


def star(cx: float, cy: float, turn: float, r_in: float = 35.0, r_out: float = 60.0, points: int = 30):
    return tuple(
        (
            cx + (r_out if k % 2 == 0 else r_in) * math.cos(turn + math.pi * k / points),
            cy + (r_out if k % 2 == 0 else r_in) * math.sin(turn + math.pi * k / points),
        )
        for k in range(2 * points)
    )


def star_stack(r_in: float = 35.0, buildings: bool = False, n: int = 1000) -> Project:
    feet = [PolygonFootprint(star(X0 + 200, Y0 + 150, 0.01 * i, r_in)) for i in range(n)]
    if buildings:
        return Project(
            site="bench",
            lot="A1",
            buildings=tuple(Building(f"b{i}", "office", 8.0, 1, "flat", f) for i, f in enumerate(feet)),
        )
    return Project(
        site="bench",
        lot="A1",
        buildings=typical_project().buildings[:1],
        surfaces=tuple(Surface(f"s{i}", "yard", f) for i, f in enumerate(feet)),
    )


def far_away(n: int = 500) -> Project:
    buildings, surfaces = [], []
    for i in range(n):
        a = 2 * math.pi * i / n
        cx, cy = X0 + 200 + 9_880 * math.cos(a), Y0 + 150 + 9_880 * math.sin(a)
        buildings.append(
            Building(f"b{i}", "office", 8.0, 1, "flat", RectFootprint(cx, cy, 20, 10, math.degrees(a)))
        )
        surfaces.append(Surface(f"s{i}", "parking", RectFootprint(cx + 3.5, cy, 17, 6, 0.0)))
    return Project(site="bench", lot="A1", buildings=tuple(buildings), surfaces=tuple(surfaces))


def car_parks() -> Project:
    stack = turned_stack()
    return replace(stack, surfaces=tuple(replace(s, kind="parking") for s in stack.surfaces))


CASES = {
    "stars": lambda: star_stack(),
    "star-buildings": lambda: star_stack(buildings=True),
    "60-gons": lambda: star_stack(r_in=60.0),
    "car-parks": car_parks,
    "concave-car-parks": concave_car_parks,
    "failing-grid": lambda: failing_grid(1000),
    "10k-vertices": lambda: jagged_neighbours(),
    "10-km": far_away,
}

ANCHOR = (
    "import math, shapely\n"
    "pts = [[(math.cos(math.pi * k / 30 + 0.01 * i) * (60 if k % 2 == 0 else 35),"
    " math.sin(math.pi * k / 30 + 0.01 * i) * (60 if k % 2 == 0 else 35)) for k in range(60)]"
    " for i in range(2_000)]\n"
    "shapely.buffer(shapely.polygons(pts), 1.0)\n"
)

# Runs ARGS as a child; prints its exit status, wall time, peak memory and CPU
# time, user + system, all threads (only that child's: RUSAGE_CHILDREN of a
# process of its own). On a loaded machine the CPU time varies less than the
# wall time: a two-thread check waits for the cores as much as it works.
_RUN = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "dt = time.perf_counter() - t\n"
    "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(p.returncode, dt, ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime)\n"
    "sys.stderr.write(p.stderr[-2000:])\n"
)


def measure(cmd: list[str]) -> tuple[int, float, float, float, str]:
    out = subprocess.run([sys.executable, "-c", _RUN, *cmd], capture_output=True, text=True, check=True)
    rc, dt, rss, cpu = out.stdout.split()
    return int(rc), float(dt), float(rss), float(cpu), out.stderr


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--commands", default="check,plan,3d,report")
    args = ap.parse_args()
    zacviz = [sys.executable, "-m", "zacviz"]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "bench"
        write_site(site)
        for name in args.cases.split(","):
            path = Path(tmp) / f"{name}.zacviz.json"
            path.write_text(json.dumps(project_to_dict(CASES[name]())))
            for command in args.commands.split(","):
                if command == "check":
                    cmd = [*zacviz, "check", str(path)]
                elif command in ("plan", "3d"):
                    cmd = [
                        *zacviz,
                        "render",
                        str(path),
                        "--view",
                        command,
                        "--out",
                        f"{tmp}/{name}-{command}.png",
                    ]
                else:
                    cmd = [*zacviz, "report", str(path), "--out", f"{tmp}/{name}.pdf"]
                _, anchor, _, anchor_cpu, _ = measure([sys.executable, "-c", ANCHOR])
                rc, dt, mb, cpu, err = measure([*cmd, "--site", str(site)])
                ok = rc in (0, 1) and dt <= TARGET_S[command] and mb <= TARGET_MB
                verdict = "ok" if ok else ("FAILED" if rc not in (0, 1) else "MISSED")
                print(
                    f"{name:15} {command:6} {dt:6.2f} s {mb:5.0f} MB  (target ≤ {TARGET_S[command]:.0f} s, "
                    f"≤ {TARGET_MB} MB: {verdict}); anchor {anchor:.2f} s, ratio {dt / anchor:.2f}; "
                    f"CPU {cpu:.2f} s, anchor's {anchor_cpu:.2f} s, ratio {cpu / anchor_cpu:.2f}; "
                    f"load {load()}",
                    flush=True,
                )
                if rc not in (0, 1):
                    print("   " + err.strip().splitlines()[-1] if err.strip() else "   (no message)")


if __name__ == "__main__":
    main()
