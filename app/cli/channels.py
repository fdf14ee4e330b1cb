"""`channels import-manifest FILE`: the simulator's (or a site survey's) channel list as
the market's comm channels, so `python -m app service` reads a standalone simulator.

    python -m app sim --electric 60 --water 10 --manifest sim.json \\
        --listen 127.0.0.1:9500 --push-url http://127.0.0.1:9600/ctwing/push
    python -m app channels import-manifest sim.json --create-meters
    python -m app service

Channels are created or updated by name; a listed meter already in the database without a
line is put on its line; --create-meters adds the others as meters of no stall.
"""

from __future__ import annotations

import argparse

from app import program
from app.cli import UserError
from app.cli.common import actor, add_operator_option, open_db, service_errors
from app.words import QT_TRANSLATE_NOOP, Word

MANIFEST_UNREADABLE = Word(
    "cli.channels.manifest_unreadable",
    QT_TRANSLATE_NOOP("CLI", "cannot read the manifest {path}: {problem}"),
)
IMPORTED = Word(
    "cli.channels.imported",
    QT_TRANSLATE_NOOP("CLI", "{channels} channels imported; {on_line} meters on their lines"),
)
CREATED = Word("cli.channels.created", QT_TRANSLATE_NOOP("CLI", " ({created} new)"))
MISSING = Word(
    "cli.channels.missing",
    QT_TRANSLATE_NOOP(
        "CLI",
        "; {missing} meters are not in the database and were not bound (add them with "
        "--create-meters)",
    ),
)
START_READING = Word(
    "cli.channels.start_reading",
    QT_TRANSLATE_NOOP("CLI", ". Run {command} to start reading the meters."),
)
NOT_BOUND = Word("cli.channels.not_bound", QT_TRANSLATE_NOOP("CLI", "  not bound: {item}"))


def register(sub) -> None:
    p = sub.add_parser("channels", help="comm channels: import a simulator manifest")
    cmds = p.add_subparsers(dest="channels_command", metavar="ACTION", required=True)
    imp = cmds.add_parser(
        "import-manifest",
        help="make the manifest's channels and bind its meters",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument(
        "manifest", metavar="FILE", help="the JSON written by `python -m app sim --manifest FILE`"
    )
    imp.add_argument(
        "--create-meters",
        action="store_true",
        help="add the manifest's meters the database does not have (as meters of no stall)",
    )
    add_operator_option(imp)
    imp.set_defaults(func=import_manifest)


def import_manifest(args) -> int:
    from app.comm.simulator.manifest import load_manifest
    from app.services.market.channels import import_channels

    try:  # before touching the database: a bad file writes nothing
        configs = load_manifest(args.manifest)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(MANIFEST_UNREADABLE.say(path=args.manifest, problem=exc)) from None
    with service_errors():
        db = open_db(args)
        try:
            with db.transaction() as s:
                result = import_channels(
                    s, actor(s, args), configs, create_meters=args.create_meters
                )
        finally:
            db.dispose()
    print(
        IMPORTED.say(channels=result.channels, on_line=result.on_line)
        + (CREATED.say(created=result.created) if result.created else "")
        + (MISSING.say(missing=len(result.missing)) if result.missing else "")
        + START_READING.say(command=program.command_text("service"))
    )
    for item in result.missing[:20]:
        print(NOT_BOUND.say(item=item))
    return 0
