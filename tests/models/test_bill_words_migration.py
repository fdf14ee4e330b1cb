"""Revision 0011 turns the descriptions and units the program wrote on bill lines before as
Chinese (a meter's usage, a tariff's rate or tier block, a shared cost, month / piece / item)
into catalogue words (code + parameters), so a bill's lines read in the clerk's language; a
charge item's name or unit as typed, and kWh / m³, stay as they are. So do the audit log's
reasons a settlement skipped a meter and a reversal's "ledger entry N"."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from alembic import command
from sqlalchemy import select, text

from app.models.billing import Bill, BillLine
from app.models.db import alembic_config, upgrade
from app.models.user import AuditEvent
from app.services.money import (  # noqa: F401 (their words)
    accounts,
    property,
    settlement,
    shared_costs,
    tariffs,
)
from app.words import said_from, shown
from tests.builders import Market

LINES = {  # (description, unit) as the program wrote them before -> as an English client reads
    ("表 17 用量", "kWh"): ("Meter 17 usage", "kWh"),
    ("尖时段 kWh", "kWh"): ("尖 period kWh", "kWh"),
    ("第2阶梯 m³", "m³"): ("Tier 2 m³", "m³"),
    ("用量 kWh", "kWh"): ("Usage kWh", "kWh"),
    ("公摊电费（公区照明，按面积）", "项"): ("Shared electricity (公区照明, By area)", "item"),
    ("物业费", "月"): ("物业费", "month"),
    ("垃圾桶", "个"): ("垃圾桶", "piece"),
    # a charge item's name and unit as typed: kept as written
    ("卫生费", "m²"): ("卫生费", "m²"),
}


def _old_rows(db):
    """Bill lines as the version before wrote them, in the schema of revision 0010."""
    market = Market(db)
    stall = market.a_stall("A001")
    market.some_bills(stall, date(2026, 3, 1), 1)
    with db.transaction() as s:
        bill = s.scalar(select(Bill.id).where(Bill.stall_id == stall))
        for description, unit in LINES:
            s.add(
                BillLine(
                    bill_id=bill,
                    description=description,
                    quantity=Decimal(1),
                    unit=unit,
                    price=Decimal(1),
                    amount=Decimal(1),
                )
            )
        s.add(
            AuditEvent(
                actor="system",
                action="settlement.run",
                entity="site",
                entity_id=market.site_id,
                detail={"bills": 0, "skipped": [[7, "有待处理的异常读数"], [8, "换表中"]]},
            )
        )
        for no in ("账目 42", "R20260301-0001"):
            s.add(
                AuditEvent(
                    actor="boss",
                    action="reversal",
                    entity="ledger_entry",
                    entity_id=1,
                    detail={"original_receipt_no": no, "reason": "收错"},
                )
            )
    command.downgrade(alembic_config(db.engine), "0010")  # just before 0011


def _stored(db):
    with db.engine.connect() as c:
        lines = [
            tuple(r) for r in c.execute(text("SELECT description, unit FROM bill_line ORDER BY id"))
        ]
        details = [
            d if isinstance(d, dict) else json.loads(d)
            for (d,) in c.execute(
                text(
                    "SELECT detail FROM audit_event WHERE action IN ('settlement.run', 'reversal')"
                    " ORDER BY id"
                )
            )
        ]
        return lines, details


def test_old_bill_lines_become_words_and_read_in_the_clerks_language(db):
    _old_rows(db)
    upgrade(db.engine)
    lines, (settled, reversed_entry, reversed_receipt) = _stored(db)
    assert [(m, shown(why, "en")) for m, why in settled["skipped"]] == [
        (7, "an abnormal reading waiting"),
        (8, "换表中"),
    ]
    assert shown(reversed_entry["original_receipt_no"], "en") == "Ledger entry 42"
    assert shown(reversed_entry["original_receipt_no"], "zh_CN") == "账目 42"
    assert reversed_receipt["original_receipt_no"] == "R20260301-0001"
    assert [(shown(d, "en"), shown(u, "en")) for d, u in lines] == list(LINES.values())
    assert [(shown(d, "zh_CN"), shown(u, "zh_CN")) for d, u in lines] == list(LINES)
    assert said_from(lines[0][0]).word is settlement.METER_USAGE
    assert said_from(lines[0][0]).params == {"meter": 17}  # a number, as the program stores it
    assert said_from(lines[4][1]).word is shared_costs.ONE_ITEM
    assert lines[-1] == ("卫生费", "m²")


def test_going_back_to_0010_says_the_words_as_the_texts_they_were(db):
    _old_rows(db)
    before = _stored(db)
    upgrade(db.engine)
    assert _stored(db) != before
    command.downgrade(alembic_config(db.engine), "0010")
    assert _stored(db) == before
    upgrade(db.engine)
