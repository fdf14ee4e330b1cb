"""The counter's money: recharge (充值), reversal (冲正), 销户 refund, receipts, shift totals.

Every balance change goes through `ledger.post()` with the account row locked; each
money movement at the counter gets one receipt whose number is taken from
`Site.receipt_seq` in the same transaction, so numbers are gapless per site. Lock order is
always account, then site, so two clerks never deadlock each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry, PayMethod, Receipt
from app.models.base import utcnow
from app.models.billing import Bill, BillKind, BillStatus
from app.models.labels import ENTRY_KIND, PAY_METHOD
from app.models.meter import ControlMode, Meter
from app.models.money import ZERO, AmountError, yuan_in_capitals
from app.models.site import Customer, Site, Stall, StallRole, StallRoleKind, StallStatus
from app.models.user import User
from app.services.market import control
from app.services.market.stall_codes import stall_by_code
from app.services.market.usage import unsettled_usage
from app.services.money import settlement
from app.services.money.amounts import parse_amount
from app.services.money.ledger import lock_account, post
from app.services.money.monthly_ledger import ensure_month_open, open_month
from app.services.platform.audit import audit
from app.services.platform.context import (
    CHOICE,
    LIST,
    Actor,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
    shown_name,
)
from app.services.portal import notices
from app.services.portal.qr import stall_qr_url
from app.words import QT_TRANSLATE_NOOP, Said, Word, stored_text

STALL_CLOSED_CANNOT_RECHARGED_USE = Word(
    "accounts.stall_closed_cannot_recharged_use",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} has been closed and cannot be recharged. To use power and water "
        "again, reopen its account first",
    ),
)
STALL_CANNOT_RECHARGED_SET_ACTIVE = Word(
    "accounts.stall_cannot_recharged_set_active",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} is “{status}” and cannot be recharged. Set it to active in the stall "
        "details first",
    ),
)
REVERSAL_NEEDS_REASON_FOR_EXAMPLE = Word(
    "accounts.reversal_needs_reason_for_example",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A reversal needs a reason (for example “payment failed” or “wrong amount”). Type the "
        "reason",
    ),
)
RECEIPT_ALREADY_REVERSED_RECHARGE_CAN = Word(
    "accounts.receipt_already_reversed_recharge_can",
    QT_TRANSLATE_NOOP(
        "Errors", "Receipt {p1} has already been reversed; a recharge can be reversed only once"
    ),
)
STALL_CLOSED_BALANCE_REFUNDED_RECHARGES = Word(
    "accounts.stall_closed_balance_refunded_recharges",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} has been closed and its balance refunded, so its recharges can no "
        "longer be reversed. Settle a payment problem with the former tenant directly",
    ),
)
CLOSING_ACCOUNT_NEEDS_REASON_FOR = Word(
    "accounts.closing_account_needs_reason_for",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Closing an account needs a reason (for example “tenant moved out”). Type the reason",
    ),
)
STALL_ALREADY_CLOSED = Word(
    "accounts.stall_already_closed",
    QT_TRANSLATE_NOOP("Errors", "Stall {stall_code} has already been closed"),
)
METER_STALL_ABNORMAL_READING_WAITING = Word(
    "accounts.meter_stall_abnormal_reading_waiting",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A meter of stall {stall_code} has {reason}, so the final settlement cannot be done. "
        "Resolve it under reading anomalies first, then close the account",
    ),
)
STALL_OWES_YUAN_COLLECT_WHAT = Word(
    "accounts.stall_owes_yuan_collect_what",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} owes {minus_account_balance:.2f} yuan. Collect what is owed first, "
        "then close the account",
    ),
)
BALANCE_CHANGED_ANOTHER_CASHIER_JUST = Word(
    "accounts.balance_changed_another_cashier_just",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The balance has changed (another cashier has just recharged, or a settlement ran). Check "
        "the refund again: {expected_refund:.2f} yuan was confirmed, {account_balance:.2f} yuan "
        "is due now",
    ),
)
ACCOUNT_STALL_OPEN_ALREADY_THERE = Word(
    "accounts.account_stall_open_already_there",
    QT_TRANSLATE_NOOP(
        "Errors", "The account of stall {stall_code} is open already; there is nothing to open"
    ),
)
STALL_SET_ACTIVE_IN_STALL = Word(
    "accounts.stall_set_active_in_stall",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} is “{status}”. Set it to active in the stall details first, then open "
        "the account",
    ),
)
ACCOUNT_STALL_BALANCE_YUAN_WHICH = Word(
    "accounts.account_stall_balance_yuan_which",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The account of stall {stall_code} has a balance of {account_balance:.2f} yuan, which "
        "belongs to the former tenant. Settle the former tenant's balance first, then open the "
        "account",
    ),
)
RECEIPT_ID_NOT_FOUND_REFRESH = Word(
    "accounts.receipt_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Receipt (id {receipt_id}) not found. Refresh and try again"),
)
NO_STALL_GIVEN_TYPE_STALL = Word(
    "accounts.no_stall_given_type_stall",
    QT_TRANSLATE_NOOP("Errors", "No stall given. Type the stall code"),
)
STALL_NOT_FOUND_CHECK_STALL = Word(
    "accounts.stall_not_found_check_stall",
    QT_TRANSLATE_NOOP("Errors", "Stall “{p_code}” not found. Check the stall code"),
)
STALL_NO_ACCOUNT_YET_ASK = Word(
    "accounts.stall_no_account_yet_ask",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} has no account yet. Ask an administrator to open one in the stall "
        "details",
    ),
)
RECHARGE_NUMBER_WAS_ALREADY_USED = Word(
    "accounts.recharge_number_was_already_used",
    QT_TRANSLATE_NOOP(
        "Errors",
        "This recharge number was already used for another recharge (other stall or amount). "
        "Start the recharge again",
    ),
)
NO_RECEIPT_GIVEN_TYPE_NUMBER = Word(
    "accounts.no_receipt_given_type_number",
    QT_TRANSLATE_NOOP("Errors", "No receipt given. Type the number of the receipt to reverse"),
)
LEDGER_ENTRY_ID_NOT_FOUND = Word(
    "accounts.ledger_entry_id_not_found",
    QT_TRANSLATE_NOOP("Errors", "Ledger entry (id {entry_id}) not found. Refresh and try again"),
)
ONLY_RECHARGES_CAN_REVERSED_ENTRY = Word(
    "accounts.only_recharges_can_reversed_entry",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Only recharges can be reversed; this entry is a “{kind}”. Correct it with the matching "
        "function",
    ),
)
PAYMENT_METHOD_NOT_KNOWN_CHOOSE = Word(
    "accounts.payment_method_not_known_choose",
    QT_TRANSLATE_NOOP("Errors", "Payment method “{value}” is not known. Choose one of: {names}"),
)
STALL_ID_NOT_FOUND_REFRESH = Word(
    "accounts.stall_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Stall (id {stall_id}) not found. Refresh and try again"),
)
RECEIPT_NUMBER_NOT_FOUND_CHECK = Word(
    "accounts.receipt_number_not_found_check",
    QT_TRANSLATE_NOOP(
        "Errors", "Receipt number {receipt_no} not found. Check the number on the receipt"
    ),
)
# what a person may be refused, said in PermissionDenied
TAKE_RECHARGES = Word("accounts.take_recharges", QT_TRANSLATE_NOOP("Errors", "take recharges"))
REVERSE_RECHARGES = Word(
    "accounts.reverse_recharges", QT_TRANSLATE_NOOP("Errors", "reverse recharges")
)
CLOSE_ACCOUNTS = Word("accounts.close_accounts", QT_TRANSLATE_NOOP("Errors", "close accounts"))
OPEN_ACCOUNTS = Word("accounts.open_accounts", QT_TRANSLATE_NOOP("Errors", "open accounts"))

_STALL_STATUS = {
    StallStatus.ACTIVE: Word("accounts.stall_status.active", QT_TRANSLATE_NOOP("Errors", "active")),
    StallStatus.VACANT: Word("accounts.stall_status.vacant", QT_TRANSLATE_NOOP("Errors", "vacant")),
    StallStatus.CLOSED: Word("accounts.stall_status.closed", QT_TRANSLATE_NOOP("Errors", "closed")),
}
REPRINT = Word("accounts.reprint", QT_TRANSLATE_NOOP("Labels", "Reprint"))
ALL_CASHIERS = Word("accounts.all_cashiers", QT_TRANSLATE_NOOP("Labels", "All cashiers"))
USER_NO = Word("accounts.user_no", QT_TRANSLATE_NOOP("Labels", "User {user_id}"))
LEDGER_ENTRY_NO = Word(
    "accounts.ledger_entry_no", QT_TRANSLATE_NOOP("Labels", "Ledger entry {entry_id}")
)
# reasons stored with the commands, ledger entries and audit rows a 销户 / 开户 writes: the
# database keeps the word's code and parameters (stored_text), said in the reader's language
CLOSED_BECAUSE = Word(
    "accounts.closed_because", QT_TRANSLATE_NOOP("Labels", "Account closed: {reason}")
)
REOPENED_FOR = Word(
    "accounts.reopened_for", QT_TRANSLATE_NOOP("Labels", "Account opened: stall {stall}")
)
SHARE_DEBITED_AT_CLOSING = Word(
    "accounts.share_debited_at_closing",
    QT_TRANSLATE_NOOP("Labels", "Shared cost debited at closing: {note}"),
)


class InvalidAmount(ServiceError):
    code = "invalid_amount"


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True, kw_only=True)
class RechargeRequest:
    """What the cashier typed: the stall (by id or code), the amount in yuan and how it was
    paid. `idempotency_key` makes a double click or a retry return the first result."""

    amount: Decimal | str
    method: PayMethod
    stall_id: int | None = None
    stall_code: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RechargeResult:
    """One counter money movement and its receipt (recharge, reversal or refund)."""

    receipt_no: int
    receipt_id: int
    entry_id: int
    kind: EntryKind
    stall_id: int
    stall_code: str
    stall_name: str
    tenant_name: str
    amount: Decimal  # + money in, − money out (reversal, refund)
    method: PayMethod | None
    balance_before: Decimal
    balance_after: Decimal
    operator_name: str
    at: datetime


@dataclass(frozen=True, slots=True)
class CloseResult:
    """销户: the refund paid out (None when the balance was zero), what was deducted first
    (the final settlement's bills, the shared-cost bills not yet issued) and the meters cut."""

    stall_id: int
    stall_code: str
    refund: RechargeResult | None
    meters_cut: int
    closed_at: datetime
    settled_amount: Decimal = ZERO
    shared_amount: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class ClosePreview:
    """What 销户 would pay out, shown before the admin confirms: the balance now, minus the
    usage read since the last settlement (at today's prices) and the shared-cost (公摊)
    bills generated but not yet issued."""

    stall_id: int
    stall_code: str
    stall_name: str
    tenant_name: str
    balance: Decimal
    unsettled_usage: Decimal
    pending_shared: Decimal
    pending_shared_bills: int
    refund: Decimal  # < 0: the tenant owes this much; 销户 is refused until it is paid
    meters: int
    is_closed: bool


@dataclass(frozen=True, slots=True)
class ReceiptData:
    """Everything a printed receipt shows. `is_reprint`: this print is a 补打."""

    receipt_id: int
    receipt_no: int
    site_name: str
    site_phone: str
    at: datetime
    kind: EntryKind
    kind_name: str
    stall_code: str
    stall_name: str
    tenant_name: str
    method: PayMethod | None
    method_name: str
    amount: Decimal
    amount_in_capitals: str
    balance_before: Decimal
    balance_after: Decimal
    operator_name: str
    print_count: int
    is_reprint: bool
    timezone: str = "Asia/Shanghai"  # the site's: the receipt shows its local time, not the PC's
    header: str = ""  # the market's own lines above and below the receipt, one per line
    footer: str = ""
    qr_text: str = ""  # the stall's portal address; "" prints the stall code's QR

    @property
    def reprint_mark(self) -> str:
        return REPRINT.say() if self.is_reprint else ""


@dataclass(frozen=True, slots=True)
class RechargeRow:
    receipt_id: int
    receipt_no: int
    at: datetime
    kind: EntryKind
    stall_id: int
    stall_code: str
    stall_name: str
    method: PayMethod | None
    amount: Decimal
    balance_after: Decimal
    operator_id: int | None
    operator_name: str
    is_reversed: bool


@dataclass(frozen=True, slots=True)
class KindTotal:
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ShiftSummary:
    """交班报表: what one cashier (or everybody, operator_id None) took between two times."""

    operator_id: int | None
    operator_name: str
    start: datetime
    end: datetime
    by_method: dict[PayMethod, Decimal]  # net money per payment method
    by_kind: dict[EntryKind, KindTotal]
    receipt_count: int
    net_total: Decimal
    first_receipt_no: int | None
    last_receipt_no: int | None


# ---------------------------------------------------------------- use cases


def recharge(session: Session, actor: Actor, request: RechargeRequest) -> RechargeResult:
    """充值: credit a stall's account and number its receipt.

    Permission: cashier or admin. Transaction: the caller's; locks the account, then the
    site row for the receipt number. A repeated `idempotency_key` returns the first result
    and credits nothing. Audit: 'recharge' on the ledger entry.
    """
    require(actor, May.TAKE_RECHARGES)
    amount = _amount(request.amount)
    method = _method(request.method)
    stall = _find_stall(session, actor, request.stall_id, request.stall_code)
    account_id = _account_id(session, stall)
    if request.idempotency_key:
        first = _by_key(session, request.idempotency_key)
        if first is not None:
            return _same_request(session, first, account_id, amount)
    account = lock_account(session, account_id)
    if request.idempotency_key:
        # Checked again under the lock: a concurrent retry may have committed meanwhile.
        first = _by_key(session, request.idempotency_key)
        if first is not None:
            return _same_request(session, first, account_id, amount)
    if account.status is not AccountStatus.OPEN:
        raise Conflict(STALL_CLOSED_CANNOT_RECHARGED_USE, stall_code=stall.code)
    if stall.status is not StallStatus.ACTIVE:
        raise Conflict(
            STALL_CANNOT_RECHARGED_SET_ACTIVE,
            stall_code=stall.code,
            status=_STALL_STATUS[stall.status],
        )
    result = _post_with_receipt(
        session,
        actor,
        stall,
        account,
        EntryKind.RECHARGE,
        amount,
        method=method,
        idempotency_key=request.idempotency_key,
    )
    audit(
        session,
        actor,
        "recharge",
        "ledger_entry",
        result.entry_id,
        stall=stall.code,
        amount=amount,
        method=method.value,
        receipt_no=result.receipt_no,
        balance_after=result.balance_after,
    )
    notices.recharge_received(
        session,
        stall.site_id,
        stall.id,
        amount=amount,
        balance=result.balance_after,
        receipt_no=result.receipt_no,
    )
    control.reconsider(session, [stall.id])
    return result


def reverse_recharge(
    session: Session,
    actor: Actor,
    *,
    receipt_no: int | None = None,
    entry_id: int | None = None,
    reason: str,
) -> RechargeResult:
    """冲正: undo a recharge with a reversing entry and its own receipt (kind REVERSAL).

    Permission: admin (the supervisor). Transaction: the caller's; locks the account, then
    the site. An entry is reversed at most once. The reversal posts in the current month,
    also for a recharge made in a month the reviewer has since locked (that month's
    figures stay as approved); it is refused only while the current month is locked. The balance may
    go below zero: the money was not received, so the stall
    owes it, and control trips the meters like any other overdraft.
    Audit: 'reversal' on the new entry, with the reason and the original receipt.
    """
    require(actor, May.REVERSE_RECHARGES)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(REVERSAL_NEEDS_REASON_FOR_EXAMPLE, code="reason_required")
    original = _entry_to_reverse(session, actor, receipt_no, entry_id)
    account = lock_account(session, original.account_id)
    if (
        session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == original.id))
        is not None
    ):
        raise Conflict(RECEIPT_ALREADY_REVERSED_RECHARGE_CAN, p1=_no_text(session, original.id))
    stall = session.get(Stall, account.stall_id)
    if account.status is AccountStatus.CLOSED:
        # The refund at 销户 paid out the balance: a reversal now would leave money or debt of
        # the former tenant on an account that opens again for the next one.
        raise Conflict(STALL_CLOSED_BALANCE_REFUNDED_RECHARGES, stall_code=stall.code)
    # Dated now (_post_with_receipt checks the current month), whatever the recharge's month.
    result = _post_with_receipt(
        session,
        actor,
        stall,
        account,
        EntryKind.REVERSAL,
        -original.amount,
        method=original.method,
        reverses_id=original.id,
        reason=reason,
    )
    audit(
        session,
        actor,
        "reversal",
        "ledger_entry",
        result.entry_id,
        stall=stall.code,
        reverses=original.id,
        original_receipt_no=stored_text(_no_text(session, original.id)),
        amount=result.amount,
        reason=reason,
        balance_after=result.balance_after,
    )
    control.reconsider(session, [stall.id])
    return result


def close_account(
    session: Session,
    actor: Actor,
    stall_id: int,
    reason: str,
    method: PayMethod,
    *,
    expected_refund: Decimal | None = None,
) -> CloseResult:
    """销户: pay out the balance, close the account and cut the stall's meters.

    Permission: admin. Transaction: the caller's. First a final settlement bills and debits
    the usage read since the last settlement (refused while a reading is held as an
    anomaly), and the stall's shared-cost bills generated but not yet issued are debited; a
    negative balance must then be paid first. The balance is paid out as a REFUND entry with a
    receipt;
    the account becomes CLOSED; every active meter goes to FORCED_OFF with a TRIP /
    VALVE_CLOSE command. `expected_refund`: the refund the admin saw and confirmed (the
    preview's); when the balance has moved since, nothing is paid and Conflict says so.
    Audit: 'account.close' (and the refund receipt in its detail).
    """
    require(actor, May.CLOSE_ACCOUNTS)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(CLOSING_ACCOUNT_NEEDS_REASON_FOR, code="reason_required")
    method = _method(method)
    stall = _find_stall(session, actor, stall_id, None)
    # The final settlement first: it locks the building, then the account, in the order
    # the night run does, so the two cannot deadlock (a refusal below undoes it).
    final = settlement.settle_stall(session, actor, stall.id)
    skipped = final.skipped
    account = lock_account(session, _account_id(session, stall))
    if account.status is AccountStatus.CLOSED:
        raise Conflict(STALL_ALREADY_CLOSED, stall_code=stall.code)
    if skipped:
        raise Conflict(
            METER_STALL_ABNORMAL_READING_WAITING,
            stall_code=stall.code,
            reason=settlement.HELD_READING,
        )
    shared = _debit_pending_shared(session, actor, stall, account)
    if account.balance < 0:
        raise Conflict(
            STALL_OWES_YUAN_COLLECT_WHAT,
            stall_code=stall.code,
            minus_account_balance=-account.balance,
        )
    if expected_refund is not None and account.balance != expected_refund:
        raise Conflict(
            BALANCE_CHANGED_ANOTHER_CASHIER_JUST,
            expected_refund=expected_refund,
            account_balance=account.balance,
        )
    refund = None
    if account.balance > 0:
        refund = _post_with_receipt(
            session,
            actor,
            stall,
            account,
            EntryKind.REFUND,
            -account.balance,
            method=method,
            reason=reason,
        )
    now = utcnow()
    account.status = AccountStatus.CLOSED
    account.closed_at = now
    meters = _cut_supply(session, actor, stall, CLOSED_BECAUSE(reason=reason))
    audit(
        session,
        actor,
        "account.close",
        "account",
        account.id,
        stall=stall.code,
        reason=reason,
        amount=refund.amount if refund else ZERO,
        method=method.value,
        refund_receipt_no=refund.receipt_no if refund else None,
        settled=final.amount,
        shared=shared,
        meters_cut=meters,
    )
    session.flush()
    return CloseResult(stall.id, stall.code, refund, meters, now, final.amount, shared)


def close_preview(session: Session, actor: Actor, stall_id: int) -> ClosePreview:
    """The 销户 figures before confirming (see ClosePreview). Permission: admin; reads only."""
    require(actor, May.CLOSE_ACCOUNTS)
    stall = _find_stall(session, actor, stall_id, None)
    account = session.get(Account, _account_id(session, stall))
    usage = sum((u.amount for u in unsettled_usage(session, [stall.id])), ZERO)
    pending = _pending_shared(session, stall.id)
    shared = sum((b.amount for b in pending), ZERO)
    meters = session.scalar(
        select(func.count())
        .select_from(Meter)
        .where(Meter.stall_id == stall.id, Meter.is_active.is_(True))
    )
    return ClosePreview(
        stall.id,
        stall.code,
        stall.name,
        _tenant_name(session, stall.id),
        account.balance,
        usage,
        shared,
        len(pending),
        account.balance - usage - shared,
        meters,
        account.status is AccountStatus.CLOSED,
    )


def reopen_account(session: Session, actor: Actor, stall_id: int) -> None:
    """开户 after 销户: the stall takes a new tenant. The account starts again from the zero
    balance the refund left; what came before stays in its ledger, receipts and audit log
    (the ledger history shows the 销户 and this 开户). The meters go back from forced off to
    prepaid control, which switches them on once the new tenant has recharged.

    Permission: admin. Transaction: the caller's. Audit: 'account.open'."""
    require(actor, May.OPEN_ACCOUNTS)
    stall = _find_stall(session, actor, stall_id, None)
    account = lock_account(session, _account_id(session, stall))
    if account.status is AccountStatus.OPEN:
        raise Conflict(ACCOUNT_STALL_OPEN_ALREADY_THERE, stall_code=stall.code)
    if stall.status is not StallStatus.ACTIVE:
        raise Conflict(
            STALL_SET_ACTIVE_IN_STALL, stall_code=stall.code, status=_STALL_STATUS[stall.status]
        )
    if account.balance != 0:
        # Money or debt left on the closed account is the former tenant's, not the new one's.
        raise Conflict(
            ACCOUNT_STALL_BALANCE_YUAN_WHICH, stall_code=stall.code, account_balance=account.balance
        )
    closed_at = account.closed_at
    account.status = AccountStatus.OPEN
    account.closed_at = None
    meter_ids = list(
        session.scalars(
            select(Meter.id).where(
                Meter.stall_id == stall.id,
                Meter.is_active.is_(True),
                Meter.control_mode == ControlMode.FORCED_OFF,
            )
        )
    )
    if meter_ids:
        control.set_control_mode(
            session,
            actor,
            meter_ids,
            ControlMode.PREPAID,
            REOPENED_FOR(stall=stall.code),
        )
    audit(
        session,
        actor,
        "account.open",
        "account",
        account.id,
        stall=stall.code,
        closed_at=closed_at,
        balance=account.balance,
        meters=len(meter_ids),
    )
    session.flush()


def receipt(session: Session, receipt_id: int) -> ReceiptData:
    """The data of one receipt for printing or showing. Permission: any user; reads only."""
    row = session.get(Receipt, receipt_id)
    if row is None:
        raise NotFound(RECEIPT_ID_NOT_FOUND_REFRESH, receipt_id=receipt_id)
    return _receipt_data(session, row, printed_before=row.print_count, make_qr=False)


def mark_printed(session: Session, receipt_id: int) -> ReceiptData:
    """Count one print of a receipt; the data says 补打 when it was printed before.
    Permission: any user. Transaction: the caller's (locks the receipt row). No audit:
    a print moves no money."""
    row = session.execute(
        select(Receipt)
        .where(Receipt.id == receipt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(RECEIPT_ID_NOT_FOUND_REFRESH, receipt_id=receipt_id)
    before = row.print_count
    row.print_count = before + 1
    session.flush()
    return _receipt_data(session, row, printed_before=before)


def recharge_history(
    session: Session,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    stall_id: int | None = None,
    operator_id: int | None = None,
    method: PayMethod | None = None,
    kinds: tuple[EntryKind, ...] = (EntryKind.RECHARGE, EntryKind.REVERSAL, EntryKind.REFUND),
    limit: int = 5000,
) -> list[RechargeRow]:
    """充值记录: receipts newest first, filtered by time [start, end), stall, operator,
    method and kind. Permission: any user; reads only."""
    reversed_ids = select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id.is_not(None))
    q = (
        select(
            Receipt.id,
            Receipt.no,
            Receipt.at,
            Receipt.kind,
            Receipt.stall_id,
            Stall.code,
            Stall.name,
            Receipt.method,
            Receipt.amount,
            Receipt.balance_after,
            Receipt.operator_id,
            Receipt.operator_name,
            Receipt.entry_id.in_(reversed_ids),
        )
        .join(Stall, Stall.id == Receipt.stall_id)
        .where(Receipt.kind.in_(kinds))
        .order_by(Receipt.at.desc(), Receipt.no.desc())
        .limit(limit)
    )
    if start is not None:
        q = q.where(Receipt.at >= start)
    if end is not None:
        q = q.where(Receipt.at < end)
    if stall_id is not None:
        q = q.where(Receipt.stall_id == stall_id)
    if operator_id is not None:
        q = q.where(Receipt.operator_id == operator_id)
    if method is not None:
        q = q.where(Receipt.method == method)
    # plain rows, not receipts: a stall page lists its recharges each time it is shown
    return [RechargeRow(*row[:-1], bool(row[-1])) for row in session.execute(q)]


def shift_summary(
    session: Session, operator_id: int | None, start: datetime, end: datetime
) -> ShiftSummary:
    """交班汇总: totals of one operator's receipts (all operators when None) in [start, end),
    by payment method (net) and by kind. Permission: any user; reads only."""
    q = select(Receipt).where(Receipt.at >= start, Receipt.at < end).order_by(Receipt.no)
    if operator_id is not None:
        q = q.where(Receipt.operator_id == operator_id)
    rows = list(session.scalars(q))
    by_method: dict[PayMethod, Decimal] = {}
    by_kind: dict[EntryKind, KindTotal] = {}
    for r in rows:
        if r.method is not None:
            by_method[r.method] = by_method.get(r.method, ZERO) + r.amount
        t = by_kind.get(r.kind, KindTotal(0, ZERO))
        by_kind[r.kind] = KindTotal(t.count + 1, t.amount + r.amount)
    name = ALL_CASHIERS.say()
    if operator_id is not None:
        user = session.get(User, operator_id)
        name = (
            shown_name(user.display_name, user.username)
            if user
            else USER_NO.say(user_id=operator_id)
        )
    return ShiftSummary(
        operator_id,
        name,
        start,
        end,
        by_method,
        by_kind,
        len(rows),
        sum((r.amount for r in rows), ZERO),
        rows[0].no if rows else None,
        rows[-1].no if rows else None,
    )


# ---------------------------------------------------------------- helpers


def _amount(value: Decimal | str) -> Decimal:
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise InvalidAmount(exc) from None


def _method(value: PayMethod | str) -> PayMethod:
    try:
        return PayMethod(value)
    except ValueError:
        names: Word | Said | str = ""
        for m, n in PAY_METHOD.items():
            names = (
                LIST(first=names, next=CHOICE(value=m.value, name=n))
                if names
                else CHOICE(value=m.value, name=n)
            )
        raise ServiceError(
            PAYMENT_METHOD_NOT_KNOWN_CHOOSE, code="invalid_method", value=value, names=names
        ) from None


def _find_stall(
    session: Session, actor: Actor, stall_id: int | None, stall_code: str | None
) -> Stall:
    if stall_id is not None:
        stall = session.get(Stall, stall_id)
        if stall is None or stall.site_id != actor.site_id:
            raise NotFound(STALL_ID_NOT_FOUND_REFRESH, stall_id=stall_id)
        return stall
    code = (stall_code or "").strip()
    if not code:
        raise NotFound(NO_STALL_GIVEN_TYPE_STALL)
    stall = stall_by_code(session, code, actor.site_id)
    if stall is None:
        raise NotFound(STALL_NOT_FOUND_CHECK_STALL, p_code=code)
    return stall


def _account_id(session: Session, stall: Stall) -> int:
    account_id = session.scalar(select(Account.id).where(Account.stall_id == stall.id))
    if account_id is None:
        raise Conflict(STALL_NO_ACCOUNT_YET_ASK, stall_code=stall.code)
    return account_id


def _by_key(session: Session, key: str) -> LedgerEntry | None:
    return session.scalar(
        select(LedgerEntry)
        .where(LedgerEntry.idempotency_key == key)
        .execution_options(populate_existing=True)
    )


def _same_request(
    session: Session, first: LedgerEntry, account_id: int, amount: Decimal
) -> RechargeResult:
    if first.account_id != account_id or first.amount != amount:
        raise Conflict(RECHARGE_NUMBER_WAS_ALREADY_USED)
    return _result(session, session.scalar(select(Receipt).where(Receipt.entry_id == first.id)))


def _post_with_receipt(
    session: Session,
    actor: Actor,
    stall: Stall,
    account: Account,
    kind: EntryKind,
    amount: Decimal,
    *,
    method: PayMethod | None,
    **fields,
) -> RechargeResult:
    # A recharge, reversal or refund is dated now: refused while the current month is
    # locked (approved early), since nothing else could take it.
    ensure_month_open(session, stall.site_id, utcnow())
    before = account.balance
    entry = post(session, account, kind, amount, method=method, operator_id=actor.user_id, **fields)
    # FOR NO KEY UPDATE: enough to number receipts one at a time, and it lets the rows that
    # refer to the site (the collection service's change feed row) be written meanwhile; a
    # FOR UPDATE would deadlock with the service waiting for the feed's lock at our commit.
    site = session.execute(
        select(Site)
        .where(Site.id == stall.site_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).scalar_one()
    site.receipt_seq += 1
    row = Receipt(
        site_id=site.id,
        no=site.receipt_seq,
        entry_id=entry.id,
        stall_id=stall.id,
        kind=kind,
        amount=amount,
        method=method,
        balance_before=before,
        balance_after=entry.balance_after,
        operator_id=actor.user_id,
        operator_name=_operator_name(session, actor),
        at=entry.at,
    )
    session.add(row)
    session.flush()
    return _result(session, row)


def _operator_name(session: Session, actor: Actor) -> str:
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return (
        shown_name(user.display_name, user.username)
        if user is not None
        else shown_name(None, None, actor.username)
    )


def _tenant_name(session: Session, stall_id: int) -> str:
    """The tenant, or the owner when the stall has no tenant."""
    rows = dict(
        session.execute(
            select(StallRole.role, Customer.name)
            .join(Customer, Customer.id == StallRole.customer_id)
            .where(StallRole.stall_id == stall_id)
        ).all()
    )
    return rows.get(StallRoleKind.TENANT) or rows.get(StallRoleKind.OWNER) or ""


def _result(session: Session, row: Receipt) -> RechargeResult:
    stall = session.get(Stall, row.stall_id)
    return RechargeResult(
        row.no,
        row.id,
        row.entry_id,
        row.kind,
        stall.id,
        stall.code,
        stall.name,
        _tenant_name(session, stall.id),
        row.amount,
        row.method,
        row.balance_before,
        row.balance_after,
        row.operator_name,
        row.at,
    )


def _receipt_data(
    session: Session, row: Receipt, *, printed_before: int, make_qr: bool = True
) -> ReceiptData:
    """`make_qr`: give the stall its portal QR token if it has none yet (a writing
    transaction: a printed receipt); a reading shows the stall code's QR until then."""
    r = _result(session, row)
    site = session.get(Site, row.site_id)
    return ReceiptData(
        row.id,
        row.no,
        site.name,
        site.phone,
        row.at,
        row.kind,
        ENTRY_KIND[row.kind].say(),
        r.stall_code,
        r.stall_name,
        r.tenant_name,
        row.method,
        PAY_METHOD[row.method].say() if row.method else "",
        row.amount,
        yuan_in_capitals(-row.amount if row.kind is EntryKind.REFUND else row.amount),
        row.balance_before,
        row.balance_after,
        r.operator_name,
        row.print_count,
        printed_before > 0,
        site.timezone,
        site.receipt_header,
        site.receipt_footer,
        stall_qr_url(session, row.site_id, row.stall_id, make=make_qr),
    )


def _entry_to_reverse(
    session: Session, actor: Actor, receipt_no: int | None, entry_id: int | None
) -> LedgerEntry:
    if receipt_no is not None:
        entry_id = session.scalar(
            select(Receipt.entry_id).where(
                Receipt.site_id == actor.site_id, Receipt.no == receipt_no
            )
        )
        if entry_id is None:
            raise NotFound(RECEIPT_NUMBER_NOT_FOUND_CHECK, receipt_no=receipt_no)
    if entry_id is None:
        raise NotFound(NO_RECEIPT_GIVEN_TYPE_NUMBER)
    entry = session.get(LedgerEntry, entry_id)
    if entry is None:
        raise NotFound(LEDGER_ENTRY_ID_NOT_FOUND, entry_id=entry_id)
    if entry.kind is not EntryKind.RECHARGE:
        raise Conflict(ONLY_RECHARGES_CAN_REVERSED_ENTRY, kind=ENTRY_KIND[entry.kind])
    return entry


def _no_text(session: Session, entry_id: int) -> str | Said:
    """The entry's receipt number, or (an entry without a receipt) the word for the entry:
    said where shown, stored as the word (stored_text)."""
    no = session.scalar(select(Receipt.no).where(Receipt.entry_id == entry_id))
    return str(no) if no is not None else LEDGER_ENTRY_NO(entry_id=entry_id)


_SHARED_KINDS = (BillKind.SHARED_ELECTRIC, BillKind.SHARED_WATER)


def _pending_shared(session: Session, stall_id: int) -> list[Bill]:
    return list(
        session.scalars(
            select(Bill)
            .where(
                Bill.stall_id == stall_id,
                Bill.kind.in_(_SHARED_KINDS),
                Bill.status.in_([BillStatus.UNPROCESSED, BillStatus.REVIEWED]),
            )
            .order_by(Bill.id)
        )
    )


def _debit_pending_shared(
    session: Session, actor: Actor, stall: Stall, account: Account
) -> Decimal:
    """The stall's shared-cost bills generated but not yet issued are debited now, as their
    issue would (the run's issue later skips them): the tenant leaving pays their share."""
    now = utcnow()
    total = ZERO
    pending = _pending_shared(session, stall.id)
    if pending:
        ensure_month_open(session, stall.site_id, now)
    for bill in pending:
        bill.month = open_month(session, stall.site_id, bill.month)
        post(
            session,
            account,
            EntryKind.BILL,
            -bill.amount,
            bill_id=bill.id,
            operator_id=actor.user_id,
            at=now,
            reason=stored_text(SHARE_DEBITED_AT_CLOSING(note=bill.note)),
        )
        bill.status, bill.issued_at = BillStatus.SETTLED, now
        total += bill.amount
    return total


def _cut_supply(session: Session, actor: Actor, stall: Stall, reason: Said) -> int:
    """Leave every active meter of the stall forced off and tripped / valve closed."""
    meters = list(
        session.scalars(select(Meter).where(Meter.stall_id == stall.id, Meter.is_active.is_(True)))
    )
    if not meters:
        return 0
    control.set_control_mode(session, actor, [m.id for m in meters], ControlMode.FORCED_OFF, reason)
    for kind in (MeterKind.ELECTRIC, MeterKind.WATER):
        ids = [m.id for m in meters if m.kind is kind]
        if ids:
            control.issue_command(session, actor, ids, control.OFF_ACTION[kind], reason)
    return len(meters)
