"""How a simulated meter can misbehave, for tests and for the demo's error log.

| mode          | effect                                                       |
|---------------|--------------------------------------------------------------|
| no_answer     | never answers                                                |
| slow          | answers `slow_s` late (after the poller's timeout)           |
| bad_crc       | answers with a wrong checksum                                |
| garbled       | answers with noise around a damaged frame                    |
| offline       | silent (dial-in devices hang up, NB meters stop reporting)   |
| counter_reset | once: the energy / volume registers start again from zero    |

A mode lasts `duration_s` real seconds (None = until cleared).
"""

from __future__ import annotations

import enum
import random
import time
from dataclasses import dataclass


class Mode(enum.StrEnum):
    NO_ANSWER = "no_answer"
    SLOW = "slow"
    BAD_CRC = "bad_crc"
    GARBLED = "garbled"
    OFFLINE = "offline"
    COUNTER_RESET = "counter_reset"


SILENT_MODES = (Mode.NO_ANSWER, Mode.OFFLINE)


@dataclass(slots=True)
class Fault:
    mode: Mode
    until: float | None  # time.monotonic() when it ends, None = until cleared

    def active(self, now: float) -> bool:
        return self.until is None or now < self.until


class Faults:
    """The current misbehaviour of one device (at most one at a time)."""

    __slots__ = ("fault", "slow_s", "listeners")

    def __init__(self) -> None:
        self.fault: Fault | None = None
        self.slow_s = 3.0
        self.listeners: list = []  # called after every change (dialers hang up on `offline`)

    def set(self, mode: Mode | str | None, duration_s: float | None = None) -> None:
        if mode is None:
            self.fault = None
        else:
            until = time.monotonic() + duration_s if duration_s is not None else None
            self.fault = Fault(Mode(mode), until)
        for listener in self.listeners:
            listener()

    def current(self) -> Mode | None:
        fault = self.fault
        if fault is None:
            return None
        if not fault.active(time.monotonic()):
            self.fault = None
            return None
        return fault.mode

    @property
    def silent(self) -> bool:
        return self.current() in SILENT_MODES


def damage(frame: bytes, mode: Mode, rnd: random.Random) -> bytes:
    """The bytes a misbehaving meter puts on the line instead of `frame`."""
    if mode is Mode.BAD_CRC:
        return frame[:-1] + bytes([frame[-1] ^ 0x5A]) if frame else frame
    if mode is Mode.GARBLED:
        noise = bytes(rnd.randrange(256) for _ in range(rnd.randint(2, 6)))
        body = bytearray(frame)
        if body:
            i = rnd.randrange(len(body))
            body[i] ^= 0xFF
        return noise + bytes(body) + noise[:2]
    return frame


def parse_spec(spec: str) -> tuple[Mode, float, float | None]:
    """CLI form `MODE[:FRACTION[:SECONDS]]`, e.g. `no_answer:0.02`, `offline:0.01:60`."""
    parts = spec.split(":")
    try:
        mode = Mode(parts[0])
    except ValueError as exc:
        raise ValueError(
            f"unknown misbehaviour {parts[0]!r}; one of {', '.join(m.value for m in Mode)}"
        ) from exc
    fraction = float(parts[1]) if len(parts) > 1 and parts[1] else 0.01
    duration = float(parts[2]) if len(parts) > 2 and parts[2] else None
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction {fraction} is not 0..1")
    return mode, fraction, duration
