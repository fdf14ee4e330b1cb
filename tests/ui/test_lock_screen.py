"""A shared counter PC: the window locks when left alone and opens again with the clerk's
password, as it was; another clerk may sign in from the lock screen; each clerk changes
their own password, and one reset by the administrator is changed at sign-in."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.models.user import Role
from app.services.platform.users import LoginFailed, login, set_password
from app.ui.lock_screen import LockScreen
from app.ui.login_dialog import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.settings import options
from app.ui.settings.settings_view import SettingsView
from app.ui.settings.users_page import COLUMNS

LOCKED = next(c for c in COLUMNS if c.key == "locked_until")


def open_window(qtbot, client) -> MainWindow:
    window = MainWindow(client)
    qtbot.addWidget(window)
    window.show()
    return window


def unlock_with(qtbot, lock: LockScreen, password: str, signal: str = "unlocked"):
    lock.password.setText(password)
    with qtbot.waitSignal(getattr(lock, signal), timeout=10000) as got:
        lock.try_unlock()
    return got.args[0]


def test_an_idle_window_locks_and_the_typed_recharge_is_still_there_after_unlocking(
    qtbot, market, make_client
):
    market.a_stall("A001", balance="12.30")
    window = open_window(qtbot, make_client(market.cashier))
    view = window.show_view("recharge")
    view.code_edit.setText("A001")
    view.amount_edit.setText("88.50")
    window.idle.set_timeout_ms(300)  # the setting is in minutes; the watch itself in ms
    qtbot.waitUntil(lambda: window.lock_screen.isVisible(), timeout=10000)
    lock = window.lock_screen
    assert QApplication.activeModalWidget() is lock  # nothing behind it takes input
    assert lock.geometry().contains(window.geometry())  # nor shows
    assert window.idle.remaining_ms() == -1  # no second lock while locked
    qtbot.waitUntil(lambda: "小李" in lock.who.text(), timeout=10000)

    assert unlock_with(qtbot, lock, "not-my-password", "failed") == "用户名或密码错误，请重新输入"
    assert lock.isVisible()
    actor = unlock_with(qtbot, lock, "xiaoli-pass")
    assert actor.username == "xiaoli" and not lock.isVisible()
    assert window.stack.currentWidget() is view and window.views["recharge"] is view
    assert (view.code_edit.text(), view.amount_edit.text()) == ("A001", "88.50")
    assert window.idle.remaining_ms() > 0  # counting again


def test_keyboard_input_starts_the_idle_time_again(qtbot, market, make_client):
    window = open_window(qtbot, make_client(market.cashier))
    view = window.show_view("recharge")
    window.idle.set_timeout_ms(60_000)
    qtbot.wait(500)
    before = window.idle.remaining_ms()
    assert before < 60_000
    qtbot.keyClicks(view.code_edit, "A")
    assert window.idle.remaining_ms() > before
    assert not window.lock_screen.isVisible()


def test_the_idle_time_is_a_setting_and_0_never_locks(qtbot, market, make_client):
    assert options.IDLE_LOCK_MINUTES.get() == 15
    window = open_window(qtbot, make_client(market.admin))
    assert window.idle.timeout_ms == 15 * 60_000 and window.idle.remaining_ms() > 0
    page = window.show_view("settings").show_page("lock")
    page.minutes.setValue(0)
    page.save()
    assert options.IDLE_LOCK_MINUTES.get() == 0
    assert window.idle.timeout_ms == 0 and window.idle.remaining_ms() == -1
    page.minutes.setValue(5)
    page.save()
    assert window.idle.timeout_ms == 5 * 60_000 and window.idle.remaining_ms() > 0


def test_the_demo_never_locks(qtbot, market, make_client):
    client = make_client(market.admin)
    client.is_demo = True  # its administrator signs in by itself, without a password
    window = open_window(qtbot, client)
    assert window.idle.remaining_ms() == -1 and not window.lock_action.isVisible()


def test_another_clerk_signs_in_from_the_lock_screen(qtbot, market, make_client):
    with market.db.transaction() as s:
        market.a_user(s, "shen", Role.REVIEWER, "沈会计")
    window = open_window(qtbot, make_client(market.cashier))
    window.show_view("recharge")
    window.lock_action.trigger()  # Account → Lock now
    assert window.lock_screen.isVisible()
    window.lock_screen.switch_button.click()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), LoginDialog), timeout=5000)
    assert not window.lock_screen.isVisible() and window.views == {}
    dialog = QApplication.activeModalWidget()
    dialog.username.setText("shen")
    dialog.password.setText("shen-pass")
    with qtbot.waitSignal(window.signed_in_again, timeout=10000) as signed:
        dialog.try_login()
    assert signed.args[0].username == "shen" and window.client.actor.role is Role.REVIEWER
    assert window.idle.remaining_ms() > 0


def test_sign_out_is_in_the_account_menu(qtbot, market, make_client):
    window = open_window(qtbot, make_client(market.cashier))
    entries = window.menuBar().actions()  # held: PySide6 6.10 frees a temporary's menu
    menu = entries[0].menu()
    assert window.sign_out_action in menu.actions()
    window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), LoginDialog), timeout=5000)
    assert window.views == {} and window.idle.remaining_ms() == -1  # nobody to lock for


def test_a_clerk_changes_their_own_password_from_the_menu(qtbot, market, make_client):
    window = open_window(qtbot, make_client(market.cashier))
    window.change_password_action.trigger()
    dialog = window.password_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.current.setText("not-my-password")
    dialog.password.setText("better-pass1")
    dialog.password2.setText("better-pass1")
    dialog.save()
    qtbot.waitUntil(lambda: "当前密码不对" in dialog.error.text(), timeout=10000)
    assert dialog.isVisible()
    dialog.current.setText("xiaoli-pass")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save()
    assert not dialog.isVisible()
    with market.db.transaction() as s:
        assert login(s, "xiaoli", "better-pass1").username == "xiaoli"


def test_five_wrong_passwords_at_sign_in_lock_the_clerk_and_say_until_when(qtbot, runner, market):
    dialog = LoginDialog("城南农贸市场")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("xiaoli")
    messages = []
    for _ in range(5):
        dialog.password.setText("not-my-password")
        with qtbot.waitSignal(dialog.failed, timeout=10000) as failed:
            dialog.try_login()
        messages.append(failed.args[0])
    assert messages[:4] == ["用户名或密码错误，请重新输入"] * 4
    assert messages[4].startswith("密码连续输错次数过多：用户“xiaoli”已锁定到")
    assert "请管理员解锁" in messages[4]
    dialog.password.setText("xiaoli-pass")  # the right one is refused too, for now
    with qtbot.waitSignal(dialog.failed, timeout=10000) as failed:
        dialog.try_login()
    assert "已锁定到" in failed.args[0] and dialog.actor is None


def test_a_password_reset_by_the_administrator_is_changed_at_sign_in(qtbot, runner, market):
    with market.db.transaction() as s:
        set_password(s, market.admin, market.cashier.user_id, "temp-pass-1")
    dialog = LoginDialog("城南农贸市场")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("xiaoli")
    dialog.password.setText("temp-pass-1")
    dialog.try_login()
    qtbot.waitUntil(
        lambda: (
            getattr(dialog, "password_dialog", None) is not None
            and dialog.password_dialog.isVisible()
        ),
        timeout=10000,
    )
    change = dialog.password_dialog
    assert not change.current.isVisibleTo(change)  # the password just typed is not asked again
    assert dialog.actor is None  # not signed in before choosing
    change.password.setText("my-own-pass")
    change.password2.setText("my-own-pass")
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signed_in:
        change.save()
    assert signed_in.args[0].username == "xiaoli"
    with market.db.transaction() as s:
        assert login(s, "xiaoli", "my-own-pass").username == "xiaoli"


def test_the_administrator_sees_a_locked_clerk_and_unlocks_them(qtbot, market, make_client):
    for _ in range(5):
        with pytest.raises(LoginFailed), market.db.transaction() as s:
            login(s, "xiaoli", "not-my-password")
    view = SettingsView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    page = view.show_page("users")

    def locked_until() -> str:
        row = next(i for i, r in enumerate(page.model.rows) if r.username == "xiaoli")
        return page.model.index(row, COLUMNS.index(LOCKED)).data()

    qtbot.waitUntil(lambda: len(page.model.rows) == 4 and locked_until() != "", timeout=10000)
    page.unlock(next(r for r in page.model.rows if r.username == "xiaoli"))
    qtbot.waitUntil(lambda: locked_until() == "", timeout=10000)
    with market.db.transaction() as s:
        assert login(s, "xiaoli", "xiaoli-pass").username == "xiaoli"
    cashier_view = SettingsView(make_client(market.cashier))
    qtbot.addWidget(cashier_view)
    cashier_page = cashier_view.show_page("users")
    assert not cashier_page.buttons["Unlock"].isVisibleTo(cashier_page)
