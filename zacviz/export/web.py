"""The static web export (``zacviz export-web``): a folder any web host serves
and that also works when opened by double-click (``file://``).

Builder + writer (STYLE "Export = builder + writer"):

- :func:`build_web_data` turns a site, its projects and their check results
  into plain data (numbers, strings, lists) — coordinates relative to a site
  origin so the browser's float32 GL buffers keep centimetres. For every
  available lot it carries the starting layout of every template
  (:func:`zacviz.design.templates.apply_template`, SPEC §6), so that the page
  never re-implements the templates;
- :func:`build_imagery` crops the aerial image to the site and encodes a
  phone-sized JPEG; :func:`build_close_imagery` crops it to one lot and a margin
  at the image's own resolution, for the page's plan mode;
- :func:`write_web_export` writes ``data.js``/``imagery.js`` (and
  ``imagery-first.js``, the same image smaller for the first frame)/``lots/<n>.js``
  (scripts assigning globals: ``fetch()`` and ES modules do not work from
  ``file://``, and an image file loaded from ``file://`` would taint the WebGL
  texture, so the JPEGs are ``data:`` URLs), the accessibility statement pages
  (:mod:`zacviz.export.statement`) and copies the viewer bundle built from ``web/``.

Progress is reported through a ``progress(fraction, label)`` callable.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from zacviz.design.templates import TEMPLATES, TemplateDoesNotFit, apply_template
from zacviz.errors import InputError
from zacviz.export import statement
from zacviz.geometry.footprint import footprint_polygon
from zacviz.geometry.lot import scene_origin
from zacviz.i18n import CATALOGUE, LANGUAGES, tr
from zacviz.io.project_file import project_to_dict
from zacviz.model.project import Project
from zacviz.model.site import Lot, Site
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
# The same image, at most this long, for the page's first frame (imagery-first.js,
# loaded before the viewer): a quarter of the pixels to decode and to upload;
# imagery.js, loaded after the first frame, then replaces it.
FIRST_TEXTURE_PX = 1024
# Imagery around the lots and roads, metres.
IMAGERY_MARGIN_M = 60.0
# Close imagery of each available lot (the page's plan mode): the lot and this
# margin, at the image's own resolution but never more than CLOSE_MAX_PX on a
# side (a huge lot is read from the overviews), at a quality that keeps the
# bundled site's whole export within 4 MB (12 lots: about 1.1 MB of scripts).
CLOSE_MARGIN_M = 25.0
CLOSE_MAX_PX = 2048
CLOSE_JPEG_QUALITY = 70
LOTS_DIR = "lots"
# The files the viewer bundle is made of (web/dist, built by `npm run build`).
VIEWER_FILES = ("index.html", "viewer.js", "editor.js", "checker.js", "viewer.css")
WEB_DIR = Path(__file__).resolve().parents[2] / "web"
DEFAULT_VIEWER_DIR = WEB_DIR / "dist"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


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


def template_catalogue() -> list[dict[str, Any]]:
    """The templates the page offers, in the desktop editor's and kiosk's order and words."""
    return [
        {
            "id": tid,
            "label": {lang: tr(f"template.{tid}", lang) for lang in LANGUAGES},
            "blurb": {lang: tr(f"template.{tid}.blurb", lang) for lang in LANGUAGES},
        }
        for tid in TEMPLATES
    ]


def _template_layouts(site: Site, lot: Lot) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tid in TEMPLATES:
        try:
            project = apply_template(site, lot, tid)
        except TemplateDoesNotFit:
            out[tid] = {
                "error": {
                    lang: tr("template.does_not_fit", lang, lot=lot.id, template=tr(f"template.{tid}", lang))
                    for lang in LANGUAGES
                }
            }
            continue
        doc = project_to_dict(project)
        out[tid] = {"buildings": doc["buildings"], "surfaces": doc["surfaces"]}
    return out


def lot_templates(site: Site, lot: Lot) -> dict[str, Any] | None:
    """Every template's starting layout on ``lot`` (SPEC §2 items, site
    coordinates), or its ``error`` when it does not fit; None unless the lot is
    available. Kept on the site: building the data again for the same site
    object (a second export in one process) does not lay them out again."""
    if lot.status != "available":
        return None
    layouts: dict[str, Any] = site.cached(
        ("web_templates", lot.id), lambda: _template_layouts(site, lot), lot
    )
    return json.loads(json.dumps(layouts))  # a copy: callers may change theirs


def contact_email(site: Site) -> str | None:
    """site.toml ``[site] contact_email``: a plain address (it becomes a mailto: link), or None."""
    value = site.settings.get("contact_email")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 254 or not _EMAIL.fullmatch(value):
        raise InputError("site.toml: site.contact_email: not an e-mail address (name@domain.fr)")
    return value


def viewer_url(site: Site) -> str | None:
    """site.toml ``[site] viewer_url``: an http(s) address, or None."""
    value = site.settings.get("viewer_url")
    if value is None or value == "":
        return None
    ok = isinstance(value, str) and len(value) <= 2000 and not re.search(r"[\s\x00-\x1f\x7f]", value)
    if ok:
        parts = urllib.parse.urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not ok:
        raise InputError("site.toml: site.viewer_url: not an http(s) address")
    return str(value)


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
    email, url = contact_email(site), viewer_url(site)
    lots = []
    for i, lot in enumerate(site.lots):
        progress(0.05 + 0.5 * i / max(len(site.lots), 1), "templates")
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
                "templates": lot_templates(site, lot),
                "close_imagery": None,  # set by the writer, which writes the image
            }
        )
    progress(0.55, "lots")
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
    progress(0.6, "site")
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
            "contact_email": email,
            "viewer_url": url,
        },
        "templates": template_catalogue(),
        "zones": {z: r.as_dict() for z, r in site.zones.items()},
        "lots": lots,
        "roads": roads,
        "context": context,
        "landscape": landscape,
        "projects": [build_project_data(p, site, origin, r) for p, r in zip(projects, results, strict=True)],
        "imagery": None,
        "messages": rule_messages(),
    }
    progress(0.65, "projects")
    return data


def imagery_bounds(site: Site, margin_m: float = IMAGERY_MARGIN_M) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = site.bounds
    return (minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)


def _jpeg(pixels: Any, quality: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def first_imagery(jpeg: bytes, max_px: int = FIRST_TEXTURE_PX, quality: int = JPEG_QUALITY) -> bytes | None:
    """The site's image (JPEG bytes from :func:`build_imagery`) no longer than
    ``max_px`` on its long side, same extent, for the page's first frame; None
    when the image is no longer than that already."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(jpeg)) as image:
        width, height = image.size
        if max(width, height) <= max_px:
            return None
        scale = max_px / max(width, height)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    return _jpeg(np.asarray(small), quality)


def build_imagery(
    site: Site, origin: Origin, *, max_px: int = MAX_TEXTURE_PX, quality: int = JPEG_QUALITY
) -> tuple[dict[str, Any], bytes] | None:
    """The site's aerial image cropped to the site, as a JPEG no longer than
    ``max_px`` on its long side: (placement data, JPEG bytes), or None without imagery."""
    if site.imagery_path is None:
        return None
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
    placement = {
        "bounds": [*origin.point(x0, y0), *origin.point(x1, y1)],
        "width": width,
        "height": height,
    }
    return placement, _jpeg(pixels, quality)


def close_imagery_window(
    lot: Lot, info: Any, *, margin_m: float = CLOSE_MARGIN_M, max_px: int = CLOSE_MAX_PX
) -> tuple[tuple[float, float, float, float], int, int] | None:
    """Where to read a lot's close image: (bounds, width, height), or None when
    the image does not reach the lot.

    The lot's box plus ``margin_m``, cut to the image and snapped to its pixel
    grid, so that at the native resolution each output pixel is one pixel of
    the image (no resampling); at most ``max_px`` pixels on a side.
    """
    left, bottom, right, top = info.bounds
    rx, ry = max(info.resolution[0], 1e-6), max(info.resolution[1], 1e-6)
    lx0, ly0, lx1, ly1 = lot.polygon.bounds
    x0, y0 = max(lx0 - margin_m, left), max(ly0 - margin_m, bottom)
    x1, y1 = min(lx1 + margin_m, right), min(ly1 + margin_m, top)
    if x1 <= x0 or y1 <= y0:
        return None
    c0, c1 = math.floor((x0 - left) / rx + 1e-9), math.ceil((x1 - left) / rx - 1e-9)
    r0, r1 = math.floor((top - y1) / ry + 1e-9), math.ceil((top - y0) / ry - 1e-9)
    cols, rows = max(1, c1 - c0), max(1, r1 - r0)
    bounds = (left + c0 * rx, top - (r0 + rows) * ry, left + (c0 + cols) * rx, top - r0 * ry)
    scale = min(1.0, max_px / max(cols, rows))
    return bounds, max(1, int(round(cols * scale))), max(1, int(round(rows * scale)))


def build_close_imagery(
    site: Site,
    origin: Origin,
    *,
    margin_m: float = CLOSE_MARGIN_M,
    max_px: int = CLOSE_MAX_PX,
    quality: int = CLOSE_JPEG_QUALITY,
    progress: Progress = _no_progress,
) -> Iterator[tuple[int, dict[str, Any], bytes]]:
    """The close image of every available lot the aerial image reaches, one
    at a time (a site of many lots is never held in memory at once): the lot's
    index in ``site.lots``, its placement data and the JPEG bytes."""
    if site.imagery_path is None:
        return
    from zacviz.io.imagery import Imagery, open_imagery

    info = open_imagery(site.imagery_path)
    imagery = Imagery(info)
    try:
        for i, lot in enumerate(site.lots):
            progress(i / max(len(site.lots), 1), lot.id)
            if lot.status != "available":
                continue
            window = close_imagery_window(lot, info, margin_m=margin_m, max_px=max_px)
            if window is None:
                continue
            (x0, y0, x1, y1), width, height = window
            pixels = imagery.read((x0, y0, x1, y1), (height, width))
            placement = {
                "script": f"{LOTS_DIR}/{i}.js",
                "bounds": [*origin.point(x0, y0), *origin.point(x1, y1)],
                "width": width,
                "height": height,
            }
            yield i, placement, _jpeg(pixels, quality)
    finally:
        imagery.close()


# ------------------------------------------------------------------ writers


def _js_value(value: Any) -> str:
    """``value`` as a JavaScript literal (JSON) that no text from a site or
    project can end early: ``</`` is escaped so that it cannot close a
    ``<script>`` element, should the file ever be inlined."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script(global_name: str, value: Any) -> str:
    """A classic script assigning ``window.<global_name>``."""
    return f"window.{global_name} = {_js_value(value)};\n"


def _lot_imagery_script(lot_id: str, jpeg: bytes) -> str:
    """``lots/<n>.js``: adds one lot's close image to ``window.ZACVIZ_LOT_IMAGERY``."""
    src = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
    return (
        "(window.ZACVIZ_LOT_IMAGERY = window.ZACVIZ_LOT_IMAGERY || {})"
        f"[{_js_value(lot_id)}] = {_js_value(src)};\n"
    )


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


def _write_lot_imagery(
    folder: Path, site: Site, close: Iterable[tuple[int, dict[str, Any], bytes]], data: dict[str, Any]
) -> list[Path]:
    """Write ``lots/<n>.js`` and set ``close_imagery`` in ``data``; the scripts
    a previous export left there are removed (only ours: ``<number>.js``)."""
    lots_dir = folder / LOTS_DIR
    if lots_dir.exists() and not lots_dir.is_dir():
        raise InputError(f"--out {folder}: {LOTS_DIR} exists and is not a folder")
    if lots_dir.is_dir():
        for old in lots_dir.iterdir():
            if re.fullmatch(r"[0-9]+\.js", old.name) and old.is_file():
                old.unlink()
    written = []
    for i, placement, jpeg in close:
        lots_dir.mkdir(exist_ok=True)
        path = folder / placement["script"]
        path.write_text(_lot_imagery_script(site.lots[i].id, jpeg), encoding="utf-8")
        data["lots"][i]["close_imagery"] = placement
        written.append(path)
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
    today: dt.date | None = None,
) -> WebExport:
    """Write the static web export of ``site`` (and ``projects``) into ``out``.

    ``today`` dates the accessibility statement (the current date by default).
    """
    folder = Path(out)
    source = viewer or viewer_dir()
    if not all((source / name).is_file() for name in VIEWER_FILES):
        raise InputError("the web viewer is not built: run scripts/setup.sh")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"--out {folder}: exists and is not a folder")
    # Every input is read and checked before anything is written.
    audit = statement.load_audit([source / statement.AUDIT_FILE, WEB_DIR / statement.AUDIT_FILE])
    contact_email(site)  # refused at once, not after laying the templates out
    viewer_url(site)
    progress(0.0, "checking")
    data = build_web_data(site, projects, progress=progress)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {folder}: cannot be created ({exc.strerror or exc})") from None
    from PIL import Image

    origin = Origin(*data["site"]["origin"])
    files: list[Path] = []
    picture = build_imagery(site, origin)
    progress(0.7, "imagery")
    imagery_js = folder / "imagery.js"
    first_js = folder / "imagery-first.js"
    src = first_src = None
    if picture is not None:
        placement, jpeg = picture
        data["imagery"] = placement
        src = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
        # The first frame's copy: smaller, or the image itself when it is small already.
        small = first_imagery(jpeg) or jpeg
        with Image.open(io.BytesIO(small)) as first:
            placement["first"] = {"width": first.width, "height": first.height}
        first_src = "data:image/jpeg;base64," + base64.b64encode(small).decode("ascii")
    imagery_js.write_text(_script("ZACVIZ_IMAGERY", src), encoding="utf-8")
    first_js.write_text(_script("ZACVIZ_IMAGERY_FIRST", first_src), encoding="utf-8")
    files += [imagery_js, first_js]
    close = build_close_imagery(
        site, origin, progress=lambda f, label: progress(0.7 + 0.2 * f, "lot imagery")
    )
    files += _write_lot_imagery(folder, site, close, data)
    progress(0.9, "lot imagery")
    data_js = folder / "data.js"
    data_js.write_text(_script("ZACVIZ_DATA", data), encoding="utf-8")
    files.append(data_js)
    files += copy_viewer(folder, source)
    files += statement.write_statements(
        site,
        folder,
        audit,
        today=today or dt.date.today(),
        contact_email=data["site"]["contact_email"],
        viewer_url=data["site"]["viewer_url"],
        index_html=(folder / "index.html").read_text(encoding="utf-8"),
    )
    progress(1.0, "done")
    return WebExport(folder, tuple(files))
