"""Bulk import (批量导入) of buildings, stalls, customers and meters from Excel.

The clerk's steps, top to bottom: what to import → download the template → choose the
file → check it (a dry run: nothing is written) → read the per-row report, save it as an
.xlsx with the bad rows marked → import the valid rows, or nothing unless every row is
right ("all or nothing"). Everything goes through app.services.market.imports' public API."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.services.market import imports
from app.services.market.imports import ImportResult
from app.services.platform.context import Changes, May
from app.ui.client import Client
from app.ui.errors import ui_language
from app.ui.files.saving import XLSX_FILTER, ask_save_path, dated, default_folder, save_bytes_op
from app.ui.ops import CommOp, DbOp, QueryOp
from app.ui.tables.columns import RIGHT, Column
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View
from app.words import Word

# Document texts: files and printouts read in the documents' language (Chinese by default).
CHECK_REPORT = Word(
    "import_view.check_report", words.QT_TRANSLATE_NOOP("Documents", "Import check report")
)
TEMPLATE_FILE = Word(
    "import_view.template_file", words.QT_TRANSLATE_NOOP("Documents", "{kind} import template")
)
CHECK_REPORT_FILE = Word(
    "import_view.check_report_file", words.QT_TRANSLATE_NOOP("Documents", "{name}_check report")
)

KIND_TITLES = {
    "buildings": QT_TRANSLATE_NOOP("ImportView", "Buildings"),
    "stalls": QT_TRANSLATE_NOOP("ImportView", "Stalls"),
    "customers": QT_TRANSLATE_NOOP("ImportView", "Customers (tenants, owners)"),
    "meters": QT_TRANSLATE_NOOP("ImportView", "Meters (with their stall)"),
}
CHANGES = {
    "buildings": Changes.SETTINGS | Changes.STALLS,
    "stalls": Changes.STALLS | Changes.BALANCES,
    "customers": Changes.STALLS,
    "meters": Changes.METERS | Changes.STALLS,
}


@dataclass(frozen=True)
class ProblemLine:
    id: int
    row: int
    column: str
    problem: str
    fix: str


COLUMNS = [
    Column("row", QT_TRANSLATE_NOOP("Columns", "Row"), str, RIGHT, width=50, searchable=False),
    Column("column", QT_TRANSLATE_NOOP("Columns", "Column"), width=100),
    Column("problem", QT_TRANSLATE_NOOP("Columns", "What is wrong"), width=320),
    Column("fix", QT_TRANSLATE_NOOP("Columns", "What to do"), width=320),
]


class ImportView(View):
    checked = Signal(object)  # ImportResult of a dry run
    imported = Signal(object)  # ImportResult of a real import
    saved = Signal(object)  # Path of a template or report written

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.path: Path | None = None
        self.data: bytes | None = None
        self.result: ImportResult | None = None

        self.kind = QComboBox(self)
        for key in imports.KINDS:
            self.kind.addItem(self.tr(KIND_TITLES[key]), key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.template_button = QPushButton(self.tr("Download template …"), self)
        self.template_button.clicked.connect(self._ask_template)
        self.file_button = QPushButton(self.tr("Choose file …"), self)
        self.file_button.clicked.connect(self._ask_file)
        self.file_label = QLabel(self.tr("No file chosen"), self)
        self.check_button = QPushButton(self.tr("Check file"), self)
        self.check_button.setToolTip(
            self.tr("Reads every row and reports problems; nothing is written")
        )
        self.check_button.clicked.connect(self.check)
        self.all_or_nothing = QCheckBox(
            self.tr("All or nothing (import only if every row is right)"), self
        )
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.clicked.connect(self._ask_import)
        self.report_button = QPushButton(self.tr("Save report …"), self)
        self.report_button.setToolTip(
            self.tr("Your file back, with the bad rows marked red and a column saying what to do")
        )
        self.report_button.clicked.connect(self._ask_report)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)

        self.model = RowTableModel(COLUMNS, parent=self)
        self.model.set_colors(
            lambda _r, c: QBrush(QColor("#b00020")) if c.key == "problem" else None
        )
        self.table = FilteredTable("import_problems", self.model, self)
        self.table.export_title = CHECK_REPORT.say()

        step1 = QHBoxLayout()
        step1.addWidget(QLabel(self.tr("1. What to import:")))
        step1.addWidget(self.kind)
        step1.addWidget(self.template_button)
        step1.addStretch(1)
        step2 = QHBoxLayout()
        step2.addWidget(QLabel(self.tr("2. File:")))
        step2.addWidget(self.file_button)
        step2.addWidget(self.file_label, 1)
        step3 = QHBoxLayout()
        step3.addWidget(QLabel(self.tr("3.")))
        step3.addWidget(self.check_button)
        step3.addWidget(self.report_button)
        step3.addStretch(1)
        step3.addWidget(self.all_or_nothing)
        step3.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        for step in (step1, step2, step3):
            layout.addLayout(step)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        for w in (self.import_button, self.file_button, self.check_button):
            w.setEnabled(client.may(May.IMPORT_RECORDS_IN_BULK))
        self._update_buttons()

    # -- the view contract ----------------------------------------------------------------
    def refresh(self) -> None:
        self.mark_loaded()  # nothing to load until a file is chosen

    @property
    def kind_key(self) -> str:
        return self.kind.currentData()

    def _kind_changed(self) -> None:
        self._show(None)

    def _update_buttons(self) -> None:
        has_file = self.data is not None and self.client.may(May.IMPORT_RECORDS_IN_BULK)
        self.check_button.setEnabled(has_file)
        self.import_button.setEnabled(has_file)
        self.report_button.setEnabled(self.result is not None and bool(self.result.problems))

    # -- template -------------------------------------------------------------------------
    def _ask_template(self) -> None:
        name = TEMPLATE_FILE.say(kind=imports.KIND_NAMES[self.kind_key]) + ".xlsx"
        path = ask_save_path(self, name, XLSX_FILTER)
        if path is not None:
            self.save_template(path)

    def save_template(self, path: Path) -> None:
        kind = self.kind_key
        save_bytes_op(self, path, lambda: imports.write_template(kind)).success(
            self.saved.emit
        ).run()

    # -- file -----------------------------------------------------------------------------
    def _ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the Excel file"), str(default_folder()), XLSX_FILTER
        )
        if path:
            self.choose_file(Path(path))

    def choose_file(self, path: Path) -> None:
        """Read the file (the clerk may still have it open in Excel: reading is fine)."""

        def loaded(data: bytes) -> None:
            self.path, self.data = path, data
            self.file_label.setText(str(path))
            self._show(None)

        def failed(error: BaseException) -> None:
            QMessageBox.warning(
                self,
                self.tr("Cannot open the file"),
                self.tr(
                    "The file %1 cannot be read. Check that it exists and is not on a "
                    "disconnected drive, "
                    "then choose it again."
                ).replace("%1", str(path)),
            )

        CommOp(self, path.read_bytes).success(loaded).failure(failed).run()

    # -- check and import -----------------------------------------------------------------
    def check(self) -> None:
        """试导入: every row is checked, nothing is written."""
        self._run(dry_run=True)

    def _ask_import(self) -> None:
        if self.result is None or not self.result.dry_run:
            question = self.tr(
                "Import without checking first? Check file shows the problems before anything is "
                "written."
            )
            if (
                QMessageBox.question(self, self.tr("Import"), question)
                != QMessageBox.StandardButton.Yes
            ):
                return
        self.run_import()

    def run_import(self) -> None:
        self._run(dry_run=False)

    def _run(self, *, dry_run: bool) -> None:
        if self.data is None:
            return
        kind, data, actor = self.kind_key, self.data, self.client.actor
        all_or_nothing, filename = (
            self.all_or_nothing.isChecked(),
            self.path.name if self.path else "",
        )

        def body(session):
            return imports.import_excel(
                session,
                actor,
                kind,
                data,
                dry_run=dry_run,
                all_or_nothing=all_or_nothing,
                filename=filename,
            )

        def done(result: ImportResult) -> None:
            self._show(result)
            (self.checked if dry_run else self.imported).emit(result)

        label = self.tr("Checking the file …") if dry_run else self.tr("Importing …")
        op = QueryOp(self, body) if dry_run else DbOp(self, body, changes=CHANGES[kind])
        op.success(done).with_progress(label).run()

    def _show(self, result: ImportResult | None) -> None:
        self.result = result
        if result is None:
            self.model.set_rows([])
            self.summary.setText("")
        else:
            lang = ui_language()
            # Problems first, then the notes (rows read in a way the clerk should know).
            lines = list(result.problems) + list(result.notes)
            self.model.set_rows(
                [ProblemLine(i, p.row, p.column, *p.texts(lang)) for i, p in enumerate(lines)]
            )
            self.summary.setText(self._summary_text(result))
        self._update_buttons()

    def _summary_text(self, r: ImportResult) -> str:
        counts = (
            self.tr("%1 rows: %2 new, %3 changed, %4 unchanged, %5 with problems.")
            .replace("%1", str(r.total_rows))
            .replace("%2", str(r.created))
            .replace("%3", str(r.updated))
            .replace("%4", str(r.unchanged))
            .replace("%5", str(len(r.bad_rows)))
        )
        if r.dry_run:
            state = self.tr("Checked, nothing written yet.")
            if r.problems:
                state += " " + self.tr(
                    "Fix the rows below in your file (or save the report), or import only the "
                    "valid rows."
                )
        elif r.written:
            state = self.tr("Imported.")
            if r.problems:
                state += " " + self.tr(
                    "The rows below were left out: fix them and import the file again."
                )
        else:
            state = self.tr(
                "Nothing was imported: some rows have problems and “All or nothing” is on."
            )
        if r.notes:
            counts += " " + self.tr("%1 rows were read with a note, listed below.").replace(
                "%1", str(len(r.notes))
            )
        return f"{state} {counts}"

    # -- report ---------------------------------------------------------------------------
    def _ask_report(self) -> None:
        stem = self.path.stem if self.path else imports.KIND_NAMES[self.kind_key].say()
        path = ask_save_path(self, dated(CHECK_REPORT_FILE.say(name=stem), ".xlsx"), XLSX_FILTER)
        if path is not None:
            self.save_report(path)

    def save_report(self, path: Path) -> None:
        data, result = self.data, self.result
        if data is None or result is None:
            return
        lang = ui_language()
        save_bytes_op(self, path, lambda: imports.problem_report(data, result, lang)).success(
            self.saved.emit
        ).run()
