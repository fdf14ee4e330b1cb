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
