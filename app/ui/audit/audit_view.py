"""操作日志: who changed what, when, to which stall, for how much and why; filtered by person,
kind, stall and days, read a page at a time (keyset paging: as quick on an old page of a
million rows as on the first), exported to Excel. For administrators and reviewers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.services.office import reports
from app.services.platform import audit as log
from app.services.platform.audit import AuditFilter
from app.services.platform.context import Changes
from app.ui import site_time
from app.ui.client import Client
from app.ui.errors import ui_language
from app.ui.files.saving import XLSX_FILTER, ask_save_path, dated, save_bytes_op
from app.ui.labels import comm_text, label
from app.ui.ops import QueryOp
from app.ui.tables.columns import RIGHT, Column, local_time, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View
from app.words import Word

# Document texts: files and printouts read in the documents' language (Chinese by default).
OPERATION_LOG = Word(
    "audit_view.operation_log", words.QT_TRANSLATE_NOOP("Documents", "Operation log")
)

PAGE_SIZE = 200


@dataclass(frozen=True)
class LogRow:
    id: int
    at: datetime
    person: str
    action: str
    stall_code: str
    target: str
    amount: Decimal | None
    reason: str
    detail: str


COLUMNS = [
    Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), local_time, width=120, searchable=False),
    Column("person", QT_TRANSLATE_NOOP("Columns", "Who"), label, width=80),
    Column("action", QT_TRANSLATE_NOOP("Columns", "What"), width=100),
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=60),
    Column("target", QT_TRANSLATE_NOOP("Columns", "Record"), width=80),
    Column(
        "amount", QT_TRANSLATE_NOOP("Columns", "Amount ¥"), yuan, RIGHT, width=80, searchable=False
    ),
    Column("reason", QT_TRANSLATE_NOOP("Columns", "Reason"), comm_text, width=120),
    Column("detail", QT_TRANSLATE_NOOP("Columns", "Details"), width=260),
]


def _kind_name(action: str) -> str:
    # The kinds are named in Chinese by the service (the printed log is Chinese); an English
    # client shows the stored key, which is English already.
    word = log.ACTION_NAMES.get(action)
    return word.say(ui_language()) if word is not None and ui_language() != "en" else action


class AuditView(View):
    cares_about = (
        Changes.BALANCES,
        Changes.METERS,
        Changes.STALLS,
        Changes.SETTINGS,
        Changes.BILLS,
    )
    saved = Signal(object)  # Path of the exported .xlsx

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.model = RowTableModel(COLUMNS, parent=self)
        self.table = FilteredTable("audit", self.model, self)
        # it would save this page only; ours saves every page of the filter
        self.table.export_button.hide()
        self.person = QComboBox(self)
        self.person.addItem(self.tr("Everybody"), None)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("All kinds"), None)
        for action in log.ACTION_NAMES:
            self.kind.addItem(_kind_name(action), action)
        self.stall = QLineEdit(self)
        self.stall.setPlaceholderText(self.tr("stall code"))
        self.stall.setFixedWidth(80)
        today = site_time.local(datetime.now().astimezone()).date()
        self.use_days = QCheckBox(self.tr("Days"), self)
        self.first = QDateEdit(QDate(today.year, today.month, 1), self)
        self.last = QDateEdit(QDate(today.year, today.month, today.day), self)
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.show_button = QPushButton(self.tr("Show"), self)
        self.show_button.clicked.connect(self.first_page)
        self.stall.returnPressed.connect(self.first_page)
        self.newer_button = QPushButton(self.tr("◀ Newer"), self)
        self.older_button = QPushButton(self.tr("Older ▶"), self)
        self.newer_button.clicked.connect(self.newer)
        self.older_button.clicked.connect(self.older)
        self.export_button = QPushButton(self.tr("Export Excel …"), self)
        self.export_button.clicked.connect(self._ask_export)
        self.page_label = QLabel(self)
        top = QHBoxLayout()
        for w in (
            QLabel(self.tr("Who")),
            self.person,
            QLabel(self.tr("What")),
            self.kind,
            QLabel(self.tr("Stall")),
            self.stall,
            self.use_days,
            self.first,
            QLabel("–"),
            self.last,
        ):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.show_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.page_label, 1)
        for b in (self.newer_button, self.older_button, self.export_button):
            bottom.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        # keys[i]: the `after` of page i (None for the first); the next page's key once known
        self.keys: list[tuple[datetime, int] | None] = [None]
        self.page = 0
        self.next_key: tuple[datetime, int] | None = None
        self.where = AuditFilter()
        self._people_loaded = False

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        if not self._people_loaded:
            actor = self.client.actor
            QueryOp(self, lambda s: log.people(s, actor)).success(self._people).run()
        self._load()

    def _people(self, people) -> None:
        self._people_loaded = True
        for username, name in people:
            self.person.addItem(label(name), username)

    def filter(self) -> AuditFilter:
        since = until = None
        if self.use_days.isChecked():
            since = site_time.at(self.first.date().toPython(), time(0, 0))
            until = site_time.at(self.last.date().toPython() + timedelta(days=1), time(0, 0))
        return AuditFilter(
            self.person.currentData(),
            self.kind.currentData(),
            self.stall.text().strip() or None,
            since,
            until,
        )

    def first_page(self) -> None:
        self.where = self.filter()
        self.keys, self.page = [None], 0
        self._load()

    def older(self) -> None:
        if self.next_key is not None:
            del self.keys[self.page + 1 :]
            self.keys.append(self.next_key)
            self.page += 1
            self._load()

    def newer(self) -> None:
        if self.page > 0:
            self.page -= 1
            self._load()

    def _load(self) -> None:
        actor, where, after = self.client.actor, self.where, self.keys[self.page]
        QueryOp(
            self, lambda s: log.audit_page(s, actor, where, after=after, limit=PAGE_SIZE)
        ).success(self._shown).run()

    def _shown(self, page) -> None:
        self.next_key = page.next_after
        self.model.set_rows(
            [
                LogRow(
                    r.id,
                    r.at,
                    r.person,
                    _kind_name(r.action),
                    r.stall_code,
                    r.record,
                    r.amount,
                    r.reason,
                    log.detail_text(r, ui_language()),
                )
                for r in page.rows
            ]
        )
        first = self.page * PAGE_SIZE
        self.page_label.setText(
            self.tr("Page %1: rows %2–%3")
            .replace("%1", str(self.page + 1))
            .replace("%2", str(first + 1 if page.rows else 0))
            .replace("%3", str(first + len(page.rows)))
        )
        self.newer_button.setEnabled(self.page > 0)
        self.older_button.setEnabled(self.next_key is not None)
        self.mark_loaded()

    # ------------------------------------------------------------------ export

    def _ask_export(self) -> None:
        path = ask_save_path(self, dated(OPERATION_LOG.say(), ".xlsx"), XLSX_FILTER)
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> None:
        """Every row of the current filter (not just this page) to an .xlsx file."""
        actor, where, title = self.client.actor, self.where, OPERATION_LOG.say()

        def build(s) -> bytes:
            return reports.audit_xlsx(list(log.audit_rows(s, actor, where)), title)

        def write(data: bytes) -> None:
            save_bytes_op(self, path, lambda: data).success(self.saved.emit).run()

        QueryOp(self, build).success(write).with_progress(self.tr("Exporting …")).run()
