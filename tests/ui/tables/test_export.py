"""Every table view: "Export Excel" writes what the view shows, with real cell types."""

from decimal import Decimal

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app.ui.stalls.stalls_view import StallsView


def test_clerk_exports_a_filtered_sorted_stall_list_with_real_numbers(
    qtbot, market, make_client, tmp_path
):
    market.a_stall("B001", balance="12.30", tenant="张三", building="二号楼")
    market.a_stall(
        "B002", balance="250.05", tenant="李四", building="二号楼", name="=cmd|' /C calc'!A0"
    )
    market.a_stall("B003", balance="-8.40", tenant="王五", building="二号楼")
    market.a_stall("A001", balance="99.00", tenant="赵六")
    view = StallsView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    table = view.table
    table.filter_edit.setText("二号楼")
    qtbot.waitUntil(lambda: table.proxy.rowCount() == 3, timeout=5000)
    balance_col = next(i for i, c in enumerate(table.model.columns) if c.key == "balance")
    table.view.sortByColumn(balance_col, Qt.SortOrder.DescendingOrder)
    phone_col = next(i for i, c in enumerate(table.model.columns) if c.key == "tenant_phone")
    table.view.horizontalHeader().setSectionHidden(phone_col, True)
    table.export_title = "档位"

    out = tmp_path / "stalls.xlsx"
    with qtbot.waitSignal(table.exported, timeout=10000) as done:
        table.export_xlsx(out)
    assert done.args[0] == out

    ws = load_workbook(out).active
    assert ws["A1"].value == "档位"
    assert ws.freeze_panes == "A3"
    header = [c.value for c in ws[2]]
    assert "Phone" not in header and "电话" not in header
    assert len(header) == sum(
        1 for i in range(len(table.model.columns)) if not table.view.isColumnHidden(i)
    )
    code_i, name_i, bal_i = (
        header.index("Stall"),
        header.index("Stall name"),
        header.index("Balance ¥"),
    )
    body = list(ws.iter_rows(min_row=3))
    assert [r[code_i].value for r in body] == [
        "B002",
        "B001",
        "B003",
    ]  # sorted by balance, filtered to 二号楼
    balances = [r[bal_i] for r in body]
    assert [Decimal(str(c.value)) for c in balances] == [
        Decimal("250.05"),
        Decimal("12.30"),
        Decimal("-8.40"),
    ]
    assert all(c.data_type == "n" and c.number_format == "0.00" for c in balances)
    formula_like = body[0][name_i]
    assert formula_like.value.startswith("=") and formula_like.data_type == "s"
    assert ws.column_dimensions["A"].width >= 4
