"""`python -m app service`: collection, settlement and control headless, on the PC that
has the meter lines when several clerk PCs share one PostgreSQL server. The clients see
what it stores through the database's change feed (app/services/change_feed.py)."""

from __future__ import annotations

import logging
import signal
import threading

from app.cli.common import open_db, site_id
from app.comm.collector import long_lived_objects_frozen
from app.services.collection import CommService


def register(sub) -> None:
    p = sub.add_parser("service", help="read the meters, settle and control, until stopped (Ctrl-C)")
    p.add_argument("--settle-every", type=float, default=60.0, metavar="SECONDS",
                   help="how often due settlements are looked for (default 60)")
    p.set_defaults(func=run)


def run(args) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db = open_db(args)
    with db.transaction() as s:
        site = site_id(s)
    service = CommService(db, site, settle_every_s=args.settle_every)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    service.start()
    channels = len(service.poller.channels)
    meters = sum(len(c.meters) for c in service.poller.channels.values())
    print(f"抄表服务已启动：{channels} 个通道，{meters} 块表。按 Ctrl-C 停止。", flush=True)
    with long_lived_objects_frozen():
        stop.wait()
    service.stop()
    print("抄表服务已停止。")
    return 0
