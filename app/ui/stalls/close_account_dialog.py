"""销户退款: the admin sees what the leaving tenant gets back before confirming, chooses how
it is paid out, and gives the reason; the refund receipt prints once the account is closed."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QWidget

from app.models.account import PayMethod
from app.models.money import fmt_yuan
from app.services.money import accounts
from app.services.money.accounts import ClosePreview
from app.services.platform.context import Changes
from app.ui.client import Client
from app.ui.labels import label
from app.ui.settings.page import RecordDialog


class CloseAccountDialog(RecordDialog):
    """`saved(CloseResult)` once the account is closed."""

    CHANGES = Changes.STALLS | Changes.BALANCES | Changes.METERS

    def __init__(self, parent: QWidget, client: Client, preview: ClosePreview):
        super().__init__(
            parent, self.tr("Close account of stall %1").replace("%1", preview.stall_code)
        )
        self.client = client
        self.preview = preview
        self.form.addRow(
            self.tr("Stall"), QLabel(f"{preview.stall_code}  {preview.stall_name}".strip())
        )
        self.form.addRow(self.tr("Tenant"), QLabel(preview.tenant_name or "—"))
        self.form.addRow(self.tr("Balance"), QLabel(f"¥ {fmt_yuan(preview.balance)}"))
        self.form.addRow(
            self.tr("− Usage not yet settled"), QLabel(f"¥ {fmt_yuan(preview.unsettled_usage)}")
        )
        self.form.addRow(
            self.tr("− Shared costs not yet issued"),
            QLabel(
                self.tr("¥ %1 (%2 bills)")
                .replace("%1", fmt_yuan(preview.pending_shared))
                .replace("%2", str(preview.pending_shared_bills))
            ),
        )
        self.refund = QLabel(self)
        self.refund.setObjectName("refund")
        self.refund.setStyleSheet("font-size: 14pt; font-weight: bold;")
        owes = preview.refund < 0
        self.refund.setText(
            self.tr("owes ¥ %1").replace("%1", fmt_yuan(-preview.refund))
            if owes
            else f"¥ {fmt_yuan(preview.refund)}"
        )
        self.form.addRow(self.tr("Refund"), self.refund)
        self.method = QComboBox(self)
        for m in PayMethod:
            self.method.addItem(label(m), m)
        self.form.addRow(self.tr("Refund by"), self.method)
        self.reason = QLineEdit(self.tr("Tenant moved out"), self)
        self.form.addRow(self.tr("Reason"), self.reason)
        note = QLabel(
            self.tr(
                "The usage is settled first. Then the %1 meters are tripped / their valves closed "
                "and "
                "the account is closed; the stall can be opened again for a new tenant."
            ).replace("%1", str(preview.meters)),
            self,
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        ok = self.button_box.button(QDialogButtonBox.StandardButton.Save)
        ok.setText(self.tr("Close account and refund"))
        if owes:
            self.error.setText(
                self.tr(
                    "The stall owes money: collect it at the counter first, then close the account."
                )
            )
            self.error.show()
            ok.setEnabled(False)

    def body(self):
        stall_id, reason, method = (
            self.preview.stall_id,
            self.reason.text(),
            self.method.currentData(),
        )
        # The refund shown is the one paid: a recharge or settlement meanwhile is refused.
        expected = self.preview.refund
        return lambda s: accounts.close_account(
            s, self.client.actor, stall_id, reason, method, expected_refund=expected
        )
