"""A small market for the portal's tests: two stalls of two tenants, one with an owner, each
with a recharge (a receipt) and a bill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.comm.types import MeterKind
from app.models.account import PayMethod
from app.models.site import Customer, Stall
from app.services.market import stalls
from app.services.money.accounts import RechargeRequest, recharge
from app.services.portal.access import stall_token
from tests.builders import Market, a_meter, readings

TENANT_A, TENANT_B, OWNER_A, FRIEND = "13800000001", "13900000002", "13700000003", "13600000004"


@dataclass
class PortalMarket:
    market: Market
    stall_a: int
    stall_b: int
    receipt_a: int
    receipt_b: int
    bill_a: int
    bill_b: int
    token_a: str
    token_b: str

    @property
    def site_id(self) -> int:
        return self.market.site_id


def a_portal_market(db) -> PortalMarket:
    m = Market(db)
    a = m.a_stall("A001", tenant="张三", phone=TENANT_A, name="张三蔬菜")
    b = m.a_stall("B002", tenant="李四", phone=TENANT_B, name="李四水产")
    with db.transaction() as s:
        owner = stalls.create_customer(s, m.admin, "王业主", OWNER_A).id
        stalls.set_stall_role(s, m.admin, a, "owner", owner)
        receipt_a = recharge(
            s, m.cashier, RechargeRequest(amount="88.50", method=PayMethod.CASH, stall_id=a)
        ).receipt_id
        receipt_b = recharge(
            s, m.cashier, RechargeRequest(amount="20.00", method=PayMethod.WECHAT, stall_id=b)
        ).receipt_id
        token_a, token_b = stall_token(s, a), stall_token(s, b)
        assert s.scalar(select(Customer.id).where(Customer.phone == OWNER_A)) == owner
    with db.transaction() as s:  # stall A's meters, read every day of the last 400
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        for kind, per_day, supply_on in (
            (MeterKind.ELECTRIC, 20.0, True),
            (MeterKind.WATER, 1.5, False),
        ):
            meter = a_meter(s, s.get(Stall, a), kind=kind)
            closes, total = {}, 1000.0
            for i in range(400, -1, -1):  # a busier day each weekend
                total += per_day * (1 + (i % 7) / 10)
                closes[today - timedelta(days=i)] = total
            readings(s, meter, closes)
            meter.supply_on = supply_on
            meter.last_total = round(closes[today] * (100 if kind is MeterKind.ELECTRIC else 1000))
            meter.last_read_at = datetime.now(UTC)
    m.some_bills(a, date(2026, 11, 1), 1, amount="12.30")
    m.some_bills(b, date(2026, 11, 1), 1, amount="45.60")
    with db.reading() as s:
        from app.models.billing import Bill

        bill_a = s.scalar(select(Bill.id).where(Bill.stall_id == a))
        bill_b = s.scalar(select(Bill.id).where(Bill.stall_id == b))
    return PortalMarket(m, a, b, receipt_a, receipt_b, bill_a, bill_b, token_a, token_b)
