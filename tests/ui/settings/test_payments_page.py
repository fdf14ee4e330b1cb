"""Settings → 在线支付: the administrator types the merchant settings (keys then shown masked),
sees the refused notifications and reconciles a day against the platform's statement."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QPlainTextEdit
from sqlalchemy import select

from app.models.payment import PaymentSetting
from app.services.market.channels import MASK
from app.services.money import online_payments
from app.ui import site_time
from app.ui.main_window import MainWindow
from tests.payment_doubles import WechatDouble, a_key_pair


@pytest.fixture
def wechat():
    private, public = a_key_pair()
    double = WechatDouble(public).start()
    yield double, private
    double.stop()


def open_page(qtbot, make_client, actor):
    win = MainWindow(make_client(actor))
    qtbot.addWidget(win)
    win.resize(1200, 900)
    win.show()
    page = win.show_view("settings").show_page("payments")
    return win, page


def test_admin_sets_up_wechat_pay_sees_alerts_and_reconciles(
    qtbot, make_client, market, sqlite_db, wechat, language
):
    language("zh_CN")
    double, private = wechat
    stall_id = market.a_stall("A001")
    with sqlite_db.transaction() as s:  # a forged notification came in earlier
        online_payments.handle_wechat_notification(s, {"Wechatpay-Serial": "X"}, b"{}")
    win, page = open_page(qtbot, make_client, market.admin)
    qtbot.waitUntil(lambda: "mchid" in page.fields and page.save_button.isEnabled(), timeout=5000)
    qtbot.waitUntil(lambda: page.alerts.count() == 1, timeout=5000)
    assert "收到微信的支付通知，但没有市场设置了微信" in page.alerts.item(0).text()

    for key, value in double.settings(private, "https://pay.example.com/pay/notify/wechat").items():
        edit = page.fields[key]
        edit.setPlainText(value) if isinstance(edit, QPlainTextEdit) else edit.setText(value)
    page.enabled.setChecked(True)
    page.save_button.click()
    qtbot.waitUntil(page.saved_note.isVisible, timeout=5000)
    assert page.fields["apiv3_key"].text() == MASK and page.fields["merchant_key"].text() == MASK
    with sqlite_db.transaction() as s:
        stored = s.scalar(select(PaymentSetting)).settings
        assert stored["apiv3_key"] == double.apiv3_key and stored["mchid"] == double.mchid

    from app.portal.payments import start_recharge

    order = start_recharge(sqlite_db, stall_id, "21.00", "wechat", "native")
    double.pay(order.order_no, deliver=False)  # paid, the notification lost
    page.day.setDate(QDate(site_time.local(datetime.now(UTC)).date()))
    page.reconcile_button.click()
    qtbot.waitUntil(lambda: page.differences.count() == 1, timeout=10000)
    assert page.result.text() == "需要核对的差异：1 处"
    assert (
        page.differences.item(0)
        .text()
        .endswith(f"{order.order_no}  A001  对账单有此笔，本系统未入账")
    )
    win.grab().save("/tmp/payments_page.png")
    page.checks.grab().save("/tmp/payments_checks.png")


def test_a_cashier_sees_neither_the_keys_nor_the_reconciliation(qtbot, make_client, market):
    _win, page = open_page(qtbot, make_client, market.cashier)
    assert page.read_only_note.isVisible()
    assert not page.merchant.isVisible() and not page.checks.isVisible()
