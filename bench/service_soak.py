"""Memory of the collection service over a long run: the poller, its database sink
(ingest, anomalies, change feed), settlement and control, on SQLite, against the simulator.

    python bench/service_soak.py                        # 8 minutes, 120 + 100 meters
    python bench/service_soak.py --minutes 30 --electric 474 --water 417

Runs the demo market (app/demo/run.py: the built-in simulator and `CommService`, as
`python -m app --demo` runs them, every meter read every `--poll-every` real seconds and a
market hour a real minute) on a new SQLite file, its buildings settled hourly (every real
minute: the demo's are daily).
Prints every `--every` seconds the process's RSS and Python's allocated blocks after a
collection of garbage, with what the service stored meanwhile; at the end the trend from
the first sample after `--warmup` minutes to the last. Target: flat.

The simulator runs in this process too (as in the demo), so the figures are the service's
and the simulator's together: flat figures mean both are flat. With `--trace` the sink
(SQLite) falls behind on a busy machine, and the readings waiting for it show as growth.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from collect import print_growth, rss_mb, slope, take_snapshot  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.demo.run import DemoMarket  # noqa: E402
from app.gc_policy import long_lived_objects_frozen  # noqa: E402
from app.models.billing import Bill  # noqa: E402
from app.models.meter import MeterCommand, ReadingAnomaly  # noqa: E402
from app.models.site import Building, SettlementCycle  # noqa: E402

# flat: what a steady leak of a few objects per collection would exceed
BLOCKS_PER_MINUTE = 20.0
RSS_MB = 2.0


class Counting:
    """Counts what the poller hands to the sink's on_readings, then hands it on."""

    def __init__(self, on_readings) -> None:
        self.on_readings, self.readings, self.lock = on_readings, 0, threading.Lock()

    def __call__(self, readings) -> None:
        with self.lock:
            self.readings += len(readings)
        self.on_readings(readings)


def stored(db) -> tuple[int, int, int]:
    with db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(Bill)),
            s.scalar(select(func.count()).select_from(ReadingAnomaly)),
            s.scalar(select(func.count()).select_from(MeterCommand)),
        )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--electric", type=int, default=120)
    ap.add_argument("--water", type=int, default=100)
    ap.add_argument("--minutes", type=float, default=8.0, help="how long to run")
    ap.add_argument("--every", type=float, default=30.0, help="seconds between samples")
    ap.add_argument("--warmup", type=float, default=2.0, help="minutes before the trend is judged")
    ap.add_argument(
        "--trace",
        action="store_true",
        help="trace allocations from the end of the warm-up (tracemalloc, slow) and print the "
        "tracebacks "
        "that kept growing to half-way and to the end",
    )
    ap.add_argument(
        "--poll-every", type=float, default=3.0, help="real seconds between reads of a meter"
    )
    args = ap.parse_args()

    path = Path(tempfile.mkdtemp(prefix="mm-bench-service-")) / "soak.db"
    market = DemoMarket(
        f"sqlite:///{path}",
        electric=args.electric,
        water=args.water,
        months=1,
        poll_every_s=args.poll_every,
    )
    t0 = time.monotonic()
    market.prepare()
    with (
        market.db.transaction() as s
    ):  # settled every market hour (a real minute), not once a market day
        for building in s.scalars(select(Building)):
            building.settlement_cycle = SettlementCycle.HOURLY
    print(
        f"demo market of {args.electric} electricity + {args.water} water meters built in "
        f"{time.monotonic() - t0:.1f} s on {path}",
        flush=True,
    )
    service = market.start()
    counting = Counting(service.sink.on_readings)
    service.sink.on_readings = counting  # the poller looks the method up at every delivery
    samples: list[tuple[float, float, int]] = []  # (minutes, RSS MB, blocks)
    snapshots: list[tracemalloc.Snapshot] = []
    snapshot_at = [args.warmup, (args.warmup + args.minutes) / 2, float("inf")]
    try:
        with long_lived_objects_frozen():  # as `python -m app service` runs
            start = time.monotonic()
            bills0, anomalies0, commands0 = stored(market.db)
            while (elapsed := time.monotonic() - start) < args.minutes * 60:
                time.sleep(min(args.every, args.minutes * 60 - elapsed))
                gc.collect()
                minutes = (time.monotonic() - start) / 60
                samples.append((minutes, rss_mb(), sys.getallocatedblocks()))
                last = args.minutes - minutes < args.every / 60
                if (
                    args.trace
                    and len(snapshots) < 3
                    and (minutes >= snapshot_at[len(snapshots)] or last and len(snapshots) == 2)
                ):
                    if not snapshots:
                        tracemalloc.start(12)
                    snapshots.append(take_snapshot())
                bills, anomalies, commands = stored(market.db)
                _, errors = service.poller.errors_since(0)
                print(
                    f"{minutes:6.1f} min: rss {samples[-1][1]:7.1f} MB  blocks "
                    f"{samples[-1][2]:>9,}  "
                    f"readings {counting.readings:>8,}  bills +{bills - bills0:,}  anomalies "
                    f"+{anomalies - anomalies0:,}  "
                    f"commands +{commands - commands0:,}  comm errors {len(errors)}",
                    flush=True,
                )
    finally:
        market.stop()
        market.db.dispose()
    if len(snapshots) == 3:
        print_growth(
            snapshots,
            [round(snapshot_at[0]), round(snapshot_at[1]), round(samples[-1][0])],
            top=10,
            unit="minute",
        )
    judged = [s for s in samples if s[0] >= args.warmup]
    if len(judged) < 3:
        print("too short a run to judge the trend")
        return 1
    per_sample = slope([b for _, _, b in judged])
    per_minute = per_sample * 60 / args.every
    rss_growth = judged[-1][1] - judged[0][1]
    flat = per_minute < BLOCKS_PER_MINUTE and rss_growth < RSS_MB
    print(
        f"\nfrom {judged[0][0]:.1f} to {judged[-1][0]:.1f} min: {judged[-1][2] - judged[0][2]:+,} "
        "blocks, trend "
        f"{per_minute:+.1f} blocks per minute (target < {BLOCKS_PER_MINUTE:.0f}); RSS "
        f"{rss_growth:+.1f} MB "
        f"(target < {RSS_MB:.0f}): {'flat' if flat else 'GROWS'}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
