"""Meter profiles: a Modbus register map as data (resources/profiles/*.toml).

A profile says which register blocks to poll, how each field is stored (register, type,
word order, scale, unit, source), which fields feed which MeterReading attribute, and how
each app Action is written and verified. The poller uses it in one direction (requests out,
responses → values → MeterReading), the simulator in the other (values → register image).
The file format is described at the top of resources/profiles/_acrel_control.toml.

Values are `Decimal` in the field's unit when the field has a scale, `int` when it has none,
`bool` for bits. MeterReading energies are ints in 0.01 kWh (app/comm/types.py).
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.comm.protocols import modbus_rtu
from app.comm.protocols.common import Garbage, ProtocolError
from app.comm.types import Action, MeterKind, MeterReading, Protocol
from app.resources import RESOURCES

PROFILE_DIR = RESOURCES / "profiles"
DEFAULT_PROFILE = "acrel_ddsy1352_mapb"

# Acrel 4G firmware variants (the [acrel4g] table of a profile). The tolerant reading is the
# default wherever the frame is otherwise well-formed (ems4j meets each of these):
# - serial_only_write_ack: a write answered with only the meter's 20-byte serial counts as
#   acknowledged (ems4j Acrel4gDownlinkAckSupport);
# - upload_crc_optional: an upload whose embedded Modbus reply has no CRC is accepted and
#   acknowledged (ems4j's simulator sends them, its parser never checks one);
# - clock_4_tariff / clock_8_tariff: the meter clock at data byte 80 of a 0x60-byte and a
#   0x90-byte upload (ems4j DataUploadPacketParser: the 8-tariff clock has no weekday).
ACREL_4G_DEFAULTS: dict[str, Any] = {
    "serial_only_write_ack": True,
    "upload_crc_optional": True,
    "clock_4_tariff": "YY MM DD WW hh mm ss",
    "clock_8_tariff": "YY MM DD hh mm ss",
}

CLOCK_PARTS = ("YY", "MM", "DD", "WW", "hh", "mm", "ss")  # one byte each, plain binary

FIELD_TYPES = ("u8", "u16", "s16", "u32", "s32", "bit")
_RANGES = {
    "u8": (0, 0xFF),
    "u16": (0, 0xFFFF),
    "s16": (-0x8000, 0x7FFF),
    "u32": (0, 0xFFFF_FFFF),
    "s32": (-0x8000_0000, 0x7FFF_FFFF),
}
# MeterReading attributes held as ints in 0.01 units (0.01 kWh, 0.01 yuan): app/comm/types.py.
_HUNDREDTHS = frozenset({"total", "tariffs", "remaining_money"})
_BOOLS = frozenset({"relay_closed", "valve_open"})
_TEXTS = frozenset({"forced_mode"})
_READING_FIELDS = frozenset(f.name for f in dataclasses.fields(MeterReading))
_NOT_TARGETS = frozenset({"channel_id", "address", "kind", "read_at", "source"})

Value = Decimal | int | bool | str | None
Response = bytes | modbus_rtu.Message | Garbage | None


@dataclass(frozen=True, slots=True)
class Block:
    """One FC03 read: `count` registers from `start`."""

    name: str
    start: int
    count: int
    required: bool = True

    @property
    def end(self) -> int:  # exclusive
        return self.start + self.count

    def covers(self, register: int) -> bool:
        return self.start <= register < self.end


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    register: int
    type: str = "u16"
    word_order: str = "big"  # u32/s32: "big" = high word in the lower register
    byte: str = ""  # "hi" / "lo" for u8 and bit
    bit: int = 0
    scale: Decimal | None = None
    unit: str = ""
    source: str = ""
    # the registers it occupies, worked out once (every read of every meter asks)
    registers: tuple[int, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        size = 2 if self.type in ("u32", "s32") else 1
        object.__setattr__(self, "registers", tuple(range(self.register, self.register + size)))

    def decode(self, registers: Mapping[int, int]) -> Value:
        return self.decode_words([registers[r] for r in self.registers])

    def decode_words(self, words: Sequence[int]) -> Value:
        """The value from the words of `registers`, in that order."""
        if self.type == "bit":
            return bool(self._byte_of(words[0]) >> self.bit & 1)
        raw = self.decode_raw(words)
        return raw if self.scale is None else raw * self.scale

    def decode_raw(self, words: Sequence[int]) -> int:
        """The unscaled integer from the words of `registers` (not for bits)."""
        if self.type == "u8":
            raw = self._byte_of(words[0])
        elif self.type in ("u32", "s32"):
            hi, lo = words if self.word_order == "big" else reversed(words)
            raw = hi << 16 | lo
            if self.type == "s32" and raw & 0x8000_0000:
                raw -= 1 << 32
        else:
            raw = words[0]
            if self.type == "s16" and raw & 0x8000:
                raw -= 1 << 16
        return raw

    def encode(self, value: Value, registers: dict[int, int]) -> None:
        """Write value into a register image (the simulator's direction)."""
        if self.type == "bit":
            word = registers.get(self.register, 0)
            mask = 1 << (self.bit + (8 if self.byte == "hi" else 0))
            registers[self.register] = word | mask if value else word & ~mask
            return
        self.put_raw(self._raw(value), registers)

    def put_raw(self, raw: int, registers: dict[int, int]) -> None:
        """Write an unscaled integer (not for bits) into a register image."""
        low, high = _RANGES[self.type]
        if not low <= raw <= high:
            raise ProtocolError(f"{self.name}: raw value {raw} does not fit a {self.type}")
        if self.type == "u8":
            word = registers.get(self.register, 0)
            registers[self.register] = (
                (word & 0x00FF) | raw << 8 if self.byte == "hi" else (word & 0xFF00) | raw
            )
        elif self.type in ("u32", "s32"):
            raw &= 0xFFFF_FFFF
            hi, lo = raw >> 16, raw & 0xFFFF
            first, second = (hi, lo) if self.word_order == "big" else (lo, hi)
            registers[self.register], registers[self.register + 1] = first, second
        else:
            registers[self.register] = raw & 0xFFFF

    def _raw(self, value: Value) -> int:
        if isinstance(value, bool) or value is None:
            raise ProtocolError(f"{self.name}: {value!r} is not a number")
        try:
            number = Decimal(str(value)) if isinstance(value, (float, str)) else Decimal(value)
        except ArithmeticError:
            raise ProtocolError(f"{self.name}: {value!r} is not a number") from None
        raw = number / self.scale if self.scale is not None else number
        if raw != raw.to_integral_value():
            raise ProtocolError(f"{self.name}: {value} is not a multiple of {self.scale}")
        raw = int(raw)
        low, high = _RANGES[self.type]
        if not low <= raw <= high:  # said here in the value's own unit
            raise ProtocolError(f"{self.name}: {value} does not fit a {self.type}")
        return raw

    def _byte_of(self, word: int) -> int:
        return word >> 8 if self.byte == "hi" else word & 0xFF


@dataclass(frozen=True, slots=True)
class Derived:
    """A value picked from several fields, e.g. forced_mode from the two forced words."""

    name: str
    fields: tuple[str, ...]
    cases: tuple[tuple[tuple[Any, ...], Any], ...]

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        if any(f not in values for f in self.fields):
            raise KeyError(self.name)
        current = tuple(values[f] for f in self.fields)
        for when, value in self.cases:
            if current == when:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Hint:
    field: str
    equals: Any
    text: str


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """How one Action is written (FC10) and what must read back afterwards."""

    action: Action
    write_start: int
    write_values: tuple[int, ...]
    expect: Mapping[str, Any]
    hints: tuple[Hint, ...] = ()


@dataclass(frozen=True, eq=False)  # loaded once and cached: identity is equality
class Profile:
    name: str
    description: str
    kind: MeterKind
    protocol: Protocol
    blocks: Mapping[str, Block]
    poll: tuple[str, ...]
    fields: Mapping[str, Field]
    derived: Mapping[str, Derived]
    targets: Mapping[str, str | tuple[str, ...]]
    actions: Mapping[Action, ActionSpec]
    identify: Mapping[str, Any]
    # how the meter's Acrel 4G firmware differs from the book ([acrel4g] table, ACREL_4G_DEFAULTS)
    acrel4g: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    # ------------------------------------------------------------------ polling

    @property
    def poll_blocks(self) -> list[Block]:
        return [self.blocks[name] for name in self.poll]

    def poll_requests(self, slave: int) -> list[bytes]:
        """One RTU FC03 request per poll block, in poll order."""
        return [modbus_rtu.read_request(slave, b.start, b.count) for b in self.poll_blocks]

    def register_image(
        self, blocks: Sequence[Block], responses: Sequence[Response]
    ) -> dict[int, int]:
        """Registers from the responses to `blocks` (same order). A response may be raw RTU
        bytes or a decoded message; None / an exception counts as "no answer", which is an
        error only for a required block."""
        if len(blocks) != len(responses):
            raise ProtocolError(f"{len(blocks)} block(s) but {len(responses)} response(s)")
        image: dict[int, int] = {}
        for block, response in zip(blocks, responses, strict=True):
            if isinstance(response, (bytes, bytearray)):
                _, response = modbus_rtu.decode_response(bytes(response))
            if isinstance(response, modbus_rtu.ReadResponse):
                if len(response.registers) != block.count:
                    raise ProtocolError(
                        f"block {block.name} at 0x{block.start:04X}: expected {block.count} "
                        f"registers, got {len(response.registers)}"
                    )
                image.update(zip(range(block.start, block.end), response.registers, strict=True))
            elif block.required:
                why = (
                    response.describe()
                    if isinstance(response, modbus_rtu.ExceptionResponse)
                    else "no answer"
                )
                raise ProtocolError(f"block {block.name} at 0x{block.start:04X}: {why}")
        return image

    def decode_poll(self, responses: Sequence[Response]) -> dict[str, Value]:
        """Field values from the responses to `poll_requests` (same order)."""
        return self.values(self.register_image(self.poll_blocks, responses))

    def values(self, registers: Mapping[int, int]) -> dict[str, Value]:
        """Every field (and derived value) whose registers are in the image."""
        out: dict[str, Value] = {}
        for name, field in self.fields.items():
            if all(r in registers for r in field.registers):
                out[name] = field.decode(registers)
        for name, derived in self.derived.items():
            try:
                out[name] = derived.evaluate(out)
            except KeyError:
                continue  # its fields were not read (optional block missing)
        return out

    def reading_fields(self, values: Mapping[str, Value]) -> dict[str, Any]:
        """MeterReading keyword arguments from field values, converted to its units."""
        out: dict[str, Any] = {}
        for target, source in self.targets.items():
            if isinstance(source, tuple):
                if all(s in values for s in source):
                    out[target] = tuple(_convert(target, values[s], s) for s in source)
            elif source in values:
                out[target] = _convert(target, values[source], source)
        return out

    def build_reading(
        self,
        values: Mapping[str, Value],
        *,
        channel_id: int,
        address: str,
        read_at: datetime,
        source: str = "poll",
    ) -> MeterReading:
        fields = self.reading_fields(values)
        if "total" not in fields:
            raise ProtocolError(f"profile {self.name}: the total energy was not read")
        return MeterReading(
            channel_id=channel_id,
            address=address,
            kind=self.kind,
            read_at=read_at,
            source=source,
            **fields,
        )

    def matches(self, values: Mapping[str, Value]) -> bool:
        """Do the values look like this model/firmware (e.g. meter type 7 = DDSY1352)?"""
        return all(values.get(k) == v for k, v in self.identify.items())

    # ------------------------------------------------------------------ commands

    def command(self, action: Action) -> ActionSpec:
        try:
            return self.actions[Action(action)]
        except KeyError:
            raise ProtocolError(f"profile {self.name} has no command for {action}") from None

    def command_request(self, slave: int, action: Action) -> bytes:
        spec = self.command(action)
        return modbus_rtu.write_request(slave, spec.write_start, spec.write_values)

    def actions_for_write(self, start: int, values: Sequence[int]) -> tuple[Action, ...]:
        """Which actions a write means (simulator side); trip and forced_off write the same."""
        return tuple(
            a
            for a, s in self.actions.items()
            if s.write_start == start and s.write_values == tuple(values)
        )

    def verify_blocks(self, action: Action) -> list[Block]:
        """Blocks to read after `action`: those holding the written registers or a field the
        check expects, in poll order."""
        spec = self.command(action)
        needed = set(range(spec.write_start, spec.write_start + len(spec.write_values)))
        for target in spec.expect:
            for name in _sources(self.targets.get(target, ())):
                needed.update(self._registers_of(name))
        blocks = [b for b in self.poll_blocks if any(b.covers(r) for r in needed)]
        return blocks

    def verify_requests(self, slave: int, action: Action) -> list[bytes]:
        return [
            modbus_rtu.read_request(slave, b.start, b.count) for b in self.verify_blocks(action)
        ]

    def verify_problems(self, action: Action, registers: Mapping[int, int]) -> list[str]:
        """What does not match after `action`, in words; empty when the command took effect."""
        spec = self.command(action)
        problems = []
        for offset, want in enumerate(spec.write_values):
            register = spec.write_start + offset
            got = registers.get(register)
            if got is None:
                problems.append(f"register 0x{register:04X} was not read back")
            elif got != want:
                problems.append(f"register 0x{register:04X} reads {got}, expected {want}")
        values = self.values(registers)
        reading = self.reading_fields(values)
        for target, want in spec.expect.items():
            if target not in self.targets:
                continue  # this map cannot show it (e.g. no relay bit in Map A)
            if target not in reading:
                problems.append(f"{target} was not read back")
            elif reading[target] != want:
                problems.append(
                    f"{_label(target)} {_state(target, reading[target])}, expected "
                    f"{_state(target, want)}"
                )
        if problems:
            problems += [h.text for h in spec.hints if values.get(h.field) == h.equals]
        return problems

    def verify(self, action: Action, registers: Mapping[int, int]) -> bool:
        return not self.verify_problems(action, registers)

    # ------------------------------------------------------------------ simulator side

    @functools.cached_property
    def _zero_image(self) -> dict[int, int]:
        return {r: 0 for b in self.blocks.values() for r in range(b.start, b.end)}

    def encode_registers(
        self, values: Mapping[str, Value], base: Mapping[int, int] | None = None
    ) -> dict[int, int]:
        """A register image holding `values` (field name → value in the field's unit)."""
        image = dict(self._zero_image)
        if base:
            image.update(base)
        for name, value in values.items():
            if name not in self.fields:
                raise ProtocolError(f"profile {self.name} has no field {name!r}")
            self.fields[name].encode(value, image)
        return image

    def encode_block(self, block: str, values: Mapping[str, Value]) -> list[int]:
        """The registers of one block holding `values`; unnamed fields read 0."""
        image = self.encode_registers(values)
        b = self.blocks[block]
        return [image[r] for r in range(b.start, b.end)]

    def fields_in(self, start: int, count: int) -> list[Field]:
        """Fields touching registers start..start+count-1 (for `comm decode`)."""
        end = start + count
        return [f for f in self.fields.values() if any(start <= r < end for r in f.registers)]

    def block_at(self, start: int, count: int) -> Block | None:
        return next(
            (b for b in self.blocks.values() if b.start == start and b.count == count), None
        )

    def _registers_of(self, name: str) -> set[int]:
        if name in self.fields:
            return set(self.fields[name].registers)
        if name in self.derived:
            return {r for f in self.derived[name].fields for r in self._registers_of(f)}
        return set()


def _sources(source: str | tuple[str, ...]) -> tuple[str, ...]:
    return source if isinstance(source, tuple) else (source,)


def _convert(target: str, value: Value, source: str) -> Any:
    if value is None or target in _TEXTS:
        return value
    if target in _BOOLS:
        return bool(value)
    if target in _HUNDREDTHS:
        hundredths = Decimal(value) * 100
        if hundredths != hundredths.to_integral_value():
            raise ProtocolError(f"{source} = {value} is finer than 0.01")
        return int(hundredths)
    return float(value)


def _label(target: str) -> str:
    return "relay is" if target == "relay_closed" else f"{target} is"


def _state(target: str, value: Any) -> str:
    if target == "relay_closed":
        return "closed (合闸)" if value else "open (分闸)"
    return str(value)


class ReadingPlan:
    """The MeterReading values of a profile straight from register words, worked out once.

    `positions` says where each field's registers sit in the words (the poll replies laid
    end to end). Gives the same values as `reading_fields(values(...))` without Decimal
    arithmetic: a scale is the exact fraction m/d, so a float is raw × m / d (both sides
    correctly rounded from the same exact number) and 0.01 units are raw × m × 100 / d.
    10,000 meters a cycle make this matter.
    """

    def __init__(self, profile: Profile, positions: Mapping[str, tuple[int, ...]]) -> None:
        self.profile = profile
        steps = []
        derived = []
        for target, source in profile.targets.items():
            names = _sources(source)
            if any(n in profile.derived for n in names) and (
                len(names) > 1 or isinstance(source, tuple)
            ):
                raise ValueError(
                    f"profile {profile.name}: {target} mixes derived values into a tuple"
                )
            if names[0] in profile.derived:
                d = profile.derived[names[0]]
                if all(f in positions for f in d.fields):
                    derived.append(
                        (target, d, tuple((profile.fields[f], positions[f]) for f in d.fields))
                    )
                continue
            if not all(n in positions for n in names):
                continue  # not in the poll blocks: not read, as in reading_fields
            steps.append(
                (
                    target,
                    isinstance(source, tuple),
                    tuple(self._step(target, profile.fields[n], positions[n]) for n in names),
                )
            )
        self._steps = tuple(steps)
        self._derived = tuple(derived)

    @staticmethod
    def _step(target: str, field: Field, at: tuple[int, ...]) -> tuple:
        """(field, word positions, word layout, conversion, m, d); the layout lets the common
        types be read inline: "u16", "s16", "u32"/"s32" (positions high word first)."""
        if field.type == "bit":
            return (field, at, "", "bit", 1, 1)
        m, d = field.scale.as_integer_ratio() if field.scale is not None else (1, 1)
        kind = (
            "bool"
            if target in _BOOLS
            else "hundredths"
            if target in _HUNDREDTHS
            else "text"
            if target in _TEXTS
            else "float"
        )
        layout = field.type if field.type in ("u16", "s16", "u32", "s32") else ""
        if layout in ("u32", "s32") and field.word_order != "big":
            at = at[::-1]
        return (field, at, layout, kind, m, d)

    def fields(self, words: Sequence[int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for target, is_tuple, parts in self._steps:
            converted = []
            for field, at, layout, kind, m, d in parts:
                if kind == "bit" or kind == "text":
                    value = field.decode_words([words[i] for i in at])
                    converted.append(_convert(target, value, field.name))
                    continue
                if layout == "u16":
                    raw = words[at[0]]
                elif layout == "u32":
                    raw = words[at[0]] << 16 | words[at[1]]
                elif layout == "s16":
                    raw = words[at[0]]
                    if raw & 0x8000:
                        raw -= 0x10000
                elif layout == "s32":
                    raw = words[at[0]] << 16 | words[at[1]]
                    if raw & 0x8000_0000:
                        raw -= 1 << 32
                else:
                    raw = field.decode_raw([words[i] for i in at])
                raw *= m
                if kind == "float":
                    converted.append(raw / d)
                elif kind == "hundredths":
                    hundredths, rest = divmod(raw * 100, d)
                    if rest:
                        raise ProtocolError(
                            f"{field.name} = {raw // m * field.scale} is finer than 0.01"
                        )
                    converted.append(hundredths)
                else:
                    converted.append(bool(raw))
            out[target] = tuple(converted) if is_tuple else converted[0]
        for target, derived, parts in self._derived:
            value = derived.evaluate(
                {f.name: f.decode_words([words[i] for i in at]) for f, at in parts}
            )
            out[target] = _convert(target, value, derived.name)
        return out


# --------------------------------------------------------------------------- loading


def profile_names(
    directory: Path | None = None, protocol: Protocol = Protocol.MODBUS_ACREL
) -> list[str]:
    """Selectable register-map profiles: every *.toml not starting with '_' (those are
    shared blocks) whose protocol matches (nb_water_ctwing.toml is a CTWing thing model)."""
    folder = directory or PROFILE_DIR
    names = (p.stem for p in folder.glob("*.toml") if not p.stem.startswith("_"))
    return sorted(
        n for n in names if load_profile_data(n, folder)["profile"].get("protocol") == protocol
    )


def load_profile_data(name: str, directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The TOML tables of a profile with its `extends` chain merged (child wins per key)."""
    return _load_raw(name, directory or PROFILE_DIR, ())


def _load_raw(name: str, folder: Path, seen: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    if name in seen:
        raise ProtocolError(f"profile {name} extends itself: {' -> '.join(seen + (name,))}")
    path = folder / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ProtocolError(f"no meter profile {name!r} in {folder}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"profile {name}: {exc}") from None
    parent = data.get("profile", {}).get("extends")
    merged: dict[str, dict[str, Any]] = {}
    if parent:
        for table, entries in _load_raw(parent, folder, seen + (name,)).items():
            merged[table] = dict(entries)
        for key in ("abstract", "extends", "name"):
            merged.get("profile", {}).pop(key, None)
    for table, entries in data.items():
        if not isinstance(entries, dict):
            raise ProtocolError(f"profile {name}: top-level key {table!r} must be a table")
        merged.setdefault(table, {}).update(entries)
    merged["profile"]["name"] = name
    return merged


def load_profile(name: str = DEFAULT_PROFILE, directory: Path | None = None) -> Profile:
    """Load, check and cache one profile; errors name the profile and the bad entry."""
    return _load_cached(name, directory or PROFILE_DIR)


@functools.cache
def _load_cached(name: str, directory: Path) -> Profile:
    data = load_profile_data(name, directory)
    head = data["profile"]
    if head.get("abstract"):
        raise ProtocolError(f"profile {name} is a shared building block, not a meter")
    try:
        return _build(name, head, data)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ProtocolError):
            raise
        raise ProtocolError(f"profile {name}: bad or missing entry {exc}") from None


def _build(name: str, head: dict[str, Any], data: dict[str, dict[str, Any]]) -> Profile:
    blocks = {
        key: Block(key, int(b["start"]), int(b["count"]), bool(b.get("required", True)))
        for key, b in data.get("blocks", {}).items()
    }
    poll = tuple(head["poll"])
    for key in poll:
        if key not in blocks:
            raise ProtocolError(f"profile {name}: poll names unknown block {key!r}")
    fields = {key: _field(name, key, spec, blocks) for key, spec in data.get("fields", {}).items()}
    derived = {
        key: Derived(
            key, tuple(d["fields"]), tuple((tuple(c["when"]), c["value"]) for c in d["cases"])
        )
        for key, d in data.get("derived", {}).items()
    }
    known = set(fields) | set(derived)
    targets: dict[str, str | tuple[str, ...]] = {}
    for target, source in data.get("targets", {}).items():
        if target not in _READING_FIELDS or target in _NOT_TARGETS:
            raise ProtocolError(f"profile {name}: {target!r} is not a MeterReading value")
        source = tuple(source) if isinstance(source, list) else source
        for s in _sources(source):
            if s not in known:
                raise ProtocolError(f"profile {name}: target {target} names unknown field {s!r}")
        targets[target] = source
    for key, d in derived.items():
        for f in d.fields:
            if f not in fields:
                raise ProtocolError(f"profile {name}: derived {key} names unknown field {f!r}")
    actions = {}
    for key, a in data.get("actions", {}).items():
        action = Action(key)
        hints = tuple(Hint(h["field"], h["equals"], h["text"]) for h in a.get("hints", ()))
        actions[action] = ActionSpec(
            action,
            int(a["write_start"]),
            tuple(int(v) for v in a["write_values"]),
            dict(a.get("expect", {})),
            hints,
        )
    for key in head.get("identify", {}):
        if key not in fields:
            raise ProtocolError(f"profile {name}: identify names unknown field {key!r}")
    acrel4g = dict(ACREL_4G_DEFAULTS)
    for key, value in data.get("acrel4g", {}).items():
        if key not in ACREL_4G_DEFAULTS or type(value) is not type(ACREL_4G_DEFAULTS[key]):
            raise ProtocolError(
                f"profile {name}: [acrel4g] {key} = {value!r} is not a known setting"
            )
        acrel4g[key] = value
    for key in ("clock_4_tariff", "clock_8_tariff"):
        if sorted(acrel4g[key].split()) != sorted(CLOCK_PARTS) and sorted(
            acrel4g[key].split()
        ) != sorted(p for p in CLOCK_PARTS if p != "WW"):
            raise ProtocolError(
                f"profile {name}: [acrel4g] {key} = {acrel4g[key]!r}: write YY MM DD [WW] hh mm "
                "ss in order"
            )
    return Profile(
        name=name,
        description=head.get("description", ""),
        kind=MeterKind(head.get("kind", MeterKind.ELECTRIC)),
        protocol=Protocol(head.get("protocol", Protocol.MODBUS_ACREL)),
        blocks=blocks,
        poll=poll,
        fields=fields,
        derived=derived,
        targets=targets,
        actions=actions,
        identify=dict(head.get("identify", {})),
        acrel4g=acrel4g,
    )


def _field(profile: str, key: str, spec: dict[str, Any], blocks: Mapping[str, Block]) -> Field:
    ftype = spec.get("type", "u16")
    if ftype not in FIELD_TYPES:
        raise ProtocolError(f"profile {profile}: field {key} has unknown type {ftype!r}")
    byte = spec.get("byte", "")
    if ftype in ("u8", "bit") and byte not in ("hi", "lo"):
        raise ProtocolError(f'profile {profile}: field {key} needs byte = "hi" or "lo"')
    bit = int(spec.get("bit", 0))
    if not 0 <= bit <= 7:
        raise ProtocolError(f"profile {profile}: field {key} bit {bit} is not 0..7")
    word_order = spec.get("word_order", "big")
    if word_order not in ("big", "little"):
        raise ProtocolError(f"profile {profile}: field {key} word_order must be big or little")
    field = Field(
        name=key,
        register=int(spec["register"]),
        type=ftype,
        word_order=word_order,
        byte=byte,
        bit=bit,
        scale=Decimal(str(spec["scale"])) if "scale" in spec else None,
        unit=spec.get("unit", ""),
        source=spec.get("source", ""),
    )
    for register in field.registers:
        if not any(b.covers(register) for b in blocks.values()):
            raise ProtocolError(f"profile {profile}: field {key} (0x{register:04X}) is in no block")
    return field
