"""Alarm thresholds and the friendly period (友好时段: no cut at night / on holidays).

Alarm 1 / alarm 2 and the overdraft limit are kept per stall account: this page sets them
for all stalls (or one building's) at once; set for all, they are also the market's levels
that stalls added later open with. Single stalls can then differ (Stalls → Edit)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
)

from app.services.market import control_rules
from app.services.market.control_rules import ControlRules
from app.services.market.stalls import building_rows
from app.services.platform.context import Changes, May
from app.ui import site_time
from app.ui.ops import DbOp, QueryOp
from app.ui.settings.page import SettingsPage

ROLE_DAY = 256  # Qt.ItemDataRole.UserRole


class AlarmsPage(SettingsPage):
    NAME = "alarms"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Alarms and friendly periods")
    SORT_ORDER = 40

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        can_period, can_holidays, can_limits = (
            client.may(a)
            for a in (May.CHANGE_THE_FRIENDLY_PERIOD, May.SET_HOLIDAYS, May.CHANGE_ALARM_LIMITS)
        )
        # -- friendly period
        self.night = QCheckBox(self.tr("No cut at night, from"), self)
        self.night_start = QTimeEdit(QTime(22, 0), self)
        self.night_end = QTimeEdit(QTime(6, 0), self)
        for t in (self.night_start, self.night_end):
            t.setDisplayFormat("HH:mm")
        self.on_holidays = QCheckBox(self.tr("No cut on the holidays listed below"), self)
        self.save_period = QPushButton(self.tr("Save friendly period"), self)
        self.save_period.clicked.connect(self.save_friendly_period)
        night_row = QHBoxLayout()
        night_row.addWidget(self.night)
        night_row.addWidget(self.night_start)
        night_row.addWidget(QLabel(self.tr("to"), self))
        night_row.addWidget(self.night_end)
        night_row.addStretch(1)
        self.holidays = QListWidget(self)
        self.holidays.setMaximumHeight(120)
        self.holiday_day = QDateEdit(QDate(site_time.now().date()), self)
        self.holiday_day.setDisplayFormat("yyyy-MM-dd")
        self.holiday_day.setCalendarPopup(True)
        self.holiday_name = QLineEdit(self)
        self.holiday_name.setPlaceholderText(self.tr("e.g. Spring Festival"))
        self.add_holiday_button = QPushButton(self.tr("Add holiday"), self)
        self.add_holiday_button.clicked.connect(self.add_holiday)
        self.remove_holiday_button = QPushButton(self.tr("Remove selected"), self)
        self.remove_holiday_button.clicked.connect(self.remove_holiday)
        holiday_row = QHBoxLayout()
        holiday_row.addWidget(self.holiday_day)
        holiday_row.addWidget(self.holiday_name, 1)
        holiday_row.addWidget(self.add_holiday_button)
        holiday_row.addWidget(self.remove_holiday_button)
        period = QGroupBox(self.tr("Friendly period (no automatic cut)"), self)
        box = QVBoxLayout(period)
        box.addLayout(night_row)
        box.addWidget(self.on_holidays)
        box.addWidget(self.holidays)
        box.addLayout(holiday_row)
        box.addWidget(self.save_period)

        # -- alarm thresholds
        self.alarm1 = QLineEdit("50.00", self)
        self.alarm2 = QLineEdit("20.00", self)
        self.overdraft = QLineEdit("0.00", self)
        self.building = QComboBox(self)
        self.building.addItem(self.tr("All buildings"), None)
        self.apply_button = QPushButton(self.tr("Apply to stalls …"), self)
        self.apply_button.clicked.connect(self.apply_levels)
        self.in_use = QLabel(self)
        self.in_use.setWordWrap(True)
        self.opening = QLabel(self)  # the market's levels (`Site.default_alarm1` …)
        self._form_filled = False
        alarms = QGroupBox(self.tr("Alarm thresholds and overdraft limit"), self)
        form = QFormLayout(alarms)
        form.addRow(self.tr("Alarm 1 below (¥)"), self.alarm1)
        form.addRow(self.tr("Alarm 2 below (¥)"), self.alarm2)
        form.addRow(self.tr("Overdraft limit (¥)"), self.overdraft)
        form.addRow(self.tr("For"), self.building)
        form.addRow("", self.apply_button)
        form.addRow(self.tr("In use now"), self.in_use)
        form.addRow("", self.opening)
        note = QLabel(
            self.tr(
                "Applied to all buildings, these are also the levels of the stalls added later "
                "(created or imported). A stall's own levels can differ: Stalls → Edit."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        self.read_only_note = QLabel(
            self.tr("Only an administrator can change these settings."), self
        )
        self.read_only_note.setStyleSheet("color: #555;")
        self.read_only_note.setVisible(not (can_period and can_holidays and can_limits))
        for w in (self.night, self.night_start, self.night_end, self.on_holidays, self.save_period):
            w.setEnabled(can_period)
        for w in (
            self.holiday_day,
            self.holiday_name,
            self.add_holiday_button,
            self.remove_holiday_button,
        ):
            w.setEnabled(can_holidays)
        for w in (self.alarm1, self.alarm2, self.overdraft, self.building, self.apply_button):
            w.setEnabled(can_limits)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_note)
        layout.addWidget(period)
        layout.addWidget(alarms)
        layout.addWidget(note)
        layout.addStretch(1)

    def _set_saving_enabled(self, enabled: bool) -> None:
        for w, action in (
            (self.save_period, May.CHANGE_THE_FRIENDLY_PERIOD),
            (self.apply_button, May.CHANGE_ALARM_LIMITS),
            (self.add_holiday_button, May.SET_HOLIDAYS),
            (self.remove_holiday_button, May.SET_HOLIDAYS),
        ):
            w.setEnabled(enabled and self.client.may(action))

    def load(self) -> None:
        # Until the stored rules are shown the form holds defaults: saving them would overwrite the
        # rules.
        self._set_saving_enabled(False)
        site_id = self.client.site_id

        def query(s):
            return (
                control_rules.current_rules(s, site_id),
                [(b.id, b.name) for b in building_rows(s, site_id)],
            )

        QueryOp(self, query).success(self._show).run()

    def _show(self, result) -> None:
        r, buildings = result
        r: ControlRules
        self._set_saving_enabled(True)
        self.night.setChecked(r.night_start is not None)
        if r.night_start and r.night_end:
            self.night_start.setTime(QTime(r.night_start.hour, r.night_start.minute))
            self.night_end.setTime(QTime(r.night_end.hour, r.night_end.minute))
        self.on_holidays.setChecked(r.no_cut_on_holidays)
        self.holidays.clear()
        for day, name in r.holidays:
            item = QListWidgetItem(f"{day:%Y-%m-%d}  {name}".strip(), self.holidays)
            item.setData(ROLE_DAY, day)
        chosen = self.building.currentData()
        self.building.clear()
        self.building.addItem(self.tr("All buildings"), None)
        for building_id, name in buildings:
            self.building.addItem(name, building_id)
        self.building.setCurrentIndex(max(0, self.building.findData(chosen)))

        def levels(d: dict[str, int]) -> str:
            return (
                self.tr(", ").join(
                    self.tr("¥%1 (%2 stalls)").replace("%1", k).replace("%2", str(v))
                    for k, v in d.items()
                )
                or "—"
            )

        self.in_use.setText(
            self.tr("Alarm 1: %1").replace("%1", levels(r.alarm1_levels))
            + "\n"
            + self.tr("Alarm 2: %1").replace("%1", levels(r.alarm2_levels))
        )
        self.opening.setText(
            self.tr("Stalls added later: alarm 1 ¥%1, alarm 2 ¥%2, overdraft limit ¥%3")
            .replace("%1", f"{r.default_alarm1:.2f}")
            .replace("%2", f"{r.default_alarm2:.2f}")
            .replace("%3", f"{r.default_overdraft_limit:.2f}")
        )
        if not self._form_filled:
            # the form starts from the market's levels (once: later loads keep what is typed)
            self._form_filled = True
            self.alarm1.setText(f"{r.default_alarm1:.2f}")
            self.alarm2.setText(f"{r.default_alarm2:.2f}")
            self.overdraft.setText(f"{r.default_overdraft_limit:.2f}")

    def _run(self, body, changes=Changes.SETTINGS) -> None:
        DbOp(self, body, changes=changes).success(lambda _r: self.load()).run()

    def save_friendly_period(self) -> None:
        actor = self.client.actor
        start = self.night_start.time().toPython() if self.night.isChecked() else None
        end = self.night_end.time().toPython() if self.night.isChecked() else None
        on_holidays = self.on_holidays.isChecked()
        self._run(lambda s: control_rules.set_friendly_period(s, actor, start, end, on_holidays))

    def add_holiday(self) -> None:
        actor, day, name = (
            self.client.actor,
            self.holiday_day.date().toPython(),
            self.holiday_name.text(),
        )
        self._run(lambda s: control_rules.add_holiday(s, actor, day, name))
        self.holiday_name.clear()

    def remove_holiday(self) -> None:
        item = self.holidays.currentItem()
        if item is None:
            return
        actor, day = self.client.actor, item.data(ROLE_DAY)
        if not self.confirm(
            self.tr("Remove holiday"), self.tr("Remove the holiday %1?").replace("%1", item.text())
        ):
            return
        self._run(lambda s: control_rules.remove_holiday(s, actor, day))

    def apply_levels(self) -> None:
        actor, building_id = self.client.actor, self.building.currentData()
        a1, a2, limit = self.alarm1.text(), self.alarm2.text(), self.overdraft.text()
        where = self.building.currentText()
        if not self.confirm(
            self.tr("Alarm thresholds"),
            self.tr("Set alarm 1 ¥%1, alarm 2 ¥%2 and overdraft limit ¥%3 for the stalls of: %4?")
            .replace("%1", a1)
            .replace("%2", a2)
            .replace("%3", limit)
            .replace("%4", where),
        ):
            return
        self._run(
            lambda s: control_rules.apply_alarm_levels(s, actor, a1, a2, limit, building_id),
            Changes.SETTINGS | Changes.BALANCES | Changes.METERS | Changes.COMMANDS,
        )
