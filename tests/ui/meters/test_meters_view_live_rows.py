"""Live rows: what the comm thread stores shows in the window without a manual refresh."""

from __future__ import annotations

from datetime import UTC, datetime

from app.models.meter import Meter
from app.services.market.collection import CommService
from app.services.platform.context import Changes
from app.ui.meters.meters_view import MetersView
from app.ui.overview.overview_view import OverviewView
from tests.ui.conftest import add_meters, simulated_meters
from tests.waiting import wait_until


def test_a_reading_arrives_and_the_meter_row_changes_without_reloading_the_table(
    qtbot, sqlite_db, market, make_client
):
    sim, meter_ids = simulated_meters(sqlite_db, market)

    client = make_client()
    view = MetersView(client)
    overview = OverviewView(client)
    qtbot.addWidget(view)
    qtbot.addWidget(overview)
    view.show()
    overview.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    with qtbot.waitSignal(overview.loaded, timeout=10_000):
        overview.refresh()
    assert all(
        view.model.rows[view.model.row_of[m]].total is None for m in meter_ids
    )  # never read yet
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    live: list[int] = []
    client.comm.changed.connect(live.append)

    service = CommService(
        sqlite_db,
        market.site_id,
        clock=sim.clock,
        speed=600.0,
        on_change=client.comm.on_changes,
        on_meters=client.comm.on_meters,
    )
    service.start()
    client.comm.attach_poller(service.poller, stop=service.stop)
    try:
        # No user action: the poller reads, the sink stores and says which meters changed,
        # the bridge carries it to the GUI thread, the view re-reads just those rows.
        qtbot.waitUntil(
            lambda: all(view.model.rows[view.model.row_of[m]].total is not None for m in meter_ids),
            timeout=30_000,
        )
        row = view.model.rows[view.model.row_of[meter_ids[0]]]
        assert row.comm == "online" and row.last_read_at is not None
        assert resets == []  # rows were replaced in place, the table was never reset
        # The overview follows the same notifications (coalesced): it re-reads by itself.
        assert overview.data.meters_online == 0
        qtbot.waitUntil(lambda: overview.data.meters_online == len(meter_ids), timeout=15_000)
        assert any(Changes(f) & Changes.READINGS for f in live)
    finally:
        client.comm.stop()
        sim.stop()
        # Row re-reads still on the database worker must land before the views go away.
        qtbot.waitUntil(lambda: client.runner.in_flight == 0, timeout=10_000)


def _store_reading(db, meter_id: int) -> None:
    """What the collection service stores for a reading (the meter's rows start never read)."""
    with db.transaction() as s:
        meter = s.get(Meter, meter_id)
        meter.last_total = 12345
        meter.last_read_at = datetime.now(UTC)


def _shows_read(view: MetersView, meter_id: int) -> bool:
    return view.model.rows[view.model.row_of[meter_id]].last_read_at is not None


def test_a_meter_stored_while_the_first_load_is_on_its_way_is_not_lost(
    qtbot, sqlite_db, market, make_client, runner
):
    meter_ids = add_meters(sqlite_db, market, 3)
    client = make_client()
    view = MetersView(client)
    qtbot.addWidget(view)
    view.refresh()
    # The load has read the rows but its result has not reached the window yet …
    wait_until(lambda: not runner._results.empty(), timeout_s=10)
    # … when the comm side stores a reading and says so, and the view's timer ticks.
    _store_reading(sqlite_db, meter_ids[1])
    client.comm.on_meters([meter_ids[1]])
    view._refresh_changed()
    qtbot.waitUntil(lambda: view.is_loaded, timeout=10_000)
    qtbot.waitUntil(lambda: _shows_read(view, meter_ids[1]), timeout=10_000)
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)


def test_meters_changed_during_a_reread_go_together_in_the_next_one(
    qtbot, sqlite_db, market, make_client, runner
):
    meter_ids = add_meters(sqlite_db, market, 10)
    client = make_client()
    view = MetersView(client)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    most = 0
    # Ten bursts from the comm thread, one meter each: one re-read runs, the rest wait in
    # the queue and are read together once it is back, so reads never pile up on the worker.
    for meter_id in meter_ids:
        _store_reading(sqlite_db, meter_id)
        client.comm.on_meters([meter_id])
        view._refresh_changed()  # what its `meters_changed` does, before any result is back
        most = max(most, runner.in_flight)
    qtbot.waitUntil(lambda: all(_shows_read(view, m) for m in meter_ids), timeout=10_000)
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=10_000)
    assert most == 1
    assert runner.busy == 0  # live re-reads never show the clerk "working"
    assert client.comm.changed_meters.empty()


def test_thousands_of_reread_rows_are_put_in_place_in_slices_and_all_end_up_current(
    qtbot, make_client, monkeypatch
):
    from dataclasses import replace

    from tests.ui.tables.test_meter_status_table import many_rows

    client = make_client()
    view = MetersView(client)
    qtbot.addWidget(view)
    view._loaded(many_rows(5000))  # the first load, as its op delivers it
    fresh = [replace(r, total=r.total + 1, last_read_at=datetime.now(UTC)) for r in view.model.rows]
    repainted: list[int] = []
    signals: list[int] = []
    view.model.dataChanged.connect(
        lambda top, bottom: (
            signals.append(1),
            repainted.extend(range(top.row(), bottom.row() + 1)),
        )
    )
    monkeypatch.setattr(MetersView, "APPLY_BUDGET_S", 0.0)  # a slice per APPLY_CHUNK rows

    view._rereading = True  # what _refresh_changed sets before the re-read goes out
    view._changed_rows(fresh)
    # The call returns after its first slice: the event loop turns before the rest.
    assert 0 < len(repainted) < len(fresh)
    assert view._rereading
    qtbot.waitUntil(lambda: not view._rereading, timeout=10_000)
    assert view.model.rows == fresh
    assert sorted(repainted) == list(range(len(fresh)))  # each row repainted once …
    assert len(signals) <= len(fresh) // MetersView.APPLY_CHUNK + 1  # … adjacent ones by one signal


def test_a_reread_row_equal_to_the_one_shown_is_not_repainted(qtbot, make_client):
    from tests.ui.tables.test_meter_status_table import many_rows

    client = make_client()
    view = MetersView(client)
    qtbot.addWidget(view)
    view._loaded(many_rows(100))
    repainted: list[int] = []
    view.model.dataChanged.connect(lambda top, _bottom: repainted.append(top.row()))
    view._changed_rows(list(view.model.rows))
    assert repainted == []
