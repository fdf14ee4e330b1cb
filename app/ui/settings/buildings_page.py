"""Buildings and their settlement schedule (抄表时间, 结算时间, 结算周期)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTime
from PySide6.QtWidgets import QComboBox, QLineEdit, QTimeEdit, QWidget

from app.models.site import SettlementCycle
from app.services.market import stalls
from app.services.market.stalls import BuildingRow, building_rows
from app.services.platform.context import Changes, May
from app.ui.client import Client
from app.ui.labels import label
from app.ui.ops import QueryOp
from app.ui.settings.page import RecordDialog, TablePage
from app.ui.tables.columns import CENTER, RIGHT, Column, local_time

COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Building"), width=140),
    Column(
        "reading_time",
        QT_TRANSLATE_NOOP("Columns", "Reading time"),
        lambda t: t.strftime("%H:%M"),
        CENTER,
        width=90,
    ),
    Column(
        "settlement_time",
        QT_TRANSLATE_NOOP("Columns", "Settlement time"),
        lambda t: t.strftime("%H:%M"),
        CENTER,
        width=100,
    ),
    Column("settlement_cycle", QT_TRANSLATE_NOOP("Columns", "Cycle"), label, CENTER, width=70),
    Column("settled_until", QT_TRANSLATE_NOOP("Columns", "Settled until"), local_time, width=130),
    Column("stalls", QT_TRANSLATE_NOOP("Columns", "Stalls"), str, RIGHT, width=60),
]


class BuildingDialog(RecordDialog):
    CHANGES = Changes.SETTINGS | Changes.STALLS

    def __init__(self, parent: QWidget, actor, row: BuildingRow | None):
        super().__init__(parent, self.tr("Building"))
        self.actor, self.row = actor, row
        self.name = QLineEdit(row.name if row else "", self)
        self.reading = QTimeEdit(
            QTime(row.reading_time.hour, row.reading_time.minute) if row else QTime(0, 0), self
        )
        self.settlement = QTimeEdit(
            QTime(row.settlement_time.hour, row.settlement_time.minute) if row else QTime(1, 0),
            self,
        )
        for t in (self.reading, self.settlement):
            t.setDisplayFormat("HH:mm")
        self.cycle = QComboBox(self)
        for c in SettlementCycle:
            self.cycle.addItem(label(c), c.value)
        # a new building is settled daily, as the model's default, not by the first cycle listed
        self.cycle.setCurrentIndex(
            self.cycle.findData(row.settlement_cycle if row else SettlementCycle.DAILY)
        )
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Reading time"), self.reading)
        self.form.addRow(self.tr("Settlement time"), self.settlement)
        self.form.addRow(self.tr("Settlement cycle"), self.cycle)

    def values(self) -> dict:
        return {
            "name": self.name.text().strip(),
            "reading_time": self.reading.time().toPython(),
            "settlement_time": self.settlement.time().toPython(),
            "settlement_cycle": SettlementCycle(self.cycle.currentData()),
        }

    def body(self):
        v, actor, row = self.values(), self.actor, self.row
        if row is None:
            return lambda s: stalls.create_building(s, actor, v.pop("name"), **v)
        return lambda s: stalls.update_building(s, actor, row.id, **v)


class BuildingsPage(TablePage):
    NAME = "buildings"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Buildings and schedules")
    SORT_ORDER = 10

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.build_table(
            COLUMNS,
            "settings_buildings",
            self.tr("Add building …"),
            self.tr("Edit …"),
            add=May.ADD_BUILDINGS,
            edit=May.EDIT_BUILDINGS,
            more=((self.tr("Delete …"), self.delete, May.DELETE_BUILDINGS),),
        )

    def load(self) -> None:
        QueryOp(self, lambda s: building_rows(s, self.client.site_id)).success(
            self.model.set_rows
        ).run()

    def edit(self, row: BuildingRow | None) -> None:
        if self.client.may(May.ADD_BUILDINGS if row is None else May.EDIT_BUILDINGS):
            self.open_dialog(BuildingDialog(self, self.client.actor, row))

    def delete(self, row: BuildingRow) -> None:
        if self.confirm(
            self.tr("Delete building"), self.tr("Delete the building %1?").replace("%1", row.name)
        ):
            actor = self.client.actor
            self.run(
                lambda s: stalls.delete_building(s, actor, row.id),
                Changes.SETTINGS | Changes.STALLS,
            )
