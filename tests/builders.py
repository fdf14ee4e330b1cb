"""Builders for a clerk's day: a market with its people, stalls and meters.

    market = Market(db)
    stall = market.a_stall("A001", balance="12.30", tenant="张三")
    with db.transaction() as s:
        recharge(s, market.cashier, RechargeRequest(stall_id=stall, amount="100",
        method=PayMethod.CASH))

    m = Market.in_session(s)
    stall = m.a_stall_with_meters(balance="100.00", water=True)
    settle(s, m.admin, at=local(2026, 3, 2, 1))

`Market(db)` builds through the services, each builder in a transaction of its own;
`Market.in_session(s)` builds a site with its channel and tariffs as rows in the caller's
session, and its builders add to that session. Every builder works on either. The a_*
functions further down build the office's market (buildings, stalls by area, meters with
their daily closing readings) in the caller's session: `a_stall(s, "A001", area="12")`.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import insert, select

from app.comm.types import ChannelKind, MeterKind, MeterReading, Protocol
from app.models.account import Account, EntryKind, PayMethod
from app.models.billing import Bill, BillKind, BillStatus
from app.models.meter import Channel, Meter, MeterDay
from app.models.site import Building, Customer, SettlementCycle, Site, Stall
from app.models.tariff import Tariff, TariffMode, TariffPeriod, TariffRate, TariffTier
from app.models.user import Role, User
from app.services.market import stalls
from app.services.money.ledger import lock_account, post
from app.services.platform import users
from app.services.platform.context import Actor

EPOCH = date(1970, 1, 1)
TZ = ZoneInfo("Asia/Shanghai")
_bill_keys = count()


def local(y, mo, d, h=0, mi=0) -> datetime:
    """A local (Asia/Shanghai) time as the aware UTC instant the services take."""
    return datetime(y, mo, d, h, mi, tzinfo=TZ).astimezone(UTC)


def every_30_min(start: datetime, count: int):
    return [start + timedelta(minutes=30 * i) for i in range(count)]


@dataclass
class StallRef:
    stall_id: int
    account_id: int
    electric: int | None  # meter id
    water: int | None


class Market:
    """One market and the builders of what it holds (see the module's docstring)."""

    _sites = itertools.count(1)

    def __init__(self, db, name: str = "城南农贸市场"):
        """An admin (boss), two cashiers and a viewer, made through the services."""
        self.db, self.s = db, None
        self.channel = self.electric_tariff = self.water_tariff = None
        self._addr = itertools.count(1)
        with db.transaction() as s:
            self.site_id = stalls.create_site(s, "CN01", name, phone="0571-8888").id
            admin = users.ensure_admin(s, self.site_id, "boss", "boss-pass")
            self.admin = Actor(admin.id, "boss", Role.ADMIN, self.site_id)
            self.cashier = self.a_user(s, "xiaoli", Role.CASHIER, "小李")
            self.cashier2 = self.a_user(s, "xiaowang", Role.CASHIER, "小王")
            self.viewer = self.a_user(s, "guest", Role.VIEWER, "访客")
            self.building_id = stalls.create_building(s, self.admin, "一号楼").id

    @classmethod
    def in_session(
        cls,
        s,
        *,
        cycle=SettlementCycle.DAILY,
        night=None,
        electric_price="1.0000",
        water_price="5.0000",
    ) -> Market:
        """A site with building A区 蔬菜区 settled by `cycle`, channel COM1, a flat tariff for
        electricity and water, an admin, a cashier and a reviewer: rows in the session `s`."""
        self = cls.__new__(cls)
        self.db, self.s = None, s
        self._addr = itertools.count(1)
        self.site = Site(code=f"S{next(cls._sites)}", name="测试农贸市场")
        if night:
            self.site.friendly_night_start, self.site.friendly_night_end = night
        s.add(self.site)
        s.flush()
        self.site_id = self.site.id
        self.building = Building(
            site_id=self.site.id,
            name="A区 蔬菜区",
            settlement_cycle=cycle,
            reading_time=time(0, 0),
            settlement_time=time(1, 0),
        )
        s.add(self.building)
        self._meter_line(s, electric_price, water_price)
        self.building_id = self.building.id
        admin, cashier, reviewer = (
            User(
                site_id=self.site.id,
                username=f"{role.value}{self.site.id}",
                password_hash="x",
                role=role,
            )
            for role in (Role.ADMIN, Role.CASHIER, Role.REVIEWER)
        )
        s.add_all([admin, cashier, reviewer])
        s.flush()
        self.admin = Actor(admin.id, admin.username, Role.ADMIN, self.site.id)
        self.cashier = Actor(cashier.id, cashier.username, Role.CASHIER, self.site.id)
        self.reviewer = Actor(reviewer.id, reviewer.username, Role.REVIEWER, self.site.id)
        return self

    @contextmanager
    def _session(self) -> Iterator:
        """The caller's session (Market.in_session) or a transaction of the builder's own."""
        if self.s is not None:
            yield self.s
        else:
            with self.db.transaction() as s:
                yield s

    def _meter_line(self, s, electric_price="1.0000", water_price="5.0000") -> None:
        """Channel COM1 and the tariffs a_stall_with_meters puts meters on."""
        self.channel = Channel(site_id=self.site_id, name="COM1", kind=ChannelKind.SERIAL)
        s.add(self.channel)
        self.electric_tariff = self._tariff(s, "民用电", MeterKind.ELECTRIC, price=electric_price)
        self.water_tariff = self._tariff(s, "水费", MeterKind.WATER, price=water_price)

    def a_user(self, s, username: str, role: Role, display_name: str = "") -> Actor:
        row = users.add_user(s, self.admin, username, f"{username}-pass", role, display_name)
        return Actor(row.id, username, role, self.site_id)

    def a_stall(
        self,
        code: str = "A001",
        *,
        balance: str = "0",
        tenant: str | None = "张三",
        phone: str = "13800000001",
        building: str | None = None,
        name: str | None = None,
    ) -> int:
        """A stall made through the services, rented to `tenant`, with an opening balance."""
        with self._session() as s:
            building_id = self.building_id
            if building:
                building_id = (
                    s.scalar(select(Building.id).where(Building.name == building))
                    or stalls.create_building(s, self.admin, building).id
                )
            stall = stalls.create_stall(
                s, self.admin, building_id, code, name if name is not None else f"{code} 蔬菜"
            )
            if tenant:  # one person may rent several stalls
                customer_id = s.scalar(
                    select(Customer.id).where(
                        Customer.site_id == self.site_id,
                        Customer.name == tenant,
                        Customer.phone == phone,
                    )
                )
                if customer_id is None:
                    customer_id = stalls.create_customer(s, self.admin, tenant, phone).id
                stalls.set_stall_role(s, self.admin, stall.id, "tenant", customer_id)
            if Decimal(balance) != 0:
                account_id = s.scalar(select(Account.id).where(Account.stall_id == stall.id))
                # An opening balance carried over from the old system.
                post(
                    s,
                    lock_account(s, account_id),
                    EntryKind.ADJUSTMENT,
                    Decimal(balance),
                    reason="期初余额",
                )
            return stall.id

    def a_channel(self, name: str = "1号485", kind: ChannelKind = ChannelKind.SERIAL_SERVER) -> int:
        with self._session() as s:
            channel = Channel(site_id=self.site_id, name=name, kind=kind, settings={})
            s.add(channel)
            s.flush()
            return channel.id

    def a_meter(
        self,
        stall_id: int,
        kind: MeterKind = MeterKind.ELECTRIC,
        address: str = "1",
        *,
        supply_on: bool | None = True,
        last_total: int | None = None,
        settled_total: int | None = None,
        price: str | None = None,
        channel_id: int | None = None,
    ) -> int:
        """A meter read a minute ago (last_total) and settled yesterday (settled_total), priced
        at a flat `price` a kWh / m³ when given; `address` on the line `channel_id`."""
        now = datetime.now(UTC)
        with self._session() as s:
            tariff_id = None
            if price is not None:
                tariff = Tariff(
                    site_id=self.site_id,
                    name=f"{kind.value} {price} {address}",
                    kind=kind,
                    mode=TariffMode.FLAT,
                    price=Decimal(price),
                )
                s.add(tariff)
                s.flush()
                tariff_id = tariff.id
            m = Meter(
                site_id=self.site_id,
                stall_id=stall_id,
                kind=kind,
                model="DDSY1352",
                protocol=Protocol.MODBUS_ACREL,
                channel_id=channel_id,
                address=address,
                supply_on=supply_on,
                last_total=last_total,
                settled_total=settled_total,
                tariff_id=tariff_id,
                last_read_at=now - timedelta(minutes=1) if last_total is not None else None,
                settled_at=now - timedelta(days=1) if settled_total is not None else None,
            )
            s.add(m)
            s.flush()
            return m.id

    def some_bills(
        self,
        stall_id: int,
        month: date,
        n: int,
        *,
        kind=BillKind.ELECTRIC,
        status=BillStatus.UNPROCESSED,
        amount: str = "1.00",
    ) -> None:
        """`n` hourly bills of one stall in period `month` (账期), written straight into the
        database many at a time (a big market's month)."""
        with self._session() as s:
            site_id = s.scalar(select(Stall.site_id).where(Stall.id == stall_id))
            account_id = s.scalar(select(Account.id).where(Account.stall_id == stall_id))
            start = datetime(month.year, month.month, 1, tzinfo=UTC)
            s.execute(
                insert(Bill),
                [
                    {
                        "site_id": site_id,
                        "stall_id": stall_id,
                        "account_id": account_id,
                        "kind": kind,
                        "status": status,
                        "period_start": start + timedelta(hours=i),
                        "period_end": start + timedelta(hours=i + 1),
                        "amount": Decimal(amount),
                        "month": month,
                        "dedupe_key": f"test:{next(_bill_keys)}",
                        "note": "",
                    }
                    for i in range(n)
                ],
            )

    def tariff(
        self, name, kind, *, price="1.0000", mode=TariffMode.FLAT, rates=None, periods=(), tiers=()
    ) -> Tariff:
        with self._session() as s:
            return self._tariff(
                s, name, kind, price=price, mode=mode, rates=rates, periods=periods, tiers=tiers
            )

    def _tariff(
        self,
        s,
        name,
        kind,
        *,
        price="1.0000",
        mode=TariffMode.FLAT,
        rates=None,
        periods=(),
        tiers=(),
    ) -> Tariff:
        t = Tariff(site_id=self.site_id, name=name, kind=kind, mode=mode, price=Decimal(price))
        t.rates = [TariffRate(rate=r, price=Decimal(p)) for r, p in (rates or {}).items()]
        t.periods = [TariffPeriod(start_minute=m, rate=r) for m, r in periods]
        t.tiers = [
            TariffTier(level=i, up_to=None if u is None else Decimal(u), price=Decimal(p))
            for i, (u, p) in enumerate(tiers, start=1)
        ]
        s.add(t)
        s.flush()
        return t

    def a_stall_with_meters(
        self,
        code=None,
        *,
        balance="100.00",
        electric=True,
        water=False,
        alarm1="50",
        alarm2="20",
        overdraft="0",
        ct=1,
        tariff=None,
        supply_on=True,
        area="10",
    ) -> StallRef:
        """A stall with its account's alarms and a recharged `balance`, and its electricity
        and/or water meter on channel COM1 (made on first use by a `Market(db)`)."""
        with self._session() as s:
            if self.channel is None:
                self._meter_line(s)
            stall = Stall(
                site_id=self.site_id,
                building_id=self.building_id,
                code=code or f"A{next(self._addr):03d}",
                name="张三蔬菜",
                area_m2=Decimal(area),
            )
            s.add(stall)
            s.flush()
            account = Account(
                stall_id=stall.id,
                alarm1=Decimal(alarm1),
                alarm2=Decimal(alarm2),
                overdraft_limit=Decimal(overdraft),
            )
            s.add(account)
            s.flush()
            if Decimal(balance):
                self._recharge(s, account.id, balance)
            ids = {}
            for kind, wanted in ((MeterKind.ELECTRIC, electric), (MeterKind.WATER, water)):
                if not wanted:
                    continue
                m = Meter(
                    site_id=self.site_id,
                    stall_id=stall.id,
                    kind=kind,
                    model="DDSY1352-NK",
                    protocol=Protocol.MODBUS_ACREL
                    if kind == MeterKind.ELECTRIC
                    else Protocol.CTWING_WATER,
                    channel_id=self.channel.id,
                    address=str(next(self._addr)),
                    ct_ratio=ct,
                    tariff_id=(
                        tariff.id
                        if tariff is not None and tariff.kind == kind
                        else (
                            self.electric_tariff
                            if kind == MeterKind.ELECTRIC
                            else self.water_tariff
                        ).id
                    ),
                    supply_on=supply_on,
                )
                s.add(m)
                s.flush()
                ids[kind] = m.id
            return StallRef(
                stall.id, account.id, ids.get(MeterKind.ELECTRIC), ids.get(MeterKind.WATER)
            )

    def recharge(self, account_id: int, amount) -> None:
        with self._session() as s:
            self._recharge(s, account_id, amount)

    @staticmethod
    def _recharge(s, account_id: int, amount) -> None:
        post(
            s,
            lock_account(s, account_id),
            EntryKind.RECHARGE,
            Decimal(amount),
            method=PayMethod.CASH,
        )

    def reading(self, meter_id: int, at: datetime, total: int, tariffs=None, **kw) -> MeterReading:
        with self._session() as s:
            m = s.get(Meter, meter_id)
            return MeterReading(
                channel_id=m.channel_id,
                address=m.address,
                kind=MeterKind(m.kind),
                read_at=at,
                total=total,
                tariffs=tariffs,
                **kw,
            )

    def balance(self, stall: StallRef) -> Decimal:
        with self._session() as s:
            return s.scalar(select(Account.balance).where(Account.id == stall.account_id))


# ---------------------------------------------------------------- in the caller's session
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


def a_tariff(
    s, name: str, kind=MeterKind.ELECTRIC, price="1.00", *, site: Site | None = None
) -> Tariff:
    """A flat tariff: `price` a kWh or m³."""
    site = site or a_site(s)
    tariff = Tariff(
        site_id=site.id, name=name, kind=kind, mode=TariffMode.FLAT, price=Decimal(price)
    )
    s.add(tariff)
    s.flush()
    return tariff


def a_user(s, role: Role, username: str | None = None) -> Actor:
    site = a_site(s)
    username = username or f"{role.value}1"
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            site_id=site.id, username=username, display_name=username, password_hash="x", role=role
        )
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


def a_stall(
    s, code="A001", *, building="A区", area="10", balance="0", at: datetime | None = None
) -> Stall:
    b = a_building(s, building)
    stall = Stall(
        site_id=b.site_id, building_id=b.id, code=code, name=f"档位{code}", area_m2=Decimal(area)
    )
    s.add(stall)
    s.flush()
    account = Account(stall_id=stall.id)
    s.add(account)
    s.flush()
    if Decimal(balance):
        post(
            s,
            lock_account(s, account.id),
            EntryKind.RECHARGE,
            Decimal(balance),
            method=PayMethod.CASH,
            at=at or datetime(2026, 10, 1, tzinfo=UTC),
        )
    return stall


def account_of(s, stall) -> Account:
    return s.scalar(select(Account).where(Account.stall_id == stall.id))


def a_meter(s, stall=None, *, kind=MeterKind.ELECTRIC, address=None, ct_ratio=1) -> Meter:
    site = a_site(s)
    n = (s.scalar(select(Meter.id).order_by(Meter.id.desc()).limit(1)) or 0) + 1
    m = Meter(
        site_id=site.id,
        stall_id=stall.id if stall else None,
        kind=kind,
        protocol=Protocol.MODBUS_ACREL,
        address=address or f"{n:012d}",
        ct_ratio=ct_ratio,
    )
    s.add(m)
    s.flush()
    return m


def day_no(d: date) -> int:
    return (d - EPOCH).days


def readings(s, meter, closes: dict[date, float]) -> None:
    """Closing registers of local days, in kWh or m³ (stored as 0.01 kWh / litres)."""
    scale = 100 if meter.kind is MeterKind.ELECTRIC else 1000
    for d, value in closes.items():
        s.add(
            MeterDay(meter_id=meter.id, day=day_no(d), close_ts=0, close_total=round(value * scale))
        )
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
