"""Shared costs (公摊): allocate a pool of common electricity or water to stalls.

Pool of a period (local days, both ends included):
- metered: master meter usage − the member stalls' own meters of the same kind, × the
  pool's price (or the master meter's flat tariff price); sub-meters above the master is
  refused (a wiring or reading fault to find, not money to hand out);
- typed: an amount typed in for the run.

Methods: MANUAL (coefficient per stall), BY_USAGE (each stall's share of the members'
usage in the period), BY_AREA (share of area), FIXED (a fixed amount per stall; the pool
is then their sum). Every allocation sums exactly to the pool: each stall gets the floor
of its exact share in fen, and the fen left over go one each to the largest remainders,
ties to the larger weight, then to the stall listed first (lowest stall code).

Moving in or out during the period (decision): MANUAL, BY_AREA and FIXED weights are
scaled by the days the stall was occupied — from its tenant's `StallRole.since` to its
account's `closed_at` (销户) — over the days of the period; a stall occupied no day of the
period is left out. BY_USAGE needs no scaling: a stall that left uses nothing.

Lifecycle: preview → generate (bills UNPROCESSED) → review (REVIEWED, by a reviewer) →
issue (下发: SETTLED, debited through ledger.post, then control.reconsider) . Before issue
a run can be voided; after issue only reversed by reversing entries with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry
from app.models.base import utcnow
from app.models.billing import Bill, BillKind, BillLine, BillStatus
from app.models.labels import BILL_KIND, SHARE_METHOD, SHARED_RUN_STATUS
from app.models.meter import Meter
from app.models.money import FEN, ZERO, AmountError, round_fen
from app.models.shared_cost import (
    OPEN_RUN,
    SharedPool,
    SharedPoolMember,
    SharedRun,
    SharedRunStatus,
    ShareMethod,
)
from app.models.site import Building, Stall, StallRole, StallRoleKind
from app.models.tariff import Tariff
from app.services.market import control
from app.services.market.stall_codes import CodeIndex
from app.services.money.amounts import MAX_AMOUNT, parse_amount
from app.services.money.ledger import lock_account, post
from app.services.money.monthly_ledger import ensure_month_open, open_month
from app.services.office.reports import period_usage
from app.services.platform.audit import audit
from app.services.platform.context import (
    LIST,
    Actor,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
)
from app.services.platform.timeutil import local_midnight, site_zone
from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Said, Word, stored_text

REASON_FOR_ADDITIONAL_POOL_CAN = Word(
    "shared_costs.reason_for_additional_pool_can",
    QT_TRANSLATE_NOOP(
        "Errors", "The reason for an additional pool can have at most 200 characters. Shorten it"
    ),
)
SHARED_COST_NO_NAME_TYPE = Word(
    "shared_costs.shared_cost_no_name_type",
    QT_TRANSLATE_NOOP(
        "Errors", "The shared cost has no name. Type a name such as “Zone A common lighting”"
    ),
)
SHARED_COST_NAMED_ALREADY_EXISTS = Word(
    "shared_costs.shared_cost_named_already_exists",
    QT_TRANSLATE_NOOP("Errors", "A shared cost named “{name}” already exists. Choose another name"),
)
FIXED_AMOUNT_SHARE_CHARGES_EACH = Word(
    "shared_costs.fixed_amount_share_charges_each",
    QT_TRANSLATE_NOOP(
        "Errors",
        "A fixed-amount share charges each stall its own amount and uses no master meter. Remove "
        "the master meter or choose another way of sharing",
    ),
)
NO_STALLS_SHARE_COST_ADD = Word(
    "shared_costs.no_stalls_share_cost_add",
    QT_TRANSLATE_NOOP(
        "Errors", "No stalls share this cost. Add stalls to the building first, or tick the stalls"
    ),
)
SHARED_COST_WAS_NOT_FOUND = Word(
    "shared_costs.shared_cost_was_not_found",
    QT_TRANSLATE_NOOP("Errors", "That shared cost was not found. Refresh and try again"),
)
PERIOD_ENDS_ON_BEFORE_STARTS = Word(
    "shared_costs.period_ends_on_before_starts",
    QT_TRANSLATE_NOOP(
        "Errors", "The period ends on {end}, before it starts on {start}. Choose the dates again"
    ),
)
SHARED_COST_FROM_ALREADY_GENERATED = Word(
    "shared_costs.shared_cost_from_already_generated",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The shared cost “{pool_name}” from {live_period_start} to {live_period_end} has already "
        "been generated (run {live_id}) and overlaps {start} to {end}. To calculate it again, "
        "void that run first",
    ),
)
PERIOD_OVERLAPS_SHARED_COST_FROM = Word(
    "shared_costs.period_overlaps_shared_cost_from",
    QT_TRANSLATE_NOOP(
        "Errors",
        "This period overlaps the shared cost “{name}” from {run_period_start} to "
        "{run_period_end} (run {run_id}): the same stalls cannot share the same kind of cost "
        "twice. If this is another cost, create a new shared cost marked “additional pool” with "
        "the reason",
    ),
)
SHARED_AMOUNT_FROM_THERE_NO = Word(
    "shared_costs.shared_amount_from_there_no",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The shared amount of “{pool_name}” from {start} to {end} is 0; there is no bill to "
        "generate",
    ),
)
SHARED_COST_RUN_WAS_NOT = Word(
    "shared_costs.shared_cost_run_was_not",
    QT_TRANSLATE_NOOP("Errors", "That shared-cost run was not found. Refresh and try again"),
)
SHARED_COST_RUN_CANNOT = Word(
    "shared_costs.shared_cost_run_cannot",
    QT_TRANSLATE_NOOP("Errors", "Shared-cost run {run_id} is “{status}”, so it cannot be {doing}"),
)
SHARED_COST_RUN_ISSUED_DEBITED = Word(
    "shared_costs.shared_cost_run_issued_debited",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Shared-cost run {run_id} has been issued and debited, so it cannot be voided. Use "
        "“Reverse” to refund the stalls",
    ),
)
IN_SHARED_COST_RUN_BILLS = Word(
    "shared_costs.in_shared_cost_run_bills",
    QT_TRANSLATE_NOOP(
        "Errors",
        "In shared-cost run {run_id} the bills of stall {codes} were debited when the account was "
        "closed, so the run cannot be voided. Issue it, then use “Reverse”",
    ),
)
TYPE_REASON_FOR_EXAMPLE_MASTER = Word(
    "shared_costs.type_reason_for_example_master",
    QT_TRANSLATE_NOOP(
        "Errors", "Type the reason (for example: the master meter reading was wrong)"
    ),
)
FILE_NEEDS_STALL_CODE_COLUMN = Word(
    "shared_costs.file_needs_stall_code_column",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The file needs a “stall code” column and a “coefficient” or “fixed amount” column. Add "
        "them",
    ),
)
MASTER_METER_WAS_NOT_FOUND = Word(
    "shared_costs.master_meter_was_not_found",
    QT_TRANSLATE_NOOP("Errors", "That master meter was not found. Refresh and choose again"),
)
METER_BOUND_STALL_CANNOT_MASTER = Word(
    "shared_costs.meter_bound_stall_cannot_master",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter {meter_address} is bound to a stall, so it cannot be a master meter; a master "
        "meter must not be bound to a stall",
    ),
)
METER_NOT_METER_CHOOSE_MASTER = Word(
    "shared_costs.meter_not_meter_choose_master",
    QT_TRANSLATE_NOOP(
        "Errors", "Meter {meter_address} is not {kind}. Choose a master meter of the same kind"
    ),
)
CHOOSE_BUILDING_OR_TICK_STALLS = Word(
    "shared_costs.choose_building_or_tick_stalls",
    QT_TRANSLATE_NOOP("Errors", "Choose a building, or tick the stalls that share the cost"),
)
STALL_NO_ACCOUNT_OPEN_ACCOUNT = Word(
    "shared_costs.stall_no_account_open_account",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {row_stall_code} has no account. Open an account for the stall, then generate the "
        "shared cost",
    ),
)
IN_SHARED_COST_RUN_STALL = Word(
    "shared_costs.in_shared_cost_run_stall",
    QT_TRANSLATE_NOOP(
        "Errors",
        "In shared-cost run {run_id} stall {p_code} has been closed and its balance refunded, so "
        "the run cannot be reversed. Settle that share with the former tenant directly",
    ),
)
SHARED_USAGE_NEGATIVE_MASTER_METER = Word(
    "shared_costs.shared_usage_negative_master_meter",
    QT_TRANSLATE_NOOP(
        "Errors",
        "“{pool_name}” {start} to {end}: the shared usage is negative. Master meter {master} "
        "{unit}, sub-meters together {members_usage} {unit}, {minus_pool_usage} {unit} more on "
        "the sub-meters. Check the readings, CT ratios and wiring of the master and sub-meters, "
        "then generate again",
    ),
)
NO_PRICE_TYPE_PRICE_IN = Word(
    "shared_costs.no_price_type_price_in",
    QT_TRANSLATE_NOOP(
        "Errors",
        "“{pool_name}” has no price. Type a price in the shared-cost settings, or give master "
        "meter {meter_address} a tariff",
    ),
)
NO_MASTER_METER_TYPE_PERIOD = Word(
    "shared_costs.no_master_meter_type_period",
    QT_TRANSLATE_NOOP(
        "Errors", "“{pool_name}” has no master meter. Type this period's shared amount"
    ),
)
# what a person may be refused, said in PermissionDenied
SET_UP_SHARED_COSTS = Word(
    "shared_costs.set_up_shared_costs", QT_TRANSLATE_NOOP("Errors", "set up shared costs")
)
SET_SHARED_COST_COEFFICIENTS = Word(
    "shared_costs.set_shared_cost_coefficients",
    QT_TRANSLATE_NOOP("Errors", "set shared-cost coefficients"),
)
VIEW_SHARED_COSTS = Word(
    "shared_costs.view_shared_costs", QT_TRANSLATE_NOOP("Errors", "view shared costs")
)
GENERATE_SHARED_COST_BILLS = Word(
    "shared_costs.generate_shared_cost_bills",
    QT_TRANSLATE_NOOP("Errors", "generate shared-cost bills"),
)
REVIEW_SHARED_COST_BILLS = Word(
    "shared_costs.review_shared_cost_bills", QT_TRANSLATE_NOOP("Errors", "review shared-cost bills")
)
ISSUE_SHARED_COST_BILLS = Word(
    "shared_costs.issue_shared_cost_bills", QT_TRANSLATE_NOOP("Errors", "issue shared-cost bills")
)
VOID_SHARED_COST_BILLS = Word(
    "shared_costs.void_shared_cost_bills", QT_TRANSLATE_NOOP("Errors", "void shared-cost bills")
)
REVERSE_SHARED_COST_BILLS = Word(
    "shared_costs.reverse_shared_cost_bills",
    QT_TRANSLATE_NOOP("Errors", "reverse shared-cost bills"),
)

# What a typed number is, as the amount rule's message names it
POOL_PRICE = Word("shared_costs.pool_price", QT_TRANSLATE_NOOP("Errors", "The price"))
POOL_AMOUNT = Word("shared_costs.pool_amount", QT_TRANSLATE_NOOP("Errors", "The pool amount"))
STALL_COEFFICIENT = Word(
    "shared_costs.stall_coefficient",
    QT_TRANSLATE_NOOP("Errors", "The coefficient of stall {stall}"),
)
STALL_FIXED_AMOUNT = Word(
    "shared_costs.stall_fixed_amount",
    QT_TRANSLATE_NOOP("Errors", "The fixed amount of stall {stall}"),
)
UNITS = {MeterKind.ELECTRIC: "kWh", MeterKind.WATER: "m³"}
BILL_KINDS = {MeterKind.ELECTRIC: BillKind.SHARED_ELECTRIC, MeterKind.WATER: BillKind.SHARED_WATER}
_METER_OF_KIND = {
    MeterKind.ELECTRIC: Word(
        "shared_costs.meter_of_kind.electric", QT_TRANSLATE_NOOP("Errors", "an electricity meter")
    ),
    MeterKind.WATER: Word(
        "shared_costs.meter_of_kind.water", QT_TRANSLATE_NOOP("Errors", "a water meter")
    ),
}
# what is typed, named at the start of an amount's error
THE_FIXED_SHARED_AMOUNT = Word(
    "shared_costs.the_fixed_shared_amount", QT_TRANSLATE_NOOP("Errors", "The fixed shared amount")
)
THE_COEFFICIENT = Word(
    "shared_costs.the_coefficient", QT_TRANSLATE_NOOP("Errors", "The shared-cost coefficient")
)
THE_SHARED_AMOUNT = Word(
    "shared_costs.the_shared_amount", QT_TRANSLATE_NOOP("Errors", "The shared amount")
)
# a stall's share of a period it did not occupy throughout (PoolRow.note)
NOT_OCCUPIED = Word(
    "shared_costs.not_occupied", QT_TRANSLATE_NOOP("Labels", "Not let this period; no share")
)
OCCUPIED_DAYS = Word(
    "shared_costs.occupied_days",
    QT_TRANSLATE_NOOP("Labels", "Let {days}/{days_total} days this period; shared by the day"),
)
CANNOT_BE_SHARED = Word(
    "shared_costs.cannot_be_shared",
    QT_TRANSLATE_NOOP(
        "Errors",
        "“{pool}” cannot be shared: {why}. Choose another way of sharing, or fill in the "
        "coefficients or areas first",
    ),
)
_NOTHING_TO_WEIGH = {
    ShareMethod.BY_USAGE: Word(
        "shared_costs.all_usage_zero", QT_TRANSLATE_NOOP("Errors", "every stall used 0 this period")
    ),
    ShareMethod.BY_AREA: Word(
        "shared_costs.all_area_zero", QT_TRANSLATE_NOOP("Errors", "every stall has area 0")
    ),
    ShareMethod.MANUAL: Word(
        "shared_costs.all_coefficients_zero",
        QT_TRANSLATE_NOOP("Errors", "every stall has coefficient 0"),
    ),
}
# a shared-cost bill's line and the ledger's reason for its debit (stored in Chinese, see below)
BILL_LINE = Word("shared_costs.bill_line", QT_TRANSLATE_NOOP("Labels", "{kind} ({pool}, {method})"))
ONE_ITEM = Word("shared_costs.one_item", QT_TRANSLATE_NOOP("Labels", "item"))
DEBIT_REASON = Word("shared_costs.debit_reason", QT_TRANSLATE_NOOP("Labels", "Shared cost: {note}"))
# a coefficient import's row problems
CASE_ONLY = Word(
    "shared_costs.case_only",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stalls {stalls} differ only in upper and lower case: it is not clear which “{code}” is. "
        "Change one of them under Stalls first",
    ),
)
CODE_IS_A_NUMBER = Word(
    "shared_costs.code_is_a_number",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The stall code is the number {code}: it could be {stalls}. Format the column as text and "
        "type the full code",
    ),
)
NO_SUCH_CODE = Word(
    "shared_costs.no_such_code",
    QT_TRANSLATE_NOOP("Errors", "Stall code “{code}” does not exist. Check it"),
)
CELL_PROBLEM = Word("shared_costs.cell_problem", QT_TRANSLATE_NOOP("Errors", "{problem}. {fix}"))

QTY = Decimal("0.001")


def _typed(
    text: str,
    what: Word,
    *,
    places: int,
    allow_zero: bool,
    maximum: Decimal | None = None,
    **params,
) -> Decimal:
    return parse_amount(
        text,
        allow_zero=allow_zero,
        places=places,
        maximum=maximum,
        what=what.say(CHINESE, **params),
        what_en=what.say(ENGLISH, **params),
    )


def parse_pool_price(text: str) -> Decimal:
    """A pool's own price per kWh / m³ as typed: more than zero, four decimals."""
    return _typed(text, POOL_PRICE, places=4, allow_zero=False)


def parse_shares(
    method: ShareMethod, typed: Mapping[int, str], codes: Mapping[int, str]
) -> dict[int, Decimal]:
    """The coefficients (four decimals) or fixed amounts (yuan) typed per stall id; an empty
    field is zero, nothing is negative."""
    what, places = (
        (STALL_COEFFICIENT, 4) if method is ShareMethod.MANUAL else (STALL_FIXED_AMOUNT, 2)
    )
    return {
        sid: _typed(text or "0", what, places=places, allow_zero=True, stall=codes[sid])
        for sid, text in typed.items()
    }


def parse_pool_amount(text: str) -> Decimal:
    """A period's shared amount as typed for a pool without a master meter: yuan, more than zero."""
    return _typed(text, POOL_AMOUNT, places=2, allow_zero=False, maximum=MAX_AMOUNT)


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` yuan in proportion to `weights`, to the fen, summing exactly to
    `total` (largest remainder; ties to the larger weight, then the earlier item)."""
    if total < 0:
        raise ValueError("cannot allocate a negative total")
    if any(w < 0 for w in weights):
        raise ValueError("weights cannot be negative")
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0))
    if weight_sum == 0:
        raise ValueError("all weights are zero")
    fen_total = int(round_fen(total) / FEN)
    exact = [Fraction(fen_total) * Fraction(w) / weight_sum for w in weights]
    fen = [int(e) for e in exact]  # floor: exact shares are not negative
    left = fen_total - sum(fen)
    order = sorted(
        range(len(weights)), key=lambda i: (-(exact[i] - fen[i]), -Fraction(weights[i]), i)
    )
    for i in order[:left]:
        fen[i] += 1
    return [(Decimal(f) * FEN).quantize(FEN) for f in fen]


@dataclass(frozen=True, slots=True)
class AllocationRow:
    stall_id: int
    stall_code: str
    stall_name: str
    weight: Decimal  # coefficient, kWh/m³, m² or fixed amount, after occupancy scaling
    days: int  # days occupied in the period
    quantity: Decimal  # the stall's share of the pool usage (0 for typed pools)
    amount: Decimal
    note: str = ""


@dataclass(frozen=True, slots=True)
class PoolFigures:
    pool_id: int
    name: str
    kind: MeterKind
    method: ShareMethod
    period_start: date
    period_end: date
    master_usage: Decimal | None
    members_usage: Decimal | None
    pool_usage: Decimal | None
    price: Decimal | None
    amount: Decimal
    rows: tuple[AllocationRow, ...]


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: int
    pool_id: int
    status: SharedRunStatus
    amount: Decimal
    bill_ids: tuple[int, ...]
    stall_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PoolInfo:
    pool_id: int
    name: str
    member_count: int


# ------------------------------------------------------------------ pools


def create_pool(
    session: Session,
    actor: Actor,
    *,
    name: str,
    kind: MeterKind,
    method: ShareMethod,
    building_id: int | None = None,
    stall_ids: Sequence[int] | None = None,
    master_meter_id: int | None = None,
    price: Decimal | None = None,
    coefficients: dict[int, Decimal] | None = None,
    fixed_amounts: dict[int, Decimal] | None = None,
    additional_reason: str = "",
) -> PoolInfo:
    """Define a pool: a building's stalls (or the chosen `stall_ids`), its master meter
    (a meter bound to no stall) or none for typed amounts, and the method. An
    `additional_reason` marks it 追加公摊: its runs may overlap the periods of the other pools
    of its stalls and kind (otherwise refused, so one cost is not billed twice).

    Permission: admin. Transaction: the caller's. Audit: shared_pool.create (with the reason)."""
    require(actor, May.SET_UP_SHARED_COSTS)
    name = name.strip()
    additional_reason = (additional_reason or "").strip()
    if len(additional_reason) > 200:
        raise ServiceError(REASON_FOR_ADDITIONAL_POOL_CAN)
    if not name:
        raise ServiceError(SHARED_COST_NO_NAME_TYPE)
    if session.scalar(
        select(SharedPool.id).where(SharedPool.site_id == actor.site_id, SharedPool.name == name)
    ):
        raise Conflict(SHARED_COST_NAMED_ALREADY_EXISTS, name=name)
    if master_meter_id is not None:
        meter = session.get(Meter, master_meter_id)
        if meter is None or meter.site_id != actor.site_id:
            raise NotFound(MASTER_METER_WAS_NOT_FOUND)
        if meter.stall_id is not None:
            raise ServiceError(METER_BOUND_STALL_CANNOT_MASTER, meter_address=meter.address)
        if meter.kind is not kind:
            raise ServiceError(
                METER_NOT_METER_CHOOSE_MASTER,
                meter_address=meter.address,
                kind=_METER_OF_KIND[kind],
            )
    if method is ShareMethod.FIXED and master_meter_id is not None:
        raise ServiceError(FIXED_AMOUNT_SHARE_CHARGES_EACH)
    if stall_ids is None:
        if building_id is None:
            raise ServiceError(CHOOSE_BUILDING_OR_TICK_STALLS)
        stall_ids = list(
            session.scalars(
                select(Stall.id).where(Stall.building_id == building_id).order_by(Stall.code)
            )
        )
    if not stall_ids:
        raise ServiceError(NO_STALLS_SHARE_COST_ADD)
    pool = SharedPool(
        site_id=actor.site_id,
        name=name,
        kind=kind,
        method=method,
        building_id=building_id,
        master_meter_id=master_meter_id,
        price=price,
        additional_reason=additional_reason,
    )
    coefficients, fixed_amounts = coefficients or {}, fixed_amounts or {}
    for sid in dict.fromkeys(stall_ids):
        pool.members.append(
            SharedPoolMember(
                stall_id=sid,
                coefficient=_coefficient(coefficients.get(sid, 0)),
                fixed_amount=_fixed(fixed_amounts.get(sid, 0)),
            )
        )
    session.add(pool)
    session.flush()
    audit(
        session,
        actor,
        "shared_pool.create",
        "shared_pool",
        pool.id,
        name=name,
        kind=kind.value,
        method=method.value,
        members=len(pool.members),
        master_meter_id=master_meter_id,
        additional=bool(additional_reason),
        reason=additional_reason,
    )
    return PoolInfo(pool.id, pool.name, len(pool.members))


def _checked(value: Decimal | str | int, *, places: int = 2, what: Word) -> Decimal:
    """Zero or more, with at most `places` decimals: never rounded silently."""
    try:
        return parse_amount(value, allow_zero=True, places=places, maximum=None, what=what)
    except AmountError as exc:
        raise ServiceError(exc, code="invalid_amount") from None


def _fixed(value: Decimal | str | int) -> Decimal:
    return _checked(value, what=THE_FIXED_SHARED_AMOUNT)


def _coefficient(value: Decimal | str | int) -> Decimal:
    return _checked(value, places=4, what=THE_COEFFICIENT)


def set_member_values(
    session: Session,
    actor: Actor,
    pool_id: int,
    *,
    coefficients: dict[int, Decimal] | None = None,
    fixed_amounts: dict[int, Decimal] | None = None,
) -> PoolInfo:
    """Type or import manual coefficients / fixed amounts (by stall id); a stall not yet a
    member is added. Permission: admin. Transaction: the caller's. Audit: shared_pool.members."""
    require(actor, May.SET_SHARED_COST_COEFFICIENTS)
    pool = _pool(session, actor, pool_id)
    members = {m.stall_id: m for m in pool.members}
    for sid, value in (coefficients or {}).items():
        _member(pool, members, sid).coefficient = _coefficient(value)
    for sid, value in (fixed_amounts or {}).items():
        _member(pool, members, sid).fixed_amount = _fixed(value)
    session.flush()
    audit(
        session,
        actor,
        "shared_pool.members",
        "shared_pool",
        pool.id,
        coefficients={str(k): v for k, v in (coefficients or {}).items()},
        fixed_amounts={str(k): v for k, v in (fixed_amounts or {}).items()},
    )
    return PoolInfo(pool.id, pool.name, len(pool.members))


def _member(
    pool: SharedPool, members: dict[int, SharedPoolMember], stall_id: int
) -> SharedPoolMember:
    if stall_id not in members:
        members[stall_id] = SharedPoolMember(stall_id=stall_id)
        pool.members.append(members[stall_id])
    return members[stall_id]


def _pool(session: Session, actor: Actor, pool_id: int) -> SharedPool:
    pool = session.get(SharedPool, pool_id)
    if pool is None or pool.site_id != actor.site_id:
        raise NotFound(SHARED_COST_WAS_NOT_FOUND)
    return pool


# ------------------------------------------------------------------ preview


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ServiceError(PERIOD_ENDS_ON_BEFORE_STARTS, end=end, start=start)


def _occupied_days(
    session: Session, stall_ids: list[int], start: date, end: date, tz
) -> dict[int, int]:
    since = dict(
        session.execute(
            select(StallRole.stall_id, StallRole.since).where(
                StallRole.stall_id.in_(stall_ids), StallRole.role == StallRoleKind.TENANT
            )
        ).all()
    )
    closed = dict(
        session.execute(
            select(Account.stall_id, Account.closed_at).where(Account.stall_id.in_(stall_ids))
        ).all()
    )
    out = {}
    for sid in stall_ids:
        first, last = start, end
        if since.get(sid) and since[sid] > first:
            first = since[sid]
        if closed.get(sid) is not None:
            last = min(last, closed[sid].astimezone(tz).date())
        out[sid] = max(0, (last - first).days + 1)
    return out


def _stall_usage(
    session: Session, stall_ids: list[int], kind: MeterKind, start: date, end: date
) -> dict[int, Decimal]:
    meters = session.execute(
        select(Meter.id, Meter.stall_id).where(Meter.stall_id.in_(stall_ids), Meter.kind == kind)
    ).all()
    usage = period_usage(session, [m for m, _ in meters], start, end)
    out = {sid: Decimal(0) for sid in stall_ids}
    for mid, sid in meters:
        out[sid] += usage.get(mid, Decimal(0))
    return out


def _meter_price(session: Session, meter: Meter) -> Decimal | None:
    if meter.tariff_id is None:
        return None
    return session.scalar(select(Tariff.price).where(Tariff.id == meter.tariff_id))


def pool_figures(
    session: Session,
    actor: Actor,
    pool_id: int,
    start: date,
    end: date,
    *,
    amount: Decimal | None = None,
) -> PoolFigures:
    """The pool of the period and its allocation per stall, computed, not stored.
    Permission: admin or reviewer. Transaction: read only. Audit: none."""
    require(actor, May.VIEW_SHARED_COSTS)
    _check_period(start, end)
    pool = _pool(session, actor, pool_id)
    tz = site_zone(session, pool.site_id)
    members = list(pool.members)
    stall_ids = [m.stall_id for m in members]
    stalls = {s.id: s for s in session.scalars(select(Stall).where(Stall.id.in_(stall_ids)))}
    members.sort(key=lambda m: stalls[m.stall_id].code)
    days_total = (end - start).days + 1
    occupied = _occupied_days(session, stall_ids, start, end, tz)
    usage = _stall_usage(session, stall_ids, pool.kind, start, end)
    unit = UNITS[pool.kind]
    master = members_usage = pool_usage = price = None
    if pool.method is ShareMethod.FIXED:
        fixed = {
            m.stall_id: round_fen(m.fixed_amount * occupied[m.stall_id] / days_total)
            for m in members
        }
        total = sum(fixed.values(), ZERO)
    elif pool.master_meter_id is not None:
        meter = session.get(Meter, pool.master_meter_id)
        master = period_usage(session, [meter.id], start, end).get(meter.id, Decimal(0))
        members_usage = sum(usage.values(), Decimal(0))
        pool_usage = master - members_usage
        if pool_usage < 0:
            raise ServiceError(
                SHARED_USAGE_NEGATIVE_MASTER_METER,
                code="negative_pool",
                pool_name=pool.name,
                start=start,
                end=end,
                master=master,
                unit=unit,
                members_usage=members_usage,
                minus_pool_usage=-pool_usage,
            )
        price = pool.price if pool.price is not None else _meter_price(session, meter)
        if price is None:
            raise ServiceError(
                NO_PRICE_TYPE_PRICE_IN, pool_name=pool.name, meter_address=meter.address
            )
        total = round_fen(pool_usage * price)
    else:
        if amount is None:
            raise ServiceError(NO_MASTER_METER_TYPE_PERIOD, pool_name=pool.name)
        total = _checked(amount, what=THE_SHARED_AMOUNT)

    weights: dict[int, Decimal] = {}
    notes: dict[int, str] = {}  # said in default_language(), as the other texts of a preview
    for m in members:
        sid, days = m.stall_id, occupied[m.stall_id]
        if (
            days == 0
        ):  # account closed before the period (or rented after it): no share, whatever the method
            weights[sid] = Decimal(0)
        elif pool.method is ShareMethod.BY_USAGE:
            weights[sid] = usage[sid]
        elif pool.method is ShareMethod.MANUAL:
            weights[sid] = m.coefficient * days / days_total
        elif pool.method is ShareMethod.BY_AREA:
            weights[sid] = stalls[sid].area_m2 * days / days_total
        else:
            weights[sid] = fixed[sid]
        if days == 0:
            notes[sid] = NOT_OCCUPIED.say()
        elif days < days_total:
            notes[sid] = OCCUPIED_DAYS.say(days=days, days_total=days_total)
    if pool.method is ShareMethod.FIXED:
        amounts = [fixed[m.stall_id] for m in members]
    elif total == 0:
        amounts = [ZERO for _ in members]
    else:
        if not any(weights.values()):
            raise ServiceError(CANNOT_BE_SHARED, pool=pool.name, why=_NOTHING_TO_WEIGH[pool.method])
        amounts = allocate(total, [weights[m.stall_id] for m in members])
    weight_sum = sum(weights.values(), Decimal(0))
    rows = []
    for m, amt in zip(members, amounts, strict=False):
        sid = m.stall_id
        qty = (
            (pool_usage * weights[sid] / weight_sum).quantize(QTY)
            if pool_usage and weight_sum
            else Decimal(0)
        )
        rows.append(
            AllocationRow(
                sid,
                stalls[sid].code,
                stalls[sid].name,
                weights[sid],
                occupied[sid],
                qty,
                amt,
                notes.get(sid, ""),
            )
        )
    return PoolFigures(
        pool.id,
        pool.name,
        pool.kind,
        pool.method,
        start,
        end,
        master,
        members_usage,
        pool_usage,
        price,
        total,
        tuple(rows),
    )


def preview_pool(
    session: Session,
    actor: Actor,
    pool_id: int,
    start: date,
    end: date,
    *,
    amount: Decimal | None = None,
) -> list[AllocationRow]:
    """The allocation per stall before anything is generated (read only; admin or reviewer)."""
    return list(pool_figures(session, actor, pool_id, start, end, amount=amount).rows)


# ------------------------------------------------------------------ runs


def _overlapping_pool_run(
    session: Session, pool: SharedPool, start: date, end: date
) -> tuple[SharedRun, str] | None:
    """A live run of another ordinary pool of the same kind and stalls (a building's pools
    share its stalls) whose period overlaps start..end; none when either pool is additional."""
    if pool.additional_reason:
        return None
    stall_ids = [m.stall_id for m in pool.members]
    sharing = select(SharedPoolMember.pool_id).where(SharedPoolMember.stall_id.in_(stall_ids))
    row = session.execute(
        select(SharedRun, SharedPool.name)
        .join(SharedPool, SharedPool.id == SharedRun.pool_id)
        .where(
            SharedRun.site_id == pool.site_id,
            SharedRun.pool_id != pool.id,
            SharedRun.status.in_(OPEN_RUN),
            SharedRun.period_start <= end,
            SharedRun.period_end >= start,
            SharedPool.kind == pool.kind,
            SharedPool.additional_reason == "",
            or_(
                SharedPool.id.in_(sharing),
                and_(
                    SharedPool.building_id.is_not(None), SharedPool.building_id == pool.building_id
                ),
            ),
        )
        .order_by(SharedRun.period_start)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def generate_shared_bills(
    session: Session,
    actor: Actor,
    pool_id: int,
    start: date,
    end: date,
    *,
    amount: Decimal | None = None,
    now: datetime | None = None,
) -> RunInfo:
    """Generate the period's shared bills, status UNPROCESSED (未处理); nothing is debited.

    Permission: admin. Transaction: the caller's. Refused for a period in an approved
    (locked) month and when the pool's period already has a live run. Audit: shared_run.generate."""
    require(actor, May.GENERATE_SHARED_COST_BILLS)
    now = now or utcnow()
    figures = pool_figures(session, actor, pool_id, start, end, amount=amount)
    pool = _pool(session, actor, pool_id)
    ensure_month_open(session, pool.site_id, start)
    ensure_month_open(session, pool.site_id, end)
    live = session.scalar(
        select(SharedRun)
        .where(
            SharedRun.pool_id == pool_id,
            SharedRun.status.in_(OPEN_RUN),
            SharedRun.period_start <= end,
            SharedRun.period_end >= start,
        )
        .order_by(SharedRun.period_start)
        .limit(1)
    )
    if live is not None:
        raise Conflict(
            SHARED_COST_FROM_ALREADY_GENERATED,
            pool_name=pool.name,
            live_period_start=live.period_start,
            live_period_end=live.period_end,
            live_id=live.id,
            start=start,
            end=end,
        )
    other = _overlapping_pool_run(session, pool, start, end)
    if other is not None:
        run, name = other
        raise Conflict(
            PERIOD_OVERLAPS_SHARED_COST_FROM,
            name=name,
            run_period_start=run.period_start,
            run_period_end=run.period_end,
            run_id=run.id,
        )
    if figures.amount == 0:
        raise ServiceError(SHARED_AMOUNT_FROM_THERE_NO, pool_name=pool.name, start=start, end=end)
    run = SharedRun(
        site_id=pool.site_id,
        pool_id=pool.id,
        period_start=start,
        period_end=end,
        method=pool.method,
        master_usage=figures.master_usage,
        members_usage=figures.members_usage,
        price=figures.price,
        amount=figures.amount,
        status=SharedRunStatus.GENERATED,
        created_at=now,
        created_by=actor.user_id,
    )
    session.add(run)
    session.flush()
    tz = site_zone(session, pool.site_id)
    p_start, p_end = local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz)
    accounts = dict(
        session.execute(
            select(Account.stall_id, Account.id).where(
                Account.stall_id.in_([r.stall_id for r in figures.rows])
            )
        ).all()
    )
    kind = BILL_KINDS[pool.kind]
    unit = UNITS[pool.kind]
    bills = []
    for row in figures.rows:
        if row.amount == 0:
            continue
        if row.stall_id not in accounts:
            raise ServiceError(STALL_NO_ACCOUNT_OPEN_ACCOUNT, row_stall_code=row.stall_code)
        # A bill line stores its words (code + parameters), said in the reader's language.
        description = stored_text(
            BILL_LINE(
                kind=BILL_KIND[BILL_KINDS[pool.kind]],
                pool=pool.name,
                method=SHARE_METHOD[pool.method],
            )
        )
        if figures.pool_usage is not None:
            line = BillLine(
                description=description,
                quantity=row.quantity,
                unit=unit,
                price=figures.price,
                amount=row.amount,
            )
        else:
            line = BillLine(
                description=description,
                quantity=Decimal(1),
                unit=stored_text(ONE_ITEM),
                price=row.amount,
                amount=row.amount,
            )
        bill = Bill(
            site_id=pool.site_id,
            stall_id=row.stall_id,
            account_id=accounts[row.stall_id],
            kind=kind,
            period_start=p_start,
            period_end=p_end,
            month=start.replace(day=1),
            amount=row.amount,
            status=BillStatus.UNPROCESSED,
            dedupe_key=f"shared:run{run.id}:stall{row.stall_id}",
            created_at=now,
            note=f"{pool.name} {start}~{end}"[:200],
            lines=[line],
        )
        bills.append(bill)
    session.add_all(bills)
    session.flush()
    audit(
        session,
        actor,
        "shared_run.generate",
        "shared_run",
        run.id,
        pool=pool.name,
        start=start,
        end=end,
        method=pool.method.value,
        amount=figures.amount,
        pool_usage=figures.pool_usage,
        bills=len(bills),
    )
    return _info(session, run)


def _run(session: Session, actor: Actor, run_id: int) -> SharedRun:
    run = session.get(SharedRun, run_id, with_for_update=True)
    if run is None or run.site_id != actor.site_id:
        raise NotFound(SHARED_COST_RUN_WAS_NOT)
    return run


def _bills(session: Session, run: SharedRun, *, lock: bool = False) -> list[Bill]:
    query = select(Bill).where(Bill.dedupe_key.like(f"shared:run{run.id}:stall%")).order_by(Bill.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return list(session.scalars(query))


def _info(session: Session, run: SharedRun) -> RunInfo:
    bills = _bills(session, run)
    return RunInfo(
        run.id,
        run.pool_id,
        run.status,
        run.amount,
        tuple(b.id for b in bills),
        tuple(b.stall_id for b in bills),
    )


# what a run in the wrong state cannot be (SHARED_COST_RUN_CANNOT)
_REVIEWED = Word("shared_costs.cannot.review", QT_TRANSLATE_NOOP("Errors", "reviewed"))
_ISSUED = Word(
    "shared_costs.cannot.issue",
    QT_TRANSLATE_NOOP("Errors", "issued (a reviewer must review it first)"),
)
_VOIDED = Word("shared_costs.cannot.void", QT_TRANSLATE_NOOP("Errors", "voided"))
_REVERSED = Word(
    "shared_costs.cannot.reverse",
    QT_TRANSLATE_NOOP("Errors", "reversed (void it instead if it is not issued)"),
)


def _expect(run: SharedRun, *allowed: SharedRunStatus, doing: Word) -> None:
    if run.status not in allowed:
        raise Conflict(
            SHARED_COST_RUN_CANNOT, run_id=run.id, status=SHARED_RUN_STATUS[run.status], doing=doing
        )


def review_run(
    session: Session, actor: Actor, run_id: int, *, now: datetime | None = None
) -> RunInfo:
    """Mark a generated run reviewed (审核). Permission: reviewer (or admin). Transaction:
    the caller's. Audit: shared_run.review."""
    require(actor, May.REVIEW_SHARED_COST_BILLS)
    now = now or utcnow()
    run = _run(session, actor, run_id)
    _expect(run, SharedRunStatus.GENERATED, doing=_REVIEWED)
    run.status, run.reviewed_at, run.reviewed_by = SharedRunStatus.REVIEWED, now, actor.user_id
    # Locked and read fresh: a 销户 may have debited a bill (SETTLED) since it was loaded.
    for bill in _bills(session, run, lock=True):
        if bill.status is not BillStatus.SETTLED:  # debited at a 销户 since generation
            bill.status = BillStatus.REVIEWED
    audit(session, actor, "shared_run.review", "shared_run", run.id, amount=run.amount)
    return _info(session, run)


def issue_run(
    session: Session, actor: Actor, run_id: int, *, now: datetime | None = None
) -> RunInfo:
    """Issue (下发) a reviewed run: each bill is debited from its stall's account through
    ledger.post and marked SETTLED; then control reconsiders those stalls' supply.

    Permission: admin. Transaction: the caller's (all bills or none). Refused when today
    is in a locked month; a bill whose own month was locked after generation counts in the
    first open month (Bill.month). Audit: shared_run.issue."""
    require(actor, May.ISSUE_SHARED_COST_BILLS)
    now = now or utcnow()
    run = _run(session, actor, run_id)
    _expect(run, SharedRunStatus.REVIEWED, doing=_ISSUED)
    ensure_month_open(session, run.site_id, now)
    bills = _bills(session, run)
    # A bill of a stall closed (销户) since generation was debited at the close.
    for bill in sorted(
        (b for b in bills if b.status is not BillStatus.SETTLED), key=lambda b: b.account_id
    ):
        account = lock_account(session, bill.account_id)
        # Read again under the account lock: a 销户 of this stall may have debited the bill
        # and committed while we waited for the lock.
        session.refresh(bill, with_for_update=True)
        if bill.status is BillStatus.SETTLED:
            continue
        # Not in any month's figures before the debit: a month locked meanwhile moves it.
        bill.month = open_month(session, run.site_id, bill.month)
        post(
            session,
            account,
            EntryKind.BILL,
            -bill.amount,
            bill_id=bill.id,
            operator_id=actor.user_id,
            at=now,
            reason=stored_text(DEBIT_REASON(note=bill.note)),
        )
        bill.status, bill.issued_at = BillStatus.SETTLED, now
    run.status, run.issued_at, run.issued_by = SharedRunStatus.ISSUED, now, actor.user_id
    session.flush()
    control.reconsider(session, [b.stall_id for b in bills], now=now)
    audit(
        session,
        actor,
        "shared_run.issue",
        "shared_run",
        run.id,
        amount=run.amount,
        bills=len(bills),
    )
    return _info(session, run)


def void_run(
    session: Session, actor: Actor, run_id: int, reason: str, *, now: datetime | None = None
) -> RunInfo:
    """Void (作废) a run not yet issued; its bills become VOIDED. Permission: admin.
    Transaction: the caller's. Audit: shared_run.void with the reason."""
    require(actor, May.VOID_SHARED_COST_BILLS)
    reason = _reason(reason)
    now = now or utcnow()
    run = _run(session, actor, run_id)
    if run.status is SharedRunStatus.ISSUED:
        raise Conflict(SHARED_COST_RUN_ISSUED_DEBITED, run_id=run.id)
    _expect(run, SharedRunStatus.GENERATED, SharedRunStatus.REVIEWED, doing=_VOIDED)
    debited = [b for b in _bills(session, run) if b.status is BillStatus.SETTLED]
    if debited:
        codes = "、".join(sorted(session.get(Stall, b.stall_id).code for b in debited))
        raise Conflict(IN_SHARED_COST_RUN_BILLS, run_id=run.id, codes=codes)
    for bill in _bills(session, run):
        bill.status, bill.voided_at = BillStatus.VOIDED, now
    run.status, run.cancelled_at, run.cancelled_by, run.reason = (
        SharedRunStatus.VOIDED,
        now,
        actor.user_id,
        reason,
    )
    audit(session, actor, "shared_run.void", "shared_run", run.id, reason=reason, amount=run.amount)
    return _info(session, run)


def reverse_run(
    session: Session, actor: Actor, run_id: int, reason: str, *, now: datetime | None = None
) -> RunInfo:
    """Reverse (冲正) an issued run: for each debit a reversing entry (reverses_id, reason,
    operator) gives the money back; the bills become VOIDED; control reconsiders.

    Permission: admin. Transaction: the caller's. The reversals post in the current month,
    also for debits of a month locked since (its approved figures stay); refused only when
    today is in a locked month. Audit: shared_run.reverse with the reason."""
    require(actor, May.REVERSE_SHARED_COST_BILLS)
    reason = _reason(reason)
    now = now or utcnow()
    run = _run(session, actor, run_id)
    _expect(run, SharedRunStatus.ISSUED, doing=_REVERSED)
    # The debits stay in the month they count in (locked or not); the reversals are dated
    # now, in the current month (corrections go into the next month).
    ensure_month_open(session, run.site_id, now)
    bills = _bills(session, run)
    debits = {
        e.bill_id: e
        for e in session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.bill_id.in_([b.id for b in bills]), LedgerEntry.kind == EntryKind.BILL
            )
        )
    }
    for bill in sorted(bills, key=lambda b: b.account_id):
        entry = debits[bill.id]
        account = lock_account(session, bill.account_id)
        if account.status is AccountStatus.CLOSED:
            # Its refund was paid at 销户: money given back now would go to the next tenant.
            code = session.get(Stall, bill.stall_id).code
            raise Conflict(IN_SHARED_COST_RUN_STALL, run_id=run.id, p_code=code)
        post(
            session,
            account,
            EntryKind.REVERSAL,
            -entry.amount,
            bill_id=bill.id,
            reverses_id=entry.id,
            operator_id=actor.user_id,
            reason=reason,
            at=now,
        )
        bill.status, bill.voided_at = BillStatus.VOIDED, now
    run.status, run.cancelled_at, run.cancelled_by, run.reason = (
        SharedRunStatus.REVERSED,
        now,
        actor.user_id,
        reason,
    )
    session.flush()
    control.reconsider(session, [b.stall_id for b in bills], now=now)
    audit(
        session, actor, "shared_run.reverse", "shared_run", run.id, reason=reason, amount=run.amount
    )
    return _info(session, run)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(TYPE_REASON_FOR_EXAMPLE_MASTER)
    return reason[:200]


@dataclass(frozen=True, slots=True)
class CoefficientImport:
    pool_id: int
    updated: int
    problems: tuple[tuple[int, str], ...]  # (spreadsheet row, what is wrong and what to do)
    problems_en: tuple[tuple[int, str], ...] = ()  # the same in English


def import_coefficients(
    session: Session, actor: Actor, pool_id: int, data: bytes
) -> CoefficientImport:
    """Manual coefficients (系数) or fixed amounts (固定金额) per stall from an .xlsx with the
    columns 档位编号 and 系数 and/or 固定金额. All rows are checked first; nothing is written
    when any row is bad. Permission: admin. Transaction: the caller's. Audit: shared_pool.members.
    """
    from app.services.office.excel_io import (
        CellError,
        FileError,
        cell_code,
        cell_decimal,
        read_table,
    )

    require(actor, May.SET_SHARED_COST_COEFFICIENTS)
    pool = _pool(session, actor, pool_id)
    try:
        sheet = read_table(
            data,
            {
                "stall": ("档位编号", "档位", "stall code"),
                "coefficient": ("系数", "coefficient"),
                "fixed": ("固定金额", "金额", "fixed amount"),
            },
        )
    except FileError as exc:
        raise ServiceError(str(exc), en=exc.english) from None
    if "stall" not in sheet.columns or not ({"coefficient", "fixed"} & set(sheet.columns)):
        raise ServiceError(FILE_NEEDS_STALL_CODE_COLUMN)
    codes = CodeIndex(
        session.execute(select(Stall.code, Stall.id).where(Stall.site_id == actor.site_id)).all()
    )
    coefficients, fixed, problems, problems_en = {}, {}, [], []
    for row, values in sheet.rows:

        def problem(said: Said, row=row):
            problems.append((row, said.say(CHINESE)))
            problems_en.append((row, said.say(ENGLISH)))

        def get(key, values=values):
            i = sheet.columns.get(key)
            return values[i] if i is not None and i < len(values) else None

        code = cell_code(get("stall"))
        match = codes.find(get("stall"), code)
        if match.case_only:
            problem(CASE_ONLY(stalls=_listed(match.ambiguous), code=code))
            continue
        if match.ambiguous:
            problem(CODE_IS_A_NUMBER(stalls=_listed(match.ambiguous), code=code))
            continue
        if match.item is None:
            problem(NO_SUCH_CODE(code=code))
            continue
        stall_id = match.item
        try:
            c = cell_decimal(get("coefficient"), places=4)
            f = cell_decimal(get("fixed"), places=2)
        except CellError as exc:
            # the cell reader says its problem in each language as text
            problems.append((row, CELL_PROBLEM.say(CHINESE, problem=exc.problem, fix=exc.fix)))
            problems_en.append(
                (row, CELL_PROBLEM.say(ENGLISH, problem=exc.problem_en, fix=exc.fix_en))
            )
            continue
        if c is not None:
            coefficients[stall_id] = c
        if f is not None:
            fixed[stall_id] = f
    if problems:
        return CoefficientImport(pool.id, 0, tuple(problems), tuple(problems_en))
    set_member_values(session, actor, pool.id, coefficients=coefficients, fixed_amounts=fixed)
    return CoefficientImport(pool.id, len(set(coefficients) | set(fixed)), ())


def _listed(items) -> Word | Said | str:
    """Stall codes listed in the reader's language (A001、a001 / A001, a001)."""
    said: Word | Said | str = items[0] if items else ""
    for item in items[1:]:
        said = LIST(first=said, next=item)
    return said


# ------------------------------------------------------------------ lists for the desktop view


@dataclass(frozen=True, slots=True)
class PoolRow:
    id: int
    name: str
    kind: MeterKind
    method: ShareMethod
    building: str  # '' for chosen stalls
    master_address: str  # '' when the amount is typed per run
    price: Decimal | None
    member_count: int
    additional_reason: str = ""  # 追加公摊: why it may overlap the other pools of its stalls


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    pool_id: int
    pool_name: str
    kind: MeterKind
    period_start: date
    period_end: date
    method: ShareMethod
    amount: Decimal
    status: SharedRunStatus
    created_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class StallChoice:
    id: int
    code: str
    name: str
    building_id: int | None
    area_m2: Decimal


@dataclass(frozen=True, slots=True)
class MeterChoice:
    id: int
    address: str
    kind: MeterKind
    model: str


@dataclass(frozen=True, slots=True)
class PoolChoices:
    """What a new pool can be made of: buildings, stalls, and meters bound to no stall
    (the only ones that can be a master meter)."""

    buildings: tuple[tuple[int, str], ...]
    stalls: tuple[StallChoice, ...]
    master_meters: tuple[MeterChoice, ...]


def pool_rows(session: Session, actor: Actor) -> list[PoolRow]:
    """The site's pools. Permission: admin or reviewer. Transaction: read only."""
    require(actor, May.VIEW_SHARED_COSTS)
    counts = dict(
        session.execute(
            select(SharedPoolMember.pool_id, func.count()).group_by(SharedPoolMember.pool_id)
        ).all()
    )
    q = (
        select(SharedPool, Building.name, Meter.address)
        .outerjoin(Building, Building.id == SharedPool.building_id)
        .outerjoin(Meter, Meter.id == SharedPool.master_meter_id)
        .where(SharedPool.site_id == actor.site_id, SharedPool.is_active.is_(True))
        .order_by(SharedPool.name)
    )
    return [
        PoolRow(
            p.id,
            p.name,
            p.kind,
            p.method,
            bname or "",
            address or "",
            p.price,
            counts.get(p.id, 0),
            p.additional_reason,
        )
        for p, bname, address in session.execute(q)
    ]


def run_rows(session: Session, actor: Actor, *, limit: int = 500) -> list[RunRow]:
    """The latest runs of every pool, newest first. Permission: admin or reviewer.
    Transaction: read only."""
    require(actor, May.VIEW_SHARED_COSTS)
    q = (
        select(SharedRun, SharedPool.name, SharedPool.kind)
        .join(SharedPool, SharedPool.id == SharedRun.pool_id)
        .where(SharedRun.site_id == actor.site_id)
        .order_by(SharedRun.id.desc())
        .limit(limit)
    )
    return [
        RunRow(
            r.id,
            r.pool_id,
            name,
            kind,
            r.period_start,
            r.period_end,
            r.method,
            r.amount,
            r.status,
            r.created_at,
            r.reason,
        )
        for r, name, kind in session.execute(q)
    ]


def pool_choices(session: Session, actor: Actor) -> PoolChoices:
    """Buildings, stalls and unbound meters of the site. Permission: admin or reviewer."""
    require(actor, May.VIEW_SHARED_COSTS)
    buildings = tuple(
        session.execute(
            select(Building.id, Building.name)
            .where(Building.site_id == actor.site_id)
            .order_by(Building.name)
        ).all()
    )
    stalls = tuple(
        StallChoice(*r)
        for r in session.execute(
            select(Stall.id, Stall.code, Stall.name, Stall.building_id, Stall.area_m2)
            .where(Stall.site_id == actor.site_id)
            .order_by(Stall.code)
        )
    )
    meters = tuple(
        MeterChoice(*r)
        for r in session.execute(
            select(Meter.id, Meter.address, Meter.kind, Meter.model)
            .where(Meter.site_id == actor.site_id, Meter.stall_id.is_(None))
            .order_by(Meter.address)
        )
    )
    return PoolChoices(tuple((i, n) for i, n in buildings), stalls, meters)
