"""An administrator at the command line unlocks a user locked after wrong passwords and resets
a forgotten password, as the Users page does; nobody else may, and nothing else changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.user import AuditEvent
from app.services.platform.users import LoginFailed, LoginLocked, login, must_change_password
from tests.builders import Market
from tests.cli.test_cli import run

AS_CASHIER = ("--operator", "xiaowang")
CASHIER = {"MARKETMETER_PASSWORD": "xiaowang-pass"}


@pytest.fixture
def market(sqlite_db) -> Market:
    return Market(sqlite_db)


def lock(market, username: str) -> None:
    for _ in range(5):
        with pytest.raises(LoginFailed), market.db.transaction() as s:
            login(s, username, "guess")
    with pytest.raises(LoginLocked), market.db.transaction() as s:
        login(s, username, f"{username}-pass")


def audited(market, action: str) -> list[AuditEvent]:
    with market.db.transaction() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_user_unlock_lets_a_locked_user_sign_in_again(market):
    url = market.db.url
    lock(market, "xiaoli")
    refused = run(url, "user", "unlock", "xiaoli", *AS_CASHIER, env=CASHIER)
    assert refused.returncode == 2 and "管理员" in refused.stderr
    unknown = run(url, "user", "unlock", "xiaozhang")
    assert unknown.returncode == 2 and "没有用户“xiaozhang”" in unknown.stderr
    assert audited(market, "user.unlock") == []

    done = run(url, "user", "unlock", "xiaoli", "--operator", "boss",
               env={"MARKETMETER_PASSWORD": "boss-pass"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "已解锁用户 xiaoli" in done.stdout
    with market.db.transaction() as s:
        assert login(s, "xiaoli", "xiaoli-pass").username == "xiaoli"
    [event] = audited(market, "user.unlock")
    assert (event.actor, event.detail["username"]) == ("boss", "xiaoli")
    assert "@" in event.detail["origin"]


def test_user_reset_password_gives_a_new_one_the_user_replaces(market):
    url = market.db.url
    lock(market, "xiaoli")
    refused = run(url, "user", "reset-password", "xiaoli", "--password-stdin", *AS_CASHIER,
                  env=CASHIER, stdin="li-new-2026\n")  # fmt: skip
    assert refused.returncode == 2 and "管理员" in refused.stderr
    weak = run(url, "user", "reset-password", "xiaoli", "--password-stdin", stdin="12345678\n")
    assert weak.returncode == 2 and "纯数字" in weak.stderr
    assert audited(market, "user.password_reset") == []

    done = run(url, "user", "reset-password", "xiaoli", "--password-stdin", stdin="li-new-2026\n")
    assert done.returncode == 0, done.stderr
    assert "已重置 xiaoli 的密码" in done.stdout
    with market.db.transaction() as s:  # the lock is lifted too; the old password is gone
        with pytest.raises(LoginFailed):
            login(s, "xiaoli", "xiaoli-pass")
    with market.db.transaction() as s:
        li = login(s, "xiaoli", "li-new-2026")
        assert must_change_password(s, li)
    assert [e.detail["username"] for e in audited(market, "user.password_reset")] == ["xiaoli"]
