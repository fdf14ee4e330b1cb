"""Desktop client timings, and a sample market for looking at the views.

    python bench/ui.py bench                   # meters view: open 20,000 rows, filter, GUI stalls
    python bench/ui.py live [SCALE [CYCLES]]   # the same under real collection cycles (default 1.0,
    2)
    python bench/ui.py sample FILE.db          # a market with readings, recharges and bills

Targets (issue): open <= 1 s, filter <= 100 ms, no GUI-thread stall > 100 ms while a
background collection runs; a meter's row changes when the comm thread reads it or a
command completes, without a manual refresh.

`live` is the issue's market times SCALE, as bench/collect.py runs it: 6,000 Acrel meters
on 200 serial-server buses at 9600 baud, 4,000 Acrel 4G meters dialling in and 10,000 NB
water meters pushing through the CTWing double, the simulator in its own process; a market
database whose 20,000 meters sit on those channels; the client's main window on the meters
view and its `--collect` start: `python -m app service` as the client's child process
(readings → settlement / control through its sink), polling every meter once an interval.
After one interval for the 4G meters to dial in, CYCLES intervals run while the NB meters
push and a 5 ms heartbeat on the GUI thread records its gaps (the first reading of a meter
is its baseline, the second one charges). Then the simulator stops and the bench follows
how many of the last interval's readings are stored (the child's sink backlog) and how
many rows show what is stored, until all do or a minute has passed (rows follow the
child's writes only through a change feed; without one they stay as first loaded).
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import threading
import time
from collections.abc import Callable
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
    from app.services.market import readings, stalls
    from app.services.money import accounts, tariffs
    from app.services.money.accounts import RechargeRequest
    from app.services.money.tariffs import TariffSpec
    from app.services.platform import users
    from app.services.platform.context import Actor

    rnd = random.Random(7)
    db = Database(url)
    db.upgrade()
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
    given = "建国秀英伟芳军敏静丽强磊洋艳勇杰娟涛明超霞平刚"
    goods = [
        "蔬菜",
        "水果",
        "猪肉",
        "牛羊肉",
        "水产",
        "禽蛋",
        "豆制品",
        "干货",
        "粮油",
        "调料",
        "熟食",
        "面点",
    ]
    with db.transaction() as s:
        site = stalls.create_site(
            s, "CN01", "城南农贸市场", address="城南路 88 号", phone="0571-88886666"
        )
        admin_row = users.ensure_admin(s, site.id, "admin", "admin123")
        admin = Actor(admin_row.id, "admin", Role.ADMIN, site.id)
        users.add_user(s, admin, "xiaoli", "xiaoli123", Role.CASHIER, "小李")
        users.add_user(s, admin, "caiwu", "caiwu123", Role.REVIEWER, "财务老周")
        users.add_user(s, admin, "guest", "guest123", Role.VIEWER, "访客")
        site_row = s.get(Site, site.id)
        site_row.friendly_night_start, site_row.friendly_night_end = (
            datetime(2000, 1, 1, 22).time(),
            datetime(2000, 1, 1, 6).time(),
        )
        e_tariff = tariffs.create_tariff(
            s,
            admin,
            TariffSpec(
                "商业用电（分时）",
                MeterKind.ELECTRIC,
                TariffMode.TOU,
                Decimal("0.9000"),
                {
                    1: Decimal("1.3500"),
                    2: Decimal("1.1000"),
                    3: Decimal("0.9000"),
                    4: Decimal("0.4500"),
                },
                [(0, 4), (8, 2), (11 * 60, 1), (13 * 60, 3), (19 * 60, 2), (22 * 60, 4)],
            ),
        )
        tariffs.create_tariff(
            s,
            admin,
            TariffSpec("商业用电（平价）", MeterKind.ELECTRIC, TariffMode.FLAT, Decimal("0.9500")),
        )
        w_tariff = tariffs.create_tariff(
            s,
            admin,
            TariffSpec(
                "商业用水（阶梯）",
                MeterKind.WATER,
                TariffMode.TIERED,
                Decimal("4.1000"),
                tiers=[(Decimal(20), Decimal("4.1000")), (None, Decimal("6.1500"))],
            ),
        )
        s.add_all(
            [
                ChargeItem(
                    site_id=site.id,
                    name="物业管理费",
                    method=ChargeMethod.PER_M2,
                    price=Decimal("3.5000"),
                    unit_name="m²",
                ),
                ChargeItem(
                    site_id=site.id,
                    name="卫生费",
                    method=ChargeMethod.FIXED_MONTH,
                    price=Decimal("50.0000"),
                ),
                ChargeItem(
                    site_id=site.id,
                    name="垃圾清运",
                    method=ChargeMethod.PER_UNIT,
                    price=Decimal("15.0000"),
                    unit_name="桶",
                ),
            ]
        )
        buildings = [
            stalls.create_building(s, admin, n)
            for n in ("A区 蔬菜区", "B区 肉禽区", "C区 水产区", "D区 干货区")
        ]
        channels = []
        for i, b in enumerate(buildings):
            ch = Channel(
                site_id=site.id,
                name=f"{b.name[:2]}RS485-COM{i + 3}",
                kind=ChannelKind.SERIAL,
                settings={"port": f"COM{i + 3}", "baud": 9600, "parity": "E"},
                poll_interval_s=1800,
                is_connected=i != 3,
                status_detail="" if i != 3 else "串口 COM6 打不开：设备不存在",
            )
            s.add(ch)
            channels.append(ch)
        s.add(
            Channel(
                site_id=site.id,
                name="4G 水表平台",
                kind=ChannelKind.CTWING,
                poll_interval_s=3600,
                is_connected=True,
            )
        )
        s.flush()
        meter_specs = []
        for bi, b in enumerate(buildings):
            for n in range(1, stalls_per_building + 1):
                code = f"{'ABCD'[bi]}{n:03d}"
                name = f"{rnd.choice(goods)}{rnd.choice(['批发', '零售', '直销', ''])}"
                st = stalls.create_stall(
                    s, admin, b.id, code, name, area_m2=Decimal(rnd.choice([6, 8, 10, 12, 16]))
                )
                person = stalls.create_customer(
                    s,
                    admin,
                    rnd.choice(surnames) + rnd.choice(given) + rnd.choice(given + " ").strip(),
                    f"13{rnd.randint(100000000, 999999999)}",
                )
                stalls.set_stall_role(s, admin, st.id, "tenant", person.id)
                for kind, addr in (
                    (MeterKind.ELECTRIC, str(bi * stalls_per_building + n)),
                    (MeterKind.WATER, f"{bi + 1}{n:04d}"),
                ):
                    m = Meter(
                        site_id=site.id,
                        stall_id=st.id,
                        kind=kind,
                        model="DDSY1352" if kind == MeterKind.ELECTRIC else "LXSY",
                        protocol=Protocol.MODBUS_ACREL,
                        channel_id=channels[bi].id,
                        address=addr,
                        tariff_id=e_tariff.id if kind == MeterKind.ELECTRIC else w_tariff.id,
                        supply_on=True,
                        comm_status=CommStatus.ONLINE,
                    )
                    s.add(m)
                    meter_specs.append((m, bi, st.id))
        s.flush()
        specs = [
            (m.id, m.kind, m.channel_id, m.address, bi, stall_id) for m, bi, stall_id in meter_specs
        ]
    # 40 days of daily readings through the readings service.
    today = datetime.now(UTC).replace(hour=2, minute=0, second=0, microsecond=0)
    totals = {mid: rnd.randint(1000, 500000) for mid, *_ in specs}
    for day in range(40, -1, -1):
        batch = []
        at = today - timedelta(days=day)
        for mid, kind, channel_id, address, bi, _stall in specs:
            if bi == 3 and day == 0:
                continue  # D区's line is down today
            totals[mid] += (
                rnd.randint(200, 2500) if kind == MeterKind.ELECTRIC else rnd.randint(50, 900)
            )
            batch.append(
                MeterReading(
                    channel_id,
                    address,
                    kind,
                    at,
                    totals[mid],
                    relay_closed=True if kind == MeterKind.ELECTRIC else None,
                    valve_open=True if kind == MeterKind.WATER else None,
                    power_kw=round(rnd.uniform(0.1, 6), 3) if kind == MeterKind.ELECTRIC else None,
                )
            )
        with db.transaction() as s:
            readings.ingest(s, batch, now=at)
    with db.transaction() as s:
        # Some money, some trouble.
        for _mid, _kind, _channel_id, _address, _bi, stall_id in specs[::2]:
            if rnd.random() < 0.8:
                accounts.recharge(
                    s,
                    admin,
                    RechargeRequest(
                        stall_id=stall_id,
                        amount=Decimal(rnd.choice([50, 100, 200, 300, 500])),
                        method=rnd.choice(list(PayMethod)[:4]),
                    ),
                )
        for m in s.scalars(select(Meter).where(Meter.site_id == site.id)):
            if m.channel_id == channels[3].id:
                m.comm_status, m.comm_failures, m.comm_error = (
                    CommStatus.OFFLINE,
                    3,
                    "串口 COM6 打不开：设备不存在",
                )
            elif rnd.random() < 0.03:
                m.comm_status, m.comm_failures, m.comm_error = (
                    CommStatus.OFFLINE,
                    3,
                    "表计无应答（已重试 2 次）",
                )
            if rnd.random() < 0.06:
                m.supply_on = False
            if rnd.random() < 0.02:
                m.control_mode = ControlMode.FORCED_ON
        account_of = dict(
            s.execute(
                select(
                    __import__("app.models.account", fromlist=["Account"]).Account.stall_id,
                    __import__("app.models.account", fromlist=["Account"]).Account.id,
                )
            ).all()
        )
        month_start = datetime(today.year, today.month, 1, tzinfo=UTC)
        for i, (_mid, _kind, _channel_id, _address, _bi, stall_id) in enumerate(specs[:160]):
            s.add(
                Bill(
                    site_id=site.id,
                    stall_id=stall_id,
                    account_id=account_of[stall_id],
                    kind=[
                        BillKind.ELECTRIC,
                        BillKind.WATER,
                        BillKind.PROPERTY,
                        BillKind.SHARED_ELECTRIC,
                    ][i % 4],
                    period_start=month_start - timedelta(days=30),
                    period_end=month_start,
                    amount=Decimal(rnd.randint(2000, 40000)) / 100,
                    status=BillStatus.UNPROCESSED if i % 3 else BillStatus.SETTLED,
                    dedupe_key=f"sample:{i}",
                    issued_at=None if i % 3 else month_start + timedelta(hours=2),
                )
            )
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
    from tests.ui.tables.test_meter_status_table import many_rows

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
            q.put(
                MeterStatus(
                    r.channel_id,
                    r.address,
                    online=r.comm != "online",
                    failures=1,
                    last_seen=None,
                    error="",
                )
            )
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
    """A market on the simulator's lines (`configs`: the manifest's channels): one stall per
    electricity meter, each also with one of the NB water meters while they last; every
    other stall prepaid 100 yuan, the rest at 0 so that their meters trip once they use
    power. Stalls, accounts, recharges and meters go in as bulk inserts (seconds for
    20,000 meters; the services would take minutes)."""
    from sqlalchemy import insert, select

    from app.comm.types import ChannelKind, MeterKind
    from app.models.account import Account, EntryKind, LedgerEntry, PayMethod
    from app.models.db import Database
    from app.models.meter import Meter
    from app.models.site import Stall
    from app.models.tariff import TariffMode
    from app.models.user import Role
    from app.services.market import stalls
    from app.services.market.channels import sync_channels
    from app.services.money import tariffs
    from app.services.money.tariffs import TariffSpec
    from app.services.platform import users
    from app.services.platform.context import Actor

    db = Database(url)
    db.upgrade()
    with db.transaction() as s:
        site = stalls.create_site(s, "BENCH", "压测市场")
        admin_row = users.ensure_admin(s, site.id, "admin", "admin123")
        admin = Actor(admin_row.id, "admin", Role.ADMIN, site.id)
        power = tariffs.create_tariff(
            s, admin, TariffSpec("商业电价", MeterKind.ELECTRIC, TariffMode.FLAT, Decimal("0.8500"))
        )
        water = tariffs.create_tariff(
            s, admin, TariffSpec("商业水价", MeterKind.WATER, TariffMode.FLAT, Decimal("4.1000"))
        )
        building = stalls.create_building(s, admin, "A区")
        channel_ids = sync_channels(s, admin, configs)
        electric = [
            (channel_ids[c.id], m)
            for c in configs
            if c.kind is not ChannelKind.CTWING
            for m in c.meters
        ]
        nb = [
            (channel_ids[c.id], m)
            for c in configs
            if c.kind is ChannelKind.CTWING
            for m in c.meters
        ]
        n_stalls = max(len(electric), len(nb))
        s.execute(
            insert(Stall),
            [
                {
                    "site_id": site.id,
                    "building_id": building.id,
                    "code": f"A{n:05d}",
                    "name": f"摊位{n}",
                }
                for n in range(1, n_stalls + 1)
            ],
        )
        stall_ids = s.scalars(
            select(Stall.id).where(Stall.site_id == site.id).order_by(Stall.code)
        ).all()
        s.execute(
            insert(Account),
            [
                {"stall_id": sid, "balance": Decimal(100) if i % 2 == 0 else Decimal(0)}
                for i, sid in enumerate(stall_ids)
            ],
        )
        account_of = dict(s.execute(select(Account.stall_id, Account.id)).all())
        s.execute(
            insert(LedgerEntry),
            [
                {
                    "account_id": account_of[sid],
                    "kind": EntryKind.RECHARGE,
                    "amount": Decimal(100),
                    "balance_after": Decimal(100),
                    "method": PayMethod.CASH,
                    "operator_id": admin.user_id,
                }
                for sid in stall_ids[::2]
            ],
        )
        meters = []
        for meters_of_kind, tariff in ((electric, power), (nb, water)):
            for stall_id, (channel_id, m) in zip(stall_ids, meters_of_kind, strict=False):
                meters.append(
                    {
                        "site_id": site.id,
                        "stall_id": stall_id,
                        "kind": m.kind,
                        "model": "DDSY1352" if m.kind is MeterKind.ELECTRIC else "NB-WATER",
                        "protocol": m.protocol,
                        "profile": m.profile,
                        "channel_id": channel_id,
                        "address": m.address,
                        "tariff_id": tariff.id,
                        "supply_on": True,
                    }
                )
        s.execute(insert(Meter), meters)
    db.dispose()


def _busy_ms(gaps: list[float]) -> list[float]:
    return sorted(g - 5 for g in gaps)


def _thread_cpu_s() -> dict[str, float]:
    """CPU seconds of this process's Python threads by name (Linux /proc), to see who works."""
    import threading

    ticks = os.sysconf("SC_CLK_TCK")
    by_name: dict[str, float] = {}
    for thread in threading.enumerate():
        try:
            fields = (
                Path(f"/proc/self/task/{thread.native_id}/stat")
                .read_text()
                .rsplit(")", 1)[1]
                .split()
            )
        except OSError:
            continue
        name = thread.name.split("_")[0].rstrip("0123456789-")  # pool workers together
        by_name[name] = by_name.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return by_name


def _client_memory() -> tuple[float, int]:
    """This process's RSS (MB) and Python's allocated blocks, as they are: a collection forced
    here would stall the GUI thread the heartbeat measures (the client collects on its own)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf(
            "SC_PAGE_SIZE"
        ) / 2**20, sys.getallocatedblocks()


def _process_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _process_cpu_s(pid: int) -> float:
    """CPU seconds of another process (Linux /proc), e.g. the collection service."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch_gc() -> tuple[list[tuple[int, float]], Callable[[], None]]:
    """(generation, ms) of every garbage collection from now on, and a function to stop."""
    import gc

    times: list[tuple[int, float]] = []
    started = [0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            times.append((info["generation"], (time.perf_counter() - started[0]) * 1000))

    gc.callbacks.append(callback)
    return times, lambda: gc.callbacks.remove(callback)


def bench_live(
    scale: float = 1.0, *, cycles: int = 2, lag_cap_s: float = 60.0
) -> dict[str, object]:
    """The issue's market times `scale`: 6,000 Acrel meters on serial-server buses (30 a bus,
    9600 baud), 4,000 Acrel 4G meters dialling in, 10,000 NB water meters pushing through
    the CTWing double; the client's window on the meters view and its `--collect` start."""
    import resource
    import tempfile
    import threading
    from dataclasses import replace

    from app.comm.simulator.manifest import load_manifest
    from app.comm.types import ChannelKind
    from app.models.db import Database
    from app.services.market.meters import meter_rows
    from app.ui import ops
    from app.ui.client import Client
    from app.ui.comm.bridge import CommBridge
    from app.ui.comm.follower import ChangeFollower
    from app.ui.main import make_app, sign_in, start_collection
    from app.ui.main_window import MainWindow
    from bench.collect import start_simulator, stop_simulator

    n_bus, n_4g, n_water = int(6000 * scale), int(4000 * scale), int(10000 * scale)
    meters_per_bus, baud = 30, 9600
    cycle_estimate_s = meters_per_bus * (8 + 101 + 8 + 61) * 10 / baud * 1.5
    poll_interval_s = (
        int(cycle_estimate_s * 1.5) + 1
    )  # the child's schedule: one poll of every meter
    # Each NB meter wakes once per interval at its own phase, so any stretch of that length
    # (the cycles) holds one push of every meter; pushes before the client listens are lost.
    report_interval_s = max(20.0, poll_interval_s * cycles)
    app = make_app()  # as the client: Python's garbage collected on the GUI thread
    app.setOrganizationName("MarketMeterBench")
    sim, manifest, _log = start_simulator(
        n_bus,
        n_4g,
        n_water,
        meters_per_bus=meters_per_bus,
        baud=baud,
        report_interval_s=report_interval_s,
        extra=("--poll-interval", "0"),
    )  # no scheduled polls: the bench's cycles
    result: dict[str, object] = {
        "meters": n_bus + n_4g + n_water,
        "bus_meters": n_bus,
        "acrel_4g": n_4g,
        "nb_water": n_water,
    }
    try:
        configs = [
            replace(
                c, poll_interval_s=0 if c.kind is ChannelKind.CTWING else poll_interval_s, retries=1
            )
            for c in load_manifest(manifest)
        ]
        path = Path(tempfile.mkdtemp(prefix="mm-uibench-")) / "market.db"
        t0 = time.perf_counter()
        build_bench_market(f"sqlite:///{path}", configs)
        print(f"market database {path} built in {time.perf_counter() - t0:.1f} s", flush=True)

        db = Database(f"sqlite:///{path}")
        runner = ops.bind(db)
        actor, site_name, timezone = sign_in(db, automatic=True)
        bridge = CommBridge()
        window = MainWindow(
            Client(
                runner=runner,
                actor=actor,
                site_name=site_name,
                comm=bridge,
                is_demo=False,
                timezone=timezone,
            )
        )
        follower = ChangeFollower(db, actor.site_id, bridge).start()  # as run_client starts it
        window.resize(1400, 900)
        window.show()
        app.processEvents()

        t0 = time.perf_counter()
        view = window.show_view("meters")
        deadline = time.perf_counter() + 60
        while not view.is_loaded and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        view.table.view.viewport().repaint()
        result["open_s"] = round(time.perf_counter() - t0, 3)
        result["rows"] = view.model.rowCount()
        while (
            view.table._indexer.isActive()
        ):  # the clerk looks at the list for a moment before typing
            app.processEvents()
        t0 = time.perf_counter()
        view.table.filter_edit.setText(f"A{view.model.rowCount() // 3:05d}")
        app.processEvents()
        result["filter_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        result["filter_rows_shown"] = view.table.proxy.rowCount()
        view.table.filter_edit.setText("")
        app.processEvents()

        os.environ["XDG_DATA_HOME"] = os.environ["LOCALAPPDATA"] = str(
            path.parent
        )  # the child's log, not the user's
        t0 = time.perf_counter()
        start_collection(window, db, bridge)  # what `python -m app --collect` does: a child process
        while not bridge.is_running and not bridge.problem and time.perf_counter() - t0 < 300:
            app.processEvents()
            time.sleep(0.005)
        if not bridge.is_running:
            raise SystemExit(f"collection did not start: {bridge.problem or 'not within 300 s'}")
        result["service_start_s"] = round(time.perf_counter() - t0, 1)
        service_pid = bridge.service.pid
        print(
            f"collection service process {service_pid} running after {result['service_start_s']} "
            "s, "
            f"log {bridge.service.log_file}",
            flush=True,
        )
        polled = {
            view.model.endpoint_of[(m.channel_id, m.address)]
            for c in _stored_configs(db, actor.site_id)
            if c.kind is not ChannelKind.CTWING
            for m in c.meters
        }

        def stored_now() -> dict[int, tuple]:
            with db.reading() as s:
                return {r.id: (r.last_read_at, r.total) for r in meter_rows(s, actor.site_id)}

        def in_background(fn):
            """fn() on a plain thread while the GUI thread keeps turning (the DB read must not
            stall the window the bench measures)."""
            out: list = []
            worker = threading.Thread(target=lambda: out.append(fn()))
            worker.start()
            while worker.is_alive():
                app.processEvents()
                time.sleep(0.002)
            return out[0]

        def turn_until(t_end: float) -> None:
            while time.perf_counter() < t_end:
                app.processEvents()
                time.sleep(0.001)

        def read_since(at: datetime) -> int:
            """Polled meters with a reading stored at or after `at` (to the second, as stored)."""
            at = at.replace(microsecond=0)
            stored = in_background(stored_now)
            return sum(1 for mid in polled if stored[mid][0] is not None and stored[mid][0] >= at)

        # The child polls on its own schedule (one poll of every meter each interval, the
        # first at its start): the first interval lets the 4G meters dial in, then the
        # heartbeat covers CYCLES intervals.
        turn_until(t0 + result["service_start_s"] + poll_interval_s)
        cpu0, gui_cpu0, threads0 = (
            resource.getrusage(resource.RUSAGE_SELF),
            time.thread_time(),
            _thread_cpu_s(),
        )
        service_cpu0 = _process_cpu_s(service_pid)
        wall0 = time.perf_counter()
        heartbeat, gaps = start_heartbeat()
        collections, stop_watching_gc = watch_gc()
        marks = [datetime.now(UTC)]
        # (cycle, client RSS MB, client allocated blocks, service RSS MB): a client that follows
        memory = []
        for i in range(1, cycles + 1):  # a running market for hours must stay level
            turn_until(wall0 + i * poll_interval_s)
            marks.append(datetime.now(UTC))
            memory.append((i, *_client_memory(), _process_rss_mb(service_pid)))
            print(
                f"cycle {i}: client rss {memory[-1][1]:.1f} MB, blocks {memory[-1][2]:,}; "
                f"service rss {memory[-1][3]:.1f} MB",
                flush=True,
            )
        heartbeat.stop()
        stop_watching_gc()
        for i in range(1, cycles + 1):
            result[f"cycle{i}_stored"] = (
                f"{read_since(marks[i - 1])}/{len(polled)} polled meters read in the interval"
            )
            print(f"cycle {i}: {result[f'cycle{i}_stored']}", flush=True)
        result["memory_by_cycle"] = "; ".join(
            f"{i}: {rss:.0f} MB {blocks:,} blocks, service {srss:.0f} MB"
            for i, rss, blocks, srss in memory
        )
        half = memory[len(memory) // 2]
        result["memory_second_half"] = (
            f"client {memory[-1][1] - half[1]:+.1f} MB, {memory[-1][2] - half[2]:+,} blocks; "
            f"service {memory[-1][3] - half[3]:+.1f} MB (cycle {half[0]} to {memory[-1][0]})"
        )
        result["gc_collections"] = ", ".join(
            f"gen {g}: {len(ms)} × ≤{max(ms):.0f} ms = {sum(ms) / 1000:.1f} s"
            for g in (0, 1, 2)
            if (ms := [t for gen, t in collections if gen == g])
        )
        t0 = time.perf_counter()
        water_read = 0
        while n_water and time.perf_counter() - t0 < report_interval_s:
            stored = in_background(stored_now)
            # any reading: the database is new (a push may carry a time from before the cycles)
            water_read = sum(
                1 for r in view.model.rows if r.kind == "water" and stored[r.id][0] is not None
            )
            if water_read >= n_water:
                break
        result["nb_stored"] = (
            f"{water_read}/{n_water} ({time.perf_counter() - t0:.1f} s after the last cycle)"
        )
        from collections import Counter

        from app.comm.monitor import MonitorClient

        # the child's error log, as the comm monitor reads it
        errors = Counter(
            e.message[:80] for e in MonitorClient(bridge.service.monitor_port).errors_since(0)[1]
        )
        result["comm_errors"] = f"{sum(errors.values())} {dict(errors.most_common(3))}"
        cpu1, gui_cpu1, threads1 = (
            resource.getrusage(resource.RUSAGE_SELF),
            time.thread_time(),
            _thread_cpu_s(),
        )
        service_cpu = _process_cpu_s(service_pid) - service_cpu0
        wall = time.perf_counter() - wall0
        stop_simulator(sim)  # nothing new arrives: what is stored is what the rows must show

        # Live lag: how long until what the child read in the last interval is stored (the
        # sink's backlog) and every row shows what is stored (the window's part: it moves
        # only with a change feed from the child's database writes).
        last_interval = marks[-2].replace(microsecond=0)
        t0 = time.perf_counter()
        samples: list[
            tuple[float, int, int]
        ] = []  # (s after the cycles, readings stored, rows live)
        while True:
            stored = in_background(stored_now)
            n_stored = sum(
                1
                for mid in polled
                if stored[mid][0] is not None and stored[mid][0] >= last_interval
            )
            live = sum(1 for r in view.model.rows if stored.get(r.id) == (r.last_read_at, r.total))
            samples.append((time.perf_counter() - t0, n_stored, live))
            if live == len(view.model.rows) or samples[-1][0] > lag_cap_s:
                break
            turn_until(time.perf_counter() + 0.25)
        with_reading = sum(1 for at, _t in stored.values() if at is not None)
        tripped = sum(1 for r in view.model.rows if r.supply_on is False)
        follower.stop()
        bridge.stop()
        window.close()
        runner.shutdown()
        db.dispose()
    finally:
        if "follower" in locals():
            follower.stop()
        if "bridge" in locals():
            bridge.stop()  # the collection process, also when the bench failed
        stop_simulator(sim)
        if "path" in locals():
            shutil.rmtree(path.parent, ignore_errors=True)
    busy = _busy_ms(gaps)

    def stored_at(t_s: float):
        return next((st for t, st, _l in samples if t >= t_s), samples[-1][1])

    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    top = sorted(((threads1.get(k, 0) - threads0.get(k, 0), k) for k in threads1), reverse=True)[:5]
    result.update(
        {
            "meters_with_a_reading": with_reading,
            "rows_tripped": tripped,
            "heartbeats": len(gaps),
            "gui_stall_max_ms": round(busy[-1], 1) if busy else 0.0,
            "gui_stall_p99_ms": round(busy[int(len(busy) * 0.99)], 1) if busy else 0.0,
            "gui_stalls_over_50ms": sum(1 for b in busy if b > 50),
            "gui_stalls_over_100ms": sum(1 for b in busy if b > 100),
            "last_interval_stored_at_1s": f"{stored_at(1.0)}/{len(polled)}",
            "last_interval_stored_at_5s": f"{stored_at(5.0)}/{len(polled)}",
            "rows_live_at_1s": next((lv for t, _s, lv in samples if t >= 1.0), samples[-1][2]),
            "rows_live_at_5s": next((lv for t, _s, lv in samples if t >= 5.0), samples[-1][2]),
            "all_rows_live_after_s": round(samples[-1][0], 1)
            if samples[-1][2] == result["rows"]
            else f"not within {lag_cap_s:.0f} s ({samples[-1][2]} live, "
            f"{samples[-1][1]}/{len(polled)} stored)",
            "client_cpu": f"{cpu:.1f} s in {wall:.1f} s ({cpu / wall:.0%} of one core), GUI "
            f"thread {gui_cpu1 - gui_cpu0:.1f} s",
            "service_cpu": f"{service_cpu:.1f} s in {wall:.1f} s ({service_cpu / wall:.0%} of one "
            "core), the child process",
            "busiest_threads": ", ".join(f"{name} {s:.1f} s" for s, name in top),
            "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        }
    )
    return result


def _stored_configs(db, site_id: int):
    """Every channel of the market with its meters as the collection service reads them."""
    from app.services.market.collection import channel_configs

    with db.reading() as s:
        return channel_configs(s, site_id)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "sample":
        path = Path(sys.argv[2]).resolve()
        if path.exists():
            path.unlink()
        build_sample_market(f"sqlite:///{path}", int(sys.argv[3]) if len(sys.argv) > 3 else 60)
        print(f"sample market written to {path}")
    elif len(sys.argv) >= 2 and sys.argv[1] == "live":
        print("load average before:", " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
        for key, value in bench_live(
            float(sys.argv[2]) if len(sys.argv) > 2 else 1.0,
            cycles=int(sys.argv[3]) if len(sys.argv) > 3 else 2,
        ).items():
            print(f"{key:28} {value}")
    else:
        for key, value in bench().items():
            print(f"{key:28} {value}")
