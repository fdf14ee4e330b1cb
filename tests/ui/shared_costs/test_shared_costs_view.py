"""The admin splits Building A's common lighting (公摊) in the view; the reviewer reviews it."""

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.comm.types import MeterKind
from app.models.billing import Bill, BillStatus
from app.models.shared_cost import SharedRunStatus, ShareMethod
from app.models.site import Stall
from app.services.money import shared_costs as sc
from app.ui.shared_costs.pool_dialog import PoolDialog
from app.ui.shared_costs.shared_costs_view import SharedCostsView
from tests.builders import a_meter, a_reviewer, a_stall, account_of, readings
from tests.ui.conftest import press_in_next_dialog

OCT31, NOV30 = date(2026, 10, 31), date(2026, 11, 30)


def a_building(s, building, prefix, subs, master, balances=("500", "500", "100")):
    stalls = []
    for i, (used, balance) in enumerate(zip(subs, balances, strict=False), start=1):
        stall = a_stall(s, f"{prefix}00{i}", building=building, area=str(10 * i), balance=balance)
        readings(s, a_meter(s, stall), {OCT31: 1000, NOV30: 1000 + used})
        stalls.append(stall)
    m = a_meter(s, None, address=f"ZB-{prefix}")
    readings(s, m, {OCT31: 5000, NOV30: 5000 + master})
    return [st.id for st in stalls], m.id


def open_view(qtbot, client):
    view = SharedCostsView(client, today=date(2026, 12, 3))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    return view


def test_pool_by_usage_is_previewed_generated_reviewed_issued_and_reversed(
    qtbot, sqlite_db, market, make_client
):
    with sqlite_db.transaction() as s:
        stall_ids, master_id = a_building(s, "A区", "A", (200, 300, 100), 1000)
        reviewer = a_reviewer(s)
        choices = sc.pool_choices(s, market.admin)
    view = open_view(qtbot, make_client(market.admin))

    dialog = PoolDialog(choices)
    qtbot.addWidget(dialog)
    assert "Type a name" in dialog.problem()
    dialog.name.setText("A区公共照明")
    dialog.building.setCurrentIndex(dialog.building.findText("A区"))
    dialog.master.setCurrentIndex(dialog.master.findData(master_id))
    dialog.price.setText("1.2")
    dialog.method.setCurrentIndex(dialog.method.findData(ShareMethod.BY_USAGE.value))
    assert dialog.problem() == "" and sorted(dialog.member_ids()) == sorted(stall_ids)
    with qtbot.waitSignal(view.pool_created, timeout=10000):
        view.create_pool(dialog.pool_values())
    qtbot.waitUntil(
        lambda: view.pools.rowCount() == 1 and view.pool_table.current_row() is not None,
        timeout=10000,
    )

    with qtbot.waitSignal(view.previewed, timeout=10000) as shown:
        view.preview()
    figures = shown.args[0]
    assert [(r.stall_code, r.amount) for r in view.preview_model.rows] == [
        ("A001", Decimal("160.00")),
        ("A002", Decimal("240.00")),
        ("A003", Decimal("80.00")),
    ]
    assert sum(r.amount for r in figures.rows) == figures.amount == Decimal("480.00")
    assert (
        "pool 400.000 kWh" in view.figures_label.text() and "¥480.00" in view.figures_label.text()
    )

    with qtbot.waitSignal(view.run_changed, timeout=10000) as generated:
        view.generate()
    run_id = generated.args[0].run_id
    qtbot.waitUntil(lambda: view.runs.rowCount() == 1, timeout=10000)
    view.select_run(run_id)
    assert (
        view.void_button.isEnabled()
        and not view.issue_button.isEnabled()
        and not view.reverse_button.isEnabled()
    )

    rview = open_view(qtbot, make_client(reviewer))
    assert not rview.issue_button.isVisibleTo(rview) and not rview.new_pool_button.isVisibleTo(
        rview
    )
    rview.select_run(run_id)
    with qtbot.waitSignal(rview.run_changed, timeout=10000):
        rview.review()

    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    view.select_run(run_id)
    assert view.issue_button.isEnabled()
    with qtbot.waitSignal(view.run_changed, timeout=10000) as issued:
        view.issue()
    assert issued.args[0].status is SharedRunStatus.ISSUED
    with sqlite_db.transaction() as s:
        assert {b.status for b in s.scalars(select(Bill))} == {BillStatus.SETTLED}
        assert account_of(s, s.get(Stall, stall_ids[2])).balance == Decimal("20.00")

    qtbot.waitUntil(
        lambda: view.runs.rows and view.runs.rows[0].status is SharedRunStatus.ISSUED, timeout=10000
    )
    view.select_run(run_id)
    assert view.reverse_button.isEnabled() and not view.void_button.isEnabled()
    with qtbot.waitSignal(view.run_changed, timeout=10000):
        view.reverse("总表读数有误")
    qtbot.waitUntil(lambda: view.runs.rows[0].status is SharedRunStatus.REVERSED, timeout=10000)
    assert view.runs.rows[0].reason == "总表读数有误"


def test_sub_meters_above_the_master_are_refused_with_the_services_words(
    qtbot, sqlite_db, market, make_client
):
    with sqlite_db.transaction() as s:
        stall_ids, master_id = a_building(s, "B区", "B", (200, 300, 100), 500)
        building_id = s.get(Stall, stall_ids[0]).building_id
        sc.create_pool(
            s,
            market.admin,
            name="B区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_USAGE,
            building_id=building_id,
            master_meter_id=master_id,
            price=Decimal("1"),
        )
    view = open_view(qtbot, make_client(market.admin))
    assert view.pool_table.current_row() is not None
    press_in_next_dialog(Qt.Key.Key_Return)
    with qtbot.waitSignal(view.failed, timeout=10000) as failed:
        view.generate()
    assert "公摊用量为负：总表 500.000 kWh，分表合计 600.000 kWh" in failed.args[0]
    with sqlite_db.transaction() as s:
        assert s.scalar(select(Bill)) is None


def test_manual_coefficients_are_typed_per_stall(qtbot, sqlite_db, market, make_client):
    with sqlite_db.transaction() as s:
        stall_ids, _ = a_building(s, "C区", "C", (1, 1, 1), 10)
        choices = sc.pool_choices(s, market.admin)
    view = open_view(qtbot, make_client(market.admin))
    dialog = PoolDialog(choices)
    qtbot.addWidget(dialog)
    dialog.name.setText("C区保洁")
    dialog.by_stalls.setChecked(True)
    for i in range(dialog.stalls.count()):
        if dialog.stalls.item(i).data(Qt.ItemDataRole.UserRole) in stall_ids[:2]:
            dialog.stalls.item(i).setCheckState(Qt.CheckState.Checked)
    dialog.method.setCurrentIndex(dialog.method.findData(ShareMethod.MANUAL.value))
    assert dialog.values.rowCount() == 2
    dialog.set_value(stall_ids[0], "x")
    assert "档位 C001 的系数“x”不是数字" in dialog.problem()
    dialog.set_value(stall_ids[0], "1,5")  # never read as 15
    assert "逗号位置不对" in dialog.problem()
    dialog.price.setText("1e1")
    dialog.set_value(stall_ids[0], "2")
    assert "单价“1e1”不是数字" in dialog.problem()
    dialog.price.clear()
    dialog.method.setCurrentIndex(dialog.method.findData(ShareMethod.FIXED.value))
    dialog.set_value(stall_ids[0], "12.345")
    assert "固定金额“12.345”最多两位小数" in dialog.problem()
    dialog.method.setCurrentIndex(dialog.method.findData(ShareMethod.MANUAL.value))
    dialog.set_value(stall_ids[0], "2")
    with qtbot.waitSignal(view.pool_created, timeout=10000):
        view.create_pool(dialog.pool_values())
    qtbot.waitUntil(
        lambda: view.pools.rowCount() == 1 and view.pool_table.current_row() is not None,
        timeout=10000,
    )
    assert view.amount.isVisibleTo(view)
    view.amount.setText("1,00")
    press_in_next_dialog(Qt.Key.Key_Return)
    with qtbot.waitSignal(view.failed, timeout=10000) as refused:
        view.preview()
    assert "公摊总额“1,00”的逗号位置不对" in refused.args[0]
    view.amount.setText("100")
    with qtbot.waitSignal(view.previewed, timeout=10000):
        view.preview()
    assert [(r.stall_code, r.amount) for r in view.preview_model.rows] == [
        ("C001", Decimal("66.67")),
        ("C002", Decimal("33.33")),
    ]


def test_a_generated_run_is_voided_before_issue(qtbot, sqlite_db, market, make_client):
    with sqlite_db.transaction() as s:
        stall_ids, master_id = a_building(s, "D区", "D", (200, 300, 100), 1000)
        building_id = s.get(Stall, stall_ids[0]).building_id
        sc.create_pool(
            s,
            market.admin,
            name="D区公摊",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_AREA,
            building_id=building_id,
            master_meter_id=master_id,
            price=Decimal("1"),
        )
    view = open_view(qtbot, make_client(market.admin))
    with qtbot.waitSignal(view.run_changed, timeout=10000) as generated:
        view.generate()
    run_id = generated.args[0].run_id
    qtbot.waitUntil(lambda: view.runs.rowCount() == 1, timeout=10000)
    view.select_run(run_id)
    with qtbot.waitSignal(view.run_changed, timeout=10000) as voided:
        view.void("面积数据有误")
    assert voided.args[0].status is SharedRunStatus.VOIDED
    with sqlite_db.transaction() as s:
        assert {b.status for b in s.scalars(select(Bill))} == {BillStatus.VOIDED}
        assert all(
            account_of(s, s.get(Stall, i)).balance == Decimal(b)
            for i, b in zip(stall_ids, ("500", "500", "100"), strict=False)
        )


def test_in_chinese_the_split_methods_of_a_new_shared_cost_are_chinese(
    qtbot, sqlite_db, market, language
):  # noqa: F811
    language("zh_CN")
    with sqlite_db.transaction() as s:
        a_building(s, "A区", "A", (1, 1, 1), 10)
        choices = sc.pool_choices(s, market.admin)
    dialog = PoolDialog(choices)
    qtbot.addWidget(dialog)
    methods = [dialog.method.itemText(i) for i in range(dialog.method.count())]
    assert methods[dialog.method.findData(ShareMethod.BY_USAGE.value)] == "自动：按各档位用量"
    assert not any("Automatic" in m or "per stall" in m for m in methods), methods


def test_an_overlapping_pool_is_refused_unless_marked_additional_with_its_reason(
    qtbot, sqlite_db, market, make_client
):
    with sqlite_db.transaction() as s:
        stall_ids, master_id = a_building(s, "E区", "E", (200, 300, 100), 1000)
        building_id = s.get(Stall, stall_ids[0]).building_id
        lights = sc.create_pool(
            s,
            market.admin,
            name="E区照明",
            kind=MeterKind.ELECTRIC,
            method=ShareMethod.BY_AREA,
            building_id=building_id,
            master_meter_id=master_id,
            price=Decimal("1"),
        )
        first = sc.generate_shared_bills(s, market.admin, lights.pool_id, date(2026, 11, 1), NOV30)
        choices = sc.pool_choices(s, market.admin)
    view = open_view(qtbot, make_client(market.admin))

    def a_pool(name: str, reason: str | None):
        dialog = PoolDialog(choices)
        qtbot.addWidget(dialog)
        dialog.name.setText(name)
        dialog.building.setCurrentIndex(dialog.building.findText("E区"))
        dialog.method.setCurrentIndex(dialog.method.findData(ShareMethod.BY_AREA.value))
        if reason is not None:
            dialog.additional.setChecked(True)
            assert "needs its reason" in dialog.problem() or "必须写明原因" in dialog.problem()
            dialog.additional_reason.setText(reason)
        assert dialog.problem() == ""
        with qtbot.waitSignal(view.pool_created, timeout=10000) as created:
            view.create_pool(dialog.pool_values())
        pool_id = created.args[0].pool_id
        qtbot.waitUntil(lambda: any(p.id == pool_id for p in view.pools.rows), timeout=10000)
        view.select_pool(pool_id)
        view.amount.setText("60")
        return pool_id

    a_pool("E区电费补差", None)
    press_in_next_dialog(Qt.Key.Key_Return)
    with qtbot.waitSignal(view.failed, timeout=10000) as refused:
        view.generate()
    assert (
        f"与公摊“E区照明”2026-11-01至2026-11-30（单号 {first.run_id}）的期间重叠" in refused.args[0]
    )
    lift = a_pool("E区电梯", "电梯单独计费")
    assert next(p for p in view.pools.rows if p.id == lift).additional_reason == "电梯单独计费"
    with qtbot.waitSignal(view.run_changed, timeout=10000) as generated:
        view.generate()
    assert generated.args[0].amount == Decimal("60.00")
