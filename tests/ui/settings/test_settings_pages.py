"""The Settings view as the admin uses it: fill a dialog, save, see the row; a mistake shows
what to fix and saves nothing; a cashier sees the pages read-only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from sqlalchemy import func, select

from app.comm.types import ChannelKind
from app.models.account import Account
from app.models.billing import ChargeItem, StallCharge
from app.models.meter import Channel
from app.models.site import Holiday, Site
from app.models.user import Role, User
from app.ui.settings.settings_view import SettingsView
from tests.ui.conftest import press_in_next_dialog


@pytest.fixture
def settings(qtbot, make_client, market):
    def open_as(actor=None, page: str = "buildings"):
        view = SettingsView(make_client(actor or market.admin))
        qtbot.addWidget(view)
        view.resize(1100, 700)
        view.show()
        shown = view.show_page(page)
        return view, shown

    return open_as


def rows(qtbot, page, n: int) -> list:
    qtbot.waitUntil(lambda: page.model.rowCount() == n, timeout=5000)
    return page.model.rows


def save(qtbot, dialog) -> None:
    dialog.button_box.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error.isVisible(), timeout=5000)


def type_in(qtbot, edit, text: str) -> None:
    """Type as the clerk does; Chinese comes from the input method as committed text."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def accept_message_saying(words: str, said: list) -> None:
    """Read and close the message box about to open whose text has `words`."""

    def look():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and words in box.text():
            said.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)


def count(db, model) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_admin_adds_a_serial_channel_with_a_typed_com_port(qtbot, settings, sqlite_db):
    _view, page = settings(page="channels")
    rows(qtbot, page, 0)
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "一号楼 485 总线")
    dialog.port.setEditText("COM7")  # not plugged in now: typed
    dialog.baud.setCurrentText("2400")
    dialog.parity.setCurrentIndex(dialog.parity.findData("E"))
    save(qtbot, dialog)
    assert not dialog.isVisible()
    (row,) = rows(qtbot, page, 1)
    assert (row.name, row.kind, row.settings) == (
        "一号楼 485 总线",
        "serial",
        {"port": "COM7", "baud": 2400, "parity": "E", "stopbits": 1},
    )


def test_the_nb_platform_secret_is_typed_hidden_and_never_shown_again(qtbot, settings, sqlite_db):
    _view, page = settings(page="channels")
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "电信 NB")
    dialog.kind.setCurrentIndex(dialog.kind.findData(ChannelKind.CTWING.value))
    assert (
        dialog.stack.currentIndex() == 3
        and dialog.app_secret.echoMode() == dialog.app_secret.EchoMode.Password
    )
    type_in(qtbot, dialog.base_url, "https://ag-api.ctwing.cn")
    type_in(qtbot, dialog.app_key, "appkey-1")
    type_in(qtbot, dialog.app_secret, "top-secret")
    save(qtbot, dialog)
    (row,) = rows(qtbot, page, 1)
    assert row.settings["app_secret"] == "••••••" and "top-secret" not in str(row)

    page.edit(row)  # edit again without typing the secret: it is kept
    assert page.dialog.app_secret.text() == ""
    page.dialog.poll.setValue(600)
    save(qtbot, page.dialog)
    qtbot.waitUntil(lambda: page.model.rows[0].poll_interval_s == 600, timeout=5000)
    with sqlite_db.transaction() as s:
        assert s.scalar(select(Channel)).settings["app_secret"] == "top-secret"


def test_the_nb_channel_shows_its_subscription_address_with_the_token_after_saving(
    qtbot, settings, sqlite_db
):
    _view, page = settings(page="channels")
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "电信 NB")
    dialog.kind.setCurrentIndex(dialog.kind.findData(ChannelKind.CTWING.value))
    assert (
        dialog.push_address.text() == ""
        and dialog.push_address.placeholderText() == "made when the channel is saved"
    )
    type_in(qtbot, dialog.base_url, "https://ag-api.ctwing.cn")
    type_in(qtbot, dialog.app_key, "appkey-1")
    type_in(qtbot, dialog.app_secret, "top-secret")
    type_in(qtbot, dialog.push_sources, "202.102.0.0/16")
    save(qtbot, dialog)
    (row,) = rows(qtbot, page, 1)
    with sqlite_db.transaction() as s:
        stored = s.scalar(select(Channel)).settings
    assert stored["allowed_sources"] == ["202.102.0.0/16"]
    assert "push_token" not in page.model.data(page.model.index(0, 2))  # the list does not show it
    page.edit(row)
    shown = page.dialog.push_address
    assert shown.isReadOnly() and shown.text().endswith(
        f"/ctwing/push?token={stored['push_token']}"
    )
    page.dialog.grab().save("/tmp/nb_channel_dialog.png")


def test_a_dial_in_channel_says_it_listens_on_every_address_unless_one_is_typed(
    qtbot, settings, sqlite_db
):
    _view, page = settings(page="channels")
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "4G 电表")
    dialog.kind.setCurrentIndex(dialog.kind.findData(ChannelKind.ACREL_4G.value))
    assert dialog.listen_host.placeholderText() == "all addresses of this PC (0.0.0.0)"
    type_in(qtbot, dialog.listen_port, "9000")
    type_in(qtbot, dialog.dial_sources, "10.8.0.0/16")
    dialog.grab().save("/tmp/dialin_channel_dialog.png")
    save(qtbot, dialog)
    (row,) = rows(qtbot, page, 1)
    assert row.settings == {
        "listen_host": "0.0.0.0",
        "listen_port": 9000,
        "allowed_sources": ["10.8.0.0/16"],
    }
    page.edit(row)
    assert page.dialog.listen_host.text() == "" and page.dialog.dial_sources.text() == "10.8.0.0/16"


def test_a_gateway_with_a_bad_port_shows_the_error_and_saves_nothing(qtbot, settings, sqlite_db):
    _view, page = settings(page="channels")
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "网关 1")
    dialog.kind.setCurrentIndex(dialog.kind.findData(ChannelKind.MODBUS_TCP.value))
    type_in(qtbot, dialog.host, "192.168.1.200")
    type_in(qtbot, dialog.tcp_port, "五零二")
    save(qtbot, dialog)
    assert dialog.isVisible() and "端口" in dialog.error.text()
    assert count(sqlite_db, Channel) == 0
    dialog.tcp_port.setText("502")  # corrected in the same dialog
    save(qtbot, dialog)
    assert rows(qtbot, page, 1)[0].settings == {"host": "192.168.1.200", "port": 502}


def test_disable_and_delete_a_channel_after_confirming(qtbot, settings, sqlite_db, market):
    with sqlite_db.transaction() as s:
        s.add(
            Channel(
                site_id=market.site_id,
                name="旧网关",
                kind=ChannelKind.SERIAL_SERVER,
                settings={"host": "127.0.0.1", "port": 4001},
            )
        )
    _view, page = settings(page="channels")
    rows(qtbot, page, 1)
    page.table.view.selectRow(0)
    page.buttons[page.tr("Disable / enable")].click()
    qtbot.waitUntil(lambda: not page.model.rows[0].is_enabled, timeout=5000)
    press_in_next_dialog(Qt.Key.Key_Escape)  # asked, and said no
    page.delete(page.model.rows[0])
    assert count(sqlite_db, Channel) == 1
    press_in_next_dialog(Qt.Key.Key_Y)
    page.delete(page.model.rows[0])
    rows(qtbot, page, 0)


def test_admin_adds_a_per_unit_charge_item_for_two_stalls(qtbot, settings, sqlite_db, market):
    market.a_stall("A01")
    market.a_stall("A02")
    _view, page = settings(page="charge_items")
    rows(qtbot, page, 0)
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "垃圾桶")
    dialog.method.setCurrentIndex(dialog.method.findData("per_unit"))
    assert dialog.units.isVisibleTo(dialog)
    type_in(qtbot, dialog.price, "5")
    type_in(qtbot, dialog.unit_name, "个")
    type_in(qtbot, dialog.units, "A01=2，A02=1")
    save(qtbot, dialog)
    (row,) = rows(qtbot, page, 1)
    assert (row.name, row.method, row.price, row.building) == (
        "垃圾桶",
        "per_unit",
        Decimal("5"),
        "",
    )
    assert count(sqlite_db, StallCharge) == 2


def test_a_charge_item_for_an_unknown_stall_is_refused(qtbot, settings, sqlite_db):
    _view, page = settings(page="charge_items")
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "垃圾桶")
    dialog.method.setCurrentIndex(dialog.method.findData("per_unit"))
    type_in(qtbot, dialog.price, "5")
    type_in(qtbot, dialog.units, "Z99=1")
    save(qtbot, dialog)
    assert dialog.isVisible() and "Z99" in dialog.error.text()
    assert count(sqlite_db, ChargeItem) == 0


def test_friendly_period_holiday_and_alarm_levels(qtbot, settings, sqlite_db, market):
    market.a_stall("A01")
    _view, page = settings(page="alarms")
    assert (
        not page.save_period.isEnabled() and not page.apply_button.isEnabled()
    )  # defaults until loaded
    qtbot.waitUntil(lambda: "50.00" in page.in_use.text(), timeout=5000)
    assert page.save_period.isEnabled() and page.apply_button.isEnabled()
    page.night.setChecked(True)
    page.save_period.click()
    type_in(qtbot, page.holiday_name, "春节")
    page.add_holiday_button.click()
    qtbot.waitUntil(lambda: page.holidays.count() == 1, timeout=5000)
    with sqlite_db.transaction() as s:
        assert s.get(Site, market.site_id).friendly_night_start is not None
        assert s.scalar(select(Holiday.name)) == "春节"

    page.alarm1.setText("20")
    page.alarm2.setText("80")  # alarm 2 above alarm 1: refused
    press_in_next_dialog(Qt.Key.Key_Y)  # "set for all stalls?"
    said = []
    accept_message_saying("二级", said)
    page.apply_button.click()
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    with sqlite_db.transaction() as s:
        assert s.scalar(select(Account.alarm2)) == Decimal(20)

    page.alarm1.setText("80")
    page.alarm2.setText("30")
    press_in_next_dialog(Qt.Key.Key_Y)
    page.apply_button.click()
    qtbot.waitUntil(lambda: "80.00" in page.in_use.text(), timeout=5000)


def test_users_page_adds_a_cashier_and_refuses_to_demote_the_last_admin(
    qtbot, settings, sqlite_db, market
):
    _view, page = settings(page="users")
    rows(qtbot, page, 4)
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.username, "xiaozhao")
    type_in(qtbot, dialog.password, "zhao-pass")
    type_in(qtbot, dialog.password2, "zhao-pazz")
    save(qtbot, dialog)
    assert dialog.isVisible() and "不一致" in dialog.error.text()
    dialog.password2.setText("zhao-pass")
    save(qtbot, dialog)
    assert "xiaozhao" in [r.username for r in rows(qtbot, page, 5)]

    boss = next(r for r in page.model.rows if r.username == "boss")
    other = next(r for r in page.model.rows if r.username == "xiaowang")
    page.edit(other)
    page.dialog.role.setCurrentIndex(page.dialog.role.findData(Role.ADMIN.value))
    save(qtbot, page.dialog)
    qtbot.waitUntil(
        lambda: next(r for r in page.model.rows if r.username == "xiaowang").role is Role.ADMIN,
        timeout=5000,
    )
    page.reset_password(other)
    page.dialog.password.setText("wang-new-pass")
    page.dialog.password2.setText("wang-new-pass")
    save(qtbot, page.dialog)
    assert not page.dialog.isVisible()

    page.edit(boss)  # demoting oneself is refused with the reason, nothing changes
    page.dialog.role.setCurrentIndex(page.dialog.role.findData(Role.CASHIER.value))
    save(qtbot, page.dialog)
    assert page.dialog.isVisible() and "管理员" in page.dialog.error.text()
    with sqlite_db.transaction() as s:
        assert s.scalar(select(User.role).where(User.username == "boss")) is Role.ADMIN


def test_a_cashier_sees_settings_read_only(qtbot, settings, market):
    view, page = settings(market.cashier, page="tariffs")
    assert not page.buttons["add"].isVisibleTo(page) and page.read_only_note.isVisibleTo(page)
    for name in ("channels", "charge_items", "buildings"):
        page = view.show_page(name)
        assert not page.buttons["add"].isEnabled()
        page.edit(None)  # double-click / Enter does nothing either
        assert getattr(page, "dialog", None) is None
    alarms = view.show_page("alarms")
    assert not alarms.apply_button.isEnabled() and not alarms.save_period.isEnabled()
    users = view.show_page("users")
    assert not users.buttons["add"].isVisibleTo(users)
    assert not users.submitter_may_approve.isEnabled()


def test_a_one_person_office_lets_the_submitter_approve_from_the_users_page(
    qtbot, settings, sqlite_db, market
):
    _view, page = settings(page="users")
    rows(qtbot, page, 4)
    assert page.submitter_may_approve.isEnabled() and not page.submitter_may_approve.isChecked()
    page.submitter_may_approve.click()
    qtbot.waitUntil(lambda: count_allowed(sqlite_db) == 1, timeout=5000)
    page.submitter_may_approve.click()
    qtbot.waitUntil(lambda: count_allowed(sqlite_db) == 0, timeout=5000)
    qtbot.waitUntil(
        lambda: not page.submitter_may_approve.isChecked(), timeout=5000
    )  # after any reload


def count_allowed(db) -> int:
    with db.transaction() as s:
        return s.scalar(
            select(func.count()).select_from(Site).where(Site.submitter_may_approve.is_(True))
        )


def test_a_serial_port_without_a_description_is_shown_by_its_name_alone(monkeypatch):
    from types import SimpleNamespace

    from app.ui.settings import channels_page

    monkeypatch.setattr(
        channels_page.list_ports,
        "comports",
        lambda: [
            SimpleNamespace(device="COM3", description="USB-SERIAL CH340 (COM3)"),
            SimpleNamespace(device="/dev/ttyS0", description="n/a"),
        ],
    )
    ports = channels_page.serial_ports()
    assert ports == [("/dev/ttyS0", ""), ("COM3", "USB-SERIAL CH340 (COM3)")]
    assert [channels_page.port_text(*p) for p in ports] == [
        "/dev/ttyS0",
        "COM3 — USB-SERIAL CH340 (COM3)",
    ]


def test_a_lines_dlt645_control_password_is_typed_hidden_and_kept(qtbot, settings, sqlite_db):
    _view, page = settings(page="channels")
    page.buttons["add"].click()
    dialog = page.dialog
    type_in(qtbot, dialog.name, "二号楼 645")
    dialog.kind.setCurrentIndex(dialog.kind.findData(ChannelKind.SERIAL_SERVER.value))
    assert (
        dialog.dlt_password.isVisible()
        and dialog.dlt_password.echoMode() == dialog.dlt_password.EchoMode.Password
    )
    type_in(qtbot, dialog.host, "192.168.1.201")
    type_in(qtbot, dialog.tcp_port, "4001")
    type_in(qtbot, dialog.dlt_password, "123456")
    type_in(qtbot, dialog.dlt_level, "04")
    save(qtbot, dialog)
    (row,) = rows(qtbot, page, 1)
    assert row.settings["dlt645_password"] == "••••••" and "123456" not in str(row)
    page.edit(row)  # the password is not shown again, and kept when left empty
    assert page.dialog.dlt_password.text() == "" and page.dialog.dlt_level.text() == "04"
    page.dialog.kind.setCurrentIndex(page.dialog.kind.findData(ChannelKind.MODBUS_TCP.value))
    assert not page.dialog.dlt_password.isVisible()  # a Modbus TCP gateway has no DL/T 645 meters
    page.dialog.kind.setCurrentIndex(page.dialog.kind.findData(ChannelKind.SERIAL_SERVER.value))
    save(qtbot, page.dialog)
    qtbot.waitUntil(lambda: not page.dialog.isVisible(), timeout=5000)
    with sqlite_db.transaction() as s:
        assert s.scalar(select(Channel)).settings["dlt645_password"] == "123456"


def test_a_tariff_price_that_is_not_money_is_explained_and_nothing_saved(
    qtbot, settings, sqlite_db
):
    from app.models.tariff import Tariff
    from app.ui.settings.tariffs_page import TariffDialog

    view, page = settings(page="tariffs")
    dialog = TariffDialog(page, page.client.actor, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("商业电价")
    for typed, says in (
        ("0,65", "逗号位置不对"),
        ("6.5e-1", "不是数字"),
        ("0.65555", "最多四位小数"),
    ):
        dialog.price.setText(typed)
        save(qtbot, dialog)
        assert dialog.isVisible() and says in dialog.error.text()
    with sqlite_db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Tariff)) == 0
    dialog.price.setText("0.6555")  # four decimals: a price, stored as typed
    dialog.button_box.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    with sqlite_db.transaction() as s:
        assert s.scalar(select(Tariff.price)) == Decimal("0.6555")


def test_the_alarm_levels_set_for_all_stalls_are_the_ones_stalls_added_later_open_with(
    qtbot, settings, sqlite_db, market
):
    market.a_stall("A01")
    _view, page = settings(page="alarms")
    qtbot.waitUntil(lambda: page.apply_button.isEnabled(), timeout=5000)
    assert "Stalls added later: alarm 1 ¥50.00, alarm 2 ¥20.00" in page.opening.text()
    page.alarm1.setText("88")
    page.alarm2.setText("33")
    page.overdraft.setText("6")
    press_in_next_dialog(Qt.Key.Key_Y)  # for all buildings
    page.apply_button.click()
    qtbot.waitUntil(
        lambda: (
            "Stalls added later: alarm 1 ¥88.00, alarm 2 ¥33.00, overdraft limit ¥6.00"
            in page.opening.text()
        ),
        timeout=5000,
    )
    market.a_stall("A02")  # added after: opens with the market's levels
    with sqlite_db.transaction() as s:
        assert set(s.execute(select(Account.alarm1, Account.alarm2, Account.overdraft_limit))) == {
            (Decimal("88"), Decimal("33"), Decimal("6"))
        }
    _view, again = settings(page="alarms")  # opened again, the form starts from them
    qtbot.waitUntil(lambda: again.apply_button.isEnabled(), timeout=5000)
    assert (again.alarm1.text(), again.alarm2.text(), again.overdraft.text()) == (
        "88.00",
        "33.00",
        "6.00",
    )
