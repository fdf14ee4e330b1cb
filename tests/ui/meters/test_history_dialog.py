"""Meters → History …: one meter's usage per day and per month as bars."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.services.market.readings import ingest
from app.services.platform.timeutil import site_zone
from app.ui.meters.history_dialog import MeterHistoryDialog
from app.ui.meters.meters_view import MetersView
from tests.builders import local


def test_the_history_chart_shows_the_meters_usage_per_day_and_per_month(
    qtbot, market, make_client, sqlite_db
):
    stall = market.a_stall_with_meters("A001", ct=2)
    with sqlite_db.transaction() as s:
        today = datetime.now(site_zone(s, market.site_id)).date()
    days = [today - timedelta(days=n) for n in (4, 3, 2)]
    readings = [
        market.reading(stall.electric, local(d.year, d.month, d.day, 12), total)
        for d, total in zip(days, (1_000, 1_500, 1_750), strict=True)
    ]
    with sqlite_db.transaction() as s:
        ingest(s, readings)
    view = MetersView(make_client())
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    dialog = MeterHistoryDialog(view, view.table.proxy.row_at(0))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.history is not None, timeout=20_000)
    chart = dialog.chart
    # by day: nothing on the first day (one reading), then 5.00 and 2.50 kWh × ct 2
    assert chart.categories == [d.strftime("%m-%d") for d in days]
    assert chart.sets["usage"] == [0.0, 10.0, 5.0]
    assert chart.unit == "kWh"
    dialog.by_month.setChecked(True)
    months = sorted({d.strftime("%Y-%m") for d in days})
    assert chart.categories == [m[2:] for m in months]
    assert sum(chart.sets["usage"]) == 15.0
