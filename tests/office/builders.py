"""Builders for the office tests: a market with buildings, stalls, accounts and meters."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import select

from app.comm.types import MeterKind, Protocol
from app.models.account import Account, EntryKind, PayMethod
from app.models.meter import Meter, MeterDay
from app.models.site import Building, Site, Stall
from app.models.tariff import Tariff, TariffMode
from app.models.user import Role, User
from app.services.platform.context import Actor
from app.services.money.ledger import lock_account, post

EPOCH = date(1970, 1, 1)


def a_site(s) -> Site:
    """The market, with one electricity and one water tariff, as set up before meters go in."""
    site = s.scalar(select(Site))
    if site is None:
        site = Site(code="S1", name="城东农贸市场")
        s.add(site)
        s.flush()
        a_tariff(s, "商业电价", MeterKind.ELECTRIC, "0.85", site=site)
        a_tariff(s, "商业水价", MeterKind.WATER, "4.50", site=site)
    return site


def a_tariff(s, name: str, kind=MeterKind.ELECTRIC, price="1.00", *, site: Site | None = None) -> Tariff:
    """A flat tariff: `price` a kWh or m³."""
    site = site or a_site(s)
    tariff = Tariff(site_id=site.id, name=name, kind=kind, mode=TariffMode.FLAT, price=Decimal(price))
    s.add(tariff)
    s.flush()
    return tariff


def a_user(s, role: Role, username: str | None = None) -> Actor:
    site = a_site(s)
    username = username or f"{role.value}1"
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(site_id=site.id, username=username, display_name=username, password_hash="x", role=role)
        s.add(user)
        s.flush()
    return Actor(user.id, user.username, role, site.id)


def an_admin(s) -> Actor:
    return a_user(s, Role.ADMIN, "admin")


def a_reviewer(s) -> Actor:
    return a_user(s, Role.REVIEWER, "finance")


def with_password(s, actor: Actor, password: str) -> Actor:
    """The user signs in with this password (the command line's --operator asks for it)."""
    from argon2 import PasswordHasher

    s.get(User, actor.user_id).password_hash = PasswordHasher().hash(password)
    return actor


def a_cashier(s, name="cashier1") -> Actor:
    return a_user(s, Role.CASHIER, name)


def a_building(s, name="A区") -> Building:
    site = a_site(s)
    b = s.scalar(select(Building).where(Building.name == name))
    if b is None:
        b = Building(site_id=site.id, name=name)
        s.add(b)
        s.flush()
    return b


def a_stall(s, code="A001", *, building="A区", area="10", balance="0", at: datetime | None = None) -> Stall:
    b = a_building(s, building)
    stall = Stall(site_id=b.site_id, building_id=b.id, code=code, name=f"档位{code}", area_m2=Decimal(area))
    s.add(stall)
    s.flush()
    account = Account(stall_id=stall.id)
    s.add(account)
    s.flush()
    if Decimal(balance):
        post(s, lock_account(s, account.id), EntryKind.RECHARGE, Decimal(balance), method=PayMethod.CASH,
             at=at or datetime(2026, 10, 1, tzinfo=UTC))
    return stall


def account_of(s, stall) -> Account:
    return s.scalar(select(Account).where(Account.stall_id == stall.id))


def a_meter(s, stall=None, *, kind=MeterKind.ELECTRIC, address=None, ct_ratio=1) -> Meter:
    site = a_site(s)
    n = (s.scalar(select(Meter.id).order_by(Meter.id.desc()).limit(1)) or 0) + 1
    m = Meter(site_id=site.id, stall_id=stall.id if stall else None, kind=kind, protocol=Protocol.MODBUS_ACREL,
              address=address or f"{n:012d}", ct_ratio=ct_ratio)
    s.add(m)
    s.flush()
    return m


def day_no(d: date) -> int:
    return (d - EPOCH).days


def readings(s, meter, closes: dict[date, float]) -> None:
    """Closing registers of local days, in kWh or m³ (stored as 0.01 kWh / litres)."""
    scale = 100 if meter.kind is MeterKind.ELECTRIC else 1000
    for d, value in closes.items():
        s.add(MeterDay(meter_id=meter.id, day=day_no(d), close_ts=0, close_total=round(value * scale)))
    s.flush()


def xlsx(rows: list[list], *, title: str | None = None, sheet="Sheet1", text_cols=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
