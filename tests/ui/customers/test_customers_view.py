"""The customers view (客户) as the admin uses it: the list with each customer's stalls,
filtered as you type; add, correct a phone, delete; a cashier only looks."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from sqlalchemy import func, select

from app.models.site import Customer
from app.services.market import stalls
from app.ui.customers.customers_view import CustomersView
from app.ui.stalls.stalls_view import StallsView


@pytest.fixture
def people(market):
    """张三 rents A001; 李四 rents A002 and owns A001 and A002; 王五 holds no stall."""
    a001 = market.a_stall("A001", tenant="张三", phone="13800000001")
    a002 = market.a_stall("A002", tenant="李四", phone="13700000002")
    with market.db.transaction() as s:
        li = next(c for c in stalls.list_customers(s, market.site_id) if c.name == "李四")
        for stall in (a001, a002):
            stalls.set_stall_role(s, market.admin, stall, "owner", li.id)
        stalls.create_customer(s, market.admin, "王五", "13600000003", note="想租二号楼")
    return a001, a002


def open_view(qtbot, client) -> CustomersView:
    view = CustomersView(client)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    return view


def shown(view) -> list[tuple[str, ...]]:
    """The rows as the clerk reads them: every column's text."""
    proxy = view.table.proxy
    return [
        tuple(proxy.index(r, c).data() for c in range(proxy.columnCount()))
        for r in range(proxy.rowCount())
    ]


def row_named(view, name: str):
    return next(r for r in view.model.rows if r.name == name)


def choose(view, name: str) -> None:
    view.select_customer(row_named(view, name).id)


def save(qtbot, dialog) -> None:
    dialog.button_box.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error.isVisible(), timeout=5000)


def customers(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Customer))


def test_customers_are_listed_with_the_stalls_they_rent_and_own_and_filtered_as_you_type(
    qtbot, people, make_client
):
    view = open_view(qtbot, make_client())
    assert shown(view) == [
        ("张三", "13800000001", "A001", "", ""),
        ("李四", "13700000002", "A002", "A001, A002", ""),
        ("王五", "13600000003", "", "", "想租二号楼"),
    ]
    qtbot.keyClicks(view.table.filter_edit, "A002")  # a stall code finds its tenant and owner
    assert [r[0] for r in shown(view)] == ["李四"]
    view.table.filter_edit.clear()
    view.table.filter_edit.insert("王")  # Chinese comes from the input method as committed text
    assert [r[0] for r in shown(view)] == ["王五"]
    assert view.table.count_label.text() == "1 of 3"


def test_admin_adds_a_customer_and_it_appears_chosen(qtbot, people, make_client):
    view = open_view(qtbot, make_client())
    view.add_button.click()
    dialog = view.dialog
    dialog.name.insert("赵六")
    qtbot.keyClicks(dialog.phone, "13500000004")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        save(qtbot, dialog)
    assert not dialog.isVisible()
    assert ("赵六", "13500000004", "", "", "") in shown(view)
    assert view.table.current_row().name == "赵六"


def test_a_customer_without_a_name_is_not_added_and_the_dialog_says_why(
    qtbot, people, make_client, sqlite_db
):
    view = open_view(qtbot, make_client())
    view.add_button.click()
    qtbot.keyClicks(view.dialog.phone, "13500000004")
    save(qtbot, view.dialog)
    assert view.dialog.isVisible() and "姓名" in view.dialog.error.text()
    assert customers(sqlite_db) == 3


def test_correcting_a_phone_shows_on_the_stall_card_and_makes_no_second_customer(
    qtbot, people, make_client, sqlite_db
):
    client = make_client()
    view = open_view(qtbot, client)
    choose(view, "张三")
    view.edit_button.click()
    dialog = view.dialog
    dialog.phone.selectAll()
    qtbot.keyClicks(dialog.phone, "13800009999")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        save(qtbot, dialog)
    assert row_named(view, "张三").phone == "13800009999"
    assert view.table.current_row().name == "张三"
    assert customers(sqlite_db) == 3

    stalls_view = StallsView(client)
    qtbot.addWidget(stalls_view)
    stalls_view.show()
    with qtbot.waitSignal(stalls_view.loaded, timeout=10000):
        stalls_view.refresh()
    stalls_view.table.view.selectRow(0)  # A001
    qtbot.waitUntil(lambda: stalls_view.card.tenant.text() == "张三  13800009999", timeout=5000)
    assert stalls_view.card.owner.text() == "李四  13700000002"


def test_a_customer_who_still_rents_a_stall_is_not_deleted_and_the_clerk_is_told_why(
    qtbot, people, make_client, sqlite_db, monkeypatch
):
    asked, told = [], []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: told.append(text))
    view = open_view(qtbot, make_client())
    choose(view, "张三")
    view.delete_button.click()
    qtbot.waitUntil(lambda: told != [], timeout=5000)
    assert "张三" in asked[0] and "13800000001" in asked[0]
    assert told == [
        "客户“张三”还是档位 A001 "
        "的业主或租户，不能删除；请先在“档位”里编辑这些档位，换掉或清空租户、业主"
    ]
    assert customers(sqlite_db) == 3


def test_an_unlinked_customer_is_deleted_after_confirming(
    qtbot, people, make_client, sqlite_db, monkeypatch
):
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    view = open_view(qtbot, make_client())
    choose(view, "王五")
    view.delete_button.click()  # asked, and said no
    assert customers(sqlite_db) == 3
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.delete_button.click()
    assert [r.name for r in view.model.rows] == ["张三", "李四"]
    assert customers(sqlite_db) == 2


def test_a_cashier_sees_the_customers_but_cannot_change_them(qtbot, people, make_client, market):
    view = open_view(qtbot, make_client(market.cashier))
    assert len(view.model.rows) == 3
    assert view.read_only_note.isVisibleTo(view)
    assert not any(b.isEnabled() for b in (view.add_button, view.edit_button, view.delete_button))
    view.edit(view.model.rows[0])  # double-click / Enter opens nothing either
    assert getattr(view, "dialog", None) is None
