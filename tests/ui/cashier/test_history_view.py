"""Recharge history (充值记录): a reversal is asked for its reason until the clerk gives one."""

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog
from sqlalchemy import func, select

from app.models.account import EntryKind, LedgerEntry, PayMethod
from app.services.money.accounts import RechargeRequest, recharge
from app.ui.cashier.history_view import RechargeHistoryView


def answer_reason_dialogs(answers: list[str], prompts: list[str]) -> None:
    """Answer the reason dialogs in turn: type the text, press Enter; note each prompt."""

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(10, answer)
            return
        prompts.append(dialog.labelText())
        dialog.setTextValue(answers.pop(0))
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
        if answers:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)


def test_a_reversal_without_a_reason_is_asked_again_and_then_done(
    qtbot, sqlite_db, market, make_client
):
    stall = market.a_stall("H001")
    with sqlite_db.transaction() as s:
        recharge(
            s, market.cashier, RechargeRequest(amount="80", method=PayMethod.CASH, stall_id=stall)
        )
    view = RechargeHistoryView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    view.table.view.selectRow(0)

    prompts: list[str] = []
    answer_reason_dialogs(["", "   ", "金额输错"], prompts)
    with qtbot.waitSignal(view.reversed_, timeout=10000):
        view.reverse()

    assert len(prompts) == 3
    assert "needs a reason" not in prompts[0] and "needs a reason" in prompts[1]
    with sqlite_db.transaction() as s:
        reversal = s.scalar(select(LedgerEntry).where(LedgerEntry.kind == EntryKind.REVERSAL))
        assert reversal.amount == Decimal("-80.00")
        assert (
            s.scalar(
                select(func.count())
                .select_from(LedgerEntry)
                .where(LedgerEntry.kind == EntryKind.REVERSAL)
            )
            == 1
        )


def test_cancelling_the_reason_reverses_nothing(qtbot, sqlite_db, market, make_client):
    stall = market.a_stall("H002")
    with sqlite_db.transaction() as s:
        recharge(
            s, market.cashier, RechargeRequest(amount="30", method=PayMethod.CASH, stall_id=stall)
        )
    view = RechargeHistoryView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    view.table.view.selectRow(0)

    def cancel():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(10, cancel)
            return
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, cancel)
    view.reverse()
    qtbot.wait(200)
    assert view.client.runner.in_flight == 0
    with sqlite_db.transaction() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(LedgerEntry)
                .where(LedgerEntry.kind == EntryKind.REVERSAL)
            )
            == 0
        )
