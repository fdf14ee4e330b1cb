"""Automatic backups of the client's SQLite database (app/services/platform/backup.py):
daily at the time set in Settings → Backups and when the client closes, at most one an hour,
into the backup folder and the optional second folder; 30 daily and 12 monthly are kept.

A backup runs on a thread of its own, not the op runner's database worker: it only reads (one
snapshot, which never waits for the clerk's or the collection service's writes), and SQLite's
backup and integrity check release Python's lock while they work, so the window never waits."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.models.db import Database
from app.services.platform import backup
from app.services.platform.backup import BackupError
from app.ui.settings import options

log = logging.getLogger(__name__)

CHECK_MS = 60_000
AT_MOST_EVERY = timedelta(hours=1)
WARN_AFTER = timedelta(days=2)


def folders() -> list[Path]:
    """The backup folder, then the second folder when one is set."""
    first = Path(options.BACKUP_FOLDER.get() or backup.default_folder())
    second = options.BACKUP_SECOND_FOLDER.get()
    return [first] + ([Path(second)] if second and Path(second) != first else [])


def daily_time() -> time:
    try:
        return time.fromisoformat(options.BACKUP_TIME.get())
    except (TypeError, ValueError):
        return time.fromisoformat(options.BACKUP_TIME.default)


class BackupSchedule(QObject):
    started = Signal()
    finished = Signal(object)  # list of BackupRecord (one a folder) or BackupError

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.is_automatic = backup.sqlite_file(db) is not None  # PostgreSQL: pg_dump by hand
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> BackupSchedule:
        if self.is_automatic:
            self._timer.start()
            QTimer.singleShot(0, self._tick)
        return self

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def records(self) -> list[backup.BackupRecord]:
        return backup.records(*folders())

    def last_good(self) -> datetime | None:
        return backup.last_good(*folders())

    def needs_warning(self, now: datetime | None = None) -> bool:
        """No good backup for two days: said on the overview."""
        last = self.last_good()
        return self.is_automatic and (
            last is None or (now or datetime.now().astimezone()) - last > WARN_AFTER
        )

    def is_due(self, now: datetime | None = None) -> bool:
        """The daily time has passed since the last backup tried (good or not), and the
        last one is at least an hour old."""
        now = now or datetime.now().astimezone()
        due = datetime.combine(now.date(), daily_time(), now.tzinfo)
        if due > now:
            due -= timedelta(days=1)
        tried = self.records()
        last = tried[0].at if tried else None
        return last is None or (last < due and now - last >= AT_MOST_EVERY)

    def _tick(self) -> None:
        if self.is_due():
            self.back_up_now()

    def back_up_now(self) -> bool:
        """Start a backup into every folder; False when one is running already."""
        if self.running:
            return False
        self._thread = threading.Thread(
            target=self._work, args=(self.db, folders()), name="backup", daemon=False
        )
        self.started.emit()
        self._thread.start()
        return True

    def _work(self, db: Database, targets: list[Path]) -> None:
        """On the backup thread: touches no widget; the result goes back by a signal."""
        done: list = []
        for folder in targets:
            try:
                done.append(backup.back_up(db, folder))
                backup.prune(folder)
            except BackupError as exc:
                log.warning("backup into %s failed: %s", folder, exc.english)
                done.append(exc)
        self.finished.emit(done)

    def at_exit(self) -> None:
        """The backup as the client closes (unless one was made within the hour); waits for
        it, and for one running, since the window is gone by then."""
        self._timer.stop()
        last = self.last_good()
        now = datetime.now().astimezone()
        if self.is_automatic and (last is None or now - last >= AT_MOST_EVERY):
            self.back_up_now()
        if self._thread is not None:
            self._thread.join()
