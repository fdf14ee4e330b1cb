"""`db upgrade`: create the schema, or bring it up to this version of the program."""

from __future__ import annotations

from app.cli.common import open_db


def register(sub) -> None:
    p = sub.add_parser("db", help="database schema")
    cmds = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = cmds.add_parser("upgrade", help="create or upgrade the schema")
    up.set_defaults(func=upgrade)


def upgrade(args) -> int:
    db = open_db(args)  # opening upgrades
    print(f"数据库已是最新版本：{db.engine.url.render_as_string(hide_password=True)}")
    db.dispose()
    return 0
