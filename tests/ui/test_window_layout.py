"""The window fits small screens and remembers its size, state and splitters."""

from __future__ import annotations

import pytest

from zacviz.ui.main_window import fitted_size


@pytest.mark.parametrize(
    ("avail", "want"),
    [((1920, 1040), (1600, 1000)), ((1366, 728), (1366, 728)), ((1280, 680), (1280, 680))],
)
def test_first_size_fits_the_screen(avail, want):
    assert fitted_size(*avail) == want


def _build(qtbot, site_dir, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from zacviz.app import build_editor

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ed = build_editor(
        None, site_dir, settings=settings, user_dir=tmp_path / "data", lang="fr", install_excepthook=False
    )
    ed.window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    ed.window.ask_restore = lambda: False
    qtbot.addWidget(ed.window)
    return ed


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
def test_every_rule_row_is_reachable_at_small_sizes(qtbot, site_dir, tmp_path, size):
    w = _build(qtbot, site_dir, tmp_path).window
    w.start_project("A1")
    w.apply_template("warehouse")
    w.select("b1")
    w.show()
    hint = w.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1] - 48  # room for a panel/taskbar
    w.resize(*size)
    qtbot.waitUntil(lambda: w.size().width() == size[0])
    assert w.plan.width() >= 400 and w.plan.height() >= 400  # the plan is not lost
    rules = w.checks_panel.list
    assert rules.isVisible() and rules.viewport().height() > 40
    last = rules.item(rules.count() - 1)
    rules.scrollToItem(last)
    assert rules.viewport().rect().intersects(rules.visualItemRect(last))
    w.doc.mark_saved()
    w.close()


def test_size_maximised_state_and_splitters_are_remembered(qtbot, site_dir, tmp_path):
    ed = _build(qtbot, site_dir, tmp_path)
    w = ed.window
    w.show()
    w.resize(760, 560)
    qtbot.waitUntil(lambda: w.size().width() == 760)
    w.side_splitter.setSizes([120, 300])
    sizes = w.side_splitter.sizes()
    w.close()
    again = _build(qtbot, site_dir, tmp_path).window
    again.show()
    qtbot.waitUntil(lambda: again.isVisible())
    assert (again.width(), again.height()) == (760, 560)
    assert again.side_splitter.sizes() == sizes
    again.showMaximized()
    again.close()
    third = _build(qtbot, site_dir, tmp_path).window
    assert third.settings.value("window/geometry") is not None
    third.show()
    qtbot.waitUntil(lambda: third.isVisible())
    assert third.isMaximized()
    third.close()
