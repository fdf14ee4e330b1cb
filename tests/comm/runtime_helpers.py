"""Shared helpers for the comm runtime tests: a recording sink and simulator builders."""

from __future__ import annotations

import contextlib
import threading
import time

from app.comm.poller import Poller
from app.comm.simulator import MarketSimulator, SimConfig
from app.comm.types import (
    ChannelConfig,
    ChannelStatus,
    CommandRequest,
    CommandResult,
    IdentityEvent,
    MeterReading,
    MeterStatus,
)


class RecordingSink:
    """Keeps everything the poller delivers; tests wait on conditions, never sleep-poll."""

    def __init__(self) -> None:
        self.readings: list[MeterReading] = []
        self.results: list[CommandResult] = []
        self.statuses: list[MeterStatus] = []
        self.channel_statuses: list[ChannelStatus] = []
        self.identity_events: list[IdentityEvent] = []
        self.pending_commands: list[CommandRequest] = []
        self.fetches = 0
        self._cond = threading.Condition()

    def _add(self, target: list, items) -> None:
        with self._cond:
            target.extend(items)
            self._cond.notify_all()

    def on_readings(self, readings):
        self._add(self.readings, readings)

    def on_command_results(self, results):
        self._add(self.results, results)

    def on_meter_status(self, statuses):
        self._add(self.statuses, statuses)

    def on_channel_status(self, status):
        self._add(self.channel_statuses, [status])

    def on_identity_events(self, events):
        self._add(self.identity_events, events)

    def fetch_commands(self):
        with self._cond:
            self.fetches += 1
            commands, self.pending_commands = self.pending_commands, []
            self._cond.notify_all()
            return commands

    def queue_commands(self, commands) -> None:
        with self._cond:
            self.pending_commands.extend(commands)

    def wait(self, predicate, timeout_s: float = 10.0, what: str = "condition"):
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                value = predicate(self)
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}")
                self._cond.wait(left)

    def results_for(self, command_id: int) -> list[CommandResult]:
        with self._cond:
            return [r for r in self.results if r.command_id == command_id]

    def final_result(self, command_id: int, timeout_s: float = 10.0) -> CommandResult:
        return self.wait(
            lambda s: next(
                (r for r in s.results if r.command_id == command_id and not r.pending), None
            ),
            timeout_s,
            f"final result of command {command_id}",
        )

    def status_of(self, channel_id: int, address: str) -> MeterStatus | None:
        with self._cond:
            for status in reversed(self.statuses):
                if status.channel_id == channel_id and status.address == address:
                    return status
        return None


def fast(config: ChannelConfig, **changes) -> ChannelConfig:
    """The same channel with test timings (no schedule unless asked). The timeout is 8× the
    longest exchange (a 48-register answer: 0.12 s at 9600 baud): a loaded CI machine
    delays a frame by a few tenths of a second, and a spurious timeout adds a retry that
    tests counting frames would trip over."""
    from dataclasses import replace

    values = {"poll_interval_s": 0, "timeout_s": 1.0, "retries": 1, "offline_after_failures": 2}
    values.update(changes)
    return replace(config, **values)


@contextlib.contextmanager
def running(
    sim_config: SimConfig,
    *,
    channel_changes: dict | None = None,
    poller_kwargs: dict | None = None,
    pick=lambda channels: channels,
):
    """A started simulator and a poller on the channels `pick` chooses of all its channels
    (with test timings); both stopped afterwards."""
    sim = MarketSimulator(sim_config).start()
    poller = None
    try:
        channels = [fast(c, **(channel_changes or {})) for c in sim.channels()]
        sink = RecordingSink()
        poller = Poller(pick(channels), sink, **(poller_kwargs or {"command_poll_s": 0.05}))
        poller.start()
        yield sim, poller, sink, channels
    finally:
        if poller is not None:
            poller.stop()
        sim.stop()
