"""The simulator's meter clock: real time since start, `speed` times faster."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class SimClock:
    def __init__(
        self, speed: float = 1.0, start: datetime | None = None, monotonic=time.monotonic
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self.speed = speed
        self.start = start or datetime.now(UTC)
        self._monotonic = monotonic
        self._t0 = monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(self._monotonic() - self._t0) * self.speed)

    def __call__(self) -> datetime:
        return self.now()

    def real_s(self, sim_s: float) -> float:
        """Real seconds for an interval of sim seconds (report periods, TTLs)."""
        return sim_s / self.speed
