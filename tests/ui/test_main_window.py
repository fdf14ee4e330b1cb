"""The main window as each clerk sees it: their entries only, their printed name, a switch
of user without closing the program, and a window that fits the counter's screen."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.models.user import Role
from app.ui.login_dialog import LoginDialog
from app.ui.main_window import MainWindow


def open_window(qtbot, client) -> MainWindow:
    window = MainWindow(client)
    qtbot.addWidget(window)
    window.show()
    return window


def entries(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_a_cashier_sees_only_the_entries_a_cashier_can_use(qtbot, market, make_client):
    cashier = open_window(qtbot, make_client(market.cashier))
    assert "Recharge" in entries(cashier)
    assert not {"Shared costs", "Excel import", "Operation log"} & set(entries(cashier))
    admin = open_window(qtbot, make_client(market.admin))
    assert {"Recharge", "Shared costs", "Excel import", "Operation log"} <= set(entries(admin))


def test_the_status_bar_shows_the_name_printed_on_receipts(qtbot, market, make_client):
    window = open_window(qtbot, make_client(market.cashier))
    qtbot.waitUntil(lambda: "小李" in window.who.text(), timeout=10000)
    assert "xiaoli" not in window.who.text()


def test_sign_out_and_another_clerk_signs_in_without_closing_the_program(
    qtbot, market, make_client
):
    with market.db.transaction() as s:
        market.a_user(s, "shen", Role.REVIEWER, "沈会计")
    window = open_window(qtbot, make_client(market.cashier))
    window.show_view("recharge")
    window.sign_out_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), LoginDialog), timeout=5000)
    dialog = QApplication.activeModalWidget()
    assert (
        window.views == {} and window.nav.count() == 0
    )  # nothing of the clerk who left stays open
    dialog.username.setText("shen")
    dialog.password.setText("shen-pass")
    with qtbot.waitSignal(window.signed_in_again, timeout=10000) as signed:
        dialog.try_login()
    assert signed.args[0].role is Role.REVIEWER and window.isVisible()
    assert "Operation log" in entries(window) and "Recharge" not in entries(window)
    qtbot.waitUntil(lambda: "沈会计" in window.who.text(), timeout=10000)


def test_a_window_saved_on_a_bigger_screen_fits_this_one(qtbot, market, make_client):
    big = open_window(qtbot, make_client())
    big.resize(2400, 1600)
    big.move(1500, 900)
    QSettings().setValue("window/geometry", big.saveGeometry())
    window = open_window(qtbot, make_client())
    room = window.screen().availableGeometry()
    assert room.contains(window.frameGeometry()), (room, window.frameGeometry())


def test_every_view_fits_the_counter_pcs_1024x768_screen(qtbot, market, make_client):
    window = open_window(qtbot, make_client(market.admin))
    too_big = {}
    for entry in window.entries:
        view = window.show_view(entry.name)
        qtbot.waitUntil(lambda view=view: view.is_loaded, timeout=20000)
        # the navigation (150), the margins and the window frame take about 180 px
        hint = view.minimumSizeHint()
        if hint.width() > 1024 - 180 or hint.height() > 768 - 120:  # the taskbar, the status bar
            too_big[entry.name] = (hint.width(), hint.height())
    assert too_big == {}
    assert window.minimumSizeHint().width() <= 1024
