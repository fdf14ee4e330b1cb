"""Backup of a big market's database: time, size, and the window's longest stall meanwhile.

    python bench/backup.py                      # 2,000 meters, a year of 30-minute readings
    python bench/backup.py --meters 500 --days 90
    python bench/backup.py --db /tmp/year.db    # keep the database (built once) for the next run

Builds (with bulk inserts) a market of `--meters` electricity meters, one stall and account
each with a year of recharges and bill debits in the ledger, and `--days` of packed 30-minute
readings per meter (MeterDay, as the collection service stores them). Then:
1. `back_up()` as `python -m app backup` runs it: copy, check (integrity, balances against
   ledgers), rename; prints its time, the time of the check alone, and the file's size;
2. the client's automatic backup (BackupSchedule) on an offscreen Qt window while another
   process writes bill debits back to back as the collection service does: prints the
   longest gap between the ticks of a 5 ms timer on the GUI thread (target: under 100 ms).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sqlite3
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from app.comm.types import MeterKind, Protocol
from app.models.account import Account, EntryKind
from app.models.db import Database
from app.models.meter import Meter
from app.models.readings import pack
from app.models.site import Building, Site, Stall
from app.services.money.ledger import post_many
from app.services.platform import backup

DAY_S = 86400


def build(path: Path, meters: int, days: int) -> None:
    started = time.perf_counter()
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.transaction() as s:  # ORM bulk inserts: the models' defaults, thousands at once
        s.execute(insert(Site), [{"id": 1, "code": "BIG", "name": "bench market"}])
        s.execute(insert(Building), [{"id": 1, "site_id": 1, "name": "A"}])
        s.execute(
            insert(Stall),
            [
                {"id": n, "site_id": 1, "building_id": 1, "code": f"S{n:05}"}
                for n in range(1, meters + 1)
            ],
        )
        s.execute(insert(Account), [{"id": n, "stall_id": n} for n in range(1, meters + 1)])
        s.execute(
            insert(Meter),
            [
                {
                    "id": n,
                    "site_id": 1,
                    "stall_id": n,
                    "kind": MeterKind.ELECTRIC,
                    "protocol": Protocol.MODBUS_ACREL,
                    "address": str(n),
                }
                for n in range(1, meters + 1)
            ],
        )
        postings = []  # a recharge and a month's debit a month, through the ledger
        for month in range(12):
            at = datetime.now(UTC) - timedelta(days=30 * (12 - month))
            for a in range(1, meters + 1):
                postings.append((a, EntryKind.RECHARGE, Decimal("300.00"), {"at": at}))
                postings.append((a, EntryKind.BILL, Decimal("-271.35"), {"at": at}))
        post_many(s, postings)
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    rng = random.Random(1)
    first_day = (date.today() - date(1970, 1, 1)).days - days
    # the 47 deltas after a day's first sample: a few patterns, as a day's trading repeats
    patterns = []
    for _ in range(16):
        samples, total = [], 1_000_000
        for h in range(48):
            total += int(40 * (1.0 if 10 <= h < 38 else 0.15) * (0.6 + 0.8 * rng.random()))
            samples.append((1800 * h, total, None, "poll"))
        patterns.append((pack(samples[1:], day=0, previous=samples[0][:3]), total - 1_000_000))
    batch = []
    for m in range(1, meters + 1):
        total = rng.randrange(10_000, 500_000)
        for d in range(first_day, first_day + days):
            blob_rest, used = patterns[(m + d) % len(patterns)]
            head = pack([(d * DAY_S, total, None, "poll")], day=d)
            total += used
            batch.append((m, d, d * DAY_S + 47 * 1800, total, head + blob_rest))
            if len(batch) >= 50_000:
                with conn:
                    conn.executemany(
                        "INSERT INTO meter_day (meter_id, day, close_ts, close_total, samples) "
                        "VALUES (?, ?, ?, ?, ?)",
                        batch,
                    )
                batch.clear()
    with conn:
        conn.executemany(
            "INSERT INTO meter_day (meter_id, day, close_ts, close_total, samples) "
            "VALUES (?, ?, ?, ?, ?)",
            batch,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(
        f"built {meters} meters × {days} days of 30-minute readings in "
        f"{time.perf_counter() - started:.0f} s: {path.stat().st_size / 1e6:.0f} MB"
    )


def debit_back_to_back(url: str, stop, writing) -> None:
    """The collection service in its own process: settlement debits, one run after another."""
    db = Database(url, bulk_writer=True)
    with db.reading() as s:
        ids = list(s.scalars(select(Account.id).limit(500)))
    while not stop.is_set():
        with db.transaction() as s:
            post_many(s, [(a, EntryKind.BILL, Decimal("-0.01"), {}) for a in ids])
        writing.set()
    db.dispose()


def gui_stall(url: str, folder: Path) -> tuple[float, float, float, backup.BackupRecord]:
    """The longest gap between 5 ms ticks on the GUI thread while the client's automatic
    backup runs and the collection service writes, and for 3 s before without a backup;
    (longest gap s, longest gap without a backup s, backup s, record)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from app.ui.backup_schedule import BackupSchedule
    from app.ui.settings import options

    app = QApplication.instance() or QApplication([])
    QCoreApplication.setOrganizationName("MarketMeterBench")
    options.BACKUP_FOLDER.put(str(folder))
    options.BACKUP_SECOND_FOLDER.put("")
    label = QLabel("ticking")
    label.show()
    db = Database(url)
    schedule = BackupSchedule(db)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        label.setText(f"{len(gaps)}")

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    done: list = []
    loop = QEventLoop()
    schedule.finished.connect(lambda result: (done.extend(result), loop.quit()))
    stop, writing = multiprocessing.Event(), multiprocessing.Event()
    writer = multiprocessing.Process(target=debit_back_to_back, args=(url, stop, writing))
    writer.start()
    writing.wait(120)
    timer.start()
    last[0] = time.perf_counter()
    idle = QEventLoop()
    QTimer.singleShot(3000, idle.quit)  # the same 3 s without a backup: the machine's own noise
    idle.exec()
    baseline = max(gaps, default=0.0)
    gaps.clear()
    started = time.perf_counter()
    last[0] = started
    schedule.back_up_now()
    loop.exec()
    took = time.perf_counter() - started
    timer.stop()
    stop.set()
    writer.join(60)
    db.dispose()
    del app
    return max(gaps, default=0.0), baseline, took, done[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meters", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path, help="the database to use, built there if missing")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mm-backup-bench-"))
    path = args.db or work / "market.db"
    if not path.exists():
        build(path, args.meters, args.days)
    url = f"sqlite:///{path}"
    print(f"database: {path} {path.stat().st_size / 1e6:.0f} MB")

    db = Database(url)
    started = time.perf_counter()
    record = backup.back_up(db, work / "cli")
    took = time.perf_counter() - started
    db.dispose()
    started = time.perf_counter()
    result, ok = backup._check_sqlite(record.file)
    checked = time.perf_counter() - started
    print(
        f"backup (copy + check + rename): {took:.1f} s, {record.size / 1e6:.0f} MB, "
        f"{record.text('en')}"
    )
    print(f"  of which the check (integrity_check, balances against ledgers): {checked:.1f} s")

    gap, baseline, took, record = gui_stall(url, work / "client")
    print(
        f"automatic backup in the client while the collection service writes: {took:.1f} s, "
        f"{record.text('en') if hasattr(record, 'text') else record}"
    )
    print(
        f"  the GUI thread's longest stall: {gap * 1000:.0f} ms (target < 100 ms); "
        f"{baseline * 1000:.0f} ms in 3 s without a backup"
    )
    for leftover in (work / "cli", work / "client"):
        for f in leftover.glob("marketmeter-*"):
            f.unlink()


if __name__ == "__main__":
    main()
