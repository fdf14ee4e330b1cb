"""Results that come back after their view closed, or after the client shut down, are dropped
safely."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from app.services.platform.context import Changes
from app.ui import ops


def test_a_view_closed_while_its_op_runs_gets_no_callback_but_others_hear_the_change(qtbot, runner):
    release = threading.Event()
    view = QWidget()
    called = []
    heard = []
    runner.changes_applied.connect(heard.append)

    ops.db_op(view, lambda s: release.wait(5), changes=Changes.BALANCES).success(
        called.append
    ).run()
    view.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view))
    release.set()

    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=5000)
    assert called == []
    assert heard == [int(Changes.BALANCES)]


def test_results_arriving_after_shutdown_are_not_delivered(qtbot, sqlite_db):
    r = ops.bind(sqlite_db)
    called = []
    ops.db_op(None, lambda s: 1).success(called.append).run()
    r.shutdown()  # waits for the db worker; its result is queued for the GUI thread
    qtbot.wait(50)
    assert called == []


def test_live_refreshes_do_not_show_the_clerk_working(qtbot, runner):
    shown = []
    runner.busy_changed.connect(shown.append)
    release = threading.Event()
    with runner.background():
        ops.db_op(None, lambda s: release.wait(5)).run()
    ops.db_op(None, lambda s: None).in_background().run()
    assert runner.busy == 0 and runner.in_flight == 2 and shown == []
    ops.db_op(None, lambda s: None).run()  # one the clerk asked for
    assert shown == [1]
    release.set()
    qtbot.waitUntil(lambda: runner.in_flight == 0, timeout=5000)
    assert shown[-1] == 0


def test_the_gui_thread_collects_young_garbage_in_small_steps_after_a_full_collection_and_freeze_at_the_start(  # noqa: E501
    qtbot,
):
    import gc
    import weakref

    class Node:
        pass

    timer = ops.collect_garbage_on_gui_thread(None)
    try:
        assert timer.interval() == ops.GC_TICK_MS
        qtbot.waitUntil(
            lambda: gc.get_freeze_count() > 0, timeout=5_000
        )  # the start: collected, frozen
        # Cyclic garbage made by any thread waits for the GUI thread's timer …
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        keep = [[] for _ in range(gc.get_threshold()[0] + 10)]  # young objects to fill generation 0
        assert gone() is not None
        # … which collects the young generation within a tick or two, not a second or a
        # minute later.
        qtbot.waitUntil(lambda: gone() is None, timeout=500)
        assert keep
    finally:
        timer.stop()
        gc.unfreeze()
