"""`account close STALL --method M [--expect AMOUNT]`: 销户退款 from the command line; `account open STALL`: 开户 again."""

from __future__ import annotations

from pathlib import Path

from app.cli import UserError
from app.cli.common import actor, add_operator_option, money, open_db, pay_method, print_json, service_errors
from app.models.account import PayMethod
from app.models.labels import PAY_METHOD
from app.services.money.accounts import close_account, mark_printed, reopen_account
from app.services.money.amounts import parse_amount
from app.services.office.receipts_render import LAYOUTS, render_receipt_pdf
from app.services.market.stall_codes import stall_by_code


def register(sub) -> None:
    p = sub.add_parser("account", help="close a stall's account with its refund (销户退款), or open it again (开户)")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    close = verbs.add_parser("close", help="final settlement, refund of what is left, meters tripped / valves closed")
    close.add_argument("stall", metavar="STALL", help="stall code (档位号)")
    close.add_argument("--method", help="how the refund is paid: " + "|".join(m.value for m in PayMethod))
    close.add_argument("--reason", default="租户退租", help="why (default: 租户退租)")
    close.add_argument("--expect", metavar="AMOUNT",
                       help="the refund you checked (yuan); nothing is paid when the balance has moved since")
    close.add_argument("--pdf", metavar="FILE.pdf", type=Path, help="write the refund receipt as a PDF")
    close.add_argument("--layout", choices=sorted(LAYOUTS), default="80mm", help="receipt paper for --pdf")
    close.add_argument("--json", action="store_true", help="print the result as JSON")
    add_operator_option(close)
    close.set_defaults(func=run_close)
    reopen = verbs.add_parser("open", help="open a closed stall's account again for a new tenant")
    reopen.add_argument("stall", metavar="STALL", help="stall code (档位号)")
    add_operator_option(reopen)
    reopen.set_defaults(func=run_open)


def _stall_id(s, who, code: str) -> int:
    stall = stall_by_code(s, code, who.site_id)  # a-001 is A-001, as at the counter
    if stall is None:
        raise UserError(f"找不到档位“{code}”，请核对档位号")
    return stall.id


def run_close(args) -> int:
    method = pay_method(args.method, "退款方式")
    expected = None
    if args.expect is not None:
        with service_errors():  # before touching the database: bad input writes nothing
            expected = parse_amount(args.expect, allow_zero=True, what="退款金额", what_en="The refund")
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            r = close_account(s, who, _stall_id(s, who, args.stall), args.reason, method, expected_refund=expected)
            receipt = mark_printed(s, r.refund.receipt_id) if r.refund and args.pdf else None
    finally:
        db.dispose()
    if receipt is not None:
        args.pdf.write_bytes(render_receipt_pdf(receipt, args.layout))
    refund = money(-r.refund.amount) if r.refund else "0.00"
    if args.json:
        print_json({
            "stall": r.stall_code, "refund": refund, "method": method,
            "receipt_no": r.refund.receipt_no if r.refund else None,
            "settled": money(r.settled_amount), "shared": money(r.shared_amount), "meters_cut": r.meters_cut,
            "closed_at": r.closed_at, "pdf": str(args.pdf) if receipt is not None else None,
        })
    else:
        no = f"退款收据号 {r.refund.receipt_no}  " if r.refund else "余额为零，无退款  "
        print(f"档位 {r.stall_code} 已销户  {no}{PAY_METHOD[method].say()}退款 {refund} 元  "
              f"最终结算扣费 {money(r.settled_amount)} 元  公摊扣费 {money(r.shared_amount)} 元  "
              f"已断电/关阀 {r.meters_cut} 块表")
    return 0


def run_open(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            reopen_account(s, who, _stall_id(s, who, args.stall))
    finally:
        db.dispose()
    print(f"档位 {args.stall.strip()} 已重新开户，余额 0.00 元；充值后恢复供电供水")
    return 0
