"""Reports as the office uses them: usage by day and month, the shift report,
arrears with notices."""

from datetime import date, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from app.comm.types import MeterKind
from app.models.account import PayMethod
from app.models.site import Stall
from app.services.money.accounts import RechargeRequest, recharge
from app.ui.printing.report_printing import print_document, setup_printer
from app.ui.reports.meter_picker import MeterPicker
from app.ui.reports.reports_view import ReportsView
from tests.builders import a_meter, readings
from tests.pdf import pdf_pages, pdf_text


def open_view(qtbot, client):
    view = ReportsView(client)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    return view


def print_to_pdf(doc, path, *, landscape=False):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    setup_printer(printer, landscape=landscape)
    print_document(doc, printer)
    return path.read_bytes()


def test_usage_by_day_and_by_month_of_the_meters_shown(
    qtbot, sqlite_db, market, make_client, tmp_path
):
    today = date.today()
    d1, d2, d3 = today - timedelta(days=3), today - timedelta(days=2), today - timedelta(days=1)
    a = market.a_stall("U001")
    b = market.a_stall("U002")
    with sqlite_db.transaction() as s:
        readings(s, a_meter(s, s.get(Stall, a), address="E-1"), {d1: 100, d2: 112.5, d3: 130})
        readings(
            s,
            a_meter(s, s.get(Stall, b), kind=MeterKind.WATER, address="W-1"),
            {d1: 10, d2: 11, d3: 13},
        )
    view = open_view(qtbot, make_client(market.admin))
    tab = view.usage
    tab.first.setDate(d1)
    tab.last.setDate(d3)
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.load()
    by_day = {(r.address, r.period): r.usage for r in tab.model.rows}
    assert by_day[("E-1", d2.isoformat())] == Decimal("12.500") and by_day[
        ("E-1", d3.isoformat())
    ] == Decimal("17.500")
    assert by_day[("W-1", d3.isoformat())] == Decimal("2.000")

    tab.kind.setCurrentIndex(tab.kind.findData(MeterKind.ELECTRIC.value))
    tab.by.setCurrentIndex(tab.by.findData("month"))
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.load()
    assert {r.address for r in tab.model.rows} == {"E-1"}
    assert sum(r.usage for r in tab.model.rows) == Decimal("30.000")

    out = tmp_path / "usage.xlsx"
    with qtbot.waitSignal(tab.saved, timeout=10000):
        tab.save(out)
    ws = load_workbook(out).active
    usage_cells = [row[5] for row in ws.iter_rows(min_row=3)]
    assert sum(Decimal(str(c.value)) for c in usage_cells) == Decimal("30") and all(
        c.data_type == "n" for c in usage_cells
    )
    with qtbot.waitSignal(tab.saved, timeout=10000):
        tab.save(tmp_path / "usage.pdf")
    printed = pdf_text(tmp_path / "usage.pdf").replace("\n", "|")
    for r in tab.model.rows:  # the month rows shown, with their figures
        assert (
            f"|E-1|电表|U001|U001蔬菜|{r.period}|{r.usage:.2f}|kWh|" in printed
        )  # kWh to the hundredth
    assert "W-1" not in printed and "用量报表" in printed


def test_shift_report_of_two_cashiers_prints(qtbot, sqlite_db, market, make_client, tmp_path):
    stall = market.a_stall("S001")
    with sqlite_db.transaction() as s:
        recharge(
            s, market.cashier, RechargeRequest(amount="100", method=PayMethod.CASH, stall_id=stall)
        )
        recharge(
            s,
            market.cashier,
            RechargeRequest(amount="50.50", method=PayMethod.WECHAT, stall_id=stall),
        )
        recharge(
            s, market.cashier2, RechargeRequest(amount="20", method=PayMethod.CASH, stall_id=stall)
        )
    view = open_view(qtbot, make_client(market.admin))
    tab = view.shift
    assert tab.report.total == Decimal("170.50") and tab.report.count == 3
    assert "3 receipts, net ¥170.50; cash in the drawer ¥120.00" in tab.summary.text()
    shown = [(r.operator, r.method, r.recharge, r.amount, r.cash) for r in tab.model.rows]
    assert ("小李", "Cash", Decimal("100.00"), Decimal("100.00"), None) in shown
    assert ("小李", "All methods", Decimal("150.50"), Decimal("150.50"), Decimal("100.00")) in shown
    assert ("All cashiers", "WeChat Pay", Decimal("50.50"), Decimal("50.50"), None) in shown
    assert ("Total", "", Decimal("170.50"), Decimal("170.50"), Decimal("120.00")) in shown
    # the client's words for methods, not the printed report's Chinese ones
    assert not any(w in str(shown) for w in ("现金", "微信", "充值", "合计", "全部"))

    # A cashier sees only their own shift.
    own = open_view(qtbot, make_client(market.cashier)).shift
    assert own.report.total == Decimal("150.50")

    with qtbot.waitSignal(tab.saved, timeout=10000):
        tab.save(tmp_path / "shift.xlsx")
    ws = load_workbook(tmp_path / "shift.xlsx").active
    assert [c.value for c in ws[ws.max_row]][0] == "总计"
    printed = pdf_text(print_to_pdf(tab.document(), tmp_path / "shift_printed.pdf")).replace(
        "\n", "|"
    )
    # cashier, method, recharges (count, sum), reversals, refunds, net; a cashier's total adds the
    # drawer's cash
    for line in (
        "|小李|微信|1|50.50|0|0.00|0|0.00|50.50|",
        "|小李|现金|1|100.00|0|0.00|0|0.00|100.00|",
        "|小王|现金|1|20.00|0|0.00|0|0.00|20.00|",
        "|小李|合计|2|150.50|0|0.00|0|0.00|150.50|100.00|",
        "|全部|现金|2|120.00|0|0.00|0|0.00|120.00|",
        "应有现金120.00元",
    ):
        assert line in printed, line  # the printed report keeps the Chinese words of the paper form


def test_arrears_list_and_payment_notices(qtbot, sqlite_db, market, make_client, tmp_path):
    market.a_stall("R001", balance="-35.20", tenant="钱七", phone="13912345678")
    market.a_stall("R002", balance="30", tenant="孙八")  # below alarm 1 (50)
    market.a_stall("R003", balance="500")
    view = open_view(qtbot, make_client(market.admin))
    tab = view.arrears
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.load()
    rows = {r.stall_code: r for r in tab.model.rows}
    assert set(rows) == {"R001", "R002"}
    assert rows["R001"].phone == "13912345678" and rows["R001"].state.startswith("已欠费")
    assert "owed in total ¥35.20" in tab.summary.text()

    tab.include_low.setChecked(False)
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.load()
    assert [r.stall_code for r in tab.model.rows] == ["R001"]

    with qtbot.waitSignal(tab.saved, timeout=10000):
        tab.save_notices(tmp_path / "notices.pdf")
    (saved_notice,) = pdf_pages(
        tmp_path / "notices.pdf"
    )  # only R001: the low ones are not asked for
    for words in ("R001", "钱七", "13912345678", "可用余额\n-35.20元", "已欠费"):
        assert words in saved_notice, words
    with qtbot.waitSignal(tab.saved, timeout=10000):
        tab.save(tmp_path / "arrears.xlsx")
    ws = load_workbook(tmp_path / "arrears.xlsx").active
    assert (
        ws.cell(3, 2).value == "R001"
        and ws.cell(3, 7).value == -35.2
        and ws.cell(3, 7).number_format == "0.00"
    )
    (printed_notice,) = pdf_pages(print_to_pdf(tab.notices(), tmp_path / "notices_printed.pdf"))
    for words in ("R001", "钱七", "13912345678", "可用余额\n-35.20元", "已欠费"):
        assert words in printed_notice, words


def test_usage_of_single_meters_picked_from_a_list_filtered_as_you_type(
    qtbot, sqlite_db, market, make_client, monkeypatch
):
    today = date.today()
    d1, d2 = today - timedelta(days=2), today - timedelta(days=1)
    stalls = {
        address: market.a_stall(code)
        for code, address in (("P001", "E-11"), ("P002", "E-12"), ("Q001", "E-21"))
    }
    with sqlite_db.transaction() as s:
        for address, stall_id in stalls.items():
            readings(s, a_meter(s, s.get(Stall, stall_id), address=address), {d1: 100, d2: 110})
    view = open_view(qtbot, make_client(market.admin))
    tab = view.usage
    tab.first.setDate(d1)
    tab.last.setDate(d2)
    assert tab.meters_button.text() == "Single meters …"

    def pick(picker):
        qtbot.addWidget(picker)
        qtbot.keyClicks(picker.filter_edit, "p00")
        assert picker.shown.rowCount() == 2  # P001 and P002, not Q001
        picker._set_shown(Qt.CheckState.Checked)
        picker.filter_edit.clear()
        picker.items.item(1).setCheckState(Qt.CheckState.Unchecked)  # and P002 off again, by hand
        assert picker.count.text() == "1 chosen"
        return MeterPicker.DialogCode.Accepted

    monkeypatch.setattr(MeterPicker, "exec", pick)  # the clerk's ticks, then OK
    tab.meters_button.click()
    qtbot.waitUntil(lambda: tab.meters_button.text() == "Meters chosen: 1 …", timeout=10000)
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.load()
    assert {r.address for r in tab.model.rows} == {"E-11"}


def test_the_usage_and_arrears_tabs_show_their_lists_when_opened_without_pressing_show(
    qtbot, market, make_client
):
    market.a_stall("R001", balance="-35.20", tenant="钱七")
    view = open_view(qtbot, make_client(market.admin))
    with qtbot.waitSignal(view.arrears.loaded, timeout=10000):
        view.tabs.setCurrentWidget(view.arrears)
    assert [r.stall_code for r in view.arrears.model.rows] == ["R001"]
    with qtbot.waitSignal(view.usage.loaded, timeout=10000):
        view.tabs.setCurrentWidget(view.usage)
    assert view.usage.is_loaded
