"""Soak test of the kiosk: thousands of random touches, no crash, no leak.

Replays random touch interactions on the kiosk shell — taps on whatever is on
screen, one-finger drags, two-finger pinches and twists, steppers, undo, the QR
screen, language switches, stray keys, idle countdowns and resets — and prints
the number of errors the kiosk had to recover from and the growth of its
resident memory after a warm-up.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_kiosk_soak.py [--interactions 20000]
    python benchmarks/bench_kiosk_soak.py --xvfb [--interactions 20000]

``--xvfb`` is the soak with 3D under a real X stack: the script starts its own
Xvfb (OpenGL through Mesa) at ``--size``, runs there on Qt's xcb platform with
the 3D views on, and fingers the 3D view too. When the kiosk shell has a 3D
full-stage switch (``set_stage_3d``), the visitor turns it on and off on the
adjust screen; without it the 3D is what the kiosk shows today (the attract
screen's orbit, the adjust screen's 3D panel). It prints the rate of touch
interactions and of touch events, the errors, the resident memory after the
warm-up and at the end, and its growth.

Goal: 0 errors, resident memory growth ≤ 10 % after the warm-up, 3D still on.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if "--xvfb" not in sys.argv and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen: draw offscreen (no 3D)

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from zacviz.app import build_kiosk
from zacviz.kiosk.config import default_config_path, load_config
from zacviz.ui.virtual_screen import virtual_screen


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


class Visitor:
    """A random visitor with fingers only (and, now and then, a stray key)."""

    def __init__(self, kiosk, clock: Clock, seed: int) -> None:
        self.kiosk = kiosk
        self.shell = kiosk.shell
        self.clock = clock
        self.rng = random.Random(seed)
        self.device = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
        self.counts: dict[str, int] = {}
        self.touch_events = 0
        self.stage_on = False

    # ---------------------------------------------------------------- fingers

    def touch(self, widget: QWidget, action: str, points: list[QPointF]) -> None:
        window = widget.window()
        seq = QTest.touchEvent(window, self.device)
        for i, p in enumerate(points):
            getattr(seq, action)(i, widget.mapTo(window, p.toPoint()))
        seq.commit()
        self.touch_events += 1
        QApplication.processEvents()

    def tap(self, widget: QWidget, pos: QPointF | None = None) -> None:
        if not widget.isVisible():
            return
        p = pos if pos is not None else QPointF(widget.rect().center())
        self.touch(widget, "press", [p])
        self.touch(widget, "release", [p])

    def gesture(self, widget: QWidget, frames: list[list[QPointF]]) -> None:
        self.touch(widget, "press", frames[0])
        for frame in frames[1:]:
            self.touch(widget, "move", frame)
        self.touch(widget, "release", frames[-1])

    def random_point(self, widget: QWidget) -> QPointF:
        return QPointF(self.rng.uniform(0, widget.width()), self.rng.uniform(0, widget.height()))

    # ---------------------------------------------------------------- actions

    def step(self) -> None:
        r = self.rng.random()
        if r < 0.01:
            self.do("stray key", self.stray_key)
        elif r < 0.02:
            self.do("idle", self.go_idle)
        elif r < 0.03:
            self.do("language", lambda: self.tap(self.rng.choice(list(self.shell.lang_buttons.values()))))
        else:
            screen = self.shell.current_screen
            getattr(self, f"on_{screen}")()

    def do(self, name: str, action) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1
        action()

    def on_attract(self) -> None:
        self.do(
            "start", lambda: self.tap(self.shell.attract.cover, self.random_point(self.shell.attract.cover))
        )

    def on_lots(self) -> None:
        lots = self.shell.lots
        r = self.rng.random()
        if r < 0.35:
            card = self.rng.choice([c for c in lots.cards.values() if c.isVisible()])
            self.do("lot card", lambda: self.tap(card))
        elif r < 0.55:
            self.do("lot map", lambda: self.tap(lots.map, self.random_point(lots.map)))
        elif r < 0.7:
            self.do("page", lambda: self.tap(self.rng.choice([lots.prev_page, lots.next_page])))
        else:
            self.do("continue", lambda: self.tap(lots.go))

    def on_templates(self) -> None:
        t = self.shell.templates
        if self.rng.random() < 0.9:
            self.do("template", lambda: self.tap(self.rng.choice(list(t.cards.values()))))
        else:
            self.do("back to lots", lambda: self.tap(t.back_button))

    def on_adjust(self) -> None:
        a = self.shell.adjust
        plan = a.plan
        r = self.rng.random()
        b = self.shell.session.selected_building()
        centre = plan.footprint_centre_px(b.id) if b is not None else QPointF(plan.rect().center())
        if r < 0.30:
            dx, dy = self.rng.uniform(-200, 200), self.rng.uniform(-200, 200)
            frames = [[centre + QPointF(dx * k / 6, dy * k / 6)] for k in range(7)]
            self.do("drag", lambda: self.gesture(plan, frames))
        elif r < 0.45:
            k1 = self.rng.uniform(0.6, 1.5)
            frames = [
                [centre - QPointF(40 * s, 0), centre + QPointF(40 * s, 0)]
                for s in (1 + (k1 - 1) * i / 5 for i in range(6))
            ]
            self.do("pinch", lambda: self.gesture(plan, frames))
        elif r < 0.50 and self.stage_3d_switch():
            on = self.stage_on = not self.stage_on
            self.do("3D stage " + ("on" if on else "off"), lambda: self.shell.set_stage_3d(on))
        elif r < 0.55 and a.view3d is not None and a.view3d.isVisible():
            view = a.view3d
            start = self.random_point(view)
            d = QPointF(self.rng.uniform(-150, 150), self.rng.uniform(-80, 80))
            frames = [[start + d * (k / 5)] for k in range(6)]
            self.do("3D drag", lambda: self.gesture(view, frames))
        elif r < 0.55:
            turn = self.rng.uniform(-45, 45)
            frames = []
            for i in range(6):
                a_ = math.radians(turn * i / 5)
                d = QPointF(60 * math.cos(a_), -60 * math.sin(a_))
                frames.append([centre - d, centre + d])
            self.do("twist", lambda: self.gesture(plan, frames))
        elif r < 0.62:
            self.do("tap plan", lambda: self.tap(plan, self.random_point(plan)))
        elif r < 0.77:
            stepper = self.rng.choice([a.height_stepper, a.storeys_stepper])
            self.do("stepper", lambda: self.tap(self.rng.choice([stepper.plus, stepper.minus])))
        elif r < 0.87:
            self.do("undo/redo", lambda: self.tap(self.rng.choice([a.undo_button, a.redo_button])))
        elif r < 0.92:
            self.do("change template", lambda: self.tap(a.template_button))
        elif r < 0.97:
            self.do("share", lambda: self.tap(a.share_button))
        else:
            self.do("restart", lambda: self.tap(self.shell.restart_button))

    def stage_3d_switch(self) -> bool:
        """Whether the shell has the 3D full-stage switch (``set_stage_3d``) and 3D is on."""
        return hasattr(self.shell, "set_stage_3d") and self.shell.view3d_factory is not None

    def on_share(self) -> None:
        s = self.shell.share
        self.do(
            "share screen", lambda: self.tap(s.back_button if self.rng.random() < 0.6 else s.finish_button)
        )

    def stray_key(self) -> None:
        key, mod = self.rng.choice(
            [
                (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
                (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
            ]
        )
        QTest.keyClick(self.shell, key, mod)

    def go_idle(self) -> None:
        """Walk away: the countdown shows; come back, or not."""
        shell = self.shell
        self.clock.offset += shell.config.idle_timeout_s + 1
        shell.tick()
        if self.rng.random() < 0.5:
            self.tap(shell.countdown)
        else:
            self.clock.offset += shell.config.countdown_s + 1
            shell.tick()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--interactions", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--with-3d", action="store_true", help="the 3D views too (needs a display)")
    parser.add_argument(
        "--xvfb", action="store_true", help="on an Xvfb of its own (OpenGL), Qt's xcb platform, 3D on"
    )
    parser.add_argument("--config", default=None, help="kiosk configuration (default: the shipped one)")
    args = parser.parse_args(argv)
    w, h = (int(v) for v in args.size.split("x"))
    if args.xvfb:
        return under_xvfb(w, h, [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--xvfb"])
    warmup = min(args.warmup, args.interactions // 5)

    config = load_config(args.config or default_config_path())
    clock = Clock()
    with tempfile.TemporaryDirectory() as stats_dir:
        kiosk = build_kiosk(
            config,
            with_3d=args.with_3d,
            fullscreen=False,
            size=(w, h),
            stats_dir=Path(stats_dir),
            clock=clock,
        )
        shell = kiosk.shell
        shell.show()
        QApplication.processEvents()
        visitor = Visitor(kiosk, clock, args.seed)
        t0 = time.perf_counter()
        warm_rss = rss_bytes()
        warm_t = t0
        peak = warm_rss
        for i in range(args.interactions):
            visitor.step()
            if i + 1 == warmup:
                gc.collect()
                warm_rss, warm_t = rss_bytes(), time.perf_counter()
            if (i + 1) % 1000 == 0:
                peak = max(peak, rss_bytes())
                print(
                    f"  {i + 1:6d} interactions, {time.perf_counter() - t0:6.0f} s, "
                    f"RSS {rss_bytes() / 2**20:6.1f} MiB, errors {len(shell.errors)}",
                    flush=True,
                )
        gc.collect()
        end_rss = rss_bytes()
        elapsed = time.perf_counter() - t0
        errors = len(shell.errors)
        alive = shell.isVisible()
        still_3d = shell.view3d_factory is not None
        totals = kiosk.stats.totals()
        shell.shutdown()
    growth = (end_rss - warm_rss) / warm_rss * 100.0
    per = (time.perf_counter() - warm_t) / max(1, args.interactions - warmup) * 1000.0
    platform = QApplication.platformName()
    stage = [k for k in visitor.counts if k.startswith("3D stage")]
    print()
    print(f"kiosk soak: {args.interactions} random touch interactions in {elapsed:.0f} s ({per:.1f} ms each)")
    print(
        f"  rate: {args.interactions / elapsed:.1f} interactions/s, "
        f"{visitor.touch_events / elapsed:.1f} touch events/s ({visitor.touch_events} events); "
        f"20,000 interactions would take {20_000 / (args.interactions / elapsed) / 60:.0f} min"
    )
    print(
        f"  Qt platform {platform}; 3D views: "
        + (f"on (still on at the end: {still_3d})" if args.with_3d else "off")
        + f"; screen {w}×{h}; seed {args.seed}"
    )
    if args.with_3d:
        print(
            "  3D full stage: "
            + (
                ", ".join(f"{k} {visitor.counts[k]}" for k in sorted(stage))
                if hasattr(shell, "set_stage_3d")
                else "no set_stage_3d in this kiosk: the 3D it shows today (attract orbit, adjust panel)"
            )
        )
    print(f"  errors recovered from (crashes): {errors}; window still up: {alive}")
    print(f"  RSS after {warmup} warm-up interactions: {warm_rss / 2**20:.1f} MiB")
    print(f"  RSS at the end: {end_rss / 2**20:.1f} MiB (peak {max(peak, end_rss) / 2**20:.1f} MiB)")
    print(f"  RSS growth after warm-up: {growth:+.1f} % (goal ≤ 10 %)")
    print(
        f"  counted: sessions {totals['session']}, lots {totals['lot']}, "
        f"templates {totals['template']}, QR {totals['qr']}"
    )
    print("  actions: " + ", ".join(f"{k} {v}" for k, v in sorted(visitor.counts.items())))
    ok = errors == 0 and alive and growth <= 10.0 and (still_3d or not args.with_3d)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def under_xvfb(width: int, height: int, argv: list[str]) -> int:
    """Run this soak again, with the 3D views, on an Xvfb of its own at ``width`` × ``height``."""
    try:
        with virtual_screen((width, height)) as display:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
            env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
            args = [a for a in argv if a != "--with-3d"] + ["--with-3d"]
            return subprocess.run([sys.executable, __file__, *args], env=env).returncode
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
