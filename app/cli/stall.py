"""`stall list [--building B]`, `stall show CODE`: stalls, their money and meters."""

from __future__ import annotations

from app.cli.common import money, open_db, plain, print_json, service_errors
from app.services.market.stalls import StallCard, StallRow, list_stalls, stall_card

# The client's words (app/ui/labels.py in Chinese): a water valve is 开阀 / 关阀, never 合闸.
_KIND = {"electric": "电表", "water": "水表"}
_STATE = {("electric", "closed"): "合闸", ("electric", "tripped"): "分闸", ("water", "open"): "开阀",
          ("water", "closed"): "关阀"}
_MODE = {"prepaid": "预付费", "forced_on": "保电", "forced_off": "强制断电"}
_COMM = {"online": "在线", "offline": "离线", "unknown": "未抄读"}
_ACCOUNT = {"open": "正常", "closed": "已销户"}


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
    account = _ACCOUNT.get(str(card.account_status), "未开户")
    print(f"档位 {card.code} {card.name}（{card.building}）  租户 {card.tenant_name} {card.tenant_phone}  账户{account}")
    print(f"余额 {money(card.balance)} 元  可用余额 {_or_dash(money(card.available_balance))}  "
          f"未结算 {_or_dash(money(card.unsettled_amount))}")
    for m in card.meters:
        reading = "-" if m.last_reading is None else f"{m.last_reading} {m.unit}"
        kind = str(m.kind)
        print(f"  {_KIND.get(kind, kind)}\t{m.model}\t{m.channel or '-'}\t{m.address}\t"
              f"{_STATE.get((kind, m.state), '状态未知')}\t{_MODE.get(str(m.control_mode), str(m.control_mode))}\t"
              f"{_COMM.get(str(m.comm_status), str(m.comm_status))}\t{reading}")
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
