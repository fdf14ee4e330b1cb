"""Customers (客户): the owners (业主) and tenants (租户) of the stalls; add, edit, delete."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.services.market.stalls import CustomerListRow, CustomerRow
from app.services.platform.context import Changes, May
from app.ui.client import Client
from app.ui.customers.customer_dialog import CustomerDialog
from app.ui.customers.customer_ops import delete_customer_op, list_customers_op
from app.ui.tables.columns import Column
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View


def stall_codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)


COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name"), width=110),
    Column("phone", QT_TRANSLATE_NOOP("Columns", "Phone"), width=110),
    Column("rents", QT_TRANSLATE_NOOP("Columns", "Tenant of"), stall_codes, width=150),
    Column("owns", QT_TRANSLATE_NOOP("Columns", "Owner of"), stall_codes, width=150),
    Column("note", QT_TRANSLATE_NOOP("Columns", "Note"), width=160),
]


class CustomersView(View):
    cares_about = (Changes.STALLS,)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self._select_after_load: int | None = None
        self.model = RowTableModel(COLUMNS, parent=self)
        self.table = FilteredTable(
            "customers",
            self.model,
            self,
            placeholder=self.tr("Filter: type any part of a name, phone or stall code …"),
        )
        self.table.export_title = self.tr("Customers")
        self.table.activated_row.connect(self.edit)
        self.add_button = QPushButton(self.tr("Add customer …"), self)
        self.edit_button = QPushButton(self.tr("Edit …"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self._with_chosen(self.edit))
        self.delete_button.clicked.connect(lambda: self._with_chosen(self.delete))
        # As on the settings pages: the buttons stay in view, disabled, with the reason.
        self.read_only_note = QLabel(self.tr("Only an administrator can change customers."), self)
        self.read_only_note.setStyleSheet("color: #555;")
        self.read_only_note.setVisible(not client.may(May.EDIT_CUSTOMERS))
        for b, action in (
            (self.add_button, May.ADD_CUSTOMERS),
            (self.edit_button, May.EDIT_CUSTOMERS),
            (self.delete_button, May.DELETE_CUSTOMERS),
        ):
            b.setEnabled(client.may(action))
        top = QHBoxLayout()
        top.addWidget(self.read_only_note)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        list_customers_op(self, self.client).success(self._loaded).run()

    def _loaded(self, rows: list[CustomerListRow]) -> None:
        chosen = self.table.current_row()
        self.model.set_rows(rows)
        select = (
            self._select_after_load
            if self._select_after_load is not None
            else (chosen.id if chosen else None)
        )
        self._select_after_load = None
        if select is not None:
            self.select_customer(select)
        self.mark_loaded()

    def select_customer(self, customer_id: int) -> None:
        self.table.select(customer_id)

    def _with_chosen(self, then) -> None:
        row = self.table.current_row()
        if row is None:
            QMessageBox.information(
                self, self.tr("Customers"), self.tr("Click a customer in the list first.")
            )
            return
        then(row)

    def edit(self, row: CustomerListRow | None) -> None:
        """Open the customer's dialog (None: a new customer); only an administrator may."""
        if not self.client.may(May.ADD_CUSTOMERS if row is None else May.EDIT_CUSTOMERS):
            return
        self.dialog = CustomerDialog(self, self.client.actor, row)
        self.dialog.saved.connect(self._saved)
        self.dialog.open()

    def _saved(self, row: CustomerRow) -> None:
        # The change reloads the list (Changes.STALLS); the saved customer is chosen again.
        self._select_after_load = row.id

    def delete(self, row: CustomerListRow) -> None:
        if not self.client.may(May.DELETE_CUSTOMERS):
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete customer"),
            self.tr(
                "Delete the customer %1 (%2)? Only a customer who no longer rents or owns a stall "
                "can be deleted."
            )
            .replace("%1", row.name)
            .replace("%2", row.phone or self.tr("no phone")),
        )
        if answer == QMessageBox.StandardButton.Yes:
            delete_customer_op(self, self.client, row.id).run()
