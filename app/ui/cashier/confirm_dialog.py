"""The last look before money is taken: amount in figures and in Chinese capitals (大写)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.models.account import PayMethod
from app.models.money import fmt_yuan, yuan_in_capitals
from app.services.market.stalls import StallCard
from app.ui.labels import label


class RechargeConfirmDialog(QDialog):
    """Enter confirms, Esc goes back. The idempotency key belongs to the caller's pending
    recharge, so pressing Enter twice or retrying after an error credits once."""

    def __init__(self, parent: QWidget, card: StallCard, amount: Decimal, method: PayMethod):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Confirm recharge"))
        self.setModal(True)
        self.setMinimumWidth(420)
        amount_label = QLabel(f"¥ {fmt_yuan(amount)}")
        amount_label.setObjectName("amount")
        amount_label.setStyleSheet("font-size: 26pt; font-weight: bold; color: #1a5276;")
        capitals = QLabel(yuan_in_capitals(amount))
        capitals.setObjectName("capitals")
        capitals.setStyleSheet("font-size: 15pt;")
        form = QFormLayout()
        form.addRow(self.tr("Stall"), QLabel(f"<b>{card.code}</b>  {card.name}"))
        form.addRow(self.tr("Tenant"), QLabel(card.tenant_name or "—"))
        form.addRow(self.tr("Amount"), amount_label)
        form.addRow(self.tr("In capitals"), capitals)
        form.addRow(self.tr("Paid by"), QLabel(f"<b>{label(method)}</b>"))
        form.addRow(self.tr("Balance after"), QLabel(f"¥ {fmt_yuan(card.balance + amount)}"))
        buttons = QDialogButtonBox(self)
        ok = buttons.addButton(self.tr("Confirm (Enter)"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Back (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        ok.setDefault(True)
        ok.setAutoDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Check the amount with the customer before confirming."))
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)
        ok.setFocus()
