"""A client follows a collection service that runs in another process through the
database's change feed: what the service stores shows in the window without a refresh."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.services.platform import change_feed
from app.services.platform.context import Changes
from app.ui.comm.bridge import CommBridge
from app.ui.comm.follower import ChangeFollower
from app.ui.meters.meters_view import MetersView
from tests.builders import Market
from tests.ui.conftest import add_meters, simulated_meters
from tests.ui.meters.test_meters_view_live_rows import _shows_read, _store_reading

ROOT = Path(__file__).resolve().parents[3]


def test_readings_stored_by_a_service_in_another_process_show_in_the_meters_view(
    qtbot, sqlite_db, market, make_client, tmp_path
):
    sim, meter_ids = simulated_meters(sqlite_db, market)
    client = make_client()
    view = MetersView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert not any(_shows_read(view, m) for m in meter_ids)
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    follower = ChangeFollower(sqlite_db, market.site_id, client.comm, poll_s=0.2).start()
    with open(tmp_path / "service.log", "w") as log:
        service = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "--db",
                sqlite_db.url,
                "service",
                "--settle-every",
                "3600",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # The service process reads the meters and stores their readings with a feed row;
        # the follower reads the row and the view re-reads just those meters' rows.
        qtbot.waitUntil(lambda: all(_shows_read(view, m) for m in meter_ids), timeout=60_000)
        assert service.poll() is None, (tmp_path / "service.log").read_text()
        assert view.model.rows[view.model.row_of[meter_ids[0]]].comm == "online"
        assert resets == []  # rows replaced in place: the table was never reloaded
    finally:
        service.terminate()
        service.wait(20)
        follower.stop()
        sim.stop()
        qtbot.waitUntil(lambda: client.runner.in_flight == 0, timeout=10_000)
    assert not follower._thread.is_alive()
    assert "抄表服务已停止" in (tmp_path / "service.log").read_text()


def test_a_client_whose_place_in_the_feed_was_pruned_reloads_its_views(
    qtbot, sqlite_db, market, make_client
):
    meter_ids = add_meters(sqlite_db, market, 3)
    client = make_client()
    view = MetersView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    follower = ChangeFollower(sqlite_db, market.site_id, client.comm, poll_s=0.05).start()
    try:
        # In one transaction (so the follower cannot read it before it is gone): a reading,
        # its feed row, a later row, and pruning that leaves only the later row.
        _store_reading(sqlite_db, meter_ids[1])
        with sqlite_db.transaction() as s:
            change_feed.record(s, market.site_id, Changes.READINGS | Changes.METERS, [meter_ids[1]])
            change_feed.record(s, market.site_id, Changes.SETTINGS)
            change_feed.prune(s, older_than=datetime.now(UTC) + timedelta(minutes=1))
        # The follower never learns which meter changed, so the view reloads all its rows.
        with qtbot.waitSignal(view.model.modelReset, timeout=10_000):
            pass
        qtbot.waitUntil(lambda: _shows_read(view, meter_ids[1]), timeout=10_000)
    finally:
        follower.stop()
        qtbot.waitUntil(lambda: client.runner.in_flight == 0, timeout=10_000)


def test_a_database_error_is_logged_and_the_follower_reads_on_once_it_is_gone(qtbot, db, caplog):
    market = Market(db)
    meter_ids = add_meters(db, market, 2)
    bridge = CommBridge()
    bridge.follows_meters = True
    follower = ChangeFollower(db, market.site_id, bridge, poll_s=0.05).start()
    try:
        with db.transaction() as s:
            s.connection().exec_driver_sql("ALTER TABLE change_feed RENAME TO change_feed_away")
        with caplog.at_level(logging.WARNING, logger="app.ui.comm.follower"):
            qtbot.waitUntil(lambda: "reading the change feed failed" in caplog.text, timeout=10_000)
        with db.transaction() as s:
            s.connection().exec_driver_sql("ALTER TABLE change_feed_away RENAME TO change_feed")
            change_feed.record(s, market.site_id, Changes.METERS, [meter_ids[0]])
        with qtbot.waitSignal(bridge.changed, timeout=10_000) as changed:
            pass
        assert changed.args == [int(Changes.METERS)]
        assert bridge.changed_meters.get(timeout=1) == meter_ids[0]
        assert follower._thread.is_alive()
    finally:
        follower.stop()
    assert not follower._thread.is_alive()


def test_the_client_follows_the_feed_until_its_window_closes(
    qtbot, sqlite_db, market, monkeypatch, language
):  # noqa: F811
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui import main
    from app.ui.main_window import MainWindow

    followers: list[ChangeFollower] = []
    start = ChangeFollower.start
    monkeypatch.setattr(ChangeFollower, "start", lambda self: followers.append(self) or start(self))
    monkeypatch.setattr(
        main, "sign_in", lambda db, automatic: (market.admin, "城南农贸市场", "Asia/Shanghai")
    )
    with sqlite_db.transaction() as s:
        change_feed.record(s, market.site_id, Changes.METERS)
        newest = change_feed.latest_id(s)

    windows: list[MainWindow] = []

    def close_when_followed() -> None:
        if followers and followers[0]._thread.is_alive():
            windows.append(
                next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            )
            windows[0].close()
        else:
            QTimer.singleShot(50, close_when_followed)

    QTimer.singleShot(0, close_when_followed)
    args = main.argparse.Namespace(
        db=sqlite_db.url,
        demo=False,
        demo_speed=None,
        collect=False,
        screenshot=None,
        view=None,
        lang="en",
    )
    assert main.run_client(args) == 0
    for timer in windows[0].findChildren(QTimer):  # the process would end here: no view may
        timer.stop()  # start an op on the runner that run_client shut down
    qtbot.addWidget(windows[0])
    [follower] = followers
    assert follower.last_id == newest  # it started at the newest row
    assert not follower._thread.is_alive()  # and stopped when the window closed
