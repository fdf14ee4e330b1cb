"""One full collection of a large market, simulator in another process.

    python bench/collect.py                 # 6,000 RS485 + 4,000 Acrel 4G + 10,000 NB water
    python bench/collect.py --scale 0.1     # a tenth of that, for a quick run
    python bench/collect.py --soak 100 --cycles 1000 --scale 0.01 --baud 115200   # memory over a
    long run
    python bench/collect.py --trace 6 --cycles 30 --scale 0.05 --no-frame-log     # what grows, by
    traceback

Starts `python -m app sim … --manifest` as a subprocess, builds the poller from the
manifest and runs `--cycles` collections back to back (read_now of every polled meter).
The NB water meters report on their own (interval ≈ one cycle) through the CTWing
double's pushes, concurrently.

Prints per cycle the time, its ratio to the lower bound (the busiest bus's total frame
time on the wire at its baud rate: every request and reply byte × 10 bits / baud),
and the poller process's CPU seconds and resident memory; at the end the peak memory
and the growth from cycle 2 to the last cycle. Targets: ratio ≤ 1.2, no growth.

Exits non-zero when the ratio is above target, or when any cycle missed a reading, the
poller logged an error or two frames overlapped on a bus: a bus that fails fast would
otherwise improve the ratio.

`--soak EVERY` prints only every EVERY cycles and judges Python's allocated blocks (the
least-squares trend) and RSS from cycle EVERY to the last: flat, or the exit status is 1.
A 4G meter uploads first at a random moment of its upload interval (900 s here), so what
a 4G meter's first upload leaves behind keeps coming for 15 minutes, whatever the cycles.
`--trace N` (tracemalloc: several times slower) prints the tracebacks whose blocks grew
from cycle N to half-way and from there to the last cycle.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.comm.poller import Poller  # noqa: E402
from app.comm.profiles import load_profile  # noqa: E402
from app.comm.protocols import dlt645  # noqa: E402
from app.comm.simulator.manifest import load_manifest  # noqa: E402
from app.comm.types import ChannelKind, Protocol  # noqa: E402
from app.gc_policy import long_lived_objects_frozen  # noqa: E402


class CountingSink:
    """Keeps the last reading per meter (bounded, like the service's upsert) and counts."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: dict[tuple[int, str], object] = {}
        self.counts: Counter = Counter()
        self.water_seen: set[str] = set()

    def on_readings(self, readings):
        with self.lock:
            for r in readings:
                self.last[(r.channel_id, r.address)] = r.total  # bounded: one int per meter
                self.counts[r.source] += 1
                if r.kind.value == "water":
                    self.water_seen.add(r.address)

    def on_command_results(self, results):
        pass

    def on_meter_status(self, statuses):
        with self.lock:
            self.counts["status"] += len(statuses)

    def on_channel_status(self, status):
        pass

    def on_identity_events(self, events):
        pass

    def fetch_commands(self):
        return []


def process_cpu_s(pid: int) -> float:
    """utime + stime of another process (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free port below the ephemeral range: the simulator binds hundreds of ephemeral
    ports (serial servers, dialling meters) before the poller binds this one, and one of
    them could take a port that was free a moment ago."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as fh:
            low = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    rnd = random.Random()
    for _ in range(200):
        port = rnd.randrange(max(1024, low - 12000), low)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port below the ephemeral range")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bus_wire_time_s(channel) -> float:
    """Lower bound of one bus: every frame of one read of every meter, 10 bits per byte."""
    baud = int(channel.settings.get("baud", 9600))
    total_bytes = 0
    for meter in channel.meters:
        if meter.protocol is Protocol.MODBUS_ACREL:
            for block in load_profile(meter.profile).poll_blocks:
                total_bytes += (
                    8 + 5 + 2 * block.count
                )  # FC03 request + response (PROTOCOLS.md §1.5)
        else:
            from app.comm.drivers.dlt645 import READ_2007

            for di, _ in READ_2007:
                item = dlt645.data_item(di)
                count = item.count or 5  # the energy block: total + 4 tariffs
                total_bytes += 20 + 16 + item.size * count  # FE×4+12+DI request, 12+DI+data reply
    return total_bytes * 10 / baud


def start_simulator(
    n_bus: int,
    n_4g: int,
    n_water: int,
    *,
    meters_per_bus: int = 30,
    baud: int = 9600,
    dlt645_share: float = 0.0,
    report_interval_s: float = 900.0,
    extra: tuple[str, ...] = (),
) -> tuple[subprocess.Popen, Path, Path]:
    """`python -m app sim` in its own process with `n_bus` RS485 meters on serial servers,
    `n_4g` Acrel 4G and `n_water` NB water meters; returns (process, manifest, log) once
    the manifest is written. Stop it with `stop_simulator`."""
    listen_port = push_port = free_port()
    while push_port == listen_port:
        push_port = free_port()
    manifest = Path(tempfile.mkdtemp(prefix="mm-bench-")) / "manifest.json"
    cmd = [
        sys.executable,
        "-m",
        "app",
        "sim",
        "--electric",
        str(n_bus + n_4g),
        "--acrel-4g",
        str(n_4g),
        "--water",
        str(n_water),
        "--dtus",
        "0",
        "--gateways",
        "0",
        "--meters-per-bus",
        str(meters_per_bus),
        "--baud",
        str(baud),
        "--dlt645-share",
        str(dlt645_share),
        "--manifest",
        str(manifest),
        "--listen",
        f"127.0.0.1:{listen_port}",
        "--push-url",
        f"http://127.0.0.1:{push_port}/ctwing/push",
        "--report-interval",
        f"{report_interval_s:.1f}",
        "--upload-interval",
        "900",
        "--heartbeat",
        "60",
        "--seed",
        "42",
        *extra,
    ]
    print("simulator:", " ".join(cmd[1:]), flush=True)
    sim_log = manifest.with_name("sim.log")
    # to a file, never a pipe nobody drains: a full pipe would freeze the simulator
    sim = subprocess.Popen(cmd, cwd=ROOT, stdout=sim_log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not manifest.exists():
        if sim.poll() is not None or time.monotonic() > deadline:
            stop_simulator(sim)
            print(sim_log.read_text(), file=sys.stderr)
            raise SystemExit("simulator did not start")
        time.sleep(0.05)
    return sim, manifest, sim_log


def stop_simulator(sim: subprocess.Popen) -> None:
    sim.terminate()
    try:
        sim.wait(10)
    except subprocess.TimeoutExpired:
        sim.kill()


def take_snapshot() -> tracemalloc.Snapshot:
    """What is allocated now, without tracemalloc's own bookkeeping."""
    return tracemalloc.take_snapshot().filter_traces(
        [
            tracemalloc.Filter(False, tracemalloc.__file__),
            tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"),
        ]
    )


def print_growth(
    snapshots: list[tracemalloc.Snapshot], cycles: list[int], top: int = 8, unit: str = "cycle"
) -> None:
    """The tracebacks whose allocated blocks grew in every interval between the snapshots
    (a bounded log or table only changes what it holds, so it grows in one interval and
    shrinks in another), most first, newest frame last."""
    first, last = cycles[0], cycles[-1]
    steps = [
        {s.traceback: s for s in after.compare_to(before, "traceback")}
        for before, after in zip(snapshots, snapshots[1:], strict=False)
    ]
    growing = [
        (sum(step[tb].count_diff for step in steps), sum(step[tb].size_diff for step in steps), tb)
        for tb in steps[0]
        if all(tb in step and step[tb].count_diff > 0 for step in steps)
    ]
    growing.sort(key=lambda g: g[0], reverse=True)
    total = sum(g[0] for g in growing)
    all_diff = sum(s.count_diff for s in snapshots[-1].compare_to(snapshots[0], "traceback"))
    print(
        f"\nallocated blocks from {unit} {first} to {last}: {all_diff:+,} in all; {total:+,} "
        f"({total / max(1, last - first):+.1f} per {unit}) in {len(growing)} tracebacks that grew "
        "between every "
        f"pair of snapshots ({unit}s {', '.join(map(str, cycles))}); the largest:"
    )
    for count, size, tb in growing[:top]:
        print(
            f"  {count:+,} blocks, {size / 1024:+.1f} KiB ({count / max(1, last - first):+.1f} "
            f"blocks per {unit}), "
            "allocated at:"
        )
        for line in tb.format(most_recent_first=False):
            print("    " + line)


def slope(values: list[float]) -> float:
    """Least-squares growth per step: what a steady leak adds each cycle, through the noise
    of what happens to be in flight when a cycle ends."""
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    return (
        sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / spread if spread else 0.0
    )


# Flat: less than a block every other cycle, the steady part of a leak (a leak of one object
# a cycle is two or three blocks), and what is left of RSS growth from allocator slack
SOAK_BLOCKS_PER_CYCLE = 0.5
SOAK_RSS_MB = 2.0
# what this bench itself keeps of every cycle: its RSS, blocks and ratio (a float, an int
# and a float in lists), which tracemalloc shows as growing one block a cycle each
BENCH_BLOCKS_PER_CYCLE = 3


def soak_is_flat(blocks: list[int], rss: list[float], every: int) -> bool:
    """Prints the checkpoints from cycle `every` on and whether memory stayed flat."""
    first = every - 1
    if len(blocks) <= first + 1:
        print(f"soak: fewer than {every + 1} cycles, nothing to judge")
        return False
    print(f"\nsoak, every {every} cycles from cycle {every}:")
    for i in range(first, len(blocks), every):
        print(
            f"  cycle {i + 1:>6}: rss {rss[i]:7.1f} MB  blocks {blocks[i]:>9,}  "
            f"({blocks[i] - blocks[first]:+,} since cycle {every})"
        )
    trend = slope(blocks[first:])
    per_cycle = trend - BENCH_BLOCKS_PER_CYCLE
    rss_growth = rss[-1] - rss[first]
    flat = per_cycle < SOAK_BLOCKS_PER_CYCLE and rss_growth < SOAK_RSS_MB
    print(
        f"soak: cycle {every} to {len(blocks)}: {blocks[-1] - blocks[first]:+,} blocks, trend "
        f"{trend:+.2f} blocks per "
        f"cycle, {per_cycle:+.2f} without the bench's own {BENCH_BLOCKS_PER_CYCLE} (target < "
        f"{SOAK_BLOCKS_PER_CYCLE}); "
        f"RSS {rss_growth:+.1f} MB (target < {SOAK_RSS_MB}): " + ("flat" if flat else "GROWS")
    )
    return flat


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--electric-bus", type=int, default=6000, help="RS485 meters on serial servers")
    ap.add_argument("--acrel-4g", type=int, default=4000)
    ap.add_argument("--water", type=int, default=10000)
    ap.add_argument("--meters-per-bus", type=int, default=30)
    ap.add_argument("--baud", type=int, default=9600)
    ap.add_argument("--dlt645-share", type=float, default=0.0)
    ap.add_argument("--cycles", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument(
        "--no-frame-log", action="store_true", help="switch the frame log off (to see its cost)"
    )
    ap.add_argument(
        "--trace",
        type=int,
        metavar="N",
        default=0,
        help="trace allocations (tracemalloc, slow) and print the tracebacks that grew from cycle "
        "N "
        "to the last cycle (and half-way)",
    )
    ap.add_argument(
        "--soak",
        type=int,
        metavar="EVERY",
        default=0,
        help="a long run: print the cycle, RSS and allocated blocks only every EVERY cycles, and "
        "judge "
        "the growth from cycle EVERY to the last (target: flat)",
    )
    ap.add_argument(
        "--trace-depth", type=int, default=12, help="frames kept per traceback with --trace"
    )
    args = ap.parse_args()
    trace_at: list[tracemalloc.Snapshot] = []
    trace_cycles = (
        sorted({args.trace, (args.trace + args.cycles) // 2, args.cycles}) if args.trace else []
    )

    n_bus = int(args.electric_bus * args.scale)
    n_4g = int(args.acrel_4g * args.scale)
    n_water = int(args.water * args.scale)
    per_bus_estimate = args.meters_per_bus * (8 + 101 + 8 + 61) * 10 / args.baud
    # every NB meter reports once in the first (up to) five cycles and then again every five,
    # so that a longer run has cycles in which every table is full; 4G meters upload every
    # 15 min as configured in the field, so uploads barely show here
    sim, manifest, sim_log = start_simulator(
        n_bus,
        n_4g,
        n_water,
        meters_per_bus=args.meters_per_bus,
        baud=args.baud,
        dlt645_share=args.dlt645_share,
        report_interval_s=per_bus_estimate * min(args.cycles, 5),
    )
    try:
        channels = load_manifest(manifest)
        buses = [
            c
            for c in channels
            if c.kind
            in (
                ChannelKind.SERIAL_SERVER,
                ChannelKind.SERIAL,
                ChannelKind.MODBUS_TCP,
                ChannelKind.DTU,
            )
        ]
        lower_bound = max((bus_wire_time_s(c) for c in buses), default=0.0)
        from dataclasses import replace

        channels = [
            replace(c, poll_interval_s=0, timeout_s=args.timeout, retries=1) for c in channels
        ]
        polled = [m for c in channels if c.kind is not ChannelKind.CTWING for m in c.meters]
        print(
            f"market: {len(buses)} buses with {sum(len(c.meters) for c in buses)} meters, {n_4g} "
            "Acrel 4G, "
            f"{n_water} NB water; lower bound (busiest bus on the wire) {lower_bound:.3f} s",
            flush=True,
        )

        sink = CountingSink()
        poller = Poller(
            channels,
            sink,
            command_poll_s=0,
            log_frames=not args.no_frame_log,
            error_log_size=100_000,
        )
        poller.start()
        with long_lived_objects_frozen():  # as `python -m app service` runs the poller
            try:
                if n_4g:
                    want = n_4g
                    t0 = time.monotonic()
                    while (
                        len(poller._hubs)
                        and sum(
                            len(h.registry.identities())
                            for h in poller._hubs.values()
                            if hasattr(h, "registry")
                        )
                        < want
                    ):
                        if time.monotonic() - t0 > 120:
                            raise SystemExit("4G meters did not all dial in")
                        time.sleep(0.1)
                    print(
                        f"{n_4g} Acrel 4G meters dialled in after {time.monotonic() - t0:.1f} s",
                        flush=True,
                    )
                if (
                    args.trace
                ):  # from here: the start-up is slow enough without it, and only growth counts
                    tracemalloc.start(args.trace_depth)
                cpu0 = resource.getrusage(resource.RUSAGE_SELF)
                sim_cpu0 = process_cpu_s(sim.pid)
                rss_after = []
                # Python's allocated memory blocks: RSS without the allocator's slack
                blocks_after = []
                ratios = []
                missing = []  # per cycle: polled meters with no reading
                all_water_at = None  # cycle after which every NB meter had reported
                for cycle in range(1, args.cycles + 1):
                    c0 = resource.getrusage(resource.RUSAGE_SELF)
                    s0 = process_cpu_s(sim.pid)
                    t0 = time.monotonic()
                    readings = poller.read_now(polled).result(600)
                    elapsed = time.monotonic() - t0
                    c1 = resource.getrusage(resource.RUSAGE_SELF)
                    cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
                    sim_cpu = process_cpu_s(sim.pid) - s0
                    gc.collect()
                    rss_after.append(rss_mb())
                    blocks_after.append(sys.getallocatedblocks())
                    if cycle in trace_cycles:  # after the figures above: a snapshot is large
                        trace_at.append(take_snapshot())
                    ratio = elapsed / lower_bound if lower_bound else float("nan")
                    if all_water_at is None and len(sink.water_seen) >= n_water:
                        all_water_at = cycle
                    ratios.append(ratio)
                    missing.append(len(polled) - len(readings))
                    if args.soak and cycle % args.soak and cycle != 1:
                        continue
                    print(
                        f"cycle {cycle:>2}: {len(readings):>6}/{len(polled)} read in "
                        f"{elapsed:6.3f} s  ratio {ratio:5.3f}  "
                        f"cpu {cpu:5.2f} s (sim {sim_cpu:5.2f} s)  rss {rss_after[-1]:7.1f} MB  "
                        f"blocks {blocks_after[-1]:>9,}  "
                        f"water seen {len(sink.water_seen)}/{n_water}",
                        flush=True,
                    )
                cpu_total = resource.getrusage(resource.RUSAGE_SELF)
                cpu_s = (cpu_total.ru_utime - cpu0.ru_utime) + (cpu_total.ru_stime - cpu0.ru_stime)
                sim_cpu_s = process_cpu_s(sim.pid) - sim_cpu0
                overlaps = sum(v["overlaps"] for v in poller.bus_stats().values())
                _, errors = poller.errors_since(0)
            finally:
                poller.stop()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        growth = rss_after[-1] - rss_after[1] if len(rss_after) > 1 else 0.0
        print()
        print(
            f"cycle time: first {ratios[0] * lower_bound:.3f} s, median "
            f"{sorted(ratios)[len(ratios) // 2] * lower_bound:.3f} s; "
            f"lower bound {lower_bound:.3f} s; ratio first {ratios[0]:.3f}, worst {max(ratios):.3f}"
        )
        print(
            f"poller CPU: {cpu_s:.1f} s for {args.cycles} cycles ({cpu_s / args.cycles:.2f} s per "
            "cycle); "
            f"simulator process CPU {sim_cpu_s:.1f} s; machine load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        print(
            f"memory: peak RSS {peak_mb:.1f} MB; after cycle 2 "
            f"{rss_after[1] if len(rss_after) > 1 else 0:.1f} MB, "
            f"after cycle {args.cycles} {rss_after[-1]:.1f} MB (growth {growth:+.1f} MB)"
        )
        if all_water_at is not None and all_water_at < args.cycles:
            steady = rss_after[-1] - rss_after[all_water_at - 1]
            blocks = blocks_after[-1] - blocks_after[all_water_at - 1]
            print(
                f"        once every meter had reported (cycle {all_water_at}): growth to cycle "
                f"{args.cycles} "
                f"{steady:+.1f} MB, {blocks:+,} allocated blocks (before that the per-meter "
                "tables of this "
                "bench's sink fill up)"
            )
        print(
            f"readings delivered: {dict(sink.counts)}; NB meters reported: "
            f"{len(sink.water_seen)}/{n_water}; "
            f"bus overlaps {overlaps}; errors {len(errors)}"
        )
        for message, count in Counter(e.message[:100] for e in errors).most_common(5):
            print(f"  error ×{count}: {message}")
        print(f"simulator log: {sim_log} ({sim_log.stat().st_size} bytes)")
        if len(trace_at) > 1:
            print_growth(trace_at, trace_cycles)
        failures = []
        if max(ratios) > 1.2:
            failures.append(f"worst ratio {max(ratios):.3f} above the target 1.2")
        if any(missing):
            failures.append(
                f"readings missing: {sum(missing)} over {sum(1 for m in missing if m)} cycles "
                f"(per cycle {missing})"
            )
        if errors:
            failures.append(f"{len(errors)} poller errors")
        if overlaps:
            failures.append(f"{overlaps} bus overlaps")
        if args.soak and not soak_is_flat(blocks_after, rss_after, args.soak):
            failures.append("memory grows over the soak")
        for failure in failures:
            print(f"FAIL: {failure}")
        if not failures:
            print(
                f"OK: every cycle read all {len(polled)} polled meters, no errors, worst ratio "
                f"{max(ratios):.3f}"
            )
        return 1 if failures else 0
    finally:
        stop_simulator(sim)


if __name__ == "__main__":
    sys.exit(main())
