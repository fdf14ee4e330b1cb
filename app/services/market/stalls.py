"""Stalls as the counter sees them, and the market's structure kept by the admin.

Read side: `stall_card` (one stall with its people, money and meters), `find_stalls` (the
counter search), `list_stalls` (all stalls in a fixed number of queries) and
`list_customers` (every customer with the stalls they rent and own). Write side: site,
buildings, stalls (each with its account), customers and stall roles; admin only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, object_session

from app.comm.types import MeterKind
from app.models.account import Account, AccountStatus, LedgerEntry, Receipt
from app.models.billing import Bill, StallCharge
from app.models.meter import Channel, CommStatus, ControlMode, Meter
from app.models.money import AmountError
from app.models.portal import StallAccess
from app.models.site import (
    Building,
    Customer,
    SettlementCycle,
    Site,
    Stall,
    StallRole,
    StallRoleKind,
    StallStatus,
)
from app.services.market.control_rules import opening_levels
from app.services.market.stall_codes import code_key, listed, same_code, stall_by_code
from app.services.market.usage import unsettled_usage
from app.services.money.amounts import parse_amount
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Conflict, May, NotFound, ServiceError, require
from app.services.portal.qr import stall_of_qr
from app.words import QT_TRANSLATE_NOOP, Word

STALL_NOT_FOUND_CHECK_STALL = Word(
    "stalls.stall_not_found_check_stall",
    QT_TRANSLATE_NOOP("Errors", "Stall “{code_or_id}” not found. Check the stall code"),
)
FLOOR_TOO_LONG = Word(
    "stalls.floor_too_long",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The floor “{value}” is longer than 20 characters. Write it shorter, e.g. 1F or B1",
    ),
)
MARKET_CODE_NAME_BOTH_REQUIRED = Word(
    "stalls.market_code_name_both_required",
    QT_TRANSLATE_NOOP("Errors", "Market code and name are both required. Fill in both"),
)
MARKET_CODE_ALREADY_EXISTS_CHOOSE = Word(
    "stalls.market_code_already_exists_choose",
    QT_TRANSLATE_NOOP("Errors", "Market code “{p_code}” already exists. Choose another code"),
)
BUILDING_ALREADY_EXISTS_CHOOSE_ANOTHER = Word(
    "stalls.building_already_exists_choose_another",
    QT_TRANSLATE_NOOP("Errors", "Building “{name}” already exists. Choose another name"),
)
BUILDING_STILL_STALLS_CANNOT_DELETED = Word(
    "stalls.building_still_stalls_cannot_deleted",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Building “{b_name}” still has {n} stalls, so it cannot be deleted. Move or delete those "
        "stalls first",
    ),
)
STALL_CODE_ALREADY_EXISTS_CHOOSE = Word(
    "stalls.stall_code_already_exists_choose",
    QT_TRANSLATE_NOOP(
        "Errors", "Stall code “{p_code}” already exists ({clash}). Choose another code"
    ),
)
STALL_METERS_BOUND_CANNOT_DELETED = Word(
    "stalls.stall_meters_bound_cannot_deleted",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} has {meters} meters bound, so it cannot be deleted. Unbind the meters "
        "or move them to another stall first",
    ),
)
STALL_ALREADY_RECHARGES_OR_BILLS = Word(
    "stalls.stall_already_recharges_or_bills",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall_code} already has recharges or bills, so it cannot be deleted. If it is no "
        "longer used, close its account and set its status to “closed”",
    ),
)
CUSTOMER_ALREADY_THERE_EDIT_CUSTOMER = Word(
    "stalls.customer_already_there_edit_customer",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Customer “{name}” ({shown}) is already there. Edit that customer in the customer list, "
        "or choose them in the stall",
    ),
)
CUSTOMER_STILL_OWNER_OR_TENANT = Word(
    "stalls.customer_still_owner_or_tenant",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Customer “{c_name}” is still owner or tenant of stall {codes}, so it cannot be deleted. "
        "Edit those stalls under Stalls first and change or clear their tenant and owner",
    ),
)
ID_NOT_FOUND_REFRESH_TRY = Word(
    "stalls.id_not_found_refresh_try",
    QT_TRANSLATE_NOOP("Errors", "{what} (id {obj_id}) not found. Refresh and try again"),
)
REQUIRED_FILL_IN = Word(
    "stalls.required_fill_in", QT_TRANSLATE_NOOP("Errors", "{what} is required. Fill it in")
)
WITH_PHONE = Word("stalls.with_phone", QT_TRANSLATE_NOOP("Errors", "phone {phone}"))
NO_PHONE = Word("stalls.no_phone", QT_TRANSLATE_NOOP("Errors", "no phone"))
CODES_AND_MORE = Word(
    "stalls.codes_and_more", QT_TRANSLATE_NOOP("Errors", "{codes} and {more} more")
)
BUILDING_NAME = Word("stalls.building_name", QT_TRANSLATE_NOOP("Errors", "The building name"))
STALL_CODE = Word("stalls.stall_code", QT_TRANSLATE_NOOP("Errors", "The stall code"))
CUSTOMER_NAME = Word("stalls.customer_name", QT_TRANSLATE_NOOP("Errors", "The customer name"))
BUILDING = Word("stalls.building", QT_TRANSLATE_NOOP("Records", "Building"))
STALL = Word("stalls.stall", QT_TRANSLATE_NOOP("Records", "Stall"))
CUSTOMER = Word("stalls.customer", QT_TRANSLATE_NOOP("Records", "Customer"))
ADD_BUILDINGS = Word("stalls.add_buildings", QT_TRANSLATE_NOOP("Errors", "add buildings"))
EDIT_BUILDINGS = Word("stalls.edit_buildings", QT_TRANSLATE_NOOP("Errors", "edit buildings"))
DELETE_BUILDINGS = Word("stalls.delete_buildings", QT_TRANSLATE_NOOP("Errors", "delete buildings"))
ADD_STALLS = Word("stalls.add_stalls", QT_TRANSLATE_NOOP("Errors", "add stalls"))
EDIT_STALLS = Word("stalls.edit_stalls", QT_TRANSLATE_NOOP("Errors", "edit stalls"))
DELETE_STALLS = Word("stalls.delete_stalls", QT_TRANSLATE_NOOP("Errors", "delete stalls"))
ADD_CUSTOMERS = Word("stalls.add_customers", QT_TRANSLATE_NOOP("Errors", "add customers"))
EDIT_CUSTOMERS = Word("stalls.edit_customers", QT_TRANSLATE_NOOP("Errors", "edit customers"))
DELETE_CUSTOMERS = Word("stalls.delete_customers", QT_TRANSLATE_NOOP("Errors", "delete customers"))
AREA_NOT_VALID_TYPE_SQUARE = Word(
    "stalls.area_not_valid_type_square",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Area “{value}” is not valid. Type square metres: zero or more, at most three decimals",
    ),
)
STALL_ID_NOT_FOUND_REFRESH = Word(
    "stalls.stall_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Stall (id {code_or_id}) not found. Refresh and try again"),
)
STALL_CODE_ALREADY_EXISTS_CHOOSE_2 = Word(
    "stalls.stall_code_already_exists_choose_2",
    QT_TRANSLATE_NOOP("Errors", "Stall code “{p_code}” already exists. Choose another code"),
)
AREA_NOT_NUMBER_TYPE_SQUARE = Word(
    "stalls.area_not_number_type_square",
    QT_TRANSLATE_NOOP("Errors", "Area “{value}” is not a number. Type square metres, such as 12.5"),
)

# Register units (app/comm/types.py): electricity in 0.01 kWh, water in litres.
REGISTER_SCALE = {MeterKind.ELECTRIC: Decimal("0.01"), MeterKind.WATER: Decimal("0.001")}
UNITS = {MeterKind.ELECTRIC: "kWh", MeterKind.WATER: "m³"}


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class MeterLine:
    id: int
    kind: MeterKind
    model: str
    address: str
    state: str  # electric: closed / tripped; water: open / closed; or unknown
    control_mode: ControlMode
    comm_status: CommStatus
    last_reading: Decimal | None  # kWh or m³, as read (before the CT ratio)
    unit: str
    last_read_at: datetime | None
    last_seen: datetime | None
    channel: str = ""  # the line the address is on: a meter is its address on its line


@dataclass(frozen=True, slots=True)
class StallCard:
    id: int
    code: str
    name: str
    building: str
    area_m2: Decimal
    status: StallStatus
    note: str
    tenant_name: str
    tenant_phone: str
    owner_name: str
    owner_phone: str
    account_status: AccountStatus | None
    balance: Decimal
    available_balance: Decimal  # balance − unsettled usage
    unsettled_amount: Decimal  # usage read but not yet settled, priced at the current tariff
    alarm1: Decimal | None
    alarm2: Decimal | None
    overdraft_limit: Decimal | None
    meters: tuple[MeterLine, ...]
    tenant_id: int | None = None  # the customer who rents it, to pick them again when editing
    owner_id: int | None = None  # the customer who owns it
    # phones that see the stall in the tenants' portal besides its tenant and owner:
    # (phone, "bound" by its QR / "authorized" by the owner, the owner's phone)
    portal_phones: tuple[tuple[str, str, str], ...] = ()
    floor: str = ""  # 楼层, "" when not given


@dataclass(frozen=True, slots=True)
class StallRow:
    id: int
    code: str
    name: str
    building_id: int
    building: str
    status: StallStatus
    tenant_name: str
    tenant_phone: str
    owner_name: str
    balance: Decimal
    account_status: AccountStatus | None
    meter_count: int
    tripped_count: int
    alarm1: Decimal | None = None  # the account's first alarm level: below it is low balance
    floor: str = ""  # 楼层, "" when not given


@dataclass(frozen=True, slots=True)
class SiteRow:
    id: int
    code: str
    name: str
    phone: str = ""
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class BuildingRow:
    id: int
    name: str
    reading_time: time
    settlement_time: time
    settlement_cycle: SettlementCycle
    settled_until: datetime | None = None
    stalls: int = 0


@dataclass(frozen=True, slots=True)
class CustomerRow:
    id: int
    name: str
    phone: str
    note: str


@dataclass(frozen=True, slots=True)
class CustomerListRow(CustomerRow):
    """A customer with the codes of the stalls they rent and own."""

    rents: tuple[str, ...]
    owns: tuple[str, ...]


# ---------------------------------------------------------------- read side


def meter_state(kind: MeterKind, supply_on: bool | None) -> str:
    """The relay / valve as words: electric closed / tripped, water open / closed."""
    if supply_on is None:
        return "unknown"
    if kind is MeterKind.ELECTRIC:
        return "closed" if supply_on else "tripped"
    return "open" if supply_on else "closed"


def stall_card(
    session: Session, code_or_id: str | int, *, site_id: int | None = None, office: bool = True
) -> StallCard:
    """One stall as the cashier sees it. Permission: any user; reads only. `office=False`:
    the card a tenant sees in the portal, without the people on record, the phones that
    see the stall and the meters' lines (channels)."""
    stall = _get_stall(session, code_or_id, site_id)
    account = session.scalar(select(Account).where(Account.stall_id == stall.id))
    people = _people(session, [stall.id]).get(stall.id, {}) if office else {}
    tenant, owner = people.get(StallRoleKind.TENANT), people.get(StallRoleKind.OWNER)
    meters = session.scalars(
        select(Meter)
        .where(Meter.stall_id == stall.id, Meter.is_active.is_(True))
        .order_by(Meter.kind, Meter.channel_id, Meter.address)
    ).all()
    channel_ids = {m.channel_id for m in meters if m.channel_id is not None} if office else ()
    channels = (
        dict(
            session.execute(
                select(Channel.id, Channel.name).where(Channel.id.in_(channel_ids))
            ).all()
        )
        if channel_ids
        else {}
    )
    portal_phones = (
        tuple(
            session.execute(
                select(StallAccess.phone, StallAccess.how, StallAccess.by_phone)
                .where(StallAccess.stall_id == stall.id)
                .order_by(StallAccess.at, StallAccess.id)
            ).tuples()
        )
        if office
        else ()
    )
    balance = account.balance if account else Decimal("0.00")
    unsettled = sum((u.amount for u in unsettled_usage(session, [stall.id])), Decimal("0.00"))
    return StallCard(
        stall.id,
        stall.code,
        stall.name,
        stall.building.name,
        stall.area_m2,
        stall.status,
        stall.note,
        tenant.name if tenant else "",
        tenant.phone if tenant else "",
        owner.name if owner else "",
        owner.phone if owner else "",
        account.status if account else None,
        balance,
        balance - unsettled,
        unsettled,
        account.alarm1 if account else None,
        account.alarm2 if account else None,
        account.overdraft_limit if account else None,
        tuple(_meter_line(m, channels.get(m.channel_id, "")) for m in meters),
        tenant.id if tenant else None,
        owner.id if owner else None,
        portal_phones,
        stall.floor,
    )


def find_stalls(
    session: Session, text: str, limit: int = 50, *, site_id: int | None = None
) -> list[StallRow]:
    """The counter search: by code prefix, stall name, or a tenant's / owner's name or
    phone. Exact code first, then code prefix, then the rest. Permission: any user."""
    text = (text or "").strip()
    if not text:
        return []
    like = f"%{_escape(text)}%"
    by_person = exists().where(
        StallRole.stall_id == Stall.id,
        StallRole.customer_id == Customer.id,
        or_(Customer.name.like(like, escape="\\"), Customer.phone.like(like, escape="\\")),
    )
    code_prefix = func.upper(Stall.code).like(
        f"{_escape(code_key(text))}%", escape="\\"
    )  # a-0 finds A-001
    rank = case((same_code(text), 0), (code_prefix, 1), else_=2)
    q = (
        select(Stall.id)
        .where(or_(code_prefix, Stall.name.like(like, escape="\\"), by_person))
        .order_by(rank, Stall.code)
        .limit(limit)
    )
    if site_id is not None:
        q = q.where(Stall.site_id == site_id)
    ids = list(session.scalars(q))
    rows = {r.id: r for r in _rows(session, Stall.id.in_(ids))} if ids else {}
    return [rows[i] for i in ids]


def list_stalls(
    session: Session, building: str | int | None = None, *, site_id: int | None = None
) -> list[StallRow]:
    """All stalls (of one building, by name or id) ordered by code, in three queries
    whatever their number. Permission: any user."""
    cond = Stall.id.is_not(None)
    if building is not None:
        cond = Building.id == building if isinstance(building, int) else Building.name == building
    if site_id is not None:
        cond = cond & (Stall.site_id == site_id)
    return _rows(session, cond)


def stall_rows_by_id(session: Session, stall_ids: Iterable[int], site_id: int) -> list[StallRow]:
    """The rows of these stalls (those that still exist), as `list_stalls` gives them: what
    a view re-reads when another clerk changed them. Permission: any user; reads only."""
    return _rows(session, Stall.id.in_(list(stall_ids)) & (Stall.site_id == site_id))


def list_customers(session: Session, site_id: int) -> list[CustomerListRow]:
    """Every customer of the market by name, each with the codes of the stalls they rent and
    own, in two queries whatever their number. Permission: any user; reads only."""
    stalls_of: dict[int, dict[StallRoleKind, list[str]]] = defaultdict(lambda: defaultdict(list))
    for customer_id, role, code in session.execute(
        select(StallRole.customer_id, StallRole.role, Stall.code)
        .join(Stall, Stall.id == StallRole.stall_id)
        .where(Stall.site_id == site_id)
        .order_by(Stall.code)
    ):
        stalls_of[customer_id][role].append(code)
    out = []
    for cid, name, phone, note in session.execute(
        select(Customer.id, Customer.name, Customer.phone, Customer.note)
        .where(Customer.site_id == site_id)
        .order_by(Customer.name, Customer.phone, Customer.id)
    ):
        held = stalls_of.get(cid, {})
        out.append(
            CustomerListRow(
                cid,
                name,
                phone,
                note,
                tuple(held.get(StallRoleKind.TENANT, ())),
                tuple(held.get(StallRoleKind.OWNER, ())),
            )
        )
    return out


def _rows(session: Session, where) -> list[StallRow]:
    base = (
        select(
            Stall.id,
            Stall.code,
            Stall.name,
            Stall.building_id,
            Building.name,
            Stall.status,
            Account.balance,
            Account.status,
            Account.alarm1,
            Stall.floor,
        )
        .join(Building, Building.id == Stall.building_id)
        .outerjoin(Account, Account.stall_id == Stall.id)
        .where(where)
        .order_by(Stall.code)
    )
    stalls = session.execute(base).all()
    ids = (
        select(Stall.id)
        .join(Building, Building.id == Stall.building_id)
        .where(where)
        .scalar_subquery()
    )
    people = _people(session, ids)
    counts = {
        sid: (n, tripped)
        for sid, n, tripped in session.execute(
            select(
                Meter.stall_id,
                func.count(),
                func.sum(case((Meter.supply_on.is_(False), 1), else_=0)),
            )
            .where(Meter.stall_id.in_(ids), Meter.is_active.is_(True))
            .group_by(Meter.stall_id)
        )
    }
    out = []
    for sid, code, name, bid, bname, status, balance, acc_status, alarm1, floor in stalls:
        p = people.get(sid, {})
        tenant, owner = p.get(StallRoleKind.TENANT), p.get(StallRoleKind.OWNER)
        n, tripped = counts.get(sid, (0, 0))
        out.append(
            StallRow(
                sid,
                code,
                name,
                bid,
                bname,
                status,
                tenant.name if tenant else "",
                tenant.phone if tenant else "",
                owner.name if owner else "",
                balance if balance is not None else Decimal("0.00"),
                acc_status,
                int(n),
                int(tripped or 0),
                alarm1,
                floor,
            )
        )
    return out


def _people(session: Session, stall_ids) -> dict[int, dict[StallRoleKind, Customer]]:
    out: dict[int, dict[StallRoleKind, Customer]] = defaultdict(dict)
    q = select(StallRole.stall_id, StallRole.role, Customer).join(
        Customer, Customer.id == StallRole.customer_id
    )
    for sid, role, customer in session.execute(q.where(StallRole.stall_id.in_(stall_ids))):
        out[sid][role] = customer
    return out


def _meter_line(m: Meter, channel: str) -> MeterLine:
    reading = None if m.last_total is None else (Decimal(m.last_total) * REGISTER_SCALE[m.kind])
    return MeterLine(
        m.id,
        m.kind,
        m.model,
        m.address,
        meter_state(m.kind, m.supply_on),
        m.control_mode,
        m.comm_status,
        reading,
        UNITS[m.kind],
        m.last_read_at,
        m.last_seen_at,
        channel,
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _get_stall(session: Session, code_or_id: str | int, site_id: int | None) -> Stall:
    if isinstance(code_or_id, int):
        stall = session.get(Stall, code_or_id, options=[joinedload(Stall.building)])
        if stall is None or (site_id is not None and stall.site_id != site_id):
            raise NotFound(STALL_ID_NOT_FOUND_REFRESH, code_or_id=code_or_id)
        return stall
    by_qr = stall_of_qr(session, str(code_or_id))  # the portal address on a receipt's QR
    if by_qr is not None:
        return _get_stall(session, by_qr, site_id)
    stall = stall_by_code(session, str(code_or_id), site_id)
    if stall is None:
        raise NotFound(STALL_NOT_FOUND_CHECK_STALL, code_or_id=code_or_id)
    return stall


# ---------------------------------------------------------------- write side


def create_site(
    session: Session, code: str, name: str, *, address: str = "", phone: str = ""
) -> SiteRow:
    """Set up a market. Permission: setup only (before any user exists, or by the
    ops command line); no actor. Audit: none (nobody to name yet)."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ServiceError(MARKET_CODE_NAME_BOTH_REQUIRED, code="required")
    if session.scalar(select(Site.id).where(Site.code == code)) is not None:
        raise Conflict(MARKET_CODE_ALREADY_EXISTS_CHOOSE, p_code=code)
    site = Site(code=code, name=name, address=address, phone=phone)
    session.add(site)
    session.flush()
    return SiteRow(site.id, site.code, site.name)


def create_building(
    session: Session,
    actor: Actor,
    name: str,
    *,
    reading_time: time = time(0, 0),
    settlement_time: time = time(1, 0),
    settlement_cycle: SettlementCycle = SettlementCycle.DAILY,
) -> BuildingRow:
    """Add a building. Permission: admin. Audit: 'building.create'."""
    require(actor, May.ADD_BUILDINGS)
    name = _required(name, BUILDING_NAME)
    if session.scalar(
        select(Building.id).where(Building.site_id == actor.site_id, Building.name == name)
    ):
        raise Conflict(BUILDING_ALREADY_EXISTS_CHOOSE_ANOTHER, name=name)
    b = Building(
        site_id=actor.site_id,
        name=name,
        reading_time=reading_time,
        settlement_time=settlement_time,
        settlement_cycle=SettlementCycle(settlement_cycle),
    )
    session.add(b)
    session.flush()
    audit(
        session,
        actor,
        "building.create",
        "building",
        b.id,
        name=name,
        cycle=b.settlement_cycle.value,
    )
    return _building_row(b)


def update_building(session: Session, actor: Actor, building_id: int, **changes) -> BuildingRow:
    """Rename a building or change its settlement schedule (name, reading_time,
    settlement_time, settlement_cycle). Permission: admin. Audit: 'building.update'."""
    require(actor, May.EDIT_BUILDINGS)
    b = _own(session, actor, Building, building_id, BUILDING)
    allowed = {"name", "reading_time", "settlement_time", "settlement_cycle"}
    _check_fields(changes, allowed)
    if "name" in changes:
        changes["name"] = _required(changes["name"], BUILDING_NAME)
        clash = session.scalar(
            select(Building.id).where(
                Building.site_id == actor.site_id,
                Building.name == changes["name"],
                Building.id != b.id,
            )
        )
        if clash:
            raise Conflict(BUILDING_ALREADY_EXISTS_CHOOSE_ANOTHER, name=changes["name"])
    if "settlement_cycle" in changes:
        changes["settlement_cycle"] = SettlementCycle(changes["settlement_cycle"])
    before = _apply(b, changes)
    session.flush()
    audit(session, actor, "building.update", "building", b.id, before=before, after=changes)
    return _building_row(b)


def delete_building(session: Session, actor: Actor, building_id: int) -> None:
    """Remove an empty building. Permission: admin. Audit: 'building.delete'."""
    require(actor, May.DELETE_BUILDINGS)
    b = _own(session, actor, Building, building_id, BUILDING)
    n = session.scalar(select(func.count()).select_from(Stall).where(Stall.building_id == b.id))
    if n:
        raise Conflict(BUILDING_STILL_STALLS_CANNOT_DELETED, b_name=b.name, n=n)
    audit(session, actor, "building.delete", "building", b.id, name=b.name)
    session.delete(b)
    session.flush()


def create_stall(
    session: Session,
    actor: Actor,
    building_id: int,
    code: str,
    name: str = "",
    *,
    area_m2: Decimal | str = Decimal("0"),
    note: str = "",
    floor: str = "",
) -> StallRow:
    """Add a stall and open its prepaid account. Permission: admin.
    Audit: 'stall.create'."""
    require(actor, May.ADD_STALLS)
    building = _own(session, actor, Building, building_id, BUILDING)
    code = _required(code, STALL_CODE)
    clash = session.scalar(
        select(Stall.code).where(Stall.site_id == actor.site_id, same_code(code))
    )
    if clash is not None:  # a-001 and A-001 are one code: the clerk would find either
        raise Conflict(STALL_CODE_ALREADY_EXISTS_CHOOSE, p_code=code, clash=clash)
    stall = Stall(
        site_id=actor.site_id,
        building_id=building.id,
        code=code,
        name=name.strip(),
        floor=_floor(floor),
        area_m2=_area(area_m2),
        note=note,
    )
    session.add(stall)
    session.flush()
    session.add(Account(stall_id=stall.id, **opening_levels(session, actor.site_id)))
    session.flush()
    audit(
        session,
        actor,
        "stall.create",
        "stall",
        stall.id,
        code=code,
        name=stall.name,
        building=building.name,
    )
    return _rows(session, Stall.id == stall.id)[0]


def update_stall(session: Session, actor: Actor, stall_id: int, **changes) -> StallRow:
    """Change a stall (code, name, building_id, floor, area_m2, status, note) or its account's
    alarm thresholds (alarm1, alarm2, overdraft_limit). Permission: admin.
    Audit: 'stall.update' with the old and new values."""
    require(actor, May.EDIT_STALLS)
    stall = _own(session, actor, Stall, stall_id, STALL)
    _check_fields(
        changes,
        {
            "code",
            "name",
            "building_id",
            "floor",
            "area_m2",
            "status",
            "note",
            "alarm1",
            "alarm2",
            "overdraft_limit",
        },
    )
    if "code" in changes:
        changes["code"] = _required(changes["code"], STALL_CODE)
        clash = session.scalar(
            select(Stall.id).where(
                Stall.site_id == actor.site_id, same_code(changes["code"]), Stall.id != stall.id
            )
        )
        if clash:
            raise Conflict(STALL_CODE_ALREADY_EXISTS_CHOOSE_2, p_code=changes["code"])
    if "building_id" in changes:
        _own(session, actor, Building, changes["building_id"], BUILDING)
    if "area_m2" in changes:
        changes["area_m2"] = _area(changes["area_m2"])
    if "floor" in changes:
        changes["floor"] = _floor(changes["floor"])
    if "status" in changes:
        changes["status"] = StallStatus(changes["status"])
    money = {k: changes.pop(k) for k in ("alarm1", "alarm2", "overdraft_limit") if k in changes}
    before = _apply(stall, changes)
    if money:
        account = session.scalar(select(Account).where(Account.stall_id == stall.id))
        parsed = {k: _threshold(v) for k, v in money.items()}
        before |= _apply(account, parsed)
        changes |= parsed
    session.flush()
    audit(
        session,
        actor,
        "stall.update",
        "stall",
        stall.id,
        code=stall.code,
        before=before,
        after=changes,
    )
    return _rows(session, Stall.id == stall.id)[0]


def delete_stall(session: Session, actor: Actor, stall_id: int) -> None:
    """Remove a stall entered by mistake. Refused once money or meters are attached.
    Permission: admin. Audit: 'stall.delete'."""
    require(actor, May.DELETE_STALLS)
    stall = _own(session, actor, Stall, stall_id, STALL)
    account = session.scalar(select(Account).where(Account.stall_id == stall.id))
    meters = session.scalar(
        select(func.count()).select_from(Meter).where(Meter.stall_id == stall.id)
    )
    if meters:
        raise Conflict(STALL_METERS_BOUND_CANNOT_DELETED, stall_code=stall.code, meters=meters)
    has_money = (
        (
            account is not None
            and session.scalar(
                select(LedgerEntry.id).where(LedgerEntry.account_id == account.id).limit(1)
            )
            is not None
        )
        or session.scalar(select(Bill.id).where(Bill.stall_id == stall.id).limit(1)) is not None
        or session.scalar(select(Receipt.id).where(Receipt.stall_id == stall.id).limit(1))
        is not None
    )
    if has_money:
        raise Conflict(STALL_ALREADY_RECHARGES_OR_BILLS, stall_code=stall.code)
    audit(session, actor, "stall.delete", "stall", stall.id, code=stall.code, name=stall.name)
    for charge in session.scalars(select(StallCharge).where(StallCharge.stall_id == stall.id)):
        session.delete(charge)
    if account is not None:
        session.delete(account)
    session.delete(stall)
    session.flush()


def create_customer(
    session: Session, actor: Actor, name: str, phone: str = "", note: str = ""
) -> CustomerRow:
    """Add a customer; the same name with the same phone is the customer who is
    there already. Permission: admin. Audit: 'customer.create'."""
    require(actor, May.ADD_CUSTOMERS)
    name, phone = _required(name, CUSTOMER_NAME), phone.strip()
    if session.scalar(
        select(Customer.id).where(
            Customer.site_id == actor.site_id, Customer.name == name, Customer.phone == phone
        )
    ):
        raise Conflict(
            CUSTOMER_ALREADY_THERE_EDIT_CUSTOMER,
            name=name,
            shown=WITH_PHONE(phone=phone) if phone else NO_PHONE,
        )
    c = Customer(site_id=actor.site_id, name=name, phone=phone, note=note)
    session.add(c)
    session.flush()
    audit(session, actor, "customer.create", "customer", c.id, name=c.name, phone=c.phone)
    return CustomerRow(c.id, c.name, c.phone, c.note)


def update_customer(session: Session, actor: Actor, customer_id: int, **changes) -> CustomerRow:
    """Change a customer's name, phone or note. Permission: admin. Audit: 'customer.update'."""
    require(actor, May.EDIT_CUSTOMERS)
    c = _own(session, actor, Customer, customer_id, CUSTOMER)
    _check_fields(changes, {"name", "phone", "note"})
    if "name" in changes:
        changes["name"] = _required(changes["name"], CUSTOMER_NAME)
    before = _apply(c, changes)
    session.flush()
    audit(session, actor, "customer.update", "customer", c.id, before=before, after=changes)
    return CustomerRow(c.id, c.name, c.phone, c.note)


def delete_customer(session: Session, actor: Actor, customer_id: int) -> None:
    """Remove a customer who holds no stall. Permission: admin. Audit: 'customer.delete'."""
    require(actor, May.DELETE_CUSTOMERS)
    c = _own(session, actor, Customer, customer_id, CUSTOMER)
    codes = list(
        session.scalars(
            select(Stall.code)
            .join(StallRole, StallRole.stall_id == Stall.id)
            .where(StallRole.customer_id == c.id)
            .order_by(Stall.code)
        )
    )
    if codes:
        # An owner of a whole row of stalls: name the first few, count the rest.
        shown, more = codes[:5], len(codes) - 5
        named = listed(shown)
        raise Conflict(
            CUSTOMER_STILL_OWNER_OR_TENANT,
            c_name=c.name,
            codes=CODES_AND_MORE(codes=named, more=more, total=len(codes)) if more > 0 else named,
        )
    audit(session, actor, "customer.delete", "customer", c.id, name=c.name)
    session.delete(c)
    session.flush()


def set_stall_role(
    session: Session,
    actor: Actor,
    stall_id: int,
    role: StallRoleKind,
    customer_id: int | None,
    since: date | None = None,
) -> None:
    """Make a customer the stall's owner or tenant (replacing the previous one), or clear
    the role with customer_id None. Permission: admin. Audit: 'stall.role'."""
    require(actor, May.SET_STALL_PARTIES)
    role = StallRoleKind(role)
    stall = _own(session, actor, Stall, stall_id, STALL)
    current = session.scalar(
        select(StallRole).where(StallRole.stall_id == stall.id, StallRole.role == role)
    )
    before = current.customer_id if current else None
    if customer_id is None:
        if current is not None:
            session.delete(current)
    else:
        _own(session, actor, Customer, customer_id, CUSTOMER)
        if current is None:
            session.add(
                StallRole(stall_id=stall.id, customer_id=customer_id, role=role, since=since)
            )
        else:
            current.customer_id, current.since = customer_id, since
    session.flush()
    audit(
        session,
        actor,
        "stall.role",
        "stall",
        stall.id,
        code=stall.code,
        role=role.value,
        before=before,
        after=customer_id,
    )


# ---------------------------------------------------------------- helpers


def _own(session: Session, actor: Actor, model, obj_id: int, what: Word):
    obj = session.get(model, obj_id)
    if obj is None or obj.site_id != actor.site_id:
        raise NotFound(ID_NOT_FOUND_REFRESH_TRY, what=what, obj_id=obj_id)
    return obj


def _required(value: str, what: Word) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(REQUIRED_FILL_IN, code="required", what=what)
    return value


def _floor(value: str) -> str:
    floor = str(value or "").strip()
    if len(floor) > 20:
        raise ServiceError(FLOOR_TOO_LONG, code="invalid_floor", value=floor)
    return floor


def _area(value: Decimal | str) -> Decimal:
    try:
        area = Decimal(str(value).strip())
    except ArithmeticError:
        raise ServiceError(AREA_NOT_NUMBER_TYPE_SQUARE, code="invalid_area", value=value) from None
    if not area.is_finite() or area < 0 or area != area.quantize(Decimal("0.001")):
        raise ServiceError(AREA_NOT_VALID_TYPE_SQUARE, code="invalid_area", value=value)
    return area


def _threshold(value: Decimal | str) -> Decimal:
    try:
        return parse_amount(value, allow_zero=True)
    except AmountError as exc:
        raise ServiceError(str(exc), code="invalid_amount", en=exc.english) from None


def _check_fields(changes: dict, allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")


def _apply(obj, changes: dict) -> dict:
    before = {k: getattr(obj, k) for k in changes}
    for k, v in changes.items():
        setattr(obj, k, v)
    return before


def _building_row(b: Building) -> BuildingRow:
    stalls = (
        object_session(b).scalar(select(func.count()).where(Stall.building_id == b.id))
        if b.id
        else 0
    )
    return BuildingRow(
        b.id, b.name, b.reading_time, b.settlement_time, b.settlement_cycle, b.settled_until, stalls
    )


def building_rows(session: Session, site_id: int) -> list[BuildingRow]:
    counts = dict(
        session.execute(
            select(Stall.building_id, func.count())
            .where(Stall.site_id == site_id)
            .group_by(Stall.building_id)
        ).all()
    )
    return [
        BuildingRow(
            b.id,
            b.name,
            b.reading_time,
            b.settlement_time,
            b.settlement_cycle,
            b.settled_until,
            counts.get(b.id, 0),
        )
        for b in session.scalars(
            select(Building).where(Building.site_id == site_id).order_by(Building.name)
        )
    ]


def first_site_id(session: Session) -> int | None:
    return session.scalar(select(Site.id).order_by(Site.id).limit(1))


def site_name(session: Session, site_id: int) -> str:
    return session.scalar(select(Site.name).where(Site.id == site_id)) or ""


def list_sites(session: Session) -> list[SiteRow]:
    """The markets of the database, oldest first (one, except on a shared server)."""
    return [
        SiteRow(s.id, s.code, s.name, s.phone or "", s.timezone)
        for s in session.scalars(select(Site).order_by(Site.id))
    ]
