"""The admin allocates the building's common electricity (公摊) and the reviewer checks it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.comm.types import Action, MeterKind
from app.models.account import EntryKind, LedgerEntry
from app.models.billing import Bill, BillKind, BillStatus
from app.models.meter import MeterCommand
from app.models.shared_cost import SharedRunStatus, ShareMethod
from app.models.site import Customer, StallRole, StallRoleKind
from app.models.user import AuditEvent
from app.services.money.ledger import ledger_sum
from app.services.money.shared_costs import (
    allocate,
    create_pool,
    generate_shared_bills,
    issue_run,
    preview_pool,
    reverse_run,
    review_run,
    void_run,
)
from app.services.platform.context import Conflict, PermissionDenied, ServiceError
from app.words import shown
from tests.builders import (
    a_cashier,
    a_meter,
    a_reviewer,
    a_stall,
    account_of,
    an_admin,
    readings,
)
from tests.conftest import db_examples

NOV1, NOV30, OCT31 = date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 31)
DEC2 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: not the friendly night


def a_building_with_master(s, subs=(200, 300, 100), master=1000, balances=("500", "500", "100")):
    """A区: three stalls with their own meters and the building's master meter (总表)."""
    stalls = []
    for i, (used, balance) in enumerate(zip(subs, balances, strict=False), start=1):
        stall = a_stall(s, f"A00{i}", area=str(10 * i), balance=balance)
        readings(s, a_meter(s, stall), {OCT31: 1000, NOV30: 1000 + used})
        stalls.append(stall)
    m = a_meter(s, None, address="ZB-A")
    readings(s, m, {OCT31: 5000, date(2026, 11, 15): 5400, NOV30: 5000 + master})
    return stalls, m


def test_building_pool_by_usage_is_previewed_generated_reviewed_issued_and_debited(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s)
        pool = create_pool(
            s,
            admin,
            name="A区公共照明",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=stalls[0].building_id,
            master_meter_id=master.id,
            price=Decimal("1.2"),
        )
        rows = preview_pool(s, admin, pool.pool_id, NOV1, NOV30)
        # pool = 1000 − (200 + 300 + 100) = 400 kWh × 1.20 = 480.00, shared 2:3:1
        assert [(r.stall_code, r.amount, r.quantity) for r in rows] == [
            ("A001", Decimal("160.00"), Decimal("133.333")),
            ("A002", Decimal("240.00"), Decimal("200.000")),
            ("A003", Decimal("80.00"), Decimal("66.667")),
        ]
        assert s.scalar(select(Bill)) is None  # a preview writes nothing
        run = generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30, now=DEC2)
        bills = list(s.scalars(select(Bill).order_by(Bill.id)))
        assert [(b.kind, b.status, b.amount) for b in bills] == [
            (BillKind.SHARED_ELECTRIC, BillStatus.UNPROCESSED, Decimal("160.00")),
            (BillKind.SHARED_ELECTRIC, BillStatus.UNPROCESSED, Decimal("240.00")),
            (BillKind.SHARED_ELECTRIC, BillStatus.UNPROCESSED, Decimal("80.00")),
        ]
        assert account_of(s, stalls[0]).balance == Decimal("500.00")  # nothing debited yet
        with pytest.raises(Conflict, match="请先由审核员审核"):
            issue_run(s, admin, run.run_id, now=DEC2)
    with db.transaction() as s:
        review_run(s, a_reviewer(s), run.run_id, now=DEC2)
        issued = issue_run(s, an_admin(s), run.run_id, now=DEC2)
        assert issued.status is SharedRunStatus.ISSUED
        assert [account_of(s, st).balance for st in stalls] == [
            Decimal("340.00"),
            Decimal("260.00"),
            Decimal("20.00"),
        ]
        for st in stalls:
            assert ledger_sum(s, account_of(s, st).id) == account_of(s, st).balance
        assert {b.status for b in s.scalars(select(Bill))} == {BillStatus.SETTLED}
        # control looked at the stalls again: A003 is now below its alarm levels
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "meter.alarm")) is not None
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert {
            "shared_pool.create",
            "shared_run.generate",
            "shared_run.review",
            "shared_run.issue",
        } <= set(actions)


def test_a_stall_in_debt_after_the_shared_bill_is_tripped(sqlite_db):
    with sqlite_db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s, balances=("500", "500", "10"))
        pool = create_pool(
            s,
            admin,
            name="A区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=stalls[0].building_id,
            master_meter_id=master.id,
            price=Decimal("1.2"),
        )
        run = generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30, now=DEC2)
        review_run(s, admin, run.run_id, now=DEC2)
        issue_run(s, admin, run.run_id, now=DEC2)
        cmd = s.scalar(select(MeterCommand))
        assert cmd.action is Action.TRIP and "低于透支额度" in shown(cmd.reason)


def test_100_yuan_over_three_equal_coefficients_sums_exactly(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stalls = [a_stall(s, f"B00{i}") for i in range(1, 4)]
        pool = create_pool(
            s,
            admin,
            name="B区保洁",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.MANUAL,
            stall_ids=[st.id for st in stalls],
            coefficients={st.id: Decimal(1) for st in stalls},
        )
        rows = preview_pool(s, admin, pool.pool_id, NOV1, NOV30, amount=Decimal("100.00"))
    assert [r.amount for r in rows] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_by_area_and_fixed_amount(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stalls = [
            a_stall(s, f"C00{i}", area=a) for i, a in enumerate(("10", "20", "30.5"), start=1)
        ]
        ids = [st.id for st in stalls]
        by_area = create_pool(
            s, admin, name="C区水", kind=MeterKind.WATER, method=ShareMethod.BY_AREA, stall_ids=ids
        )
        rows = preview_pool(s, admin, by_area.pool_id, NOV1, NOV30, amount=Decimal("121.00"))
        assert [r.amount for r in rows] == [Decimal("20.00"), Decimal("40.00"), Decimal("61.00")]
        fixed = create_pool(
            s,
            admin,
            name="C区垃圾",
            kind=MeterKind.WATER,
            method=ShareMethod.FIXED,
            stall_ids=ids,
            fixed_amounts={ids[0]: Decimal("15"), ids[1]: Decimal("15"), ids[2]: Decimal("30")},
        )
        run = generate_shared_bills(s, admin, fixed.pool_id, NOV1, NOV30, now=DEC2)
        assert run.amount == Decimal("60.00")
        assert {b.kind for b in s.scalars(select(Bill))} == {BillKind.SHARED_WATER}


def test_a_fixed_amount_or_pool_amount_with_more_than_two_decimals_is_refused_not_rounded(
    sqlite_db,
):
    from app.services.money.shared_costs import import_coefficients, set_member_values
    from tests.builders import xlsx

    with sqlite_db.transaction() as s:
        admin = an_admin(s)
        ids = [a_stall(s, f"C00{i}").id for i in (1, 2)]
        with pytest.raises(ServiceError, match="固定公摊金额“12.345”最多两位小数"):
            create_pool(
                s,
                admin,
                name="C区垃圾",
                kind=MeterKind.WATER,
                method=ShareMethod.FIXED,
                stall_ids=ids,
                fixed_amounts={ids[0]: Decimal("12.345")},
            )
        pool = create_pool(
            s,
            admin,
            name="C区垃圾",
            kind=MeterKind.WATER,
            method=ShareMethod.FIXED,
            stall_ids=ids,
            fixed_amounts={ids[0]: Decimal("15"), ids[1]: "15.50"},
        )
        with pytest.raises(ServiceError, match="最多两位小数"):
            set_member_values(s, admin, pool.pool_id, fixed_amounts={ids[1]: "0.005"})
        with pytest.raises(ServiceError, match="不能为负数"):
            set_member_values(s, admin, pool.pool_id, fixed_amounts={ids[1]: "-1"})
        typed = create_pool(
            s, admin, name="C区水", kind=MeterKind.WATER, method=ShareMethod.BY_AREA, stall_ids=ids
        )
        with pytest.raises(ServiceError, match="公摊金额“100.005”最多两位小数"):
            preview_pool(s, admin, typed.pool_id, NOV1, NOV30, amount=Decimal("100.005"))
        # A text cell of the import is read by the same rule: '1,5' is no 15, '1e1' no 10.
        bad = import_coefficients(
            s,
            admin,
            pool.pool_id,
            xlsx([["档位编号", "固定金额"], ["C001", "1,5"], ["C002", "1e1"]]),
        )
        assert [row for row, _ in bad.problems] == [2, 3] and "逗号位置不对" in bad.problems[0][1]
        assert [m.fixed_amount for m in sc_members(s, pool.pool_id)] == [
            Decimal("15.00"),
            Decimal("15.50"),
        ]


def sc_members(s, pool_id):
    from app.models.shared_cost import SharedPoolMember

    return s.scalars(
        select(SharedPoolMember)
        .where(SharedPoolMember.pool_id == pool_id)
        .order_by(SharedPoolMember.id)
    )


def test_a_period_overlapping_a_live_pool_of_the_same_stalls_and_kind_is_refused_naming_it(db):
    """11-01..11-30 is generated: 11-15..12-05 of the same pool, and 11-02..11-30 of a second
    electricity pool of the building, would bill the same days twice."""
    with db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s)
        building_id = stalls[0].building_id
        lights = create_pool(
            s,
            admin,
            name="A区公共照明",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=building_id,
            master_meter_id=master.id,
            price=Decimal("1"),
        )
        first = generate_shared_bills(s, admin, lights.pool_id, NOV1, NOV30, now=DEC2)
        with pytest.raises(
            Conflict, match=f"2026-11-01至2026-11-30的公摊已生成（单号 {first.run_id}）"
        ):
            generate_shared_bills(
                s, admin, lights.pool_id, date(2026, 11, 15), date(2026, 12, 5), now=DEC2
            )
        second = create_pool(
            s,
            admin,
            name="A区电费补差",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_AREA,
            building_id=building_id,
        )
        with pytest.raises(
            Conflict,
            match=f"与公摊“A区公共照明”2026-11-01至2026-11-30（单号 {first.run_id}）的期间重叠",
        ) as err:
            generate_shared_bills(
                s, admin, second.pool_id, date(2026, 11, 2), NOV30, amount=Decimal("90"), now=DEC2
            )
        assert "追加公摊" in str(err.value) and "additional pool" in err.value.english
        # Water of the same building, and the electricity pool's next month, are other costs.
        water = create_pool(
            s,
            admin,
            name="A区公共用水",
            kind=MeterKind.WATER,
            method=ShareMethod.BY_AREA,
            building_id=building_id,
        )
        generate_shared_bills(s, admin, water.pool_id, NOV1, NOV30, amount=Decimal("30"), now=DEC2)
        # A pool marked additional, with its reason, may overlap: the reason is audited.
        lift = create_pool(
            s,
            admin,
            name="A区电梯",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_AREA,
            building_id=building_id,
            additional_reason="电梯单独计费，与照明不同",
        )
        generate_shared_bills(s, admin, lift.pool_id, NOV1, NOV30, amount=Decimal("60"), now=DEC2)
        created = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "shared_pool.create", AuditEvent.entity_id == lift.pool_id
            )
        ).one()
        assert (
            created.detail["additional"] is True
            and created.detail["reason"] == "电梯单独计费，与照明不同"
        )
        # Once the first run is voided, the ordinary pool's period is free.
        void_run(s, admin, first.run_id, "期间选错", now=DEC2)
        generate_shared_bills(
            s, admin, second.pool_id, date(2026, 11, 2), NOV30, amount=Decimal("90"), now=DEC2
        )


def test_no_shared_bill_for_a_stall_whose_account_was_closed_before_the_period(db):
    from app.models.account import AccountStatus

    with db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s)
        gone = account_of(s, stalls[2])
        gone.status, gone.closed_at = AccountStatus.CLOSED, datetime(2026, 10, 15, 4, 0, tzinfo=UTC)
        pool = create_pool(
            s,
            admin,
            name="A区公共照明",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=stalls[0].building_id,
            master_meter_id=master.id,
            price=Decimal("1.2"),
        )
        rows = {r.stall_code: r for r in preview_pool(s, admin, pool.pool_id, NOV1, NOV30)}
        assert (rows["A003"].amount, rows["A003"].note) == (Decimal("0.00"), "本期未在租，不分摊")
        generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30, now=DEC2)
        billed = {b.stall_id: b.amount for b in s.scalars(select(Bill))}
        assert billed == {
            stalls[0].id: Decimal("192.00"),
            stalls[1].id: Decimal("288.00"),
        }  # 480 split 2:3


def test_sub_meters_above_the_master_are_refused_with_a_clear_message(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s, master=500)
        pool = create_pool(
            s,
            admin,
            name="A区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=stalls[0].building_id,
            master_meter_id=master.id,
            price=Decimal("1"),
        )
        with pytest.raises(
            ServiceError, match="公摊用量为负：总表 500.000 kWh，分表合计 600.000 kWh"
        ) as err:
            generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30)
        assert err.value.code == "negative_pool" and "核对" in str(err.value)
        assert s.scalar(select(Bill)) is None


def test_zero_pool_generates_nothing_and_zero_usage_cannot_be_shared_by_usage(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s, master=600)
        pool = create_pool(
            s,
            admin,
            name="A区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=stalls[0].building_id,
            master_meter_id=master.id,
            price=Decimal("1"),
        )
        assert {r.amount for r in preview_pool(s, admin, pool.pool_id, NOV1, NOV30)} == {
            Decimal("0.00")
        }
        with pytest.raises(ServiceError, match="公摊金额为 0，无需生成账单"):
            generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30)
        idle = [a_stall(s, f"D00{i}") for i in range(1, 3)]
        typed = create_pool(
            s,
            admin,
            name="D区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            stall_ids=[st.id for st in idle],
        )
        with pytest.raises(ServiceError, match="各档位本期用量都是 0"):
            preview_pool(s, admin, typed.pool_id, NOV1, NOV30, amount=Decimal("50"))


def test_a_stall_that_moved_out_mid_period_pays_for_its_days_only(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stalls = [a_stall(s, f"E00{i}") for i in range(1, 4)]
        account_of(s, stalls[1]).closed_at = datetime(
            2026, 11, 15, 4, 0, tzinfo=UTC
        )  # 销户 on 15 Nov
        cust = Customer(site_id=admin.site_id, name="新租户")
        s.add(
            StallRole(
                stall=stalls[2], customer=cust, role=StallRoleKind.TENANT, since=date(2026, 12, 1)
            )
        )
        pool = create_pool(
            s,
            admin,
            name="E区",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.MANUAL,
            stall_ids=[st.id for st in stalls],
            coefficients={st.id: Decimal(1) for st in stalls},
        )
        rows = preview_pool(s, admin, pool.pool_id, NOV1, NOV30, amount=Decimal("90.00"))
    # E001 all 30 days (weight 1), E002 15 of 30 days (0.5), E003 moved in after the period
    assert [(r.stall_code, r.days, r.amount) for r in rows] == [
        ("E001", 30, Decimal("60.00")),
        ("E002", 15, Decimal("30.00")),
        ("E003", 0, Decimal("0.00")),
    ]
    assert "15/30" in rows[1].note and "未在租" in rows[2].note


def test_void_before_issue_and_reverse_after_issue(db):
    with db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s)
        pool = create_pool(
            s,
            admin,
            name="A区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=stalls[0].building_id,
            master_meter_id=master.id,
            price=Decimal("1"),
        )
        first = generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30, now=DEC2)
        with pytest.raises(Conflict, match="已生成"):
            generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30, now=DEC2)
        with pytest.raises(ServiceError, match="请填写原因"):
            void_run(s, admin, first.run_id, " ")
        void_run(s, admin, first.run_id, "总表倍率录错", now=DEC2)
        assert {b.status for b in s.scalars(select(Bill))} == {BillStatus.VOIDED}
        second = generate_shared_bills(
            s, admin, pool.pool_id, NOV1, NOV30, now=DEC2
        )  # regenerated after void
        review_run(s, a_reviewer(s), second.run_id, now=DEC2)
        issue_run(s, admin, second.run_id, now=DEC2)
        with pytest.raises(Conflict, match="已下发扣款，不能作废"):
            void_run(s, admin, second.run_id, "晚了")
        reverse_run(s, admin, second.run_id, "总表读数有误", now=datetime(2026, 12, 3, tzinfo=UTC))
        assert [account_of(s, st).balance for st in stalls] == [
            Decimal("500.00"),
            Decimal("500.00"),
            Decimal("100.00"),
        ]
        reversals = list(
            s.scalars(select(LedgerEntry).where(LedgerEntry.kind == EntryKind.REVERSAL))
        )
        assert len(reversals) == 3 and all(
            e.reverses_id and e.reason == "总表读数有误" and e.operator_id for e in reversals
        )
        with pytest.raises(Conflict, match="已冲正"):
            reverse_run(s, admin, second.run_id, "再来一次")


def test_who_may_do_what(sqlite_db):
    with sqlite_db.transaction() as s:
        admin = an_admin(s)
        stalls = [a_stall(s, "F001")]
        with pytest.raises(PermissionDenied, match="无权设置公摊"):
            create_pool(
                s,
                a_reviewer(s),
                name="x",
                kind=MeterKind.ELECTRIC,
                method=ShareMethod.FIXED,
                stall_ids=[stalls[0].id],
            )
        pool = create_pool(
            s,
            admin,
            name="F",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.FIXED,
            stall_ids=[stalls[0].id],
            fixed_amounts={stalls[0].id: Decimal("9.9")},
        )
        run = generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30)
        with pytest.raises(PermissionDenied, match="无权审核公摊账单"):
            review_run(s, a_cashier(s), run.run_id)
        review_run(s, a_reviewer(s), run.run_id)
        with pytest.raises(PermissionDenied, match="无权下发公摊账单"):
            issue_run(s, a_reviewer(s), run.run_id)


@settings(max_examples=300, deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=1_000_000, places=2),
    weights=st.lists(st.decimals(min_value=0, max_value=10_000, places=3), min_size=1, max_size=40),
)
def test_allocation_always_sums_exactly_to_the_pool(total, weights):
    if not any(weights):
        with pytest.raises(ValueError):
            allocate(total, weights)
        return
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(x >= 0 and x == x.quantize(Decimal("0.01")) for x in shares)
    weight_sum = sum(weights)
    # nobody is more than a fen away from the exact share
    for w, x in zip(weights, shares, strict=False):
        assert abs(x - total * w / weight_sum) < Decimal("0.01")
    assert allocate(total, weights) == shares  # deterministic


@settings(
    max_examples=db_examples(),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    total=st.decimals(min_value=Decimal("0.01"), max_value=20_000, places=2),
    stalls=st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=2_000, places=2),
            st.decimals(min_value=1, max_value=300, places=1),
        ),
        min_size=1,
        max_size=6,
    ),
    method=st.sampled_from([ShareMethod.BY_AREA, ShareMethod.MANUAL]),
)
def test_an_issued_run_debits_exactly_the_pool_and_its_reversal_gives_every_fen_back(
    db, total, stalls, method
):
    s = db.sessions()
    s.begin()
    try:
        admin = an_admin(s)
        made = [
            a_stall(s, f"P{i:03d}", balance=str(balance), area=str(area))
            for i, (balance, area) in enumerate(stalls)
        ]
        ids = [st.id for st in made]
        weights = {st.id: Decimal(str(area)) for st, (_b, area) in zip(made, stalls, strict=False)}
        pool = create_pool(
            s,
            admin,
            name="公摊",
            kind=MeterKind.ELECTRIC,
            method=method,
            stall_ids=ids,
            coefficients=weights if method is ShareMethod.MANUAL else None,
        )
        before = {i: account_of(s, st).balance for i, st in zip(ids, made, strict=False)}
        run = generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30, amount=total, now=DEC2)
        review_run(s, a_reviewer(s), run.run_id, now=DEC2)
        issue_run(s, admin, run.run_id, now=DEC2)
        bills = {
            b.stall_id: b.amount
            for b in s.scalars(select(Bill).where(Bill.status == BillStatus.SETTLED))
        }
        assert (
            sum(bills.values()) == total and run.amount == total
        )  # nothing lost or made in rounding
        shares = dict(zip(ids, allocate(total, [weights[i] for i in ids]), strict=False))
        assert bills == {
            i: x for i, x in shares.items() if x
        }  # shared by the weights; no bill of 0.00
        for i, st in zip(ids, made, strict=False):
            account = account_of(s, st)
            assert account.balance == before[i] - shares[i] == ledger_sum(s, account.id)
        with pytest.raises(Conflict):
            issue_run(s, admin, run.run_id, now=DEC2)  # debited once
        reverse_run(s, admin, run.run_id, "系数有误", now=DEC2)
        for i, st in zip(ids, made, strict=False):
            account = account_of(s, st)
            assert account.balance == before[i] == ledger_sum(s, account.id)
    finally:
        s.rollback()
        s.close()


def test_manual_coefficients_are_imported_from_excel(sqlite_db):
    from app.services.money.shared_costs import import_coefficients
    from tests.builders import xlsx

    with sqlite_db.transaction() as s:
        admin = an_admin(s)
        stalls = [a_stall(s, f"G00{i}") for i in range(1, 3)]
        pool = create_pool(
            s,
            admin,
            name="G区",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.MANUAL,
            stall_ids=[st.id for st in stalls],
        )
        bad = import_coefficients(
            s,
            admin,
            pool.pool_id,
            xlsx([["档位编号", "系数"], ["G001", 1], ["G404", 2], ["G002", "两"]]),
        )
        assert [row for row, _ in bad.problems] == [3, 4] and bad.updated == 0
        good = import_coefficients(
            s, admin, pool.pool_id, xlsx([["档位编号", "系数"], ["G001", 1], ["G002", 3]])
        )
        assert good.updated == 2
        rows = preview_pool(s, admin, pool.pool_id, NOV1, NOV30, amount=Decimal("10"))
    assert [r.amount for r in rows] == [Decimal("2.50"), Decimal("7.50")]


def test_a_run_issued_after_its_month_was_locked_counts_in_the_next_and_is_reversed_in_the_current(
    db,
):
    from app.models.billing import MonthLock

    with db.transaction() as s:
        admin = an_admin(s)
        stalls, master = a_building_with_master(s)
        pool = create_pool(
            s,
            admin,
            name="A区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=stalls[0].building_id,
            master_meter_id=master.id,
            price=Decimal("1"),
        )
        run = generate_shared_bills(s, admin, pool.pool_id, NOV1, NOV30, now=DEC2)
        review_run(s, a_reviewer(s), run.run_id, now=DEC2)
        s.add(MonthLock(site_id=admin.site_id, month=NOV1))  # November approved before the issue
        s.flush()
        issue_run(s, admin, run.run_id, now=DEC2)
        assert {b.month for b in s.scalars(select(Bill))} == {date(2026, 12, 1)}
        s.add(MonthLock(site_id=admin.site_id, month=date(2026, 12, 1)))
        s.flush()
        january = datetime(2027, 1, 5, 2, tzinfo=UTC)
        reverse_run(
            s, admin, run.run_id, "总表读数有误", now=january
        )  # December's debits, reversed in January
        reversals = list(
            s.scalars(select(LedgerEntry).where(LedgerEntry.kind == EntryKind.REVERSAL))
        )
        assert len(reversals) == 3 and {e.at.replace(tzinfo=UTC) for e in reversals} == {january}
        assert [account_of(s, st).balance for st in stalls] == [
            Decimal("500.00"),
            Decimal("500.00"),
            Decimal("100.00"),
        ]


def test_the_numbers_typed_for_a_pool_are_read_by_the_service_and_name_the_field():
    from app.models.money import AmountError
    from app.services.money.shared_costs import parse_pool_amount, parse_pool_price, parse_shares

    assert parse_pool_price("0.65") == Decimal("0.6500")
    assert parse_shares(ShareMethod.MANUAL, {1: "1.5", 2: ""}, {1: "A01", 2: "A02"}) == {
        1: Decimal("1.5000"),
        2: Decimal("0.0000"),
    }
    assert parse_shares(ShareMethod.FIXED, {1: "30"}, {1: "A01"}) == {1: Decimal("30.00")}
    assert parse_pool_amount("1,200.50") == Decimal("1200.50")
    for call, said in [
        (lambda: parse_pool_price("0"), "单价"),
        (lambda: parse_pool_amount("-5"), "公摊总额"),
        (lambda: parse_shares(ShareMethod.MANUAL, {1: "-1"}, {1: "A01"}), "档位 A01 的系数"),
        (lambda: parse_shares(ShareMethod.FIXED, {1: "1.234"}, {1: "A01"}), "档位 A01 的固定金额"),
    ]:
        with pytest.raises(AmountError, match=said):
            call()
