"""A payment notification credited: from its arrival at the portal to the credit committed.

    python bench/payment_notify.py                 # 200 WeChat Pay + 200 Alipay, SQLite
    python bench/payment_notify.py --count 500 --stalls 1000
    python bench/payment_notify.py --db postgresql+psycopg://…   # an empty database of yours

Builds a market of `--stalls` stalls (one meter each, prepaid), runs the portal's notification
routes on uvicorn (127.0.0.1) and the platforms' local doubles (tests/payment_doubles.py: RSA
signatures, WeChat's AES-256-GCM resource). For each order the double pays and sends its signed
notification; the portal verifies it, credits the stall through the recharge service (receipt,
ledger, audit, control's reconsider) and answers after the commit. Printed per platform: the
server's time from the request's arrival to its answer (the credit committed; target p95 ≤
100 ms) and the double's round trip.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test doubles and builders

from app.models.account import PayMethod
from app.models.db import Database
from app.portal.payments import router, start_recharge
from app.services.money import accounts, online_payments
from tests.builders import Market
from tests.payment_doubles import AlipayDouble, WechatDouble, a_key_pair
from tests.waiting import wait_until


class Timed:
    """ASGI middleware: each notification's time from its first byte in to its answer out."""

    def __init__(self, app):
        self.app, self.times_ms = app, []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()

        async def timed_send(message):
            if message["type"] == "http.response.start":
                self.times_ms.append((time.perf_counter() - started) * 1000)
            await send(message)

        await self.app(scope, receive, timed_send)


def figures(name: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(0, int(len(values) * 0.95) - 1)]
    return (
        f"{name:<34} n={len(values):4d}  median {statistics.median(values):6.1f} ms  "
        f"p95 {p95:6.1f} ms  max {values[-1]:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="notifications per platform")
    parser.add_argument("--stalls", type=int, default=200)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.upgrade()
        started = time.perf_counter()
        m = Market(db)
        stalls = [m.a_stall(f"A{n:04d}") for n in range(1, args.stalls + 1)]
        for n, stall_id in enumerate(stalls, 1):
            m.a_meter(stall_id, address=str(n))
        print(f"market of {len(stalls)} stalls built in {time.perf_counter() - started:.1f} s")

        app = FastAPI()
        app.state.db = db
        app.include_router(router)
        timed = Timed(app)
        server = uvicorn.Server(
            uvicorn.Config(timed, host="127.0.0.1", port=0, log_level="warning")
        )
        threading.Thread(target=server.run, daemon=True).start()
        wait_until(lambda: server.started, timeout_s=30)
        portal = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"

        merchant_private, merchant_public = a_key_pair()
        app_private, app_public = a_key_pair()
        wechat = WechatDouble(merchant_public).start()
        alipay = AlipayDouble(app_public).start()
        with db.transaction() as s:
            online_payments.set_payment_settings(
                s,
                m.admin,
                "wechat",
                wechat.settings(merchant_private, f"{portal}/pay/notify/wechat"),
            )
            online_payments.set_payment_settings(
                s, m.admin, "alipay", alipay.settings(app_private, f"{portal}/pay/notify/alipay")
            )
        try:
            for name, double, way in (
                ("wechat", wechat, "native"),
                ("alipay", alipay, "precreate"),
            ):
                orders = [
                    start_recharge(db, stalls[n % len(stalls)], "50.00", name, way).order_no
                    for n in range(args.count)
                ]
                timed.times_ms.clear()
                round_trips = []
                for order_no in orders:
                    t0 = time.perf_counter()
                    delivery = double.pay(order_no)
                    round_trips.append((time.perf_counter() - t0) * 1000)
                    if delivery.attempts != 1 or delivery.status not in (200, 204):
                        raise SystemExit(f"{order_no} not credited: HTTP {delivery.status}")
                print(figures(f"{name}: arrival → credit committed", timed.times_ms))
                print(figures(f"{name}: round trip (signing included)", round_trips))
            # for comparison: the counter's recharge alone (the same service, one transaction)
            counter = []
            for n in range(args.count):
                t0 = time.perf_counter()
                with db.transaction() as s:
                    accounts.recharge(
                        s,
                        m.cashier,
                        accounts.RechargeRequest(
                            stall_id=stalls[n % len(stalls)], amount="50.00", method=PayMethod.CASH
                        ),
                    )
                counter.append((time.perf_counter() - t0) * 1000)
            print(figures("counter recharge alone (reference)", counter))
        finally:
            server.should_exit = True
            wechat.stop()
            alipay.stop()
            db.dispose()


if __name__ == "__main__":
    main()
