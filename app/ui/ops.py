"""Every slow action is an op (STYLE.md §1, after Anki's CollectionOp / QueryOp).

A widget builds an op from a plain function, chains `.success()` / `.failure()` /
`.with_progress()` and calls `.run()`. The body runs on a worker thread and touches no
widget; callbacks run on the GUI thread. Database work goes through ONE worker (SQLite has
one writer); comm work has its own pool. A body may return an object with a `changes`
attribute (services' `Changes` flags) or the op may declare `changes=`; either way the
client's single `changes_applied` signal tells open views what to refresh.

This is the only module in app/ui that holds a Session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlalchemy.orm import Session

from app.models.db import Database
from app.models.money import AmountError
from app.services.context import Changes, ServiceError
from app.ui.errors import show_error

log = logging.getLogger(__name__)


class OpRunner(QObject):
    """Owns the executors and brings results back to the GUI thread."""

    changes_applied = Signal(int)  # Changes flags, as int for the signal
    _finished = Signal(object)  # a callable to run on the GUI thread
    busy_changed = Signal(int)  # number of ops in flight

    def __init__(self, db: Database):
        super().__init__()
        self.db = db
        self._db_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-op")
        self._comm_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="comm-op")
        self.in_flight = 0
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver(self, fn: Callable[[], None]) -> None:
        fn()

    def submit(self, pool: str, work: Callable[[], Any], done: Callable[[Any, BaseException | None], None]) -> None:
        self.in_flight += 1
        self.busy_changed.emit(self.in_flight)

        # The worker must never hold the last reference to the op: its callbacks keep the
        # view alive, and a widget whose last Python reference goes in a worker thread is
        # destroyed there (a crash). So the work and callback travel in a box that the
        # worker empties before running and the GUI thread empties on delivery.
        box = [work, done]

        def job() -> None:
            work_fn, done_fn = box
            box.clear()
            try:
                packet = [done_fn, work_fn(), None]
            except BaseException as exc:  # noqa: BLE001 — handed to the GUI thread, never lost
                packet = [done_fn, None, exc]
            del work_fn, done_fn
            self._finished.emit(partial(self._back, packet))

        (self._db_pool if pool == "db" else self._comm_pool).submit(job)

    def _back(self, packet: list) -> None:
        done, result, error = packet
        packet.clear()
        self.in_flight -= 1
        self.busy_changed.emit(self.in_flight)
        done(result, error)

    def shutdown(self) -> None:
        self._db_pool.shutdown(wait=True, cancel_futures=True)
        self._comm_pool.shutdown(wait=False, cancel_futures=True)


_runner: OpRunner | None = None


def bind(db: Database) -> OpRunner:
    """Start the op runner for this database (once per client, or per test)."""
    global _runner
    if _runner is not None:
        _runner.shutdown()
    _runner = OpRunner(db)
    return _runner


def runner() -> OpRunner:
    if _runner is None:
        raise RuntimeError("ops.bind(db) has not been called")
    return _runner


class _Op:
    _pool = "db"

    def __init__(self, parent: QWidget | None, body: Callable, *, changes: Changes = Changes.NONE):
        self._parent = parent
        self._body = body
        self._changes = changes
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._progress_label: str | None = None

    def success(self, fn: Callable[[Any], None]) -> _Op:
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> _Op:
        """Replace the default error dialog (the callback decides what the clerk sees)."""
        self._on_failure = fn
        return self

    def with_progress(self, label: str) -> _Op:
        self._progress_label = label
        return self

    def _work(self) -> Any:
        raise NotImplementedError

    def run(self) -> None:
        progress = None
        if self._progress_label and self._parent is not None:
            progress = QProgressDialog(self._progress_label, "", 0, 0, self._parent)
            progress.setCancelButton(None)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(400)  # quick ops never flash a dialog

        def done(result: Any, error: BaseException | None) -> None:
            if progress is not None:
                progress.reset()
                progress.deleteLater()
            if error is not None:
                self._fail(error)
                return
            flags = self._changes | getattr(result, "changes", Changes.NONE)
            if self._on_success is not None:
                self._on_success(result)
            if flags:
                runner().changes_applied.emit(int(flags))

        runner().submit(self._pool, self._work, done)

    def _fail(self, error: BaseException) -> None:
        if not isinstance(error, (ServiceError, AmountError)):
            log.error("op failed", exc_info=error)
        if self._on_failure is not None:
            self._on_failure(error)
        else:
            show_error(self._parent, error)


class DbOp(_Op):
    """`body(session) -> result`, in one transaction on the single database worker."""

    def _work(self) -> Any:
        with runner().db.transaction() as session:
            return self._body(session)


class CommOp(_Op):
    """`body() -> result` on the comm pool: no database, e.g. a port scan."""

    _pool = "comm"

    def _work(self) -> Any:
        return self._body()


def db_op(parent: QWidget | None, body: Callable[[Session], Any], changes: Changes = Changes.NONE) -> DbOp:
    return DbOp(parent, body, changes=changes)


def repeat_every(parent: QObject, interval_ms: int, make_op: Callable[[], _Op | None]) -> QTimer:
    """A timer that runs an op every interval, never two of them at once."""
    timer = QTimer(parent)
    timer.setInterval(interval_ms)
    state = {"running": False}

    def tick() -> None:
        if state["running"]:
            return
        op = make_op()
        if op is None:
            return
        state["running"] = True
        user_success, user_failure = op._on_success, op._on_failure

        def ok(result):
            state["running"] = False
            if user_success:
                user_success(result)

        def bad(error):
            state["running"] = False
            if user_failure:
                user_failure(error)
            else:
                log.warning("periodic op failed: %s", error)

        op.success(ok).failure(bad).run()

    timer.timeout.connect(tick)
    return timer
