"""The cashier's day at the counter: recharges, receipts, reversals, 销户, the shift report."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.comm.types import Action, MeterKind
from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry, PayMethod, Receipt
from app.models.billing import Bill, MonthLock
from app.models.meter import ControlMode, Meter, MeterCommand
from app.models.site import Site
from app.models.user import AuditEvent
from app.services.money.accounts import (
    InvalidAmount,
    RechargeRequest,
    close_account,
    mark_printed,
    receipt,
    recharge,
    recharge_history,
    reverse_recharge,
    shift_summary,
)
from app.services.money.ledger import ledger_sum, lock_account, post
from app.services.platform.audit import AuditFilter, audit_page, detail_text
from app.services.platform.context import Conflict, NotFound, PermissionDenied, ServiceError
from tests.builders import Market


@pytest.fixture
def market(db) -> Market:
    return Market(db)


def pay(market, stall, amount, method=PayMethod.CASH, *, by=None, key=None):
    with market.db.transaction() as s:
        return recharge(
            s,
            by or market.cashier,
            RechargeRequest(
                stall_id=stall if isinstance(stall, int) else None,
                stall_code=stall if isinstance(stall, str) else None,
                amount=amount,
                method=method,
                idempotency_key=key,
            ),
        )


def balance(market, stall_id) -> Decimal:
    with market.db.transaction() as s:
        account = s.scalar(select(Account).where(Account.stall_id == stall_id))
        assert account.balance == ledger_sum(s, account.id)
        return account.balance


def counts(market) -> tuple[int, int]:
    with market.db.transaction() as s:
        return s.scalar(select(func.count()).select_from(LedgerEntry)), s.scalar(
            select(func.count()).select_from(Receipt)
        )


def test_cashier_recharges_and_receipts_are_numbered_1_2_3(market):
    stall = market.a_stall("A001", balance="12.30", tenant="张三")
    results = [pay(market, "A001", a) for a in ("100", "20.50", "0.05")]
    assert [r.receipt_no for r in results] == [1, 2, 3]
    first = results[0]
    assert (first.balance_before, first.balance_after) == (Decimal("12.30"), Decimal("112.30"))
    assert (first.stall_code, first.tenant_name, first.operator_name) == ("A001", "张三", "小李")
    assert results[-1].balance_after == Decimal("132.85") == balance(market, stall)


def test_double_click_with_the_same_key_credits_once(market):
    stall = market.a_stall("A001")
    first = pay(market, stall, "50", key="counter1-0001")
    again = pay(market, stall, "50", key="counter1-0001")
    assert again == first
    assert balance(market, stall) == Decimal("50.00")
    assert counts(market)[1] == 1


def test_the_same_key_for_another_amount_is_refused(market):
    stall = market.a_stall("A001")
    pay(market, stall, "50", key="k")
    with pytest.raises(Conflict, match="另一笔充值"):
        pay(market, stall, "60", key="k")


@pytest.mark.parametrize("amount", ["-10", "0", "1.234", "十元", "", "abc", "NaN"])
def test_bad_amounts_are_refused_and_nothing_is_written(market, amount):
    stall = market.a_stall("A001")
    before = counts(market)
    with pytest.raises(InvalidAmount, match="金额"):
        pay(market, stall, amount)
    assert counts(market) == before
    assert balance(market, stall) == Decimal("0.00")


def test_viewer_cannot_recharge(market):
    stall = market.a_stall("A001")
    with pytest.raises(PermissionDenied, match="无权充值"):
        pay(market, stall, "10", by=market.viewer)
    assert counts(market) == (0, 0)


def test_unknown_stall_and_closed_account_are_refused(market):
    market.a_stall("A001")
    with pytest.raises(NotFound, match="找不到档位“B999”"):
        pay(market, "B999", "10")
    with market.db.transaction() as s:
        s.scalar(select(Account)).status = AccountStatus.CLOSED
    with pytest.raises(Conflict, match="已销户"):
        pay(market, "A001", "10")


def test_recharge_is_audited(market):
    pay(market, market.a_stall("A001"), "100")
    with market.db.transaction() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "recharge"))
    assert (
        event.actor == "xiaoli"
        and event.detail["amount"] == "100.00"
        and event.detail["receipt_no"] == 1
    )


def test_supervisor_reverses_a_recharge_once_with_its_own_receipt(market):
    stall = market.a_stall("A001", balance="10")
    paid = pay(market, stall, "100")
    with market.db.transaction() as s:
        rev = reverse_recharge(s, market.admin, receipt_no=paid.receipt_no, reason="金额输错")
    assert (rev.kind, rev.amount, rev.receipt_no, rev.balance_after) == (
        EntryKind.REVERSAL,
        Decimal("-100.00"),
        2,
        Decimal("10.00"),
    )
    with pytest.raises(Conflict, match="只能冲正一次"), market.db.transaction() as s:
        reverse_recharge(s, market.admin, entry_id=paid.entry_id, reason="again")
    with market.db.transaction() as s:
        assert (
            s.scalar(select(AuditEvent).where(AuditEvent.action == "reversal")).detail["reason"]
            == "金额输错"
        )
        assert recharge_history(s, stall_id=stall, kinds=(EntryKind.RECHARGE,))[0].is_reversed


def test_cashier_cannot_reverse_and_a_reason_is_required(market):
    paid = pay(market, market.a_stall("A001"), "100")
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        reverse_recharge(s, market.cashier, receipt_no=paid.receipt_no, reason="x")
    with pytest.raises(ServiceError, match="原因"), market.db.transaction() as s:
        reverse_recharge(s, market.admin, receipt_no=paid.receipt_no, reason="  ")


def test_reversal_may_take_the_balance_below_zero(market):
    stall = market.a_stall("A001")
    paid = pay(market, stall, "100")
    with market.db.transaction() as s:
        account = lock_account(s, s.scalar(select(Account.id).where(Account.stall_id == stall)))
        post(s, account, EntryKind.BILL, Decimal("-80.00"))
        rev = reverse_recharge(s, market.admin, receipt_no=paid.receipt_no, reason="微信退款")
    assert rev.balance_after == Decimal("-80.00") == balance(market, stall)


def test_reversal_of_a_recharge_in_a_locked_month_posts_in_the_current_month(market):
    stall = market.a_stall("A001")
    with market.db.transaction() as s:
        account = lock_account(s, s.scalar(select(Account.id).where(Account.stall_id == stall)))
        october = post(
            s,
            account,
            EntryKind.RECHARGE,
            Decimal("100.00"),
            method=PayMethod.CASH,
            at=datetime(2026, 10, 10, 2, tzinfo=UTC),
        )
        s.add(MonthLock(site_id=market.site_id, month=date(2026, 10, 1)))
    with market.db.transaction() as s:
        rev = reverse_recharge(s, market.admin, entry_id=october.id, reason="收款失败")
        entry = s.get(LedgerEntry, rev.entry_id)
    # Dated now, not in October: October's approved figures stay as they were.
    assert entry.at.astimezone(UTC) > datetime.now(UTC) - timedelta(minutes=5)
    assert entry.reverses_id == october.id and balance(market, stall) == Decimal("0.00")


def test_reversal_while_the_current_month_is_locked_is_refused_and_nothing_is_written(market):
    stall = market.a_stall("A001")
    paid = pay(market, stall, "100")
    with market.db.transaction() as s:
        local = paid.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
        s.add(MonthLock(site_id=market.site_id, month=date(local.year, local.month, 1)))
    before = counts(market)
    with pytest.raises(Conflict, match="已审核锁定"), market.db.transaction() as s:
        reverse_recharge(s, market.admin, receipt_no=paid.receipt_no, reason="x")
    assert counts(market) == before


def test_receipt_has_capitals_and_a_reprint_says_补打(market):
    paid = pay(market, market.a_stall("A001", balance="12.30"), "120.50", PayMethod.WECHAT)
    with market.db.transaction() as s:
        data = receipt(s, paid.receipt_id)
        assert (data.site_name, data.amount_in_capitals, data.method_name) == (
            "城南农贸市场",
            "壹佰贰拾元伍角整",
            "微信",
        )
        assert not mark_printed(s, paid.receipt_id).is_reprint
        again = mark_printed(s, paid.receipt_id)
    assert again.is_reprint and again.reprint_mark == "补打" and again.print_count == 2


def test_closing_an_account_pays_out_the_balance_and_cuts_the_meters(market):
    stall = market.a_stall("A001", balance="35.60")
    market.a_meter(stall, MeterKind.ELECTRIC, "1", last_total=1000, settled_total=1000)
    market.a_meter(stall, MeterKind.WATER, "W1", last_total=50, settled_total=50)
    with market.db.transaction() as s:
        result = close_account(s, market.admin, stall, "租户退租", PayMethod.CASH)
    assert result.refund.amount == Decimal("-35.60") and result.refund.balance_after == Decimal(
        "0.00"
    )
    assert result.meters_cut == 2
    with market.db.transaction() as s:
        assert s.scalar(select(Account)).status is AccountStatus.CLOSED
        assert {c.action for c in s.scalars(select(MeterCommand))} >= {
            Action.TRIP,
            Action.VALVE_CLOSE,
        }
        assert {m.control_mode for m in s.scalars(select(Meter))} == {ControlMode.FORCED_OFF}
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "account.close")) is not None
    with pytest.raises(Conflict, match="已销户"):
        pay(market, stall, "10")


def test_closing_bills_the_last_usage_before_paying_out(market):
    stall = market.a_stall("A001", balance="35.60")
    market.a_meter(stall, last_total=1200, settled_total=1000, price="1.5000")  # 2 kWh unsettled
    with market.db.transaction() as s:
        result = close_account(s, market.admin, stall, "退租", PayMethod.CASH)
    assert result.refund.balance_before == Decimal("32.60") and result.refund.amount == Decimal(
        "-32.60"
    )
    assert balance(market, stall) == Decimal("0.00")
    with market.db.transaction() as s:
        (bill,) = s.scalars(select(Bill).where(Bill.stall_id == stall)).all()
        final = s.scalars(select(AuditEvent).where(AuditEvent.action == "settlement.final")).one()
    assert bill.amount == Decimal("3.00") and final.detail["bills"] == 1


def test_closing_a_stall_in_debt_is_refused_and_nothing_is_written(market):
    stall = market.a_stall("A001", balance="1.00")
    market.a_meter(stall, last_total=1200, settled_total=1000, price="1.5000")
    before = counts(market)
    with pytest.raises(Conflict, match="欠费 2.00 元"), market.db.transaction() as s:
        close_account(s, market.admin, stall, "退租", PayMethod.CASH)
    assert counts(market) == before and balance(market, stall) == Decimal("1.00")


def test_cashier_recharges_tripped_stall_and_power_is_restored(market):
    stall = market.a_stall("A001", balance="-5.00")
    meter = market.a_meter(stall, supply_on=False)
    pay(market, stall, "100")
    with market.db.transaction() as s:
        (command,) = s.scalars(select(MeterCommand).where(MeterCommand.meter_id == meter))
    assert command.action is Action.CLOSE


def test_stall_card_shows_unsettled_usage_and_available_balance(market):
    stall = market.a_stall("A001", balance="35.60")
    market.a_meter(stall, last_total=1200, settled_total=1000, price="1.5000")
    from app.services.market.stalls import stall_card

    with market.db.transaction() as s:
        card = stall_card(s, stall)
    assert (card.balance, card.unsettled_amount, card.available_balance) == (
        Decimal("35.60"),
        Decimal("3.00"),
        Decimal("32.60"),
    )


def test_shift_summary_adds_up_by_method_and_kind(market):
    stall = market.a_stall("A001")
    pay(market, stall, "100", PayMethod.CASH)
    pay(market, stall, "50", PayMethod.WECHAT)
    paid = pay(market, stall, "30", PayMethod.CASH, by=market.cashier2)
    with market.db.transaction() as s:
        reverse_recharge(s, market.admin, receipt_no=paid.receipt_no, reason="重复收款")
    start, end = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(hours=1)
    with market.db.transaction() as s:
        mine = shift_summary(s, market.cashier.user_id, start, end)
        everybody = shift_summary(s, None, start, end)
        rows = recharge_history(s, start=start, end=end, method=PayMethod.CASH)
    assert mine.by_method == {PayMethod.CASH: Decimal("100.00"), PayMethod.WECHAT: Decimal("50.00")}
    assert mine.net_total == Decimal("150.00") and mine.operator_name == "小李"
    assert everybody.by_kind[EntryKind.REVERSAL].amount == Decimal("-30.00")
    assert everybody.by_method[PayMethod.CASH] == Decimal("100.00")
    assert (everybody.first_receipt_no, everybody.last_receipt_no) == (1, 4)
    assert [r.receipt_no for r in rows] == [4, 3, 1]


# ---------------------------------------------------------------- two clerks at once (PostgreSQL)


def _hammer(db, actor, jobs, errors):
    try:
        for stall_code, amount in jobs:
            with db.transaction() as s:
                recharge(
                    s,
                    actor,
                    RechargeRequest(stall_code=stall_code, amount=amount, method=PayMethod.CASH),
                )
    except Exception as exc:  # reported by the test thread below
        errors.append(exc)


def _check_books(db, expected_total: Decimal, expected_receipts: int):
    with db.transaction() as s:
        nos = list(s.scalars(select(Receipt.no).order_by(Receipt.no)))
        assert nos == list(range(1, expected_receipts + 1))
        assert s.scalar(select(Site.receipt_seq)) == expected_receipts
        for account in s.scalars(select(Account)):
            assert account.balance == ledger_sum(s, account.id)
        assert s.scalar(select(func.sum(Account.balance))) == expected_total


@pytest.mark.pg
def test_two_clerks_recharging_the_same_stall_lose_nothing(pg_db):
    market = Market(pg_db)
    market.a_stall("A001")
    n = 40
    errors: list = []
    threads = [
        threading.Thread(target=_hammer, args=(pg_db, clerk, [("A001", "1.01")] * n, errors))
        for clerk in (market.cashier, market.cashier2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _check_books(pg_db, Decimal("1.01") * 2 * n, 2 * n)


@pytest.mark.pg
def test_recharges_commit_while_a_long_settlement_posts_bills(pg_db):
    market = Market(pg_db)
    codes = [f"B{i:03d}" for i in range(30)]
    for code in codes:
        market.a_stall(code, balance="100", tenant=None)
    started = threading.Event()
    errors: list = []

    def settlement():
        try:
            with pg_db.transaction() as s:
                for account in s.scalars(select(Account).order_by(Account.id)).all():
                    post(s, lock_account(s, account.id), EntryKind.BILL, Decimal("-3.33"))
                    started.set()
                    s.execute(select(func.pg_sleep(0.01)))
        except Exception as exc:
            errors.append(exc)
            started.set()

    bill_run = threading.Thread(target=settlement)
    bill_run.start()
    started.wait(10)
    clerks = [
        threading.Thread(
            target=_hammer, args=(pg_db, clerk, [(c, "5.00") for c in codes[i::2]], errors)
        )
        for i, clerk in enumerate((market.cashier, market.cashier2))
    ]
    for t in clerks:
        t.start()
    for t in (*clerks, bill_run):
        t.join()
    assert errors == []
    _check_books(pg_db, (Decimal("100") - Decimal("3.33") + Decimal("5")) * len(codes), len(codes))


def test_a_reversed_entry_without_receipt_reads_in_the_readers_language_in_the_audit_log(market):
    stall = market.a_stall("A001")
    with market.db.transaction() as s:
        account = lock_account(s, s.scalar(select(Account.id).where(Account.stall_id == stall)))
        entry = post(s, account, EntryKind.RECHARGE, Decimal("100.00"), method=PayMethod.CASH)
    with market.db.transaction() as s:
        reverse_recharge(s, market.admin, entry_id=entry.id, reason="收款失败")
        (row,) = audit_page(s, market.admin, AuditFilter(action="reversal")).rows
        assert f"original_receipt_no=Ledger entry {entry.id}" in detail_text(row, "en")
        assert f"original_receipt_no=账目 {entry.id}" in detail_text(row, "zh_CN")
        with pytest.raises(Conflict) as again:
            reverse_recharge(s, market.admin, entry_id=entry.id, reason="again")
        assert f"Ledger entry {entry.id}" in again.value.text("en")
