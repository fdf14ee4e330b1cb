"""Every client setting, declared once with its default (STYLE.md §4, after Picard's
options.py). Stored per Windows user in QSettings; read with `get`, written with `put`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class Option:
    key: str
    default: Any

    def get(self) -> Any:
        value = QSettings().value(self.key, self.default)
        if isinstance(self.default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(self.default, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return self.default
        return value

    def put(self, value: Any) -> None:
        QSettings().setValue(self.key, value)


LANGUAGE = Option("ui/language", "zh_CN")  # "zh_CN" or "en"
PRINTER_NAME = Option("receipt/printer", "")  # "" = the system's default printer
RECEIPT_LAYOUT = Option("receipt/layout", "80mm")  # 58mm / 80mm / a5
PRINT_AT_COUNTER = Option("receipt/print_at_counter", True)  # print each recharge at once
RECEIPT_COPIES = Option("receipt/copies", 1)
LAST_VIEW = Option("window/last_view", "overview")
BACKUP_FOLDER = Option("backup/folder", "")  # "" = backups in the user data folder
BACKUP_SECOND_FOLDER = Option("backup/second_folder", "")  # a USB drive or a share; "" = none
BACKUP_TIME = Option("backup/time", "12:30")  # daily, HH:MM on this PC's clock
# Minutes without keyboard or mouse input before the window locks (0 = never): a counter PC
# left alone must not take recharges in the name of the clerk who walked away.
IDLE_LOCK_MINUTES = Option("security/idle_lock_minutes", 15)
