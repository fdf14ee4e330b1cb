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
    row = next(
        r for r in range(view.table.proxy.rowCount()) if view.table.proxy.row_at(r).code == "S002"
    )
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


def open_stalls(qtbot, client) -> StallsView:
    view = StallsView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    return view


def edit_stall(qtbot, view: StallsView, code: str, fill) -> None:
    """Choose the stall, click Edit, let `fill(dialog)` type in the dialog, and save it;
    returns once the stall is saved and its card shown again."""
    row = next(
        r for r in range(view.table.proxy.rowCount()) if view.table.proxy.row_at(r).code == code
    )
    view.table.view.selectRow(row)
    save_in_dialog(qtbot, view, view.edit_button, fill)
    assert view.card.card.code == code


def save_in_dialog(qtbot, view: StallsView, button, fill) -> None:
    """Click `button` (Add or Edit), let `fill(dialog)` type in the stall dialog, and save."""
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.stalls.stall_dialog import StallDialog

    done: list[bool] = []

    def fill_and_save():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, StallDialog):
            QTimer.singleShot(10, fill_and_save)
            return
        fill(dialog)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        done.append(True)

    QTimer.singleShot(0, fill_and_save)
    button.click()
    qtbot.waitUntil(lambda: bool(done) and view.client.runner.in_flight == 0, timeout=10000)


def pick_from_completions(qtbot, picker, typed: str, line: int = 0) -> None:
    """Type part of a name or phone in the person's name field and pick a suggested line
    with the arrow keys and Enter, as the clerk does."""
    from PySide6.QtCore import Qt

    picker.name.setFocus()
    if typed.isascii():
        qtbot.keyClicks(picker.name, typed)
    else:
        picker.name.insert(typed)  # Chinese comes from the input method as committed text
    popup = picker.completer.popup()
    assert popup.isVisible()
    for _ in range(line + 1):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def customer_count(db) -> int:
    from sqlalchemy import func, select

    from app.models.site import Customer

    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def test_choosing_an_existing_customer_as_tenant_of_a_second_stall_adds_no_customer(
    qtbot, market, make_client, sqlite_db
):
    market.a_stall("S001", tenant="张三", phone="13800000001")
    market.a_stall("S002", tenant=None)
    view = open_stalls(qtbot, make_client(market.admin))
    hints: list[str] = []

    def fill(dialog):
        assert dialog.tenant.name.text() == ""
        pick_from_completions(qtbot, dialog.tenant, "张")
        assert (dialog.tenant.name.text(), dialog.tenant.phone.text()) == ("张三", "13800000001")
        hints.append(dialog.tenant.hint.text())

    edit_stall(qtbot, view, "S002", fill)
    assert hints == ["Existing customer · tenant of S001"]
    assert view.card.tenant.text() == "张三  13800000001"
    assert customer_count(sqlite_db) == 1
    from app.services.market import stalls

    with sqlite_db.transaction() as s:
        (zhang,) = stalls.list_customers(s, market.site_id)
    assert zhang.rents == ("S001", "S002")


def test_correcting_the_tenants_phone_in_the_stall_dialog_changes_that_customer(
    qtbot, market, make_client, sqlite_db
):
    market.a_stall("S001", tenant="张三", phone="13800000001")
    view = open_stalls(qtbot, make_client(market.admin))

    def fill(dialog):
        dialog.tenant.phone.selectAll()
        qtbot.keyClicks(dialog.tenant.phone, "13800009999")
        assert "13800009999" in dialog.tenant.hint.text()  # says the phone will be changed

    edit_stall(qtbot, view, "S001", fill)
    assert view.card.tenant.text() == "张三  13800009999"
    assert customer_count(sqlite_db) == 1


def test_setting_an_owner_shows_it_on_the_stall_card(qtbot, market, make_client, sqlite_db):
    market.a_stall("S001", tenant="张三", phone="13800000001")
    view = open_stalls(qtbot, make_client(market.admin))
    hints: list[str] = []

    def fill(dialog):
        dialog.owner.name.setFocus()
        dialog.owner.name.insert("赵六")
        qtbot.keyClick(dialog.owner.name, "\t")  # Tab goes on to the owner's phone
        assert dialog.focusWidget() is dialog.owner.phone
        qtbot.keyClicks(dialog.owner.phone, "13500000004")
        hints.append(dialog.owner.hint.text())

    edit_stall(qtbot, view, "S001", fill)
    assert hints == ["New customer: added when you save"]
    assert view.card.owner.text() == "赵六  13500000004"
    assert view.card.tenant.text() == "张三  13800000001"
    assert customer_count(sqlite_db) == 2


def test_a_new_stall_whose_new_owner_is_also_its_tenant_makes_one_customer(
    qtbot, market, make_client, sqlite_db
):
    view = open_stalls(qtbot, make_client(market.admin))

    def fill(dialog):
        qtbot.keyClicks(dialog.code, "S009")
        for picker in (dialog.tenant, dialog.owner):
            picker.name.insert("钱七")
            qtbot.keyClicks(picker.phone, "13300000007")

    save_in_dialog(qtbot, view, view.add_button, fill)
    assert view.card.card.code == "S009"
    assert (view.card.tenant.text(), view.card.owner.text()) == ("钱七  13300000007",) * 2
    assert customer_count(sqlite_db) == 1


def test_a_stall_code_already_taken_is_said_under_the_form_and_what_was_typed_stays(
    qtbot, market, make_client, sqlite_db
):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.stalls.stall_dialog import StallDialog

    market.a_stall("S001")
    customers_before = customer_count(sqlite_db)
    view = open_stalls(qtbot, make_client(market.admin))
    seen: dict[str, object] = {}

    def save(dialog):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    def fill_and_save():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, StallDialog):
            QTimer.singleShot(10, fill_and_save)
            return
        qtbot.keyClicks(dialog.code, "S001")
        dialog.name.insert("第二家水果")  # Chinese comes from the input method as committed text
        dialog.tenant.name.insert("孙八")
        save(dialog)
        retry_when_refused(dialog)

    def retry_when_refused(dialog):
        if not dialog.error.isVisible():
            QTimer.singleShot(10, lambda: retry_when_refused(dialog))
            return
        seen.update(
            error=dialog.error.text(),
            open=dialog.isVisible(),
            name=dialog.name.text(),
            tenant=dialog.tenant.name.text(),
        )
        dialog.code.setText("S002")
        save(dialog)

    QTimer.singleShot(0, fill_and_save)
    view.add_button.click()  # the dialog's own event loop runs until it is saved
    qtbot.waitUntil(
        lambda: view.client.runner.in_flight == 0 and view.card.card is not None, timeout=10000
    )
    assert "S001" in seen["error"] and seen["open"] is True
    assert (seen["name"], seen["tenant"]) == ("第二家水果", "孙八")
    assert view.card.card.code == "S002" and view.card.card.name == "第二家水果"
    assert (
        customer_count(sqlite_db) == customers_before + 1
    )  # 孙八 once: the refused save added none


def choose(view: StallsView, code: str) -> None:
    row = next(
        r for r in range(view.table.proxy.rowCount()) if view.table.proxy.row_at(r).code == code
    )
    view.table.view.selectRow(row)


def test_admin_closes_a_stalls_account_from_its_card_and_the_refund_receipt_is_kept(
    qtbot, market, make_client
):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.models.account import AccountStatus
    from app.ui.stalls.close_account_dialog import CloseAccountDialog

    stall = market.a_stall("S001", balance="35.60", tenant="张三")
    market.a_meter(
        stall, last_total=1200, settled_total=1000, price="1.5000"
    )  # 3.00 not yet settled
    view = open_stalls(qtbot, make_client(market.admin))
    choose(view, "S001")
    qtbot.waitUntil(
        lambda: view.card.card is not None and view.close_account_button.isVisible(), timeout=10000
    )
    assert not view.reopen_button.isVisible()
    view.close_account_button.click()
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), CloseAccountDialog), timeout=10000
    )
    dialog = QApplication.activeModalWidget()
    assert dialog.refund.text() == "¥ 32.60"
    with qtbot.waitSignal(view.receipts.saved, timeout=15000) as printed:
        dialog.button_box.button(QDialogButtonBox.StandardButton.Save).click()
    receipt = printed.args[0]
    assert (
        receipt.pdf_path.exists()
        and receipt.data.kind_name == "销户退款"
        and receipt.data.amount_in_capitals == "叁拾贰元陆角整"
    )
    qtbot.waitUntil(lambda: view.card.card.account_status is AccountStatus.CLOSED, timeout=10000)
    assert view.reopen_button.isVisible() and not view.close_account_button.isVisible()


def test_a_cashier_sees_no_close_account_on_the_stall_card(qtbot, market, make_client):
    market.a_stall("S001", balance="10")
    view = open_stalls(qtbot, make_client(market.cashier))
    choose(view, "S001")
    qtbot.waitUntil(lambda: view.card.card is not None, timeout=10000)
    assert not view.close_account_button.isVisible() and not view.reopen_button.isVisible()


def test_a_recharge_while_the_close_dialog_is_open_refuses_the_refund_and_the_dialog_stays(
    qtbot, market, make_client
):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.models.account import AccountStatus, PayMethod
    from app.services.money.accounts import RechargeRequest, recharge
    from app.ui.stalls.close_account_dialog import CloseAccountDialog

    market.a_stall("S001", balance="35.60", tenant="张三")
    view = open_stalls(qtbot, make_client(market.admin))
    choose(view, "S001")
    qtbot.waitUntil(
        lambda: view.card.card is not None and view.close_account_button.isVisible(), timeout=10000
    )
    view.close_account_button.click()
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), CloseAccountDialog), timeout=10000
    )
    dialog = QApplication.activeModalWidget()
    assert dialog.refund.text() == "¥ 35.60"
    with market.db.transaction() as s:  # another cashier takes a recharge meanwhile
        recharge(
            s,
            market.cashier,
            RechargeRequest(stall_code="S001", amount="10", method=PayMethod.CASH),
        )
    dialog.button_box.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(
        lambda: dialog.error.isVisible() and view.client.runner.in_flight == 0, timeout=15000
    )
    assert "余额已变化" in dialog.error.text() and "45.60" in dialog.error.text()
    assert dialog.isVisible() and dialog.button_box.isEnabled()
    dialog.grab().save("/tmp/close_refused.png")
    dialog.reject()
    qtbot.waitUntil(lambda: view.client.runner.in_flight == 0, timeout=10000)
    assert view.card.card.account_status is AccountStatus.OPEN
