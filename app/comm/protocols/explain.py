"""Say in words what some bytes on a line are: every framing MarketMeter speaks is tried.

Used by `python -m app comm decode HEX` and usable for the comm monitor's `meaning` column.
Pure: bytes in, lines of text out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.comm.profiles import DEFAULT_PROFILE, Profile, load_profile, profile_names
from app.comm.protocols import acrel4g, dlt645, modbus_rtu
from app.comm.protocols.common import FrameCheck, Garbage, ProtocolError, hex_bytes

FRAMINGS = ("rtu-request", "rtu-response", "tcp-request", "tcp-response", "dlt645", "acrel4g")
LABELS = {
    "rtu-request": "Modbus RTU request",
    "rtu-response": "Modbus RTU response",
    "tcp-request": "Modbus TCP request",
    "tcp-response": "Modbus TCP response",
    "dlt645": "DL/T 645",
    "acrel4g": "Acrel 4G",
}


@dataclass
class Explanation:
    framing: str
    frames: int = 0
    skipped: int = 0
    problems: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.frames > 0 and self.problems == 0

    @property
    def is_clean(self) -> bool:
        return self.is_valid and self.skipped == 0


def explain(
    data: bytes,
    framings: Sequence[str] = FRAMINGS,
    *,
    profiles: Sequence[str] | None = None,
    start: int | None = None,
) -> list[Explanation]:
    """Interpretations of data, best first; nothing valid → one entry per plausible framing
    saying why it is not a frame. profiles: Acrel profiles to name registers with (default
    all); start: first register of a read response (a response does not carry it)."""
    context = _Context([load_profile(n) for n in (profiles or profile_names())], start)
    results = [_run(name, data, context) for name in framings]
    valid = [r for r in results if r.is_valid]
    if valid:
        clean = [r for r in valid if r.is_clean]
        return clean or sorted(valid, key=lambda r: r.skipped)[:1]
    return _why_not(data, results, framings)


@dataclass
class _Context:
    profiles: list[Profile]
    start: int | None


# --------------------------------------------------------------------------- running a framing


def _decoder(name: str) -> Callable[[bytes], tuple[int, Any]]:
    return {
        "rtu-request": modbus_rtu.decode_request,
        "rtu-response": modbus_rtu.decode_response,
        "tcp-request": lambda b: modbus_rtu.decode_tcp(b, modbus_rtu.REQUEST),
        "tcp-response": lambda b: modbus_rtu.decode_tcp(b, modbus_rtu.RESPONSE),
        "dlt645": dlt645.decode,
        "acrel4g": acrel4g.decode,
    }[name]


def _checker(name: str) -> Callable[[bytes], FrameCheck]:
    return {
        "rtu-request": lambda b: modbus_rtu.check_rtu(b, 0, modbus_rtu.REQUEST),
        "rtu-response": lambda b: modbus_rtu.check_rtu(b, 0, modbus_rtu.RESPONSE),
        "tcp-request": lambda b: modbus_rtu.check_tcp(b, 0, modbus_rtu.REQUEST),
        "tcp-response": lambda b: modbus_rtu.check_tcp(b, 0, modbus_rtu.RESPONSE),
        "dlt645": dlt645.check_frame,
        "acrel4g": lambda b: acrel4g.check_frame(b, 0, complete=True),
    }[name]


def _run(name: str, data: bytes, context: _Context) -> Explanation:
    result = Explanation(name)
    decode, rest = _decoder(name), data
    while rest:
        used, item = decode(rest)
        if used == 0:
            check = _checker(name)(rest)
            if name == "acrel4g" and check.is_bad:  # complete input: a bad CRC is final
                result.skipped += len(rest)
                result.lines.append(
                    f"skipped {len(rest)} byte(s) {hex_bytes(rest)}: {check.reason}"
                )
            else:
                result.problems += 1
                result.lines.append(f"{LABELS[name]}: {_truncated(check, len(rest))}")
            break
        if isinstance(item, Garbage):
            result.skipped += used
            result.lines.append(f"skipped {used} byte(s) {hex_bytes(item.data)}: {item.reason}")
        else:
            result.frames += 1
            lines, problems = _describe(name, item, context)
            result.problems += problems
            result.lines += lines
        rest = rest[used:]
    return result


def _truncated(check: FrameCheck, have: int) -> str:
    if check.length > have:
        return f"truncated: need {check.length - have} more byte(s) ({check.reason})"
    return f"truncated: {check.reason}"


def _why_not(data: bytes, results: list[Explanation], framings: Sequence[str]) -> list[Explanation]:
    """Nothing decoded: the reasons of the framings the first bytes point to."""
    body = data.lstrip(b"\xfe")
    if body[:1] == b"\x68" and "dlt645" in framings:
        likely = ["dlt645"]
    elif data[:2] == b"\x7b\x7b" and "acrel4g" in framings:
        likely = ["acrel4g"]
    else:
        likely = [f for f in framings if f.startswith("rtu")]
        if len(data) >= 4 and data[2:4] == b"\x00\x00":
            likely += [f for f in framings if f.startswith("tcp")]
        likely = likely or list(framings)
    out = []
    for result in results:
        if result.framing in likely:
            check = _checker(result.framing)(data)
            reason = _truncated(check, len(data)) if check.is_short else check.reason
            if check.is_ok:  # the framing and checksum hold: what is wrong is inside
                _, item = _decoder(result.framing)(data)
                why = item.reason if isinstance(item, Garbage) else "its content cannot be read"
                reason = f"head, end and checksum are right, but {why}"
            if result.frames and result.problems:  # framing fine, content not (e.g. invalid BCD)
                out.append(result)
            else:
                out.append(
                    Explanation(
                        result.framing,
                        problems=1,
                        lines=[f"not a valid {LABELS[result.framing]} frame: {reason}"],
                    )
                )
    return out


# --------------------------------------------------------------------------- describing


def _describe(framing: str, item: Any, context: _Context) -> tuple[list[str], int]:
    if isinstance(item, modbus_rtu.TcpFrame):
        lines, problems = _modbus_lines(item.message, context)
        return [f"{LABELS[framing]} (transaction {item.transaction_id}): {lines[0]}"] + lines[
            1:
        ], problems
    if framing.startswith("rtu"):
        lines, problems = _modbus_lines(item, context)
        return [f"{LABELS[framing]}: {lines[0]}"] + lines[1:], problems
    if framing == "dlt645":
        return _dlt645_lines(item)
    return _acrel4g_lines(item, context)


def _modbus_lines(message: modbus_rtu.Message, context: _Context) -> tuple[list[str], int]:
    lines = [message.describe()]
    if isinstance(message, modbus_rtu.ReadRequest):
        lines += _blocks_touched(message.start, message.count, context)
    elif isinstance(message, (modbus_rtu.WriteRequest, modbus_rtu.WriteResponse)):
        count = (
            len(message.values) if isinstance(message, modbus_rtu.WriteRequest) else message.count
        )
        if isinstance(message, modbus_rtu.WriteRequest):
            actions = sorted(
                {
                    a
                    for p in context.profiles
                    for a in p.actions_for_write(message.start, message.values)
                }
            )
            if actions:
                lines.append(f"  Acrel command: {' / '.join(actions)}")
        lines += _fields_touched(message.start, count, context)
    elif isinstance(message, modbus_rtu.ReadResponse):
        lines += _register_values(message.registers, context)
    return lines, 0


def _profiles_with(context: _Context, start: int, count: int) -> dict[str, list[Profile]]:
    found: dict[str, list[Profile]] = {}
    for profile in context.profiles:
        block = profile.block_at(start, count)
        if block is not None:
            found.setdefault(block.name, []).append(profile)
    return found


def _blocks_touched(start: int, count: int, context: _Context) -> list[str]:
    lines = []
    for block, profiles in _profiles_with(context, start, count).items():
        names = ", ".join(p.name for p in profiles)
        lines.append(f"  Acrel register block '{block}' of {names}")
    return lines + _fields_touched(start, count, context)


def _fields_touched(start: int, count: int, context: _Context) -> list[str]:
    names: dict[str, None] = {}
    for profile in context.profiles:
        for f in profile.fields_in(start, count):
            names.setdefault(f.name)
    if not names:
        return []
    return [f"  registers: {', '.join(names)}"]


def _register_values(registers: tuple[int, ...], context: _Context) -> list[str]:
    start = context.start
    note = ""
    if start is None:
        guess = [
            b for p in _preferred(context) for b in p.blocks.values() if b.count == len(registers)
        ]
        if not guess:
            return [
                "  registers: "
                + " ".join(f"{r:04X}" for r in registers)
                + " (give --start to name them)"
            ]
        start = guess[0].start
        note = f" (assuming the block at 0x{start:04X}; give --start to say otherwise)"
    profile = next((p for p in _preferred(context) if p.fields_in(start, len(registers))), None)
    if profile is None:
        return [f"  registers from 0x{start:04X}: " + " ".join(f"{r:04X}" for r in registers)]
    image = dict(zip(range(start, start + len(registers)), registers, strict=True))
    values = profile.values(image)
    lines = [f"  as {profile.name}{note}:"]
    for name, f in profile.fields.items():
        if name in values:
            lines.append(
                f"    {name} (0x{f.register:04X}) = "
                f"{_show(values[name])}{' ' + f.unit if f.unit else ''}"
            )
    for name in profile.derived:
        if name in values:
            lines.append(f"    {name} = {_show(values[name])}")
    return lines


def _preferred(context: _Context) -> list[Profile]:
    return sorted(context.profiles, key=lambda p: p.name != DEFAULT_PROFILE)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none (prepaid logic decides)"
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _dlt645_lines(message: dlt645.Message) -> tuple[list[str], int]:
    lines = [message.describe()]
    problems = 0
    if isinstance(message, dlt645.ReadReply) and message.item is not None:
        try:
            message.values()
        except ProtocolError:
            problems = 1  # describe() already says why
    if isinstance(message, dlt645.ErrorReply) or message.frame().is_abnormal:
        lines.append("  (the meter refused the request)")
    return lines, problems


def _acrel4g_lines(message: acrel4g.Message, context: _Context) -> tuple[list[str], int]:
    lines = [message.describe()]
    problems = 0
    if isinstance(message, acrel4g.DataUpload):
        profile = next(iter(_preferred(context)), None)
        layouts = acrel4g.clock_layouts(profile) if profile is not None else acrel4g.CLOCK_LAYOUTS
        for section in message.sections:
            registers = section.response().registers
            lines.append(
                "  meter "
                f"{section.meter_address}{'' if section.crc else ' (Modbus reply without CRC)'}:"
            )
            values = _register_values(registers[:48], _map_b(context))
            if (
                len(registers) * 2 != acrel4g.UPLOAD_4_TARIFF
            ):  # the profile's clock fields are the 0x60 layout's
                values = [line for line in values if not line.lstrip().startswith("clock_")]
            lines += ["  " + line for line in values]
            try:
                clock = acrel4g.upload_clock(section, layouts)
            except ProtocolError as exc:
                lines.append(f"    meter clock: invalid ({exc})")
                problems += 1
            else:
                if clock is not None:
                    layout = layouts[len(registers) * 2]
                    lines.append(
                        f"    meter clock ({len(registers) * 2} data bytes: {layout}) = "
                        f"{clock:%Y-%m-%d %H:%M:%S}"
                    )
    elif isinstance(message, acrel4g.Downlink) and message.rtu:
        for role in (modbus_rtu.REQUEST, modbus_rtu.RESPONSE):
            try:
                inner = message.request() if role == modbus_rtu.REQUEST else message.response()
            except ProtocolError:
                continue
            lines += ["  " + line for line in _modbus_lines(inner, context)[0][1:]]
            break
        else:  # neither a request nor a response: say why, as the RTU framing sees it
            for role in (modbus_rtu.REQUEST, modbus_rtu.RESPONSE):
                check = modbus_rtu.check_rtu(message.rtu, 0, role)
                why = (
                    _truncated(check, len(message.rtu))
                    if check.is_short
                    else check.reason or "extra bytes after it"
                )
                lines.append(f"  not a Modbus RTU {role}: {why}")
            problems += 1
    return lines, problems


def _map_b(context: _Context) -> _Context:
    # The 4G meters upload the Map-B block at 0x0200 (PROTOCOLS.md §1.3, §1.6).
    return _Context(context.profiles, 0x0200 if context.start is None else context.start)
