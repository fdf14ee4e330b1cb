"""Waiting in tests: on the condition, never for a fixed time (STYLE.md).

`wait_until(condition)` looks at the condition until it holds and returns what it returned;
it looks again after 5 ms, then less and less often (at most every 0.1 s, as a look may
query the database while the code under test works), so a generous deadline costs nothing on a fast
machine (a CI machine twice as slow and busy must pass). With `what`, a deadline passed
fails the test saying what was not seen; without, the caller gets the falsy last look and
asserts with its own words. A short deadline watches for something that must NOT happen
(a read that must still be waiting, a command that must not fail at once): it returns the
moment it does. Where the code under test offers something to wait on (an Event, a Future,
a Condition, a Qt signal), wait on that instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

FIRST_LOOK_AFTER_S = 0.005
LOOK_AT_MOST_EVERY_S = 0.1  # a look may query the database while the code under test works


def wait_until(condition: Callable[[], T], timeout_s: float = 20.0, what: str | None = None) -> T:
    deadline = time.monotonic() + timeout_s
    pause = FIRST_LOOK_AFTER_S
    while not (seen := condition()):
        left = deadline - time.monotonic()
        if left <= 0:
            if what is not None:
                raise AssertionError(f"not seen within {timeout_s:g} s: {what}")
            return seen
        time.sleep(min(pause, left))  # the one pause between two looks in the suite
        pause = min(2 * pause, LOOK_AT_MOST_EVERY_S)
    return seen
