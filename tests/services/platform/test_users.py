"""Logging in and keeping the operators: roles are the admin's, and every change is logged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.user import AuditEvent, Role, User
from app.services.platform.context import Conflict, PermissionDenied, ServiceError
from app.services.platform.users import (
    LoginFailed,
    add_user,
    change_role,
    deactivate,
    login,
    set_password,
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
