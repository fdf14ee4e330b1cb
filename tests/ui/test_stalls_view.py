"""The stalls view: Edit and Delete say what to do when no stall is chosen."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.stalls.stalls_view import StallsView


def test_edit_or_delete_without_a_chosen_stall_says_to_click_one_first(qtbot, market, make_client):
    market.a_stall("S001")
    view = StallsView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    seen: list[str] = []

    def note_and_close():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, note_and_close)
            return
        seen.append(box.text())
        box.accept()

    for action in (view.edit, view.delete):
        QTimer.singleShot(0, note_and_close)
        action()
    assert seen == ["Click a stall in the list first."] * 2


def test_edit_at_once_after_clicking_a_stall_opens_that_stall(qtbot, market, make_client):
    from app.ui.stalls.stall_dialog import StallDialog

    market.a_stall("S001")
    market.a_stall("S002", name="水果批发")
    view = StallsView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    row = next(r for r in range(view.table.proxy.rowCount()) if view.table.proxy.row_at(r).code == "S002")
    view.table.view.selectRow(row)
    opened: list[str] = []

    def note_and_close():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, StallDialog):
            QTimer.singleShot(10, note_and_close)
            return
        opened.append(dialog.code.text())
        dialog.reject()

    QTimer.singleShot(0, note_and_close)
    view.edit()  # before the card beside the list has loaded
    qtbot.waitUntil(lambda: opened == ["S002"], timeout=10000)
