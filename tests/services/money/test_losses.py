"""Line losses (线损): a building's master meter against its stalls' meters per day and
month, flagged above the building's threshold, and a period's loss taken into a pool."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.comm.types import MeterKind
from app.models.billing import Bill
from app.models.meter import Meter
from app.models.shared_cost import SharedRun, ShareMethod
from app.models.user import AuditEvent
from app.services.money import losses
from app.services.money.shared_costs import create_pool
from app.services.office.overview import day_figures, day_usage_lines, overview
from app.services.platform.context import ServiceError
from tests.builders import a_meter, a_stall, an_admin, readings

OCT31, NOV1, NOV2, NOV3, NOV30 = (
    date(2026, 10, 31),
    date(2026, 11, 1),
    date(2026, 11, 2),
    date(2026, 11, 3),
    date(2026, 11, 30),
)


def a_building_with_master(s):
    """A区: two stalls with a meter each; the master meter marked as the building's."""
    admin = an_admin(s)
    a1, a2 = a_stall(s, "A001", balance="500"), a_stall(s, "A002", balance="500")
    m1, m2 = a_meter(s, a1), a_meter(s, a2)
    readings(s, m1, {OCT31: 100, NOV1: 110, NOV2: 125, NOV3: 130, NOV30: 300})
    readings(s, m2, {OCT31: 200, NOV1: 220, NOV2: 230, NOV3: 240, NOV30: 400})
    master = a_meter(s, None, address="ZB-A")
    # day usage: master 32, 30, 16; stalls 10+20, 15+10, 5+10
    readings(s, master, {OCT31: 1000, NOV1: 1032, NOV2: 1062, NOV3: 1078, NOV30: 1500})
    losses.set_master_meter(s, admin, master.id, a1.building_id)
    return admin, a1, master


def test_the_daily_loss_is_the_master_minus_the_stalls_and_flagged_above_the_threshold(db):
    with db.transaction() as s:
        admin, a1, master = a_building_with_master(s)
        losses.set_loss_threshold(s, admin, a1.building_id, "5")
        got = losses.building_losses(s, admin, a1.building_id, MeterKind.ELECTRIC, NOV1, NOV3)
        assert got.master_meter_ids == (master.id,)
        assert [
            (r.first, r.master, r.stalls, r.loss, r.percent, r.is_flagged) for r in got.rows
        ] == [
            (NOV1, Decimal("32.000"), Decimal("30.000"), Decimal("2.000"), Decimal("6.25"), True),
            (NOV2, Decimal("30.000"), Decimal("25.000"), Decimal("5.000"), Decimal("16.67"), True),
            (NOV3, Decimal("16.000"), Decimal("15.000"), Decimal("1.000"), Decimal("6.25"), True),
        ]
        losses.set_loss_threshold(s, admin, a1.building_id, "10")
        got = losses.building_losses(s, admin, a1.building_id, MeterKind.ELECTRIC, NOV1, NOV3)
        assert [r.is_flagged for r in got.rows] == [False, True, False]
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions.count("building.loss_threshold") == 2 and "meter.master_of" in actions


def test_the_monthly_loss_is_the_master_minus_the_stalls_over_the_month(db):
    with db.transaction() as s:
        admin, a1, _ = a_building_with_master(s)
        got = losses.building_losses(
            s, admin, a1.building_id, MeterKind.ELECTRIC, NOV1, NOV30, monthly=True
        )
        # master 500, stalls 200 + 200
        (row,) = got.rows
        assert (row.first, row.last, row.master, row.stalls, row.loss) == (
            NOV1,
            NOV30,
            Decimal("500.000"),
            Decimal("400.000"),
            Decimal("100.000"),
        )
        assert row.percent == Decimal("20.00") and row.is_flagged


def test_the_months_loss_taken_into_the_pool_bills_exactly_that_loss(db):
    with db.transaction() as s:
        admin, a1, master = a_building_with_master(s)
        pool = create_pool(
            s,
            admin,
            name="A区线损",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_AREA,
            building_id=a1.building_id,
            master_meter_id=master.id,
            price=Decimal("1.5"),
        )
        assert losses.pools_for(s, admin, a1.building_id, MeterKind.ELECTRIC) == [
            (pool.pool_id, "A区线损")
        ]
        (month,) = losses.building_losses(
            s, admin, a1.building_id, MeterKind.ELECTRIC, NOV1, NOV30, monthly=True
        ).rows
        run = losses.take_loss_into_pool(s, admin, a1.building_id, pool.pool_id, NOV1, NOV30)
        stored = s.get(SharedRun, run.run_id)
        assert stored.master_usage - stored.members_usage == month.loss == Decimal("100.000")
        assert run.amount == Decimal("150.00")  # 100 kWh × 1.50
        bills = s.scalars(select(Bill).where(Bill.id.in_(run.bill_ids))).all()
        assert sum(b.amount for b in bills) == Decimal("150.00")
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["shared_run.generate", "loss.take_into_pool"]


def test_a_pool_of_other_stalls_is_refused_and_nothing_is_generated(db):
    with db.transaction() as s:
        admin, a1, master = a_building_with_master(s)
        pool = create_pool(
            s,
            admin,
            name="只有A001",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_AREA,
            stall_ids=[a1.id],
            master_meter_id=master.id,
            price=Decimal("1"),
        )
        with pytest.raises(ServiceError) as err:
            losses.take_loss_into_pool(s, admin, a1.building_id, pool.pool_id, NOV1, NOV30)
        assert "100.000" in err.value.text("en")
        assert s.scalar(select(SharedRun.id)) is None


def test_a_stall_meter_cannot_be_a_master_meter(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stall = a_stall(s, "A001")
        meter = a_meter(s, stall)
        with pytest.raises(ServiceError):
            losses.set_master_meter(s, admin, meter.id, stall.building_id)


def test_the_overview_counts_the_stalls_and_public_meters_but_not_a_master_meter(db):
    with db.transaction() as s:
        admin, a1, master = a_building_with_master(s)
        public = a_meter(s, None, address="GG-1")  # the market's own lighting: its usage too
        readings(s, public, {OCT31: 50, NOV1: 51, NOV2: 53, NOV3: 54})
        stall_meter = s.scalars(select(Meter).where(Meter.stall_id == a1.id)).one()
        # read since the last settlement: 4 kWh of the stall's, 40 of the master's (ct 1)
        stall_meter.last_total, stall_meter.settled_total = 13_400, 13_000
        master.last_total, master.settled_total = 111_800, 107_800
        s.flush()
        figures = day_figures(s, admin.site_id, today=NOV3)
        lines = day_usage_lines(s, admin.site_id, NOV2, MeterKind.ELECTRIC)
        tiles = overview(s, admin.site_id)
    # stalls 10+20, 15+10, 5+10 and the public meter 1, 2, 1; the master's 32, 30, 16 would
    # count them again
    assert [figures.kwh[d] for d in (NOV1, NOV2, NOV3)] == [
        Decimal("31.000"),
        Decimal("27.000"),
        Decimal("16.000"),
    ]
    assert [line.value for line in lines] == [
        Decimal("15.000"),
        Decimal("10.000"),
        Decimal("2.000"),
    ]
    assert master.address not in [line.meter for line in lines]
    assert tiles.unsettled_kwh == Decimal("4.00")
