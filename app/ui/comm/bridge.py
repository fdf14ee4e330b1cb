"""The hook between the comm runtime (poller, simulator) and the client's views.

The poller runs in its own thread; it calls the `on_*` methods, which only put plain
dataclasses on thread-safe queues. Views drain the queues on the GUI thread with a timer
(STYLE.md §6), so a burst of 20,000 updates never blocks the window. Each queue has one
consumer: frames and errors → comm monitor; meter status and changed meters → meters view.

What the collection service stored (its `Changes` flags) crosses to the GUI thread as a
queued Qt signal; bursts are merged into one `changed` per `COALESCE_MS`, which views with
`live_cares_about` follow (app/ui/view_base.py).

The frame and error logs come from a poller in this process (`attach_poller`, pulled on
the GUI thread), from the collection service's monitor endpoint when it runs as a child
process (`attach_service`), or from what the market's service shares through the database
when it runs on another PC (`attach_log`); the last two are fetched by a daemon thread, and
only while the comm monitor asks for them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from app.comm.monitor import MonitorClient
from app.comm.types import ChannelStatus, CommError, FrameEvent, MeterStatus
from app.services.platform.market_service import ServiceState
from app.words import ENGLISH

COALESCE_MS = 1000
FETCH_LIMIT = 2000  # per log and request: what the comm monitor takes in one drain
log = logging.getLogger(__name__)


class CommBridge(QObject):
    changed = Signal(int)  # Changes flags stored by the comm side, merged, on the GUI thread
    meters_changed = Signal()  # new ids in `changed_meters`
    state_changed = Signal()  # is_running / problem changed (on the GUI thread)
    missed = Signal()  # changes were missed: every view reloads what it cares about
    # stored by another clerk's client: (Changes flags, the flags of changes that name no
    # rows, the stalls changed), on the GUI thread
    others_changed = Signal(int, int, list)
    _others = Signal(int, int, list)
    # the market's collection service as last read (`service_state`): running or stopped
    service_state_changed = Signal()
    _service_state = Signal(object)
    _arrived = Signal(int)  # emitted on the comm thread, delivered queued
    _missed = Signal()  # likewise
    _ended = Signal(int)  # the service process's exit code, from its watcher thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending = 0
        self._coalesce = QTimer(self, singleShot=True, interval=COALESCE_MS)
        self._coalesce.timeout.connect(self._emit_changed)
        self._arrived.connect(self._collect, Qt.ConnectionType.QueuedConnection)
        self._missed.connect(self.missed, Qt.ConnectionType.QueuedConnection)
        self._others.connect(self.others_changed, Qt.ConnectionType.QueuedConnection)
        self._service_state.connect(self._set_service_state, Qt.ConnectionType.QueuedConnection)
        self.service_state: ServiceState | None = None  # None: no service ever ran here
        self.frames: queue.SimpleQueue[FrameEvent] = queue.SimpleQueue()
        self.errors: queue.SimpleQueue[CommError] = queue.SimpleQueue()
        self.meter_status: queue.SimpleQueue[MeterStatus] = queue.SimpleQueue()
        self.changed_meters: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.channel_status: dict[int, ChannelStatus] = {}
        self.follows_meters = False  # set by the meters view, which drains changed_meters
        self._stop: Callable[[], Any] | None = None
        self.is_running = False
        self.service = None  # the ServiceProcess when collection runs as a child process
        self.problem = ""  # why collection is not running although it should, for the clerk
        self._source = None  # a Poller or a MonitorClient: frames_since / errors_since
        self._remote = None  # the source when it is read by the follower thread
        self._frame_seq = self._error_seq = 0
        self._wanted = threading.Event()  # the comm monitor asked for what is new
        self._language = ENGLISH  # of the frames' meanings, as the comm monitor asked
        self._ended.connect(self._service_ended, Qt.ConnectionType.QueuedConnection)

    # -- called from the comm thread -------------------------------------------------------
    def on_frame(self, event: FrameEvent) -> None:
        self.frames.put(event)

    def on_error(self, error: CommError) -> None:
        self.errors.put(error)

    def on_meter_status(self, status: MeterStatus) -> None:
        self.meter_status.put(status)

    def on_meter_changed(self, meter_id: int) -> None:
        """A service stored a reading / command result for this meter: refresh its row."""
        self.changed_meters.put(meter_id)

    def on_channel_status(self, status: ChannelStatus) -> None:
        self.channel_status[status.channel_id] = status  # a dict assignment is atomic

    def on_changes(self, changes: int) -> None:
        """The collection service committed something (its `on_change`)."""
        self._arrived.emit(int(changes))

    def on_meters(self, meter_ids: Iterable[int]) -> None:
        """The collection service changed these meters' rows (its `on_meters`)."""
        if not self.follows_meters:
            return  # no meters view yet: its first load reads every row anyway
        for meter_id in meter_ids:
            self.changed_meters.put(meter_id)
        self._arrived.emit(0)

    def on_others(self, changes: int, unnamed: int, stall_ids: Iterable[int]) -> None:
        """Another clerk's client committed these changes (app/ui/comm/follower.py): no
        coalescing, the follower's tick already merges them."""
        self._others.emit(int(changes), int(unnamed), list(stall_ids))

    def on_service_state(self, state: ServiceState | None) -> None:
        """The market's service row as just read (app/ui/comm/follower.py)."""
        self._service_state.emit(state)

    @Slot(object)
    def _set_service_state(self, state: ServiceState | None) -> None:
        self.service_state = state
        self.service_state_changed.emit()

    @property
    def service_stopped_since(self) -> datetime | None:
        """When the market's collection service stopped (its last beat), None while it runs."""
        return None if self.service_state is None else self.service_state.stopped_since

    def service_stopped_text(self) -> str:
        """ "抄表服务已停止 N 分钟（在 PC 名）", or "" while it runs."""
        state = self.service_state
        if state is None or state.stopped_since is None:
            return ""
        return (
            self.tr("Meter reading service has stopped for %1 minutes (on %2)")
            .replace("%1", str(max(1, state.stopped_minutes)))
            .replace("%2", state.host)
        )

    def on_missed(self) -> None:
        """Changes were stored that this client will never be told of one by one (the
        change feed was pruned past where it stood, app/ui/comm/follower.py)."""
        self._missed.emit()

    # -- on the GUI thread -----------------------------------------------------------------
    @Slot(int)
    def _collect(self, changes: int) -> None:
        if changes == 0:
            self.meters_changed.emit()
            return
        self._pending |= changes
        if not self._coalesce.isActive():
            self._coalesce.start()

    def _emit_changed(self) -> None:
        changes, self._pending = self._pending, 0
        if changes:
            self.changed.emit(changes)

    # -- lifecycle, set by whoever starts the comm runtime ---------------------------------
    def attach(self, stop: Callable[[], Any]) -> None:
        """The comm runtime is running; `stop()` ends it when the window closes."""
        self._stop = stop
        self.is_running = True

    def attach_poller(self, poller, stop: Callable[[], Any] | None = None) -> None:
        """Follow a running comm Poller (app/comm/poller.py): its frame and error logs are
        pulled by `pull()`; meter statuses and changed meters come from its sink. `stop`
        ends the whole comm runtime (default: the poller)."""
        self._source = poller
        self._frame_seq = self._error_seq = 0
        self.attach(stop or poller.stop)

    def attach_service(self, service) -> None:
        """Follow a started ServiceProcess (app/ui/comm/service_process.py): its monitor
        endpoint is read by a daemon thread when `pull()` asks; if the process ends on its
        own, `problem` says so and `state_changed` is emitted."""
        self.service = service
        self.problem = ""
        self.attach(service.stop)
        self._follow_remote(MonitorClient(service.monitor_port))
        service.watch(self._ended.emit)
        self.state_changed.emit()

    def attach_log(self, source) -> None:
        """Show the frames and errors of the market's collection service running on another
        PC, as it shares them through the database (app/ui/comm/follower.py's DatabaseLog);
        collection does not run here. Replaced by a poller or service started here."""
        self._follow_remote(source)

    def _follow_remote(self, source) -> None:
        """Read `source` (its frames_since / errors_since may wait on the network) on a
        daemon thread when `pull()` asks."""
        self._source = self._remote = source
        self._frame_seq = self._error_seq = 0
        threading.Thread(
            target=self._follow, args=(source,), name="comm-monitor-follow", daemon=True
        ).start()

    def pull(self, lang: str = ENGLISH) -> None:
        """New frames and errors into the queues: copied now from a poller in this process,
        or fetched soon by the follower thread from the service process or the database. The
        frames' meanings are said in `lang`."""
        self._language = lang
        if self._source is not None and self._source is self._remote:
            self._wanted.set()
        elif self._source is not None:
            self._copy_new(self._source)

    def _copy_new(self, source, limit: int | None = None) -> None:
        self._frame_seq, frames = source.frames_since(self._frame_seq, limit, self._language)
        self._error_seq, errors = source.errors_since(self._error_seq, limit)
        for f in frames:
            self.frames.put(f)
        for e in errors:
            self.errors.put(e)

    def _follow(self, source) -> None:
        while self._source is source:
            if not self._wanted.wait(1.0):
                continue
            self._wanted.clear()
            try:
                self._copy_new(source, FETCH_LIMIT)
            except (
                OSError,
                ValueError,
            ) as exc:  # the process is stopping or gone: the watcher says so
                log.debug("comm monitor not reachable: %s", exc)

    @Slot(int)
    def _service_ended(self, exit_code: int) -> None:
        if self.service is None:
            return
        self.is_running = False
        self._source = None
        self.problem = (
            self.tr(
                "Meter reading has stopped (the collection process ended with code %1). Restart "
                "MarketMeter; "
                "if it stops again, give this log file to your administrator: %2"
            )
            .replace("%1", str(exit_code))
            .replace("%2", str(self.service.log_file))
        )
        log.error(
            "collection service process ended with exit code %s; see %s",
            exit_code,
            self.service.log_file,
        )
        self.state_changed.emit()

    def stop(self) -> None:
        self._source = None  # ends the follower thread
        if self._stop is not None:
            self._stop()
            self._stop = None
        self.is_running = False


def drain(q: queue.SimpleQueue, limit: int) -> list:
    """Up to `limit` items from a queue, without waiting."""
    items = []
    try:
        while len(items) < limit:
            items.append(q.get_nowait())
    except queue.Empty:
        pass
    return items
