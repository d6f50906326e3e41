"""The plan picture against its anchors, in one interleaved run (targets in brackets).

For the whole site and for one lot, at 1600×1000:

- imagery: zacviz reading the aerial image for that view (every tile the plan
  asks for, one thread, as in the editor's workers) against GDAL's own read of
  the same rectangle at the same output size (one ``RasterIO``, nearest, as a
  GIS draws it), cold (a new dataset: GDAL's block cache empty) and warm
  [imagery / GDAL ≤ 1.5];
- picture: zacviz drawing the plan (aerial image, landscape, roads, existing
  buildings, lots and their labels, the project, its checks) against QGIS
  drawing the same layers on the same extent, when Debian's ``python3-qgis`` is
  installed (QGIS runs in its own process, the system Python, driven over a
  pipe so that its runs interleave with zacviz's). Warm: in a running process
  with the layers loaded (a :class:`~zacviz.ui.render.PlanPicture`; its tiles
  are dropped before each picture, so the image is read again from GDAL's
  cache as QGIS reads it), drawn only, and drawn then written to PNG. Cold: a
  new process until the PNG is written (``zacviz render`` against a QGIS
  script doing the same) [picture / QGIS ≤ 1.0].

Every figure is the median of ``--runs`` rounds; within a round the
measurements alternate, so load on the machine weighs on both sides alike.
Each figure is printed with its spread (the middle half of its rounds, p25–p75),
and each ratio with the middle half of the rounds' own ratios (each round's
zacviz over the same round's anchor): a ratio whose spread straddles the target
calls for a quieter machine or more rounds.
Run ``python benchmarks/bench_plan.py`` (``QT_QPA_PLATFORM=offscreen`` is set
when there is no display); ``--json`` prints the figures as one object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1600, 1000)
PROJECT = ROOT / "examples" / "entrepot-non-conforme.zacviz.json"
QGIS_PYTHON = "/usr/bin/python3"
TARGETS = {"imagery_over_gdal": 1.5, "picture_over_qgis": 1.0}


# ------------------------------------------------------------------ QGIS side
# Runs under the system Python (PyQt5 + qgis), from this same file: only the
# standard library is imported at module level.


def qgis_server(spec_path: str) -> None:
    """(child, system Python) load the layers once, then answer ``draw NAME`` lines
    with the drawing and PNG times of that extent; ``cold NAME OUT`` draws once and quits."""
    t_start = time.perf_counter()
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsCategorizedSymbolRenderer,
        QgsCoordinateReferenceSystem,
        QgsFillSymbol,
        QgsMapRendererSequentialJob,
        QgsMapSettings,
        QgsPalLayerSettings,
        QgsRasterLayer,
        QgsRectangle,
        QgsRendererCategory,
        QgsTextFormat,
        QgsVectorLayer,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    app = QgsApplication([], False)
    app.initQgis()

    def fill(rgba: list[int], outline: list[int], width_mm: float) -> QgsFillSymbol:
        return QgsFillSymbol.createSimple(
            {
                "color": ",".join(map(str, rgba)),
                "outline_color": ",".join(map(str, outline)),
                "outline_width": str(width_mm),
                "outline_width_unit": "MM",
            }
        )

    layers = []  # top first, as QGIS wants them
    for layer_spec in spec["vectors"]:
        layer = QgsVectorLayer(layer_spec["path"], layer_spec["name"], "ogr")
        if not layer.isValid():
            raise SystemExit(f"QGIS cannot read {layer_spec['path']}")
        if "categories" in layer_spec:
            cats = [
                QgsRendererCategory(value, fill(c["fill"], c["outline"], c["width"]), value)
                for value, c in layer_spec["categories"].items()
            ]
            layer.setRenderer(QgsCategorizedSymbolRenderer(layer_spec["field"], cats))
        else:
            layer.renderer().setSymbol(fill(layer_spec["fill"], layer_spec["outline"], layer_spec["width"]))
        if layer_spec.get("label"):
            settings = QgsPalLayerSettings()
            settings.fieldName = layer_spec["label"]
            fmt = QgsTextFormat()
            fmt.setSize(10)
            settings.setFormat(fmt)
            layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
            layer.setLabelsEnabled(True)
        layers.append(layer)
    ortho = QgsRasterLayer(spec["imagery"], "ortho", "gdal")
    if not ortho.isValid():
        raise SystemExit(f"QGIS cannot read {spec['imagery']}")
    layers.append(ortho)

    def settings_for(name: str) -> QgsMapSettings:
        x0, y0, x1, y1 = spec["extents"][name]
        ms = QgsMapSettings()
        ms.setLayers(layers)
        ms.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
        ms.setOutputSize(QSize(*spec["size"]))
        ms.setOutputDpi(96)
        ms.setBackgroundColor(QColor(255, 255, 255))
        ms.setExtent(QgsRectangle(x0, y0, x1, y1))
        return ms

    def draw(name: str):
        job = QgsMapRendererSequentialJob(settings_for(name))
        job.start()
        job.waitForFinished()
        return job.renderedImage()

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "draw":
            t0 = time.perf_counter()
            image = draw(words[1])
            t1 = time.perf_counter()
            image.save(spec["png"], "PNG")
            t2 = time.perf_counter()
            print(json.dumps({"draw": t1 - t0, "png": t2 - t1}), flush=True)
        elif words[0] == "cold":
            draw(words[1]).save(words[2], "PNG")
            print(json.dumps({"in_process": time.perf_counter() - t_start}), flush=True)
            break
        elif words[0] == "quit":
            break
    app.exitQgis()


def qgis_available() -> str | None:
    """None when QGIS can be driven, else why not."""
    if not Path(QGIS_PYTHON).is_file():
        return f"{QGIS_PYTHON} not found"
    probe = subprocess.run(
        [QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, env=_qgis_env()
    )
    if probe.returncode != 0:
        return "python3-qgis is not installed (apt-get install python3-qgis qgis-providers)"
    return None


def _qgis_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


class QgisProcess:
    """A QGIS child that answers draw requests."""

    def __init__(self, spec_path: Path) -> None:
        self.proc = subprocess.Popen(
            [QGIS_PYTHON, __file__, "--qgis-server", str(spec_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=_qgis_env(),
        )

    def ask(self, line: str) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        while True:
            answer = self.proc.stdout.readline()
            if not answer:
                raise RuntimeError("the QGIS process stopped")
            if answer.startswith("{"):
                return json.loads(answer)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, BrokenPipeError):
            self.ask("quit")
        self.proc.wait(timeout=30)


# ---------------------------------------------------------------- zacviz side


def _rgba(colour) -> list[int]:
    return [colour.red(), colour.green(), colour.blue(), colour.alpha()]


def write_qgis_spec(tmp: Path, folder: Path, site, project, extents: dict[str, tuple]) -> Path:
    """The layers QGIS draws: the site's files, the project as GeoJSON, the plan's colours."""
    import shapely

    from zacviz.geometry.footprint import footprint_polygon
    from zacviz.ui import style

    features = []
    for obj in (*project.surfaces, *project.buildings):
        features.append(
            {
                "type": "Feature",
                "properties": {"id": obj.id},
                "geometry": shapely.geometry.mapping(footprint_polygon(obj.footprint)),
            }
        )
    project_path = tmp / "project.geojson"
    project_path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
                "features": features,
            }
        ),
        encoding="utf-8",
    )
    statuses = {
        status: {"fill": [*_rgba(c)[:3], 85], "outline": _rgba(c)[:3], "width": 0.5}
        for status, c in style.LOT_STATUS_COLOURS.items()
    }

    def layer(name: str, path: Path, fill: list[int], outline: list[int], width: float) -> dict:
        return {"name": name, "path": str(path), "fill": fill, "outline": outline, "width": width}

    vectors = [
        layer("project", project_path, [60, 150, 160, 235], [20, 20, 20], 0.3),
        {"name": "lots", "path": str(folder / "lots.geojson"), "field": "status", "categories": statuses},
        layer("context", folder / "context.geojson", [*_rgba(style.CONTEXT)[:3], 215], [90, 90, 90], 0.26),
        layer("roads", folder / "roads.geojson", [*_rgba(style.ROAD)[:3], 170], [30, 30, 30], 0.26),
        layer(
            "landscape", folder / "landscape.geojson", [*_rgba(style.LANDSCAPE)[:3], 90], [120, 170, 90], 0.26
        ),
    ]
    vectors[1]["label"] = "id"
    spec = {
        "imagery": str(site.imagery_path),
        "vectors": [v for v in vectors if Path(v["path"]).is_file()],
        "extents": extents,
        "size": list(SIZE),
        "png": str(tmp / "qgis.png"),
    }
    path = tmp / "qgis.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def gdal_read(path: Path, rect: tuple[float, float, float, float], ds=None):
    """GDAL's own read of ``rect`` at the picture's size: one RasterIO, nearest."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.windows import from_bounds

    own = ds is None
    if own:
        ds = rasterio.open(path)
    x0, y0, x1, y1 = rect
    ix0, iy0, ix1, iy1 = ds.bounds
    cx0, cy0, cx1, cy1 = max(x0, ix0), max(y0, iy0), min(x1, ix1), min(y1, iy1)
    cols = round(SIZE[0] * (cx1 - cx0) / (x1 - x0))
    rows = round(SIZE[1] * (cy1 - cy0) / (y1 - y0))
    data = ds.read(
        [1, 2, 3],
        window=from_bounds(cx0, cy0, cx1, cy1, transform=ds.transform),
        out_shape=(3, rows, cols),
        resampling=Resampling.nearest,
    )
    if own:
        ds.close()
    return data


def zacviz_imagery(layer, fresh: bool) -> int:
    """Read every tile the plan shows, one after the other; returns the pixels read."""
    from zacviz.io import imagery
    from zacviz.ui import imagery_layer

    kept = None
    if fresh:  # a new dataset, GDAL's block cache empty; the plan's own handles are set aside
        kept = imagery._free.pop(layer.info.path, [])
    _, keys = layer.visible_keys()
    images = []  # all kept until the view is read, as the plan shows them together
    for key in keys:
        job = imagery_layer._TileJob(layer, key)
        job.wanted = {key}
        images.append(job.image())  # what a worker of the plan does: read, convert
    pixels = sum(image.width() * image.height() for image in images)
    if kept is not None:
        for handle in imagery._free.pop(layer.info.path, []):
            handle.close()
        imagery._free[layer.info.path] = kept
    return pixels


def _median_ms(values: list[float]) -> float:
    return 1000.0 * statistics.median(values)


def _quartiles(values: list[float]) -> tuple[float, float]:
    """p25 and p75 of ``values`` (both the value itself when there is one)."""
    if len(values) < 2:
        return values[0], values[0]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qgis-server", metavar="SPEC", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=15, help="rounds (medians are printed)")
    parser.add_argument("--cold-runs", type=int, default=3, help="rounds of new processes")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    if args.qgis_server:
        qgis_server(args.qgis_server)
        return 0
    if not (os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # zacviz bounds GDAL's block cache to one editor's needs; here the benchmark's
    # own datasets, zacviz's handles and the plan's share one cache, which would
    # evict between rounds and turn "warm" into cold. QGIS keeps GDAL's default
    # (5 % of the memory): give this process as much room for the warm figures.
    os.environ.setdefault("GDAL_CACHEMAX", "5%")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import Qt

    from zacviz.app import application
    from zacviz.io.imagery import open_imagery
    from zacviz.io.project_file import load_project
    from zacviz.io.site_folder import find_site, load_site
    from zacviz.ui.plan_view import PlanView
    from zacviz.ui.render import PNG_QUALITY, PlanPicture, plan_picture

    project = load_project(PROJECT)
    folder = find_site(project.site)
    site = load_site(folder)
    app = application()
    info = open_imagery(site.imagery_path)
    names = ("site", "lot")

    # The rectangles the plan shows (the view keeps the picture's aspect), and
    # a plan at each of them whose imagery layer names the tiles it reads.
    extents, layers, views = {}, {}, []
    for name in names:
        _, rect = plan_picture(project, site, SIZE, name)
        extents[name] = rect
        view = PlanView(site, info, interactive=False)
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        view.resize(*SIZE)
        view.show()
        app.processEvents()
        view.zoom_to_bounds(rect, 0.0)
        app.processEvents()
        view.imagery_layer.shutdown()  # the benchmark reads its tiles itself
        layers[name] = view.imagery_layer
        views.append(view)

    why_not = qgis_available()
    tmp = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    qgis = None
    if why_not is None:
        spec = write_qgis_spec(tmp, Path(folder), site, project, extents)
        qgis = QgisProcess(spec)
    else:
        print(f"QGIS skipped: {why_not}", file=sys.stderr)

    import rasterio

    samples: dict[str, list[float]] = {}

    def add(key: str, seconds: float) -> None:
        samples.setdefault(key, []).append(seconds)

    gdal_ds = rasterio.open(site.imagery_path)
    picture = PlanPicture(site, SIZE)
    for name in names:  # warm both sides' caches once
        picture.draw(project, name)
        gdal_read(site.imagery_path, extents[name], gdal_ds)
        zacviz_imagery(layers[name], fresh=False)
        if qgis is not None:
            qgis.ask(f"draw {name}")
    for _ in range(max(1, args.runs)):
        for name in names:
            rect = extents[name]
            t0 = time.perf_counter()
            gdal_read(site.imagery_path, rect)
            t1 = time.perf_counter()
            zacviz_imagery(layers[name], fresh=True)
            t2 = time.perf_counter()
            gdal_read(site.imagery_path, rect, gdal_ds)
            t3 = time.perf_counter()
            zacviz_imagery(layers[name], fresh=False)
            t4 = time.perf_counter()
            add(f"{name}.gdal_cold", t1 - t0)
            add(f"{name}.imagery_cold", t2 - t1)
            add(f"{name}.gdal_warm", t3 - t2)
            add(f"{name}.imagery_warm", t4 - t3)
            if picture.view.imagery_layer is not None:
                picture.view.imagery_layer.clear()
            t0 = time.perf_counter()
            image, _ = picture.draw(project, name)
            t1 = time.perf_counter()
            image.save(str(tmp / "zacviz.png"), "PNG", PNG_QUALITY)
            t2 = time.perf_counter()
            add(f"{name}.zacviz_draw", t1 - t0)
            add(f"{name}.zacviz_draw_png", t2 - t0)
            if qgis is not None:
                answer = qgis.ask(f"draw {name}")
                add(f"{name}.qgis_draw", answer["draw"])
                add(f"{name}.qgis_draw_png", answer["draw"] + answer["png"])
    gdal_ds.close()
    picture.close()
    if qgis is not None:
        qgis.close()

    # Cold: new processes, until the PNG is on disk.
    env = os.environ.copy()
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    for _ in range(max(1, args.cold_runs)):
        for name in names:
            out = tmp / f"cold-{name}.png"
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "zacviz", "render", str(PROJECT), "--extent", name, "--out", str(out)],
                check=True,
                capture_output=True,
                env=env,
            )
            add(f"{name}.zacviz_cold", time.perf_counter() - t0)
            if why_not is None:
                t0 = time.perf_counter()
                child = QgisProcess(tmp / "qgis.json")
                child.ask(f"cold {name} {tmp / f'qgis-cold-{name}.png'}")
                child.proc.wait(timeout=60)
                add(f"{name}.qgis_cold", time.perf_counter() - t0)

    for view in views:
        view.shutdown()
        view.close()

    figures: dict[str, object] = {
        "platform": os.environ.get("QT_QPA_PLATFORM") or "display",
        "load": os.getloadavg()[0],
        "qgis": "skipped: " + why_not if why_not else "3.x (system python3-qgis)",
    }
    for key, values in sorted(samples.items()):
        figures[f"{key}_ms"] = round(_median_ms(values), 2)
        q1, q3 = _quartiles(values)
        figures[f"{key}_p25_ms"] = round(1000.0 * q1, 2)
        figures[f"{key}_p75_ms"] = round(1000.0 * q3, 2)
    ratios: dict[str, float] = {}
    spreads: dict[str, tuple[float, float]] = {}  # p25, p75 of the rounds' own ratios

    def ratio(key: str, ours: list[float], anchor: list[float]) -> None:
        ratios[key] = statistics.median(ours) / statistics.median(anchor)
        # The rounds interleave both sides: the i-th of each list are of the same round.
        spreads[key] = _quartiles([z / a for z, a in zip(ours, anchor, strict=True)])

    for name in names:
        for state in ("cold", "warm"):
            ratio(
                f"{name}.imagery_over_gdal_{state}",
                samples[f"{name}.imagery_{state}"],
                samples[f"{name}.gdal_{state}"],
            )
        if qgis is not None:
            for what in ("draw", "draw_png", "cold"):
                z, q = samples.get(f"{name}.zacviz_{what}"), samples.get(f"{name}.qgis_{what}")
                if z and q:
                    ratio(f"{name}.picture_over_qgis_{what}", z, q)
    figures.update({k: round(v, 3) for k, v in ratios.items()})
    for key, (q1, q3) in spreads.items():
        figures[f"{key}_p25"] = round(q1, 3)
        figures[f"{key}_p75"] = round(q3, 3)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"load average {figures['load']:.2f}; QGIS: {figures['qgis']}; {SIZE[0]}×{SIZE[1]} px; "
        f"{max(1, args.runs)} warm rounds, {max(1, args.cold_runs)} cold; median [p25–p75]"
    )
    print(f"  {'figure':30s} {'zacviz':>22s}   {'anchor':>27s}   {'ratio':>6s} {'[rounds]':>13s}")
    rows = [
        ("imagery, cold", "imagery_cold", "GDAL", "gdal_cold", "imagery_over_gdal_cold"),
        ("imagery, warm", "imagery_warm", "GDAL", "gdal_warm", "imagery_over_gdal_warm"),
        ("picture, warm, drawn", "zacviz_draw", "QGIS", "qgis_draw", "picture_over_qgis_draw"),
        ("picture, warm, + PNG", "zacviz_draw_png", "QGIS", "qgis_draw_png", "picture_over_qgis_draw_png"),
        ("picture, cold process", "zacviz_cold", "QGIS", "qgis_cold", "picture_over_qgis_cold"),
    ]
    for name in names:
        for label, ours, anchor_name, anchor, ratio_key in rows:
            z = figures.get(f"{name}.{ours}_ms")
            a = figures.get(f"{name}.{anchor}_ms")
            value = ratios.get(f"{name}.{ratio_key}")
            if z is None:
                continue

            def spread(key: str) -> str:
                return f"[{figures[key + '_p25_ms']:.0f}–{figures[key + '_p75_ms']:.0f}]"

            ours_text = f"{z:8.2f} ms {spread(f'{name}.{ours}'):>9s}"
            anchor_text = (
                f"{anchor_name} {a:8.2f} ms {spread(f'{name}.{anchor}'):>9s}"
                if a is not None
                else f"{anchor_name} {'—':>8s}   {'':9s}"
            )
            ratio_text = ""
            if value is not None:
                q1, q3 = spreads[f"{name}.{ratio_key}"]
                ratio_text = f"{value:6.2f}× [{q1:.2f}–{q3:.2f}]"
            target = next((t for k, t in TARGETS.items() if k in ratio_key), None)
            mark = ""
            if value is not None and target is not None:
                mark = " ok" if value <= target else f" OVER (target {target:g})"
            print(f"  {name + ' ' + label:30s} {ours_text}   {anchor_text}   {ratio_text}{mark}")
    print(f"pictures (cold-*.png by zacviz, qgis-cold-*.png by QGIS) to compare side by side: {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
