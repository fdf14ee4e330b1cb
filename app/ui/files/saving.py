"""Writing a file the clerk asked for: choose where (a save dialog), then build the bytes
and write them on a worker, so a 20,000-row export never freezes the window.

Views call `save_bytes_op(parent, path, make_bytes)`; tests pass a path directly instead of
going through the dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.ui.errors import show_error
from app.ui.ops import CommOp

XLSX_FILTER = "Excel (*.xlsx)"
PDF_FILTER = "PDF (*.pdf)"


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()


def safe_name(text: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in text).strip() or "export"


def ask_save_path(parent: QWidget | None, suggested: str, file_filter: str) -> Path | None:
    """The save dialog, starting in Documents with a name like 站点_档位_2026-11-25.xlsx."""
    title = QCoreApplication.translate("Files", "Save as")
    start = str(default_folder() / safe_name(suggested))
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not path:
        return None
    suffix = ".pdf" if file_filter == PDF_FILTER else ".xlsx"
    p = Path(path)
    return p if p.suffix.lower() == suffix else p.with_name(p.name + suffix)


def dated(name: str, suffix: str) -> str:
    return f"{name}_{date.today():%Y-%m-%d}{suffix}"


def save_bytes_op(parent: QWidget | None, path: Path, make: Callable[[], bytes]) -> CommOp:
    """An op that builds the file's bytes off the GUI thread and writes them to `path`;
    it succeeds with the path. A file that cannot be written (open in Excel, a read-only
    folder) fails with a message saying so."""

    def body() -> Path:
        data = make()
        try:
            path.write_bytes(data)
        except PermissionError as exc:
            raise FileNotWritable(path) from exc
        except OSError as exc:
            raise FileNotWritable(path, str(exc)) from exc
        return path

    def failed(error: BaseException) -> None:
        if isinstance(error, FileNotWritable):
            QMessageBox.warning(
                parent, QCoreApplication.translate("Files", "File not saved"), error.clerk_text()
            )
        else:
            show_error(parent, error)

    return CommOp(parent, body).failure(failed)


class FileNotWritable(Exception):
    def __init__(self, path: Path, detail: str = ""):
        super().__init__(str(path))
        self.path, self.detail = path, detail

    def clerk_text(self) -> str:
        return QCoreApplication.translate(
            "Files",
            "The file %1 cannot be written. If it is open in Excel or WPS, close it there; "
            "or choose another folder. Then try again.",
        ).replace("%1", str(self.path))
