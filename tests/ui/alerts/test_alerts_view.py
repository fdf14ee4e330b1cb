"""The clerk sees the alerts collection raised, acknowledges one and resolves it with a note;
the overview counts those not resolved."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select

from app.models.meter import Alert, AlertKind, AlertState, Meter
from app.models.site import Stall
from app.ui.alerts.alerts_view import AlertsView
from app.ui.overview.overview_view import OverviewView
from tests.builders import a_meter, a_stall


def some_alerts(db) -> list[int]:
    """An overload on A001's meter and an opened cover on A002's (one resolved earlier)."""
    with db.transaction() as s:
        ids = []
        for code, kind, values, state in (
            ("A001", AlertKind.OVERLOAD, {"power_kw": "9.200", "limit_kw": "6.000"}, "open"),
            ("A002", AlertKind.COVER_OPEN, {"before": 0, "count": 1}, "open"),
            (
                "A002",
                AlertKind.REVERSE_ENERGY,
                {"delta_kwh": "1.20", "total_kwh": "3.40"},
                "resolved",
            ),
        ):
            stall = s.scalar(select(Stall).where(Stall.code == code)) or a_stall(s, code)
            meter = s.scalar(select(Meter).where(Meter.stall_id == stall.id)) or a_meter(s, stall)
            alert = Alert(
                site_id=stall.site_id,
                kind=kind,
                meter_id=meter.id,
                stall_id=stall.id,
                raised_at=datetime(2026, 12, 6, 14, 30, tzinfo=UTC),
                values=values,
                state=AlertState(state),
                note="已处理" if state == "resolved" else "",
            )
            s.add(alert)
            s.flush()
            ids.append(alert.id)
        return ids


def open_view(qtbot, client):
    view = AlertsView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    return view


def test_the_alerts_not_resolved_are_listed_and_one_is_acknowledged_then_resolved(
    qtbot, sqlite_db, market, make_client, monkeypatch
):
    overload, cover, _ = some_alerts(sqlite_db)
    view = open_view(qtbot, make_client(market.admin))
    assert sorted(view.model.row_at(i).id for i in range(view.model.rowCount())) == [
        overload,
        cover,
    ]
    assert view.count.text() == "2 not resolved"
    row = next(i for i in range(view.model.rowCount()) if view.model.row_at(i).id == overload)
    detail = view.model.index(row, [c.key for c in view.model.columns].index("detail")).data()
    assert detail == "读到 9.200 kW，合同功率 6.000 kW"  # the clerk's language by default

    view.table.select(overload)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.acknowledge()
    with sqlite_db.reading() as s:
        assert s.get(Alert, overload).state is AlertState.ACKNOWLEDGED
    assert view.count.text() == "2 not resolved"  # acknowledged is still to be dealt with

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("租户已减少负载", True))
    view.table.select(overload)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.resolve()
    with sqlite_db.reading() as s:
        alert = s.get(Alert, overload)
        assert (alert.state, alert.note) == (AlertState.RESOLVED, "租户已减少负载")
    assert view.count.text() == "1 not resolved"
    assert [view.model.row_at(i).id for i in range(view.model.rowCount())] == [cover]


def test_the_overview_counts_the_alerts_not_resolved(qtbot, sqlite_db, market, make_client):
    some_alerts(sqlite_db)
    view = OverviewView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    assert (view.alerts.value.text(), view.alerts.detail.text()) == (
        "2",
        "not resolved: bypass, overload, night load, tamper",
    )
    with qtbot.waitSignal(view.open_requested, timeout=5000) as opened:
        qtbot.mouseClick(view.alerts, Qt.MouseButton.LeftButton)
    assert opened.args == ["alerts", ""]
