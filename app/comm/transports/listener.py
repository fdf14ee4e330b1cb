"""TCP server that dialling-in devices connect to: Acrel 4G meters and transparent DTUs.

A device is known by what it says in its registration packet, never by its IP address
(mobile networks change it and NAT hides it). The listener only accepts connections and
hands each one, as a Transport, to `on_connection`; the protocol-aware side (the poller's
dial-in links) reads the registration and then calls `registry.bind(identity, link)`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from app.comm.transports.base import ByteBuffer, SocketTransport, StreamProtocol

log = logging.getLogger(__name__)


class DialInRegistry:
    """Live links by device identity; a device that dials in again replaces its old link."""

    def __init__(self) -> None:
        self._links: dict[str, object] = {}
        self._waiters: dict[str, list[asyncio.Future]] = {}

    def bind(self, identity: str, link: object) -> object | None:
        """Register `link` for `identity`; returns the link it replaced, if any."""
        old = self._links.get(identity)
        self._links[identity] = link
        for waiter in self._waiters.pop(identity, []):
            if not waiter.done():
                waiter.set_result(link)
        return old if old is not link else None

    def unbind(self, identity: str, link: object) -> bool:
        if self._links.get(identity) is link:
            del self._links[identity]
            return True
        return False

    def get(self, identity: str) -> object | None:
        return self._links.get(identity)

    def identities(self) -> list[str]:
        return list(self._links)

    async def wait_for(self, identity: str, timeout_s: float) -> object | None:
        link = self._links.get(identity)
        if link is not None:
            return link
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(identity, []).append(waiter)
        try:
            return await asyncio.wait_for(waiter, timeout_s)
        except TimeoutError:
            return None
        finally:
            waiters = self._waiters.get(identity)
            if waiters and waiter in waiters:
                waiters.remove(waiter)


class Listener:
    """Accepts TCP connections on host:port (port 0 = any free port, see `bound_port`)."""

    def __init__(
        self,
        host: str,
        port: int,
        on_connection: Callable[[SocketTransport], Awaitable[None]],
        *,
        name: str = "",
    ) -> None:
        self.host, self.port = host, int(port)
        self.name = name or f"listen:{host}:{port}"
        self._on_connection = on_connection
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()
        self._links: set[SocketTransport] = set()

    @property
    def bound_port(self) -> int:
        if self._server is None or not self._server.sockets:
            return self.port
        return self._server.sockets[0].getsockname()[1]

    @property
    def connection_count(self) -> int:
        return len(self._links)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, self.host, self.port, backlog=4096)

    def _protocol(self) -> StreamProtocol:
        link: SocketTransport
        protocol = StreamProtocol(ByteBuffer(), on_made=lambda: self._spawn(link))
        link = SocketTransport(f"{self.name}<-", protocol)
        return protocol

    def _spawn(self, link: SocketTransport) -> None:
        link.name = f"{self.name}<-{link.peer}"
        self._links.add(link)
        task = asyncio.get_running_loop().create_task(self._run(link))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, link: SocketTransport) -> None:
        try:
            await self._on_connection(link)
        finally:
            self._links.discard(link)
            await link.close()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for link in list(self._links):
            await link.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
