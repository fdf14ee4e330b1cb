"""Month end in the monthly ledger view: build, flags, submit, send back, approve, files, print."""

from datetime import date

from openpyxl import load_workbook
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from app.models.billing import MonthLock
from app.ui.monthly.monthly_view import MonthlyView
from app.ui.printing.report_printing import print_document, setup_printer
from tests.builders import a_reviewer
from tests.pdf import pdf_text
from tests.services.money.test_monthly_ledger import a_november


def open_view(qtbot, client):
    view = MonthlyView(client, today=date(2026, 12, 3))
    qtbot.addWidget(view)
    view.show()
    assert view.month == date(2026, 11, 1)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    return view


def test_admin_builds_and_submits_reviewer_sends_back_then_approves(
    qtbot, sqlite_db, market, make_client, tmp_path
):
    with sqlite_db.transaction() as s:
        a_november(s)
        reviewer = a_reviewer(s)
    view = open_view(qtbot, make_client(market.admin))
    assert view.summary is None and "Not built yet" in view.status.text()
    assert view.build_button.isEnabled() and not view.submit_button.isEnabled()

    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.build()
    rows = {r.stall_code: r for r in view.model.rows}
    assert set(rows) == {"A001", "A002", "B001"}
    assert "+150%" in rows["A001"].flags and "离线" in rows["B001"].flags and not rows["A002"].flags
    view.flagged_only.setChecked(True)
    assert view.table.proxy.rowCount() == 2
    assert "3 stalls, 2 flagged" in view.totals.text()

    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.submit()
    assert not view.build_button.isEnabled()

    # The reviewer sends it back with a comment, the admin rebuilds and submits again.
    rview = open_view(qtbot, make_client(reviewer))
    assert rview.approve_button.isVisibleTo(rview) and not rview.build_button.isVisibleTo(rview)
    with qtbot.waitSignal(rview.stepped, timeout=10000):
        rview.send_back("B001 水表离线，请核实")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    assert "Sent back" in view.status.text()
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.build()
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.submit()
    with qtbot.waitSignal(rview.loaded, timeout=10000):
        rview.refresh()
    with qtbot.waitSignal(rview.stepped, timeout=10000):
        rview.approve("已核对")
    assert "locked" in rview.status.text()
    history = [(h.username, h.action_name, h.comment) for h in rview.history.rows]
    assert history[2] == ("finance", "Sent back", "B001 水表离线，请核实")
    assert history[-1] == ("finance", "Approved", "已核对")
    assert [h[1] for h in history] == [
        "Built",
        "Submitted",
        "Sent back",
        "Built",
        "Submitted",
        "Approved",
    ]
    with sqlite_db.transaction() as s:
        assert s.scalar(select(MonthLock.month)) == date(2026, 11, 1)

    # Files: .xlsx with the site total, a PDF, and printing through Qt.
    xlsx, pdf = tmp_path / "nov.xlsx", tmp_path / "nov.pdf"
    with qtbot.waitSignal(rview.saved, timeout=20000):
        rview.save(xlsx)
    with qtbot.waitSignal(rview.saved, timeout=20000):
        rview.save(pdf)
    ws = load_workbook(xlsx).active
    last = [c.value for c in ws[ws.max_row]]
    assert "全市场合计" in last
    saved = pdf_text(pdf).replace("\n", "|")
    assert (
        "已审核（锁定）" in saved
        and "|A001|档位A001|250.00|100.00|150.00|88.80|0.000|12.30|" in saved
    )
    assert (
        "|全市场合计|3户|340.00|180.00|160.00|88.80|1.900|12.30|0.00|0.00|60.00|350.00|300.00|-100.00|0.00|0.00|388.90|"
        in saved
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    setup_printer(printer, landscape=True)
    print_document(rview.document(), printer)
    printed = pdf_text(tmp_path / "printed.pdf").replace("\n", "|")
    assert (
        "|A001|档位|A001|250.00|100.00|150.00|88.80|0.000|12.30|" in printed
        and "|398.90|" in printed
    )
    assert "|388.90|" in printed and "已审核（锁定）" in printed


def test_a_cashier_sees_the_month_but_no_review_buttons(qtbot, market, make_client):
    view = open_view(qtbot, make_client(market.cashier))
    assert not view.approve_button.isVisibleTo(view) and not view.build_button.isVisibleTo(view)


def test_the_running_month_says_why_it_cannot_be_submitted(qtbot, market, make_client):
    from app.ui import site_time

    view = MonthlyView(make_client(market.admin), today=site_time.now().date())
    qtbot.addWidget(view)
    view.show()
    view.month_box.setCurrentIndex(0)  # this month, still running
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.build()
    assert view.summary is not None and not view.submit_button.isEnabled()
    assert view.why.isVisibleTo(view) and "has not ended yet" in view.why.text()
    view.month_box.setCurrentIndex(1)
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.build()
    assert view.submit_button.isEnabled() and not view.why.isVisibleTo(view)


def test_the_submitter_cannot_approve_and_an_admin_reopens_an_approved_month(
    qtbot, sqlite_db, market, make_client
):
    with sqlite_db.transaction() as s:
        a_november(s)
        reviewer = a_reviewer(s)
    view = open_view(qtbot, make_client(market.admin))
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.build()
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.submit()
    # Four eyes: the admin who submitted sees Approve disabled and why.
    assert view.approve_button.isVisibleTo(view) and not view.approve_button.isEnabled()
    assert "You submitted this month" in view.why.text() and view.why.isVisibleTo(view)
    rview = open_view(qtbot, make_client(reviewer))
    assert rview.approve_button.isEnabled() and not rview.reopen_button.isVisibleTo(rview)
    with qtbot.waitSignal(rview.stepped, timeout=10000):
        rview.approve("已核对")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    assert view.reopen_button.isVisibleTo(view) and view.reopen_button.isEnabled()
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.reopen("补开一张电费单")
    assert (
        "Reopened" in view.status.text()
        and view.build_button.isEnabled()
        and not view.reopen_button.isEnabled()
    )
    assert (view.history.rows[-1].action_name, view.history.rows[-1].comment) == (
        "Reopened",
        "补开一张电费单",
    )
    with sqlite_db.transaction() as s:
        assert s.scalar(select(MonthLock.month)) is None


def test_the_ledger_opens_on_the_latest_month_that_has_data(qtbot, sqlite_db, market, make_client):
    from app.models.monthly import MonthlyReport

    with sqlite_db.transaction() as s:
        s.add(MonthlyReport(site_id=market.site_id, month=date(2026, 9, 1)))
    view = MonthlyView(make_client(market.admin), today=date(2026, 12, 3))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    assert view.month == date(2026, 9, 1) and view.summary is not None


def test_the_flags_read_in_the_clients_language(qtbot, sqlite_db, market, make_client, language):
    with sqlite_db.transaction() as s:
        a_november(s)
    language("en")
    view = open_view(qtbot, make_client(market.admin))
    with qtbot.waitSignal(view.stepped, timeout=10000):
        view.build()
    model = view.model
    (flags,) = [i for i, c in enumerate(model.columns) if c.key == "flags"]
    shown = {r.stall_code: model.data(model.index(i, flags)) for i, r in enumerate(model.rows)}
    assert shown["A001"] == "Electricity use jumped +150%"
    assert "offline" in shown["B001"] and "离线" not in shown["B001"]
    assert shown["A002"] == ""
