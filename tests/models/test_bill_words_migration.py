"""Revision 0011 turns the descriptions and units the program wrote on bill lines before as
Chinese (a meter's usage, a tariff's rate or tier block, a shared cost, month / piece / item)
into catalogue words (code + parameters), so a bill's lines read in the clerk's language; a
charge item's name or unit as typed, and kWh / m³, stay as they are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alembic import command
from sqlalchemy import select, text

from app.models.billing import Bill, BillLine
from app.models.db import alembic_config, upgrade
from app.services.money import property, settlement, shared_costs, tariffs  # noqa: F401 (words)
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
    command.downgrade(alembic_config(db.engine), "0010")  # just before 0011


def _stored(db):
    with db.engine.connect() as c:
        return [
            tuple(r) for r in c.execute(text("SELECT description, unit FROM bill_line ORDER BY id"))
        ]


def test_old_bill_lines_become_words_and_read_in_the_clerks_language(db):
    _old_rows(db)
    upgrade(db.engine)
    lines = _stored(db)
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
