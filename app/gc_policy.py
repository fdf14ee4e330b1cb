"""The garbage collector's policy, one for every long-running process of MarketMeter: the
collection service and the simulator (`app service`, `app sim`) and the desktop client.

Python's cycle collector walks every tracked object in a full collection. What exists once a
process is up (modules, channels, meters and drivers; the window and its first rows) lives
as long as the process, so it is frozen out of the collector: later full collections look
only at what came after. Young collections run less often than Python's default (700
allocations), which in a process making ~100,000 short-lived objects a second means
thousands of collections a second. How each process applies that:

- comm processes: each full collection walked every channel, meter and driver, 0.2-0.3 s in
  which the single loop thread served no bus, so all 200 buses of a market stood still at
  once. Frozen at start, young threshold raised: `long_lived_objects_frozen()`.
- the client: a collection runs on whichever thread happens to allocate, and on a worker it
  would free widgets caught in reference cycles there, which crashes Qt. So automatic
  collection is off and the GUI thread collects in steps as small as Python's own
  (`SteppedCollection`, run by app/ui/ops.py's timer every GC_TICK_MS): the youngest
  generation once it has filled up, the middle one every tenth time, everything at the start
  and then once a minute, and what lives after the first two full collections is frozen.
  (Collecting a second's worth at once held the GUI thread for 100-400 ms; a full collection
  beside a frozen 20,000-row table takes ~40 ms instead of ~250 ms.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

COMM_YOUNG_THRESHOLD = 20_000
GC_TICK_MS = 20
FULL_GC_TICKS = 60_000 // GC_TICK_MS  # a full collection once a minute


@contextmanager
def long_lived_objects_frozen(young_threshold: int = COMM_YOUNG_THRESHOLD) -> Iterator[None]:
    """Freeze what exists now and raise the young-generation threshold until exit."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(young_threshold, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class SteppedCollection:
    """Automatic collection off; `step()`, called every GC_TICK_MS on the one thread allowed to
    free objects, does what Python's own collector would have done meanwhile."""

    def __init__(self) -> None:
        gc.disable()
        self.young, self.middle, _old = gc.get_threshold()
        self.ticks = 0

    def step(self) -> None:
        self.ticks += 1
        if self.ticks % FULL_GC_TICKS == 1:
            gc.collect()
            if self.ticks <= FULL_GC_TICKS + 1:
                gc.freeze()  # what lived through the first two full collections
        elif gc.get_count()[0] > self.young:
            gc.collect(1 if gc.get_count()[1] >= self.middle else 0)
