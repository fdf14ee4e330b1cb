"""Builders for a clerk's day: a market with its people, stalls and meters.

    market = Market(db)
    stall = market.a_stall("A001", balance="12.30", tenant="张三")
    with db.transaction() as s:
        recharge(s, market.cashier, RechargeRequest(stall_id=stall, amount="100", method=PayMethod.CASH))
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.comm.types import ChannelKind, MeterKind, Protocol
from app.models.account import Account, EntryKind
from app.models.meter import Channel, Meter
from app.models.site import Building, Customer
from app.models.tariff import Tariff, TariffMode
from app.models.user import Role
from app.services.market import stalls
from app.services.platform import users
from app.services.platform.context import Actor
from app.services.money.ledger import lock_account, post
from sqlalchemy import select


class Market:
    """One market with an admin, a cashier and a viewer, and builders for stalls."""

    def __init__(self, db, name: str = "城南农贸市场"):
        self.db = db
        with db.transaction() as s:
            self.site_id = stalls.create_site(s, "CN01", name, phone="0571-8888").id
            admin = users.ensure_admin(s, self.site_id, "boss", "boss-pass")
            self.admin = Actor(admin.id, "boss", Role.ADMIN, self.site_id)
            self.cashier = self.a_user(s, "xiaoli", Role.CASHIER, "小李")
            self.cashier2 = self.a_user(s, "xiaowang", Role.CASHIER, "小王")
            self.viewer = self.a_user(s, "guest", Role.VIEWER, "访客")
            self.building_id = stalls.create_building(s, self.admin, "一号楼").id

    def a_user(self, s, username: str, role: Role, display_name: str = "") -> Actor:
        row = users.add_user(s, self.admin, username, f"{username}-pass", role, display_name)
        return Actor(row.id, username, role, self.site_id)

    def a_stall(
        self, code: str = "A001", *, balance: str = "0", tenant: str | None = "张三", phone: str = "13800000001",
        building: str | None = None, name: str | None = None,
    ) -> int:
        with self.db.transaction() as s:
            building_id = self.building_id
            if building:
                building_id = s.scalar(select(Building.id).where(Building.name == building)) or stalls.create_building(
                    s, self.admin, building).id
            stall = stalls.create_stall(s, self.admin, building_id, code, name if name is not None else f"{code} 蔬菜")
            if tenant:  # one person may rent several stalls
                customer_id = s.scalar(select(Customer.id).where(
                    Customer.site_id == self.site_id, Customer.name == tenant, Customer.phone == phone))
                if customer_id is None:
                    customer_id = stalls.create_customer(s, self.admin, tenant, phone).id
                stalls.set_stall_role(s, self.admin, stall.id, "tenant", customer_id)
            if Decimal(balance) != 0:
                account_id = s.scalar(select(Account.id).where(Account.stall_id == stall.id))
                # An opening balance carried over from the old system.
                post(s, lock_account(s, account_id), EntryKind.ADJUSTMENT, Decimal(balance), reason="期初余额")
            return stall.id

    def a_channel(self, name: str = "1号485", kind: ChannelKind = ChannelKind.SERIAL_SERVER) -> int:
        with self.db.transaction() as s:
            channel = Channel(site_id=self.site_id, name=name, kind=kind, settings={})
            s.add(channel)
            s.flush()
            return channel.id

    def a_meter(
        self, stall_id: int, kind: MeterKind = MeterKind.ELECTRIC, address: str = "1", *, supply_on: bool | None = True,
        last_total: int | None = None, settled_total: int | None = None, price: str | None = None,
        channel_id: int | None = None,
    ) -> int:
        """A meter read a minute ago (last_total) and settled yesterday (settled_total), priced
        at a flat `price` a kWh / m³ when given; `address` on the line `channel_id`."""
        now = datetime.now(UTC)
        with self.db.transaction() as s:
            tariff_id = None
            if price is not None:
                tariff = Tariff(site_id=self.site_id, name=f"{kind.value} {price} {address}", kind=kind,
                                mode=TariffMode.FLAT, price=Decimal(price))
                s.add(tariff)
                s.flush()
                tariff_id = tariff.id
            m = Meter(site_id=self.site_id, stall_id=stall_id, kind=kind, model="DDSY1352", protocol=Protocol.MODBUS_ACREL,
                      channel_id=channel_id, address=address, supply_on=supply_on, last_total=last_total, settled_total=settled_total,
                      tariff_id=tariff_id, last_read_at=now - timedelta(minutes=1) if last_total is not None else None,
                      settled_at=now - timedelta(days=1) if settled_total is not None else None)
            s.add(m)
            s.flush()
            return m.id
