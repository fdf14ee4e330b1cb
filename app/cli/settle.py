"""`python -m app [--db URL] settle [--building NAME] [--site CODE] [--json]`: settle every due
period now (what the scheduled night run does) and print what was billed."""

from __future__ import annotations

import argparse
import dataclasses
import json

from sqlalchemy import select

from app.cli import UserError
from app.cli.common import origin
from app.models.db import Database
from app.models.meter import Meter
from app.models.money import fmt_yuan
from app.models.site import Building, Site, Stall
from app.services.platform.context import Actor, ServiceError
from app.comm.labels import ACTION
from app.services.platform.timeutil import zone


def register(sub) -> None:
    p = sub.add_parser("settle", help="settle due periods: usage → bills → ledger debits → control")
    p.add_argument("--building", help="only this building (楼栋名称), e.g. 'A区 蔬菜区'")
    p.add_argument("--site", help="market code, when the database holds several markets")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def _site(s, code: str | None) -> Site:
    if code:
        site = s.scalar(select(Site).where(Site.code == code))
        if site is None:
            raise UserError(f"没有代码为“{code}”的市场")
        return site
    sites = s.scalars(select(Site).limit(2)).all()
    if not sites:
        raise UserError("数据库中还没有市场，请先导入档位或运行 demo")
    if len(sites) > 1:
        raise UserError("数据库中有多个市场，请用 --site 指定市场代码")
    return sites[0]


def run(args: argparse.Namespace) -> int:
    from app.services.money.settlement import settle

    db = Database(args.db)
    try:
        with db.transaction() as s:
            site = _site(s, args.site)
            building_id = None
            if args.building:
                building_id = s.scalar(select(Building.id).where(Building.site_id == site.id,
                                                                  Building.name == args.building))
                if building_id is None:
                    names = "、".join(s.scalars(select(Building.name).where(Building.site_id == site.id)))
                    raise UserError(f"没有名为“{args.building}”的楼栋（现有：{names}）")
            result = settle(s, dataclasses.replace(Actor.system(site.id), origin=origin()), building_id=building_id)
            tz = zone(site.timezone)
            # The meters skipped or commanded, named as the office names them: stall code and address.
            ids = {m for m, _ in result.skipped} | {c.meter_id for c in (result.control.issued if result.control else ())}
            names = {mid: (code or "", address) for mid, code, address in s.execute(
                select(Meter.id, Stall.code, Meter.address).outerjoin(Stall, Stall.id == Meter.stall_id)
                .where(Meter.id.in_(ids)))} if ids else {}
    except ServiceError as exc:
        raise UserError(str(exc)) from None
    finally:
        db.dispose()
    skipped = [{"meter_id": m, "stall": names[m][0], "address": names[m][1], "reason": why} for m, why in result.skipped]
    commands = [{"command_id": c.command_id, "meter_id": c.meter_id, "stall": names[c.meter_id][0],
                 "address": names[c.meter_id][1], "action": c.action.value}
                for c in (result.control.issued if result.control else ())]
    if args.json:
        print(json.dumps({
            "bills": result.bills,
            "amount": fmt_yuan(result.amount),
            "periods": [{"building": p.building, "start": p.period_start.isoformat(), "end": p.period_end.isoformat(),
                         "bills": p.bills, "amount": fmt_yuan(p.amount), "month": p.month.strftime("%Y-%m"),
                         "month_moved": p.is_month_moved} for p in result.periods],
            "skipped": skipped,
            "commands": commands,
        }, ensure_ascii=False, indent=2))
        return 0
    if not result.periods:
        print("没有到期未结算的周期")
    for p in result.periods:
        note = f"（所属月份已锁定，计入 {p.month:%Y-%m}）" if p.is_month_moved else ""
        start, end = p.period_start.astimezone(tz), p.period_end.astimezone(tz)
        print(f"{p.building}  {start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}  "
              f"{p.bills} 张账单  {fmt_yuan(p.amount)} 元{note}")
    if result.periods:
        print(f"合计：{result.bills} 张账单，{fmt_yuan(result.amount)} 元")
    for m in skipped:
        print(f"跳过 档位 {m['stall'] or '（未绑定）'} 表 {m['address']}：{m['reason']}")
    if commands:
        print(f"通断控制：{len(commands)} 条指令")
        for c in commands:
            print(f"  档位 {c['stall'] or '（未绑定）'} 表 {c['address']}：{ACTION[c['action']].say()}")
    return 0

