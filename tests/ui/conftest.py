"""UI test fixtures: a signed-in client on a fresh SQLite market, settings kept in tmp."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QLocale, QSettings, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.comm.simulator.market import MarketSimulator, SimConfig
from app.comm.types import ChannelKind, MeterKind, Protocol
from app.models.meter import Channel, Meter
from app.services.market.channels import sync_channels
from app.services.platform.timeutil import site_zone
from app.ui import ops
from app.ui.client import Client
from app.ui.comm.bridge import CommBridge
from app.ui.main import install_language
from app.ui.settings import options
from tests.builders import Market


@pytest.fixture(autouse=True)
def garbage_collected_on_the_gui_thread():
    """As in the client (ops.collect_garbage_on_gui_thread): a worker thread must never be
    the one that frees a widget caught in a reference cycle."""
    gc.disable()
    yield
    gc.collect()
    gc.enable()


@pytest.fixture(autouse=True)
def private_settings(qapp, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    qapp.setOrganizationName("MarketMeterTest")
    qapp.setApplicationName("MarketMeterTest")
    options.PRINT_AT_COUNTER.put(False)  # no printer on a test machine: PDF only
    yield


@pytest.fixture
def language(qapp):
    """Run the client in a language, as main() does from the setting; back to the default after."""
    before = QLocale()

    def use(lang: str) -> None:
        install_language(qapp, lang)

    yield use
    install_language(qapp, "en")  # drops the translators
    qapp.setProperty("mm_language", None)
    QLocale.setDefault(before)


@pytest.fixture
def runner(qapp, sqlite_db):
    r = ops.bind(sqlite_db)
    yield r
    r.shutdown()


@pytest.fixture
def market(sqlite_db) -> Market:
    return Market(sqlite_db)


@pytest.fixture
def make_client(runner, market, tmp_path, sqlite_db):
    def make(actor=None) -> Client:
        with sqlite_db.transaction() as s:
            timezone = site_zone(s, market.site_id).key
        return Client(
            runner=runner,
            actor=actor or market.admin,
            site_name="城南农贸市场",
            comm=CommBridge(),
            receipts_dir=tmp_path / "receipts",
            timezone=timezone,
        )

    return make


def add_meters(db, market: Market, n: int, *, kind=MeterKind.ELECTRIC, supply_on=True) -> list[int]:
    """n stalls with one meter each on one channel; returns the meter ids."""
    with db.transaction() as s:
        channel = s.scalar(select(Channel).where(Channel.site_id == market.site_id))
        if channel is None:
            channel = Channel(site_id=market.site_id, name="COM3", kind=ChannelKind.SERIAL)
            s.add(channel)
            s.flush()
        channel_id = channel.id
    ids = []
    for i in range(n):
        stall_id = market.a_stall(f"M{i:03d}", tenant=None)
        with db.transaction() as s:
            m = Meter(
                site_id=market.site_id,
                stall_id=stall_id,
                kind=kind,
                model="DDSY1352",
                protocol=Protocol.MODBUS_ACREL,
                address=str(i + 1),
                channel_id=channel_id,
                supply_on=supply_on,
            )
            s.add(m)
            s.flush()
            ids.append(m.id)
    return ids


def simulated_meters(db, market: Market, electric: int = 3):
    """A running meter simulator with `electric` Acrel meters on one bus, each bound to a
    stall of its own through the simulator's channel description; (simulator, meter ids)."""
    sim = MarketSimulator(
        SimConfig(
            electric=electric,
            water=0,
            seed=5,
            acrel_4g=0,
            dtus=0,
            gateways=0,
            meters_per_bus=electric,
            dlt645_share=0.0,
            poll_interval_s=1,
            timeout_s=0.5,
            speed=600.0,
        )
    ).start()
    configs = sim.channels()
    for n, endpoint in enumerate(configs[0].meters):
        stall_id = market.a_stall(f"L{n:03d}", tenant=None)
        with db.transaction() as s:
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
    with db.transaction() as s:
        sync_channels(s, market.admin, configs)
        meter_ids = s.scalars(
            select(Meter.id).where(Meter.site_id == market.site_id).order_by(Meter.id)
        ).all()
    return sim, meter_ids


def press_in_next_dialog(key) -> None:
    """Answer the modal dialog that is about to open with a key, as the clerk would."""

    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        QTest.keyClick(dialog.focusWidget() or dialog, key)

    QTimer.singleShot(0, answer)
