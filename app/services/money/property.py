"""Property charges (收费项目 → 物业账单), issuing bills (下发) and voiding bills (作废).

A month's property bills are generated unprocessed from the active charge items: a fixed
amount per month, a price per m² of stall area, or a price per unit assigned to the stall
(StallCharge). Issuing debits them; a settled bill is voided only by a reversing entry.

Locked months (monthly_ledger): generating bills for a locked month is refused (the
charge goes into the next month's bills); issuing a bill whose month was locked after it
was generated moves its month (账期) to the first open month, since nothing of it was in
the approved figures; voiding a settled bill posts its reversal in the current month, the
debit staying where it was approved; an unprocessed bill can always be voided (no money).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry
from app.models.base import utcnow
from app.models.billing import (
    Bill,
    BillKind,
    BillLine,
    BillStatus,
    ChargeItem,
    ChargeMethod,
    StallCharge,
)
from app.models.money import ZERO, round_fen
from app.models.site import Stall, StallStatus
from app.services.market.control import ControlResult, reconsider
from app.services.money.ledger import lock_account, post, post_many
from app.services.money.monthly_ledger import ensure_month_open, open_month
from app.services.money.settlement import bill_ids_by_key
from app.services.platform.audit import audit
from app.services.platform.bulk import chunked
from app.services.platform.context import (
    Actor,
    Changes,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
)
from app.services.platform.timeutil import local_midnight, next_month, site_zone
from app.words import QT_TRANSLATE_NOOP, Word, stored_text

BILL_ID_NOT_FOUND_REFRESH = Word(
    "property.bill_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Bill (id {p1}) not found. Refresh and try again"),
)
TYPE_REASON_FOR_VOIDING_BILL = Word(
    "property.type_reason_for_voiding_bill",
    QT_TRANSLATE_NOOP("Errors", "Type the reason for voiding the bill"),
)
BILL_ID_NOT_FOUND_REFRESH_2 = Word(
    "property.bill_id_not_found_refresh_2",
    QT_TRANSLATE_NOOP("Errors", "Bill (id {bill_id}) not found. Refresh and try again"),
)
BILL_ALREADY_VOIDED = Word(
    "property.bill_already_voided",
    QT_TRANSLATE_NOOP("Errors", "Bill {bill_id} has already been voided"),
)
BILL_ONLY_BILLS_NOT_YET = Word(
    "property.bill_only_bills_not_yet",
    QT_TRANSLATE_NOOP(
        "Errors", "Bill {b_id} is “{b_status}”; only bills not yet issued can be issued"
    ),
)
STALL_BILL_CLOSED_BILL_CANNOT = Word(
    "property.stall_bill_closed_bill_cannot",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The stall of bill {b_id} has been closed, so the bill cannot be issued. Void the bill",
    ),
)
NO_DEBIT_FOUND_FOR_BILL = Word(
    "property.no_debit_found_for_bill",
    QT_TRANSLATE_NOOP(
        "Errors",
        "No debit found for bill {bill_id}, so it cannot be reversed. Ask the administrator to "
        "check the ledger",
    ),
)
# A bill line's unit, the ledger's reason for a debit and a voided bill's note: stored as
# words (stored_text), said in the reader's language.
MONTH_UNIT = Word("property.month_unit", QT_TRANSLATE_NOOP("Labels", "month"))
PIECE_UNIT = Word("property.piece_unit", QT_TRANSLATE_NOOP("Labels", "piece"))
ISSUE_REASON = Word("property.issue_reason", QT_TRANSLATE_NOOP("Labels", "Bill issued {note}"))
VOID_REASON = Word("property.void_reason", QT_TRANSLATE_NOOP("Labels", "Bill voided: {reason}"))
VOIDED_NOTE = Word("property.voided_note", QT_TRANSLATE_NOOP("Labels", "Voided: {reason}"))
# what a person may be refused, said in PermissionDenied
GENERATE_PROPERTY_BILLS = Word(
    "property.generate_property_bills", QT_TRANSLATE_NOOP("Errors", "generate property bills")
)
ISSUE_BILLS = Word("property.issue_bills", QT_TRANSLATE_NOOP("Errors", "issue bills"))
VOID_BILLS = Word("property.void_bills", QT_TRANSLATE_NOOP("Errors", "void bills"))


@dataclass(frozen=True, slots=True)
class PropertyResult:
    month: date
    created: int
    existing: int  # already generated for this month: left as they were
    amount: Decimal
    bill_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class IssueResult:
    issued: int
    amount: Decimal
    bill_ids: tuple[int, ...]
    control: ControlResult | None

    @property
    def changes(self) -> Changes:
        return Changes.BILLS | Changes.BALANCES


@dataclass(frozen=True, slots=True)
class VoidResult:
    bill_id: int
    was: BillStatus
    reversal_entry_id: int | None
    amount: Decimal


def generate_property_bills(session: Session, actor: Actor, month: date) -> PropertyResult:
    """Generate the month's property bills (unprocessed): one per stall and charge item.
    Running it again only adds what is missing (e.g. after a new item or stall).

    Permission: admin. Transaction: the caller's. Audit: property.generate with counts."""
    require(actor, May.GENERATE_PROPERTY_BILLS)
    month = month.replace(day=1)
    ensure_month_open(
        session, actor.site_id, month
    )  # a locked month's charges go into next month's bills
    tz = site_zone(session, actor.site_id)
    start, end = local_midnight(month, tz), local_midnight(next_month(month), tz)
    items = session.scalars(
        select(ChargeItem)
        .where(ChargeItem.site_id == actor.site_id, ChargeItem.is_active)
        .order_by(ChargeItem.id)
    ).all()
    stalls = session.execute(
        select(Stall.id, Stall.building_id, Stall.area_m2, Account.id)
        .join(Account, Account.stall_id == Stall.id)
        .where(
            Stall.site_id == actor.site_id,
            Stall.status == StallStatus.ACTIVE,
            Account.status == AccountStatus.OPEN,
        )
    ).all()
    units = {
        (sid, iid): u
        for sid, iid, u in session.execute(
            select(StallCharge.stall_id, StallCharge.charge_item_id, StallCharge.units)
        )
    }
    wanted = []
    for item in items:
        for stall_id, building_id, area, account_id in stalls:
            if item.building_id is not None and item.building_id != building_id:
                continue
            if item.method is ChargeMethod.FIXED_MONTH:
                qty, unit = Decimal(1), stored_text(MONTH_UNIT)
            elif item.method is ChargeMethod.PER_M2:
                qty, unit = area, "m²"
            else:
                qty, unit = (
                    units.get((stall_id, item.id), Decimal(0)),
                    item.unit_name or stored_text(PIECE_UNIT),
                )
            amount = round_fen(qty * item.price)
            if amount <= 0:
                continue
            key = f"property:stall {stall_id}:item {item.id}:{month:%Y-%m}"
            wanted.append((key, stall_id, account_id, item, qty, unit, amount))
    existing = set()
    for batch in chunked([w[0] for w in wanted]):
        existing.update(session.scalars(select(Bill.dedupe_key).where(Bill.dedupe_key.in_(batch))))
    new = [w for w in wanted if w[0] not in existing]
    bill_ids: list[int] = []
    if new:
        now = utcnow()
        t = Bill.__table__
        session.execute(
            insert(t),
            [
                {
                    "site_id": actor.site_id,
                    "stall_id": sid,
                    "account_id": aid,
                    "kind": BillKind.PROPERTY,
                    "period_start": start,
                    "period_end": end,
                    "month": month,
                    "amount": amount,
                    "status": BillStatus.UNPROCESSED,
                    "dedupe_key": key,
                    "created_at": now,
                    "issued_at": None,
                    "voided_at": None,
                    "note": item.name,
                }
                for key, sid, aid, item, qty, unit, amount in new
            ],
        )
        by_key = bill_ids_by_key(session, [w[0] for w in new])
        bill_ids = [by_key[w[0]] for w in new]
        session.execute(
            insert(BillLine.__table__),
            [
                {
                    "bill_id": bid,
                    "meter_id": None,
                    "description": item.name,
                    "quantity": qty,
                    "unit": unit,
                    "price": item.price,
                    "amount": amount,
                    "start_reading": None,
                    "end_reading": None,
                }
                for bid, (key, sid, aid, item, qty, unit, amount) in zip(bill_ids, new, strict=True)
            ],
        )
    total = sum((w[6] for w in new), ZERO)
    audit(
        session,
        actor,
        "property.generate",
        "site",
        actor.site_id,
        month=month,
        created=len(new),
        existing=len(existing),
        amount=total,
    )
    return PropertyResult(month, len(new), len(existing), total, tuple(bill_ids))


def issue_bills(session: Session, actor: Actor, bill_ids: Iterable[int]) -> IssueResult:
    """下发: debit each unprocessed (or reviewed) bill and mark it settled, then run the
    control decision for the stalls. All or nothing.

    Permission: admin. Transaction: the caller's. Audit: bill.issue with ids and total."""
    require(actor, May.ISSUE_BILLS)
    ids = sorted(set(bill_ids))
    bills = []
    for batch in chunked(ids):
        bills.extend(
            session.scalars(
                select(Bill)
                .where(Bill.id.in_(batch), Bill.site_id == actor.site_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        )
    missing = set(ids) - {b.id for b in bills}
    if missing:
        raise NotFound(BILL_ID_NOT_FOUND_REFRESH, p1=", ".join(map(str, sorted(missing))))
    closed = {
        a
        for (a,) in session.execute(
            select(Account.id).where(
                Account.id.in_({b.account_id for b in bills}), Account.status != AccountStatus.OPEN
            )
        )
    }
    for b in bills:
        if b.status not in (BillStatus.UNPROCESSED, BillStatus.REVIEWED):
            raise Conflict(BILL_ONLY_BILLS_NOT_YET, b_id=b.id, b_status=b.status)
        if b.account_id in closed:
            raise Conflict(STALL_BILL_CLOSED_BILL_CANNOT, b_id=b.id)
    now = utcnow()
    ensure_month_open(session, actor.site_id, now)  # the debits are dated now
    for b in bills:
        # Not yet debited, so not in any month's figures: a bill whose month was locked
        # meanwhile counts in the first open month.
        b.month = open_month(session, actor.site_id, b.month)
    post_many(
        session,
        [
            (
                b.account_id,
                EntryKind.BILL,
                -b.amount,
                {
                    "bill_id": b.id,
                    "operator_id": actor.user_id,
                    "reason": stored_text(ISSUE_REASON(note=b.note)),
                },
            )
            for b in bills
            if b.amount
        ],
    )
    for b in bills:
        b.status, b.issued_at = BillStatus.SETTLED, now
    session.flush()
    total = sum((b.amount for b in bills), ZERO)
    audit(
        session,
        actor,
        "bill.issue",
        "site",
        actor.site_id,
        bill_ids=ids,
        count=len(bills),
        amount=total,
    )
    decided = reconsider(session, {b.stall_id for b in bills}) if bills else None
    return IssueResult(len(bills), total, tuple(ids), decided)


def void_bill(session: Session, actor: Actor, bill_id: int, reason: str) -> VoidResult:
    """作废: an unprocessed bill is marked voided; a settled one is also given back by a
    reversing ledger entry (reverses_id) with the reason and the operator.

    Permission: admin. Transaction: the caller's. Audit: bill.void."""
    require(actor, May.VOID_BILLS)
    if not reason.strip():
        raise ServiceError(TYPE_REASON_FOR_VOIDING_BILL, code="invalid")
    bill = session.get(Bill, bill_id, with_for_update=True, populate_existing=True)
    if bill is None or bill.site_id != actor.site_id:
        raise NotFound(BILL_ID_NOT_FOUND_REFRESH_2, bill_id=bill_id)
    if bill.status == BillStatus.VOIDED:
        raise Conflict(BILL_ALREADY_VOIDED, bill_id=bill_id)
    was = BillStatus(bill.status)
    reversal_id = None
    if was == BillStatus.SETTLED and bill.amount:
        debit = session.scalar(
            select(LedgerEntry).where(
                LedgerEntry.bill_id == bill.id, LedgerEntry.kind == EntryKind.BILL
            )
        )
        if debit is None:
            raise Conflict(NO_DEBIT_FOUND_FOR_BILL, bill_id=bill_id)
        # The debit stays in its month; the reversal is dated now, in the current month.
        ensure_month_open(session, actor.site_id, utcnow())
        account = lock_account(session, bill.account_id)
        entry = post(
            session,
            account,
            EntryKind.REVERSAL,
            -debit.amount,
            bill_id=bill.id,
            reverses_id=debit.id,
            operator_id=actor.user_id,
            reason=stored_text(VOID_REASON(reason=reason.strip())),
        )
        reversal_id = entry.id
    bill.status, bill.voided_at = BillStatus.VOIDED, utcnow()
    bill.note = stored_text(VOIDED_NOTE(reason=reason.strip()))
    session.flush()
    audit(
        session,
        actor,
        "bill.void",
        "bill",
        bill.id,
        was=str(was),
        amount=bill.amount,
        reason=reason.strip(),
        reversal_entry_id=reversal_id,
    )
    if reversal_id is not None:
        reconsider(session, [bill.stall_id])
    return VoidResult(bill.id, was, reversal_id, bill.amount)


@dataclass(frozen=True, slots=True)
class BillRow:
    id: int
    kind: str
    status: str
    stall_code: str
    stall_name: str
    period_start: datetime
    period_end: datetime
    amount: Decimal
    created_at: datetime
    issued_at: datetime | None
    note: str


BILL_ROW_CAP = (
    50_000  # rows one screen holds; beyond it the view says so and asks for a narrower period
)


OPEN_BILLS = "open"  # the status filter "not issued yet": unprocessed or reviewed


@dataclass(frozen=True, slots=True)
class BillPage:
    """The bills of one period (账期) and filter; `matching` counts them all, so a page cut
    at the cap says how many it does not show."""

    rows: list[BillRow]
    matching: int

    @property
    def is_cut(self) -> bool:
        return self.matching > len(self.rows)


def bill_months(session: Session, site_id: int) -> list[date]:
    """The periods (账期, first day of the month) that have bills, newest first."""
    return list(
        session.scalars(
            select(Bill.month).where(Bill.site_id == site_id).distinct().order_by(Bill.month.desc())
        )
    )


def bill_rows(
    session: Session,
    site_id: int,
    *,
    month: date | None = None,
    kind: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> BillPage:
    """The bills of period `month` (all periods when None), of one kind and status
    (`OPEN_BILLS`: not issued yet) when given, newest first, at most `limit` of them."""
    limit = limit or BILL_ROW_CAP
    where = [Bill.site_id == site_id]
    if month is not None:
        where.append(Bill.month == month)
    if kind:
        where.append(Bill.kind == kind)
    if status == OPEN_BILLS:
        where.append(Bill.status.in_((BillStatus.UNPROCESSED, BillStatus.REVIEWED)))
    elif status:
        where.append(Bill.status == status)
    stmt = (
        select(
            Bill.id,
            Bill.kind,
            Bill.status,
            Stall.code,
            Stall.name,
            Bill.period_start,
            Bill.period_end,
            Bill.amount,
            Bill.created_at,
            Bill.issued_at,
            Bill.note,
        )
        .join(Stall, Stall.id == Bill.stall_id)
        .where(*where)
        .order_by(Bill.period_end.desc(), Bill.id.desc())
        .limit(limit)
    )
    rows = [BillRow(r[0], str(r[1]), str(r[2]), *r[3:]) for r in session.execute(stmt)]
    matching = len(rows)
    if matching >= limit:
        matching = session.scalar(select(func.count()).select_from(Bill).where(*where)) or 0
    return BillPage(rows, matching)


@dataclass(frozen=True, slots=True)
class BillLineRow:
    """One line of a bill; `description` and `unit` as stored (the program's words, or a
    charge item's name and unit as typed): said with app.words.shown where shown."""

    id: int
    meter_id: int | None
    description: str
    quantity: Decimal
    unit: str
    price: Decimal
    amount: Decimal
    start_reading: Decimal | None
    end_reading: Decimal | None


def bill_lines(session: Session, site_id: int, bill_id: int) -> list[BillLineRow]:
    """The lines of bill `bill_id` of the site (none when it is another site's), in order."""
    stmt = (
        select(
            BillLine.id,
            BillLine.meter_id,
            BillLine.description,
            BillLine.quantity,
            BillLine.unit,
            BillLine.price,
            BillLine.amount,
            BillLine.start_reading,
            BillLine.end_reading,
        )
        .join(Bill, Bill.id == BillLine.bill_id)
        .where(Bill.site_id == site_id, BillLine.bill_id == bill_id)
        .order_by(BillLine.id)
    )
    return [BillLineRow(*r) for r in session.execute(stmt)]
