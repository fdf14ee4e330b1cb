"""Signing in at the start of the day."""

from PySide6.QtCore import Qt

from app.models.user import Role
from app.ui.login_dialog import LoginDialog


def test_wrong_password_says_so_and_lets_the_clerk_try_again(qtbot, runner, market):
    dialog = LoginDialog("城南农贸市场")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("xiaoli")
    qtbot.keyClicks(dialog.password, "wrong")
    with qtbot.waitSignal(dialog.failed, timeout=5000) as failed:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert failed.args[0] == "用户名或密码错误，请重新输入"
    assert dialog.password.text() == "" and dialog.ok.isEnabled()

    qtbot.keyClicks(dialog.password, "xiaoli-pass")
    with qtbot.waitSignal(dialog.signed_in, timeout=5000) as signed_in:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    actor = signed_in.args[0]
    assert actor.username == "xiaoli" and actor.role is Role.CASHIER


def test_enter_after_the_user_name_goes_on_to_the_password(qtbot, runner, market):
    dialog = LoginDialog("城南农贸市场")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.username.setFocus()
    qtbot.keyClicks(dialog.username, "xiaoli")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert (
        dialog.focusWidget() is dialog.password
        and dialog.message.text() == ""
        and dialog.ok.isEnabled()
    )
    qtbot.keyClicks(dialog.password, "xiaoli-pass")
    with qtbot.waitSignal(dialog.signed_in, timeout=5000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
