"""One loop timer for all the simulator's timed sends: replies, heartbeats, uploads.

A market has thousands of pending sends at any moment (a reply per busy bus, a heartbeat
and an upload per 4G meter). As loop timers each would be a TimerHandle in the loop's
heap, compared in Python on every push and pop. Here they are plain tuples in one heap
(compared in C) and only the earliest one is a loop timer; when it fires, everything due
by then is sent in the same callback.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
import weakref
from collections.abc import Callable

log = logging.getLogger(__name__)

# asyncio runs a timer up to one clock tick early; what is due within a tick runs with it
_CLOCK_TICK_S = time.get_clock_info("monotonic").resolution


class Timetable:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._heap: list[tuple] = []
        self._seq = itertools.count()  # equal times keep their order; callbacks are never compared
        self._timer: asyncio.TimerHandle | None = None
        self._armed_at = float("inf")

    def __len__(self) -> int:
        return len(self._heap)

    def call_at(self, when: float, callback: Callable, *args) -> None:
        heapq.heappush(self._heap, (when, next(self._seq), callback, args))
        if when < self._armed_at:
            self._arm(when)

    def call_later(self, delay_s: float, callback: Callable, *args) -> None:
        self.call_at(self._loop.time() + delay_s, callback, *args)

    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._armed_at = when
        self._timer = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._timer, self._armed_at = None, float("inf")
        heap = self._heap
        due = self._loop.time() + _CLOCK_TICK_S
        newer = next(self._seq)  # what the callbacks schedule now waits for the next round
        while heap and heap[0][0] <= due and heap[0][1] < newer:
            _, _, callback, args = heapq.heappop(heap)
            try:
                callback(*args)
            except Exception:  # noqa: BLE001 - one bad send must not stop every other timed send
                log.exception("simulator: timed send failed")
        if heap:
            self._arm(heap[0][0])


_TIMETABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def timetable() -> Timetable:
    """The running loop's timetable."""
    loop = asyncio.get_running_loop()
    table = _TIMETABLES.get(loop)
    if table is None:
        table = _TIMETABLES[loop] = Timetable(loop)
    return table
