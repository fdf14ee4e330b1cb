"""The window a clerk opens every morning: a navigation list on the left, one view at a
time on the right. It only arranges views; each view lives in its own module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QSettings,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from app.services.platform import users
from app.services.platform.context import May
from app.ui.client import Client
from app.ui.labels import label
from app.ui.lock_screen import IdleWatch, LockScreen
from app.ui.ops import QueryOp
from app.ui.password_dialog import ChangePasswordDialog
from app.ui.settings import options
from app.ui.view_base import View


@dataclass(frozen=True)
class ViewEntry:
    name: str  # for --view and tests
    title: str  # marked with QT_TRANSLATE_NOOP("MainWindow", …)
    factory: Callable[[Client], View]
    rule: May | None = None  # who may open it: those who may do this; None: everybody


def _entries() -> list[ViewEntry]:
    # Imported here so each view module is loaded only by the window that shows it.
    from app.ui.alerts.alerts_view import AlertsView
    from app.ui.audit.audit_view import AuditView
    from app.ui.bills.bills_view import BillsView
    from app.ui.cashier.history_view import RechargeHistoryView
    from app.ui.cashier.recharge_view import RechargeView
    from app.ui.comm.monitor_view import CommMonitorView
    from app.ui.customers.customers_view import CustomersView
    from app.ui.imports.import_view import ImportView
    from app.ui.losses.losses_view import LossesView
    from app.ui.meters.meters_view import MetersView
    from app.ui.monthly.monthly_view import MonthlyView
    from app.ui.overview.overview_view import OverviewView
    from app.ui.reports.reports_view import ReportsView
    from app.ui.settings.settings_view import SettingsView
    from app.ui.shared_costs.shared_costs_view import SharedCostsView
    from app.ui.stalls.floor_map_view import FloorMapView
    from app.ui.stalls.stalls_view import StallsView

    return [
        ViewEntry("overview", QT_TRANSLATE_NOOP("MainWindow", "Overview"), OverviewView),
        ViewEntry(
            "recharge",
            QT_TRANSLATE_NOOP("MainWindow", "Recharge"),
            RechargeView,
            May.TAKE_RECHARGES,
        ),
        ViewEntry(
            "history", QT_TRANSLATE_NOOP("MainWindow", "Recharge history"), RechargeHistoryView
        ),
        ViewEntry("stalls", QT_TRANSLATE_NOOP("MainWindow", "Stalls"), StallsView),
        ViewEntry("floors", QT_TRANSLATE_NOOP("MainWindow", "Floor map"), FloorMapView),
        ViewEntry("customers", QT_TRANSLATE_NOOP("MainWindow", "Customers"), CustomersView),
        ViewEntry("meters", QT_TRANSLATE_NOOP("MainWindow", "Meters"), MetersView),
        ViewEntry("bills", QT_TRANSLATE_NOOP("MainWindow", "Bills"), BillsView),
        ViewEntry(
            "shared",
            QT_TRANSLATE_NOOP("MainWindow", "Shared costs"),
            SharedCostsView,
            May.VIEW_SHARED_COSTS,
        ),
        ViewEntry(
            "losses",
            QT_TRANSLATE_NOOP("MainWindow", "Line losses"),
            LossesView,
            May.VIEW_LOSSES,
        ),
        ViewEntry(
            "alerts",
            QT_TRANSLATE_NOOP("MainWindow", "Safety alerts"),
            AlertsView,
            May.VIEW_ALERTS,
        ),
        ViewEntry("monthly", QT_TRANSLATE_NOOP("MainWindow", "Monthly ledger"), MonthlyView),
        ViewEntry("reports", QT_TRANSLATE_NOOP("MainWindow", "Reports"), ReportsView),
        ViewEntry(
            "import",
            QT_TRANSLATE_NOOP("MainWindow", "Excel import"),
            ImportView,
            May.IMPORT_RECORDS_IN_BULK,
        ),
        ViewEntry(
            "audit",
            QT_TRANSLATE_NOOP("MainWindow", "Operation log"),
            AuditView,
            May.READ_OPERATION_LOG,
        ),
        ViewEntry("comm", QT_TRANSLATE_NOOP("MainWindow", "Comm monitor"), CommMonitorView),
        ViewEntry("settings", QT_TRANSLATE_NOOP("MainWindow", "Settings"), SettingsView),
    ]


VIEW_NAMES = (
    "overview",
    "recharge",
    "history",
    "stalls",
    "floors",
    "customers",
    "meters",
    "bills",
    "shared",
    "losses",
    "alerts",
    "monthly",
    "reports",
    "import",
    "audit",
    "comm",
    "settings",
)


class MainWindow(QMainWindow):
    signed_in_again = Signal(object)  # the Actor after a switch of user

    def __init__(self, client: Client):
        super().__init__()
        self.client = client
        self.show_site_name(client.site_name)
        self.entries: list[ViewEntry] = []
        self.views: dict[str, View] = {}
        self._placeholders: dict[str, QWidget] = {}

        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 9px 12px; }")
        self.stack = QStackedWidget(self)
        self.nav.currentRowChanged.connect(self._show_row)
        self._build_views()

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.sign_out_button = QPushButton(self.tr("Sign out / switch user"), self)
        self.sign_out_button.setFlat(True)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.statusBar().addPermanentWidget(self.sign_out_button)
        self._shown_name = client.actor.username
        self._show_who()
        if client.is_demo:
            self.statusBar().addWidget(
                QLabel(self.tr("Demo market: simulated meters, not real money"))
            )
        self._busy = QLabel(self)
        self.statusBar().addWidget(self._busy)
        client.runner.busy_changed.connect(
            lambda n: self._busy.setText(self.tr("Working …") if n else "")
        )
        self._build_account_menu()
        self.lock_screen = LockScreen(self)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_screen.switch_user.connect(self.sign_out)
        # The demo signs in by itself as an administrator without a password: never lock it.
        minutes = 0 if client.is_demo else options.IDLE_LOCK_MINUTES.get()
        self.idle = IdleWatch(self, minutes * 60_000)
        self.idle.idle.connect(self.lock)
        self.idle.watch()
        self._restore_geometry()

    def show_site_name(self, name: str) -> None:
        """The market's name in the title bar (also after Settings → Market changed it)."""
        self.setWindowTitle(self.tr("MarketMeter — %1").replace("%1", name))

    def _build_account_menu(self) -> None:
        """Lock, change one's password, sign out: reachable from the menu and the keyboard."""
        menu = self.menuBar().addMenu(self.tr("&Account"))
        self.lock_action = QAction(self.tr("Lock now"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.lock_action.setVisible(not self.client.is_demo)
        self.change_password_action = QAction(self.tr("Change my password …"), self)
        self.change_password_action.triggered.connect(self.change_password)
        self.sign_out_action = QAction(self.tr("Sign out / switch user …"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        menu.addAction(self.lock_action)
        menu.addAction(self.change_password_action)
        menu.addSeparator()
        menu.addAction(self.sign_out_action)

    def _build_views(self) -> None:
        """The navigation holds only the entries the signed-in role can use."""
        self.entries = [e for e in _entries() if e.rule is None or self.client.may(e.rule)]
        self.nav.blockSignals(True)
        self.nav.clear()
        for entry in self.entries:
            item = QListWidgetItem(QCoreApplication.translate("MainWindow", entry.title))
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        for entry in self.entries:
            placeholder = QWidget(self.stack)
            self._placeholders[entry.name] = placeholder
            self.stack.addWidget(placeholder)

    def _show_who(self) -> None:
        """The name printed on this clerk's receipts, not the login name."""
        actor = self.client.actor
        role = label(actor.role)
        self.who.setText(
            self.tr("Signed in: %1 (%2)").replace("%1", actor.username).replace("%2", role)
        )
        self._shown_name = actor.username

        def shown(name: str) -> None:
            self._shown_name = label(name)
            self.who.setText(
                self.tr("Signed in: %1 (%2)").replace("%1", self._shown_name).replace("%2", role)
            )

        QueryOp(self, lambda s: users.shown_name_of(s, actor)).success(shown).run()

    def lock(self) -> None:
        """Hide the window behind the lock screen until the signed-in user's password is
        typed again; the views stay open as they are. Nobody signed in: nothing to lock."""
        if self.lock_screen.isVisible() or not self.entries:
            return
        self.idle.pause()
        self.lock_screen.lock(self.client.actor, self._shown_name)

    def _unlocked(self, _actor) -> None:
        self.idle.watch()

    def change_password(self) -> None:
        self.password_dialog = ChangePasswordDialog(self, self.client.actor)
        self.password_dialog.saved.connect(
            lambda _row: self.statusBar().showMessage(
                self.tr("Your password has been changed."), 15_000
            )
        )
        self.password_dialog.open()

    def sign_out(self) -> None:
        """Sign out and let the next clerk sign in, without closing the program: the views of
        the one who leaves are closed; quitting the sign-in closes the program."""
        from app.ui.login_dialog import LoginDialog

        self.idle.pause()
        self._close_views()
        dialog = LoginDialog(self.client.site_name, self)
        dialog.signed_in.connect(self.switch_user)
        dialog.rejected.connect(self.close)
        dialog.open()

    def switch_user(self, actor) -> None:
        self.client.actor = actor
        self._build_views()
        self._show_who()
        self.idle.watch()
        self.signed_in_again.emit(actor)
        self.nav.setCurrentRow(0)

    def _close_views(self) -> None:
        for view in self.views.values():
            view.close()
            self.stack.removeWidget(view)
            view.deleteLater()
        for placeholder in self._placeholders.values():
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        self.views.clear()
        self._placeholders.clear()
        self.entries = []
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        entry = self.entries[row]
        view = self.views.get(entry.name)
        if view is None:
            # Views are built when first shown: a clerk who only recharges never loads 20,000
            # meters.
            view = entry.factory(self.client)
            self.views[entry.name] = view
            index = self.stack.indexOf(self._placeholders[entry.name])
            self.stack.removeWidget(self._placeholders.pop(entry.name))
            self.stack.insertWidget(index, view)
            opener = getattr(view, "open_requested", None)  # the overview's setup checklist
            if opener is not None:
                opener.connect(self.open_place)
            view.refresh()
        self.stack.setCurrentWidget(view)
        options.LAST_VIEW.put(entry.name)

    def show_view(self, name: str) -> View:
        """Show the view `name`; KeyError when the signed-in role has no such entry."""
        row = next((i for i, e in enumerate(self.entries) if e.name == name), None)
        if row is None:
            raise KeyError(name)
        if self.nav.currentRow() == row:
            self._show_row(row)
        self.nav.setCurrentRow(row)
        return self.views[name]

    def open_place(self, view_name: str, page: str = "") -> None:
        """Show a view, and in Settings one of its pages (the setup checklist's links)."""
        view = self.show_view(view_name)
        if page:
            view.show_page(page)

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1280, 800)
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """A size saved on a bigger screen (or the default) is fitted to this one: the
        counter PC's 1024×768 shows the whole window, title bar included."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(self.width(), room.width() - frame.width())
        height = min(self.height(), room.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), room.left()), room.right() - width - frame.width() + 1)
        y = min(max(self.y(), room.top()), room.bottom() - height - frame.height() + 1)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_fitted", False):  # the frame's size is known once shown
            self._fitted = True
            self.fit_to_screen()

    def closeEvent(self, event) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        for view in self.views.values():
            view.close()
        self.client.comm.stop()
        super().closeEvent(event)
