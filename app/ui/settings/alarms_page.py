"""Alarm levels and the friendly period (no cut at night / on holidays), read-only.

Alarm levels are kept per stall (edited in the stall's dialog); the friendly period is a
site setting with no edit service yet."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout

from app.services import views as view_queries
from app.services.views import ControlRules
from app.ui.labels import yes_no
from app.ui.ops import DbOp
from app.ui.settings.page import SettingsPage


class AlarmsPage(SettingsPage):
    NAME = "alarms"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Alarms and friendly periods")
    SORT_ORDER = 40

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.night = QLabel(self)
        self.holidays_rule = QLabel(self)
        self.holidays = QLabel(self)
        self.holidays.setWordWrap(True)
        self.alarm1 = QLabel(self)
        self.alarm2 = QLabel(self)
        form = QFormLayout()
        form.addRow(self.tr("No cut at night"), self.night)
        form.addRow(self.tr("No cut on holidays"), self.holidays_rule)
        form.addRow(self.tr("Holidays"), self.holidays)
        form.addRow(self.tr("Alarm 1 levels in use"), self.alarm1)
        form.addRow(self.tr("Alarm 2 levels in use"), self.alarm2)
        note = QLabel(self.tr("Alarm levels are set per stall (Stalls → Edit). The friendly period is shown here; "
                              "changing it comes with the site settings service."), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)

    def load(self) -> None:
        DbOp(self, lambda s: view_queries.control_rules(s, self.client.site_id)).success(self._show).run()

    def _show(self, r: ControlRules) -> None:
        if r.night_start and r.night_end:
            self.night.setText(f"{r.night_start:%H:%M} – {r.night_end:%H:%M}")
        else:
            self.night.setText(self.tr("off"))
        self.holidays_rule.setText(yes_no(r.no_cut_on_holidays))
        self.holidays.setText("、".join(f"{d:%Y-%m-%d} {n}".strip() for d, n in r.holidays) or "—")

        def levels(d: dict[str, int]) -> str:
            return self.tr(", ").join(self.tr("¥%1 (%2 stalls)").replace("%1", k).replace("%2", str(v)) for k, v in d.items()) or "—"

        self.alarm1.setText(levels(r.alarm1_levels))
        self.alarm2.setText(levels(r.alarm2_levels))
