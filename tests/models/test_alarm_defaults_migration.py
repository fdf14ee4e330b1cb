"""Revision 0012 gives each market the alarm levels its stalls added later open with: a
market that set its levels before the upgrade keeps them for its new stalls."""

from __future__ import annotations

from decimal import Decimal

from alembic import command
from sqlalchemy import text

from app.models.db import alembic_config, upgrade
from app.services.market import control_rules, stalls
from tests.builders import Market


def test_a_market_that_set_its_levels_before_the_upgrade_keeps_them_for_new_stalls(db):
    market = Market(db)
    for code in ("A01", "A02", "A03"):
        market.a_stall(code)
    with db.transaction() as s:
        control_rules.apply_alarm_levels(s, market.admin, "100", "40", "15")
        a03 = s.scalar(text("SELECT id FROM stall WHERE code = 'A03'"))
        stalls.update_stall(s, market.admin, a03, alarm1="80")  # one stall differs
        empty = stalls.create_site(s, "CN02", "城北市场").id  # no stall yet
    command.downgrade(alembic_config(db.engine), "0011")  # just before 0012
    upgrade(db.engine)
    with db.transaction() as s:
        kept = control_rules.opening_levels(s, market.site_id)
        fresh = control_rules.opening_levels(s, empty)
    assert kept == {
        "alarm1": Decimal("100"),
        "alarm2": Decimal("40"),
        "overdraft_limit": Decimal("15"),
    }  # the levels most of its stalls have
    assert fresh == {
        "alarm1": Decimal("50"),
        "alarm2": Decimal("20"),
        "overdraft_limit": Decimal("0"),
    }
