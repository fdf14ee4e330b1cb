"""Online payments (在线支付): the market's merchant settings with WeChat Pay and Alipay (keys
stored like the channels' secrets and shown masked: a secret left as it is keeps the stored
one), the notifications refused (forged, altered, another amount or merchant: an alert for the
admin) and a day's reconciliation against the platforms' statements."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models.payment import PaymentProvider
from app.services.market.channels import MASK
from app.services.money import online_payments as op
from app.services.platform.context import Changes, May
from app.ui import site_time
from app.ui.errors import error_text, ui_language
from app.ui.ops import CommOp, DbOp, QueryOp, runner
from app.ui.settings.page import SettingsPage

LONG_FIELDS = ("merchant_key", "platform_key", "app_key", "alipay_key")


class OnlinePaymentsPage(SettingsPage):
    NAME = "payments"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Online payments")
    SORT_ORDER = 65

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.may_set = client.may(May.SET_UP_ONLINE_PAYMENTS)
        self.may_view = client.may(May.VIEW_ONLINE_PAYMENTS)
        # -- merchant settings
        self.provider = QComboBox(self)
        for p in PaymentProvider:
            self.provider.addItem(op.PROVIDER_NAME[p].say(ui_language()), p.value)
        self.provider.currentIndexChanged.connect(lambda _i: self.load_settings())
        self.enabled = QCheckBox(self.tr("Tenants may pay with it"), self)
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # the keys' labels are long: each field goes below its label, full width
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.addRow(self.tr("Payment platform"), self.provider)
        self.form.addRow("", self.enabled)
        self.save_button = QPushButton(self.tr("Save merchant settings"), self)
        self.save_button.clicked.connect(self.save_settings)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.saved_note = QLabel(self.tr("Saved."), self)
        self.saved_note.setStyleSheet("color: #2e7d32;")
        self.saved_note.hide()
        note = QLabel(
            self.tr(
                "Keys are shown as •••••• once saved; leave them so to keep them. A tenant's "
                "payment is credited only when the platform's signed notification arrives."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_note)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.merchant = merchant = QGroupBox(self.tr("Merchant settings"), self)
        box = QVBoxLayout(merchant)
        box.addLayout(self.form)
        box.addWidget(self.error)
        box.addLayout(buttons)
        box.addWidget(note)
        merchant.setVisible(self.may_set)
        # -- alerts and reconciliation
        self.alerts = QListWidget(self)
        self.alerts.setFixedHeight(110)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.reconcile_button = QPushButton(self.tr("Reconcile"), self)
        self.reconcile_button.clicked.connect(self.reconcile)
        self.query_button = QPushButton(self.tr("Ask about unanswered orders"), self)
        self.query_button.clicked.connect(self.query_orders)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.differences = QListWidget(self)
        self.differences.setFixedHeight(110)
        day_row = QHBoxLayout()
        day_row.addWidget(QLabel(self.tr("Statement of"), self))
        day_row.addWidget(self.day)
        day_row.addWidget(self.reconcile_button)
        day_row.addStretch(1)
        day_row.addWidget(self.query_button)
        self.checks = checks = QGroupBox(self.tr("Refused notifications and reconciliation"), self)
        box = QVBoxLayout(checks)
        box.addWidget(QLabel(self.tr("Refused payment notifications (newest first)"), self))
        box.addWidget(self.alerts)
        box.addLayout(day_row)
        box.addWidget(self.result)
        box.addWidget(self.differences)
        checks.setVisible(self.may_view)
        self.read_only_note = QLabel(
            self.tr("Only an administrator can change these settings."), self
        )
        self.read_only_note.setStyleSheet("color: #555;")
        self.read_only_note.setVisible(not self.may_set)
        # the merchant's fields are many: the page scrolls rather than squeeze them
        content = QWidget(self)
        inner = QVBoxLayout(content)
        inner.addWidget(self.read_only_note)
        inner.addWidget(merchant)
        inner.addWidget(checks)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # ------------------------------------------------------------ loading

    def load(self) -> None:
        self.day.setDate(QDate(site_time.now().date()).addDays(-1))
        if self.may_set:
            self.load_settings()
        if self.may_view:
            self.load_alerts()

    def load_settings(self) -> None:
        actor, provider = self.client.actor, self.provider.currentData()
        self.save_button.setEnabled(False)
        QueryOp(self, lambda s: op.payment_settings(s, actor, provider)).success(
            self._show_settings
        ).run()

    def _show_settings(self, shown: op.PaymentSettings) -> None:
        while self.form.rowCount() > 2:
            self.form.removeRow(2)
        self.fields = {}
        for key, value in shown.settings.items():
            if key in LONG_FIELDS and value != MASK:
                edit = QPlainTextEdit(self)
                edit.setFixedHeight(70)
                edit.setPlainText(value)
            else:
                edit = QLineEdit(value, self)
                if key in op.SECRETS:
                    edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.fields[key] = edit
            self.form.addRow(op.FIELD_NAME[key].say(ui_language()), edit)
        self.enabled.setChecked(shown.is_enabled)
        self.save_button.setEnabled(True)

    def values(self) -> dict[str, str]:
        return {
            key: edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
            for key, edit in self.fields.items()
        }

    def load_alerts(self) -> None:
        actor, lang = self.client.actor, ui_language()
        QueryOp(self, lambda s: op.payment_alerts(s, actor, lang=lang)).success(
            self._show_alerts
        ).run()

    def _show_alerts(self, alerts: list[op.PaymentAlert]) -> None:
        self.alerts.clear()
        for a in alerts:
            self.alerts.addItem(f"{site_time.local(a.at):%Y-%m-%d %H:%M}  {a.text}")
        if not alerts:
            self.alerts.addItem(self.tr("None: every notification was genuine and matched"))

    # ------------------------------------------------------------ actions

    def save_settings(self) -> None:
        actor, provider = self.client.actor, self.provider.currentData()
        values, enabled = self.values(), self.enabled.isChecked()
        self.error.hide()
        self.saved_note.hide()
        self.save_button.setEnabled(False)
        DbOp(
            self,
            lambda s: op.set_payment_settings(s, actor, provider, values, is_enabled=enabled),
            changes=Changes.SETTINGS,
        ).success(self._saved).failure(self._failed).run()

    def _saved(self, shown: op.PaymentSettings) -> None:
        self._show_settings(shown)
        self.saved_note.show()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(error_text(error))
        self.error.show()

    def reconcile(self) -> None:
        actor, lang, day = self.client.actor, ui_language(), self.day.date().toPython()
        self.result.setText(self.tr("Fetching the statements …"))
        self.differences.clear()

        def body():
            return [
                f"{op.PROVIDER_NAME[d.provider].say(lang)}  {d.order_no}  {d.stall_code}  "
                f"{d.text(lang)}"
                for d in op.reconcile(runner().db, actor, day)
            ]

        # the platforms' statements come over the internet: the comm pool, not the db worker
        CommOp(self, body).success(self._show_differences).failure(
            lambda e: self.result.setText(error_text(e))
        ).run()

    def _show_differences(self, lines: list[str]) -> None:
        if not lines:
            self.result.setText(self.tr("The statements and the credits agree."))
            return
        self.result.setText(self.tr("Differences to look into: %1").replace("%1", str(len(lines))))
        self.differences.addItems(lines)

    def query_orders(self) -> None:
        site_id, lang = self.client.site_id, ui_language()

        def body():
            outcomes = op.query_pending(runner().db, site_id)
            return sum(1 for o in outcomes if o.status == "credited"), [
                o.reason.say(lang) for o in outcomes if o.reason
            ]

        CommOp(self, body, changes=Changes.BALANCES).success(self._queried).failure(
            lambda e: self.result.setText(error_text(e))
        ).run()

    def _queried(self, result) -> None:
        credited, problems = result
        text = self.tr("Orders credited after asking the platform: %1").replace("%1", str(credited))
        self.result.setText("\n".join([text, *problems]))
        self.load_alerts()
