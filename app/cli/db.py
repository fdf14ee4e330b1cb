"""`db upgrade`: create the schema, or bring it up to this version of the program."""

from __future__ import annotations

from app.cli.common import open_db
from app.words import QT_TRANSLATE_NOOP, Word

UP_TO_DATE = Word(
    "cli.db.up_to_date", QT_TRANSLATE_NOOP("CLI", "The database is up to date: {url}")
)
CREATED = Word(
    "cli.db.created",
    QT_TRANSLATE_NOOP(
        "CLI", "The database had no tables: its schema was created, it is ready for use: {url}"
    ),
)


def register(sub) -> None:
    p = sub.add_parser("db", help="database schema")
    cmds = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = cmds.add_parser("upgrade", help="create or upgrade the schema")
    up.set_defaults(func=upgrade)


def upgrade(args) -> int:
    db = open_db(args)  # opening upgrades
    said = CREATED if db.schema_created else UP_TO_DATE
    print(said.say(url=db.engine.url.render_as_string(hide_password=True)))
    db.dispose()
    return 0
