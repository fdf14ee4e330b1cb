"""Property charges (收费项目 → 物业账单), issuing bills (下发) and voiding bills (作废).

A month's property bills are generated unprocessed from the active charge items: a fixed
amount per month, a price per m² of stall area, or a price per unit assigned to the stall
(StallCharge). Issuing debits them; a settled bill is voided only by a reversing entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry
from app.models.base import utcnow
from app.models.billing import Bill, BillKind, BillLine, BillStatus, ChargeItem, ChargeMethod, MonthLock, StallCharge
from app.models.money import ZERO, round_fen
from app.models.site import Stall, StallStatus
from app.services.audit import audit
from app.services.bulk import chunked
from app.services.context import Actor, Changes, Conflict, NotFound, ServiceError, require
from app.services.control import ControlResult, reconsider
from app.services.ledger import lock_account, post, post_many
from app.services.settlement import bill_ids_by_key
from app.services.timeutil import local_midnight, next_month, site_zone


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


def _month_locked(session: Session, site_id: int, month: date) -> bool:
    return session.scalar(select(MonthLock.id).where(MonthLock.site_id == site_id, MonthLock.month == month)) is not None


def _locked_message(month: date) -> str:
    return f"{month:%Y年%m月} 已审核锁定，不能再生成、下发或作废该月账单；请在下月账单中调整"


def _locked_message_en(month: date) -> str:
    return (f"{month:%Y-%m} has been reviewed and locked: its bills can no longer be generated, issued or "
            "voided. Make the adjustment in next month's bills")


def generate_property_bills(session: Session, actor: Actor, month: date) -> PropertyResult:
    """Generate the month's property bills (unprocessed): one per stall and charge item.
    Running it again only adds what is missing (e.g. after a new item or stall).

    Permission: admin. Transaction: the caller's. Audit: property.generate with counts."""
    require(actor, doing="生成物业账单", doing_en="generate property bills")
    month = month.replace(day=1)
    if _month_locked(session, actor.site_id, month):
        raise Conflict(_locked_message(month), en=_locked_message_en(month))
    tz = site_zone(session, actor.site_id)
    start, end = local_midnight(month, tz), local_midnight(next_month(month), tz)
    items = session.scalars(select(ChargeItem).where(ChargeItem.site_id == actor.site_id, ChargeItem.is_active)
                            .order_by(ChargeItem.id)).all()
    stalls = session.execute(
        select(Stall.id, Stall.building_id, Stall.area_m2, Account.id)
        .join(Account, Account.stall_id == Stall.id)
        .where(Stall.site_id == actor.site_id, Stall.status == StallStatus.ACTIVE,
               Account.status == AccountStatus.OPEN)
    ).all()
    units = {(sid, iid): u for sid, iid, u in session.execute(
        select(StallCharge.stall_id, StallCharge.charge_item_id, StallCharge.units))}
    wanted = []
    for item in items:
        for stall_id, building_id, area, account_id in stalls:
            if item.building_id is not None and item.building_id != building_id:
                continue
            if item.method is ChargeMethod.FIXED_MONTH:
                qty, unit = Decimal(1), "月"
            elif item.method is ChargeMethod.PER_M2:
                qty, unit = area, "m²"
            else:
                qty, unit = units.get((stall_id, item.id), Decimal(0)), item.unit_name or "个"
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
            [{"site_id": actor.site_id, "stall_id": sid, "account_id": aid, "kind": BillKind.PROPERTY,
              "period_start": start, "period_end": end, "amount": amount, "status": BillStatus.UNPROCESSED,
              "dedupe_key": key, "created_at": now, "issued_at": None, "voided_at": None, "note": item.name}
             for key, sid, aid, item, qty, unit, amount in new])
        by_key = bill_ids_by_key(session, [w[0] for w in new])
        bill_ids = [by_key[w[0]] for w in new]
        session.execute(insert(BillLine.__table__), [
            {"bill_id": bid, "meter_id": None, "description": item.name, "quantity": qty, "unit": unit,
             "price": item.price, "amount": amount, "start_reading": None, "end_reading": None}
            for bid, (key, sid, aid, item, qty, unit, amount) in zip(bill_ids, new, strict=True)])
    total = sum((w[6] for w in new), ZERO)
    audit(session, actor, "property.generate", "site", actor.site_id, month=month, created=len(new),
          existing=len(existing), amount=total)
    return PropertyResult(month, len(new), len(existing), total, tuple(bill_ids))


def issue_bills(session: Session, actor: Actor, bill_ids: Iterable[int]) -> IssueResult:
    """下发: debit each unprocessed (or reviewed) bill and mark it settled, then run the
    control decision for the stalls. All or nothing.

    Permission: admin. Transaction: the caller's. Audit: bill.issue with ids and total."""
    require(actor, doing="下发账单", doing_en="issue bills")
    ids = sorted(set(bill_ids))
    bills = []
    for batch in chunked(ids):
        bills.extend(session.scalars(select(Bill).where(Bill.id.in_(batch), Bill.site_id == actor.site_id)
                                     .with_for_update().execution_options(populate_existing=True)))
    missing = set(ids) - {b.id for b in bills}
    if missing:
        raise NotFound(f"账单（编号 {', '.join(map(str, sorted(missing)))}）不存在，请刷新后重试",
                       en=f"Bill (id {', '.join(map(str, sorted(missing)))}) not found. Refresh and try again")
    tz = site_zone(session, actor.site_id)
    closed = {a for a, in session.execute(select(Account.id).where(
        Account.id.in_({b.account_id for b in bills}), Account.status != AccountStatus.OPEN))}
    for b in bills:
        if b.status not in (BillStatus.UNPROCESSED, BillStatus.REVIEWED):
            raise Conflict(f"账单 {b.id} 当前状态为“{b.status}”，只有未下发的账单可以下发",
                           en=f"Bill {b.id} is “{b.status}”; only bills not yet issued can be issued")
        if b.account_id in closed:
            raise Conflict(f"账单 {b.id} 所属档位已销户，不能下发；请作废该账单",
                           en=f"The stall of bill {b.id} has been closed, so the bill cannot be issued. Void the bill")
        month = b.period_start.astimezone(tz).date().replace(day=1)
        if _month_locked(session, actor.site_id, month):
            raise Conflict(_locked_message(month), en=_locked_message_en(month))
    now = utcnow()
    post_many(session, [(b.account_id, EntryKind.BILL, -b.amount,
                         {"bill_id": b.id, "operator_id": actor.user_id, "reason": f"下发账单 {b.note}"[:200]})
                        for b in bills if b.amount])
    for b in bills:
        b.status, b.issued_at = BillStatus.SETTLED, now
    session.flush()
    total = sum((b.amount for b in bills), ZERO)
    audit(session, actor, "bill.issue", "site", actor.site_id, bill_ids=ids, count=len(bills), amount=total)
    decided = reconsider(session, {b.stall_id for b in bills}) if bills else None
    return IssueResult(len(bills), total, tuple(ids), decided)


def void_bill(session: Session, actor: Actor, bill_id: int, reason: str) -> VoidResult:
    """作废: an unprocessed bill is marked voided; a settled one is also given back by a
    reversing ledger entry (reverses_id) with the reason and the operator.

    Permission: admin. Transaction: the caller's. Audit: bill.void."""
    require(actor, doing="作废账单", doing_en="void bills")
    if not reason.strip():
        raise ServiceError("请填写作废原因", code="invalid", en="Type the reason for voiding the bill")
    bill = session.get(Bill, bill_id, with_for_update=True, populate_existing=True)
    if bill is None or bill.site_id != actor.site_id:
        raise NotFound(f"账单（编号 {bill_id}）不存在，请刷新后重试",
                       en=f"Bill (id {bill_id}) not found. Refresh and try again")
    if bill.status == BillStatus.VOIDED:
        raise Conflict(f"账单 {bill_id} 已作废", en=f"Bill {bill_id} has already been voided")
    tz = site_zone(session, actor.site_id)
    month = bill.period_start.astimezone(tz).date().replace(day=1)
    if _month_locked(session, actor.site_id, month):
        raise Conflict(_locked_message(month), en=_locked_message_en(month))
    was = BillStatus(bill.status)
    reversal_id = None
    if was == BillStatus.SETTLED and bill.amount:
        debit = session.scalar(select(LedgerEntry).where(LedgerEntry.bill_id == bill.id,
                                                         LedgerEntry.kind == EntryKind.BILL))
        if debit is None:
            raise Conflict(f"账单 {bill_id} 找不到扣款记录，无法冲正；请联系管理员核对台账",
                           en=f"No debit found for bill {bill_id}, so it cannot be reversed. Ask the administrator to check the ledger")
        account = lock_account(session, bill.account_id)
        entry = post(session, account, EntryKind.REVERSAL, -debit.amount, bill_id=bill.id, reverses_id=debit.id,
                     operator_id=actor.user_id, reason=f"作废账单：{reason.strip()}"[:200])
        reversal_id = entry.id
    bill.status, bill.voided_at = BillStatus.VOIDED, utcnow()
    bill.note = f"作废：{reason.strip()}"[:200]
    session.flush()
    audit(session, actor, "bill.void", "bill", bill.id, was=str(was), amount=bill.amount, reason=reason.strip(),
          reversal_entry_id=reversal_id)
    if reversal_id is not None:
        reconsider(session, [bill.stall_id])
    return VoidResult(bill.id, was, reversal_id, bill.amount)
