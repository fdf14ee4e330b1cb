"""One stall at a glance: who rents it, its money and its meters (power / water state)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.money import fmt_yuan
from app.services.market.stalls import StallCard
from app.ui.labels import label, mode_label, supply_label

_SUPPLY_ON = {"closed": True, "open": True, "tripped": False}


class StallCardWidget(QFrame):
    def __init__(self, parent: QWidget | None = None, *, large: bool = False):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.card: StallCard | None = None
        self.title = QLabel(self)
        self.title.setStyleSheet(f"font-size: {18 if large else 14}pt; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.building = QLabel(self)
        self.tenant = QLabel(self)
        self.owner = QLabel(self)
        self.balance = QLabel(self)
        self.balance.setObjectName("balance")
        self.balance.setStyleSheet(f"font-size: {16 if large else 12}pt; font-weight: bold;")
        self.available = QLabel(self)
        self.alarms = QLabel(self)
        # Wrapped, so the card stays narrow beside a table at 1024×768.
        for w in (self.title, self.tenant, self.owner, self.alarms):
            w.setWordWrap(True)
        self.portal = QLabel(self)
        self.portal.setObjectName("portal_phones")
        self.portal.setWordWrap(True)
        self.meters = QLabel(self)
        self.meters.setTextFormat(Qt.TextFormat.RichText)
        self.meters.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Building / floor"), self.building)
        form.addRow(self.tr("Tenant"), self.tenant)
        form.addRow(self.tr("Owner"), self.owner)
        form.addRow(self.tr("Balance"), self.balance)
        form.addRow(self.tr("Available balance"), self.available)
        form.addRow(self.tr("Alarm at"), self.alarms)
        form.addRow(self.tr("Meters"), self.meters)
        form.addRow(self.tr("Tenant portal"), self.portal)
        self.actions = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(self.actions)
        layout.addStretch(1)
        self.show_card(None)

    def add_action(self, text: str) -> QPushButton:
        """A button under the card (a view's action on the shown stall)."""
        button = QPushButton(text, self)
        self.actions.addWidget(button)
        return button

    def show_card(self, card: StallCard | None) -> None:
        self.card = card
        if card is None:
            self.title.setText(self.tr("No stall selected"))
            for w in (
                self.building,
                self.tenant,
                self.owner,
                self.balance,
                self.available,
                self.alarms,
                self.meters,
                self.portal,
            ):
                w.setText("—")
            return
        closed = str(card.account_status) == "closed"
        closed_mark = "  (" + self.tr("account closed") + ")" if closed else ""
        self.title.setText(f"{card.code}  {card.name}{closed_mark}")
        self.building.setText(f"{card.building}  {card.floor}".strip())
        self.tenant.setText(f"{card.tenant_name}  {card.tenant_phone}".strip() or "—")
        self.owner.setText(f"{card.owner_name}  {card.owner_phone}".strip() or "—")
        self.balance.setText(f"¥ {fmt_yuan(card.balance)}")
        self.balance.setStyleSheet(
            self.balance.styleSheet().split(" color")[0]
            + (" color: #c0392b;" if card.balance < 0 else "")
        )
        if card.available_balance is None:
            self.available.setText(self.tr("not priced yet (usage since the last settlement)"))
        else:
            self.available.setText(f"¥ {fmt_yuan(card.available_balance)}")
        if card.alarm1 is not None:
            self.alarms.setText(
                self.tr("alarm 1 below ¥%1, alarm 2 below ¥%2, overdraft ¥%3")
                .replace("%1", fmt_yuan(card.alarm1))
                .replace("%2", fmt_yuan(card.alarm2 or 0))
                .replace("%3", fmt_yuan(card.overdraft_limit or 0))
            )
        else:
            self.alarms.setText("—")
        lines = []
        for m in card.meters:
            state = supply_label(m.kind, _SUPPLY_ON.get(m.state))
            colour = (
                "#c0392b"
                if m.state == "tripped" or (m.kind == "water" and m.state == "closed")
                else "#1e8449"
            )
            reading = f"{m.last_reading} {m.unit}" if m.last_reading is not None else ""
            mode = (
                ""
                if m.control_mode == "prepaid"
                else f" · <b style='color:#d35400'>{mode_label(m.kind, m.control_mode)}</b>"
            )
            lines.append(
                f"{label(m.kind)} {m.address}: <b style='color:{colour}'>{state}</b>{mode}"
                f" · {label(m.comm_status)} {reading}"
            )
        self.meters.setText("<br>".join(lines) if lines else self.tr("no meter"))
        # who else sees the stall on their phone (授权): the tenant relation an owner set up
        self.portal.setText(
            "\n".join(
                self.tr("%1 (bound by the stall's QR)").replace("%1", phone)
                if how == "bound"
                else self.tr("%1 (authorized by %2)").replace("%1", phone).replace("%2", by)
                for phone, how, by in card.portal_phones
            )
            or self.tr("tenant and owner on record only")
        )
