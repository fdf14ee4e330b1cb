"""The settings page contract (STYLE.md §4, after Picard's options pages): each page is
one file with NAME, TITLE and SORT_ORDER, and `load()`, `check()`, `save()`.

Pages whose data lives in the database change it through dialogs and ops right away;
`save()` is for the pages that keep client options in QSettings."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.ui.client import Client
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel


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


class TablePage(SettingsPage):
    """A settings page that is one table of records with Add and Edit buttons; the
    subclass gives the columns, loads the rows and opens its own edit dialog."""

    def build_table(self, columns, settings_key: str, add_text: str, edit_text: str, *,
                    hide_when_read_only: bool = False) -> None:
        self.model = RowTableModel(columns, parent=self)
        self.table = FilteredTable(settings_key, self.model, self)
        self.table.activated_row.connect(self.edit)
        add = QPushButton(add_text, self)
        edit = QPushButton(edit_text, self)
        add.clicked.connect(lambda: self.edit(None))
        edit.clicked.connect(lambda: self.edit(self.table.current_row()) if self.table.current_row() else None)
        for button in (add, edit):
            if hide_when_read_only:
                button.setVisible(self.client.can_change_settings)
            else:
                button.setEnabled(self.client.can_change_settings)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(add)
        buttons.addWidget(edit)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def edit(self, row) -> None:
        """Open the edit dialog for `row` (None: a new record)."""
