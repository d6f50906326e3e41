"""The kiosk shell: one fullscreen, frameless window that walks a visitor
from the attract screen to a QR code, and forgets them when they leave.

The shell observes the session's :class:`~zacviz.model.command.ProjectDocument`
(the single source of truth) and refreshes the adjust screen on each change;
every edit is a command. It owns the idle clock, the lock-down filter, the
admin gesture and PIN, the statistics, and the recovery from errors: an
exception in any handler is logged, a calm message is shown and the session
starts over — the kiosk never leaves by itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QTranslator
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from zacviz.design.templates import TemplateDoesNotFit
from zacviz.errors import InputError
from zacviz.kiosk.config import PIN_STATE_FILE, KioskConfig, PinGuard, is_demo_pin
from zacviz.kiosk.idle import IdleClock, Phase
from zacviz.kiosk.lockdown import LockDown
from zacviz.kiosk.overlays import AdminOverlay, CountdownOverlay, PinOverlay, Toast
from zacviz.kiosk.screens import AdjustScreen, AttractScreen, LotScreen, ShareScreen, TemplateScreen
from zacviz.kiosk.session import KioskSession
from zacviz.kiosk.stats import Statistics
from zacviz.kiosk.theme import Theme, make_theme, stylesheet
from zacviz.kiosk.widgets import button, label
from zacviz.model.project import Footprint
from zacviz.model.site import Site
from zacviz.ui.language import Language
from zacviz.ui.notifier import Notifier

log = logging.getLogger("zacviz.kiosk")
translate = QCoreApplication.translate

CATALOGUE_DIR = Path(__file__).with_name("i18n")
LIVE_CHECK_MS = 120
TICK_MS = 200
ERROR_BURST = 20  # errors within ERROR_WINDOW_S after which recovery stops rebuilding
ERROR_WINDOW_S = 10.0
SCREENS = ("attract", "lots", "templates", "adjust", "share")
STEPS = {"lots": 0, "templates": 1, "adjust": 2, "share": 3}

View3DFactory = Callable[[Site], QWidget]


def raised_in_gl_widget(exc: BaseException | None) -> bool:
    """Whether an exception (or one it wraps) came from a method of an OpenGL widget (a 3D view)."""
    from PySide6.QtOpenGLWidgets import QOpenGLWidget

    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        tb = exc.__traceback__
        while tb is not None:
            if isinstance(tb.tb_frame.f_locals.get("self"), QOpenGLWidget):
                return True
            tb = tb.tb_next
        exc = exc.__cause__ or exc.__context__
    return False


class KioskLanguage:
    """The interface language plus the kiosk's own catalogue (``i18n/kiosk_<lang>.qm``)."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._translator: QTranslator | None = None

    @property
    def current(self) -> str:
        return self.language.current

    def set(self, lang: str) -> None:
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        path = CATALOGUE_DIR / f"kiosk_{lang}.qm"
        if lang != "fr" and path.is_file():
            t = QTranslator()
            if t.load(str(path)):
                QCoreApplication.installTranslator(t)
                self._translator = t
        self.language.set(lang)


class KioskShell(QWidget):
    """The kiosk window. ``view3d_factory`` makes the 3D views (None: 2D only)."""

    def __init__(
        self,
        config: KioskConfig,
        site: Site,
        notifier: Notifier,
        language: Language,
        stats: Statistics,
        *,
        view3d_factory: View3DFactory | None = None,
        theme: Theme | None = None,
        clock: Callable[[], float] = time.monotonic,
        fullscreen: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.config = config
        self.notifier = notifier
        self.language = KioskLanguage(language)
        self.stats = stats
        self.view3d_factory = view3d_factory
        self.theme = theme or make_theme()
        self.clock = clock
        self.fullscreen = fullscreen
        self.follow_screen = fullscreen
        """Lay the screens out again when the window changes orientation or scale (a
        screen rotated, another monitor): on by default for the fullscreen kiosk."""
        self._retheme_pending = False
        self.allow_exit = False
        self.errors: list[float] = []
        self._recover_pending = False
        self._gl_failed = False
        self._preview: tuple[str, Footprint] | None = None
        self.setStyleSheet(stylesheet(self.theme))

        self._connect_session(KioskSession(site))
        self.idle = IdleClock(config.idle_timeout_s, config.countdown_s, clock)
        self.guard = PinGuard(
            config.admin_pin_hash,
            clock=clock,
            # In the state folder, next to the statistics: a restart keeps the back-off.
            state_file=stats.path.parent / PIN_STATE_FILE if stats.path is not None else None,
        )
        if is_demo_pin(config.admin_pin_hash):
            log.warning(
                "SECURITY: the admin PIN is still the demonstration PIN (2468) shipped with zacviz; "
                "set admin_pin_hash with 'zacviz kiosk --hash-pin' before the kiosk is left alone"
            )

        self._build_topbar()
        self.stack = QStackedWidget()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.topbar)
        lay.addWidget(self.stack, 1)
        self._build_screens(site)

        self._build_overlays()

        self.lockdown = LockDown(
            self,
            config.admin_corner,
            max(self.theme.target, self.theme.px(120)),
            int(config.admin_hold_s * 1000),
        )
        self.lockdown.activity.connect(self._on_activity)
        self.lockdown.admin_gesture.connect(self._on_admin_gesture)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self.lockdown)

        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.tick_timer.start()
        self.live_timer = QTimer(self)
        self.live_timer.setSingleShot(True)
        self.live_timer.setInterval(LIVE_CHECK_MS)
        self.live_timer.timeout.connect(self._live_check)

        self.set_language(config.default_language)
        self.show_screen("attract")

    # ------------------------------------------------------------ building

    def _build_topbar(self) -> None:
        t = self.theme
        self.topbar = QFrame()
        self.topbar.setProperty("role", "topbar")
        self.brand = label("", "brand")
        self.steps = label("", "steps")
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.lang_buttons: dict[str, QWidget] = {}
        self.restart_button = button("")
        self.restart_button.clicked.connect(lambda: self.end_session("restart"))
        bar = QVBoxLayout(self.topbar)
        bar.setContentsMargins(t.px(28), t.px(14), t.px(28), t.px(14))
        bar.setSpacing(t.px(10))
        row = QHBoxLayout()
        row.setSpacing(t.px(18))
        bar.addLayout(row)
        row.addWidget(self.brand)
        row.addStretch(1)
        if t.portrait:
            # Too narrow for the steps between the name and the buttons: a row of their own.
            self.steps.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.addWidget(self.steps)
            self.topbar.setFixedHeight(max(t.target, t.px(96)) + 2 * t.px(14) + t.px(10) + t.px(40))
        else:
            row.addWidget(self.steps)
            row.addStretch(1)
            self.topbar.setFixedHeight(max(t.target, t.px(96)) + 2 * t.px(14))
        for lang in self.config.languages:
            b = button(lang.upper(), "lang")
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, code=lang: self.set_language(code))
            row.addWidget(b)
            self.lang_buttons[lang] = b
        if len(self.lang_buttons) < 2:
            for b in self.lang_buttons.values():
                b.hide()
        row.addSpacing(t.px(20))
        row.addWidget(self.restart_button)

    def _build_overlays(self) -> None:
        self.countdown = CountdownOverlay(self.theme, self)
        self.toast = Toast(self.theme, self)
        self.pin = PinOverlay(self.theme, self, self.guard)
        self.admin = AdminOverlay(self.theme, self)
        self.pin.accepted.connect(self._open_admin)
        self.admin.exit_requested.connect(self.exit_kiosk)
        self.admin.reload_requested.connect(self.reload_site)
        self.admin.export_requested.connect(self.export_statistics)
        self.admin.closed.connect(self.idle.touch)

    def _build_screens(self, site: Site) -> None:
        t = self.theme
        attract_view = self.view3d_factory(site) if self.view3d_factory else None
        adjust_view = self.view3d_factory(site) if self.view3d_factory else None
        self.adjust_view = adjust_view
        self.attract = AttractScreen(site, t, attract_view)
        self.lots = LotScreen(site, t)
        self.templates = TemplateScreen(t, site)
        self.adjust = AdjustScreen(site, t, adjust_view)
        self.share = ShareScreen(t)
        self.screens: dict[str, QWidget] = {
            "attract": self.attract,
            "lots": self.lots,
            "templates": self.templates,
            "adjust": self.adjust,
            "share": self.share,
        }
        for w in self.screens.values():
            self.stack.addWidget(w)
        self.attract.start.connect(self.start_session)
        self.lots.lot_viewed.connect(lambda lot_id: self.stats.record("lot", lot_id))
        self.lots.chosen.connect(self.choose_lot)
        self.templates.chosen.connect(self.choose_template)
        self.templates.back.connect(lambda: self.show_screen("lots"))
        self.adjust.plan.selected.connect(self._on_selected)
        self.adjust.plan.preview.connect(self._on_preview)
        self.adjust.plan.committed.connect(self._on_committed)
        self.adjust.height_stepper.stepped.connect(self.session.step_height)
        self.adjust.storeys_stepper.stepped.connect(self.session.step_storeys)
        self.adjust.undo.connect(self._undo)
        self.adjust.redo.connect(self._redo)
        self.adjust.change_template.connect(lambda: self.show_screen("templates"))
        self.adjust.stage_toggled.connect(self.set_stage_3d)
        self.adjust.share.connect(self.show_share)
        self.share.back.connect(lambda: self.show_screen("adjust"))
        self.share.finish.connect(lambda: self.end_session("finished"))

    # ------------------------------------------------------------ screens

    @property
    def current_screen(self) -> str:
        w = self.stack.currentWidget()
        return next((name for name, s in self.screens.items() if s is w), "")

    def show_screen(self, name: str) -> None:
        self.stack.setCurrentWidget(self.screens[name])
        self.attract.set_running(name == "attract")
        self.topbar.setVisible(name != "attract")
        self.restart_button.setVisible(name != "attract")
        self._update_steps()

    def _update_steps(self) -> None:
        names = (
            translate("kiosk", "Terrain"),
            translate("kiosk", "Modèle"),
            translate("kiosk", "Ajuster"),
            translate("kiosk", "Emporter"),
        )
        current = STEPS.get(self.current_screen, -1)
        parts = []
        for i, name in enumerate(names):
            if i == current:
                parts.append(f"<span style='color:#ffffff; font-weight:bold'>{i + 1}. {name}</span>")
            else:
                parts.append(f"<span style='color:#7f93a8'>{i + 1}. {name}</span>")
        self.steps.setText("&nbsp;&nbsp;&nbsp;›&nbsp;&nbsp;&nbsp;".join(parts))

    # ------------------------------------------------------------ the visitor's path

    def start_session(self) -> None:
        if self.pin.isVisible() or self.admin.isVisible():
            return  # staff at the screen, not a visitor
        self.session.wipe()
        self.idle.start_session()
        self.stats.record("session")
        self.lots.reset()
        self.show_screen("lots")

    def choose_lot(self, lot_id: str) -> None:
        lot = self.session.choose_lot(lot_id)
        self.templates.set_lot(lot)
        if self.adjust_view is not None:
            self.adjust_view.lot_view(lot)  # type: ignore[attr-defined]
        self.show_screen("templates")

    def choose_template(self, template_id: str) -> None:
        try:
            self.session.choose_template(template_id)
        except TemplateDoesNotFit:
            self.toast.say(translate("kiosk", "Ce modèle ne tient pas sur ce terrain : essayez-en un autre."))
            return
        self.stats.record("template", template_id)
        self.show_screen("adjust")

    @property
    def stage_3d(self) -> bool:
        """Whether the adjust screen's stage shows the 3D view (else the plan on the photograph)."""
        return self.adjust.stage_3d

    def set_stage_3d(self, on: bool) -> None:
        """Give the adjust screen's stage to the 3D view (``True``) or back to the plan.

        Without 3D (no OpenGL, or ``show_3d = false``) the stage stays the plan.
        """
        self.adjust.set_stage_3d(on and self.adjust_view is not None)

    def show_share(self) -> None:
        link = self.session.link(self.config.share_url)
        self.share.show_link(link, self.session.lot, self.session.project, self.session.check())
        self.stats.record("qr", self.session.project.lot)
        self.show_screen("share")

    def end_session(self, reason: str = "") -> None:
        """Wipe the visitor's project and go back to the attract screen."""
        log.info("session ended (%s)", reason or "reset")
        self.live_timer.stop()
        self._preview = None
        self.adjust.plan.cancel_gesture()
        self.adjust.set_stage_3d(False)  # the next visitor starts on the plan
        self.idle.end_session()
        for overlay in (self.countdown, self.pin, self.admin):
            overlay.hide()
        self.lots.reset()
        self.share.qr.set_text("")
        self.show_screen("attract")
        # Last: the project is wiped even if a view listening to it fails to redraw.
        self.session.wipe()

    # ------------------------------------------------------------ editing

    def _connect_session(self, session: KioskSession) -> None:
        """Show ``session``: one refresh per change of its project or selection."""
        self.session = session
        session.project_changed.connect(self._on_project_changed)
        session.selection_changed.connect(self._on_selection_changed)

    def _disconnect_session(self) -> None:
        self.session.project_changed.disconnect(self._on_project_changed)
        self.session.selection_changed.disconnect(self._on_selection_changed)

    def _on_project_changed(self, _project: object) -> None:
        self._refresh()

    def _on_selection_changed(self, selected: object) -> None:
        """The adjust screen shows the new selection; the 3D view only recolours."""
        self._refresh(scene=False)
        if self.adjust_view is not None:
            self.adjust_view.set_selected(selected)  # type: ignore[attr-defined]

    def _refresh(self, scene: bool = True) -> None:
        s = self.session
        result = s.check()
        self.adjust.show_project(
            s.lot,
            s.project,
            result,
            s.selected,
            bool(s.doc.undo_stack),
            bool(s.doc.redo_stack),
            s.road_directions(),
        )
        if scene and self.adjust_view is not None:
            failing = [i for r in (result.failing if result else ()) for i in r.items]
            project = s.project if s.project.lot else None
            self.adjust_view.set_project(project, failing, s.selected)  # type: ignore[attr-defined]

    def _on_selected(self, item_id: object) -> None:
        self.session.select(item_id if isinstance(item_id, str) else None)

    def _on_preview(self, item_id: str, footprint: Footprint) -> None:
        self._preview = (item_id, footprint)
        if not self.live_timer.isActive():
            self.live_timer.start()

    def _live_check(self) -> None:
        """The checks of the building where the fingers hold it (a frame-rate cap)."""
        if self._preview is None or self.adjust.plan.gesture is None:
            return
        item_id, fp = self._preview
        self.adjust.show_checks(self.session.check(self.session.with_footprint(item_id, fp)))

    def _on_committed(self, item_id: str, footprint: Footprint, mode: str) -> None:
        self.live_timer.stop()
        self._preview = None
        self.session.set_footprint(item_id, footprint, mode)

    def _undo(self) -> None:
        self.session.undo()

    def _redo(self) -> None:
        self.session.redo()

    # ------------------------------------------------------------ language

    def set_language(self, lang: str) -> None:
        if lang not in self.config.languages:
            return
        self.language.set(lang)
        for code, b in self.lang_buttons.items():
            b.setChecked(code == lang)  # type: ignore[attr-defined]
        self.retranslate()

    def retranslate(self) -> None:
        self.brand.setText(self.session.site.name)
        self.restart_button.setText(translate("kiosk", "Recommencer"))
        self.restart_button.setMinimumWidth(self.restart_button.sizeHint().width())
        for screen in (self.attract, self.lots, self.templates, self.adjust, self.share):
            screen.retranslate()
        for overlay in (self.countdown, self.pin, self.admin):
            overlay.retranslate()
        self._update_steps()
        if self.session.project.lot:
            self._refresh()

    # ------------------------------------------------------------ idle

    def _on_activity(self) -> None:
        before = self.idle.touch()
        if before is Phase.COUNTDOWN:
            self.countdown.hide()

    def tick(self) -> None:
        if (
            self.admin.isVisible() or self.pin.isVisible()
        ) and self.idle.idle_s() >= self.config.idle_timeout_s:
            # Staff walked away: the admin panel closes itself like a session would.
            self.admin.hide()
            self.pin.hide()
        change = self.idle.tick()
        if change is Phase.COUNTDOWN:
            self.countdown.set_seconds(self.idle.countdown_left_s())
            self.countdown.open()
        elif change is Phase.ATTRACT:
            self.end_session("idle")
        elif self.idle.phase is Phase.COUNTDOWN:
            self.countdown.set_seconds(self.idle.countdown_left_s())

    # ------------------------------------------------------------ admin

    def _on_admin_gesture(self) -> None:
        if not self.guard.enabled:
            log.warning("admin gesture: no admin_pin_hash in the configuration, nothing to unlock")
            return
        self.countdown.hide()
        self.pin.open()

    def _open_admin(self) -> None:
        log.info("admin panel opened")
        self.admin.stats.setText(self.statistics_text())
        self.admin.result.setText("")
        self.admin.open()

    def statistics_text(self) -> str:
        totals = self.stats.totals()
        lines = [
            translate("kiosk", "Visites : {n}").format(n=totals["session"]),
            translate("kiosk", "Lots consultés : {n}").format(n=totals["lot"]),
            translate("kiosk", "Modèles choisis : {n}").format(n=totals["template"]),
            translate("kiosk", "QR codes affichés : {n}").format(n=totals["qr"]),
        ]
        top = self.stats.top("lot", 5)
        if top:
            lines.append(
                translate("kiosk", "Lots les plus consultés : {lots}").format(
                    lots=", ".join(f"{lot} ({n})" for lot, n in top)
                )
            )
        return "\n".join(lines)

    def export_statistics(self) -> Path | None:
        folder = self.config.statistics_dir() / "export"
        try:
            path = self.stats.export_csv(folder)
        except OSError as exc:
            log.warning("statistics export failed: %s", exc)
            self.admin.result.setText(translate("kiosk", "Export impossible : {error}").format(error=exc))
            return None
        log.info("statistics exported to %s", path)
        self.admin.result.setText(translate("kiosk", "Statistiques exportées : {path}").format(path=path))
        return path

    def reload_site(self) -> bool:
        """Read the site folder again and rebuild the screens on it (the session ends)."""
        from zacviz.io.site_folder import load_site

        try:
            site = load_site(self.config.site_folder())
        except InputError as exc:
            log.warning("site reload failed: %s", exc.message)
            self.admin.result.setText(
                translate("kiosk", "Rechargement impossible : {error}").format(error=exc.message)
            )
            return False
        self._rebuild(site, "site reloaded")
        log.info("site %s reloaded: %d lots", site.id, len(site.lots))
        return True

    def _rebuild(self, site: Site, reason: str) -> None:
        """End the session and make the screens anew (new site data, or no 3D)."""
        self.adjust_view = None  # the old views are going: let nothing redraw them
        self.end_session(reason)
        for w in list(self.screens.values()):
            self.stack.removeWidget(w)
            w.deleteLater()
        self._disconnect_session()
        self._connect_session(KioskSession(site))
        self._build_screens(site)
        self.retranslate()
        self.show_screen("attract")

    def disable_3d(self) -> None:
        """Carry on with the 2D plans only (the machine's OpenGL failed)."""
        if self.view3d_factory is None:
            return
        log.warning("the 3D view failed on this machine: the kiosk carries on in 2D")
        self.view3d_factory = None
        self._rebuild(self.session.site, "3D unavailable")

    def shutdown(self) -> None:
        """Lift the lock-down (the filter is application-wide) and stop the timers."""
        self.allow_exit = True
        self.tick_timer.stop()
        self.live_timer.stop()
        self.attract.set_running(False)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.lockdown)

    def exit_kiosk(self) -> None:
        log.info("kiosk exit requested from the admin panel")
        self.shutdown()
        self.close()
        QCoreApplication.quit()

    # ------------------------------------------------------------ lock-down and errors

    def closeEvent(self, ev: QCloseEvent) -> None:
        if self.allow_exit:
            ev.accept()
            return
        log.info("close request refused")
        ev.ignore()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        for overlay in (self.countdown, self.pin, self.admin):
            if overlay.isVisible():
                overlay.setGeometry(self.rect())
        if self.follow_screen and self._theme_for_size() is not None and not self._retheme_pending:
            self._retheme_pending = True
            QTimer.singleShot(0, self._retheme)

    def _theme_for_size(self) -> Theme | None:
        """A new theme if the window's size calls for another arrangement or scale, else None."""
        w, h = self.width(), self.height()
        if w < 320 or h < 320:
            return None  # not laid out yet
        screen = self.screen()
        theme = make_theme(w, h, ratio=screen.devicePixelRatio() if screen is not None else None)
        if theme.portrait != self.theme.portrait or abs(theme.unit / self.theme.unit - 1.0) > 0.1:
            return theme
        return None

    def _retheme(self) -> None:
        """Build the top bar, the screens and the overlays again for the window's new size
        (the visitor's session ends: a screen does not turn under a visitor's fingers)."""
        self._retheme_pending = False
        try:
            theme = self._theme_for_size()
            if theme is None:
                return
            log.info("screen changed to %d×%d: laying the kiosk out again", self.width(), self.height())
            self.theme = theme
            self.setStyleSheet(stylesheet(theme))
            lay = self.layout()
            old_bar = self.topbar
            self._build_topbar()
            lay.replaceWidget(old_bar, self.topbar)
            old_bar.deleteLater()
            for overlay in (self.countdown, self.toast, self.pin, self.admin):
                overlay.hide()
                overlay.deleteLater()
            self._build_overlays()
            self._rebuild(self.session.site, "screen changed")
            self.set_language(self.language.current)  # the new language buttons show it
        except Exception:
            log.exception("laying the kiosk out again failed; it carries on as it was")

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """The kiosk's ``sys.excepthook``: log, tell calmly, start over; never exit."""
        self.notifier.excepthook(exc_type, exc, tb)
        if issubclass(exc_type, KeyboardInterrupt):
            return
        now = self.clock()
        self.errors = [t for t in self.errors if now - t < ERROR_WINDOW_S] + [now]
        if self.view3d_factory is not None and raised_in_gl_widget(exc):
            self._gl_failed = True
        if not self._recover_pending:
            self._recover_pending = True
            QTimer.singleShot(0, self._recover)

    def _recover(self) -> None:
        self._recover_pending = False
        self.toast.say(
            translate(
                "kiosk", "Oups, un petit souci. Nous reprenons depuis le début, merci de votre patience."
            )
        )
        if len(self.errors) > ERROR_BURST:
            return  # a storm of errors: stay where we are rather than loop on resets
        try:
            if self._gl_failed:
                self._gl_failed = False
                self.disable_3d()  # else every visit would fail the same way
            else:
                self.end_session("error")
        except Exception:
            log.exception("recovery failed; the kiosk stays up")
