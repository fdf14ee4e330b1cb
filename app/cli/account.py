"""`account close STALL --method M [--expect AMOUNT]`: close a stall's account with its refund from
the
command line; `account open STALL`: open it again."""

from __future__ import annotations

from pathlib import Path

from app.cli import UserError
from app.cli.common import (
    REFUND_METHOD,
    actor,
    add_operator_option,
    money,
    open_db,
    pay_method,
    print_json,
    service_errors,
)
from app.models.account import PayMethod
from app.models.labels import PAY_METHOD
from app.services.market.stall_codes import stall_by_code
from app.services.money.accounts import close_account, mark_printed, reopen_account
from app.services.money.amounts import parse_amount
from app.services.office.receipts_render import LAYOUTS, render_receipt_pdf
from app.words import QT_TRANSLATE_NOOP, Word

TENANT_MOVED_OUT = Word(
    "cli.account.tenant_moved_out", QT_TRANSLATE_NOOP("CLI", "Tenant moved out")
)
STALL_NOT_FOUND = Word(
    "cli.account.stall_not_found",
    QT_TRANSLATE_NOOP("CLI", "Stall “{code}” not found. Check the stall code"),
)
THE_REFUND_AMOUNT = Word("cli.account.refund_amount", QT_TRANSLATE_NOOP("CLI", "refund amount"))
REFUND_NO = Word(
    "cli.account.refund_no", QT_TRANSLATE_NOOP("CLI", "refund receipt no. {receipt_no}  ")
)
NO_REFUND = Word("cli.account.no_refund", QT_TRANSLATE_NOOP("CLI", "balance zero, no refund  "))
CLOSED = Word(
    "cli.account.closed",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Stall {stall} closed  {refund_no}{method} refund {refund} yuan  final settlement charged "
        "{settled} yuan  shared costs charged {shared} yuan  {meters} meters tripped / valves "
        "closed",
    ),
)
REOPENED = Word(
    "cli.account.reopened",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Stall {stall} has its account open again, balance 0.00 yuan; power and water come back "
        "after a recharge",
    ),
)


def register(sub) -> None:
    p = sub.add_parser("account", help="close a stall's account with its refund, or open it again")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    close = verbs.add_parser(
        "close", help="final settlement, refund of what is left, meters tripped / valves closed"
    )
    close.add_argument("stall", metavar="STALL", help="stall code")
    close.add_argument(
        "--method", help="how the refund is paid: " + "|".join(m.value for m in PayMethod)
    )
    reason = TENANT_MOVED_OUT.say()
    close.add_argument("--reason", default=reason, help=f"why (default: {reason})")
    close.add_argument(
        "--expect",
        metavar="AMOUNT",
        help="the refund you checked (yuan); nothing is paid when the balance has moved since",
    )
    close.add_argument(
        "--pdf", metavar="FILE.pdf", type=Path, help="write the refund receipt as a PDF"
    )
    close.add_argument(
        "--layout", choices=sorted(LAYOUTS), default="80mm", help="receipt paper for --pdf"
    )
    close.add_argument("--json", action="store_true", help="print the result as JSON")
    add_operator_option(close)
    close.set_defaults(func=run_close)
    reopen = verbs.add_parser("open", help="open a closed stall's account again for a new tenant")
    reopen.add_argument("stall", metavar="STALL", help="stall code")
    add_operator_option(reopen)
    reopen.set_defaults(func=run_open)


def _stall_id(s, who, code: str) -> int:
    stall = stall_by_code(s, code, who.site_id)  # a-001 is A-001, as at the counter
    if stall is None:
        raise UserError(STALL_NOT_FOUND.say(code=code))
    return stall.id


def run_close(args) -> int:
    method = pay_method(args.method, REFUND_METHOD)
    expected = None
    if args.expect is not None:
        with service_errors():  # before touching the database: bad input writes nothing
            expected = parse_amount(
                args.expect, allow_zero=True, what=THE_REFUND_AMOUNT, what_en="The refund"
            )
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            r = close_account(
                s, who, _stall_id(s, who, args.stall), args.reason, method, expected_refund=expected
            )
            receipt = mark_printed(s, r.refund.receipt_id) if r.refund and args.pdf else None
    finally:
        db.dispose()
    if receipt is not None:
        args.pdf.write_bytes(render_receipt_pdf(receipt, args.layout))
    refund = money(-r.refund.amount) if r.refund else "0.00"
    if args.json:
        print_json(
            {
                "stall": r.stall_code,
                "refund": refund,
                "method": method,
                "receipt_no": r.refund.receipt_no if r.refund else None,
                "settled": money(r.settled_amount),
                "shared": money(r.shared_amount),
                "meters_cut": r.meters_cut,
                "closed_at": r.closed_at,
                "pdf": str(args.pdf) if receipt is not None else None,
            }
        )
    else:
        no = REFUND_NO(receipt_no=r.refund.receipt_no) if r.refund else NO_REFUND
        print(
            CLOSED.say(
                stall=r.stall_code,
                refund_no=no,
                method=PAY_METHOD[method],
                refund=refund,
                settled=money(r.settled_amount),
                shared=money(r.shared_amount),
                meters=r.meters_cut,
            )
        )
    return 0


def run_open(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            reopen_account(s, who, _stall_id(s, who, args.stall))
    finally:
        db.dispose()
    print(REOPENED.say(stall=args.stall.strip()))
    return 0
