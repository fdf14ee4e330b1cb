"""A receipt's print preview is not a print: only printing from the preview counts one."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from sqlalchemy import func, select

from app.models.account import PayMethod, Receipt
from app.models.user import AuditEvent
from app.services.money import accounts
from app.services.money.accounts import RechargeRequest
from app.ui.cashier.receipt_output import ReceiptOutput
from tests.pdf import pdf_text


def a_receipt(db, market) -> int:
    stall_id = market.a_stall("A001")
    with db.transaction() as s:
        return accounts.recharge(
            s,
            market.cashier,
            RechargeRequest(amount="50", method=PayMethod.CASH, stall_id=stall_id),
        ).receipt_id


def what_was_printed(db, receipt_id: int) -> tuple[int, int]:
    with db.transaction() as s:
        return s.get(Receipt, receipt_id).print_count, s.scalar(
            select(func.count()).select_from(AuditEvent)
        )


def when_modal(kind, answer) -> None:
    """Answer the next modal dialog of `kind` as the clerk would."""

    def look():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, look)
            return
        answer(dialog)

    QTimer.singleShot(0, look)


def open_preview(qtbot, make_client, market):
    parent = QWidget()
    qtbot.addWidget(parent)
    return ReceiptOutput(parent, make_client(market.cashier))


def test_a_preview_closed_without_printing_changes_nothing(
    qtbot, sqlite_db, market, make_client, runner, tmp_path
):
    receipt_id = a_receipt(sqlite_db, market)
    before = what_was_printed(sqlite_db, receipt_id)
    output = open_preview(qtbot, make_client, market)
    closed = []
    when_modal(QPrintPreviewDialog, lambda d: (closed.append(d), d.reject()))

    output.preview(receipt_id)
    qtbot.waitUntil(lambda: bool(closed) and runner.in_flight == 0, timeout=10000)

    assert what_was_printed(sqlite_db, receipt_id) == before == (0, before[1])
    assert not (tmp_path / "receipts").exists() and output.last_pdf is None


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_printing_from_the_preview_counts_one_print(
    qtbot, language, lang, sqlite_db, market, make_client, runner, tmp_path
):
    language(lang)
    receipt_id = a_receipt(sqlite_db, market)
    _, audit_before = what_was_printed(sqlite_db, receipt_id)
    output = open_preview(qtbot, make_client, market)
    paper = (
        tmp_path / "paper.pdf"
    )  # no printer on a test machine: the print dialog prints to a file

    def print_to_file(dialog: QPrintDialog) -> None:
        dialog.findChild(QLineEdit, "filename").setText(str(paper))
        dialog.accept()

    def press_print(dialog: QPrintPreviewDialog) -> None:
        when_modal(QPrintDialog, print_to_file)
        word = {"en": "Print", "zh_CN": "打印"}[lang]  # Qt's own dialog, in the clerk's language
        next(a for a in dialog.findChildren(QAction) if a.text() == word).trigger()

    when_modal(QPrintPreviewDialog, press_print)
    with qtbot.waitSignal(output.saved, timeout=10000) as saved:
        output.preview(receipt_id)

    printed = pdf_text(paper)
    for words in (
        "城南农贸市场",
        "充值收据",
        "档位\nA001",
        "金额\n¥50.00",
        "大写\n伍拾元整",
        "支付方式\n现金",
    ):
        assert words in printed, words
    assert what_was_printed(sqlite_db, receipt_id) == (1, audit_before)
    assert saved.args[0].data.receipt_no and not saved.args[0].data.is_reprint
    assert saved.args[0].pdf_path.exists()


def test_without_a_default_printer_the_receipt_is_kept_as_pdf_and_the_clerk_is_told(
    qtbot, sqlite_db, market, make_client, runner
):
    """No printer chosen in Settings: Windows' default printer is used; a PC without one (this
    test machine) keeps the receipt as a PDF and says so instead of printing nothing quietly."""
    from PySide6.QtPrintSupport import QPrinterInfo

    from app.ui.settings import options

    if not QPrinterInfo.defaultPrinter().isNull():
        pytest.skip("this machine has a default printer")
    options.PRINTER_NAME.put("")
    receipt_id = a_receipt(sqlite_db, market)
    output = open_preview(qtbot, make_client, market)
    with qtbot.waitSignal(output.printer_missing, timeout=10000) as missing:
        output.reprint(receipt_id)
    assert missing.args[0].endswith(".pdf") and output.last_pdf.exists()
    assert str(output.last_pdf) == missing.args[0]
