"""In-memory pipe pair for tests: what one end writes, the other end reads.

`pipe_pair()` gives two connected transports, like a null-modem cable. Both must be used
from the same asyncio loop.
"""

from __future__ import annotations

from app.comm.transports.base import ByteBuffer, LinkClosed


class NullTransport:
    def __init__(self, name: str) -> None:
        self.name = name
        self._inbox = ByteBuffer()
        self.peer: NullTransport | None = None
        self._open = True
        self.written: list[bytes] = []  # everything written, for assertions

    @property
    def is_open(self) -> bool:
        return self._open

    async def open(self) -> None:
        if not self._open:
            raise LinkClosed(f"{self.name}: pipe is closed")

    async def close(self) -> None:
        if self._open:
            self._open = False
            self._inbox.feed_eof()
            if self.peer is not None:
                self.peer._inbox.feed_eof()

    async def write(self, data: bytes) -> None:
        if not self._open or self.peer is None:
            raise LinkClosed(f"{self.name}: pipe is closed")
        self.written.append(bytes(data))
        self.peer._inbox.feed(bytes(data))

    async def read(self, timeout_s: float) -> bytes:
        return await self._inbox.read(timeout_s)

    def discard_input(self) -> bytes:
        return self._inbox.discard()


def pipe_pair(name: str = "null") -> tuple[NullTransport, NullTransport]:
    a, b = NullTransport(f"{name}:a"), NullTransport(f"{name}:b")
    a.peer, b.peer = b, a
    return a, b
