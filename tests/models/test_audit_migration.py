"""Revision 0005 gives the audit rows already written their stall and their market, so the
operation log's stall filter finds them too and each market of a chain reads its own."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from app.models.db import alembic_config, upgrade
from app.models.user import Role
from app.services.market import stalls
from app.services.platform import users
from app.services.platform.context import Actor
from tests.builders import Market


def test_rows_written_before_the_upgrade_are_found_by_their_stall(db):
    market = Market(db)
    stall = market.a_stall("A001")
    meter = market.a_meter(stall)
    command.downgrade(alembic_config(db.engine), "0004")  # just before 0005
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM audit_event"))
        for entity, entity_id, detail in (
            ("stall", stall, "{}"),
            ("meter", meter, "{}"),
            ("ledger_entry", 999, '{"stall": "A001", "amount": "5.00"}'),
            ("tariff", 1, "{}"),
        ):
            c.execute(
                text(
                    "INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) "
                    "VALUES (CURRENT_TIMESTAMP, 'boss', 'x', :e, :i, :d)"
                ),
                {"e": entity, "i": entity_id, "d": detail},
            )
    upgrade(db.engine)
    with db.engine.connect() as c:
        found = {
            e: (st, site)
            for e, st, site in c.execute(text("SELECT entity, stall_id, site_id FROM audit_event"))
        }
    # one market in the database: a row without a stall is that market's
    assert found == {
        "stall": (stall, market.site_id),
        "meter": (stall, market.site_id),
        "ledger_entry": (stall, market.site_id),
        "tariff": (None, market.site_id),
    }


def test_in_a_chain_a_stall_code_two_markets_share_is_not_guessed(db):
    market = Market(db)
    stall = market.a_stall("A001")
    with db.transaction() as s:
        north = stalls.create_site(s, "CN02", "城北市场").id
        boss = users.ensure_admin(s, north, "north-boss", "north-pass")
        admin = Actor(boss.id, "north-boss", Role.ADMIN, north)
        also_a001 = stalls.create_stall(
            s, admin, stalls.create_building(s, admin, "一号楼").id, "A001"
        ).id
    command.downgrade(alembic_config(db.engine), "0004")
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM audit_event"))
        for entity, entity_id, user_id, detail in (
            ("stall", also_a001, None, "{}"),
            ("ledger_entry", 999, None, '{"stall": "A001"}'),
            ("tariff", 1, boss.id, "{}"),
            ("tariff", 2, None, "{}"),
        ):
            c.execute(
                text(
                    "INSERT INTO audit_event (at, user_id, actor, action, entity, entity_id, "
                    "detail) "
                    "VALUES (CURRENT_TIMESTAMP, :u, 'x', 'x', :e, :i, :d)"
                ),
                {"u": user_id, "e": entity, "i": entity_id, "d": detail},
            )
    upgrade(db.engine)
    with db.engine.connect() as c:
        found = {
            (e, i): (st, site)
            for e, i, st, site in c.execute(
                text("SELECT entity, entity_id, stall_id, site_id FROM audit_event")
            )
        }
    assert stall != also_a001
    assert found == {
        ("stall", also_a001): (also_a001, north),  # its own stall tells the market
        ("ledger_entry", 999): (None, None),  # which A001? neither is guessed
        ("tariff", 1): (None, north),  # the market of who did it
        ("tariff", 2): (None, None),
    }  # two markets, nothing to tell: no market's log shows it
