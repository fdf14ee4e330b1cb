"""The one builder vocabulary: each builder of `Market` works on a market built either way."""

from decimal import Decimal

from sqlalchemy import select

from app.models.account import Account
from app.models.meter import Meter
from app.models.site import Stall
from tests.builders import Market


def test_a_market_built_through_the_services_takes_stalls_with_meters(sqlite_db):
    market = Market(sqlite_db)
    stall = market.a_stall_with_meters(balance="30.00", water=True)
    tenanted = market.a_stall("B001", balance="12.30")
    assert market.balance(stall) == Decimal("30.00")
    with sqlite_db.reading() as s:
        kinds = s.scalars(select(Meter.kind).where(Meter.stall_id == stall.stall_id)).all()
        assert sorted(k.value for k in kinds) == ["electric", "water"]
        opening = s.scalar(select(Account.balance).where(Account.stall_id == tenanted))
        assert opening == Decimal("12.30")


def test_a_market_in_the_callers_session_takes_stalls_through_the_services(sqlite_db):
    with sqlite_db.transaction() as s:
        market = Market.in_session(s)
        stall_id = market.a_stall("B001", balance="5.00")
        meter_id = market.a_meter(stall_id, address="7")
        assert s.get(Stall, stall_id).building_id == market.building.id
        assert s.get(Meter, meter_id).stall_id == stall_id
        reading = market.reading(meter_id, at=None, total=100)
        assert reading.address == "7"
