"""A property office installs MarketMeter and opens it on an empty database: the setup
wizard takes it to the main window, a step skipped stays on the overview's checklist, and a
setup stopped half-way starts again where it stopped."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from app.comm.simulator.market import MarketSimulator, SimConfig
from app.comm.types import ChannelKind, MeterKind
from app.models.site import Building, SettlementCycle, Site
from app.models.tariff import Tariff, TariffMode
from app.models.user import AuditEvent, User
from app.services.market.setup import first_run, setup_progress
from app.ui.login_dialog import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.setup.setup_wizard import (
    ADMIN,
    BUILDINGS,
    CONTROL,
    LINES,
    MARKET,
    PRICES,
    STALLS,
    SetupWizard,
)

SHOTS = os.environ.get("MM_SETUP_SHOTS")  # a folder: save a picture of every page there


def shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def simulator():
    sim = MarketSimulator(
        SimConfig(
            electric=2, water=0, seed=5, acrel_4g=0, dtus=0, gateways=0, meters_per_bus=2,
            dlt645_share=0.0, poll_interval_s=1, timeout_s=0.5, speed=600.0,
        )
    ).start()  # fmt: skip
    yield sim
    sim.stop()


def next_step(qtbot, wizard: SetupWizard, expected: int) -> None:
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == expected, timeout=15000)


def error_of(wizard: SetupWizard, page: int) -> str:
    error = wizard.page(page).error
    return error.text() if error.isVisible() else ""


def test_an_empty_database_is_set_up_in_the_wizard_and_opens_the_main_window(
    qtbot, runner, sqlite_db, language, simulator
):
    language("zh_CN")
    with sqlite_db.transaction() as s:
        assert first_run(s).needs_setup and first_run(s).site is None
    wizard = SetupWizard(runner)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == MARKET

    # 1 market: nothing typed is said, and nothing is written
    wizard.next()
    qtbot.waitUntil(lambda: bool(error_of(wizard, MARKET)), timeout=15000)
    assert "市场名称" in error_of(wizard, MARKET) and wizard.currentId() == MARKET
    market = wizard.page(MARKET)
    market.name.setText("东门农贸市场")
    market.address.setText("东门路 18 号")
    market.phone.setText("0571-88886666")
    market.header.setPlainText("物业办公室 8:00–18:00")
    market.footer.setPlainText("请妥善保管收据")
    assert market.timezone.currentText() == "Asia/Shanghai"
    shot(wizard, "1_market")
    next_step(qtbot, wizard, ADMIN)

    # 2 administrator: a password of digits only, then two that differ, are refused
    admin = wizard.page(ADMIN)
    admin.username.setText("wang")
    admin.display_name.setText("王经理")
    admin.password.setText("12345678")
    admin.again.setText("12345678")
    wizard.next()
    qtbot.waitUntil(lambda: "纯数字" in error_of(wizard, ADMIN), timeout=15000)
    admin.password.setText("dongmen-2026")
    admin.again.setText("dongmen-2025")
    wizard.next()
    qtbot.waitUntil(lambda: "两次" in error_of(wizard, ADMIN), timeout=15000)
    admin.again.setText("dongmen-2026")
    shot(wizard, "2_admin")
    next_step(qtbot, wizard, PRICES)
    assert wizard.client.actor.username == "wang"

    # 3 prices
    prices = wizard.page(PRICES)
    prices.electricity.setText("1.20")
    prices.water.setText("4.5")
    shot(wizard, "3_prices")
    next_step(qtbot, wizard, BUILDINGS)

    # 4 buildings: the settings page of buildings, typed one by one
    buildings = wizard.page(BUILDINGS).widget
    buildings.edit(None)
    buildings.dialog.name.setText("一号楼")
    buildings.dialog.save()
    qtbot.waitUntil(lambda: len(buildings.model.rows) == 1, timeout=15000)
    shot(wizard, "4_buildings")
    next_step(qtbot, wizard, LINES)

    # 5 meter lines: a serial server, tested against the simulated meters over TCP
    lines = wizard.page(LINES).widget
    sim_line = simulator.channels()[0]
    lines.edit(None)
    dialog = lines.dialog
    dialog.name.setText("1号485")
    dialog.kind.setCurrentIndex(dialog.kind.findData(ChannelKind.SERIAL_SERVER.value))
    dialog.host.setText(sim_line.settings["host"])
    dialog.tcp_port.setText(str(sim_line.settings["port"]))
    dialog.save()
    qtbot.waitUntil(lambda: len(lines.model.rows) == 1, timeout=15000)
    lines.test(lines.model.rows[0])
    tester = lines.dialog
    tester.address.setText("1")
    tester.read()
    qtbot.waitUntil(lambda: "kWh" in tester.result.text(), timeout=30000)
    assert "电压" in tester.result.text()
    shot(tester, "5b_line_test_read")
    tester.address.setText("99")  # no meter there: the comm monitor's words say why
    tester.read()
    qtbot.waitUntil(lambda: "未读到" in tester.result.text(), timeout=30000)
    assert "kWh" not in tester.result.text()
    shot(tester, "5c_line_test_error")
    tester.close()
    shot(wizard, "5_lines")
    next_step(qtbot, wizard, STALLS)

    # 6 stalls: skipped; 7 control defaults: finished without saving (skipped as well)
    shot(wizard, "6_stalls")
    wizard.skip()
    qtbot.waitUntil(lambda: wizard.currentId() == CONTROL, timeout=15000)
    qtbot.waitUntil(lambda: wizard.page(CONTROL).widget.save_period.isEnabled(), timeout=15000)
    shot(wizard, "7_control")
    assert not wizard.button(QWizard.WizardButton.CustomButton1).isVisible()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=15000)

    with sqlite_db.transaction() as s:
        site = s.scalar(select(Site))
        assert (site.name, site.phone, site.timezone) == (
            "东门农贸市场",
            "0571-88886666",
            "Asia/Shanghai",
        )
        assert site.receipt_header == "物业办公室 8:00–18:00"
        assert {(t.kind, t.mode, t.price) for t in s.scalars(select(Tariff))} == {
            (MeterKind.ELECTRIC, TariffMode.FLAT, Decimal("1.20")),
            (MeterKind.WATER, TariffMode.FLAT, Decimal("4.50")),
        }
        building = s.scalar(select(Building))
        assert (building.name, building.settlement_cycle) == ("一号楼", SettlementCycle.DAILY)
        assert s.scalar(select(User.display_name)) == "王经理"
        assert {e.action for e in s.scalars(select(AuditEvent))} >= {
            "site.create", "user.create", "tariff.create", "building.create", "channel.create",
        }  # fmt: skip
        progress = setup_progress(s, site.id)
        assert not first_run(s).needs_setup
    assert progress.done == 5 and progress.next_step.key == "stalls"

    # then the normal sign-in, and the main window with the steps still to do
    login = LoginDialog(site.name)
    qtbot.addWidget(login)
    login.username.setText("wang")
    login.password.setText("dongmen-2026")
    login.try_login()
    qtbot.waitUntil(lambda: login.actor is not None, timeout=15000)
    from app.ui.client import Client
    from app.ui.comm.bridge import CommBridge

    client = Client(
        runner=runner, actor=login.actor, site_name=site.name, comm=CommBridge(),
        timezone=site.timezone,
    )  # fmt: skip
    window = MainWindow(client)
    qtbot.addWidget(window)
    window.show()
    overview = window.show_view("overview")
    checklist = overview.checklist
    qtbot.waitUntil(lambda: checklist.isVisible() and overview.is_loaded, timeout=15000)
    assert "5 / 7" in checklist.heading.text() and "还没有档位和表计" in checklist.heading.text()
    assert not checklist.lines["lines"].isVisible()  # done
    assert "5. 抄表通道" in checklist.done.text()
    shot(window, "8_overview_checklist")

    checklist.lines["stalls"].click()
    assert window.stack.currentWidget() is window.views["import"]
    checklist.lines["control"].click()
    settings = window.views["settings"]
    assert window.stack.currentWidget() is settings
    alarms = settings.stack.currentWidget()
    assert alarms.NAME == "alarms"
    qtbot.waitUntil(lambda: alarms.save_period.isEnabled(), timeout=15000)
    alarms.night.setChecked(True)
    alarms.save_friendly_period()  # the last step but one done later: the checklist follows
    window.show_view("overview")
    qtbot.waitUntil(lambda: "6 / 7" in checklist.heading.text(), timeout=15000)


def test_a_setup_stopped_before_the_administrator_starts_again_at_step_2(
    qtbot, runner, sqlite_db, language
):
    language("zh_CN")
    wizard = SetupWizard(runner)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.page(MARKET).name.setText("西门市场")
    next_step(qtbot, wizard, ADMIN)
    wizard.reject()  # the person stops here: the market is kept, nobody can sign in yet

    with sqlite_db.transaction() as s:
        state = first_run(s)
    assert state.needs_setup and state.site.name == "西门市场"
    again = SetupWizard(runner, state.site)
    qtbot.addWidget(again)
    again.show()
    assert again.currentId() == ADMIN
    admin = again.page(ADMIN)
    admin.username.setText("zhao")
    admin.password.setText("ximen-pass")
    admin.again.setText("ximen-pass")
    next_step(qtbot, again, PRICES)
    for step in (PRICES, BUILDINGS, LINES):  # every step after the administrator is skipped
        assert again.button(QWizard.WizardButton.CustomButton1).isVisible()
        again.skip()
        qtbot.waitUntil(lambda step=step: again.currentId() == step + 1, timeout=15000)
    again.reject()

    with sqlite_db.transaction() as s:
        state = first_run(s)
        progress = setup_progress(s, state.site.id)
    assert not state.needs_setup  # from now on: the sign-in, and the checklist
    assert progress.done == 2 and progress.next_step.key == "prices"
    assert [s.key for s in progress.steps if not s.is_done] == [
        "prices", "buildings", "lines", "stalls", "control",
    ]  # fmt: skip


def test_the_client_opens_the_setup_only_when_nobody_could_sign_in(qtbot, runner, sqlite_db):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.main import first_run_setup

    seen = []

    def stop_the_wizard():
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, SetupWizard):
            QTimer.singleShot(20, stop_the_wizard)
            return
        seen.append(wizard.currentId())
        wizard.reject()

    QTimer.singleShot(0, stop_the_wizard)
    assert first_run_setup(sqlite_db, runner) is False  # stopped before any market: quit
    assert seen == [MARKET]

    from app.services.market.setup import MarketSpec, add_first_admin, create_market

    with sqlite_db.transaction() as s:
        site = create_market(s, None, MarketSpec("南门市场"))
        add_first_admin(s, site.id, "sun", "nanmen-2026")
    # a market with its administrator: straight to the sign-in (exec() would block here)
    assert first_run_setup(sqlite_db, runner) is True
