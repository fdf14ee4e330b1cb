"""`python -m app [--db URL] settle [--building NAME] [--site CODE] [--json]`: settle every due
period now (what the scheduled night run does) and print what was billed."""

from __future__ import annotations

import argparse
import dataclasses
import json

from app.cli import UserError
from app.cli.common import listed, origin
from app.comm.labels import ACTION
from app.models.db import Database
from app.models.money import fmt_yuan
from app.services.market.meters import meter_names
from app.services.market.setup import pick_market
from app.services.market.stalls import SiteRow, building_rows
from app.services.platform.context import Actor, ServiceError
from app.services.platform.timeutil import zone
from app.words import QT_TRANSLATE_NOOP, Word, default_language

NO_BUILDING = Word(
    "cli.settle.no_building",
    QT_TRANSLATE_NOOP("CLI", "There is no building named “{building}” (there are: {names})"),
)
NOTHING_DUE = Word(
    "cli.settle.nothing_due", QT_TRANSLATE_NOOP("CLI", "No period is due for settlement")
)
MONTH_MOVED = Word(
    "cli.settle.month_moved", QT_TRANSLATE_NOOP("CLI", " (its month is locked: charged to {month})")
)
PERIOD_LINE = Word(
    "cli.settle.period_line",
    QT_TRANSLATE_NOOP("CLI", "{building}  {start} – {end}  {bills} bills  {amount} yuan{note}"),
)
TOTAL = Word("cli.settle.total", QT_TRANSLATE_NOOP("CLI", "Total: {bills} bills, {amount} yuan"))
UNBOUND = Word("cli.settle.unbound", QT_TRANSLATE_NOOP("CLI", "(no stall)"))
SKIPPED = Word(
    "cli.settle.skipped",
    QT_TRANSLATE_NOOP("CLI", "Skipped stall {stall} meter {address}: {reason}"),
)
COMMANDS = Word("cli.settle.commands", QT_TRANSLATE_NOOP("CLI", "Supply control: {count} commands"))
COMMAND = Word(
    "cli.settle.command", QT_TRANSLATE_NOOP("CLI", "  stall {stall} meter {address}: {action}")
)


def register(sub) -> None:
    p = sub.add_parser("settle", help="settle due periods: usage → bills → ledger debits → control")
    p.add_argument("--building", help="only this building, by its name as the client shows it")
    p.add_argument(
        "--market",
        "--site",
        dest="market",
        metavar="CODE",
        help="the market's code, when the database holds several (see: market list)",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def _site(s, code: str | None) -> SiteRow:
    try:
        return pick_market(s, code)
    except ServiceError as exc:
        raise UserError(exc.text(default_language())) from None


def run(args: argparse.Namespace) -> int:
    from app.services.money.settlement import settle

    db = Database(args.db)
    try:
        with db.transaction() as s:
            site = _site(s, args.market)
            building_id = None
            if args.building:
                buildings = building_rows(s, site.id)
                building_id = next((b.id for b in buildings if b.name == args.building), None)
                if building_id is None:
                    names = listed(b.name for b in buildings)
                    raise UserError(NO_BUILDING.say(building=args.building, names=names))
            result = settle(
                s,
                dataclasses.replace(Actor.system(site.id), origin=origin()),
                building_id=building_id,
            )
            tz = zone(site.timezone)
            # The meters skipped or commanded, named as the office names them: stall code and
            # address.
            ids = {m for m, _ in result.skipped} | {
                c.meter_id for c in (result.control.issued if result.control else ())
            }
            names = meter_names(s, ids)
    except ServiceError as exc:
        raise UserError(exc.text(default_language())) from None
    finally:
        db.dispose()
    skipped = [
        {"meter_id": m, "stall": names[m][0], "address": names[m][1], "reason": why.say()}
        for m, why in result.skipped
    ]
    commands = [
        {
            "command_id": c.command_id,
            "meter_id": c.meter_id,
            "stall": names[c.meter_id][0],
            "address": names[c.meter_id][1],
            "action": c.action.value,
        }
        for c in (result.control.issued if result.control else ())
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "bills": result.bills,
                    "amount": fmt_yuan(result.amount),
                    "periods": [
                        {
                            "building": p.building,
                            "start": p.period_start.isoformat(),
                            "end": p.period_end.isoformat(),
                            "bills": p.bills,
                            "amount": fmt_yuan(p.amount),
                            "month": p.month.strftime("%Y-%m"),
                            "month_moved": p.is_month_moved,
                        }
                        for p in result.periods
                    ],
                    "skipped": skipped,
                    "commands": commands,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not result.periods:
        print(NOTHING_DUE.say())
    for p in result.periods:
        note = MONTH_MOVED.say(month=f"{p.month:%Y-%m}") if p.is_month_moved else ""
        start, end = p.period_start.astimezone(tz), p.period_end.astimezone(tz)
        print(
            PERIOD_LINE.say(
                building=p.building,
                start=f"{start:%Y-%m-%d %H:%M}",
                end=f"{end:%Y-%m-%d %H:%M}",
                bills=p.bills,
                amount=fmt_yuan(p.amount),
                note=note,
            )
        )
    if result.periods:
        print(TOTAL.say(bills=result.bills, amount=fmt_yuan(result.amount)))
    for m in skipped:
        print(SKIPPED.say(stall=m["stall"] or UNBOUND, address=m["address"], reason=m["reason"]))
    if commands:
        print(COMMANDS.say(count=len(commands)))
        for c in commands:
            print(
                COMMAND.say(
                    stall=c["stall"] or UNBOUND, address=c["address"], action=ACTION[c["action"]]
                )
            )
    return 0
