"""Charge items (收费项目): shown read-only until the property-bill service can edit them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from app.services import views as view_queries
from app.ui.labels import yes_no
from app.ui.settings.read_only_table import ReadOnlyTablePage
from app.ui.tables.columns import CENTER, RIGHT, Column, number

METHODS = {
    "fixed_month": QT_TRANSLATE_NOOP("Settings", "Fixed per month"),
    "per_m2": QT_TRANSLATE_NOOP("Settings", "Per m² of stall area"),
    "per_unit": QT_TRANSLATE_NOOP("Settings", "Per unit"),
}


def method_label(method: str) -> str:
    return QCoreApplication.translate("Settings", METHODS.get(method, method))


class ChargeItemsPage(ReadOnlyTablePage):
    NAME = "charge_items"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Charge items")
    SORT_ORDER = 30
    COLUMNS = [
        Column("name", QT_TRANSLATE_NOOP("Columns", "Charge item"), width=160),
        Column("method", QT_TRANSLATE_NOOP("Columns", "Charged"), method_label, width=140),
        Column("price", QT_TRANSLATE_NOOP("Columns", "Price ¥"), number(4), RIGHT, width=90),
        Column("unit_name", QT_TRANSLATE_NOOP("Columns", "Unit"), width=60),
        Column("building", QT_TRANSLATE_NOOP("Columns", "Building"), width=100),
        Column("is_active", QT_TRANSLATE_NOOP("Columns", "In use"), yes_no, CENTER, width=60),
    ]

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.note.setText(self.tr("Charge items are shown here; adding and changing them comes with the property-bill service."))

    def query(self):
        return lambda s: view_queries.charge_item_rows(s, self.client.site_id)
