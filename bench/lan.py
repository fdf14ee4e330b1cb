"""Clerks' clients following a market on the office LAN while it is being read and recharged.

    python bench/lan.py                                  # 10 clients, 1,000 meters, 60 s
    python bench/lan.py --clients 10 --meters 20000 --seconds 300   # the issue's market

PostgreSQL (a throw-away server, tests/pg.py) holds a demo market of `--meters` meters; the
simulator runs in this process and the collection service (`python -m app service`) in its
own, reading every meter every 15 s (a collection cycle that never ends). `--clients`
clerks' clients run each in a process of their own (tests/ui/comm/lan_client.py: stalls
view with the watched stall's card open, meters view, overview, comm monitor, monthly view,
all visible, following the change feed).
A cashier's process recharges `--rate` stalls a second, one of them a second the watched
stall.

Printed: the time from a recharge's commit to each client showing the watched stall's new
balance in its stalls view, its card and its meter's row (median, 95th percentile, max over
every recharge and client), and each client's CPU (user + system, % of one core) over the
measured seconds. The client looks at its views 50 times a second: that looking is in its
CPU, and its 20 ms in the times.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cashier(url: str, seconds: float, rate: float, watched_id: int) -> int:
    """Recharge `rate` stalls a second for `seconds`, one a second the watched stall; print
    the commit time of each of the watched stall's balances (JSON)."""
    from sqlalchemy import select

    from app.models.account import Account, AccountStatus, PayMethod
    from app.models.db import Database
    from app.models.user import Role, User
    from app.services.money.accounts import RechargeRequest, recharge
    from app.services.platform.context import Actor

    db = Database(url)
    with db.reading() as s:
        user = s.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
        actor = Actor(user.id, user.username, user.role, user.site_id)
        others = s.scalars(
            select(Account.stall_id).where(
                Account.status == AccountStatus.OPEN, Account.stall_id != watched_id
            )
        ).all()
    committed: dict[str, float] = {}
    took: list[float] = []
    every = 1.0 / rate
    started = time.monotonic()
    i = 0
    while time.monotonic() - started < seconds:
        time.sleep(max(0.0, started + i * every - time.monotonic()))
        watched = i % max(1, round(rate)) == 0
        stall_id = watched_id if watched else random.choice(others)
        request = RechargeRequest(stall_id=stall_id, amount=Decimal("1.00"), method=PayMethod.CASH)
        began = time.monotonic()
        with db.transaction() as s:
            recharge(s, actor, request)
            balance = s.scalar(select(Account.balance).where(Account.stall_id == stall_id))
        took.append(time.monotonic() - began)
        if watched:
            committed[str(balance)] = time.time()
        i += 1
    elapsed = time.monotonic() - started
    db.dispose()
    print(json.dumps({"committed": committed, "took": took, "recharges": i, "elapsed": elapsed}))
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--cashier"]:
        c = argparse.ArgumentParser()
        c.add_argument("--cashier")
        c.add_argument("--seconds", type=float)
        c.add_argument("--rate", type=float)
        c.add_argument("--watched", type=int)
        a = c.parse_args()
        return cashier(a.cashier, a.seconds, a.rate, a.watched)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=10)
    p.add_argument("--meters", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--rate", type=float, default=10.0, help="recharges a second")
    args = p.parse_args()

    from sqlalchemy import create_engine, select, text

    from app.demo.run import DemoMarket
    from app.models.account import Account, AccountStatus
    from app.models.meter import Meter
    from app.models.site import Stall
    from app.models.user import Role, User
    from tests.pg import PgServer

    server = PgServer()
    server.start()
    clients: list[subprocess.Popen] = []
    market = None
    try:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("CREATE DATABASE lan"))
        url = server.url("lan")
        t0 = time.monotonic()
        electric = args.meters * 53 // 100  # the demo's share of electricity meters
        market = DemoMarket(url, electric=electric, water=args.meters - electric, months=1)
        market.prepare()
        print(f"market of {args.meters} meters built in {time.monotonic() - t0:.0f} s", flush=True)
        market.start()  # the simulator, its lines stored as the market's channels
        market.service.stop()  # the collection runs as on the line PC: a process of its own
        market.service = None
        service = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", url, "service", "--settle-every", "600"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        clients.append(service)
        db = market.db
        with db.reading() as s:
            user = s.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
            username = user.username
            open_stalls = s.execute(
                select(Stall.id, Stall.code)
                .join(Account, Account.stall_id == Stall.id)
                .where(Account.status == AccountStatus.OPEN)
                .where(Stall.id.in_(select(Meter.stall_id).where(Meter.is_active)))
                .order_by(Stall.id)
            ).all()
        watched_id, watched_code = open_stalls[0]

        lines: queue.SimpleQueue = queue.SimpleQueue()

        def read(n: int, proc: subprocess.Popen) -> None:
            for line in proc.stdout:
                if line.startswith("{"):
                    lines.put((n, json.loads(line)))

        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        for n in range(args.clients):
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.ui.comm.lan_client", url, username, watched_code],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                env=env,
            )
            clients.append(proc)
            threading.Thread(target=read, args=(n, proc), daemon=True).start()
        ready: set[int] = set()
        deadline = time.monotonic() + 600
        while len(ready) < args.clients and time.monotonic() < deadline:
            try:
                n, line = lines.get(timeout=5)
            except queue.Empty:
                continue
            if line.get("shown", {}).get("meter_balance") is not None:
                ready.add(n)
        print(f"{len(ready)} clients showing the market", flush=True)

        service_cpu = cpu_seconds(service.pid)
        clients.remove(service)
        cpu_start = {p.pid: cpu_seconds(p.pid) for p in clients}
        # the recharges from a cashier's process: this one's simulator threads would slow them
        recharged = subprocess.run(
            [
                sys.executable,
                __file__,
                "--cashier",
                url,
                "--seconds",
                str(args.seconds),
                "--rate",
                str(args.rate),
                "--watched",
                str(watched_id),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        done = json.loads(recharged.stdout.splitlines()[-1])
        committed: dict[str, float] = done["committed"]  # the watched balance → commit time
        took, i = done["took"], done["recharges"]
        elapsed = done["elapsed"]
        time.sleep(5)  # the last recharges reach the clients
        cpu = [100 * (cpu_seconds(p.pid) - cpu_start[p.pid]) / (elapsed + 5) for p in clients]
        shown_at: dict[tuple[int, str], float] = {}
        while True:
            try:
                n, line = lines.get_nowait()
            except queue.Empty:
                break
            shown = line.get("shown")
            if not shown:
                continue
            value = shown["stall_balance"]
            if value == shown["card_balance"] == shown["meter_balance"] and value in committed:
                shown_at.setdefault((n, value), line["at"])
        delays = sorted(
            shown_at[(n, value)] - at
            for value, at in committed.items()
            for n in range(args.clients)
            if (n, value) in shown_at
        )
        expected = len(committed) * args.clients
        # a balance not shown at all was overtaken by the next one within one look: counted
        # as shown with the next, not as lost
        print(
            f"{i} recharges in {elapsed:.0f} s ({i / elapsed:.1f}/s), {len(committed)} of the "
            f"watched stall; {len(delays)} of {expected} balances seen by the clients; a "
            f"recharge's transaction: median {statistics.median(took):.2f} s, max {max(took):.2f} s"
        )
        if delays:
            p95 = delays[int(0.95 * (len(delays) - 1))]
            print(
                "commit → shown in every view of a client: median "
                f"{statistics.median(delays):.2f} s, 95% {p95:.2f} s, max {delays[-1]:.2f} s"
            )
        print(
            f"clients' CPU (% of one core): median {statistics.median(cpu):.1f}, "
            f"max {max(cpu):.1f}; the service's {service_cpu:.1f}; {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    finally:
        for proc in clients:
            proc.terminate()
        for proc in clients:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if market is not None:
            market.stop()
            market.db.dispose()
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
