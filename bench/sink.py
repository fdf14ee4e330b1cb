"""The collection sink's cost per collection at chain scale (10,000 stalls, 20,000 meters).

    python bench/sink.py [--stalls 10000] [--batch 200]

Builds the market of bench/settle.py on a SQLite file, stores one collection directly,
then passes the next collection through `CollectionSink.on_readings` in batches of
`--batch` readings (the poller hands over what it read in each 0.2 s flush), once
without and once with an `on_meters` callback. Prints wall and CPU seconds of each pass.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from settle import T0, T1, build_market, collection  # noqa: E402

from app.models.db import Database  # noqa: E402
from app.services.market.collection import CollectionSink  # noqa: E402
from app.services.market.readings import ingest  # noqa: E402


def one_pass(tmp: str, stalls: int, batch: int, with_callback: bool) -> tuple[float, float, int]:
    db = Database(f"sqlite:///{tmp}/sink{int(with_callback)}.db")
    db.upgrade()
    site_id = build_market(db, stalls)["site_id"]
    with db.transaction() as s:
        ingest(s, collection(db, T0, 0), now=T0)
    readings = collection(db, T1, 1)
    changed: list[int] = []
    sink = CollectionSink(
        db, site_id, clock=lambda: T1, on_meters=changed.extend if with_callback else None
    )
    t, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(readings), batch):
        sink.on_readings(readings[i : i + batch])
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    db.dispose()
    return seconds, cpu, len(changed)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--stalls", type=int, default=10_000)
    p.add_argument("--batch", type=int, default=200)
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="mm-bench-sink-")
    print(f"{args.stalls} stalls, {2 * args.stalls} meters, batches of {args.batch} readings")
    for with_callback in (False, True):
        seconds, cpu, changed = one_pass(tmp, args.stalls, args.batch, with_callback)
        label = "with on_meters" if with_callback else "without on_meters"
        print(
            f"  {label:<20} {seconds:7.2f} s wall  {cpu:7.2f} s cpu   {changed} meter ids reported"
        )
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
