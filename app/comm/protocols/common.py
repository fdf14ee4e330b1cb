"""What every codec shares: the one CRC16, the skipped-bytes message and the hunting loop.

A stream decoder in this package has the shape `decode(buf) -> (used, item)`:

- `(0, None)`        buf holds no complete frame yet; call again with more bytes;
- `(n, message)`     the first n bytes were one frame, decoded;
- `(n, Garbage)`     the first n bytes cannot start a frame; the caller logs and drops them.

Each codec only has to say, for a start position, whether a frame is complete there
(`FrameCheck`); `next_frame` does the hunting past garbage and bad checksums the same way
for all of them (the pymodbus framer habit, STYLE.md §3).
"""

from __future__ import annotations

import enum
import struct
from array import array
from collections.abc import Callable
from dataclasses import dataclass

from app.words import ENGLISH, QT_TRANSLATE_NOOP, Said, Word


class ProtocolError(ValueError):
    """A frame or a value that breaks the protocol: bad input to a builder, or a frame
    whose framing is sound but whose content cannot be decoded (e.g. invalid BCD)."""


NOT_HEX = Word(
    "comm.typed_not_hex",
    QT_TRANSLATE_NOOP(
        "Comm", "not hex: “{text}”. Type pairs of hex digits 0-9 A-F, e.g. 01 03 02 00"
    ),
)
ODD_HEX = Word(
    "comm.typed_odd_hex",
    QT_TRANSLATE_NOOP(
        "Comm", "odd number of hex digits ({count}): each byte is two digits, e.g. 01 03"
    ),
)


class TypedHexError(ProtocolError):
    """Hex a person typed that is no hex; `said` puts it into their words."""

    def __init__(self, said: Said) -> None:
        super().__init__(said.say(ENGLISH))
        self.said = said


@dataclass(frozen=True, slots=True)
class Garbage:
    """Bytes a decoder skipped, and why, so the comm monitor can show them."""

    data: bytes
    reason: str


class FrameStatus(enum.Enum):
    OK = "ok"  # a complete, checksum-valid frame starts here
    SHORT = "short"  # could be a frame, more bytes needed
    BAD = "bad"  # no frame can start here


@dataclass(frozen=True, slots=True)
class FrameCheck:
    """Verdict on the bytes at one position of a buffer.

    length: OK → the frame's length; SHORT → the total length needed if the header already
    tells it, else 0. reason: why it is SHORT or BAD, in words for a field engineer.
    """

    status: FrameStatus
    length: int = 0
    reason: str = ""

    @property
    def is_ok(self) -> bool:
        return self.status is FrameStatus.OK

    @property
    def is_short(self) -> bool:
        return self.status is FrameStatus.SHORT

    @property
    def is_bad(self) -> bool:
        return self.status is FrameStatus.BAD


def ok(length: int) -> FrameCheck:
    return FrameCheck(FrameStatus.OK, length)


def short(needed: int = 0, reason: str = "frame not complete yet") -> FrameCheck:
    return FrameCheck(FrameStatus.SHORT, needed, reason)


def bad(reason: str) -> FrameCheck:
    return FrameCheck(FrameStatus.BAD, 0, reason)


Checker = Callable[[bytes, int], FrameCheck]


def next_frame(buf: bytes, check: Checker) -> tuple[int, bytes | Garbage | None]:
    """Cut the next frame off the front of buf, hunting past garbage.

    Returns (used, frame bytes), (used, Garbage) or (0, None) for "need more bytes".
    A position that only *might* start a frame (SHORT) is skipped as garbage once a
    complete frame is found further on, so a stray header byte cannot stall the line.
    """
    buf = bytes(buf)
    first = check(buf, 0) if buf else short()
    if first.is_ok:
        return first.length, buf[: first.length]
    for i in range(1, len(buf)):
        later = check(buf, i)
        if later.is_ok or (first.is_bad and later.is_short):
            reason = first.reason if first.is_bad else f"no complete frame here ({first.reason})"
            return i, Garbage(buf[:i], reason)
    if first.is_short:
        return 0, None
    return len(buf), Garbage(buf, first.reason)


def _crc16_table() -> tuple[int, ...]:
    """The CRC of every single byte value: the bit loop done once, 256 times."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC16_TABLE = _crc16_table()


def _crc16_pair_table() -> array:
    """The CRC step of two bytes at once, by the 16-bit word (crc ^ b0 | b1 << 8):
    from the one-byte table, the second byte's step folded in. 65,536 16-bit entries
    (128 KB, small enough to stay in the CPU cache) halve the loop (the CRC of the ~160
    reply bytes of every meter, in poller and simulator)."""
    table = _CRC16_TABLE
    pairs = array("H", bytes(2 * 65536))
    for word in range(65536):
        first = table[word & 0xFF]
        pairs[word] = (first >> 8) ^ table[((word >> 8) ^ first) & 0xFF]
    return pairs


_CRC16_PAIRS = _crc16_pair_table()


def crc16(data: bytes) -> int:
    """CRC-16/MODBUS (reflected polynomial 0xA001, initial value 0xFFFF).

    Used by Modbus RTU (PROTOCOLS.md §1.5) and by the Acrel 4G framing (§1.6); both send
    it low byte first, see `crc16_bytes`. One table look-up per two bytes (the bit-by-bit
    loop over 8 bits per byte cost a quarter of the collection's CPU).
    """
    crc = 0xFFFF
    n = len(data)
    if n & 1:
        crc = (crc >> 8) ^ _CRC16_TABLE[(crc ^ data[0]) & 0xFF]
        data = data[1:]
    pairs = _CRC16_PAIRS
    for word in struct.unpack(f"<{n >> 1}H", data):
        crc = pairs[crc ^ word]
    return crc


def crc16_bytes(data: bytes) -> bytes:
    """The CRC of data as it goes on the wire: low byte first."""
    return crc16(data).to_bytes(2, "little")


def hex_bytes(data: bytes) -> str:
    """`01 03 02 00` — how frames are written in PROTOCOLS.md and shown to engineers."""
    return data.hex(" ").upper()


def parse_hex(text: str) -> bytes:
    """Hex typed by a person: spaces, colons, commas, '0x' prefixes and line breaks allowed."""
    cleaned = text.replace("0x", "").replace("0X", "")
    for sep in " \t\r\n:,-":
        cleaned = cleaned.replace(sep, "")
    if len(cleaned) % 2:
        raise TypedHexError(ODD_HEX(count=len(cleaned)))
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise TypedHexError(NOT_HEX(text=text.strip()[:40])) from None
