"""`python -m app comm …`: meter communication tools for field engineers.

    comm decode HEX…   what a frame means, field by field, or why it is not a frame

More sub-commands (e.g. `comm read`) are added by writing an `_add_<name>(commands)`
function and listing it in SUBCOMMANDS.
"""

from __future__ import annotations

import argparse

from app.cli import UserError
from app.comm.profiles import profile_names
from app.comm.protocols.common import ProtocolError, parse_hex
from app.comm.protocols.explain import FRAMINGS, LABELS, explain

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
    except ProtocolError as exc:
        raise UserError(str(exc)) from None
    if not data:
        raise UserError("no bytes given")
    if args.profile:
        unknown = sorted(set(args.profile) - set(profile_names()))
        if unknown:
            raise UserError(
                f"unknown profile {', '.join(unknown)} (known: {', '.join(profile_names())})"
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
