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
                params=r.params,
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
