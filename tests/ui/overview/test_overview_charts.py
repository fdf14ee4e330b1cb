"""The overview's charts and cards open the lists behind them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from app.services.market.readings import daily_usage, ingest
from app.services.platform.context import Changes
from app.services.platform.timeutil import site_zone
from app.ui.overview.overview_view import OverviewView
from tests.builders import local
from tests.ui.test_main_window import open_window


def _loaded_overview(qtbot, client) -> OverviewView:
    view = OverviewView(client)
    qtbot.addWidget(view)
    view.resize(1280, 1400)  # every chart in view, no scrolling
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    return view


def test_each_bar_holds_the_days_stored_usage_and_a_click_on_it_opens_that_days_list(
    qtbot, market, make_client, sqlite_db
):
    a = market.a_stall_with_meters("A001")
    b = market.a_stall_with_meters("A002", ct=3)
    with sqlite_db.transaction() as s:
        today = datetime.now(site_zone(s, market.site_id)).date()
    readings = []
    for back, total_a, total_b in ((3, 1_000, 500), (2, 2_500, 600), (1, 2_900, 900)):
        d = today - timedelta(days=back)
        at = local(d.year, d.month, d.day, 12)
        readings += [market.reading(a.electric, at, total_a)]
        readings += [market.reading(b.electric, at + timedelta(minutes=1), total_b)]
    with sqlite_db.transaction() as s:
        ingest(s, readings)
        stored = daily_usage(s, [a.electric, b.electric], today - timedelta(days=29), today)
    view = _loaded_overview(qtbot, make_client())
    days = view.figures.days
    bars = view.kwh_chart.sets["electric"]
    for i, d in enumerate(days):
        expected = stored[a.electric].get(d, Decimal(0)) + stored[b.electric].get(d, Decimal(0))
        assert Decimal(str(bars[i])) == expected
    yesterday = days.index(today - timedelta(days=1))
    assert bars[yesterday] == 4.0 + 9.0  # 4.00 kWh and 1.00 kWh × ct 3

    chart = view.kwh_chart
    qtbot.mouseClick(
        chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.bar_point(yesterday, "electric")
    )
    qtbot.waitUntil(lambda: view.day_list is not None and view.day_list.lines is not None)
    lines = view.day_list.lines
    assert view.day_list.day == today - timedelta(days=1)
    assert [(line.stall, line.value) for line in lines] == [
        ("A002", Decimal("9.000")),
        ("A001", Decimal("4.000")),
    ]
    assert view.day_list.table.proxy.rowCount() == 2
    view.day_list.close()


def test_a_click_on_todays_recharges_bar_lists_todays_recharges(qtbot, market, make_client):
    a = market.a_stall_with_meters("A001", balance="0")
    market.recharge(a.account_id, "88.00")
    market.recharge(a.account_id, "12.50")
    view = _loaded_overview(qtbot, make_client())
    assert view.money_chart.sets["cash"][-1] == 100.5
    chart = view.money_chart
    qtbot.mouseClick(
        chart.viewport(),
        Qt.MouseButton.LeftButton,
        pos=chart.bar_point(len(view.figures.days) - 1, "cash"),
    )
    qtbot.waitUntil(lambda: view.day_list is not None and view.day_list.lines is not None)
    assert sorted(line.value for line in view.day_list.lines) == [
        Decimal("12.50"),
        Decimal("88.00"),
    ]
    assert view.day_list.day == view.figures.days[-1]
    view.day_list.close()


def test_a_click_on_the_low_balance_card_opens_those_stalls_in_the_stalls_list(
    qtbot, market, make_client
):
    market.a_stall_with_meters("A001", balance="10.00", alarm1="50")  # below alarm 1
    market.a_stall_with_meters("A002", balance="80.00", alarm1="50")
    market.a_stall_with_meters("A003", balance="-5.00", alarm1="50")  # below alarm 1 and zero
    window = open_window(qtbot, make_client())
    overview = window.show_view("overview")
    qtbot.waitUntil(lambda: overview.data is not None, timeout=20_000)
    assert overview.low.value.text() == "2"
    qtbot.mouseClick(overview.low, Qt.MouseButton.LeftButton)
    stalls = window.views["stalls"]
    assert window.stack.currentWidget() is stalls
    qtbot.waitUntil(lambda: stalls.is_loaded, timeout=20_000)
    qtbot.waitUntil(lambda: stalls.table.proxy.rowCount() == 2)
    shown = sorted(stalls.table.proxy.row_at(r).code for r in range(2))
    assert shown == ["A001", "A003"]


def test_a_click_on_the_offline_card_opens_the_offline_meters(
    qtbot, market, make_client, sqlite_db
):
    from app.models.meter import CommStatus, Meter

    a = market.a_stall_with_meters("A001")
    market.a_stall_with_meters("A002")
    with sqlite_db.transaction() as s:
        s.get(Meter, a.electric).comm_status = CommStatus.OFFLINE
        s.get(Meter, a.electric).last_seen_at = datetime.now(UTC)
    window = open_window(qtbot, make_client())
    overview = window.show_view("overview")
    qtbot.waitUntil(lambda: overview.data is not None, timeout=20_000)
    qtbot.mouseClick(overview.offline, Qt.MouseButton.LeftButton)
    meters = window.views["meters"]
    assert window.stack.currentWidget() is meters
    qtbot.waitUntil(lambda: meters.is_loaded, timeout=20_000)
    qtbot.waitUntil(lambda: meters.table.proxy.rowCount() == 1)
    assert meters.table.proxy.row_at(0).id == a.electric


def test_the_charts_are_read_again_after_a_recharge_here_not_on_every_live_refresh(
    qtbot, market, make_client
):
    a = market.a_stall_with_meters("A001", balance="0")
    client = make_client()
    view = _loaded_overview(qtbot, client)
    first = view.figures
    assert "cash" not in view.money_chart.sets
    market.recharge(a.account_id, "30.00")
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()  # as the collection's live changes refresh it
    assert view.figures is first  # a month of usage is not summed again every minute
    client.changes_applied.emit(int(Changes.BALANCES))  # a recharge taken on this PC
    qtbot.waitUntil(lambda: view.figures is not first, timeout=20_000)
    assert view.money_chart.sets["cash"][-1] == 30.0
