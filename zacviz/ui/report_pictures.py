"""The Qt side of the project sheet: its pictures.

:mod:`zacviz.export.report` is Qt-free and takes its pictures from a renderer
callable; :func:`qt_renderer` is that callable, drawing the plan with
:func:`~zacviz.ui.render.render_plan` and the 3D view with
:func:`~zacviz.ui.render3d.render_3d` (which needs an OpenGL display: without
one it raises and the sheet says the 3D view is missing).

The editor's File → Export PDF sheet is the main window's own action.
"""

from __future__ import annotations

from pathlib import Path

from zacviz.export.report import PictureRenderer
from zacviz.model.project import Project
from zacviz.model.site import Site
from zacviz.rules.results import CheckResult


def qt_renderer(project: Project, site: Site, result: CheckResult) -> PictureRenderer:
    """A :data:`~zacviz.export.report.PictureRenderer` for ``project`` on ``site``,
    whose check ``result`` the sheet already has (the pictures do not check again)."""

    def render(view: str, out: Path, size: tuple[int, int]) -> Path:
        if view == "3d":
            from zacviz.ui.render3d import render_3d

            # Raises RuntimeError, before making any GL widget, where OpenGL
            # cannot draw (no screen, Qt's offscreen platform): the sheet says so.
            failing = tuple(sorted({i for r in result.failing for i in r.items}))
            return render_3d(project, site, out, size, failing_ids=failing)
        from zacviz.ui.render import render_plan

        return render_plan(project, site, out, size, result=result)

    return render
