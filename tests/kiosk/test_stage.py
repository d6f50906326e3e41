"""Without 3D (no OpenGL, or show_3d off) the stage stays the plan: no 3D button, no toggle."""

from __future__ import annotations


def test_without_3d_the_stage_stays_the_plan(make_kiosk):
    shell = make_kiosk().shell
    shell.start_session()
    shell.choose_lot("A1")
    shell.choose_template("warehouse")
    assert shell.adjust_view is None
    assert not shell.adjust.stage_button.isVisible()
    shell.set_stage_3d(True)
    assert not shell.stage_3d
    assert shell.adjust.plan.isVisible()
