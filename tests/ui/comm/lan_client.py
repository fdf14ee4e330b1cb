"""A clerk's client in a process of its own, for the office-LAN tests and bench/lan.py:
`python -m tests.ui.comm.lan_client DB_URL USERNAME STALL_CODE`.

It builds what `python -m app` builds for a signed-in clerk (the op runner, the comm bridge,
the change feed follower) and opens the stalls view (with STALL_CODE's card open), the
meters view, the overview, the comm monitor (the service's frames and errors through the
database) and the monthly view, each as its own window so
that all are visible at once. It prints one JSON line on stdout each time what they show
of STALL_CODE changes ("shown": stall row, card, its meter's row, month status, the stopped
service's banners), and takes commands on stdin, one JSON line each, run as the views' ops
run them: {"do": "recharge", "amount": "50.00"}, {"do": "rename", "name": "…"},
{"do": "approve"} (the last month), {"do": "quit"}; it prints {"done": …, "at": time}
once the transaction committed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, QTimer, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.models.account import PayMethod  # noqa: E402
from app.models.db import Database  # noqa: E402
from app.models.meter import Meter  # noqa: E402
from app.models.site import Stall  # noqa: E402
from app.models.user import User  # noqa: E402
from app.services.market import stalls  # noqa: E402
from app.services.money import monthly_ledger  # noqa: E402
from app.services.platform.context import Actor, Changes  # noqa: E402
from app.ui import ops  # noqa: E402
from app.ui.cashier.cashier_ops import recharge_op  # noqa: E402
from app.ui.client import Client  # noqa: E402
from app.ui.comm.bridge import CommBridge  # noqa: E402
from app.ui.comm.follower import ChangeFollower, DatabaseLog  # noqa: E402
from app.ui.comm.monitor_view import CommMonitorView  # noqa: E402
from app.ui.meters.meters_view import MetersView  # noqa: E402
from app.ui.monthly.monthly_view import MonthlyView  # noqa: E402
from app.ui.overview.overview_view import OverviewView  # noqa: E402
from app.ui.stalls.stalls_view import StallsView  # noqa: E402


def last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


class Commands(QObject):
    arrived = Signal(dict)


def main(url: str, username: str, stall_code: str) -> int:
    app = QApplication([])
    db = Database(url)
    runner = ops.bind(db)
    with db.reading() as s:
        user = s.scalar(select(User).where(User.username == username))
        actor = Actor(user.id, user.username, user.role, user.site_id)
        stall_id = s.scalar(select(Stall.id).where(Stall.code == stall_code))
        meter_id = s.scalar(select(Meter.id).where(Meter.stall_id == stall_id))
    bridge = CommBridge()
    client = Client(runner=runner, actor=actor, site_name="市场", comm=bridge)
    follower = ChangeFollower(db, actor.site_id, bridge).start()
    bridge.attach_log(DatabaseLog(db, actor.site_id))
    stalls_view, meters_view = StallsView(client), MetersView(client)
    overview, monitor, monthly = OverviewView(client), CommMonitorView(client), MonthlyView(client)
    for view in (stalls_view, meters_view, overview, monitor, monthly):
        view.resize(1000, 700)
        view.show()
        view.refresh()

    def shown() -> dict:
        at = stalls_view.model.row_of.get(stall_id)
        row = None if at is None else stalls_view.model.rows[at]
        card = stalls_view.card.card
        i = meters_view.model.row_of.get(meter_id)
        comm_col = next(n for n, c in enumerate(meters_view.model.columns) if c.key == "comm")
        return {
            "stall_balance": None if row is None else str(row.balance),
            "stall_name": None if row is None else row.name,
            "card_balance": None if card is None or card.id != stall_id else str(card.balance),
            "card_name": None if card is None or card.id != stall_id else card.name,
            "meter_balance": None if i is None else str(meters_view.model.rows[i].balance),
            "meter_comm": None
            if i is None
            else meters_view.model.data(meters_view.model.index(i, comm_col)),
            "monitor_frames": monitor.frames.rowCount() > 0,
            "monitor_errors": monitor.errors.rowCount() > 0,
            "month": None if monthly.summary is None else str(monthly.summary.status),
            "overview_banner": overview.stopped.text() if overview.stopped.isVisible() else "",
            "monitor_banner": next(
                (w.text() for w in monitor.findChildren(type(overview.stopped)) if w.isVisible()),
                "",
            ),
        }

    last: dict = {}

    def report() -> None:
        nonlocal last
        if not stalls_view.is_loaded or not meters_view.is_loaded or not monthly.is_loaded:
            return
        if stalls_view.card.card is None:
            stalls_view._select_id(stall_id)
            return
        now = shown()
        if now != last:
            last = now
            print(json.dumps({"shown": now, "at": time.time()}, ensure_ascii=False), flush=True)

    watch = QTimer(interval=20)  # what the clerk would see, looked at 50 times a second
    watch.timeout.connect(report)
    watch.start()

    def committed(what: str) -> None:
        print(json.dumps({"done": what, "at": time.time()}), flush=True)

    def failed(error: BaseException) -> None:
        print(json.dumps({"failed": str(error)}, ensure_ascii=False), flush=True)

    def run(command: dict) -> None:
        what = command["do"]
        if what == "quit":
            app.quit()
        elif what == "recharge":
            recharge_op(
                None,
                client,
                stall_id,
                Decimal(command["amount"]),
                PayMethod.CASH,
                uuid.uuid4().hex,
            ).success(lambda _r: committed(what)).failure(failed).run()
        elif what == "rename":
            ops.DbOp(
                None,
                lambda s: stalls.update_stall(s, actor, stall_id, name=command["name"]),
                changes=Changes.STALLS,
            ).success(lambda _r: committed(what)).failure(failed).run()
        elif what == "approve":
            month = last_month(date.today())
            ops.DbOp(
                None,
                lambda s: monthly_ledger.approve_month(s, actor, month),
                changes=Changes.LEDGER_MONTHS,
            ).success(lambda _r: committed(what)).failure(failed).run()

    commands = Commands()
    commands.arrived.connect(run)

    def read_stdin() -> None:
        for line in sys.stdin:
            if line.strip():
                commands.arrived.emit(json.loads(line))
        commands.arrived.emit({"do": "quit"})

    threading.Thread(target=read_stdin, daemon=True).start()
    code = app.exec()
    follower.stop()
    runner.shutdown()
    db.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
