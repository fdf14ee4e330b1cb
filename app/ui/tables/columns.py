"""Columns described once: `Column(key, header, fmt, align)` (STYLE.md §6).

Headers are marked with QT_TRANSLATE_NOOP where defined and translated where shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from app.models.money import fmt_yuan
from app.ui import site_time

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

TR_CONTEXT = "Columns"


def tr_col(text: str) -> str:
    return QCoreApplication.translate(TR_CONTEXT, text)


def text(value: Any) -> str:
    return "" if value is None else str(value)


def yuan(value: Decimal | None) -> str:
    return "" if value is None else fmt_yuan(value)


def local_time(value: datetime | None) -> str:
    """A stored instant as the site's local time (not the PC's)."""
    return "" if value is None else site_time.local(value).strftime("%Y-%m-%d %H:%M")


def number(places: int) -> Callable[[Any], str]:
    def fmt(value: Any) -> str:
        return "" if value is None else f"{value:.{places}f}"

    return fmt


@dataclass(frozen=True)
class Column:
    key: str  # attribute of the row dataclass
    header: str  # English source text, marked with QT_TRANSLATE_NOOP("Columns", …)
    fmt: Callable[[Any], str] = text
    align: Qt.AlignmentFlag = LEFT
    hidden_by_default: bool = False
    width: int = 0  # 0: fit to contents of the header
    get: Callable[[Any], Any] | None = None  # for a derived column: row -> value
    searchable: bool = True  # False for numbers and times: the as-you-type filter skips them

    def value(self, row: Any) -> Any:
        return self.get(row) if self.get is not None else getattr(row, self.key)

    def sort_key(self, value: Any) -> Any:
        # None sorts first; mixed types never compare.
        if value is None:
            return (0, 0)
        if isinstance(value, (int, float, Decimal)):
            return (1, value)
        if isinstance(value, datetime):
            return (1, value.timestamp())
        return (2, self.fmt(value))
