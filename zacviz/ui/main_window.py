"""The editor's main window: plan, panels, menus, files, undo, autosave.

The window is a view of an :class:`~zacviz.edit.session.EditSession` (the
project document, the selection, the highlighted rule and the check result):
every change of the project, whatever made it (an edit, undo, redo, open),
arrives through ``project_changed`` and refreshes the plan, the panels and the
3D view once; a change of selection only updates what shows the selection.
Every edit is one of the session's named, undoable commands.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QLocale, QObject, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from zacviz.design.templates import TemplateDoesNotFit
from zacviz.edit.session import EditSession
from zacviz.errors import InputError
from zacviz.export.report import export_report
from zacviz.geometry.envelope import buildable_area
from zacviz.i18n import fmt_number
from zacviz.i18n import language as core_language
from zacviz.i18n import tr as core_text
from zacviz.io.project_file import load_project, save_project
from zacviz.model.command import ProjectDocument
from zacviz.model.project import NO_LOT, Building, Project, Surface
from zacviz.model.site import Site
from zacviz.rules.engine import check_project
from zacviz.rules.results import CheckResult
from zacviz.ui.labels import template_label
from zacviz.ui.language import Language
from zacviz.ui.notifier import Notice, Notifier
from zacviz.ui.panel3d import Scene3DPanel, make_room_for_3d
from zacviz.ui.panels import ChecksPanel, ItemPanel, LotPanel, TitleField
from zacviz.ui.plan_view import PlanView
from zacviz.ui.report_pictures import qt_renderer

# Qt's own file dialog, not the desktop's: it speaks the interface's language
# (Qt's translations, loaded with ours), whatever language the desktop uses.
FILE_DIALOG = QFileDialog.Option.DontUseNativeDialog
MAX_RECENT = 8
SETTINGS_GEOMETRY = "window/geometry"
SETTINGS_STATE = "window/state"
PREFERRED_SIZE = (1600, 1000)


def fitted_size(avail_width: int, avail_height: int) -> tuple[int, int]:
    """The first window size on a screen with this much room: the preferred
    size, or the whole room on a smaller screen (1366×768, 1280×720...)."""
    return min(PREFERRED_SIZE[0], avail_width), min(PREFERRED_SIZE[1], avail_height)


AUTOSAVE_NAME = "autosave.zacviz.json"
AUTOSAVE_META = "autosave.json"
AUTOSAVE_PREFIX = "autosave-"
# The autosaves the windows of this process own (a window's file is not an
# orphan to restore while it lives).
LIVE_AUTOSAVES: set[Path] = set()
_WINDOW_KEYS = itertools.count(1)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


AUTOSAVE_MS = 20_000


class _ProjectUndoInFields(QObject):
    """Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) in a panel's field undo the project.

    A line edit or spin box claims those keys for its own text (a
    ShortcutOverride it accepts), so the window's Undo never fired while a
    field had focus; here the keys are left to the window's actions, and the
    field shows the project again once it has changed.

    The filter sits on the field that has the focus only (it follows the
    focus): on the whole application it was called for every event of every
    widget, some twenty per edit and more while the 3D pane draws."""

    _KEYS = (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.field: QWidget | None = None

    def follow_focus(self, old, new) -> None:
        """(QApplication.focusChanged) watch the newly focused field of the window."""
        if self.field is not None:
            with contextlib.suppress(RuntimeError):  # the field may be gone already
                self.field.removeEventFilter(self)
            self.field = None
        if isinstance(new, (QLineEdit, QAbstractSpinBox)) and self.window.isAncestorOf(new):
            new.installEventFilter(self)
            self.field = new

    def eventFilter(self, obj, ev) -> bool:
        if (
            ev.type() == QEvent.Type.ShortcutOverride
            and isinstance(obj, (QLineEdit, QAbstractSpinBox))
            and self.window.isAncestorOf(obj)
            and (
                ev.matches(QKeySequence.StandardKey.Undo)
                or ev.matches(QKeySequence.StandardKey.Redo)
                or any(QKeySequence(ev.keyCombination()) == k for k in self._KEYS)
            )
        ):
            ev.ignore()
            return True
        return False


class MainWindow(QMainWindow):
    """The desktop editor window."""

    def __init__(
        self,
        site: Site,
        session: EditSession,
        notifier: Notifier,
        settings: QSettings,
        data_dir: Path,
        language: Language,
        imagery=None,
        *,
        with_3d: bool = False,
    ) -> None:
        super().__init__()
        self.site = site
        self.session = session
        self.notifier = notifier
        self.settings = settings
        self.data_dir = Path(data_dir)
        self.language = language
        self.path: Path | None = None
        self.shown_lot: str | None = None
        self.last_check_ms = 0.0

        self.plan = PlanView(site, imagery)
        # The 3D pane beside the plan (the composition root decides: it needs OpenGL).
        self.scene3d: Scene3DPanel | None = None
        self._preview_3d_at = 0.0
        self._3d_timer = QTimer(self)
        self._3d_timer.setSingleShot(True)
        self._3d_timer.setInterval(0)
        self._3d_timer.timeout.connect(self._show_in_3d)
        if with_3d:
            self.scene3d = Scene3DPanel(site)
            make_room_for_3d(self.plan)
            self.central = QSplitter(Qt.Orientation.Horizontal)
            self.central.addWidget(self.plan)
            self.central.addWidget(self.scene3d)
            self.central.setStretchFactor(0, 3)
            self.central.setStretchFactor(1, 2)
            self.central.setChildrenCollapsible(False)
            self.setCentralWidget(self.central)
        else:
            self.setCentralWidget(self.plan)
        notices = {lang: site.notice(lang) for lang in ("fr", "en")} if site.illustrative else {}
        self.lot_panel = LotPanel(notices=notices)
        self.item_panel = ItemPanel()
        self.checks_panel = ChecksPanel()
        self.lot_dock = QDockWidget()
        self.lot_dock.setObjectName("lot_dock")
        self.lot_dock.setWidget(self.lot_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.lot_dock)
        self.title_field = TitleField()
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("side_splitter")
        right.addWidget(self.item_panel)
        right.addWidget(self.checks_panel)
        right.setStretchFactor(1, 1)
        self.side_dock = QDockWidget()
        self.side_dock.setObjectName("side_dock")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 6, 6, 0)
        side_layout.addWidget(self.title_field)
        side_layout.addWidget(right, 1)
        self.side_splitter = right
        self.side_dock.setWidget(side)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.side_dock)
        for dock in (self.lot_dock, self.side_dock):
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            )
        self.resizeDocks([self.lot_dock, self.side_dock], [290, 360], Qt.Orientation.Horizontal)

        self.coords_label = QLabel()
        self.coords_label.setMinimumWidth(330)
        self.statusBar().addPermanentWidget(self.coords_label)
        self._make_actions()
        self._make_menus()

        self.plan.lot_clicked.connect(self._on_lot_clicked)
        self.plan.item_clicked.connect(self.select)
        self.plan.edit_finished.connect(self._on_edit_finished)
        self.plan.edit_preview.connect(self._on_edit_preview)
        if self.scene3d is not None:
            self.scene3d.building_clicked.connect(self._on_3d_clicked)
            self.scene3d.sun_changed.connect(lambda _sun: self._refresh_plan_shadows())
            self.scene3d.shadows_on_plan_changed.connect(lambda _on: self._refresh_plan_shadows())
        self.plan.nudge.connect(self.nudge)
        self.plan.cursor_moved.connect(self._on_cursor)
        self.lot_panel.start_project.connect(self.start_project)
        self.lot_panel.template_requested.connect(self.apply_template)
        self.item_panel.edited.connect(self._on_item_edited)
        self.item_panel.refused.connect(self.notifier.tell)
        self.title_field.title_edited.connect(self._on_title_edited)
        self.item_panel.duplicate_requested.connect(self.duplicate_selected)
        self.item_panel.delete_requested.connect(self.delete_selected)
        self.checks_panel.rule_selected.connect(self.session.highlight_rule)
        self.session.project_changed.connect(self._on_project_changed)
        self.session.selection_changed.connect(self._on_selection_changed)
        self.session.rule_changed.connect(lambda _rule: self._refresh_highlight())
        self.doc.stack_changed.connect(self._on_stack_changed)
        self.notifier.notice.connect(self._show_notice)

        self._undo_in_fields = _ProjectUndoInFields(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._undo_in_fields.follow_focus)

        self._autosave_key = f"{os.getpid()}-{next(_WINDOW_KEYS)}-{time.time_ns() % 10**9}"
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()

        self._restore_layout()
        self.retranslate()
        self._on_project_changed(self.doc.project)
        self._on_stack_changed()
        if self.doc.project.lot:
            self.shown_lot = self.doc.project.lot
            self.plan.zoom_to_lot(self.doc.project.lot)
        self._refresh_lot_panel()

    # ------------------------------------------------------------- actions

    def _action(self, slot, shortcut=None, checkable: bool = False) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.act_new = self._action(self.new_project, QKeySequence.StandardKey.New)
        self.act_open = self._action(self.open_dialog, QKeySequence.StandardKey.Open)
        self.act_save = self._action(self.save, QKeySequence.StandardKey.Save)
        self.act_save_as = self._action(self.save_as_dialog, QKeySequence.StandardKey.SaveAs)
        self.act_export_pdf = self._action(lambda: self.export_pdf())
        self.act_export_pdf.setObjectName("act_export_pdf")
        self.act_quit = self._action(self.close, QKeySequence.StandardKey.Quit)
        self.act_undo = self._action(self.undo, QKeySequence.StandardKey.Undo)
        self.act_redo = self._action(self.redo)
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_add_building = self._action(self.add_building, "B")
        self.act_add_parking = self._action(lambda: self.add_surface("parking"), "P")
        self.act_add_yard = self._action(lambda: self.add_surface("yard"), "Y")
        self.act_duplicate = self._action(self.duplicate_selected, "Ctrl+D")
        self.act_delete = self._action(self.delete_selected, QKeySequence.StandardKey.Delete)
        self.act_snap = self._action(self._on_snap, "S", checkable=True)
        self.act_snap.setChecked(True)
        self.act_imagery = self._action(self.plan.set_imagery_visible, "I", checkable=True)
        self.act_imagery.setChecked(True)
        self.act_zoom_lot = self._action(self._zoom_lot, "L")
        self.act_zoom_site = self._action(self.plan.zoom_to_site, "Home")
        self.act_3d = self._action(self._on_show_3d, "F3", checkable=True)
        self.act_3d.setChecked(self.scene3d is not None)
        self.act_3d.setEnabled(self.scene3d is not None)
        self.lang_group = QActionGroup(self)
        self.act_fr = self._action(lambda on: on and self.set_language("fr"), checkable=True)
        self.act_en = self._action(lambda on: on and self.set_language("en"), checkable=True)
        for a in (self.act_fr, self.act_en):
            self.lang_group.addAction(a)
        (self.act_fr if self.language.current == "fr" else self.act_en).setChecked(True)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self.menu_recent = self.menu_file.addMenu("")
        for a in (self.act_new, self.act_open):
            self.menu_file.addAction(a)
        self.menu_file.addMenu(self.menu_recent)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_save)
        self.menu_file.addAction(self.act_save_as)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_export_pdf)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_edit = bar.addMenu("")
        for a in (self.act_undo, self.act_redo):
            self.menu_edit.addAction(a)
        self.menu_edit.addSeparator()
        item_actions = (
            self.act_add_building,
            self.act_add_parking,
            self.act_add_yard,
            self.act_duplicate,
            self.act_delete,
        )
        for a in item_actions:
            self.menu_edit.addAction(a)
        self.menu_edit.addSeparator()
        self.menu_edit.addAction(self.act_snap)
        self.menu_view = bar.addMenu("")
        for a in (self.act_zoom_lot, self.act_zoom_site, self.act_imagery, self.act_3d):
            self.menu_view.addAction(a)
        self.menu_lang = bar.addMenu("")
        self.menu_lang.addAction(self.act_fr)
        self.menu_lang.addAction(self.act_en)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.act_open, self.act_save, None, self.act_undo, self.act_redo, None):
            if a is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(a)
        for a in item_actions:
            self.toolbar.addAction(a)
        self.toolbar.addSeparator()
        for a in (self.act_snap, self.act_imagery, self.act_zoom_lot, self.act_zoom_site, self.act_3d):
            self.toolbar.addAction(a)
        self.addToolBar(self.toolbar)
        self._fill_recent()

    def changeEvent(self, ev) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def retranslate(self) -> None:
        """Every widget text of the window (the panels retranslate themselves)."""
        self.act_new.setText(self.tr("&Nouveau"))
        self.act_open.setText(self.tr("&Ouvrir…"))
        self.act_save.setText(self.tr("&Enregistrer"))
        self.act_save_as.setText(self.tr("Enregistrer &sous…"))
        self.act_quit.setText(self.tr("&Quitter"))
        self.act_export_pdf.setText(core_text("report.menu"))
        self.act_add_building.setText(self.tr("Ajouter un bâtiment"))
        self.act_add_parking.setText(self.tr("Ajouter un parking"))
        self.act_add_yard.setText(self.tr("Ajouter une cour"))
        self.act_duplicate.setText(self.tr("Dupliquer"))
        self.act_delete.setText(self.tr("Supprimer"))
        self.act_snap.setText(self.tr("Magnétisme"))
        self.act_snap.setToolTip(
            self.tr("Aimanter aux limites du lot, aux reculs et à la direction de la voie (S)")
        )
        self.act_imagery.setText(self.tr("Photo aérienne"))
        self.act_zoom_lot.setText(self.tr("Zoom sur le lot"))
        self.act_zoom_site.setText(self.tr("Vue d'ensemble"))
        self.act_3d.setText(self.tr("Vue 3D"))
        self.act_3d.setToolTip(self.tr("Afficher ou masquer la vue 3D (F3)"))
        self.act_fr.setText("Français")
        self.act_en.setText("English")
        self.menu_file.setTitle(self.tr("&Fichier"))
        self.menu_recent.setTitle(self.tr("Fichiers &récents"))
        self.menu_edit.setTitle(self.tr("É&dition"))
        self.menu_view.setTitle(self.tr("&Affichage"))
        self.menu_lang.setTitle(self.tr("&Langue"))
        self.toolbar.setWindowTitle(self.tr("Outils"))
        self.lot_dock.setWindowTitle(self.tr("Lot"))
        self.side_dock.setWindowTitle(self.tr("Projet"))
        # Numbers in spin boxes follow the language (41,96 m / 41.96 m).
        self.setLocale(QLocale())
        self._fill_recent()
        self._on_stack_changed()
        self._refresh_status()
        if self.result is not None or self.doc.project.lot:
            self.checks_panel.set_result(self.result)

    def set_language(self, lang: str) -> None:
        if lang == self.language.current:
            return
        self.language.set(lang)
        self.settings.setValue("language", lang)
        (self.act_fr if lang == "fr" else self.act_en).setChecked(True)

    # -------------------------------------------------------- model → view

    @property
    def doc(self) -> ProjectDocument:
        return self.session.doc

    @property
    def selected(self) -> str | None:
        return self.session.selected

    @property
    def result(self) -> CheckResult | None:
        return self.session.result

    def _on_project_changed(self, project: Project) -> None:
        t0 = self.session.changed_at  # the check ran just before: it counts
        self.plan.set_project(project if self.result is not None else None, self.result)
        self.plan.set_selection(self.selected)
        self.checks_panel.set_result(self.result)
        self.title_field.show_title(project.title, bool(project.lot))
        self._refresh_item_panel()
        self._refresh_buildable()
        self._refresh_highlight()
        self._refresh_status()
        self._refresh_3d()
        self.last_check_ms = (time.perf_counter() - t0) * 1000.0

    def _on_selection_changed(self, item_id: str | None) -> None:
        """Only what shows the selection: no new check, no new 3D scene."""
        self.plan.set_selection(item_id)
        if self.scene3d is not None:
            self.scene3d.set_selected(item_id)
        self._refresh_item_panel()
        self._refresh_buildable()

    def _failing_buildings(self) -> set[str]:
        return self.session.failing_items() & {b.id for b in self.doc.project.buildings}

    def _refresh_3d(self) -> None:
        """The 3D pane follows on the next turn of the event loop: the plan and the
        checks answer an edit first, the volumes come in the frame after. Several
        changes in one turn (an undo and its selection) make one update."""
        if self.scene3d is None:
            return
        self._refresh_plan_shadows()
        self._3d_timer.start()

    def _show_in_3d(self) -> None:
        if self.scene3d is None:
            return
        project = self.doc.project
        shown = project if project.lot and self.site.lot(project.lot) is not None else None
        self.scene3d.show_project(shown, self._failing_buildings(), self.selected)

    def _refresh_plan_shadows(self) -> None:
        """The 3D pane's shadows drawn on the plan too, when asked for."""
        if self.scene3d is None or not self.scene3d.plan_shadows_box.isChecked() or self.scene3d.sun is None:
            self.plan.set_shadows(None)
            return
        from zacviz.geometry.shadows import shadows

        project = self.doc.project
        buildings = project.buildings if project.lot else ()
        self.plan.set_shadows(shadows(buildings, self.site.context, self.scene3d.sun))

    def _on_edit_preview(self, item_id: str, footprint) -> None:
        """A drag in the plan moves the building in 3D too, at most 30 times a second;
        the checks wait for the release (one command)."""
        if self.scene3d is None or self.scene3d.view is None:
            return
        now = time.perf_counter()
        # At most 30 frames a second, and never faster than the GL view draws
        # (software OpenGL): the plan's own preview must stay fluid.
        interval = max(1.0 / 30.0, 2.0 * self.scene3d.view.last_frame_ms / 1000.0)
        if now - self._preview_3d_at < interval:
            return
        self._preview_3d_at = now
        if not isinstance(self.doc.project.item(item_id), Building):
            return
        preview = self.session.with_footprint(item_id, footprint)
        self._3d_timer.stop()  # the preview is newer than a pending update
        self.scene3d.show_project(preview, self._failing_buildings() - {item_id}, item_id)

    def _on_3d_clicked(self, building_id: str | None) -> None:
        if building_id is not None:
            self.select(building_id)

    def _on_stack_changed(self) -> None:
        undo, redo = self.doc.undo_label, self.doc.redo_label
        self.act_undo.setEnabled(undo is not None)
        self.act_redo.setEnabled(redo is not None)
        # The menu names the action; the toolbar keeps a short, fixed text so that
        # its buttons do not shift after each edit (the name is in the tooltip).
        self.act_undo.setText(self.tr("Annuler « %1 »").replace("%1", undo) if undo else self.tr("Annuler"))
        self.act_redo.setText(self.tr("Rétablir « %1 »").replace("%1", redo) if redo else self.tr("Rétablir"))
        self.act_undo.setIconText(self.tr("Annuler"))
        self.act_redo.setIconText(self.tr("Rétablir"))
        self.act_undo.setToolTip(self.act_undo.text().replace("&", ""))
        self.act_redo.setToolTip(self.act_redo.text().replace("&", ""))
        has_lot = bool(self.doc.project.lot)
        self.act_save.setEnabled(has_lot)
        self.act_save_as.setEnabled(has_lot)
        for a in (self.act_add_building, self.act_add_parking, self.act_add_yard):
            a.setEnabled(has_lot)
        self._update_title()

    def _update_title(self) -> None:
        name = self.path.name if self.path is not None else self.tr("Sans titre")
        if self.doc.project.lot:
            name += " — " + self.tr("lot %1").replace("%1", self.doc.project.lot)
        mark = "*" if self.doc.modified and self.doc.project.lot else ""
        self.setWindowTitle(f"{mark}{name} — zacviz · {self.site.name}")

    def _refresh_item_panel(self) -> None:
        item = self.doc.project.item(self.selected) if self.selected else None
        stalls = None
        if isinstance(item, Surface) and item.kind == "parking" and self.result is not None:
            stalls = self.result.stalls_by_surface.get(item.id)
        self.item_panel.show_item(item, stalls)
        self.act_duplicate.setEnabled(item is not None)
        self.act_delete.setEnabled(item is not None)

    def _refresh_lot_panel(self) -> None:
        lot = self.site.lot(self.shown_lot) if self.shown_lot else None
        self.lot_panel.show_lot(lot, self.doc.project.lot or None)

    def _refresh_buildable(self) -> None:
        project = self.doc.project
        lot = self.site.lot(project.lot) if project.lot else None
        if lot is None:
            self.plan.set_buildable(None)
            return
        item = project.item(self.selected) if self.selected else None
        if isinstance(item, Building):
            height = item.height_m
        elif project.buildings:
            height = max(b.height_m for b in project.buildings)
        else:
            height = 0.0
        self.plan.set_buildable(buildable_area(self.site, lot, height))

    def _refresh_highlight(self) -> None:
        self.plan.set_highlight(self.session.highlighted_geometry())

    def _refresh_status(self) -> None:
        if self.result is None:
            self.statusBar().showMessage(self.tr("Cliquez sur un lot disponible pour démarrer un projet."))
        elif self.result.compliant:
            self.statusBar().showMessage(self.tr("Projet conforme"))
        else:
            self.statusBar().showMessage(
                self.tr("%n règle(s) non respectée(s)", "", len(self.result.failing))
            )

    def _on_cursor(self, x: float, y: float) -> None:
        self.coords_label.setText(f"X {fmt_number(x, 1)}   Y {fmt_number(y, 1)}   (Lambert-93)")

    def _show_notice(self, notice: Notice) -> None:
        box = QMessageBox(self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        if notice.kind == "input":
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Donnée refusée"))
            box.setText(notice.text)
        else:
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(self.tr("Erreur interne"))
            box.setText(self.tr("Une erreur interne est survenue ; le projet en cours est conservé."))
            box.setInformativeText(notice.text)
            box.setDetailedText(notice.details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_notice_box = box

    # -------------------------------------------------------------- edits

    def edit(self, label: str, project: Project) -> None:
        """Replace the whole project as one undoable command (scripts, tests)."""
        self.session.replace_project(label, project)

    def select(self, item_id: str | None) -> None:
        self.session.select(item_id)
        if self.selected is not None:
            self.plan.setFocus()

    def _on_item_edited(self, label: str, new_item: Building | Surface) -> None:
        if self.selected is None:
            return
        try:
            self.session.set_item(self.selected, new_item, label)
        except InputError as exc:
            self.notifier.report(exc)
            self._refresh_item_panel()

    def _on_title_edited(self, title: str) -> None:
        if not self.doc.project.lot:
            return
        try:
            self.session.set_title(title)
        except InputError as exc:
            self.notifier.report(exc)
        self.title_field.show_title(self.doc.project.title, True)

    def _on_edit_finished(self, item_id: str, footprint, mode: str) -> None:
        self.session.set_footprint(item_id, footprint, mode)

    def nudge(self, dx: float, dy: float) -> None:
        if self.selected is not None:
            self.session.move(self.selected, dx, dy)

    def _visible_centre(self) -> tuple[float, float] | None:
        (x0, x1), (y0, y1) = self.plan.vb.viewRange()
        ox, oy = self.plan.origin
        return ((x0 + x1) / 2.0 + ox, (y0 + y1) / 2.0 + oy)

    def add_building(self) -> None:
        self.session.add_building(near=self._visible_centre())

    def add_surface(self, kind: str) -> None:
        self.session.add_surface(kind, near=self._visible_centre())

    def duplicate_selected(self) -> None:
        self.session.duplicate()

    def delete_selected(self) -> None:
        self.session.delete()

    def undo(self) -> None:
        self.session.undo()

    def redo(self) -> None:
        self.session.redo()

    def _on_snap(self, on: bool) -> None:
        self.plan.snapping = on

    def _on_show_3d(self, on: bool) -> None:
        if self.scene3d is not None:
            self.scene3d.setVisible(on)
            if not on:
                self.plan.set_shadows(None)
            else:
                self._refresh_plan_shadows()

    def _zoom_lot(self) -> None:
        if self.doc.project.lot:
            self.plan.zoom_to_lot(self.doc.project.lot)

    # ---------------------------------------------------------------- lots

    def _on_lot_clicked(self, lot_id: str) -> None:
        self.shown_lot = lot_id
        lot = self.site.lot(lot_id)
        p = self.doc.project
        empty = not p.buildings and not p.surfaces and not self.doc.modified
        if lot is not None and lot.status == "available" and lot_id != p.lot and empty:
            self.start_project(lot_id)
            return
        self._refresh_lot_panel()

    def start_project(self, lot_id: str) -> None:
        """A new, empty project on ``lot_id`` (asks to save the current one first)."""
        if not self.maybe_save():
            return
        lot = self.site.lot(lot_id)
        if lot is None:
            return
        self.path = None
        self.shown_lot = lot_id
        self.session.reset(Project(site=self.site.id, lot=lot_id))
        self._refresh_lot_panel()
        self.plan.zoom_to_lot(lot_id)

    def apply_template(self, template_id: str) -> None:
        lot = self.site.lot(self.doc.project.lot)
        if lot is None:
            return
        try:
            self.session.apply_template(template_id, template_label(template_id))
        except TemplateDoesNotFit:
            self.notifier.tell(
                self.tr("Le lot %1 est trop petit pour le modèle « %2 ».")
                .replace("%1", lot.id)
                .replace("%2", template_label(template_id))
            )
            return

    # --------------------------------------------------------------- files

    def new_project(self) -> None:
        if not self.maybe_save():
            return
        self.path = None
        self.session.reset(Project(site=self.site.id, lot=NO_LOT))
        self.shown_lot = None
        self._refresh_lot_panel()
        self.plan.zoom_to_site()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(self.path.parent) if self.path else str(self.settings.value("last_dir", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Ouvrir un projet"),
            start,
            self.tr("Projets zacviz (*.zacviz.json);;Tous les fichiers (*)"),
            options=FILE_DIALOG,
        )
        if name:
            self.open_path(Path(name), ask=False)

    def open_path(self, path: Path, ask: bool = True) -> bool:
        """Open a project file; a broken file gives a message and keeps the current project."""
        if ask and not self.maybe_save():
            return False
        try:
            project = load_project(path)
            if project.site != self.site.id:
                raise InputError(
                    self.tr("%1 : ce projet est pour le site « %2 », pas « %3 »")
                    .replace("%1", path.name)
                    .replace("%2", project.site)
                    .replace("%3", self.site.id)
                )
            if self.site.lot(project.lot) is None:
                raise InputError(
                    self.tr("%1 : le lot « %2 » n'existe pas sur ce site")
                    .replace("%1", path.name)
                    .replace("%2", project.lot)
                )
        except InputError as exc:
            self.notifier.report(exc)
            self._remove_recent(path)
            return False
        self.path = path
        self.shown_lot = project.lot
        self.session.reset(project)
        self._add_recent(path)
        self._refresh_lot_panel()
        self.plan.zoom_to_lot(project.lot)
        return True

    def save(self) -> bool:
        if not self.doc.project.lot:
            return False
        if self.path is None:
            return self.save_as_dialog()
        return self.save_to(self.path)

    def save_as_dialog(self) -> bool:
        if not self.doc.project.lot:
            return False
        start = (
            self.path
            or Path(str(self.settings.value("last_dir", str(Path.home()))))
            / f"{self.doc.project.lot}.zacviz.json"
        )
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Enregistrer le projet"),
            str(start),
            self.tr("Projets zacviz (*.zacviz.json)"),
            options=FILE_DIALOG,
        )
        if not name:
            return False
        path = Path(name)
        if not path.name.endswith(".zacviz.json"):
            path = path.with_name(path.name.removesuffix(".json") + ".zacviz.json")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        try:
            save_project(self.doc.project, path)
        except InputError as exc:
            self.notifier.report(exc)
            return False
        self.path = path
        self.doc.mark_saved()
        self._add_recent(path)
        self._clear_autosave()
        self.statusBar().showMessage(self.tr("Enregistré : %1").replace("%1", path.name), 4000)
        return True

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Ask what to do with unsaved changes (replaced in tests)."""
        return QMessageBox.question(
            self,
            self.tr("Modifications non enregistrées"),
            self.tr("Le projet a été modifié. Voulez-vous enregistrer les modifications ?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def maybe_save(self) -> bool:
        """True if the current project may be replaced (saved, discarded or unchanged)."""
        if not self.doc.modified or not self.doc.project.lot:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ------------------------------------------------------------ layout

    def _restore_layout(self) -> None:
        """The window's size, maximised state, docks and splitters as the user
        left them (QSettings); the first time, a size that fits the screen."""
        geometry = self.settings.value(SETTINGS_GEOMETRY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            screen = self.screen() or QApplication.primaryScreen()
            avail = screen.availableGeometry() if screen is not None else QRect(0, 0, 1600, 1000)
            w, h = fitted_size(avail.width(), avail.height())
            self.resize(w, h)
            self.move(avail.x() + (avail.width() - w) // 2, avail.y() + (avail.height() - h) // 2)
        state = self.settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for key, splitter in self._splitters().items():
            sizes = self.settings.value(f"window/{key}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
                if key == "central":
                    self._split_done = True

    def _splitters(self) -> dict[str, QSplitter]:
        out = {"side_splitter": self.side_splitter}
        if self.scene3d is not None:
            out["central"] = self.central
        return out

    def save_layout(self) -> None:
        self.settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        self.settings.setValue(SETTINGS_STATE, self.saveState())
        for key, splitter in self._splitters().items():
            self.settings.setValue(f"window/{key}", splitter.saveState())

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        if self.scene3d is not None and not getattr(self, "_split_done", False):
            # Plan 3/5, 3D 2/5 of the room between the docks, once the window has its size.
            self._split_done = True
            QTimer.singleShot(0, self._split_plan_3d)

    def _split_plan_3d(self) -> None:
        width = max(400, self.central.width())
        self.central.setSizes([width * 3 // 5, width - width * 3 // 5])

    def closeEvent(self, ev: QCloseEvent) -> None:
        if not self.maybe_save():
            ev.ignore()
            return
        self.autosave_timer.stop()
        self._clear_autosave()
        self.save_layout()
        self.plan.shutdown()
        ev.accept()

    def export_pdf(self, path: str | Path | None = None) -> Path | None:
        """File → Export PDF sheet: ask where (unless ``path`` is given), then write
        the sheet of the project in the interface's language. The file, or None."""
        project = self.doc.project
        if not project.lot or self.site.lot(project.lot) is None:
            self.notifier.tell(core_text("report.no_project"))
            return None
        if path is None:
            folder = self.path.parent if self.path else Path.home()
            base = folder / (self.path.name.split(".")[0] if self.path else f"lot-{project.lot}")
            chosen, _ = QFileDialog.getSaveFileName(
                self, core_text("report.dialog_title"), str(base) + ".pdf", "PDF (*.pdf)", options=FILE_DIALOG
            )
            if not chosen:
                return None
            path = chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.result if self.result is not None else check_project(project, self.site)
            renderer = qt_renderer(project, self.site, result)
            out, _ = export_report(
                project, self.site, path, lang=core_language(), renderer=renderer, result=result
            )
        except Exception as exc:
            self.notifier.report(exc)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(core_text("report.saved", path=str(out)), 8000)
        return out

    # -------------------------------------------------------- recent files

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        files = [str(path)] + [f for f in self.recent_files() if f != str(path)]
        self.settings.setValue("recent_files", files[:MAX_RECENT])
        self.settings.setValue("last_dir", str(path.parent))
        self._fill_recent()

    def _remove_recent(self, path: Path) -> None:
        files = [f for f in self.recent_files() if f != str(path)]
        self.settings.setValue("recent_files", files)
        self._fill_recent()

    def _fill_recent(self) -> None:
        if not hasattr(self, "menu_recent"):
            return
        self.menu_recent.clear()
        files = self.recent_files()
        for i, f in enumerate(files):
            action = self.menu_recent.addAction(f"&{i + 1} {Path(f).name}")
            action.setToolTip(f)
            action.triggered.connect(lambda checked=False, f=f: self.open_path(Path(f)))
        self.menu_recent.setEnabled(bool(files))

    # ------------------------------------------------------------ autosave

    # One autosave per window: ``autosave-<key>.zacviz.json`` and its
    # ``autosave-<key>.json`` (the project's path, the owner's process id), so
    # that closing one window never deletes another's.

    @property
    def autosave_path(self) -> Path:
        return self.data_dir / f"{AUTOSAVE_PREFIX}{self._autosave_key}.zacviz.json"

    @property
    def _autosave_meta(self) -> Path:
        return self.data_dir / f"{AUTOSAVE_PREFIX}{self._autosave_key}.json"

    def autosave(self) -> bool:
        """Write the unsaved project where a crash cannot lose it."""
        if not self.doc.modified or not self.doc.project.lot:
            return False
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            save_project(self.doc.project, self.autosave_path)
            meta = {"path": str(self.path) if self.path else None, "time": time.time(), "pid": os.getpid()}
            self._autosave_meta.write_text(json.dumps(meta), encoding="utf-8")
        except (InputError, OSError):
            return False
        LIVE_AUTOSAVES.add(self.autosave_path)
        return True

    def _clear_autosave(self) -> None:
        LIVE_AUTOSAVES.discard(self.autosave_path)
        for path in (self.autosave_path, self._autosave_meta):
            path.unlink(missing_ok=True)

    def _orphan_autosaves(self) -> list[Path]:
        """Autosaves no live window owns (their editor crashed), newest first."""
        found = []
        for path in self.data_dir.glob(f"{AUTOSAVE_PREFIX}*.zacviz.json"):
            if path in LIVE_AUTOSAVES:
                continue
            meta: Any = {}
            with contextlib.suppress(OSError, ValueError):
                meta = json.loads(
                    path.with_name(path.name.replace(".zacviz.json", ".json")).read_text("utf-8")
                )
            pid = meta.get("pid") if isinstance(meta, dict) else None
            if isinstance(pid, int) and pid != os.getpid() and _process_alive(pid):
                continue  # another editor is running with it
            with contextlib.suppress(OSError):
                found.append((path.stat().st_mtime, path))
        legacy = self.data_dir / AUTOSAVE_NAME  # one file per user, before
        if legacy.is_file():
            found.append((legacy.stat().st_mtime, legacy))
        return [p for _, p in sorted(found, reverse=True)]

    def ask_restore(self) -> bool:
        """Ask whether to restore the autosaved project (replaced in tests)."""
        answer = QMessageBox.question(
            self,
            self.tr("Projet récupéré"),
            self.tr("zacviz ne s'est pas fermé normalement. Récupérer le projet non enregistré ?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def offer_restore(self) -> bool:
        """After a crash: offer the autosaved project. True if it was restored."""
        orphans = self._orphan_autosaves()
        if not orphans:
            return False
        found = orphans[0]
        found_meta = found.with_name(found.name.replace(".zacviz.json", ".json"))
        if found.name == AUTOSAVE_NAME:
            found_meta = self.data_dir / AUTOSAVE_META
        restored = False
        if self.ask_restore():
            try:
                project = load_project(found)
                if self.site.lot(project.lot) is None or project.site != self.site.id:
                    raise InputError(self.tr("Le projet récupéré ne correspond pas à ce site"))
            except InputError as exc:
                self.notifier.report(exc)
            else:
                meta = {}
                with contextlib.suppress(OSError, ValueError):
                    meta = json.loads(found_meta.read_text(encoding="utf-8"))
                self.path = Path(meta["path"]) if isinstance(meta, dict) and meta.get("path") else None
                self.shown_lot = project.lot
                self.session.reset(project)
                # Restored but not saved: the document stays modified.
                self.doc.clean_index = None
                self.doc.stack_changed.emit()
                self._refresh_lot_panel()
                self.plan.zoom_to_lot(project.lot)
                restored = True
        # The crashed window's files go: this window autosaves under its own name.
        for path in (found, found_meta):
            path.unlink(missing_ok=True)
        if restored:
            self.autosave()
        return restored
