"""Settings → 市场: the administrator changes the market typed at setup; a mistake shows what to
fix and changes nothing; others see it read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models.site import Site
from app.models.user import AuditEvent
from app.ui import site_time
from app.ui.main_window import MainWindow
from app.ui.settings.settings_view import SettingsView
from tests.ui.conftest import press_in_next_dialog


@pytest.fixture
def window(qtbot, make_client, market):
    def open_as(actor=None) -> MainWindow:
        win = MainWindow(make_client(actor or market.admin))
        qtbot.addWidget(win)
        win.resize(1200, 760)
        win.show()
        return win

    return open_as


def loaded(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.name.text() != "", timeout=5000)


def test_the_market_page_comes_first_and_saves_what_was_typed(qtbot, window, sqlite_db, market):
    win = window()
    settings = win.show_view("settings")
    assert isinstance(settings, SettingsView) and settings.pages[0].NAME == "market"
    page = settings.show_page("market")
    loaded(qtbot, page)
    assert (page.code.text(), page.name.text(), page.phone.text()) == (
        "CN01",
        "城南农贸市场",
        "0571-8888",
    )
    page.name.setText("")  # no name: refused with what to do, nothing written
    page.save_button.click()
    qtbot.waitUntil(page.error.isVisible, timeout=5000)
    assert "市场名称" in page.error.text() and not page.saved_note.isVisible()

    page.name.setText("城南农贸大市场")
    page.address.setText("城南路 8 号")
    page.header.setPlainText("物业办公室 8:00–18:00\n节假日照常营业")
    page.timezone.setCurrentText("Asia/Urumqi")
    press_in_next_dialog(Qt.Key.Key_Y)  # "show every time in Asia/Urumqi?"
    page.save_button.click()
    qtbot.waitUntil(page.saved_note.isVisible, timeout=5000)
    assert not page.error.isVisible()
    with sqlite_db.transaction() as s:
        site = s.get(Site, market.site_id)
        assert (site.name, site.address, site.timezone) == (
            "城南农贸大市场",
            "城南路 8 号",
            "Asia/Urumqi",
        )
        assert site.receipt_header == "物业办公室 8:00–18:00\n节假日照常营业"
        assert s.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "site.update")
        ).all() == ["boss"]
    # this client follows at once: its title and the times it shows
    assert "城南农贸大市场" in win.windowTitle()
    assert site_time.site_zone().key == "Asia/Urumqi"


def test_no_to_the_new_time_zone_saves_nothing(qtbot, window, sqlite_db, market):
    page = window().show_view("settings").show_page("market")
    loaded(qtbot, page)
    page.timezone.setCurrentText("Asia/Urumqi")
    press_in_next_dialog(Qt.Key.Key_N)
    page.save_button.click()  # returns once the question was answered
    assert page.save_button.isEnabled()  # no save started
    with sqlite_db.transaction() as s:
        assert s.get(Site, market.site_id).timezone == "Asia/Shanghai"
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "site.update")) is None


def test_a_cashier_sees_the_market_read_only(qtbot, window, market):
    page = window(market.cashier).show_view("settings").show_page("market")
    loaded(qtbot, page)
    assert page.read_only_note.isVisibleTo(page) and not page.save_button.isVisibleTo(page)
    assert not page.name.isEnabled() and not page.header.isEnabled()
