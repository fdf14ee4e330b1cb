"""Builders for the clerk's-day tests: a small market with stalls, accounts and meters."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.comm.types import ChannelKind, MeterKind, MeterReading, Protocol
from app.models.account import Account, EntryKind, PayMethod
from app.models.meter import Channel, Meter
from app.models.site import Building, SettlementCycle, Site, Stall
from app.models.tariff import Tariff, TariffMode, TariffPeriod, TariffRate, TariffTier
from app.models.user import Role, User
from app.services.money.ledger import lock_account, post
from app.services.platform.context import Actor

TZ = ZoneInfo("Asia/Shanghai")


def local(y, mo, d, h=0, mi=0) -> datetime:
    """A local (Asia/Shanghai) time as the aware UTC instant the services take."""
    return datetime(y, mo, d, h, mi, tzinfo=TZ).astimezone(UTC)


@dataclass
class StallRef:
    stall_id: int
    account_id: int
    electric: int | None  # meter id
    water: int | None


class Market:
    """One site with building A区 and a comm channel, built in the given session."""

    _n = itertools.count(1)

    def __init__(
        self,
        s,
        *,
        cycle=SettlementCycle.DAILY,
        night=None,
        electric_price="1.0000",
        water_price="5.0000",
    ):
        self.s = s
        self.site = Site(code=f"S{next(self._n)}", name="测试农贸市场")
        if night:
            self.site.friendly_night_start, self.site.friendly_night_end = night
        s.add(self.site)
        s.flush()
        self.building = Building(
            site_id=self.site.id,
            name="A区 蔬菜区",
            settlement_cycle=cycle,
            reading_time=time(0, 0),
            settlement_time=time(1, 0),
        )
        self.channel = Channel(site_id=self.site.id, name="COM1", kind=ChannelKind.SERIAL)
        s.add_all([self.building, self.channel])
        self.electric_tariff = self.tariff("民用电", MeterKind.ELECTRIC, price=electric_price)
        self.water_tariff = self.tariff("水费", MeterKind.WATER, price=water_price)
        admin = User(
            site_id=self.site.id,
            username=f"admin{self.site.id}",
            password_hash="x",
            role=Role.ADMIN,
        )
        cashier = User(
            site_id=self.site.id,
            username=f"cashier{self.site.id}",
            password_hash="x",
            role=Role.CASHIER,
        )
        reviewer = User(
            site_id=self.site.id,
            username=f"reviewer{self.site.id}",
            password_hash="x",
            role=Role.REVIEWER,
        )
        s.add_all([admin, cashier, reviewer])
        s.flush()
        self.admin = Actor(admin.id, admin.username, Role.ADMIN, self.site.id)
        self.cashier = Actor(cashier.id, cashier.username, Role.CASHIER, self.site.id)
        self.reviewer = Actor(reviewer.id, reviewer.username, Role.REVIEWER, self.site.id)
        self._addr = itertools.count(1)

    def tariff(
        self, name, kind, *, price="1.0000", mode=TariffMode.FLAT, rates=None, periods=(), tiers=()
    ):
        t = Tariff(site_id=self.site.id, name=name, kind=kind, mode=mode, price=Decimal(price))
        t.rates = [TariffRate(rate=r, price=Decimal(p)) for r, p in (rates or {}).items()]
        t.periods = [TariffPeriod(start_minute=m, rate=r) for m, r in periods]
        t.tiers = [
            TariffTier(level=i, up_to=None if u is None else Decimal(u), price=Decimal(p))
            for i, (u, p) in enumerate(tiers, start=1)
        ]
        self.s.add(t)
        self.s.flush()
        return t

    def a_stall(
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
        s = self.s
        stall = Stall(
            site_id=self.site.id,
            building_id=self.building.id,
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
            self.recharge(account.id, balance)
        ids = {}
        for kind, wanted in ((MeterKind.ELECTRIC, electric), (MeterKind.WATER, water)):
            if not wanted:
                continue
            m = Meter(
                site_id=self.site.id,
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
                        self.electric_tariff if kind == MeterKind.ELECTRIC else self.water_tariff
                    ).id
                ),
                supply_on=supply_on,
            )
            s.add(m)
            s.flush()
            ids[kind] = m.id
        return StallRef(stall.id, account.id, ids.get(MeterKind.ELECTRIC), ids.get(MeterKind.WATER))

    def recharge(self, account_id: int, amount) -> None:
        post(
            self.s,
            lock_account(self.s, account_id),
            EntryKind.RECHARGE,
            Decimal(amount),
            method=PayMethod.CASH,
        )

    def reading(self, meter_id: int, at: datetime, total: int, tariffs=None, **kw) -> MeterReading:
        m = self.s.get(Meter, meter_id)
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
        return self.s.scalar(select(Account.balance).where(Account.id == stall.account_id))


def every_30_min(start: datetime, count: int):
    return [start + timedelta(minutes=30 * i) for i in range(count)]
