"""Add or change a stall: its code, name, building, floor, area, status, tenant, owner and
alarm levels."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from app.models.money import fmt_yuan
from app.services.market.stalls import BuildingRow, CustomerListRow, StallCard
from app.ui.client import Client
from app.ui.customers.customer_picker import CustomerPicker, completion_model
from app.ui.labels import label
from app.ui.settings.page import RecordDialog
from app.ui.stalls.stall_ops import STALL_CHANGES, save_stall

STATUSES = ("active", "vacant", "closed")


class StallDialog(RecordDialog):
    """`values()` returns the fields as typed, the tenant and owner as `PersonChoice`s; the
    service checks them, and what it refuses is shown under the form with nothing lost."""

    CHANGES = STALL_CHANGES

    def __init__(
        self,
        parent: QWidget,
        client: Client,
        buildings: list[BuildingRow],
        card: StallCard | None = None,
        customers: Sequence[CustomerListRow] = (),
    ):
        super().__init__(
            parent,
            self.tr("New stall")
            if card is None
            else self.tr("Edit stall %1").replace("%1", card.code),
        )
        self.client = client
        self.card = card
        self.setMinimumWidth(520)
        self.code = QLineEdit(card.code if card else "", self)
        self.name = QLineEdit(card.name if card else "", self)
        self.building = QComboBox(self)
        for b in buildings:
            self.building.addItem(b.name, b.id)
        if card is not None:
            self.building.setCurrentIndex(max(0, self.building.findText(card.building)))
        self.floor = QLineEdit(card.floor if card else "", self)
        self.floor.setMaxLength(20)
        self.floor.setPlaceholderText(self.tr("optional, e.g. 1F or B1"))
        self.area = QLineEdit(str(card.area_m2) if card else "0", self)
        self.status = QComboBox(self)
        for s in STATUSES:
            self.status.addItem(label(s), s)
        if card is not None:
            self.status.setCurrentIndex(STATUSES.index(str(card.status)))
        customers = list(customers)
        completions = completion_model(customers, self)  # one model for both fields
        self.tenant = CustomerPicker(customers, completions, self)
        self.owner = CustomerPicker(customers, completions, self)
        if card is not None:
            self.tenant.set_current(card.tenant_id, card.tenant_name, card.tenant_phone)
            self.owner.set_current(card.owner_id, card.owner_name, card.owner_phone)
        self.alarm1 = QLineEdit(
            fmt_yuan(card.alarm1) if card and card.alarm1 is not None else "50.00", self
        )
        self.alarm2 = QLineEdit(
            fmt_yuan(card.alarm2) if card and card.alarm2 is not None else "20.00", self
        )
        self.overdraft = QLineEdit(
            fmt_yuan(card.overdraft_limit) if card and card.overdraft_limit is not None else "0.00",
            self,
        )
        self.note = QLineEdit(card.note if card else "", self)
        form = self.form
        form.addRow(self.tr("Stall code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Building"), self.building)
        form.addRow(self.tr("Floor"), self.floor)
        form.addRow(self.tr("Area (m²)"), self.area)
        form.addRow(self.tr("Status"), self.status)
        form.addRow(self.tr("Tenant"), self.tenant)
        form.addRow(self.tr("Owner"), self.owner)
        form.addRow(self.tr("Alarm 1 below (¥)"), self.alarm1)
        form.addRow(self.tr("Alarm 2 below (¥)"), self.alarm2)
        form.addRow(self.tr("Overdraft allowed (¥)"), self.overdraft)
        form.addRow(self.tr("Note"), self.note)
        # Tab goes down the form: each person's name, then their phone.
        chain = [
            self.code,
            self.name,
            self.building,
            self.floor,
            self.area,
            self.status,
            self.tenant.name,
            self.tenant.phone,
            self.owner.name,
            self.owner.phone,
            self.alarm1,
            self.alarm2,
            self.overdraft,
            self.note,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if not buildings:
            form.addRow(QLabel(self.tr("Add a building under Settings → Buildings first.")))

    def body(self):
        return save_stall(self.client, self.card, self.values())

    def values(self) -> dict:
        return {
            "code": self.code.text().strip(),
            "name": self.name.text().strip(),
            "building_id": self.building.currentData(),
            "floor": self.floor.text().strip(),
            "area_m2": self.area.text().strip() or "0",
            "status": self.status.currentData(),
            "note": self.note.text(),
            "alarm1": self.alarm1.text().strip(),
            "alarm2": self.alarm2.text().strip(),
            "overdraft_limit": self.overdraft.text().strip(),
            "tenant": self.tenant.choice(),
            "owner": self.owner.choice(),
        }
