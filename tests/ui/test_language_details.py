"""Language details a new user met: Qt's own dialogs in French, the site's
notice and "HT" in English."""

from __future__ import annotations

from dataclasses import replace

import pytest


@pytest.fixture
def language(editor):
    """The editor's one Language (translators installed by others would linger)."""
    return editor.language


def test_qt_dialog_texts_follow_the_interface_language(language):
    from PySide6.QtCore import QCoreApplication

    language.set("fr")
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Nom de fichier\u00a0:"
    language.set("en")
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "File &name:"


def test_the_editor_uses_qt_file_dialogs_not_the_desktops(editor, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    seen = []

    def fake(*args, **kwargs):
        seen.append(kwargs.get("options"))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake))
    w = editor.window
    w.start_project("A1")
    w.apply_template("warehouse")
    assert w.export_pdf() is None
    assert w.save_as_dialog() is False
    w.doc.mark_saved()
    w.open_dialog()
    assert len(seen) == 3
    assert all(o is not None and o & QFileDialog.Option.DontUseNativeDialog for o in seen)


def test_site_notice_and_ht_in_english(language, site):
    from zacviz.ui.panels import LotPanel

    illustrative = replace(
        site, settings={**site.settings, "notice": "Données fictives", "notice_en": "Made up"}
    )
    assert illustrative.notice("fr") == "Données fictives" and illustrative.notice("en") == "Made up"
    assert replace(site, settings={"notice": "Seulement"}).notice("en") == "Seulement"
    panel = LotPanel(notices={lang: illustrative.notice(lang) for lang in ("fr", "en")})
    lot = site.lot("A1")
    panel.show_lot(lot, None)
    assert panel.notice.text() == "Données fictives"
    assert panel.values["estimate"].text().endswith("€ HT")
    language.set("en")
    panel.show_lot(lot, None)
    assert panel.notice.text() == "Made up"
    assert "HT" not in panel.values["estimate"].text() and "excl. VAT" in panel.values["estimate"].text()
