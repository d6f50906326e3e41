"""3D view speed: frames per second orbiting a site with 100 buildings, and
the time a scene update takes after an edit.

Goals: ≥ 30 frames/s at 1280×800 on software OpenGL (Mesa llvmpipe), an
update (one building changed: volumes, merged buffers, shadows) ≤ 30 ms, and a
sun slider step with its frame ≤ 16 ms. In-run anchors: an empty GL view of the
same size, and the same sun steps drawn without the ground cache.

Run it under an X server (``xvfb-run -a python benchmarks/bench_3d.py``). It
uses the bundled site when there is one (``--site DIR`` to choose), else builds
a synthetic park of 24 lots with a 1 m/px aerial image in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

N_BUILDINGS = 100
SIZE = (1280, 800)
ROOFS = ("flat", "shed", "gable", "sawtooth")
USES = ("office", "workshop", "warehouse", "retail")


def print_orbit(label: str, times: list[float]) -> None:
    """One orbit line: frames per second over ``times`` (seconds a frame), against the 30 fps goal."""
    fps = 1.0 / statistics.mean(times)
    verdict = "ok" if fps >= 30 else "MISSED"
    print(
        f"orbit at {SIZE[0]}×{SIZE[1]}, {label}: {fps:.1f} frames/s "
        f"(median frame {1000 * statistics.median(times):.1f} ms)  goal ≥ 30: {verdict}"
    )


def synthetic_site(root: Path) -> Path:
    """24 lots of 120 × 90 m on both sides of three roads, context buildings, imagery."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import from_origin
    from shapely.geometry import box, mapping

    x0, y0 = 650_000.0, 6_860_000.0
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
    lots, roads, context = [], [], []
    for row in range(3):
        ry = y0 + row * 200.0
        roads.append(
            {
                "type": "Feature",
                "id": f"r{row}",
                "properties": {},
                "geometry": mapping(box(x0 - 20, ry - 10, x0 + 980, ry + 10)),
            }
        )
        for col in range(8):
            for side, (a, b) in enumerate(((ry + 10, ry + 100), (ry - 100, ry - 10))):
                if row == 0 and side == 1:
                    continue
                lx = x0 + col * 120.0
                lots.append(
                    {
                        "type": "Feature",
                        "properties": {
                            "id": f"L{row}{col}{side}",
                            "zone": "UE",
                            "status": ("available", "reserved", "sold")[col % 3],
                        },
                        "geometry": mapping(box(lx + 1, a, lx + 119, b)),
                    }
                )
    for k in range(12):
        cx, cy = x0 + 60 + k * 80.0, y0 + 560.0
        context.append(
            {
                "type": "Feature",
                "properties": {"height_m": 6.0 + k % 4 * 2},
                "geometry": mapping(box(cx - 20, cy - 15, cx + 20, cy + 15)),
            }
        )
    folder = root / "bench-park"
    folder.mkdir()
    for name, feats in (("lots", lots), ("roads", roads), ("context", context)):
        (folder / f"{name}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "crs": crs, "features": feats})
        )
    (folder / "site.toml").write_text(
        '[site]\nid = "bench-park"\nname = "Bench"\ncrs = "EPSG:2154"\nimagery = "ortho.tif"\n'
        'lots = "lots.geojson"\nroads = "roads.geojson"\ncontext = "context.geojson"\n'
        "[zones.UE]\nmax_height_m = 15.0\nmin_setback_road_m = 10.0\nmin_setback_side_m = 5.0\n"
    )
    w, h = 1400, 1000
    rng = np.random.default_rng(0)
    img = rng.integers(60, 140, (3, h, w), dtype=np.uint8)
    with rasterio.open(
        folder / "ortho.tif",
        "w",
        driver="GTiff",
        width=w,
        height=h,
        count=3,
        dtype="uint8",
        crs="EPSG:2154",
        transform=from_origin(x0 - 200, y0 + 800, 1.0, 1.0),
        tiled=True,
    ) as ds:
        ds.write(img)
        ds.build_overviews([2, 4, 8], Resampling.average)
    return folder


def project_with_buildings(site, n: int):
    """``n`` buildings spread over the site's lots, all roofs and uses."""
    from zacviz.model.project import Building, Project, RectFootprint

    buildings = []
    lots = list(site.lots)
    per_lot = math.ceil(n / len(lots))
    for i in range(n):
        lot = lots[i // per_lot % len(lots)]
        k = i % per_lot
        minx, miny, maxx, maxy = lot.polygon.bounds
        cols = math.ceil(math.sqrt(per_lot))
        w, d = (maxx - minx) / (cols + 1), (maxy - miny) / (cols + 1)
        cx = minx + w * (k % cols + 1)
        cy = miny + d * (k // cols + 1)
        buildings.append(
            Building(
                f"b{i + 1}",
                USES[i % 4],
                7.0 + (i % 5) * 2.0,
                1 + i % 3,
                ROOFS[i % 4],
                RectFootprint(cx, cy, max(6.0, 0.6 * w), max(5.0, 0.5 * d), float((i * 7) % 30)),
            )
        )
    return Project(site=site.id, lot=lots[0].id, title="bench", buildings=tuple(buildings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="a site folder (default: the bundled one, else synthetic)")
    parser.add_argument("--frames", type=int, default=120)
    args = parser.parse_args(argv)

    from PySide6 import QtWidgets

    from zacviz.io.site_folder import find_site, load_site
    from zacviz.ui.view3d import View3D

    tmp = tempfile.TemporaryDirectory()
    if args.site:
        folder = Path(args.site)
    else:
        try:
            folder = find_site("belle-assise")
        except Exception:
            folder = synthetic_site(Path(tmp.name))
    site = load_site(folder)
    project = project_with_buildings(site, N_BUILDINGS)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])

    t0 = time.perf_counter()
    view = View3D(site)
    view.resize(*SIZE)
    view.show()
    app.processEvents()
    t1 = time.perf_counter()
    view.set_project(project)
    t2 = time.perf_counter()
    view.overview()
    view.repaint()
    app.processEvents()
    print(
        f"site {site.id}: {len(site.lots)} lots, {len(site.context)} existing buildings, "
        f"{N_BUILDINGS} project buildings, {view.buildings_layer.triangle_count} triangles, "
        f"ground texture {view.ground_image.texture_shape}"
    )
    print(
        f"view created in {1000 * (t1 - t0):.0f} ms; "
        f"first set_project (cold caches) {1000 * (t2 - t1):.0f} ms"
    )

    # Orbit. "Drawn": the scene rendered into the widget's framebuffer, the GL
    # pipeline drained (what the 3D view costs). "Presented": the same plus Qt's
    # composition and the copy to the X server (on Xvfb that alone costs
    # tens of ms per frame, even for an empty GLViewWidget).
    from OpenGL import GL

    def drawn_frame() -> float:
        a = time.perf_counter()
        view.orbit(3.0, 0.0)
        view.makeCurrent()
        view.paintGL()
        GL.glFinish()
        view.doneCurrent()
        return time.perf_counter() - a

    def presented_frame() -> float:
        a = time.perf_counter()
        view.orbit(3.0, 0.0)
        view.repaint()
        app.processEvents()
        return time.perf_counter() - a

    view.makeCurrent()
    GL.glViewport(0, 0, *SIZE)
    view.doneCurrent()
    for label, frame in (("drawn", drawn_frame), ("presented", presented_frame)):
        print_orbit(label, [frame() for _ in range(args.frames)][5:])

    # Edits: change one building's height (a drag's release), then the view updates.
    updates = []
    current = project
    for i in range(30):
        b = current.buildings[i % N_BUILDINGS]
        edited = replace(b, height_m=b.height_m + 0.5)
        current = replace(current, buildings=tuple(edited if x.id == b.id else x for x in current.buildings))
        a = time.perf_counter()
        view.set_project(current, failing_ids=(), selected_id=b.id)
        updates.append(time.perf_counter() - a)
    upd = 1000 * statistics.median(updates)
    print(
        f"scene update after an edit (set_project: volume, buffers, shadows): median {upd:.1f} ms, "
        f"max {1000 * max(updates):.1f} ms  goal ≤ 30 ms: {'ok' if upd <= 30 else 'MISSED'}"
    )
    sel = []
    for i in range(20):
        a = time.perf_counter()
        view.set_selected(f"b{i + 1}")
        sel.append(time.perf_counter() - a)
    print(f"selection change: median {1000 * statistics.median(sel):.1f} ms")
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from pyqtgraph.opengl import GLViewWidget

    bare = GLViewWidget()  # the anchor: an empty GL view of the same size (a clear, nothing drawn)
    bare.resize(*SIZE)
    bare.show()
    app.processEvents()

    def draw(widget) -> None:
        widget.makeCurrent()
        widget.paintGL()
        GL.glFinish()
        widget.doneCurrent()

    def timed(widget) -> float:
        a = time.perf_counter()
        draw(widget)
        return time.perf_counter() - a

    # Sun steps, interleaved: with the ground cache (the ground blitted while the
    # camera rests), without it (every layer drawn), and the bare frame.
    suns, suns_drawn, suns_uncached, still, bare_frames = [], [], [], [], []
    start = datetime(2024, 6, 21, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    draw(view)
    for i in range(20):
        for cached in (None, False):
            view.ground_cache_enabled = cached
            draw(view)  # settled: the cache is filled when enabled
            a = time.perf_counter()
            view.set_sun(start + timedelta(minutes=15 * (2 * i + (cached is False))))
            b = time.perf_counter()
            # The step until its frame is drawn (buffers uploaded, GL drained).
            draw(view)
            (suns_drawn if cached is None else suns_uncached).append(time.perf_counter() - a)
            if cached is None:
                suns.append(b - a)
                still.append(timed(view))
        bare_frames.append(timed(bare))
    view.ground_cache_enabled = None
    step, drawn, uncached, unchanged, anchor = (
        1000 * statistics.median(x) for x in (suns, suns_drawn, suns_uncached, still, bare_frames)
    )
    print(f"sun slider step (lighting + all shadows): median {step:.1f} ms")
    print(
        f"sun slider step drawn (step + its frame): median {drawn:.1f} ms  goal ≤ 16 ms: "
        f"{'ok' if drawn <= 16 else 'MISSED'}; anchor, an empty GL frame of the same size: "
        f"{anchor:.1f} ms, ratio {drawn / anchor:.2f}"
    )
    print(
        f"  the same frame unchanged: {unchanged:.1f} ms; the step drawn without the ground cache: "
        f"{uncached:.1f} ms (ratio with/without {drawn / uncached:.2f})"
    )
    bare.close()
    import resource

    # The 3D view alone, with its textures and the 100 buildings (the editor's
    # figure, plan and 3D pane together, is bench_editor's peak_rss_with_3d_mb).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    heavy = [m for m in ("trimesh", "scipy") if m in sys.modules]
    print(f"peak RSS of this process: {peak:.0f} MB; trimesh/scipy loaded: {heavy or 'no'}")
    # The editor's pane draws in a window of its own (View3DWindow): no composition,
    # the frame is presented once swapped. (After the RSS figure: a second view.)
    from zacviz.ui.view3d import View3DWindow

    window = View3DWindow(site)
    window.resize(*SIZE)
    window.show()
    window.set_project(project)
    window.overview()

    def swapped_frame() -> float:
        a = time.perf_counter()
        swaps = window.frames_swapped
        window.orbit(3.0, 0.0)  # orbit() asks for the frame (update)
        while window.frames_swapped == swaps:
            if time.perf_counter() - a > 5.0:
                raise RuntimeError("the 3D window showed no frame within 5 s")
            app.processEvents()
        return time.perf_counter() - a

    swapped_frame()
    times = [swapped_frame() for _ in range(args.frames)][5:]
    print_orbit("presented by the editor's window (View3DWindow)", times)
    window.destroy()
    view.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
