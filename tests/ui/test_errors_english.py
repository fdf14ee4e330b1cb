"""In English mode a refused action tells the clerk in English what happened and what to do."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import update

from app.models.site import Stall, StallStatus
from app.ui.cashier.recharge_view import RechargeView
from app.ui.login_dialog import LoginDialog
from tests.ui.cashier.test_recharge_view import find_by_code
from tests.ui.conftest import press_in_next_dialog


def catch_next_warning(seen: list) -> None:
    """Note the title and text of the next warning box, then close it as the clerk would."""

    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        seen.append((box.windowTitle(), box.text()))
        box.accept()

    QTimer.singleShot(0, look)


def refused_recharge(qtbot, market, make_client, sqlite_db) -> tuple[str, str]:
    """The cashier recharges a stall that was set vacant after its card was shown."""
    market.a_stall("A001", balance="12.30")
    view = RechargeView(make_client(market.cashier))
    qtbot.addWidget(view)
    view.show()
    find_by_code(qtbot, view, "A001")
    with sqlite_db.transaction() as s:  # meanwhile, at another desk
        s.execute(update(Stall).where(Stall.code == "A001").values(status=StallStatus.VACANT))
    qtbot.keyClicks(view.amount_edit, "100")
    qtbot.keyClick(view.amount_edit, Qt.Key.Key_Return)
    press_in_next_dialog(Qt.Key.Key_Return)  # confirm
    seen: list = []
    catch_next_warning(seen)
    qtbot.keyClick(view.method_row, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    qtbot.waitUntil(lambda: view.client.runner.in_flight == 0, timeout=10000)
    assert view.amount_edit.isEnabled()  # the clerk can correct and try again
    return seen[0]


def test_in_english_a_refused_recharge_says_why_in_english(
    qtbot, language, market, make_client, sqlite_db
):
    language("en")
    title, text = refused_recharge(qtbot, market, make_client, sqlite_db)
    assert title == "Cannot do this"
    assert (
        text
        == "Stall A001 is “vacant” and cannot be recharged. Set it to active in the stall details "
        "first"
    )


def test_in_chinese_the_same_refusal_stays_chinese(qtbot, language, market, make_client, sqlite_db):
    language("zh_CN")
    title, text = refused_recharge(qtbot, market, make_client, sqlite_db)
    assert title == "无法操作"
    assert text == "档位 A001 当前状态为“空置”，不能充值；请先在档位资料中启用"


def test_in_english_a_wrong_password_is_explained_in_english(qtbot, language, runner, market):
    language("en")
    dialog = LoginDialog("城南农贸市场")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("xiaoli")
    qtbot.keyClicks(dialog.password, "wrong")
    with qtbot.waitSignal(dialog.failed, timeout=5000) as failed:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert failed.args[0] == "Wrong user name or password. Type them again"


def test_in_english_a_wrong_amount_is_explained_in_english(qtbot, language, market, make_client):
    language("en")
    market.a_stall("A001")
    view = RechargeView(make_client(market.cashier))
    qtbot.addWidget(view)
    view.show()
    find_by_code(qtbot, view, "A001")
    qtbot.keyClicks(view.amount_edit, "12.345")
    qtbot.keyClick(view.amount_edit, Qt.Key.Key_Return)
    assert view.message.text() == (
        "The amount “12.345” has more than two decimals. Type yuan with at most two decimals "
        "(jiao and fen)"
    )


def test_in_english_a_meter_that_does_not_answer_is_explained_in_english(
    qtbot, language, sqlite_db, market, make_client
):
    from app.comm import messages
    from app.services.market import control
    from tests.ui.conftest import add_meters
    from tests.ui.meters.test_meter_ops_batch import trip_all_meters

    language("en")
    add_meters(sqlite_db, market, 1)
    dialog = trip_all_meters(qtbot, make_client(market.admin))
    with sqlite_db.transaction() as s:
        control.command_finished(
            s, dialog.command_ids[0], False, relay_closed=None, reason=messages.NO_ANSWER
        )
    with qtbot.waitSignal(dialog.finished_all, timeout=10000):
        dialog.poll_now()
    why = next(i for i, c in enumerate(dialog.model.columns) if c.key == "message")
    assert dialog.model.index(0, why).data() == "The meter does not answer. Check the line"
