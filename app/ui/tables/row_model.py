"""A table model over a list of frozen dataclass rows, keyed by id, updated in place.

`row_of[key]` finds a row in O(1) so live updates (a meter's new status) emit
`dataChanged` for that row only. Sorting is done here on the Python list (one key
function, fast even for 20,000 rows); the filter proxy only filters.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.ui.tables.columns import Column, tr_col

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY = Qt.ItemDataRole.DisplayRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole


_NO_PARENT = QModelIndex()  # the invalid index: a table's rows have no parent


class RowTableModel(QAbstractTableModel):
    def __init__(
        self, columns: Sequence[Column], key: Callable[[Any], Any] = lambda r: r.id, parent=None
    ):
        super().__init__(parent)
        self.columns = list(columns)
        self._searchable = [c for c in self.columns if c.searchable]
        self._alignments = [int(c.align) for c in self.columns]
        self._key = key
        self.rows: list[Any] = []
        self.row_of: dict[Any, int] = {}
        self._search: list[str | None] = []
        self.version = 0  # bumped whenever rows are replaced, re-ordered or added
        self.row_changed_hooks: list[Callable[[int], None]] = []
        self._colors: Callable[[Any, Column], Any] | None = None
        self._columns_cache: dict[frozenset[str], tuple[list[int], list[int]]] = {}

    # -- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Called for every cell and role on each paint: the common roles first, no extra work.
        if role == DISPLAY:
            col = self.columns[index.column()]
            return col.fmt(col.value(self.rows[index.row()]))
        if role == ALIGNMENT:
            return self._alignments[index.column()]
        if role == FOREGROUND:
            return (
                None
                if self._colors is None
                else self._colors(self.rows[index.row()], self.columns[index.column()])
            )
        if role == ROW_ROLE:
            return self.rows[index.row()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr_col(self.columns[section].header)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        col = self.columns[column]
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(
            key=lambda r: col.sort_key(col.value(r)), reverse=order == Qt.SortOrder.DescendingOrder
        )
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
        self.version += 1

    def index_some(self, budget_s: float = 0.02) -> bool:
        """Build search texts for a while (idle time after loading); True when all are done."""
        deadline = time.perf_counter() + budget_s
        search = self._search
        i = self._next_to_index if getattr(self, "_index_version", None) == self.version else 0
        while i < len(search):
            if search[i] is None:
                self.search_text(i)
            i += 1
            if i % 256 == 0 and time.perf_counter() > deadline:
                break
        self._next_to_index, self._index_version = i, self.version
        return i >= len(search)

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
        self.version += 1

    def row_at(self, i: int) -> Any:
        return self.rows[i]

    def replace_row(self, new_row: Any) -> bool:
        """Put an updated row in place of the one with the same key; False if unknown. A row
        equal to the one shown is left alone (no repaint)."""
        i = self.row_of.get(self._key(new_row))
        if i is None:
            return False
        if self.rows[i] == new_row:
            return True
        self._put(i, new_row, ((0, len(self.columns) - 1),))
        return True

    def replace_rows(self, new_rows: Iterable[Any]) -> int:
        """replace_row() for many rows, with one `dataChanged` per run of adjacent rows
        (thousands of re-read rows after a collection: a signal per row costs the GUI
        thread ten times more). Returns how many rows changed."""
        changed = []
        for new_row in new_rows:
            i = self.row_of.get(self._key(new_row))
            if i is None or self.rows[i] == new_row:
                continue
            self._store(i, new_row)
            changed.append(i)
        changed.sort()
        last_column = len(self.columns) - 1
        start = 0
        for k in range(1, len(changed) + 1):
            if k == len(changed) or changed[k] != changed[k - 1] + 1:
                self.dataChanged.emit(
                    self.createIndex(changed[start], 0),
                    self.createIndex(changed[k - 1], last_column),
                )
                start = k
        return len(changed)

    def update_fields(self, key: Any, **fields: Any) -> bool:
        """Change some fields of a row. Only the cells that show those fields are repainted,
        and a row whose fields already have these values is left alone: while a collection
        runs, every repaint of the whole visible table costs the GUI thread a frame."""
        i = self.row_of.get(key)
        if i is None:
            return False
        old = self.rows[i]
        changed = {k: v for k, v in fields.items() if getattr(old, k) != v}
        if not changed:
            return True
        new = _copy_row(old)  # dataclasses.replace() re-runs __init__: several times slower
        for k, v in changed.items():
            object.__setattr__(new, k, v)
        direct, derived = self._columns_of(frozenset(changed))
        cols = direct + [j for j in derived if self.columns[j].get(old) != self.columns[j].get(new)]
        self._put(i, new, tuple((j, j) for j in cols))
        return True

    def _columns_of(self, fields: frozenset[str]) -> tuple[list[int], list[int]]:
        """Columns that show `fields`, and the derived columns (which may or may not)."""
        found = self._columns_cache.get(fields)
        if found is None:
            found = self._columns_cache[fields] = (
                [j for j, c in enumerate(self.columns) if c.get is None and c.key in fields],
                [j for j, c in enumerate(self.columns) if c.get is not None],
            )
        return found

    def _put(self, i: int, new_row: Any, spans: tuple[tuple[int, int], ...]) -> None:
        self._store(i, new_row)
        for first, last in spans:
            # createIndex: index() would ask rowCount / columnCount back in Python
            self.dataChanged.emit(self.createIndex(i, first), self.createIndex(i, last))

    def _store(self, i: int, new_row: Any) -> None:
        self.rows[i] = new_row
        self._search[i] = None
        for hook in self.row_changed_hooks:
            hook(i)

    def search_text(self, i: int) -> str:
        """Every column's text of row i, lower-cased, for the as-you-type filter."""
        cached = self._search[i]
        if cached is None:
            row = self.rows[i]
            cached = "\x1f".join([c.fmt(c.value(row)) for c in self._searchable]).lower()
            self._search[i] = cached
        return cached


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _copy_row(row: Any) -> Any:
    """A shallow copy of a (frozen, maybe slotted) dataclass row, without running __init__."""
    cls = type(row)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    new = cls.__new__(cls)
    for name in names:
        object.__setattr__(new, name, getattr(row, name))
    return new


class FilterProxy(QSortFilterProxyModel):
    """Filters as you type on every searchable column (all words must match) and by an
    extra predicate on the row (e.g. 'offline only'); sorting is delegated to the source.

    Qt asks `filterAcceptsRow` once per row; a call from C++ into Python costs a few
    microseconds, so the answers for all rows are worked out in one Python pass and the
    per-row call only looks its answer up (20,000 rows filter in well under 100 ms)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []
        self._predicate: Callable[[Any], bool] | None = None
        self._model: RowTableModel | None = None
        self._accept: list[bool | None] | None = None  # None: everything is accepted
        self._accept_version = -1

    def setSourceModel(self, model: RowTableModel) -> None:
        self._model = model
        super().setSourceModel(model)
        model.row_changed_hooks.append(self._row_changed)

    def _row_changed(self, i: int) -> None:
        if self._accept is not None and self._accept_version == self._model.version:
            self._accept[i] = None  # worked out again when Qt re-filters this row

    def set_text(self, text: str) -> None:
        words = text.lower().split()
        if words != self._words:
            self._words = words
            self._refilter()

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self._predicate = predicate
        self._refilter()

    def _refilter(self) -> None:
        self._accept_version = -1
        self._accept = None if not self._words and self._predicate is None else []
        with warnings.catch_warnings():
            # Qt 6.10's begin/endFilterChange() pair asks every row twice; this asks once.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.invalidateRowsFilter()

    def _accepts(self, i: int) -> bool:
        model = self._model
        if self._predicate is not None and not self._predicate(model.rows[i]):
            return False
        hay = model.search_text(i)
        return all(w in hay for w in self._words)

    def _all_answers(self) -> list[bool | None]:
        model = self._model
        n = len(model.rows)
        if not self._words:
            return [bool(self._predicate(r)) for r in model.rows]
        texts = [model.search_text(i) for i in range(n)] if None in model._search else model._search
        if len(self._words) == 1:
            word = self._words[0]
            answers = [word in t for t in texts]
        else:
            words = self._words
            answers = [all(w in t for w in words) for t in texts]
        if self._predicate is not None:
            rows, predicate = model.rows, self._predicate
            answers = [a and bool(predicate(rows[i])) for i, a in enumerate(answers)]
        return answers

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        accept = self._accept
        if accept is None:
            return True
        if self._accept_version != self._model.version:
            accept = self._accept = self._all_answers()
            self._accept_version = self._model.version
        answer = accept[source_row]
        if answer is None:
            answer = accept[source_row] = self._accepts(source_row)
        return answer

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column >= 0:
            self.sourceModel().sort(column, order)

    def row_at(self, proxy_row: int) -> Any:
        src = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().row_at(src.row())
