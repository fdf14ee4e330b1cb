"""TCP connection that we open: serial servers (RS485 <-> TCP) and Modbus TCP gateways.

The same bytes as on the RS485 line go over the connection. When the connection fails,
`open()` retries no sooner than the current back-off (doubling from `backoff_initial_s`
to `backoff_max_s`), so a dead gateway is not hammered and a poll cycle does not stall on
connect timeouts for every meter behind it.
"""

from __future__ import annotations

import asyncio
import time

from app.comm.transports.base import (
    ByteBuffer,
    LinkClosed,
    LinkError,
    SocketTransport,
    StreamProtocol,
)


class TcpClientTransport:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        name: str = "",
        connect_timeout_s: float = 3.0,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 60.0,
        monotonic=time.monotonic,
    ) -> None:
        self.host, self.port = host, int(port)
        self.name = name or f"tcp:{host}:{port}"
        self.connect_timeout_s = connect_timeout_s
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self._monotonic = monotonic
        self._link: SocketTransport | None = None
        self._backoff_s = 0.0
        self._next_attempt = 0.0
        self.last_error = ""

    @property
    def is_open(self) -> bool:
        return self._link is not None and self._link.is_open

    @property
    def retry_in_s(self) -> float:
        return max(0.0, self._next_attempt - self._monotonic())

    async def open(self) -> None:
        """Connect if not connected; raises LinkError while down or within back-off."""
        if self.is_open:
            return
        if self._link is not None:
            await self._link.close()
            self._link = None
        now = self._monotonic()
        if now < self._next_attempt:
            raise LinkError(
                f"{self.name}: {self.last_error} (retry in {self._next_attempt - now:.1f} s)"
            )
        loop = asyncio.get_running_loop()
        buffer = ByteBuffer()
        try:
            _, protocol = await asyncio.wait_for(
                loop.create_connection(lambda: StreamProtocol(buffer), self.host, self.port),
                self.connect_timeout_s,
            )
        except (OSError, TimeoutError) as exc:
            self._backoff_s = min(
                self.backoff_max_s, max(self.backoff_initial_s, self._backoff_s * 2)
            )
            self._next_attempt = self._monotonic() + self._backoff_s
            self.last_error = f"cannot connect: {exc or 'timeout'}"
            raise LinkError(f"{self.name}: {self.last_error}") from exc
        self._link = SocketTransport(self.name, protocol)
        self._backoff_s = 0.0
        self._next_attempt = 0.0
        self.last_error = ""

    async def close(self) -> None:
        if self._link is not None:
            await self._link.close()
            self._link = None

    async def write(self, data: bytes) -> None:
        if self._link is None:
            raise LinkClosed(f"{self.name}: not connected")
        await self._link.write(data)

    async def read(self, timeout_s: float) -> bytes:
        if self._link is None:
            raise LinkClosed(f"{self.name}: not connected")
        return await self._link.read(timeout_s)

    def discard_input(self) -> bytes:
        return self._link.discard_input() if self._link is not None else b""
