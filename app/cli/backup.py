"""`backup [--out FILE]` and `restore FILE [--yes]`: a checked copy of the database, and the
database replaced by one (app/services/platform/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli import UserError
from app.cli.common import actor, add_operator_option, open_db, service_errors
from app.services.platform.backup import back_up, default_folder, prune, restore
from app.words import QT_TRANSLATE_NOOP, Word

WRITTEN = Word(
    "cli.backup.written",
    QT_TRANSLATE_NOOP("CLI", "Backup written: {file} ({size} MB). {result}"),
)
NOT_KEPT = Word(
    "cli.backup.not_kept",
    QT_TRANSLATE_NOOP("CLI", "The backup was not kept: {result}"),
)
ASK_RESTORE = Word(
    "cli.backup.ask_restore",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Replace the database {database} by the backup {file}? Everything written since that "
        "backup is replaced; the current database is kept as a backup first. Type yes to go on: ",
    ),
)
NOT_RESTORED = Word(
    "cli.backup.not_restored",
    QT_TRANSLATE_NOOP("CLI", "Nothing was restored (the answer was not yes)."),
)
RESTORED = Word(
    "cli.backup.restored",
    QT_TRANSLATE_NOOP(
        "CLI",
        "The database is restored from {file} (schema {revision}{upgraded}). The database as it "
        "was is kept in {kept}.",
    ),
)
AND_UPGRADED = Word("cli.backup.and_upgraded", QT_TRANSLATE_NOOP("CLI", ", then upgraded"))


def register(sub) -> None:
    p = sub.add_parser("backup", help="write a checked backup of the database")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="the backup file to write (default: a new file in the backups folder of the user "
        "data folder, where 30 daily and 12 monthly backups are kept)",
    )
    p.set_defaults(func=run_backup)
    r = sub.add_parser(
        "restore", help="replace the database by a backup (the current one is kept first)"
    )
    r.add_argument("file", metavar="FILE", help="a backup written by `backup`")
    r.add_argument("--yes", action="store_true", help="do not ask before replacing")
    add_operator_option(r)
    r.add_argument(
        "--folder",
        metavar="DIR",
        help="where the current database is kept before it is replaced (default: the backups "
        "folder of the user data folder)",
    )
    r.set_defaults(func=run_restore)


def run_backup(args) -> int:
    db = open_db(args)
    try:
        with service_errors():
            out = Path(args.out) if args.out else None
            record = back_up(db, out.parent if out else default_folder(), out=out)
    finally:
        db.dispose()
    if not record.ok:
        raise UserError(NOT_KEPT.say(result=record.result))
    if out is None:
        prune(default_folder())
    print(WRITTEN.say(file=record.file, size=f"{record.size / 1e6:.1f}", result=record.result))
    return 0


def run_restore(args) -> int:
    db = open_db(args)
    try:
        if not args.yes:
            print(
                ASK_RESTORE.say(database=db.engine.url.database or db.url, file=args.file), end=""
            )
            sys.stdout.flush()
            answer = sys.stdin.readline().strip().lower()
            if answer not in ("yes", "y"):
                print(NOT_RESTORED.say())
                return 1
        with service_errors():
            with db.transaction() as s:
                who = actor(s, args)
            folder = Path(args.folder) if args.folder else default_folder()
            done = restore(db, who, Path(args.file), folder)
    finally:
        db.dispose()
    print(
        RESTORED.say(
            file=args.file,
            revision=done.revision,
            upgraded=AND_UPGRADED if done.upgraded else "",
            kept=done.kept.file,
        )
    )
    return 0
