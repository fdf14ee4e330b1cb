"""Settings (设置): one page per file, listed by SORT_ORDER."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.platform.context import Changes
from app.ui.client import Client
from app.ui.settings.alarms_page import AlarmsPage
from app.ui.settings.alerts_page import AlertsPage
from app.ui.settings.backups_page import BackupsPage
from app.ui.settings.buildings_page import BuildingsPage
from app.ui.settings.channels_page import ChannelsPage
from app.ui.settings.charge_items_page import ChargeItemsPage
from app.ui.settings.language_page import LanguagePage
from app.ui.settings.lock_page import LockPage
from app.ui.settings.market_page import MarketDetailsPage
from app.ui.settings.page import SettingsPage
from app.ui.settings.payments_page import OnlinePaymentsPage
from app.ui.settings.printer_page import PrinterPage
from app.ui.settings.sms_notices_page import SmsNoticesPage
from app.ui.settings.tariffs_page import TariffsPage
from app.ui.settings.users_page import UsersPage
from app.ui.view_base import View

PAGES: tuple[type[SettingsPage], ...] = tuple(
    sorted(
        (
            MarketDetailsPage,
            BuildingsPage,
            TariffsPage,
            ChargeItemsPage,
            AlarmsPage,
            AlertsPage,
            ChannelsPage,
            OnlinePaymentsPage,
            SmsNoticesPage,
            UsersPage,
            PrinterPage,
            LanguagePage,
            BackupsPage,
            LockPage,
        ),
        key=lambda p: p.SORT_ORDER,
    )
)


class SettingsView(View):
    cares_about = (Changes.SETTINGS, Changes.USERS, Changes.STALLS)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.pages = [page(client, self) for page in PAGES]
        self.list = QListWidget(self)
        self.list.setStyleSheet("QListWidget::item { padding: 6px 8px; }")
        self.stack = QStackedWidget(self)
        for page in self.pages:
            self.list.addItem(QCoreApplication.translate("Settings", page.TITLE))
            self.stack.addWidget(page)
        self.list.setFixedWidth(
            max(170, self.list.sizeHintForColumn(0) + 40)
        )  # fits the longest title
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.clicked.connect(self.save_current)
        self.list.currentRowChanged.connect(self._show)
        right = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.save_button)
        right.addLayout(head)
        right.addWidget(self.stack, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(right, 1)

    def refresh(self) -> None:
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        else:
            self.pages[self.list.currentRow()].load()
        self.mark_loaded()

    def _show(self, row: int) -> None:
        page = self.pages[row]
        self.stack.setCurrentWidget(page)
        self.title.setText(QCoreApplication.translate("Settings", page.TITLE))
        self.save_button.setVisible(page.HAS_SAVE)
        page.load()

    def show_page(self, name: str) -> SettingsPage:
        row = next(i for i, p in enumerate(self.pages) if p.NAME == name)
        self.list.setCurrentRow(row)
        return self.pages[row]

    def save_current(self) -> None:
        page = self.pages[self.list.currentRow()]
        problem = page.check()
        if problem:
            QMessageBox.warning(self, self.tr("Settings"), problem)
            return
        page.save()
        QMessageBox.information(self, self.tr("Settings"), self.tr("Saved."))
