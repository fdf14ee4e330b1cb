"""`python -m app [--db URL] demo --electric N --water M [--months K] [--seed S]`."""

from __future__ import annotations

import argparse

from app.cli import UserError
from app.models.db import Database
from app.services.platform.context import ServiceError


def register(sub) -> None:
    p = sub.add_parser("demo", help="build the demo market (演示市场) on an empty database")
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
            r = build_demo(s, electric=args.electric, water=args.water, months=args.months, seed=args.seed)
    except ServiceError as exc:
        raise UserError(str(exc)) from None
    finally:
        db.dispose()
    print(f"演示市场已建成：{r.stalls} 个档位，{r.electric_meters} 块电表，{r.water_meters} 块水表；"
          f"{r.days} 天 {r.readings} 条读数，{r.bills} 张账单共 {r.billed:.2f} 元；"
          f"余额不足 {r.low} 户，断电/关阀 {r.tripped} 块表。用时 {r.seconds:.1f} 秒")
    return 0
