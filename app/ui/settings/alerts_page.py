"""Safety alerts (安全告警): when the market is closed, the night load level, the usage a
switched-off meter may still count, the days a register may stand still; a stall's
contracted power (合同功率)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
)

from app.services.market import alerts
from app.services.market.alerts import AlertSettings
from app.services.platform.context import Changes, May
from app.ui.ops import DbOp, QueryOp
from app.ui.settings.page import SettingsPage


class AlertsPage(SettingsPage):
    NAME = "alerts"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Safety alerts")
    SORT_ORDER = 45

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        can = client.may(May.CHANGE_ALERT_THRESHOLDS)
        self.closed = QCheckBox(self.tr("The market is closed from"), self)
        self.closed_from = QTimeEdit(QTime(22, 0), self)
        self.closed_until = QTimeEdit(QTime(6, 0), self)
        for t in (self.closed_from, self.closed_until):
            t.setDisplayFormat("HH:mm")
        closed_row = QHBoxLayout()
        closed_row.addWidget(self.closed)
        closed_row.addWidget(self.closed_from)
        closed_row.addWidget(QLabel(self.tr("to"), self))
        closed_row.addWidget(self.closed_until)
        closed_row.addStretch(1)
        self.night_kw = QLineEdit(self)
        self.tolerance = QLineEdit(self)
        self.stuck_days = QLineEdit(self)
        self.save_button = QPushButton(self.tr("Save alert settings"), self)
        self.save_button.clicked.connect(self.save_settings)
        box = QGroupBox(self.tr("Alert levels"), self)
        form = QFormLayout(box)
        form.addRow(closed_row)
        form.addRow(self.tr("Load while closed above (kW)"), self.night_kw)
        form.addRow(self.tr("Usage while switched off above (kWh / m³)"), self.tolerance)
        form.addRow(self.tr("No usage for (days) while the stall trades"), self.stuck_days)
        form.addRow("", self.save_button)
        for w in (
            self.closed,
            self.closed_from,
            self.closed_until,
            self.night_kw,
            self.tolerance,
            self.stuck_days,
            self.save_button,
        ):
            w.setEnabled(can)

        self.stall_code = QLineEdit(self)
        self.stall_code.setPlaceholderText(self.tr("e.g. A001"))
        self.power = QLineEdit(self)
        self.power.setPlaceholderText(self.tr("empty: not watched"))
        self.power_button = QPushButton(self.tr("Save contracted power"), self)
        self.power_button.clicked.connect(self.save_power)
        power_box = QGroupBox(self.tr("Contracted power of a stall"), self)
        power_form = QFormLayout(power_box)
        power_form.addRow(self.tr("Stall code"), self.stall_code)
        power_form.addRow(self.tr("Contracted power (kW)"), self.power)
        power_form.addRow("", self.power_button)
        can_stalls = client.may(May.EDIT_STALLS)
        for w in (self.stall_code, self.power, self.power_button):
            w.setEnabled(can_stalls)
        note = QLabel(
            self.tr(
                "Collection raises an alert once per event: energy or water counted while the "
                "relay or valve reads off, load above a stall's contracted power, load while "
                "the market is closed, a meter that stops counting while its stall trades, "
                "reverse energy and a meter cover opened. See them under Safety alerts."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(power_box)
        layout.addWidget(note)
        layout.addStretch(1)

    def load(self) -> None:
        actor = self.client.actor
        QueryOp(self, lambda s: alerts.alert_settings(s, actor)).success(self._show).run()

    def _show(self, settings: AlertSettings) -> None:
        self.closed.setChecked(settings.closed_from is not None)
        if settings.closed_from is not None:
            self.closed_from.setTime(QTime(settings.closed_from.hour, settings.closed_from.minute))
            self.closed_until.setTime(
                QTime(settings.closed_until.hour, settings.closed_until.minute)
            )
        self.night_kw.setText(f"{settings.night_load_kw}")
        self.tolerance.setText(f"{settings.off_usage_tolerance}")
        self.stuck_days.setText(str(settings.stuck_after_days))

    def save_settings(self) -> None:
        closed = self.closed.isChecked()
        settings = AlertSettings(
            self.closed_from.time().toPython() if closed else None,
            self.closed_until.time().toPython() if closed else None,
            self.night_kw.text(),  # checked by the service, with a message saying which
            self.tolerance.text(),
            self.stuck_days.text(),
        )
        actor = self.client.actor
        DbOp(
            self, lambda s: alerts.set_alert_settings(s, actor, settings), changes=Changes.SETTINGS
        ).success(
            lambda saved: (
                self._show(saved),
                QMessageBox.information(
                    self, self.tr("Safety alerts"), self.tr("Alert settings saved.")
                ),
            )
        ).run()

    def save_power(self) -> None:
        code, power = self.stall_code.text().strip(), self.power.text().strip()
        actor = self.client.actor
        DbOp(
            self,
            lambda s: alerts.set_contracted_power(s, actor, code, power or None),
            changes=Changes.STALLS,
        ).success(
            lambda _r: QMessageBox.information(
                self,
                self.tr("Safety alerts"),
                self.tr("Contracted power of stall %1 saved.").replace("%1", code),
            )
        ).run()
