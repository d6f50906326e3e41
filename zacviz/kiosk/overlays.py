"""What shows over the screens: countdown, calm message, PIN pad, admin panel.

Each overlay covers the whole window (dimming what is under it) and is a child
of the shell, never a separate top-level window or dialog that a window
manager could show, move or close.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from zacviz.kiosk.config import PIN_MAX_DIGITS, PinGuard
from zacviz.kiosk.theme import Theme
from zacviz.kiosk.widgets import button, label, painting

translate = QCoreApplication.translate


class Overlay(QWidget):
    """A full-window layer with a centred card."""

    def __init__(self, theme: Theme, parent: QWidget, dim: int = 170) -> None:
        super().__init__(parent)
        self.theme = theme
        self.dim = dim
        self.card_width = 0
        self.setProperty("floating", True)  # laid over the screens on purpose
        self.card = QFrame(self)
        self.card.setProperty("role", "panel")
        self.card_layout = QVBoxLayout(self.card)
        m = theme.px(48)
        self.card_layout.setContentsMargins(m, m, m, m)
        self.card_layout.setSpacing(theme.px(24))
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.hide()

    def set_card_width(self, width: int) -> None:
        """The card's width, as far as the window allows (a portrait screen is narrow)."""
        self.card_width = width
        self._fit_card()

    def _fit_card(self) -> None:
        parent = self.parentWidget()
        room = parent.width() - 2 * self.theme.px(40) if parent is not None else self.card_width
        self.card.setMinimumWidth(max(0, min(self.card_width, room)))
        self.card.setMaximumWidth(max(self.card.minimumWidth(), room))

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self._fit_card()
        self.show()
        self.raise_()

    def resizeEvent(self, ev) -> None:
        self._fit_card()
        super().resizeEvent(ev)

    def paintEvent(self, ev: QPaintEvent) -> None:
        with painting(self) as p:
            p.fillRect(self.rect(), QColor(5, 12, 20, self.dim))


class CountdownOverlay(Overlay):
    """“Still there?” with the seconds left; any touch dismisses it (the shell decides)."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent)
        self.question = label("", "title")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seconds = QLabel()
        self.seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seconds.setStyleSheet(f"font-size: {theme.px(180)}px; font-weight: bold; color: #f4b13e;")
        self.info = label("", wrap=True)
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_card_width(theme.px(980))
        for w in (self.question, self.seconds, self.info):
            self.card_layout.addWidget(w)
        self.retranslate()

    def set_seconds(self, s: float) -> None:
        self.seconds.setText(str(max(0, math.ceil(s))))

    def retranslate(self) -> None:
        self.question.setText(translate("kiosk", "Vous êtes toujours là ?"))
        self.info.setText(
            translate(
                "kiosk",
                "Touchez l'écran pour continuer. Sinon, le projet sera effacé pour le visiteur suivant.",
            )
        )


class Toast(QFrame):
    """A calm one-line message at the bottom of the screen that fades by itself."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme = theme
        self.setStyleSheet(f"background: rgba(34, 64, 92, 240); border-radius: {theme.px(20)}px;")
        self.text = label("", wrap=True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(theme.px(36), theme.px(24), theme.px(36), theme.px(24))
        lay.addWidget(self.text)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setProperty("floating", True)
        self.hide()

    def say(self, text: str, seconds: float = 5.0) -> None:
        self.text.setText(text)
        parent = self.parentWidget()
        assert parent is not None
        w = min(parent.width() - 2 * self.theme.px(60), self.theme.px(1200))
        self.setFixedWidth(w)
        self.adjustSize()
        self.move((parent.width() - w) // 2, parent.height() - self.height() - self.theme.px(150))
        self.show()
        self.raise_()
        self._timer.start(int(seconds * 1000))


class PinOverlay(Overlay):
    """An on-screen keypad for the admin PIN (nothing is ever typed on a keyboard)."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, theme: Theme, parent: QWidget, guard: PinGuard) -> None:
        super().__init__(theme, parent, dim=215)
        self.guard = guard
        self.entered = ""
        self.title = label("", "heading")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = QLabel()
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setStyleSheet(f"font-size: {theme.px(56)}px; letter-spacing: {theme.px(12)}px;")
        self.dots.setMinimumHeight(theme.px(80))
        self.status = label("", "soft", wrap=True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setMinimumHeight(theme.px(70))
        grid = QGridLayout()
        grid.setSpacing(theme.px(14))
        self.keys: dict[str, QWidget] = {}
        layout = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        for i, key in enumerate(layout):
            b = button(key, "keyok" if key == "OK" else "key")
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
        self.cancel_button = button("")
        self.cancel_button.clicked.connect(self.cancel)
        self.set_card_width(theme.px(620))
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.dots)
        self.card_layout.addLayout(grid)
        self.card_layout.addWidget(self.status)
        self.card_layout.addWidget(self.cancel_button)
        self._wait = QTimer(self)
        self._wait.setInterval(250)
        self._wait.timeout.connect(self._refresh)
        self.retranslate()

    def open(self) -> None:
        self.entered = ""
        self.status.setText("")
        super().open()
        self._wait.start()
        self._refresh()

    def cancel(self) -> None:
        self.entered = ""
        self._wait.stop()
        self.hide()
        self.cancelled.emit()

    def press(self, key: str) -> None:
        if self.guard.wait_s() > 0:
            return
        if key == "⌫":
            self.entered = self.entered[:-1]
        elif key == "OK":
            self.submit()
            return
        elif len(self.entered) < PIN_MAX_DIGITS:
            self.entered += key
        self._refresh()

    def submit(self) -> None:
        pin, self.entered = self.entered, ""
        if self.guard.attempt(pin):
            self._wait.stop()
            self.hide()
            self.accepted.emit()
            return
        self._refresh()

    def _refresh(self) -> None:
        self.dots.setText("●" * len(self.entered) + "○" * max(0, 4 - len(self.entered)))
        wait = self.guard.wait_s()
        for b in self.keys.values():
            b.setEnabled(wait <= 0)
        if wait > 0:
            self.status.setText(
                translate("kiosk", "Code incorrect. Nouvel essai dans {s} s.").format(s=math.ceil(wait))
            )
        elif self.guard.failures:
            self.status.setText(translate("kiosk", "Code incorrect. Réessayez."))

    def retranslate(self) -> None:
        self.title.setText(translate("kiosk", "Code administrateur"))
        self.cancel_button.setText(translate("kiosk", "Annuler"))


class AdminOverlay(Overlay):
    """Exit, reload the site data, look at and export the statistics."""

    exit_requested = Signal()
    reload_requested = Signal()
    export_requested = Signal()
    closed = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(theme, parent, dim=215)
        self.title = label("", "heading")
        self.stats = label("", wrap=True)
        self.stats.setTextFormat(Qt.TextFormat.PlainText)
        self.result = label("", "soft", wrap=True)
        self.export_button = button("")
        self.reload_button = button("")
        self.exit_button = button("")
        self.exit_button.setStyleSheet("background: #a4372c;")
        self.close_button = button("", "primary")
        self.export_button.clicked.connect(self.export_requested)
        self.reload_button.clicked.connect(self.reload_requested)
        self.exit_button.clicked.connect(self.exit_requested)
        self.close_button.clicked.connect(self._close)
        self.set_card_width(theme.px(1100))
        self.card_layout.addWidget(self.title)
        self.card_layout.addWidget(self.stats)
        # Side by side; one above the other on a portrait screen, too narrow for both.
        row = QBoxLayout(
            QBoxLayout.Direction.TopToBottom if theme.portrait else QBoxLayout.Direction.LeftToRight
        )
        row.setSpacing(theme.px(18))
        row.addWidget(self.export_button)
        row.addWidget(self.reload_button)
        self.card_layout.addLayout(row)
        self.card_layout.addWidget(self.result)
        row2 = QHBoxLayout()
        row2.setSpacing(theme.px(18))
        row2.addWidget(self.exit_button)
        row2.addStretch(1)
        row2.addWidget(self.close_button)
        self.card_layout.addLayout(row2)
        self.retranslate()

    def _close(self) -> None:
        self.hide()
        self.closed.emit()

    def retranslate(self) -> None:
        self.title.setText(translate("kiosk", "Administration de la borne"))
        self.export_button.setText(translate("kiosk", "Exporter les statistiques (CSV)"))
        self.reload_button.setText(translate("kiosk", "Recharger les données du site"))
        self.exit_button.setText(translate("kiosk", "Quitter le mode borne"))
        self.close_button.setText(translate("kiosk", "Fermer"))
