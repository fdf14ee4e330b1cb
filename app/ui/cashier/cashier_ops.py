"""The counter's actions as ops: each a small function, one service call, one transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.models.account import PayMethod
from app.services.market import stalls
from app.services.money import accounts
from app.services.money.accounts import ReceiptData, RechargeRequest
from app.services.office.receipts_render import receipt_pdf_path, render_receipt_pdf
from app.services.platform.context import Changes
from app.ui.client import Client
from app.ui.ops import DbOp, QueryOp


def find_stalls_op(parent: QWidget, client: Client, text: str) -> QueryOp:
    return QueryOp(parent, lambda s: stalls.find_stalls(s, text, 30, site_id=client.site_id))


def stall_card_op(parent: QWidget, client: Client, code_or_id: str | int) -> QueryOp:
    """The stall card as the service returns it, with its available balance (可用余额)."""
    return QueryOp(parent, lambda s: stalls.stall_card(s, code_or_id, site_id=client.site_id))


def recharge_op(
    parent: QWidget,
    client: Client,
    stall_id: int,
    amount: Decimal,
    method: PayMethod,
    idempotency_key: str,
) -> DbOp:
    request = RechargeRequest(
        stall_id=stall_id, amount=amount, method=method, idempotency_key=idempotency_key
    )
    return DbOp(
        parent,
        lambda s: accounts.recharge(s, client.actor, request),
        changes=Changes.BALANCES | Changes.METERS,
    )


def reverse_op(parent: QWidget, client: Client, receipt_no: int, reason: str) -> DbOp:
    return DbOp(
        parent,
        lambda s: accounts.reverse_recharge(s, client.actor, receipt_no=receipt_no, reason=reason),
        changes=Changes.BALANCES | Changes.METERS,
    )


def history_op(
    parent: QWidget,
    start: datetime | None,
    end: datetime | None,
    method: PayMethod | None,
    stall_id: int | None = None,
) -> QueryOp:
    return QueryOp(
        parent,
        lambda s: accounts.recharge_history(
            s, start=start, end=end, method=method, stall_id=stall_id
        ),
    )


def shift_summary_op(parent: QWidget, client: Client, start: datetime, end: datetime) -> QueryOp:
    return QueryOp(parent, lambda s: accounts.shift_summary(s, client.actor.user_id, start, end))


def receipt_op(parent: QWidget, receipt_id: int) -> QueryOp:
    """The receipt as it would print now (补打 once it was printed), without counting a print."""
    return QueryOp(parent, lambda s: accounts.receipt(s, receipt_id))


@dataclass(frozen=True)
class PrintedReceipt:
    data: ReceiptData
    pdf_path: Path


def receipt_print_op(parent: QWidget, receipts_dir: Path, receipt_id: int, layout: str) -> DbOp:
    """Count one print of the receipt and keep its PDF (receipts/<site>/<no>.pdf).

    The kept PDF is the original; a reprint (补打) is rendered for the printer but the
    original file is not replaced."""

    def body(s) -> PrintedReceipt:
        data = accounts.mark_printed(s, receipt_id)
        path = receipt_pdf_path(receipts_dir, data.site_name, data.receipt_no)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            original = data if not data.is_reprint else _as_original(data)
            path.write_bytes(render_receipt_pdf(original, layout))
        return PrintedReceipt(data, path)

    return DbOp(parent, body)


def _as_original(data: ReceiptData) -> ReceiptData:
    return replace(data, is_reprint=False, print_count=0)
