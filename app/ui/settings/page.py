"""The settings page contract (STYLE.md §4, after Picard's options pages): each page is
one file with NAME, TITLE and SORT_ORDER, and `load()`, `check()`, `save()`.

Pages whose data lives in the database change it through dialogs and ops right away;
`save()` is for the pages that keep client options in QSettings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.money import AmountError
from app.services.platform.context import Changes, May, ServiceError
from app.ui.client import Client
from app.ui.errors import error_text
from app.ui.ops import DbOp
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

    def confirm(self, title: str, question: str) -> bool:
        """Ask before a delete or a change of many records; True when the clerk said Yes."""
        return QMessageBox.question(self, title, question) == QMessageBox.StandardButton.Yes


class TablePage(SettingsPage):
    """A settings page that is one table of records with Add and Edit buttons; the
    subclass gives the columns, loads the rows and opens its own edit dialog."""

    def build_table(
        self,
        columns,
        settings_key: str,
        add_text: str,
        edit_text: str,
        *,
        add: May,
        edit: May,
        hide_when_read_only: bool = False,
        more: tuple[tuple[str, Callable[[Any], None], May], ...] = (),
    ) -> None:
        """`add` / `edit`: what the Add and Edit buttons do (the services' table says who
        may); `more`: further (text, slot(selected row), action) buttons, e.g. Disable or Delete."""
        rules = {"add": add, "edit": edit}
        self.model = RowTableModel(columns, parent=self)
        self.table = FilteredTable(
            settings_key,
            self.model,
            self,
            placeholder=self.tr("Filter: type any part of what you are looking for …"),
        )
        self.table.activated_row.connect(self.edit)
        self.buttons: dict[str, QPushButton] = {}
        add_button = QPushButton(add_text, self)
        edit_button = QPushButton(edit_text, self)
        add_button.clicked.connect(lambda: self.edit(None))
        edit_button.clicked.connect(
            lambda: self.edit(self.table.current_row()) if self.table.current_row() else None
        )
        self.buttons.update(add=add_button, edit=edit_button)
        for text, slot, rule in more:
            rules[text] = rule
            button = QPushButton(text, self)
            button.clicked.connect(
                lambda _checked=False, slot=slot: (
                    slot(self.table.current_row()) if self.table.current_row() else None
                )
            )
            self.buttons[text] = button
        # translate() with the base class's context: self.tr() would look in the subclass's.
        self.read_only_note = QLabel(
            QCoreApplication.translate(
                "SettingsPage", "Only an administrator can change these settings."
            ),
            self,
        )
        self.read_only_note.setStyleSheet("color: #555;")
        self.read_only_note.setVisible(not self.client.may(edit))
        for key, button in self.buttons.items():
            if hide_when_read_only:
                button.setVisible(self.client.may(rules[key]))
            else:
                button.setEnabled(self.client.may(rules[key]))
        buttons = QHBoxLayout()
        buttons.addWidget(self.read_only_note)
        buttons.addStretch(1)
        for button in self.buttons.values():
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def open_dialog(self, dialog: RecordDialog) -> None:
        """Show a record dialog; the table reloads once it saved."""
        self.dialog = dialog
        dialog.saved.connect(lambda _result: self.load())
        dialog.open()

    def run(self, body: Callable[[Any], Any], changes: Changes = Changes.SETTINGS) -> None:
        """One service call (one transaction), then reload; errors in the default dialog."""
        DbOp(self, body, changes=changes).success(lambda _r: self.load()).run()

    def edit(self, row) -> None:
        """Open the edit dialog for `row` (None: a new record)."""


class RecordDialog(QDialog):
    """An edit dialog whose Save runs one service call: it closes when the call succeeded
    and otherwise shows the clerk's error under the form and stays open with what was typed.

    The subclass fills `self.form` and implements `body()`, which reads the fields and
    returns `fn(session)`; it may raise ServiceError for input it can already tell is wrong."""

    saved = Signal(object)
    CHANGES = Changes.SETTINGS

    def __init__(self, parent: QWidget, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.button_box)

    def body(self) -> Callable[[Any], Any]:
        raise NotImplementedError

    def save(self) -> None:
        try:
            body = self.body()
        except (ServiceError, AmountError) as exc:
            self.show_error(exc)
            return
        self.button_box.setEnabled(False)
        DbOp(self, body, changes=self.CHANGES).success(self._saved).failure(self._failed).run()

    def _saved(self, result: Any) -> None:
        self.button_box.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.button_box.setEnabled(True)
        self.show_error(error)

    def show_error(self, error: BaseException) -> None:
        self.error.setText(error_text(error))
        self.error.show()
