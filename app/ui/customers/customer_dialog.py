"""Add a customer (业主 / 租户) or correct one's name, phone or note."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.market import stalls
from app.services.market.stalls import CustomerRow
from app.services.platform.context import Actor
from app.ui.customers.customer_ops import CUSTOMER_CHANGES
from app.ui.settings.page import RecordDialog


class CustomerDialog(RecordDialog):
    """Save runs one service call; a mistake is shown under the form and nothing is lost."""

    CHANGES = CUSTOMER_CHANGES

    def __init__(self, parent: QWidget, actor: Actor, row: CustomerRow | None):
        super().__init__(
            parent,
            self.tr("New customer")
            if row is None
            else self.tr("Edit customer %1").replace("%1", row.name),
        )
        self.actor, self.row = actor, row
        self.name = QLineEdit(row.name if row else "", self)
        self.phone = QLineEdit(row.phone if row else "", self)
        self.note = QLineEdit(row.note if row else "", self)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Phone"), self.phone)
        self.form.addRow(self.tr("Note"), self.note)

    def values(self) -> dict:
        return {
            "name": self.name.text().strip(),
            "phone": self.phone.text().strip(),
            "note": self.note.text().strip(),
        }

    def body(self):
        v, actor, row = self.values(), self.actor, self.row
        if row is None:
            return lambda s: stalls.create_customer(s, actor, v["name"], v["phone"], v["note"])
        changed = {k: value for k, value in v.items() if value != getattr(row, k)}
        if not changed:
            return lambda _s: row
        return lambda s: stalls.update_customer(s, actor, row.id, **changed)
