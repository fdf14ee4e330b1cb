"""Under the stall's card: its usage of the last 30 days and its last recharges."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from app.services.market.readings import daily_usage, ingest
from app.services.platform.timeutil import site_zone
from app.ui.stalls.stalls_view import StallsView
from tests.builders import local


def test_the_stall_card_shows_the_stalls_usage_per_day_and_its_last_recharges(
    qtbot, market, make_client, sqlite_db
):
    chosen = market.a_stall_with_meters("A001", balance="0", ct=2)
    other = market.a_stall_with_meters("A002", balance="0")
    market.recharge(chosen.account_id, "66.00")
    market.recharge(chosen.account_id, "20.00")
    market.recharge(other.account_id, "500.00")
    with sqlite_db.transaction() as s:
        today = datetime.now(site_zone(s, market.site_id)).date()
    readings = []
    for back, total in ((3, 1_000), (2, 1_600), (1, 2_000)):
        d = today - timedelta(days=back)
        readings.append(market.reading(chosen.electric, local(d.year, d.month, d.day, 12), total))
        readings.append(
            market.reading(other.electric, local(d.year, d.month, d.day, 12), total * 3)
        )
    with sqlite_db.transaction() as s:
        ingest(s, readings)
        stored = daily_usage(s, [chosen.electric], today - timedelta(days=29), today)[
            chosen.electric
        ]
    view = StallsView(make_client())
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    view.table.select(chosen.stall_id)
    qtbot.waitUntil(lambda: view.recent.recent is not None, timeout=20_000)
    recent = view.recent.recent
    bars = view.recent.chart.sets["electric"]
    assert len(bars) == 30 and recent.days[-1] == today
    for i, d in enumerate(recent.days):
        assert Decimal(str(bars[i])) == stored.get(d, Decimal(0))
    assert bars[-2] == 8.0 and bars[-3] == 12.0  # 4.00 and 6.00 kWh × ct 2
    assert [r.value for r in recent.recharges] == [Decimal("20.00"), Decimal("66.00")]
    assert "66.00" in view.recent.recharges.text() and "500.00" not in view.recent.recharges.text()
