"""Backups (备份): where and when the database is backed up, the backups made with their time,
size and check result, and "Back up now" (app/ui/backup_schedule.py)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app import program
from app.services.platform.backup import BackupRecord, default_folder
from app.ui import backup_schedule
from app.ui.errors import error_text, ui_language
from app.ui.settings import options
from app.ui.settings.page import SettingsPage
from app.ui.tables.columns import local_time


class BackupsPage(SettingsPage):
    NAME = "backups"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Backups")
    SORT_ORDER = 75
    HAS_SAVE = True

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.schedule = client.backups
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText(str(default_folder()))
        self.second = QLineEdit(self)
        self.second.setPlaceholderText(self.tr("none (e.g. a USB drive or a network share)"))
        self.time = QTimeEdit(self)
        self.time.setDisplayFormat("HH:mm")
        self.time.setMaximumWidth(90)
        form = QFormLayout()
        form.addRow(self.tr("Backup folder"), self._with_browse(self.folder))
        form.addRow(self.tr("Second folder"), self._with_browse(self.second))
        form.addRow(self.tr("Daily backup at"), self.time)
        note = QLabel(
            self.tr(
                "The database is backed up every day at this time and when MarketMeter closes "
                "(at most once an hour), into both folders. Each backup is checked: the file is "
                "intact and every balance equals its ledger. 30 daily and 12 monthly backups are "
                "kept. To restore one: %1"
            ).replace("%1", program.command_text("restore", "FILE")),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Size"), self.tr("Check"), self.tr("File")]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # the folder and the name
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 130)
        self.table.setColumnWidth(1, 80)
        self.table.setColumnWidth(3, 300)
        self.back_up_button = QPushButton(self.tr("Back up now"), self)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.back_up_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        if self.schedule is None:
            self.status.setText(self.tr("The demo market is not backed up."))
            self.back_up_button.setEnabled(False)
        else:
            self.schedule.started.connect(self._started)
            self.schedule.finished.connect(self._finished)
            if self.schedule.running:
                self._started()

    def _with_browse(self, edit: QLineEdit) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        browse = QPushButton(self.tr("Choose …"), box)
        browse.clicked.connect(lambda: self._choose(edit))
        row.addWidget(browse)
        return box

    def _choose(self, edit: QLineEdit) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a folder"), edit.text() or edit.placeholderText()
        )
        if chosen:
            edit.setText(chosen)

    def load(self) -> None:
        self.folder.setText(options.BACKUP_FOLDER.get())
        self.second.setText(options.BACKUP_SECOND_FOLDER.get())
        self.time.setTime(QTime.fromString(backup_schedule.daily_time().strftime("%H:%M"), "HH:mm"))
        self.show_records()

    def check(self) -> str | None:
        first = self.folder.text().strip() or str(default_folder())
        if self.second.text().strip() and self.second.text().strip() == first:
            return self.tr(
                "The second folder is the backup folder itself. Choose another drive or share, "
                "or leave it empty"
            )
        return None

    def save(self) -> None:
        options.BACKUP_FOLDER.put(self.folder.text().strip())
        options.BACKUP_SECOND_FOLDER.put(self.second.text().strip())
        options.BACKUP_TIME.put(self.time.time().toString("HH:mm"))
        self.show_records()

    def show_records(self) -> None:
        shown = self.schedule.records() if self.schedule is not None else []
        self.table.setRowCount(len(shown))
        lang = ui_language()
        for row, record in enumerate(shown):
            cells = (
                local_time(record.at),
                f"{record.size / 1e6:.1f} MB",
                record.text(lang),
                str(record.file) if record.ok else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if not record.ok:
                    item.setForeground(QColor("#c0392b"))
                self.table.setItem(row, column, item)

    def back_up_now(self) -> None:
        if self.schedule is not None:
            self.schedule.back_up_now()

    def _started(self) -> None:
        self.back_up_button.setEnabled(False)
        self.status.setText(self.tr("Backing up …"))

    def _finished(self, done: list) -> None:
        self.back_up_button.setEnabled(True)
        lines = []
        for result in done:
            if isinstance(result, BackupRecord):
                lines.append(result.text(ui_language()))
            else:
                lines.append(error_text(result))
        self.status.setText("\n".join(lines))
        self.show_records()
