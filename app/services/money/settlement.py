"""Settlement: unsettled usage up to a period end becomes electricity and water bills,
debited from the stalls' accounts.

Each building has a schedule: the reading time (抄表时间) is where periods begin and end,
the settlement time (结算时间) is when a period is due, and the cycle (结算周期) is hourly,
daily or monthly. `settle()` bills every period that is due and not yet settled, one bill
per stall, kind and period, with a line per meter (and per TOU rate or tier block).

Idempotent: a bill's dedupe_key names stall, kind and period end, and the meters' settled
registers move with the bill in the same transaction, so settling the same period twice
finds nothing to do. A meter with a held anomaly is skipped: its usage stays unsettled
until a person resolves it.

Locked months (monthly_ledger): a period inside a month the reviewer has approved is not
skipped and not refused: it is billed with its true period, and the bill's month (账期)
is the first open month after it, so the approved month's figures never change and the
money is not lost (corrections go into the next month). The result says so per period
(`SettledPeriod.is_month_moved`) and the audit event lists it.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account, EntryKind
from app.models.base import utcnow
from app.models.billing import Bill, BillKind, BillLine, BillStatus
from app.models.meter import AnomalyStatus, Meter
from app.models.money import ZERO
from app.models.site import Building, SettlementCycle, Stall
from app.services.market.control import ControlResult, reconsider
from app.services.market.readings import registers_at
from app.services.market.usage import MeterState, MeterUsage, meter_states, price_states
from app.services.money.ledger import post_many
from app.services.money.monthly_ledger import open_month
from app.services.money.tariffs import REGISTER_PER_UNIT, PricedPart
from app.services.platform.audit import audit
from app.services.platform.bulk import Raw, batches, in_ids, scaled
from app.services.platform.context import Actor, Changes, May, NotFound, require
from app.services.platform.timeutil import month_start, next_month, site_zone
from app.words import QT_TRANSLATE_NOOP, Word, stored_text

BUILDING_ID_NOT_FOUND_REFRESH = Word(
    "settlement.building_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Building (id {building_id}) not found. Refresh and try again"),
)
STALL_ID_NOT_FOUND_REFRESH = Word(
    "settlement.stall_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Stall (id {stall_id}) not found. Refresh and try again"),
)
STALL_NO_ACCOUNT_THERE_NOTHING = Word(
    "settlement.stall_no_account_there_nothing",
    QT_TRANSLATE_NOOP("Errors", "Stall {stall_code} has no account, so there is nothing to settle"),
)
# what a person may be refused, said in PermissionDenied
RUN_SETTLEMENT = Word("settlement.run_settlement", QT_TRANSLATE_NOOP("Errors", "run settlement"))

BILL_KIND = {MeterKind.ELECTRIC: BillKind.ELECTRIC, MeterKind.WATER: BillKind.WATER}
KIND_NAME = {
    MeterKind.ELECTRIC: Word(
        "settlement.kind.electric", QT_TRANSLATE_NOOP("Labels", "Electricity charge")
    ),
    MeterKind.WATER: Word("settlement.kind.water", QT_TRANSLATE_NOOP("Labels", "Water charge")),
}
# Why a meter was left out of a settlement (the results' `skipped`; the audit log keeps the
# word, stored_text).
HELD_READING = Word(
    "settlement.held_reading", QT_TRANSLATE_NOOP("Errors", "an abnormal reading waiting")
)
# A bill line, and the ledger's reason for the bill's debit: stored as words (stored_text).
METER_USAGE = Word("settlement.meter_usage", QT_TRANSLATE_NOOP("Labels", "Meter {meter} usage"))
BILL_REASON = Word("settlement.bill_reason", QT_TRANSLATE_NOOP("Labels", "{kind} {stamp}"))
MAX_PERIODS_PER_RUN = 400  # a long outage is caught up over several runs


@dataclass(frozen=True, slots=True)
class SettledPeriod:
    building_id: int
    building: str
    period_start: datetime
    period_end: datetime
    bills: int
    amount: Decimal
    month: date  # 账期: the month the bills count in
    is_month_moved: bool  # the period's own month is locked: the bills count in `month`


@dataclass(frozen=True, slots=True)
class SettlementResult:
    periods: tuple[SettledPeriod, ...]
    bills: int
    amount: Decimal
    skipped: tuple[tuple[int, Word], ...]  # (meter_id, why), said where shown
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
    raw = Raw(session)
    held = set()
    for batch in raw.batches(meter_ids):
        where, params = raw.where_in("meter_id", batch)
        held.update(
            m
            for (m,) in raw.rows(
                f"SELECT meter_id FROM reading_anomaly WHERE status = ? AND {where}",
                (AnomalyStatus.HELD.value, *params),
            )
        )
    return held


def _stored_reading(kind: MeterKind, registers: int | None) -> int | None:
    """A register reading in the stored form of a Quantity (thousandths of kWh / m³):
    exact, as a register unit (1/100 kWh, 1/1000 m³) divides 1/1000 evenly."""
    if registers is None:
        return None
    return registers * (1000 // REGISTER_PER_UNIT[kind])


def _settle_period(
    session: Session,
    site_id: int,
    tz,
    start: datetime,
    end: datetime,
    month: date,
    stall_accounts: dict[int, int],
    skipped: list,
) -> dict[int, tuple[int, Decimal]]:
    """Bill the usage of the stalls' meters from their settled registers to the period
    end; returns (bills, amount) per stall billed (the amount may be 0)."""
    states = [
        s
        for s in meter_states(session, stall_ids=stall_accounts.keys())
        if s.settled_total is not None and s.last_read_at is not None
    ]
    held = _held_meters(session, [s.id for s in states])
    for s in states:
        if s.id in held:
            skipped.append((s.id, HELD_READING))
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
        return {}

    usages = price_states(session, todo, ends, now=end - timedelta(seconds=1))
    by_bill: dict[tuple[int, MeterKind], list[MeterUsage]] = defaultdict(list)
    for u in usages:
        by_bill[(u.stall_id, u.kind)].append(u)
    stamp = end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    key_of = {k: f"{BILL_KIND[k[1]]}:stall {k[0]}:{stamp}" for k in by_bill}
    existing = set(bill_ids_by_key(session, list(key_of.values())))
    now = utcnow()
    bill_rows, keys = [], []
    for k, us in by_bill.items():
        if key_of[k] in existing:
            continue
        stall_id, kind = k
        bill_rows.append(
            {
                "site_id": site_id,
                "stall_id": stall_id,
                "account_id": stall_accounts[stall_id],
                "kind": BILL_KIND[kind],
                "period_start": start,
                "period_end": end,
                "amount": sum((u.amount for u in us), ZERO),
                "status": BillStatus.SETTLED,
                "dedupe_key": key_of[k],
                "created_at": now,
                "issued_at": now,
                "voided_at": None,
                "note": "",
            }
        )
        keys.append(k)
    if not bill_rows:
        return {}
    raw = Raw(session)
    stored_month = raw.day(month)
    raw.insert(
        Bill.__table__,
        (
            "site_id",
            "stall_id",
            "account_id",
            "kind",
            "period_start",
            "period_end",
            "month",
            "amount",
            "status",
            "dedupe_key",
            "created_at",
            "issued_at",
            "note",
        ),
        [
            (
                r["site_id"],
                r["stall_id"],
                r["account_id"],
                str(r["kind"]),
                raw.time(start),
                raw.time(end),
                stored_month,
                scaled(r["amount"]),
                str(r["status"]),
                r["dedupe_key"],
                raw.time(now),
                raw.time(now),
                "",
            )
            for r in bill_rows
        ],
    )
    bill_ids = bill_ids_by_key(session, [r["dedupe_key"] for r in bill_rows])

    lines, postings, settled_rows = [], [], []
    for k, row in zip(keys, bill_rows, strict=True):
        bill_id = bill_ids[row["dedupe_key"]]
        for u in by_bill[k]:
            read_at, end_total, end_tariffs = ends[u.meter_id]
            unit = "kWh" if u.kind == MeterKind.ELECTRIC else "m³"
            readings = (_stored_reading(u.kind, u.start_total), _stored_reading(u.kind, end_total))
            # No tariff or zero usage: the line still shows the readings, at 0.
            parts = u.parts or (
                PricedPart(METER_USAGE(meter=u.meter_id), u.quantity, Decimal(0), ZERO),
            )
            for p in parts:
                lines.append(
                    (
                        bill_id,
                        u.meter_id,
                        stored_text(p.description),
                        scaled(p.quantity, 3),
                        unit,
                        scaled(p.price, 4),
                        scaled(p.amount),
                        *readings,
                    )
                )
            settled_rows.append(
                (u.meter_id, raw.time(read_at), end_total, raw.json(end_tariffs), 0, None)
            )
        if row["amount"]:
            postings.append(
                (
                    row["account_id"],
                    EntryKind.BILL,
                    -row["amount"],
                    {
                        "bill_id": bill_id,
                        "reason": stored_text(BILL_REASON(kind=KIND_NAME[k[1]], stamp=stamp)),
                    },
                )
            )
    raw.insert(
        BillLine.__table__,
        (
            "bill_id",
            "meter_id",
            "description",
            "quantity",
            "unit",
            "price",
            "amount",
            "start_reading",
            "end_reading",
        ),
        lines,
    )
    post_many(session, postings)
    raw.update(
        Meter.__table__,
        (
            "id",
            "settled_at",
            "settled_total",
            "settled_tariffs",
            "carried_total",
            "carried_tariffs",
        ),
        settled_rows,
    )
    billed: dict[int, tuple[int, Decimal]] = {}
    for k, row in zip(keys, bill_rows, strict=True):
        n, amount = billed.get(k[0], (0, ZERO))
        billed[k[0]] = (n + 1, amount + row["amount"])
    return billed


def bill_ids_by_key(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Ids of bills just inserted in bulk (RETURNING in parameter order would cost SQLite
    one statement per row)."""
    raw = Raw(session)
    out: dict[str, int] = {}
    for batch in raw.batches(keys):
        where, params = raw.where_in("dedupe_key", batch)
        out.update(raw.rows(f"SELECT dedupe_key, id FROM bill WHERE {where}", params))
    return out


def settle(
    session: Session,
    actor: Actor,
    *,
    building_id: int | None = None,
    now: datetime | None = None,
    control: bool = True,
) -> SettlementResult:
    """Settle every due period of the site's buildings (or of one building), then run the
    control decision for the stalls billed.

    Permission: admin (or the program itself, Actor.system). Transaction: the caller's;
    the building rows are locked so two PCs never settle the same building at once.
    Audit: one settlement.run event with the periods, bill count and total."""
    require(actor, May.RUN_SETTLEMENT)
    now = now or utcnow()
    stmt = select(Building).where(Building.site_id == actor.site_id).order_by(Building.id)
    if building_id is not None:
        stmt = stmt.where(Building.id == building_id)
    buildings = session.scalars(
        stmt.with_for_update().execution_options(populate_existing=True)
    ).all()
    if building_id is not None and not buildings:
        raise NotFound(BUILDING_ID_NOT_FOUND_REFRESH, building_id=building_id)
    tz = site_zone(session, actor.site_id)
    periods: list[SettledPeriod] = []
    skipped: list[tuple[int, Word]] = []
    stall_ids: set[int] = set()
    pending = {b.id: deque(due) for b in buildings if (due := due_periods(b, tz, now))}
    by_id = {b.id: b for b in buildings}
    accounts: dict[int, dict[int, int]] = defaultdict(dict)
    for batch in batches(session, list(pending)):
        for stall_id, account_id, b_id in session.execute(
            select(Account.stall_id, Account.id, Stall.building_id)
            .join(Stall, Stall.id == Account.stall_id)
            .where(in_ids(session, Stall.building_id, batch))
        ):
            accounts[b_id][stall_id] = account_id
    # Buildings due for the same period are settled together (one set of statements for
    # the whole site); each building still moves through its own periods in order.
    while pending:
        rounds: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
        for b_id, due in pending.items():
            rounds[due[0]].append(b_id)
        for (start, end), b_ids in rounds.items():
            month = open_month(session, actor.site_id, start)
            moved = month != month_start(start, tz)
            group = {sid: aid for b in b_ids for sid, aid in accounts[b].items()}
            billed = _settle_period(session, actor.site_id, tz, start, end, month, group, skipped)
            stall_ids |= billed.keys()
            for b in b_ids:
                mine = [billed[sid] for sid in accounts[b] if sid in billed]
                periods.append(
                    SettledPeriod(
                        b,
                        by_id[b].name,
                        start,
                        end,
                        sum(n for n, _ in mine),
                        sum((a for _, a in mine), ZERO),
                        month,
                        moved,
                    )
                )
            for b in b_ids:
                by_id[b].settled_until = end
                pending[b].popleft()
                if not pending[b]:
                    del pending[b]
    periods.sort(key=lambda p: (p.building_id, p.period_start))
    session.flush()
    bills = sum(p.bills for p in periods)
    total = sum((p.amount for p in periods), ZERO)
    skipped = list(dict.fromkeys(skipped))
    if periods:
        audit(
            session,
            actor,
            "settlement.run",
            "site",
            actor.site_id,
            bills=bills,
            amount=total,
            periods=[
                {
                    "building": p.building,
                    "start": p.period_start,
                    "end": p.period_end,
                    "bills": p.bills,
                    "amount": p.amount,
                    "month": p.month,
                    "month_moved": p.is_month_moved,
                }
                for p in periods[:50]
            ],
            period_count=len(periods),
            skipped=[[m, stored_text(why)] for m, why in skipped[:200]],
        )
    decided = reconsider(session, stall_ids, now=now) if control and stall_ids else None
    return SettlementResult(
        tuple(periods), bills, total, tuple(skipped), tuple(sorted(stall_ids)), decided
    )


@dataclass(frozen=True, slots=True)
class StallSettlement:
    stall_id: int
    period_start: datetime
    period_end: datetime
    month: date  # 账期 of the bills
    bills: int
    amount: Decimal
    skipped: tuple[tuple[int, Word], ...]  # (meter_id, why): usage left unsettled


def settle_stall(
    session: Session, actor: Actor, stall_id: int, *, now: datetime | None = None
) -> StallSettlement:
    """Final settlement (最终结算) of one stall, outside its building's schedule: bill and
    debit the usage of its meters from their settled registers to their latest readings,
    for the period from the building's last settled boundary to `now` (销户 runs it first).

    The same rules as the periodic run: a meter with a held anomaly is skipped (returned
    in `skipped`, its usage stays unsettled); the meters' settled registers move with the
    bills, so calling it again finds nothing to bill; a period starting in a locked month
    counts in the first open month. Permission: admin. Transaction: the caller's; the
    building row is locked like settle() locks it. Audit: settlement.final with the period,
    bills, amount and skipped meters."""
    require(actor, May.RUN_FINAL_SETTLEMENT)
    now = now or utcnow()
    stall = session.get(Stall, stall_id)
    if stall is None or stall.site_id != actor.site_id:
        raise NotFound(STALL_ID_NOT_FOUND_REFRESH, stall_id=stall_id)
    account_id = session.scalar(select(Account.id).where(Account.stall_id == stall.id))
    if account_id is None:
        raise NotFound(STALL_NO_ACCOUNT_THERE_NOTHING, stall_code=stall.code)
    # The building row locked, as settle() locks it: the two never bill the same usage twice.
    building = session.scalar(
        select(Building)
        .where(Building.id == stall.building_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    start = min(building.settled_until or now, now) if building is not None else now
    tz = site_zone(session, stall.site_id)
    month = open_month(session, stall.site_id, start)
    skipped: list[tuple[int, Word]] = []
    bills, amount = _settle_period(
        session, stall.site_id, tz, start, now, month, {stall.id: account_id}, skipped
    ).get(stall.id, (0, ZERO))
    audit(
        session,
        actor,
        "settlement.final",
        "stall",
        stall.id,
        stall=stall.code,
        start=start,
        end=now,
        month=month,
        bills=bills,
        amount=amount,
        skipped=[[m, stored_text(why)] for m, why in skipped],
    )
    return StallSettlement(stall.id, start, now, month, bills, amount, tuple(skipped))
