"""The window a clerk opens every morning: a navigation list on the left, one view at a
time on the right. It only arranges views; each view lives in its own module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QSize, Qt, QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QWidget

from app.ui.client import Client
from app.ui.labels import label
from app.ui.settings import options
from app.ui.view_base import View


@dataclass(frozen=True)
class ViewEntry:
    name: str  # for --view and tests
    title: str  # marked with QT_TRANSLATE_NOOP("MainWindow", …)
    factory: Callable[[Client], View]


def _entries() -> list[ViewEntry]:
    # Imported here so each view module is loaded only by the window that shows it.
    from app.ui.bills.bills_view import BillsView
    from app.ui.cashier.recharge_view import RechargeView
    from app.ui.cashier.history_view import RechargeHistoryView
    from app.ui.comm.monitor_view import CommMonitorView
    from app.ui.customers.customers_view import CustomersView
    from app.ui.imports.import_view import ImportView
    from app.ui.meters.meters_view import MetersView
    from app.ui.monthly.monthly_view import MonthlyView
    from app.ui.overview.overview_view import OverviewView
    from app.ui.reports.reports_view import ReportsView
    from app.ui.settings.settings_view import SettingsView
    from app.ui.shared_costs.shared_costs_view import SharedCostsView
    from app.ui.stalls.stalls_view import StallsView

    return [
        ViewEntry("overview", QT_TRANSLATE_NOOP("MainWindow", "Overview"), OverviewView),
        ViewEntry("recharge", QT_TRANSLATE_NOOP("MainWindow", "Recharge"), RechargeView),
        ViewEntry("history", QT_TRANSLATE_NOOP("MainWindow", "Recharge history"), RechargeHistoryView),
        ViewEntry("stalls", QT_TRANSLATE_NOOP("MainWindow", "Stalls"), StallsView),
        ViewEntry("customers", QT_TRANSLATE_NOOP("MainWindow", "Customers"), CustomersView),
        ViewEntry("meters", QT_TRANSLATE_NOOP("MainWindow", "Meters"), MetersView),
        ViewEntry("bills", QT_TRANSLATE_NOOP("MainWindow", "Bills"), BillsView),
        ViewEntry("shared", QT_TRANSLATE_NOOP("MainWindow", "Shared costs"), SharedCostsView),
        ViewEntry("monthly", QT_TRANSLATE_NOOP("MainWindow", "Monthly ledger"), MonthlyView),
        ViewEntry("reports", QT_TRANSLATE_NOOP("MainWindow", "Reports"), ReportsView),
        ViewEntry("import", QT_TRANSLATE_NOOP("MainWindow", "Excel import"), ImportView),
        ViewEntry("comm", QT_TRANSLATE_NOOP("MainWindow", "Comm monitor"), CommMonitorView),
        ViewEntry("settings", QT_TRANSLATE_NOOP("MainWindow", "Settings"), SettingsView),
    ]


VIEW_NAMES = ("overview", "recharge", "history", "stalls", "customers", "meters", "bills", "shared", "monthly", "reports", "import", "comm", "settings")


class MainWindow(QMainWindow):
    def __init__(self, client: Client):
        super().__init__()
        self.client = client
        self.setWindowTitle(self.tr("MarketMeter — %1").replace("%1", client.site_name))
        self.entries = _entries()
        self.views: dict[str, View] = {}

        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 9px 12px; }")
        for entry in self.entries:
            item = QListWidgetItem(QCoreApplication.translate("MainWindow", entry.title))
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            self.nav.addItem(item)
        self.stack = QStackedWidget(self)
        self._placeholders: dict[str, QWidget] = {}
        for entry in self.entries:
            placeholder = QWidget(self.stack)
            self._placeholders[entry.name] = placeholder
            self.stack.addWidget(placeholder)
        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        role = label(client.actor.role)
        who = QLabel(self.tr("Signed in: %1 (%2)").replace("%1", client.actor.username).replace("%2", role))
        self.statusBar().addPermanentWidget(who)
        if client.is_demo:
            self.statusBar().addWidget(QLabel(self.tr("Demo market: simulated meters, not real money")))
        self._busy = QLabel(self)
        self.statusBar().addWidget(self._busy)
        client.runner.busy_changed.connect(lambda n: self._busy.setText(self.tr("Working …") if n else ""))
        self._restore_geometry()

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        entry = self.entries[row]
        view = self.views.get(entry.name)
        if view is None:
            # Views are built when first shown: a clerk who only recharges never loads 20,000 meters.
            view = entry.factory(self.client)
            self.views[entry.name] = view
            index = self.stack.indexOf(self._placeholders[entry.name])
            self.stack.removeWidget(self._placeholders.pop(entry.name))
            self.stack.insertWidget(index, view)
            view.refresh()
        self.stack.setCurrentWidget(view)
        options.LAST_VIEW.put(entry.name)

    def show_view(self, name: str) -> View:
        row = next(i for i, e in enumerate(self.entries) if e.name == name)
        if self.nav.currentRow() == row:
            self._show_row(row)
        self.nav.setCurrentRow(row)
        return self.views[name]

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        self.resize(1280, 800)

    def closeEvent(self, event) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        for view in self.views.values():
            view.close()
        self.client.comm.stop()
        super().closeEvent(event)
