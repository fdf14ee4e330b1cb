"""`stall list [--building B]`, `stall show CODE`: stalls, their money and meters."""

from __future__ import annotations

from app.cli.common import money, open_db, plain, print_json, service_errors
from app.services.stalls import StallCard, StallRow, list_stalls, stall_card

_STATE = {"closed": "合闸", "tripped": "分闸", "open": "开阀", "unknown": "未知"}


def register(sub) -> None:
    p = sub.add_parser("stall", help="stalls: list, show")
    cmds = p.add_subparsers(dest="stall_command", metavar="ACTION", required=True)
    ls = cmds.add_parser("list", help="all stalls with their balance")
    ls.add_argument("--building", help="only this building (name)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=list_cmd)
    show = cmds.add_parser("show", help="one stall with its meters")
    show.add_argument("code", metavar="CODE")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=show_cmd)


def list_cmd(args) -> int:
    db = open_db(args)
    try:
        with db.transaction() as s:
            rows = list_stalls(s, args.building)
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
            card = stall_card(s, args.code)
    finally:
        db.dispose()
    if args.json:
        print_json(card_json(card))
        return 0
    print(f"档位 {card.code} {card.name}（{card.building}）  租户 {card.tenant_name} {card.tenant_phone}")
    print(f"余额 {money(card.balance)} 元  可用余额 {_or_dash(money(card.available_balance))}  "
          f"未结算 {_or_dash(money(card.unsettled_amount))}")
    for m in card.meters:
        reading = "-" if m.last_reading is None else f"{m.last_reading} {m.unit}"
        print(f"  {m.kind.value}\t{m.model}\t{m.channel or '-'}\t{m.address}\t{_STATE.get(m.state, m.state)}\t{m.control_mode.value}\t"
              f"{m.comm_status.value}\t{reading}")
    return 0


def row_json(r: StallRow) -> dict:
    d = plain(r)
    d["balance"] = money(r.balance)
    return d


def card_json(c: StallCard) -> dict:
    d = plain(c)
    for key in ("balance", "available_balance", "unsettled_amount", "alarm1", "alarm2", "overdraft_limit"):
        d[key] = money(getattr(c, key))
    return d


def _or_dash(text: str | None) -> str:
    return "-" if text is None else f"{text} 元"
