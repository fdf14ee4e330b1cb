"""Python's cycle collector in a long-running comm process (`app service`, `app sim`).

Every transaction allocates a few short-lived objects, so at the default threshold (700)
young collections run thousands of times a cycle, and each full collection walks every
channel, meter and driver: 0.2-0.3 s in which the single loop thread serves no bus, so
all 200 buses of a market stand still at once. What exists once the lines are up lives
as long as the process: it is frozen out of the collector, and young collections run
less often. The desktop client manages its collector itself (app/ui/ops.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_objects_frozen(young_threshold: int = 20_000) -> Iterator[None]:
    """Freeze what exists now and raise the young-generation threshold until exit."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(young_threshold, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
