"""A picture of the 3D scene, without a window: ``zacviz render --view 3d``.

pyqtgraph's GL items need a real OpenGL context; Qt's ``offscreen`` platform
has none that draws, so this runs under an X server (a desktop session, or
``xvfb-run`` on a server). The view is created but never shown on screen and
renders once into a framebuffer object, at twice the size, then scaled down:
cheap antialiasing that software OpenGL does not otherwise give.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from zacviz.geometry.sun import SunPosition
from zacviz.model.project import Project
from zacviz.model.site import Site
from zacviz.ui.virtual_screen import has_screen

SUPERSAMPLE = 2


def _application():
    from PySide6 import QtCore, QtWidgets

    app = QtCore.QCoreApplication.instance()
    if app is None:
        if not has_screen():
            raise RuntimeError("3D rendering needs a display: run it under xvfb-run on a server")
        if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
            raise RuntimeError("3D rendering does not work with QT_QPA_PLATFORM=offscreen: use xvfb-run")
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QtWidgets.QApplication(["zacviz-render"])
    elif not isinstance(app, QtWidgets.QApplication):
        raise RuntimeError("3D rendering needs a QApplication (widgets), not a QCoreApplication")
    if app.platformName() in ("offscreen", "minimal"):
        raise RuntimeError("3D rendering does not work on Qt's offscreen platform: use xvfb-run")
    return app


def _return_freed_memory() -> None:
    """Give the memory freed so far back to the system (glibc keeps freed
    blocks for later; the picture's drawing then needs its own, 40 MB for 40
    outlines of 10,000 vertices). Nothing where the C library is another."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def render_3d(
    project: Project,
    site: Site,
    out_path: str | os.PathLike[str],
    size: tuple[int, int] = (1600, 1000),
    sun: datetime | SunPosition | None = None,
    *,
    failing_ids: tuple[str, ...] | None = None,
    camera: str = "lot",
    envelope: bool = False,
) -> Path:
    """Write a PNG of ``project`` on its lot, seen from an oblique angle.

    ``sun``: a timezone-aware time or a position (default: 21 June, 16:00 site
    time). ``failing_ids``: buildings to tint (default: those the rule check
    names). ``camera``: ``"lot"`` (default), ``"overview"`` or ``"pedestrian"``.
    ``envelope``: also draw the lot's buildable envelope (translucent).
    Returns the path written.
    """
    import numpy as np
    from PIL import Image

    app = _application()
    from PySide6 import QtCore

    from zacviz.ui.view3d import View3D

    if failing_ids is None:
        from zacviz.rules.engine import check_project

        # The ids alone: no geometry at fault (a 1,000-car-park stack's worst overlap).
        result = check_project(project, site, at_fault=False)
        failing_ids = tuple(sorted({i for r in result.failing for i in r.items}))
    w, h = int(size[0]), int(size[1])
    if w < 16 or h < 16 or w > 8192 or h > 8192:
        raise ValueError(f"size: {w}×{h} px is outside 16..8192")
    view = View3D(site)
    try:
        view.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        view.resize(w, h)
        view.show()
        app.processEvents()
        view.set_project(project, failing_ids)
        view.set_envelope_visible(envelope)
        if sun is not None:
            view.set_sun(sun)
        view.camera_preset(camera, site.lot(project.lot))
        view.for_one_picture()
        _return_freed_memory()
        rgba = view.render_image((w * SUPERSAMPLE, h * SUPERSAMPLE))
    finally:
        view.close()
        view.deleteLater()
        app.processEvents()
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    if SUPERSAMPLE > 1:
        image = image.resize((w, h), Image.Resampling.LANCZOS)
    out = Path(out_path)
    image.save(out, "PNG", optimize=False)
    return out
