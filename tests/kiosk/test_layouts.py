"""Every kiosk screen on every stand screen: nothing overlaps, no text is cut, every
touch target is at least 12 mm.

The walk goes through the attract screen, the lots, the templates, the adjust
screen (plan stage, and 3D stage under OpenGL), the QR code, the countdown,
the PIN pad and the admin panel, in French and in English, on the bundled site
(its long lot names, its 30 lots).

Widget geometry is measured offscreen; the 3D stage, which needs OpenGL, is
walked by a ``gl`` test under Xvfb. Screens at device pixel ratio 2 are
walked in a process of their own started with ``QT_SCALE_FACTOR=2`` (Qt reads
it once, at start): the kiosk is laid out in logical pixels there, and its
targets are measured in device pixels.

The physical sizes assumed for the test (the touch-target check uses them):

============  =====  =========  ====================  ===============
screen        ratio  diagonal   mm per device pixel   12 mm is
============  =====  =========  ====================  ===============
1280 × 720    1      15.6"      0.2759                44 px
1366 × 768    1      15.6"      0.2587                47 px
1920 × 1080   1      24"        0.2767                44 px
3840 × 2160   2      55"        0.3171                38 device px
1080 × 1920   1      43" (totem) 0.4960               25 px
2160 × 3840   2      43" (totem) 0.2480               49 device px
============  =====  =========  ====================  ===============
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

if __name__ == "__main__":
    if sys.argv[5:6] != ["3d"]:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
elif not os.environ.get("ZACVIZ_GL_TESTS"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

MIN_TARGET_MM = 12.0

SCREENS = {
    # (device width, device height, device pixel ratio): diagonal in inches
    (1280, 720, 1): 15.6,
    (1366, 768, 1): 15.6,
    (1920, 1080, 1): 24.0,
    (3840, 2160, 2): 55.0,
    (1080, 1920, 1): 43.0,
    (2160, 3840, 2): 43.0,
}


def mm_per_device_px(width: int, height: int, diagonal_in: float) -> float:
    return diagonal_in * 25.4 / math.hypot(width, height)


# ------------------------------------------------------------------ the checker


def describe(w) -> str:
    text = ""
    if hasattr(w, "text") and callable(w.text):
        try:
            text = str(w.text())
        except TypeError:
            text = ""
    text = " ".join(text.split())[:40]
    name = w.objectName() or w.property("role") or ""
    return f"{type(w).__name__}{'#' + name if name else ''}{' ' + repr(text) if text else ''}"


def floating(w) -> bool:
    """Laid over its siblings on purpose (an overlay, the invitation, a hint on the plan)."""
    return bool(w.property("floating"))


def shown_children(parent):
    from PySide6.QtWidgets import QWidget

    return [c for c in parent.children() if isinstance(c, QWidget) and not c.isWindow() and c.isVisible()]


def label_problem(lab) -> str | None:
    """Whether a label's text does not fit its contents rectangle (wrapped or not)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocument

    text = lab.text()
    if not text:
        return None
    lab.ensurePolished()
    cr = lab.contentsRect()
    m = lab.margin()
    cr = cr.adjusted(m, m, -m, -m)
    rich = lab.textFormat() == Qt.TextFormat.RichText or (
        lab.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(lab.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if lab.wordWrap():
            doc.setTextWidth(cr.width())
        need_w, need_h = math.ceil(doc.idealWidth()), math.ceil(doc.size().height())
    else:
        flags = int(lab.alignment())
        if lab.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap)
            r = lab.fontMetrics().boundingRect(QRect(0, 0, cr.width(), 100000), flags, text)
        else:
            r = lab.fontMetrics().boundingRect(QRect(0, 0, 100000, 100000), flags, text)
        need_w, need_h = r.width(), r.height()
    if need_w > cr.width() + 1 or need_h > cr.height() + 1:
        return f"text cut ({need_w}×{need_h} px needed, {cr.width()}×{cr.height()} px given)"
    return None


def button_problem(b) -> str | None:
    """Whether a button's text is squeezed (the button is smaller than its style needs)."""
    if not b.text():
        return None
    hint = b.sizeHint()
    if b.width() + 1 < hint.width() or b.height() + 1 < hint.height():
        return f"text cut ({hint.width()}×{hint.height()} px needed, {b.width()}×{b.height()} px given)"
    return None


def check(root, mm_per_px: float, where: str = "") -> list[str]:
    """Every layout problem of what ``root`` shows; ``mm_per_px`` per *logical* pixel."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    found: list[str] = []
    widgets = [root, *[w for w in root.findChildren(QWidget) if w.isVisible() and not w.isWindow()]]
    for parent in widgets:
        kids = shown_children(parent)
        scrolled = parent.objectName() == "qt_scrollarea_viewport"
        for c in kids:
            g = c.geometry()
            if not scrolled and not parent.rect().adjusted(-1, -1, 1, 1).contains(g):
                found.append(f"{where}outside its parent: {describe(c)} {g.getRect()} in {describe(parent)}")
        solid = [c for c in kids if not floating(c)]
        for i, a in enumerate(solid):
            for b in solid[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 1 and overlap.height() > 1:
                    found.append(f"{where}overlap: {describe(a)} and {describe(b)} {overlap.getRect()}")
    for w in widgets:
        if isinstance(w, QLabel):
            problem = label_problem(w)
        elif isinstance(w, QAbstractButton):
            problem = button_problem(w)
        else:
            problem = None
        if problem:
            found.append(f"{where}{problem}: {describe(w)}")
        if isinstance(w, QAbstractButton):
            side_mm = min(w.width(), w.height()) * mm_per_px
            if side_mm < MIN_TARGET_MM - 1e-6:
                found.append(f"{where}touch target {side_mm:.1f} mm < {MIN_TARGET_MM:g} mm: {describe(w)}")
    return found


def check_attract(cover, mm_per_px: float, where: str = "") -> list[str]:
    """The attract screen's painted invitation: title, subtitle and button apart, inside, uncut."""
    from PySide6.QtCore import QRectF

    found = []
    rects = cover.layout()
    whole = QRectF(cover.rect())
    parts = {"title": cover.title, "subtitle": cover.lines[0], "button": cover.lines[1]}
    for name, r in rects.items():
        if not whole.contains(r):
            found.append(f"{where}attract {name} outside the screen: {r.getRect()}")
    for a, b in (("title", "subtitle"), ("subtitle", "breath"), ("title", "breath")):
        if rects[a].intersects(rects[b]):
            found.append(f"{where}attract {a} runs under the {b}")
    from PySide6.QtGui import QFontMetricsF

    for name, text in parts.items():
        r = rects[name]
        if name == "button":
            r = r.adjusted(cover.theme.px(40), 0, -cover.theme.px(40), 0)
        fm = QFontMetricsF(cover.font_for(name))
        need = fm.boundingRect(QRectF(0, 0, r.width(), 100000), cover.text_flags(), text)
        if need.width() > r.width() + 1 or need.height() > r.height() + 1:
            found.append(f"{where}attract {name} cut")
    side_mm = min(rects["button"].width(), rects["button"].height()) * mm_per_px
    if side_mm < MIN_TARGET_MM:
        found.append(f"{where}attract button {side_mm:.1f} mm < {MIN_TARGET_MM:g} mm")
    return found


# ------------------------------------------------------------------ the walk


def walk(width: int, height: int, ratio: int, diagonal_in: float, with_3d: bool = False) -> dict:
    """Build the kiosk on the bundled site at ``width`` × ``height`` device pixels and
    check every screen (with 3D: the adjust screen's 3D stage too); returns the
    problems and what the window measured."""
    from PySide6.QtWidgets import QApplication

    from zacviz.app import build_kiosk
    from zacviz.kiosk.config import hash_pin, parse_config

    tmp = Path(tempfile.mkdtemp(prefix="zacviz-layout-"))
    config = parse_config(
        {"kiosk": {"site": "belle-assise", "admin_pin_hash": hash_pin("2468", salt=b"layout-test-salt")}},
        tmp / "kiosk.toml",
    )
    lw, lh = round(width / ratio), round(height / ratio)
    kiosk = build_kiosk(
        config,
        with_3d=with_3d,
        fullscreen=False,
        size=(lw, lh),
        stats_dir=tmp / "stats",
        install_excepthook=False,
    )
    shell = kiosk.shell
    shell.setFixedSize(lw, lh)
    shell.show()
    app = QApplication.instance()
    found: list[str] = []
    dpr = shell.devicePixelRatioF()
    mm = mm_per_device_px(width, height, diagonal_in) * dpr  # per logical pixel

    def settle():
        for _ in range(3):
            app.processEvents()

    def look(name: str):
        settle()
        found.extend(check(shell, mm, f"{width}×{height} {lang} {name}: "))

    try:
        for lang in ("fr", "en"):
            shell.set_language(lang)
            shell.end_session("layout test")
            settle()
            found.extend(check_attract(shell.attract.cover, mm, f"{width}×{height} {lang} attract: "))
            look("attract")
            shell.start_session()
            lot = next(lot.id for lot in shell.session.site.lots if lot.status == "available")
            shell.lots.view_lot(lot)
            look("lots")
            shell.choose_lot(lot)
            look("templates")
            shell.choose_template("warehouse")
            look("adjust")
            if with_3d:
                assert shell.adjust_view is not None
                shell.set_stage_3d(True)
                look("adjust, 3D stage")
                shell.set_stage_3d(False)
            shell.show_share()
            look("share")
            shell.countdown.set_seconds(10)
            shell.countdown.open()
            look("countdown")
            shell.countdown.hide()
            shell.pin.open()
            look("PIN")
            shell.pin.hide()
            shell._open_admin()
            look("admin")
            shell.admin.hide()
    finally:
        shell.language.set("fr")  # the English catalogue is application-wide: remove it
        shell.shutdown()
        kiosk.stats.close()
        shell.hide()
        shell.deleteLater()
        settle()
    return {"problems": found, "ratio": dpr, "size": [lw, lh], "portrait": shell.theme.portrait}


def walk_in_process(width: int, height: int, ratio: int, diagonal_in: float) -> dict:
    from zacviz import i18n

    try:
        return walk(width, height, ratio, diagonal_in)
    finally:
        i18n.set_language("fr")


def walk_in_subprocess(
    width: int, height: int, ratio: int, diagonal_in: float, with_3d: bool = False
) -> dict:
    """The walk in a process of its own: offscreen, or on this process's display with 3D."""
    env = dict(os.environ, QT_SCALE_FACTOR=str(ratio))
    if with_3d:
        env.pop("QT_QPA_PLATFORM", None)
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            str(width),
            str(height),
            str(ratio),
            str(diagonal_in),
            "3d" if with_3d else "2d",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize(("width", "height", "ratio"), list(SCREENS), ids=lambda v: str(v))
def test_every_screen_fits_every_stand_screen(width, height, ratio, qapp):
    diagonal = SCREENS[(width, height, ratio)]
    if ratio == 1:
        result = walk_in_process(width, height, ratio, diagonal)
    else:
        result = walk_in_subprocess(width, height, ratio, diagonal)
    assert result["ratio"] == ratio
    assert result["size"] == [width // ratio, height // ratio]
    assert result["portrait"] == (height > width)
    assert result["problems"] == []


@pytest.mark.gl
@pytest.mark.parametrize(
    ("width", "height", "ratio"), [(1366, 768, 1), (1080, 1920, 1), (3840, 2160, 2)], ids=lambda v: str(v)
)
def test_the_3d_stage_fits_too(width, height, ratio):
    """With OpenGL (under Xvfb): the same walk with the 3D views, the 3D stage included."""
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal") or not os.environ.get("DISPLAY"):
        pytest.skip("GL tests run in a process of their own: ZACVIZ_GL_TESTS=1 pytest -m gl")
    result = walk_in_subprocess(width, height, ratio, SCREENS[(width, height, ratio)], with_3d=True)
    assert result["ratio"] == ratio
    assert result["problems"] == []


def test_the_theme_derives_its_sizes_from_the_screen():
    from zacviz.kiosk.theme import assumed_diagonal_in, make_theme

    for (w, h, ratio), diagonal in SCREENS.items():
        assert assumed_diagonal_in(w, h) == diagonal  # the kiosk assumes what the test states
        t = make_theme(w // ratio, h // ratio, ratio=ratio, diagonal_in=diagonal)
        assert t.portrait == (h > w)
        # 12 mm in logical pixels, at the screen's physical size.
        assert t.target * mm_per_device_px(w, h, diagonal) * ratio >= MIN_TARGET_MM
    # A larger physical screen of the same pixels needs fewer pixels for 12 mm;
    # a smaller one more: the targets follow the screen, not a fixed pixel count.
    small = make_theme(1920, 1080, ratio=1, diagonal_in=10.1)
    assert small.target > make_theme(1920, 1080, ratio=1, diagonal_in=24.0).target


# ------------------------------------------------------------------ the checker can fail


@pytest.fixture
def board(qtbot):
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    w.resize(600, 400)
    qtbot.addWidget(w)
    return w


MM_24IN = mm_per_device_px(1920, 1080, 24.0)


def test_the_checker_passes_a_sound_layout(board, qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

    lay = QVBoxLayout(board)
    lay.addWidget(QLabel("Choisissez un terrain"))
    b = QPushButton("Continuer")
    b.setMinimumSize(80, 80)
    lay.addWidget(b)
    board.show()
    qtbot.waitExposed(board)
    assert check(board, MM_24IN) == []


def test_the_checker_finds_overlapping_siblings(board, qtbot):
    from PySide6.QtWidgets import QPushButton

    a, b = QPushButton("A", board), QPushButton("B", board)
    a.setGeometry(10, 10, 100, 100)
    b.setGeometry(60, 60, 100, 100)
    board.show()
    found = check(board, MM_24IN)
    assert any(p.startswith("overlap: QPushButton 'A' and QPushButton 'B'") for p in found), found
    b.setProperty("floating", True)  # a deliberate overlay is allowed
    assert not any("overlap" in p for p in check(board, MM_24IN))


def test_the_checker_finds_cut_text(board, qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton

    single = QLabel("Imaginez votre entreprise ici, en quelques gestes", board)
    single.setGeometry(10, 10, 120, 40)
    wrapped = QLabel("Touchez l'écran pour continuer. Sinon, le projet sera effacé.", board)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(10, 100, 200, 20)  # room for one line of three
    squeezed = QPushButton("Emporter mon projet", board)
    squeezed.setGeometry(10, 200, 60, 90)
    board.show()
    found = check(board, MM_24IN)
    assert any("text cut" in p and "Imaginez" in p for p in found), found
    assert any("text cut" in p and "Touchez" in p for p in found), found
    assert any("text cut" in p and "Emporter" in p for p in found), found
    wrapped.setGeometry(10, 100, 200, 200)
    assert not any("text cut" in p and "Touchez" in p for p in check(board, MM_24IN))


def test_the_checker_finds_small_touch_targets_and_strays(board, qtbot):
    from PySide6.QtWidgets import QPushButton

    small = QPushButton("", board)
    small.setGeometry(10, 10, 30, 30)  # 8.3 mm on a 24" full-HD screen
    stray = QPushButton("", board)
    stray.setGeometry(560, 10, 80, 80)  # past the right edge
    board.show()
    found = check(board, MM_24IN)
    assert any(p.startswith("touch target 8.3 mm") for p in found), found
    assert any(p.startswith("outside its parent") for p in found), found
    # The same 30 px on a 55" 4K screen at ratio 1 (0.317 mm/px) is still too small,
    # on a 43" full-HD totem (0.496 mm/px) it is 14.9 mm: enough.
    assert not any("touch target" in p for p in check(board, mm_per_device_px(1080, 1920, 43.0)))


def test_the_checker_finds_an_attract_subtitle_under_its_button(qtbot):
    from PySide6.QtWidgets import QWidget

    from zacviz.kiosk.screens import _AttractCover
    from zacviz.kiosk.theme import make_theme

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(1920, 1080)
    cover = _AttractCover(make_theme(1920, 1080, ratio=1, diagonal_in=24.0), parent)
    cover.setGeometry(parent.rect())
    cover.title, cover.lines = "ZAC de la Belle Assise", ("Imaginez votre entreprise ici", "Touchez l'écran")
    assert check_attract(cover, MM_24IN) == []
    sound = cover.layout()

    def broken():  # the old layout: fixed heights from the top, the button from the bottom
        rects = dict(sound)
        rects["subtitle"] = sound["subtitle"].translated(
            0, sound["breath"].top() - sound["subtitle"].top() + 5
        )
        return rects

    cover.layout = broken
    found = check_attract(cover, MM_24IN)
    assert "attract subtitle runs under the breath" in found, found


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    w, h, r, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    print(json.dumps(walk(w, h, r, d, with_3d=sys.argv[5] == "3d")))
