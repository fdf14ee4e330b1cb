"""Unsettled usage and available balance.

A meter's unsettled usage is what it read since its settled registers (plus usage carried
over a register restart), × ct_ratio, priced at its current tariff. A stall's available
balance is its balance minus the unsettled usage of all its meters. Everything here is
bulk: one query per table for any number of stalls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account
from app.models.base import utcnow
from app.models.billing import Bill, BillKind, BillLine, BillStatus
from app.models.money import ZERO
from app.models.site import Site
from app.models.tariff import TariffMode
from app.services.market.readings import readings_between
from app.services.money.tariffs import (
    ZERO_QTY,
    PricedPart,
    TariffPlan,
    attribute_by_period,
    load_plans,
    price_usage,
    register_quantity,
)
from app.services.platform.bulk import Raw, batches, in_ids
from app.services.platform.change_feed import remembered
from app.services.platform.timeutil import local_midnight, month_start, next_month, to_ts, zone


@dataclass(frozen=True, slots=True)
class MeterState:
    """The registers of a meter that usage is computed from, as plain data."""

    id: int
    site_id: int
    stall_id: int | None
    kind: MeterKind
    ct_ratio: int
    tariff_id: int | None
    is_active: bool
    settled_at: datetime | None
    settled_total: int | None
    settled_tariffs: list | None
    last_read_at: datetime | None
    last_total: int | None
    last_tariffs: list | None
    carried_total: int
    carried_tariffs: list | None


def meter_states(
    session: Session,
    *,
    stall_ids: Iterable[int] | None = None,
    meter_ids: Iterable[int] | None = None,
) -> list[MeterState]:
    """States of the meters of `stall_ids` (or of `meter_ids`), replaced meters included:
    their last usage is still to be billed."""
    out: list[MeterState] = []
    if stall_ids is not None:
        column, ids = "stall_id", stall_ids
    elif meter_ids is not None:
        column, ids = "id", meter_ids
    else:
        column, ids = None, None
    raw = Raw(session)
    sql = (
        "SELECT id, site_id, stall_id, kind, ct_ratio, tariff_id, is_active, settled_at, "
        "settled_total, "
        "settled_tariffs, last_read_at, last_total, last_tariffs, carried_total, carried_tariffs "
        "FROM meter"
    )
    for batch in raw.batches(sorted(set(ids))) if ids is not None else [None]:
        if batch is None:
            rows = raw.rows(sql, ())
        else:
            where, params = raw.where_in(column, batch)
            rows = raw.rows(f"{sql} WHERE {where}", params)
        t, j = raw.from_time, raw.from_json
        for (
            mid,
            site_id,
            stall_id,
            kind,
            ct,
            tariff_id,
            active,
            s_at,
            s_total,
            s_tar,
            l_at,
            l_total,
            l_tar,
            c_total,
            c_tar,
        ) in rows:
            out.append(
                MeterState(
                    mid,
                    site_id,
                    stall_id,
                    MeterKind(kind),
                    ct,
                    tariff_id,
                    bool(active),
                    t(s_at),
                    s_total,
                    j(s_tar),
                    t(l_at),
                    l_total,
                    j(l_tar),
                    c_total or 0,
                    j(c_tar),
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class MeterUsage:
    """Usage of one meter between two register readings, priced."""

    meter_id: int
    stall_id: int | None
    kind: MeterKind
    start_total: int | None
    end_total: int | None
    registers: int  # register units billed: end − start + carried (before ct)
    quantity: Decimal  # kWh / m³, ct applied
    amount: Decimal
    parts: tuple[PricedPart, ...]


def register_delta(
    state: MeterState, end_total: int | None, end_tariffs: list | None
) -> tuple[int, list[int] | None]:
    """Register units (and per-rate units) from the settled registers to `end_*`."""
    if state.settled_total is None or end_total is None:
        return state.carried_total, state.carried_tariffs
    delta = end_total - state.settled_total + state.carried_total
    rates = None
    if end_tariffs is not None and state.settled_tariffs is not None:
        carried = state.carried_tariffs or [0, 0, 0, 0]
        rates = [end_tariffs[i] - state.settled_tariffs[i] + carried[i] for i in range(4)]
    return delta, rates


def price_meter(
    state: MeterState,
    plan: TariffPlan | None,
    end_total: int | None,
    end_tariffs: list | None,
    *,
    month_used: Decimal = ZERO_QTY,
    readings: Sequence[tuple[datetime, int]] | None = None,
    tz=None,
) -> MeterUsage:
    """Usage from the settled registers to `end_*`, priced under `plan`. For a TOU meter
    without tariff registers `readings` (from the settled reading on) split it by period."""
    registers, rates = register_delta(state, end_total, end_tariffs)
    quantity = register_quantity(state.kind, registers, state.ct_ratio)
    parts: list[PricedPart] = []
    if plan is not None and quantity:
        rate_quantities = None
        if plan.mode is TariffMode.TOU:
            if rates is not None:
                units = dict(enumerate(rates, start=1))
            elif readings:
                units = attribute_by_period(plan, readings, tz)
            else:
                units = {}
            rate_quantities = {
                r: register_quantity(state.kind, u, state.ct_ratio) for r, u in units.items() if u
            }
        parts = price_usage(plan, quantity, rate_quantities=rate_quantities, month_used=month_used)
    return MeterUsage(
        meter_id=state.id,
        stall_id=state.stall_id,
        kind=state.kind,
        start_total=state.settled_total,
        end_total=end_total,
        registers=registers,
        quantity=quantity,
        amount=sum((p.amount for p in parts), ZERO),
        parts=tuple(parts),
    )


def month_used(
    session: Session, meter_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, Decimal]:
    """Quantity already billed per meter for bills whose period starts in [start, end):
    what decides the tier block of the next usage."""
    out: dict[int, Decimal] = {}
    for batch in batches(session, meter_ids):
        rows = session.execute(
            select(BillLine.meter_id, func.sum(BillLine.quantity))
            .join(Bill, Bill.id == BillLine.bill_id)
            .where(
                in_ids(session, BillLine.meter_id, batch),
                Bill.kind.in_((BillKind.ELECTRIC, BillKind.WATER)),
                Bill.status != BillStatus.VOIDED,
                and_(Bill.period_start >= start, Bill.period_start < end),
            )
            .group_by(BillLine.meter_id)
        )
        for meter_id, qty in rows:
            # A SUM over the scaled column comes back as the raw integer on some backends.
            out[meter_id] = qty if isinstance(qty, Decimal) else Decimal(int(qty)).scaleb(-3)
    return out


def site_zones(session: Session, site_ids: Iterable[int]):
    ids = frozenset(site_ids)
    if not ids:
        return {}
    return remembered(
        session,
        ("time zones", ids),
        lambda: {
            i: zone(tz)
            for i, tz in session.execute(select(Site.id, Site.timezone).where(Site.id.in_(ids)))
        },
    )


def price_states(
    session: Session,
    states: Sequence[MeterState],
    ends: dict[int, tuple[datetime | None, int | None, list | None]] | None = None,
    *,
    now: datetime | None = None,
) -> list[MeterUsage]:
    """Price each meter's usage from its settled registers to `ends[meter_id]`
    (read_at, total, tariffs), by default to its latest reading. Bulk: the tariffs, the
    month's billed quantity for tiered meters and the readings of TOU meters without
    tariff registers are fetched once for all."""
    now = now or utcnow()
    plans = load_plans(session, (s.tariff_id for s in states))
    zones = site_zones(session, (s.site_id for s in states))
    end_of = {}
    for s in states:
        end_of[s.id] = (
            ends[s.id] if ends and s.id in ends else (s.last_read_at, s.last_total, s.last_tariffs)
        )

    tiered: dict[int, list[int]] = defaultdict(list)
    for s in states:
        plan = plans.get(s.tariff_id)
        if plan is not None and plan.mode is TariffMode.TIERED:
            tiered[s.site_id].append(s.id)
    used: dict[int, Decimal] = {}
    for site_id, ids in tiered.items():
        tz = zones[site_id]
        first = month_start(now, tz)
        used.update(
            month_used(
                session, ids, local_midnight(first, tz), local_midnight(next_month(first), tz)
            )
        )

    out = []
    for s in states:
        plan = plans.get(s.tariff_id)
        read_at, end_total, end_tariffs = end_of[s.id]
        readings = None
        if (
            plan is not None
            and plan.mode is TariffMode.TOU
            and (end_tariffs is None or s.settled_tariffs is None)
            and s.settled_at is not None
            and read_at is not None
            and to_ts(read_at) > to_ts(s.settled_at)
        ):
            readings = [
                (r.read_at, r.total) for r in readings_between(session, s.id, s.settled_at, read_at)
            ]
        out.append(
            price_meter(
                s,
                plan,
                end_total,
                end_tariffs,
                month_used=used.get(s.id, ZERO_QTY),
                readings=readings,
                tz=zones.get(s.site_id),
            )
        )
    return out


def unsettled_usage(
    session: Session, stall_ids: Iterable[int], *, now: datetime | None = None
) -> list[MeterUsage]:
    """Unsettled usage of every meter of the stalls, priced at its current tariff."""
    return price_states(session, meter_states(session, stall_ids=stall_ids), now=now)


def available_balances(
    session: Session, stall_ids: Iterable[int], *, now: datetime | None = None
) -> dict[int, Decimal]:
    """The available balance per stall that has an account: balance − unsettled usage. Read only."""
    ids = sorted(set(stall_ids))
    balances: dict[int, Decimal] = {}
    for batch in batches(session, ids):
        balances.update(
            session.execute(
                select(Account.stall_id, Account.balance).where(
                    in_ids(session, Account.stall_id, batch)
                )
            ).all()
        )
    unsettled: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for u in unsettled_usage(session, balances.keys(), now=now):
        unsettled[u.stall_id] += u.amount
    return {stall_id: balance - unsettled[stall_id] for stall_id, balance in balances.items()}
