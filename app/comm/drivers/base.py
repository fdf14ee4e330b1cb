"""Drivers: the poller's view of one meter protocol, built on the pure codecs.

A driver turns "read this meter" or "trip this meter" into request frames
(`Exchange`s), recognises the reply that answers each request, and turns the replies
into a MeterReading. The codecs (`app.comm.protocols`, `app.comm.profiles`) do the
byte work; this module only arranges them for the bus worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.comm.types import Action, MeterEndpoint, MeterReading
from app.words import ENGLISH, Said, Word


class CommandRejected(Exception):
    """The meter answered the command with an exception / abnormal reply."""

    def __init__(self, reason: Said | Word) -> None:
        super().__init__(reason)
        self.reason = reason


class MeterRefused(ValueError):
    """The meter answered a read with an abnormal reply (e.g. "no such data item"): it is
    there and the line is fine, the reason is in the clerk's words."""

    def __init__(self, reason: Said | Word) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedAction(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request frame and how to recognise its reply."""

    request: bytes
    meaning: Callable[[str], str]  # the request in a language, for the frame log when looked at
    expect: Callable[[object], bool]  # does this decoded message answer the request?
    key: str = ""  # name of the reply in a read plan, e.g. "block"
    logged: bytes | None = None  # what the frame log keeps instead of `request` (a password hidden)
    sender: str = ""  # whom the reply comes from, when not the meter's address (a Modbus slave id)


class Driver(Protocol):
    name: str

    def decode(self, buf: bytes) -> tuple[int, object | None]:
        """Stream decode: (bytes used, message or None). used == 0: need more bytes;
        used > 0 with None: garbage or a bad checksum was skipped."""

    def describe(self, message: object, lang: str = ENGLISH) -> str: ...

    def read_plan(self, endpoint: MeterEndpoint) -> list[Exchange]: ...

    def fallback_plan(self, endpoint: MeterEndpoint, replies: dict[str, object]) -> list[Exchange]:
        """Further requests the replies so far call for (e.g. single items after a refused
        block); empty when the read is complete."""

    def to_reading(
        self, endpoint: MeterEndpoint, replies: dict[str, object], at: datetime
    ) -> MeterReading:
        """Raises MeterRefused when the meter refused an item the reading needs."""

    def command_plan(self, endpoint: MeterEndpoint, action: Action, at: datetime) -> list[Exchange]:
        """Raises UnsupportedAction."""

    def check_reply(self, endpoint: MeterEndpoint, message: object) -> None:
        """Raises CommandRejected when the meter refused the command."""

    def verify(
        self,
        endpoint: MeterEndpoint,
        action: Action,
        replies: dict[str, object],
        reading: MeterReading,
    ) -> list[Said | Word | str]:
        """What the read-back shows is not as the command wanted, in words or as technical
        detail; empty = it took effect."""
