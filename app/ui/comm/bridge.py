"""The hook between the comm runtime (poller, simulator) and the client's views.

The poller runs in its own thread; it calls the `on_*` methods, which only put plain
dataclasses on thread-safe queues. Views drain the queues on the GUI thread with a timer
(STYLE.md §6), so a burst of 20,000 updates never blocks the window. Each queue has one
consumer: frames and errors → comm monitor; meter status and changed meters → meters view.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

from app.comm.types import ChannelStatus, CommError, FrameEvent, MeterStatus


class CommBridge:
    def __init__(self) -> None:
        self.frames: queue.SimpleQueue[FrameEvent] = queue.SimpleQueue()
        self.errors: queue.SimpleQueue[CommError] = queue.SimpleQueue()
        self.meter_status: queue.SimpleQueue[MeterStatus] = queue.SimpleQueue()
        self.changed_meters: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.channel_status: dict[int, ChannelStatus] = {}
        self._stop: Callable[[], Any] | None = None
        self.is_running = False

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

    # -- lifecycle, set by whoever starts the comm runtime ---------------------------------
    def attach(self, stop: Callable[[], Any]) -> None:
        """The comm runtime is running; `stop()` ends it when the window closes."""
        self._stop = stop
        self.is_running = True

    def attach_poller(self, poller) -> None:
        """Follow a running comm Poller (app/comm/poller.py): its frame and error logs are
        pulled by `pull()`; meter statuses and changed meters come from its sink."""
        self._poller = poller
        self._frame_seq = self._error_seq = 0
        self.attach(poller.stop)

    def pull(self) -> None:
        """Copy new frames and errors from the attached poller's logs into the queues."""
        poller = getattr(self, "_poller", None)
        if poller is None:
            return
        self._frame_seq, frames = poller.frames_since(self._frame_seq)
        self._error_seq, errors = poller.errors_since(self._error_seq)
        for f in frames:
            self.frames.put(f)
        for e in errors:
            self.errors.put(e)

    def stop(self) -> None:
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
