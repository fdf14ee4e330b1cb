"""Line losses (线损): a building's master meters (总表) against the sum of its stalls' meters.

A master meter is a meter bound to no stall and marked as feeding a building
(`Meter.master_of_building_id`). For each local day (from the days' closing registers, as
daily usage is) or each month (from the month's first and last closing registers, as a
shared-cost pool reads them), the loss is the master meters' usage minus the usage of
every meter of the building's stalls, in kWh or m³ and in percent of the master's usage;
above the building's threshold it is flagged. A period's loss can be taken into a
metered shared-cost pool of that master meter: the pool's run bills exactly that usage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.comm.labels import METER_KIND
from app.comm.types import MeterKind
from app.models.meter import Meter
from app.models.shared_cost import SharedPool
from app.models.site import Building, Stall
from app.services.market.readings import daily_usage
from app.services.money import shared_costs
from app.services.office.reports import period_usage
from app.services.platform.audit import audit
from app.services.platform.context import Actor, May, NotFound, ServiceError, require
from app.words import QT_TRANSLATE_NOOP, Word

BUILDING_NOT_FOUND = Word(
    "losses.building_not_found",
    QT_TRANSLATE_NOOP("Errors", "Building (id {building_id}) not found. Refresh and try again"),
)
METER_NOT_FOUND = Word(
    "losses.meter_not_found",
    QT_TRANSLATE_NOOP("Errors", "Meter (id {meter_id}) not found. Refresh and try again"),
)
STALL_METER_CANNOT_BE_MASTER = Word(
    "losses.stall_meter_cannot_be_master",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter {address} belongs to a stall, so it cannot be a building's master meter. "
        "Choose a meter bound to no stall",
    ),
)
NO_MASTER_METER = Word(
    "losses.no_master_meter",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Building {building} has no master meter for {kind}. Mark its master meter first "
        "(losses view → master meter)",
    ),
)
THRESHOLD_NOT_VALID = Word(
    "losses.threshold_not_valid",
    QT_TRANSLATE_NOOP(
        "Errors", "The loss threshold must be a percentage from 0 to 100 with at most 2 decimals"
    ),
)
POOL_NOT_OF_MASTER = Word(
    "losses.pool_not_of_master",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Shared cost “{pool}” is not metered by a master meter of building {building}. "
        "Choose a pool of this building's master meter, or set one up under Shared costs",
    ),
)
POOL_USAGE_DIFFERS = Word(
    "losses.pool_usage_differs",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Shared cost “{pool}” would bill {pool_usage} {unit}, but the loss of building "
        "{building} from {start} to {end} is {loss} {unit}: the pool does not share among "
        "exactly this building's stalls. Correct the pool's stalls under Shared costs",
    ),
)
NO_LOSS = Word(
    "losses.no_loss",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Building {building} has no loss from {start} to {end} ({loss} {unit}): nothing to share",
    ),
)
UNIT = shared_costs.UNITS
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class MasterMeter:
    meter_id: int
    address: str
    kind: MeterKind
    building_id: int
    building: str


@dataclass(frozen=True, slots=True)
class LossRow:
    first: date  # the period's first and last local day (one day, or a month)
    last: date
    master: Decimal  # kWh / m³
    stalls: Decimal
    loss: Decimal
    percent: Decimal | None  # of the master's usage; None when the master used nothing
    is_flagged: bool


@dataclass(frozen=True, slots=True)
class BuildingLosses:
    building_id: int
    building: str
    kind: MeterKind
    threshold_pct: Decimal
    master_meter_ids: tuple[int, ...]
    rows: tuple[LossRow, ...]


def _building(session: Session, actor: Actor, building_id: int) -> Building:
    b = session.get(Building, building_id)
    if b is None or b.site_id != actor.site_id:
        raise NotFound(BUILDING_NOT_FOUND, building_id=building_id)
    return b


def master_meters(session: Session, actor: Actor) -> list[MasterMeter]:
    """Every master meter of the market with its building. Permission: view losses."""
    require(actor, May.VIEW_LOSSES)
    rows = session.execute(
        select(Meter.id, Meter.address, Meter.kind, Building.id, Building.name)
        .join(Building, Building.id == Meter.master_of_building_id)
        .where(Meter.site_id == actor.site_id, Meter.is_active)
        .order_by(Building.name, Meter.kind, Meter.address)
    ).all()
    return [
        MasterMeter(mid, addr, MeterKind(kind), bid, name) for mid, addr, kind, bid, name in rows
    ]


@dataclass(frozen=True, slots=True)
class FreeMeter:
    """A meter bound to no stall: a master meter, or one that could be marked as one."""

    meter_id: int
    address: str
    kind: MeterKind
    building_id: int | None


def meters_without_stall(session: Session, actor: Actor) -> list[FreeMeter]:
    """The market's active meters bound to no stall. Permission: view losses."""
    require(actor, May.VIEW_LOSSES)
    rows = session.execute(
        select(Meter.id, Meter.address, Meter.kind, Meter.master_of_building_id)
        .where(Meter.site_id == actor.site_id, Meter.is_active, Meter.stall_id.is_(None))
        .order_by(Meter.address)
    ).all()
    return [FreeMeter(mid, a, MeterKind(k), b) for mid, a, k, b in rows]


def set_master_meter(
    session: Session, actor: Actor, meter_id: int, building_id: int | None
) -> None:
    """Mark a meter bound to no stall as the master meter (总表) of a building, or None to
    unmark it. Permission: edit meters. Transaction: the caller's. Audit: meter.master_of."""
    require(actor, May.EDIT_METERS)
    meter = session.get(Meter, meter_id)
    if meter is None or meter.site_id != actor.site_id:
        raise NotFound(METER_NOT_FOUND, meter_id=meter_id)
    if building_id is not None:
        _building(session, actor, building_id)
        if meter.stall_id is not None:
            raise ServiceError(STALL_METER_CANNOT_BE_MASTER, address=meter.address)
    before = meter.master_of_building_id
    meter.master_of_building_id = building_id
    audit(session, actor, "meter.master_of", "meter", meter.id, before=before, after=building_id)


def set_loss_threshold(
    session: Session, actor: Actor, building_id: int, percent: Decimal | str
) -> Decimal:
    """The loss percentage above which a building's days and months are flagged.
    Permission: edit buildings. Transaction: the caller's. Audit: building.loss_threshold."""
    require(actor, May.EDIT_BUILDINGS)
    b = _building(session, actor, building_id)
    try:
        value = Decimal(str(percent).strip())
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= 100 or value != round(value, 2):
        raise ServiceError(THRESHOLD_NOT_VALID)
    before = b.loss_threshold_pct
    b.loss_threshold_pct = value
    audit(
        session,
        actor,
        "building.loss_threshold",
        "building",
        b.id,
        before=str(before),
        after=str(value),
    )
    return value


def _meters(session: Session, building: Building, kind: MeterKind) -> tuple[list[int], list[int]]:
    masters = list(
        session.scalars(
            select(Meter.id).where(Meter.master_of_building_id == building.id, Meter.kind == kind)
        )
    )
    # every meter a stall had in the period, replaced ones too, as a shared-cost pool reads
    subs = list(
        session.scalars(
            select(Meter.id)
            .join(Stall, Stall.id == Meter.stall_id)
            .where(Stall.building_id == building.id, Meter.kind == kind)
        )
    )
    return masters, subs


def _row(first: date, last: date, master: Decimal, stalls: Decimal, threshold: Decimal) -> LossRow:
    loss = master - stalls
    percent = (loss * HUNDRED / master).quantize(Decimal("0.01")) if master else None
    return LossRow(
        first, last, master, stalls, loss, percent, percent is not None and percent > threshold
    )


def _months(first: date, last: date) -> list[tuple[date, date]]:
    out = []
    start = first.replace(day=1)
    while start <= last:
        nxt = (start + timedelta(days=32)).replace(day=1)
        out.append((max(start, first), min(nxt - timedelta(days=1), last)))
        start = nxt
    return out


def building_losses(
    session: Session,
    actor: Actor,
    building_id: int,
    kind: MeterKind,
    first: date,
    last: date,
    *,
    monthly: bool = False,
) -> BuildingLosses:
    """The building's loss per day (or per month) from `first` to `last`, oldest first; days
    the master meter has no reading are left out. Permission: view losses. Read only."""
    require(actor, May.VIEW_LOSSES)
    building = _building(session, actor, building_id)
    masters, subs = _meters(session, building, kind)
    if not masters:
        raise ServiceError(NO_MASTER_METER, building=building.name, kind=METER_KIND[kind])
    threshold = building.loss_threshold_pct
    rows: list[LossRow] = []
    if monthly:
        for a, b in _months(first, last):
            used = period_usage(session, masters + subs, a, b)
            if not any(m in used for m in masters):
                continue
            master = sum((used.get(m, Decimal(0)) for m in masters), Decimal(0))
            stalls = sum((used.get(m, Decimal(0)) for m in subs), Decimal(0))
            rows.append(_row(a, b, master, stalls, threshold))
    else:
        daily = daily_usage(session, masters + subs, first, last)
        days = sorted({d for m in masters for d in daily.get(m, {})})
        for d in days:
            master = sum((daily[m].get(d, Decimal(0)) for m in masters), Decimal(0))
            stalls = sum((daily.get(m, {}).get(d, Decimal(0)) for m in subs), Decimal(0))
            rows.append(_row(d, d, master, stalls, threshold))
    return BuildingLosses(building.id, building.name, kind, threshold, tuple(masters), tuple(rows))


def pools_for(
    session: Session, actor: Actor, building_id: int, kind: MeterKind
) -> list[tuple[int, str]]:
    """The active shared-cost pools metered by the building's master meters: where its
    loss can go. Permission: view losses."""
    require(actor, May.VIEW_LOSSES)
    building = _building(session, actor, building_id)
    masters, _ = _meters(session, building, kind)
    return list(
        session.execute(
            select(SharedPool.id, SharedPool.name)
            .where(
                SharedPool.site_id == actor.site_id,
                SharedPool.is_active,
                SharedPool.kind == kind,
                SharedPool.master_meter_id.in_(masters),
            )
            .order_by(SharedPool.name)
        ).all()
    )


def take_loss_into_pool(
    session: Session,
    actor: Actor,
    building_id: int,
    pool_id: int,
    first: date,
    last: date,
) -> shared_costs.RunInfo:
    """Share the building's loss of `first`..`last` among its stalls through the pool its
    master meter meters: the pool's shared bills are generated (unprocessed) for exactly
    that usage. Refused when the pool's figure is not the building's loss (its stalls
    differ) or there is no loss. Permission: generate shared-cost bills (checked by the
    shared-cost service too). Transaction: the caller's. Audit: loss.take_into_pool and
    the shared cost's own shared_run.generate."""
    require(actor, May.GENERATE_SHARED_COST_BILLS)
    building = _building(session, actor, building_id)
    pool = session.get(SharedPool, pool_id)
    if pool is None or pool.site_id != actor.site_id:
        raise NotFound(shared_costs.SHARED_COST_WAS_NOT_FOUND)
    masters, subs = _meters(session, building, pool.kind)
    if pool.master_meter_id not in masters:
        raise ServiceError(POOL_NOT_OF_MASTER, pool=pool.name, building=building.name)
    used = period_usage(session, masters + subs, first, last)
    loss = used.get(pool.master_meter_id, Decimal(0)) - sum(
        (used.get(m, Decimal(0)) for m in subs), Decimal(0)
    )
    unit = UNIT[pool.kind]
    if loss <= 0:
        raise ServiceError(
            NO_LOSS, building=building.name, start=first, end=last, loss=loss, unit=unit
        )
    figures = shared_costs.pool_figures(session, actor, pool.id, first, last)
    if figures.pool_usage != loss:
        raise ServiceError(
            POOL_USAGE_DIFFERS,
            pool=pool.name,
            pool_usage=figures.pool_usage,
            unit=unit,
            building=building.name,
            start=first,
            end=last,
            loss=loss,
        )
    run = shared_costs.generate_shared_bills(session, actor, pool.id, first, last)
    audit(
        session,
        actor,
        "loss.take_into_pool",
        "shared_run",
        run.run_id,
        building=building.name,
        pool=pool.name,
        start=first,
        end=last,
        loss=loss,
        amount=run.amount,
    )
    return run


def flagged(rows: Sequence[LossRow]) -> int:
    return sum(1 for r in rows if r.is_flagged)
