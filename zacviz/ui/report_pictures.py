"""The Qt side of the project sheet: its pictures, and File → Export PDF.

:mod:`zacviz.export.report` is Qt-free and takes its pictures from a renderer
callable; :func:`qt_renderer` is that callable, drawing the plan with
:func:`~zacviz.ui.render.render_plan` and the 3D view with
:func:`~zacviz.ui.render3d.render_3d` (which needs an OpenGL display: without
one it raises and the sheet says the 3D view is missing).

Texts here come from the core catalogue (:mod:`zacviz.i18n`), which switches
language together with Qt's translators. Its ``tr`` is imported as ``core_text``:
``pyside6-lupdate`` takes any call named ``tr`` for a Qt text to translate.
"""

from __future__ import annotations

from pathlib import Path

from zacviz.export.report import PictureRenderer
from zacviz.model.project import Project
from zacviz.model.site import Site


def qt_renderer(project: Project, site: Site) -> PictureRenderer:
    """A :data:`~zacviz.export.report.PictureRenderer` for ``project`` on ``site``."""

    def render(view: str, out: Path, size: tuple[int, int]) -> Path:
        if view == "3d":
            from zacviz.ui.render3d import render_3d

            # Raises RuntimeError, before making any GL widget, where OpenGL
            # cannot draw (no screen, Qt's offscreen platform): the sheet says so.
            return render_3d(project, site, out, size)
        from zacviz.ui.render import render_plan

        return render_plan(project, site, out, size)

    return render


def add_export_pdf_action(window) -> object:
    """Add File → Export PDF sheet to the editor's ``window`` (before Quit)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QAction

    from zacviz.i18n import tr as core_text

    action = QAction(window)
    action.setObjectName("act_export_pdf")
    action.triggered.connect(lambda: export_pdf_dialog(window))
    window.menu_file.insertAction(window.act_quit, action)
    window.menu_file.insertSeparator(window.act_quit)

    class _Retranslate(QObject):
        def eventFilter(self, obj, ev) -> bool:
            if ev.type() == QEvent.Type.LanguageChange:
                action.setText(core_text("report.menu"))
            return False

    retranslate = _Retranslate(window)
    window.installEventFilter(retranslate)
    action.setText(core_text("report.menu"))
    window.act_export_pdf = action
    return action


def export_pdf_dialog(window, path: str | Path | None = None) -> Path | None:
    """Ask where to save the sheet of the window's project, then write it.

    ``path`` skips the dialog (tests). Returns the file written, or None.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QFileDialog

    from zacviz.export.report import export_report
    from zacviz.i18n import language
    from zacviz.i18n import tr as core_text

    project = window.doc.project
    if not project.lot or window.site.lot(project.lot) is None:
        window.notifier.tell(core_text("report.no_project"))
        return None
    if path is None:
        folder = window.path.parent if window.path else Path.home()
        base = folder / (window.path.name.split(".")[0] if window.path else f"lot-{project.lot}")
        chosen, _ = QFileDialog.getSaveFileName(
            window, core_text("report.dialog_title"), str(base) + ".pdf", "PDF (*.pdf)"
        )
        if not chosen:
            return None
        path = chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        renderer = qt_renderer(project, window.site)
        out, _ = export_report(project, window.site, path, lang=language(), renderer=renderer)
    except Exception as exc:
        window.notifier.report(exc)
        return None
    finally:
        QApplication.restoreOverrideCursor()
    window.statusBar().showMessage(core_text("report.saved", path=str(out)), 8000)
    return out
