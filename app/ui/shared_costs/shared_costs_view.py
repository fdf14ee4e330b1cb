"""Shared costs (公摊): the pools, a period's preview to the cent, then generate → review →
issue (下发); void before issue, reverse after."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.models.money import ZERO, AmountError, fmt_yuan
from app.models.shared_cost import SharedRunStatus
from app.services.money import shared_costs as sc
from app.services.money.shared_costs import PoolFigures, PoolRow, RunRow
from app.services.platform.context import Changes, May
from app.ui import site_time
from app.ui.client import Client
from app.ui.errors import error_text, show_error
from app.ui.labels import label
from app.ui.ops import DbOp, QueryOp
from app.ui.shared_costs.pool_dialog import METHOD_TITLES, PoolDialog
from app.ui.tables.columns import CENTER, RIGHT, Column, local_time, number, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View
from app.words import Word

# Document texts: files and printouts read in the documents' language (Chinese by default).
POOL_SETTINGS = Word(
    "shared_costs_view.pool_settings", words.QT_TRANSLATE_NOOP("Documents", "Shared cost settings")
)
POOL_PREVIEW = Word(
    "shared_costs_view.pool_preview", words.QT_TRANSLATE_NOOP("Documents", "Shared cost preview")
)
RUNS = Word("shared_costs_view.runs", words.QT_TRANSLATE_NOOP("Documents", "Shared cost runs"))

RUN_STATUS_TITLES = {
    SharedRunStatus.GENERATED: QT_TRANSLATE_NOOP("SharedCosts", "Generated, not reviewed"),
    SharedRunStatus.REVIEWED: QT_TRANSLATE_NOOP("SharedCosts", "Reviewed, not issued"),
    SharedRunStatus.ISSUED: QT_TRANSLATE_NOOP("SharedCosts", "Issued (debited)"),
    SharedRunStatus.VOIDED: QT_TRANSLATE_NOOP("SharedCosts", "Voided"),
    SharedRunStatus.REVERSED: QT_TRANSLATE_NOOP("SharedCosts", "Reversed"),
}


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("SharedCosts", text)


def _method(m) -> str:
    return _tr(METHOD_TITLES[m])


def _status(s) -> str:
    return _tr(RUN_STATUS_TITLES[s])


def _day(d: date) -> str:
    return d.isoformat()


qty = number(3)

POOL_COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Shared cost"), width=150),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Kind"), label, CENTER, width=70),
    Column("method", QT_TRANSLATE_NOOP("Columns", "Split"), _method, width=160),
    Column("building", QT_TRANSLATE_NOOP("Columns", "Building"), width=80),
    Column("master_address", QT_TRANSLATE_NOOP("Columns", "Master meter"), width=100),
    Column(
        "member_count",
        QT_TRANSLATE_NOOP("Columns", "Stalls"),
        str,
        RIGHT,
        width=50,
        searchable=False,
    ),
    Column("additional_reason", QT_TRANSLATE_NOOP("Columns", "Additional pool: why"), width=160),
]
PREVIEW_COLUMNS = [
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=70),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=120),
    Column(
        "weight",
        QT_TRANSLATE_NOOP("Columns", "Weight"),
        number(4),
        RIGHT,
        width=100,
        searchable=False,
    ),
    Column("days", QT_TRANSLATE_NOOP("Columns", "Days"), str, RIGHT, width=45, searchable=False),
    Column(
        "quantity", QT_TRANSLATE_NOOP("Columns", "Share of usage"), qty, RIGHT, searchable=False
    ),
    Column("amount", QT_TRANSLATE_NOOP("Columns", "Amount ¥"), yuan, RIGHT, searchable=False),
    Column("note", QT_TRANSLATE_NOOP("Columns", "Note"), width=160),
]
RUN_COLUMNS = [
    Column("id", QT_TRANSLATE_NOOP("Columns", "No."), str, RIGHT, width=50),
    Column("pool_name", QT_TRANSLATE_NOOP("Columns", "Shared cost"), width=140),
    Column("period_start", QT_TRANSLATE_NOOP("Columns", "From"), _day, width=90),
    Column("period_end", QT_TRANSLATE_NOOP("Columns", "To"), _day, width=90),
    Column("amount", QT_TRANSLATE_NOOP("Columns", "Amount ¥"), yuan, RIGHT, searchable=False),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"), _status, width=130),
    Column("created_at", QT_TRANSLATE_NOOP("Columns", "Generated"), local_time, width=130),
    Column("reason", QT_TRANSLATE_NOOP("Columns", "Reason"), width=150),
]


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class SharedCostsView(View):
    cares_about = (Changes.BILLS, Changes.STALLS)
    previewed = Signal(object)  # PoolFigures
    run_changed = Signal(object)  # RunInfo after generate / review / issue / void / reverse
    pool_created = Signal(object)  # PoolInfo
    failed = Signal(str)  # the service's message, also shown to the clerk

    def __init__(self, client: Client, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(client, parent)
        self.figures: PoolFigures | None = None
        self.pools = RowTableModel(POOL_COLUMNS, parent=self)
        self.pool_table = FilteredTable("shared_pools", self.pools, self)
        self.pool_table.export_title = POOL_SETTINGS.say()
        self.pool_table.current_row_changed.connect(self._pool_chosen)
        self.new_pool_button = QPushButton(self.tr("New shared cost …"), self)
        self.new_pool_button.clicked.connect(self.new_pool)
        self.new_pool_button.setVisible(client.may(May.SET_UP_SHARED_COSTS))

        start, end = last_month(today or site_time.now().date())
        self.start = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.end = QDateEdit(QDate(end.year, end.month, end.day), self)
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("pool amount ¥ (no master meter)"))
        self.amount.setToolTip(self.amount.placeholderText())
        self.amount.setMinimumWidth(
            self.amount.fontMetrics().horizontalAdvance(self.amount.placeholderText()) + 16
        )
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.clicked.connect(self.preview)
        self.generate_button = QPushButton(self.tr("Generate bills"), self)
        self.generate_button.clicked.connect(self._ask_generate)
        self.generate_button.setVisible(client.may(May.GENERATE_SHARED_COST_BILLS))
        self.figures_label = QLabel(self)
        self.figures_label.setWordWrap(True)
        self.preview_model = RowTableModel(PREVIEW_COLUMNS, key=lambda r: r.stall_id, parent=self)
        self.preview_table = FilteredTable("shared_preview", self.preview_model, self)
        self.preview_table.export_title = POOL_PREVIEW.say()

        self.runs = RowTableModel(RUN_COLUMNS, parent=self)
        self.run_table = FilteredTable("shared_runs", self.runs, self)
        self.run_table.export_title = RUNS.say()
        self.run_table.current_row_changed.connect(lambda _r: self._update_buttons())
        self.review_button = QPushButton(self.tr("Review"), self)
        self.issue_button = QPushButton(self.tr("Issue"), self)
        self.void_button = QPushButton(self.tr("Void …"), self)
        self.reverse_button = QPushButton(self.tr("Reverse …"), self)
        self.review_button.clicked.connect(self.review)
        self.issue_button.clicked.connect(self._ask_issue)
        self.void_button.clicked.connect(lambda: self._ask_reason(self.void))
        self.reverse_button.clicked.connect(lambda: self._ask_reason(self.reverse))
        for b, action in (
            (self.review_button, May.REVIEW_SHARED_COST_BILLS),
            (self.issue_button, May.ISSUE_SHARED_COST_BILLS),
            (self.void_button, May.VOID_SHARED_COST_BILLS),
            (self.reverse_button, May.REVERSE_SHARED_COST_BILLS),
        ):
            b.setVisible(client.may(action))

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.pool_table, 1)
        left_layout.addWidget(self.new_pool_button)

        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("From")))
        period.addWidget(self.start)
        period.addWidget(QLabel(self.tr("to")))
        period.addWidget(self.end)
        period.addStretch(1)
        # The amount and the buttons on a line of their own: the window stays within 1024×768.
        amount_line = QHBoxLayout()
        amount_line.addWidget(self.amount)
        amount_line.addWidget(self.preview_button)
        amount_line.addWidget(self.generate_button)
        amount_line.addStretch(1)
        preview_box = QGroupBox(self.tr("Preview of the chosen shared cost"), self)
        pv = QVBoxLayout(preview_box)
        pv.addLayout(period)
        pv.addLayout(amount_line)
        pv.addWidget(self.figures_label)
        pv.addWidget(self.preview_table, 1)
        runs_box = QGroupBox(self.tr("Shared bills generated"), self)
        rv = QVBoxLayout(runs_box)
        rv.addWidget(self.run_table, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for b in (self.review_button, self.issue_button, self.void_button, self.reverse_button):
            actions.addWidget(b)
        rv.addLayout(actions)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(preview_box)
        right.addWidget(runs_box)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._update_buttons()

    # -- loading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        actor = self.client.actor
        QueryOp(self, lambda s: (sc.pool_rows(s, actor), sc.run_rows(s, actor))).success(
            self._loaded
        ).run()

    def _loaded(self, data) -> None:
        pools, runs = data
        current = self.pool_table.current_row()
        self.pools.set_rows(pools)
        self.runs.set_rows(runs)
        if pools:
            keep = next(
                (i for i, p in enumerate(pools) if current is not None and p.id == current.id), 0
            )
            self.pool_table.view.selectRow(
                self.pool_table.proxy.mapFromSource(self.pools.index(keep, 0)).row()
            )
        self._update_buttons()
        self.mark_loaded()

    def select_pool(self, pool_id: int) -> None:
        row = next(i for i, p in enumerate(self.pools.rows) if p.id == pool_id)
        self.pool_table.view.selectRow(
            self.pool_table.proxy.mapFromSource(self.pools.index(row, 0)).row()
        )

    def select_run(self, run_id: int) -> None:
        row = next(i for i, r in enumerate(self.runs.rows) if r.id == run_id)
        self.run_table.view.selectRow(
            self.run_table.proxy.mapFromSource(self.runs.index(row, 0)).row()
        )

    def _pool_chosen(self, pool: PoolRow | None) -> None:
        self.figures = None
        self.preview_model.set_rows([])
        self.figures_label.setText("")
        self.amount.setVisible(
            pool is not None and not pool.master_address and pool.method.value != "fixed"
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        pool = self.pool_table.current_row()
        run: RunRow | None = self.run_table.current_row()
        status = run.status if run else None
        self.preview_button.setEnabled(pool is not None)
        self.generate_button.setEnabled(pool is not None)
        self.review_button.setEnabled(status is SharedRunStatus.GENERATED)
        self.issue_button.setEnabled(status is SharedRunStatus.REVIEWED)
        self.void_button.setEnabled(status in (SharedRunStatus.GENERATED, SharedRunStatus.REVIEWED))
        self.reverse_button.setEnabled(status is SharedRunStatus.ISSUED)

    # -- pools ------------------------------------------------------------------------------
    def new_pool(self) -> None:
        actor = self.client.actor
        QueryOp(self, lambda s: sc.pool_choices(s, actor)).success(self._open_dialog).run()

    def _open_dialog(self, choices) -> None:
        dialog = PoolDialog(choices, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.create_pool(dialog.pool_values())

    def create_pool(self, values: dict) -> None:
        actor = self.client.actor

        def done(info) -> None:
            self.pool_created.emit(info)
            self.refresh()

        DbOp(self, lambda s: sc.create_pool(s, actor, **values), changes=Changes.SETTINGS).success(
            done
        ).failure(self._fail).run()

    # -- preview and generate -----------------------------------------------------------------
    def _period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def _typed_amount(self) -> Decimal | None:
        text = self.amount.text().strip()
        if not text or not self.amount.isVisibleTo(self):
            return None
        return sc.parse_pool_amount(text)

    def _request(self):
        """The chosen pool, period and typed amount; None (the clerk told why) when not ready."""
        pool = self.pool_table.current_row()
        if pool is None:
            return None
        try:
            amount = self._typed_amount()
        except AmountError as exc:
            self._warn(error_text(exc))
            return None
        return (pool, *self._period(), amount)

    def preview(self) -> None:
        request = self._request()
        if request is None:
            return
        pool, start, end, amount = request
        actor = self.client.actor
        QueryOp(
            self, lambda s: sc.pool_figures(s, actor, pool.id, start, end, amount=amount)
        ).success(self._show_figures).failure(self._fail).run()

    def _show_figures(self, f: PoolFigures) -> None:
        self.figures = f
        self.preview_model.set_rows(f.rows)
        total = sum((r.amount for r in f.rows), ZERO)
        unit = sc.UNITS[f.kind]
        text = ""
        if f.pool_usage is not None:
            text = (
                self.tr("Master meter %1 %4 − stalls' meters %2 %4 = pool %3 %4 × ¥%5. ")
                .replace("%1", f"{f.master_usage:.3f}")
                .replace("%2", f"{f.members_usage:.3f}")
                .replace("%3", f"{f.pool_usage:.3f}")
                .replace("%4", unit)
                .replace("%5", f"{f.price}")
            )
        text += (
            self.tr("Pool ¥%1, split over %2 stalls: ¥%3.")
            .replace("%1", fmt_yuan(f.amount))
            .replace("%2", str(len(f.rows)))
            .replace("%3", fmt_yuan(total))
        )
        self.figures_label.setText(text)
        self.previewed.emit(f)

    def _ask_generate(self) -> None:
        pool = self.pool_table.current_row()
        if pool is None:
            return
        question = self.tr(
            "Generate the shared bills of “%1” for %2 to %3? Nothing is debited until they are "
            "reviewed and issued."
        )
        start, end = self._period()
        if (
            QMessageBox.question(
                self,
                self.tr("Generate bills"),
                question.replace("%1", pool.name)
                .replace("%2", start.isoformat())
                .replace("%3", end.isoformat()),
            )
            == QMessageBox.StandardButton.Yes
        ):
            self.generate()

    def generate(self) -> None:
        request = self._request()
        if request is None:
            return
        pool, start, end, amount = request
        actor = self.client.actor
        self._run_step(
            lambda s: sc.generate_shared_bills(s, actor, pool.id, start, end, amount=amount)
        )

    # -- runs -------------------------------------------------------------------------------
    def _run_step(self, body) -> None:
        def done(info) -> None:
            self.run_changed.emit(info)
            self.refresh()

        DbOp(self, body, changes=Changes.BILLS | Changes.BALANCES).success(done).failure(
            self._fail
        ).run()

    def _run_id(self) -> int | None:
        run = self.run_table.current_row()
        return run.id if run else None

    def review(self) -> None:
        run_id, actor = self._run_id(), self.client.actor
        if run_id is not None:
            self._run_step(lambda s: sc.review_run(s, actor, run_id))

    def _ask_issue(self) -> None:
        run = self.run_table.current_row()
        if run is None:
            return
        question = (
            self.tr("Issue shared bill No. %1 (¥%2)? Each stall's balance is debited at once.")
            .replace("%1", str(run.id))
            .replace("%2", fmt_yuan(run.amount))
        )
        if QMessageBox.question(self, self.tr("Issue"), question) == QMessageBox.StandardButton.Yes:
            self.issue()

    def issue(self) -> None:
        run_id, actor = self._run_id(), self.client.actor
        if run_id is not None:
            self._run_step(lambda s: sc.issue_run(s, actor, run_id))

    def _ask_reason(self, action) -> None:
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Reason"),
            self.tr("Why? (kept with the bills, e.g. master meter read wrong)"),
        )
        if ok:
            action(reason)

    def void(self, reason: str) -> None:
        run_id, actor = self._run_id(), self.client.actor
        if run_id is not None:
            self._run_step(lambda s: sc.void_run(s, actor, run_id, reason))

    def reverse(self, reason: str) -> None:
        run_id, actor = self._run_id(), self.client.actor
        if run_id is not None:
            self._run_step(lambda s: sc.reverse_run(s, actor, run_id, reason))

    def _fail(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
        show_error(self, error)

    def _warn(self, text: str) -> None:
        self.failed.emit(text)
        QMessageBox.warning(self, self.tr("Cannot do this"), text)
