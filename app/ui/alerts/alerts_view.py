"""Safety alerts (安全告警): what collection raised, newest first; acknowledge one, resolve it
with a note of what was found or done."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.market import alerts
from app.services.market.alerts import ALERT_KIND, ALERT_STATE, AlertRow
from app.services.platform.context import Changes, May
from app.ui.client import Client
from app.ui.errors import ui_language
from app.ui.ops import DbOp, QueryOp
from app.ui.tables.columns import CENTER, RIGHT, Column, local_time, text
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View


def _word(table):
    return lambda value: table[value].say(ui_language()) if value in table else str(value)


COLUMNS = [
    Column("id", QT_TRANSLATE_NOOP("Columns", "No."), str, RIGHT, width=45),
    Column("raised_at", QT_TRANSLATE_NOOP("Columns", "Raised"), local_time, width=125),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Alert"), _word(ALERT_KIND), width=120),
    Column("state", QT_TRANSLATE_NOOP("Columns", "State"), _word(ALERT_STATE), CENTER, width=70),
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=60),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=90),
    # what was read right after what it is: the clerk decides from these columns, all in
    # sight on the counter PC's 1024×768
    Column(
        "detail",
        QT_TRANSLATE_NOOP("Columns", "What was read"),
        text,
        width=360,
        get=lambda r: r.detail(ui_language()),
    ),
    Column("meter_address", QT_TRANSLATE_NOOP("Columns", "Meter"), width=100),
    Column("handled_by", QT_TRANSLATE_NOOP("Columns", "Handled by"), width=80),
    Column("handled_at", QT_TRANSLATE_NOOP("Columns", "Handled at"), local_time, width=125),
    Column("note", QT_TRANSLATE_NOOP("Columns", "Note"), width=160),
]


class AlertsView(View):
    cares_about = (Changes.ALERTS,)
    live_cares_about = (Changes.ALERTS,)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.model = RowTableModel(COLUMNS, parent=self)
        self.table = FilteredTable("alerts", self.model, self)
        self.show_which = QComboBox(self)
        self.show_which.addItem(self.tr("Not resolved"), True)
        self.show_which.addItem(self.tr("All alerts"), False)
        self.show_which.currentIndexChanged.connect(self.refresh)
        self.count = QLabel(self)
        self.count.setStyleSheet("font-weight: bold")
        self.ack_button = QPushButton(self.tr("Acknowledge"), self)
        self.ack_button.clicked.connect(self.acknowledge)
        self.resolve_button = QPushButton(self.tr("Resolve …"), self)
        self.resolve_button.clicked.connect(self.resolve)
        for b in (self.ack_button, self.resolve_button):
            b.setVisible(client.may(May.HANDLE_ALERTS))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show")))
        top.addWidget(self.show_which)
        top.addWidget(self.count)
        top.addStretch(1)
        top.addWidget(self.ack_button)
        top.addWidget(self.resolve_button)
        hint = QLabel(
            self.tr(
                "Raised by collection as it reads the meters, once per event. Thresholds: "
                "Settings → Safety alerts."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)

    def refresh(self) -> None:
        actor, only_open = self.client.actor, bool(self.show_which.currentData())
        QueryOp(
            self,
            lambda s: (
                alerts.list_alerts(s, actor, only_open=only_open),
                alerts.count_open(s, actor),
            ),
        ).success(self._loaded).run()

    def _loaded(self, result: tuple[list[AlertRow], int]) -> None:
        rows, open_count = result
        self.model.set_rows(rows)
        self.count.setText(self.tr("%1 not resolved").replace("%1", str(open_count)))
        self.count.setStyleSheet(
            "font-weight: bold; color: #b00020" if open_count else "font-weight: bold"
        )
        self.mark_loaded()

    def _chosen(self) -> AlertRow | None:
        row = self.table.current_row()
        if row is None:
            QMessageBox.information(self, self.tr("Alerts"), self.tr("Choose an alert first."))
        return row

    def acknowledge(self) -> None:
        row = self._chosen()
        if row is None:
            return
        actor = self.client.actor
        DbOp(self, lambda s: alerts.acknowledge(s, actor, row.id), changes=Changes.ALERTS).run()

    def resolve(self) -> None:
        row = self._chosen()
        if row is None:
            return
        note, ok = QInputDialog.getText(
            self,
            self.tr("Resolve alert"),
            self.tr("What was found or done (kept with the alert and in the operation log):"),
            QLineEdit.EchoMode.Normal,
            row.note,
        )
        if not ok:
            return
        actor = self.client.actor
        DbOp(
            self, lambda s: alerts.resolve(s, actor, row.id, note=note), changes=Changes.ALERTS
        ).run()
