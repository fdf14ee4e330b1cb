"""`bill show ID [--out FILE.xlsx|FILE.pdf]`: one bill's lines (what was billed, the readings,
quantity, price, amount), said in the command line's language, on screen or saved."""

from __future__ import annotations

from app.cli import UserError
from app.cli.common import add_market_option, money, open_db, print_json, save_out, site_id
from app.services.market.stalls import site_name
from app.services.money.property import BillLineRow, bill_lines
from app.services.office import reports
from app.words import QT_TRANSLATE_NOOP, Word, shown

NO_LINES = Word(
    "cli.bill.no_lines",
    QT_TRANSLATE_NOOP(
        "CLI", "Bill {bill} has no lines in this market. Check the bill number (bills view)"
    ),
)
LINE = Word(
    "cli.bill.line",
    QT_TRANSLATE_NOOP(
        "CLI", "{description}  {readings}{quantity} {unit} × {price} yuan = {amount} yuan"
    ),
)
READINGS = Word("cli.bill.readings", QT_TRANSLATE_NOOP("CLI", "readings {start} → {end}  "))


def register(sub) -> None:
    p = sub.add_parser("bill", help="bills: show one bill's lines")
    cmds = p.add_subparsers(dest="bill_command", metavar="ACTION", required=True)
    show = cmds.add_parser("show", help="one bill's lines")
    show.add_argument("bill", metavar="ID", type=int, help="the bill number")
    show.add_argument("--json", action="store_true")
    show.add_argument("--out", metavar="FILE", help="save the lines as .xlsx or .pdf")
    add_market_option(show)
    show.set_defaults(func=show_cmd)


def show_cmd(args) -> int:
    db = open_db(args)
    try:
        with db.transaction() as s:
            site = site_id(s, args)
            lines = bill_lines(s, site, args.bill)
            name = site_name(s, site)
    finally:
        db.dispose()
    if not lines:
        raise UserError(NO_LINES.say(bill=args.bill))
    if args.out:
        save_out(
            args.out,
            xlsx=lambda: reports.bill_lines_xlsx(lines, args.bill, site=name),
            pdf=lambda: reports.bill_lines_pdf(lines, args.bill, site=name),
        )
        return 0
    if args.json:
        print_json([line_json(line) for line in lines])
        return 0
    for line in lines:
        readings = (
            READINGS(start=line.start_reading, end=line.end_reading)
            if line.start_reading is not None and line.end_reading is not None
            else ""
        )
        print(
            LINE.say(
                description=shown(line.description),
                readings=readings,
                quantity=line.quantity,
                unit=shown(line.unit),
                price=line.price,
                amount=money(line.amount),
            )
        )
    return 0


def line_json(line: BillLineRow) -> dict:
    return {
        "meter_id": line.meter_id,
        "description": shown(line.description),
        "quantity": str(line.quantity),
        "unit": shown(line.unit),
        "price": str(line.price),
        "amount": money(line.amount),
        "start_reading": None if line.start_reading is None else str(line.start_reading),
        "end_reading": None if line.end_reading is None else str(line.end_reading),
    }
