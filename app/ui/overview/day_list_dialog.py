"""The list behind one bar of the overview's charts: a day's usage per meter, its recharges
or its trips and closes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.comm.types import MeterKind
from app.services.office.overview import (
    DayLine,
    day_command_lines,
    day_recharge_lines,
    day_usage_lines,
)
from app.ui.client import Client
from app.ui.labels import label
from app.ui.ops import QueryOp
from app.ui.tables.columns import RIGHT, Column, local_time, number, yuan
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel

# what a bar is: (chart, set key) → which list
USAGE = "usage"
RECHARGES = "recharges"
COMMANDS = "commands"

_TIME = Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), local_time, searchable=False)
_STALL = Column("stall", QT_TRANSLATE_NOOP("Columns", "Stall"), width=80)
_METER = Column("meter", QT_TRANSLATE_NOOP("Columns", "Meter address"), width=110)
COLUMNS = {
    USAGE: [
        _STALL,
        _METER,
        Column("value", QT_TRANSLATE_NOOP("Columns", "Used"), number(3), RIGHT, searchable=False),
    ],
    RECHARGES: [
        _TIME,
        _STALL,
        Column("what", QT_TRANSLATE_NOOP("Columns", "Payment method"), label),
        Column("value", QT_TRANSLATE_NOOP("Columns", "Amount ¥"), yuan, RIGHT, searchable=False),
    ],
    COMMANDS: [
        _TIME,
        _STALL,
        _METER,
        Column("what", QT_TRANSLATE_NOOP("Columns", "Command"), label),
    ],
}


class DayListDialog(QDialog):
    """Opens at once and fills when the list is read; `loaded` the rows are in."""

    def __init__(
        self,
        client: Client,
        day: date,
        what: str,
        kind: MeterKind | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.day, self.what, self.kind = day, what, kind
        self.lines: list[DayLine] | None = None
        titles = {
            USAGE: self.tr("Electricity used on %1, per meter")
            if kind is MeterKind.ELECTRIC
            else self.tr("Water used on %1, per meter"),
            RECHARGES: self.tr("Recharges on %1"),
            COMMANDS: self.tr("Power and water cut or given back on %1"),
        }
        self.setWindowTitle(titles[what].replace("%1", day.isoformat()))
        self.resize(640, 480)
        self.model = RowTableModel(COLUMNS[what], key=lambda line: id(line), parent=self)
        self.table = FilteredTable(f"day_{what}", self.model, self)
        self.total = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(buttons)
        site_id = client.site_id
        if what == USAGE:
            body = lambda s: day_usage_lines(s, site_id, day, kind)  # noqa: E731
        elif what == RECHARGES:
            body = lambda s: day_recharge_lines(s, site_id, day)  # noqa: E731
        else:
            body = lambda s: day_command_lines(s, site_id, day)  # noqa: E731
        QueryOp(self, body).success(self._show).run()

    def _show(self, lines: list[DayLine]) -> None:
        self.lines = lines
        self.model.set_rows(lines)
        total = sum((line.value for line in lines), start=0)
        if self.what == USAGE:
            unit = "kWh" if self.kind is MeterKind.ELECTRIC else "m³"
            text = self.tr("%1 meters, %2 %3 in all").replace("%3", unit)
            self.total.setText(text.replace("%1", str(len(lines))).replace("%2", f"{total:.3f}"))
        elif self.what == RECHARGES:
            self.total.setText(
                self.tr("%1 recharges, ¥ %2 in all")
                .replace("%1", str(len(lines)))
                .replace("%2", yuan(total) if lines else "0.00")
            )
        else:
            self.total.setText(self.tr("%1 commands").replace("%1", str(len(lines))))
