"""Read-only queries for the desktop client's views that no other service provides.

No Qt here: each function takes a session, reads, and returns frozen dataclasses (ORM
rows expire off-thread). Nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account, EntryKind, LedgerEntry, PayMethod
from app.models.billing import Bill, BillStatus, ChargeItem
from app.models.meter import Channel, CommandStatus, CommStatus, Meter, MeterCommand, MeterDay, MeterRealtime
from app.models.site import Building, Holiday, Site, Stall
from app.models.tariff import Tariff
from app.services.readings import daily_usage
from app.services.timeutil import local_midnight, site_zone


def register_units(kind: MeterKind, value: int | None) -> Decimal | None:
    """A register value in kWh (from 0.01 kWh) or m³ (from litres)."""
    if value is None:
        return None
    return Decimal(value).scaleb(-2 if kind == MeterKind.ELECTRIC else -3)


@dataclass(frozen=True, slots=True)
class MeterRow:
    """One line of the meter-status table (one per meter)."""

    id: int
    kind: str
    address: str
    channel_id: int | None
    channel: str
    building: str
    stall_id: int | None
    stall_code: str
    stall_name: str
    comm: str  # CommStatus value
    comm_error: str
    is_account_opened: bool
    total: Decimal | None  # kWh or m³
    power_kw: float | None
    balance: Decimal | None
    supply_on: bool | None
    control_mode: str
    alarm_level: int
    last_read_at: datetime | None
    tariff: str = ""  # the tariff's name; "" when the meter has none (its usage is billed nothing)
    identity_conflict: bool = False  # 身份冲突: another device registers as this meter
    identity: str = ""  # the dial-in identity bound (a 4G meter's SIM ICCID) …
    identity_offered: str = ""  # … and the one another registration offered
    command: str = ""  # the meter's open supply command (Action value), if any …
    command_attempts: int = 0  # … and how often it has been sent (control retries a failed one)


def meter_rows(session: Session, site_id: int) -> list[MeterRow]:
    return _meter_rows(session, Meter.site_id == site_id)


def meter_rows_for(session: Session, meter_ids: list[int]) -> list[MeterRow]:
    """Fresh rows of some meters (after a reading or a command changed them)."""
    rows: list[MeterRow] = []
    for start in range(0, len(meter_ids), 900):
        rows.extend(_meter_rows(session, Meter.id.in_(meter_ids[start : start + 900])))
    return rows


def _meter_rows(session: Session, where) -> list[MeterRow]:
    stmt = (
        select(
            Meter.id, Meter.kind, Meter.address, Meter.channel_id, Channel.name, Building.name,
            Meter.stall_id, Stall.code, Stall.name, Meter.comm_status, Meter.comm_error,
            Meter.is_account_opened, Meter.last_total, MeterRealtime.power_kw, Account.balance,
            Meter.supply_on, Meter.control_mode, Meter.alarm_level, Meter.last_read_at, Tariff.name,
            Meter.identity_conflict, Meter.dialin_identity, Meter.identity_offered,
        )
        .select_from(Meter)
        .outerjoin(Tariff, Tariff.id == Meter.tariff_id)
        .outerjoin(Channel, Channel.id == Meter.channel_id)
        .outerjoin(Stall, Stall.id == Meter.stall_id)
        .outerjoin(Building, Building.id == Stall.building_id)
        .outerjoin(Account, Account.stall_id == Meter.stall_id)
        .outerjoin(MeterRealtime, MeterRealtime.meter_id == Meter.id)
        .where(where, Meter.is_active.is_(True))
        .order_by(Stall.code, Meter.kind)
    )
    rows = session.execute(stmt).all()
    # open commands are few (one per meter at most per action): one query for all of them
    open_commands = {}
    query = (select(MeterCommand.meter_id, MeterCommand.action, MeterCommand.attempts)
             .where(MeterCommand.status.in_((CommandStatus.PENDING, CommandStatus.SENT))).order_by(MeterCommand.id))
    if len(rows) <= 900:  # a few re-read rows: their commands only
        query = query.where(MeterCommand.meter_id.in_([r[0] for r in rows]))
    for meter_id, action, attempts in session.execute(query):
        open_commands[meter_id] = (str(action), attempts)
    return [
        MeterRow(
            id=r[0], kind=str(r[1]), address=r[2], channel_id=r[3], channel=r[4] or "", building=r[5] or "",
            stall_id=r[6], stall_code=r[7] or "", stall_name=r[8] or "", comm=str(r[9]), comm_error=r[10] or "",
            is_account_opened=bool(r[11]), total=register_units(r[1], r[12]), power_kw=r[13], balance=r[14],
            supply_on=r[15], control_mode=str(r[16]), alarm_level=int(r[17]), last_read_at=r[18], tariff=r[19] or "",
            identity_conflict=bool(r[20]), identity=r[21] or "", identity_offered=r[22] or "", command=open_commands.get(r[0], ("", 0))[0],
            command_attempts=open_commands.get(r[0], ("", 0))[1],
        )
        for r in rows
    ]


# -- overview --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OverviewData:
    site_name: str
    meters_total: int
    meters_online: int
    meters_offline: int
    meters_unknown: int
    meters_tripped: int
    low_balance_stalls: int
    negative_balance_stalls: int
    unsettled_kwh: Decimal
    unsettled_m3: Decimal
    recharges_today: dict[str, tuple[int, Decimal]]  # pay method → (count, amount)
    last_collection_at: datetime | None
    meters_with_errors: int
    meters_without_tariff: int = 0  # bound to a stall but priced at nothing
    meters_identity_conflict: int = 0  # someone else registers with their serial (身份冲突)
    recent_errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # (stall, kind, address, error)


def local_day_start(session: Session, site_id: int, day: date | None = None) -> datetime:
    tz = site_zone(session, site_id)
    return local_midnight(day or datetime.now(tz).date(), tz)


def overview(session: Session, site_id: int) -> OverviewData:
    site_name = session.scalar(select(Site.name).where(Site.id == site_id)) or ""
    active = and_(Meter.site_id == site_id, Meter.is_active.is_(True))
    by_status = dict(session.execute(select(Meter.comm_status, func.count()).where(active).group_by(Meter.comm_status)).all())
    tripped = session.scalar(select(func.count()).where(active, Meter.supply_on.is_(False))) or 0
    accounts = select(Account).join(Stall, Stall.id == Account.stall_id).where(Stall.site_id == site_id)
    low = session.scalar(select(func.count()).select_from(accounts.where(Account.balance < Account.alarm1).subquery())) or 0
    negative = session.scalar(select(func.count()).select_from(accounts.where(Account.balance < 0).subquery())) or 0
    unsettled: dict[MeterKind, Decimal] = defaultdict(Decimal)
    for kind, last, settled, ct in session.execute(
        select(Meter.kind, Meter.last_total, Meter.settled_total, Meter.ct_ratio).where(
            active, Meter.last_total.is_not(None), Meter.settled_total.is_not(None)
        )
    ):
        if last > settled:
            unsettled[kind] += register_units(kind, (last - settled) * ct)
    since = local_day_start(session, site_id)
    recharges: dict[str, tuple[int, Decimal]] = {}
    for method, count, amount in session.execute(
        select(LedgerEntry.method, func.count(), func.sum(LedgerEntry.amount))
        .join(Account, Account.id == LedgerEntry.account_id)
        .join(Stall, Stall.id == Account.stall_id)
        .where(Stall.site_id == site_id, LedgerEntry.kind == EntryKind.RECHARGE, LedgerEntry.at >= since)
        .group_by(LedgerEntry.method)
    ):
        amount = amount if isinstance(amount, Decimal) else Decimal(amount or 0).scaleb(-2)
        recharges[str(method or PayMethod.CASH)] = (count, amount)
    last_collection = session.scalar(select(func.max(Meter.last_read_at)).where(active))
    if isinstance(last_collection, datetime) and last_collection.tzinfo is None:
        last_collection = last_collection.replace(tzinfo=UTC)
    with_errors = session.scalar(select(func.count()).where(active, Meter.comm_error != "")) or 0
    without_tariff = session.scalar(select(func.count()).where(
        active, Meter.stall_id.is_not(None), Meter.tariff_id.is_(None))) or 0
    identity_conflicts = session.scalar(select(func.count()).where(active, Meter.identity_conflict.is_(True))) or 0
    recent = [
        (code or "", str(kind), address, error)
        for code, kind, address, error in session.execute(
            select(Stall.code, Meter.kind, Meter.address, Meter.comm_error)
            .outerjoin(Stall, Stall.id == Meter.stall_id)
            .where(active, Meter.comm_error != "")
            .order_by(Meter.last_seen_at.desc())
            .limit(8)
        )
    ]
    return OverviewData(
        site_name=site_name,
        meters_total=sum(by_status.values()),
        meters_online=by_status.get(CommStatus.ONLINE, 0),
        meters_offline=by_status.get(CommStatus.OFFLINE, 0),
        meters_unknown=by_status.get(CommStatus.UNKNOWN, 0),
        meters_tripped=tripped,
        low_balance_stalls=low,
        negative_balance_stalls=negative,
        unsettled_kwh=unsettled[MeterKind.ELECTRIC].quantize(Decimal("0.01")),
        unsettled_m3=unsettled[MeterKind.WATER].quantize(Decimal("0.001")),
        recharges_today=recharges,
        last_collection_at=last_collection,
        meters_with_errors=with_errors,
        meters_without_tariff=without_tariff,
        meters_identity_conflict=identity_conflicts,
        recent_errors=recent,
    )


# -- buildings -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BuildingRow:
    id: int
    name: str
    reading_time: time
    settlement_time: time
    settlement_cycle: str
    settled_until: datetime | None
    stalls: int


def building_rows(session: Session, site_id: int) -> list[BuildingRow]:
    counts = dict(session.execute(select(Stall.building_id, func.count()).where(Stall.site_id == site_id).group_by(Stall.building_id)).all())
    return [
        BuildingRow(b.id, b.name, b.reading_time, b.settlement_time, str(b.settlement_cycle), b.settled_until, counts.get(b.id, 0))
        for b in session.scalars(select(Building).where(Building.site_id == site_id).order_by(Building.name))
    ]


# -- bills ----------------------------------------------------------------------------------
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


BILL_ROW_CAP = 50_000  # rows one screen holds; beyond it the view says so and asks for a narrower period
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
    return list(session.scalars(select(Bill.month).where(Bill.site_id == site_id).distinct().order_by(Bill.month.desc())))


def bill_rows(session: Session, site_id: int, *, month: date | None = None, kind: str | None = None,
              status: str | None = None, limit: int | None = None) -> BillPage:
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
        select(Bill.id, Bill.kind, Bill.status, Stall.code, Stall.name, Bill.period_start, Bill.period_end, Bill.amount,
               Bill.created_at, Bill.issued_at, Bill.note)
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


# -- meter history ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DayReading:
    day: date
    closed_at: datetime
    total: Decimal  # kWh / m³
    usage: Decimal | None  # since the previous day's close; None for the first day


@dataclass(frozen=True, slots=True)
class MeterHistory:
    meter_id: int
    kind: str
    unit: str
    days: list[DayReading]
    months: list[tuple[str, Decimal]]  # ("2026-11", usage)


def meter_history(session: Session, meter_id: int, days: int = 400) -> MeterHistory:
    """Daily closing readings and usage (core-settle's daily_usage: ct applied, restarts
    handled) of the last `days` days with a reading, and usage per month."""
    meter = session.get(Meter, meter_id)
    if meter is None:
        return MeterHistory(meter_id, "", "", [], [])
    epoch = date(1970, 1, 1)
    rows = list(reversed(session.execute(
        select(MeterDay.day, MeterDay.close_ts, MeterDay.close_total)
        .where(MeterDay.meter_id == meter_id)
        .order_by(MeterDay.day.desc())
        .limit(days)
    ).all()))
    used = daily_usage(session, [meter_id], epoch + timedelta(days=rows[0][0]), epoch + timedelta(days=rows[-1][0]))[meter_id] if rows else {}
    readings = [
        DayReading(epoch + timedelta(days=d), datetime.fromtimestamp(ts, UTC), register_units(meter.kind, total),
                   used.get(epoch + timedelta(days=d)))
        for d, ts, total in rows
    ]
    months: dict[str, Decimal] = {}
    for r in readings:
        if r.usage is not None:
            key = r.day.strftime("%Y-%m")
            months[key] = months.get(key, Decimal(0)) + r.usage
    unit = "kWh" if meter.kind == MeterKind.ELECTRIC else "m³"
    return MeterHistory(meter_id, str(meter.kind), unit, readings, sorted(months.items()))


# -- commands -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CommandRow:
    id: int
    meter_id: int
    action: str
    status: str
    result: str
    finished_at: datetime | None


def command_rows(session: Session, command_ids: list[int]) -> list[CommandRow]:
    out: list[CommandRow] = []
    # SQLite limits bound parameters; 900 per query is safe on every backend.
    for start in range(0, len(command_ids), 900):
        chunk = command_ids[start : start + 900]
        for c in session.scalars(
            select(MeterCommand).where(MeterCommand.id.in_(chunk)).execution_options(populate_existing=True)
        ):
            out.append(CommandRow(c.id, c.meter_id, str(c.action), str(c.status), c.result, c.finished_at))
    return out


# -- channels ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ChannelRow:
    id: int
    name: str
    kind: str
    settings: dict
    poll_interval_s: int
    is_enabled: bool
    is_connected: bool
    status_detail: str
    meters: int
    meters_online: int


def channel_rows(session: Session, site_id: int) -> list[ChannelRow]:
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for channel_id, status, n in session.execute(
        select(Meter.channel_id, Meter.comm_status, func.count())
        .where(Meter.site_id == site_id, Meter.is_active.is_(True))
        .group_by(Meter.channel_id, Meter.comm_status)
    ):
        counts[channel_id][0] += n
        if status == CommStatus.ONLINE:
            counts[channel_id][1] += n
    return [
        ChannelRow(c.id, c.name, str(c.kind), dict(c.settings or {}), c.poll_interval_s, c.is_enabled, c.is_connected,
                   c.status_detail, counts[c.id][0], counts[c.id][1])
        for c in session.scalars(select(Channel).where(Channel.site_id == site_id).order_by(Channel.name))
    ]


def first_site_id(session: Session) -> int | None:
    return session.scalar(select(Site.id).order_by(Site.id).limit(1))


def site_name(session: Session, site_id: int) -> str:
    return session.scalar(select(Site.name).where(Site.id == site_id)) or ""



def first_admin(session: Session, site_id: int | None = None):
    """The first active admin (of a site): who the demo and --screenshot runs act as,
    since neither has a person at the keyboard to sign in. Returns an Actor or None."""
    from app.models.user import Role, User
    from app.services.context import Actor

    stmt = select(User).where(User.role == Role.ADMIN, User.is_active.is_(True), User.site_id.is_not(None)).order_by(User.id)
    if site_id is not None:
        stmt = stmt.where(User.site_id == site_id)
    user = session.scalars(stmt.limit(1)).first()
    return None if user is None else Actor(user.id, user.username, user.role, user.site_id)


# -- settings (read-only lists) ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ChargeItemRow:
    id: int
    name: str
    method: str
    price: Decimal
    unit_name: str
    building: str
    is_active: bool


def charge_item_rows(session: Session, site_id: int) -> list[ChargeItemRow]:
    return [
        ChargeItemRow(c.id, c.name, str(c.method), c.price, c.unit_name, building or "", c.is_active)
        for c, building in session.execute(
            select(ChargeItem, Building.name).outerjoin(Building, Building.id == ChargeItem.building_id)
            .where(ChargeItem.site_id == site_id).order_by(ChargeItem.name)
        )
    ]


@dataclass(frozen=True, slots=True)
class ControlRules:
    """The site's friendly period (no cut at night / on holidays) and default alarm levels."""

    night_start: time | None
    night_end: time | None
    no_cut_on_holidays: bool
    holidays: list[tuple[date, str]]
    alarm1_levels: dict[str, int]  # "50.00" → stalls with that alarm 1
    alarm2_levels: dict[str, int]


def control_rules(session: Session, site_id: int) -> ControlRules:
    site = session.get(Site, site_id)
    holidays = [(h.day, h.name) for h in session.scalars(select(Holiday).where(Holiday.site_id == site_id).order_by(Holiday.day))]
    levels: list[dict[str, int]] = [{}, {}]
    for column, out in ((Account.alarm1, levels[0]), (Account.alarm2, levels[1])):
        for value, n in session.execute(
            select(column, func.count()).join(Stall, Stall.id == Account.stall_id).where(Stall.site_id == site_id).group_by(column)
        ):
            out[f"{value:.2f}"] = n
    return ControlRules(site.friendly_night_start, site.friendly_night_end, site.no_cut_on_holidays, holidays, levels[0], levels[1])


def latest_ledger_month(session: Session, site_id: int, last_ended: date) -> date | None:
    """The month (first day) the monthly ledger opens on: the latest month up to
    `last_ended` that has a built report or bills, else the latest such month at all (a
    market that started this month). Read only."""
    from app.models.monthly import MonthlyReport

    def latest(until: date | None) -> date | None:
        found = []
        for column, where in ((MonthlyReport.month, MonthlyReport.site_id == site_id), (Bill.month, Bill.site_id == site_id)):
            q = select(func.max(column)).where(where)
            if until is not None:
                q = q.where(column <= until)
            found.append(session.scalar(q))
        months = [m for m in found if m is not None]
        return max(months) if months else None

    return latest(last_ended) or latest(None)
