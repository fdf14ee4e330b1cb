"""Monthly ledger (月报表台账): per stall, this month against last month, flagged rows;
build → submit → approve (reviewer, locks the month) or send back with a comment; an
administrator reopens an approved month with a reason; the review history; export .xlsx
and PDF; print. Submit and approve stay disabled, with the reason beside them, for a month
that has not ended and for the person who submitted it (four eyes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.models.labels import MONTH_STEP
from app.models.money import fmt_yuan
from app.models.monthly import MonthStatus
from app.services.money import monthly_ledger as ml
from app.services.money.monthly_ledger import MonthSummary, latest_ledger_month
from app.services.platform.context import Changes, May, NotFound
from app.ui import site_time
from app.ui.client import Client
from app.ui.errors import show_error
from app.ui.files.saving import PDF_FILTER, XLSX_FILTER, ask_save_path, save_bytes_op
from app.ui.labels import comm_text, label
from app.ui.ops import DbOp, QueryOp
from app.ui.printing.report_printing import preview_and_print, table_document
from app.ui.tables.columns import RIGHT, Column, local_time, number, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View
from app.words import Word

# Document texts: files and printouts read in the documents' language (Chinese by default).
REVIEW_HISTORY = Word(
    "monthly_view.review_history",
    words.QT_TRANSLATE_NOOP("Documents", "Monthly report review history"),
)
MONTHLY_LEDGER = Word(
    "monthly_view.monthly_ledger", words.QT_TRANSLATE_NOOP("Documents", "{month} monthly ledger")
)
MONTHLY_REPORT_FILE = Word(
    "monthly_view.monthly_report_file",
    words.QT_TRANSLATE_NOOP("Documents", "{site}_{month}_monthly report"),
)
BUILDING = Word(
    "monthly_view.building", words.QT_TRANSLATE_NOOP("Documents", "Building: {building}")
)

kwh = number(1)

COLUMNS = [
    Column("building", QT_TRANSLATE_NOOP("Columns", "Building"), width=80),
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=70),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=110),
    Column(
        "electric_kwh", QT_TRANSLATE_NOOP("Columns", "kWh this month"), kwh, RIGHT, searchable=False
    ),
    Column(
        "prev_electric_kwh",
        QT_TRANSLATE_NOOP("Columns", "kWh last month"),
        kwh,
        RIGHT,
        searchable=False,
    ),
    Column(
        "electric_change",
        QT_TRANSLATE_NOOP("Columns", "kWh change"),
        kwh,
        RIGHT,
        searchable=False,
        get=lambda r: r.electric_change_kwh,
    ),
    Column(
        "electric_amount",
        QT_TRANSLATE_NOOP("Columns", "Electricity ¥"),
        yuan,
        RIGHT,
        searchable=False,
    ),
    Column("water_m3", QT_TRANSLATE_NOOP("Columns", "m³ this month"), kwh, RIGHT, searchable=False),
    Column(
        "prev_water_m3", QT_TRANSLATE_NOOP("Columns", "m³ last month"), kwh, RIGHT, searchable=False
    ),
    Column(
        "water_change",
        QT_TRANSLATE_NOOP("Columns", "m³ change"),
        kwh,
        RIGHT,
        searchable=False,
        get=lambda r: r.water_change_m3,
        hidden_by_default=True,
    ),
    Column("water_amount", QT_TRANSLATE_NOOP("Columns", "Water ¥"), yuan, RIGHT, searchable=False),
    Column(
        "shared_electric",
        QT_TRANSLATE_NOOP("Columns", "Shared electricity ¥"),
        yuan,
        RIGHT,
        searchable=False,
    ),
    Column(
        "shared_water",
        QT_TRANSLATE_NOOP("Columns", "Shared water ¥"),
        yuan,
        RIGHT,
        searchable=False,
    ),
    Column(
        "property_amount", QT_TRANSLATE_NOOP("Columns", "Property ¥"), yuan, RIGHT, searchable=False
    ),
    Column("opening", QT_TRANSLATE_NOOP("Columns", "Opening ¥"), yuan, RIGHT, searchable=False),
    Column("recharges", QT_TRANSLATE_NOOP("Columns", "Recharges ¥"), yuan, RIGHT, searchable=False),
    Column(
        "reversals",
        QT_TRANSLATE_NOOP("Columns", "Reversals ¥"),
        yuan,
        RIGHT,
        searchable=False,
        hidden_by_default=True,
    ),
    Column(
        "refunds",
        QT_TRANSLATE_NOOP("Columns", "Refunds ¥"),
        yuan,
        RIGHT,
        searchable=False,
        hidden_by_default=True,
    ),
    Column("closing", QT_TRANSLATE_NOOP("Columns", "Closing ¥"), yuan, RIGHT, searchable=False),
    Column(
        "flags",
        QT_TRANSLATE_NOOP("Columns", "Flags"),
        comm_text,
        width=200,
        get=lambda r: r.flag_words or r.flags,  # in the client's language
    ),
]

HISTORY_COLUMNS = [
    Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), local_time, width=130),
    Column("username", QT_TRANSLATE_NOOP("Columns", "User"), label, width=90),
    Column("action_name", QT_TRANSLATE_NOOP("Columns", "Action"), width=90),
    Column(
        "comment",
        QT_TRANSLATE_NOOP("Columns", "Comment"),
        comm_text,
        width=300,
        get=lambda h: h.comment_words or h.comment,  # in the client's language
    ),
]

STATUS_TEXT = {
    MonthStatus.DRAFT: QT_TRANSLATE_NOOP(
        "MonthlyView", "Draft: check it, then submit it for review"
    ),
    MonthStatus.SUBMITTED: QT_TRANSLATE_NOOP("MonthlyView", "Submitted: waiting for the reviewer"),
    MonthStatus.APPROVED: QT_TRANSLATE_NOOP(
        "MonthlyView", "Approved and locked: nothing in this month can change any more"
    ),
    MonthStatus.RETURNED: QT_TRANSLATE_NOOP(
        "MonthlyView", "Sent back: rebuild it after the corrections, then submit again"
    ),
    MonthStatus.REOPENED: QT_TRANSLATE_NOOP(
        "MonthlyView", "Reopened: make the corrections, rebuild it, then submit it again"
    ),
}


def _step(action: str) -> str:
    word = MONTH_STEP.get(action)
    return QCoreApplication.translate(*word.text) if word else action


def recent_months(today: date, count: int = 13) -> list[date]:
    months, m = [], today.replace(day=1)
    for _ in range(count):
        months.append(m)
        m = (m.replace(day=1) - date.resolution).replace(day=1)
    return months


class HistoryLine:
    __slots__ = ("id", "at", "username", "action_name", "comment", "comment_words")

    def __init__(self, i, step, action_name):
        self.id, self.at, self.username, self.action_name, self.comment = (
            i,
            step.at,
            step.username,
            action_name,
            step.comment,
        )
        self.comment_words = step.comment_words


class MonthlyView(View):
    cares_about = (Changes.LEDGER_MONTHS,)
    saved = Signal(object)  # Path of an .xlsx or PDF written
    stepped = Signal(object)  # MonthSummary after build / submit / approve / send back

    def __init__(self, client: Client, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(client, parent)
        self.summary: MonthSummary | None = None
        self.month_box = QComboBox(self)
        for m in recent_months(today or site_time.now().date()):
            self.month_box.addItem(m.strftime("%Y-%m"), m)
        self.month_box.setCurrentIndex(1)  # last month: the one being closed
        self.month_box.currentIndexChanged.connect(self.refresh)
        self.status = QLabel(self)
        self.status.setStyleSheet("font-weight: bold;")
        self.flagged_only = QCheckBox(self.tr("Flagged rows only"), self)
        self.flagged_only.toggled.connect(self._filter)

        self.build_button = QPushButton(self.tr("Build / rebuild"), self)
        self.submit_button = QPushButton(self.tr("Submit for review"), self)
        self.approve_button = QPushButton(self.tr("Approve and lock"), self)
        self.return_button = QPushButton(self.tr("Send back …"), self)
        self.reopen_button = QPushButton(self.tr("Reopen …"), self)
        self.reopen_button.setToolTip(
            self.tr("Unlock the approved month to correct it (administrator, with a reason)")
        )
        self.reopen_button.clicked.connect(self._ask_reopen)
        self.reopen_button.setVisible(client.may(May.REOPEN_MONTHLY_REPORTS))
        self.why = QLabel(self)  # why submit / approve is disabled
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: #8a5a00;")
        self.xlsx_button = QPushButton(self.tr("Excel …"), self)
        self.pdf_button = QPushButton(self.tr("PDF …"), self)
        self.print_button = QPushButton(self.tr("Print …"), self)
        self.build_button.clicked.connect(self.build)
        self.submit_button.clicked.connect(self.submit)
        self.approve_button.clicked.connect(lambda: self.approve())
        self.return_button.clicked.connect(self._ask_return)
        self.xlsx_button.clicked.connect(lambda: self._ask_save(XLSX_FILTER))
        self.pdf_button.clicked.connect(lambda: self._ask_save(PDF_FILTER))
        self.print_button.clicked.connect(self.print_preview)
        for b, action in (
            (self.build_button, May.BUILD_MONTHLY_REPORTS),
            (self.submit_button, May.SUBMIT_MONTHLY_REPORTS),
            (self.approve_button, May.APPROVE_MONTHLY_REPORTS),
            (self.return_button, May.RETURN_MONTHLY_REPORTS),
        ):
            b.setVisible(client.may(action))

        self.model = RowTableModel(COLUMNS, key=lambda r: r.stall_id, parent=self)
        self.model.set_colors(
            lambda r, c: (
                QBrush(QColor("#b00020")) if r.flags and c.key in ("flags", "stall_code") else None
            )
        )
        self.table = FilteredTable("monthly_ledger", self.model, self)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.history = RowTableModel(HISTORY_COLUMNS, parent=self)
        history_table = FilteredTable("monthly_history", self.history, self)
        history_table.export_title = REVIEW_HISTORY.say()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Month")))
        top.addWidget(self.month_box)
        top.addStretch(1)
        for b in (
            self.build_button,
            self.submit_button,
            self.approve_button,
            self.return_button,
            self.reopen_button,
        ):
            top.addWidget(b)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(QLabel(self.tr("Who did what")))
        lower_layout.addWidget(history_table)
        split = QSplitter(Qt.Orientation.Vertical, self)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        # The month's state on its own line: beside the buttons it widened the window past 1024.
        state_line = QHBoxLayout()
        state_line.addWidget(self.status, 1)
        state_line.addWidget(self.flagged_only)
        for b in (self.xlsx_button, self.pdf_button, self.print_button):
            state_line.addWidget(b)
        upper_layout.addLayout(state_line)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.totals)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.why)
        layout.addWidget(split, 1)
        self._update_buttons()

    @property
    def month(self) -> date:
        return self.month_box.currentData()

    # -- loading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        if not getattr(self, "_opened", False):
            self._opened = True
            self._open_latest()
            return
        month, actor = self.month, self.client.actor
        self.table.export_title = MONTHLY_LEDGER.say(month=f"{month:%Y-%m}")

        def not_built(error: BaseException) -> None:
            if isinstance(error, NotFound):
                self._show(None)
            else:
                show_error(self, error)

        QueryOp(self, lambda s: ml.get_month(s, actor, month)).success(self._show).failure(
            not_built
        ).run()

    def _open_latest(self) -> None:
        """The first time: on the latest month that has data, not an empty last month."""
        site_id, last_ended = self.client.site_id, self.month_box.itemData(1)

        def chosen(month: date | None) -> None:
            # findData does not match a date: compare the items' data one by one
            index = next(
                (i for i in range(self.month_box.count()) if self.month_box.itemData(i) == month),
                -1,
            )
            if index >= 0 and index != self.month_box.currentIndex():
                self.month_box.setCurrentIndex(index)  # loads it
            else:
                self.refresh()

        QueryOp(self, lambda s: latest_ledger_month(s, site_id, last_ended)).success(chosen).run()

    def _show(self, summary: MonthSummary | None) -> None:
        self.summary = summary
        if summary is None:
            self.model.set_rows([])
            self.history.set_rows([])
            self.status.setText(self.tr("Not built yet: press “Build / rebuild”"))
            self.totals.setText("")
        else:
            self.model.set_rows(summary.rows)
            self.history.set_rows(
                [HistoryLine(i, s, _step(s.action)) for i, s in enumerate(summary.reviews)]
            )
            status = self.tr(STATUS_TEXT[summary.status])
            if summary.status is MonthStatus.APPROVED and summary.approved_by_submitter:
                status += " " + self.tr("(approved by the submitter)")
            self.status.setText(status)
            t = summary.site_total
            self.totals.setText(
                self.tr(
                    "Site: %1 stalls, %2 flagged. Opening ¥%3 + recharges ¥%4 − bills ¥%5 = "
                    "closing ¥%6"
                )
                .replace("%1", str(len(summary.rows)))
                .replace("%2", str(sum(1 for r in summary.rows if r.flags)))
                .replace("%3", fmt_yuan(t.opening))
                .replace("%4", fmt_yuan(t.recharges))
                .replace("%5", fmt_yuan(t.bills))
                .replace("%6", fmt_yuan(t.closing))
            )
        self._update_buttons()
        self.mark_loaded()

    def _filter(self) -> None:
        self.table.proxy.set_predicate(
            (lambda r: bool(r.flags)) if self.flagged_only.isChecked() else None
        )

    def _update_buttons(self) -> None:
        summary = self.summary
        status = summary.status if summary else None
        ended = summary is None or summary.has_ended(site_time.now())
        own = (
            summary is not None
            and status is MonthStatus.SUBMITTED
            and not summary.submitter_may_approve
            and (summary.was_submitted_by(self.client.actor.user_id, self.client.actor.username))
        )
        self.build_button.setEnabled(
            status in (None, MonthStatus.DRAFT, MonthStatus.RETURNED, MonthStatus.REOPENED)
        )
        self.submit_button.setEnabled(status is MonthStatus.DRAFT and ended)
        self.approve_button.setEnabled(status is MonthStatus.SUBMITTED and ended and not own)
        self.return_button.setEnabled(status is MonthStatus.SUBMITTED)
        self.reopen_button.setEnabled(status is MonthStatus.APPROVED)
        why = ""
        if not ended:
            why = (
                self.tr(
                    "%1 has not ended yet (it ends at %2): build a draft to look at it; it can be "
                    "submitted and "
                    "approved once the month has ended."
                )
                .replace("%1", f"{summary.month:%Y-%m}")
                .replace("%2", site_time.local(summary.ends_at).strftime("%Y-%m-%d %H:%M"))
            )
        elif own and self.client.may(May.APPROVE_MONTHLY_REPORTS):
            why = self.tr(
                "You submitted this month: another person approves it (four eyes). An "
                "administrator can "
                "allow one-person offices under Settings → Users and roles."
            )
        self.why.setText(why)
        self.why.setVisible(bool(why))
        for b in (self.xlsx_button, self.pdf_button, self.print_button):
            b.setEnabled(self.summary is not None)

    # -- workflow ---------------------------------------------------------------------------
    def _step(self, fn, *args) -> None:
        month, actor = self.month, self.client.actor

        def done(summary: MonthSummary) -> None:
            self._show(summary)
            self.stepped.emit(summary)

        DbOp(self, lambda s: fn(s, actor, month, *args), changes=Changes.LEDGER_MONTHS).success(
            done
        ).with_progress(self.tr("Working on %1 …").replace("%1", f"{month:%Y-%m}")).run()

    def build(self) -> None:
        self._step(ml.build_month)

    def submit(self) -> None:
        self._step(ml.submit_month)

    def approve(self, comment: str = "") -> None:
        self._step(ml.approve_month, comment)

    def _ask_reopen(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Reopen the approved month"),
            self.tr(
                "Why is %1 reopened? (kept in the review history and the audit log; the "
                "corrections are "
                "then rebuilt, submitted and approved again)"
            ).replace("%1", f"{self.month:%Y-%m}"),
        )
        if ok:
            self.reopen(reason)

    def reopen(self, reason: str) -> None:
        self._step(ml.reopen_month, reason)

    def _ask_return(self) -> None:
        comment, ok = QInputDialog.getText(
            self, self.tr("Send back"), self.tr("What must be corrected?")
        )
        if ok:
            self.send_back(comment)

    def send_back(self, comment: str) -> None:
        self._step(ml.return_month, comment)

    # -- files and printing -----------------------------------------------------------------
    def _ask_save(self, file_filter: str) -> None:
        if self.summary is None:
            return
        suffix = ".pdf" if file_filter == PDF_FILTER else ".xlsx"
        path = ask_save_path(
            self,
            MONTHLY_REPORT_FILE.say(
                site=self.summary.site_name, month=f"{self.summary.month:%Y-%m}"
            )
            + suffix,
            file_filter,
        )
        if path is not None:
            self.save(path)

    def save(self, path: Path) -> None:
        summary = self.summary
        if summary is None:
            return
        make = (
            (lambda: ml.month_pdf(summary))
            if path.suffix.lower() == ".pdf"
            else (lambda: ml.month_xlsx(summary))
        )
        save_bytes_op(self, path, make).success(self.saved.emit).with_progress(
            self.tr("Saving …")
        ).run()

    def document(self):
        s = self.summary
        cols = [
            c
            for c in ml.month_columns()
            if c.key not in ("building", "prev_water_m3", "reversals", "refunds", "adjustments")
        ]
        sections, rows = [], []
        table = ml.month_table(s)  # stalls of a building, then its total; the site total last
        for row in table[:-1]:
            if row["stall_id"] is None:
                sections.append((BUILDING.say(building=row["building"]), rows, row))
                rows = []
            else:
                rows.append(row)
        return table_document(
            MONTHLY_LEDGER.say(month=s.label),
            f"{s.site_name}　{s.status_name}",
            cols,
            sections,
            grand_total=table[-1],
        )

    def print_preview(self) -> None:
        if self.summary is not None:
            preview_and_print(self, self.document(), landscape=True)
