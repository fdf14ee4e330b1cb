"""Held readings (异常读数): every reading held for a meter, for the admin to choose from.

A counter that went down, jumped or rolled over is held instead of billed, and so is every
reading of that meter after it (a device posing as the meter sends some of them). The admin
sees them all, accepts the one that is right, or rejects the first; the readings after the
accepted one are then taken as if just read (app.services.market.readings.resolve_anomaly)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.comm.types import MeterKind
from app.services.market import control, readings
from app.services.market.meters import MeterRow, register_units
from app.services.market.readings import AnomalyInfo
from app.services.platform.context import Changes
from app.ui.labels import label
from app.ui.settings.page import RecordDialog
from app.ui.tables.columns import local_time


class HeldReadingsDialog(RecordDialog):
    CHANGES = Changes.METERS | Changes.READINGS

    def __init__(self, parent: QWidget, actor, row: MeterRow, anomaly: AnomalyInfo):
        super().__init__(parent, self.tr("Held readings"))
        self.setMinimumWidth(520)
        self.actor, self.anomaly = actor, anomaly
        kind = MeterKind(row.kind)
        unit = "kWh" if kind is MeterKind.ELECTRIC else "m³"
        intro = QLabel(
            self.tr(
                "Meter %1 last read %2 %3. These readings are held (%4), the first one first. "
                "Accept the one that is right, or reject the first: the readings after it are "
                "then taken as if just read."
            )
            .replace("%1", row.address)
            .replace("%2", str(register_units(kind, anomaly.previous_total)))
            .replace("%3", unit)
            .replace("%4", label(str(anomaly.kind))),
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(anomaly.readings), 2, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Read at"), self.tr("Reading (%1)").replace("%1", unit)]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for i, held in enumerate(anomaly.readings):
            self.table.setItem(i, 0, QTableWidgetItem(local_time(held.read_at)))
            self.table.setItem(i, 1, QTableWidgetItem(str(register_units(kind, held.total))))
        self.table.resizeColumnsToContents()
        self.table.selectRow(0)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("how it was checked, e.g. meter checked on site"))
        self.form.addRow(intro)
        self.form.addRow(self.table)
        self.form.addRow(self.tr("Note"), self.note)
        self.button_box.button(QDialogButtonBox.StandardButton.Save).setText(
            self.tr("Accept the chosen reading")
        )
        self.reject_first = self.button_box.addButton(
            self.tr("Reject the first"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.reject_first.clicked.connect(self._reject_first)
        self._accept = True

    def _reject_first(self) -> None:
        self._accept = False
        try:
            self.save()
        finally:
            self._accept = True

    def body(self):
        actor, anomaly_id, accept, note = (
            self.actor,
            self.anomaly.id,
            self._accept,
            self.note.text(),
        )
        index = max(0, self.table.currentRow())

        def resolve(s):
            info = readings.resolve_anomaly(s, actor, anomaly_id, accept, note, reading_index=index)
            # the readings now billed may trip or close the stall
            control.reconsider(s, info.stall_ids)
            return info

        return resolve
