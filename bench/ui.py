"""Desktop client timings, and a sample market for looking at the views.

    python bench/ui.py bench               # meters view: open 20,000 rows, filter, GUI stalls
    python bench/ui.py live [METERS]       # GUI stalls during real collection cycles (default 3,000)
    python bench/ui.py sample FILE.db      # a market with readings, recharges and bills

Targets (issue): open <= 1 s, filter <= 100 ms, no GUI-thread stall > 100 ms while a
background collection pushes 20,000 meter updates into the queue.

`live` is the same question with a real collection: the simulator in its own process
(bench/collect.py's start_simulator) with METERS electricity meters on serial-server
buses at 115200 baud, a market database whose meters sit on those lines, the client's
main window on the meters view, and the client's `--collect` start (CommService in the
background, readings → settlement / control through its sink, changed rows re-read live).
Two full cycles (read of every meter) run while a 5 ms heartbeat on the GUI thread
records its gaps: the first reading of a meter is its baseline, the second one charges.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# -- the sample market ---------------------------------------------------------------------------
def build_sample_market(url: str, stalls_per_building: int = 60) -> None:
    from sqlalchemy import select

    from app.comm.types import ChannelKind, MeterKind, MeterReading, Protocol
    from app.models.account import PayMethod
    from app.models.billing import Bill, BillKind, BillStatus, ChargeItem, ChargeMethod
    from app.models.db import Database
    from app.models.meter import Channel, CommStatus, ControlMode, Meter
    from app.models.site import Site
    from app.models.tariff import TariffMode
    from app.models.user import Role
    from app.services import accounts, readings, stalls, tariffs, users
    from app.services.accounts import RechargeRequest
    from app.services.context import Actor
    from app.services.tariffs import TariffSpec

    rnd = random.Random(7)
    db = Database(url)
    db.upgrade()
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
    given = "建国秀英伟芳军敏静丽强磊洋艳勇杰娟涛明超霞平刚"
    goods = ["蔬菜", "水果", "猪肉", "牛羊肉", "水产", "禽蛋", "豆制品", "干货", "粮油", "调料", "熟食", "面点"]
    with db.transaction() as s:
        site = stalls.create_site(s, "CN01", "城南农贸市场", address="城南路 88 号", phone="0571-88886666")
        admin_row = users.ensure_admin(s, site.id, "admin", "admin123")
        admin = Actor(admin_row.id, "admin", Role.ADMIN, site.id)
        users.add_user(s, admin, "xiaoli", "xiaoli123", Role.CASHIER, "小李")
        users.add_user(s, admin, "caiwu", "caiwu123", Role.REVIEWER, "财务老周")
        users.add_user(s, admin, "guest", "guest123", Role.VIEWER, "访客")
        site_row = s.get(Site, site.id)
        site_row.friendly_night_start, site_row.friendly_night_end = datetime(2000, 1, 1, 22).time(), datetime(2000, 1, 1, 6).time()
        e_tariff = tariffs.create_tariff(s, admin, TariffSpec("商业用电（分时）", MeterKind.ELECTRIC, TariffMode.TOU, Decimal("0.9000"),
                                                           {1: Decimal("1.3500"), 2: Decimal("1.1000"), 3: Decimal("0.9000"), 4: Decimal("0.4500")},
                                                           [(0, 4), (8, 2), (11 * 60, 1), (13 * 60, 3), (19 * 60, 2), (22 * 60, 4)]))
        tariffs.create_tariff(s, admin, TariffSpec("商业用电（平价）", MeterKind.ELECTRIC, TariffMode.FLAT, Decimal("0.9500")))
        w_tariff = tariffs.create_tariff(s, admin, TariffSpec("商业用水（阶梯）", MeterKind.WATER, TariffMode.TIERED, Decimal("4.1000"),
                                                           tiers=[(Decimal("20"), Decimal("4.1000")), (None, Decimal("6.1500"))]))
        s.add_all([
            ChargeItem(site_id=site.id, name="物业管理费", method=ChargeMethod.PER_M2, price=Decimal("3.5000"), unit_name="m²"),
            ChargeItem(site_id=site.id, name="卫生费", method=ChargeMethod.FIXED_MONTH, price=Decimal("50.0000")),
            ChargeItem(site_id=site.id, name="垃圾清运", method=ChargeMethod.PER_UNIT, price=Decimal("15.0000"), unit_name="桶"),
        ])
        buildings = [stalls.create_building(s, admin, n) for n in ("A区 蔬菜区", "B区 肉禽区", "C区 水产区", "D区 干货区")]
        channels = []
        for i, b in enumerate(buildings):
            ch = Channel(site_id=site.id, name=f"{b.name[:2]}RS485-COM{i + 3}", kind=ChannelKind.SERIAL,
                         settings={"port": f"COM{i + 3}", "baud": 9600, "parity": "E"}, poll_interval_s=1800, is_connected=i != 3,
                         status_detail="" if i != 3 else "串口 COM6 打不开：设备不存在")
            s.add(ch)
            channels.append(ch)
        s.add(Channel(site_id=site.id, name="4G 水表平台", kind=ChannelKind.CTWING, poll_interval_s=3600, is_connected=True))
        s.flush()
        meter_specs = []
        for bi, b in enumerate(buildings):
            for n in range(1, stalls_per_building + 1):
                code = f"{'ABCD'[bi]}{n:03d}"
                name = f"{rnd.choice(goods)}{rnd.choice(['批发', '零售', '直销', ''])}"
                st = stalls.create_stall(s, admin, b.id, code, name, area_m2=Decimal(rnd.choice([6, 8, 10, 12, 16])))
                person = stalls.create_customer(s, admin, rnd.choice(surnames) + rnd.choice(given) + rnd.choice(given + " ").strip(),
                                                f"13{rnd.randint(100000000, 999999999)}")
                stalls.set_stall_role(s, admin, st.id, "tenant", person.id)
                for kind, addr in ((MeterKind.ELECTRIC, str(bi * stalls_per_building + n)), (MeterKind.WATER, f"{bi + 1}{n:04d}")):
                    m = Meter(site_id=site.id, stall_id=st.id, kind=kind, model="DDSY1352" if kind == MeterKind.ELECTRIC else "LXSY",
                              protocol=Protocol.MODBUS_ACREL, channel_id=channels[bi].id, address=addr,
                              tariff_id=e_tariff.id if kind == MeterKind.ELECTRIC else w_tariff.id, supply_on=True,
                              comm_status=CommStatus.ONLINE)
                    s.add(m)
                    meter_specs.append((m, bi, st.id))
        s.flush()
        specs = [(m.id, m.kind, m.channel_id, m.address, bi, stall_id) for m, bi, stall_id in meter_specs]
    # 40 days of daily readings through the readings service.
    today = datetime.now(UTC).replace(hour=2, minute=0, second=0, microsecond=0)
    totals = {mid: rnd.randint(1000, 500000) for mid, *_ in specs}
    for day in range(40, -1, -1):
        batch = []
        at = today - timedelta(days=day)
        for mid, kind, channel_id, address, bi, _stall in specs:
            if bi == 3 and day == 0:
                continue  # D区's line is down today
            totals[mid] += rnd.randint(200, 2500) if kind == MeterKind.ELECTRIC else rnd.randint(50, 900)
            batch.append(MeterReading(channel_id, address, kind, at, totals[mid], relay_closed=True if kind == MeterKind.ELECTRIC else None,
                                      valve_open=True if kind == MeterKind.WATER else None, power_kw=round(rnd.uniform(0.1, 6), 3)
                                      if kind == MeterKind.ELECTRIC else None))
        with db.transaction() as s:
            readings.ingest(s, batch, now=at)
    with db.transaction() as s:
        # Some money, some trouble.
        for mid, kind, channel_id, address, bi, stall_id in specs[::2]:
            if rnd.random() < 0.8:
                accounts.recharge(s, admin, RechargeRequest(stall_id=stall_id, amount=Decimal(rnd.choice([50, 100, 200, 300, 500])),
                                                            method=rnd.choice(list(PayMethod)[:4])))
        for m in s.scalars(select(Meter).where(Meter.site_id == site.id)):
            if m.channel_id == channels[3].id:
                m.comm_status, m.comm_failures, m.comm_error = CommStatus.OFFLINE, 3, "串口 COM6 打不开：设备不存在"
            elif rnd.random() < 0.03:
                m.comm_status, m.comm_failures, m.comm_error = CommStatus.OFFLINE, 3, "表计无应答（已重试 2 次）"
            if rnd.random() < 0.06:
                m.supply_on = False
            if rnd.random() < 0.02:
                m.control_mode = ControlMode.FORCED_ON
        account_of = dict(s.execute(select(__import__("app.models.account", fromlist=["Account"]).Account.stall_id,
                                           __import__("app.models.account", fromlist=["Account"]).Account.id)).all())
        month_start = datetime(today.year, today.month, 1, tzinfo=UTC)
        for i, (mid, kind, channel_id, address, bi, stall_id) in enumerate(specs[:160]):
            s.add(Bill(site_id=site.id, stall_id=stall_id, account_id=account_of[stall_id],
                       kind=[BillKind.ELECTRIC, BillKind.WATER, BillKind.PROPERTY, BillKind.SHARED_ELECTRIC][i % 4],
                       period_start=month_start - timedelta(days=30), period_end=month_start,
                       amount=Decimal(rnd.randint(2000, 40000)) / 100,
                       status=BillStatus.UNPROCESSED if i % 3 else BillStatus.SETTLED, dedupe_key=f"sample:{i}",
                       issued_at=None if i % 3 else month_start + timedelta(hours=2)))
    db.dispose()


# -- the benchmark ---------------------------------------------------------------------------------
def start_heartbeat():
    """A 5 ms timer on the GUI thread and the list of its gaps in ms: a gap minus the
    5 ms interval is how long the GUI thread was busy."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(tick)
    heartbeat.start()
    return heartbeat, gaps


def bench(n: int = 20_000) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from app.comm.types import MeterStatus
    from app.ui.tables.filtered_table import FilteredTable
    from app.ui.tables.meter_status_table import MeterStatusModel
    from tests.ui.test_meter_table import many_rows

    app = QApplication.instance() or QApplication([])
    app.setOrganizationName("MarketMeterBench")
    rows = many_rows(n)  # built outside the timing: they come from one DB query in the app

    t0 = time.perf_counter()
    model = MeterStatusModel()
    table = FilteredTable("bench_meters", model, multi_select=True)
    table.resize(1400, 800)
    model.set_rows(rows)
    table.show()
    app.processEvents()
    table.view.viewport().repaint()
    open_s = time.perf_counter() - t0
    while table._indexer.isActive():  # the clerk looks at the list for a moment before typing
        app.processEvents()

    t0 = time.perf_counter()
    table.filter_edit.setText("B01234")
    app.processEvents()
    filter_s = time.perf_counter() - t0
    shown = table.proxy.rowCount()
    t0 = time.perf_counter()
    table.filter_edit.setText("")
    app.processEvents()
    unfilter_s = time.perf_counter() - t0

    # How long one full repaint of the visible table takes (what a model reset or a filter
    # change costs on top of its own work); the collection below must not cause these.
    repaints = []
    for _ in range(3):
        t0 = time.perf_counter()
        table.view.viewport().repaint()
        repaints.append(time.perf_counter() - t0)
    full_repaint_s = min(repaints)
    app.processEvents()  # nothing left over from the filter before the heartbeat starts

    # A background collection pushes a status per meter while the GUI thread keeps ticking.
    import queue

    q: queue.SimpleQueue = queue.SimpleQueue()
    model.follow(q)
    model._timer.setInterval(1000)

    def collect() -> None:
        for r in rows:
            q.put(MeterStatus(r.channel_id, r.address, online=r.comm != "online", failures=1, last_seen=None, error=""))
            if r.id % 500 == 0:
                time.sleep(0.01)  # a poller delivers in bursts, not all at once

    worker = threading.Thread(target=collect)
    heartbeat, gaps = start_heartbeat()
    worker.start()
    deadline = time.perf_counter() + 30
    while (worker.is_alive() or model.updates_applied < n) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    heartbeat.stop()
    # A heartbeat gap minus its 5 ms interval is how long the GUI thread was busy.
    longest_stall_ms = max(gaps) - 5 if gaps else 0.0
    return {
        "rows": n,
        "open_s": round(open_s, 3),
        "filter_ms": round(filter_s * 1000, 1),
        "filter_rows_shown": shown,
        "clear_filter_ms": round(unfilter_s * 1000, 1),
        "full_repaint_ms": round(full_repaint_s * 1000, 1),
        "updates_applied": model.updates_applied,
        "longest_gui_stall_ms": round(longest_stall_ms, 1),
    }


# -- the live benchmark: a real collection behind the client's window ---------------------------
def build_bench_market(url: str, configs) -> None:
    """A market whose stalls each have one electricity meter on the simulator's lines
    (`configs`: the manifest's channels); every other stall prepaid 100 yuan, the rest at 0
    so that their meters trip once they use power."""
    from app.comm.types import MeterKind
    from app.models.account import PayMethod
    from app.models.db import Database
    from app.models.meter import Meter
    from app.models.tariff import TariffMode
    from app.models.user import Role
    from app.services import accounts, stalls, tariffs, users
    from app.services.accounts import RechargeRequest
    from app.services.channels import sync_channels
    from app.services.context import Actor
    from app.services.tariffs import TariffSpec

    db = Database(url)
    db.upgrade()
    with db.transaction() as s:
        site = stalls.create_site(s, "BENCH", "压测市场")
        admin_row = users.ensure_admin(s, site.id, "admin", "admin123")
        admin = Actor(admin_row.id, "admin", Role.ADMIN, site.id)
        tariff = tariffs.create_tariff(s, admin, TariffSpec("商业电价", MeterKind.ELECTRIC, TariffMode.FLAT, Decimal("0.8500")))
        building = stalls.create_building(s, admin, "A区")
        channel_ids = sync_channels(s, admin, configs)
        n = 0
        stall_ids = []
        for config in configs:
            for endpoint in config.meters:
                n += 1
                stall = stalls.create_stall(s, admin, building.id, f"A{n:05d}", f"摊位{n}")
                s.add(Meter(site_id=site.id, stall_id=stall.id, kind=endpoint.kind, model="DDSY1352",
                            protocol=endpoint.protocol, profile=endpoint.profile, channel_id=channel_ids[config.id],
                            address=endpoint.address, tariff_id=tariff.id, supply_on=True))
                stall_ids.append(stall.id)
        s.flush()
        for stall_id in stall_ids[::2]:
            accounts.recharge(s, admin, RechargeRequest(amount=Decimal(100), method=PayMethod.CASH, stall_id=stall_id))
    db.dispose()


def bench_live(meters: int = 3000, *, meters_per_bus: int = 30, baud: int = 115200, cycles: int = 2) -> dict[str, object]:
    import tempfile
    from dataclasses import replace

    from app.comm.simulator.manifest import load_manifest
    from app.comm.types import ChannelKind
    from app.models.db import Database
    from app.ui import ops
    from app.ui.client import Client
    from app.ui.comm.bridge import CommBridge
    from app.ui.main import make_app, sign_in, start_collection
    from app.ui.main_window import MainWindow
    from bench.collect import start_simulator, stop_simulator

    app = make_app()  # as the client: Python's garbage collected on the GUI thread
    app.setOrganizationName("MarketMeterBench")
    sim, manifest, _log = start_simulator(meters, 0, 0, meters_per_bus=meters_per_bus, baud=baud,
                                             extra=("--poll-interval", "0"))  # no scheduled polls: the bench's cycles
    try:
        configs = [replace(c, poll_interval_s=0, retries=1) for c in load_manifest(manifest)
                   if c.kind is ChannelKind.SERIAL_SERVER]
        path = Path(tempfile.mkdtemp(prefix="mm-uibench-")) / "market.db"
        t0 = time.perf_counter()
        build_bench_market(f"sqlite:///{path}", configs)
        print(f"market database with {sum(len(c.meters) for c in configs)} meters on {len(configs)} buses built in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)

        db = Database(f"sqlite:///{path}")
        runner = ops.bind(db)
        actor, site_name, timezone = sign_in(db, automatic=True)
        bridge = CommBridge()
        window = MainWindow(Client(runner=runner, actor=actor, site_name=site_name, comm=bridge, is_demo=False,
                                   timezone=timezone))
        window.resize(1400, 900)
        window.show()
        view = window.show_view("meters")
        deadline = time.perf_counter() + 60
        while not view.is_loaded and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)
        start_collection(window, db, actor.site_id, bridge)  # what `python -m app --collect` does
        while getattr(bridge, "_poller", None) is None and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)
        poller = bridge._poller  # the collection service's poller, as the comm monitor follows it
        endpoints = _stored_meters(db, actor.site_id)
        started = datetime.now(UTC)

        heartbeat, gaps = start_heartbeat()
        cycle_results = []
        for _ in range(cycles):
            t0 = time.perf_counter()
            future = poller.read_now(endpoints)
            while not future.done():
                app.processEvents()
                time.sleep(0.001)
            cycle_results.append((len(future.result()), time.perf_counter() - t0))
        # the last readings' rows reach the view within the bridge's refresh
        settle_until = time.perf_counter() + 5
        while time.perf_counter() < settle_until:
            app.processEvents()
            time.sleep(0.001)
        heartbeat.stop()
        from app.services.views import meter_rows

        with db.transaction() as s:  # what the view shows now against what is stored
            stored = {r.id: (r.last_read_at, r.total) for r in meter_rows(s, actor.site_id)}
        read_since = sum(1 for at, _t in stored.values() if at is not None and at >= started)
        live_rows = sum(1 for r in view.model.rows if stored.get(r.id) == (r.last_read_at, r.total))
        tripped = sum(1 for r in view.model.rows if r.supply_on is False)
        bridge.stop()
        window.close()
        runner.shutdown()
        db.dispose()
    finally:
        stop_simulator(sim)
    busy = sorted(g - 5 for g in gaps)
    p99 = busy[int(len(busy) * 0.99)] if busy else 0.0
    result: dict[str, object] = {"meters": len(endpoints), "buses": len(configs), "baud": baud}
    for i, (read, seconds) in enumerate(cycle_results, 1):
        result[f"cycle{i}_read"] = read
        result[f"cycle{i}_s"] = round(seconds, 2)
    result.update({
        "meters_stored_read": read_since,
        "rows_as_stored": live_rows,
        "rows_tripped": tripped,
        "heartbeats": len(gaps),
        "longest_gui_stall_ms": round(busy[-1], 1) if busy else 0.0,
        "p99_gui_stall_ms": round(p99, 1),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    })
    return result


def _stored_meters(db, site_id: int):
    """Every meter of the market as the collection service reads it (stored channel ids)."""
    from app.services.collection import channel_configs

    with db.transaction() as s:
        return [m for c in channel_configs(s, site_id) for m in c.meters]


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "sample":
        path = Path(sys.argv[2]).resolve()
        if path.exists():
            path.unlink()
        build_sample_market(f"sqlite:///{path}", int(sys.argv[3]) if len(sys.argv) > 3 else 60)
        print(f"sample market written to {path}")
    elif len(sys.argv) >= 2 and sys.argv[1] == "live":
        for key, value in bench_live(int(sys.argv[2]) if len(sys.argv) > 2 else 3000).items():
            print(f"{key:24} {value}")
    else:
        for key, value in bench().items():
            print(f"{key:24} {value}")
