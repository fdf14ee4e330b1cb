"""`payments`: online recharge (线上充值) from the command line.

    python -m app payments set wechat --mchid 1900000109 --appid wx… --merchant-serial 5157… \\
        --merchant-key-file apiclient_key.pem --apiv3-key-file apiv3.txt \\
        --platform-serial PUB_KEY_ID_… --platform-key-file pub_key.pem \\
        --notify-url https://pay.example.com/pay/notify/wechat
    python -m app payments show wechat
    python -m app payments query            # orders whose notification never came
    python -m app payments reconcile --date 2026-12-06
    python -m app payments alerts           # refused notifications

Keys are read from files (never typed on the command line, where the shell keeps them); a
setting not named keeps the stored one. Secrets are shown masked.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import UserError
from app.cli.common import actor, add_operator_option, open_db, print_json, service_errors
from app.services.money import online_payments as op
from app.services.platform.timeutil import site_zone
from app.words import QT_TRANSLATE_NOOP, Word

SAVED = Word(
    "cli.payments.saved",
    QT_TRANSLATE_NOOP("CLI", "{provider} saved for this market ({state})"),
)
ENABLED = Word("cli.payments.enabled", QT_TRANSLATE_NOOP("CLI", "enabled"))
DISABLED = Word("cli.payments.disabled", QT_TRANSLATE_NOOP("CLI", "disabled"))
FILE_UNREADABLE = Word(
    "cli.payments.file_unreadable",
    QT_TRANSLATE_NOOP("CLI", "cannot read {path}: {problem}"),
)
NOTHING_PENDING = Word(
    "cli.payments.nothing_pending",
    QT_TRANSLATE_NOOP("CLI", "No order is waiting for its payment notification"),
)
STATUS = {
    "credited": Word(
        "cli.payments.credited", QT_TRANSLATE_NOOP("CLI", "{order_no}: credited, receipt {no}")
    ),
    "repeat": Word(
        "cli.payments.repeat", QT_TRANSLATE_NOOP("CLI", "{order_no}: credited before, receipt {no}")
    ),
    "unpaid": Word("cli.payments.unpaid", QT_TRANSLATE_NOOP("CLI", "{order_no}: not paid yet")),
    "closed": Word(
        "cli.payments.closed",
        QT_TRANSLATE_NOOP("CLI", "{order_no}: closed, the tenant did not pay within 2 hours"),
    ),
    "refused": Word(
        "cli.payments.refused", QT_TRANSLATE_NOOP("CLI", "{order_no}: refused: {reason}")
    ),
    "unreachable": Word(
        "cli.payments.unreachable", QT_TRANSLATE_NOOP("CLI", "{order_no}: not asked: {reason}")
    ),
}
AGREE = Word(
    "cli.payments.agree",
    QT_TRANSLATE_NOOP("CLI", "{day}: the platforms' statements and the credits agree"),
)
DIFFERENCES = Word(
    "cli.payments.differences",
    QT_TRANSLATE_NOOP("CLI", "{day}: {count} differences between the statements and the credits"),
)
DIFFERENCE_LINE = Word(
    "cli.payments.difference_line",
    QT_TRANSLATE_NOOP("CLI", "  {provider}  {order_no}  stall {stall}: {text}"),
)
NO_ALERTS = Word(
    "cli.payments.no_alerts", QT_TRANSLATE_NOOP("CLI", "No payment notification was refused")
)
FILE_FIELDS = (*op.PEM_FIELDS, "apiv3_key")


def register(sub) -> None:
    p = sub.add_parser("payments", help="online recharge: settings, query, reconcile, alerts")
    cmds = p.add_subparsers(dest="payments_command", metavar="ACTION", required=True)
    set_ = cmds.add_parser(
        "set",
        help="the market's merchant settings with WeChat Pay or Alipay",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    set_.add_argument("provider", choices=[p.value for p in op.PaymentProvider])
    names = sorted({f for fields in op.FIELDS.values() for f in fields})
    for name in names:
        flag = name.replace("_", "-")
        if name in FILE_FIELDS:
            set_.add_argument(f"--{flag}-file", dest=name, metavar="FILE", help="read from FILE")
        else:
            set_.add_argument(f"--{flag}", dest=name)
    set_.add_argument("--disable", action="store_true", help="keep the settings, take no orders")
    add_operator_option(set_)
    set_.set_defaults(func=set_settings)

    show = cmds.add_parser("show", help="the merchant settings, secrets masked")
    show.add_argument("provider", choices=[p.value for p in op.PaymentProvider])
    show.add_argument("--json", action="store_true")
    add_operator_option(show)
    show.set_defaults(func=show_settings)

    query = cmds.add_parser(
        "query", help="ask the platforms about orders whose notification never came"
    )
    query.add_argument("--order", metavar="ORDER_NO", help="just this order, however new")
    query.add_argument("--json", action="store_true")
    add_operator_option(query)
    query.set_defaults(func=query_orders)

    rec = cmds.add_parser("reconcile", help="a day's credits against the platforms' statements")
    rec.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    rec.add_argument("--provider", choices=[p.value for p in op.PaymentProvider])
    rec.add_argument("--json", action="store_true")
    add_operator_option(rec)
    rec.set_defaults(func=reconcile)

    alerts = cmds.add_parser("alerts", help="the latest refused payment notifications")
    alerts.add_argument("--json", action="store_true")
    add_operator_option(alerts)
    alerts.set_defaults(func=show_alerts)


def _values(args) -> dict:
    out = {}
    for name in op.FIELDS[op.PaymentProvider(args.provider)]:
        value = getattr(args, name, None)
        if value is None:
            continue
        if name in FILE_FIELDS:
            try:
                value = Path(value).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise UserError(FILE_UNREADABLE.say(path=value, problem=exc.strerror)) from None
        out[name] = value
    return out


def set_settings(args) -> int:
    given = _values(args)  # before touching the database: a missing file writes nothing
    with service_errors():
        db = open_db(args)
        try:
            with db.transaction() as s:
                who = actor(s, args)
                stored = op.payment_settings(s, who, args.provider).settings
                saved = op.set_payment_settings(
                    s, who, args.provider, {**stored, **given}, is_enabled=not args.disable
                )
        finally:
            db.dispose()
    state = ENABLED if saved.is_enabled else DISABLED
    print(SAVED.say(provider=op.PROVIDER_NAME[saved.provider], state=state))
    return 0


def show_settings(args) -> int:
    with service_errors():
        db = open_db(args)
        try:
            with db.transaction() as s:
                shown = op.payment_settings(s, actor(s, args), args.provider)
        finally:
            db.dispose()
    if args.json:
        print_json(shown)
        return 0
    state = ENABLED if shown.is_enabled else DISABLED
    print(f"{op.PROVIDER_NAME[shown.provider].say()}: {state.say()}")
    for key, value in shown.settings.items():
        first = str(value).splitlines()[0] if value else ""
        print(f"  {key}: {first}{' …' if len(str(value).splitlines()) > 1 else ''}")
    return 0


def query_orders(args) -> int:
    with service_errors():
        db = open_db(args)
        try:
            with db.transaction() as s:
                who = actor(s, args)
            outcomes = op.query_pending(db, who.site_id, order_no=args.order)
        finally:
            db.dispose()
    if args.json:
        print_json(
            [
                {
                    "order_no": o.order_no,
                    "status": o.status,
                    "receipt_no": o.receipt_no,
                    "reason": o.reason.say() if o.reason else "",
                }
                for o in outcomes
            ]
        )
        return 0
    if not outcomes:
        print(NOTHING_PENDING.say())
    for o in outcomes:
        print(
            STATUS[o.status].say(
                order_no=o.order_no, no=o.receipt_no, reason=o.reason.say() if o.reason else ""
            )
        )
    return 0


def reconcile(args) -> int:
    with service_errors():
        db = open_db(args)
        try:
            with db.transaction() as s:
                who = actor(s, args)
            diffs = op.reconcile(db, who, args.date, args.provider)
        finally:
            db.dispose()
    if args.json:
        print_json([{**_plain_diff(d), "text": d.text()} for d in diffs])
        return 1 if diffs else 0
    if not diffs:
        print(AGREE.say(day=args.date))
        return 0
    print(DIFFERENCES.say(day=args.date, count=len(diffs)))
    for d in diffs:
        print(
            DIFFERENCE_LINE.say(
                provider=op.PROVIDER_NAME[d.provider], order_no=d.order_no, stall=d.stall_code,
                text=d.text(),
            )
        )  # fmt: skip
    return 1  # a difference is something to look into: scripts can tell


def _plain_diff(d: op.Difference) -> dict:
    return {
        "provider": d.provider.value,
        "order_no": d.order_no,
        "kind": d.kind,
        "ours": str(d.ours) if d.ours is not None else None,
        "theirs": str(d.theirs) if d.theirs is not None else None,
        "stall": d.stall_code,
    }


def show_alerts(args) -> int:
    with service_errors():
        db = open_db(args)
        try:
            with db.transaction() as s:
                who = actor(s, args)
                alerts = op.payment_alerts(s, who)
                tz = site_zone(s, who.site_id)
        finally:
            db.dispose()
    if args.json:
        print_json(alerts)
        return 0
    if not alerts:
        print(NO_ALERTS.say())
    for a in alerts:
        print(f"{a.at.astimezone(tz):%Y-%m-%d %H:%M:%S}  {a.text}")
    return 0
