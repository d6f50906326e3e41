"""The interface language: French first, English through Qt's translators.

Widget texts are French source strings (``self.tr``/``QCoreApplication.translate``)
translated by ``zacviz/ui/i18n/zacviz_en.qm`` (built from ``zacviz_en.ts`` with
``pyside6-lrelease``; edit the .ts with ``pyside6-linguist``, refresh it with
``pyside6-lupdate``). The rule messages come from :mod:`zacviz.i18n`, switched at
the same time. Installing or removing a translator sends every widget a
``LanguageChange`` event, on which it retranslates itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from zacviz import i18n

CATALOGUE_DIR = Path(__file__).with_name("i18n")


def catalogue_path(lang: str) -> Path:
    return CATALOGUE_DIR / f"zacviz_{lang}.qm"


class Language:
    """Switches the whole interface (Qt widgets and core messages) between languages."""

    # The translators installed in the application, shared by every Language:
    # the application has one interface language, so switching removes them
    # all, whichever Language installed them (the kiosk rebuilt, a test...).
    _translators: ClassVar[list[QTranslator]] = []

    def __init__(self) -> None:
        self.current = "fr"

    def set(self, lang: str) -> None:
        if lang not in i18n.LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        i18n.set_language(lang)
        self.current = lang
        for t in Language._translators:
            QCoreApplication.removeTranslator(t)
        Language._translators.clear()
        QLocale.setDefault(QLocale(QLocale.Language.French if lang == "fr" else QLocale.Language.English))
        # Qt's own texts (Yes/No/Cancel buttons...) in French.
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if lang == "fr":
            qt = QTranslator()
            if qt.load("qtbase_fr", qt_dir):
                self._install(qt)
        path = catalogue_path(lang)
        if path.is_file():
            ours = QTranslator()
            if ours.load(str(path)):
                self._install(ours)

        # Widgets get their LanguageChange as posted events: deliver them now, so
        # that the whole interface has switched when this returns.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)

    def _install(self, translator: QTranslator) -> None:
        QCoreApplication.installTranslator(translator)
        Language._translators.append(translator)
