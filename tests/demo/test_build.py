"""The demo market is built up to the moment it starts: nothing at the counter after it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.comm.types import MeterKind
from app.demo.build import build_demo
from app.models.account import Receipt
from app.models.site import Building, Site
from app.models.user import AuditEvent
from app.services.money.losses import building_losses, master_meters
from app.services.platform.users import first_admin


def test_a_demo_built_early_in_the_morning_has_no_receipt_after_that_moment(db):
    tz = ZoneInfo("Asia/Shanghai")
    today = datetime.now(tz).date()
    now = datetime.combine(today, time(8, 0), tzinfo=tz).astimezone(
        UTC
    )  # before the 09:00 recharges
    with db.transaction() as s:
        build_demo(s, electric=60, water=10, months=1, seed=7, today=today, now=now)
    with db.transaction() as s:
        latest = s.scalar(select(func.max(Receipt.at)))
        yesterday = s.scalar(
            select(func.count()).select_from(Receipt).where(Receipt.at > now - timedelta(hours=24))
        )
        # the operation log finds the demo's relay changes under their stall
        states = (
            s.execute(select(AuditEvent.stall_id).where(AuditEvent.action == "meter.state"))
            .scalars()
            .all()
        )
    latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
    assert latest <= now
    assert yesterday > 0  # the morning's recharges are there, stamped before the demo starts
    assert states and None not in states


def test_every_building_of_the_demo_has_a_master_meter_a_few_percent_above_its_stalls(db):
    tz = ZoneInfo("Asia/Shanghai")
    today = datetime.now(tz).date()
    with db.transaction() as s:
        build_demo(s, electric=60, water=10, months=1, seed=7, today=today)
    with db.transaction() as s:
        admin = first_admin(s, s.scalar(select(Site.id)))
        masters = master_meters(s, admin)
        buildings = s.scalars(select(Building.name).order_by(Building.name)).all()
        assert [m.building for m in masters] == buildings
        flagged = set()
        for master in masters:
            got = building_losses(
                s, admin, master.building_id, MeterKind.ELECTRIC, today - timedelta(days=30), today
            )
            assert len(got.rows) == 30  # every filled day
            for row in got.rows:
                assert row.stalls > 0 and row.loss > 0
                assert Decimal(1) < row.percent < Decimal(8)
            flagged |= {master.building for row in got.rows if row.is_flagged}
        # one building loses more on some days: above its threshold, flagged red
        assert flagged == {"A区 蔬菜区"}
