"""Timing of the money loop at chain scale: 10,000 stalls, 20,000 meters.

    python bench/settle.py [--stalls 10000] [--pg-url URL | --no-pg] [--storage-meters 1000]

Per backend: build the market (bulk inserts, not timed), ingest one collection of 20,000
readings, settle every stall (bills + ledger debits) and decide control for every stall.
Wall time and this process's CPU time are both shown (on a shared machine the wall time
includes waiting for a core); on PostgreSQL also the CPU time of the session's server
backend ("db cpu", read from /proc when the server runs here). On a quiet machine the wall
time of a step is about cpu + db cpu, whatever else runs.
Each step runs twice on identical fresh markets: once for the wall time, once under
tracemalloc for the peak Python memory (tracemalloc slows code down, so it is not timed).
PostgreSQL started here runs twice: with fsync off, as the tests' throw-away cluster does
(commits are not flushed to disk, so the figures are lower than a market's server gives),
and with fsync on, as in a market; the wall time with fsync on is shown beside each step.
Then 30 days of 30-minute readings for 1,000 meters go through ingest into a SQLite file;
after VACUUM the pages of meter_day (table + primary key index, from SQLite's dbstat
table) are divided by the number of readings stored.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select, text  # noqa: E402

from app.comm.types import ChannelKind, MeterKind, MeterReading, Protocol  # noqa: E402
from app.models.account import Account, EntryKind, PayMethod  # noqa: E402
from app.models.db import Database  # noqa: E402
from app.models.meter import AlarmLevel, Channel, Meter, MeterDay  # noqa: E402
from app.models.site import Building, Site, Stall  # noqa: E402
from app.models.tariff import Tariff, TariffMode, TariffRate  # noqa: E402
from app.services.market.control import reconsider  # noqa: E402
from app.services.market.readings import ingest  # noqa: E402
from app.services.money.ledger import post_many  # noqa: E402
from app.services.money.settlement import settle  # noqa: E402
from app.services.platform.context import Actor  # noqa: E402

T0 = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai: the collection before midnight
T1 = T0 + timedelta(minutes=30)  # 00:00: the collection that is timed
SETTLE_AT = T1 + timedelta(hours=1)  # 01:00: the settlement time
METERS_PER_CHANNEL = 200


def build_market(db: Database, stalls: int) -> dict:
    """Site, 20 buildings, `stalls` stalls each with an account, an electric and a water
    meter (one in three electric meters TOU with tariff registers)."""
    with db.transaction() as s:
        site = Site(code="BENCH", name="基准市场")
        s.add(site)
        s.flush()
        flat = Tariff(
            site_id=site.id,
            name="电价",
            kind=MeterKind.ELECTRIC,
            mode=TariffMode.FLAT,
            price=Decimal("0.85"),
        )
        tou = Tariff(
            site_id=site.id,
            name="分时",
            kind=MeterKind.ELECTRIC,
            mode=TariffMode.TOU,
            price=Decimal("0.85"),
            rates=[
                TariffRate(rate=r, price=Decimal(p))
                for r, p in ((1, "1.3"), (2, "1.1"), (3, "0.85"), (4, "0.4"))
            ],
        )
        water = Tariff(
            site_id=site.id,
            name="水价",
            kind=MeterKind.WATER,
            mode=TariffMode.FLAT,
            price=Decimal("4.5"),
        )
        s.add_all([flat, tou, water])
        buildings = [Building(site_id=site.id, name=f"{i + 1}区") for i in range(20)]
        s.add_all(buildings)
        s.flush()
        b_ids = [b.id for b in buildings]
        s.execute(
            insert(Stall.__table__),
            [
                {
                    "site_id": site.id,
                    "building_id": b_ids[i % 20],
                    "code": f"S{i:05d}",
                    "name": f"档位{i}",
                    "area_m2": Decimal("12"),
                    "status": "active",
                    "note": "",
                    "created_at": T0,
                }
                for i in range(stalls)
            ],
        )
        stall_ids = s.scalars(
            select(Stall.id).where(Stall.site_id == site.id).order_by(Stall.id)
        ).all()
        s.execute(
            insert(Account.__table__),
            [
                {
                    "stall_id": sid,
                    "balance": Decimal(0),
                    "alarm1": Decimal(50),
                    "alarm2": Decimal(20),
                    "overdraft_limit": Decimal(0),
                    "status": "open",
                }
                for sid in stall_ids
            ],
        )
        accounts = s.execute(select(Account.id, Account.stall_id).order_by(Account.id)).all()
        # A few stalls are nearly empty so control has trips to decide.
        post_many(
            s,
            [
                (
                    aid,
                    EntryKind.RECHARGE,
                    Decimal("3.00") if i % 50 == 0 else Decimal("300.00"),
                    {"method": PayMethod.CASH},
                )
                for i, (aid, _) in enumerate(accounts)
            ],
        )
        n_channels = (2 * stalls + METERS_PER_CHANNEL - 1) // METERS_PER_CHANNEL
        s.execute(
            insert(Channel.__table__),
            [
                {
                    "site_id": site.id,
                    "name": f"通道{i}",
                    "kind": ChannelKind.SERIAL_SERVER,
                    "settings": {},
                    "poll_interval_s": 1800,
                    "timeout_s": 1.0,
                    "retries": 2,
                    "offline_after_failures": 3,
                    "is_enabled": True,
                    "is_connected": True,
                    "status_detail": "",
                }
                for i in range(n_channels)
            ],
        )
        channels = s.scalars(select(Channel.id).order_by(Channel.id)).all()
        rows = []
        for i, sid in enumerate(stall_ids):
            for k, kind in enumerate((MeterKind.ELECTRIC, MeterKind.WATER)):
                n = 2 * i + k
                rows.append(
                    {
                        "site_id": site.id,
                        "stall_id": sid,
                        "kind": kind,
                        "model": "DDSY1352-NK",
                        "protocol": Protocol.MODBUS_ACREL if k == 0 else Protocol.CTWING_WATER,
                        "profile": "",
                        "channel_id": channels[n // METERS_PER_CHANNEL],
                        "address": f"{n + 1:08d}",
                        "ct_ratio": 1,
                        "tariff_id": water.id if k else (tou.id if i % 3 == 0 else flat.id),
                        "is_active": True,
                        "is_account_opened": True,
                        "control_mode": "prepaid",
                        "supply_on": True,
                        "alarm_level": AlarmLevel.NONE,
                        "comm_status": "unknown",
                        "comm_failures": 0,
                        "comm_error": "",
                        "carried_total": 0,
                    }
                )
        s.execute(insert(Meter.__table__), rows)
        site_id = site.id
    return {"site_id": site_id}


def collection(db: Database, at: datetime, step: int) -> list[MeterReading]:
    with db.transaction() as s:
        meters = s.execute(
            select(
                Meter.id,
                Meter.channel_id,
                Meter.address,
                Meter.kind,
                Meter.tariff_id,
                Meter.stall_id,
            )
        ).all()
    out = []
    for mid, ch, addr, kind, _tariff_id, stall_id in meters:
        if kind == MeterKind.ELECTRIC:
            total = (
                1_000_000
                + mid * 7
                + step * (150 + mid % 7 * 40 + (2000 if stall_id % 50 == 0 else 0))
            )
            tariffs = (0, total // 3, total - total // 3 - total // 4, total // 4)
            out.append(
                MeterReading(
                    ch,
                    addr,
                    MeterKind.ELECTRIC,
                    at,
                    total,
                    tariffs,
                    voltage_v=221.0,
                    current_a=3.2,
                    power_kw=0.7,
                    relay_closed=True,
                )
            )
        else:
            total = 50_000 + mid * 3 + step * (20 + mid % 5 * 10)
            out.append(
                MeterReading(ch, addr, MeterKind.WATER, at, total, valve_open=True, battery_v=3.6)
            )
    return out


def _server_cpu(s) -> float:
    """CPU seconds of this session's PostgreSQL backend so far (from /proc, when the server
    runs on this machine); 0 on SQLite, which works inside this process (the cpu column)."""
    if s.get_bind().dialect.name != "postgresql":
        return 0.0
    pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_steps(
    db: Database, stalls: int, measure_memory: bool
) -> list[tuple[str, float, float, float]]:
    info = build_market(db, stalls)
    actor = Actor.system(info["site_id"])
    first, second = collection(db, T0, 0), collection(db, T1, 1)
    with db.transaction() as s:
        ingest(s, first)
    results = []

    def step(name, fn):
        gc.collect()
        if measure_memory:
            tracemalloc.start()
        t, cpu = time.perf_counter(), time.process_time()
        with db.transaction() as s:
            server = _server_cpu(s)
            out = fn(s)
            s.flush()
            server = _server_cpu(s) - server
        seconds = time.perf_counter() - t
        cpu = time.process_time() - cpu
        peak = 0.0
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        results.append((name, seconds, cpu, peak, server))
        return out

    r = step(f"ingest {len(second)} readings", lambda s: ingest(s, second))
    stall_ids = list(r.stall_ids)
    st = step("settle (bills + ledger)", lambda s: settle(s, actor, now=SETTLE_AT, control=False))
    c = step(f"control {len(stall_ids)} stalls", lambda s: reconsider(s, stall_ids, now=SETTLE_AT))
    if not measure_memory:
        print(
            f"    ingest accepted {r.accepted}, settle: {st.bills} bills {st.amount} 元, "
            f"control: {len(c.issued)} commands, {len(c.alarm_changes)} alarm changes"
        )
    return results


def bench_backend(label: str, make_db, stalls: int, make_synced_db=None) -> None:
    """`make_synced_db`: the same on a server with fsync on, timed once more and shown in a
    last column beside the figures of `make_db`'s server (fsync off)."""
    print(f"{label}: {stalls} stalls, {2 * stalls} meters")
    db = make_db()
    timed = run_steps(db, stalls, False)
    db.dispose()
    db = make_db()
    mem = run_steps(db, stalls, True)
    db.dispose()
    synced = None
    if make_synced_db is not None:
        db = make_synced_db()
        synced = run_steps(db, stalls, False)
        db.dispose()
    for i, ((name, seconds, cpu, _, server), (_, _, _, peak, _)) in enumerate(
        zip(timed, mem, strict=True)
    ):
        db_cpu = f"  {server:6.2f} s db cpu" if label != "SQLite" else ""
        beside = f"   | fsync on {synced[i][1]:7.2f} s wall" if synced else ""
        print(
            f"  {name:<32} {seconds:7.2f} s wall  {cpu:7.2f} s cpu{db_cpu}   peak {peak:7.1f} "
            f"MiB{beside}"
        )
    beside = f"   | fsync on {synced[1][1] + synced[2][1]:7.2f} s wall" if synced else ""
    print(
        f"  {'settle + control':<32} {timed[1][1] + timed[2][1]:7.2f} s wall  "
        f"{timed[1][2] + timed[2][2]:7.2f} s cpu"
        + (f"  {timed[1][4] + timed[2][4]:6.2f} s db cpu" if label != "SQLite" else "")
        + beside
    )
    print(
        f"  (machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        "the cpu column is "
        f"this process's own time, which other work on the machine does not inflate)"
    )


def bench_storage(meters: int, days: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "storage.db"
        db = Database(f"sqlite:///{path}")
        db.upgrade()
        build_market(db, meters // 2)
        start = datetime(2026, 10, 1, 16, 0, tzinfo=UTC)  # local midnight
        t = time.perf_counter()
        count = 0
        for d in range(days):
            batch = []
            for h in range(48):
                batch.extend(collection(db, start + timedelta(days=d, minutes=30 * h), d * 48 + h))
            with db.transaction() as s:
                count += ingest(s, batch).accepted
        seconds = time.perf_counter() - t
        with db.transaction() as s:
            rows = s.scalar(select(func.count()).select_from(MeterDay))
        db.dispose()
        con = sqlite3.connect(path)
        con.execute("VACUUM")
        pages = con.execute(
            "SELECT SUM(pgsize), COUNT(*) FROM dbstat WHERE name IN ('meter_day', "
            "'sqlite_autoindex_meter_day_1')"
        ).fetchone()
        con.close()
        print(
            f"storage: {meters} meters × {days} days × 48 = {count} readings in {rows} meter_day "
            "rows, "
            f"ingested in {seconds:.1f} s"
        )
        print(
            f"  meter_day after VACUUM: {pages[0]} bytes in {pages[1]} pages → "
            f"{pages[0] / count:.1f} bytes/reading"
        )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--stalls", type=int, default=10_000)
    p.add_argument("--pg-url")
    p.add_argument("--no-pg", action="store_true")
    p.add_argument("--storage-meters", type=int, default=1000)
    p.add_argument("--storage-days", type=int, default=30)
    args = p.parse_args()

    tmp = tempfile.mkdtemp(prefix="mm-bench-")
    n = iter(range(100))

    def sqlite_db():
        db = Database(f"sqlite:///{tmp}/bench{next(n)}.db")
        db.upgrade()
        return db

    bench_backend("SQLite", sqlite_db, args.stalls)
    if not args.no_pg:
        from sqlalchemy import create_engine

        servers = []
        if args.pg_url:
            urls = [args.pg_url]
        else:
            # The throw-away cluster of the tests runs with fsync off (a commit is not flushed
            # to disk); a market's server runs with it on. Both are measured, side by side.
            from tests.pg import PgServer

            for fsync in (False, True):
                server = PgServer()
                server.start(fsync=fsync)
                servers.append(server)
            urls = [server.url() for server in servers]
        admins = [create_engine(url, isolation_level="AUTOCOMMIT") for url in urls]
        with admins[0].connect() as c:
            fsync_setting = c.execute(text("SHOW fsync")).scalar()

        def pg_db(i: int = 0):
            name = f"mm_bench_{os.getpid()}_{next(n)}"
            with admins[i].connect() as c:
                c.execute(text(f"CREATE DATABASE {name}"))
            db = Database(urls[i].rsplit("/", 1)[0] + f"/{name}")
            db.upgrade()
            return db

        try:
            label = f"PostgreSQL (fsync {fsync_setting}" + (
                ", as the tests' cluster runs)" if servers else ")"
            )
            bench_backend(label, pg_db, args.stalls, (lambda: pg_db(1)) if len(urls) > 1 else None)
        finally:
            for admin in admins:
                admin.dispose()
            for server in servers:
                server.stop()
    if args.storage_meters:
        bench_storage(args.storage_meters, args.storage_days)


if __name__ == "__main__":
    main()
