"""`import buildings|stalls|customers|meters FILE.xlsx [--dry-run] [--all-or-nothing]
[--report OUT.xlsx]`, and `--template` to write the empty template to FILE instead.

Default: the valid rows are written and the bad ones printed with their spreadsheet row
numbers; the exit code is 1 when any row was bad (2 for a file that cannot be used).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli import UserError
from app.cli.common import actor, add_operator_option, open_db, service_errors
from app.services.market.imports import KINDS, import_excel, problem_report, write_template
from app.words import QT_TRANSLATE_NOOP, Word, default_language

TEMPLATE_SAVED = Word(
    "cli.imports.template_saved", QT_TRANSLATE_NOOP("CLI", "Template saved: {path}")
)
CANNOT_READ = Word(
    "cli.imports.cannot_read", QT_TRANSLATE_NOOP("CLI", "Cannot read the file {path}: {why}")
)
AT_ROW = Word("cli.imports.at_row", QT_TRANSLATE_NOOP("CLI", "row {row}"))
IN_COLUMN = Word("cli.imports.in_column", QT_TRANSLATE_NOOP("CLI", " [{column}]"))
PROBLEM = Word("cli.imports.problem", QT_TRANSLATE_NOOP("CLI", "  {where} {problem}; {fix}"))
NOTE = Word("cli.imports.note", QT_TRANSLATE_NOOP("CLI", "  Note: row {row} [{column}] {problem}"))
REPORT_SAVED = Word(
    "cli.imports.report_saved", QT_TRANSLATE_NOOP("CLI", "The bad rows are marked red in: {path}")
)


def register(sub) -> None:
    p = sub.add_parser("import", help="import buildings, stalls, customers or meters from Excel")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    p.add_argument(
        "--all-or-nothing", action="store_true", help="write nothing when any row is bad"
    )
    p.add_argument("--report", metavar="OUT.xlsx", help="save the file with the bad rows marked")
    p.add_argument(
        "--template", action="store_true", help="write the empty template to FILE and exit"
    )
    add_operator_option(p)
    p.set_defaults(func=import_cmd)


def import_cmd(args) -> int:
    path = Path(args.file)
    if args.template:
        path.write_bytes(write_template(args.kind))
        print(TEMPLATE_SAVED.say(path=path))
        return 0
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(CANNOT_READ.say(path=path, why=exc.strerror)) from None
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            result = import_excel(
                s,
                actor(s, args),
                args.kind,
                data,
                dry_run=args.dry_run,
                all_or_nothing=args.all_or_nothing,
                filename=path.name,
            )
    finally:
        db.dispose()
    lang = default_language()
    print(result.summary(lang))
    for p in result.problems:
        where = AT_ROW.say(row=p.row) + (IN_COLUMN.say(column=p.column) if p.column else "")
        problem, fix = p.texts(lang)
        print(PROBLEM.say(where=where, problem=problem, fix=fix), file=sys.stderr)
    for p in result.notes:
        print(NOTE.say(row=p.row, column=p.column, problem=p.texts(lang)[0]))
    if args.report and result.problems:
        Path(args.report).write_bytes(problem_report(data, result))
        print(REPORT_SAVED.say(path=args.report))
    return 1 if result.problems else 0
