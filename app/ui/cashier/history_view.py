"""Recharge history (充值记录): filter by date and payment method; reprint (补打);
reversal (冲正) with a reason, for a supervisor; the shift total of the signed-in clerk."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.account import PayMethod
from app.models.money import ZERO, fmt_yuan
from app.services.money.accounts import RechargeRow
from app.services.office.receipts_render import receipt_no_text
from app.services.platform.context import Changes, May
from app.ui import site_time
from app.ui.cashier.cashier_ops import history_op, reverse_op
from app.ui.cashier.receipt_output import ReceiptOutput
from app.ui.client import Client
from app.ui.labels import label, yes_no
from app.ui.tables.columns import CENTER, RIGHT, Column, local_time, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View

COLUMNS = [
    Column("receipt_no", QT_TRANSLATE_NOOP("Columns", "Receipt No."), receipt_no_text, width=90),
    Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), local_time, width=130),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Kind"), label, CENTER, width=80),
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=80),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=130),
    Column("method", QT_TRANSLATE_NOOP("Columns", "Paid by"), label, CENTER, width=80),
    Column("amount", QT_TRANSLATE_NOOP("Columns", "Amount ¥"), yuan, RIGHT, width=90),
    Column(
        "balance_after", QT_TRANSLATE_NOOP("Columns", "Balance after ¥"), yuan, RIGHT, width=100
    ),
    Column("operator_name", QT_TRANSLATE_NOOP("Columns", "Operator"), label, width=80),
    Column("is_reversed", QT_TRANSLATE_NOOP("Columns", "Reversed"), yes_no, CENTER, width=60),
]


class RechargeHistoryView(View):
    cares_about = (Changes.BALANCES,)
    reversed_ = Signal(object)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.model = RowTableModel(COLUMNS, key=lambda r: r.receipt_id, parent=self)
        self.table = FilteredTable("recharge_history", self.model, self)
        self.receipts = ReceiptOutput(self, client)
        today = QDate(site_time.now().date())
        self.start = QDateEdit(today.addDays(-6), self)
        self.end = QDateEdit(today, self)
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.dateChanged.connect(self.refresh)
        self.method = QComboBox(self)
        self.method.addItem(self.tr("All payment methods"), None)
        for m in PayMethod:
            self.method.addItem(label(m), m.value)
        self.method.currentIndexChanged.connect(self.refresh)
        self.totals = QLabel(self)
        self.reprint_button = QPushButton(self.tr("Reprint"), self)
        self.reprint_button.clicked.connect(self.reprint)
        self.preview_button = QPushButton(self.tr("Print preview …"), self)
        self.preview_button.clicked.connect(self.preview)
        self.reverse_button = QPushButton(self.tr("Reverse …"), self)
        self.reverse_button.clicked.connect(self.reverse)
        self.reverse_button.setVisible(client.may(May.REVERSE_RECHARGES))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("From")))
        top.addWidget(self.start)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.end)
        top.addWidget(self.method)
        top.addStretch(1)
        top.addWidget(self.preview_button)
        top.addWidget(self.reprint_button)
        top.addWidget(self.reverse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)

    def _range(self) -> tuple[datetime, datetime]:
        # The site's days, whatever zone this PC is set to.
        return site_time.day_start(self.start.date().toPython()), site_time.day_start(
            self.end.date().toPython() + timedelta(days=1)
        )

    def refresh(self) -> None:
        start, end = self._range()
        method = self.method.currentData()
        history_op(self, start, end, PayMethod(method) if method else None).success(
            self._loaded
        ).run()

    def _loaded(self, rows: list[RechargeRow]) -> None:
        self.model.set_rows(rows)
        total = sum((r.amount for r in rows), ZERO)
        self.totals.setText(
            self.tr("%1 receipts, net ¥%2")
            .replace("%1", str(len(rows)))
            .replace("%2", fmt_yuan(total))
        )
        self.mark_loaded()

    def _current(self) -> RechargeRow | None:
        row = self.table.current_row()
        if row is None:
            QMessageBox.information(
                self, self.tr("Recharge history"), self.tr("Select a receipt first.")
            )
        return row

    def reprint(self) -> None:
        row = self._current()
        if row is not None:
            self.receipts.reprint(row.receipt_id)

    def preview(self) -> None:
        row = self._current()
        if row is not None:
            self.receipts.preview(row.receipt_id)

    def reverse(self) -> None:
        row = self._current()
        if row is None:
            return
        question = (
            self.tr(
                "Reverse receipt %1: ¥%2 to stall %3?\nThe money is taken off the balance again "
                "and a reversal "
                "receipt is printed.\n\nReason (required):"
            )
            .replace("%1", receipt_no_text(row.receipt_no))
            .replace("%2", fmt_yuan(row.amount))
            .replace("%3", row.stall_code)
        )
        prompt, reason = question, ""
        while not reason.strip():  # asked again until there is a reason, or the clerk cancels
            reason, ok = QInputDialog.getText(self, self.tr("Reverse recharge"), prompt)
            if not ok:
                return
            prompt = (
                self.tr("A reversal needs a reason, e.g. “wrong amount”. Type it, or Cancel.")
                + "\n\n"
                + question
            )
        op = reverse_op(self, self.client, row.receipt_no, reason.strip())
        op.success(
            lambda result: (self.receipts.print_new(result.receipt_id), self.reversed_.emit(result))
        ).run()
