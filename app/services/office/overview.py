"""What the overview shows: the market's totals today, read in one pass."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.comm.types import Action, MeterKind
from app.models.account import Account, EntryKind, LedgerEntry, PayMethod
from app.models.meter import (
    OPEN_ALERT,
    Alert,
    CommandStatus,
    CommStatus,
    ControlMode,
    Meter,
    MeterCommand,
)
from app.models.site import Building, Site, Stall
from app.services.market.meters import register_units
from app.services.market.readings import daily_usage, site_daily_usage, site_day_usage
from app.services.platform.timeutil import local_midnight, site_zone

DAYS_CHARTED = 30
# supply cut (分闸 / 关阀) and supply given back (合闸 / 开阀) by a command that succeeded
TRIP_ACTIONS = (Action.TRIP, Action.FORCED_OFF, Action.VALVE_CLOSE)
CLOSE_ACTIONS = (Action.CLOSE, Action.FORCED_ON, Action.VALVE_OPEN)


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
    meters_identity_conflict: int = 0  # someone else registers with their serial
    open_alerts: int = 0  # safety alerts not resolved (open or acknowledged)
    recent_errors: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # (stall, kind, address, error)


def local_day_start(session: Session, site_id: int, day: date | None = None) -> datetime:
    tz = site_zone(session, site_id)
    return local_midnight(day or datetime.now(tz).date(), tz)


def overview(session: Session, site_id: int) -> OverviewData:
    site_name = session.scalar(select(Site.name).where(Site.id == site_id)) or ""
    active = and_(Meter.site_id == site_id, Meter.is_active.is_(True))
    by_status = dict(
        session.execute(
            select(Meter.comm_status, func.count()).where(active).group_by(Meter.comm_status)
        ).all()
    )
    tripped = session.scalar(select(func.count()).where(active, Meter.supply_on.is_(False))) or 0
    accounts = (
        select(Account).join(Stall, Stall.id == Account.stall_id).where(Stall.site_id == site_id)
    )
    low = (
        session.scalar(
            select(func.count()).select_from(
                accounts.where(Account.balance < Account.alarm1).subquery()
            )
        )
        or 0
    )
    negative = (
        session.scalar(
            select(func.count()).select_from(accounts.where(Account.balance < 0).subquery())
        )
        or 0
    )
    unsettled: dict[MeterKind, Decimal] = defaultdict(Decimal)
    # what waits to be billed: the stalls' meters (a master or public meter is never billed,
    # and a master counts the stalls' usage again)
    for kind, last, settled, ct in session.execute(
        select(Meter.kind, Meter.last_total, Meter.settled_total, Meter.ct_ratio).where(
            active,
            Meter.stall_id.is_not(None),
            Meter.last_total.is_not(None),
            Meter.settled_total.is_not(None),
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
        .where(
            Stall.site_id == site_id,
            LedgerEntry.kind == EntryKind.RECHARGE,
            LedgerEntry.at >= since,
        )
        .group_by(LedgerEntry.method)
    ):
        amount = amount if isinstance(amount, Decimal) else Decimal(amount or 0).scaleb(-2)
        recharges[str(method or PayMethod.CASH)] = (count, amount)
    last_collection = session.scalar(select(func.max(Meter.last_read_at)).where(active))
    if isinstance(last_collection, datetime) and last_collection.tzinfo is None:
        last_collection = last_collection.replace(tzinfo=UTC)
    with_errors = session.scalar(select(func.count()).where(active, Meter.comm_error != "")) or 0
    without_tariff = (
        session.scalar(
            select(func.count()).where(
                active, Meter.stall_id.is_not(None), Meter.tariff_id.is_(None)
            )
        )
        or 0
    )
    identity_conflicts = (
        session.scalar(select(func.count()).where(active, Meter.identity_conflict.is_(True))) or 0
    )
    open_alerts = (
        session.scalar(
            select(func.count())
            .select_from(Alert)
            .where(Alert.site_id == site_id, Alert.state.in_(OPEN_ALERT))
        )
        or 0
    )
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
        open_alerts=open_alerts,
        recent_errors=recent,
    )


@dataclass(frozen=True, slots=True)
class DayFigures:
    """The overview's charts: the market's last `DAYS_CHARTED` local days, oldest first."""

    days: tuple[date, ...]
    kwh: dict[date, Decimal]
    m3: dict[date, Decimal]
    recharges: dict[date, dict[str, Decimal]]  # pay method → amount
    trips: dict[date, int]
    closes: dict[date, int]


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t


def _charted_days(session: Session, site_id: int, today: date | None):
    tz = site_zone(session, site_id)
    last = today or datetime.now(tz).date()
    days = tuple(last - timedelta(days=n) for n in range(DAYS_CHARTED - 1, -1, -1))
    return tz, days


def _recharges_between(site_id: int, start: datetime, end: datetime):
    return (
        select(LedgerEntry.at, LedgerEntry.method, LedgerEntry.amount, Stall.code)
        .join(Account, Account.id == LedgerEntry.account_id)
        .join(Stall, Stall.id == Account.stall_id)
        .where(
            Stall.site_id == site_id,
            LedgerEntry.kind == EntryKind.RECHARGE,
            LedgerEntry.at >= start,
            LedgerEntry.at < end,
        )
        .order_by(LedgerEntry.at)
    )


def _commands_between(site_id: int, start: datetime, end: datetime):
    return (
        select(MeterCommand.finished_at, MeterCommand.action, Meter.address, Meter.kind, Stall.code)
        .join(Meter, Meter.id == MeterCommand.meter_id)
        .outerjoin(Stall, Stall.id == Meter.stall_id)
        .where(
            Meter.site_id == site_id,
            MeterCommand.status == CommandStatus.SUCCEEDED,
            MeterCommand.action.in_((*TRIP_ACTIONS, *CLOSE_ACTIONS)),
            MeterCommand.finished_at >= start,
            MeterCommand.finished_at < end,
        )
        .order_by(MeterCommand.finished_at)
    )


def day_figures(session: Session, site_id: int, *, today: date | None = None) -> DayFigures:
    """Per local day for the charts: usage from the stored day readings, recharges by
    payment method from the ledger, trips and closes from the commands that succeeded."""
    tz, days = _charted_days(session, site_id, today)
    start, end = local_midnight(days[0], tz), local_midnight(days[-1] + timedelta(days=1), tz)
    usage = site_daily_usage(session, site_id, days[0], days[-1])
    recharges: dict[date, dict[str, Decimal]] = {d: {} for d in days}
    for at, method, amount, _code in session.execute(_recharges_between(site_id, start, end)):
        by_method = recharges[_utc(at).astimezone(tz).date()]
        key = str(method or PayMethod.CASH)
        by_method[key] = by_method.get(key, Decimal("0.00")) + amount
    trips = dict.fromkeys(days, 0)
    closes = dict.fromkeys(days, 0)
    for at, action, _address, _kind, _code in session.execute(
        _commands_between(site_id, start, end)
    ):
        counts = trips if action in TRIP_ACTIONS else closes
        counts[_utc(at).astimezone(tz).date()] += 1
    zero = Decimal("0.000")
    return DayFigures(
        days=days,
        kwh={d: usage[MeterKind.ELECTRIC].get(d, zero) for d in days},
        m3={d: usage[MeterKind.WATER].get(d, zero) for d in days},
        recharges=recharges,
        trips=trips,
        closes=closes,
    )


@dataclass(frozen=True, slots=True)
class DayLine:
    """One row of the list behind a day's bar."""

    at: datetime | None  # a recharge's or a command's time; None for a day's usage
    stall: str
    what: str  # meter kind (usage), pay method (recharge) or action (command)
    meter: str  # meter address; "" for a recharge
    value: Decimal  # kWh / m³ used, or yuan recharged; 1 for a command


def day_usage_lines(session: Session, site_id: int, day: date, kind: MeterKind) -> list[DayLine]:
    """Each meter's usage of `kind` on `day`, largest first: the list behind a usage bar."""
    usage = site_day_usage(session, site_id, day)
    out = []
    for meter_id, address, code in session.execute(
        select(Meter.id, Meter.address, Stall.code)
        .outerjoin(Stall, Stall.id == Meter.stall_id)
        .where(Meter.site_id == site_id, Meter.kind == kind)
    ):
        if meter_id in usage:
            out.append(DayLine(None, code or "", str(kind), address, usage[meter_id]))
    return sorted(out, key=lambda line: (-line.value, line.stall, line.meter))


def day_recharge_lines(session: Session, site_id: int, day: date) -> list[DayLine]:
    """The day's recharges, oldest first: the list behind a recharges bar."""
    tz = site_zone(session, site_id)
    start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
    return [
        DayLine(_utc(at), code, str(method or PayMethod.CASH), "", amount)
        for at, method, amount, code in session.execute(_recharges_between(site_id, start, end))
    ]


def day_command_lines(session: Session, site_id: int, day: date) -> list[DayLine]:
    """The day's trips and closes that succeeded, oldest first: the list behind their bar."""
    tz = site_zone(session, site_id)
    start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
    return [
        DayLine(_utc(at), code or "", str(action), address, Decimal(1))
        for at, action, address, _kind, code in session.execute(
            _commands_between(site_id, start, end)
        )
    ]


class TileState(enum.StrEnum):
    """A stall's state on the floor map, the first that holds in this order."""

    TRIPPED = "tripped"  # a meter's power or water is off
    FORCED = "forced"  # a meter is kept on or off by hand (not prepaid)
    LOW_BALANCE = "low_balance"  # below alarm 1
    OFFLINE = "offline"  # a meter does not answer
    ONLINE = "online"
    NO_METER = "no_meter"  # no meter, or none read yet


@dataclass(frozen=True, slots=True)
class StallTile:
    id: int
    code: str
    building: str
    floor: str
    state: TileState


def stall_map(session: Session, site_id: int) -> list[StallTile]:
    """Every stall of the market with its state, by building, floor and code: the floor
    map (楼栋 → 楼层 → 档位). Two queries for any number of stalls."""
    meters: dict[int, list[tuple]] = defaultdict(list)
    for stall_id, supply_on, mode, comm in session.execute(
        select(Meter.stall_id, Meter.supply_on, Meter.control_mode, Meter.comm_status).where(
            Meter.site_id == site_id, Meter.is_active.is_(True), Meter.stall_id.is_not(None)
        )
    ):
        meters[stall_id].append((supply_on, mode, comm))
    out = []
    for stall_id, code, building, floor, balance, alarm1 in session.execute(
        select(Stall.id, Stall.code, Building.name, Stall.floor, Account.balance, Account.alarm1)
        .join(Building, Building.id == Stall.building_id)
        .outerjoin(Account, Account.stall_id == Stall.id)
        .where(Stall.site_id == site_id)
        .order_by(Building.name, Stall.floor, Stall.code)
    ):
        own = meters.get(stall_id, [])
        if any(supply_on is False for supply_on, _m, _c in own):
            state = TileState.TRIPPED
        elif any(mode != ControlMode.PREPAID for _s, mode, _c in own):
            state = TileState.FORCED
        elif balance is not None and alarm1 is not None and balance < alarm1:
            state = TileState.LOW_BALANCE
        elif any(comm == CommStatus.OFFLINE for _s, _m, comm in own):
            state = TileState.OFFLINE
        elif any(comm == CommStatus.ONLINE for _s, _m, comm in own):
            state = TileState.ONLINE
        else:
            state = TileState.NO_METER
        out.append(StallTile(stall_id, code, building, floor, state))
    return out


@dataclass(frozen=True, slots=True)
class StallRecent:
    """A stall's last 30 days for its card: usage per kind and day, its last recharges."""

    days: tuple[date, ...]
    usage: dict[MeterKind, dict[date, Decimal]]  # only the kinds the stall has a meter of
    recharges: list[DayLine]  # newest first


def stall_recent(
    session: Session, site_id: int, stall_id: int, *, today: date | None = None, last: int = 8
) -> StallRecent:
    """Usage of each of the stall's meters (replaced ones too) per local day, summed by
    kind, for the charted days; its `last` recharges."""
    _tz, days = _charted_days(session, site_id, today)
    kinds = dict(
        session.execute(
            select(Meter.id, Meter.kind).where(Meter.site_id == site_id, Meter.stall_id == stall_id)
        ).all()
    )
    usage: dict[MeterKind, dict[date, Decimal]] = {
        MeterKind(k): dict.fromkeys(days, Decimal("0.000")) for k in kinds.values()
    }
    for meter_id, by_day in daily_usage(session, list(kinds), days[0], days[-1]).items():
        for d, quantity in by_day.items():
            usage[MeterKind(kinds[meter_id])][d] += quantity
    recharges = [
        DayLine(_utc(at), code, str(method or PayMethod.CASH), "", amount)
        for at, method, amount, code in session.execute(
            select(LedgerEntry.at, LedgerEntry.method, LedgerEntry.amount, Stall.code)
            .join(Account, Account.id == LedgerEntry.account_id)
            .join(Stall, Stall.id == Account.stall_id)
            .where(
                Stall.id == stall_id,
                Stall.site_id == site_id,
                LedgerEntry.kind == EntryKind.RECHARGE,
            )
            .order_by(LedgerEntry.at.desc(), LedgerEntry.id.desc())
            .limit(last)
        )
    ]
    return StallRecent(days, usage, recharges)
