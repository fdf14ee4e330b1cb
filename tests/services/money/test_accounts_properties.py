"""Whatever the counter does, in any order: the balance is the ledger sum, the money the
receipts and adjustments show is the money that moved, a refund pays out exactly the
balance, and the monthly ledger shows the same money. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models.account import Account, AccountStatus, EntryKind, LedgerEntry, PayMethod, Receipt
from app.services.money.accounts import RechargeRequest, close_account, recharge, reverse_recharge
from app.services.money.ledger import ledger_sum, lock_account, post
from app.services.money.monthly_ledger import compute_rows
from app.services.platform.context import Conflict, NotFound
from app.services.platform.timeutil import site_zone
from tests.builders import Market
from tests.conftest import db_examples

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
signed = st.decimals(min_value=Decimal("-500"), max_value=Decimal("500"), places=2).filter(bool)
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("recharge"),
            st.sampled_from(["A", "B"]),
            amounts,
            st.sampled_from([None, "k1", "k2", "k3"]),
        ),
        st.tuples(st.just("reverse"), st.integers(min_value=1, max_value=12)),
        st.tuples(st.just("close"), st.sampled_from(["A", "B"])),
        st.tuples(st.just("adjust"), st.sampled_from(["A", "B"]), signed),
    ),
    max_size=12,
)

# The refusals the rules allow, by what was asked; any other error is a defect.
ALLOWED = {
    "recharge": ("已销户，不能充值", "这个充值编号已用于另一笔充值"),
    "reverse": ("找不到收据号", "已经冲正过", "只能冲正充值", "已销户，余额已退清，不能再冲正"),
    "close": ("已经销户", "欠费"),
}


@settings(
    max_examples=db_examples(),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=steps)
def test_balance_is_always_the_ledger_sum_and_the_receipts_sum(fresh_databases, steps):
    db = fresh_databases()
    try:
        _replay(db, steps)
    finally:
        db.dispose()


def _books(db, stalls) -> dict:
    with db.reading() as s:
        return {
            code: (
                s.scalar(select(Account.balance).where(Account.stall_id == sid)),
                s.scalar(select(func.count()).select_from(LedgerEntry)),
            )
            for code, sid in stalls.items()
        }


def _replay(db, steps):
    market = Market(db)
    stalls = {code: market.a_stall(code, tenant=None) for code in ("A", "B")}
    keys: dict[str, tuple[str, Decimal]] = {}  # idempotency key -> (stall, amount) it recharged
    adjusted = {code: Decimal(0) for code in stalls}
    for step in steps:
        before = _books(db, stalls)
        try:
            with db.transaction() as s:
                if step[0] == "recharge":
                    _, code, amount, key = step
                    recharge(
                        s,
                        market.cashier,
                        RechargeRequest(
                            stall_id=stalls[code],
                            amount=amount,
                            method=PayMethod.CASH,
                            idempotency_key=key,
                        ),
                    )
                elif step[0] == "reverse":
                    result = reverse_recharge(
                        s, market.admin, receipt_no=step[1], reason="测试冲正"
                    )
                    original = s.get(LedgerEntry, s.get(LedgerEntry, result.entry_id).reverses_id)
                    assert original.kind is EntryKind.RECHARGE and result.amount == -original.amount
                elif step[0] == "close":
                    balance = before[step[1]][0]
                    closed = close_account(s, market.admin, stalls[step[1]], "退租", PayMethod.CASH)
                    # a refund pays out exactly the balance, and only a positive one
                    assert (closed.refund.amount if closed.refund else Decimal(0)) == -balance
                    assert balance >= 0
                else:
                    _, code, amount = step
                    account = lock_account(
                        s, s.scalar(select(Account.id).where(Account.stall_id == stalls[code]))
                    )
                    if account.status is AccountStatus.CLOSED:
                        continue  # the office adjusts open accounts only
                    post(s, account, EntryKind.ADJUSTMENT, amount, reason="测试调整")
                    adjusted[code] += amount
        except (Conflict, NotFound) as refused:
            assert any(words in str(refused) for words in ALLOWED.get(step[0], ())), (
                step,
                str(refused),
            )
            assert _books(db, stalls) == before, step  # refused whole
        else:
            after = _books(db, stalls)
            if step[0] == "recharge":
                _, code, amount, key = step
                replay = key in keys
                assert not replay or keys[key] == (code, amount)  # else it was refused above
                if key:
                    keys.setdefault(key, (code, amount))
                assert after[code][0] - before[code][0] == (0 if replay else amount), step
            elif step[0] == "close":
                assert after[step[1]][0] == 0
        _check(db, market, stalls, adjusted)
    _check_month(db, market, stalls, adjusted)


def _check(db, market, stalls, adjusted):
    with db.reading() as s:
        for code, stall_id in stalls.items():
            account = s.scalar(select(Account).where(Account.stall_id == stall_id))
            receipts = s.scalar(
                select(func.coalesce(func.sum(Receipt.amount), 0)).where(
                    Receipt.stall_id == stall_id
                )
            )
            assert (
                account.balance == ledger_sum(s, account.id) == Decimal(receipts) + adjusted[code]
            )
            if account.status is AccountStatus.CLOSED:
                assert account.balance <= 0
        nos = list(
            s.scalars(
                select(Receipt.no).where(Receipt.site_id == market.site_id).order_by(Receipt.no)
            )
        )
        assert nos == list(range(1, len(nos) + 1))
        reversed_twice = s.scalar(
            select(func.count())
            .select_from(LedgerEntry)
            .where(LedgerEntry.kind == EntryKind.REVERSAL)
            .group_by(LedgerEntry.reverses_id)
            .having(func.count() > 1)
        )
        assert reversed_twice is None


def _check_month(db, market, stalls, adjusted):
    """The monthly ledger of this month counts every yuan: refunds and adjustments included."""
    with db.reading() as s:
        today = datetime.now(UTC).astimezone(site_zone(s, market.site_id)).date()
        rows = {
            r.stall_id: r
            for r in compute_rows(s, market.site_id, today.replace(day=1), today=today)
        }
        for code, stall_id in stalls.items():
            row = rows[stall_id]
            account_id = s.scalar(select(Account.id).where(Account.stall_id == stall_id))
            refunds = s.scalar(
                select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                    LedgerEntry.account_id == account_id, LedgerEntry.kind == EntryKind.REFUND
                )
            )
            assert row.adjustments == adjusted[code] and row.refunds == Decimal(refunds)
            assert row.closing == ledger_sum(s, account_id)
