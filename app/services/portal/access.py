"""Which stalls a phone may see in the tenants' portal, and how that is given (我的档位, 授权).

A phone on record as a stall's tenant or owner (租户 / 业主 of the stall card) sees the stall at
once. Another phone binds it by the stall's QR (a random per-stall token) and a code sent to the
phone on record; the owner on record authorizes (授权) a phone and takes it back. Every change
is in the audit log. Every read of a stall's data goes through `visible_stall`, which answers
"not found" alike for a stall that does not exist and one the phone may not see.
"""

from __future__ import annotations

import secrets
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.billing import Bill
from app.models.portal import StallAccess, StallToken
from app.models.site import Customer, Site, Stall, StallRole, StallRoleKind
from app.services.market.readings import period_register_usage
from app.services.market.stalls import StallCard, stall_card
from app.services.money.accounts import ReceiptData, RechargeRow, receipt, recharge_history
from app.services.money.online_payments import enabled_providers
from app.services.money.property import BillLineRow, bill_lines
from app.services.money.tariffs import UNIT, register_quantity
from app.services.office.plates_render import Plate
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Conflict, May, NotFound, ServiceError, require
from app.services.platform.timeutil import site_zone
from app.services.portal.qr import portal_url, stall_qr_url, stall_token  # noqa: F401
from app.services.portal.sign_in import check_code, mobile, portal_actor, send_code
from app.words import QT_TRANSLATE_NOOP, Word

NO_SUCH_STALL = Word(
    "portal.no_such_stall",
    QT_TRANSLATE_NOOP(
        "Errors",
        "This stall is not among your stalls. Bind it by scanning its "
        "QR code, or ask its owner to authorize your phone",
    ),
)
UNKNOWN_QR = Word(
    "portal.unknown_qr",
    QT_TRANSLATE_NOOP(
        "Errors",
        "This QR code is not (or no longer) a stall's code. Scan the "
        "newest receipt or the stall plate, or ask the property office",
    ),
)
NO_PHONE_ON_RECORD = Word(
    "portal.no_phone_on_record",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall {stall} has no phone on record to send the code to. "
        "Ask the property office to add the tenant's phone",
    ),
)
ONLY_THE_OWNER = Word(
    "portal.only_the_owner",
    QT_TRANSLATE_NOOP(
        "Errors", "Only the owner on record of stall {stall} may authorize or remove phones"
    ),
)
ALREADY_SEES = Word(
    "portal.already_sees",
    QT_TRANSLATE_NOOP("Errors", "The phone {phone} already sees stall {stall}"),
)

HOW_TENANT, HOW_OWNER, HOW_BOUND, HOW_AUTHORIZED = "tenant", "owner", "bound", "authorized"


@dataclass(frozen=True, slots=True)
class MyStall:
    id: int
    code: str
    name: str
    how: str  # tenant / owner (on record), bound (by QR), authorized (by the owner)


def _on_record(session: Session, site_id: int, phone: str) -> dict[int, str]:
    rows = session.execute(
        select(StallRole.stall_id, StallRole.role)
        .join(Customer, Customer.id == StallRole.customer_id)
        .where(Customer.site_id == site_id, Customer.phone == phone)
    )
    found: dict[int, str] = {}
    for stall_id, role in rows:
        # owner before tenant: the owner may authorize
        if found.get(stall_id) != HOW_OWNER:
            found[stall_id] = HOW_OWNER if role == StallRoleKind.OWNER else HOW_TENANT
    return found


def my_stalls(session: Session, site_id: int, phone: str) -> list[MyStall]:
    """The stalls `phone` sees, by code. Reads only."""
    how = {
        r.stall_id: r.how
        for r in session.scalars(select(StallAccess).where(StallAccess.phone == phone))
    }
    how.update(_on_record(session, site_id, phone))
    stalls = session.execute(
        select(Stall.id, Stall.code, Stall.name)
        .where(Stall.site_id == site_id, Stall.id.in_(how))
        .order_by(Stall.code)
    )
    return [MyStall(i, code, name, how[i]) for i, code, name in stalls]


def visible_stall(session: Session, site_id: int, phone: str, stall_id: int) -> MyStall:
    """The stall when `phone` may see it, as `my_stalls` says, in one read (every page of
    a stall asks); NotFound otherwise (the same for a stall of another tenant as for one
    that does not exist)."""
    on_record = (
        select(func.min(case((StallRole.role == StallRoleKind.OWNER, 0), else_=1)))
        .join(Customer, Customer.id == StallRole.customer_id)
        .where(StallRole.stall_id == Stall.id, Customer.site_id == site_id, Customer.phone == phone)
        .scalar_subquery()
    )
    access = (
        select(StallAccess.how)
        .where(StallAccess.stall_id == Stall.id, StallAccess.phone == phone)
        .scalar_subquery()
    )
    row = session.execute(
        select(Stall.code, Stall.name, on_record, access).where(
            Stall.id == stall_id, Stall.site_id == site_id
        )
    ).first()
    if row is None or (row[2] is None and row[3] is None):
        raise NotFound(NO_SUCH_STALL)
    code, name, role, how = row
    if role is not None:  # on record: the owner before the tenant, as in my_stalls
        how = HOW_OWNER if role == 0 else HOW_TENANT
    return MyStall(stall_id, code, name, how)


# ---------------------------------------------------------------- the stall's QR token


def renew_stall_token(session: Session, actor: Actor, stall_id: int) -> str:
    """A new QR token for the stall: printed QR codes of it stop working (a bound phone
    keeps the stall). Permission: admin. Audit: portal.renew_qr."""
    require(actor, May.SET_UP_TENANT_PORTAL)
    stall = session.get(Stall, stall_id)
    if stall is None or stall.site_id != actor.site_id:
        raise NotFound(NO_SUCH_STALL)
    row = session.get(StallToken, stall_id)
    token = secrets.token_urlsafe(12)
    if row is None:
        session.add(StallToken(stall_id=stall_id, token=token))
    else:
        row.token, row.at = token, datetime.now(UTC)
    audit(session, actor, "portal.renew_qr", "stall", stall_id)
    return token


SET_THE_PORTAL_ADDRESS = Word(
    "portal.set_the_portal_address",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The tenants' portal has no address yet, so a plate's QR code would lead nowhere. Set it "
        "first: python -m app sms setup --provider outbox --portal-url https://…",
    ),
)


def stall_plates(session: Session, actor: Actor, stall_ids: list[int]) -> list[Plate]:
    """The plates (档位牌) of the stalls, in code order: their QR is the portal's address with
    the stall's token (made when missing). Permission: any user. Writes tokens only."""
    base = portal_url(session, actor.site_id)
    if not base:
        raise ServiceError(SET_THE_PORTAL_ADDRESS, code="required")
    site = session.get(Site, actor.site_id)
    rows = session.scalars(
        select(Stall)
        .where(Stall.site_id == actor.site_id, Stall.id.in_(stall_ids))
        .order_by(Stall.code)
    )
    return [
        Plate(site.name, s.code, s.name, stall_qr_url(session, actor.site_id, s.id)) for s in rows
    ]


@dataclass(frozen=True, slots=True)
class QrStall:
    id: int
    code: str
    name: str
    phone_hint: str  # the phone on record, masked: where the code goes


def stall_by_token(session: Session, site_id: int, token: str) -> QrStall:
    row = session.scalar(select(StallToken).where(StallToken.token == token))
    stall = session.get(Stall, row.stall_id) if row else None
    if stall is None or stall.site_id != site_id:
        raise NotFound(UNKNOWN_QR)
    phone = _phone_on_record(session, stall)
    hint = phone[:3] + "****" + phone[-4:] if phone else ""
    return QrStall(stall.id, stall.code, stall.name, hint)


def _phone_on_record(session: Session, stall: Stall) -> str:
    people = {r.role: r.customer.phone for r in stall.roles if r.customer.phone}
    return people.get(StallRoleKind.TENANT) or people.get(StallRoleKind.OWNER) or ""


def send_bind_code(
    session: Session, site_id: int, phone: str, token: str, *, client_ip: str = ""
) -> QrStall:
    """Send a code to the phone on record of the QR's stall, for `phone` to bind it
    (`client_ip`: the asking address, see send_code). Transaction: the caller's."""
    qr = stall_by_token(session, site_id, token)
    stall = session.get(Stall, qr.id)
    on_record = _phone_on_record(session, stall)
    if not on_record:
        raise Conflict(NO_PHONE_ON_RECORD, stall=stall.code)
    send_code(
        session,
        site_id,
        phone,
        "bind",
        sent_to=mobile(on_record),
        stall_id=stall.id,
        client_ip=client_ip,
    )
    return qr


def bind_stall(session: Session, site_id: int, phone: str, token: str, code: str):
    """Bind the QR's stall to `phone` when `code` is the one sent to its phone on record.
    Returns the CodeCheck (a wrong code is counted: the caller commits). Audit: portal.bind."""
    qr = stall_by_token(session, site_id, token)
    checked = check_code(session, site_id, phone, code, "bind")
    if not checked.ok:
        return checked
    if checked.stall_id != qr.id:  # a code asked for another stall's QR
        from app.services.portal.sign_in import NO_LIVE_CODE, CodeCheck

        return CodeCheck(False, NO_LIVE_CODE())
    if not any(s.id == qr.id for s in my_stalls(session, site_id, phone)):
        session.add(StallAccess(stall_id=qr.id, phone=phone, how=HOW_BOUND, by_phone=phone))
        audit(session, portal_actor(site_id, phone), "portal.bind", "stall", qr.id, phone=phone)
    return checked


# ---------------------------------------------------------------- authorization (授权)


@dataclass(frozen=True, slots=True)
class StallPerson:
    phone: str
    how: str
    by_phone: str
    at: datetime | None


def stall_people(session: Session, stall_id: int) -> list[StallPerson]:
    """The phones that see a stall besides its tenant and owner on record (the client's
    stall card shows them). Reads only."""
    return [
        StallPerson(r.phone, r.how, r.by_phone, r.at)
        for r in session.scalars(
            select(StallAccess).where(StallAccess.stall_id == stall_id).order_by(StallAccess.at)
        )
    ]


def _as_owner(session: Session, site_id: int, owner_phone: str, stall_id: int) -> Stall:
    mine = visible_stall(session, site_id, owner_phone, stall_id)
    if mine.how != HOW_OWNER:
        raise ServiceError(ONLY_THE_OWNER, code="permission_denied", stall=mine.code)
    return session.get(Stall, stall_id)


def authorize(session: Session, site_id: int, owner_phone: str, stall_id: int, phone: str) -> None:
    """The owner on record lets `phone` see the stall. Audit: portal.authorize."""
    stall = _as_owner(session, site_id, owner_phone, stall_id)
    phone = mobile(phone)
    if any(s.id == stall_id for s in my_stalls(session, site_id, phone)):
        raise Conflict(ALREADY_SEES, phone=phone, stall=stall.code)
    session.add(
        StallAccess(stall_id=stall_id, phone=phone, how=HOW_AUTHORIZED, by_phone=owner_phone)
    )
    audit(
        session,
        portal_actor(site_id, owner_phone),
        "portal.authorize",
        "stall",
        stall_id,
        phone=phone,
    )


def remove_access(
    session: Session, site_id: int, owner_phone: str, stall_id: int, phone: str
) -> None:
    """The owner on record takes a bound or authorized phone off the stall (its next page
    no longer shows it). Audit: portal.unauthorize."""
    _as_owner(session, site_id, owner_phone, stall_id)
    gone = session.execute(
        delete(StallAccess).where(StallAccess.stall_id == stall_id, StallAccess.phone == phone)
    ).rowcount
    if gone:
        audit(
            session,
            portal_actor(site_id, owner_phone),
            "portal.unauthorize",
            "stall",
            stall_id,
            phone=phone,
        )


# ---------------------------------------------------------------- the stall page


@dataclass(frozen=True, slots=True)
class UsageSeries:
    unit: str
    days: tuple[tuple[date, Decimal], ...]  # the last 30 days
    months: tuple[tuple[date, Decimal], ...]  # the last 12 months (first day)
    this_month: Decimal
    last_month: Decimal


@dataclass(frozen=True, slots=True)
class StallPage:
    card: StallCard
    how: str
    alarm_level: int  # 0 none, 1 below alarm 1, 2 below alarm 2
    electric: UsageSeries | None
    water: UsageSeries | None
    recharges: tuple[RechargeRow, ...]
    bills: tuple[BillOfStall, ...]
    people: tuple[StallPerson, ...]
    can_recharge: bool  # the market has a payment platform set up and on: the 充值 button


@dataclass(frozen=True, slots=True)
class BillOfStall:
    id: int
    kind: str
    status: str
    period_start: datetime
    period_end: datetime
    amount: Decimal


def _month_back(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(y, m + 1, 1)


def _usage(session: Session, meter_ids: list[int], today: date) -> dict[MeterKind, UsageSeries]:
    """The electricity and water series of these meters (a kind without meters: absent)."""
    # One read for both charts, by periods bounded by every month's and day's start (a
    # month holding some of the 30 days is the sum of its periods), summed in register
    # units (exact integers) and turned into kWh / m³ once per bar.
    month_starts = [_month_back(today, i) for i in range(11, -1, -1)]
    day_starts = [today - timedelta(days=i) for i in range(29, -1, -1)]
    starts = sorted({*month_starts, *day_starts})
    per_period: dict[MeterKind, list[int]] = {}
    for kind, units in period_register_usage(session, meter_ids, starts, today).values():
        into = per_period.setdefault(kind, [0] * len(starts))
        for i, u in enumerate(units):
            into[i] += u
    first_day = starts.index(day_starts[0])
    out = {}
    for kind, units in per_period.items():
        days = tuple(
            (d, register_quantity(kind, u))
            for d, u in zip(day_starts, units[first_day:], strict=True)
        )
        per_month = [0] * len(month_starts)
        for start, u in zip(starts, units, strict=True):
            per_month[bisect_right(month_starts, start) - 1] += u
        months = tuple(
            (d, register_quantity(kind, u)) for d, u in zip(month_starts, per_month, strict=True)
        )
        out[kind] = UsageSeries(UNIT[kind], days, months, months[-1][1], months[-2][1])
    return out


def stall_page(
    session: Session, site_id: int, phone: str, stall_id: int, *, today: date | None = None
) -> StallPage:
    """Everything the stall page shows, for a phone that may see the stall. Reads only."""
    mine = visible_stall(session, site_id, phone, stall_id)
    card = stall_card(session, stall_id, site_id=site_id, office=False)
    today = today or datetime.now(site_zone(session, site_id)).date()
    available = card.available_balance
    level = (
        2
        if card.alarm2 is not None and available < card.alarm2
        else (1 if card.alarm1 is not None and available < card.alarm1 else 0)
    )
    series = _usage(session, [m.id for m in card.meters], today)
    bills = session.execute(
        select(Bill.id, Bill.kind, Bill.status, Bill.period_start, Bill.period_end, Bill.amount)
        .where(Bill.stall_id == stall_id, Bill.voided_at.is_(None))
        .order_by(Bill.period_end.desc(), Bill.id.desc())
        .limit(30)
    )
    return StallPage(
        card,
        mine.how,
        level,
        series.get(MeterKind.ELECTRIC),
        series.get(MeterKind.WATER),
        tuple(recharge_history(session, stall_id=stall_id, limit=20)),
        tuple(BillOfStall(r[0], str(r[1]), str(r[2]), r[3], r[4], r[5]) for r in bills),
        tuple(stall_people(session, stall_id)) if mine.how == HOW_OWNER else (),
        bool(enabled_providers(session, site_id)),
    )


def stall_receipt(
    session: Session, site_id: int, phone: str, stall_id: int, receipt_id: int
) -> ReceiptData:
    """A receipt of the stall, as printed. NotFound when it is another stall's."""
    visible_stall(session, site_id, phone, stall_id)
    if not any(
        r.receipt_id == receipt_id for r in recharge_history(session, stall_id=stall_id, limit=5000)
    ):
        raise NotFound(NO_SUCH_STALL)
    return receipt(session, receipt_id)


def stall_bill(
    session: Session, site_id: int, phone: str, stall_id: int, bill_id: int
) -> tuple[BillOfStall, list[BillLineRow]]:
    visible_stall(session, site_id, phone, stall_id)
    b = session.get(Bill, bill_id)
    if b is None or b.stall_id != stall_id:
        raise NotFound(NO_SUCH_STALL)
    row = BillOfStall(b.id, str(b.kind), str(b.status), b.period_start, b.period_end, b.amount)
    return row, bill_lines(session, site_id, bill_id)
