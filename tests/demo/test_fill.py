"""The demo's history fills in day by day, each day one transaction: between any two days
the market is consistent, a fill stopped (or killed) carries on where it stopped, and the
finished market is the one the single-transaction build makes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, text

from app.demo.build import build_demo
from app.demo.run import DEMO_SEED, DemoMarket
from app.models.account import EntryKind, LedgerEntry, Receipt
from app.models.db import Database
from app.services.money.ledger import balances_off_ledger

ROOT = Path(__file__).resolve().parents[2]
SIZE = {"electric": 12, "water": 6, "months": 1}

# What a clerk sees of the market; ids and the clock's stamps of the writes left out.
CONTENTS = {
    "stall": "code, name, area_m2",
    "meter": "id, stall_id, kind, address, last_total, last_tariffs, supply_on, last_read_at",
    "account": "stall_id, balance",
    "ledger_entry": "account_id, kind, amount, balance_after",
    "receipt": "no, stall_id, amount, balance_after",
    "bill": "stall_id, amount",
    "meter_command": "meter_id, action, status",
}


def contents(db: Database) -> dict[str, list]:
    with db.engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT {cols} FROM {table} ORDER BY {cols}")).all()
            for table, cols in CONTENTS.items()
        }


def consistent(db: Database) -> None:
    with db.reading() as s:
        assert balances_off_ledger(s) == []
        recharges = s.scalar(
            select(func.count())
            .select_from(LedgerEntry)
            .where(LedgerEntry.kind == EntryKind.RECHARGE)
        )
        numbers = s.scalars(select(Receipt.no).order_by(Receipt.no)).all()
        assert numbers == list(range(1, recharges + 1))  # every recharge has its receipt


def test_a_fill_stopped_between_days_carries_on_to_the_market_the_one_build_makes(tmp_path):
    whole = Database(f"sqlite:///{tmp_path / 'whole.db'}")
    whole.upgrade()
    with whole.transaction() as s:
        built = build_demo(s, seed=DEMO_SEED, **SIZE)

    market = DemoMarket(f"sqlite:///{tmp_path / 'demo.db'}", **SIZE)
    market.lay_out()
    consistent(market.db)
    assert not market.is_filled()

    stop = 9
    days_seen: list[int] = []

    class StopAfter:  # as the window closing sets its threading.Event
        def is_set(self) -> bool:
            return len(days_seen) >= stop

    def step(done: int, days: int) -> None:
        days_seen.append(done)
        consistent(market.db)  # what another connection sees between two days

    assert market.fill(on_step=step, stop=StopAfter()) is False
    assert days_seen == list(range(1, stop + 1))
    market.db.dispose()

    again = DemoMarket(market.db.url, **SIZE)  # the next start
    assert again.history().done == stop
    assert again.fill() is True
    assert again.is_filled()
    consistent(again.db)
    assert contents(again.db) == contents(whole)
    assert built.days == 30 and built.stalls == 12
    again.db.dispose()
    whole.dispose()


FILL_UNTIL_HELD = """
import sys
from app.demo import build
from app.demo.run import DemoMarket

settle, settled = build.settle, []


def settle_and_hold(*args, **kwargs):
    result = settle(*args, **kwargs)
    settled.append(result)
    if len(settled) == 4:  # the 4th day's readings and bills written, not yet committed
        print("holding", flush=True)
        sys.stdin.read()  # until killed
    return result


build.settle = settle_and_hold
market = DemoMarket(sys.argv[1], electric=40, water=20, months=1)
market.lay_out()
market.fill(on_step=lambda done, days: print(done, flush=True))
"""


def test_a_fill_killed_mid_day_leaves_a_database_that_opens_consistent_and_finishes(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    child = subprocess.Popen(
        [sys.executable, "-c", FILL_UNTIL_HELD, url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        said = []
        for line in child.stdout:  # the days it filled, until it holds (or ends)
            if line == "holding\n":
                break
            said.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)  # in the middle of the 4th day's transaction
    finally:
        child.kill()
        child.wait()
    assert said == ["1", "2", "3"], "the fill was seen running"

    market = DemoMarket(url, electric=40, water=20, months=1)
    market.db.upgrade()  # opens: the schema is current
    consistent(market.db)
    assert market.history().done == 3  # the days committed before the kill, none of the 4th
    assert market.fill() is True
    consistent(market.db)
    market.db.dispose()
