"""Tariffs (电价 / 水价) and pricing a usage under them.

Flat: one price. Time-of-use (分时): rates 1..4 = 尖 峰 平 谷, each with a price; the
quantity per rate comes from the meter's tariff registers or, for a meter without them,
from its readings attributed by the tariff's periods of the day. Tiered (阶梯): monthly
blocks, the month's cumulative usage decides the block, and one settlement that crosses a
block boundary is split. Money is rounded once per priced part, with round_fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.billing import ChargeItem, ChargeMethod, StallCharge
from app.models.money import AmountError, round_fen
from app.models.site import Building, Stall
from app.models.tariff import RATE_NAMES, Tariff, TariffMode, TariffPeriod, TariffRate, TariffTier
from app.services.market.stall_codes import code_key
from app.services.money.amounts import parse_amount
from app.services.platform.audit import audit
from app.services.platform.change_feed import remembered
from app.services.platform.context import Actor, Conflict, May, NotFound, ServiceError, require
from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Said, Word

TARIFF_NO_NAME_TYPE_NAME = Word(
    "tariffs.tariff_no_name_type_name",
    QT_TRANSLATE_NOOP("Errors", "The tariff has no name. Type a name"),
)
TARIFF_NEGATIVE_PRICE_CHECK_PRICES = Word(
    "tariffs.tariff_negative_price_check_prices",
    QT_TRANSLATE_NOOP(
        "Errors", "Tariff “{spec_name}” has a negative price. Check the prices and type them again"
    ),
)
TARIFF_NAMED_ALREADY_EXISTS_CHOOSE = Word(
    "tariffs.tariff_named_already_exists_choose",
    QT_TRANSLATE_NOOP("Errors", "A tariff named “{spec_name}” already exists. Choose another name"),
)
TARIFF_ID_NOT_FOUND_REFRESH = Word(
    "tariffs.tariff_id_not_found_refresh",
    QT_TRANSLATE_NOOP(
        "Errors", "Tariff (id {tariff_id}) not found. Refresh the list and try again"
    ),
)
CHARGE_ITEM_ID_NOT_FOUND = Word(
    "tariffs.charge_item_id_not_found",
    QT_TRANSLATE_NOOP(
        "Errors", "Charge item (id {item_id}) not found. Refresh the list and try again"
    ),
)
CHARGE_ITEM_NAME_REQUIRED_AT = Word(
    "tariffs.charge_item_name_required_at",
    QT_TRANSLATE_NOOP(
        "Errors", "The charge item name is required, at most 60 characters. Fill it in"
    ),
)
CHARGE_ITEM_NAMED_ALREADY_EXISTS = Word(
    "tariffs.charge_item_named_already_exists",
    QT_TRANSLATE_NOOP("Errors", "A charge item named “{name}” already exists. Choose another name"),
)
UNIT_CAN_HAVE_AT_MOST = Word(
    "tariffs.unit_can_have_at_most",
    QT_TRANSLATE_NOOP(
        "Errors", "The unit can have at most 10 characters, e.g. piece or barrel. Shorten it"
    ),
)
SAME_STALL_LISTED_TWICE_STALL = Word(
    "tariffs.same_stall_listed_twice_stall",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The same stall is listed twice (stall codes ignore case). Keep one line per stall",
    ),
)
STALLS_NOT_FOUND_CHECK_STALL = Word(
    "tariffs.stalls_not_found_check_stall",
    QT_TRANSLATE_NOOP("Errors", "Stalls not found: {p2}. Check the stall codes"),
)
TIME_USE_TARIFF_NEEDS_PRICES = Word(
    "tariffs.time_use_tariff_needs_prices",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A time-of-use tariff needs prices for sharp, peak, flat and valley (rates 1–4). Fill in "
        "all four",
    ),
)
TIME_USE_PERIODS_AT_MOST = Word(
    "tariffs.time_use_periods_at_most",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Time-of-use periods: at most 8, each starting between 00:00 and 23:59 at a rate that has "
        "a price. Correct the periods",
    ),
)
TIERS_MUST_GO_FROM_SMALLEST = Word(
    "tariffs.tiers_must_go_from_smallest",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Tiers must go from the smallest usage limit to the largest; only the last tier may have "
        "no limit. Correct the tiers",
    ),
)
BUILDING_ID_NOT_FOUND_REFRESH = Word(
    "tariffs.building_id_not_found_refresh",
    QT_TRANSLATE_NOOP(
        "Errors", "Building (id {spec_building_id}) not found. Refresh and try again"
    ),
)
QUANTITIES_PER_STALL_ONLY_FOR = Word(
    "tariffs.quantities_per_stall_only_for",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Quantities per stall are only for charge items billed per unit. Clear the quantities or "
        "choose billing per unit",
    ),
)
QUANTITY_STALL_NOT_VALID_TYPE = Word(
    "tariffs.quantity_stall_not_valid_type",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Quantity “{value}” of stall {p_code} is not valid. Type more than zero, with at most "
        "three decimals",
    ),
)
PERIOD_NOT_WRITTEN_RIGHT = Word(
    "tariffs.period_not_written_right",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Period “{part}” is not written right. Write it like 08:00=2 (rate 1–4), with commas "
        "between periods",
    ),
)
TIER_NOT_WRITTEN_RIGHT = Word(
    "tariffs.tier_not_written_right",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Tier “{part}” is not written right. Write it like 200=0.60, and the last tier like =1.00",
    ),
)
UNITS_NOT_WRITTEN_RIGHT = Word(
    "tariffs.units_not_written_right",
    QT_TRANSLATE_NOOP(
        "Errors",
        "“{part}” is not written right. Write stall code=quantity, e.g. A01=2, with commas "
        "between stalls",
    ),
)
# What a typed number is, as the amount rule's message names it
PRICE = Word("tariffs.price", QT_TRANSLATE_NOOP("Errors", "The price"))
USAGE_LIMIT = Word("tariffs.usage_limit", QT_TRANSLATE_NOOP("Errors", "The usage limit"))
PRICE_OF_RATE = Word("tariffs.price_of_rate", QT_TRANSLATE_NOOP("Errors", "The price of {rate}"))
QUANTITY_STALL_NOT_NUMBER_TYPE = Word(
    "tariffs.quantity_stall_not_number_type",
    QT_TRANSLATE_NOOP(
        "Errors", "Quantity “{value}” of stall {p_code} is not a number. Type a number such as 2"
    ),
)
THE_PRICE = Word("tariffs.the_price", QT_TRANSLATE_NOOP("Errors", "The price"))
# A priced part of a usage: a bill line's description, stored as the word (stored_text).
RATE_PART = Word("tariffs.rate_part", QT_TRANSLATE_NOOP("Labels", "{rate} period {unit}"))
TIER_PART = Word("tariffs.tier_part", QT_TRANSLATE_NOOP("Labels", "Tier {level} {unit}"))
USAGE_PART = Word("tariffs.usage_part", QT_TRANSLATE_NOOP("Labels", "Usage {unit}"))
# what a person may be refused, said in PermissionDenied
ADD_TARIFFS = Word("tariffs.add_tariffs", QT_TRANSLATE_NOOP("Errors", "add tariffs"))
EDIT_TARIFFS = Word("tariffs.edit_tariffs", QT_TRANSLATE_NOOP("Errors", "edit tariffs"))
ADD_CHARGE_ITEMS = Word("tariffs.add_charge_items", QT_TRANSLATE_NOOP("Errors", "add charge items"))
EDIT_CHARGE_ITEMS = Word(
    "tariffs.edit_charge_items", QT_TRANSLATE_NOOP("Errors", "edit charge items")
)
DELETE_CHARGE_ITEMS = Word(
    "tariffs.delete_charge_items", QT_TRANSLATE_NOOP("Errors", "delete charge items")
)

ZERO_QTY = Decimal("0.000")
UNIT = {MeterKind.ELECTRIC: "kWh", MeterKind.WATER: "m³"}
# Register units per billed unit: electricity registers count 0.01 kWh, water litres.
REGISTER_PER_UNIT = {MeterKind.ELECTRIC: 100, MeterKind.WATER: 1000}


def register_quantity(kind: MeterKind, registers: int, ct_ratio: int = 1) -> Decimal:
    """Register units × ct_ratio as kWh or m³, exact to 0.001."""
    return (Decimal(registers * ct_ratio) / REGISTER_PER_UNIT[kind]).quantize(Decimal("0.001"))


@dataclass(frozen=True, slots=True)
class TariffPlan:
    """A tariff as plain data, safe to keep across sessions and threads."""

    id: int
    name: str
    kind: MeterKind
    mode: TariffMode
    price: Decimal
    rate_prices: dict[int, Decimal]
    periods: tuple[tuple[int, int], ...]  # (start_minute, rate), sorted
    tiers: tuple[tuple[Decimal | None, Decimal], ...]  # (up_to, price), by level

    def rate_at_minute(self, minute: int) -> int:
        rate = self.periods[-1][1] if self.periods else 3
        for start, r in self.periods:
            if start <= minute:
                rate = r
            else:
                break
        return rate


@dataclass(frozen=True, slots=True)
class PricedPart:
    """One line of a bill: a quantity at one price (one rate, or one tier block)."""

    description: Said  # put into words where shown; stored as the word (stored_text)
    quantity: Decimal
    price: Decimal
    amount: Decimal


def plan_of(tariff: Tariff) -> TariffPlan:
    return TariffPlan(
        id=tariff.id,
        name=tariff.name,
        kind=MeterKind(tariff.kind),
        mode=TariffMode(tariff.mode),
        price=tariff.price,
        rate_prices={r.rate: r.price for r in tariff.rates},
        periods=tuple(sorted((p.start_minute, p.rate) for p in tariff.periods)),
        tiers=tuple((t.up_to, t.price) for t in sorted(tariff.tiers, key=lambda t: t.level)),
    )


def load_plans(session: Session, tariff_ids: Iterable[int | None]) -> dict[int, TariffPlan]:
    """The plans of these tariffs, as `plan_of` makes them, read as plain rows: every
    available balance (a stall card, a portal page, control) prices through here, and
    mapped tariffs with their three collections cost several times the rows' reading."""
    ids = frozenset(i for i in tariff_ids if i is not None)
    if not ids:
        return {}
    return remembered(session, ("tariff plans", ids), lambda: _read_plans(session, ids))


def _read_plans(session: Session, ids: frozenset[int]) -> dict[int, TariffPlan]:
    rates: dict[int, dict[int, Decimal]] = {i: {} for i in ids}
    periods: dict[int, list[tuple[int, int]]] = {i: [] for i in ids}
    tiers: dict[int, list[tuple[int, Decimal | None, Decimal]]] = {i: [] for i in ids}
    for tid, rate, price in session.execute(
        select(TariffRate.tariff_id, TariffRate.rate, TariffRate.price).where(
            TariffRate.tariff_id.in_(ids)
        )
    ):
        rates[tid][rate] = price
    for tid, start, rate in session.execute(
        select(TariffPeriod.tariff_id, TariffPeriod.start_minute, TariffPeriod.rate).where(
            TariffPeriod.tariff_id.in_(ids)
        )
    ):
        periods[tid].append((start, rate))
    for tid, level, up_to, price in session.execute(
        select(TariffTier.tariff_id, TariffTier.level, TariffTier.up_to, TariffTier.price).where(
            TariffTier.tariff_id.in_(ids)
        )
    ):
        tiers[tid].append((level, up_to, price))
    return {
        tid: TariffPlan(
            id=tid,
            name=name,
            kind=MeterKind(kind),
            mode=TariffMode(mode),
            price=price,
            rate_prices=dict(sorted(rates[tid].items())),
            periods=tuple(sorted(periods[tid])),
            tiers=tuple((up_to, p) for _level, up_to, p in sorted(tiers[tid], key=lambda t: t[0])),
        )
        for tid, name, kind, mode, price in session.execute(
            select(Tariff.id, Tariff.name, Tariff.kind, Tariff.mode, Tariff.price).where(
                Tariff.id.in_(ids)
            )
        )
    }


def attribute_by_period(
    plan: TariffPlan, readings: Sequence[tuple[datetime, int]], tz: ZoneInfo
) -> dict[int, int]:
    """Register units per rate for a meter without tariff registers: each interval between
    two readings goes to the rate of the period holding its midpoint (30-minute readings
    make the error at most one interval per period change)."""
    out: dict[int, int] = {}
    for (t0, v0), (t1, v1) in zip(readings, readings[1:], strict=False):
        mid = (t0 + (t1 - t0) / 2).astimezone(tz)
        rate = plan.rate_at_minute(mid.hour * 60 + mid.minute)
        out[rate] = out.get(rate, 0) + (v1 - v0)
    return out


def price_usage(
    plan: TariffPlan,
    quantity: Decimal,
    *,
    rate_quantities: dict[int, Decimal] | None = None,
    month_used: Decimal = ZERO_QTY,
) -> list[PricedPart]:
    """Price `quantity` (kWh or m³, ct applied) under `plan`.

    TOU needs `rate_quantities` (per rate 1..4); when they do not add up to `quantity`
    (the meter rounds each register separately) the difference goes to the rate with the
    most usage, so the billed quantity is always the total register difference. Tiered
    needs `month_used`: what this meter has already been billed this month.
    """
    unit = UNIT[plan.kind]
    if quantity == 0:
        return []
    if plan.mode is TariffMode.TOU:
        qty = dict(rate_quantities or {})
        if not qty:
            qty = {3: quantity}
        diff = quantity - sum(qty.values(), ZERO_QTY)
        if diff:
            biggest = max(qty, key=lambda r: qty[r])
            qty[biggest] += diff
        parts = []
        for rate in sorted(qty):
            q = qty[rate]
            if q == 0:
                continue
            price = plan.rate_prices.get(rate, plan.price)
            name = RATE_NAMES[rate - 1] if 1 <= rate <= 4 else str(rate)
            parts.append(
                PricedPart(RATE_PART(rate=name, unit=unit), q, price, round_fen(q * price))
            )
        return parts
    if plan.mode is TariffMode.TIERED and plan.tiers:
        parts = []
        pos, left = month_used, quantity
        for level, (up_to, price) in enumerate(plan.tiers, start=1):
            if up_to is not None and pos >= up_to:
                continue
            room = left if up_to is None else min(left, up_to - pos)
            parts.append(
                PricedPart(
                    TIER_PART(level=level, unit=unit),
                    room,
                    price,
                    round_fen(room * price),
                )
            )
            pos, left = pos + room, left - room
            if left == 0:
                break
        if left > 0:  # beyond the last block's limit: the last block's price
            price = plan.tiers[-1][1]
            parts.append(
                PricedPart(
                    TIER_PART(level=len(plan.tiers), unit=unit),
                    left,
                    price,
                    round_fen(left * price),
                )
            )
        return parts
    return [
        PricedPart(
            USAGE_PART(unit=unit),
            quantity,
            plan.price,
            round_fen(quantity * plan.price),
        )
    ]


# ── CRUD ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class TariffSpec:
    """What the admin types in the tariff dialog."""

    name: str
    kind: MeterKind
    mode: TariffMode
    price: Decimal
    rate_prices: dict[int, Decimal] | None = None  # TOU: {1: 尖, 2: 峰, 3: 平, 4: 谷}
    periods: Sequence[tuple[int, int]] = ()  # TOU: (start_minute, rate)
    tiers: Sequence[tuple[Decimal | None, Decimal]] = ()  # tiered: (up_to, price)


def parse_price(text: str, what: Word = PRICE, **params) -> Decimal:
    """A price (yuan, four decimals, zero allowed) or a usage limit, by the one amount rule."""
    return parse_amount(
        text,
        allow_zero=True,
        places=4,
        maximum=None,
        what=what.say(CHINESE, **params),
        what_en=what.say(ENGLISH, **params),
    )


def _parts(text: str) -> list[str]:
    return [p for p in (p.strip() for p in text.replace("，", ",").split(",")) if p]


def parse_periods(text: str) -> list[tuple[int, int]]:
    """ "08:00=峰, 22:00=谷" (a rate by its name or number 1–4) → [(start_minute, rate)]."""
    periods = []
    for part in _parts(text):
        try:
            clock, rate = part.split("=")
            hh, mm = clock.strip().split(":")
            rate = rate.strip()
            rate_no = RATE_NAMES.index(rate) + 1 if rate in RATE_NAMES else int(rate)
            periods.append((int(hh) * 60 + int(mm), rate_no))
        except ValueError:
            raise ServiceError(PERIOD_NOT_WRITTEN_RIGHT, part=part) from None
    return periods


def parse_tiers(text: str) -> list[tuple[Decimal | None, Decimal]]:
    """ "200=0.60, 400=0.80, =1.00" (the last tier has no limit) → [(up_to, price)]."""
    tiers = []
    for part in _parts(text):
        if "=" not in part:
            raise ServiceError(TIER_NOT_WRITTEN_RIGHT, part=part)
        up_to, price = part.split("=")
        tiers.append(
            (parse_price(up_to, USAGE_LIMIT) if up_to.strip() else None, parse_price(price))
        )
    return tiers


def read_tariff(
    name: str,
    kind: MeterKind,
    mode: TariffMode,
    price: str,
    rate_prices: Mapping[int, str],
    periods: str,
    tiers: str,
) -> TariffSpec:
    """The tariff as the admin typed it (prices and limits as text, periods and tiers on one
    line each); only what the mode uses is read."""
    rates = {
        r: parse_price(t, PRICE_OF_RATE, rate=RATE_NAMES[r - 1])
        for r, t in rate_prices.items()
        if t.strip()
    }
    tier_list = parse_tiers(tiers) if mode is TariffMode.TIERED else []
    flat = parse_price(price or (str(tier_list[0][1]) if tier_list else "0"))
    return TariffSpec(
        name,
        kind,
        mode,
        flat,
        rates if mode is TariffMode.TOU else None,
        parse_periods(periods) if mode is TariffMode.TOU else (),
        tier_list,
    )


def parse_stall_units(text: str) -> dict[str, str]:
    """ "A01=2, A02=1" → {"A01": "2", "A02": "1"} (the charge item's save checks the numbers)."""
    units = {}
    for part in _parts(text.replace("；", ",")):
        code, sep, n = part.partition("=")
        if not sep or not code.strip() or not n.strip():
            raise ServiceError(UNITS_NOT_WRITTEN_RIGHT, part=part)
        units[code.strip()] = n.strip()
    return units


def _check(spec: TariffSpec) -> None:
    if not spec.name.strip():
        raise ServiceError(TARIFF_NO_NAME_TYPE_NAME, code="invalid")
    prices = [spec.price, *(spec.rate_prices or {}).values(), *(p for _, p in spec.tiers)]
    if any(p < 0 for p in prices):
        raise ServiceError(TARIFF_NEGATIVE_PRICE_CHECK_PRICES, code="invalid", spec_name=spec.name)
    if spec.mode is TariffMode.TOU:
        if not spec.rate_prices or any(r not in (1, 2, 3, 4) for r in spec.rate_prices):
            raise ServiceError(TIME_USE_TARIFF_NEEDS_PRICES, code="invalid")
        if len(spec.periods) > 8 or any(
            not 0 <= m < 1440 or r not in spec.rate_prices for m, r in spec.periods
        ):
            raise ServiceError(TIME_USE_PERIODS_AT_MOST, code="invalid")
    if spec.mode is TariffMode.TIERED:
        limits = [u for u, _ in spec.tiers]
        if (
            not spec.tiers
            or any(u is None for u in limits[:-1])
            or limits[:-1] != sorted(limits[:-1])
        ):
            raise ServiceError(TIERS_MUST_GO_FROM_SMALLEST, code="invalid")


def _fill(tariff: Tariff, spec: TariffSpec) -> None:
    tariff.name, tariff.kind, tariff.mode, tariff.price = (
        spec.name.strip(),
        spec.kind,
        spec.mode,
        spec.price,
    )
    tariff.rates = [
        TariffRate(rate=r, price=p) for r, p in sorted((spec.rate_prices or {}).items())
    ]
    tariff.periods = [TariffPeriod(start_minute=m, rate=r) for m, r in sorted(spec.periods)]
    tariff.tiers = [
        TariffTier(level=i, up_to=u, price=p) for i, (u, p) in enumerate(spec.tiers, start=1)
    ]


def _detail(spec: TariffSpec) -> dict:
    return {
        "name": spec.name,
        "kind": str(spec.kind),
        "mode": str(spec.mode),
        "price": str(spec.price),
        "rate_prices": {str(k): str(v) for k, v in (spec.rate_prices or {}).items()},
        "periods": [list(p) for p in spec.periods],
        "tiers": [[None if u is None else str(u), str(p)] for u, p in spec.tiers],
    }


def create_tariff(session: Session, actor: Actor, spec: TariffSpec) -> TariffPlan:
    """Add a tariff. Admin only. Caller's transaction. Audit: tariff.create."""
    require(actor, May.ADD_TARIFFS)
    _check(spec)
    if session.scalar(
        select(Tariff.id).where(Tariff.site_id == actor.site_id, Tariff.name == spec.name.strip())
    ):
        raise Conflict(TARIFF_NAMED_ALREADY_EXISTS_CHOOSE, spec_name=spec.name)
    tariff = Tariff(site_id=actor.site_id)
    _fill(tariff, spec)
    session.add(tariff)
    session.flush()
    audit(session, actor, "tariff.create", "tariff", tariff.id, **_detail(spec))
    return plan_of(tariff)


def update_tariff(session: Session, actor: Actor, tariff_id: int, spec: TariffSpec) -> TariffPlan:
    """Change a tariff; unsettled usage is priced at it from now on. Admin only. Caller's
    transaction. Audit: tariff.update with the old and the new values."""
    require(actor, May.EDIT_TARIFFS)
    _check(spec)
    tariff = session.get(Tariff, tariff_id)
    if tariff is None or tariff.site_id != actor.site_id:
        raise NotFound(TARIFF_ID_NOT_FOUND_REFRESH, tariff_id=tariff_id)
    before = plan_of(tariff)
    _fill(tariff, spec)
    session.flush()
    old = TariffSpec(
        before.name,
        before.kind,
        before.mode,
        before.price,
        before.rate_prices,
        before.periods,
        before.tiers,
    )
    audit(
        session,
        actor,
        "tariff.update",
        "tariff",
        tariff.id,
        before=_detail(old),
        after=_detail(spec),
    )
    return plan_of(tariff)


def list_tariffs(session: Session, site_id: int) -> list[TariffPlan]:
    return [
        plan_of(t)
        for t in session.scalars(
            select(Tariff).where(Tariff.site_id == site_id).order_by(Tariff.name)
        )
    ]


# -- charge items (收费项目) --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ChargeItemSpec:
    """What the admin types in the charge-item dialog. `stall_units`: for a per-unit item,
    stall code → units (e.g. {"A01": 2} for two bins); replaces the item's list."""

    name: str
    method: ChargeMethod
    price: Decimal | str
    unit_name: str = ""
    building_id: int | None = None  # None: every building
    is_active: bool = True
    stall_units: dict[str, Decimal | str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChargeItemDetail:
    id: int
    name: str
    method: ChargeMethod
    price: Decimal
    unit_name: str
    building_id: int | None
    is_active: bool
    stall_units: dict[str, Decimal]


def charge_item(session: Session, site_id: int, item_id: int) -> ChargeItemDetail:
    """One charge item with its stalls' units, for the edit dialog. Permission: any user."""
    item = session.get(ChargeItem, item_id)
    if item is None or item.site_id != site_id:
        raise NotFound(CHARGE_ITEM_ID_NOT_FOUND, item_id=item_id)
    units = dict(
        session.execute(
            select(Stall.code, StallCharge.units)
            .join(Stall, Stall.id == StallCharge.stall_id)
            .where(StallCharge.charge_item_id == item.id)
            .order_by(Stall.code)
        ).all()
    )
    return ChargeItemDetail(
        item.id,
        item.name,
        item.method,
        item.price,
        item.unit_name,
        item.building_id,
        item.is_active,
        units,
    )


def create_charge_item(session: Session, actor: Actor, spec: ChargeItemSpec) -> int:
    """Add a charge item; it is billed from the next generated month. Permission: admin.
    Transaction: the caller's. Audit: charge_item.create."""
    require(actor, May.ADD_CHARGE_ITEMS)
    item = ChargeItem(site_id=actor.site_id)
    after = _fill_charge_item(session, actor, item, spec)
    session.add(item)
    session.flush()
    _set_stall_units(session, item, after["stall_units"], actor)
    audit(session, actor, "charge_item.create", "charge_item", item.id, **after)
    return item.id


def update_charge_item(session: Session, actor: Actor, item_id: int, spec: ChargeItemSpec) -> int:
    """Change a charge item; bills already generated keep their amounts. Permission: admin.
    Transaction: the caller's. Audit: charge_item.update with before and after."""
    require(actor, May.EDIT_CHARGE_ITEMS)
    item = session.get(ChargeItem, item_id)
    if item is None or item.site_id != actor.site_id:
        raise NotFound(CHARGE_ITEM_ID_NOT_FOUND, item_id=item_id)
    old = charge_item(session, actor.site_id, item_id)
    before = {
        "name": old.name,
        "method": str(old.method),
        "price": old.price,
        "unit_name": old.unit_name,
        "building_id": old.building_id,
        "is_active": old.is_active,
        "stall_units": old.stall_units,
    }
    after = _fill_charge_item(session, actor, item, spec)
    session.flush()
    _set_stall_units(session, item, after["stall_units"], actor)
    audit(session, actor, "charge_item.update", "charge_item", item.id, before=before, after=after)
    return item.id


def delete_charge_item(session: Session, actor: Actor, item_id: int) -> None:
    """Delete a charge item and its stalls' units; bills already generated stay as they
    are (they keep the item's name). Permission: admin. Audit: charge_item.delete."""
    require(actor, May.DELETE_CHARGE_ITEMS)
    item = session.get(ChargeItem, item_id)
    if item is None or item.site_id != actor.site_id:
        raise NotFound(CHARGE_ITEM_ID_NOT_FOUND, item_id=item_id)
    audit(
        session,
        actor,
        "charge_item.delete",
        "charge_item",
        item.id,
        name=item.name,
        method=str(item.method),
        price=item.price,
    )
    session.execute(delete(StallCharge).where(StallCharge.charge_item_id == item.id))
    session.delete(item)
    session.flush()


def _fill_charge_item(
    session: Session, actor: Actor, item: ChargeItem, spec: ChargeItemSpec
) -> dict:
    name = (spec.name or "").strip()
    if not name or len(name) > 60:
        raise ServiceError(CHARGE_ITEM_NAME_REQUIRED_AT, code="invalid")
    other = session.scalar(
        select(ChargeItem.id).where(ChargeItem.site_id == actor.site_id, ChargeItem.name == name)
    )
    if other is not None and other != item.id:
        raise Conflict(CHARGE_ITEM_NAMED_ALREADY_EXISTS, name=name)
    method = ChargeMethod(spec.method)
    try:
        price = parse_amount(spec.price, places=4, maximum=Decimal("1000000"), what=THE_PRICE)
    except AmountError as exc:
        raise ServiceError(exc, code="invalid_amount") from None
    if spec.building_id is not None:
        building = session.get(Building, spec.building_id)
        if building is None or building.site_id != actor.site_id:
            raise NotFound(BUILDING_ID_NOT_FOUND_REFRESH, spec_building_id=spec.building_id)
    unit_name = (spec.unit_name or "").strip()
    if len(unit_name) > 10:
        raise ServiceError(UNIT_CAN_HAVE_AT_MOST, code="invalid")
    units = {}
    if method is ChargeMethod.PER_UNIT:
        for code, value in spec.stall_units.items():
            try:
                n = Decimal(str(value).strip())
            except ArithmeticError:
                raise ServiceError(
                    QUANTITY_STALL_NOT_NUMBER_TYPE, code="invalid", p_code=code, value=value
                ) from None
            if not n.is_finite() or n <= 0 or n != n.quantize(Decimal("0.001")):
                raise ServiceError(
                    QUANTITY_STALL_NOT_VALID_TYPE, code="invalid", p_code=code, value=value
                )
            units[str(code).strip()] = n
    elif spec.stall_units:
        raise ServiceError(QUANTITIES_PER_STALL_ONLY_FOR, code="invalid")
    item.name, item.method, item.price, item.unit_name = name, method, price, unit_name
    item.building_id, item.is_active = spec.building_id, bool(spec.is_active)
    return {
        "name": name,
        "method": str(method),
        "price": price,
        "unit_name": unit_name,
        "building_id": spec.building_id,
        "is_active": item.is_active,
        "stall_units": units,
    }


def _set_stall_units(
    session: Session, item: ChargeItem, units: dict[str, Decimal], actor: Actor
) -> None:
    keys = {code_key(c) for c in units}
    if len(keys) < len(units):
        raise ServiceError(SAME_STALL_LISTED_TWICE_STALL, code="invalid")
    stall_ids = dict(
        session.execute(
            select(func.upper(Stall.code), Stall.id).where(
                Stall.site_id == actor.site_id, func.upper(Stall.code).in_(keys)
            )
        ).all()
    )
    unknown = sorted(c for c in units if code_key(c) not in stall_ids)
    if unknown:
        raise NotFound(
            STALLS_NOT_FOUND_CHECK_STALL, p1="、".join(unknown[:10]), p2=", ".join(unknown[:10])
        )
    session.execute(delete(StallCharge).where(StallCharge.charge_item_id == item.id))
    session.add_all(
        StallCharge(stall_id=stall_ids[code_key(c)], charge_item_id=item.id, units=n)
        for c, n in units.items()
    )
    session.flush()


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
        ChargeItemRow(
            c.id, c.name, str(c.method), c.price, c.unit_name, building or "", c.is_active
        )
        for c, building in session.execute(
            select(ChargeItem, Building.name)
            .outerjoin(Building, Building.id == ChargeItem.building_id)
            .where(ChargeItem.site_id == site_id)
            .order_by(ChargeItem.name)
        )
    ]
