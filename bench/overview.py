"""The overview with its charts on a big market: how long it takes to open.

    python bench/overview.py                        # 20,000 meters, a year of readings
    python bench/overview.py --meters 2000 --days 90
    python bench/overview.py --db /tmp/year.db      # keep the database (built once) for next time

The market is bench/backup.py's (electricity meters, one stall and account each, a recharge
and a bill debit a month in the ledger, packed 30-minute readings per meter and day), plus a
few hundred trips and closes that succeeded in the last 30 days. Then:
1. what the overview's op reads (`overview` + `day_figures`, one reading session): the first
   time on a cold connection, and the best of three after;
2. the overview view in an offscreen window: from refresh() until it says loaded, its tiles
   and its four charts drawn.
Target (the overview issue): at most 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backup import build  # bench/backup.py's builder of a big market
from sqlalchemy import insert

from app.comm.types import Action
from app.models.db import Database
from app.models.meter import CommandStatus, MeterCommand
from app.services.office.overview import day_figures, overview

TARGET_S = 1.0


def add_commands(db: Database, meters: int, n: int = 600) -> None:
    """Trips and closes that succeeded over the last 30 days (the builder makes none)."""
    rng = random.Random(2)
    now = datetime.now(UTC)
    rows = []
    for i in range(n):
        at = now - timedelta(minutes=rng.randrange(30 * 24 * 60))
        rows.append(
            {
                "meter_id": rng.randrange(1, meters + 1),
                "action": Action.TRIP if i % 2 else Action.CLOSE,
                "status": CommandStatus.SUCCEEDED,
                "created_at": at,
                "finished_at": at,
            }
        )
    with db.transaction() as s:
        s.execute(insert(MeterCommand), rows)


def read_once(db: Database) -> tuple[float, float]:
    """Seconds of wall time and of CPU time (on a busy machine the wall time waits)."""
    started, cpu = time.perf_counter(), time.process_time()
    with db.reading() as s:
        data, figures = overview(s, 1), day_figures(s, 1)
    took = time.perf_counter() - started, time.process_time() - cpu
    assert data.meters_total > 0 and len(figures.days) == 30
    return took


def open_view(url: str, folder: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) from the overview's refresh() to its `loaded` and its charts
    painted, on an offscreen window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "cfg")
    from PySide6.QtCore import QEventLoop, QTimer

    from app.models.user import Role
    from app.services.platform.context import Actor
    from app.ui import ops
    from app.ui.client import Client
    from app.ui.comm.bridge import CommBridge
    from app.ui.main import make_app
    from app.ui.overview.overview_view import OverviewView

    app = make_app()
    db = Database(url)
    runner = ops.bind(db)
    client = Client(
        runner=runner,
        actor=Actor(None, "bench", Role.ADMIN, 1),
        site_name="bench market",
        comm=CommBridge(),
    )
    view = OverviewView(client)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    loop = QEventLoop()
    view.loaded.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    started, cpu = time.perf_counter(), time.process_time()
    view.refresh()
    loop.exec()
    for chart in (view.kwh_chart, view.m3_chart, view.money_chart, view.commands_chart):
        chart.viewport().repaint()
    took = time.perf_counter() - started, time.process_time() - cpu
    assert view.figures is not None, "the overview did not load within a minute"
    view.grab().save(str(folder / "overview.png"))
    view.close()
    runner.shutdown()
    db.dispose()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meters", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path, help="the database to use, built there if missing")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mm-overview-bench-"))
    path = args.db or work / "market.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        build(path, args.meters, args.days)
        db = Database(url)
        add_commands(db, args.meters)
        db.dispose()
    db = Database(url)
    db.upgrade()  # a database built by an earlier version gets this version's indexes
    print(f"database: {path} {path.stat().st_size / 1e6:.0f} MB")
    cold = read_once(db)
    warm = min(read_once(db) for _ in range(3))
    db.dispose()
    print(
        "overview + day_figures (one reading session): "
        f"first {cold[0]:.2f} s ({cold[1]:.2f} s CPU), then {warm[0]:.2f} s ({warm[1]:.2f} s CPU)"
    )
    took, cpu = open_view(url, work)
    verdict = "ok" if took <= TARGET_S else f"over the {TARGET_S:.0f} s target"
    print(
        f"overview view opened with its charts in {took:.2f} s, {cpu:.2f} s CPU ({verdict}); "
        f"{work / 'overview.png'}"
    )


if __name__ == "__main__":
    main()
