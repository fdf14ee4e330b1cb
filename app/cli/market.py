"""`market create --name NAME [--code CODE] [--timezone TZ] [--address …] [--phone …]`,
`market set [--name …] [--address …] [--phone …] [--timezone …] [--receipt-header LINE …]
[--receipt-footer LINE …]`, `market list [--json]`: the markets of the database (one, or a
chain's several on one PostgreSQL server). After `market create`, `user add NAME --role
admin` makes its first administrator."""

from __future__ import annotations

from app import program
from app.cli.common import (
    actor,
    add_operator_option,
    open_db,
    origin,
    print_json,
    service_errors,
)
from app.models.user import Role
from app.services.market.setup import (
    DEFAULT_TIMEZONE,
    MarketSpec,
    create_market,
    market_details,
    update_market,
)
from app.services.market.stalls import list_sites
from app.services.platform.context import CLI_ACTOR, Actor
from app.words import QT_TRANSLATE_NOOP, Word

CREATED = Word(
    "cli.market.created",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Market {name} created (code {market_code}). Next: {command}",
    ),
)
NONE_YET = Word(
    "cli.market.none_yet",
    QT_TRANSLATE_NOOP("CLI", "No market yet: {command}"),
)

DETAILS = Word(
    "cli.market.details",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Market {market_code}: {name}\nAddress: {address}\nService phone: {phone}\n"
        "Time zone: {timezone}\nReceipt header: {header}\nReceipt footer: {footer}",
    ),
)


def register(sub) -> None:
    p = sub.add_parser("market", help="markets: create, set, list")
    cmds = p.add_subparsers(dest="market_command", metavar="ACTION", required=True)
    create = cmds.add_parser("create", help="create a market")
    create.add_argument("--name", required=True, help="the market's name, printed on receipts")
    create.add_argument("--code", default="", help="the market's code (default: M001, M002 …)")
    create.add_argument("--timezone", default=DEFAULT_TIMEZONE, help="default: %(default)s")
    create.add_argument("--address", default="")
    create.add_argument("--phone", default="", help="service phone printed on receipts")
    create.add_argument(
        "--operator",
        metavar="USER",
        help="a further market of a chain: an administrator, after their password "
        "(default: the built-in 'cli' admin)",
    )
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=create_cmd)
    change = cmds.add_parser(
        "set",
        help="change the market's name, address, phone, time zone or receipt lines "
        "(without options: show them)",
    )
    change.add_argument("--name", help="the market's name, printed on receipts")
    change.add_argument("--address")
    change.add_argument("--phone", help="service phone printed on receipts")
    change.add_argument("--timezone", help="e.g. Asia/Shanghai")
    for which in ("header", "footer"):
        change.add_argument(
            f"--receipt-{which}",
            action="append",
            metavar="LINE",
            help=f"a line printed at the {'top' if which == 'header' else 'bottom'} of every "
            'receipt; repeat it for several lines, give it once as "" for none',
        )
    change.add_argument("--json", action="store_true")
    add_operator_option(change)
    change.set_defaults(func=set_cmd)
    ls = cmds.add_parser("list", help="list the markets")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=list_cmd)


def create_cmd(args) -> int:
    spec = MarketSpec(
        name=args.name,
        code=args.code,
        timezone=args.timezone,
        address=args.address,
        phone=args.phone,
    )
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            # The first market is made before any user exists; a further one by an admin.
            who = (
                actor(s, args)
                if args.operator and list_sites(s)
                else Actor(None, CLI_ACTOR, Role.ADMIN, 0, origin())
            )
            site = create_market(s, who, spec)
    finally:
        db.dispose()
    if args.json:
        print_json(site)
    else:
        print(
            CREATED.say(
                name=site.name,
                market_code=site.code,
                command=program.command_text("user", "add", "USER", "--role", "admin"),
            )
        )
    return 0


def set_cmd(args) -> int:
    changes = {
        "name": args.name,
        "address": args.address,
        "phone": args.phone,
        "timezone": args.timezone,
        "receipt_header": None if args.receipt_header is None else "\n".join(args.receipt_header),
        "receipt_footer": None if args.receipt_footer is None else "\n".join(args.receipt_footer),
    }
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            if any(v is not None for v in changes.values()):
                market = update_market(s, who, **changes)
            else:
                market = market_details(s, who.site_id)
    finally:
        db.dispose()
    if args.json:
        print_json(market)
    else:
        print(
            DETAILS.say(
                market_code=market.code,
                name=market.name,
                address=market.address or "—",
                phone=market.phone or "—",
                timezone=market.timezone,
                header=" / ".join(market.receipt_header.splitlines()) or "—",
                footer=" / ".join(market.receipt_footer.splitlines()) or "—",
            )
        )
    return 0


def list_cmd(args) -> int:
    db = open_db(args)
    try:
        with db.transaction() as s:
            sites = list_sites(s)
    finally:
        db.dispose()
    if args.json:
        print_json(sites)
    elif not sites:
        print(NONE_YET.say(command=program.command_text("market", "create", "--name", "NAME")))
    else:
        for site in sites:
            print(f"{site.code}\t{site.name}\t{site.timezone}\t{site.phone}")
    return 0
