"""`sms outbox [--json]`: the latest text messages (the outbox of a market without an SMS
contract, and what went through the provider, codes masked); `sms setup`: the provider, its
keys and the portal's public address.

    python -m app sms setup --provider aliyun --access-key-id LTAI… --sign-name 某某市场 \\
        --template sign_in_code=SMS_1234 --template bind_code=SMS_5678 \\
        --portal-url https://portal.example.com
    (the AccessKey secret is read from $MARKETMETER_SMS_SECRET or a hidden prompt)
"""

from __future__ import annotations

import argparse
import getpass
import os

from app.cli import UserError
from app.cli.common import (
    actor,
    add_market_option,
    add_operator_option,
    open_db,
    print_json,
    service_errors,
    site_id,
)
from app.services.platform.timeutil import site_zone
from app.services.portal import notices
from app.services.portal.sms import ALIYUN, PROVIDERS, latest_messages, set_up_sms
from app.words import QT_TRANSLATE_NOOP, Word

SECRET_ENV = "MARKETMETER_SMS_SECRET"
NO_MESSAGES = Word("cli.sms.no_messages", QT_TRANSLATE_NOOP("CLI", "No text messages yet."))
MESSAGE = Word(
    "cli.sms.message",
    QT_TRANSLATE_NOOP("CLI", "{at}  {phone}  {template} {params}  [{provider}: {status}]"),
)
BAD_TEMPLATE = Word(
    "cli.sms.bad_template",
    QT_TRANSLATE_NOOP(
        "CLI", "--template takes NAME=CODE (e.g. sign_in_code=SMS_1234), not “{text}”"
    ),
)
SECRET_PROMPT = Word("cli.sms.secret_prompt", QT_TRANSLATE_NOOP("CLI", "AccessKey secret: "))
NOTICES = Word(
    "cli.sms.notices",
    QT_TRANSLATE_NOOP("CLI", "Notices to tenants by SMS: {on}; quiet hours: {quiet}"),
)
NOTICES_NONE_ON = Word("cli.sms.notices_none_on", QT_TRANSLATE_NOOP("CLI", "all off"))
NO_QUIET_HOURS = Word("cli.sms.no_quiet_hours", QT_TRANSLATE_NOOP("CLI", "none"))
NOTICES_SENT = Word(
    "cli.sms.notices_sent", QT_TRANSLATE_NOOP("CLI", "{count} notices due were handled.")
)
SET_UP = Word(
    "cli.sms.set_up",
    QT_TRANSLATE_NOOP("CLI", "SMS provider: {provider}; portal address: {url}"),
)


def register(sub) -> None:
    p = sub.add_parser("sms", help="text messages to tenants: the outbox, the provider")
    cmds = p.add_subparsers(dest="sms_command", metavar="ACTION", required=True)
    out = cmds.add_parser("outbox", help="the latest text messages, newest first")
    add_market_option(out)
    out.add_argument("--json", action="store_true", help="as JSON")
    out.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    out.set_defaults(func=outbox)
    setup = cmds.add_parser(
        "setup",
        help="the SMS provider and the portal's address",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_operator_option(setup)
    setup.add_argument("--provider", choices=PROVIDERS, required=True)
    setup.add_argument("--access-key-id", default="")
    setup.add_argument("--sign-name", default="", help="the signature the provider approved")
    setup.add_argument("--region", default="")
    setup.add_argument(
        "--template",
        action="append",
        default=[],
        metavar="NAME=CODE",
        help="a template code approved by the provider: sign_in_code, bind_code",
    )
    setup.add_argument(
        "--portal-url",
        default=None,
        help="the portal's public https address, the start of a stall's QR",
    )
    setup.set_defaults(func=setup_sms)
    kinds = ", ".join(notices.KINDS)
    nt = cmds.add_parser(
        "notices",
        help="which notices tenants get by SMS, and the quiet hours",
        description=(
            "Notices to the stall's tenant (else its owner) by SMS, each once per event: "
            f"{kinds}. Shown when given no option. Notices due in the quiet hours wait for "
            "their end; recharge received goes at once."
        ),
    )
    add_operator_option(nt)
    nt.add_argument("--on", action="append", default=[], metavar="KIND", help=kinds)
    nt.add_argument("--off", action="append", default=[], metavar="KIND", help=kinds)
    nt.add_argument("--quiet", default=None, metavar="HH:MM-HH:MM", help="or none")
    nt.set_defaults(func=set_notices)
    send = cmds.add_parser(
        "send", help="send the queued notices that are due (the meter service does it too)"
    )
    add_market_option(send)
    send.set_defaults(func=send_notices)


def outbox(args) -> int:
    db = open_db(args)
    with db.reading() as s:
        site = site_id(s, args)
        rows = latest_messages(s, site, args.limit)
        tz = site_zone(s, site)
    if args.json:
        print_json(rows)
    elif not rows:
        print(NO_MESSAGES.say())
    for r in [] if args.json else rows:
        print(
            MESSAGE.say(
                at=r.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                phone=r.phone,
                template=r.template,
                params=notices.notice_text(r.template, r.params) or r.params,
                provider=r.provider,
                status=r.status,
            )
        )
    db.dispose()
    return 0


def setup_sms(args) -> int:
    settings: dict = {}
    if args.provider == ALIYUN:
        templates = {}
        for item in args.template:
            name, sep, code = item.partition("=")
            if not sep or not name or not code:
                raise UserError(BAD_TEMPLATE.say(text=item))
            templates[name.strip()] = code.strip()
        secret = os.environ.get(SECRET_ENV)
        if secret is None:
            try:
                secret = getpass.getpass(SECRET_PROMPT.say())
            except EOFError:
                secret = ""
        settings = {
            "access_key_id": args.access_key_id,
            "access_key_secret": secret,
            "sign_name": args.sign_name,
            "templates": templates,
        }
        if args.region:
            settings["region"] = args.region
    db = open_db(args)
    with service_errors(), db.transaction() as s:
        done = set_up_sms(s, actor(s, args), args.provider, settings, args.portal_url)
    print(SET_UP.say(provider=done.provider, url=done.portal_url or "—"))
    db.dispose()
    return 0


def _notices_line(done: notices.NoticeSettings) -> str:
    on = ", ".join(notices.KIND_NAMES[k].say() for k in notices.KINDS if done.is_on(k))
    quiet = (
        f"{done.quiet_start:%H:%M}-{done.quiet_end:%H:%M}"
        if done.quiet_start is not None and done.quiet_end is not None
        else NO_QUIET_HOURS.say()
    )
    return NOTICES.say(on=on or NOTICES_NONE_ON.say(), quiet=quiet)


def set_notices(args) -> int:
    db = open_db(args)
    with service_errors(), db.transaction() as s:
        if args.on or args.off or args.quiet is not None:
            done = notices.set_notices(
                s, actor(s, args), on=args.on, off=args.off, quiet=args.quiet
            )
        else:
            done = notices.notice_settings(s, site_id(s, args))
    print(_notices_line(done))
    db.dispose()
    return 0


def send_notices(args) -> int:
    db = open_db(args)
    with db.reading() as s:
        site = site_id(s, args)
    count = notices.send_due_notices(db, site)
    print(NOTICES_SENT.say(count=count))
    db.dispose()
    return 0
