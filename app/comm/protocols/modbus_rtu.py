"""Modbus RTU and Modbus TCP (MBAP) framing of the few PDUs the Acrel meters need.

Only what MarketMeter sends or must understand: FC 03/04 read registers, FC 10 write
registers and exception responses (PROTOCOLS.md §1.1, §1.5). The messages are plain
dataclasses independent of framing (`.pdu()`); RTU and TCP only wrap them.

RTU frame::

    [ slave ][ function ][ data ... ][ CRC lo ][ CRC hi ]
      1 B       1 B        N B           2 B (CRC-16/MODBUS over slave..data)

    FC03/04 request   slave 03 | start(2) count(2)                     | CRC   8 B
    FC03/04 response  slave 03 | bytecount(1) registers(2 × n)         | CRC   5 + 2n B
    FC10 request      slave 10 | start(2) count(2) bytecount(1) values  | CRC   9 + 2n B
    FC10 response     slave 10 | start(2) count(2)                     | CRC   8 B
    exception         slave 80|fc | code(1)                            | CRC   5 B

TCP frame (no CRC)::

    [ transaction(2) ][ protocol = 0 (2) ][ length(2) ][ unit(1) ][ function ][ data ... ]
                                           └─ counts unit + PDU ─┘

An RTU request and a response with the same function code have different layouts and
the wire does not say which one a frame is, so decoding takes the role: the poller decodes
responses, the simulator requests (`decode_response` / `decode_request`).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.comm.protocols.common import (
    FrameCheck,
    Garbage,
    ProtocolError,
    bad,
    crc16,
    crc16_bytes,
    hex_bytes,
    next_frame,
    ok,
    short,
)
from app.comm.protocols.terms import term
from app.words import ENGLISH, QT_TRANSLATE_NOOP, Word

READ_REQUEST = Word(
    "comm.frame.modbus_read_request",
    QT_TRANSLATE_NOOP(
        "CommFrames", "read {count} register(s) {first}-{last} ({fc}) from slave {slave}"
    ),
)
READ_RESPONSE = Word(
    "comm.frame.modbus_read_response",
    QT_TRANSLATE_NOOP("CommFrames", "slave {slave} answers {fc} with {count} register(s)"),
)
WRITE_REQUEST = Word(
    "comm.frame.modbus_write_request",
    QT_TRANSLATE_NOOP(
        "CommFrames", "write {count} register(s) from {start} = [{values}] (FC10) to slave {slave}"
    ),
)
WRITE_RESPONSE = Word(
    "comm.frame.modbus_write_response",
    QT_TRANSLATE_NOOP(
        "CommFrames", "slave {slave} confirms writing {count} register(s) from {start} (FC10)"
    ),
)
EXCEPTION_RESPONSE = Word(
    "comm.frame.modbus_exception",
    QT_TRANSLATE_NOOP("CommFrames", "slave {slave} refuses {fc}: {why}"),
)

Role = Literal["request", "response"]
REQUEST: Role = "request"
RESPONSE: Role = "response"

READ_HOLDING = 0x03
READ_INPUT = 0x04
WRITE_MULTIPLE = 0x10
READ_FUNCTIONS = (READ_HOLDING, READ_INPUT)
FUNCTIONS = (READ_HOLDING, READ_INPUT, WRITE_MULTIPLE)

# Modbus Application Protocol v1.1b3 §6.3/§6.12: quantity limits per request.
MAX_READ = 125
MAX_WRITE = 123

# Modbus Application Protocol v1.1b3 §7, in words a field engineer can act on.
EXCEPTION_TEXTS = {
    0x01: "illegal function: the meter does not support this function code",
    0x02: "illegal data address: the register is not in this meter's map (wrong profile or "
    "firmware?)",
    0x03: "illegal data value: the meter refused a value or quantity in the request",
    0x04: "slave device failure: the meter failed while executing the request",
    0x05: "acknowledge: the meter accepted a long request and is still working on it",
    0x06: "slave device busy: try again later",
    0x08: "memory parity error in the meter",
    0x0A: "gateway path unavailable: the gateway has no route to this slave",
    0x0B: "gateway target device failed to respond: the meter behind the gateway is silent",
}


def explain_exception(code: int) -> str:
    return EXCEPTION_TEXTS.get(code, f"exception code 0x{code:02X} (not defined by Modbus)")


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """FC 03 (holding) / 04 (input) read of `count` registers from `start`."""

    slave: int
    start: int
    count: int
    function: int = READ_HOLDING

    def pdu(self) -> bytes:
        _check_read(self.function, self.start, self.count)
        return (
            bytes([self.function]) + self.start.to_bytes(2, "big") + self.count.to_bytes(2, "big")
        )

    def describe(self, lang: str = ENGLISH) -> str:
        return READ_REQUEST.say(
            lang,
            count=self.count,
            first=f"0x{self.start:04X}",
            last=f"0x{self.start + self.count - 1:04X}",
            fc=f"FC{self.function:02X}",
            slave=self.slave,
        )


@dataclass(frozen=True, slots=True)
class ReadResponse:
    slave: int
    registers: tuple[int, ...]
    function: int = READ_HOLDING

    def pdu(self) -> bytes:
        if self.function not in READ_FUNCTIONS:
            raise ProtocolError(f"function 0x{self.function:02X} is not a read")
        if not 1 <= len(self.registers) <= MAX_READ:
            raise ProtocolError(
                f"a read response carries 1..{MAX_READ} registers, not {len(self.registers)}"
            )
        return bytes([self.function, 2 * len(self.registers)]) + _words(self.registers)

    def describe(self, lang: str = ENGLISH) -> str:
        return READ_RESPONSE.say(
            lang, slave=self.slave, fc=f"FC{self.function:02X}", count=len(self.registers)
        )


@dataclass(frozen=True, slots=True)
class WriteRequest:
    """FC 10 write of `values` to consecutive registers from `start`."""

    slave: int
    start: int
    values: tuple[int, ...]

    def pdu(self) -> bytes:
        count = len(self.values)
        if not 1 <= count <= MAX_WRITE:
            raise ProtocolError(f"a write carries 1..{MAX_WRITE} registers, not {count}")
        _check_address(self.start, count)
        head = bytes([WRITE_MULTIPLE]) + self.start.to_bytes(2, "big") + count.to_bytes(2, "big")
        return head + bytes([2 * count]) + _words(self.values)

    def describe(self, lang: str = ENGLISH) -> str:
        return WRITE_REQUEST.say(
            lang,
            count=len(self.values),
            start=f"0x{self.start:04X}",
            values=" ".join(f"{v:04X}" for v in self.values),
            slave=self.slave,
        )


@dataclass(frozen=True, slots=True)
class WriteResponse:
    """FC 10 normal reply: echoes start and count (PROTOCOLS.md §1.5 `01 10 00 57 00 02 F0 18`)."""

    slave: int
    start: int
    count: int

    def pdu(self) -> bytes:
        _check_address(self.start, self.count)
        return (
            bytes([WRITE_MULTIPLE]) + self.start.to_bytes(2, "big") + self.count.to_bytes(2, "big")
        )

    def describe(self, lang: str = ENGLISH) -> str:
        return WRITE_RESPONSE.say(
            lang, slave=self.slave, count=self.count, start=f"0x{self.start:04X}"
        )


@dataclass(frozen=True, slots=True)
class ExceptionResponse:
    """Function code | 0x80 plus one exception code: the meter refused the request."""

    slave: int
    function: int  # the function that was refused, without the 0x80 bit
    code: int

    @property
    def explanation(self) -> str:
        return explain_exception(self.code)

    def pdu(self) -> bytes:
        return bytes([0x80 | self.function, self.code])

    def describe(self, lang: str = ENGLISH) -> str:
        return EXCEPTION_RESPONSE.say(
            lang, slave=self.slave, fc=f"FC{self.function:02X}", why=term(self.explanation, lang)
        )


Message = ReadRequest | ReadResponse | WriteRequest | WriteResponse | ExceptionResponse


@dataclass(frozen=True, slots=True)
class TcpFrame:
    """One Modbus TCP frame: the MBAP transaction id and the message (slave = unit id)."""

    transaction_id: int
    message: Message


def _words(values: Sequence[int]) -> bytes:
    try:
        return struct.pack(f">{len(values)}H", *values)
    except struct.error:
        for value in values:
            if not isinstance(value, int) or not 0 <= value <= 0xFFFF:
                raise ProtocolError(f"register value {value} is not 0..65535") from None
        raise


def _registers(data: bytes, at: int, count: int) -> tuple[int, ...]:
    """`count` big-endian 16-bit registers from data[at:]."""
    return struct.unpack_from(f">{count}H", data, at)


def _check_address(start: int, count: int) -> None:
    if not 0 <= start <= 0xFFFF or start + count > 0x10000:
        raise ProtocolError(f"registers 0x{start:X}+{count} run past 0xFFFF")


def _check_read(function: int, start: int, count: int) -> None:
    if function not in READ_FUNCTIONS:
        raise ProtocolError(f"function 0x{function:02X} is not a read")
    if not 1 <= count <= MAX_READ:
        raise ProtocolError(f"a read asks for 1..{MAX_READ} registers, not {count}")
    _check_address(start, count)


def _check_slave(slave: int) -> None:
    # 0 is broadcast (requests only), 248..255 are reserved (Modbus over serial line §2.2).
    if not 0 <= slave <= 247:
        raise ProtocolError(f"slave address {slave} is not 0..247")


# --------------------------------------------------------------------------- building


def encode_rtu(message: Message) -> bytes:
    _check_slave(message.slave)
    body = bytes([message.slave]) + message.pdu()
    return body + crc16_bytes(body)


def encode_tcp(message: Message, transaction_id: int = 0) -> bytes:
    if not 0 <= message.slave <= 255:
        raise ProtocolError(f"unit id {message.slave} is not 0..255")
    if not 0 <= transaction_id <= 0xFFFF:
        raise ProtocolError(f"transaction id {transaction_id} is not 0..65535")
    pdu = message.pdu()
    return (
        transaction_id.to_bytes(2, "big")
        + b"\x00\x00"  # protocol id 0 = Modbus
        + (len(pdu) + 1).to_bytes(2, "big")
        + bytes([message.slave])
        + pdu
    )


def read_request(slave: int, start: int, count: int, function: int = READ_HOLDING) -> bytes:
    """`read_request(1, 0x0200, 0x30)` → `01 03 02 00 00 30 44 66` (PROTOCOLS.md §1.5)."""
    return encode_rtu(ReadRequest(slave, start, count, function))


def write_request(slave: int, start: int, values: Sequence[int]) -> bytes:
    """`write_request(1, 0x0057, [1, 1])` → the forced-trip frame of PROTOCOLS.md §1.5."""
    return encode_rtu(WriteRequest(slave, start, tuple(values)))


def read_response(slave: int, registers: Sequence[int], function: int = READ_HOLDING) -> bytes:
    return encode_rtu(ReadResponse(slave, tuple(registers), function))


def write_response(slave: int, start: int, count: int) -> bytes:
    return encode_rtu(WriteResponse(slave, start, count))


def exception_response(slave: int, function: int, code: int) -> bytes:
    return encode_rtu(ExceptionResponse(slave, function, code))


# --------------------------------------------------------------------------- decoding


def _pdu_check(buf: bytes, at: int, role: Role) -> FrameCheck:
    """Length of the PDU starting at `at` (function code first), from its header alone."""
    have = len(buf) - at
    if have < 1:
        return short(0, "function code missing")
    fc = buf[at]
    if role == RESPONSE and fc & 0x80:
        if fc & 0x7F not in FUNCTIONS:
            return bad(f"exception for function 0x{fc & 0x7F:02X}, which this program never sends")
        return ok(2) if have >= 2 else short(2, "exception code missing")
    if fc not in FUNCTIONS:
        return bad(f"function code 0x{fc:02X} is not one MarketMeter uses (03, 04, 10)")
    if fc in READ_FUNCTIONS and role == RESPONSE:
        if have < 2:
            return short(0, "byte count missing")
        count = buf[at + 1]
        if count == 0 or count % 2 or count > 2 * MAX_READ:
            return bad(f"byte count {count} is not an even number 2..{2 * MAX_READ}")
        return ok(2 + count) if have >= 2 + count else short(2 + count)
    if fc == WRITE_MULTIPLE and role == REQUEST:
        if have < 6:
            return short(0, "write header incomplete")
        quantity = int.from_bytes(buf[at + 3 : at + 5], "big")
        count = buf[at + 5]
        if not 1 <= quantity <= MAX_WRITE or count != 2 * quantity:
            return bad(f"write of {quantity} register(s) with byte count {count} is inconsistent")
        return ok(6 + count) if have >= 6 + count else short(6 + count)
    # read request / write response: start(2) + count(2)
    if have < 5:
        return short(5)
    quantity = int.from_bytes(buf[at + 3 : at + 5], "big")
    limit = MAX_READ if fc in READ_FUNCTIONS else MAX_WRITE
    if not 1 <= quantity <= limit:
        return bad(f"quantity {quantity} is not 1..{limit}")
    return ok(5)


def check_rtu(buf: bytes, start: int = 0, role: Role = RESPONSE) -> FrameCheck:
    """Is there a complete, CRC-valid RTU frame (of the given role) at buf[start:]?"""
    if len(buf) <= start:
        return short(4, "no bytes")
    slave = buf[start]
    if not (0 if role == REQUEST else 1) <= slave <= 247:
        return bad(f"slave address {slave} is out of range")
    pdu = _pdu_check(buf, start + 1, role)
    if pdu.is_bad:
        return pdu
    if pdu.is_short:
        return short(pdu.length + 3 if pdu.length else 0, pdu.reason)
    length = 1 + pdu.length + 2
    if len(buf) - start < length:
        return short(length, f"frame needs {length} bytes")
    end = start + length
    want = crc16(buf[start : end - 2])
    if buf[end - 2] | buf[end - 1] << 8 != want:
        got = buf[end - 2 : end]
        return bad(
            f"bad CRC: expected {hex_bytes(want.to_bytes(2, 'little'))} got {hex_bytes(got)}"
        )
    return ok(length)


def parse_pdu(slave: int, pdu: bytes, role: Role) -> Message:
    """Decode one PDU that `_pdu_check` accepted."""
    fc = pdu[0]
    if role == RESPONSE and fc & 0x80:
        return ExceptionResponse(slave, fc & 0x7F, pdu[1])
    if fc in READ_FUNCTIONS:
        if role == RESPONSE:
            return ReadResponse(slave, _registers(pdu, 2, (len(pdu) - 2) // 2), fc)
        return ReadRequest(slave, _u16(pdu, 1), _u16(pdu, 3), fc)
    if role == RESPONSE:
        return WriteResponse(slave, _u16(pdu, 1), _u16(pdu, 3))
    return WriteRequest(slave, _u16(pdu, 1), _registers(pdu, 6, (len(pdu) - 6) // 2))


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def decode_rtu(buf: bytes, role: Role) -> tuple[int, Message | Garbage | None]:
    fast = _clean_read(buf, role)
    if fast is not None:
        return fast
    used, item = next_frame(buf, lambda b, i: check_rtu(b, i, role))
    if isinstance(item, bytes):
        return used, parse_pdu(item[0], item[1:-2], role)
    return used, item


def _clean_read(buf: bytes, role: Role) -> tuple[int, Message] | None:
    """The common case on a healthy line, decoded without the general hunting: buf starts
    with a complete, CRC-valid FC03/04 read request or response. None: anything else,
    left to `next_frame` + `check_rtu` (which would accept exactly the same frames)."""
    have = len(buf)
    if have < 8:  # the shortest read response is 7 bytes, but it is never the common case
        return None
    slave, fc = buf[0], buf[1]
    if fc not in READ_FUNCTIONS:
        return None
    if role == RESPONSE:
        count = buf[2]
        length = 5 + count
        if (
            not 1 <= slave <= 247
            or count == 0
            or count % 2
            or count > 2 * MAX_READ
            or have < length
        ):
            return None
        if crc16(buf[: length - 2]) != buf[length - 2] | buf[length - 1] << 8:
            return None
        return length, ReadResponse(slave, _registers(buf, 3, count // 2), fc)
    start, quantity = _u16(buf, 2), _u16(buf, 4)
    if slave > 247 or not 1 <= quantity <= MAX_READ:
        return None
    if crc16(buf[:6]) != buf[6] | buf[7] << 8:
        return None
    return 8, ReadRequest(slave, start, quantity, fc)


def decode(buf: bytes, role: Role = RESPONSE) -> tuple[int, Message | Garbage | None]:
    """Stream decode of RTU bytes: (used, message | Garbage | None); 0 used = need more."""
    return decode_rtu(buf, role)


def decode_response(buf: bytes) -> tuple[int, Message | Garbage | None]:
    """What the poller calls on bytes from a meter: (used, message | Garbage | None)."""
    return decode_rtu(buf, RESPONSE)


def decode_request(buf: bytes) -> tuple[int, Message | Garbage | None]:
    """What the simulator calls on bytes from the poller."""
    return decode_rtu(buf, REQUEST)


# --------------------------------------------------------------------------- Modbus TCP

MBAP_SIZE = 7


def check_tcp(buf: bytes, start: int = 0, role: Role = RESPONSE) -> FrameCheck:
    have = len(buf) - start
    if have < MBAP_SIZE:
        return short(MBAP_SIZE, "MBAP header incomplete")
    protocol = _u16(buf, start + 2)
    if protocol != 0:
        return bad(f"MBAP protocol id is {protocol}, Modbus uses 0")
    length = _u16(buf, start + 4)
    if not 2 <= length <= 254:
        return bad(f"MBAP length {length} is not 2..254")
    total = 6 + length
    pdu = _pdu_check(buf[: start + total], start + MBAP_SIZE, role)
    if pdu.is_bad:
        return pdu
    if have < total:
        return short(total, f"frame needs {total} bytes")
    if pdu.is_short or pdu.length != length - 1:
        return bad(f"MBAP length {length} does not match the PDU")
    return ok(total)


def decode_tcp(buf: bytes, role: Role = RESPONSE) -> tuple[int, TcpFrame | Garbage | None]:
    used, item = next_frame(buf, lambda b, i: check_tcp(b, i, role))
    if isinstance(item, bytes):
        message = parse_pdu(item[6], item[MBAP_SIZE:], role)
        return used, TcpFrame(_u16(item, 0), message)
    return used, item
