"""操作日志: who did what, read newest first, filtered, page by page, exported to Excel."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.models.account import PayMethod
from app.models.meter import ControlMode
from app.models.user import AuditEvent, Role
from app.services.market import stalls
from app.services.market.control import set_control_mode
from app.services.money.accounts import RechargeRequest, recharge, reverse_recharge
from app.services.office.reports import audit_xlsx
from app.services.platform import users
from app.services.platform.audit import AuditFilter, audit_page, audit_rows
from app.services.platform.context import Actor, NotFound, PermissionDenied
from tests.builders import Market


@pytest.fixture
def market(db) -> Market:
    return Market(db)


def pay(market, stall, amount, by=None):
    with market.db.transaction() as s:
        return recharge(
            s,
            by or market.cashier,
            RechargeRequest(stall_id=stall, amount=amount, method=PayMethod.CASH),
        )


def test_the_log_says_who_did_what_to_which_stall_with_amount_and_reason(market):
    a1 = market.a_stall("A001")
    meter = market.a_meter(a1, address="000000000012")
    wrong = pay(market, a1, "30")
    with market.db.transaction() as s:
        reverse_recharge(s, market.admin, receipt_no=wrong.receipt_no, reason="收错金额")
        set_control_mode(s, market.admin, [meter], ControlMode.FORCED_ON, "节日保电")
        reviewer = market.a_user(s, "shen", Role.REVIEWER, "沈会计")
    with market.db.transaction() as s:
        rows = audit_page(s, reviewer, AuditFilter(stall="A001")).rows
    by_action = {r.action: r for r in rows}
    assert by_action["reversal"].reason == "收错金额" and by_action["reversal"].amount == -30
    assert (
        by_action["reversal"].action_name == "冲正" and by_action["reversal"].stall_code == "A001"
    )
    assert by_action["recharge"].person == "小李" and by_action["recharge"].amount == 30
    # a meter's change is found under its stall, though its detail names no stall
    assert (
        by_action["meter.control_mode"].reason == "节日保电"
        and by_action["meter.control_mode"].stall_code == "A001"
    )
    # what was changed reads as the clerk knows it: the meter's address, not a row number
    assert by_action["meter.control_mode"].record == "表计 000000000012"
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)


def test_filters_by_person_kind_stall_and_time(market):
    a1, a2 = market.a_stall("A001"), market.a_stall("A002")
    pay(market, a1, "10")
    pay(market, a2, "20", by=market.cashier2)
    pay(market, a2, "30")
    with market.db.transaction() as s:
        # the first recharge was yesterday
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.action == "recharge", AuditEvent.stall_id == a1)
            .values(at=datetime.now(UTC) - timedelta(days=1))
        )
    with market.db.transaction() as s:

        def amounts(**where):
            return sorted(
                r.amount
                for r in audit_page(s, market.admin, AuditFilter(action="recharge", **where)).rows
            )

        assert amounts() == [10, 20, 30]
        assert amounts(person="xiaoli") == [10, 30]
        assert amounts(stall="A002") == [20, 30]
        assert amounts(person="xiaoli", stall="A002") == [30]
        assert amounts(since=datetime.now(UTC) - timedelta(hours=1)) == [20, 30]
        assert amounts(until=datetime.now(UTC) - timedelta(hours=1)) == [10]
        with pytest.raises(NotFound, match="找不到档位“B9”"):
            audit_page(s, market.admin, AuditFilter(stall="B9"))


def test_in_a_chain_each_market_reads_only_its_own_rows(market):
    """Several markets in one database: market B's reviewer does not see market A's rows."""
    pay(market, market.a_stall("A001"), "10")
    with market.db.transaction() as s:
        north = stalls.create_site(s, "CN02", "城北市场").id
        boss = users.ensure_admin(s, north, "north-boss", "north-pass")
        admin = Actor(boss.id, "north-boss", Role.ADMIN, north)
        stalls.create_stall(s, admin, stalls.create_building(s, admin, "一号楼").id, "A001")
        reviewer = Actor(
            users.add_user(s, admin, "north-shen", "shen-pass", Role.REVIEWER).id,
            "north-shen",
            Role.REVIEWER,
            north,
        )
    with market.db.transaction() as s:
        theirs = {r.id: r for r in audit_rows(s, reviewer)}
        ours = {r.id: r for r in audit_rows(s, market.admin)}
        everything = set(s.scalars(select(AuditEvent.id)))
        same_code = audit_page(s, reviewer, AuditFilter(stall="A001")).rows
    assert theirs and ours and not theirs.keys() & ours.keys()
    assert theirs.keys() | ours.keys() == everything  # each row is one market's
    assert "recharge" not in {r.action for r in theirs.values()} and "recharge" in {
        r.action for r in ours.values()
    }
    assert [r.action for r in same_code] == ["stall.create"]  # their own A001 only


def test_pages_follow_each_other_without_gaps_or_repeats(market):
    stall = market.a_stall("A001")
    for n in range(1, 8):
        pay(market, stall, str(n))
    with market.db.transaction() as s:
        everything = [
            r.id
            for r in audit_page(s, market.admin, AuditFilter(action="recharge"), limit=100).rows
        ]
        seen, after = [], None
        while True:
            page = audit_page(s, market.admin, AuditFilter(action="recharge"), after=after, limit=3)
            seen += [r.id for r in page.rows]
            if page.next_after is None:
                break
            after = page.next_after
        assert seen == everything and len(seen) == 7
        assert [
            r.id for r in audit_rows(s, market.admin, AuditFilter(action="recharge"), page_size=2)
        ] == everything


def test_a_cashier_cannot_read_the_log(market):
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        audit_page(s, market.cashier)


def test_the_log_exports_to_excel_with_its_columns(market):
    stall = market.a_stall("A001")
    pay(market, stall, "12.5")
    with market.db.transaction() as s:
        rows = list(audit_rows(s, market.admin, AuditFilter(action="recharge")))
    ws = load_workbook(io.BytesIO(audit_xlsx(rows, "操作日志"))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(v for v in values if "操作人" in v)
    body = values[values.index(header) + 1]
    assert body[header.index("操作人")] == "小李" and body[header.index("操作")] == "充值"
    assert body[header.index("档位")] == "A001" and body[header.index("金额（元）")] == 12.5
