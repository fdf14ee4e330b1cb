"""`report monthly|usage|shift|arrears … [--out FILE.xlsx|FILE.pdf]`.

- `report monthly 2026-11 --out F` — the month's ledger (built as a draft when missing or
  with --build); `report monthly 2026-11 --submit | --approve | --return TEXT` reviews it
  (a month that has ended; the approver is not the submitter unless the office allows it:
  approve with `--operator REVIEWER`); `--reopen REASON` reopens an approved month (admin).
- `report usage --from 2026-11-01 --to 2026-11-30 [--by day|month] [--meter ADDR …]`
- `report shift [--date 2026-11-25 | --from "2026-11-25 08:00" --to "2026-11-25 20:00"] [--cashier
USER]`
- `report arrears [--low] [--notices]` — with --notices the PDF has one notice per stall.
Without --out the rows are printed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from app.cli import UserError
from app.cli.common import (
    actor,
    add_operator_option,
    listed,
    money,
    open_db,
    save_out,
    service_errors,
)
from app.services.market.meters import meter_ids_at
from app.services.market.stalls import list_sites, site_name
from app.services.money import monthly_ledger as ml
from app.services.office import reports
from app.services.platform.context import printed_name
from app.services.platform.timeutil import local_midnight, site_zone
from app.services.platform.users import list_users
from app.words import QT_TRANSLATE_NOOP, Word

DATE_WRONG = Word(
    "cli.report.date_wrong",
    QT_TRANSLATE_NOOP("CLI", "Date “{text}” is not written right. Write it like 2026-11-25"),
)
TIME_WRONG = Word(
    "cli.report.time_wrong",
    QT_TRANSLATE_NOOP(
        "CLI", 'Time “{text}” is not written right. Write it like "2026-11-25 08:00"'
    ),
)
MONTH_TOTAL = Word(
    "cli.report.month_total",
    QT_TRANSLATE_NOOP(
        "CLI", "{label}: {status}, {stalls} stalls, closing balances total {closing} yuan"
    ),
)
UNKNOWN_METERS = Word(
    "cli.report.unknown_meters",
    QT_TRANSLATE_NOOP("CLI", "Some meter addresses do not exist: {addresses}"),
)
USAGE_REPORT = Word("cli.report.usage_report", QT_TRANSLATE_NOOP("CLI", "Usage report"))
PERIOD = Word("cli.report.period", QT_TRANSLATE_NOOP("CLI", "{first} to {last}"))
FROM_AND_TO = Word(
    "cli.report.from_and_to", QT_TRANSLATE_NOOP("CLI", "Give --from and --to together")
)
NO_CASHIER = Word(
    "cli.report.no_cashier", QT_TRANSLATE_NOOP("CLI", "Cashier “{cashier}” does not exist")
)
SHIFT_HEADER = Word(
    "cli.report.shift_header",
    QT_TRANSLATE_NOOP("CLI", "Cashier\tMethod\tRecharges\tReversals\tRefunds\tNet"),
)
TIMES = Word("cli.report.times", QT_TRANSLATE_NOOP("CLI", "{amount} ({count})"))
SHIFT_TOTAL = Word(
    "cli.report.shift_total",
    QT_TRANSLATE_NOOP("CLI", "Total {count} payments, {total} yuan; cash expected {cash} yuan"),
)
ARREARS_TITLE = Word(
    "cli.report.arrears_title",
    QT_TRANSLATE_NOOP("CLI", "{site} arrears and low balance list {today}"),
)
STALLS = Word("cli.report.stalls", QT_TRANSLATE_NOOP("CLI", "{count} stalls"))


def register(sub) -> None:
    p = sub.add_parser("report", help="monthly ledger, usage, shift and arrears reports")
    cmds = p.add_subparsers(dest="report_command", metavar="REPORT", required=True)

    m = cmds.add_parser("monthly", help="monthly ledger")
    m.add_argument("month", help="e.g. 2026-11")
    m.add_argument("--build", action="store_true", help="(re)build the draft from the ledger")
    m.add_argument(
        "--jump-pct", type=float, help="flag usage changes above this percentage (default 50)"
    )
    review = m.add_mutually_exclusive_group()
    review.add_argument("--submit", action="store_true")
    review.add_argument(
        "--approve", metavar="COMMENT", nargs="?", const="", help="approve and lock the month"
    )
    review.add_argument("--return", dest="send_back", metavar="COMMENT")
    review.add_argument(
        "--reopen",
        metavar="REASON",
        help="reopen an approved month to correct it (admin, reason kept)",
    )
    m.set_defaults(func=monthly_cmd)

    u = cmds.add_parser("usage", help="meter usage from the daily closing registers")
    u.add_argument("--from", dest="first", required=True, type=_date)
    u.add_argument("--to", dest="last", required=True, type=_date)
    u.add_argument("--by", choices=("day", "month"), default="day")
    u.add_argument(
        "--meter", action="append", metavar="ADDRESS", help="only these meters (repeatable)"
    )
    u.set_defaults(func=usage_cmd)

    sh = cmds.add_parser("shift", help="cashier shift report")
    sh.add_argument("--date", type=_date, help="a whole local day (default today)")
    sh.add_argument("--from", dest="start", type=_datetime)
    sh.add_argument("--to", dest="end", type=_datetime)
    sh.add_argument("--cashier", metavar="USER", help="only this cashier")
    sh.set_defaults(func=shift_cmd)

    a = cmds.add_parser("arrears", help="arrears and low-balance list")
    a.add_argument("--low", action="store_true", help="also stalls below their alarm thresholds")
    a.add_argument("--notices", action="store_true", help="PDF: one payment notice per stall")
    a.set_defaults(func=arrears_cmd)

    for parser in (m, u, sh, a):
        parser.add_argument("--out", metavar="FILE", help="save as .xlsx or .pdf")
        add_operator_option(parser)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(DATE_WRONG.say(text=text)) from None


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UserError(TIME_WRONG.say(text=text)) from None


def monthly_cmd(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            month = ml.parse_month(args.month)
            if args.build or not ml.has_month(s, who, month):
                jump = None if args.jump_pct is None else Decimal(str(args.jump_pct))
                summary = ml.build_month(s, who, month, jump_pct=jump)
            if args.submit:
                summary = ml.submit_month(s, who, month)
            elif args.approve is not None:
                summary = ml.approve_month(s, who, month, args.approve)
            elif args.send_back is not None:
                summary = ml.return_month(s, who, month, args.send_back)
            elif args.reopen is not None:
                summary = ml.reopen_month(s, who, month, args.reopen)
            else:
                summary = ml.get_month(s, who, month)
    finally:
        db.dispose()
    if args.out:
        save_out(args.out, xlsx=lambda: ml.month_xlsx(summary), pdf=lambda: ml.month_pdf(summary))
    else:
        for row in ml.month_table(summary):
            print(
                f"{row['building']}\t{row['stall_code']}\t{row['electric_kwh']}\t{money(row['electric_amount'])}\t"
                f"{row['water_m3']}\t{money(row['water_amount'])}\t{money(row['opening'])}\t"
                f"{money(row['recharges'])}\t{money(row['closing'])}\t{row['flags']}"
            )
    print(
        MONTH_TOTAL.say(
            label=summary.label,
            status=summary.status_name,
            stalls=len(summary.rows),
            closing=money(summary.site_total.closing),
        )
    )
    return 0


def usage_cmd(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            ids = None
            if args.meter:
                ids = meter_ids_at(s, who.site_id, args.meter)
                if len(ids) < len(set(args.meter)):
                    raise UserError(UNKNOWN_METERS.say(addresses=listed(args.meter)))
            rows = reports.usage_report(s, who, args.first, args.last, meter_ids=ids, by=args.by)
            site = site_name(s, who.site_id)
    finally:
        db.dispose()
    period = PERIOD.say(first=args.first, last=args.last)
    title = f"{USAGE_REPORT.say()} {period}"
    if args.out:
        save_out(
            args.out,
            xlsx=lambda: reports.usage_xlsx(rows, f"{site} {title}"),
            pdf=lambda: reports.usage_pdf(rows, site=site, title=USAGE_REPORT.say(), period=period),
        )
    else:
        for r in rows:
            print(f"{r.address}\t{r.stall_code}\t{r.period}\t{r.usage}\t{r.unit}")
    return 0


def shift_cmd(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            tz = site_zone(s, who.site_id)
            if args.start or args.end:
                if not (args.start and args.end):
                    raise UserError(FROM_AND_TO.say())
                start, end = (
                    t if t.tzinfo else t.replace(tzinfo=tz) for t in (args.start, args.end)
                )
            else:
                day = args.date or datetime.now(tz).date()
                start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
            operator_id = None
            if args.cashier:
                operator_id = next(
                    (u.id for u in list_users(s, who.site_id) if u.username == args.cashier), None
                )
                if operator_id is None:
                    raise UserError(NO_CASHIER.say(cashier=args.cashier))
            report = reports.shift_report(s, who, start, end, operator_id=operator_id)
    finally:
        db.dispose()
    if args.out:
        save_out(
            args.out, xlsx=lambda: reports.shift_xlsx(report), pdf=lambda: reports.shift_pdf(report)
        )
    else:
        print(SHIFT_HEADER.say())
        for l in (*report.lines, *report.by_operator):
            print(
                f"{printed_name(l.operator)}\t{l.method}\t"
                f"{TIMES.say(amount=money(l.recharge), count=l.recharge_count)}\t"
                f"{TIMES.say(amount=money(l.reversal), count=l.reversal_count)}\t"
                f"{TIMES.say(amount=money(l.refund), count=l.refund_count)}\t{money(l.amount)}"
            )
    print(SHIFT_TOTAL.say(count=report.count, total=money(report.total), cash=money(report.cash)))
    return 0


def arrears_cmd(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            rows = reports.arrears_report(s, who, include_low=args.low)
            site = next(row for row in list_sites(s) if row.id == who.site_id)
            today = datetime.now(site_zone(s, who.site_id)).date()
    finally:
        db.dispose()
    if args.out:
        pdf = (
            (
                lambda: reports.arrears_notices_pdf(
                    rows, site=site.name, site_phone=site.phone, today=today
                )
            )
            if args.notices
            else (lambda: reports.arrears_pdf(rows, site=site.name, today=today))
        )
        save_out(
            args.out,
            xlsx=lambda: reports.arrears_xlsx(rows, ARREARS_TITLE.say(site=site.name, today=today)),
            pdf=pdf,
        )
    else:
        for r in rows:
            print(
                f"{r.building}\t{r.stall_code}\t{r.tenant}\t{r.phone}\t{money(r.available)}\t{r.state}"
            )
    print(STALLS.say(count=len(rows)))
    return 0
