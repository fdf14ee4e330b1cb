"""销户退款 and 开户 again: a leaving tenant gets what is left after the last usage and the
shared costs not yet issued; the stall then takes a new tenant on the same account."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from app.comm.types import MeterKind
from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry, PayMethod
from app.models.billing import Bill, BillStatus
from app.models.meter import ControlMode, Meter
from app.models.shared_cost import ShareMethod
from app.models.user import AuditEvent, Role
from app.services.money.accounts import (
    RechargeRequest,
    close_account,
    close_preview,
    recharge,
    reopen_account,
    reverse_recharge,
)
from app.services.money.ledger import ledger_sum
from app.services.money.shared_costs import (
    create_pool,
    generate_shared_bills,
    issue_run,
    reverse_run,
    review_run,
    void_run,
)
from app.services.platform.context import Conflict, PermissionDenied
from tests.builders import Market
from tests.waiting import wait_until


@pytest.fixture
def market(db) -> Market:
    return Market(db)


def last_month() -> tuple[date, date]:
    end = date.today().replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def shared_run(market, amounts: dict[int, str]) -> int:
    start, end = last_month()
    with market.db.transaction() as s:
        pool = create_pool(
            s,
            market.admin,
            name="A区垃圾",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.FIXED,
            stall_ids=list(amounts),
            fixed_amounts={k: Decimal(v) for k, v in amounts.items()},
        )
        return generate_shared_bills(s, market.admin, pool.pool_id, start, end).run_id


def account(market, stall) -> Account:
    with market.db.transaction() as s:
        row = s.scalar(select(Account).where(Account.stall_id == stall))
        assert row.balance == ledger_sum(s, row.id)
        s.expunge(row)
        return row


def test_the_refund_shown_before_closing_deducts_unsettled_usage_and_pending_shared_costs(market):
    stall = market.a_stall("A001", balance="100.00", tenant="张三")
    market.a_meter(stall, last_total=1200, settled_total=1000, price="1.5000")  # 2 kWh: 3.00
    shared_run(market, {stall: "12.50"})
    with market.db.transaction() as s:
        preview = close_preview(s, market.admin, stall)
    assert (
        preview.balance,
        preview.unsettled_usage,
        preview.pending_shared,
        preview.pending_shared_bills,
    ) == (Decimal("100.00"), Decimal("3.00"), Decimal("12.50"), 1)
    assert (
        preview.refund == Decimal("84.50") and preview.tenant_name == "张三" and preview.meters == 1
    )
    with market.db.transaction() as s:
        result = close_account(s, market.admin, stall, "租户退租", PayMethod.CASH)
    assert result.refund.amount == -preview.refund
    assert (result.settled_amount, result.shared_amount) == (Decimal("3.00"), Decimal("12.50"))
    assert account(market, stall).balance == Decimal("0.00")


def test_a_shared_bill_debited_at_closing_is_not_debited_again_when_its_run_is_issued(market):
    leaving = market.a_stall("A001", balance="50.00")
    staying = market.a_stall("A002", balance="50.00")
    run = shared_run(market, {leaving: "10.00", staying: "20.00"})
    with market.db.transaction() as s:
        close_account(s, market.admin, leaving, "退租", PayMethod.WECHAT)
    with pytest.raises(Conflict, match="已在销户时扣款"), market.db.transaction() as s:
        void_run(s, market.admin, run, "分错了")
    with market.db.transaction() as s:
        reviewer = market.a_user(s, "shen", Role.REVIEWER, "审核员")
    with market.db.transaction() as s:
        review_run(s, reviewer, run)
        issue_run(s, market.admin, run)
    assert account(market, leaving).balance == Decimal("0.00")
    assert account(market, staying).balance == Decimal("30.00")
    with market.db.transaction() as s:
        assert {b.status for b in s.scalars(select(Bill))} == {BillStatus.SETTLED}
        debits = s.scalars(select(LedgerEntry).where(LedgerEntry.kind == EntryKind.BILL)).all()
    assert sorted(e.amount for e in debits) == [Decimal("-20.00"), Decimal("-10.00")]


def test_only_an_admin_sees_the_refund_figures(market):
    stall = market.a_stall("A001", balance="10")
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        close_preview(s, market.cashier, stall)


def test_after_closing_the_stall_opens_again_for_a_new_tenant_and_the_old_history_stays(market):
    stall = market.a_stall("A001", balance="35.60")
    market.a_meter(stall, MeterKind.ELECTRIC, "1", last_total=1000, settled_total=1000)
    market.a_meter(stall, MeterKind.WATER, "W1", last_total=50, settled_total=50)
    with market.db.transaction() as s:
        close_account(s, market.admin, stall, "租户退租", PayMethod.CASH)
    with market.db.transaction() as s:
        assert close_preview(s, market.admin, stall).is_closed
    with pytest.raises(PermissionDenied), market.db.transaction() as s:
        reopen_account(s, market.cashier, stall)
    with market.db.transaction() as s:
        reopen_account(s, market.admin, stall)
    opened = account(market, stall)
    assert (
        opened.status is AccountStatus.OPEN
        and opened.closed_at is None
        and opened.balance == Decimal("0.00")
    )
    with market.db.transaction() as s:
        assert {m.control_mode for m in s.scalars(select(Meter))} == {ControlMode.PREPAID}
        kinds = [e.kind for e in s.scalars(select(LedgerEntry).order_by(LedgerEntry.id))]
        actions = [a.action for a in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert kinds == [
        EntryKind.ADJUSTMENT,
        EntryKind.REFUND,
    ]  # the old tenant's money is still there
    assert actions.index("account.close") < actions.index("account.open")
    with market.db.transaction() as s:
        paid = recharge(
            s, market.cashier, RechargeRequest(stall_id=stall, amount="20", method=PayMethod.CASH)
        )
    assert paid.balance_after == Decimal("20.00")
    with pytest.raises(Conflict, match="无需开户"), market.db.transaction() as s:
        reopen_account(s, market.admin, stall)


def wait_until_a_session_waits_for_a_lock(
    db, worker: threading.Thread, timeout_s: float = 60
) -> None:
    """PostgreSQL: returns once another connection is blocked on a row lock."""
    with db.engine.connect() as c:

        def waiting() -> int:
            count = c.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            )
            c.rollback()  # pg_stat_activity is read once per transaction: look again in a new one
            if not count:
                assert worker.is_alive(), "the second clerk finished without waiting for the 销户"
            return count

        wait_until(waiting, timeout_s, what="the second clerk waiting for the 销户's lock")


def in_a_thread(db, work) -> tuple[threading.Thread, list]:
    errors: list = []

    def run():
        try:
            with db.transaction() as s:
                work(s)
        except Exception as exc:  # handed to the test, which asserts there is none
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def bill_debits(market) -> list[Decimal]:
    with market.db.transaction() as s:
        return sorted(
            e.amount
            for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind == EntryKind.BILL))
        )


@pytest.mark.pg
def test_a_run_issued_while_the_stall_is_being_closed_does_not_debit_its_shared_bill_twice(pg_db):
    market = Market(pg_db)
    leaving = market.a_stall("A001", balance="50.00")
    staying = market.a_stall("A002", balance="50.00")
    run = shared_run(market, {leaving: "10.00", staying: "20.00"})
    with market.db.transaction() as s:
        review_run(s, market.a_user(s, "shen", Role.REVIEWER, "审核员"), run)
    with market.db.transaction() as s:
        close_account(
            s, market.admin, leaving, "退租", PayMethod.CASH
        )  # debits the 10.00, not yet committed
        # The other clerk reads the run's bills (REVIEWED) and waits for A001's account.
        clerk, errors = in_a_thread(pg_db, lambda s2: issue_run(s2, market.admin, run))
        wait_until_a_session_waits_for_a_lock(pg_db, clerk)
    clerk.join(60)
    assert errors == [] and not clerk.is_alive()
    assert bill_debits(market) == [Decimal("-20.00"), Decimal("-10.00")]
    assert account(market, leaving).balance == Decimal("0.00")
    assert account(market, staying).balance == Decimal("30.00")


@pytest.mark.pg
def test_a_run_reviewed_while_the_stall_is_being_closed_keeps_the_debited_bill_settled(pg_db):
    market = Market(pg_db)
    leaving = market.a_stall("A001", balance="50.00")
    staying = market.a_stall("A002", balance="50.00")
    run = shared_run(market, {leaving: "10.00", staying: "20.00"})
    with market.db.transaction() as s:
        reviewer = market.a_user(s, "shen", Role.REVIEWER, "审核员")
    with market.db.transaction() as s:
        close_account(s, market.admin, leaving, "退租", PayMethod.CASH)
        clerk, errors = in_a_thread(pg_db, lambda s2: review_run(s2, reviewer, run))
        wait_until_a_session_waits_for_a_lock(pg_db, clerk)
    clerk.join(60)
    assert errors == [] and not clerk.is_alive()
    with market.db.transaction() as s:
        assert {b.stall_id: b.status for b in s.scalars(select(Bill))} == {
            leaving: BillStatus.SETTLED,
            staying: BillStatus.REVIEWED,
        }
    with market.db.transaction() as s:
        issue_run(s, market.admin, run)
    assert bill_debits(market) == [Decimal("-20.00"), Decimal("-10.00")]
    assert account(market, leaving).balance == Decimal("0.00")


def test_a_recharge_of_the_former_tenant_cannot_be_reversed_after_the_close(market):
    stall = market.a_stall("A001")
    with market.db.transaction() as s:
        paid = recharge(
            s, market.cashier, RechargeRequest(stall_id=stall, amount="40", method=PayMethod.CASH)
        )
    with market.db.transaction() as s:
        close_account(s, market.admin, stall, "退租", PayMethod.CASH)  # the 40.00 is refunded
    with (
        pytest.raises(Conflict, match="已销户，余额已退清，不能再冲正") as refused,
        market.db.transaction() as s,
    ):
        reverse_recharge(s, market.admin, receipt_no=paid.receipt_no, reason="收款失败")
    assert "former tenant" in refused.value.english
    assert account(market, stall).balance == Decimal("0.00")
    with market.db.transaction() as s:
        reopen_account(s, market.admin, stall)
    assert account(market, stall).balance == Decimal("0.00")  # the new tenant starts from nothing


def test_an_issued_run_with_a_closed_stall_cannot_be_reversed(market):
    leaving = market.a_stall("A001", balance="50.00")
    staying = market.a_stall("A002", balance="50.00")
    run = shared_run(market, {leaving: "10.00", staying: "20.00"})
    with market.db.transaction() as s:
        review_run(s, market.a_user(s, "shen", Role.REVIEWER, "审核员"), run)
    with market.db.transaction() as s:
        issue_run(s, market.admin, run)
    with market.db.transaction() as s:
        close_account(s, market.admin, leaving, "退租", PayMethod.CASH)  # refunds 40.00
    with (
        pytest.raises(Conflict, match="A001 已销户，余额已退清，不能冲正"),
        market.db.transaction() as s,
    ):
        reverse_run(s, market.admin, run, "总表读数有误")
    assert account(market, leaving).balance == Decimal("0.00")
    assert account(market, staying).balance == Decimal("30.00")  # nothing half-written


def test_a_closed_account_with_money_left_on_it_is_not_opened_for_a_new_tenant(market):
    from app.services.money.ledger import lock_account, post

    stall = market.a_stall("A001", balance="20.00")
    with market.db.transaction() as s:
        close_account(s, market.admin, stall, "退租", PayMethod.CASH)
    with market.db.transaction() as s:  # as a reversal posted after the close did before
        post(s, lock_account(s, account(market, stall).id), EntryKind.ADJUSTMENT, Decimal("-20.00"))
    with (
        pytest.raises(
            Conflict, match="余额为 -20.00 元，属于原租户；请先与原租户结清余额"
        ) as refused,
        market.db.transaction() as s,
    ):
        reopen_account(s, market.admin, stall)
    assert "Settle the former tenant's balance first" in refused.value.english
    assert account(market, stall).status is AccountStatus.CLOSED


def test_the_refund_paid_is_the_one_the_admin_confirmed_or_nothing_is_paid(market):
    stall = market.a_stall("A001", balance="100.00")
    market.a_meter(
        stall, last_total=1200, settled_total=1000, price="1.5000"
    )  # 3.00 not yet settled
    with market.db.transaction() as s:
        preview = close_preview(s, market.admin, stall)
    with market.db.transaction() as s:  # another clerk at the counter, before the admin confirms
        recharge(
            s, market.cashier, RechargeRequest(stall_id=stall, amount="50", method=PayMethod.CASH)
        )
    with (
        pytest.raises(
            Conflict, match="余额已变化（另一位收银员刚充值或结算），请重新核对退款金额"
        ) as refused,
        market.db.transaction() as s,
    ):
        close_account(
            s, market.admin, stall, "退租", PayMethod.CASH, expected_refund=preview.refund
        )
    assert (
        "97.00" in str(refused.value)
        and "147.00" in str(refused.value)
        and "has changed" in refused.value.english
    )
    still = account(market, stall)
    assert still.status is AccountStatus.OPEN and still.balance == Decimal(
        "150.00"
    )  # not even settled
    with market.db.transaction() as s:
        again = close_preview(s, market.admin, stall)
    with market.db.transaction() as s:
        result = close_account(
            s, market.admin, stall, "退租", PayMethod.CASH, expected_refund=again.refund
        )
    assert result.refund.amount == Decimal("-147.00")
