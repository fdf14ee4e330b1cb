"""Revision 0005 gives the audit rows already written their stall, so the operation log's
stall filter finds them too."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from app.models.db import alembic_config, upgrade
from tests.builders import Market


def test_rows_written_before_the_upgrade_are_found_by_their_stall(db):
    market = Market(db)
    stall = market.a_stall("A001")
    meter = market.a_meter(stall)
    command.downgrade(alembic_config(db.engine), "0004")  # just before 0005
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM audit_event"))
        for entity, entity_id, detail in (("stall", stall, "{}"), ("meter", meter, "{}"),
                                          ("ledger_entry", 999, '{"stall": "A001", "amount": "5.00"}'),
                                          ("tariff", 1, "{}")):
            c.execute(text("INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) "
                           "VALUES (CURRENT_TIMESTAMP, 'boss', 'x', :e, :i, :d)"), {"e": entity, "i": entity_id, "d": detail})
    upgrade(db.engine)
    with db.engine.connect() as c:
        found = dict(c.execute(text("SELECT entity, stall_id FROM audit_event")).all())
    assert found == {"stall": stall, "meter": stall, "ledger_entry": stall, "tariff": None}
