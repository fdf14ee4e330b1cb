"""Interface language: Simplified Chinese (default) or English; applies at the next start."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout

from app.ui.settings import options
from app.ui.settings.page import SettingsPage

LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))


class LanguagePage(SettingsPage):
    NAME = "language"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Language")
    SORT_ORDER = 80
    HAS_SAVE = True

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.language = QComboBox(self)
        for code, name in LANGUAGES:  # each language in its own words
            self.language.addItem(name, code)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        note = QLabel(
            self.tr(
                "The new language is used when MarketMeter is started again. Printed receipts "
                "are always in Chinese."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)

    def load(self) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(options.LANGUAGE.get())))

    def save(self) -> None:
        options.LANGUAGE.put(self.language.currentData())
