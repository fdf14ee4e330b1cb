"""`stall list [--building B]`, `stall show CODE`: stalls, their money and meters."""

from __future__ import annotations

from app.cli.common import (
    YUAN,
    add_market_option,
    money,
    open_db,
    plain,
    print_json,
    service_errors,
    site_id,
)
from app.services.market.stalls import StallCard, StallRow, list_stalls, stall_card
from app.words import QT_TRANSLATE_NOOP, Word

# The client's words (app/ui/labels.py): a water valve is open or closed, never a relay's closed or
# tripped.
_KIND = {
    "electric": Word("cli.stall.electric", QT_TRANSLATE_NOOP("CLI", "electricity meter")),
    "water": Word("cli.stall.water", QT_TRANSLATE_NOOP("CLI", "water meter")),
}
_STATE = {
    ("electric", "closed"): Word("cli.stall.relay_closed", QT_TRANSLATE_NOOP("CLI", "closed")),
    ("electric", "tripped"): Word("cli.stall.relay_tripped", QT_TRANSLATE_NOOP("CLI", "tripped")),
    ("water", "open"): Word("cli.stall.valve_open", QT_TRANSLATE_NOOP("CLI", "valve open")),
    ("water", "closed"): Word("cli.stall.valve_closed", QT_TRANSLATE_NOOP("CLI", "valve closed")),
}
_MODE = {
    "prepaid": Word("cli.stall.prepaid", QT_TRANSLATE_NOOP("CLI", "prepaid")),
    "forced_on": Word("cli.stall.forced_on", QT_TRANSLATE_NOOP("CLI", "forced on")),
    "forced_off": Word("cli.stall.forced_off", QT_TRANSLATE_NOOP("CLI", "forced off")),
}
_COMM = {
    "online": Word("cli.stall.online", QT_TRANSLATE_NOOP("CLI", "online")),
    "offline": Word("cli.stall.offline", QT_TRANSLATE_NOOP("CLI", "offline")),
    "unknown": Word("cli.stall.not_read", QT_TRANSLATE_NOOP("CLI", "not read yet")),
}
_ACCOUNT = {
    "open": Word("cli.stall.account_open", QT_TRANSLATE_NOOP("CLI", "open")),
    "closed": Word("cli.stall.account_closed", QT_TRANSLATE_NOOP("CLI", "closed (tenant left)")),
}
NO_ACCOUNT = Word("cli.stall.no_account", QT_TRANSLATE_NOOP("CLI", "not opened"))
STATE_UNKNOWN = Word("cli.stall.state_unknown", QT_TRANSLATE_NOOP("CLI", "state unknown"))
STALL_LINE = Word(
    "cli.stall.stall_line",
    QT_TRANSLATE_NOOP(
        "CLI", "Stall {code} {name} ({building})  tenant {tenant} {phone}  account {account}"
    ),
)
MONEY_LINE = Word(
    "cli.stall.money_line",
    QT_TRANSLATE_NOOP(
        "CLI", "Balance {balance} yuan  available {available}  unsettled {unsettled}"
    ),
)


def register(sub) -> None:
    p = sub.add_parser("stall", help="stalls: list, show")
    cmds = p.add_subparsers(dest="stall_command", metavar="ACTION", required=True)
    ls = cmds.add_parser("list", help="all stalls with their balance")
    ls.add_argument("--building", help="only this building (name)")
    ls.add_argument("--json", action="store_true")
    add_market_option(ls)
    ls.set_defaults(func=list_cmd)
    show = cmds.add_parser("show", help="one stall with its meters")
    show.add_argument("code", metavar="CODE")
    show.add_argument("--json", action="store_true")
    add_market_option(show)
    show.set_defaults(func=show_cmd)


def list_cmd(args) -> int:
    db = open_db(args)
    try:
        with db.transaction() as s:
            # one market of a chain with --market; without it every stall of the database
            market = site_id(s, args) if args.market else None
            rows = list_stalls(s, args.building, site_id=market)
    finally:
        db.dispose()
    if args.json:
        print_json([row_json(r) for r in rows])
    else:
        for r in rows:
            print(f"{r.code}\t{r.name}\t{r.building}\t{r.tenant_name}\t{money(r.balance)}")
    return 0


def show_cmd(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            market = site_id(s, args) if args.market else None
            card = stall_card(s, args.code, site_id=market)
    finally:
        db.dispose()
    if args.json:
        print_json(card_json(card))
        return 0
    account = _ACCOUNT.get(str(card.account_status), NO_ACCOUNT)
    print(
        STALL_LINE.say(
            code=card.code,
            name=card.name,
            building=card.building,
            tenant=card.tenant_name,
            phone=card.tenant_phone,
            account=account,
        )
    )
    print(
        MONEY_LINE.say(
            balance=money(card.balance),
            available=_or_dash(money(card.available_balance)),
            unsettled=_or_dash(money(card.unsettled_amount)),
        )
    )
    for m in card.meters:
        reading = "-" if m.last_reading is None else f"{m.last_reading} {m.unit}"
        kind = str(m.kind)
        print(
            f"  {_said(_KIND, kind)}\t{m.model}\t{m.channel or '-'}\t{m.address}\t"
            f"{_STATE.get((kind, m.state), STATE_UNKNOWN).say()}\t"
            f"{_said(_MODE, str(m.control_mode))}\t"
            f"{_said(_COMM, str(m.comm_status))}\t{reading}"
        )
    return 0


def row_json(r: StallRow) -> dict:
    d = plain(r)
    d["balance"] = money(r.balance)
    return d


def card_json(c: StallCard) -> dict:
    d = plain(c)
    for key in (
        "balance",
        "available_balance",
        "unsettled_amount",
        "alarm1",
        "alarm2",
        "overdraft_limit",
    ):
        d[key] = money(getattr(c, key))
    return d


def _said(words: dict[str, Word], value: str) -> str:
    found = words.get(value)
    return value if found is None else found.say()


def _or_dash(text: str | None) -> str:
    return "-" if text is None else YUAN.say(amount=text)
