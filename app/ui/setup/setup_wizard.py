"""First-run setup (初始设置): the wizard a new installation opens on a database with no market.

1 market, 2 first administrator (both needed before anyone can sign in), then, each of
them skippable: 3 prices, 4 buildings with their schedule, 5 meter lines (with a Test
button that reads one meter now), 6 stalls and meters from Excel, 7 control defaults.
Every step is saved when it is left (one service call each), so a wizard closed half-way
keeps what was done: a market without administrator opens the wizard again at step 2, and
the steps after it stay on the overview's setup checklist until they are done. Steps 4, 5,
6 and 7 are the settings pages and the import view the administrator uses later."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.comm.types import MeterKind
from app.models.money import AmountError
from app.models.tariff import TariffMode
from app.services.market import setup
from app.services.market.setup import MarketSpec
from app.services.market.stalls import SiteRow
from app.services.money import tariffs
from app.services.platform import users
from app.services.platform.context import Actor, Changes, ServiceError
from app.ui.client import Client
from app.ui.comm.bridge import CommBridge
from app.ui.errors import error_text
from app.ui.ops import DbOp, OpRunner

# the page ids are the step numbers of setup.STEPS
MARKET, ADMIN, PRICES, BUILDINGS, LINES, STALLS, CONTROL = range(1, 8)
TIMEZONES = ("Asia/Shanghai", "Asia/Urumqi", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei")


class StepPage(QWizardPage):
    """A step saved by one service call when the person goes on: Next waits for the call,
    shows its error under the form and stays, or moves on once it is done."""

    def __init__(self, title: str, subtitle: str):
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.is_saved = False
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.box = QVBoxLayout(self)

    @property
    def wiz(self) -> SetupWizard:
        return self.wizard()

    def body(self) -> Callable[[Any], Any] | None:
        """`fn(session)` saving what was typed; None when there is nothing to save. May
        raise ServiceError for input it can tell is wrong already."""
        return None

    def saved(self, result: Any) -> None:
        """What to keep of the call's result (on the GUI thread)."""

    def validatePage(self) -> bool:
        if self.is_saved or self.wiz.is_skipping:
            return True
        try:
            body = self.body()
        except (ServiceError, AmountError) as exc:
            self.show_error(exc)
            return False
        if body is None:
            return True
        self.error.hide()
        self.wiz.set_busy(True)
        DbOp(self, body, changes=Changes.SETTINGS | Changes.STALLS | Changes.USERS).success(
            self._saved
        ).failure(self._failed).run()
        return False

    def _saved(self, result: Any) -> None:
        self.wiz.set_busy(False)
        self.is_saved = True
        self.saved(result)
        self.wiz.next()

    def _failed(self, error: BaseException) -> None:
        self.wiz.set_busy(False)
        self.show_error(error)

    def show_error(self, error: BaseException) -> None:
        self.error.setText(error_text(error))
        self.error.show()


class MarketPage(StepPage):
    def __init__(self):
        super().__init__(
            self.tr("1 / 7  The market"),
            self.tr("Its name, address and service phone are printed on every receipt."),
        )
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.address = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.timezone = QComboBox(self)
        self.timezone.setEditable(True)
        self.timezone.addItems(TIMEZONES)
        self.header = QPlainTextEdit(self)
        self.footer = QPlainTextEdit(self)
        for edit in (self.header, self.footer):
            edit.setFixedHeight(60)
        self.header.setPlaceholderText(self.tr("e.g. Property office, open 8:00–18:00"))
        self.footer.setPlaceholderText(self.tr("e.g. Keep this receipt. Thank you!"))
        form = QFormLayout()
        form.addRow(self.tr("Market name"), self.name)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Service phone"), self.phone)
        form.addRow(self.tr("Time zone"), self.timezone)
        form.addRow(self.tr("Receipt header lines"), self.header)
        form.addRow(self.tr("Receipt footer lines"), self.footer)
        self.box.addLayout(form)
        self.box.addWidget(self.error)
        self.box.addStretch(1)

    def body(self):
        spec = MarketSpec(
            name=self.name.text(),
            timezone=self.timezone.currentText(),
            address=self.address.text(),
            phone=self.phone.text(),
            receipt_header=self.header.toPlainText(),
            receipt_footer=self.footer.toPlainText(),
        )
        return lambda s: setup.create_market(s, None, spec)

    def saved(self, site: SiteRow) -> None:
        self.wiz.site = site


class AdminPage(StepPage):
    def __init__(self):
        super().__init__(
            self.tr("2 / 7  First administrator"),
            self.tr(
                "The administrator sets up everything else and adds the cashiers. The display "
                "name is printed on receipts."
            ),
        )
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.password = QLineEdit(self)
        self.again = QLineEdit(self)
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Display name"), self.display_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.again)
        rule = QLabel(self.tr("At least 8 characters, not only digits."), self)
        rule.setStyleSheet("color: #555;")
        self.box.addLayout(form)
        self.box.addWidget(rule)
        self.box.addWidget(self.error)
        self.box.addStretch(1)

    def body(self):
        site_id = self.wiz.site.id
        username, name = self.username.text(), self.display_name.text()
        password = users.confirmed_password(self.password.text(), self.again.text())

        def body(s) -> Actor:
            setup.add_first_admin(s, site_id, username, password, name)
            return users.login(s, username, password)

        return body

    def saved(self, actor: Actor) -> None:
        self.password.clear()
        self.again.clear()
        self.wiz.signed_in(actor)


class PricesPage(StepPage):
    def __init__(self):
        super().__init__(
            self.tr("3 / 7  Prices"),
            self.tr(
                "One price for all electricity and one for all water. Time-of-use and tiered "
                "prices are set later in Settings → Tariffs."
            ),
        )
        self.electricity = QLineEdit(self)
        self.electricity.setObjectName("electricity")
        self.water = QLineEdit(self)
        self.water.setObjectName("water")
        self.electricity.setPlaceholderText("1.00")
        self.water.setPlaceholderText("4.50")
        form = QFormLayout()
        form.addRow(self.tr("Electricity (¥ per kWh)"), self.electricity)
        form.addRow(self.tr("Water (¥ per m³)"), self.water)
        self.box.addLayout(form)
        self.box.addWidget(self.error)
        self.box.addStretch(1)

    def body(self):
        specs = [
            tariffs.read_tariff(name, kind, TariffMode.FLAT, text, {}, "", "")
            for name, kind, text in (
                (self.tr("Electricity"), MeterKind.ELECTRIC, self.electricity.text()),
                (self.tr("Water"), MeterKind.WATER, self.water.text()),
            )
            if text.strip()
        ]
        if not specs:
            return None  # nothing typed: as if skipped
        actor = self.wiz.client.actor
        return lambda s: [tariffs.create_tariff(s, actor, spec) for spec in specs]


class EmbeddedPage(StepPage):
    """A step that is a settings page (or the import view) of the main window: it saves
    each record itself, so leaving the step has nothing more to save."""

    def __init__(self, title: str, subtitle: str, make: Callable[[Client], QWidget]):
        super().__init__(title, subtitle)
        self.make = make
        self.widget: QWidget | None = None

    def initializePage(self) -> None:
        if self.widget is None:
            self.widget = self.make(self.wiz.client)
            self.box.addWidget(self.widget, 1)
        (getattr(self.widget, "load", None) or self.widget.refresh)()


def _buildings(client: Client) -> QWidget:
    from app.ui.settings.buildings_page import BuildingsPage

    return BuildingsPage(client)


def _lines(client: Client) -> QWidget:
    from app.ui.settings.channels_page import ChannelsPage

    return ChannelsPage(client)


def _stalls(client: Client) -> QWidget:
    from app.ui.imports.import_view import ImportView

    view = ImportView(client)
    view.kind.setCurrentIndex(view.kind.findData("stalls"))
    return view


def _control(client: Client) -> QWidget:
    from app.ui.settings.alarms_page import AlarmsPage

    return AlarmsPage(client)


class SetupWizard(QWizard):
    """`site`: the market made by an earlier run of the setup that stopped before its
    administrator (the wizard starts at step 2); None on an empty database."""

    def __init__(self, runner: OpRunner, site: SiteRow | None = None, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.site = site
        self.client: Client | None = None
        self.is_skipping = False
        self.setWindowTitle(self.tr("MarketMeter — first-run setup"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(860, 600)
        pages = {
            MARKET: MarketPage(),
            ADMIN: AdminPage(),
            PRICES: PricesPage(),
            BUILDINGS: EmbeddedPage(
                self.tr("4 / 7  Buildings and schedules"),
                self.tr(
                    "Each building (or area) with its reading time, settlement time and cycle. "
                    "Add them one by one, or import them from Excel in the next steps."
                ),
                _buildings,
            ),
            LINES: EmbeddedPage(
                self.tr("5 / 7  Meter lines"),
                self.tr(
                    "The lines to the meters: a COM port, a serial server (host:port), the 4G "
                    "listener or the CTWing platform. Select a line and press Test … to read one "
                    "meter now."
                ),
                _lines,
            ),
            STALLS: EmbeddedPage(
                self.tr("6 / 7  Stalls and meters"),
                self.tr(
                    "Import the stalls, then the meters, from Excel: download the template, fill "
                    "it in, check it and import. Or skip and do it later in Import."
                ),
                _stalls,
            ),
            CONTROL: EmbeddedPage(
                self.tr("7 / 7  Control defaults"),
                self.tr(
                    "When supply is cut for lack of money (alarm 1, alarm 2, overdraft limit) "
                    "and when never (friendly periods). Save each part with its own button."
                ),
                _control,
            ),
        }
        for page_id, page in pages.items():
            self.setPage(page_id, page)
        self.steps = pages
        self.setStartId(MARKET if site is None else ADMIN)
        self.setOption(QWizard.WizardOption.HaveCustomButton1)
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("Skip this step"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Save and continue"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Stop here"))
        # No Back: each step is saved when left; what was saved is changed in Settings.
        self.setButtonLayout(
            [
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.CustomButton1,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.customButtonClicked.connect(self._custom)
        self.currentIdChanged.connect(self._step_shown)

    def _step_shown(self, page_id: int) -> None:
        self.button(QWizard.WizardButton.CustomButton1).setVisible(PRICES <= page_id < CONTROL)
        if page_id >= BUILDINGS:  # the page saves each record itself
            self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Continue"))

    def _custom(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.skip()

    def skip(self) -> None:
        """Go on without saving this step; the overview's checklist keeps it."""
        self.is_skipping = True
        try:
            self.next()
        finally:
            self.is_skipping = False

    def set_busy(self, busy: bool) -> None:
        for which in (
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CustomButton1,
        ):
            self.button(which).setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def signed_in(self, actor: Actor) -> None:
        """The administrator made in step 2 does the remaining steps."""
        self.client = Client(
            runner=self.runner,
            actor=actor,
            site_name=self.site.name,
            comm=CommBridge(self),
            timezone=self.site.timezone,
        )
