"""Writers of one SQLite file that never pause, against a clerk's recharges.

    python bench/writers.py                  # 3 writers, 40 s
    python bench/writers.py --writers 5 --seconds 20
    python bench/writers.py --other-process  # the writers in another process (a bulk writer)
    python bench/writers.py --other-process --no-turn

Each writer thread runs transactions of about 0.1 s back to back, as the collection
service does when it saves a backlog of readings; the main thread recharges a stall every
0.2 s. Prints the recharges done, how long each waited (median, max) and the
"database is locked" errors of the writers and of the clerk. Target: no error, and a
recharge waits no longer than the transactions queued before it.

With --other-process the writers are threads of a second process whose Database is a bulk
writer, as `python -m app service`; --no-turn puts a folder where the lock file of the turn
across processes would be, so both processes fall back to SQLite's busy handler.
"""

from __future__ import annotations

import argparse
import multiprocessing
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
from app.services.money import accounts
from app.services.platform.context import Actor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument(
        "--other-process", action="store_true", help="the writers run in another process"
    )
    parser.add_argument(
        "--no-turn",
        action="store_true",
        help="no turn across processes (the lock file cannot be made)",
    )
    args = parser.parse_args()
    path = f"{tempfile.mkdtemp()}/writers.db"
    if args.no_turn:
        os.mkdir(path + "-turn")
    url = f"sqlite:///{path}"
    db = Database(url)
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
    errors = {"writers": 0, "clerk": 0}
    if args.other_process:
        spawn = multiprocessing.get_context("spawn")
        stop, writing, writer_errors = spawn.Event(), spawn.Event(), spawn.Value("i", 0)
        other = spawn.Process(
            target=other_process,
            args=(url, args.writers, stall_id, actor.site_id, stop, writing, writer_errors),
        )
        other.start()
        writing.wait(60)
    else:
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=write_back_to_back,
                args=(db, n, stall_id, actor.site_id, stop, errors),
                daemon=True,
            )
            for n in range(args.writers)
        ]
        for t in threads:
            t.start()
    waits = []
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            with db.transaction() as s:
                accounts.recharge(
                    s,
                    actor,
                    accounts.RechargeRequest(
                        stall_id=stall_id, amount=Decimal("1.00"), method=PayMethod.CASH
                    ),
                )
        except OperationalError:
            errors["clerk"] += 1
        waits.append(time.monotonic() - started)
        time.sleep(0.2)
    stop.set()
    if args.other_process:
        other.join(30)
        errors["writers"] = writer_errors.value
    else:
        for t in threads:
            t.join(15)
    waits.sort()
    where = (
        ("in another process, " + ("no turn" if args.no_turn else "with the turn"))
        if args.other_process
        else "in this process"
    )
    print(
        f"{args.writers} writers {where}, {args.seconds:g} s, load average "
        f"{os.getloadavg()[0]:.2f}: "
        f"{len(waits)} recharges, wait median {waits[len(waits) // 2]:.2f} s, max {waits[-1]:.2f} "
        "s; "
        f"database is locked: writers {errors['writers']}, clerk {errors['clerk']}"
    )


def write_back_to_back(
    db: Database, n: int, stall_id: int, site_id: int, stop, errors: dict
) -> None:
    while not stop.is_set():
        try:
            with db.transaction() as s:
                for _ in range(300):
                    s.execute(select(Stall.id).where(Stall.id == stall_id)).all()
                s.get(Site, site_id).name = f"writer {n} {time.time()}"
        except OperationalError:
            errors["writers"] += 1


def other_process(
    url: str, writers: int, stall_id: int, site_id: int, stop, writing, writer_errors
) -> None:
    db = Database(url, bulk_writer=True)
    errors = {"writers": 0}
    threads = [
        threading.Thread(target=write_back_to_back, args=(db, n, stall_id, site_id, stop, errors))
        for n in range(writers)
    ]
    for t in threads:
        t.start()
    writing.set()
    for t in threads:
        t.join()
    writer_errors.value = errors["writers"]
    db.dispose()


if __name__ == "__main__":
    main()
