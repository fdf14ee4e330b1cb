"""What every transport offers: a byte pipe that knows no protocol.

A transport moves bytes between the poller and a line (RS485 port, TCP connection, a
dialled-in 4G link, an in-memory pipe). It never looks inside them: framing, checksums
and meaning belong to the codecs in `app.comm.protocols`; the poller pairs the two.

All methods are coroutines for the poller's asyncio loop. `read()` returns whatever has
arrived (at least one byte) or b"" when nothing came within the timeout; a lost link
raises `LinkClosed`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable


class LinkError(Exception):
    """The line itself failed (cannot connect, port missing, connection dropped)."""


class LinkClosed(LinkError):
    """The other side closed the link or it was closed here."""


@runtime_checkable
class Transport(Protocol):
    name: str

    @property
    def is_open(self) -> bool: ...

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def write(self, data: bytes) -> None: ...

    async def read(self, timeout_s: float) -> bytes: ...

    def discard_input(self) -> bytes: ...


# the loop runs a timer up to one clock tick early (asyncio's own tolerance): a read due
# within a tick of now has timed out
_CLOCK_TICK_S = time.get_clock_info("monotonic").resolution


class ByteBuffer:
    """Bytes received but not yet read, with a wake-up for one waiting reader.

    Fed from the loop thread (protocol callbacks) or from another thread through
    `loop.call_soon_threadsafe(buffer.feed, data)`.

    The read timeout is one timer per buffer that outlives the read: a bus reads a reply
    every few ms with a 1 s timeout, and a timer made and cancelled per read (tens of
    thousands a cycle, each one an entry in the loop's heap) was a good part of the
    poller's CPU. When it fires before the current read's deadline it sets itself again
    for that deadline; a read with an earlier deadline than the timer gets its own.
    """

    __slots__ = ("_data", "_waiter", "_eof", "_max_bytes", "_deadline", "_timer")

    def __init__(self, max_bytes: int = 1 << 20) -> None:
        self._data = bytearray()
        self._waiter: asyncio.Future | None = None
        self._eof: BaseException | None = None
        self._max_bytes = max_bytes
        self._deadline = 0.0
        self._timer: asyncio.TimerHandle | None = None

    def feed(self, data: bytes) -> None:
        self._data += data
        if len(self._data) > self._max_bytes:
            # nobody reads this line: keep the newest bytes, the old ones are stale anyway
            del self._data[: len(self._data) - self._max_bytes]
        self._wake()

    def feed_eof(self, exc: BaseException | None = None) -> None:
        self._eof = exc or LinkClosed("link closed")
        self._wake()

    @property
    def at_eof(self) -> bool:
        return self._eof is not None

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _on_timer(self) -> None:
        self._timer = None
        waiter = self._waiter
        if waiter is None or waiter.done():
            return  # the read it was set for is over; the next read sets a timer if needed
        loop = waiter.get_loop()
        if loop.time() + _CLOCK_TICK_S >= self._deadline:
            waiter.set_result(None)
        else:
            self._timer = loop.call_at(self._deadline, self._on_timer)

    async def read(self, timeout_s: float) -> bytes:
        if not self._data:
            if self._eof is not None:
                raise self._eof
            loop = asyncio.get_running_loop()
            self._deadline = deadline = loop.time() + max(timeout_s, 0.0)
            timer = self._timer
            if timer is None or timer.when() > deadline:
                if timer is not None:
                    timer.cancel()
                self._timer = loop.call_at(deadline, self._on_timer)
            self._waiter = loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
            if not self._data:
                if self._eof is not None:
                    raise self._eof
                return b""
        data = bytes(self._data)
        self._data.clear()
        return data

    def discard(self) -> bytes:
        if not self._data:
            return b""
        data = bytes(self._data)
        self._data.clear()
        return data

    def __len__(self) -> int:
        return len(self._data)


class StreamProtocol(asyncio.Protocol):
    """asyncio protocol that hands everything received to a ByteBuffer, or to `receiver`
    once one is set (see SocketTransport.hand_over)."""

    def __init__(self, buffer: ByteBuffer, on_made=None) -> None:
        self.buffer = buffer
        self.receiver: Callable[[bytes], None] | None = None
        self.transport: asyncio.Transport | None = None
        self.closed = asyncio.get_running_loop().create_future()
        self._on_made = on_made

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        if self._on_made is not None:
            self._on_made()

    def data_received(self, data: bytes) -> None:
        receiver = self.receiver
        if receiver is None:
            self.buffer.feed(data)
        else:
            receiver(data)

    def eof_received(self) -> bool:
        self.buffer.feed_eof()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.buffer.feed_eof(LinkClosed(str(exc)) if exc else None)
        if not self.closed.done():
            self.closed.set_result(None)


class SocketTransport:
    """A connected TCP socket as a Transport (used by tcp_client and listener)."""

    def __init__(self, name: str, protocol: StreamProtocol) -> None:
        self.name = name
        self._protocol = protocol

    @property
    def peer(self) -> str:
        transport = self._protocol.transport
        peer = transport.get_extra_info("peername") if transport else None
        return f"{peer[0]}:{peer[1]}" if peer else "?"

    @property
    def is_open(self) -> bool:
        transport = self._protocol.transport
        return (
            transport is not None
            and not transport.is_closing()
            and not self._protocol.buffer.at_eof
        )

    async def open(self) -> None:
        if not self.is_open:
            raise LinkClosed(f"{self.name}: connection is closed")

    async def close(self) -> None:
        transport = self._protocol.transport
        if transport is not None and not transport.is_closing():
            transport.close()
        if transport is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._protocol.closed), 1.0)
            except TimeoutError:
                transport.abort()

    async def write(self, data: bytes) -> None:
        self.send(data)

    def send(self, data: bytes) -> None:
        """write() without the coroutine (the bytes are queued, never waited for)."""
        if not self.is_open:
            raise LinkClosed(f"{self.name}: connection is closed")
        self._protocol.transport.write(data)  # type: ignore[union-attr]

    async def read(self, timeout_s: float) -> bytes:
        return await self._protocol.buffer.read(timeout_s)

    def hand_over(self, receiver: Callable[[bytes], None]) -> bytes:
        """From now on the bytes received go straight to `receiver` (called from the
        loop, no reader task to wake) instead of read(); returns those not read yet."""
        self._protocol.receiver = receiver
        return self._protocol.buffer.discard()

    async def wait_closed(self) -> None:
        await asyncio.shield(self._protocol.closed)

    def discard_input(self) -> bytes:
        return self._protocol.buffer.discard()
