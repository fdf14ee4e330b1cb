"""A meter is its address on its line: Modbus slave ids repeat on every RS485 bus."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.comm.types import MeterKind, MeterReading
from app.models.meter import Meter
from app.services.market.readings import ingest, replace_meter
from app.services.market.stalls import stall_card
from app.services.platform.context import Conflict
from tests.builders import Market


def test_slave_id_1_on_two_buses_is_two_meters_and_each_reading_finds_its_own(db):
    market = Market(db)
    bus1, bus2 = market.a_channel("1号485"), market.a_channel("2号485")
    a = market.a_meter(market.a_stall("A001"), address="1", channel_id=bus1)
    b = market.a_meter(market.a_stall("A002"), address="1", channel_id=bus2)
    at = datetime.now(UTC) + timedelta(minutes=1)
    with db.transaction() as s:
        ingest(s, [MeterReading(bus2, "1", MeterKind.ELECTRIC, at, 5100)])
    with db.transaction() as s:
        assert s.get(Meter, a).last_total is None
        assert s.get(Meter, b).last_total == 5100
        card = stall_card(s, "A002", site_id=market.site_id)
        assert [(m.channel, m.address) for m in card.meters] == [("2号485", "1")]


def test_the_database_refuses_one_address_twice_on_one_line(db):
    market = Market(db)
    bus = market.a_channel()
    market.a_meter(market.a_stall("A001"), address="7", channel_id=bus)
    with pytest.raises(IntegrityError):
        market.a_meter(market.a_stall("A002"), address="7", channel_id=bus)


def test_a_new_meter_may_take_the_old_ones_address_but_not_a_neighbours(db):
    market = Market(db)
    bus = market.a_channel()
    old = market.a_meter(market.a_stall("A001"), address="3", channel_id=bus)
    market.a_meter(market.a_stall("A002"), address="4", channel_id=bus)
    with db.transaction() as s, pytest.raises(Conflict, match="该通道上已有地址为 4 的表"):
        replace_meter(s, market.admin, old, "4", 120, 0)
    with db.transaction() as s:
        info = replace_meter(s, market.admin, old, "3", 120, 0)
    with db.transaction() as s:
        on_line = s.scalars(
            select(Meter.id).where(Meter.channel_id == bus, Meter.address == "3", Meter.is_active)
        ).all()
        assert on_line == [info.new_meter_id]


def test_two_reads_of_one_meter_within_the_same_second_store_one_sample(db):
    market = Market(db)
    bus = market.a_channel()
    meter_id = market.a_meter(market.a_stall("A001"), address="1", channel_id=bus)
    at = datetime.now(UTC).replace(microsecond=100_000)
    with db.transaction() as s:
        first = ingest(s, [MeterReading(bus, "1", MeterKind.ELECTRIC, at, 1000)])
    with db.transaction() as s:  # a 4G upload and a poll 0.5 s apart, in one batch
        second = ingest(
            s,
            [
                MeterReading(bus, "1", MeterKind.ELECTRIC, at + timedelta(seconds=0.5), 1001),
                MeterReading(bus, "1", MeterKind.ELECTRIC, at + timedelta(seconds=60), 1010),
            ],
        )
    assert (first.accepted, second.accepted, second.duplicates) == (1, 1, 1)
    with db.transaction() as s:
        assert s.get(Meter, meter_id).last_total == 1010
