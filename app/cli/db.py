<<<<<<< HEAD
"""`db upgrade`: create the schema, or bring it up to this version of the program."""

from __future__ import annotations

from app.cli.common import open_db
=======
"""`python -m app [--db URL] db upgrade`: create or upgrade the schema."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import OperationalError

from app.cli import UserError
from app.models.db import Database
>>>>>>> core-settle


def register(sub) -> None:
    p = sub.add_parser("db", help="database schema")
<<<<<<< HEAD
    cmds = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = cmds.add_parser("upgrade", help="create or upgrade the schema")
    up.set_defaults(func=upgrade)


def upgrade(args) -> int:
    db = open_db(args)  # opening upgrades
    print(f"数据库已是最新版本：{db.engine.url.render_as_string(hide_password=True)}")
    db.dispose()
=======
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dsub.add_parser("upgrade", help="create the tables or bring them up to date")
    up.set_defaults(func=upgrade)


def upgrade(args: argparse.Namespace) -> int:
    db = Database(args.db)
    try:
        db.upgrade()
    except OperationalError as exc:
        raise UserError(f"无法打开数据库 {db.engine.url.render_as_string(hide_password=True)}：{exc.orig}") from None
    finally:
        db.dispose()
    print(f"数据库已是最新结构：{db.engine.url.render_as_string(hide_password=True)}")
>>>>>>> core-settle
    return 0
