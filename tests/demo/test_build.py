"""The demo market is built up to the moment it starts: nothing at the counter after it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.demo.build import build_demo
from app.models.account import Receipt
from app.models.user import AuditEvent


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
