"""Settlement (结算): unsettled usage up to a period end becomes electricity and water bills,
debited from the stalls' accounts.

Each building has a schedule: the reading time (抄表时间) is where periods begin and end,
the settlement time (结算时间) is when a period is due, and the cycle (结算周期) is hourly,
daily or monthly. `settle()` bills every period that is due and not yet settled, one bill
per stall, kind and period, with a line per meter (and per TOU rate or tier block).

Idempotent: a bill's dedupe_key names stall, kind and period end, and the meters' settled
registers move with the bill in the same transaction, so settling the same period twice
finds nothing to do. A meter with a held anomaly is skipped: its usage stays unsettled
until a person resolves it. A period in a month the reviewer has locked gets no bills: its
usage is carried into the next period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account, EntryKind
from app.models.base import utcnow
from app.models.billing import Bill, BillKind, BillStatus, MonthLock
from app.models.meter import AnomalyStatus, ReadingAnomaly
from app.models.money import ZERO
from app.models.site import Building, SettlementCycle, Stall
from app.services.audit import audit
from app.services.bulk import Raw, chunked, scaled
from app.services.context import Actor, Changes, NotFound, require
from app.services.control import ControlResult, reconsider
from app.services.ledger import post_many
from app.services.readings import registers_at
from app.services.tariffs import REGISTER_PER_UNIT, PricedPart
from app.services.timeutil import next_month, site_zone
from app.services.usage import MeterState, MeterUsage, meter_states, price_states

BILL_KIND = {MeterKind.ELECTRIC: BillKind.ELECTRIC, MeterKind.WATER: BillKind.WATER}
KIND_NAME = {MeterKind.ELECTRIC: "电费", MeterKind.WATER: "水费"}
MAX_PERIODS_PER_RUN = 400  # a long outage is caught up over several runs


@dataclass(frozen=True, slots=True)
class SettledPeriod:
    building_id: int
    building: str
    period_start: datetime
    period_end: datetime
    bills: int
    amount: Decimal
    carried: bool  # month locked: no bills, usage carried into the next period


@dataclass(frozen=True, slots=True)
class SettlementResult:
    periods: tuple[SettledPeriod, ...]
    bills: int
    amount: Decimal
    skipped: tuple[tuple[int, str], ...]  # (meter_id, why)
    stall_ids: tuple[int, ...]
    control: ControlResult | None

    @property
    def changes(self) -> Changes:
        c = Changes.NONE
        if self.bills:
            c |= Changes.BILLS | Changes.BALANCES | Changes.METERS
        if self.control is not None:
            c |= self.control.changes
        return c


# ── the schedule ────────────────────────────────────────────────────────────────────


def _at(d: date, t: time, tz) -> datetime:
    return datetime.combine(d, t, tzinfo=tz).astimezone(UTC)


def _latest_boundary(cycle: SettlementCycle, reading_time: time, tz, t: datetime) -> datetime:
    local = t.astimezone(tz)
    if cycle is SettlementCycle.HOURLY:
        b = local.replace(minute=reading_time.minute, second=0, microsecond=0)
        return (b if b <= local else b - timedelta(hours=1)).astimezone(UTC)
    if cycle is SettlementCycle.DAILY:
        b = _at(local.date(), reading_time, tz)
        return b if b <= t else _at(local.date() - timedelta(days=1), reading_time, tz)
    first = local.date().replace(day=1)
    b = _at(first, reading_time, tz)
    return b if b <= t else _at((first - timedelta(days=1)).replace(day=1), reading_time, tz)


def _next_boundary(cycle: SettlementCycle, reading_time: time, tz, b: datetime) -> datetime:
    if cycle is SettlementCycle.HOURLY:
        return b + timedelta(hours=1)
    local = b.astimezone(tz).date()
    if cycle is SettlementCycle.DAILY:
        return _at(local + timedelta(days=1), reading_time, tz)
    return _at(next_month(local.replace(day=1)), reading_time, tz)


def _delay(building: Building) -> timedelta:
    """How long after a period ends it is due (settlement time − reading time)."""
    if building.settlement_cycle is SettlementCycle.HOURLY:
        return timedelta(0)
    rt, st = building.reading_time, building.settlement_time
    minutes = (st.hour * 60 + st.minute - rt.hour * 60 - rt.minute) % 1440
    return timedelta(minutes=minutes)


def due_periods(building: Building, tz, now: datetime) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every period of the building that is due at `now` and not settled."""
    cycle = SettlementCycle(building.settlement_cycle)
    end = _latest_boundary(cycle, building.reading_time, tz, now - _delay(building))
    if building.settled_until is None:
        start = _latest_boundary(cycle, building.reading_time, tz, end - timedelta(seconds=1))
        return [(start, end)]
    periods = []
    start = building.settled_until
    while len(periods) < MAX_PERIODS_PER_RUN:
        nxt = _next_boundary(cycle, building.reading_time, tz, start)
        if nxt > end:
            break
        periods.append((start, nxt))
        start = nxt
    return periods


# ── settling one building period ────────────────────────────────────────────────────


def _held_meters(session: Session, meter_ids: Sequence[int]) -> set[int]:
    held = set()
    for batch in chunked(meter_ids):
        held.update(session.scalars(
            select(ReadingAnomaly.meter_id).where(ReadingAnomaly.meter_id.in_(batch),
                                                  ReadingAnomaly.status == AnomalyStatus.HELD)))
    return held


def _reading(kind: MeterKind, registers: int | None) -> Decimal | None:
    if registers is None:
        return None
    return (Decimal(registers) / REGISTER_PER_UNIT[kind]).quantize(Decimal("0.001"))


def _settle_period(session: Session, building: Building, tz, start: datetime, end: datetime,
                   stall_accounts: dict[int, int], skipped: list) -> tuple[int, Decimal, set[int]]:
    states = [s for s in meter_states(session, stall_ids=stall_accounts.keys())
              if s.settled_total is not None and s.last_read_at is not None]
    held = _held_meters(session, [s.id for s in states])
    for s in states:
        if s.id in held:
            skipped.append((s.id, "有待处理的异常读数"))
    states = [s for s in states if s.id not in held]

    # The end registers: the latest reading at or before the period end.
    ends: dict[int, tuple[datetime | None, int | None, list | None]] = {}
    later = [s.id for s in states if s.last_read_at > end]
    found = registers_at(session, later, end, tz) if later else {}
    for s in states:
        if s.last_read_at <= end:
            ends[s.id] = (s.last_read_at, s.last_total, s.last_tariffs)
        elif s.id in found:
            r = found[s.id]
            ends[s.id] = (r.read_at, r.total, list(r.tariffs) if r.tariffs is not None else None)
    todo: list[MeterState] = []
    for s in states:
        e = ends.get(s.id)
        if e is None:
            continue
        moved = e[1] != s.settled_total or s.carried_total
        if moved and (s.settled_at is None or e[0] >= s.settled_at):
            todo.append(s)
    if not todo:
        return 0, ZERO, set()

    usages = price_states(session, todo, ends, now=end - timedelta(seconds=1))
    by_bill: dict[tuple[int, MeterKind], list[MeterUsage]] = defaultdict(list)
    for u in usages:
        by_bill[(u.stall_id, u.kind)].append(u)
    stamp = end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    key_of = {k: f"{BILL_KIND[k[1]]}:stall {k[0]}:{stamp}" for k in by_bill}
    existing = set()
    for batch in chunked(list(key_of.values())):
        existing.update(session.scalars(select(Bill.dedupe_key).where(Bill.dedupe_key.in_(batch))))
    now = utcnow()
    bill_rows, keys = [], []
    for k, us in by_bill.items():
        if key_of[k] in existing:
            continue
        stall_id, kind = k
        bill_rows.append({"site_id": building.site_id, "stall_id": stall_id, "account_id": stall_accounts[stall_id],
                          "kind": BILL_KIND[kind], "period_start": start, "period_end": end,
                          "amount": sum((u.amount for u in us), ZERO), "status": BillStatus.SETTLED,
                          "dedupe_key": key_of[k], "created_at": now, "issued_at": now, "voided_at": None,
                          "note": ""})
        keys.append(k)
    if not bill_rows:
        return 0, ZERO, set()
    raw = Raw(session)
    raw.many(
        "INSERT INTO bill (site_id, stall_id, account_id, kind, period_start, period_end, amount, status, dedupe_key, "
        "created_at, issued_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
        [(r["site_id"], r["stall_id"], r["account_id"], str(r["kind"]), raw.time(start), raw.time(end),
          scaled(r["amount"]), str(r["status"]), r["dedupe_key"], raw.time(now), raw.time(now)) for r in bill_rows],
    )
    bill_ids = bill_ids_by_key(session, [r["dedupe_key"] for r in bill_rows])

    lines, postings, settled_rows = [], [], []
    for k, row in zip(keys, bill_rows, strict=True):
        bill_id = bill_ids[row["dedupe_key"]]
        for u in by_bill[k]:
            read_at, end_total, end_tariffs = ends[u.meter_id]
            unit = "kWh" if u.kind == MeterKind.ELECTRIC else "m³"
            start_reading, end_reading = _reading(u.kind, u.start_total), _reading(u.kind, end_total)
            readings = (None if start_reading is None else scaled(start_reading, 3),
                        None if end_reading is None else scaled(end_reading, 3))
            # No tariff or zero usage: the line still shows the readings, at 0.
            parts = u.parts or (PricedPart(f"表 {u.meter_id} 用量", u.quantity, Decimal(0), ZERO),)
            for p in parts:
                lines.append((bill_id, u.meter_id, p.description, scaled(p.quantity, 3), unit, scaled(p.price, 4),
                              scaled(p.amount), *readings))
            settled_rows.append((raw.time(read_at), end_total, raw.json(end_tariffs), u.meter_id))
        if row["amount"]:
            postings.append((row["account_id"], EntryKind.BILL, -row["amount"],
                             {"bill_id": bill_id, "reason": f"{KIND_NAME[k[1]]} {stamp}"}))
    raw.many("INSERT INTO bill_line (bill_id, meter_id, description, quantity, unit, price, amount, start_reading, "
             "end_reading) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", lines)
    post_many(session, postings)
    raw.many("UPDATE meter SET settled_at = ?, settled_total = ?, settled_tariffs = ?, carried_total = 0, "
             "carried_tariffs = NULL WHERE id = ?", settled_rows)
    return len(bill_rows), sum((r["amount"] for r in bill_rows), ZERO), {k[0] for k in keys}


def bill_ids_by_key(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Ids of bills just inserted in bulk (RETURNING in parameter order would cost SQLite
    one statement per row)."""
    out: dict[str, int] = {}
    for batch in chunked(keys):
        out.update(session.execute(select(Bill.dedupe_key, Bill.id).where(Bill.dedupe_key.in_(batch))).all())
    return out


def _month_locked(session: Session, site_id: int, start: datetime, end: datetime, tz) -> bool:
    month = (end - timedelta(seconds=1)).astimezone(tz).date().replace(day=1)
    return session.scalar(select(MonthLock.id).where(MonthLock.site_id == site_id, MonthLock.month == month)) is not None


def settle(session: Session, actor: Actor, *, building_id: int | None = None, now: datetime | None = None,
           control: bool = True) -> SettlementResult:
    """Settle every due period of the site's buildings (or of one building), then run the
    control decision for the stalls billed.

    Permission: admin (or the program itself, Actor.system). Transaction: the caller's;
    the building rows are locked so two PCs never settle the same building at once.
    Audit: one settlement.run event with the periods, bill count and total."""
    require(actor, doing="结算", doing_en="run settlement")
    now = now or utcnow()
    stmt = select(Building).where(Building.site_id == actor.site_id).order_by(Building.id)
    if building_id is not None:
        stmt = stmt.where(Building.id == building_id)
    buildings = session.scalars(stmt.with_for_update().execution_options(populate_existing=True)).all()
    if building_id is not None and not buildings:
        raise NotFound(f"楼栋（编号 {building_id}）不存在，请刷新后重试",
                       en=f"Building (id {building_id}) not found. Refresh and try again")
    tz = site_zone(session, actor.site_id)
    periods: list[SettledPeriod] = []
    skipped: list[tuple[int, str]] = []
    stall_ids: set[int] = set()
    for building in buildings:
        due = due_periods(building, tz, now)
        if not due:
            continue
        accounts = dict(session.execute(
            select(Account.stall_id, Account.id).join(Stall, Stall.id == Account.stall_id)
            .where(Stall.building_id == building.id)).all())
        for start, end in due:
            if _month_locked(session, building.site_id, start, end, tz):
                periods.append(SettledPeriod(building.id, building.name, start, end, 0, ZERO, True))
            else:
                n, amount, stalls = _settle_period(session, building, tz, start, end, accounts, skipped)
                stall_ids |= stalls
                periods.append(SettledPeriod(building.id, building.name, start, end, n, amount, False))
            building.settled_until = end
    session.flush()
    bills = sum(p.bills for p in periods)
    total = sum((p.amount for p in periods), ZERO)
    skipped = list(dict.fromkeys(skipped))
    if periods:
        audit(session, actor, "settlement.run", "site", actor.site_id, bills=bills, amount=total,
              periods=[{"building": p.building, "start": p.period_start, "end": p.period_end, "bills": p.bills,
                        "amount": p.amount, "carried": p.carried} for p in periods[:50]],
              period_count=len(periods), skipped=[list(s) for s in skipped[:200]])
    decided = reconsider(session, stall_ids, now=now) if control and stall_ids else None
    return SettlementResult(tuple(periods), bills, total, tuple(skipped), tuple(sorted(stall_ids)), decided)
