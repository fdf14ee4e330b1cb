"""`--collect`: the client's meter reading runs as `python -m app service` in a child
process; the comm monitor follows its frames, closing the window or the client ending
stops it, and a child that cannot run is reported to the clerk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.comm.simulator.market import MarketSimulator, SimConfig
from app.comm.types import MeterKind
from app.models.db import Database
from app.models.meter import Meter
from app.services.market.channels import sync_channels
from app.ui.main import start_collection
from app.ui.main_window import MainWindow
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[3]


def is_gone(pid: int) -> bool:
    """No such process, or only its exit status is left (a zombie nobody reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """The user data folder (app.models.db.user_data_dir) of this test, for the log file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "MarketMeter"


@pytest.fixture
def simulated_meters(sqlite_db, market):
    """Three Acrel meters on one simulated bus, bound to stalls and polled every second."""
    sim = MarketSimulator(
        SimConfig(
            electric=3,
            water=0,
            seed=5,
            acrel_4g=0,
            dtus=0,
            gateways=0,
            meters_per_bus=3,
            dlt645_share=0.0,
            poll_interval_s=1,
            timeout_s=0.5,
        )
    ).start()
    configs = sim.channels()
    for n, endpoint in enumerate(configs[0].meters):
        stall_id = market.a_stall(f"L{n:03d}", tenant=None)
        with sqlite_db.transaction() as s:
            s.add(
                Meter(
                    site_id=market.site_id,
                    stall_id=stall_id,
                    kind=MeterKind.ELECTRIC,
                    model="DDSY1352-NK",
                    protocol=endpoint.protocol,
                    profile=endpoint.profile,
                    address=endpoint.address,
                    supply_on=True,
                )
            )
    with sqlite_db.transaction() as s:
        sync_channels(s, market.admin, configs)
    yield sim
    sim.stop()


@pytest.fixture
def window(qtbot, make_client, language) -> MainWindow:
    """The main window, in English."""
    language("en")
    shown = MainWindow(make_client())
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_collection_runs_in_a_child_process_that_the_monitor_follows_and_closing_the_window_stops(
    qtbot, window, sqlite_db, market, simulated_meters, data_dir
):
    client = window.client
    start_collection(window, sqlite_db, client.comm)
    qtbot.waitUntil(lambda: client.comm.is_running, timeout=15_000)
    child = client.comm.service.process
    assert child.poll() is None and child.pid != os.getpid()

    view = window.show_view("comm")
    qtbot.waitUntil(lambda: view.is_loaded, timeout=10_000)
    assert (
        "background process" in view.state.text()
        and str(data_dir / "logs" / "collection.log") in view.state.text()
    )
    # Real frames of the child's poller, through its monitor endpoint.
    qtbot.waitUntil(
        lambda: any(r.direction == "rx" and "answers FC03" in r.meaning for r in view.frames.rows),
        timeout=10_000,
    )
    assert {r.meter for r in view.frames.rows} >= {"1", "2"}
    with sqlite_db.reading() as s:  # and what it read is stored by the child
        assert s.scalar(select(Meter.last_read_at).where(Meter.address == "1")) is not None

    window.close()  # what the clerk does: the child is told to stop and is gone
    assert child.poll() is not None
    assert is_gone(child.pid)
    assert "抄表服务已停止" in (data_dir / "logs" / "collection.log").read_text(encoding="utf-8")
    assert not client.comm.problem


def test_a_child_that_cannot_use_its_database_is_reported_to_the_clerk(
    qtbot, window, tmp_path, sqlite_db, market, data_dir
):
    client = window.client
    no_market = Database(f"sqlite:///{tmp_path / 'no-market.db'}")  # a database without a market
    no_market.upgrade()
    start_collection(window, no_market, client.comm)
    log_file = data_dir / "logs" / "collection.log"
    qtbot.waitUntil(lambda: bool(client.comm.problem), timeout=15_000)
    assert not client.comm.is_running
    message = window.statusBar().currentMessage()
    assert (
        message.startswith("Meter reading could not start")
        and "code 2" in message
        and str(log_file) in message
    )
    view = window.show_view("comm")
    qtbot.waitUntil(lambda: view.is_loaded, timeout=10_000)
    assert view.state.text() == message
    assert "数据库里还没有市场" in log_file.read_text(
        encoding="utf-8"
    )  # what the administrator finds there
    no_market.dispose()


def test_a_child_that_dies_later_is_reported_to_the_clerk(
    qtbot, window, tmp_path, sqlite_db, market, data_dir
):
    client = window.client
    start_collection(window, sqlite_db, client.comm)
    qtbot.waitUntil(lambda: client.comm.is_running, timeout=15_000)
    client.comm.service.process.kill()
    qtbot.waitUntil(lambda: bool(client.comm.problem), timeout=10_000)
    assert not client.comm.is_running
    assert window.statusBar().currentMessage().startswith("Meter reading has stopped")
    assert str(data_dir / "logs" / "collection.log") in client.comm.problem


def test_the_child_stops_when_its_client_dies(sqlite_db, market, tmp_path):
    """A client that ends without closing anything (killed, crashed): the system closes its
    end of the child's input, and the child stops by itself."""
    log_file = tmp_path / "c.log"
    parent = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, pathlib; from app.ui.comm.service_process import ServiceProcess; "
            f"s = ServiceProcess({sqlite_db.url!r}, log_file=pathlib.Path({str(log_file)!r})); "
            "s.start(); "
            "print(s.pid, flush=True); os._exit(9)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert parent.returncode == 9, parent.stderr
    pid = int(parent.stdout)
    wait_until(lambda: is_gone(pid), timeout_s=10)
    assert is_gone(pid)
    assert "抄表服务已停止" in log_file.read_text(encoding="utf-8")
