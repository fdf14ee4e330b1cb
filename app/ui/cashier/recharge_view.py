"""The counter (充值): one keyboard-driven screen.

Type or scan a stall code (a QR scanner types like a keyboard, then Enter), or a name /
phone and pick from the list; type the amount, Enter; press 1–5 for how it was paid (or
Enter for the one shown); confirm with Enter. The receipt is printed and kept as a PDF.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.account import PayMethod
from app.models.money import AmountError, fmt_yuan
from app.services.market.stalls import StallCard
from app.services.money.amounts import parse_amount
from app.services.office.receipts_render import QR_PREFIX
from app.services.platform.context import Changes, May, NotFound
from app.ui.cashier.cashier_ops import find_stalls_op, recharge_op, stall_card_op
from app.ui.cashier.confirm_dialog import RechargeConfirmDialog
from app.ui.cashier.receipt_output import ReceiptOutput
from app.ui.client import Client
from app.ui.errors import error_text, show_error
from app.ui.labels import label
from app.ui.stalls.stall_card_widget import StallCardWidget
from app.ui.view_base import View

METHODS = (PayMethod.CASH, PayMethod.WECHAT, PayMethod.ALIPAY, PayMethod.CARD, PayMethod.TRANSFER)


@dataclass
class PendingRecharge:
    """What was confirmed; its key survives a failed attempt so a retry credits once."""

    stall_id: int
    amount: Decimal
    method: PayMethod
    key: str


class _MethodKeys(QObject):
    """Keys 1–5 choose the payment method and Enter confirms, while the method row has focus."""

    def __init__(self, view: RechargeView):
        super().__init__(view)
        self.view = view

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_5:
                self.view.choose_method(METHODS[key - Qt.Key.Key_1], confirm=True)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.view.confirm()
                return True
        return False


class RechargeView(View):
    cares_about = (Changes.BALANCES, Changes.METERS, Changes.STALLS)
    live_cares_about = (Changes.BALANCES, Changes.METERS)  # the stall card shown: balance, relay
    recharged = Signal(object)  # RechargeResult
    card_shown = Signal(object)  # StallCard or None

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.card: StallCard | None = None
        self.pending: PendingRecharge | None = None
        self.method = PayMethod.CASH
        self._sending = False
        self.receipts = ReceiptOutput(self, client)
        self.receipts.printer_missing.connect(self._printer_missing)

        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("stall_code")
        self.code_edit.setPlaceholderText(
            self.tr("Stall code, scan the QR code, or a name / phone number")
        )
        self.code_edit.setStyleSheet("font-size: 16pt; padding: 4px;")
        self.code_edit.returnPressed.connect(self.look_up)
        self.code_edit.textEdited.connect(lambda _t: self._search_timer.start())
        self.code_edit.installEventFilter(self)
        self.matches = QListWidget(self)
        self.matches.setObjectName("matches")
        self.matches.itemActivated.connect(self._pick_match)
        self.matches.setMaximumHeight(180)
        self.matches.setStyleSheet("font-size: 12pt;")
        self.matches.hide()
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._search_as_you_type)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        self.card_widget = StallCardWidget(self, large=True)

        self.amount_edit = QLineEdit(self)
        self.amount_edit.setObjectName("amount")
        self.amount_edit.setPlaceholderText(self.tr("Amount in yuan, e.g. 100 or 120.50"))
        self.amount_edit.setStyleSheet("font-size: 20pt; padding: 4px;")
        self.amount_edit.returnPressed.connect(self._amount_entered)
        self.method_buttons = QButtonGroup(self)
        method_row = QWidget(self)
        method_row.setObjectName("methods")
        method_row.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        method_layout = QHBoxLayout(method_row)
        method_layout.setContentsMargins(0, 0, 0, 0)
        for i, m in enumerate(METHODS, start=1):
            button = QPushButton(f"{i}  {label(m)}", method_row)
            button.setCheckable(True)
            button.setMinimumHeight(40)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, m=m: self.choose_method(m))
            self.method_buttons.addButton(button, i)
            method_layout.addWidget(button)
        self.method_row = method_row
        method_row.installEventFilter(_MethodKeys(self))
        self.confirm_button = QPushButton(self.tr("Recharge (Enter)"), self)
        self.confirm_button.setMinimumHeight(44)
        self.confirm_button.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.confirm_button.clicked.connect(self.confirm)
        self.reprint_button = QPushButton(self.tr("Reprint last receipt"), self)
        self.reprint_button.clicked.connect(self.receipts.reprint_last)
        self.reprint_button.setEnabled(False)
        self.last_result = QLabel(self)
        self.last_result.setObjectName("last_result")
        self.last_result.setWordWrap(True)
        self.last_result.setStyleSheet("font-size: 12pt; color: #1e8449;")

        pay = QGroupBox(self.tr("Recharge"), self)
        grid = QGridLayout(pay)
        grid.addWidget(QLabel(self.tr("Amount (¥)")), 0, 0)
        grid.addWidget(self.amount_edit, 0, 1)
        grid.addWidget(QLabel(self.tr("Paid by (keys 1–5)")), 1, 0)
        grid.addWidget(method_row, 1, 1)
        grid.addWidget(self.confirm_button, 2, 1)
        grid.addWidget(self.last_result, 3, 0, 1, 2)
        grid.addWidget(self.reprint_button, 4, 1, alignment=Qt.AlignmentFlag.AlignRight)

        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Find the stall")))
        left.addWidget(self.code_edit)
        left.addWidget(self.matches)
        left.addWidget(self.message)
        left.addWidget(pay)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.card_widget, 2)
        self.choose_method(PayMethod.CASH)
        self._set_card(None)
        if not client.may(May.TAKE_RECHARGES):
            pay.setEnabled(False)
            pay.setTitle(self.tr("Recharge (your role may only look up stalls)"))

    # -- data -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.card is None:
            self.mark_loaded()
            return
        stall_card_op(self, self.client, self.card.id).success(self._set_card).run()

    def _set_card(self, card: StallCard | None) -> None:
        if card is not None and self.card is not None and card.id != self.card.id:
            self.pending = None  # another stall: a new confirmation, a new key
        self.card = card
        self.card_widget.show_card(card)
        self.amount_edit.setEnabled(card is not None)
        self.confirm_button.setEnabled(card is not None)
        self.card_shown.emit(card)
        self.mark_loaded()

    # -- finding the stall ----------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        # Up / Down in the code field walk the match list, like a completer.
        if (
            obj is self.code_edit
            and event.type() == QEvent.Type.KeyPress
            and self.matches.isVisible()
        ):
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.matches.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
                self.matches.setCurrentRow(max(0, min(self.matches.count() - 1, row)))
                return True
        return super().eventFilter(obj, event)

    def look_up(self) -> None:
        if self.matches.isVisible() and self.matches.currentItem() is not None:
            self._pick_match(self.matches.currentItem())
            return
        text = self.code_edit.text().strip()
        if text.upper().startswith(QR_PREFIX):
            text = text[len(QR_PREFIX) :]
        if not text:
            return
        self._search_timer.stop()
        self.message.clear()
        stall_card_op(self, self.client, text).success(self._found).failure(
            lambda e: self._not_a_code(text, e)
        ).run()

    def _found(self, card: StallCard) -> None:
        self.matches.hide()
        self._set_card(card)
        self.code_edit.selectAll()
        self.amount_edit.clear()
        self.amount_edit.setFocus()

    def _not_a_code(self, text: str, error: BaseException) -> None:
        if not isinstance(error, NotFound):
            show_error(self, error)
            return
        # Not a code: a tenant's name or phone, or part of a stall name.
        find_stalls_op(self, self.client, text).success(
            lambda rows: self._show_matches(rows, text, pick_single=True)
        ).run()

    def _search_as_you_type(self) -> None:
        text = self.code_edit.text().strip()
        # a scanned QR (the stall code's, or the portal address with the stall's token) is
        # looked up on Enter, not searched as typed text
        if len(text) < 2 or text.upper().startswith((QR_PREFIX, "HTTP://", "HTTPS://")):
            self.matches.hide()
            return
        find_stalls_op(self, self.client, text).success(
            lambda rows: self._show_matches(rows, text)
        ).run()

    def _show_matches(self, rows, text: str, *, pick_single: bool = False) -> None:
        if text != self.code_edit.text().strip() and not pick_single:
            return  # the clerk typed on meanwhile
        if pick_single and len(rows) == 1:
            stall_card_op(self, self.client, rows[0].id).success(self._found).run()
            return
        self.matches.clear()
        for r in rows:
            item = QListWidgetItem(
                f"{r.code}  {r.name}   {r.tenant_name} {r.tenant_phone}   ¥{fmt_yuan(r.balance)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.matches.addItem(item)
        self.matches.setVisible(bool(rows))
        if pick_single and not rows:
            self.message.setText(
                self.tr(
                    "No stall found for “%1”. Check the code, or type part of the tenant's name "
                    "or phone."
                ).replace("%1", text)
            )

    def _pick_match(self, item: QListWidgetItem) -> None:
        stall_card_op(self, self.client, int(item.data(Qt.ItemDataRole.UserRole))).success(
            self._found
        ).run()

    # -- amount, method, confirmation ----------------------------------------------------
    def _amount_entered(self) -> None:
        if self._parsed_amount() is not None:
            self.method_row.setFocus()

    def _parsed_amount(self) -> Decimal | None:
        try:
            amount = parse_amount(self.amount_edit.text())
        except AmountError as exc:
            self.message.setText(error_text(exc))
            self.message.setStyleSheet("color: #c0392b;")
            self.amount_edit.setFocus()
            self.amount_edit.selectAll()
            return None
        self.message.clear()
        return amount

    def choose_method(self, method: PayMethod, *, confirm: bool = False) -> None:
        self.method = method
        self.method_buttons.button(METHODS.index(method) + 1).setChecked(True)
        if confirm:
            self.confirm()

    def confirm(self) -> None:
        if self.card is None or not self.client.may(May.TAKE_RECHARGES) or self._sending:
            return  # an extra Enter while the first recharge is on its way does nothing
        amount = self._parsed_amount()
        if amount is None:
            return
        dialog = RechargeConfirmDialog(self, self.card, amount, self.method)
        if dialog.exec() != RechargeConfirmDialog.DialogCode.Accepted:
            self.amount_edit.setFocus()
            return
        wanted = (self.card.id, amount, self.method)
        if (
            self.pending is None
            or (self.pending.stall_id, self.pending.amount, self.pending.method) != wanted
        ):
            self.pending = PendingRecharge(self.card.id, amount, self.method, uuid.uuid4().hex)
        self._send(self.pending)

    def _send(self, pending: PendingRecharge) -> None:
        self._sending = True
        self.confirm_button.setEnabled(False)
        self.amount_edit.setEnabled(False)
        op = recharge_op(
            self, self.client, pending.stall_id, pending.amount, pending.method, pending.key
        )
        op.success(self._recharged).failure(self._recharge_failed).with_progress(
            self.tr("Recharging …")
        ).run()

    def _recharged(self, result) -> None:
        self._sending = False
        self.pending = None
        self.last_result.setText(
            self.tr("Recharged ¥%1 to %2 (%3). Receipt No. %4. New balance ¥%5.")
            .replace("%1", fmt_yuan(result.amount))
            .replace("%2", result.stall_code)
            .replace("%3", label(result.method))
            .replace("%4", f"{result.receipt_no:08d}")
            .replace("%5", fmt_yuan(result.balance_after))
        )
        self.amount_edit.clear()
        self.amount_edit.setEnabled(True)
        self.confirm_button.setEnabled(True)
        self.reprint_button.setEnabled(True)
        self.code_edit.setFocus()
        self.code_edit.selectAll()
        self.receipts.print_new(result.receipt_id)
        self.recharged.emit(result)

    def _printer_missing(self, pdf_path: str) -> None:
        self.message.setStyleSheet("color: #b9770e;")
        self.message.setText(
            self.tr(
                "No printer found, so the receipt was not printed. It is saved as %1. "
                "Choose the printer under Settings → Printer and receipt, then use “Reprint”."
            ).replace("%1", pdf_path)
        )

    def _recharge_failed(self, error: BaseException) -> None:
        self._sending = False
        self.amount_edit.setEnabled(True)
        self.confirm_button.setEnabled(True)
        show_error(self, error)
        self.amount_edit.setFocus()
