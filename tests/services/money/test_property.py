"""Property charges: the admin generates November's bills, checks them, issues them."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.models.account import EntryKind, LedgerEntry
from app.models.billing import Bill, BillStatus, ChargeItem, ChargeMethod, MonthLock, StallCharge
from app.services.money.ledger import ledger_sum
from app.services.money.property import (
    bill_lines,
    generate_property_bills,
    issue_bills,
    void_bill,
)
from app.services.platform.context import Conflict, PermissionDenied
from app.words import shown
from tests.builders import Market

NOV = date(2026, 11, 1)


def charge_items(m):
    s = m.s
    fee = ChargeItem(
        site_id=m.site.id, name="物业费", method=ChargeMethod.PER_M2, price=Decimal("2.5000")
    )
    clean = ChargeItem(
        site_id=m.site.id, name="卫生费", method=ChargeMethod.FIXED_MONTH, price=Decimal("30")
    )
    bins = ChargeItem(
        site_id=m.site.id,
        name="垃圾桶",
        method=ChargeMethod.PER_UNIT,
        price=Decimal("5"),
        unit_name="个",
    )
    s.add_all([fee, clean, bins])
    s.flush()
    return fee, clean, bins


def test_month_of_property_bills_is_generated_once_and_issued(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="200.00", area="12.5")
        other = m.a_stall_with_meters(balance="0", area="8")
        fee, clean, bins = charge_items(m)
        s.add(StallCharge(stall_id=stall.stall_id, charge_item_id=bins.id, units=Decimal(2)))
        first = generate_property_bills(s, m.admin, NOV)
        again = generate_property_bills(s, m.admin, NOV)
        assert (first.created, first.amount) == (5, Decimal("31.25") + 30 + 10 + 20 + 30)
        assert (again.created, again.existing) == (0, 5)
        assert m.balance(stall) == Decimal("200.00")  # nothing debited before 下发
        out = issue_bills(s, m.admin, first.bill_ids)
        assert out.issued == 5
        assert m.balance(stall) == Decimal("128.75") == ledger_sum(s, stall.account_id)
        assert m.balance(other) == Decimal("-50.00")
        with pytest.raises(Conflict, match="只有未下发"):
            issue_bills(s, m.admin, first.bill_ids[:1])


def test_voiding_an_issued_bill_gives_the_money_back_by_a_reversing_entry(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        charge_items(m)
        ids = generate_property_bills(s, m.admin, NOV).bill_ids
        issue_bills(s, m.admin, ids)
        out = void_bill(s, m.admin, ids[0], "面积录错")
        entry = s.get(LedgerEntry, out.reversal_entry_id)
        assert (
            entry.kind == EntryKind.REVERSAL
            and entry.reverses_id is not None
            and entry.operator_id == m.admin.user_id
        )
        assert m.balance(stall) == Decimal("100.00") - Decimal("30.00")  # only 卫生费 left
        assert s.get(Bill, ids[0]).status == BillStatus.VOIDED
        with pytest.raises(Conflict, match="已作废"):
            void_bill(s, m.admin, ids[0], "再来一次")


def test_unprocessed_bill_is_simply_voided_and_cashier_may_not(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        m.a_stall_with_meters()
        charge_items(m)
        ids = generate_property_bills(s, m.admin, NOV).bill_ids
        with pytest.raises(PermissionDenied):
            void_bill(s, m.cashier, ids[0], "x")
        assert void_bill(s, m.admin, ids[0], "重复").reversal_entry_id is None


def test_locked_month_gets_no_new_property_bills(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        m.a_stall_with_meters()
        charge_items(m)
        s.add(MonthLock(site_id=m.site.id, month=NOV))
        with pytest.raises(Conflict, match="已审核锁定"):
            generate_property_bills(s, m.admin, NOV)
        assert s.scalars(select(Bill)).all() == []


OCT = date(2026, 10, 1)


def test_a_bill_issued_after_its_month_was_locked_counts_in_the_first_open_month(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        charge_items(m)
        ids = generate_property_bills(s, m.admin, OCT).bill_ids
        s.add(MonthLock(site_id=m.site.id, month=OCT))
        s.flush()
        issue_bills(s, m.admin, ids)  # today (after October) is open
        issued = [s.get(Bill, i) for i in ids]
        assert {b.status for b in issued} == {BillStatus.SETTLED}
        assert {b.month for b in issued} != {OCT} and all(b.month > OCT for b in issued)
        shanghai = ZoneInfo("Asia/Shanghai")
        assert all(
            b.period_start.astimezone(shanghai).month == 10 for b in issued
        )  # the period stays October
        debited = sum((b.amount for b in issued), Decimal(0))
        assert m.balance(stall) == Decimal("100.00") - debited == ledger_sum(s, stall.account_id)


def test_voiding_a_settled_bill_of_a_locked_month_posts_the_reversal_now(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        charge_items(m)
        ids = generate_property_bills(s, m.admin, OCT).bill_ids
        issue_bills(s, m.admin, ids)
        s.add(MonthLock(site_id=m.site.id, month=OCT))
        s.flush()
        out = void_bill(s, m.admin, ids[0], "面积录错")
        entry = s.get(LedgerEntry, out.reversal_entry_id)
        debit = s.get(LedgerEntry, entry.reverses_id)
        assert entry.kind == EntryKind.REVERSAL and entry.at >= debit.at
        assert s.get(Bill, ids[0]).month == OCT  # the debit stays counted in October
        assert (
            m.balance(stall) == Decimal("70.00") == ledger_sum(s, stall.account_id)
        )  # 卫生费 stays


def test_an_unprocessed_bill_of_a_locked_month_can_still_be_voided(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        m.a_stall_with_meters(balance="100.00")
        charge_items(m)
        ids = generate_property_bills(s, m.admin, OCT).bill_ids
        s.add(MonthLock(site_id=m.site.id, month=OCT))
        s.flush()
        assert void_bill(s, m.admin, ids[0], "多生成了").reversal_entry_id is None


def test_the_reasons_written_with_the_bills_read_in_the_clerks_language(sqlite_db):
    """The debit's and the reversal's reasons and the voided bill's note are stored as words;
    what the clerk typed stays as typed inside them."""
    with sqlite_db.transaction() as s:
        m = Market.in_session(s)
        m.a_stall_with_meters(balance="100.00")
        charge_items(m)
        ids = generate_property_bills(s, m.admin, NOV).bill_ids
        issue_bills(s, m.admin, ids)
        out = void_bill(s, m.admin, ids[0], "面积录错")
        reversal = s.get(LedgerEntry, out.reversal_entry_id)
        debit = s.get(LedgerEntry, reversal.reverses_id)
        note = s.get(Bill, ids[0]).note
    assert shown(reversal.reason, "en") == "Bill voided: 面积录错"
    assert shown(reversal.reason, "zh_CN") == "作废账单：面积录错"
    assert shown(note, "en") == "Voided: 面积录错"
    assert shown(debit.reason, "en").startswith("Bill issued ")
    assert shown(debit.reason, "zh_CN").startswith("下发账单 ")


def test_a_bills_lines_read_in_the_readers_language(db):
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="0", area="12.5")
        fee, clean, bins = charge_items(m)
        bins.unit_name = ""  # no unit typed: the program's "piece"
        s.add(StallCharge(stall_id=stall.stall_id, charge_item_id=bins.id, units=Decimal(2)))
        ids = generate_property_bills(s, m.admin, NOV).bill_ids
        lines = [line for bill in ids for line in bill_lines(s, m.site.id, bill)]

        def said(lang):
            return sorted((shown(l.description, lang), shown(l.unit, lang)) for l in lines)

        assert said("en") == [("卫生费", "month"), ("垃圾桶", "piece"), ("物业费", "m²")]
        assert said("zh_CN") == [("卫生费", "月"), ("垃圾桶", "个"), ("物业费", "m²")]
        assert bill_lines(s, m.site.id + 1, ids[0]) == []  # another site's bill: none
