"""SMS notices (短信通知): which notices the tenants get by SMS (balance below alarm 1 / 2,
supply cut, recharge received) and the quiet hours in which balance and supply notices wait.
The SMS account itself is set up with `python -m app sms setup`."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
)

from app.services.platform.context import Changes, May
from app.services.portal import notices
from app.ui.errors import error_text, ui_language
from app.ui.ops import DbOp, QueryOp
from app.ui.settings.page import SettingsPage


class SmsNoticesPage(SettingsPage):
    NAME = "sms_notices"
    TITLE = QT_TRANSLATE_NOOP("Settings", "SMS notices")
    SORT_ORDER = 67

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.may_set = client.may(May.SET_UP_TENANT_PORTAL)
        lang = ui_language()
        self.kinds = {k: QCheckBox(notices.KIND_NAMES[k].say(lang), self) for k in notices.KINDS}
        self.quiet = QCheckBox(self.tr("Quiet hours: no balance or supply notice"), self)
        self.quiet_start, self.quiet_end = QTimeEdit(self), QTimeEdit(self)
        for edit in (self.quiet_start, self.quiet_end):
            edit.setDisplayFormat("HH:mm")
        self.quiet.toggled.connect(self.quiet_start.setEnabled)
        self.quiet.toggled.connect(self.quiet_end.setEnabled)
        hours = QHBoxLayout()
        hours.addWidget(self.quiet_start)
        hours.addWidget(QLabel(self.tr("to"), self))
        hours.addWidget(self.quiet_end)
        hours.addStretch(1)
        box = QGroupBox(self.tr("Notices to the stall's tenant (else its owner)"), self)
        form = QFormLayout(box)
        for check in self.kinds.values():
            form.addRow(check)
        form.addRow(self.quiet)
        form.addRow(hours)
        note = QLabel(
            self.tr(
                "Each notice goes once per event. Notices due in the quiet hours wait for their "
                "end; a recharge's goes at once. Without an SMS account they stay in the outbox "
                "(python -m app sms outbox)."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.saved_note = QLabel(self.tr("Saved."), self)
        self.saved_note.setStyleSheet("color: #2e7d32;")
        self.saved_note.hide()
        self.save_button = QPushButton(self.tr("Save notices"), self)
        self.save_button.clicked.connect(self.save_notices)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_note)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        read_only = QLabel(self.tr("Only an administrator can change these settings."), self)
        read_only.setVisible(not self.may_set)
        box.setEnabled(self.may_set)
        self.save_button.setVisible(self.may_set)
        layout = QVBoxLayout(self)
        layout.addWidget(read_only)
        layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addStretch(1)

    def load(self) -> None:
        site_id = self.client.site_id
        QueryOp(self, lambda s: notices.notice_settings(s, site_id)).success(self._show).run()

    def _show(self, shown: notices.NoticeSettings) -> None:
        for kind, check in self.kinds.items():
            check.setChecked(shown.is_on(kind))
        has_quiet = shown.quiet_start is not None and shown.quiet_end is not None
        start, end = (shown.quiet_start, shown.quiet_end) if has_quiet else notices.DEFAULT_QUIET
        self.quiet_start.setTime(QTime(start.hour, start.minute))
        self.quiet_end.setTime(QTime(end.hour, end.minute))
        self.quiet.setChecked(has_quiet)
        self.quiet_start.setEnabled(has_quiet)
        self.quiet_end.setEnabled(has_quiet)

    def quiet_text(self) -> str:
        if not self.quiet.isChecked():
            return "none"
        return (
            f"{self.quiet_start.time().toString('HH:mm')}-{self.quiet_end.time().toString('HH:mm')}"
        )

    def save_notices(self) -> None:
        actor, quiet = self.client.actor, self.quiet_text()
        on = [k for k, c in self.kinds.items() if c.isChecked()]
        off = [k for k, c in self.kinds.items() if not c.isChecked()]
        self.error.hide()
        self.saved_note.hide()
        self.save_button.setEnabled(False)
        DbOp(
            self,
            lambda s: notices.set_notices(s, actor, on=on, off=off, quiet=quiet),
            changes=Changes.SETTINGS,
        ).success(self._saved).failure(self._failed).run()

    def _saved(self, shown: notices.NoticeSettings) -> None:
        self._show(shown)
        self.save_button.setEnabled(True)
        self.saved_note.show()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(error_text(error))
        self.error.show()
