"""A simulated bus behind a pseudo-terminal: the poller opens the slave side as its COM port.

POSIX only (os.openpty). On Windows use a virtual COM-port pair (com0com) and point the
serial server simulator at it instead.
"""

from __future__ import annotations

import asyncio
import os
import tty

from app.comm.simulator.lines import BusSim, serve_stream


class PtyBusPort:
    def __init__(self, bus: BusSim) -> None:
        self.bus = bus
        self.path = ""
        self._master = -1
        self._slave = -1
        self._task: asyncio.Task | None = None
        self._queue: asyncio.Queue[bytes] = asyncio.Queue()

    async def start(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line discipline: bytes pass unchanged
        tty.setraw(self._master)
        self.path = os.ttyname(self._slave)
        os.set_blocking(self._master, False)
        loop = asyncio.get_running_loop()
        loop.add_reader(self._master, self._on_readable)
        self._task = loop.create_task(serve_stream(self.bus, self._queue.get, self._write))

    def _on_readable(self) -> None:
        try:
            data = os.read(self._master, 4096)
        except BlockingIOError:
            return
        except OSError:  # EIO: nobody has the slave side open right now
            data = b""
        if data:
            self._queue.put_nowait(data)

    def _write(self, data: bytes) -> None:
        os.write(self._master, data)

    async def stop(self) -> None:
        if self._master >= 0:
            asyncio.get_running_loop().remove_reader(self._master)
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1
