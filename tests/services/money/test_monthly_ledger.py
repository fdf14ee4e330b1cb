"""Month end: the admin builds November's ledger, the reviewer approves it, and the month
is closed for good."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.comm.types import MeterKind
from app.models.account import EntryKind, LedgerEntry, PayMethod
from app.models.billing import Bill, BillKind, BillStatus, MonthLock
from app.models.monthly import MonthStatus
from app.models.shared_cost import ShareMethod
from app.services.money.ledger import lock_account, post
from app.services.money.monthly_ledger import (
    approve_month,
    build_month,
    ensure_month_open,
    get_month,
    month_pdf,
    month_xlsx,
    return_month,
    submit_month,
)
from app.services.money.shared_costs import (
    create_pool,
    generate_shared_bills,
    issue_run,
    reverse_run,
    review_run,
)
from app.services.platform.context import Conflict, NotFound, PermissionDenied, ServiceError
from tests.builders import (
    Market,
    a_meter,
    a_reviewer,
    a_stall,
    account_of,
    an_admin,
    local,
    readings,
)
from tests.pdf import pdf_text

NOV = date(2026, 11, 1)
DEC_NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def at(day, hour=3):
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def a_bill(s, stall, kind, amount, when):
    acc = account_of(s, stall)
    bill = Bill(
        site_id=stall.site_id,
        stall_id=stall.id,
        account_id=acc.id,
        kind=kind,
        period_start=when,
        period_end=when,
        amount=Decimal(amount),
        status=BillStatus.SETTLED,
        dedupe_key=f"{kind}:{stall.id}:{when.isoformat()}",
    )
    s.add(bill)
    s.flush()
    post(s, lock_account(s, acc.id), EntryKind.BILL, -Decimal(amount), bill_id=bill.id, at=when)
    return bill


def a_november(s):
    """Two buildings; money moved in October (opening) and November; meters read daily."""
    a1 = a_stall(s, "A001", balance="300", at=datetime(2026, 10, 5, tzinfo=UTC))
    a2 = a_stall(s, "A002", balance="50", at=datetime(2026, 10, 6, tzinfo=UTC))
    b1 = a_stall(s, "B001", building="B区", balance="0")
    post(
        s,
        lock_account(s, account_of(s, a1).id),
        EntryKind.RECHARGE,
        Decimal("200"),
        method=PayMethod.WECHAT,
        at=at(3),
    )
    r = post(
        s,
        lock_account(s, account_of(s, b1).id),
        EntryKind.RECHARGE,
        Decimal("100"),
        method=PayMethod.CASH,
        at=at(4),
    )
    post(
        s,
        lock_account(s, account_of(s, b1).id),
        EntryKind.REVERSAL,
        Decimal("-100"),
        reverses_id=r.id,
        reason="收错档位",
        at=at(4, 5),
    )
    a_bill(s, a1, BillKind.ELECTRIC, "88.80", at(20))
    a_bill(s, a1, BillKind.WATER, "12.30", at(20))
    a_bill(s, a2, BillKind.PROPERTY, "60.00", at(1))
    a_bill(
        s, a1, BillKind.ELECTRIC, "9.99", datetime(2026, 12, 1, 2, tzinfo=UTC)
    )  # December: not in November
    # readings: A001 used 100 kWh in October, 250 in November (a jump); A002 steady; B001's
    # water meter stopped reporting on 20 November
    m1 = a_meter(s, a1)
    readings(
        s,
        m1,
        {
            date(2026, 9, 30): 0,
            date(2026, 10, 31): 100,
            **{date(2026, 11, d): 100 + d * 250 / 30 for d in range(1, 31)},
        },
    )
    m2 = a_meter(s, a2)
    readings(
        s,
        m2,
        {
            date(2026, 9, 30): 0,
            date(2026, 10, 31): 80,
            **{date(2026, 11, d): 80 + d * 3 for d in range(1, 31)},
        },
    )
    w = a_meter(s, b1, kind=MeterKind.WATER)
    readings(
        s, w, {date(2026, 10, 31): 10, **{date(2026, 11, d): 10 + d / 10 for d in range(1, 20)}}
    )
    return a1, a2, b1


def test_the_monthly_ledger_reconciles_with_the_ledger_for_every_stall_and_the_site(db):
    with db.transaction() as s:
        admin = an_admin(s)
        a1, a2, b1 = a_november(s)
        month = build_month(s, admin, NOV, now=DEC_NOW)
    rows = {r.stall_code: r for r in month.rows}
    a = rows["A001"]
    assert (a.opening, a.recharges, a.electric_amount, a.water_amount, a.closing) == (
        Decimal("300.00"),
        Decimal("200.00"),
        Decimal("88.80"),
        Decimal("12.30"),
        Decimal("398.90"),
    )
    assert (rows["A002"].property_amount, rows["A002"].closing) == (
        Decimal("60.00"),
        Decimal("-10.00"),
    )
    assert (rows["B001"].recharges, rows["B001"].reversals, rows["B001"].closing) == (
        Decimal("100.00"),
        Decimal("-100.00"),
        Decimal("0.00"),
    )
    assert all(r.is_reconciled for r in month.rows)
    assert a.electric_kwh == Decimal("250.000") and a.prev_electric_kwh == Decimal("100.000")
    with db.transaction() as s:
        end = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 December 00:00 in Shanghai
        in_ledger = s.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.at < end))
        before = s.scalar(
            select(func.sum(LedgerEntry.amount)).where(
                LedgerEntry.at < datetime(2026, 10, 31, 16, tzinfo=UTC)
            )
        )
    assert month.site_total.closing == in_ledger and month.site_total.opening == before
    assert month.site_total.is_reconciled
    assert [(t.building, t.closing) for t in month.building_totals] == [
        ("A区", Decimal("388.90")),
        ("B区", Decimal("0.00")),
    ]


def test_usage_jumps_and_offline_meters_are_flagged(db):
    with db.transaction() as s:
        a_november(s)
        month = build_month(
            s, an_admin(s), NOV, jump_pct=Decimal("50"), offline_days=3, now=DEC_NOW
        )
    flags = {r.stall_code: r.flags for r in month.rows}
    assert "用电突增+150%" in flags["A001"]
    assert flags["A002"] == ""  # 90 kWh after 80: +12.5% is normal
    assert "离线11天" in flags["B001"]


def test_a_stall_whose_only_flag_is_one_offline_meter_is_built(db):
    # one meter never read in the month: its stall's one flag is that meter's
    with db.transaction() as s:
        a_meter(s, a_stall(s, "C001"))
        month = build_month(s, an_admin(s), NOV, offline_days=3, now=DEC_NOW)
    assert "离线" in {r.stall_code: r.flags for r in month.rows}["C001"]


def test_review_approves_and_locks_the_month(db):
    with db.transaction() as s:
        a1, a2, b1 = a_november(s)
        admin = an_admin(s)
        build_month(s, admin, NOV, now=DEC_NOW)
        submit_month(s, admin, NOV)
        with pytest.raises(PermissionDenied):
            approve_month(s, a_stall_free_cashier(s), NOV)
        returned = return_month(s, a_reviewer(s), NOV, "A001 电量突增请核实")
        assert returned.status is MonthStatus.RETURNED
        with pytest.raises(Conflict, match="已被退回"):
            submit_month(s, admin, NOV)
        build_month(s, admin, NOV, now=DEC_NOW)
        submit_month(s, admin, NOV)
        with pytest.raises(Conflict, match="不能重新生成"):
            build_month(s, admin, NOV)
        approved = approve_month(s, a_reviewer(s), NOV, "已核对")
        assert approved.status is MonthStatus.APPROVED
        assert [step.action for step in approved.reviews] == [
            "build",
            "submit",
            "return",
            "build",
            "submit",
            "approve",
        ]
        assert (
            approved.reviews[2].comment == "A001 电量突增请核实"
            and approved.reviews[-1].username == "finance"
        )
        assert s.scalar(select(MonthLock.month)) == NOV
    with db.transaction() as s:
        admin = an_admin(s)
        with pytest.raises(Conflict, match="2026年11月的月报表已审核锁定"):
            ensure_month_open(s, admin.site_id, at(30, 15))  # 23:00 on 30 November in Shanghai
        ensure_month_open(s, admin.site_id, at(30, 16))  # 00:00 on 1 December: open
        from app.services.money.property import generate_property_bills

        with pytest.raises(Conflict, match="已审核锁定"):  # the core services see the lock too
            generate_property_bills(s, admin, NOV)
        pool = create_pool(
            s,
            admin,
            name="A区",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.MANUAL,
            stall_ids=[a1.id, a2.id],
            coefficients={a1.id: Decimal(1), a2.id: Decimal(1)},
        )
        with pytest.raises(Conflict, match="已审核锁定"):  # a bill dated in the locked month
            generate_shared_bills(
                s, admin, pool.pool_id, date(2026, 11, 1), date(2026, 11, 30), amount=Decimal("10")
            )
        run = generate_shared_bills(
            s,
            admin,
            pool.pool_id,
            date(2026, 12, 1),
            date(2026, 12, 31),
            amount=Decimal("10"),
            now=DEC_NOW,
        )
        review_run(s, admin, run.run_id, now=DEC_NOW)
        issue_run(s, admin, run.run_id, now=DEC_NOW)
        s.add(MonthLock(site_id=admin.site_id, month=date(2026, 12, 1)))
        s.flush()
        with pytest.raises(
            Conflict, match="2026年12月的月报表已审核锁定"
        ):  # a reversal dated in it
            reverse_run(s, admin, run.run_id, "错了", now=datetime(2026, 12, 20, tzinfo=UTC))


def a_stall_free_cashier(s):
    from tests.builders import a_cashier

    return a_cashier(s)


def test_approval_is_refused_when_money_moved_after_the_report_was_built(db):
    with db.transaction() as s:
        a1, _, _ = a_november(s)
        admin = an_admin(s)
        build_month(s, admin, NOV, now=DEC_NOW)
        submit_month(s, admin, NOV)
        post(s, lock_account(s, account_of(s, a1).id), EntryKind.RECHARGE, Decimal("5"), at=at(29))
        with pytest.raises(Conflict, match="请退回后重新生成"):
            approve_month(s, a_reviewer(s), NOV)
        with pytest.raises(NotFound, match="还没有生成"):
            get_month(s, admin, date(2026, 10, 1))


def test_the_month_exports_to_excel_and_to_a_pdf_with_totals(sqlite_db, tmp_path):
    with sqlite_db.transaction() as s:
        a_november(s)
        month = build_month(s, an_admin(s), NOV, now=DEC_NOW)
    ws = load_workbook(io.BytesIO(month_xlsx(month))).active
    assert "2026年11月 月报表台账" in ws["A1"].value and ws.freeze_panes == "A3"
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [v[1] for v in values] == ["A001", "A002", "A区 合计", "B001", "B区 合计", "全市场合计"]
    assert values[-1][18] == pytest.approx(388.90) and ws.cell(3, 19).number_format == "0.00"
    pdf = month_pdf(month)
    assert pdf.startswith(b"%PDF") and b"WenQuanYi" in pdf
    text = pdf_text(pdf).replace("\n", "|")
    assert "城东农贸市场" in text and "2026年11月" in text and "第1页/共1页" in text
    # Each row's figures in column order, as in the workbook above: usage, money, closing balance.
    assert (
        "|A001|档位A001|250.00|100.00|150.00|88.80|0.000|12.30|0.00|0.00|0.00|300.00|200.00|0.00|0.00|0.00|398.90|用电突增+150%|"
        in text
    )
    assert (
        "|A区合计|2户|340.00|180.00|160.00|88.80|0.000|12.30|0.00|0.00|60.00|350.00|200.00|0.00|0.00|0.00|388.90|"
        in text
    )
    assert (
        "|B001|档位B001|0.00|0.00|0.00|0.00|1.900|" in text
        and "|100.00|-100.00|0.00|0.00|0.00|用水上月为0" in text
    )
    assert (
        "|全市场合计|3户|340.00|180.00|160.00|88.80|1.900|12.30|0.00|0.00|60.00|350.00|300.00|-100.00|0.00|0.00|388.90|"
        in text
    )


def test_the_night_run_on_the_first_counts_the_last_day_in_its_own_month_and_the_lock_holds(db):
    from app.services.market.readings import ingest
    from app.services.money.monthly_ledger import compute_rows
    from app.services.money.settlement import settle

    dec = date(2026, 12, 1)
    with db.transaction() as s:
        m = Market.in_session(s)
        stall = m.a_stall_with_meters(balance="100.00")
        ingest(s, [m.reading(stall.electric, local(2026, 11, 29, 23), 100_000)])
        settle(s, m.admin, now=local(2026, 11, 30, 1))
        ingest(
            s, [m.reading(stall.electric, local(2026, 11, 30, 20), 101_000)]
        )  # 10 kWh on the last day
        settle(s, m.admin, now=local(2026, 12, 1, 1))  # debited on 1 December, at night

        def rows(month):
            return {
                r.stall_id: r for r in compute_rows(s, m.site.id, month, today=date(2026, 12, 2))
            }

        nov, first = rows(NOV)[stall.stall_id], rows(dec)[stall.stall_id]
        assert nov.electric_amount == Decimal("10.00") and first.electric_amount == Decimal("0.00")
        assert nov.closing == nov.opening + nov.recharges - nov.bills == first.opening
        build_month(s, m.admin, NOV, now=local(2026, 12, 1, 2))
        submit_month(s, m.admin, NOV)
        approved = approve_month(s, m.reviewer, NOV, "已核对")
        # Afterwards a meter hands in a buffered reading of 30 November: stored, and its
        # usage billed by the next night run, in December; November stays as approved.
        late_reading = ingest(s, [m.reading(stall.electric, local(2026, 11, 30, 23), 101_500)])
        assert late_reading.in_locked_month == 1
        late = settle(s, m.admin, now=local(2026, 12, 2, 1))
        assert late.amount == Decimal("5.00") and late.periods[0].month == dec
        again = rows(NOV)[stall.stall_id]
        mine = next(r for r in approved.rows if r.stall_id == stall.stall_id)
        assert (again.electric_amount, again.closing) == (mine.electric_amount, mine.closing)
        after = rows(dec)[stall.stall_id]
        assert after.electric_amount == Decimal("5.00") and after.opening == mine.closing
        assert (
            after.closing
            == after.opening + after.recharges + after.reversals + after.refunds - after.bills
        )
        total = s.scalar(select(func.sum(LedgerEntry.amount)))
        assert sum((r.closing for r in rows(dec).values()), Decimal(0)) == total


DEC = date(2026, 12, 1)


def test_the_running_month_cannot_be_submitted_or_approved_and_the_counter_stays_open(db):
    """Approving December on 7 December locked every recharge for the rest of the month."""
    with db.transaction() as s:
        a_november(s)
        admin, reviewer = an_admin(s), a_reviewer(s)
        build_month(
            s, admin, DEC, now=datetime(2026, 12, 7, 2, tzinfo=UTC)
        )  # a draft to look at is fine
        for when in (
            datetime(2026, 12, 7, 2, tzinfo=UTC),
            datetime(2026, 12, 31, 15, 59, tzinfo=UTC),
        ):
            with pytest.raises(
                Conflict, match="2026年12月还没有结束（到 2027-01-01 00:00 才结束）"
            ) as err:
                submit_month(s, admin, DEC, now=when)
            assert err.value.code == "month_not_ended" and "has not ended yet" in err.value.en
        with pytest.raises(Conflict, match="还没有结束"):  # a future month too
            submit_month(
                s, admin, build_month(s, admin, date(2027, 1, 1), now=DEC_NOW).month, now=DEC_NOW
            )
        # 00:00 on 1 January in Shanghai: December has ended.
        summary = submit_month(s, admin, DEC, now=datetime(2026, 12, 31, 16, tzinfo=UTC))
        assert summary.status is MonthStatus.SUBMITTED and summary.ends_at == datetime(
            2026, 12, 31, 16, tzinfo=UTC
        )
        with pytest.raises(Conflict, match="还没有结束"):  # a PC clock running behind
            approve_month(s, reviewer, DEC, now=datetime(2026, 12, 20, tzinfo=UTC))
        assert s.scalar(select(func.count(MonthLock.id))) == 0
        ensure_month_open(
            s, admin.site_id, datetime(2026, 12, 20, tzinfo=UTC)
        )  # recharges still taken
        assert (
            approve_month(s, reviewer, DEC, now=datetime(2027, 1, 2, tzinfo=UTC)).status
            is MonthStatus.APPROVED
        )


def test_the_submitter_does_not_approve_unless_the_office_allows_it_and_the_ledger_says_so(
    db, tmp_path
):
    from app.models.user import AuditEvent
    from app.services.money.monthly_ledger import set_submitter_may_approve

    with db.transaction() as s:
        a_november(s)
        admin, reviewer = an_admin(s), a_reviewer(s)
        build_month(s, admin, NOV, now=DEC_NOW)
        submit_month(s, admin, NOV)
        with pytest.raises(Conflict, match="是您本人提交的，须由另一人审核") as err:
            approve_month(s, admin, NOV)
        assert err.value.code == "four_eyes" and "four eyes" in err.value.en
        four_eyes = approve_month(s, reviewer, NOV, "已核对")
        assert not four_eyes.approved_by_submitter and "由提交人审核" not in four_eyes.status_name
        with pytest.raises(PermissionDenied):
            set_submitter_may_approve(s, reviewer, True)
        set_submitter_may_approve(s, admin, True)  # a one-person office
        build_month(s, admin, DEC, now=datetime(2027, 1, 2, tzinfo=UTC))
        submit_month(s, admin, DEC, now=datetime(2027, 1, 2, tzinfo=UTC))
        alone = approve_month(s, admin, DEC, "已核对", now=datetime(2027, 1, 2, tzinfo=UTC))
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "month.four_eyes"))
        assert event.detail["after"] == {"submitter_may_approve": True} and event.actor == "admin"
    assert alone.status is MonthStatus.APPROVED and alone.approved_by_submitter
    assert alone.status_name == "已审核（锁定），由提交人审核"
    assert alone.reviews[-1].comment == "由提交人审核；已核对"
    ws = load_workbook(io.BytesIO(month_xlsx(alone))).active
    assert "由提交人审核" in ws["A1"].value
    assert "由提交人审核" in pdf_text(month_pdf(alone))


def test_nobody_in_particular_neither_submits_nor_approves_a_month(db):
    """The command line's built-in admin has no user id: had it approved, an admin who
    submitted in the client would have approved their own month (four eyes bypassed)."""
    from app.models.user import Role
    from app.services.platform.context import Actor

    with db.transaction() as s:
        a_november(s)
        admin = an_admin(s)
        cli = Actor(None, "cli", Role.ADMIN, admin.site_id)
        build_month(s, admin, NOV, now=DEC_NOW)
        with pytest.raises(PermissionDenied, match="--operator 用户名") as err:
            submit_month(s, cli, NOV)
        assert err.value.code == "needs_person" and "--operator" in err.value.en
        submit_month(s, admin, NOV)
        with pytest.raises(PermissionDenied, match="审核月报表须由具体的人办理"):
            approve_month(s, cli, NOV)
        assert get_month(s, admin, NOV).status is MonthStatus.SUBMITTED


def test_an_administrator_reopens_an_approved_month_with_a_reason_and_the_correction_shows(db):
    from app.models.user import AuditEvent
    from app.services.money.monthly_ledger import reopen_month

    with db.transaction() as s:
        a1, _, _ = a_november(s)
        admin, reviewer = an_admin(s), a_reviewer(s)
        build_month(s, admin, NOV, now=DEC_NOW)
        submit_month(s, admin, NOV)
        approve_month(s, reviewer, NOV, "已核对")
        with pytest.raises(PermissionDenied):
            reopen_month(s, reviewer, NOV, "复核")
        with pytest.raises(ServiceError, match="须写明原因"):
            reopen_month(s, admin, NOV, " ")
        reopened = reopen_month(s, admin, NOV, "A001 电费少收 5 元")
        assert (
            reopened.status is MonthStatus.REOPENED
            and s.scalar(select(func.count(MonthLock.id))) == 0
        )
        assert (
            reopened.reviews[-1].action,
            reopened.reviews[-1].username,
            reopened.reviews[-1].comment,
        ) == ("reopen", "admin", "A001 电费少收 5 元")
        ensure_month_open(s, admin.site_id, at(29))  # November takes the correction now
        a_bill(s, a1, BillKind.ELECTRIC, "5.00", at(29))
        with pytest.raises(Conflict, match="已重新打开，请先做完更正并重新生成"):
            submit_month(s, admin, NOV)
        with pytest.raises(Conflict, match="只有已审核的月报表需要重新打开"):
            reopen_month(s, admin, NOV, "再开一次")
        build_month(s, admin, NOV, now=DEC_NOW)
        submit_month(s, admin, NOV)
        again = approve_month(s, reviewer, NOV, "更正后已核对")
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "month.reopen"))
        assert event.detail["reason"] == "A001 电费少收 5 元" and event.actor == "admin"
    assert [st.action for st in again.reviews] == [
        "build",
        "submit",
        "approve",
        "reopen",
        "build",
        "submit",
        "approve",
    ]
    assert (
        again.reviews[4].comment == "较上次生成有变动：A001 期末 398.90→393.90；期末合计 -5.00 元"
    )
    assert again.status is MonthStatus.APPROVED
    with db.transaction() as s:
        assert s.scalar(select(MonthLock.month)) == NOV
        # A month whose successor is locked stays closed: the successor's opening came from it.
        s.add(MonthLock(site_id=an_admin(s).site_id, month=DEC))
        s.flush()
        with pytest.raises(Conflict, match="2026年12月也已审核锁定"):
            reopen_month(s, an_admin(s), NOV, "再更正")
