"""The settings page contract (STYLE.md §4, after Picard's options pages): each page is
one file with NAME, TITLE and SORT_ORDER, and `load()`, `check()`, `save()`.

Pages whose data lives in the database change it through dialogs and ops right away;
`save()` is for the pages that keep client options in QSettings."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.client import Client


class SettingsPage(QWidget):
    NAME = ""
    TITLE = ""  # QT_TRANSLATE_NOOP("Settings", …)
    SORT_ORDER = 0
    HAS_SAVE = False  # True: the page shows a Save button (QSettings options)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client

    def load(self) -> None:
        """Fill the page (from QSettings, or start a DbOp)."""

    def check(self) -> str | None:
        """What is wrong with the values typed, in the clerk's words; None if all is well."""
        return None

    def save(self) -> None:
        """Store the values (only called after check() returned None)."""
