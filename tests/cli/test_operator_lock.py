"""`--operator` at the command line counts wrong passwords with the client's sign-in: the
fifth in a row locks the user, and a locked user acts nowhere until the lock ends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.user import AuditEvent
from app.services.platform.users import LoginFailed, login
from tests.builders import Market
from tests.cli.test_cli import entries, run


@pytest.fixture
def market(sqlite_db) -> Market:
    market = Market(sqlite_db)
    market.a_meter(market.a_stall("A001", balance="12.30"))
    return market


def recharge_as_boss(market, password: str):
    return run(
        market.db.url,
        "recharge",
        "A001",
        "10",
        "--method",
        "cash",
        "--operator",
        "boss",
        env={"MARKETMETER_PASSWORD": password},
    )


def test_the_fifth_wrong_password_at_the_command_line_locks_the_user(market):
    before = entries(market)
    for _ in range(4):  # four wrong at the counter PC's sign-in
        with pytest.raises(LoginFailed), market.db.transaction() as s:
            login(s, "boss", "guess")
    fifth = recharge_as_boss(market, "guess")
    assert fifth.returncode == 2
    assert "密码连续输错次数过多：用户“boss”已锁定到" in fifth.stderr
    assert "请管理员解锁" in fifth.stderr
    right = recharge_as_boss(market, "boss-pass")
    assert right.returncode == 2 and "已锁定到" in right.stderr
    assert entries(market) == before
    with market.db.transaction() as s:
        reasons = [
            e.detail["reason"]
            for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "login.failed"))
        ]
        locked = s.scalars(select(AuditEvent).where(AuditEvent.action == "user.locked")).one()
    assert reasons == ["wrong password"] * 5 + ["locked"]
    assert locked.detail["origin"]  # the OS login and host of the command that locked it
