"""`python -m app comm …`: meter communication tools for field engineers.

    comm decode HEX…   what a frame means, field by field, or why it is not a frame

More sub-commands (e.g. `comm read`) are added by writing an `_add_<name>(commands)`
function and listing it in SUBCOMMANDS.
"""

from __future__ import annotations

import argparse

from app.cli import ERROR, UserError
from app.comm.messages import shown
from app.comm.profiles import profile_names
from app.comm.protocols.common import TypedHexError, parse_hex
from app.comm.protocols.explain import FRAMINGS, LABELS, explain
from app.words import QT_TRANSLATE_NOOP, Word

# what a field engineer is told when the command cannot run as typed
NO_BYTES = Word("cli.comm.no_bytes", QT_TRANSLATE_NOOP("CLI", "no bytes given"))
UNKNOWN_PROFILE = Word(
    "cli.comm.unknown_profile",
    QT_TRANSLATE_NOOP("CLI", "unknown profile {unknown} (known: {known})"),
)
MANIFEST_NEEDS_CHANNEL = Word(
    "cli.comm.manifest_needs_channel", QT_TRANSLATE_NOOP("CLI", "--manifest needs --channel-id")
)
MANIFEST_UNREADABLE = Word(
    "cli.comm.manifest_unreadable", QT_TRANSLATE_NOOP("CLI", "cannot read the manifest: {problem}")
)
NO_SUCH_CHANNEL = Word(
    "cli.comm.no_such_channel",
    QT_TRANSLATE_NOOP("CLI", "no channel {channel} in the manifest (it has {channels})"),
)
NO_SUCH_METER = Word(
    "cli.comm.no_such_meter", QT_TRANSLATE_NOOP("CLI", "no meter {address} on channel {channel}")
)
CHANNEL_FORMAT = Word(
    "cli.comm.channel_format",
    QT_TRANSLATE_NOOP("CLI", "--channel “{channel}”: expected KIND:HOST:PORT"),
)
DTU_NEEDS_ID = Word(
    "cli.comm.dtu_needs_id", QT_TRANSLATE_NOOP("CLI", "a dtu channel needs --dtu-id")
)
GIVE_CHANNEL = Word(
    "cli.comm.give_channel",
    QT_TRANSLATE_NOOP("CLI", "give --channel or --manifest with --channel-id"),
)
ADDRESS_4G = Word(
    "cli.comm.address_4g",
    QT_TRANSLATE_NOOP(
        "CLI",
        "--address “{address}”: a 4G meter's serial is 1-20 letters and digits, as on its label",
    ),
)
ADDRESS_DLT645 = Word(
    "cli.comm.address_dlt645",
    QT_TRANSLATE_NOOP(
        "CLI",
        "--address “{address}”: a DL/T 645 address is 12 digits, as on the meter's label (fill "
        "with leading zeros: 000000001234)",
    ),
)
ADDRESS_MODBUS = Word(
    "cli.comm.address_modbus",
    QT_TRANSLATE_NOOP("CLI", "--address “{address}”: a Modbus slave id is a number from 1 to 247"),
)
CHANNEL_NOT_OPENED = Word(
    "cli.comm.channel_not_opened", QT_TRANSLATE_NOOP("CLI", "cannot open the channel: {problem}")
)
LISTENING = Word(
    "cli.comm.listening",
    QT_TRANSLATE_NOOP("CLI", "listening on port {port}, waiting up to {wait} s for the device"),
)

EXIT_VALID = 0
EXIT_INVALID = 2

_FRAMING_CHOICES = {
    "rtu": ("rtu-request", "rtu-response"),
    "tcp": ("tcp-request", "tcp-response"),
    "dlt645": ("dlt645",),
    "acrel4g": ("acrel4g",),
    **{name: (name,) for name in FRAMINGS},
}


def register(subparsers: argparse._SubParsersAction) -> None:
    comm = subparsers.add_parser("comm", help="meter communication tools (decode frames …)")
    commands = comm.add_subparsers(dest="comm_command", metavar="SUB-COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(commands)


def _add_decode(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "decode",
        help="explain a frame given in hex",
        description=(
            "Explain what a frame means: Modbus RTU/TCP (with the Acrel registers it touches), "
            "DL/T 645-2007/1997 and Acrel 4G are tried. Exit 0 for a valid frame, 2 otherwise."
        ),
    )
    parser.add_argument(
        "hex", nargs="+", help="frame bytes in hex, spaces allowed: 01 03 02 00 00 30 44 66"
    )
    parser.add_argument(
        "--as", dest="framing", choices=sorted(_FRAMING_CHOICES), help="try only this framing"
    )
    parser.add_argument(
        "--profile", action="append", help="Acrel profile for register names (default: all)"
    )
    parser.add_argument(
        "--start",
        type=lambda text: int(text, 0),
        help="first register of a read response, e.g. 0x0200",
    )
    parser.set_defaults(func=run_decode)


def run_decode(args: argparse.Namespace) -> int:
    try:
        data = parse_hex(" ".join(args.hex))
    except TypedHexError as exc:
        raise UserError(exc.said.say()) from None
    if not data:
        raise UserError(NO_BYTES.say())
    if args.profile:
        unknown = sorted(set(args.profile) - set(profile_names()))
        if unknown:
            raise UserError(
                UNKNOWN_PROFILE.say(unknown=", ".join(unknown), known=", ".join(profile_names()))
            )
    framings = _FRAMING_CHOICES[args.framing] if args.framing else FRAMINGS
    results = explain(data, framings, profiles=args.profile, start=args.start)
    valid = any(r.is_valid for r in results)
    if not valid:
        print(f"invalid frame ({len(data)} bytes):")
    elif len(results) > 1:
        print(f"{len(results)} possible readings:")
    for result in results:
        for line in result.lines:
            print(line if valid or line.startswith(LABELS[result.framing]) else f"  {line}")
    return EXIT_VALID if valid else EXIT_INVALID


SUBCOMMANDS = [_add_decode]


# --------------------------------------------------------------------------- comm read
# One live read through the same poller code path as production (a Modbus-poll-like tool).

_LINE_KINDS = {
    "serial_server": "serial_server",
    "tcp": "serial_server",
    "modbus_tcp": "modbus_tcp",
    "acrel_4g": "acrel_4g",
    "dtu": "dtu",
}


def _add_read(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "read",
        help="read one meter now and print every field and frame",
        description=(
            "Read one meter now. --channel is KIND:HOST:PORT (serial_server, tcp = serial_server, "
            "modbus_tcp; acrel_4g / dtu = listen there and wait for the device to dial in), or a "
            "serial port (COM3, /dev/ttyUSB0) with --baud/--parity/--stopbits; or take the channel "
            "from a simulator manifest with --manifest FILE --channel-id N. Exit 0 when read, 1 "
            "when not."
        ),
    )
    parser.add_argument("--channel", help="KIND:HOST:PORT or a serial port")
    parser.add_argument("--manifest", help="simulator manifest (JSON) to take the channel from")
    parser.add_argument("--channel-id", type=int, help="with --manifest: which channel")
    parser.add_argument(
        "--address", required=True, help="Modbus slave id, DL/T 645 address or 4G serial"
    )
    parser.add_argument(
        "--protocol", default="modbus_acrel", choices=["modbus_acrel", "dlt645_2007", "dlt645_1997"]
    )
    parser.add_argument("--profile", default="", help="Acrel profile (default acrel_ddsy1352_mapb)")
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument("--parity", default="N", choices=["N", "E", "O"])
    parser.add_argument("--stopbits", type=float, default=1)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for each reply")
    parser.add_argument("--retries", type=int, default=1)
    parser.add_argument("--dtu-id", help="dtu: the DTU id in its registration packet")
    parser.add_argument(
        "--wait", type=float, default=30.0, help="acrel_4g/dtu: seconds to wait for the dial-in"
    )
    parser.set_defaults(func=run_read)


def _read_channel(args: argparse.Namespace):
    from app.comm.simulator.manifest import load_manifest
    from app.comm.types import ChannelConfig, ChannelKind, MeterEndpoint, MeterKind, Protocol

    if args.manifest:
        if args.channel_id is None:
            raise UserError(MANIFEST_NEEDS_CHANNEL.say())
        try:
            channels = {c.id: c for c in load_manifest(args.manifest)}
        except (OSError, ValueError, KeyError) as exc:
            raise UserError(MANIFEST_UNREADABLE.say(problem=exc)) from None
        if args.channel_id not in channels:
            raise UserError(
                NO_SUCH_CHANNEL.say(
                    channel=args.channel_id, channels=", ".join(map(str, sorted(channels)))
                )
            )
        base = channels[args.channel_id]
        endpoint = next((m for m in base.meters if m.address == args.address), None)
        if endpoint is None:
            raise UserError(NO_SUCH_METER.say(address=args.address, channel=args.channel_id))
        kind, settings = base.kind, dict(base.settings)
    elif args.channel:
        kind_text, _, rest = args.channel.partition(":")
        if kind_text in _LINE_KINDS and rest:
            host, _, port = rest.rpartition(":")
            if not host or not port.isdigit():
                raise UserError(CHANNEL_FORMAT.say(channel=args.channel))
            kind = ChannelKind(_LINE_KINDS[kind_text])
            if kind in (ChannelKind.ACREL_4G, ChannelKind.DTU):
                settings = {"listen_host": host, "listen_port": int(port)}
                if kind is ChannelKind.DTU:
                    if not args.dtu_id:
                        raise UserError(DTU_NEEDS_ID.say())
                    settings["dtu_id"] = args.dtu_id
            else:
                settings = {"host": host, "port": int(port)}
        else:
            kind = ChannelKind.SERIAL
            settings = {
                "port": args.channel,
                "baud": args.baud,
                "parity": args.parity,
                "stopbits": args.stopbits,
            }
        _check_address(args.address, Protocol(args.protocol), kind)
        endpoint = MeterEndpoint(
            1, args.address, MeterKind.ELECTRIC, Protocol(args.protocol), args.profile
        )
    else:
        raise UserError(GIVE_CHANNEL.say())
    config = ChannelConfig(
        id=endpoint.channel_id,
        name="comm read",
        kind=kind,
        settings=settings,
        poll_interval_s=0,
        timeout_s=args.timeout,
        retries=args.retries,
        offline_after_failures=1,
        meters=(endpoint,),
    )
    return config, endpoint


def _check_address(address: str, protocol, kind) -> None:
    """Refuse an address the meter cannot have, before any line is opened."""
    from app.comm.types import ChannelKind, Protocol

    if kind is ChannelKind.ACREL_4G:  # the meter's serial, as it registers (≤ 20 ASCII characters)
        if not address or len(address) > 20 or not address.isascii() or not address.isprintable():
            raise UserError(ADDRESS_4G.say(address=address))
    elif protocol in (Protocol.DLT645_2007, Protocol.DLT645_1997):
        if len(address) != 12 or not address.isdigit():
            raise UserError(ADDRESS_DLT645.say(address=address))
    elif not address.isdigit() or not 1 <= int(address) <= 247:
        raise UserError(ADDRESS_MODBUS.say(address=address))


def run_read(args: argparse.Namespace) -> int:
    import dataclasses
    import time

    from app.comm.poller import Poller
    from app.comm.probe import QuietSink
    from app.comm.types import ChannelKind

    config, endpoint = _read_channel(args)
    poller = Poller([config], QuietSink(), command_poll_s=0)
    try:
        poller.start()
    except (OSError, ValueError) as exc:
        raise UserError(CHANNEL_NOT_OPENED.say(problem=exc)) from None
    seq = 0
    reading = None
    try:
        dial_in = config.kind in (ChannelKind.ACREL_4G, ChannelKind.DTU)
        if dial_in:
            print(LISTENING.say(port=poller.listen_port(config.id), wait=f"{args.wait:g}"))
        deadline = time.monotonic() + (args.wait if dial_in else 0)
        while True:
            readings = poller.read_now([endpoint]).result(60 + args.timeout * 10)
            seq = _print_frames(poller, seq)
            if readings:
                reading = readings[0]
                break
            if time.monotonic() >= deadline:
                break
            time.sleep(1.0)
        _, errors = poller.errors_since(0)
    finally:
        poller.stop()
    if reading is None:
        for error in errors[-3:]:
            print(ERROR.say(message=shown(error.message)))
        return 1
    print(f"meter {endpoint.address} on {config.kind.value} ({endpoint.protocol.value}):")
    for field in dataclasses.fields(reading):
        print(f"  {field.name:<16} {_shown(reading, field.name)}")
    return 0


# Units of the MeterReading values (app/comm/types.py): energies and money are held in
# hundredths, water in litres; what an engineer reads is kWh, yuan and m³.
_UNITS = {
    "voltage_v": "V",
    "current_a": "A",
    "power_kw": "kW",
    "reactive_kvar": "kvar",
    "apparent_kva": "kVA",
    "frequency_hz": "Hz",
    "battery_v": "V",
    "signal_dbm": "dBm",
}
_TARIFF_NAMES = (
    Word("cli.comm.sharp", QT_TRANSLATE_NOOP("CLI", "sharp")),
    Word("cli.comm.peak", QT_TRANSLATE_NOOP("CLI", "peak")),
    Word("cli.comm.flat", QT_TRANSLATE_NOOP("CLI", "flat")),
    Word("cli.comm.valley", QT_TRANSLATE_NOOP("CLI", "valley")),
)
METER_BALANCE = Word(
    "cli.comm.meter_balance", QT_TRANSLATE_NOOP("CLI", "{amount} yuan (the meter's own balance)")
)
RELAY_CLOSED = Word("cli.comm.relay_closed", QT_TRANSLATE_NOOP("CLI", "closed"))
RELAY_TRIPPED = Word("cli.comm.relay_tripped", QT_TRANSLATE_NOOP("CLI", "tripped"))
VALVE_OPEN = Word("cli.comm.valve_open", QT_TRANSLATE_NOOP("CLI", "valve open"))
VALVE_CLOSED = Word("cli.comm.valve_closed", QT_TRANSLATE_NOOP("CLI", "valve closed"))


def _shown(reading, name: str) -> str:
    """One value of a reading scaled to its unit: total 1234.56 kWh, not 123456."""
    from decimal import Decimal

    from app.comm.types import MeterKind

    value = getattr(reading, name)
    if value is None:
        return "-"
    if name == "total":
        if reading.kind is MeterKind.WATER:
            return f"{Decimal(value) / 1000:.3f} m³"
        return f"{Decimal(value) / 100:.2f} kWh"
    if name == "tariffs":
        return ", ".join(
            f"{t.say()} {Decimal(v) / 100:.2f} kWh"
            for t, v in zip(_TARIFF_NAMES, value, strict=False)
        )
    if name == "remaining_money":
        return METER_BALANCE.say(amount=f"{Decimal(value) / 100:.2f}")
    if name == "read_at":
        return f"{value.astimezone():%Y-%m-%d %H:%M:%S %z}"
    if name == "relay_closed":
        return f"{value} ({(RELAY_CLOSED if value else RELAY_TRIPPED).say()})"
    if name == "valve_open":
        return f"{value} ({(VALVE_OPEN if value else VALVE_CLOSED).say()})"
    unit = _UNITS.get(name)
    return f"{value} {unit}" if unit else str(value)


def _print_frames(poller, seq: int) -> int:
    seq, frames = poller.frames_since(seq)
    for frame in frames:
        arrow = "→" if frame.direction.value == "tx" else "←"
        print(f"{frame.at.astimezone():%H:%M:%S.%f}"[:-3] + f" {arrow} {frame.hex}")
        print(f"             {frame.meaning}")
    return seq


SUBCOMMANDS.append(_add_read)
