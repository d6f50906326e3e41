"""The static web export (``zacviz export-web``): a folder any web host serves
and that also works when opened by double-click (``file://``).

Builder + writer (STYLE "Export = builder + writer"):

- :func:`build_web_data` turns a site, its projects and their check results
  into plain data (numbers, strings, lists) — coordinates relative to a site
  origin so the browser's float32 GL buffers keep centimetres;
- :func:`build_imagery` crops the aerial image to the site and encodes a
  phone-sized JPEG;
- :func:`write_web_export` writes ``data.js``/``imagery.js`` (scripts assigning
  globals: ``fetch()`` and ES modules do not work from ``file://``, and an image
  file loaded from ``file://`` would taint the WebGL texture, so the JPEG is a
  ``data:`` URL) and copies the viewer bundle built from ``web/``.

Progress is reported through a ``progress(fraction, label)`` callable.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.errors import InputError
from zacviz.geometry.footprint import footprint_polygon
from zacviz.geometry.lot import scene_origin
from zacviz.i18n import CATALOGUE, LANGUAGES
from zacviz.io.project_file import project_to_dict
from zacviz.model.project import Project
from zacviz.model.site import Site
from zacviz.rules.engine import check_project, resolve_lot
from zacviz.rules.results import CheckResult
from zacviz.rules.table import RULE_IDS

Progress = Callable[[float, str], None]

DATA_FORMAT = "zacviz-web"
DATA_VERSION = 1
# Long side of the ground texture: every phone GPU takes 2048², and it keeps
# the page light (the showcase goal is ≤ 4 MB).
MAX_TEXTURE_PX = 2048
JPEG_QUALITY = 80
# Imagery around the lots and roads, metres.
IMAGERY_MARGIN_M = 60.0
# The files the viewer bundle is made of (web/dist, built by `npm run build`).
VIEWER_FILES = ("index.html", "viewer.js", "viewer.css")
DEFAULT_VIEWER_DIR = Path(__file__).resolve().parents[2] / "web" / "dist"


def _no_progress(fraction: float, label: str = "") -> None:
    pass


# ------------------------------------------------------------------ builder


@dataclass(frozen=True)
class Origin:
    """The site origin subtracted from every coordinate (whole metres, so the
    millimetres of the source data survive the subtraction exactly)."""

    x: float
    y: float

    @classmethod
    def for_site(cls, site: Site) -> Origin:
        return cls(*scene_origin(site))  # the 3D view's and the GLB's origin too

    def point(self, x: float, y: float) -> list[float]:
        return [round(x - self.x, 3), round(y - self.y, 3)]

    def ring(self, coords: Iterable[Sequence[float]]) -> list[list[float]]:
        pts = [self.point(c[0], c[1]) for c in coords]
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()  # the viewer closes rings itself
        return pts

    def polygon(self, poly: Polygon) -> list[list[list[float]]]:
        """``[exterior, *holes]``, exterior counter-clockwise, holes clockwise."""
        poly = shapely.orient_polygons(poly)
        return [self.ring(poly.exterior.coords), *(self.ring(r.coords) for r in poly.interiors)]

    def polygons(self, geom: BaseGeometry) -> list[list[list[list[float]]]]:
        """Every polygon of ``geom`` (a Polygon or MultiPolygon), as :meth:`polygon`."""
        if isinstance(geom, Polygon):
            return [self.polygon(geom)]
        if isinstance(geom, MultiPolygon):
            return [self.polygon(p) for p in geom.geoms]
        return [self.polygon(p) for p in getattr(geom, "geoms", []) if isinstance(p, Polygon)]


def _json_value(value: Any) -> Any:
    """Site properties are user data: keep only what JSON carries."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _label_point(poly: Polygon) -> tuple[float, float]:
    """Where a lot's label goes: the inside point farthest from its edges (not
    the centroid, which an L-shaped lot may not contain)."""
    from shapely.ops import polylabel

    size = math.sqrt(max(poly.area, 1.0))
    p = polylabel(poly, tolerance=max(size / 50.0, 0.1))
    return (p.x, p.y)


def rule_messages() -> dict[str, dict[str, str]]:
    """The rule names and messages of the core catalogue, for the browser's
    rule engine: one translation source for Python and JavaScript."""
    keep = {*RULE_IDS, "rule", "cli"}
    return {k: dict(v) for k, v in CATALOGUE.items() if k.split(".", 1)[0] in keep}


def build_project_data(project: Project, site: Site, origin: Origin, result: CheckResult) -> dict[str, Any]:
    """One project, its drawable shapes and its verdicts in every language."""
    buildings = [
        {
            "id": b.id,
            "use": b.use,
            "roof": b.roof,
            "height_m": b.height_m,
            "storeys": b.storeys,
            "polygon": origin.polygon(footprint_polygon(b.footprint)),
        }
        for b in project.buildings
    ]
    surfaces = [
        {
            "id": s.id,
            "kind": s.kind,
            "stalls": result.stalls_by_surface.get(s.id),
            "polygon": origin.polygon(footprint_polygon(s.footprint)),
        }
        for s in project.surfaces
    ]
    return {
        "title": project.title,
        "lot": project.lot,
        "document": project_to_dict(project),
        "buildings": buildings,
        "surfaces": surfaces,
        "check": {lang: result.to_dict(lang) for lang in LANGUAGES},
    }


def build_web_data(
    site: Site,
    projects: Sequence[Project] = (),
    results: Sequence[CheckResult] | None = None,
    *,
    progress: Progress = _no_progress,
) -> dict[str, Any]:
    """The plain data the viewer shows: the site and, if any, the projects.

    ``results`` are the checks of ``projects`` (computed here when omitted).
    Raises InputError when a project's lot is not in ``site``.
    """
    origin = Origin.for_site(site)
    for project in projects:
        resolve_lot(project, site)
    if results is None:
        results = [check_project(p, site) for p in projects]
    lots = []
    for lot in site.lots:
        lots.append(
            {
                "id": lot.id,
                "name": lot.name,
                "zone": lot.zone,
                "status": lot.status,
                "area_m2": round(lot.area_m2, 2),
                "price_eur_m2": lot.price_eur_m2,
                "price_estimate_eur": None
                if lot.price_estimate_eur is None
                else round(lot.price_estimate_eur, 0),
                "rules": lot.rules.as_dict(),
                "polygon": origin.polygon(lot.polygon),
                "label": origin.point(*_label_point(lot.polygon)),
            }
        )
    progress(0.1, "lots")
    roads = [
        {"id": r.id, "name": r.name, "setback_m": r.setback_m, "polygons": origin.polygons(r.polygon)}
        for r in site.roads
    ]
    context = [
        {"id": c.id, "name": c.name, "height_m": c.height_m, "polygon": origin.polygon(c.polygon)}
        for c in site.context
        if isinstance(c.polygon, Polygon)
    ]
    landscape = [{"id": f.id, "kind": f.kind, "polygons": origin.polygons(f.polygon)} for f in site.landscape]
    progress(0.2, "site")
    minx, miny, maxx, maxy = site.bounds
    data: dict[str, Any] = {
        "format": DATA_FORMAT,
        "version": DATA_VERSION,
        "site": {
            "id": site.id,
            "name": site.name,
            "crs": site.crs,
            "origin": [origin.x, origin.y],
            "bounds": [*origin.point(minx, miny), *origin.point(maxx, maxy)],
            "illustrative": site.illustrative,
            "notice": _json_value(site.settings.get("notice")),
        },
        "zones": {z: r.as_dict() for z, r in site.zones.items()},
        "lots": lots,
        "roads": roads,
        "context": context,
        "landscape": landscape,
        "projects": [build_project_data(p, site, origin, r) for p, r in zip(projects, results, strict=True)],
        "imagery": None,
        "messages": rule_messages(),
    }
    progress(0.3, "projects")
    return data


def imagery_bounds(site: Site, margin_m: float = IMAGERY_MARGIN_M) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = site.bounds
    return (minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)


def build_imagery(
    site: Site, origin: Origin, *, max_px: int = MAX_TEXTURE_PX, quality: int = JPEG_QUALITY
) -> tuple[dict[str, Any], bytes] | None:
    """The site's aerial image cropped to the site, as a JPEG no longer than
    ``max_px`` on its long side: (placement data, JPEG bytes), or None without imagery."""
    if site.imagery_path is None:
        return None
    from PIL import Image

    from zacviz.io.imagery import Imagery, open_imagery

    info = open_imagery(site.imagery_path)
    x0, y0, x1, y1 = imagery_bounds(site)
    # Never finer than the image itself, never more than max_px.
    native = max(info.resolution[0], 1e-6)
    scale = min(max_px / max(x1 - x0, y1 - y0), 1.0 / native)
    width = max(1, int(round((x1 - x0) * scale)))
    height = max(1, int(round((y1 - y0) * scale)))
    imagery = Imagery(info)
    try:
        pixels = imagery.read((x0, y0, x1, y1), (height, width))
    finally:
        imagery.close()
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    placement = {
        "bounds": [*origin.point(x0, y0), *origin.point(x1, y1)],
        "width": width,
        "height": height,
    }
    return placement, buffer.getvalue()


# ------------------------------------------------------------------ writers


def _script(global_name: str, value: Any) -> str:
    """A classic script assigning ``window.<global_name>``.

    ``</`` is escaped so that no text from a site or project can close a
    ``<script>`` element, should the file ever be inlined.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{global_name} = {text};\n"


def viewer_dir() -> Path:
    """Where the built viewer is (``$ZACVIZ_WEB_VIEWER`` overrides ``web/dist``)."""
    env = os.environ.get("ZACVIZ_WEB_VIEWER")
    return Path(env) if env else DEFAULT_VIEWER_DIR


def copy_viewer(out: Path, source: Path | None = None) -> list[Path]:
    """Copy the viewer bundle into ``out``; InputError if it was never built."""
    source = source or viewer_dir()
    missing = [name for name in VIEWER_FILES if not (source / name).is_file()]
    if missing:
        raise InputError("the web viewer is not built: run scripts/setup.sh")
    written = []
    for name in VIEWER_FILES:
        shutil.copyfile(source / name, out / name)
        written.append(out / name)
    return written


@dataclass(frozen=True)
class WebExport:
    """What :func:`write_web_export` wrote."""

    folder: Path
    files: tuple[Path, ...]

    @property
    def index(self) -> Path:
        return self.folder / "index.html"

    @property
    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files)


def write_web_export(
    site: Site,
    projects: Sequence[Project],
    out: str | os.PathLike[str],
    *,
    progress: Progress = _no_progress,
    viewer: Path | None = None,
) -> WebExport:
    """Write the static web export of ``site`` (and ``projects``) into ``out``."""
    folder = Path(out)
    source = viewer or viewer_dir()
    if not all((source / name).is_file() for name in VIEWER_FILES):
        raise InputError("the web viewer is not built: run scripts/setup.sh")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out {folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {folder}: cannot be created ({exc.strerror or exc})") from None
    progress(0.0, "checking")
    data = build_web_data(site, projects, progress=progress)
    origin = Origin(*data["site"]["origin"])
    files: list[Path] = []
    picture = build_imagery(site, origin)
    progress(0.8, "imagery")
    imagery_js = folder / "imagery.js"
    if picture is not None:
        placement, jpeg = picture
        data["imagery"] = placement
        src = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
        imagery_js.write_text(_script("ZACVIZ_IMAGERY", src), encoding="utf-8")
    else:
        imagery_js.write_text(_script("ZACVIZ_IMAGERY", None), encoding="utf-8")
    files.append(imagery_js)
    data_js = folder / "data.js"
    data_js.write_text(_script("ZACVIZ_DATA", data), encoding="utf-8")
    files.append(data_js)
    files += copy_viewer(folder, source)
    progress(1.0, "done")
    return WebExport(folder, tuple(files))
