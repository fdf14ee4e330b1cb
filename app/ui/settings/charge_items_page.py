"""Charge items (收费项目): fixed per month, per m² of stall area, or per unit, for every
building or one; a per-unit item lists the stalls that have units ("A01=2, A02=1")."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from app.models.billing import ChargeMethod
from app.models.labels import CHARGE_METHOD
from app.services.market.stalls import building_rows
from app.services.money import tariffs
from app.services.money.tariffs import (
    ChargeItemDetail,
    ChargeItemRow,
    ChargeItemSpec,
    charge_item_rows,
)
from app.services.platform.context import May
from app.ui.labels import yes_no
from app.ui.ops import QueryOp
from app.ui.settings.page import RecordDialog, TablePage
from app.ui.tables.columns import CENTER, RIGHT, Column, number


def method_label(method: str) -> str:
    word = CHARGE_METHOD.get(method)
    return QCoreApplication.translate(*word.text) if word else method


COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Charge item"), width=160),
    Column("method", QT_TRANSLATE_NOOP("Columns", "Charged"), method_label, width=150),
    Column("price", QT_TRANSLATE_NOOP("Columns", "Price ¥"), number(4), RIGHT, width=90),
    Column("unit_name", QT_TRANSLATE_NOOP("Columns", "Unit"), width=60),
    Column("building", QT_TRANSLATE_NOOP("Columns", "Building"), width=100),
    Column("is_active", QT_TRANSLATE_NOOP("Columns", "In use"), yes_no, CENTER, width=60),
]


class ChargeItemDialog(RecordDialog):
    def __init__(
        self,
        parent: QWidget,
        actor,
        item: ChargeItemDetail | None,
        buildings: list[tuple[int, str]],
    ):
        super().__init__(parent, self.tr("Charge item"))
        self.actor, self.item = actor, item
        self.name = QLineEdit(item.name if item else "", self)
        self.method = QComboBox(self)
        for m in ChargeMethod:
            self.method.addItem(method_label(m.value), m.value)
        self.price = QLineEdit(f"{item.price.normalize():f}" if item else "", self)
        self.price.setPlaceholderText("30.00")
        self.unit_name = QLineEdit(item.unit_name if item else "", self)
        self.unit_name.setPlaceholderText(self.tr("e.g. bin"))
        self.building = QComboBox(self)
        self.building.addItem(self.tr("All buildings"), None)
        for building_id, name in buildings:
            self.building.addItem(name, building_id)
        self.active = QCheckBox(self.tr("Bill this item every month"), self)
        self.active.setChecked(item.is_active if item else True)
        self.units = QLineEdit(
            ", ".join(f"{c}={n.normalize():f}" for c, n in item.stall_units.items())
            if item
            else "",
            self,
        )
        self.units.setPlaceholderText("A01=2, A02=1")
        self.units_label = QLabel(self.tr("Units per stall"), self)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Charged"), self.method)
        self.form.addRow(self.tr("Price (¥)"), self.price)
        self.form.addRow(self.tr("Unit"), self.unit_name)
        self.form.addRow(self.tr("For"), self.building)
        self.form.addRow(self.units_label, self.units)
        self.form.addRow("", self.active)
        if item:
            self.method.setCurrentIndex(self.method.findData(item.method.value))
            self.building.setCurrentIndex(max(0, self.building.findData(item.building_id)))
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()

    def _method_changed(self, *_args) -> None:
        per_unit = self.method.currentData() == ChargeMethod.PER_UNIT.value
        self.units.setVisible(per_unit)
        self.units_label.setVisible(per_unit)

    def body(self):
        method = ChargeMethod(self.method.currentData())
        units = (
            tariffs.parse_stall_units(self.units.text()) if method is ChargeMethod.PER_UNIT else {}
        )
        spec = ChargeItemSpec(
            self.name.text(),
            method,
            self.price.text().strip() or "0",
            self.unit_name.text(),
            self.building.currentData(),
            self.active.isChecked(),
            units,
        )
        actor, item = self.actor, self.item
        if item is None:
            return lambda s: tariffs.create_charge_item(s, actor, spec)
        return lambda s: tariffs.update_charge_item(s, actor, item.id, spec)


class ChargeItemsPage(TablePage):
    NAME = "charge_items"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Charge items")
    SORT_ORDER = 30

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.buildings: list[tuple[int, str]] = []
        self.build_table(
            COLUMNS,
            "settings_charge_items",
            self.tr("Add charge item …"),
            self.tr("Edit …"),
            add=May.ADD_CHARGE_ITEMS,
            edit=May.EDIT_CHARGE_ITEMS,
            more=((self.tr("Delete …"), self.delete, May.DELETE_CHARGE_ITEMS),),
        )

    def load(self) -> None:
        site_id = self.client.site_id

        def query(s):
            return (
                charge_item_rows(s, site_id),
                [(b.id, b.name) for b in building_rows(s, site_id)],
            )

        QueryOp(self, query).success(self._show).run()

    def _show(self, result) -> None:
        rows, self.buildings = result
        self.model.set_rows(rows)

    def edit(self, row: ChargeItemRow | None) -> None:
        if not self.client.may(May.ADD_CHARGE_ITEMS if row is None else May.EDIT_CHARGE_ITEMS):
            return
        if row is None:
            self.open_dialog(ChargeItemDialog(self, self.client.actor, None, self.buildings))
            return
        site_id = self.client.site_id
        QueryOp(self, lambda s: tariffs.charge_item(s, site_id, row.id)).success(
            lambda item: self.open_dialog(
                ChargeItemDialog(self, self.client.actor, item, self.buildings)
            )
        ).run()

    def delete(self, row: ChargeItemRow) -> None:
        if self.confirm(
            self.tr("Delete charge item"),
            self.tr("Delete the charge item %1? Bills already made keep it.").replace(
                "%1", row.name
            ),
        ):
            actor = self.client.actor
            self.run(lambda s: tariffs.delete_charge_item(s, actor, row.id))
