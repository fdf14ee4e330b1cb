"""The market (市场): its name, address, service phone, time zone and the lines printed above
and below every receipt, as typed in the first-run setup and changed here later."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.services.market import setup
from app.services.market.setup import MarketSpec
from app.services.platform.context import Changes, May
from app.ui import site_time
from app.ui.errors import error_text
from app.ui.ops import DbOp, QueryOp
from app.ui.settings.page import SettingsPage
from app.ui.setup.setup_wizard import TIMEZONES


class MarketDetailsPage(SettingsPage):
    NAME = "market"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Market")
    SORT_ORDER = 5

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.shown: MarketSpec | None = None  # as stored: what a save compares against
        self.code = QLabel(self)
        self.name = QLineEdit(self)
        self.address = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.timezone = QComboBox(self)
        self.timezone.setEditable(True)
        self.timezone.addItems(TIMEZONES)
        self.header = QPlainTextEdit(self)
        self.footer = QPlainTextEdit(self)
        for edit in (self.header, self.footer):
            edit.setFixedHeight(70)
        self.header.setPlaceholderText(self.tr("e.g. Property office, open 8:00–18:00"))
        self.footer.setPlaceholderText(self.tr("e.g. Keep this receipt. Thank you!"))
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.clicked.connect(self.save_market)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.saved_note = QLabel(self.tr("Saved. The next receipt prints it."), self)
        self.saved_note.setStyleSheet("color: #2e7d32;")
        self.saved_note.hide()
        form = QFormLayout()
        form.addRow(self.tr("Market code"), self.code)
        form.addRow(self.tr("Market name"), self.name)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Service phone"), self.phone)
        form.addRow(self.tr("Time zone"), self.timezone)
        form.addRow(self.tr("Receipt header lines"), self.header)
        form.addRow(self.tr("Receipt footer lines"), self.footer)
        note = QLabel(
            self.tr(
                "The name, address, service phone and these lines are printed on every receipt. "
                "Every time the program shows, and the days of its reports, are in the time zone."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.read_only_note = QLabel(
            self.tr("Only an administrator can change these settings."), self
        )
        self.read_only_note.setStyleSheet("color: #555;")
        may = client.may(May.CHANGE_MARKET_DETAILS)
        self.read_only_note.setVisible(not may)
        for w in (self.name, self.address, self.phone, self.timezone, self.header, self.footer):
            w.setEnabled(may)
        self.save_button.setVisible(may)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_note)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addStretch(1)

    def load(self) -> None:
        # Until the stored market is shown the form is empty: saving it would blank the market.
        self.save_button.setEnabled(False)
        site_id = self.client.site_id
        QueryOp(self, lambda s: setup.market_details(s, site_id)).success(self._show).run()

    def _show(self, market: MarketSpec) -> None:
        self.shown = market
        self.code.setText(market.code)
        self.name.setText(market.name)
        self.address.setText(market.address)
        self.phone.setText(market.phone)
        self.timezone.setCurrentText(market.timezone)
        self.header.setPlainText(market.receipt_header)
        self.footer.setPlainText(market.receipt_footer)
        self.save_button.setEnabled(True)

    def save_market(self) -> None:
        if self.shown is None:
            return
        timezone = self.timezone.currentText().strip()
        if timezone != self.shown.timezone and not self.confirm(
            self.tr("Time zone"),
            self.tr(
                "Show every time and count the days of the reports in the time zone %1 "
                "instead of %2?"
            )
            .replace("%1", timezone)
            .replace("%2", self.shown.timezone),
        ):
            return
        actor = self.client.actor
        changes = dict(
            name=self.name.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            timezone=timezone,
            receipt_header=self.header.toPlainText(),
            receipt_footer=self.footer.toPlainText(),
        )
        self.error.hide()
        self.saved_note.hide()
        self.save_button.setEnabled(False)
        DbOp(
            self, lambda s: setup.update_market(s, actor, **changes), changes=Changes.SETTINGS
        ).success(self._saved).failure(self._failed).run()

    def _saved(self, market: MarketSpec) -> None:
        # The rest of this client follows at once: the window's title, the times it shows.
        self.client.site_name, self.client.timezone = market.name, market.timezone
        site_time.use_site_zone(market.timezone)
        window = self.window()
        if window is not self and hasattr(window, "show_site_name"):
            window.show_site_name(market.name)
        self._show(market)
        self.saved_note.show()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(error_text(error))
        self.error.show()
