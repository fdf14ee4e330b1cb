"""Channel runtimes: how each kind of channel reaches its meters.

| kind          | lines (one worker each)               | transport                    |
|---------------|----------------------------------------|------------------------------|
| serial        | the RS485 bus on the COM port          | SerialLineTransport          |
| serial_server | the RS485 bus behind the gateway       | TcpClientTransport           |
| modbus_tcp    | the bus behind the gateway (MBAP)      | TcpClientTransport           |
| dtu           | the RS485 bus behind the DTU           | dialled-in link (dialin.py)  |
| acrel_4g      | one per meter (each meter dials in)    | dialled-in link (dialin.py)  |
| ctwing        | none: the platform caches, meters push | HTTP (ctwing.py)             |

`kinds.py` is the table of kinds the poller builds channels from. Reads and commands are
the same for all line kinds (`LineChannel`); only the way to get an open transport differs.
Meter comm state (online/offline) lives in the poller; line state (gateway down, DTU not
dialled in) is reported as ChannelStatus and never counts against the meters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import typing
from datetime import datetime
from functools import partial

from app.comm import messages
from app.comm.bus import (
    PRIORITY_COMMAND,
    PRIORITY_POLL,
    PRIORITY_READ_NOW,
    Bus,
    ChannelDown,
    NoAnswer,
)
from app.comm.drivers.base import CommandRejected, Driver, MeterRefused, UnsupportedAction
from app.comm.drivers.registry import driver_for
from app.comm.transports.base import Transport
from app.comm.types import (
    Action,
    ChannelConfig,
    ChannelKind,
    ChannelStatus,
    CommandRequest,
    CommandResult,
    Direction,
    IdentityEvent,
    Meaning,
    MeterEndpoint,
    MeterReading,
    Protocol,
)

log = logging.getLogger(__name__)


class ChannelContext(typing.Protocol):
    """What a channel needs from the poller that runs it (the poller is one): its clock, its
    logs, and where readings, results and meter and line states go. Channels know this, not
    the poller, so the poller can know every kind of channel and no kind knows the poller."""

    speed: float

    def now(self) -> datetime: ...

    def log_frame(
        self,
        channel_id: int,
        direction: Direction,
        address: str | None,
        data: bytes,
        meaning: Meaning,
    ) -> None: ...

    def error(self, channel_id: int, address: str | None, message: str) -> None: ...

    def reading(self, reading: MeterReading) -> None: ...

    def command_result(self, result: CommandResult) -> None: ...

    def identity_event(self, event: IdentityEvent) -> None: ...

    def channel_status(self, status: ChannelStatus) -> None: ...

    def meter_answered(self, channel_id: int, address: str) -> None: ...

    def meter_failed(
        self, channel_id: int, address: str, reason: str, offline_after: int
    ) -> None: ...

    def is_offline(self, channel_id: int, address: str) -> bool: ...


class ChannelRuntime:
    dial_in_grace_s = 0.0  # how long after start the first scheduled poll waits
    # the dial-in listener or push receiver it shares with other channels (the poller's
    # hubs), where it registered when built and unregisters when stopped
    hub: object | None = None

    def __init__(self, config: ChannelConfig, ctx: ChannelContext) -> None:
        self.config = config
        self.ctx = ctx
        self.endpoints = {m.address: m for m in config.meters}

    async def start(self) -> None: ...

    async def stop(self, reason: messages.Reason = messages.POLLER_STOPPED) -> None:
        """End the channel's work. Commands still queued or running end with `reason`:
        with POLLER_STOPPED (the whole poller stops) they get no result; with any other
        reason (the channel changed or went) they fail with it."""

    def buses(self) -> list[Bus]:
        return []

    def poll_all(self) -> None: ...

    def read_now(self, endpoint: MeterEndpoint) -> asyncio.Future:
        raise NotImplementedError

    def run_command(self, command: CommandRequest) -> None:
        raise NotImplementedError

    def listen_port(self) -> int:
        raise KeyError(f"channel {self.config.id} has no listener")

    def push_url(self) -> str:
        raise KeyError(f"channel {self.config.id} has no push endpoint")

    def fail_command(
        self, command: CommandRequest, reason: messages.Reason, reading: MeterReading | None = None
    ) -> None:
        self.ctx.error(self.config.id, command.address, reason)
        self.ctx.command_result(
            CommandResult(
                command.command_id,
                ok=False,
                reason=reason,
                relay_closed=reading.relay_closed if reading else None,
                valve_open=reading.valve_open if reading else None,
            )
        )


class LineChannel(ChannelRuntime):
    """Meters reached through byte lines, one transaction at a time per line."""

    framing = "rtu"

    def __init__(self, config: ChannelConfig, ctx: ChannelContext) -> None:
        super().__init__(config, ctx)
        self._drivers: dict[str, Driver] = {}
        self._queued_polls: set[str] = set()
        self._connected: bool | None = None
        # at most this many lines of the channel in a transaction at once (dial-in
        # channels have one line per meter: 4,000 requests in one burst would time out
        # in our own queue, not on the network)
        self.gate: asyncio.Semaphore | contextlib.nullcontext = contextlib.nullcontext()

    def driver(self, endpoint: MeterEndpoint) -> Driver:
        drv = self._drivers.get(endpoint.address)
        if drv is None:
            drv = self._drivers[endpoint.address] = self.make_driver(endpoint)
        return drv

    def make_driver(self, endpoint: MeterEndpoint) -> Driver:
        if endpoint.protocol in (Protocol.DLT645_2007, Protocol.DLT645_1997):
            from app.comm.drivers.dlt645 import relay_options

            return driver_for(endpoint, self.framing, **relay_options(self.config.settings))
        return driver_for(endpoint, self.framing)

    def bus_for(self, address: str) -> Bus:
        raise NotImplementedError

    async def start(self) -> None:
        for bus in self.buses():
            bus.start()

    async def stop(self, reason: messages.Reason = messages.POLLER_STOPPED) -> None:
        for bus in self.buses():
            await bus.stop(reason)

    def new_bus(self, name: str, get_transport) -> Bus:
        cid = self.config.id

        return Bus(name, get_transport, partial(self.ctx.log_frame, cid), self.on_link_state)

    def on_link_state(self, connected: bool, detail: messages.Reason | str) -> None:
        if connected != self._connected:
            self._connected = connected
            if not connected:
                self.ctx.error(self.config.id, None, messages.CHANNEL_DOWN_DETAIL(detail=detail))
            self.ctx.channel_status(ChannelStatus(self.config.id, connected, detail))

    # ------------------------------------------------------------------ reads
    def poll_all(self) -> None:
        for address, endpoint in self.endpoints.items():
            if address in self._queued_polls:
                continue  # still queued from the last cycle: do not read twice
            self._queued_polls.add(address)
            self.bus_for(address).put(
                PRIORITY_POLL, self._poll_job(endpoint), self._poll_cancelled(address)
            )

    def _poll_job(self, endpoint: MeterEndpoint):
        async def run(bus: Bus) -> None:
            self._queued_polls.discard(endpoint.address)
            async with self.gate:
                await self.read(bus, endpoint)

        return run

    def _poll_cancelled(self, address: str):
        return lambda reason: self._queued_polls.discard(address)

    def read_now(self, endpoint: MeterEndpoint) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        if endpoint.address not in self.endpoints:
            self.ctx.error(
                self.config.id, endpoint.address, messages.METER_UNKNOWN(address=endpoint.address)
            )
            future.set_result(None)
            return future
        endpoint = self.endpoints[endpoint.address]

        async def run(bus: Bus) -> None:
            async with self.gate:
                reading = await self.read(bus, endpoint)
            if not future.done():
                future.set_result(reading)

        def cancel(reason: messages.Reason) -> None:
            if not future.done():
                future.set_result(None)

        self.bus_for(endpoint.address).put(PRIORITY_READ_NOW, run, cancel)
        return future

    async def read(self, bus: Bus, endpoint: MeterEndpoint) -> MeterReading | None:
        result = await self.read_with_replies(bus, endpoint)
        return result[0] if result else None

    async def read_with_replies(
        self, bus: Bus, endpoint: MeterEndpoint
    ) -> tuple[MeterReading, dict] | None:
        cfg, ctx = self.config, self.ctx
        offline = ctx.is_offline(cfg.id, endpoint.address)
        retries = 0 if offline else cfg.retries  # an offline meter gets one try per cycle
        replies: dict[str, object] = {}
        try:
            driver = self.driver(endpoint)
            plan = driver.read_plan(endpoint)
            while plan:
                for exchange in plan:
                    replies[exchange.key] = await bus.transact(
                        driver, endpoint.address, exchange, timeout_s=cfg.timeout_s, retries=retries
                    )
                plan = driver.fallback_plan(endpoint, replies)
            reading = driver.to_reading(endpoint, replies, ctx.now())
        except NoAnswer as exc:
            ctx.meter_failed(cfg.id, endpoint.address, exc.reason, cfg.offline_after_failures)
            return None
        except ChannelDown as exc:
            ctx.error(
                cfg.id,
                endpoint.address,
                messages.CHANNEL_DOWN_DETAIL(detail=messages.detail_of(exc)),
            )
            return None
        except MeterRefused as exc:  # it answered, with a reason of its own
            ctx.meter_failed(cfg.id, endpoint.address, exc.reason, cfg.offline_after_failures)
            return None
        except ValueError as exc:  # a reply with a good checksum but content we cannot read
            ctx.meter_failed(
                cfg.id,
                endpoint.address,
                messages.BAD_REPLY_DETAIL(detail=messages.detail_of(exc)),
                cfg.offline_after_failures,
            )
            return None
        ctx.meter_answered(cfg.id, endpoint.address)
        ctx.reading(reading)
        return reading, replies

    # ------------------------------------------------------------------ commands
    def run_command(self, command: CommandRequest) -> None:
        endpoint = self.endpoints.get(command.address)
        if endpoint is None:
            self.fail_command(command, messages.METER_UNKNOWN(address=command.address))
            return

        async def run(bus: Bus) -> None:
            async with self.gate:
                await self.execute(bus, endpoint, command)

        def cancel(reason: messages.Reason) -> None:
            if reason == messages.POLLER_STOPPED:
                return  # never started: it stays pending in the command source for the next start
            self.ctx.command_result(CommandResult(command.command_id, ok=False, reason=reason))

        self.bus_for(endpoint.address).put(PRIORITY_COMMAND, run, cancel)

    async def execute(self, bus: Bus, endpoint: MeterEndpoint, command: CommandRequest) -> None:
        cfg, ctx = self.config, self.ctx
        try:
            driver = self.driver(endpoint)
        except ValueError as exc:
            self.fail_command(command, messages.BAD_REPLY_DETAIL(detail=messages.detail_of(exc)))
            return
        if command.action is Action.READ_NOW:
            reading = await self.read(bus, endpoint)
            if reading is None:
                self.fail_command(command, messages.NO_ANSWER)
            else:
                ctx.command_result(
                    CommandResult(
                        command.command_id,
                        ok=True,
                        relay_closed=reading.relay_closed,
                        valve_open=reading.valve_open,
                    )
                )
            return
        reason, reading = "", None
        for attempt in range(1 + max(0, cfg.retries)):
            try:
                for exchange in driver.command_plan(endpoint, command.action, ctx.now()):
                    reply = await bus.transact(
                        driver,
                        endpoint.address,
                        exchange,
                        timeout_s=cfg.timeout_s,
                        retries=cfg.retries,
                    )
                    driver.check_reply(endpoint, reply)
            except UnsupportedAction:
                self.fail_command(
                    command,
                    messages.ACTION_NOT_SUPPORTED(
                        action=messages.ACTION_WORDS.get(command.action, command.action.value)
                    ),
                )
                return
            except CommandRejected as exc:
                ctx.meter_answered(cfg.id, endpoint.address)
                self.fail_command(command, exc.reason)
                return
            except NoAnswer as exc:
                ctx.meter_failed(cfg.id, endpoint.address, exc.reason, cfg.offline_after_failures)
                self.fail_command(command, exc.reason)
                return
            except ChannelDown as exc:
                self.fail_command(
                    command, messages.CHANNEL_DOWN_DETAIL(detail=messages.detail_of(exc))
                )
                return
            ctx.meter_answered(cfg.id, endpoint.address)
            result = await self.read_with_replies(bus, endpoint)  # verify: read the state back
            if result is None:
                reason, reading = messages.VERIFY_UNREADABLE, None
                continue
            reading, replies = result
            problems = driver.verify(endpoint, command.action, replies, reading)
            if not problems:
                ctx.command_result(
                    CommandResult(
                        command.command_id,
                        ok=True,
                        relay_closed=reading.relay_closed,
                        valve_open=reading.valve_open,
                    )
                )
                return
            reason = messages.VERIFY_FAILED_DETAIL(
                expected=messages.EXPECTED_WORDS.get(command.action)
                or messages.ACTION_WORDS.get(command.action, command.action.value),
                actual=messages.RELAY_WORDS[reading.relay_closed],
                detail=messages.joined(problems),
            )
            log.info(
                "channel %s meter %s: %s, sending again (attempt %d)",
                cfg.id,
                endpoint.address,
                reason,
                attempt + 1,
            )
        self.fail_command(command, reason, reading)


class SingleLineChannel(LineChannel):
    """serial, serial_server, modbus_tcp: every meter of the channel is on one bus."""

    def __init__(self, config: ChannelConfig, ctx: ChannelContext, transport: Transport) -> None:
        super().__init__(config, ctx)
        self.transport = transport
        self.framing = "mbap" if config.kind is ChannelKind.MODBUS_TCP else "rtu"
        self.bus = self.new_bus(f"{config.id}:{transport.name}", self._get_transport)

    async def _get_transport(self) -> Transport:
        transport = self.transport
        if not transport.is_open:
            await transport.open()
        return transport

    def buses(self) -> list[Bus]:
        return [self.bus]

    def bus_for(self, address: str) -> Bus:
        return self.bus

    async def stop(self, reason: messages.Reason = messages.POLLER_STOPPED) -> None:
        await super().stop(reason)
        await self.transport.close()


def build_serial_channel(config: ChannelConfig, ctx: ChannelContext, hubs: dict) -> ChannelRuntime:
    """The RS485 bus on a COM port of this computer."""
    from app.comm.transports.serial_line import SerialLineTransport

    transport = SerialLineTransport(
        config.setting("port", required=True),
        int(config.setting("baud", 9600)),
        parity=str(config.setting("parity", "N")),
        bytesize=int(config.setting("bytesize", 8)),
        stopbits=float(config.setting("stopbits", 1)),
        silence_s=config.setting("silence_s"),
    )
    return SingleLineChannel(config, ctx, transport)


def build_gateway_channel(config: ChannelConfig, ctx: ChannelContext, hubs: dict) -> ChannelRuntime:
    """The RS485 bus behind a serial server or Modbus TCP gateway we connect to."""
    from app.comm.transports.tcp_client import TcpClientTransport

    transport = TcpClientTransport(
        config.setting("host", required=True),
        int(config.setting("port", required=True)),
        connect_timeout_s=float(config.setting("connect_timeout_s", 3.0)),
        backoff_initial_s=float(config.setting("backoff_initial_s", 1.0)),
        backoff_max_s=float(config.setting("backoff_max_s", 60.0)),
    )
    return SingleLineChannel(config, ctx, transport)


__all__ = [
    "ChannelContext",
    "ChannelRuntime",
    "LineChannel",
    "SingleLineChannel",
    "build_gateway_channel",
    "build_serial_channel",
]
