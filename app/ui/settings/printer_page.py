"""Printer and receipt layout: which printer the counter uses without asking, paper size."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.models.account import EntryKind, PayMethod
from app.models.labels import ENTRY_KIND, PAY_METHOD
from app.models.money import yuan_in_capitals
from app.services.money.accounts import ReceiptData
from app.ui import site_time
from app.ui.printing.receipt_printing import preview_receipt
from app.ui.settings import options
from app.ui.settings.page import SettingsPage

LAYOUT_NAMES = (
    ("58mm", QT_TRANSLATE_NOOP("Settings", "58 mm thermal roll")),
    ("80mm", QT_TRANSLATE_NOOP("Settings", "80 mm thermal roll")),
    ("a5", QT_TRANSLATE_NOOP("Settings", "A5 sheet")),
)


def sample_receipt(site_name: str) -> ReceiptData:
    amount = Decimal("120.50")
    return ReceiptData(
        0,
        1,
        site_name,
        "",
        datetime.now(UTC),
        EntryKind.RECHARGE,
        ENTRY_KIND[EntryKind.RECHARGE].say(),
        "A001",
        QCoreApplication.translate("Settings", "Sample stall"),
        "张三",
        PayMethod.WECHAT,
        PAY_METHOD[PayMethod.WECHAT].say(),
        amount,
        yuan_in_capitals(amount),
        Decimal("12.30"),
        Decimal("132.80"),
        QCoreApplication.translate("Settings", "Sample"),
        0,
        False,
        site_time.site_zone().key,
    )


class PrinterPage(SettingsPage):
    NAME = "printer"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Printer and receipt")
    SORT_ORDER = 70
    HAS_SAVE = True

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.printer = QComboBox(self)
        self.layout_combo = QComboBox(self)
        for key, title in LAYOUT_NAMES:
            self.layout_combo.addItem(QCoreApplication.translate("Settings", title), key)
        self.print_at_counter = QCheckBox(
            self.tr("Print the receipt of every recharge at once"), self
        )
        self.copies = QSpinBox(self)
        self.copies.setRange(1, 3)
        preview = QPushButton(self.tr("Preview a sample receipt …"), self)
        preview.clicked.connect(
            lambda: preview_receipt(
                self, sample_receipt(client.site_name), self.layout_combo.currentData()
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("Printer"), self.printer)
        form.addRow(self.tr("Paper"), self.layout_combo)
        form.addRow(self.tr("Copies"), self.copies)
        form.addRow("", self.print_at_counter)
        form.addRow("", preview)
        note = QLabel(
            self.tr(
                "Every receipt is also kept as a PDF in the receipts folder of the user data "
                "folder."
            ),
            self,
        )
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)

    def load(self) -> None:
        self.printer.clear()
        self.printer.addItem(self.tr("The system's default printer"), "")
        for name in QPrinterInfo.availablePrinterNames():
            self.printer.addItem(name, name)
        current = options.PRINTER_NAME.get()
        if current and self.printer.findData(current) < 0:
            self.printer.addItem(self.tr("%1 (not found)").replace("%1", current), current)
        self.printer.setCurrentIndex(max(0, self.printer.findData(current)))
        self.layout_combo.setCurrentIndex(
            max(0, self.layout_combo.findData(options.RECEIPT_LAYOUT.get()))
        )
        self.print_at_counter.setChecked(options.PRINT_AT_COUNTER.get())
        self.copies.setValue(options.RECEIPT_COPIES.get())

    def save(self) -> None:
        options.PRINTER_NAME.put(self.printer.currentData())
        options.RECEIPT_LAYOUT.put(self.layout_combo.currentData())
        options.PRINT_AT_COUNTER.put(self.print_at_counter.isChecked())
        options.RECEIPT_COPIES.put(self.copies.value())
