"""Memory of the desktop client following a running market for an hour.

    python bench/client_soak.py                                 # 60 minutes, the demo's 474 + 417
    meters
    python bench/client_soak.py --minutes 20 --warmup 5 --every 30 --switch 40
    python bench/client_soak.py --db /tmp/mm-bench-client-…/market.db   # a copy of a market built
    before

The market runs in this process: the demo (app/demo/run.py: simulator and collection service,
a market hour a real minute) on a new SQLite file. The client runs in a child process as
app/ui/main.py's run_client builds it for that database: signed in as the market's admin, the
main window shown (offscreen), following the service through the database's change feed as a
LAN client does. Every `--switch` seconds it shows the next of a clerk's views and recharges a
stall through the services (a clerk's write on the change feed). The child prints every
`--every` seconds its RSS and Python's allocated blocks after a collection of garbage, and the
trend from the first sample after `--warmup` minutes (and a first visit of every view) to the
end. Target: flat (the bounds of bench/service_soak.py), and the references to True and False
steady (a binding that drops them aborts the client: PySide6 6.12.0).
"""

from __future__ import annotations

import argparse  # noqa: E401
import gc
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]
from collect import rss_mb, slope  # noqa: E402
from service_soak import BLOCKS_PER_MINUTE, RSS_MB  # noqa: E402

VIEWS = ("overview", "meters", "stalls", "recharge", "bills", "comm")


def client(args) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from sqlalchemy import select

    from app.models.account import Account, AccountStatus, PayMethod
    from app.models.db import Database
    from app.services.money.accounts import RechargeRequest, recharge
    from app.ui import main, ops
    from app.ui.client import Client
    from app.ui.comm.bridge import CommBridge
    from app.ui.comm.follower import ChangeFollower
    from app.ui.main_window import MainWindow

    app = main.make_app()
    main.install_language(app, "zh_CN")
    db = Database(args.client)
    db.upgrade()
    runner = ops.bind(db)
    actor, site_name, timezone = main.sign_in(db, automatic=True)
    bridge = CommBridge()
    window = MainWindow(
        Client(runner=runner, actor=actor, site_name=site_name, comm=bridge, timezone=timezone)
    )
    window.show()
    follower = ChangeFollower(db, actor.site_id, bridge).start()
    with db.reading() as s:
        stall_ids = s.scalars(
            select(Account.stall_id).where(Account.status == AccountStatus.OPEN)
        ).all()
    views, start, samples, shown = (
        itertools.cycle(VIEWS),
        time.monotonic(),
        [],
        [""],
    )  # (minutes, RSS MB, blocks)

    def visit() -> None:
        shown[0] = next(views)
        window.show_view(shown[0])
        with db.transaction() as s:
            recharge(
                s,
                actor,
                RechargeRequest(
                    amount=Decimal(100), method=PayMethod.CASH, stall_id=random.choice(stall_ids)
                ),
            )

    def sample() -> None:
        gc.collect()
        samples.append(((time.monotonic() - start) / 60, rss_mb(), sys.getallocatedblocks()))
        print(
            f"{samples[-1][0]:6.1f} min: rss {samples[-1][1]:7.1f} MB  blocks "
            f"{samples[-1][2]:>9,}  view {shown[0]}  refs True {sys.getrefcount(True)} False "
            f"{sys.getrefcount(False)}",
            flush=True,
        )
        if samples[-1][0] >= args.minutes:
            app.quit()

    timers = [QTimer(app, interval=int(s * 1000)) for s in (args.switch, args.every)]
    for timer, slot in zip(timers, (visit, sample), strict=False):
        timer.timeout.connect(slot)
        timer.start()
    visit()
    app.exec()
    follower.stop(), bridge.stop(), runner.shutdown(), db.dispose()
    # a view's first visit loads its rows once: judged from when every view has been shown
    judged = [s for s in samples if s[0] >= max(args.warmup, len(VIEWS) * args.switch / 60)]
    per_hour = slope([b for *_, b in judged]) * 3600 / args.every
    rss_growth = judged[-1][1] - judged[0][1]
    flat = per_hour < BLOCKS_PER_MINUTE * 60 and rss_growth < RSS_MB
    print(
        f"\nfrom {judged[0][0]:.1f} to {judged[-1][0]:.1f} min: {judged[-1][2] - judged[0][2]:+,} "
        f"blocks, trend {per_hour:+,.0f} "
        f"blocks per hour (target < {BLOCKS_PER_MINUTE * 60:,.0f}); RSS {rss_growth:+.1f} MB, "
        "trend "
        f"{slope([r for _, r, _ in judged]) * 3600 / args.every:+.1f} MB per hour (target < "
        f"{RSS_MB:.0f} MB): "
        f"{'flat' if flat else 'GROWS'}; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    return 0 if flat else 1


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--minutes", type=float, default=60.0, help="how long the client runs")
    ap.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    ap.add_argument("--warmup", type=float, default=10.0, help="minutes before the trend is judged")
    ap.add_argument(
        "--switch",
        type=float,
        default=180.0,
        help="seconds between a clerk's views (and recharges)",
    )
    ap.add_argument(
        "--db",
        type=Path,
        help="a copy of a market this bench built (it prints where), not built again",
    )
    ap.add_argument(
        "--client", metavar="DB_URL", help=argparse.SUPPRESS
    )  # the child: the desktop client
    args = ap.parse_args()
    if args.client:
        return client(args)
    from app.demo.run import DemoMarket

    folder = Path(
        tempfile.mkdtemp(prefix="mm-bench-client-")
    )  # the client's settings too, not the user's
    if args.db:
        shutil.copy(args.db, folder / "market.db")
    market = DemoMarket(f"sqlite:///{folder / 'market.db'}")
    t0 = time.monotonic()
    market.prepare()
    print(f"demo market built in {time.monotonic() - t0:.0f} s on {market.db.url}", flush=True)
    market.start()
    try:
        return subprocess.call(
            [sys.executable, __file__, *sys.argv[1:], "--client", market.db.url],
            env={**os.environ, "XDG_CONFIG_HOME": str(folder)},
        )
    finally:
        market.stop()
        market.db.dispose()


if __name__ == "__main__":
    sys.exit(main())
