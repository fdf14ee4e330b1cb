"""Printing a report with Qt: the same columns and rows as its .xlsx and PDF, laid out as a
document (title, site and period on top, a table, totals, notes) and sent to a printer
through the print preview, where the clerk picks the printer, pages and copies.

Payment notices print one per page. The document is built from plain data, so a test
can print it to a PDF file through QPrinter without any dialog."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from app.services.office.excel_io import NUMBER_KINDS, Column
from app.services.office.pdf import Notice, fmt_cell
from app.ui.fonts import cjk_family

_STYLE = """
body { font-size: 9pt; }
h2 { font-size: 14pt; margin: 0; }
p.sub { color: #444; margin: 2px 0 8px 0; }
table { border-collapse: collapse; }
th { background: #dde8f5; font-weight: bold; padding: 2px 4px; border: 1px solid #999; }
td { padding: 2px 4px; border: 1px solid #bbb; }
td.num { text-align: right; }
tr.total td { font-weight: bold; background: #f2f2f2; }
"""


def _row_html(columns: Sequence[Column], row: Mapping[str, Any], css: str = "") -> str:
    cells = "".join(
        f'<td class="{"num" if c.kind in NUMBER_KINDS else ""}">'
        f"{escape(fmt_cell(row.get(c.key), c.kind))}</td>"
        for c in columns
    )
    return f'<tr class="{css}">{cells}</tr>'


def table_document(
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    sections: Sequence[tuple[str, Sequence[Mapping[str, Any]], Mapping[str, Any] | None]],
    *,
    grand_total: Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
) -> QTextDocument:
    """sections: (heading or '', rows, total row or None), as in the PDF renderer."""
    head = "".join(f"<th>{escape(c.header)}</th>" for c in columns)
    parts = [f"<h2>{escape(title)}</h2><p class='sub'>{escape(subtitle)}</p>"]
    for heading, rows, total in sections:
        if heading:
            parts.append(f"<p><b>{escape(heading)}</b></p>")
        body = "".join(_row_html(columns, r) for r in rows)
        if total is not None:
            body += _row_html(columns, total, "total")
        parts.append(
            f"<table width='100%' cellspacing='0'><thead><tr>{head}</tr></thead>{body}</table>"
        )
    if grand_total is not None:
        parts.append(
            "<table width='100%' "
            f"cellspacing='0'><tr>{head}</tr>{_row_html(columns, grand_total, 'total')}</table>"
        )
    parts += [f"<p>{escape(n)}</p>" for n in notes if n]
    return _document("".join(parts))


def notices_document(notices: Sequence[Notice], *, site: str) -> QTextDocument:
    pages = []
    for i, n in enumerate(notices):
        lines = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in n.lines)
        # Qt applies a page break to a block, not to a <div>: the title starts each new page.
        brk = "" if i == 0 else " style='page-break-before: always'"
        pages.append(
            "<div style='font-size: 12pt'><h2 "
            f"align='center'{brk}>{escape(n.title)}</h2><p>{escape(n.to)}：</p>"
            f"<table cellspacing='0'>{lines}</table><p>{escape(n.body)}</p>"
            f"<p align='right'>{escape(n.signature)}<br>{escape(n.date_text)}</p></div>"
        )
    return _document("".join(pages) or f"<p>{escape(site)}</p>")


def _document(html: str) -> QTextDocument:
    doc = QTextDocument()
    font = doc.defaultFont()
    font.setFamilies([font.family(), cjk_family()])
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_STYLE)
    doc.setHtml(f"<html><body>{html}</body></html>")
    return doc


def setup_printer(printer: QPrinter, *, landscape: bool) -> None:
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            orientation,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )


def print_document(doc: QTextDocument, printer: QPrinter) -> None:
    doc.print_(printer)


def preview_and_print(parent: QWidget | None, doc: QTextDocument, *, landscape: bool) -> None:
    """The print preview: the clerk sees the pages, picks the printer and prints."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    setup_printer(printer, landscape=landscape)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.paintRequested.connect(lambda p: print_document(doc, p))
    dialog.exec()
