"""The manager looks at building A's line loss per day: the table and the chart's bars are
the master meter minus the stalls' meters, the days above the threshold in the red set."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from app.services.money import losses
from app.ui import site_time
from app.ui.losses.losses_view import LossesView
from tests.builders import a_meter, a_stall, readings


def a_building_with_losses(db, admin, days=5):
    """A区: two stalls and a master meter read for `days` days up to today; the master's
    usage is the stalls' 20 kWh a day plus 1, 1, 4, 1, 1 … kWh (day 3 above 10 %)."""
    today = site_time.now().date()
    first = today - timedelta(days=days)
    with db.transaction() as s:
        a1, a2 = a_stall(s, "A001"), a_stall(s, "A002")
        m1, m2, master = a_meter(s, a1), a_meter(s, a2), a_meter(s, None, address="ZB-A")
        extra = [1 if i != 2 else 4 for i in range(days)]
        readings(s, m1, {first + timedelta(days=i): 100 + 12 * i for i in range(days + 1)})
        readings(s, m2, {first + timedelta(days=i): 200 + 8 * i for i in range(days + 1)})
        readings(
            s,
            master,
            {first + timedelta(days=i): 1000 + 20 * i + sum(extra[:i]) for i in range(days + 1)},
        )
        losses.set_master_meter(s, admin, master.id, a1.building_id)
        losses.set_loss_threshold(s, admin, a1.building_id, "10")
    return first


def test_the_daily_losses_are_tabled_and_charted_with_the_days_above_the_threshold_in_red(
    qtbot, sqlite_db, market, make_client
):
    first = a_building_with_losses(sqlite_db, market.admin)
    view = LossesView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    rows = [view.model.row_at(i) for i in range(view.model.rowCount())]
    assert [r.first for r in rows] == [first + timedelta(days=i) for i in range(1, 6)]
    assert [r.loss for r in rows] == [
        Decimal(x).quantize(Decimal("0.001")) for x in (1, 1, 4, 1, 1)
    ]
    assert [r.is_flagged for r in rows] == [False, False, True, False, False]
    (series,) = view.chart.series()
    within, above = series.barSets()
    assert [within.at(i) for i in range(5)] == [1.0, 1.0, 0.0, 1.0, 1.0]
    assert [above.at(i) for i in range(5)] == [0.0, 0.0, 4.0, 0.0, 0.0]
    assert "8.000" in view.summary.text() and "1 periods above it" in view.summary.text()
