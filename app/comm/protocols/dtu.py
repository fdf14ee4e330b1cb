"""Transparent 4G DTU: registration and heartbeat packets around raw meter bytes.

A transparent DTU dials in to our listener, says who it is (registration packet), sends
heartbeats while idle, and otherwise forwards raw RS485 bytes (Modbus RTU / DL/T 645) both
ways (PROTOCOLS.md §0.5). Every DTU brand words those packets differently, so each channel
configures them with a small format spec, e.g. in ChannelConfig.settings::

    {"register": "ascii:REG:{id}", "heartbeat": "hex:FE"}

Format spec::

    ascii:<text>    the packet is this ASCII text; escapes \\r \\n \\t \\\\ \\xHH
    hex:<digits>    the packet is these bytes (spaces allowed)

    placeholders (at most one per spec, in either form):
    {id}            the DTU id as 1–64 printable ASCII characters (up to the next literal)
    {id:N}          exactly N printable ASCII characters
    {id:hex:N}      N raw bytes, the id written as hex digits (e.g. a 4-byte serial)
    {id:bcd:N}      N BCD bytes, the id written as digits (e.g. an IMEI in 8 BCD bytes)
    {{  }}          literal braces

Matching rules (why): a registration may arrive glued to the first meter bytes, so it is
matched as a *prefix* of a packet and the rest is meter data. A heartbeat is recognised
only when the *whole packet* is one or more heartbeats: a heartbeat like `FE` is also a
DL/T 645 wake-up byte, and meter data must never be eaten. A heartbeat glued to meter data
reaches the meter decoder, which skips it as garbage (or as wake-up bytes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.comm.protocols.common import ProtocolError, hex_bytes

_PLACEHOLDER = re.compile(r"\{id(?::(?:(hex|bcd):)?(\d+))?\}")
_ANY_PLACEHOLDER = re.compile(r"(?<!\{)\{id[^}]*\}")
_PRINTABLE = rb"[\x21-\x7e]"
_ESCAPES = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}


@dataclass(frozen=True, slots=True)
class PacketFormat:
    """One compiled format spec (see module doc)."""

    spec: str
    prefix: bytes
    suffix: bytes
    id_kind: str = ""  # "" = no id, "ascii", "hex", "bcd"
    id_size: int = 0  # bytes; 0 = variable (ascii only)

    @classmethod
    def parse(cls, spec: str) -> PacketFormat:
        encoding, sep, body = spec.partition(":")
        if not sep or encoding not in ("ascii", "hex"):
            raise ProtocolError(f"DTU packet format {spec!r} must start with 'ascii:' or 'hex:'")
        for candidate in _ANY_PLACEHOLDER.finditer(body):
            if not _PLACEHOLDER.fullmatch(candidate.group(0)):
                raise ProtocolError(
                    f"DTU packet format {spec!r}: unknown placeholder {candidate.group(0)}; "
                    "use {id}, {id:N}, {id:hex:N} or {id:bcd:N}"
                )
        found = list(_PLACEHOLDER.finditer(body))
        if len(found) > 1:
            raise ProtocolError(f"DTU packet format {spec!r} has more than one {{id}}")
        if found:
            m = found[0]
            before, after = body[: m.start()], body[m.end() :]
            kind = m.group(1) or "ascii"
            size = int(m.group(2)) if m.group(2) else 0
            if m.group(2) == "0":
                raise ProtocolError(
                    f"DTU packet format {spec!r}: {m.group(0)} needs a size above 0"
                )
        else:
            before, after, kind, size = body, "", "", 0
        literal = _ascii_literal if encoding == "ascii" else _hex_literal
        prefix, suffix = literal(before, spec), literal(after, spec)
        if not prefix and not suffix and not kind:
            raise ProtocolError(f"DTU packet format {spec!r} is empty")
        return cls(spec, prefix, suffix, kind, size)

    @property
    def _pattern(self) -> re.Pattern[bytes]:
        if not self.id_kind:
            group = b""
        elif self.id_kind == "ascii":
            repeat = (
                b"{%d}" % self.id_size
                if self.id_size
                else (b"{1,64}?" if self.suffix else b"{1,64}")
            )
            group = b"(?P<id>" + _PRINTABLE + repeat + b")"
        else:
            group = b"(?P<id>.{%d})" % self.id_size
        return re.compile(re.escape(self.prefix) + group + re.escape(self.suffix), re.DOTALL)

    def match(self, data: bytes) -> tuple[int, str] | None:
        """(bytes used, DTU id) when data starts with this packet, else None."""
        m = self._pattern.match(data)
        if m is None:
            return None
        return m.end(), self._id_text(m.group("id")) if self.id_kind else ""

    def build(self, dtu_id: str = "") -> bytes:
        """The packet a DTU with this id sends (simulator side)."""
        return self.prefix + self._id_bytes(dtu_id) + self.suffix

    def _id_text(self, raw: bytes) -> str:
        if self.id_kind == "hex":
            return raw.hex().upper()
        if self.id_kind == "bcd":
            digits = raw.hex()
            if not digits.isdigit():
                raise ProtocolError(f"DTU id {hex_bytes(raw)} is not BCD")
            return digits
        return raw.decode("ascii")

    def _id_bytes(self, dtu_id: str) -> bytes:
        if not self.id_kind:
            if dtu_id:
                raise ProtocolError(f"DTU packet format {self.spec!r} has no {{id}}")
            return b""
        if self.id_kind == "ascii":
            raw = dtu_id.encode("ascii")
            if not re.fullmatch(_PRINTABLE + b"{1,64}", raw) or (
                self.id_size and len(raw) != self.id_size
            ):
                raise ProtocolError(f"DTU id {dtu_id!r} does not fit {self.spec!r}")
            return raw
        if self.id_kind == "bcd" and not dtu_id.isdigit():
            raise ProtocolError(f"DTU id {dtu_id!r} must be digits for {self.spec!r}")
        try:
            raw = bytes.fromhex(dtu_id)
        except ValueError:
            raise ProtocolError(f"DTU id {dtu_id!r} must be hex digits for {self.spec!r}") from None
        if len(raw) != self.id_size:
            raise ProtocolError(f"DTU id {dtu_id!r} must be {self.id_size} bytes for {self.spec!r}")
        return raw


def _ascii_literal(text: str, spec: str) -> bytes:
    out, i = [], 0
    text = text.replace("{{", "{").replace("}}", "}")
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 2 : i + 4]):
                out.append(chr(int(text[i + 2 : i + 4], 16)))
                i += 4
                continue
            raise ProtocolError(f"DTU packet format {spec!r}: unknown escape \\{nxt}")
        out.append(ch)
        i += 1
    try:
        return "".join(out).encode("latin-1")
    except UnicodeEncodeError:
        raise ProtocolError(f"DTU packet format {spec!r} is not ASCII") from None


def _hex_literal(text: str, spec: str) -> bytes:
    digits = "".join(text.split())
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise ProtocolError(f"DTU packet format {spec!r}: {text!r} is not hex") from None


# --------------------------------------------------------------------------- classification


@dataclass(frozen=True, slots=True)
class Registration:
    dtu_id: str
    rest: bytes = b""  # meter bytes that came in the same packet


@dataclass(frozen=True, slots=True)
class Heartbeat:
    count: int = 1


@dataclass(frozen=True, slots=True)
class MeterData:
    data: bytes


DtuPacket = Registration | Heartbeat | MeterData


@dataclass(frozen=True, slots=True)
class DtuFormat:
    """A channel's registration and heartbeat formats (either may be absent)."""

    register: PacketFormat | None = None
    heartbeat: PacketFormat | None = None

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> DtuFormat:
        """From ChannelConfig.settings keys "register" and "heartbeat" (both optional)."""
        register, heartbeat = settings.get("register"), settings.get("heartbeat")
        return cls(
            PacketFormat.parse(register) if register else None,
            PacketFormat.parse(heartbeat) if heartbeat else None,
        )

    def classify(self, packet: bytes) -> DtuPacket:
        """What one received packet is (see the matching rules in the module doc)."""
        if self.register is not None:
            found = self.register.match(packet)
            if found is not None:
                used, dtu_id = found
                return Registration(dtu_id, packet[used:])
        if self.heartbeat is not None and packet:
            count, at = 0, 0
            while at < len(packet):
                found = self.heartbeat.match(packet[at:])
                if found is None or found[0] == 0:
                    break
                at += found[0]
                count += 1
            if at == len(packet):
                return Heartbeat(count)
        return MeterData(packet)
