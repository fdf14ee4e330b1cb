"""DL/T 645-2007 and DL/T 645-1997 meter protocol (our own codec, PROTOCOLS.md §2–§3).

Frame (both versions)::

    [FE FE FE FE] 68 A0 A1 A2 A3 A4 A5 68 C L DATA(L bytes) CS 16
     └ 0–4 wake-up bytes, not in CS     └─ CS = sum from the first 68 to the last data byte, mod 256

- address: 6 bytes BCD, A0 (lowest two digits) first; `AA` bytes = wildcard, `99…99` = broadcast;
- C: bit7 1 = reply from the meter, bit6 1 = abnormal reply, bit5 1 = follow-up frame exists,
  bits 4–0 = function (§2.1, §2.2);
- DATA: every byte +0x33 on the wire; multi-byte fields little-endian (§2.1).

Layers: `Frame` is framing only (address, C, data with the 0x33 removed). `interpret` turns a
frame into a message (ReadRequest, ReadReply, ErrorReply, RelayControl …) and each message
builds its frame back (`encode()`). Values are decoded lazily from the DI tables with strict
BCD checks: a nibble above 9 is an error, never silently read (§4.1 lists that weakness of
PyPI dlt645).

The version is told by the control code (2007 reads with 0x11, 1997 with 0x01); pass
`version=` only for the codes both use differently (0x03).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from app.comm.protocols.common import (
    FrameCheck,
    Garbage,
    ProtocolError,
    bad,
    hex_bytes,
    next_frame,
    ok,
    short,
)
from app.comm.protocols.terms import (
    NO_DATA,
    PROTECTION,
    RELAY_CLOSED,
    RELAY_OPEN,
    glossed,
    joined,
    on_off,
    term,
)
from app.comm.types import Action
from app.words import ENGLISH, QT_TRANSLATE_NOOP, Word

# a frame's meaning (报文含义) in words
STATUS_WORD_3 = Word(
    "comm.frame.dlt645_status_word_3",
    QT_TRANSLATE_NOOP(
        "CommFrames",
        "relay {relay}, last relay command {command}, pre-trip alarm {alarm}, "
        "{protection} {protected}, {meter_type} meter",
    ),
)
LAST_COMMAND_TRIP = Word("comm.frame.dlt645_last_trip", QT_TRANSLATE_NOOP("CommFrames", "trip"))
LAST_COMMAND_CLOSE = Word("comm.frame.dlt645_last_close", QT_TRANSLATE_NOOP("CommFrames", "close"))
READ_REQUEST = Word(
    "comm.frame.dlt645_read_request",
    QT_TRANSLATE_NOOP("CommFrames", "{protocol} request to {address}: read {di}"),
)
READ_REQUEST_NAMED = Word(
    "comm.frame.dlt645_read_request_named",
    QT_TRANSLATE_NOOP("CommFrames", "{protocol} request to {address}: read {di} ({name})"),
)
READ_FOLLOW_UP_REQUEST = Word(
    "comm.frame.dlt645_read_follow_up_request",
    QT_TRANSLATE_NOOP("CommFrames", "{protocol} request to {address}: read follow-up of {di}{seq}"),
)
READ_REPLY = Word(
    "comm.frame.dlt645_read_reply",
    QT_TRANSLATE_NOOP("CommFrames", "{protocol} reply from {address}: read {di}"),
)
UNKNOWN_DI = Word(
    "comm.frame.dlt645_unknown_di",
    QT_TRANSLATE_NOOP("CommFrames", "{head} = {payload} (data identifier not in our table)"),
)
INVALID_VALUE = Word(
    "comm.frame.dlt645_invalid_value",
    QT_TRANSLATE_NOOP("CommFrames", "{head} {name}: invalid value: {problem}"),
)
MORE_FRAMES = Word(
    "comm.frame.dlt645_more_frames",
    QT_TRANSLATE_NOOP("CommFrames", "{meaning} (more frames follow)"),
)
FOLLOW_UP_SEQ = Word(
    "comm.frame.dlt645_follow_up_seq",
    QT_TRANSLATE_NOOP("CommFrames", "{meaning} (follow-up SEQ {seq})"),
)
ERROR_REPLY = Word(
    "comm.frame.dlt645_error_reply",
    QT_TRANSLATE_NOOP(
        "CommFrames",
        "{protocol} error reply from {address} to {function} ({code}): ERR={err} {explanation}",
    ),
)
READ_ADDRESS_REQUEST = Word(
    "comm.frame.dlt645_read_address_request",
    QT_TRANSLATE_NOOP("CommFrames", "DL/T 645-2007 request to {address}: read address"),
)
ADDRESS_REPLY = Word(
    "comm.frame.dlt645_address_reply",
    QT_TRANSLATE_NOOP("CommFrames", "DL/T 645-2007 reply: meter address is {address}"),
)
BROADCAST_TIME = Word(
    "comm.frame.dlt645_broadcast_time",
    QT_TRANSLATE_NOOP("CommFrames", "DL/T 645 broadcast time to all meters: {at}"),
)
RELAY_CONTROL = Word(
    "comm.frame.dlt645_relay_control",
    QT_TRANSLATE_NOOP(
        "CommFrames",
        "DL/T 645-2007 request to {address}: relay control {code} {meaning}, password level "
        "{level}, operator {operator}, valid until {until}",
    ),
)
UNKNOWN_CONTROL_TYPE = Word(
    "comm.frame.dlt645_unknown_control_type",
    QT_TRANSLATE_NOOP("CommFrames", "unknown control type {code}"),
)
ACK = Word(
    "comm.frame.dlt645_ack",
    QT_TRANSLATE_NOOP("CommFrames", "{protocol} reply from {address}: {name} accepted"),
)
FUNCTION_CODE = Word(
    "comm.frame.dlt645_function_code", QT_TRANSLATE_NOOP("CommFrames", "function {code}")
)
OTHER_REPLY = Word(
    "comm.frame.dlt645_other_reply",
    QT_TRANSLATE_NOOP(
        "CommFrames", "{protocol} reply from {address}: {name} (C={control}), data {data}"
    ),
)
OTHER_REQUEST = Word(
    "comm.frame.dlt645_other_request",
    QT_TRANSLATE_NOOP(
        "CommFrames", "{protocol} request to {address}: {name} (C={control}), data {data}"
    ),
)


class Version(enum.IntEnum):
    V1997 = 1997
    V2007 = 2007

    @property
    def label(self) -> str:
        return f"DL/T 645-{self.value}"


START = 0x68
END = 0x16
WAKE_UP = 0xFE
MAX_PREAMBLE = 4
BROADCAST = "999999999999"
WILDCARD = "AAAAAAAAAAAA"

# C byte bits (§2.1).
REPLY_BIT = 0x80
ABNORMAL_BIT = 0x40
FOLLOW_UP_BIT = 0x20
FUNCTION_MASK = 0x1F

# Function codes (C bits 4–0), §2.2 and §3.
F_BROADCAST_TIME = 0x08
F07_READ = 0x11
F07_READ_FOLLOW_UP = 0x12
F07_READ_ADDRESS = 0x13
F07_WRITE = 0x14
F07_RELAY = 0x1C
F97_READ = 0x01
F97_READ_FOLLOW_UP = 0x02
F97_WRITE = 0x04

FUNCTION_NAMES = {
    Version.V2007: {
        0x03: "security authentication",
        0x08: "broadcast time",
        0x11: "read data",
        0x12: "read follow-up data",
        0x13: "read address",
        0x14: "write data",
        0x15: "write address",
        0x16: "freeze",
        0x17: "change baud rate",
        0x18: "change password",
        0x19: "clear max demand",
        0x1A: "clear meter",
        0x1B: "clear events",
        0x1C: "relay control",
        0x1D: "multi-function terminal output",
    },
    Version.V1997: {
        0x01: "read data",
        0x02: "read follow-up data",
        0x03: "reread data",
        0x04: "write data",
        0x08: "broadcast time",
        0x0A: "write address",
        0x0C: "change baud rate",
        0x0F: "change password",
        0x10: "clear max demand",
    },
}
_FUNCTIONS_1997_ONLY = frozenset({0x01, 0x02, 0x04, 0x0A, 0x0C, 0x0F, 0x10})

# Abnormal reply ERR byte, bit → meaning. 2007: PROTOCOLS.md §2.3. 1997: the 1997 standard
# text (bit0 illegal data, bit1 DI error, bit2 password); not re-verified in a source (§3).
ERROR_BITS = {
    Version.V2007: {
        0: "other error",
        1: "no requested data (the meter does not have this data identifier)",
        2: "wrong password or not authorised",
        3: "baud rate cannot be changed",
        4: "year time-zone count exceeded",
        5: "day time-period count exceeded",
        6: "tariff count exceeded",
        7: "reserved bit set",
    },
    Version.V1997: {
        0: "illegal data",
        1: "wrong data identifier",
        2: "wrong password",
        4: "year time-zone count exceeded",
        5: "day time-period count exceeded",
        6: "tariff count exceeded",
    },
}


def explain_error(error: int, version: Version = Version.V2007) -> str:
    """ERR byte in words, e.g. 0x04 → 'wrong password or not authorised'."""
    if error == 0:
        return "no reason given (ERR = 00)"
    bits = ERROR_BITS[version]
    parts = [bits.get(b, f"undefined bit {b}") for b in range(8) if error >> b & 1]
    return "; ".join(parts)


# Relay control N1 codes (§2.4).
RELAY_CODES = {
    0x1A: "trip",
    0x1B: "close allowed (the relay closes when the user presses the button or the meter allows)",
    0x1C: "direct close",
    0x1D: "trip with automatic restore (vendor extension)",
    0x1E: "trip with automatic restore (vendor extension)",
    0x2A: "alarm",
    0x2B: "alarm release",
    0x3A: "supply protection on (trip commands are rejected)",
    0x3B: "supply protection release",
}

# Our Action → N1 (§2.4). Choices:
# - close → 1B "close allowed": in the 2007 base text, so every 2007 meter knows it; 1C
#   (direct close) is a later State-Grid addition. Pass direct_close=True for meters that
#   accept 1C and should close without a button press.
# - forced_off → 1A: DL/T 645 has one trip; it holds until a close command.
# - restore_prepaid → 3B: releases 保电 only; it does not close a relay tripped with 1A.
ACTION_CODES = {
    Action.TRIP: 0x1A,
    Action.FORCED_OFF: 0x1A,
    Action.CLOSE: 0x1B,
    Action.FORCED_ON: 0x3A,
    Action.RESTORE_PREPAID: 0x3B,
}


def relay_code(action: Action, *, direct_close: bool = False) -> int:
    if action == Action.CLOSE and direct_close:
        return 0x1C
    try:
        return ACTION_CODES[Action(action)]
    except KeyError:
        raise ProtocolError(f"{action} is not a DL/T 645 relay command") from None


# --------------------------------------------------------------------------- BCD


def _bcd_digits(msb_first: bytes, what: str) -> str:
    digits = []
    for byte in msb_first:
        hi, lo = byte >> 4, byte & 0x0F
        if hi > 9 or lo > 9:
            raise ProtocolError(f"invalid BCD byte {byte:02X} in {what}")
        digits.append(f"{hi}{lo}")
    return "".join(digits)


def _to_bcd(digits: str, what: str) -> bytes:
    if not digits.isdigit() or len(digits) % 2:
        raise ProtocolError(f"{what} must be an even number of decimal digits, not {digits!r}")
    return bytes(int(digits[i : i + 2], 16) for i in range(0, len(digits), 2))


def encode_address(address: str) -> bytes:
    """'123456789012' → 12 90 78 56 34 12 (A0 first, §2.1). 'A' digits stay AA (wildcard)."""
    text = address.upper()
    if len(text) != 12 or any(c not in "0123456789A" for c in text):
        raise ProtocolError(f"a DL/T 645 address is 12 digits, not {address!r}")
    pairs = [text[i : i + 2] for i in range(0, 12, 2)]
    for pair in pairs:
        if "A" in pair and pair != "AA":
            raise ProtocolError(f"address {address!r}: wildcard digits come in AA pairs")
    return bytes(int(p, 16) for p in reversed(pairs))


def decode_address(raw: bytes) -> str:
    """Inverse of encode_address; raises ProtocolError for bytes that are neither BCD nor AA."""
    out = []
    for byte in reversed(raw):
        if byte == 0xAA:
            out.append("AA")
        else:
            out.append(_bcd_digits(bytes([byte]), "the address"))
    return "".join(out)


def _time_bytes(at: datetime) -> bytes:
    """ss mm hh DD MM YY, BCD, seconds first (§2.4 deadline, §2.7 broadcast time)."""
    if not 2000 <= at.year <= 2099:
        raise ProtocolError(f"year {at.year} cannot be sent (two digits, 2000–2099)")
    fields = (at.second, at.minute, at.hour, at.day, at.month, at.year - 2000)
    return bytes(int(f"{v:02d}", 16) for v in fields)


def _parse_time(raw: bytes, what: str) -> datetime:
    ss, mm, hh, dd, mo, yy = (int(_bcd_digits(bytes([b]), what)) for b in raw[:6])
    try:
        return datetime(2000 + yy, mo, dd, hh, mm, ss)
    except ValueError as exc:
        raise ProtocolError(f"{what}: {exc}") from None


# --------------------------------------------------------------------------- data items


@dataclass(frozen=True, slots=True)
class DataItem:
    """One data identifier: size and format of each value, and where it goes in a reading.

    kind: number (BCD, `decimals` after the point, sign in bit7 of the top byte when
    `signed`), digits (BCD digit string), bits (binary word), date (YYMMDDWW), time (hhmmss).
    count: values in the reply; 0 = as many as the reply holds (energy blocks: total + n
    tariffs).
    """

    di: int
    name: str
    size: int
    decimals: int = 0
    unit: str = ""
    signed: bool = False
    kind: str = "number"
    count: int = 1
    target: str = ""


def _items(*items: DataItem) -> dict[int, DataItem]:
    return {item.di: item for item in items}


def _energy(di: int, name: str, target: str = "", signed: bool = False) -> DataItem:
    return DataItem(di, name, 4, 2, "kWh", signed=signed, target=target)


# DL/T 645-2007 (PROTOCOLS.md §2.5, §2.6). Signed only where §2.6 says: current, power (P, Q),
# PF and combined energy. Apparent power is a magnitude and stays unsigned.
DI_2007 = _items(
    _energy(0x00000000, "combined active total energy", signed=True),
    _energy(0x00010000, "forward active total energy", "total"),
    _energy(0x00010100, "forward active energy tariff 1 (sharp)", "tariff:0"),
    _energy(0x00010200, "forward active energy tariff 2 (peak)", "tariff:1"),
    _energy(0x00010300, "forward active energy tariff 3 (flat)", "tariff:2"),
    _energy(0x00010400, "forward active energy tariff 4 (valley)", "tariff:3"),
    DataItem(
        0x0001FF00,
        "forward active energy block (total, tariffs)",
        4,
        2,
        "kWh",
        count=0,
        target="energy_block",
    ),
    _energy(0x00020000, "reverse active total energy", "reverse_total"),
    DataItem(0x02010100, "voltage A", 2, 1, "V", target="voltage_v"),
    DataItem(0x02010200, "voltage B", 2, 1, "V"),
    DataItem(0x02010300, "voltage C", 2, 1, "V"),
    DataItem(0x0201FF00, "voltage block A/B/C", 2, 1, "V", count=3, target="first:voltage_v"),
    DataItem(0x02020100, "current A", 3, 3, "A", signed=True, target="current_a"),
    DataItem(0x02020200, "current B", 3, 3, "A", signed=True),
    DataItem(0x02020300, "current C", 3, 3, "A", signed=True),
    DataItem(
        0x0202FF00, "current block A/B/C", 3, 3, "A", signed=True, count=3, target="first:current_a"
    ),
    DataItem(0x02030000, "active power total", 3, 4, "kW", signed=True, target="power_kw"),
    DataItem(0x02030100, "active power A", 3, 4, "kW", signed=True),
    DataItem(0x02030200, "active power B", 3, 4, "kW", signed=True),
    DataItem(0x02030300, "active power C", 3, 4, "kW", signed=True),
    DataItem(
        0x0203FF00,
        "active power block total/A/B/C",
        3,
        4,
        "kW",
        signed=True,
        count=4,
        target="first:power_kw",
    ),
    DataItem(0x02040000, "reactive power total", 3, 4, "kvar", signed=True, target="reactive_kvar"),
    DataItem(0x02050000, "apparent power total", 3, 4, "kVA", target="apparent_kva"),
    DataItem(0x02060000, "power factor total", 2, 3, "", signed=True, target="power_factor"),
    DataItem(0x02800002, "grid frequency", 2, 2, "Hz", target="frequency_hz"),
    DataItem(0x04000101, "date and weekday", 4, kind="date"),
    DataItem(0x04000102, "time", 3, kind="time"),
    DataItem(0x04000401, "communication address", 6, kind="digits"),
    DataItem(0x04000402, "meter number", 6, kind="digits"),
    DataItem(0x04000501, "status word 1", 2, kind="bits"),
    DataItem(0x04000502, "status word 2", 2, kind="bits"),
    DataItem(0x04000503, "status word 3 (operation)", 2, kind="bits", target="status3"),
    DataItem(0x04000504, "status word 4", 2, kind="bits"),
    DataItem(0x04000505, "status word 5", 2, kind="bits"),
    DataItem(0x04000506, "status word 6", 2, kind="bits"),
    DataItem(0x04000507, "status word 7", 2, kind="bits"),
    DataItem(0x040005FF, "status words 1-7", 2, kind="bits", count=7, target="status_block"),
    # DL/T 645-2007 event records: 开表盖总次数, how often the meter's cover was opened
    DataItem(0x03300D00, "cover-open count", 3, target="cover_opens"),
    DataItem(0x00900200, "remaining money", 4, 2, "yuan", target="remaining_money"),
    # State-Grid prepaid limits: seen in public code, verify on the meter (§2.6).
    DataItem(0x04001001, "alarm amount 1 limit", 4, 2, "yuan"),
    DataItem(0x04001002, "alarm amount 2 limit", 4, 2, "yuan"),
    DataItem(0x04001003, "overdraft amount limit", 4, 2, "yuan"),
    DataItem(0x04001004, "hoarding amount limit", 4, 2, "yuan"),
    DataItem(0x04001005, "close-allowed amount limit", 4, 2, "yuan"),
)

# DL/T 645-1997 (PROTOCOLS.md §3): 2-byte DIs, no sign bits.
DI_1997 = _items(
    _energy(0x9010, "forward active total energy", "total"),
    _energy(0x9011, "forward active energy tariff 1 (sharp)", "tariff:0"),
    _energy(0x9012, "forward active energy tariff 2 (peak)", "tariff:1"),
    _energy(0x9013, "forward active energy tariff 3 (flat)", "tariff:2"),
    _energy(0x9014, "forward active energy tariff 4 (valley)", "tariff:3"),
    DataItem(
        0x901F,
        "forward active energy block (total, tariffs)",
        4,
        2,
        "kWh",
        count=0,
        target="energy_block",
    ),
    _energy(0x9020, "reverse active total energy"),
    DataItem(0xB611, "voltage A", 2, 0, "V", target="voltage_v"),
    DataItem(0xB612, "voltage B", 2, 0, "V"),
    DataItem(0xB613, "voltage C", 2, 0, "V"),
    DataItem(0xB621, "current A", 2, 2, "A", target="current_a"),
    DataItem(0xB622, "current B", 2, 2, "A"),
    DataItem(0xB623, "current C", 2, 2, "A"),
    DataItem(0xB630, "active power total", 3, 4, "kW", target="power_kw"),
    DataItem(0xB640, "reactive power total", 2, 2, "kvar", target="reactive_kvar"),
    DataItem(0xB650, "power factor total", 2, 3, "", target="power_factor"),
    DataItem(0xC010, "date and weekday", 4, kind="date"),
    DataItem(0xC011, "time", 3, kind="time"),
    DataItem(0xC032, "meter number", 6, kind="digits"),
    DataItem(0xC033, "user number", 6, kind="digits"),
)

DATA_ITEMS = {Version.V2007: DI_2007, Version.V1997: DI_1997}


def data_item(di: int, version: Version = Version.V2007) -> DataItem | None:
    return DATA_ITEMS[version].get(di)


def format_di(di: int, version: Version) -> str:
    return f"{di:08X}" if version == Version.V2007 else f"{di:04X}"


def _decode_one(item: DataItem, chunk: bytes) -> Any:
    """One value from its bytes as received (little-endian, 0x33 already removed)."""
    what = f"{item.name} ({hex_bytes(chunk)})"
    msb_first = bytearray(reversed(chunk))
    if item.kind == "bits":
        return int.from_bytes(chunk, "little")
    if item.kind == "digits":
        return _bcd_digits(bytes(msb_first), what)
    if item.kind == "date":
        digits = _bcd_digits(bytes(msb_first), what)  # YYMMDDWW
        return f"20{digits[0:2]}-{digits[2:4]}-{digits[4:6]} weekday {int(digits[6:8])}"
    if item.kind == "time":
        digits = _bcd_digits(bytes(msb_first), what)  # hhmmss
        return f"{digits[0:2]}:{digits[2:4]}:{digits[4:6]}"
    negative = False
    if item.signed and msb_first[0] & 0x80:
        negative = True
        msb_first[0] &= 0x7F
    value = Decimal(int(_bcd_digits(bytes(msb_first), what))).scaleb(-item.decimals)
    return -value if negative else value


def _encode_one(item: DataItem, value: Any) -> bytes:
    if item.kind == "bits":
        return int(value).to_bytes(item.size, "little")
    if item.kind == "digits":
        return bytes(reversed(_to_bcd(str(value).zfill(2 * item.size), item.name)))
    if item.kind == "date":  # a date, or the digits YYMMDDWW; weekday 0 = Sunday
        digits = (
            f"{value:%y%m%d}{value.isoweekday() % 7:02d}" if isinstance(value, date) else str(value)
        )
        return bytes(reversed(_to_bcd(digits, item.name)))
    if item.kind == "time":  # a time / datetime, or the digits hhmmss
        digits = f"{value:%H%M%S}" if isinstance(value, (time, datetime)) else str(value)
        return bytes(reversed(_to_bcd(digits, item.name)))
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    negative = number < 0
    if negative and not item.signed:
        raise ProtocolError(f"{item.name} cannot be negative")
    scaled = abs(number).scaleb(item.decimals)
    if scaled != scaled.to_integral_value():
        raise ProtocolError(f"{item.name}: {value} has more than {item.decimals} decimals")
    digits = f"{int(scaled):0{2 * item.size}d}"
    if len(digits) > 2 * item.size or (item.signed and int(digits[0]) > 7):
        raise ProtocolError(f"{item.name}: {value} does not fit {item.size} bytes")
    raw = bytearray(_to_bcd(digits, item.name))
    if negative:
        raw[0] |= 0x80
    return bytes(reversed(raw))


def decode_values(item: DataItem, payload: bytes) -> list[Any]:
    """All values of a reply payload; strict about size and BCD."""
    if item.count == 0:
        if not payload or len(payload) % item.size:
            raise ProtocolError(
                f"{item.name}: {len(payload)} bytes is not a multiple of {item.size}"
            )
        count = len(payload) // item.size
    else:
        count = item.count
        if len(payload) != count * item.size:
            raise ProtocolError(
                f"{item.name}: expected {count * item.size} bytes, got {len(payload)}"
            )
    return [_decode_one(item, payload[i * item.size : (i + 1) * item.size]) for i in range(count)]


def encode_values(item: DataItem, values: Iterable[Any]) -> bytes:
    return b"".join(_encode_one(item, v) for v in values)


@dataclass(frozen=True, slots=True)
class StatusWord3:
    """Status word 3 (04000503, "operation"), PROTOCOLS.md §2.5."""

    raw: int

    @property
    def relay_open(self) -> bool:  # bit4: 0 closed (通), 1 open (断)
        return bool(self.raw >> 4 & 1)

    @property
    def relay_command_trip(self) -> bool:  # bit6: 0 close, 1 trip
        return bool(self.raw >> 6 & 1)

    @property
    def pre_trip_alarm(self) -> bool:  # bit7
        return bool(self.raw >> 7 & 1)

    @property
    def meter_type(self) -> str:  # bits 8-9
        return {0: "non-prepaid", 1: "energy-prepaid", 2: "money-prepaid"}.get(
            self.raw >> 8 & 3, "reserved"
        )

    @property
    def protected(self) -> bool:  # bit12: 保电
        return bool(self.raw >> 12 & 1)

    def describe(self, lang: str = ENGLISH) -> str:
        return STATUS_WORD_3.say(
            lang,
            relay=glossed(RELAY_OPEN if self.relay_open else RELAY_CLOSED, lang),
            command=LAST_COMMAND_TRIP if self.relay_command_trip else LAST_COMMAND_CLOSE,
            alarm=on_off(self.pre_trip_alarm, lang),
            protection=glossed(PROTECTION, lang),
            protected=on_off(self.protected, lang),
            meter_type=term(self.meter_type, lang),
        )


# --------------------------------------------------------------------------- framing


@dataclass(frozen=True, slots=True)
class Frame:
    """One DL/T 645 frame: address as printed on the meter, C byte, data without +0x33."""

    address: str
    control: int
    data: bytes = b""
    preamble: int = MAX_PREAMBLE

    @property
    def is_reply(self) -> bool:
        return bool(self.control & REPLY_BIT)

    @property
    def is_abnormal(self) -> bool:
        return bool(self.control & ABNORMAL_BIT)

    @property
    def has_follow_up(self) -> bool:
        return bool(self.control & FOLLOW_UP_BIT)

    @property
    def function(self) -> int:
        return self.control & FUNCTION_MASK

    def encode(self) -> bytes:
        if not 0 <= self.preamble <= MAX_PREAMBLE:
            raise ProtocolError(f"0..{MAX_PREAMBLE} wake-up bytes, not {self.preamble}")
        if len(self.data) > 255:
            raise ProtocolError(f"data of {len(self.data)} bytes does not fit the length byte")
        body = (
            bytes([START])
            + encode_address(self.address)
            + bytes([START, self.control, len(self.data)])
            + bytes((b + 0x33) & 0xFF for b in self.data)
        )
        return bytes([WAKE_UP]) * self.preamble + body + bytes([sum(body) & 0xFF, END])


def check_frame(buf: bytes, start: int = 0) -> FrameCheck:
    """Is a complete, checksum-valid frame (with its wake-up bytes) at buf[start:]?"""
    i = start
    while i < len(buf) and buf[i] == WAKE_UP:
        i += 1
    preamble = i - start
    if preamble > MAX_PREAMBLE:
        return bad(f"{preamble} wake-up bytes FE, at most {MAX_PREAMBLE} are allowed")
    if i >= len(buf):
        return short(0, "frame start 68 missing")
    if buf[i] != START:
        return bad(f"expected frame start 68, got {buf[i]:02X}")
    if len(buf) - i < 10:
        return short(preamble + 12, "header incomplete")
    if buf[i + 7] != START:
        return bad(f"expected second 68 after the address, got {buf[i + 7]:02X}")
    for byte in buf[i + 1 : i + 7]:
        if byte != 0xAA and (byte >> 4 > 9 or byte & 0x0F > 9):
            return bad(f"address byte {byte:02X} is not BCD")
    length = preamble + 12 + buf[i + 9]
    if len(buf) - start < length:
        return short(length, f"frame needs {length} bytes")
    cs_at = start + length - 2
    want = sum(buf[i:cs_at]) & 0xFF
    if buf[cs_at] != want:
        return bad(f"bad checksum: expected {want:02X} got {buf[cs_at]:02X}")
    if buf[cs_at + 1] != END:
        return bad(f"expected end byte 16, got {buf[cs_at + 1]:02X}")
    return ok(length)


def parse_frame(raw: bytes) -> Frame:
    """A Frame from exactly one complete frame (what check_frame accepted)."""
    preamble = 0
    while raw[preamble] == WAKE_UP:
        preamble += 1
    i = preamble
    data = bytes((b - 0x33) & 0xFF for b in raw[i + 10 : i + 10 + raw[i + 9]])
    return Frame(decode_address(raw[i + 1 : i + 7]), raw[i + 8], data, preamble)


# --------------------------------------------------------------------------- messages


def _di_bytes(di: int, version: Version) -> bytes:
    return di.to_bytes(4 if version == Version.V2007 else 2, "little")


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """Read one data identifier (2007: C=11, 4-byte DI; 1997: C=01, 2-byte DI).
    extra: 2007 optional N / time bytes after the DI."""

    address: str
    di: int
    version: Version = Version.V2007
    extra: bytes = b""
    preamble: int = MAX_PREAMBLE

    def frame(self) -> Frame:
        control = F07_READ if self.version == Version.V2007 else F97_READ
        return Frame(
            self.address, control, _di_bytes(self.di, self.version) + self.extra, self.preamble
        )

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        item = data_item(self.di, self.version)
        said = dict(protocol=self.version.label, address=self.address)
        di = format_di(self.di, self.version)
        if item is None:
            return READ_REQUEST.say(lang, di=di, **said)
        return READ_REQUEST_NAMED.say(lang, di=di, name=term(item.name, lang), **said)


@dataclass(frozen=True, slots=True)
class ReadFollowUpRequest:
    """Read the next frame of a multi-frame reply (2007: C=12, DI + SEQ; 1997: C=02, DI)."""

    address: str
    di: int
    seq: int = 0
    version: Version = Version.V2007
    preamble: int = MAX_PREAMBLE

    def frame(self) -> Frame:
        if self.version == Version.V2007:
            return Frame(
                self.address,
                F07_READ_FOLLOW_UP,
                _di_bytes(self.di, self.version) + bytes([self.seq]),
                self.preamble,
            )
        return Frame(
            self.address, F97_READ_FOLLOW_UP, _di_bytes(self.di, self.version), self.preamble
        )

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        return READ_FOLLOW_UP_REQUEST.say(
            lang,
            protocol=self.version.label,
            address=self.address,
            di=format_di(self.di, self.version),
            seq=f" SEQ {self.seq}" if self.version == Version.V2007 else "",
        )


@dataclass(frozen=True, slots=True)
class ReadReply:
    """Normal reply to a read: DI and the value bytes (0x33 removed).

    more: C bit5, further frames follow (read them with ReadFollowUpRequest).
    follow_up_read: this frame answers a follow-up read (2007: C=92/B2 with SEQ last).
    """

    address: str
    di: int
    payload: bytes
    version: Version = Version.V2007
    more: bool = False
    follow_up_read: bool = False
    seq: int = 0
    preamble: int = 0

    @property
    def item(self) -> DataItem | None:
        return data_item(self.di, self.version)

    def values(self) -> list[Any]:
        """Decoded values; ProtocolError for an unknown DI, wrong size or invalid BCD."""
        item = self.item
        if item is None:
            raise ProtocolError(
                f"data identifier {format_di(self.di, self.version)} is not in our table"
            )
        return decode_values(item, self.payload)

    def frame(self) -> Frame:
        if self.version == Version.V2007:
            function = F07_READ_FOLLOW_UP if self.follow_up_read else F07_READ
        else:
            function = F97_READ_FOLLOW_UP if self.follow_up_read else F97_READ
        control = REPLY_BIT | (FOLLOW_UP_BIT if self.more else 0) | function
        data = _di_bytes(self.di, self.version) + self.payload
        if self.follow_up_read and self.version == Version.V2007:
            data += bytes([self.seq])
        return Frame(self.address, control, data, self.preamble)

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        head = READ_REPLY.say(
            lang,
            protocol=self.version.label,
            address=self.address,
            di=format_di(self.di, self.version),
        )
        item = self.item
        if item is None:
            meaning = UNKNOWN_DI.say(lang, head=head, payload=hex_bytes(self.payload))
        else:
            try:
                values = self.values()
            except ProtocolError as exc:
                meaning = INVALID_VALUE.say(
                    lang, head=head, name=term(item.name, lang), problem=str(exc)
                )
            else:
                meaning = f"{head} {term(item.name, lang)} = {_show(item, values, lang)}"
        if self.more:
            meaning = MORE_FRAMES.say(lang, meaning=meaning)
        if self.follow_up_read and self.version == Version.V2007:
            meaning = FOLLOW_UP_SEQ.say(lang, meaning=meaning, seq=self.seq)
        return meaning


def _show(item: DataItem, values: list[Any], lang: str = ENGLISH) -> str:
    unit = f" {term(item.unit, lang)}" if item.unit else ""
    if item.kind == "bits":
        shown = [f"{v:04X}" for v in values]
        if item.target == "status3":
            return f"{shown[0]} ({StatusWord3(values[0]).describe(lang)})"
        return ", ".join(shown)
    return ", ".join(f"{v}{unit}" for v in values)


@dataclass(frozen=True, slots=True)
class ErrorReply:
    """Abnormal reply (C bit6): the meter refused `function` with an ERR byte (§2.3)."""

    address: str
    function: int
    error: int
    version: Version = Version.V2007
    preamble: int = 0

    @property
    def explanation(self) -> str:
        return explain_error(self.error, self.version)

    def frame(self) -> Frame:
        return Frame(
            self.address,
            REPLY_BIT | ABNORMAL_BIT | self.function,
            bytes([self.error]),
            self.preamble,
        )

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        name = FUNCTION_NAMES[self.version].get(self.function, "unknown function")
        explanation = joined(term(part, lang) for part in self.explanation.split("; "))
        return ERROR_REPLY.say(
            lang,
            protocol=self.version.label,
            address=self.address,
            function=term(name, lang),
            code=f"0x{self.function:02X}",
            err=f"{self.error:02X}",
            explanation=explanation,
        )


@dataclass(frozen=True, slots=True)
class ReadAddressRequest:
    """C=13 to the wildcard address: the only meter on the line answers with its address."""

    address: str = WILDCARD
    preamble: int = MAX_PREAMBLE

    def frame(self) -> Frame:
        return Frame(self.address, F07_READ_ADDRESS, b"", self.preamble)

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        return READ_ADDRESS_REQUEST.say(lang, address=self.address)


@dataclass(frozen=True, slots=True)
class AddressReply:
    address: str
    preamble: int = 0

    def frame(self) -> Frame:
        return Frame(
            self.address, REPLY_BIT | F07_READ_ADDRESS, encode_address(self.address), self.preamble
        )

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        return ADDRESS_REPLY.say(lang, address=self.address)


@dataclass(frozen=True, slots=True)
class BroadcastTime:
    """C=08 to 99…99: every meter sets its clock; nobody replies (§2.2)."""

    at: datetime
    preamble: int = MAX_PREAMBLE

    def frame(self) -> Frame:
        return Frame(BROADCAST, F_BROADCAST_TIME, _time_bytes(self.at), self.preamble)

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        return BROADCAST_TIME.say(lang, at=f"{self.at:%Y-%m-%d %H:%M:%S}")


@dataclass(frozen=True, slots=True)
class RelayControl:
    """C=1C remote control (§2.4): PA P0 P1 P2 | C0..C3 | N1 | N2=00 | deadline ss mm hh DD MM YY.

    password: 6 hex digits as written ("123456" → P0=56 P1=34 P2=12, low byte first like
    every multi-byte field); level: PA, the password's authority level; operator: 8 hex
    digits, same order; deadline: the command is void after it (meter local time).
    """

    address: str
    code: int
    deadline: datetime
    password: str = "000000"
    level: int = 0x02
    operator: str = "00000000"
    preamble: int = MAX_PREAMBLE

    @property
    def meaning(self) -> str:
        return RELAY_CODES.get(self.code, f"unknown control type {self.code:02X}")

    def frame(self) -> Frame:
        data = (
            bytes([self.level])
            + _hex_le(self.password, 3, "password")
            + _hex_le(self.operator, 4, "operator code")
            + bytes([self.code, 0x00])
            + _time_bytes(self.deadline)
        )
        return Frame(self.address, F07_RELAY, data, self.preamble)

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        known = RELAY_CODES.get(self.code)
        return RELAY_CONTROL.say(
            lang,
            address=self.address,
            code=f"{self.code:02X}",
            meaning=term(known, lang)
            if known
            else UNKNOWN_CONTROL_TYPE.say(lang, code=f"{self.code:02X}"),
            level=f"{self.level:02X}",
            operator=self.operator,
            until=f"{self.deadline:%Y-%m-%d %H:%M:%S}",
        )


def _hex_le(text: str, size: int, what: str) -> bytes:
    if len(text) != 2 * size:
        raise ProtocolError(f"{what} must be {2 * size} hex digits, not {text!r}")
    try:
        return bytes(reversed(bytes.fromhex(text)))
    except ValueError:
        raise ProtocolError(f"{what} must be hex digits, not {text!r}") from None


@dataclass(frozen=True, slots=True)
class Ack:
    """Normal reply without data (e.g. 9C = relay command accepted, 94 = written)."""

    address: str
    function: int
    version: Version = Version.V2007
    preamble: int = 0

    def frame(self) -> Frame:
        return Frame(self.address, REPLY_BIT | self.function, b"", self.preamble)

    def encode(self) -> bytes:
        return self.frame().encode()

    def describe(self, lang: str = ENGLISH) -> str:
        name = FUNCTION_NAMES[self.version].get(self.function)
        return ACK.say(
            lang,
            protocol=self.version.label,
            address=self.address,
            name=term(name, lang)
            if name
            else FUNCTION_CODE.say(lang, code=f"0x{self.function:02X}"),
        )


@dataclass(frozen=True, slots=True)
class OtherFrame:
    """A sound frame whose function this codec does not interpret (write, freeze …)."""

    raw: Frame
    version: Version = Version.V2007

    @property
    def address(self) -> str:
        return self.raw.address

    def frame(self) -> Frame:
        return self.raw

    def encode(self) -> bytes:
        return self.raw.encode()

    def describe(self, lang: str = ENGLISH) -> str:
        f = self.raw
        name = FUNCTION_NAMES[self.version].get(f.function, "unknown function")
        return (OTHER_REPLY if f.is_reply else OTHER_REQUEST).say(
            lang,
            protocol=self.version.label,
            address=f.address,
            name=term(name, lang),
            control=f"{f.control:02X}",
            data=hex_bytes(f.data) or NO_DATA,
        )


Message = (
    ReadRequest
    | ReadFollowUpRequest
    | ReadReply
    | ErrorReply
    | ReadAddressRequest
    | AddressReply
    | BroadcastTime
    | RelayControl
    | Ack
    | OtherFrame
)


def version_of(frame: Frame) -> Version:
    return Version.V1997 if frame.function in _FUNCTIONS_1997_ONLY else Version.V2007


def interpret(frame: Frame, version: Version | None = None) -> Message:
    """The message a frame carries; ProtocolError when its data does not fit its function."""
    version = version or version_of(frame)
    f, data, pre = frame.function, frame.data, frame.preamble
    di_size = 4 if version == Version.V2007 else 2
    if frame.is_reply and frame.is_abnormal:
        if len(data) < 1:
            raise ProtocolError("error reply without an ERR byte")
        return ErrorReply(frame.address, f, data[0], version, pre)
    if f in (F07_READ, F97_READ) or (f in (F07_READ_FOLLOW_UP, F97_READ_FOLLOW_UP)):
        follow = f in (F07_READ_FOLLOW_UP, F97_READ_FOLLOW_UP)
        if len(data) < di_size:
            raise ProtocolError(
                f"read frame with {len(data)} data bytes, the DI alone needs {di_size}"
            )
        di = int.from_bytes(data[:di_size], "little")
        rest = data[di_size:]
        seq_here = follow and version == Version.V2007
        if frame.is_reply:
            if seq_here and not rest:
                raise ProtocolError("follow-up reply without SEQ byte")
            payload, seq = (rest[:-1], rest[-1]) if seq_here else (rest, 0)
            return ReadReply(
                frame.address, di, payload, version, frame.has_follow_up, follow, seq, pre
            )
        if follow:
            seq = rest[0] if seq_here and rest else 0
            return ReadFollowUpRequest(frame.address, di, seq, version, pre)
        return ReadRequest(frame.address, di, version, rest, pre)
    if f == F07_READ_ADDRESS and version == Version.V2007:
        if frame.is_reply:
            if len(data) != 6:
                raise ProtocolError(f"address reply with {len(data)} data bytes, expected 6")
            return AddressReply(decode_address(data), pre)
        return ReadAddressRequest(frame.address, pre)
    if f == F_BROADCAST_TIME and not frame.is_reply:
        if len(data) != 6:
            raise ProtocolError(f"broadcast time with {len(data)} data bytes, expected 6")
        return BroadcastTime(_parse_time(data, "broadcast time"), pre)
    if f == F07_RELAY and version == Version.V2007 and not frame.is_reply:
        if len(data) != 16:
            raise ProtocolError(f"relay control with {len(data)} data bytes, expected 16")
        return RelayControl(
            frame.address,
            data[8],
            _parse_time(data[10:16], "relay control deadline"),
            password=bytes(reversed(data[1:4])).hex().upper(),
            level=data[0],
            operator=bytes(reversed(data[4:8])).hex().upper(),
            preamble=pre,
        )
    if frame.is_reply and not data:
        return Ack(frame.address, f, version, pre)
    return OtherFrame(frame, version)


def decode(buf: bytes, version: Version | None = None) -> tuple[int, Message | Garbage | None]:
    """Stream decode: (used, message | Garbage | None). The caller compares the address
    with the meter it asked (another meter's reply is a valid frame)."""
    used, item = next_frame(buf, check_frame)
    if not isinstance(item, bytes):
        return used, item
    try:
        return used, interpret(parse_frame(item), version)
    except ProtocolError as exc:
        return used, Garbage(item, str(exc))


# --------------------------------------------------------------------------- builders


def read_request(
    address: str, di: int, version: Version = Version.V2007, preamble: int = MAX_PREAMBLE
) -> bytes:
    """`read_request("123456789012", 0x00010000)` → §2.7 'read forward active total'."""
    return ReadRequest(address, di, version, preamble=preamble).encode()


def read_reply(
    address: str,
    di: int,
    values: Iterable[Any],
    version: Version = Version.V2007,
    more: bool = False,
) -> bytes:
    """Meter side (simulator): a reply carrying values encoded by the DI table."""
    item = data_item(di, version)
    if item is None:
        raise ProtocolError(f"data identifier {format_di(di, version)} is not in our table")
    return ReadReply(address, di, encode_values(item, values), version, more).encode()


def relay_control(
    address: str,
    action: Action,
    deadline: datetime,
    *,
    password: str = "000000",
    level: int = 0x02,
    operator: str = "00000000",
    direct_close: bool = False,
) -> bytes:
    return RelayControl(
        address, relay_code(action, direct_close=direct_close), deadline, password, level, operator
    ).encode()


def broadcast_time(at: datetime) -> bytes:
    return BroadcastTime(at).encode()


def read_address_request() -> bytes:
    return ReadAddressRequest().encode()


# --------------------------------------------------------------------------- readings


def reading_fields(replies: Iterable[ReadReply]) -> dict[str, Any]:
    """MeterReading keyword arguments from read replies (energies in 0.01 kWh, money in
    0.01 yuan, floats otherwise). Single tariff replies are combined once all four are in."""
    out: dict[str, Any] = {}
    tariffs: dict[int, int] = {}
    for reply in replies:
        item = reply.item
        if item is None or not item.target:
            continue
        values = reply.values()
        target = item.target
        if target in ("total", "remaining_money", "reverse_total"):
            out[target] = _hundredths(values[0])
        elif target.startswith("tariff:"):
            tariffs[int(target.split(":")[1])] = _hundredths(values[0])
        elif target == "energy_block":
            out["total"] = _hundredths(values[0])
            if len(values) >= 5:
                out["tariffs"] = tuple(_hundredths(v) for v in values[1:5])
        elif target.startswith("first:"):
            out[target.split(":")[1]] = float(values[0])
        elif target == "cover_opens":
            out[target] = int(values[0])
        elif target in ("status3", "status_block"):
            word = StatusWord3(values[0] if target == "status3" else values[2])
            out["relay_closed"] = not word.relay_open
            out["forced_mode"] = "forced_on" if word.protected else None
        else:
            out[target] = float(values[0])
    if len(tariffs) == 4:
        out["tariffs"] = tuple(tariffs[i] for i in range(4))
    return out


def _hundredths(value: Decimal) -> int:
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ProtocolError(f"{value} is finer than 0.01")
    return int(scaled)
