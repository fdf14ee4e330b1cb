"""Screen lock (锁屏) of this counter PC: after how many idle minutes the window locks."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QVBoxLayout

from app.ui.settings import options
from app.ui.settings.page import SettingsPage


class LockPage(SettingsPage):
    NAME = "lock"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Screen lock")
    SORT_ORDER = 75
    HAS_SAVE = True

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 240)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setSpecialValueText(self.tr("Never"))
        form = QFormLayout()
        form.addRow(self.tr("Lock the window after idle"), self.minutes)
        note = QLabel(
            self.tr(
                "When nobody uses the keyboard or the mouse for this long, the window locks and "
                "asks the password of the signed-in user again; what was open stays as it was. "
                "0 = never lock. Applies to this PC."
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
        self.minutes.setValue(options.IDLE_LOCK_MINUTES.get())

    def save(self) -> None:
        options.IDLE_LOCK_MINUTES.put(self.minutes.value())
        idle = getattr(self.window(), "idle", None)  # the main window's, from now on
        if idle is not None:
            idle.set_timeout_ms(self.minutes.value() * 60_000)
