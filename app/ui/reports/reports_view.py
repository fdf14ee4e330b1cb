"""Reports (报表): meter usage, the cashier's shift report (交班报表), and the arrears and
low-balance list with payment notices. Each is shown as a table, saved as .xlsx and PDF
(the services' renderers) and printed through Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QDateTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.comm.labels import METER_NAME
from app.comm.types import MeterKind
from app.models.money import ZERO, fmt_yuan
from app.services.market.meters import meter_rows
from app.services.office import reports as rep
from app.services.platform.context import Changes
from app.ui import site_time
from app.ui.client import Client
from app.ui.files.saving import PDF_FILTER, XLSX_FILTER, ask_save_path, dated, save_bytes_op
from app.ui.labels import label
from app.ui.ops import QueryOp
from app.ui.printing.report_printing import notices_document, preview_and_print, table_document
from app.ui.reports.meter_picker import MeterPicker
from app.ui.tables.columns import RIGHT, Column, number, text, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View
from app.words import Word

# Document texts: files and printouts read in the documents' language (Chinese by default).
USAGE_REPORT = Word(
    "reports_view.usage_report", words.QT_TRANSLATE_NOOP("Documents", "Usage report")
)
USAGE_REPORT_SPAN = Word(
    "reports_view.usage_report_span",
    words.QT_TRANSLATE_NOOP("Documents", "Usage report {first} to {last}"),
)
SPAN = Word("reports_view.span", words.QT_TRANSLATE_NOOP("Documents", "{first} to {last}"))
SHIFT_REPORT = Word(
    "reports_view.shift_report", words.QT_TRANSLATE_NOOP("Documents", "Shift report")
)
BY_CASHIER_AND_METHOD = Word(
    "reports_view.by_cashier_and_method",
    words.QT_TRANSLATE_NOOP("Documents", "By cashier and payment method"),
)
BY_CASHIER = Word(
    "reports_view.by_cashier", words.QT_TRANSLATE_NOOP("Documents", "Totals by cashier")
)
BY_METHOD = Word(
    "reports_view.by_method", words.QT_TRANSLATE_NOOP("Documents", "Totals by payment method")
)
CASH_DUE = Word(
    "reports_view.cash_due",
    words.QT_TRANSLATE_NOOP(
        "Documents", "Cash due {cash} yuan (cash recharges less cash reversals and cash refunds)"
    ),
)
SIGNATURES = Word(
    "reports_view.signatures",
    words.QT_TRANSLATE_NOOP(
        "Documents", "Handed over by: ______________    Taken over by: ______________"
    ),
)
ARREARS = Word(
    "reports_view.arrears", words.QT_TRANSLATE_NOOP("Documents", "Arrears and low balance list")
)
ARREARS_ON = Word(
    "reports_view.arrears_on",
    words.QT_TRANSLATE_NOOP("Documents", "Arrears and low balance list {day}"),
)
NOTICES = Word("reports_view.notices", words.QT_TRANSLATE_NOOP("Documents", "Payment notices"))
STALLS_IN_ALL = Word(
    "reports_view.stalls_in_all", words.QT_TRANSLATE_NOOP("Documents", "{count} stalls in all")
)

USAGE_COLUMNS = [
    Column("address", QT_TRANSLATE_NOOP("Columns", "Meter"), width=110),
    Column(
        "kind",
        QT_TRANSLATE_NOOP("Columns", "Kind"),
        lambda k: QCoreApplication.translate(*METER_NAME[k].text),
        width=60,
    ),
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=80),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=120),
    Column("period", QT_TRANSLATE_NOOP("Columns", "Date"), width=90),
    Column("usage", QT_TRANSLATE_NOOP("Columns", "Usage"), number(3), RIGHT, searchable=False),
    Column("unit", QT_TRANSLATE_NOOP("Columns", "Unit"), width=50),
]


@dataclass(frozen=True)
class ShiftRow:
    id: int
    operator: str
    method: str
    line: rep.ShiftLine

    def __getattr__(self, key):  # the line's figures as the row's columns
        return getattr(self.line, key)


SHIFT_COLUMNS = [
    Column("operator", QT_TRANSLATE_NOOP("Columns", "Cashier"), label, width=80),
    Column("method", QT_TRANSLATE_NOOP("Columns", "Payment"), width=60),
    Column(
        "recharge_count",
        QT_TRANSLATE_NOOP("Columns", "Recharges"),
        str,
        RIGHT,
        width=44,
        searchable=False,
    ),
    Column(
        "recharge",
        QT_TRANSLATE_NOOP("Columns", "Recharged ¥"),
        yuan,
        RIGHT,
        width=78,
        searchable=False,
    ),
    Column(
        "reversal_count",
        QT_TRANSLATE_NOOP("Columns", "Reversals"),
        str,
        RIGHT,
        width=44,
        searchable=False,
    ),
    Column(
        "reversal",
        QT_TRANSLATE_NOOP("Columns", "Reversed ¥"),
        yuan,
        RIGHT,
        width=78,
        searchable=False,
    ),
    Column(
        "refund_count",
        QT_TRANSLATE_NOOP("Columns", "Refunds"),
        str,
        RIGHT,
        width=44,
        searchable=False,
    ),
    Column(
        "refund",
        QT_TRANSLATE_NOOP("Columns", "Refunded ¥"),
        yuan,
        RIGHT,
        width=78,
        searchable=False,
    ),
    Column(
        "amount", QT_TRANSLATE_NOOP("Columns", "Net ¥"), yuan, RIGHT, width=78, searchable=False
    ),
    Column(
        "cash",
        QT_TRANSLATE_NOOP("Columns", "Cash in drawer ¥"),
        yuan,
        RIGHT,
        width=80,
        searchable=False,
    ),
]
ARREARS_COLUMNS = [
    Column("building", QT_TRANSLATE_NOOP("Columns", "Building"), width=80),
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=80),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=120),
    Column("tenant", QT_TRANSLATE_NOOP("Columns", "Contact"), width=80),
    Column("phone", QT_TRANSLATE_NOOP("Columns", "Phone"), width=110),
    Column("balance", QT_TRANSLATE_NOOP("Columns", "Balance ¥"), yuan, RIGHT, searchable=False),
    Column("available", QT_TRANSLATE_NOOP("Columns", "Available ¥"), yuan, RIGHT, searchable=False),
    Column("alarm1", QT_TRANSLATE_NOOP("Columns", "Alarm 1 ¥"), yuan, RIGHT, searchable=False),
    Column("state", QT_TRANSLATE_NOOP("Columns", "State"), text, width=120),
]


class ReportTab(QWidget):
    """Parameters on top, a table, then Excel / PDF / Print. Subclasses query and render."""

    loaded = Signal()
    saved = Signal(object)  # Path
    NAME = ""
    TITLE: Word  # the file / sheet title
    LANDSCAPE = False
    KEY = staticmethod(lambda r: r.id)

    def __init__(self, client: Client, columns: list[Column], parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.is_loaded = False
        self.model = RowTableModel(columns, key=self.KEY, parent=self)
        self.table = FilteredTable(f"report_{self.NAME}", self.model, self)
        self.table.export_title = self.TITLE.say()
        self.params = QHBoxLayout()
        self.show_button = QPushButton(QCoreApplication.translate("ReportTab", "Show"), self)
        self.show_button.clicked.connect(self.load)
        self.xlsx_button = QPushButton(QCoreApplication.translate("ReportTab", "Excel …"), self)
        self.pdf_button = QPushButton(QCoreApplication.translate("ReportTab", "PDF …"), self)
        self.print_button = QPushButton(QCoreApplication.translate("ReportTab", "Print …"), self)
        self.xlsx_button.clicked.connect(lambda: self._ask(XLSX_FILTER))
        self.pdf_button.clicked.connect(lambda: self._ask(PDF_FILTER))
        self.print_button.clicked.connect(
            lambda: preview_and_print(self, self.document(), landscape=self.LANDSCAPE)
        )
        self.summary = QLabel(self)
        self.actions = QHBoxLayout()
        self.actions.addWidget(self.summary, 1)
        for b in (self.xlsx_button, self.pdf_button, self.print_button):
            self.actions.addWidget(b)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addLayout(self.params)
        top.addStretch(1)
        top.addWidget(self.show_button)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.actions)

    def shown_rows(self) -> list:
        """The rows as on screen (filter and sort): what the files and the print show."""
        proxy = self.table.proxy
        return [proxy.row_at(i) for i in range(proxy.rowCount())]

    def query(self):
        raise NotImplementedError

    def load(self) -> None:
        QueryOp(self, self.query()).success(self._loaded).run()

    def _loaded(self, data) -> None:
        self.is_loaded = True
        self.show_data(data)
        self.loaded.emit()

    def show_data(self, data) -> None:
        raise NotImplementedError

    def _ask(self, file_filter: str) -> None:
        suffix = ".pdf" if file_filter == PDF_FILTER else ".xlsx"
        path = ask_save_path(self, dated(self.TITLE.say(), suffix), file_filter)
        if path is not None:
            self.save(path)

    def save(self, path: Path) -> None:
        make = self.pdf_maker() if path.suffix.lower() == ".pdf" else self.xlsx_maker()
        save_bytes_op(self, path, make).success(self.saved.emit).with_progress(
            QCoreApplication.translate("ReportTab", "Saving …")
        ).run()


class UsageTab(ReportTab):
    NAME, TITLE = "usage", USAGE_REPORT
    KEY = staticmethod(lambda r: (r.meter_id, r.period))

    def __init__(self, client: Client, parent: QWidget | None = None, *, today: date):
        super().__init__(client, USAGE_COLUMNS, parent)
        self.first = QDateEdit(QDate(today.year, today.month, 1), self)
        self.last = QDateEdit(QDate(today.year, today.month, today.day), self)
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("All meters"), "")
        self.kind.addItem(self.tr("Electricity meters"), MeterKind.ELECTRIC.value)
        self.kind.addItem(self.tr("Water meters"), MeterKind.WATER.value)
        self.by = QComboBox(self)
        self.by.addItem(self.tr("By day"), "day")
        self.by.addItem(self.tr("By month"), "month")
        self.chosen: set[int] = set()  # single meters picked; empty: every meter of the kind
        self.meters_button = QPushButton(self)
        self.meters_button.clicked.connect(self.pick_meters)
        self._show_chosen()
        for w in (
            QLabel(self.tr("From")),
            self.first,
            QLabel(self.tr("to")),
            self.last,
            self.kind,
            self.meters_button,
            self.by,
        ):
            self.params.addWidget(w)
        self.table.filter_edit.setPlaceholderText(
            self.tr("Filter: meter, stall code or name (the files show the rows shown)")
        )

    def pick_meters(self) -> None:
        site_id = self.client.site_id
        QueryOp(self, lambda s: meter_rows(s, site_id)).success(self._open_picker).run()

    def _open_picker(self, rows) -> None:
        picker = MeterPicker(rows, self.chosen, self)
        if picker.exec() == MeterPicker.DialogCode.Accepted:
            self.chosen = picker.chosen_ids()
            self._show_chosen()

    def _show_chosen(self) -> None:
        self.meters_button.setText(
            self.tr("Meters chosen: %1 …").replace("%1", str(len(self.chosen)))
            if self.chosen
            else self.tr("Single meters …")
        )

    def _span(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()

    def query(self):
        first, last = self._span()
        by, kind, actor = self.by.currentData(), self.kind.currentData(), self.client.actor
        meter_ids = sorted(self.chosen) or None

        def body(s):
            rows = rep.usage_report(s, actor, first, last, by=by, meter_ids=meter_ids)
            return [r for r in rows if not kind or r.kind.value == kind]

        return body

    def show_data(self, rows) -> None:
        self.model.set_rows(rows)
        self.summary.setText(self.tr("%1 rows").replace("%1", str(len(rows))))

    def _title(self) -> str:
        first, last = self._span()
        return USAGE_REPORT_SPAN.say(first=first, last=last)

    def xlsx_maker(self):
        rows, title = self.shown_rows(), self._title()
        return lambda: rep.usage_xlsx(rows, title)

    def pdf_maker(self):
        rows, site = self.shown_rows(), self.client.site_name
        first, last = self._span()
        title, period = USAGE_REPORT.say(), SPAN.say(first=first, last=last)
        return lambda: rep.usage_pdf(rows, site=site, title=title, period=period)

    def document(self):
        rows = [rep.usage_dict(r) for r in self.shown_rows()]
        return table_document(
            self._title(), self.client.site_name, rep.USAGE_COLUMNS, [("", rows, None)]
        )


class ShiftTab(ReportTab):
    NAME, TITLE, LANDSCAPE = "shift", SHIFT_REPORT, True

    def __init__(self, client: Client, parent: QWidget | None = None, *, now: datetime):
        super().__init__(client, SHIFT_COLUMNS, parent)
        self.report: rep.ShiftReport | None = None
        local = site_time.local(now)
        start = datetime.combine(local.date(), time(0, 0))
        self.start = QDateTimeEdit(
            QDateTime(QDate(start.year, start.month, start.day), start.time()), self
        )
        self.end = QDateTimeEdit(
            QDateTime(
                QDate(local.year, local.month, local.day), local.time().replace(microsecond=0)
            ),
            self,
        )
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd HH:mm")
        for w in (QLabel(self.tr("Shift from")), self.start, QLabel(self.tr("to")), self.end):
            self.params.addWidget(w)

    def query(self):
        # The times typed are the site's wall-clock times, whatever zone this PC is set to.
        start = site_time.at(self.start.date().toPython(), self.start.time().toPython())
        end = site_time.at(self.end.date().toPython(), self.end.time().toPython()) + timedelta(
            minutes=1
        )  # the minute shown is included
        actor = self.client.actor
        return lambda s: rep.shift_report(s, actor, start, end)

    def show_data(self, report: rep.ShiftReport) -> None:
        self.report = report
        # The service names methods and kinds in Chinese for the printed report; the table
        # shows the client's own words for them.
        lines = [(l.operator, label(l.method_key) or "—", l) for l in report.lines]
        lines += [(l.operator, self.tr("All methods"), l) for l in report.by_operator]
        lines += [
            (self.tr("All cashiers"), label(l.method_key) or "—", l) for l in report.by_method
        ]
        lines.append((self.tr("Total"), "", report.grand_total))
        self.model.set_rows([ShiftRow(i, op, method, l) for i, (op, method, l) in enumerate(lines)])
        self.summary.setText(
            self.tr("%1 receipts, net ¥%2; cash in the drawer ¥%3")
            .replace("%1", str(report.count))
            .replace("%2", fmt_yuan(report.total))
            .replace("%3", fmt_yuan(report.cash))
        )

    def xlsx_maker(self):
        report = self.report
        return lambda: rep.shift_xlsx(report)

    def pdf_maker(self):
        report = self.report
        return lambda: rep.shift_pdf(report)

    def document(self):
        r = self.report
        sections = [
            (BY_CASHIER_AND_METHOD.say(), [rep.shift_line_dict(l) for l in r.lines], None),
            (BY_CASHIER.say(), [rep.shift_line_dict(l) for l in r.by_operator], None),
            (BY_METHOD.say(), [rep.shift_line_dict(l) for l in r.by_method], None),
        ]
        return table_document(
            SHIFT_REPORT.say(),
            f"{r.site_name}　{rep.shift_span(r)}",
            rep.SHIFT_COLUMNS,
            sections,
            grand_total=rep.shift_line_dict(r.grand_total),
            notes=[CASH_DUE.say(cash=fmt_yuan(r.cash)), SIGNATURES.say()],
        )


class ArrearsTab(ReportTab):
    NAME, TITLE, LANDSCAPE = "arrears", ARREARS, True
    KEY = staticmethod(lambda r: r.stall_id)

    def __init__(self, client: Client, parent: QWidget | None = None, *, today: date):
        super().__init__(client, ARREARS_COLUMNS, parent)
        self.today = today
        self.include_low = QCheckBox(self.tr("Also stalls below their alarm levels"), self)
        self.include_low.setChecked(True)
        self.params.addWidget(self.include_low)
        self.notices_button = QPushButton(self.tr("Notices PDF …"), self)
        self.print_notices_button = QPushButton(self.tr("Print notices …"), self)
        self.notices_button.clicked.connect(self._ask_notices)
        self.print_notices_button.clicked.connect(
            lambda: preview_and_print(self, self.notices(), landscape=False)
        )
        self.actions.addWidget(self.notices_button)
        self.actions.addWidget(self.print_notices_button)

    def query(self):
        include_low, actor = self.include_low.isChecked(), self.client.actor
        return lambda s: rep.arrears_report(s, actor, include_low=include_low)

    def show_data(self, rows) -> None:
        self.model.set_rows(rows)
        owing = sum((r.available for r in rows if r.available < 0), ZERO)
        self.summary.setText(
            self.tr("%1 stalls; owed in total ¥%2")
            .replace("%1", str(len(rows)))
            .replace("%2", fmt_yuan(-owing))
        )

    def xlsx_maker(self):
        rows, title = self.shown_rows(), ARREARS_ON.say(day=self.today)
        return lambda: rep.arrears_xlsx(rows, title)

    def pdf_maker(self):
        rows, site, today = self.shown_rows(), self.client.site_name, self.today
        return lambda: rep.arrears_pdf(rows, site=site, today=today)

    def notices_maker(self):
        rows, site, today = self.shown_rows(), self.client.site_name, self.today
        return lambda: rep.arrears_notices_pdf(rows, site=site, today=today)

    def _ask_notices(self) -> None:
        path = ask_save_path(self, dated(NOTICES.say(), ".pdf"), PDF_FILTER)
        if path is not None:
            self.save_notices(path)

    def save_notices(self, path: Path) -> None:
        save_bytes_op(self, path, self.notices_maker()).success(self.saved.emit).run()

    def document(self):
        rows = [rep.arrears_dict(r) for r in self.shown_rows()]
        return table_document(
            ARREARS.say(),
            f"{self.client.site_name}　{self.today}",
            rep.ARREARS_COLUMNS,
            [("", rows, None)],
            notes=[STALLS_IN_ALL.say(count=len(rows))],
        )

    def notices(self):
        notes = rep.arrears_notices(self.shown_rows(), site=self.client.site_name, today=self.today)
        return notices_document(notes, site=self.client.site_name)


class ReportsView(View):
    cares_about = (Changes.BALANCES,)

    def __init__(
        self, client: Client, parent: QWidget | None = None, *, now: datetime | None = None
    ):
        super().__init__(client, parent)
        now = site_time.local(now) if now else site_time.now()
        today = now.date()
        self.usage = UsageTab(client, self, today=today)
        self.shift = ShiftTab(client, self, now=now)
        self.arrears = ArrearsTab(client, self, today=today)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.usage, self.tr("Meter usage"))
        self.tabs.addTab(self.shift, self.tr("Shift report"))
        self.tabs.addTab(self.arrears, self.tr("Arrears and low balance"))
        self.tabs.setCurrentWidget(self.shift)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.shift.loaded.connect(self.mark_loaded)

    def refresh(self) -> None:
        # The shift report is what a cashier opens this view for; a tab opened shows its
        # list at once (this month's usage, the stalls owing now), without pressing Show.
        self.shift.load()
        current = self.tabs.currentWidget()
        if current is not self.shift and current.is_loaded:
            current.load()

    def _tab_shown(self, _index: int) -> None:
        tab = self.tabs.currentWidget()
        if not tab.is_loaded:
            tab.load()
