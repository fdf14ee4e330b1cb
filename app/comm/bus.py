"""One RS485 bus (or one dialled-in link): one transaction at a time, commands first.

A bus is half duplex: a second request while a meter is still answering garbles both.
So every line has exactly one worker task that takes jobs from a priority queue
(commands before polls, then first come first served) and runs each to the end:
write the request, read until the codec finds the matching reply or the timeout
passes, retry with back-off, log every frame and every skipped byte.

The worker knows the transport (bytes) and the driver (codec); it knows no protocol.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from app.comm import messages
from app.comm.drivers.base import Driver, Exchange
from app.comm.protocols.common import Garbage
from app.comm.transports.base import LinkError, Transport
from app.comm.types import Direction, Meaning, meaning_in
from app.words import QT_TRANSLATE_NOOP, Word

# what the line's frames mean, beside the codecs' own meanings
STALE_BYTES = Word(
    "comm.frame.stale_bytes",
    QT_TRANSLATE_NOOP("CommFrames", "{count} stale bytes dropped before the request"),
)
INCOMPLETE_REPLY = Word(
    "comm.frame.incomplete_reply",
    QT_TRANSLATE_NOOP("CommFrames", "timed out: incomplete reply, {count} bytes"),
)
BYTES_SKIPPED = Word(
    "comm.frame.bytes_skipped",
    QT_TRANSLATE_NOOP("CommFrames", "{count} bytes skipped (garbage or bad checksum): {why}"),
)
BYTES_AFTER_REPLY = Word(
    "comm.frame.bytes_after_reply",
    QT_TRANSLATE_NOOP("CommFrames", "{count} bytes more after the reply"),
)
RETRY = Word("comm.frame.retry", QT_TRANSLATE_NOOP("CommFrames", "{meaning} (retry {attempt})"))
NOT_OURS = Word(
    "comm.frame.not_ours",
    QT_TRANSLATE_NOOP("CommFrames", "not the reply to this request, ignored: {meaning}"),
)

log = logging.getLogger(__name__)

PRIORITY_COMMAND = 0
PRIORITY_READ_NOW = 1
PRIORITY_POLL = 2


class NoAnswer(Exception):
    """The meter did not answer (after all retries). `reason` says what the line carried
    instead, in the clerk's words: nothing, replies failing their checksum, or a reply
    from another address."""

    def __init__(self, reason: messages.Reason = messages.NO_ANSWER) -> None:
        super().__init__(reason)
        self.reason = reason


class ChannelDown(Exception):
    """The line itself is not usable (port, gateway, dial-in link); not the meter's fault."""


@dataclass(slots=True)
class Job:
    priority: int
    seq: int
    run: Callable[["Bus"], Awaitable[None]]
    cancel: Callable[[str], None] = lambda reason: None


class Bus:
    """The single worker of one line.

    `get_transport()` returns an open transport or raises LinkError (gateway down, DTU not
    dialled in). `log_frame(direction, address, data, meaning)` records a frame; meaning is
    a callable that says it in a language (a decoded reply is described only when looked at).
    """

    _seq = itertools.count()

    def __init__(
        self,
        name: str,
        get_transport: Callable[[], Awaitable[Transport]],
        log_frame: Callable[[Direction, str | None, bytes, str | Callable[[], str]], None],
        on_link_state: Callable[[bool, str], None] = lambda connected, detail: None,
    ) -> None:
        self.name = name
        self._get_transport = get_transport
        self._log_frame = log_frame
        self._on_link_state = on_link_state
        # (priority, seq, job): tuples compare in C, a dataclass's __lt__ in Python
        self._queue: asyncio.PriorityQueue[tuple[int, int, Job]] = asyncio.PriorityQueue()
        self._task: asyncio.Task | None = None
        self._stop_reason = messages.POLLER_STOPPED
        self.busy = False  # a transaction is on the wire
        self.transactions = 0
        self.overlaps = 0  # must stay 0: a second transaction started while one ran
        self.link_up: bool | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._work(), name=f"bus {self.name}")

    async def stop(self, reason: messages.Reason = messages.POLLER_STOPPED) -> None:
        """End the worker; the job it was running and every queued job are cancelled with
        `reason`."""
        self._stop_reason = reason
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        while not self._queue.empty():
            self._queue.get_nowait()[2].cancel(reason)

    def put(self, priority: int, run: Callable[["Bus"], Awaitable[None]], cancel=None) -> None:
        job = Job(priority, next(self._seq), run, cancel or (lambda reason: None))
        self._queue.put_nowait((job.priority, job.seq, job))

    @property
    def queued(self) -> int:
        return self._queue.qsize()

    async def _work(self) -> None:
        while True:
            _, _, job = await self._queue.get()
            try:
                await job.run(self)
            except asyncio.CancelledError:
                job.cancel(self._stop_reason)
                raise
            except (LinkError, ChannelDown, NoAnswer) as exc:
                # jobs handle their own failures; this only guards the worker
                log.warning("bus %s: job ended with %s", self.name, exc)
            except Exception:  # noqa: BLE001 - the worker's boundary: a bug in one job
                # must not silence the whole bus; logged with its traceback, job failed
                log.exception("bus %s: job failed", self.name)
                job.cancel(messages.INTERNAL_ERROR)

    def _set_link(self, up: bool, detail: messages.Reason | str) -> None:
        if self.link_up != up:
            self.link_up = up
            self._on_link_state(up, detail)

    async def transport(self) -> Transport:
        try:
            transport = await self._get_transport()
        except LinkError as exc:
            self._set_link(False, messages.detail_of(exc))
            raise ChannelDown(messages.detail_of(exc)) from exc
        self._set_link(True, "")
        return transport

    async def transact(
        self,
        driver: Driver,
        address: str,
        exchange: Exchange,
        *,
        timeout_s: float,
        retries: int,
        backoff_s: float = 0.05,
    ) -> object:
        """Send `exchange.request` and return the decoded reply that answers it.

        Raises NoAnswer after 1 + retries attempts, ChannelDown when the line is gone.
        """
        if self.busy:
            self.overlaps += 1
            log.error("bus %s: overlapping transaction for %s", self.name, address)
        self.busy = True
        heard: dict[str, str] = {}  # what came instead of the reply, over all attempts
        try:
            for attempt in range(1 + max(0, retries)):
                if attempt:
                    await asyncio.sleep(min(backoff_s * (2 ** (attempt - 1)), 2.0))
                transport = await self.transport()
                stale = transport.discard_input()
                if stale:
                    self._log_frame(
                        Direction.RX,
                        None,
                        stale,
                        STALE_BYTES(count=len(stale)).say,
                    )
                try:
                    await transport.write(exchange.request)
                except LinkError as exc:
                    self._set_link(False, messages.detail_of(exc))
                    raise ChannelDown(messages.detail_of(exc)) from exc
                self.transactions += 1
                meaning: Meaning = (
                    meaning_in(RETRY, exchange.meaning, attempt=attempt)
                    if attempt
                    else exchange.meaning
                )
                self._log_frame(
                    Direction.TX,
                    address,
                    exchange.request if exchange.logged is None else exchange.logged,
                    meaning,
                )
                reply = await self._receive(transport, driver, address, exchange, timeout_s, heard)
                if reply is not None:
                    return reply
            if "other" in heard:
                raise NoAnswer(messages.WRONG_ADDRESS(address=address, other=heard["other"]))
            if "checksum" in heard:
                raise NoAnswer(messages.BAD_CHECKSUM_DETAIL(detail=heard["checksum"]))
            raise NoAnswer(messages.NO_ANSWER)
        finally:
            self.busy = False

    async def _receive(
        self,
        transport: Transport,
        driver: Driver,
        address: str,
        exchange: Exchange,
        timeout_s: float,
        heard: dict[str, str],
    ) -> object | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        buf = b""
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                if buf:
                    self._log_frame(
                        Direction.RX,
                        address,
                        buf,
                        INCOMPLETE_REPLY(count=len(buf)).say,
                    )
                return None
            try:
                data = await transport.read(remaining)
            except LinkError as exc:
                self._set_link(False, messages.detail_of(exc))
                raise ChannelDown(messages.detail_of(exc)) from exc
            if not data:
                continue
            buf += data
            while buf:
                used, message = driver.decode(buf)
                if used <= 0:
                    break
                frame, buf = buf[:used], buf[used:]
                if message is None or isinstance(message, Garbage):
                    why = message.reason if message is not None else "garbage"
                    if "CRC" in why or "checksum" in why:
                        heard["checksum"] = why
                    self._log_frame(
                        Direction.RX,
                        address,
                        frame,
                        BYTES_SKIPPED(count=len(frame), why=why).say,
                    )
                    continue
                if exchange.expect(message):
                    self._log_frame(Direction.RX, address, frame, partial(driver.describe, message))
                    if buf:
                        self._log_frame(
                            Direction.RX,
                            address,
                            buf,
                            BYTES_AFTER_REPLY(count=len(buf)).say,
                        )
                    return message
                self._log_frame(
                    Direction.RX,
                    None,
                    frame,
                    meaning_in(NOT_OURS, partial(driver.describe, message)),
                )
                sender = _sender(message)
                if sender is not None and str(sender) != (exchange.sender or address):
                    heard["other"] = str(sender)


def _sender(message: object) -> object | None:
    """The address a decoded reply comes from (DL/T 645 address, Modbus slave id)."""
    inner = getattr(message, "message", message)  # a Modbus TCP frame carries the RTU message
    return getattr(inner, "address", getattr(inner, "slave", None))
