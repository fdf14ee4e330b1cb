"""The import view as a clerk uses it: template, check a file with a bad row, report, import."""

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.models.site import Stall
from app.ui.imports.import_view import ImportView


def stalls_file(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["城南市场档位清单"])  # a title row above the header, as people make them
    ws.append(["档位编号", "档位名称", "楼栋", "面积", "租户", "租户电话"])
    ws.append(["C001", "陈记猪肉", "一号楼", 12.5, "陈一", 13800138001.0])
    ws.append(["C002", "刘记水产", "三号楼", 9, "刘二", "13800138002"])  # no such building
    ws.append(
        ["C003", "周记干货", "一号楼", "八平方", "周三", "13800138003"]
    )  # area is not a number
    ws.append(["C004 ", "吴记豆腐", "一号楼", 6, "吴四", "13800138004"])
    wb.save(path)
    return path


def stall_count(db):
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Stall))


def open_view(qtbot, make_client, market):
    view = ImportView(make_client(market.admin))
    qtbot.addWidget(view)
    view.show()
    view.kind.setCurrentIndex(view.kind.findData("stalls"))
    return view


def test_template_has_chinese_headers_an_example_and_explanations(
    qtbot, market, make_client, tmp_path
):
    view = open_view(qtbot, make_client, market)
    with qtbot.waitSignal(view.saved, timeout=10000):
        view.save_template(tmp_path / "模板.xlsx")
    wb = load_workbook(tmp_path / "模板.xlsx")
    first = wb.worksheets[0]
    assert [c.value for c in first[1]][:3] == ["档位编号", "档位名称", "楼栋"]
    assert first["A2"].value  # the example row
    assert "填写说明" in wb.sheetnames


def test_check_reports_bad_rows_then_valid_rows_are_imported(
    qtbot, sqlite_db, market, make_client, tmp_path
):
    view = open_view(qtbot, make_client, market)
    assert not view.check_button.isEnabled()
    view.choose_file(stalls_file(tmp_path / "stalls.xlsx"))
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    assert view.check_button.isEnabled()

    with qtbot.waitSignal(view.checked, timeout=10000) as checked:
        view.check()
    result = checked.args[0]
    assert result.dry_run and stall_count(sqlite_db) == 0
    lines = view.model.rows
    assert [(l.row, l.column) for l in lines] == [(4, "楼栋"), (5, "面积")]
    assert "三号楼" in lines[0].problem and lines[0].fix
    assert "4 rows" in view.summary.text() and "2 with problems" in view.summary.text()
    assert view.report_button.isEnabled()

    report = tmp_path / "report.xlsx"
    with qtbot.waitSignal(view.saved, timeout=10000):
        view.save_report(report)
    ws = load_workbook(report).worksheets[0]
    marked = {
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).fill.fgColor.rgb not in (None, "00000000")
    }
    assert marked == {4, 5}
    assert "三号楼" in ws.cell(4, ws.max_column).value

    # All or nothing: the bad rows stop the whole file.
    view.all_or_nothing.setChecked(True)
    with qtbot.waitSignal(view.imported, timeout=10000):
        view.run_import()
    assert stall_count(sqlite_db) == 0
    assert "Nothing was imported" in view.summary.text()

    view.all_or_nothing.setChecked(False)
    with qtbot.waitSignal(view.imported, timeout=10000) as imported:
        view.run_import()
    assert imported.args[0].written and imported.args[0].created == 2
    with sqlite_db.transaction() as s:
        assert sorted(s.scalars(select(Stall.code))) == ["C001", "C004"]

    # The same file again changes nothing.
    with qtbot.waitSignal(view.imported, timeout=10000) as again:
        view.run_import()
    assert (
        again.args[0].created == 0 and again.args[0].unchanged == 2 and stall_count(sqlite_db) == 2
    )


def test_a_cashier_cannot_start_an_import(qtbot, market, make_client):
    view = ImportView(make_client(market.cashier))
    qtbot.addWidget(view)
    assert not view.file_button.isEnabled() and not view.import_button.isEnabled()


def test_a_code_that_lost_its_leading_zeros_is_shown_as_a_note(
    qtbot, sqlite_db, market, make_client, tmp_path
):
    market.a_stall("0012")
    wb = Workbook()
    wb.active.append(["档位编号", "档位名称", "楼栋"])
    wb.active.append([12, "张记蔬菜", "一号楼"])  # Excel turned 0012 into the number 12
    wb.save(tmp_path / "again.xlsx")
    view = open_view(qtbot, make_client, market)
    view.choose_file(tmp_path / "again.xlsx")
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    with qtbot.waitSignal(view.checked, timeout=10000) as checked:
        view.check()
    assert checked.args[0].ok and checked.args[0].updated == 1
    (line,) = view.model.rows
    assert (line.row, line.column) == (2, "档位编号") and "按档位 0012 处理" in line.problem
    assert "按说明处理" in view.summary.text() or "with a note" in view.summary.text()
    assert stall_count(sqlite_db) == 1
