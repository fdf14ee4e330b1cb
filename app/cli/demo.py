"""`python -m app [--db URL] demo --electric N --water M [--months K] [--seed S]`."""

from __future__ import annotations

import argparse

from app.cli import UserError
from app.models.db import Database
from app.services.platform.context import ServiceError
from app.words import QT_TRANSLATE_NOOP, Word, default_language

BUILT = Word(
    "cli.demo.built",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Demo market built: {stalls} stalls, {electric} electricity meters, {water} water meters; "
        "{days} days with {readings} readings, {bills} bills totalling {billed} yuan; {low} "
        "stalls low on balance, {tripped} meters tripped / valves closed. Took {seconds} s",
    ),
)


def register(sub) -> None:
    p = sub.add_parser("demo", help="build the demo market on an empty database")
    p.add_argument("--electric", type=int, default=474, help="electricity meters (default 474)")
    p.add_argument("--water", type=int, default=417, help="water meters (default 417)")
    p.add_argument("--months", type=int, default=3, help="months of 30-minute readings (default 3)")
    p.add_argument("--seed", type=int, default=1, help="random seed: same seed, same market")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.demo.build import build_demo

    db = Database(args.db)
    try:
        db.upgrade()
        with db.transaction() as s:
            r = build_demo(
                s, electric=args.electric, water=args.water, months=args.months, seed=args.seed
            )
    except ServiceError as exc:
        raise UserError(exc.text(default_language())) from None
    finally:
        db.dispose()
    print(
        BUILT.say(
            stalls=r.stalls,
            electric=r.electric_meters,
            water=r.water_meters,
            days=r.days,
            readings=r.readings,
            bills=r.bills,
            billed=f"{r.billed:.2f}",
            low=r.low,
            tripped=r.tripped,
            seconds=f"{r.seconds:.1f}",
        )
    )
    return 0
