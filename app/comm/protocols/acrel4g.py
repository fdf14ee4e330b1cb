"""Acrel 4G direct-connect framing (DDSY/DTSY1352-4G dial in to our listener), PROTOCOLS.md §1.6.

Frame::

    7B 7B | cmd (1) | payload (N) | CRC16 (2, over cmd + payload, low byte first) | 7D 7D

There is no length field: a frame ends at the first `7D 7D` after which the CRC matches
(payload bytes may contain 7D 7D themselves).

Commands (cmd, direction, payload):

    84  meter → us   register: serial (20 B ASCII, NUL padded), ICCID (30 B), RSSI (1),
                     3 firmware versions (2 B BCD each), report interval in minutes (1)
    84  us → meter   empty = ACK: `7B 7B 84 BF 23 7D 7D`
    94  meter → us   heartbeat (payload opaque, often empty or the serial)
    93  meter → us   time-sync request (empty or the 20-byte serial)
    93  us → meter   time: YY MM DD WW hh mm ss, plain binary, Sunday = 0 (ems4j; a fork
                     uses BCD — verify on a meter, §1.6)
    91  meter → us   data upload: [serial (20 B)] `[[` meter address (ASCII) `((` Modbus-RTU
                     response `))` `]]` …; the RTU response carries the Map-B block (§1.3)
    91  us → meter   empty = ACK
    90  us → meter   downlink: a raw Modbus-RTU request
    90  meter → us   downlink answer: [serial (20 B)] + the RTU response; some firmwares
                     acknowledge a write with the serial only (no RTU response)

Firmware variants met in the field (ems4j handles each): a write acknowledged with the
serial only, an upload whose embedded RTU response has no CRC, and the 8-tariff upload
(0x90 data bytes) whose clock at byte 80 has no weekday. The codec reads all of them; what
a meter's firmware may do is its profile's [acrel4g] table (profiles.ACREL_4G_DEFAULTS).

Sources: PROTOCOLS.md §1.6 [S3] (ems4j 4G packet parsers and handlers), [S5].
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.comm.profiles import Profile
from app.comm.protocols import modbus_rtu
from app.comm.protocols.common import (
    FrameCheck,
    Garbage,
    ProtocolError,
    bad,
    crc16_bytes,
    hex_bytes,
    next_frame,
    ok,
    short,
)
from app.comm.protocols.terms import NO_DATA, joined, term
from app.comm.types import MeterReading
from app.words import ENGLISH, QT_TRANSLATE_NOOP, Word

HEAD = b"\x7b\x7b"
TAIL = b"\x7d\x7d"
MAX_FRAME = 2048  # far above the largest upload (8-tariff block ≈ 200 B)

DOWNLINK = 0x90
DATA_UPLOAD = 0x91
TIME_SYNC = 0x93
REGISTER = 0x84
HEARTBEAT = 0x94

COMMAND_NAMES = {
    DOWNLINK: "downlink (Modbus RTU inside)",
    DATA_UPLOAD: "data upload",
    TIME_SYNC: "time sync",
    REGISTER: "register",
    HEARTBEAT: "heartbeat",
}

# a frame's meaning (报文含义) in words
REGISTER_MEANING = Word(
    "comm.frame.acrel4g_register",
    QT_TRANSLATE_NOOP(
        "CommFrames",
        "Acrel 4G register from {serial}: ICCID {iccid}, RSSI {rssi}, firmware {firmware}, "
        "reports every {minutes} min",
    ),
)
ACK_MEANING = Word(
    "comm.frame.acrel4g_ack", QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G acknowledgement of {what}")
)
COMMAND_CODE = Word(
    "comm.frame.acrel4g_command_code", QT_TRANSLATE_NOOP("CommFrames", "command {code}")
)
HEARTBEAT_MEANING = Word(
    "comm.frame.acrel4g_heartbeat", QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G heartbeat{extra}")
)
TIME_SYNC_REQUEST_MEANING = Word(
    "comm.frame.acrel4g_time_sync_request",
    QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G time-sync request"),
)
TIME_SYNC_REQUEST_FROM = Word(
    "comm.frame.acrel4g_time_sync_request_from",
    QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G time-sync request from {serial}"),
)
TIME_SYNC_MEANING = Word(
    "comm.frame.acrel4g_time_sync", QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G time sync: {at}")
)
UPLOAD_SECTION = Word(
    "comm.frame.acrel4g_upload_section",
    QT_TRANSLATE_NOOP("CommFrames", "meter {meter}: {count} registers"),
)
UPLOAD_NO_CRC = Word(
    "comm.frame.acrel4g_upload_no_crc", QT_TRANSLATE_NOOP("CommFrames", "{part} (no CRC)")
)
UPLOAD_BAD_CLOCK = Word(
    "comm.frame.acrel4g_upload_bad_clock",
    QT_TRANSLATE_NOOP("CommFrames", "{part}, invalid meter clock ({problem})"),
)
UPLOAD_CLOCK = Word(
    "comm.frame.acrel4g_upload_clock",
    QT_TRANSLATE_NOOP("CommFrames", "{part}, meter clock {clock}"),
)
UPLOAD_BAD_RTU = Word(
    "comm.frame.acrel4g_upload_bad_rtu",
    QT_TRANSLATE_NOOP("CommFrames", "meter {meter}: invalid RTU response ({problem})"),
)
UPLOAD_MEANING = Word(
    "comm.frame.acrel4g_upload", QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G data upload: {parts}")
)
UPLOAD_FROM = Word(
    "comm.frame.acrel4g_upload_from",
    QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G data upload from {serial}: {parts}"),
)
SERIAL_ONLY_ANSWER = Word(
    "comm.frame.acrel4g_serial_only_answer",
    QT_TRANSLATE_NOOP(
        "CommFrames",
        "Acrel 4G downlink answer from {serial}: the serial only, no Modbus reply (some "
        "firmwares acknowledge a write so)",
    ),
)
DOWNLINK_MEANING = Word(
    "comm.frame.acrel4g_downlink",
    QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G downlink: Modbus RTU {role} {inner}"),
)
DOWNLINK_FROM = Word(
    "comm.frame.acrel4g_downlink_from",
    QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G downlink from {serial}: Modbus RTU {role} {inner}"),
)
DOWNLINK_INVALID = Word(
    "comm.frame.acrel4g_downlink_invalid",
    QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G downlink with an invalid RTU frame {frame}"),
)
OTHER_COMMAND = Word(
    "comm.frame.acrel4g_other_command",
    QT_TRANSLATE_NOOP("CommFrames", "Acrel 4G command {code} (not interpreted), payload {payload}"),
)

SERIAL_SIZE = 20
ICCID_SIZE = 30
REGISTER_SIZE = SERIAL_SIZE + ICCID_SIZE + 1 + 3 * 2 + 1  # 58
SECTION_START, SECTION_END = b"[[", b"]]"
RTU_START, RTU_END = b"((", b"))"


# --------------------------------------------------------------------------- framing


def encode_frame(command: int, payload: bytes = b"") -> bytes:
    body = bytes([command]) + payload
    return HEAD + body + crc16_bytes(body) + TAIL


def check_frame(buf: bytes, start: int = 0, *, complete: bool = False) -> FrameCheck:
    """Is a complete, CRC-valid frame at buf[start:]?

    A `7D 7D` whose CRC does not match may be payload, so the frame is only BAD once a new
    `7B 7B` follows it, it grows past MAX_FRAME, or `complete` says no more bytes will come.
    """
    have = len(buf) - start
    if have < 1:
        return short(7, "no bytes")
    if buf[start] != HEAD[0] or (have >= 2 and buf[start + 1] != HEAD[1]):
        return bad("expected frame head 7B 7B")
    first_mismatch = ""
    after_mismatch = 0
    end = start + 5  # head + cmd + CRC is the shortest body before the tail
    while True:
        tail_at = buf.find(TAIL, end)
        if tail_at < 0:
            break
        body = buf[start + 2 : tail_at - 2]
        got = buf[tail_at - 2 : tail_at]
        if crc16_bytes(body) == got:
            return ok(tail_at + 2 - start)
        if not first_mismatch:
            first_mismatch = (
                f"bad CRC: expected {hex_bytes(crc16_bytes(body))} got {hex_bytes(got)}"
            )
            after_mismatch = tail_at + 2
        end = tail_at + 1
    if first_mismatch and (complete or buf.find(HEAD, after_mismatch) >= 0):
        return bad(first_mismatch)
    if have > MAX_FRAME:
        return bad(first_mismatch or f"no end 7D 7D within {MAX_FRAME} bytes")
    if complete:
        return short(0, "no end 7D 7D")
    return short(0, first_mismatch or "no end 7D 7D yet")


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True, slots=True)
class Register:
    """0x84 from the meter: who it is. Answer with `register_ack()`."""

    serial: str
    iccid: str
    rssi: int
    firmware: tuple[str, str, str]  # 4 BCD digits each, e.g. "0102"
    interval_min: int

    def encode(self) -> bytes:
        versions = b"".join(_bcd4(v) for v in self.firmware)
        payload = (
            _text(self.serial, SERIAL_SIZE, "serial")
            + _text(self.iccid, ICCID_SIZE, "ICCID")
            + bytes([self.rssi])
            + versions
            + bytes([self.interval_min])
        )
        return encode_frame(REGISTER, payload)

    def describe(self, lang: str = ENGLISH) -> str:
        return REGISTER_MEANING.say(
            lang,
            serial=self.serial,
            iccid=self.iccid,
            rssi=self.rssi,
            firmware="/".join(self.firmware),
            minutes=self.interval_min,
        )


@dataclass(frozen=True, slots=True)
class Ack:
    """A command with an empty payload: our ACK to register (84) or upload (91)."""

    command: int

    def encode(self) -> bytes:
        return encode_frame(self.command)

    def describe(self, lang: str = ENGLISH) -> str:
        name = COMMAND_NAMES.get(self.command)
        what = term(name, lang) if name else COMMAND_CODE.say(lang, code=f"{self.command:02X}")
        return ACK_MEANING.say(lang, what=what)


@dataclass(frozen=True, slots=True)
class Heartbeat:
    payload: bytes = b""

    def encode(self) -> bytes:
        return encode_frame(HEARTBEAT, self.payload)

    def describe(self, lang: str = ENGLISH) -> str:
        extra = f" ({_printable(self.payload) or hex_bytes(self.payload)})" if self.payload else ""
        return HEARTBEAT_MEANING.say(lang, extra=extra)


@dataclass(frozen=True, slots=True)
class TimeSyncRequest:
    serial: str = ""

    def encode(self) -> bytes:
        return encode_frame(
            TIME_SYNC, _text(self.serial, SERIAL_SIZE, "serial") if self.serial else b""
        )

    def describe(self, lang: str = ENGLISH) -> str:
        if self.serial:
            return TIME_SYNC_REQUEST_FROM.say(lang, serial=self.serial)
        return TIME_SYNC_REQUEST_MEANING.say(lang)


@dataclass(frozen=True, slots=True)
class TimeSync:
    """Our answer to a time-sync request: the time in plain binary bytes (see module doc)."""

    at: datetime

    def encode(self) -> bytes:
        at = self.at
        if not 2000 <= at.year <= 2255:
            raise ProtocolError(f"year {at.year} cannot be sent")
        weekday = at.isoweekday() % 7  # Sunday = 0
        return encode_frame(
            TIME_SYNC,
            bytes([at.year - 2000, at.month, at.day, weekday, at.hour, at.minute, at.second]),
        )

    def describe(self, lang: str = ENGLISH) -> str:
        return TIME_SYNC_MEANING.say(lang, at=f"{self.at:%Y-%m-%d %H:%M:%S}")


@dataclass(frozen=True, slots=True)
class UploadSection:
    """One `[[ meter address (( RTU response )) ]]` of a data upload. crc: the RTU
    response carries its CRC (some firmwares leave it out)."""

    meter_address: str
    rtu: bytes
    crc: bool = True

    def response(self) -> modbus_rtu.ReadResponse:
        """The embedded RTU response, CRC-checked when it has one."""
        if self.crc:
            message = _one_rtu(self.rtu, modbus_rtu.RESPONSE)
        else:
            message = modbus_rtu.parse_pdu(self.rtu[0], self.rtu[1:], modbus_rtu.RESPONSE)
        if not isinstance(message, modbus_rtu.ReadResponse):
            raise ProtocolError(
                f"upload from meter {self.meter_address} carries {message.describe()}, not a read"
            )
        return message


@dataclass(frozen=True, slots=True)
class DataUpload:
    sections: tuple[UploadSection, ...]
    serial: str = ""

    def encode(self) -> bytes:
        payload = _text(self.serial, SERIAL_SIZE, "serial") if self.serial else b""
        for s in self.sections:
            payload += (
                SECTION_START
                + s.meter_address.encode("ascii")
                + RTU_START
                + s.rtu
                + RTU_END
                + SECTION_END
            )
        return encode_frame(DATA_UPLOAD, payload)

    def describe(self, lang: str = ENGLISH, *, clocks: dict[int, str] | None = None) -> str:
        """clocks: the clock layout by data size (default CLOCK_LAYOUTS; a profile's own)."""
        parts = []
        for s in self.sections:
            try:
                count = len(s.response().registers)
            except ProtocolError as exc:
                parts.append(UPLOAD_BAD_RTU(meter=s.meter_address, problem=str(exc)))
                continue
            part = UPLOAD_SECTION(meter=s.meter_address, count=count)
            if not s.crc:
                part = UPLOAD_NO_CRC(part=part)
            try:
                clock = upload_clock(s, clocks or CLOCK_LAYOUTS)
            except ProtocolError as exc:
                clock, part = None, UPLOAD_BAD_CLOCK(part=part, problem=str(exc))
            if clock is not None:
                part = UPLOAD_CLOCK(part=part, clock=f"{clock:%Y-%m-%d %H:%M:%S}")
            parts.append(part)
        if self.serial:
            return UPLOAD_FROM.say(lang, serial=self.serial, parts=joined(parts))
        return UPLOAD_MEANING.say(lang, parts=joined(parts))


@dataclass(frozen=True, slots=True)
class Downlink:
    """0x90 either way: to the meter an RTU request, from the meter the RTU response
    (optionally after its 20-byte serial). Which one it is, the direction tells."""

    rtu: bytes
    serial: str = ""

    def encode(self) -> bytes:
        return encode_frame(
            DOWNLINK, (_text(self.serial, SERIAL_SIZE, "serial") if self.serial else b"") + self.rtu
        )

    def request(self) -> modbus_rtu.Message:
        return _one_rtu(self.rtu, modbus_rtu.REQUEST)

    def response(self) -> modbus_rtu.Message:
        return _one_rtu(self.rtu, modbus_rtu.RESPONSE)

    def describe(self, lang: str = ENGLISH) -> str:
        if not self.rtu and self.serial:
            return SERIAL_ONLY_ANSWER.say(lang, serial=self.serial)
        for role in (modbus_rtu.REQUEST, modbus_rtu.RESPONSE):
            try:
                inner = _one_rtu(self.rtu, role)
            except ProtocolError:
                continue
            said = dict(role=term(role, lang), inner=inner.describe(lang))
            if self.serial:
                return DOWNLINK_FROM.say(lang, serial=self.serial, **said)
            return DOWNLINK_MEANING.say(lang, **said)
        return DOWNLINK_INVALID.say(lang, frame=hex_bytes(self.rtu))


@dataclass(frozen=True, slots=True)
class OtherCommand:
    command: int
    payload: bytes

    def encode(self) -> bytes:
        return encode_frame(self.command, self.payload)

    def describe(self, lang: str = ENGLISH) -> str:
        return OTHER_COMMAND.say(
            lang, code=f"{self.command:02X}", payload=hex_bytes(self.payload) or NO_DATA
        )


Message = (
    Register | Ack | Heartbeat | TimeSyncRequest | TimeSync | DataUpload | Downlink | OtherCommand
)


def _text(value: str, size: int, what: str) -> bytes:
    raw = value.encode("ascii")
    if len(raw) > size:
        raise ProtocolError(f"{what} {value!r} is longer than {size} bytes")
    return raw.ljust(size, b"\x00")


def _read_text(raw: bytes) -> str:
    return raw.split(b"\x00", 1)[0].decode("ascii", errors="replace").strip()


def _printable(raw: bytes) -> str:
    text = raw.rstrip(b"\x00")
    return text.decode("ascii") if text and all(0x20 <= b < 0x7F for b in text) else ""


def _looks_like_serial(raw: bytes) -> bool:
    # An RTU frame's second byte is a function code (< 0x20), so it never passes this test.
    return any(raw) and all(b == 0 or 0x20 <= b < 0x7F for b in raw)


def _bcd4(version: str) -> bytes:
    if len(version) != 4 or not version.isdigit():
        raise ProtocolError(f"firmware version must be 4 digits, not {version!r}")
    return bytes.fromhex(version)


def _read_bcd4(raw: bytes) -> str:
    digits = raw.hex().upper()
    if not digits.isdigit():
        raise ProtocolError(f"firmware version {hex_bytes(raw)} is not BCD")
    return digits


def _one_rtu(raw: bytes, role: modbus_rtu.Role) -> modbus_rtu.Message:
    used, message = modbus_rtu.decode_rtu(raw, role)  # the fast path for a clean read
    if used == len(raw) and message is not None and not isinstance(message, Garbage):
        return message
    check = modbus_rtu.check_rtu(raw, 0, role)
    if not check.is_ok:
        raise ProtocolError(f"embedded Modbus RTU {role}: {check.reason}")
    if check.length != len(raw):
        raise ProtocolError(
            f"embedded Modbus RTU {role} has {len(raw) - check.length} extra byte(s)"
        )
    return modbus_rtu.parse_pdu(raw[0], raw[1:-2], role)


def _parse_sections(payload: bytes) -> tuple[UploadSection, ...]:
    sections = []
    i = 0
    while i < len(payload):
        if payload[i : i + 2] != SECTION_START:
            raise ProtocolError(f"upload section should start with [[ at byte {i}")
        rtu_at = payload.find(RTU_START, i + 2)
        if rtu_at < 0:
            raise ProtocolError("upload section without (( before the Modbus data")
        address = payload[i + 2 : rtu_at].decode("ascii", errors="replace").strip()
        # The RTU response's own byte count gives its end: register data may contain `))`.
        at = rtu_at + 2
        check = modbus_rtu.check_rtu(payload, at, modbus_rtu.RESPONSE)
        crc = check.is_ok
        if crc:
            rtu_end = at + check.length
        else:  # a reply without its CRC: its byte count must end exactly at `)) ]]`
            rtu_end = at + 3 + payload[at + 2] if len(payload) > at + 2 else len(payload)
            if (
                payload[at + 1 : at + 2] not in (b"\x03", b"\x04")
                or payload[rtu_end : rtu_end + 4] != RTU_END + SECTION_END
            ):
                raise ProtocolError(
                    f"upload from meter {address}: Modbus RTU response {check.reason}"
                )
        if payload[rtu_end : rtu_end + 4] != RTU_END + SECTION_END:
            raise ProtocolError(
                f"upload from meter {address}: expected )) ]] after the Modbus data"
            )
        sections.append(UploadSection(address, payload[at:rtu_end], crc))
        i = rtu_end + 4
    if not sections:
        raise ProtocolError("data upload without any [[ … ]] section")
    return tuple(sections)


def interpret(command: int, payload: bytes) -> Message:
    """The message of one frame; ProtocolError when the payload does not fit the command."""
    if command == REGISTER:
        if not payload:
            return Ack(REGISTER)
        if len(payload) != REGISTER_SIZE:
            raise ProtocolError(
                f"register payload of {len(payload)} bytes, expected {REGISTER_SIZE}"
            )
        at = SERIAL_SIZE + ICCID_SIZE
        return Register(
            serial=_read_text(payload[:SERIAL_SIZE]),
            iccid=_read_text(payload[SERIAL_SIZE:at]),
            rssi=payload[at],
            firmware=tuple(_read_bcd4(payload[at + 1 + 2 * k : at + 3 + 2 * k]) for k in range(3)),
            interval_min=payload[at + 7],
        )
    if command == HEARTBEAT:
        return Heartbeat(payload)
    if command == TIME_SYNC:
        if len(payload) == 7:
            yy, mo, dd, _weekday, hh, mi, ss = payload
            try:
                return TimeSync(datetime(2000 + yy, mo, dd, hh, mi, ss))
            except ValueError as exc:
                raise ProtocolError(f"time sync: {exc}") from None
        if payload and len(payload) != SERIAL_SIZE:
            raise ProtocolError(
                f"time-sync payload of {len(payload)} bytes, expected 0, 7 or {SERIAL_SIZE}"
            )
        return TimeSyncRequest(_read_text(payload))
    if command == DATA_UPLOAD:
        if not payload:
            return Ack(DATA_UPLOAD)
        serial = ""
        if payload[:2] != SECTION_START:
            serial, payload = _read_text(payload[:SERIAL_SIZE]), payload[SERIAL_SIZE:]
        return DataUpload(_parse_sections(payload), serial)
    if command == DOWNLINK:
        if not payload:
            return Ack(DOWNLINK)
        if len(payload) >= SERIAL_SIZE and _looks_like_serial(payload[:SERIAL_SIZE]):
            return Downlink(payload[SERIAL_SIZE:], _read_text(payload[:SERIAL_SIZE]))
        return Downlink(payload)
    return OtherCommand(command, payload)


def parse_frame(raw: bytes) -> Message:
    """One complete frame (as check_frame accepted it) → message."""
    return interpret(raw[2], raw[3:-4])


def decode(buf: bytes) -> tuple[int, Message | Garbage | None]:
    """Stream decode: (used, message | Garbage | None), hunting past garbage."""
    used, item = next_frame(buf, check_frame)
    if not isinstance(item, bytes):
        return used, item
    try:
        return used, parse_frame(item)
    except ProtocolError as exc:
        return used, Garbage(item, str(exc))


# --------------------------------------------------------------------------- builders


def register_ack() -> bytes:
    """`7B 7B 84 BF 23 7D 7D` (PROTOCOLS.md §1.6)."""
    return Ack(REGISTER).encode()


def upload_ack() -> bytes:
    return Ack(DATA_UPLOAD).encode()


def heartbeat(payload: bytes = b"") -> bytes:
    """Meter side (simulator): a heartbeat."""
    return Heartbeat(payload).encode()


def time_sync(at: datetime) -> bytes:
    return TimeSync(at).encode()


def downlink(rtu_request: bytes) -> bytes:
    """Wrap an RTU request: `downlink(modbus_rtu.write_request(1, 0x57, [1, 1]))` gives the
    verified example `7B 7B 90 01 10 00 57 00 02 04 00 01 00 01 27 75 38 7A 7D 7D`."""
    return _downlink(bytes(rtu_request))


@functools.lru_cache(maxsize=1024)  # the poller sends the same few requests to every meter
def _downlink(rtu_request: bytes) -> bytes:
    _one_rtu(rtu_request, modbus_rtu.REQUEST)
    return Downlink(rtu_request).encode()


def downlink_reply(rtu_response: bytes, serial: str = "") -> bytes:
    """Meter side (simulator): answer a downlink with the RTU response."""
    return Downlink(rtu_response, serial).encode()


def data_upload(sections: Sequence[tuple[str, bytes]], serial: str = "") -> bytes:
    """Meter side (simulator): `data_upload([("1", rtu_read_response)], serial)`."""
    return DataUpload(tuple(UploadSection(a, r) for a, r in sections), serial).encode()


def serial_only_write_ack(request: bytes) -> bytes | None:
    """The RTU write response a serial-only acknowledgement stands for, when `request` (the
    RTU request the meter was sent) is a write; None otherwise (a read needs its data)."""
    try:
        message = _one_rtu(request, modbus_rtu.REQUEST)
    except ProtocolError:
        return None
    if not isinstance(message, modbus_rtu.WriteRequest):
        return None
    return modbus_rtu.write_response(message.slave, message.start, len(message.values))


# --------------------------------------------------------------------------- readings

CLOCK_AT = 80  # data byte of the meter clock in both upload sizes (ems4j, PROTOCOLS.md §1.3)
UPLOAD_4_TARIFF, UPLOAD_8_TARIFF = 0x60, 0x90  # data bytes of the two upload blocks
CLOCK_LAYOUTS = {UPLOAD_4_TARIFF: "YY MM DD WW hh mm ss", UPLOAD_8_TARIFF: "YY MM DD hh mm ss"}


def clock_layouts(profile: Profile) -> dict[int, str]:
    """The clock layout by upload size as the meter's profile says ([acrel4g])."""
    return {
        UPLOAD_4_TARIFF: profile.acrel4g["clock_4_tariff"],
        UPLOAD_8_TARIFF: profile.acrel4g["clock_8_tariff"],
    }


def upload_clock(
    section: UploadSection, layouts: dict[int, str] = CLOCK_LAYOUTS
) -> datetime | None:
    """The meter's clock (its local time) from an upload, read with the layout of the
    upload's size; None for another size. ProtocolError when the bytes are no date."""
    data = b"".join(r.to_bytes(2, "big") for r in section.response().registers)
    layout = layouts.get(len(data))
    if layout is None:
        return None
    parts = dict(zip(layout.split(), data[CLOCK_AT:], strict=False))
    try:
        return datetime(
            2000 + parts["YY"], parts["MM"], parts["DD"], parts["hh"], parts["mm"], parts["ss"]
        )
    except ValueError as exc:
        raise ProtocolError(f"meter clock ({layout}): {exc}") from None


UPLOAD_BLOCK = "main"  # the profile block the meters upload (Map B 0x0200, PROTOCOLS.md §1.3)


def upload_reading(
    section: UploadSection, profile: Profile, *, channel_id: int, read_at: datetime
) -> MeterReading:
    """A MeterReading from one upload section. 8-tariff meters upload 0x90 bytes whose
    energies and money sit where the 48 registers have them (ems4j reads the total at offset
    42 in both), so only the block's first registers are used; their clock at byte 80 has
    another layout, read with `upload_clock`."""
    block = profile.blocks[UPLOAD_BLOCK]
    registers = section.response().registers
    if len(registers) < block.count:
        raise ProtocolError(
            f"upload from meter {section.meter_address} has {len(registers)} registers, expected "
            f"{block.count}"
        )
    image = dict(zip(range(block.start, block.end), registers[: block.count], strict=True))
    return profile.build_reading(
        profile.values(image),
        channel_id=channel_id,
        address=section.meter_address,
        read_at=read_at,
        source="upload",
    )
