"""Simulated RS485 buses and what connects to them (serial server port, pty, DTU).

A `BusSim` is a half-duplex line with several meters at one baud rate. Bytes reach it
through a `serve_stream` loop (a TCP connection to a serial server, a pty, a DTU link):
requests are cut out with the codec (hunting past garbage), the addressed meter answers,
and the answer leaves after the time the line really needs:

    request on the wire (len × 10 bits / baud) + turnaround + answer on the wire

A request that arrives while the line is still busy with the previous transaction is a
collision: counted in `collisions` (tests assert it stays 0) and answered late, as the
meters would hear it only after the line is free.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from app.comm.protocols.common import Garbage
from app.comm.simulator.misbehave import Mode, damage
from app.comm.simulator.timetable import timetable

log = logging.getLogger(__name__)

BITS_PER_BYTE = 10  # start + 8 data + stop (8N1); the bench's lower bound uses the same


def wire_time_s(n_bytes: int, baud: int) -> float:
    return n_bytes * BITS_PER_BYTE / baud


class LineCodec(Protocol):
    """Device-side framing of one bus: decode requests, encode answers."""

    def decode_request(self, buf: bytes) -> tuple[int, object | None]: ...

    def key(self, request: object) -> str: ...

    def message(self, request: object) -> object:
        """What the device sees (MBAP: the message inside the TCP frame)."""

    def wire_len(self, n_bytes: int) -> int:
        """Bytes this frame takes on the RS485 side (MBAP: no header, plus CRC)."""

    def encode(self, request: object, answer: object) -> bytes: ...


class Device(Protocol):
    """One meter on a bus: an answer message (or None for silence) per request."""

    key: str
    faults: object  # misbehave.Faults

    def answer(self, request: object) -> object | None: ...


@dataclass(slots=True)
class Answer:
    data: bytes
    delay_s: float  # from the moment the request was fully received


class BusSim:
    def __init__(
        self,
        name: str,
        codec: LineCodec,
        *,
        baud: int = 9600,
        turnaround_s: float = 0.005,
        seed: int = 0,
    ) -> None:
        self.name = name
        self.codec = codec
        self.baud = baud
        self.turnaround_s = turnaround_s
        self.devices: dict[str, Device] = {}
        self.collisions = 0
        self.transactions = 0
        self.wire_busy_s = 0.0  # total time the line carried frames
        self._busy_until = 0.0
        self._rnd = random.Random(seed)

    def add(self, device: Device) -> None:
        self.devices[device.key] = device

    def exchange(self, request: object, request_len: int, now: float) -> Answer | None:
        """The answer to one request received at loop time `now`, with its delay."""
        if now < self._busy_until - 1e-4:
            self.collisions += 1
            log.warning("%s: request while the line is busy (collision)", self.name)
        start = max(now, self._busy_until)
        t_request = wire_time_s(self.codec.wire_len(request_len), self.baud)
        device = self.devices.get(self.codec.key(request))
        answer = None
        mode = None
        if device is not None:
            mode = device.faults.current()
            if mode not in (Mode.NO_ANSWER, Mode.OFFLINE):
                answer = device.answer(self.codec.message(request))
        self.transactions += 1
        if answer is None:
            self._busy_until = start + t_request
            self.wire_busy_s += t_request
            return None
        data = self.codec.encode(request, answer)
        if mode in (Mode.BAD_CRC, Mode.GARBLED):
            data = damage(data, mode, self._rnd)
        t_answer = wire_time_s(self.codec.wire_len(len(data)), self.baud)
        end = start + t_request + self.turnaround_s + t_answer
        self._busy_until = end
        self.wire_busy_s += t_request + t_answer
        delay = end - now
        if mode is Mode.SLOW:
            delay += device.faults.slow_s
        return Answer(data, delay)


class LineServer:
    """The meters' side of one connection to a bus: requests are cut out of the bytes as
    they come (`feed`, called from the loop), and each answer leaves after its wire time.

    `strip` removes link-level extras (DTU heartbeats) before decoding.
    """

    def __init__(
        self,
        bus: BusSim,
        write: Callable[[bytes], None],
        *,
        strip: Callable[[bytes], bytes] | None = None,
    ) -> None:
        self.bus = bus
        self._write = write
        self._strip = strip
        self._buf = b""
        self._loop = asyncio.get_running_loop()
        self._timetable = timetable()

    def feed(self, data: bytes) -> None:
        if self._strip is not None:
            data = self._strip(data)
        buf = self._buf + data
        bus, loop = self.bus, self._loop
        while buf:
            used, request = bus.codec.decode_request(buf)
            if used <= 0:
                break
            frame_len, buf = used, buf[used:]
            if request is None or isinstance(request, Garbage):
                continue  # a real meter ignores what it cannot parse
            answer = bus.exchange(request, frame_len, loop.time())
            if answer is not None:
                self._timetable.call_later(
                    max(0.0, answer.delay_s), _write_quietly, self._write, answer.data
                )
        self._buf = buf


async def serve_stream(
    bus: BusSim,
    read: Callable[[], Awaitable[bytes]],
    write: Callable[[bytes], None],
    *,
    strip: Callable[[bytes], bytes] | None = None,
) -> None:
    """Answer requests arriving through `read()` (b"" = closed) on `bus` via `write()`."""
    server = LineServer(bus, write, strip=strip)
    while True:
        data = await read()
        if not data:
            return
        server.feed(data)


def _write_quietly(write: Callable[[bytes], None], data: bytes) -> None:
    try:
        write(data)
    except (ConnectionError, OSError, RuntimeError) as exc:  # the client went away meanwhile
        log.debug("answer dropped: %s", exc)


class _BusConnection(asyncio.Protocol):
    """One TCP connection to a serial server: bytes straight to the bus's LineServer (no
    stream reader task between: one wake-up less per request)."""

    def __init__(self, server: TcpBusServer) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.line: LineServer | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        if self.server.offline:
            transport.close()
            return
        self.server._transports.add(transport)
        self.line = LineServer(self.server.bus, self._write)

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def data_received(self, data: bytes) -> None:
        if self.line is not None:
            self.line.feed(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server._transports.discard(self.transport)


class TcpBusServer:
    """A serial server: TCP port -> RS485 bus. Port 0 = any free port."""

    def __init__(self, bus: BusSim, host: str = "127.0.0.1", port: int = 0) -> None:
        self.bus, self.host, self.port = bus, host, port
        self._server: asyncio.Server | None = None
        self._transports: set[asyncio.BaseTransport] = set()
        self.offline = False  # the whole serial server is unplugged

    @property
    def bound_port(self) -> int:
        return self._server.sockets[0].getsockname()[1] if self._server else self.port

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _BusConnection(self), self.host, self.port, backlog=256
        )
        self.port = self.bound_port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for transport in list(self._transports):
            transport.close()
