"""A table model over a list of frozen dataclass rows, keyed by id, updated in place.

`row_of[key]` finds a row in O(1) so live updates (a meter's new status) emit
`dataChanged` for that row only. Sorting is done here on the Python list (one key
function, fast even for 20,000 rows); the filter proxy only filters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QSortFilterProxyModel

from app.ui.tables.columns import Column, tr_col

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], key: Callable[[Any], Any] = lambda r: r.id, parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._key = key
        self.rows: list[Any] = []
        self.row_of: dict[Any, int] = {}
        self._search: list[str | None] = []
        self._colors: Callable[[Any, Column], Any] | None = None

    # -- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.fmt(col.value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.ForegroundRole and self._colors is not None:
            return self._colors(row, col)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr_col(self.columns[section].header)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        col = self.columns[column]
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: col.sort_key(col.value(r)), reverse=order == Qt.SortOrder.DescendingOrder)
        self._reindex()
        self.layoutChanged.emit()

    # -- rows ----------------------------------------------------------------------------
    def set_colors(self, fn: Callable[[Any, Column], Any]) -> None:
        """`fn(row, column) -> QBrush | None` for the text colour (e.g. offline in red)."""
        self._colors = fn

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self.row_of = {self._key(r): i for i, r in enumerate(self.rows)}
        self._search = [None] * len(self.rows)

    def append_rows(self, new_rows: Sequence[Any], keep_last: int) -> None:
        """Add rows at the end, dropping the oldest beyond `keep_last` (a live log)."""
        if not new_rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new_rows) - 1)
        self.rows.extend(new_rows)
        self._search.extend([None] * len(new_rows))
        self.endInsertRows()
        excess = len(self.rows) - keep_last
        if excess > 0:
            self.beginRemoveRows(QModelIndex(), 0, excess - 1)
            del self.rows[:excess]
            del self._search[:excess]
            self.endRemoveRows()
        self.row_of = {self._key(r): i for i, r in enumerate(self.rows)}

    def row_at(self, i: int) -> Any:
        return self.rows[i]

    def replace_row(self, new_row: Any) -> bool:
        """Put an updated row in place of the one with the same key; False if unknown."""
        i = self.row_of.get(self._key(new_row))
        if i is None:
            return False
        self.rows[i] = new_row
        self._search[i] = None
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))
        return True

    def update_fields(self, key: Any, **fields: Any) -> bool:
        i = self.row_of.get(key)
        if i is None:
            return False
        return self.replace_row(dataclasses.replace(self.rows[i], **fields))

    def search_text(self, i: int) -> str:
        """Every column's text of row i, lower-cased, for the as-you-type filter."""
        cached = self._search[i]
        if cached is None:
            row = self.rows[i]
            cached = "\x1f".join(c.fmt(c.value(row)) for c in self.columns).lower()
            self._search[i] = cached
        return cached


class FilterProxy(QSortFilterProxyModel):
    """Filters as you type on every column (all words must match) and by an extra
    predicate on the row (e.g. 'offline only'); sorting is delegated to the source."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []
        self._predicate: Callable[[Any], bool] | None = None

    def set_text(self, text: str) -> None:
        words = text.lower().split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model: RowTableModel = self.sourceModel()
        if self._predicate is not None and not self._predicate(model.rows[source_row]):
            return False
        if not self._words:
            return True
        hay = model.search_text(source_row)
        return all(w in hay for w in self._words)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column >= 0:
            self.sourceModel().sort(column, order)

    def row_at(self, proxy_row: int) -> Any:
        src = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().row_at(src.row())
