"""Bills (账单): electricity, water, property and shared bills; not issued / settled;
generate the month's property bills and issue (下发) them in a batch; the lines of the bill
chosen below the list, in the client's language."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.billing import BillKind, BillStatus
from app.models.money import ZERO, fmt_yuan
from app.services.money import property as property_bills
from app.services.money.property import (
    OPEN_BILLS,
    BillLineRow,
    BillPage,
    BillRow,
    bill_lines,
    bill_months,
    bill_rows,
)
from app.services.platform.context import Changes, May
from app.ui import site_time
from app.ui.client import Client
from app.ui.labels import comm_text, label
from app.ui.ops import DbOp, QueryOp
from app.ui.tables.columns import CENTER, RIGHT, Column, local_time, text, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View

COLUMNS = [
    Column("id", QT_TRANSLATE_NOOP("Columns", "Bill No."), str, RIGHT, width=70),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Kind"), label, CENTER, width=90),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"), label, CENTER, width=70),
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=80),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=130),
    Column("period_start", QT_TRANSLATE_NOOP("Columns", "From"), local_time, width=130),
    Column("period_end", QT_TRANSLATE_NOOP("Columns", "To"), local_time, width=130),
    Column("amount", QT_TRANSLATE_NOOP("Columns", "Amount ¥"), yuan, RIGHT, width=90),
    Column("issued_at", QT_TRANSLATE_NOOP("Columns", "Issued"), local_time, width=130),
    Column("note", QT_TRANSLATE_NOOP("Columns", "Note"), comm_text, width=160),
]
# A bill's lines: the program's words (a meter's usage, a rate or tier block, a shared cost,
# month / piece) said in the client's language; a charge item's name as typed.
LINE_COLUMNS = [
    Column("description", QT_TRANSLATE_NOOP("Columns", "Item"), comm_text, width=220),
    Column("meter_id", QT_TRANSLATE_NOOP("Columns", "Meter"), text, RIGHT, width=60),
    Column("start_reading", QT_TRANSLATE_NOOP("Columns", "Start reading"), text, RIGHT),
    Column("end_reading", QT_TRANSLATE_NOOP("Columns", "End reading"), text, RIGHT),
    Column("quantity", QT_TRANSLATE_NOOP("Columns", "Quantity"), text, RIGHT, width=80),
    Column("unit", QT_TRANSLATE_NOOP("Columns", "Unit"), comm_text, CENTER, width=60),
    Column("price", QT_TRANSLATE_NOOP("Columns", "Price ¥"), text, RIGHT, width=80),
    Column("amount", QT_TRANSLATE_NOOP("Columns", "Amount ¥"), yuan, RIGHT, width=90),
]


class BillsView(View):
    """The bills of one period (账期, default this month) with the kind and status chosen;
    the query applies them, so the rows shown are all the bills that match, or the view
    says how many it leaves out."""

    cares_about = (Changes.BILLS, Changes.BALANCES)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.model = RowTableModel(COLUMNS, parent=self)
        self.table = FilteredTable("bills", self.model, self, multi_select=True)
        self.month = QComboBox(self)
        self._set_months([])
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("All kinds"), None)
        for k in BillKind:
            self.kind.addItem(label(k), k.value)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("All"), None)
        self.status.addItem(label(BillStatus.UNPROCESSED), OPEN_BILLS)
        self.status.addItem(label(BillStatus.SETTLED), BillStatus.SETTLED.value)
        self.status.addItem(label(BillStatus.VOIDED), BillStatus.VOIDED.value)
        for box in (self.month, self.kind, self.status):
            box.currentIndexChanged.connect(self.refresh)
        self.totals = QLabel(self)
        self.cut_note = QLabel(self)
        self.cut_note.setStyleSheet("color: #b00020; font-weight: bold")
        self.cut_note.setVisible(False)
        self.table.proxy.rowsInserted.connect(self._update_totals)
        self.table.proxy.modelReset.connect(self._update_totals)
        self.table.proxy.layoutChanged.connect(self._update_totals)
        self.table.proxy.rowsRemoved.connect(self._update_totals)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Period")))
        top.addWidget(self.month)
        top.addWidget(QLabel(self.tr("Kind")))
        top.addWidget(self.kind)
        top.addWidget(QLabel(self.tr("Status")))
        top.addWidget(self.status)
        top.addStretch(1)
        self.generate_button = QPushButton(self.tr("Generate property bills …"), self)
        self.generate_button.clicked.connect(self.generate)
        self.issue_button = QPushButton(self.tr("Issue selected"), self)
        self.issue_button.clicked.connect(self.issue)
        for b, action in (
            (self.generate_button, May.GENERATE_PROPERTY_BILLS),
            (self.issue_button, May.ISSUE_BILLS),
        ):
            b.setVisible(client.may(action))
            top.addWidget(b)
        self.lines_model = RowTableModel(LINE_COLUMNS, parent=self)
        # its own table: the lines can be saved as Excel, in the client's language
        self.lines = FilteredTable("bill_lines", self.lines_model, self)
        self._lines_of: int | None = None  # the bill whose lines are shown or read
        self.lines_title = QLabel(self.tr("Choose a bill to see its lines."), self)
        self.table.current_row_changed.connect(self._show_lines)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.cut_note)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.totals)
        layout.addWidget(self.lines_title)
        layout.addWidget(self.lines, 1)

    def _show_lines(self, row: BillRow | None) -> None:
        """The lines of the bill chosen (none when no bill is chosen)."""
        self._lines_of = None if row is None else row.id
        if row is None:
            self._lines_loaded(None, [])
            return
        site_id = self.client.site_id
        QueryOp(self, lambda s: bill_lines(s, site_id, row.id)).success(
            lambda lines: self._lines_loaded(row, lines)
        ).run()

    def _lines_loaded(self, row: BillRow | None, lines: list[BillLineRow]) -> None:
        if (row and row.id) != self._lines_of:
            return  # another bill was chosen while these lines were read
        self.lines_model.set_rows(lines)
        self.lines_title.setText(
            self.tr("Lines of bill %1").replace("%1", str(row.id))
            if row is not None
            else self.tr("Choose a bill to see its lines.")
        )
        self.lines.export_title = self.lines_title.text() if row is not None else ""

    def _set_months(self, months: list[date]) -> None:
        """This month, the months that have bills, and all periods; the choice is kept."""
        chosen = (
            self.month.currentData()
            if self.month.count()
            else site_time.now().date().replace(day=1).isoformat()
        )
        keys = sorted(
            {site_time.now().date().replace(day=1).isoformat(), *(m.isoformat() for m in months)},
            reverse=True,
        )
        self.month.blockSignals(True)
        self.month.clear()
        for key in keys:
            self.month.addItem(key[:7], key)
        self.month.addItem(self.tr("All periods"), "")
        self.month.setCurrentIndex(max(0, self.month.findData(chosen)))
        self.month.blockSignals(False)

    def _show_month(self, month: date) -> None:
        """Choose period `month` (the refresh that follows loads it)."""
        self.month.blockSignals(True)
        if self.month.findData(month.isoformat()) < 0:
            self.month.insertItem(0, month.isoformat()[:7], month.isoformat())
        self.month.setCurrentIndex(self.month.findData(month.isoformat()))
        self.month.blockSignals(False)

    def refresh(self) -> None:
        site_id, chosen = self.client.site_id, self.month.currentData()
        month = date.fromisoformat(chosen) if chosen else None
        kind, status = self.kind.currentData(), self.status.currentData()
        QueryOp(
            self,
            lambda s: (
                bill_months(s, site_id),
                bill_rows(s, site_id, month=month, kind=kind, status=status),
            ),
        ).success(self._loaded).run()

    def _loaded(self, result: tuple[list[date], BillPage]) -> None:
        months, page = result
        self._set_months(months)
        self.model.set_rows(page.rows)
        self.cut_note.setVisible(page.is_cut)
        self.cut_note.setText(
            self.tr(
                "Showing the first %1 of %2 bills — narrow the period or the filters to see the "
                "rest."
            )
            .replace("%1", str(len(page.rows)))
            .replace("%2", str(page.matching))
        )
        self.mark_loaded()

    def issue(self) -> None:
        """下发: debit the selected bills that are not issued yet."""
        chosen = [
            r
            for r in self.table.selected_rows()
            if r.status in (BillStatus.UNPROCESSED.value, BillStatus.REVIEWED.value)
        ]
        if not chosen:
            QMessageBox.information(
                self,
                self.tr("Issue bills"),
                self.tr(
                    "Select bills that are not issued yet "
                    "(Status: Not issued, Ctrl+A selects all shown)."
                ),
            )
            return
        total = sum((r.amount for r in chosen), ZERO)
        question = (
            self.tr(
                "Issue %1 bills, total ¥%2? Each stall's balance is debited at once; this cannot "
                "be undone "
                "except by voiding a bill."
            )
            .replace("%1", str(len(chosen)))
            .replace("%2", fmt_yuan(total))
        )
        if (
            QMessageBox.question(self, self.tr("Issue bills"), question)
            != QMessageBox.StandardButton.Yes
        ):
            return
        ids = [r.id for r in chosen]
        op = DbOp(self, lambda s: property_bills.issue_bills(s, self.client.actor, ids))
        op.success(self._issued).with_progress(
            self.tr("Issuing %1 bills …").replace("%1", str(len(ids)))
        ).run()

    def _issued(self, result) -> None:
        QMessageBox.information(
            self,
            self.tr("Issue bills"),
            self.tr("%1 bills issued, ¥%2 debited.")
            .replace("%1", str(result.issued))
            .replace("%2", fmt_yuan(result.amount)),
        )

    def generate(self) -> None:
        today = site_time.now().date()
        months = [
            (today.replace(day=1) - timedelta(days=31 * i)).replace(day=1) for i in range(0, 4)
        ]
        names = [m.strftime("%Y-%m") for m in months]
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("Generate property bills"),
            self.tr("Month (bills already generated for it are left as they are):"),
            names,
            0,
            False,
        )
        if not ok:
            return
        month = months[names.index(choice)]
        DbOp(
            self,
            lambda s: property_bills.generate_property_bills(s, self.client.actor, month),
            changes=Changes.BILLS,
        ).success(
            lambda r: (
                self._show_month(r.month)
                or QMessageBox.information(
                    self,
                    self.tr("Generate property bills"),
                    self.tr(
                        "%1 new bills, total ¥%2; %3 were there already. Check them, then issue."
                    )
                    .replace("%1", str(r.created))
                    .replace("%2", fmt_yuan(r.amount))
                    .replace("%3", str(r.existing)),
                )
            )
        ).run()

    def _update_totals(self, *_args) -> None:
        proxy = self.table.proxy
        total = sum((proxy.row_at(i).amount for i in range(proxy.rowCount())), ZERO)
        self.totals.setText(
            self.tr("%1 bills shown, total ¥%2")
            .replace("%1", str(proxy.rowCount()))
            .replace("%2", fmt_yuan(total))
        )
