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

import contextlib
import itertools
import logging
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.gc_policy import GC_TICK_MS, SteppedCollection
from app.models.db import Database
from app.models.money import AmountError
from app.services.platform.context import Changes, ServiceError
from app.ui.errors import show_error

log = logging.getLogger(__name__)


class OpRunner(QObject):
    """Owns the executors and brings results back to the GUI thread.

    A Qt object must never be freed on a worker thread: its timers would stay registered
    with the GUI thread's event loop, which then crashes on the next tick. So the GUI thread
    keeps its own references to each op's body and callbacks (which hold widgets) until the
    result is delivered, and a worker drops its references before it reports.
    """

    changes_applied = Signal(int)  # Changes flags, as int for the signal
    _finished = Signal()  # a result is waiting in _results
    busy_changed = Signal(int)  # number of ops in flight that the clerk started

    def __init__(self, db: Database):
        super().__init__()
        self.db = db
        self._db_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-op")
        self._comm_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="comm-op")
        self._jobs: dict[
            int, tuple[Callable[[], Any], Callable[[Any, BaseException | None], None]]
        ] = {}
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._tokens = itertools.count()
        self._background: set[int] = set()  # live refreshes: not shown as "working"
        self._in_background_scope = 0
        self._closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def in_flight(self) -> int:
        return len(self._jobs)

    @property
    def busy(self) -> int:
        return len(self._jobs) - len(self._background)

    def submit(
        self,
        pool: str,
        work: Callable[[], Any],
        done: Callable[[Any, BaseException | None], None],
        *,
        background: bool = False,
    ) -> None:
        token = next(self._tokens)
        self._jobs[token] = (work, done)
        if background or self._in_background_scope:
            self._background.add(token)
        else:
            self.busy_changed.emit(self.busy)
        (self._db_pool if pool == "db" else self._comm_pool).submit(self._run_job, token)

    @contextlib.contextmanager
    def background(self):
        """Ops started inside (e.g. a view's refresh after a live change) are background ops."""
        self._in_background_scope += 1
        try:
            yield
        finally:
            self._in_background_scope -= 1

    def _run_job(self, token: int) -> None:
        """On a worker thread."""
        work = self._jobs[token][0]
        try:
            result, error = work(), None
        except BaseException as exc:  # noqa: BLE001 — handed to the GUI thread, never lost
            result, error = None, _without_frames(exc)
        del work
        self._results.put((token, result, error))
        self._finished.emit()

    @Slot()
    def _deliver(self) -> None:
        token, result, error = self._results.get_nowait()
        _work, done = self._jobs.pop(token)
        if token in self._background:
            self._background.discard(token)
        else:
            self.busy_changed.emit(self.busy)
        if not self._closed:  # after shutdown the widgets waiting for results are gone
            done(result, error)

    def shutdown(self) -> None:
        self._closed = True
        self._db_pool.shutdown(wait=True, cancel_futures=True)
        self._comm_pool.shutdown(wait=False, cancel_futures=True)
        _retired.append(self)  # a comm worker may still hold it; it must not be the last


def _without_frames(error: BaseException) -> BaseException:
    """Log an unexpected error with its traceback here, then cut the tracebacks: their
    frames hold the op's locals (widgets among them), which must not travel back."""
    if not isinstance(error, (ServiceError, AmountError)):
        log.error("op failed", exc_info=error)
    chain, link = set(), error
    while link is not None and id(link) not in chain:
        chain.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return error


_retired: list[OpRunner] = []


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
        self._background = False

    def success(self, fn: Callable[[Any], None]) -> _Op:
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> _Op:
        """Replace the default error dialog (the callback decides what the clerk sees)."""
        self._on_failure = fn
        return self

    def in_background(self) -> _Op:
        """A refresh nobody asked for (live updates, timers): the status bar stays quiet."""
        self._background = True
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
            asker_gone = self._parent is not None and not shiboken6.isValid(self._parent)
            if progress is not None and not asker_gone:
                progress.reset()
                progress.deleteLater()
            if error is not None:
                if asker_gone:
                    log.warning("op failed after its view was closed: %s", error)
                else:
                    self._fail(error)
                return
            flags = self._changes | getattr(result, "changes", Changes.NONE)
            if self._on_success is not None and not asker_gone:
                self._on_success(result)
            if flags:
                runner().changes_applied.emit(int(flags))

        runner().submit(self._pool, self._work, done, background=self._background)

    def _fail(self, error: BaseException) -> None:
        if self._on_failure is not None:
            self._on_failure(error)
        else:
            show_error(self._parent, error)


class DbOp(_Op):
    """`body(session) -> result`, in one transaction on the single database worker."""

    def _work(self) -> Any:
        with runner().db.transaction() as session:
            return self._body(session)


class QueryOp(DbOp):
    """`body(session) -> result` that only reads (a view's rows): a snapshot that never
    waits for a writer such as the collection service. A body that writes fails here
    instead of having its writes dropped: such a body belongs in a DbOp."""

    def _work(self) -> Any:
        with runner().db.reading() as session:
            event.listen(session, "before_flush", _refuse_writes)
            return self._body(session)


def _refuse_writes(session: Session, _context, _instances) -> None:
    raise RuntimeError("a read-only op tried to write: run it as a DbOp")


class CommOp(_Op):
    """`body() -> result` on the comm pool: no database, e.g. a port scan."""

    _pool = "comm"

    def _work(self) -> Any:
        return self._body()


def db_op(
    parent: QWidget | None, body: Callable[[Session], Any], changes: Changes = Changes.NONE
) -> DbOp:
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

        op.success(ok).failure(bad).in_background().run()

    timer.timeout.connect(tick)
    return timer


def collect_garbage_on_gui_thread(parent: QObject) -> QTimer:
    """The client's part of the garbage collector's policy (app/gc_policy.py): automatic
    collection off, the GUI thread collects in small steps on this timer, so a worker never
    frees a widget (see OpRunner)."""
    steps = SteppedCollection()
    timer = QTimer(parent)
    timer.timeout.connect(lambda: steps.step())  # a bound method would be held weakly
    timer.start(GC_TICK_MS)
    return timer
