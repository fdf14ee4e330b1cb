"""Logging in and keeping the operators: roles are the admin's, and every change is logged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models.user import AuditEvent, Role, User
from app.services.platform.context import Conflict, PermissionDenied, ServiceError
from app.services.platform.users import (
    LoginFailed,
    LoginLocked,
    add_user,
    change_own_password,
    change_role,
    deactivate,
    login,
    must_change_password,
    set_password,
    unlock,
)
from tests.builders import Market


@pytest.fixture
def market(db) -> Market:
    return Market(db)


def try_login(market, username, password) -> str:
    with pytest.raises(LoginFailed) as failed, market.db.transaction() as s:
        login(s, username, password)
    return str(failed.value)


def test_cashier_logs_in_and_the_login_is_audited(market):
    with market.db.transaction() as s:
        actor = login(s, "xiaoli", "xiaoli-pass")
    assert (actor.username, actor.role, actor.site_id) == ("xiaoli", Role.CASHIER, market.site_id)
    with market.db.transaction() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "login")).actor == "xiaoli"


def test_a_failed_login_does_not_say_which_half_was_wrong(market):
    wrong_user = try_login(market, "nobody", "xiaoli-pass")
    wrong_password = try_login(market, "xiaoli", "not-my-password")
    assert wrong_user == wrong_password == "用户名或密码错误，请重新输入"
    with market.db.transaction() as s:
        failures = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "login.failed")))
    assert {(e.actor, e.detail["reason"]) for e in failures} == {
        ("nobody", "unknown user"),
        ("xiaoli", "wrong password"),
    }


def test_a_deactivated_user_cannot_log_in(market):
    with market.db.transaction() as s:
        deactivate(s, market.admin, market.cashier.user_id)
    assert try_login(market, "xiaoli", "xiaoli-pass") == "用户名或密码错误，请重新输入"


def test_passwords_are_stored_as_argon2_hashes(market):
    with market.db.transaction() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "xiaoli"))
    assert stored.startswith("$argon2") and "xiaoli-pass" not in stored


def test_only_the_admin_adds_users_and_changes_roles(market):
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        add_user(s, market.cashier, "sneaky", "secret123", Role.ADMIN)
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        change_role(s, market.cashier, market.cashier.user_id, Role.ADMIN)
    with market.db.transaction() as s:
        change_role(s, market.admin, market.cashier.user_id, Role.REVIEWER)
    with market.db.transaction() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "user.role"))
        assert (event.actor, event.detail["before"], event.detail["after"]) == (
            "boss",
            "cashier",
            "reviewer",
        )
        assert login(s, "xiaoli", "xiaoli-pass").role is Role.REVIEWER


def test_admin_cannot_lock_themself_out(market):
    with pytest.raises(Conflict), market.db.transaction() as s:
        change_role(s, market.admin, market.admin.user_id, Role.CASHIER)
    with pytest.raises(Conflict), market.db.transaction() as s:
        deactivate(s, market.admin, market.admin.user_id)


def test_duplicate_username_weak_password_and_unknown_role_are_refused(market):
    for args, message in [
        (("xiaoli", "secret123", Role.CASHIER), "已存在"),
        (("newbie", "123", Role.CASHIER), "密码至少"),
        (("newbie", "secret123", "boss"), "角色“boss”不认识"),
    ]:
        with pytest.raises(ServiceError, match=message), market.db.transaction() as s:
            add_user(s, market.admin, *args)


def test_a_new_password_works_and_the_old_one_not(market):
    with market.db.transaction() as s:
        set_password(s, market.cashier, market.cashier.user_id, "new-secret")
    try_login(market, "xiaoli", "xiaoli-pass")
    with market.db.transaction() as s:
        assert login(s, "xiaoli", "new-secret").username == "xiaoli"
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "user.password")).detail == {
            "username": "xiaoli"
        }
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        set_password(s, market.cashier, market.cashier2.user_id, "hijacked1")


def test_a_new_password_typed_twice_differently_is_refused():
    from app.services.platform.users import confirmed_password

    assert confirmed_password("s3cret-pass", "s3cret-pass") == "s3cret-pass"
    with pytest.raises(ServiceError, match="两次输入的密码不一致") as e:
        confirmed_password("s3cret-pass", "s3cret-pas")
    assert e.value.code == "password_mismatch"


# -- a shared counter PC: wrong passwords lock, each user keeps their own password -----------

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in the market (Asia/Shanghai)


def login_at(market, username, password, now):
    with market.db.transaction() as s:
        return login(s, username, password, now=now)


def refused_at(market, username, password, now) -> LoginFailed:
    with pytest.raises(LoginFailed) as failed:
        login_at(market, username, password, now)
    return failed.value


def actions(market, action: str) -> list[AuditEvent]:
    with market.db.transaction() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def lock(market, username="xiaoli", now=T0) -> LoginFailed:
    for _ in range(4):
        refused_at(market, username, "not-my-password", now)
    return refused_at(market, username, "not-my-password", now)


def test_the_fifth_wrong_password_locks_the_user_for_five_minutes(market):
    for n in range(4):
        fourth = refused_at(market, "xiaoli", "not-my-password", T0 + timedelta(seconds=n))
    assert not isinstance(fourth, LoginLocked)
    fifth = refused_at(market, "xiaoli", "not-my-password", T0 + timedelta(seconds=4))
    assert isinstance(fifth, LoginLocked) and fifth.code == "login_locked"
    assert (
        str(fifth) == "密码连续输错次数过多：用户“xiaoli”已锁定到 09:05。请到时再试，或请管理员解锁"
    )
    assert fifth.text("en").startswith("Too many wrong passwords")
    # while locked even the right password is refused, and the attempt is in the log
    locked = refused_at(market, "xiaoli", "xiaoli-pass", T0 + timedelta(minutes=4, seconds=59))
    assert isinstance(locked, LoginLocked) and "09:05" in str(locked)
    [event] = actions(market, "user.locked")
    assert (event.actor, event.detail["username"]) == ("xiaoli", "xiaoli")
    reasons = [e.detail["reason"] for e in actions(market, "login.failed")]
    assert reasons == ["wrong password"] * 5 + ["locked"]
    # five minutes after the fifth wrong password the lock has ended on its own
    assert login_at(market, "xiaoli", "xiaoli-pass", T0 + timedelta(minutes=5, seconds=4))
    with market.db.transaction() as s:
        assert s.scalar(select(User.locked_until).where(User.username == "xiaoli")) is None


def test_a_right_password_starts_the_count_again_and_others_are_not_locked(market):
    for _ in range(4):
        refused_at(market, "xiaoli", "not-my-password", T0)
    login_at(market, "xiaoli", "xiaoli-pass", T0)
    for _ in range(4):
        assert not isinstance(refused_at(market, "xiaoli", "not-my-password", T0), LoginLocked)
    lock(market, "xiaowang")
    assert login_at(market, "xiaoli", "xiaoli-pass", T0).username == "xiaoli"
    assert actions(market, "user.locked")[0].detail["username"] == "xiaowang"


def test_an_administrator_unlocks_a_locked_user_at_once(market):
    lock(market)
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        unlock(s, market.cashier2, market.cashier.user_id)
    with market.db.transaction() as s:
        row = unlock(s, market.admin, market.cashier.user_id)
    assert row.locked_until is None
    assert login_at(market, "xiaoli", "xiaoli-pass", T0 + timedelta(seconds=30))
    [event] = actions(market, "user.unlock")
    assert (event.actor, event.detail) == ("boss", {"username": "xiaoli"})


def test_a_user_changes_their_own_password_with_the_current_one(market):
    for (current, new, again), message in [
        (("not-my-password", "better-pass1", "better-pass1"), "当前密码不对"),
        (("xiaoli-pass", "better-pass1", "better-pass2"), "两次输入的密码不一致"),
        (("xiaoli-pass", "short1", "short1"), "密码至少 8 位"),
        (("xiaoli-pass", "13812345678", "13812345678"), "纯数字"),
        (("xiaoli-pass", "xiaoli-pass", "xiaoli-pass"), "与当前密码相同"),
    ]:
        with pytest.raises(ServiceError, match=message), market.db.transaction() as s:
            change_own_password(s, market.cashier, current, new, again)
    assert actions(market, "user.password") == []
    with market.db.transaction() as s:
        change_own_password(s, market.cashier, "xiaoli-pass", "better-pass1", "better-pass1")
    refused_at(market, "xiaoli", "xiaoli-pass", T0)
    assert login_at(market, "xiaoli", "better-pass1", T0)
    [event] = actions(market, "user.password")
    assert (event.actor, event.detail) == ("xiaoli", {"username": "xiaoli"})


def test_a_password_reset_by_the_administrator_is_audited_lifts_the_lock_and_must_be_changed(
    market,
):
    lock(market)
    with market.db.transaction() as s:
        set_password(s, market.admin, market.cashier.user_id, "temp-pass-1")
    [event] = actions(market, "user.password_reset")
    assert (event.actor, event.detail) == ("boss", {"username": "xiaoli"})
    assert actions(market, "user.password") == []
    actor = login_at(market, "xiaoli", "temp-pass-1", T0 + timedelta(seconds=10))
    with market.db.transaction() as s:
        assert must_change_password(s, actor)
        change_own_password(s, actor, "temp-pass-1", "my-own-pass", "my-own-pass")
    with market.db.transaction() as s:
        assert not must_change_password(s, actor)
