"""The comm poller (集中抄表): reads every meter on schedule and executes commands.

One asyncio loop runs in the poller's own thread. Every channel has its own schedule
(`ChannelConfig.poll_interval_s`; 0 = no automatic polls, only `read_now` and
commands) and all channels run in parallel; inside a channel every line (RS485 bus,
gateway connection, dialled-in DTU or 4G meter) has exactly one worker, so there is
never more than one transaction on a half-duplex bus, and commands go before polls.

Results go to the sink from a single dispatcher thread, in order, so a slow sink (a
database write) never stalls the line timing. The sink is also the durable command
source: `fetch_commands()` is called every `command_poll_s`.

Thread-safe public API: start(), stop(), read_now(endpoints), submit(commands),
reconfigure(channels), frames_since(seq), errors_since(seq), meter_statuses(),
listen_port(channel_id), push_url(channel_id).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import decimal
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from app.comm import messages
from app.comm.channels.base import ChannelRuntime
from app.comm.channels.kinds import build_channel
from app.comm.framelog import BoundedLog
from app.comm.types import (
    ChannelConfig,
    ChannelStatus,
    CommandRequest,
    CommandResult,
    CommError,
    Direction,
    FrameEvent,
    IdentityEvent,
    Meaning,
    MeterEndpoint,
    MeterReading,
    MeterStatus,
    meant,
)
from app.words import ENGLISH

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Sink(Protocol):
    """Where the poller delivers what it read; called from one dispatcher thread, in order."""

    def on_readings(self, readings: list[MeterReading]) -> None: ...

    def on_command_results(self, results: list[CommandResult]) -> None: ...

    def on_meter_status(self, statuses: list[MeterStatus]) -> None: ...

    def on_channel_status(self, status: ChannelStatus) -> None: ...

    def fetch_commands(self) -> list[CommandRequest]: ...

    def on_identity_events(self, events: list[IdentityEvent]) -> None: ...


@dataclass(frozen=True, slots=True)
class ChannelChanges:
    """Channel ids, by what `Poller.reconfigure` found (one that could not start is in
    `added` or `changed`, and not in `Poller.channels`)."""

    added: tuple[int, ...] = ()
    changed: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class _MeterState:
    __slots__ = ("online", "failures", "last_seen", "error")

    def __init__(self) -> None:
        self.online: bool | None = None
        self.failures = 0
        self.last_seen: datetime | None = None
        self.error = ""


class Poller:
    def __init__(
        self,
        channels: list[ChannelConfig],
        sink: Sink,
        *,
        clock: Clock = utc_now,
        speed: float = 1.0,
        command_poll_s: float = 3.0,
        frame_log_size: int = 5000,
        error_log_size: int = 1000,
        flush_interval_s: float = 0.2,
        log_frames: bool = True,
    ) -> None:
        ids = [c.id for c in channels]
        if len(ids) != len(set(ids)):
            raise ValueError("channel ids must be unique")
        self.channels = {c.id: c for c in channels}
        self.sink = sink
        self.clock = clock
        self.speed = speed if speed > 0 else 1.0
        self.command_poll_s = command_poll_s
        self.flush_interval_s = flush_interval_s
        self.log_frames = log_frames
        # raw (at, channel, address, direction, bytes, meaning): the hex text of a frame, its
        # time as a datetime and its meaning when that is a callable (the decoded reply's
        # describe) are made only when someone looks (40,000 frames a cycle, the monitor
        # shows a few)
        self.frames: BoundedLog[tuple] = BoundedLog(frame_log_size)
        self._frame_clock: Callable[[], datetime | float] = time.time if clock is utc_now else clock
        self.errors: BoundedLog[CommError] = BoundedLog(error_log_size)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._runtimes: dict[int, ChannelRuntime] = {}
        self._hubs: dict = {}  # shared listeners / push servers by address
        self._tasks: list[asyncio.Task] = []
        self._schedules: dict[int, asyncio.Task] = {}  # by channel id
        self._reconfiguring = asyncio.Lock()  # one reconfigure at a time, never during shutdown
        self._meters: dict[tuple[int, str], _MeterState] = {}
        self._meters_lock = threading.Lock()
        self._seen_commands: OrderedDict[tuple[int, int], None] = OrderedDict()
        self._sink_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="comm-sink")
        self._out_readings: list[MeterReading] = []
        self._out_results: list[CommandResult] = []
        self._out_statuses: list[MeterStatus] = []
        self._out_identities: list[IdentityEvent] = []
        self._flush_handle: asyncio.TimerHandle | None = None
        self._stopping = False

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout_s: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("poller already started")
        self._thread = threading.Thread(target=self._run, name="comm-poller", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise TimeoutError("poller did not start")
        if self._startup_error is not None:
            raise self._startup_error

    def _run(self) -> None:
        # Decimal arithmetic (profile scales) makes a decimal context in the contextvars of
        # whatever runs it when they hold none. Made here first, it is the one every task and
        # callback of the loop inherits: otherwise each 4G meter's connection, whose receive
        # callback decodes its uploads, kept a context of its own (4,000 meters: 3 MB).
        decimal.getcontext()
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup())
        except (OSError, ValueError, KeyError) as exc:
            self._startup_error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        for config in self.channels.values():
            self._runtimes[config.id] = build_channel(config, self, self._hubs)
        for hub in self._hubs.values():
            await hub.start()
        for runtime in self._runtimes.values():
            await runtime.start()
        for runtime in self._runtimes.values():
            self._start_schedule(runtime)
        if self.command_poll_s > 0:
            self._tasks.append(
                asyncio.get_running_loop().create_task(
                    self._command_source(), name="command source"
                )
            )

    def _start_schedule(self, runtime: ChannelRuntime) -> None:
        if runtime.config.poll_interval_s > 0:
            self._schedules[runtime.config.id] = asyncio.get_running_loop().create_task(
                self._schedule(runtime), name=f"schedule {runtime.config.id}"
            )

    def stop(self, timeout_s: float = 10.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._stopping = True
        if loop.is_running():
            fut = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
            try:
                fut.result(timeout_s)
            except concurrent.futures.TimeoutError:
                log.error("poller did not shut down within %.1f s", timeout_s)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout_s)
        self._sink_pool.shutdown(wait=True)
        self._thread = None

    async def _shutdown(self) -> None:
        async with self._reconfiguring:
            tasks = self._tasks + list(self._schedules.values())
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for runtime in self._runtimes.values():
                await runtime.stop()
            for hub in self._hubs.values():
                await hub.stop()
            self._flush()

    # ------------------------------------------------------------------ public, thread-safe
    def read_now(self, endpoints: Iterable[MeterEndpoint]) -> concurrent.futures.Future:
        """Read these meters now (before scheduled polls). The future gives the readings
        obtained (meters that did not answer are missing; see meter status / errors)."""
        endpoints = list(endpoints)
        return asyncio.run_coroutine_threadsafe(self._read_many(endpoints), self._require_loop())

    def submit(self, commands: Iterable[CommandRequest]) -> None:
        commands = list(commands)
        self._require_loop().call_soon_threadsafe(self._accept_commands, commands)

    def reconfigure(self, channels: Iterable[ChannelConfig]) -> concurrent.futures.Future:
        """Run these channels from now on. The future gives the ChannelChanges once the
        new and changed channels run (wait on it with a timeout).

        A channel whose config is equal goes on untouched: its schedule, its bus workers,
        its dialled-in 4G meters and DTUs. A removed or changed channel is stopped; its
        queued and running commands fail with messages.CHANNEL_RECONFIGURED. A new or
        changed channel is built, started and scheduled, registered with the listener or
        push receiver of its address (started when new; one that no channel uses any more
        is stopped and its port released). Meter states of meters no channel has are
        dropped. A channel that cannot start is said in the error log and left out of
        `channels`, so the same configs given again try it again."""
        channels = list(channels)
        ids = [c.id for c in channels]
        if len(ids) != len(set(ids)):
            raise ValueError("channel ids must be unique")
        return asyncio.run_coroutine_threadsafe(self._reconfigure(channels), self._require_loop())

    def frames_since(
        self, seq: int = 0, limit: int | None = None, lang: str | None = ENGLISH
    ) -> tuple[int, list[FrameEvent]]:
        """The frames logged after `seq`, their meanings said in `lang` (English: the
        protocols' own notation, as the field tools print it); None leaves them unsaid
        (`Meaning`s), for a reader who says them in several languages."""
        last, raw = self.frames.since(seq, limit)
        return last, [
            FrameEvent(
                datetime.fromtimestamp(at, UTC) if type(at) is float else at,
                cid,
                address,
                direction,
                data.hex(" ").upper(),
                meaning if lang is None else meant(meaning, lang),
            )
            for at, cid, address, direction, data, meaning in raw
        ]

    def errors_since(self, seq: int = 0, limit: int | None = None) -> tuple[int, list[CommError]]:
        return self.errors.since(seq, limit)

    def meter_statuses(self) -> list[MeterStatus]:
        with self._meters_lock:
            return [self._status(key, state) for key, state in self._meters.items()]

    def listen_port(self, channel_id: int) -> int:
        """Bound TCP port of a dial-in / push channel's listener (useful with port 0)."""
        return self._runtimes[channel_id].listen_port()

    def set_identities(self, configs: Iterable[ChannelConfig]) -> None:
        """The dial-in identities the office stored (bound, accepted or cleared by a person),
        given to the running channels without rebuilding them."""
        identities = {c.id: dict(c.identities) for c in configs}

        def apply() -> None:
            for cid, mapping in identities.items():
                runtime = self._runtimes.get(cid)
                if runtime is not None and hasattr(runtime, "set_identities"):
                    runtime.set_identities(mapping)

        self._require_loop().call_soon_threadsafe(apply)

    def push_url(self, channel_id: int) -> str:
        return self._runtimes[channel_id].push_url()

    def bus_stats(self) -> dict[str, dict[str, int]]:
        """Per line: transactions done and overlapping transactions seen (must be 0)."""
        stats = {}
        for runtime in self._runtimes.values():
            for bus in runtime.buses():
                stats[bus.name] = {"transactions": bus.transactions, "overlaps": bus.overlaps}
        return stats

    def _require_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None or not self._ready.is_set():
            raise RuntimeError("poller is not running")
        return self._loop

    async def _reconfigure(self, configs: list[ChannelConfig]) -> ChannelChanges:
        async with self._reconfiguring:
            if self._stopping:
                raise RuntimeError("poller is stopping")
            wanted, running = {c.id: c for c in configs}, self.channels
            changes = ChannelChanges(
                added=tuple(cid for cid in wanted if cid not in running),
                changed=tuple(
                    cid for cid in wanted if cid in running and wanted[cid] != running[cid]
                ),
                removed=tuple(cid for cid in running if cid not in wanted),
            )
            if not changes:
                return changes
            hubs_before = set(self._hubs.values())
            # Built before the old runtimes stop (building opens nothing): from here on the
            # shared hubs hand dial-ins and pushes to the new runtimes, and commands that
            # come meanwhile wait in their queues. Other threads only ever see whole dicts.
            built: dict[int, ChannelRuntime] = {}
            for cid in changes.added + changes.changed:
                try:
                    built[cid] = build_channel(wanted[cid], self, self._hubs)
                except (ValueError, KeyError) as exc:
                    self._not_started(cid, exc)
            old = [
                self._runtimes[cid]
                for cid in changes.removed + changes.changed
                if cid in self._runtimes
            ]
            kept = {
                cid: r
                for cid, r in self._runtimes.items()
                if cid in wanted and cid not in changes.changed
            }
            self._runtimes = {**kept, **built}
            for runtime in old:  # before the new ones start: a COM port opens once at a time
                task = self._schedules.pop(runtime.config.id, None)
                if task is not None:
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                await runtime.stop(messages.CHANNEL_RECONFIGURED)
            in_use = {runtime.hub for runtime in self._runtimes.values()}
            for key, hub in list(self._hubs.items()):
                if hub not in in_use:
                    del self._hubs[key]
                    await hub.stop()
            for key, hub in list(self._hubs.items()):
                if hub in hubs_before:
                    continue
                try:
                    await hub.start()
                except OSError as exc:
                    del self._hubs[key]
                    for cid in [cid for cid, runtime in built.items() if runtime.hub is hub]:
                        self._not_started(cid, exc)
                        await built.pop(cid).stop(
                            messages.CHANNEL_NOT_STARTED(detail=messages.detail_of(exc))
                        )
                    self._runtimes = {
                        cid: r for cid, r in self._runtimes.items() if r.hub is not hub
                    }
            for runtime in built.values():
                await runtime.start()
                self._start_schedule(runtime)
            self.channels = {cid: wanted[cid] for cid in wanted if cid in self._runtimes}
            keep = {(c.id, m.address) for c in self.channels.values() for m in c.meters}
            with self._meters_lock:
                self._meters = {key: state for key, state in self._meters.items() if key in keep}
            return changes

    def _not_started(self, channel_id: int, exc: Exception) -> None:
        log.warning("channel %s not started: %s", channel_id, exc)
        self.error(channel_id, None, messages.CHANNEL_NOT_STARTED(detail=messages.detail_of(exc)))

    # ------------------------------------------------------------------ scheduling
    async def _schedule(self, runtime: ChannelRuntime) -> None:
        interval = runtime.config.poll_interval_s / self.speed
        loop = asyncio.get_running_loop()
        # devices that dial in have to find the new listener first: polled at once, every
        # one of them would fail as "not dialled in"
        next_start = loop.time() + min(runtime.dial_in_grace_s / self.speed, interval)
        await asyncio.sleep(max(0.0, next_start - loop.time()))
        while True:
            runtime.poll_all()
            next_start += interval
            await asyncio.sleep(max(0.0, next_start - loop.time()))
            if next_start < loop.time():  # we fell behind: do not burst to catch up
                next_start = loop.time()

    async def _read_many(self, endpoints: list[MeterEndpoint]) -> list[MeterReading]:
        futures = []
        for endpoint in endpoints:
            runtime = self._runtimes.get(endpoint.channel_id)
            if runtime is None:
                self.error(
                    endpoint.channel_id,
                    endpoint.address,
                    messages.CHANNEL_UNKNOWN(channel_id=endpoint.channel_id),
                )
                continue
            futures.append(runtime.read_now(endpoint))
        results = await asyncio.gather(*futures) if futures else []
        return [r for r in results if r is not None]

    async def _command_source(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                commands = await loop.run_in_executor(self._sink_pool, self.sink.fetch_commands)
            except Exception as exc:  # noqa: BLE001 - the sink's own error (e.g. database
                # locked) must not end command fetching for good: logged, tried again
                log.exception("fetch_commands failed")
                self.errors.append(
                    CommError(
                        self.clock(),
                        0,
                        None,
                        messages.COMMANDS_NOT_READ(detail=messages.detail_of(exc)),
                    )
                )
                commands = []
            if commands:
                self._accept_commands(commands)
            await asyncio.sleep(self.command_poll_s)

    def _accept_commands(self, commands: list[CommandRequest]) -> None:
        for command in commands:
            taken = (command.command_id, command.attempt)
            if taken in self._seen_commands:
                continue  # each attempt runs once: one already taken is never run again
            self._seen_commands[taken] = None
            if len(self._seen_commands) > 100_000:
                self._seen_commands.popitem(last=False)
            runtime = self._runtimes.get(command.channel_id)
            if runtime is None:
                reason = messages.CHANNEL_UNKNOWN(channel_id=command.channel_id)
                self.error(command.channel_id, command.address, reason)
                self.command_result(CommandResult(command.command_id, ok=False, reason=reason))
                continue
            runtime.run_command(command)

    # ------------------------------------- context for channels (channels.base.ChannelContext)
    def now(self) -> datetime:
        return self.clock()

    def log_frame(
        self,
        channel_id: int,
        direction: Direction,
        address: str | None,
        data: bytes,
        meaning: Meaning,
    ) -> None:
        """meaning: a callable that says it in a language when the frame is looked at."""
        if self.log_frames:
            self.frames.append(
                (self._frame_clock(), channel_id, address, direction, bytes(data), meaning)
            )

    def error(self, channel_id: int, address: str | None, message: messages.Reason) -> None:
        # the error log is where a clerk sees these; the Python log only for debugging
        # (20,000 meters behind a dead gateway must not flood stderr)
        (log.debug if address else log.info)(
            "channel %s meter %s: %s", channel_id, address, message
        )
        self.errors.append(CommError(self.clock(), channel_id, address, message))

    def reading(self, reading: MeterReading) -> None:
        self._out_readings.append(reading)
        self._schedule_flush()

    def command_result(self, result: CommandResult) -> None:
        self._out_results.append(result)
        self._schedule_flush()

    def identity_event(self, event: IdentityEvent) -> None:
        self._out_identities.append(event)
        self._schedule_flush()

    def channel_status(self, status: ChannelStatus) -> None:
        self._sink_pool.submit(self._deliver, self.sink.on_channel_status, status)

    def meter_answered(self, channel_id: int, address: str) -> None:
        key = (channel_id, address)
        with self._meters_lock:
            state = self._meters.get(key)
            if state is None:  # not setdefault: that would build a state for every reading
                state = self._meters[key] = _MeterState()
            changed = state.online is not True or state.error
            state.online, state.failures, state.error = True, 0, ""
            state.last_seen = self.clock()
            if changed:
                self._out_statuses.append(self._status(key, state))
        if changed:
            self._schedule_flush()

    def meter_failed(
        self, channel_id: int, address: str, reason: messages.Reason, offline_after: int
    ) -> None:
        key = (channel_id, address)
        self.error(channel_id, address, reason)
        with self._meters_lock:
            state = self._meters.setdefault(key, _MeterState())
            state.failures += 1
            was = (state.online, state.error)
            if state.failures >= max(1, offline_after):
                state.online = False
            state.error = reason
            changed = (state.online, state.error) != was
            if changed:
                self._out_statuses.append(self._status(key, state))
        if changed:
            self._schedule_flush()

    def is_offline(self, channel_id: int, address: str) -> bool:
        state = self._meters.get((channel_id, address))
        return state is not None and state.online is False

    @staticmethod
    def _status(key: tuple[int, str], state: _MeterState) -> MeterStatus:
        return MeterStatus(
            key[0], key[1], bool(state.online), state.failures, state.last_seen, state.error
        )

    # ------------------------------------------------------------------ delivery to the sink
    def _schedule_flush(self) -> None:
        if self._flush_handle is None and self._loop is not None:
            self._flush_handle = self._loop.call_later(self.flush_interval_s, self._flush)

    def _flush(self) -> None:
        self._flush_handle = None
        with self._meters_lock:
            statuses, self._out_statuses = self._out_statuses, []
        readings, self._out_readings = self._out_readings, []
        results, self._out_results = self._out_results, []
        identities, self._out_identities = self._out_identities, []
        if statuses:
            self._sink_pool.submit(self._deliver, self.sink.on_meter_status, statuses)
        if readings:
            self._sink_pool.submit(self._deliver, self.sink.on_readings, readings)
        if results:
            self._sink_pool.submit(self._deliver, self.sink.on_command_results, results)
        if identities:
            self._sink_pool.submit(self._deliver, self.sink.on_identity_events, identities)

    def _deliver(self, method, payload) -> None:
        try:
            method(payload)
        except Exception as exc:  # noqa: BLE001 - the sink's own failure (e.g. database
            # locked) is logged with its traceback; the poller goes on reading
            log.exception("sink %s failed", getattr(method, "__name__", method))
            self.errors.append(
                CommError(
                    self.clock(),
                    0,
                    None,
                    messages.RESULTS_NOT_SAVED(detail=messages.detail_of(exc)),
                )
            )
