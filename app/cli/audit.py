"""`audit list [--since …] [--until …] [--stall …] [--person …] [--action …] [--json] [--out
FILE.xlsx]`:
the operation log, newest first."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from app.cli import UserError
from app.cli.common import (
    actor,
    add_operator_option,
    listed,
    money,
    open_db,
    print_json,
    service_errors,
)
from app.comm.messages import shown
from app.services.office.reports import audit_xlsx
from app.services.platform.audit import (
    ACTION_NAMES,
    AuditFilter,
    audit_page,
    audit_rows,
    detail_text,
)
from app.services.platform.context import printed_name
from app.services.platform.timeutil import local_midnight, site_zone
from app.words import QT_TRANSLATE_NOOP, Word

TIME_NOT_UNDERSTOOD = Word(
    "cli.audit.time_not_understood",
    QT_TRANSLATE_NOOP(
        "CLI", 'Time “{text}” is not understood. Write it like 2026-11-25 or "2026-11-25 08:00"'
    ),
)
UNKNOWN_ACTION = Word(
    "cli.audit.unknown_action",
    QT_TRANSLATE_NOOP("CLI", "Unknown kind of operation “{action}”. Choose one of: {known}"),
)
OPERATION_LOG = Word("cli.audit.operation_log", QT_TRANSLATE_NOOP("CLI", "Operation log"))
ROWS = Word("cli.audit.rows", QT_TRANSLATE_NOOP("CLI", "{count} rows"))
WRITTEN_TO = Word("cli.audit.written_to", QT_TRANSLATE_NOOP("CLI", ", written to {path}"))


def register(sub) -> None:
    p = sub.add_parser("audit", help="the operation log: who changed what, newest first")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ls = verbs.add_parser("list", help="list the log, filtered")
    ls.add_argument("--since", metavar="DATE|'DATE HH:MM'", help="from this local day or time on")
    ls.add_argument(
        "--until", metavar="DATE|'DATE HH:MM'", help="before this local time (a day: up to its end)"
    )
    ls.add_argument("--stall", metavar="CODE", help="only what concerns this stall")
    ls.add_argument(
        "--person",
        metavar="USER",
        help="only what this login name did (system, cli for the built-in)",
    )
    ls.add_argument(
        "--action", metavar="KIND", help="only this kind, e.g. recharge, reversal, account.close"
    )
    ls.add_argument(
        "--limit", type=int, default=100, help="at most this many rows (default 100; 0: all)"
    )
    ls.add_argument("--out", metavar="FILE.xlsx", type=Path, help="write the rows to an Excel file")
    ls.add_argument("--json", action="store_true", help="print the rows as JSON")
    add_operator_option(ls)
    ls.set_defaults(func=run_list)


def _when(text: str | None, tz, *, end: bool) -> datetime | None:
    if not text:
        return None
    try:
        if len(text.strip()) <= 10:
            day = date.fromisoformat(text.strip())
            return local_midnight(day + timedelta(days=1) if end else day, tz)
        return datetime.fromisoformat(text.strip()).replace(tzinfo=tz)
    except ValueError:
        raise UserError(TIME_NOT_UNDERSTOOD.say(text=text)) from None


def run_list(args) -> int:
    if args.action and args.action not in ACTION_NAMES:
        raise UserError(UNKNOWN_ACTION.say(action=args.action, known=listed(sorted(ACTION_NAMES))))
    db = open_db(args)
    try:
        with service_errors(), db.reading() as s:
            who = actor(s, args)
            tz = site_zone(s, who.site_id)
            where = AuditFilter(
                args.person,
                args.action,
                args.stall,
                _when(args.since, tz, end=False),
                _when(args.until, tz, end=True),
            )
            if args.limit > 0:
                rows = list(audit_page(s, who, where, limit=args.limit).rows)
            else:
                rows = list(audit_rows(s, who, where))
    finally:
        db.dispose()
    if args.out:
        args.out.write_bytes(audit_xlsx(rows, OPERATION_LOG.say()))
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "at": r.at,
                    "person": r.person,
                    "action": r.action,
                    "action_name": r.action_name,
                    "stall": r.stall_code,
                    "entity": r.entity,
                    "entity_id": r.entity_id,
                    "amount": money(r.amount),
                    "reason": r.reason,
                    "detail": r.detail,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        print(
            f"{r.at.astimezone(tz):%Y-%m-%d %H:%M:%S}\t{printed_name(r.person)}\t{r.action_name}\t"
            f"{r.stall_code or '—'}\t"
            f"{money(r.amount) or ''}\t{shown(r.reason)}\t{detail_text(r)}"
        )
    print(ROWS.say(count=len(rows)) + (WRITTEN_TO.say(path=args.out) if args.out else ""))
    return 0
