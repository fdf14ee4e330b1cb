"""Settings → 短信通知: the administrator turns the tenants' SMS notices on and off and sets
the quiet hours; a cashier only reads them."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime

from app.services.portal import notices
from app.ui.main_window import MainWindow


def open_page(qtbot, make_client, actor):
    win = MainWindow(make_client(actor))
    qtbot.addWidget(win)
    win.resize(1100, 700)
    win.show()
    return win, win.show_view("settings").show_page("sms_notices")


def test_admin_turns_notices_on_and_sets_quiet_hours(
    qtbot, make_client, market, sqlite_db, language
):
    language("zh_CN")
    win, page = open_page(qtbot, make_client, market.admin)
    qtbot.waitUntil(lambda: page.quiet.isChecked(), timeout=5000)  # 22:00-08:00 by default
    assert page.kinds["alarm1"].text() == "余额低于一级报警"
    assert not any(c.isChecked() for c in page.kinds.values())
    page.kinds["alarm1"].setChecked(True)
    page.kinds["supply_cut"].setChecked(True)
    page.quiet_start.setTime(QTime(21, 30))
    page.save_button.click()
    qtbot.waitUntil(page.saved_note.isVisible, timeout=5000)
    with sqlite_db.reading() as s:
        shown = notices.notice_settings(s, market.site_id)
    assert shown.on == {"alarm1", "supply_cut"}
    assert (shown.quiet_start, shown.quiet_end) == (time(21, 30), time(8, 0))
    win.grab().save("/tmp/sms_notices_page.png")
    page.quiet.setChecked(False)
    page.kinds["alarm1"].setChecked(False)
    page.save_button.click()
    qtbot.waitUntil(
        lambda: page.saved_note.isVisible() and not page.quiet.isChecked(), timeout=5000
    )
    with sqlite_db.reading() as s:
        shown = notices.notice_settings(s, market.site_id)
    assert shown.on == {"supply_cut"} and shown.quiet_start is None


def test_a_cashier_cannot_change_the_notices(qtbot, make_client, market):
    _win, page = open_page(qtbot, make_client, market.cashier)
    assert not page.save_button.isVisible() and not page.kinds["recharge"].isEnabled()
