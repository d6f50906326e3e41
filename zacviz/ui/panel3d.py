"""The editor's 3D pane: the :class:`~zacviz.ui.view3d.View3D`, its camera
presets, the envelope switch and the sun's date and time.

The pane holds no project state of its own: the main window pushes the
document's project, the check's failing buildings and the selection into it
(``show_project``), and it reports clicks on buildings (``building_clicked``)
and the sun's position (``sun_changed``) back. The GL view is made on the
first ``ensure_view`` so that a window that never shows its 3D pane (an
offscreen test, a closed pane) never opens an OpenGL context or reads the
ground texture.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from zacviz.geometry.sun import SunPosition
from zacviz.i18n import fmt_number
from zacviz.model.project import Project
from zacviz.model.site import Site

PLAN_TILES_WITH_3D = 8
"""Aerial tiles the plan keeps beside the 3D pane (48 alone, 1 MB each): the
tiles in view are always kept, only fewer off screen wait to be shown again
(GDAL's block cache still holds their blocks). Software OpenGL costs the
process ~130 MB for the GL view (~90 of them for any OpenGL surface)."""
PIXMAP_CACHE_WITH_3D_KB = 12 * 1024
"""Qt's pixmap cache beside the 3D pane (48 MB alone). The plan's scaled tiles
in view must fit: at 8 MB the plan's repaint after an edit missed the cache and
took 3-8 times longer (bench_editor, plan_answered_with_3d_ms)."""


def make_room_for_3d(plan) -> None:
    """Smaller imagery caches for a plan that shares the process with the GL view."""
    from PySide6.QtGui import QPixmapCache

    layer = getattr(plan, "imagery_layer", None)
    if layer is not None:
        layer.max_tiles = min(layer.max_tiles, PLAN_TILES_WITH_3D)
    QPixmapCache.setCacheLimit(min(QPixmapCache.cacheLimit(), PIXMAP_CACHE_WITH_3D_KB))


def site_texture_px(screen) -> int:
    """The whole site's ground texture for a pane beside the plan: as many pixels
    as half the screen's longer side, a power of two from 1024 to 2048 (the
    lot's own detail texture keeps the close views sharp)."""
    size = screen.size() if screen is not None else None
    half = max(size.width(), size.height()) // 2 if size is not None else 0
    return 1024 if half <= 1024 else 2048


class Scene3DPanel(QWidget):
    """The 3D view with its controls (camera presets, envelope, sun)."""

    building_clicked = Signal(object)  # building id or None
    sun_changed = Signal(object)  # SunPosition
    shadows_on_plan_changed = Signal(bool)

    def __init__(self, site: Site, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site = site
        self.view = None  # View3D, made by ensure_view()
        self.sun_control = None
        self._project: Project | None = None
        self._failing: frozenset[str] = frozenset()
        self._selected: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 0)
        self.btn_overview = QPushButton()
        self.btn_lot = QPushButton()
        self.btn_pedestrian = QPushButton()
        self.btn_orbit = QPushButton()
        self.btn_orbit.setCheckable(True)
        for b in (self.btn_overview, self.btn_lot, self.btn_pedestrian, self.btn_orbit):
            b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            bar.addWidget(b)
        bar.addStretch(1)
        self.envelope_box = QCheckBox()
        self.plan_shadows_box = QCheckBox()
        layout.addLayout(bar)
        # The GL view is a native window of its own (View3DWindow), held by a
        # window container: it draws straight to its surface and swaps. A GL
        # widget would be drawn into a framebuffer and then composed with the
        # widgets of its window through OpenGL; on software GL every repaint
        # anywhere in that window (the plan, the checks list) would pay for that
        # composition, and an edit's 3D frame too (6-12 ms more per frame).
        self.view_host = QWidget()
        self.view_holder: QWidget | None = None
        self._view_slot = QVBoxLayout(self.view_host)
        self._view_slot.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view_host, 1)
        sun_row = QHBoxLayout()
        sun_row.setContentsMargins(4, 0, 4, 2)
        self.sun_title = QLabel()
        self.sun_info = QLabel()
        sun_row.addWidget(self.sun_title)
        self._sun_slot = QHBoxLayout()
        sun_row.addLayout(self._sun_slot, 1)
        layout.addLayout(sun_row)
        options = QHBoxLayout()
        options.setContentsMargins(4, 0, 4, 2)
        options.addWidget(self.envelope_box)
        options.addWidget(self.plan_shadows_box)
        options.addStretch(1)
        layout.addLayout(options)
        self.sun_info.setContentsMargins(4, 0, 4, 2)
        layout.addWidget(self.sun_info)

        self.btn_overview.clicked.connect(lambda: self._camera("overview"))
        self.btn_lot.clicked.connect(lambda: self._camera("lot"))
        self.btn_pedestrian.clicked.connect(lambda: self._camera("pedestrian"))
        self.btn_orbit.toggled.connect(self._on_orbit)
        self.envelope_box.toggled.connect(self._on_envelope)
        self.plan_shadows_box.toggled.connect(self.shadows_on_plan_changed)
        self.retranslate()
        self._update_buttons()

    # --------------------------------------------------------------- view

    def ensure_view(self):
        """Make the GL view (once) and show the current project in it."""
        if self.view is not None:
            return self.view
        from zacviz.ui.view3d import SunControl, View3DWindow

        # The lot's detail texture no larger than the site's: both are drawn in a
        # pane of at most half the screen (a 2048 px detail is 17 MB of texture).
        px = site_texture_px(self.screen())
        self.view, self.view_holder = View3DWindow.embedded(
            self.site, self.view_host, texture_px=px, detail_px=px
        )
        self.view_holder.setMinimumSize(200, 150)
        self._view_slot.addWidget(self.view_holder)
        self.sun_control = SunControl(self.view.sun_time, self.view.timezone)
        self._sun_slot.addWidget(self.sun_control)
        self.sun_control.changed.connect(self.view.set_sun)
        self.view.sun_changed.connect(self._on_sun)
        self.view.building_clicked.connect(self.building_clicked)
        self.view.set_envelope_visible(self.envelope_box.isChecked())
        self.view.set_project(self._project, self._failing, self._selected)
        if self._project is not None and self.site.lot(self._project.lot) is not None:
            self.view.lot_view(self.site.lot(self._project.lot))
        self._on_sun(self.view.sun)
        return self.view

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        if self.view is None:
            # Let the window paint first: making the view reads the ground texture (~1 s).
            QTimer.singleShot(50, self._make_view_if_shown)

    def _make_view_if_shown(self) -> None:
        if self.isVisible():
            self.ensure_view()

    def show_project(
        self, project: Project | None, failing_ids: Iterable[str] = (), selected_id: str | None = None
    ) -> None:
        """Show the document's project (None: the bare site); cheap when the view is not made yet."""
        old_lot = self._project.lot if self._project is not None else None
        self._project = project
        self._failing = frozenset(failing_ids)
        self._selected = selected_id
        self._update_buttons()
        if self.view is None:
            return
        self.view.set_project(project, self._failing, selected_id)
        new_lot = self.site.lot(project.lot) if project is not None and project.lot else None
        if new_lot is not None and project is not None and project.lot != old_lot:
            self.view.lot_view(new_lot)
        # Drawn now: the main window calls this on the turn after the plan has
        # answered (and paces a drag's previews), nothing else waits for it.
        self.view.repaint()

    def set_selected(self, selected_id: str | None) -> None:
        self._selected = selected_id
        if self.view is not None:
            self.view.set_selected(selected_id)
            self.view.update()

    def set_sun_time(self, when: datetime) -> None:
        view = self.ensure_view()
        if self.sun_control is not None:
            self.sun_control.set_value(when)
        view.set_sun(when)

    @property
    def sun(self) -> SunPosition | None:
        return self.view.sun if self.view is not None else None

    # ------------------------------------------------------------ controls

    def _lot(self):
        return self.site.lot(self._project.lot) if self._project is not None and self._project.lot else None

    def _update_buttons(self) -> None:
        has_lot = self._lot() is not None
        for b in (self.btn_lot, self.btn_pedestrian, self.btn_orbit):
            b.setEnabled(has_lot)
        self.envelope_box.setEnabled(has_lot)

    def _camera(self, preset: str) -> None:
        view = self.ensure_view()
        self.btn_orbit.setChecked(False)
        view.camera_preset(preset, self._lot())
        view.update()

    def _on_orbit(self, on: bool) -> None:
        view = self.ensure_view()
        lot = self._lot()
        if on and lot is not None:
            view.orbit_lot(lot)
        else:
            view.stop_orbit()

    def _on_envelope(self, on: bool) -> None:
        if self.view is not None:
            self.view.set_envelope_visible(on)
            self.view.update()

    def _on_sun(self, sun: SunPosition | None) -> None:
        if sun is None:
            self.sun_info.setText("")
        elif sun.elevation_deg <= 0:
            self.sun_info.setText(self.tr("Soleil couché"))
        else:
            self.sun_info.setText(
                self.tr("Soleil : azimut %1°, hauteur %2°")
                .replace("%1", fmt_number(sun.azimuth_deg, 0))
                .replace("%2", fmt_number(sun.elevation_deg, 0))
            )
        self.sun_changed.emit(sun)

    # ---------------------------------------------------------- language

    def changeEvent(self, ev) -> None:
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def retranslate(self) -> None:
        self.btn_overview.setText(self.tr("Vue d'ensemble"))
        self.btn_lot.setText(self.tr("Le lot"))
        self.btn_pedestrian.setText(self.tr("Piéton"))
        self.btn_orbit.setText(self.tr("Tourner autour"))
        self.btn_pedestrian.setToolTip(self.tr("À hauteur d'yeux, depuis la voie devant le lot"))
        self.envelope_box.setText(self.tr("Enveloppe constructible"))
        self.plan_shadows_box.setText(self.tr("Ombres sur le plan"))
        self.sun_title.setText(self.tr("Ensoleillement"))
        self._on_sun(self.sun)


__all__ = ["PIXMAP_CACHE_WITH_3D_KB", "PLAN_TILES_WITH_3D", "Scene3DPanel", "make_room_for_3d"]
