"""One meter's history: daily readings and a usage chart by day or month."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.market.meters import DayReading, MeterHistory, MeterRow
from app.ui.charts import BarChart
from app.ui.labels import label
from app.ui.meters.meter_ops import meter_history_op
from app.ui.tables.columns import RIGHT, Column, local_time, number
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel

READING_COLUMNS = [
    Column("day", QT_TRANSLATE_NOOP("Columns", "Day"), lambda d: d.isoformat()),
    Column("closed_at", QT_TRANSLATE_NOOP("Columns", "Last reading"), local_time),
    Column("total", QT_TRANSLATE_NOOP("Columns", "Total reading"), number(2), RIGHT),
    Column("usage", QT_TRANSLATE_NOOP("Columns", "Usage"), number(2), RIGHT),
]


class MeterHistoryDialog(QDialog):
    def __init__(self, parent: QWidget, meter: MeterRow):
        super().__init__(parent)
        self.meter = meter
        self.history: MeterHistory | None = None
        self.setWindowTitle(
            self.tr("History of %1 meter %2 (%3)")
            .replace("%1", label(meter.kind))
            .replace("%2", meter.address)
            .replace("%3", f"{meter.stall_code} {meter.stall_name}".strip())
        )
        self.resize(820, 560)
        self.readings = RowTableModel(READING_COLUMNS, key=lambda r: r.day, parent=self)
        table = FilteredTable("meter_history", self.readings, self)
        self.chart = BarChart(parent=self)
        self.by_day = QRadioButton(self.tr("By day (last 31 days)"))
        self.by_month = QRadioButton(self.tr("By month"))
        self.by_day.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_day)
        group.addButton(self.by_month)
        self.by_day.toggled.connect(self._draw)
        chart_page = QWidget(self)
        chart_layout = QVBoxLayout(chart_page)
        switch = QHBoxLayout()
        switch.addWidget(self.by_day)
        switch.addWidget(self.by_month)
        switch.addStretch(1)
        chart_layout.addLayout(switch)
        chart_layout.addWidget(self.chart, 1)
        tabs = QTabWidget(self)
        tabs.addTab(chart_page, self.tr("Usage chart"))
        tabs.addTab(table, self.tr("Daily readings"))
        self.status = QLabel(self.tr("Loading …"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(tabs, 1)
        meter_history_op(self, meter.id).success(self._show).run()

    def _show(self, history: MeterHistory) -> None:
        self.history = history
        self.readings.set_rows(list(reversed(history.days)))
        self.status.setText(
            self.tr("%1 days of readings. Usage in %2.")
            .replace("%1", str(len(history.days)))
            .replace("%2", history.unit)
            if history.days
            else self.tr("No readings stored for this meter yet.")
        )
        self._draw()

    def _draw(self, *_args) -> None:
        h = self.history
        if h is None:
            return
        if self.by_day.isChecked():
            days: list[DayReading] = [d for d in h.days if d.usage is not None][-31:]
            bars = [(d.day.strftime("%m-%d"), d.usage) for d in days]
        else:
            bars = [(month[2:], usage) for month, usage in h.months[-13:]]
        self.chart.set_bars(
            [name for name, _ in bars],
            [("usage", label(self.meter.kind), [usage for _, usage in bars])],
            h.unit,
            every=max(1, len(bars) // 8),  # at most about eight dates under the bars
        )
        self.chart.chart().setTitle("" if bars else self.tr("No usage to show yet."))
