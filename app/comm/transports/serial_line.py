"""RS485 line on a local serial port (COM3 on Windows, /dev/ttyUSB0 or a pty elsewhere).

pyserial is blocking, so one reader thread per port feeds the received bytes into the
loop (`call_soon_threadsafe`); that works the same on Windows and POSIX. Writes are
short (a request frame) and go through a worker thread so the loop never blocks on a
stuck USB adapter.

Half duplex needs silence between frames: `write()` waits until `silence_s` has passed
since the last byte seen on the line in either direction (Modbus RTU: 3.5 character
times, at least 1.75 ms above 19200 baud).
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
import time
import unicodedata

import serial

from app.comm.transports.base import ByteBuffer, LinkClosed, LinkError

PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}


_COM = re.compile(r"(?:\\\\\.\\)?COM(\d+):?", re.IGNORECASE)


def port_name(typed: str) -> str:
    r"""A COM port as a clerk may type it, in Windows' own spelling: "com3", " COM 10 ", COM3
    in a Chinese input method's full-width letters, "COM3:" and "\\.\COM10" are "COM3" /
    "COM10"; a bare number is that COM port. Anything else (/dev/ttyUSB0, a pyserial
    URL) is kept as typed, without surrounding spaces."""
    text = unicodedata.normalize("NFKC", typed).strip()
    compact = re.sub(r"\s+", "", text)
    if compact.isdigit():
        return f"COM{int(compact)}"
    found = _COM.fullmatch(compact)
    return f"COM{int(found.group(1))}" if found else text


def device(port: str, platform: str | None = None) -> str:
    r"""What to open for `port`: on Windows a COM port by its device path \\.\COMn, the only
    name Windows opens from COM10 up (and valid for COM1-9 too)."""
    name = port_name(port)
    if (platform or sys.platform) == "win32" and _COM.fullmatch(name):
        return "\\\\.\\" + name
    return name


def char_time_s(baud: int, bits_per_char: int = 11) -> float:
    """Time of one character on the wire (start + 8 data + parity/stop ≈ 11 bits worst case)."""
    return bits_per_char / baud


def default_silence_s(baud: int) -> float:
    # Modbus over serial line spec 2.5.1.1: t3.5, fixed 1.75 ms above 19200 baud
    return 0.00175 if baud > 19200 else 3.5 * char_time_s(baud)


class SerialLineTransport:
    def __init__(
        self,
        port: str,
        baud: int = 9600,
        *,
        parity: str = "N",
        bytesize: int = 8,
        stopbits: float = 1,
        silence_s: float | None = None,
        name: str = "",
    ) -> None:
        if parity.upper()[:1] not in PARITIES:
            raise ValueError(f"parity must be N, E or O, not {parity!r}")
        self.port, self.baud = port, int(baud)
        self.parity, self.bytesize, self.stopbits = parity.upper()[:1], bytesize, stopbits
        self.silence_s = default_silence_s(self.baud) if silence_s is None else silence_s
        self.name = name or f"serial:{port}"
        self._serial: serial.Serial | None = None
        self._buffer = ByteBuffer()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._last_activity = 0.0  # monotonic time the line was last busy (rx or end of tx)

    @property
    def is_open(self) -> bool:
        return self._serial is not None and self._serial.is_open and not self._buffer.at_eof

    async def open(self) -> None:
        if self.is_open:
            return
        await self.close()
        try:
            ser = serial.serial_for_url(device(self.port), do_not_open=True)
            ser.baudrate = self.baud
            ser.parity = PARITIES[self.parity]
            ser.bytesize = self.bytesize
            ser.stopbits = self.stopbits
            ser.timeout = 0.05  # reader thread wakes this often to notice stop()
            ser.write_timeout = 2.0
            ser.open()
        except (serial.SerialException, ValueError, OSError) as exc:
            raise LinkError(f"{self.name}: cannot open port: {exc}") from exc
        self._serial = ser
        self._buffer = ByteBuffer()
        self._stop.clear()
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(
            target=self._reader, args=(ser, self._buffer, loop), name=f"{self.name}-rx", daemon=True
        )
        self._thread.start()

    def _reader(
        self, ser: serial.Serial, buffer: ByteBuffer, loop: asyncio.AbstractEventLoop
    ) -> None:
        while not self._stop.is_set():
            try:
                data = ser.read(max(1, ser.in_waiting))
            except (serial.SerialException, OSError, TypeError) as exc:
                # TypeError: pyserial on a port closed under it; either way the line is gone
                if not self._stop.is_set():
                    loop.call_soon_threadsafe(buffer.feed_eof, LinkClosed(f"{self.name}: {exc}"))
                return
            if data:
                self._last_activity = time.monotonic()
                try:
                    loop.call_soon_threadsafe(buffer.feed, data)
                except RuntimeError:  # loop closed while we were reading
                    return

    async def close(self) -> None:
        self._stop.set()
        thread, ser = self._thread, self._serial
        self._thread, self._serial = None, None
        if thread is not None:
            await asyncio.to_thread(thread.join, 1.0)
        if ser is not None:
            ser.close()

    async def write(self, data: bytes) -> None:
        ser = self._serial
        if ser is None or not self.is_open:
            raise LinkClosed(f"{self.name}: port is not open")
        wait = self._last_activity + self.silence_s - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            await asyncio.to_thread(ser.write, data)
        except (serial.SerialException, OSError) as exc:
            raise LinkError(f"{self.name}: write failed: {exc}") from exc
        self._last_activity = time.monotonic() + len(data) * char_time_s(self.baud, 10)

    async def read(self, timeout_s: float) -> bytes:
        return await self._buffer.read(timeout_s)

    def discard_input(self) -> bytes:
        return self._buffer.discard()
