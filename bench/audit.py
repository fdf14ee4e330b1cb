"""Timing of the operation log (操作日志) at a million rows.

    python bench/audit.py [--rows 1000000] [--pg-url URL]

Fills a SQLite file (and a PostgreSQL database when --pg-url is given) with `rows` audit
rows over a year: 50 people, 40 kinds, 2,000 stalls, bulk inserted (not timed). Then times
what the log view does: the first page of 100 rows, the page after 2,000 pages (keyset
paging, so no deeper than the first), and the first page under each filter (person, kind,
stall, a week's date range, and person + stall). Each figure is the best of 5 runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402

from app.models.db import Database  # noqa: E402
from app.models.site import Building, Site, Stall  # noqa: E402
from app.models.user import AuditEvent, Role  # noqa: E402
from app.services.platform.audit import ACTION_NAMES, AuditFilter, audit_page  # noqa: E402
from app.services.platform.context import Actor  # noqa: E402

START = datetime(2025, 12, 1, tzinfo=UTC)
STALLS = 2000
PEOPLE = [f"user{i:02d}" for i in range(48)] + ["system", "cli"]
KINDS = sorted(ACTION_NAMES)[:40]


def fill(db: Database, rows: int) -> int:
    with db.transaction() as s:
        site = Site(code="BENCH", name="基准市场")
        s.add(site)
        s.flush()
        building = Building(site_id=site.id, name="一号楼")
        s.add(building)
        s.flush()
        s.execute(
            insert(Stall.__table__),
            [
                {
                    "site_id": site.id,
                    "building_id": building.id,
                    "code": f"A{i:04d}",
                    "name": "",
                    "area_m2": 10,
                    "status": "active",
                    "note": "",
                }
                for i in range(STALLS)
            ],
        )
        site_id = site.id
    rng = random.Random(7)
    step = timedelta(days=365) / rows
    batch = 50_000
    for first in range(0, rows, batch):
        chunk = []
        for n in range(first, min(rows, first + batch)):
            stall = rng.randrange(STALLS) + 1
            chunk.append(
                {
                    "at": START + step * n,
                    "user_id": None,
                    "actor": rng.choice(PEOPLE),
                    "action": rng.choice(KINDS),
                    "entity": "stall",
                    "entity_id": stall,
                    "stall_id": stall,
                    "detail": {"stall": f"A{stall - 1:04d}", "amount": "100.00", "reason": "基准"},
                }
            )
        with db.transaction() as s:
            s.execute(insert(AuditEvent.__table__), chunk)
    return site_id


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(db: Database, rows: int, label: str) -> None:
    t = time.perf_counter()
    site_id = fill(db, rows)
    with db.transaction() as s:
        if db.url.startswith("postgresql"):
            s.execute(text("ANALYZE audit_event"))
        else:
            s.execute(text("ANALYZE"))
    print(f"{label}: {rows:,} rows filled in {time.perf_counter() - t:.0f} s (not timed below)")
    admin = Actor(None, "cli", Role.ADMIN, site_id)
    with db.reading() as s:
        key = None
        for _ in range(2000):
            key = audit_page(s, admin, limit=100, after=key).next_after
        deep_key = key
        week = START + timedelta(days=200)
        cases = {
            "first page": (AuditFilter(), None),
            "page 2,001 (keyset)": (AuditFilter(), deep_key),
            "person": (AuditFilter(person="user07"), None),
            "kind": (AuditFilter(action=KINDS[3]), None),
            "stall": (AuditFilter(stall="A0042"), None),
            "a week": (AuditFilter(since=week, until=week + timedelta(days=7)), None),
            "person + stall": (AuditFilter(person="user07", stall="A0042"), None),
            "kind, page 20 (keyset)": (AuditFilter(action=KINDS[3]), "walk"),
        }
        for name, (where, after) in cases.items():
            if after == "walk":
                after = None
                for _ in range(19):
                    after = audit_page(s, admin, where, after=after, limit=100).next_after
            page = audit_page(s, admin, where, after=after, limit=100)
            ms = (
                best(
                    lambda where=where, after=after: audit_page(
                        s, admin, where, after=after, limit=100
                    )
                )
                * 1000
            )
            print(f"  {name:<24} {ms:7.1f} ms  ({len(page.rows)} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg-url", help="also on this (empty) PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'audit.db'}", bulk_writer=True)
        db.upgrade()
        run(db, args.rows, "SQLite")
        db.dispose()
    if args.pg_url:
        db = Database(args.pg_url, bulk_writer=True)
        db.upgrade()
        run(db, args.rows, "PostgreSQL")
        db.dispose()


if __name__ == "__main__":
    main()
