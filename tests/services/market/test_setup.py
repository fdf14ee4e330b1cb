"""Starting a real market: the market and its first administrator are made before anyone
can sign in, and only then; how far the setup has come is read from the market's data."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models.account import PayMethod
from app.models.site import Site
from app.models.user import AuditEvent
from app.services.market import setup
from app.services.market.control_rules import set_friendly_period
from app.services.market.setup import MarketSpec
from app.services.money.accounts import RechargeRequest, receipt, recharge
from app.services.office.receipts_render import LAYOUTS, receipt_lines
from app.services.platform.context import Conflict, PermissionDenied, ServiceError
from tests.builders import a_cashier, a_stall, an_admin


def test_the_first_market_needs_nobody_and_a_further_one_an_administrator(db):
    with db.transaction() as s:
        first = setup.create_market(s, None, MarketSpec("东门市场", timezone="Asia/Urumqi"))
    assert (first.code, first.timezone) == ("M001", "Asia/Urumqi")
    with db.transaction() as s:
        with pytest.raises(PermissionDenied):
            setup.create_market(s, None, MarketSpec("西门市场"))
        cashier = a_cashier(s)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        setup.create_market(s, cashier, MarketSpec("西门市场"))
    with db.transaction() as s:
        second = setup.create_market(s, an_admin(s), MarketSpec("西门市场"))
        audited = s.scalars(select(AuditEvent).where(AuditEvent.action == "site.create")).all()
    assert second.code == "M002"
    assert [(e.actor, e.site_id, e.detail["name"]) for e in audited] == [
        ("setup", first.id, "东门市场"),
        ("admin", second.id, "西门市场"),
    ]


@pytest.mark.parametrize(
    "spec, code",
    [
        (MarketSpec("  "), "invalid"),
        (MarketSpec("东门", timezone="Asia/Beijing"), "invalid"),
        (MarketSpec("东门", code="东门 1"), "invalid"),
        (MarketSpec("东门", phone="1" * 41), "invalid"),
        (MarketSpec("东门", receipt_footer="谢谢惠顾\n" * 80), "invalid"),
    ],
)
def test_a_market_typed_wrong_is_refused_and_nothing_is_written(sqlite_db, spec, code):
    with sqlite_db.transaction() as s, pytest.raises(ServiceError) as refused:
        setup.create_market(s, None, spec)
    assert refused.value.code == code
    with sqlite_db.transaction() as s:
        assert s.scalar(select(Site.id)) is None


def test_the_first_administrator_only_while_the_market_has_no_user(sqlite_db):
    with sqlite_db.transaction() as s:
        site = setup.create_market(s, None, MarketSpec("东门市场"))
    for password, why in (("short1", "至少 8 位"), ("1234567890", "纯数字")):
        with sqlite_db.transaction() as s, pytest.raises(ServiceError) as weak:
            setup.add_first_admin(s, site.id, "wang", password)
        assert why in str(weak.value)
    with sqlite_db.transaction() as s, pytest.raises(ServiceError):
        setup.add_first_admin(s, site.id, "li", "cashier-pass", role="cashier")
    with sqlite_db.transaction() as s:
        assert setup.first_run(s).needs_setup
        setup.add_first_admin(s, site.id, "wang", "dongmen-2026", "王经理")
    with sqlite_db.transaction() as s:
        assert not setup.first_run(s).needs_setup
        with pytest.raises(Conflict):  # a second "first" administrator would be a back door
            setup.add_first_admin(s, site.id, "intruder", "let-me-in-2026")


def test_the_checklist_follows_the_data_not_a_flag(sqlite_db):
    with sqlite_db.transaction() as s:
        site = setup.create_market(s, None, MarketSpec("东门市场"))
        progress = setup.setup_progress(s, site.id)
    assert (progress.done, progress.next_step.key) == (1, "admin")
    with sqlite_db.transaction() as s:
        setup.add_first_admin(s, site.id, "wang", "dongmen-2026")
        a_stall(s, "A-001")  # a stall imported, in a building, before the control defaults
    with sqlite_db.transaction() as s:
        progress = setup.setup_progress(s, site.id)
    assert [p.key for p in progress.steps if not p.is_done] == ["prices", "lines", "control"]
    with sqlite_db.transaction() as s:
        set_friendly_period(s, an_admin(s), time(22), time(6), True)
    with sqlite_db.transaction() as s:
        assert setup.setup_progress(s, site.id).steps[-1].is_done


def test_the_receipt_prints_the_markets_own_lines(sqlite_db):
    with sqlite_db.transaction() as s:
        setup.create_market(
            s,
            None,
            MarketSpec(
                "东门市场", receipt_header="物业办公室 8:00–18:00\n\n", receipt_footer="谢谢惠顾"
            ),
        )
        stall = a_stall(s, "A-001")
        done = recharge(
            s,
            an_admin(s),
            RechargeRequest(amount=Decimal("10"), method=PayMethod.CASH, stall_id=stall.id),
        )
    with sqlite_db.transaction() as s:
        texts = [l.text for l in receipt_lines(receipt(s, done.receipt_id), LAYOUTS["58mm"])]
    assert texts[:2] == ["东门市场", "物业办公室 8:00–18:00"]
    assert "谢谢惠顾" in texts


def test_an_administrator_changes_the_market_and_the_receipt_prints_it(db):
    with db.transaction() as s:
        site = setup.create_market(
            s, None, MarketSpec("东门市场", phone="0991-1234567", receipt_footer="谢谢惠顾")
        )
        admin, cashier = an_admin(s), a_cashier(s)
        stall = a_stall(s, "A-001")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        setup.update_market(s, cashier, name="西门市场")
    with db.transaction() as s:
        now = setup.update_market(
            s,
            admin,
            name=" 东门农贸市场 ",
            phone="0991-1234567",  # the same as before: not in the audit
            timezone="Asia/Urumqi",
            receipt_header="营业时间 8:00–18:00\n\n",
            receipt_footer="",
        )
    assert (now.code, now.name, now.timezone, now.address) == (
        site.code,
        "东门农贸市场",
        "Asia/Urumqi",
        "",
    )
    assert (now.receipt_header, now.receipt_footer) == ("营业时间 8:00–18:00", "")
    with db.transaction() as s:
        changed = s.scalars(select(AuditEvent).where(AuditEvent.action == "site.update")).all()
        done = recharge(
            s,
            admin,
            RechargeRequest(amount=Decimal("10"), method=PayMethod.CASH, stall_id=stall.id),
        )
    assert [(e.actor, e.detail["before"], e.detail["after"]) for e in changed] == [
        (
            "admin",
            {
                "name": "东门市场",
                "timezone": "Asia/Shanghai",
                "receipt_header": "",
                "receipt_footer": "谢谢惠顾",
            },
            {
                "name": "东门农贸市场",
                "timezone": "Asia/Urumqi",
                "receipt_header": "营业时间 8:00–18:00",
                "receipt_footer": "",
            },
        )
    ]
    with db.transaction() as s:
        texts = [l.text for l in receipt_lines(receipt(s, done.receipt_id), LAYOUTS["58mm"])]
    assert texts[:2] == ["东门农贸市场", "营业时间 8:00–18:00"]
    assert "谢谢惠顾" not in texts


@pytest.mark.parametrize(
    "change",
    [
        {"name": "  "},
        {"timezone": "Asia/Beijing"},
        {"address": "路" * 201},
        {"name": "西门市场", "phone": "1" * 41},
        {"name": "西门市场", "receipt_header": "营业时间 8:00–18:00\n" * 30},
    ],
)
def test_a_market_changed_wrong_is_refused_and_nothing_is_written(sqlite_db, change):
    with sqlite_db.transaction() as s:
        setup.create_market(s, None, MarketSpec("东门市场"))
        admin = an_admin(s)
    with sqlite_db.transaction() as s, pytest.raises(ServiceError) as refused:
        setup.update_market(s, admin, **change)
    assert refused.value.code == "invalid"
    with sqlite_db.transaction() as s:
        assert setup.market_details(s, admin.site_id) == MarketSpec("东门市场", "M001")
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "site.update")) is None
