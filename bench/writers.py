"""Writers of one SQLite file that never pause, against a clerk's recharges.

    python bench/writers.py                  # 3 writers, 40 s
    python bench/writers.py --writers 5 --seconds 20

Each writer thread runs transactions of about 0.1 s back to back, as the collection
service does when it saves a backlog of readings; the main thread recharges a stall every
0.2 s. Prints the recharges done, how long each waited (median, max) and the
"database is locked" errors of the writers and of the clerk. Target: no error, and a
recharge waits no longer than the transactions queued before it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.models.account import Account, PayMethod
from app.models.db import Database
from app.models.site import Building, Site, Stall
from app.models.user import Role
from app.services import accounts
from app.services.context import Actor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()
    db = Database(f"sqlite:///{tempfile.mkdtemp()}/writers.db")
    db.upgrade()
    with db.transaction() as s:
        site = Site(code="B1", name="bench")
        s.add(site)
        s.flush()
        building = Building(site_id=site.id, name="A")
        s.add(building)
        s.flush()
        stall = Stall(site_id=site.id, building_id=building.id, code="A001", name="A001")
        s.add(stall)
        s.flush()
        s.add(Account(stall_id=stall.id))
        actor, stall_id = Actor(None, "admin", Role.ADMIN, site.id), stall.id
    stop = threading.Event()
    errors = {"writers": 0, "clerk": 0}

    def writer(n: int) -> None:
        while not stop.is_set():
            try:
                with db.transaction() as s:
                    for _ in range(300):
                        s.execute(select(Stall.id).where(Stall.id == stall_id)).all()
                    s.get(Site, actor.site_id).name = f"writer {n} {time.time()}"
            except OperationalError:
                errors["writers"] += 1

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(args.writers)]
    for t in threads:
        t.start()
    waits = []
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            with db.transaction() as s:
                accounts.recharge(s, actor, accounts.RechargeRequest(stall_id=stall_id, amount=Decimal("1.00"),
                                                                   method=PayMethod.CASH))
        except OperationalError:
            errors["clerk"] += 1
        waits.append(time.monotonic() - started)
        time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(15)
    waits.sort()
    print(f"{args.writers} writers, {args.seconds:g} s, load average {os.getloadavg()[0]:.2f}: "
          f"{len(waits)} recharges, wait median {waits[len(waits) // 2]:.2f} s, max {waits[-1]:.2f} s; "
          f"database is locked: writers {errors['writers']}, clerk {errors['clerk']}")


if __name__ == "__main__":
    main()
