"""Bounded, thread-safe logs of frames and errors for the comm monitor (调试报文).

The poller's loop appends; the UI thread (or a service) reads with `since(seq)`, getting
everything newer than the sequence number it saw last. Old entries fall off the end, so
memory stays flat however long the program runs.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class BoundedLog(Generic[T]):
    def __init__(self, maxlen: int) -> None:
        self._items: deque[tuple[int, T]] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self._seq = 0

    @property
    def maxlen(self) -> int:
        return self._items.maxlen or 0

    @property
    def last_seq(self) -> int:
        return self._seq

    def append(self, item: T) -> int:
        with self._lock:
            self._seq += 1
            self._items.append((self._seq, item))
            return self._seq

    def since(self, seq: int = 0, limit: int | None = None) -> tuple[int, list[T]]:
        """Items with a sequence number above `seq` (oldest first) and the newest number."""
        with self._lock:
            last = self._seq
            if not self._items or seq >= last:
                return last, []
            first = self._items[0][0]
            start = max(0, seq + 1 - first)
            items = [item for _, item in list(self._items)[start:]]
        if limit is not None and len(items) > limit:
            items = items[-limit:]
        return last, items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
