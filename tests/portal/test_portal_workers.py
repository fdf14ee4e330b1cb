"""`python -m app portal --workers N`: pages from several processes, which share the sign-in,
while only one of them asks the payment platforms about unanswered orders."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import requests

from app.models.db import Database
from app.services.money.online_payments import PendingQuery
from tests.portal.market import TENANT_A, a_portal_market
from tests.portal.server import csrf_of, outbox_code
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
CLOSE = {"Connection": "close"}  # a new connection each request: any worker may answer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_portal_serves_from_two_worker_processes(sqlite_db):
    pm = a_portal_market(sqlite_db)
    port = _free_port()
    portal = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", sqlite_db.url, "portal"]
        + ["--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(portal.stderr), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: (
                sum("Application startup complete" in line for line in log) == 2
                or portal.poll() is not None
            ),
            timeout_s=120,
            what="two workers started",
        )
        assert portal.poll() is None, "".join(log)
        workers = {line.split("[")[1].split("]")[0] for line in log if "Started server" in line}
        assert len(workers) == 2, "".join(log)

        web = requests.Session()
        page = web.get(f"{url}/sign-in", headers=CLOSE)
        sent = web.post(
            f"{url}/sign-in/code",
            data={"phone": TENANT_A, "csrf": csrf_of(page.text)},
            headers=CLOSE,
        )
        assert sent.status_code == 200, sent.text
        code = outbox_code(sqlite_db, pm.site_id, TENANT_A)
        done = web.post(
            f"{url}/sign-in",
            data={"phone": TENANT_A, "code": code, "csrf": csrf_of(sent.text)},
            headers=CLOSE,
            allow_redirects=False,
        )
        assert done.status_code == 303, done.text
        for _ in range(8):  # whichever worker answers knows the sign-in
            stall = web.get(f"{url}/stalls/{pm.stall_a}", headers=CLOSE, allow_redirects=False)
            assert stall.status_code == 200
            assert "A001" in stall.text and "<svg" in stall.text

        # one worker holds the market's turn to query unanswered payment orders
        assert sqlite_db.take_service_turn(pm.site_id, "portal") is None
    finally:
        portal.terminate()
        portal.wait(60)
    turn = sqlite_db.take_service_turn(pm.site_id, "portal")  # freed with its process
    assert turn is not None
    turn.release()


def test_only_one_portal_process_queries_unanswered_orders_and_another_takes_over(db):
    site_id = a_portal_market(db).site_id
    second = Database(db.url)  # another worker's engine: its own connections and files
    queries = [PendingQuery(db, site_id, 0.02), PendingQuery(second, site_id, 0.02)]
    try:
        for q in queries:
            q.start()
        wait_until(lambda: any(q.turn for q in queries), what="a turn taken")
        holder = next(q for q in queries if q.turn)
        other = next(q for q in queries if q is not holder)
        assert not wait_until(lambda: other.turn, timeout_s=0.3)  # refused while held
        holder.stop()
        wait_until(lambda: other.turn, what="the other process takes over")
    finally:
        for q in queries:
            q.stop()
        second.dispose()
