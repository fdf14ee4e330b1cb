"""Bills view: one period (账期) at a time, kind and status applied in the query, and a
plain word when a query reaches the cap instead of silently cutting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models.account import Account
from app.models.billing import Bill, BillKind, BillLine, BillStatus
from app.services.money import property as property_bills
from app.services.money.property import MONTH_UNIT, OPEN_BILLS
from app.services.money.tariffs import TIER_PART
from app.ui import site_time
from app.ui.bills.bills_view import BillsView
from app.words import stored_text


def this_month():
    return site_time.now().date().replace(day=1)


def month_before(m):
    return (m.replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture
def bills(market, sqlite_db):
    a, b = market.a_stall("A001", balance="500"), market.a_stall("A002", balance="500")
    now, last = this_month(), month_before(this_month())
    market.some_bills(a, now, 30)
    market.some_bills(b, now, 10, kind=BillKind.WATER, status=BillStatus.SETTLED)
    market.some_bills(a, last, 40)
    return a, b


def load(qtbot, view):
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()


def choose(qtbot, view, box, data):
    with qtbot.waitSignal(view.loaded, timeout=10000):
        box.setCurrentIndex(box.findData(data))


def test_the_bills_of_this_month_are_shown_and_other_periods_can_be_chosen(
    qtbot, bills, make_client
):
    view = BillsView(make_client())
    qtbot.addWidget(view)
    load(qtbot, view)
    assert view.month.currentData() == this_month().isoformat()
    assert view.model.rowCount() == 40
    assert [view.month.itemData(i) for i in range(view.month.count())] == [
        this_month().isoformat(),
        month_before(this_month()).isoformat(),
        "",
    ]

    choose(qtbot, view, view.month, month_before(this_month()).isoformat())
    assert view.model.rowCount() == 40 and {r.kind for r in view.model.rows} == {"electric"}
    choose(qtbot, view, view.month, "")
    assert view.model.rowCount() == 80
    choose(qtbot, view, view.kind, BillKind.WATER.value)
    assert view.model.rowCount() == 10
    choose(qtbot, view, view.kind, None)
    choose(qtbot, view, view.status, OPEN_BILLS)
    assert view.model.rowCount() == 70 and not view.cut_note.isVisible()


def test_a_query_over_the_cap_says_how_many_it_leaves_out(qtbot, bills, make_client, monkeypatch):
    monkeypatch.setattr(property_bills, "BILL_ROW_CAP", 25)
    view = BillsView(make_client())
    qtbot.addWidget(view)
    view.show()
    load(qtbot, view)
    assert view.model.rowCount() == 25
    assert view.cut_note.isVisible()
    assert "25" in view.cut_note.text() and "40" in view.cut_note.text()
    choose(qtbot, view, view.kind, BillKind.WATER.value)
    assert view.model.rowCount() == 10 and not view.cut_note.isVisible()


def test_the_not_issued_bills_of_the_period_are_issued_in_one_batch(
    qtbot, bills, make_client, sqlite_db, monkeypatch
):
    a, _ = bills
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    view = BillsView(make_client())
    qtbot.addWidget(view)
    view.show()
    load(qtbot, view)
    choose(qtbot, view, view.status, OPEN_BILLS)
    view.table.view.selectAll()
    with qtbot.waitSignal(view.loaded, timeout=10000):  # issuing changes bills: the view reloads
        view.issue()
    assert view.model.rowCount() == 0  # none of this month is left to issue
    with sqlite_db.transaction() as s:
        assert s.scalar(select(Account.balance).where(Account.stall_id == a)) == Decimal(
            "470.00"
        )  # 30 × ¥1 of this month only


def cell(model, row, key):
    (col,) = [c for c in model.columns if c.key == key]
    return model.data(model.index(row, model.columns.index(col)))


def test_a_voided_bills_note_reads_in_the_clients_language(
    qtbot, market, sqlite_db, make_client, language
):
    market.some_bills(market.a_stall("A001"), this_month(), 1)
    with sqlite_db.transaction() as s:
        bill_id = s.scalar(select(Bill.id))
        property_bills.void_bill(s, market.admin, bill_id, "开错了")
    language("en")
    view = BillsView(make_client())
    qtbot.addWidget(view)
    view.resize(1400, 300)
    view.show()
    load(qtbot, view)
    assert cell(view.model, 0, "note") == "Voided: 开错了"
    language("zh_CN")
    assert cell(view.model, 0, "note") == "作废：开错了"


def _lines_text(view):
    m = view.lines_model
    return [tuple(m.data(m.index(r, c)) for c in (0, 4, 5, 6, 7)) for r in range(m.rowCount())]


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "en",
            [
                ("Tier 1 m³", "10.000", "m³", "3.0000", "30.00"),
                ("Cleaning", "1.000", "month", "30.0000", "30.00"),
            ],
        ),
        (
            "zh_CN",
            [
                ("第1阶梯 m³", "10.000", "m³", "3.0000", "30.00"),
                ("Cleaning", "1.000", "月", "30.0000", "30.00"),
            ],
        ),
    ],
)
def test_the_chosen_bills_lines_read_in_the_clients_language(
    qtbot, market, sqlite_db, make_client, language, lang, expected, tmp_path
):
    stall = market.a_stall("A001")
    market.some_bills(stall, this_month(), 1)
    with sqlite_db.transaction() as s:
        bill = s.scalar(select(Bill.id))
        for description, quantity, unit, price in (
            (stored_text(TIER_PART(level=1, unit="m³")), "10.000", "m³", "3.0000"),
            ("Cleaning", "1", stored_text(MONTH_UNIT), "30"),
        ):
            s.add(
                BillLine(
                    bill_id=bill,
                    description=description,
                    quantity=Decimal(quantity),
                    unit=unit,
                    price=Decimal(price),
                    amount=Decimal("30.00"),
                )
            )
    language(lang)
    view = BillsView(make_client())
    qtbot.addWidget(view)
    load(qtbot, view)
    assert view.lines_model.rowCount() == 0
    view.table.view.selectRow(0)
    qtbot.waitUntil(lambda: view.lines_model.rowCount() == 2, timeout=10000)
    assert _lines_text(view) == expected
    assert str(bill) in view.lines_title.text()
    view.resize(1100, 600)
    view.grab().save(f"/tmp/bill_lines_{lang}.png")
    # saved as Excel, the lines read as on screen
    with qtbot.waitSignal(view.lines.exported, timeout=10000):
        view.lines.export_xlsx(tmp_path / "lines.xlsx")
    cells = {
        c.value for row in load_workbook(tmp_path / "lines.xlsx").active.iter_rows() for c in row
    }
    assert {expected[0][0], expected[1][2]} <= cells
