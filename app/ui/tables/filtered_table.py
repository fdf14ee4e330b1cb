"""A table with an as-you-type filter, sortable headers and remembered column choices."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.tables.columns import tr_col
from app.ui.tables.row_model import FilterProxy, RowTableModel


class FilteredTable(QWidget):
    """`name` keys the remembered header state (visible columns, widths, sort) in QSettings."""

    activated_row = Signal(object)  # double-click / Enter on a row: the row dataclass
    current_row_changed = Signal(object)  # the row dataclass or None
    exported = Signal(object)  # Path of the .xlsx written by "Export Excel"

    def __init__(
        self,
        name: str,
        model: RowTableModel,
        parent: QWidget | None = None,
        *,
        multi_select: bool = False,
        placeholder: str | None = None,
    ):
        super().__init__(parent)
        self.name = name
        self.model = model
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            placeholder or self.tr("Filter: type any part of a code, name, address …")
        )
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.count_label = QLabel(self)
        self.export_title = ""  # the sheet's title row; the view sets it (e.g. "档位")
        self.export_button = QPushButton(self.tr("Export Excel"), self)
        self.export_button.setToolTip(
            self.tr(
                "Save the rows shown (filter, sort and visible columns as on screen) as an .xlsx "
                "file"
            )
        )
        self.export_button.clicked.connect(self._ask_export)

        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi_select
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        # Uniform row heights: a 20,000-row table must not measure every row.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.view.doubleClicked.connect(
            lambda idx: self.activated_row.emit(self.proxy.row_at(idx.row()))
        )
        self.view.selectionModel().currentRowChanged.connect(self._emit_current)

        # Search texts are built in idle time after a load, so the first keystroke is quick.
        self._indexer = QTimer(self, interval=0)
        self._indexer.timeout.connect(lambda: self.model.index_some(0.015) and self._indexer.stop())
        model.modelReset.connect(self._indexer.start)
        model.layoutChanged.connect(self._indexer.start)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._restore_header()

    # -- column choices --------------------------------------------------------------
    def _settings_key(self) -> str:
        return f"tables/{self.name}/header"

    def _restore_header(self) -> None:
        header = self.view.horizontalHeader()
        state = QSettings().value(self._settings_key())
        if state is not None and header.restoreState(state):
            return
        metrics = header.fontMetrics()
        for i, col in enumerate(self.model.columns):
            header.setSectionHidden(i, col.hidden_by_default)
            # Never narrower than the (translated) header, so no header is clipped.
            width = max(col.width, metrics.horizontalAdvance(tr_col(col.header)) + 30)
            header.resizeSection(i, width)

    def save_header(self) -> None:
        QSettings().setValue(self._settings_key(), self.view.horizontalHeader().saveState())

    def _column_menu(self, pos) -> None:
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        for i, col in enumerate(self.model.columns):
            action = QAction(tr_col(col.header), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(
                lambda on, i=i: (header.setSectionHidden(i, not on), self.save_header())
            )
            menu.addAction(action)
        menu.exec(header.mapToGlobal(pos))

    def hideEvent(self, event) -> None:
        self.save_header()
        super().hideEvent(event)

    # -- rows ----------------------------------------------------------------------------
    def _emit_current(self, current, _previous) -> None:
        self.current_row_changed.emit(
            self.proxy.row_at(current.row()) if current.isValid() else None
        )

    def _update_count(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            self.tr("%1 of %2").replace("%1", str(shown)).replace("%2", str(total))
        )

    def selected_rows(self) -> list[Any]:
        rows = self.view.selectionModel().selectedRows()
        return [self.proxy.row_at(i.row()) for i in sorted(rows, key=lambda i: i.row())]

    def select(self, key: Any) -> None:
        """Make the row with this key the current row and scroll to it (if the filter shows it)."""
        i = self.model.row_of.get(key)
        if i is None:
            return
        index = self.proxy.mapFromSource(self.model.index(i, 0))
        if index.isValid():
            self.view.selectRow(index.row())
            self.view.scrollTo(index)

    def current_row(self) -> Any | None:
        idx = self.view.currentIndex()
        return self.proxy.row_at(idx.row()) if idx.isValid() else None

    # -- export ---------------------------------------------------------------------------
    def _ask_export(self) -> None:
        from app.ui.files.saving import XLSX_FILTER, ask_save_path, dated

        path = ask_save_path(self, dated(self.export_title or self.name, ".xlsx"), XLSX_FILTER)
        if path is not None:
            self.export_xlsx(path)

    def export_xlsx(self, path) -> None:
        """Write what is shown to `path` on a worker; `exported(path)` when it is there."""
        from app.ui.files.saving import save_bytes_op
        from app.ui.tables.export import shown_table, table_xlsx

        columns, rows = shown_table(self.view.horizontalHeader(), self.model.columns, self.proxy)
        title = self.export_title
        save_bytes_op(self, path, lambda: table_xlsx(columns, rows, title)).success(
            self.exported.emit
        ).with_progress(self.tr("Saving %1 rows …").replace("%1", str(len(rows)))).run()
