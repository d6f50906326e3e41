"""Pictures without a window: the plan drawn offscreen into a PNG (``zacviz render``).

The same :class:`~zacviz.ui.plan_view.PlanView` as the editor draws it, framed
on the project's lot, with the aerial image loaded at the matching level before
the picture is taken, and the geometry at fault of failing rules in red.
"""

from __future__ import annotations

import os
from pathlib import Path

import shapely

from zacviz.errors import InputError
from zacviz.model.project import Project
from zacviz.model.site import Site

MAX_SIZE_PX = 8192


def parse_size(text: str) -> tuple[int, int]:
    """``"1600x1000"`` → ``(1600, 1000)``; InputError for anything else."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        w, h = (int(p) for p in parts)
    except ValueError:
        raise InputError(
            f"--size: expected WIDTHxHEIGHT in pixels, such as 1600x1000 (got {text!r})"
        ) from None
    if not (16 <= w <= MAX_SIZE_PX and 16 <= h <= MAX_SIZE_PX):
        raise InputError(f"--size: each side must be between 16 and {MAX_SIZE_PX} pixels (got {text!r})")
    return w, h


def render_plan(
    project: Project, site: Site, out: str | os.PathLike[str], size: tuple[int, int] = (1600, 1000)
) -> Path:
    """Draw ``project`` on its lot of ``site`` into the PNG ``out``."""
    from PySide6.QtCore import Qt

    from zacviz.io.imagery import open_imagery
    from zacviz.rules.engine import check_project, resolve_lot
    from zacviz.ui.application import application
    from zacviz.ui.plan_view import PlanView

    lot = resolve_lot(project, site)
    out = Path(out)
    if not out.parent.is_dir():
        raise InputError(f"--out: folder {out.parent} does not exist")
    app = application()
    imagery = None
    if site.imagery_path is not None:
        try:
            imagery = open_imagery(site.imagery_path)
        except InputError:
            imagery = None  # the plan without its photo is still a plan
    result = check_project(project, site)
    view = PlanView(site, imagery, interactive=False)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.resize(*size)
    view.show()
    app.processEvents()
    view.set_project(project, result)
    failing = [r.geometry for r in result.rules if not r.ok and r.geometry is not None]
    view.set_highlight(shapely.union_all(failing) if failing else None)
    view.zoom_to_bounds(lot.polygon.bounds, 0.2)
    app.processEvents()
    if view.imagery_layer is not None:
        view.imagery_layer.wait()
    app.processEvents()
    image = view.grab()
    view.shutdown()
    view.close()
    view.deleteLater()
    app.processEvents()
    if not image.save(str(out), "PNG"):
        raise InputError(f"--out: cannot write {out}")
    return out
