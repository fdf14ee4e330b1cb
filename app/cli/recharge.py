"""`recharge STALL AMOUNT --method M`: a counter recharge from the command line."""

from __future__ import annotations

from app.cli.common import (
    PAYMENT_METHOD,
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
from app.services.money.accounts import RechargeRequest, recharge
from app.services.money.amounts import parse_amount
from app.words import QT_TRANSLATE_NOOP, Word

RECHARGED = Word(
    "cli.recharge.recharged",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Receipt no. {receipt_no}  stall {stall} {name}  {method} recharge {amount} yuan  balance "
        "after recharge {balance} yuan",
    ),
)


def register(sub) -> None:
    p = sub.add_parser("recharge", help="recharge a stall's account and print the receipt number")
    p.add_argument("stall", metavar="STALL", help="stall code")
    p.add_argument(
        "amount", metavar="AMOUNT", help="yuan, at most two decimals, e.g. 100 or 120.50"
    )
    p.add_argument("--method", help="|".join(m.value for m in PayMethod))
    p.add_argument("--key", metavar="IDEMPOTENCY", help="retrying with the same key credits once")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_operator_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    method = pay_method(args.method, PAYMENT_METHOD)
    with service_errors():
        amount = parse_amount(args.amount)  # before touching the database: bad input writes nothing
        db = open_db(args)
        try:
            with db.transaction() as s:
                r = recharge(
                    s,
                    actor(s, args),
                    RechargeRequest(
                        stall_code=args.stall,
                        amount=amount,
                        method=method,
                        idempotency_key=args.key,
                    ),
                )
        finally:
            db.dispose()
    if args.json:
        print_json(
            {
                "receipt_no": r.receipt_no,
                "receipt_id": r.receipt_id,
                "stall": r.stall_code,
                "stall_name": r.stall_name,
                "tenant": r.tenant_name,
                "amount": money(r.amount),
                "method": r.method,
                "balance_before": money(r.balance_before),
                "balance": money(r.balance_after),
                "operator": r.operator_name,
                "at": r.at,
            }
        )
    else:
        print(
            RECHARGED.say(
                receipt_no=r.receipt_no,
                stall=r.stall_code,
                name=r.stall_name,
                method=PAY_METHOD[r.method],
                amount=money(r.amount),
                balance=money(r.balance_after),
            )
        )
    return 0
