"""`alerts list [--open] [--json]`: the market's safety alerts, newest first, said in the
command line's language."""

from __future__ import annotations

from app.cli.common import (
    actor,
    add_operator_option,
    open_db,
    print_json,
    service_errors,
)
from app.services.market import alerts
from app.services.market.alerts import ALERT_KIND, ALERT_STATE
from app.services.platform.timeutil import site_zone
from app.words import QT_TRANSLATE_NOOP, Word, default_language

LINE = Word(
    "cli.alerts.line",
    QT_TRANSLATE_NOOP("CLI", "{id}  {raised_at}  {kind}  {state}  {stall}  {meter}  {detail}"),
)
NONE = Word("cli.alerts.none", QT_TRANSLATE_NOOP("CLI", "No alerts."))


def register(sub) -> None:
    p = sub.add_parser("alerts", help="safety alerts raised by collection")
    cmds = p.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    listing = cmds.add_parser("list", help="the alerts, newest first")
    listing.add_argument("--open", action="store_true", help="only those not resolved")
    listing.add_argument("--json", action="store_true")
    add_operator_option(listing)
    listing.set_defaults(func=list_cmd)


def list_cmd(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.reading() as s:
            who = actor(s, args)
            tz = site_zone(s, who.site_id)
            rows = alerts.list_alerts(s, who, only_open=args.open)
    finally:
        db.dispose()
    lang = default_language()
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "raised_at": r.raised_at.isoformat(),
                    "kind": r.kind.value,
                    "state": r.state.value,
                    "stall": r.stall_code,
                    "meter": r.meter_address,
                    "values": r.values,
                    "detail": r.detail(lang),
                    "note": r.note,
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        print(NONE.say())
        return 0
    for r in rows:
        print(
            LINE.say(
                id=r.id,
                raised_at=r.raised_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                kind=ALERT_KIND[r.kind],
                state=ALERT_STATE[r.state],
                stall=r.stall_code or "-",
                meter=r.meter_address,
                detail=r.detail(lang),
            )
        )
    return 0
