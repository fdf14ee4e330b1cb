"""200 tenants at once loading their stall page from the portal (target p95 ≤ 200 ms).

    python bench/portal_load.py                       # the demo market on a new SQLite file
    python bench/portal_load.py --pg                  # the same on a throw-away PostgreSQL
    python bench/portal_load.py --db sqlite:///x.db   # a database already holding a market
    python bench/portal_load.py --tenants 200 --rounds 5 --months 12
    python bench/portal_load.py --workers 2           # only 2 processes (default: 1, then 2)

Builds the demo market (474 electricity + 417 water meters, `--months` of 30-minute readings,
its bills and recharges) unless the database holds one, signs `--tenants` tenants in through
the sign-in service (a session each, the SMS code skipped) and starts the real program,
`python -m app portal --workers N`, on 127.0.0.1 in its own process(es), once per `--workers`
count. Each tenant is a thread with its own HTTP session and cookie; all start together and
load their stall page `--rounds` times: once all at once (every tenant's next page right after
the last), once reading each page about `--think` seconds (0.5–1.5 ×) before the next. The
client's time per page (request sent → whole page read) is printed as p50 / p95 / max for each.
The tenants' threads run on the same machine as the portal and take their share of its cores.

On a 2-core machine (the demo market, 12 months), p95 of tenants reading between pages:
SQLite 261 ms with one process, 115 ms with two; PostgreSQL 465 ms and 124–159 ms. All 200 at
once, pages follow at the machine's pace (25–53 pages/s), so the last of 200 waits seconds.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from app.models.db import Database
from app.models.site import Customer, Site, StallRole, StallRoleKind
from app.services.portal.sign_in import start_session
from app.services.portal.sms import sms_account

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/pg.py


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(db: Database, months: int) -> None:
    from app.demo.build import build_demo

    with db.transaction() as s:
        if s.scalar(select(Site.id).limit(1)) is not None:
            print("the database holds a market: used as it is")
            return
        started = time.perf_counter()
        r = build_demo(s, months=months)
    print(
        f"demo market built: {r.stalls} stalls, {r.electric_meters} + {r.water_meters} meters, "
        f"{r.days} days, {r.bills} bills in {time.perf_counter() - started:.0f} s"
    )


def tenants(db: Database, count: int) -> tuple[str, list[tuple[str, int]]]:
    """The cookie secret and (signed cookie, stall id) of `count` tenants, signed in."""
    with db.transaction() as s:
        site_id = s.scalar(select(Site.id).order_by(Site.id).limit(1))
        secret = sms_account(s, site_id).settings["cookie_secret"]
        rows = s.execute(
            select(Customer.phone, StallRole.stall_id)
            .join(StallRole, StallRole.customer_id == Customer.id)
            .where(StallRole.role == StallRoleKind.TENANT, Customer.phone != "")
            .order_by(StallRole.stall_id)
        ).all()
        first_stall: dict[str, int] = {}
        for phone, stall_id in rows:
            first_stall.setdefault(phone, stall_id)
        chosen = list(first_stall.items())[:count]
        signer = URLSafeSerializer(secret, salt="portal-session")
        out = [(signer.dumps(start_session(s, site_id, p).key), sid) for p, sid in chosen]
    return secret, out


def serve(url: str, port: int, workers: int = 1) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", url, "portal", "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the portal did not start: {proc.stderr.read().decode()[-800:]}")
        try:
            requests.get(f"http://127.0.0.1:{port}/sign-in", timeout=2)
            return proc
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the portal did not answer within 60 s")


def load(
    base: str, people: list[tuple[str, int]], rounds: int, think_s: float = 0.0
) -> list[float]:
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(people))

    def tenant(cookie: str, stall_id: int) -> None:
        http = requests.Session()
        http.cookies.set("mm_portal", cookie, domain="127.0.0.1")
        mine = []
        start.wait()
        pause = random.Random(stall_id)
        for _ in range(rounds):
            if think_s:  # a person reads the page before the next: 0.5–1.5 × think_s
                time.sleep(think_s * (0.5 + pause.random()))
            t0 = time.perf_counter()
            url = f"{base}/stalls/{stall_id}"
            try:
                r = http.get(url, allow_redirects=False, timeout=60)
            except requests.ConnectionError:
                # the server closed the idle connection as it was reused: a browser asks
                # again on a new one, and so does the tenant here (the time counts)
                r = http.get(url, allow_redirects=False, timeout=60)
            body = r.text
            mine.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200 or "<svg" not in body:
                with lock:
                    errors.append(f"stall {stall_id}: HTTP {r.status_code}")
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=tenant, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} pages failed, e.g. {errors[0]}")
    return times


def figures(name: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(0, int(len(values) * 0.95) - 1)]
    return (
        f"{name}: n={len(values)}  p50 {statistics.median(values):.0f} ms  "
        f"p95 {p95:.0f} ms  max {values[-1]:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--pg", action="store_true", help="a throw-away PostgreSQL server")
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="pages per tenant")
    parser.add_argument("--months", type=int, default=12, help="months of demo readings")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="portal processes, one run each"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=10.0,
        help="the second run: seconds a tenant reads a page before loading it again",
    )
    args = parser.parse_args()

    pg = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.pg:
            from tests.pg import PgServer

            pg = PgServer()
            pg.start()
            url = pg.url()
        else:
            url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database(url)
        proc = None
        try:
            db.upgrade()
            build(db, args.months)
            _, people = tenants(db, args.tenants)
            db.dispose()
            backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
            for workers in args.workers:
                port = free_port()
                proc = serve(url, port, workers)
                base = f"http://127.0.0.1:{port}"
                # each worker's first pages (templates compiled)
                load(base, people[: 4 * workers], 2)
                for think in (0.0, args.think):
                    started = time.perf_counter()
                    times = load(base, people, args.rounds, think)
                    rate = len(times) / (time.perf_counter() - started)
                    how = f"reading ~{think:g} s between pages" if think else "all at once"
                    print(
                        figures(
                            f"{backend}, {workers} worker(s), {len(people)} tenants {how}, "
                            "stall page",
                            times,
                        )
                        + f"  ({rate:.0f} pages/s)",
                        flush=True,
                    )
                proc.terminate()
                proc.wait(30)
                proc = None
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(30)
            if pg is not None:
                pg.stop()


if __name__ == "__main__":
    main()
