"""The alert rules on readings as collection stores them (CollectionSink.on_readings): water
counted behind a closed valve, a register still while the stall recharges, a trip between
two reads, and the alert settings refused when typed wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.comm.types import Action
from app.models.meter import Alert, AlertKind, CommandStatus, Meter, MeterCommand
from app.models.site import Site
from app.services.market import alerts
from app.services.market.collection import CollectionSink
from app.services.platform.context import ServiceError
from tests.builders import Market


def stored(db, meter_id):
    with db.reading() as s:
        return [
            (a.kind, dict(a.values))
            for a in s.scalars(select(Alert).where(Alert.meter_id == meter_id))
        ]


def test_water_counted_behind_a_closed_valve_is_one_alert(sqlite_db):
    market = Market(sqlite_db)
    stall = market.a_stall_with_meters(electric=False, water=True, supply_on=False)
    sink = CollectionSink(sqlite_db, market.site_id)
    t0 = datetime.now(UTC) - timedelta(hours=2)
    for i, litres in enumerate((5000, 5400, 5800)):
        sink.on_readings(
            [market.reading(stall.water, t0 + timedelta(minutes=30 * i), litres, valve_open=False)]
        )
    (alert,) = stored(sqlite_db, stall.water)
    assert alert == (
        AlertKind.USAGE_WHILE_OFF,
        {"used": "0.400", "kind": "water", "since": alert[1]["since"]},
    )


def test_a_trip_between_two_reads_is_no_alert(sqlite_db):
    market = Market(sqlite_db)
    stall = market.a_stall_with_meters(supply_on=True)
    sink = CollectionSink(sqlite_db, market.site_id)
    t0 = datetime.now(UTC) - timedelta(hours=2)
    # closed at the first read, open at the second: the energy was used before the trip
    sink.on_readings([market.reading(stall.electric, t0, 10000, relay_closed=True)])
    sink.on_readings(
        [market.reading(stall.electric, t0 + timedelta(minutes=30), 10100, relay_closed=False)]
    )
    sink.on_readings(
        [market.reading(stall.electric, t0 + timedelta(minutes=60), 10100, relay_closed=False)]
    )
    assert stored(sqlite_db, stall.electric) == []


def test_a_register_still_for_days_is_stuck_only_once_the_stall_recharges(sqlite_db):
    market = Market(sqlite_db)
    stall = market.a_stall_with_meters(balance="0")
    with sqlite_db.transaction() as s:
        s.get(Site, market.site_id).stuck_after_days = 3
    sink = CollectionSink(sqlite_db, market.site_id)
    now = datetime.now(UTC)
    sink.on_readings([market.reading(stall.electric, now - timedelta(days=4), 10000)])
    sink.on_readings([market.reading(stall.electric, now - timedelta(hours=1), 10000)])
    assert stored(sqlite_db, stall.electric) == []  # still, but the stall is closed: no trade
    market.recharge(stall.account_id, "100")
    sink.on_readings([market.reading(stall.electric, now + timedelta(minutes=1), 10000)])
    sink.on_readings([market.reading(stall.electric, now + timedelta(minutes=31), 10000)])
    ((kind, values),) = stored(sqlite_db, stall.electric)
    assert (kind, values["trades"], values["days"]) == (AlertKind.STUCK, "recharged", 4)
    with sqlite_db.reading() as s:
        assert s.get(Meter, stall.electric).moved_at is not None


def test_alert_settings_typed_wrong_are_refused_and_nothing_changes(sqlite_db):
    market = Market(sqlite_db)
    with sqlite_db.transaction() as s:
        with pytest.raises(ServiceError) as err:
            alerts.set_alert_settings(
                s, market.admin, alerts.AlertSettings(None, None, "abc", "0.05", "3")
            )
        assert "night load level" in err.value.text("en")
        with pytest.raises(ServiceError):
            alerts.set_alert_settings(
                s, market.admin, alerts.AlertSettings(None, None, "0.5", "0.05", "-1")
            )
    with sqlite_db.reading() as s:
        site = s.get(Site, market.site_id)
        assert (site.night_load_kw, site.stuck_after_days) == (Decimal("0.500"), 3)


def test_usage_read_after_a_trip_command_landed_between_two_reads_is_no_alert(sqlite_db):
    """Control tripped the meter between two reads (supply off as the command said); the
    energy the second read shows was used before the trip. The read after it counts."""
    market = Market(sqlite_db)
    stall = market.a_stall_with_meters(supply_on=True)
    sink = CollectionSink(sqlite_db, market.site_id)
    t0 = datetime.now(UTC) - timedelta(hours=2)
    sink.on_readings([market.reading(stall.electric, t0, 10000, relay_closed=True)])
    with sqlite_db.transaction() as s:
        s.add(
            MeterCommand(
                meter_id=stall.electric,
                action=Action.TRIP,
                status=CommandStatus.SUCCEEDED,
                finished_at=t0 + timedelta(minutes=10),
            )
        )
        s.get(Meter, stall.electric).supply_on = False
    sink.on_readings(
        [market.reading(stall.electric, t0 + timedelta(minutes=30), 10100, relay_closed=False)]
    )
    assert stored(sqlite_db, stall.electric) == []
    sink.on_readings(
        [market.reading(stall.electric, t0 + timedelta(minutes=60), 10200, relay_closed=False)]
    )
    ((kind, values),) = stored(sqlite_db, stall.electric)
    assert (kind, values["used"]) == (AlertKind.USAGE_WHILE_OFF, "1.000")
