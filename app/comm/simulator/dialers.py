"""Simulated devices that dial in: Acrel 4G meters and transparent DTUs.

Both connect to the program's listener, register, send heartbeats, redial with back-off
when the connection drops, and answer what comes down the line. A 4G meter also uploads
its Map-B block (0x91) every `upload_interval_s` real seconds; a DTU forwards bytes to
its simulated RS485 bus, with the bus's real timing.

Heartbeats, uploads and 4G replies go through the loop's `Timetable` (one timer for
all), and a 4G meter answers from its protocol callback: thousands of meters, no task
or loop timer each.
"""

from __future__ import annotations

import asyncio
import logging
import random

from app.comm.protocols import acrel4g
from app.comm.protocols import dtu as dtu_codec
from app.comm.protocols import modbus_rtu as mb
from app.comm.simulator.devices import AcrelModbusDevice, KnownReads
from app.comm.simulator.lines import BusSim, serve_stream
from app.comm.simulator.misbehave import Faults, Mode, damage
from app.comm.simulator.timetable import timetable

log = logging.getLogger(__name__)

DEFAULT_DTU_REGISTER = "ascii:DTU:{id}\\r\\n"  # the same defaults as app.comm.channels.dialin
DEFAULT_DTU_HEARTBEAT = "ascii:HB\\r\\n"


class Dialer:
    """Connect, run a session, redial after a drop (or after an `offline` fault ends)."""

    def __init__(self, name: str, host: str, port: int, faults: Faults) -> None:
        self.name, self.host, self.port = name, host, port
        self.faults = faults
        self.registered = asyncio.Event()
        self._went_offline = asyncio.Event()
        faults.listeners.append(self._fault_changed)
        self.connections = 0
        self._task: asyncio.Task | None = None
        self._writer: asyncio.StreamWriter | asyncio.Transport | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"dialer {self.name}")

    async def stop(self) -> None:
        if self._fault_changed in self.faults.listeners:
            self.faults.listeners.remove(self._fault_changed)
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._writer is not None:
            self._writer.close()

    def _fault_changed(self) -> None:
        if self.faults.current() is Mode.OFFLINE:
            self._went_offline.set()

    def hang_up(self) -> None:
        if self._writer is not None:
            self._writer.close()

    async def _run(self) -> None:
        backoff = 0.2
        while True:
            while self.faults.current() is Mode.OFFLINE:
                await asyncio.sleep(0.1)
            try:
                reader, writer = await self._dial()
            except OSError as exc:
                log.debug("%s: cannot dial %s:%s: %s", self.name, self.host, self.port, exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            backoff = 0.2
            self._writer = writer
            self.connections += 1
            try:
                await self.session(reader, writer)
            except (ConnectionError, OSError) as exc:
                log.debug("%s: connection lost: %s", self.name, exc)
            finally:
                self.registered.clear()
                writer.close()
                self._writer = None
            await asyncio.sleep(0.1)

    async def _dial(self):
        """(reader, writer) of a new connection to the listener."""
        return await asyncio.open_connection(self.host, self.port)

    async def session(self, reader, writer) -> None:
        raise NotImplementedError

    async def _watch_offline(self, writer) -> None:
        """Hang up when told to go offline (the redial waits until the fault ends)."""
        self._went_offline.clear()
        if self.faults.current() is not Mode.OFFLINE:
            await self._went_offline.wait()
        writer.close()


class Acrel4GMeterSim(Dialer):
    def __init__(
        self,
        serial: str,
        iccid: str,
        device: AcrelModbusDevice,
        host: str,
        port: int,
        *,
        heartbeat_s: float = 60.0,
        upload_interval_s: float = 1800.0,
        latency_s: float = 0.02,
    ) -> None:
        super().__init__(f"4G {serial}", host, port, device.faults)
        self.serial, self.iccid, self.device = serial, iccid, device
        self.heartbeat_s, self.upload_interval_s, self.latency_s = (
            heartbeat_s,
            upload_interval_s,
            latency_s,
        )
        self._rnd = random.Random(serial)
        self.uploads = 0
        # firmware variants met in the field (acrel4g module doc), off = the book's way
        self.serial_only_write_ack = False  # a write answered with the 20-byte serial only
        self.upload_crc = True  # False: the upload's Modbus reply goes without its CRC
        self.tariffs = 4  # 8: the 0x90-byte upload, clock at byte 80 without the weekday

    async def _dial(self):
        _, line = await asyncio.get_running_loop().create_connection(
            lambda: _MeterLine(self), self.host, self.port
        )
        return line, line.transport

    async def session(self, reader: _MeterLine, writer: asyncio.Transport) -> None:
        register = acrel4g.Register(
            self.serial,
            self.iccid,
            25,
            ("0102", "0100", "0001"),
            max(1, int(self.upload_interval_s // 60)) % 256,
        ).encode()
        writer.write(register)
        table = timetable()
        table.call_later(self.heartbeat_s, self._heartbeat, writer)
        # spread the first upload over the interval so 4,000 meters do not report at once
        table.call_later(self._rnd.uniform(0, self.upload_interval_s), self._upload, writer)
        watch = asyncio.create_task(self._watch_offline(writer))
        try:
            await reader.closed  # the requests are answered by reader.data_received
        finally:
            watch.cancel()

    def _handle(self, message, writer) -> None:
        if isinstance(message, acrel4g.Ack) and message.command == acrel4g.REGISTER:
            self.registered.set()
        elif isinstance(message, acrel4g.Downlink):
            try:
                request = message.request()
            except ValueError:  # ProtocolError: a damaged request is ignored, like on RS485
                return
            self.answer(request, writer)

    def answer(self, request: mb.Message, writer) -> None:
        mode = self.faults.current()
        if mode in (Mode.NO_ANSWER, Mode.OFFLINE):
            return
        answer = self.device.answer(request)
        if answer is None:
            return
        if self.serial_only_write_ack and isinstance(answer, mb.WriteResponse):
            frame = acrel4g.Downlink(b"", self.serial).encode()
        else:
            frame = acrel4g.downlink_reply(mb.encode_rtu(answer))
        if mode in (Mode.BAD_CRC, Mode.GARBLED):
            frame = damage(frame, mode, self._rnd)
        delay = self.latency_s + (self.faults.slow_s if mode is Mode.SLOW else 0.0)
        timetable().call_later(delay, _write, writer, frame)

    def _heartbeat(self, writer: asyncio.Transport) -> None:
        if writer.is_closing():
            return  # that session is over; the next one keeps its own beat
        writer.write(acrel4g.Heartbeat(self.serial.encode()).encode())
        timetable().call_later(self.heartbeat_s, self._heartbeat, writer)

    def upload_frame(self) -> bytes:
        block = self.device.profile.blocks[acrel4g.UPLOAD_BLOCK]
        image = self.device.registers()
        words = [image[r] for r in range(block.start, block.end)]
        if self.tariffs == 8:
            words = self._eight_tariff(words)
        response = mb.encode_rtu(mb.ReadResponse(1, tuple(words)))
        if not self.upload_crc:
            response = response[:-2]
        return acrel4g.data_upload([("1", response)], self.serial)

    def _eight_tariff(self, words: list[int]) -> list[int]:
        """The 0x90-byte upload of an 8-tariff meter: the same energies and money, the
        clock at byte 80 as YY MM DD hh mm ss (no weekday), tariffs 5-8 from byte 96."""
        data = bytearray(b"".join(w.to_bytes(2, "big") for w in words))
        yy, mo, dd, _weekday, hh, mi, ss = data[acrel4g.CLOCK_AT : acrel4g.CLOCK_AT + 7]
        data[acrel4g.CLOCK_AT : acrel4g.CLOCK_AT + 7] = bytes([yy, mo, dd, hh, mi, ss, 0])
        data += bytes(acrel4g.UPLOAD_8_TARIFF - len(data))
        return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]

    def _upload(self, writer: asyncio.Transport) -> None:
        if writer.is_closing():
            return
        if self.faults.current() not in (Mode.NO_ANSWER, Mode.OFFLINE):
            writer.write(self.upload_frame())
            self.uploads += 1
        timetable().call_later(self.upload_interval_s, self._upload, writer)


class _MeterLine(asyncio.Protocol):
    """A 4G meter's connection: frames are answered as they arrive."""

    def __init__(self, meter: Acrel4GMeterSim) -> None:
        self.meter = meter
        self.transport: asyncio.Transport | None = None
        self.closed = asyncio.get_running_loop().create_future()
        self._buf = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self._buf:
            used, request = _known_downlink_read(data)
            if used:
                self.meter.answer(request, self.transport)
                return
        buf = self._buf + data
        while buf:
            used, message = acrel4g.decode(buf)
            if used <= 0:
                break
            buf = buf[used:]
            self.meter._handle(message, self.transport)
        self._buf = buf

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


def _downlink_read(frame: bytes) -> tuple[int, object]:
    """(len(frame), request) when the frame is exactly one downlink with a valid request."""
    used, message = acrel4g.decode(frame)
    if used == len(frame) and isinstance(message, acrel4g.Downlink):
        try:
            return used, message.request()
        except ValueError:
            pass
    return 0, None


_known_downlink_read = KnownReads(_downlink_read)


def _write(writer: asyncio.StreamWriter | asyncio.Transport, data: bytes) -> None:
    if not writer.is_closing():
        writer.write(data)


class DtuSim(Dialer):
    def __init__(
        self,
        dtu_id: str,
        bus: BusSim,
        host: str,
        port: int,
        *,
        heartbeat_s: float = 60.0,
        register: str = DEFAULT_DTU_REGISTER,
        heartbeat: str = DEFAULT_DTU_HEARTBEAT,
    ) -> None:
        super().__init__(f"DTU {dtu_id}", host, port, Faults())
        self.dtu_id, self.bus, self.heartbeat_s = dtu_id, bus, heartbeat_s
        self.format = dtu_codec.DtuFormat.from_settings(
            {"register": register, "heartbeat": heartbeat}
        )

    async def session(self, reader, writer) -> None:
        writer.write(self.format.register.build(self.dtu_id))
        self.registered.set()
        timetable().call_later(self.heartbeat_s, self._heartbeat, writer)
        watch = asyncio.create_task(self._watch_offline(writer))

        async def read() -> bytes:
            return await reader.read(4096)

        try:
            await serve_stream(self.bus, read, lambda data: _write(writer, data))
        finally:
            watch.cancel()

    def _heartbeat(self, writer: asyncio.StreamWriter) -> None:
        if writer.is_closing():
            return
        if (
            asyncio.get_running_loop().time() >= self.bus._busy_until
        ):  # only on an idle line, like real DTUs
            _write(writer, self.format.heartbeat.build())
        timetable().call_later(self.heartbeat_s, self._heartbeat, writer)
