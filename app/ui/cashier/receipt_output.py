"""After a recharge: count the print, keep the PDF, print at the counter without a dialog.
A print preview counts a print only when the clerk prints from it."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.ui.cashier.cashier_ops import PrintedReceipt, receipt_op, receipt_print_op
from app.ui.client import Client
from app.ui.printing.receipt_printing import preview_receipt, print_receipt
from app.ui.settings import options

log = logging.getLogger(__name__)


class ReceiptOutput(QObject):
    saved = Signal(object)  # PrintedReceipt: the PDF is on disk
    printer_missing = Signal(str)

    def __init__(self, parent: QWidget, client: Client):
        super().__init__(parent)
        self.parent_widget = parent
        self.client = client
        self.last_receipt_id: int | None = None
        self.last_pdf: Path | None = None

    def print_new(self, receipt_id: int) -> None:
        self.last_receipt_id = receipt_id
        self._print(receipt_id, to_printer=options.PRINT_AT_COUNTER.get())

    def reprint(self, receipt_id: int) -> None:
        """补打: the receipt says so, because it was printed before."""
        self._print(receipt_id, to_printer=True)

    def reprint_last(self) -> None:
        if self.last_receipt_id is not None:
            self.reprint(self.last_receipt_id)

    def preview(self, receipt_id: int) -> None:
        """Only printing from the preview counts a print; closing it changes nothing."""
        layout = options.RECEIPT_LAYOUT.get()

        def show(data) -> None:
            if preview_receipt(self.parent_widget, data, layout):
                self._print(receipt_id, to_printer=False)

        receipt_op(self.parent_widget, receipt_id).success(show).run()

    def _print(self, receipt_id: int, *, to_printer: bool) -> None:
        layout = options.RECEIPT_LAYOUT.get()

        def done(printed: PrintedReceipt) -> None:
            self.last_pdf = printed.pdf_path
            if to_printer:
                printer = options.PRINTER_NAME.get()
                if not print_receipt(printed.data, printer, layout, options.RECEIPT_COPIES.get()):
                    log.warning(
                        "receipt %s not printed: no printer %r", printed.data.receipt_no, printer
                    )
                    self.printer_missing.emit(str(printed.pdf_path))
            self.saved.emit(printed)

        receipt_print_op(self.parent_widget, self.client.receipts_dir, receipt_id, layout).success(
            done
        ).run()
