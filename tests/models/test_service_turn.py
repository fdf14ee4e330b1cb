"""One collection service per market: the turn is held by one process at a time, and
free again once it is released (or its process ends: the OS and the server free it)."""

from __future__ import annotations

import pytest

from app.models.db import Database
from tests.builders import Market


def _turns(db: Database) -> None:
    site_id = Market(db).site_id
    other = Database(db.url)  # another process's engine: its own connections and files
    try:
        held = db.take_service_turn(site_id)
        assert held is not None and held.is_held()
        assert other.take_service_turn(site_id) is None  # refused while held
        held.release()
        standby = other.take_service_turn(site_id)  # the standby takes over
        assert standby is not None
        assert db.take_service_turn(site_id) is None
        standby.release()
    finally:
        other.dispose()


def test_one_service_turn_per_market_on_sqlite(sqlite_db):
    _turns(sqlite_db)


@pytest.mark.pg
def test_one_service_turn_per_market_on_postgresql(pg_db):
    _turns(pg_db)
