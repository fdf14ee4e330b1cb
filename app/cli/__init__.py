"""The ops command line: `python -m app [--db URL] SUB-COMMAND …`.

Each command group lives in its own module with a `register(subparsers)` that adds its
parsers and sets `func(args) -> int` on them. Errors a user can make end as one line on
stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from app import program
from app.words import QT_TRANSLATE_NOOP, Word

GROUPS = (
    "db",
    "market",
    "demo",
    "recharge",
    "account",
    "audit",
    "settle",
    "bill",
    "alerts",
    "stall",
    "user",
    "comm",
    "sim",
    "service",
    "imports",
    "report",
    "channels",
    "backup",
    "sms",
    "portal",
    "payments",
)


class UserError(Exception):
    """Bad input from the person at the keyboard: printed as one line, exit code 2. Its
    text is said in the command line's language (app.words.default_language)."""


ERROR = Word("cli.error", QT_TRANSLATE_NOOP("CLI", "error: {message}"))


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; without `commands` only the client's options (no command
    module imported, so the client starts quicker)."""
    parser = argparse.ArgumentParser(
        prog=program.command_text(), description="MarketMeter", add_help=commands
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("MARKETMETER_DB"),
        help="database URL (default: $MARKETMETER_DB or a SQLite file in the user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"MarketMeter {program.version()}")
    parser.add_argument("--demo", action="store_true", help="build (once) and open the demo market")
    parser.add_argument(
        "--demo-speed",
        type=float,
        metavar="N",
        default=None,
        help="with --demo: the simulated meters' clock runs N times faster (default 60: "
        "a real minute is a market hour, so a trip is seen within minutes)",
    )
    parser.add_argument(
        "--collect",
        action="store_true",
        help="read the meters from this client (a single PC with the meter lines): it runs "
        f"`{program.command_text('service')}` as its child process, logging to "
        "logs/collection.log in the user data folder; with several PCs run that service on the "
        "line PC instead",
    )
    parser.add_argument(
        "--screenshot", metavar="FILE.png", help="save a picture of the main window and exit"
    )
    parser.add_argument("--view", help="with --screenshot: the view to show")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language for this run")
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        try:
            module = importlib.import_module(f"app.cli.{group}")
        except ModuleNotFoundError as exc:
            if exc.name != f"app.cli.{group}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args, rest = build_parser(commands=False).parse_known_args(argv)
    if rest:  # a command (or --help): every command's parser
        args = build_parser().parse_args(argv)
    if args.command is None:
        from app.ui.main import run_client  # Qt is only imported for the window

        return run_client(args)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(ERROR.say(message=exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
