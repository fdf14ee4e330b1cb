"""A settings page that shows what exists as a table, read-only, with a note saying why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.client import Client
from app.ui.ops import DbOp
from app.ui.settings.page import SettingsPage
from app.ui.tables.columns import Column
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel


class ReadOnlyTablePage(SettingsPage):
    COLUMNS: list[Column] = []
    NOTE = ""  # translated by the subclass

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.model = RowTableModel(self.COLUMNS, parent=self)
        self.table = FilteredTable(f"settings_{self.NAME}", self.model, self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.note)

    def query(self) -> Callable:
        raise NotImplementedError

    def load(self) -> None:
        DbOp(self, self.query()).success(self.model.set_rows).run()
