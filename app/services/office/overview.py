"""What the overview shows: the market's totals today, read in one pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account, EntryKind, LedgerEntry, PayMethod
from app.models.meter import OPEN_ALERT, Alert, CommStatus, Meter
from app.models.site import Site, Stall
from app.services.market.meters import register_units
from app.services.platform.timeutil import local_midnight, site_zone


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
