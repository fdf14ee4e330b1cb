"""Printing a receipt with Qt: to the printer chosen in settings (no dialog at the
counter) or in a print preview. Draws the same `receipt_lines()` as the PDF renderer."""

from __future__ import annotations

import io

import qrcode
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintEngine,
    QPainter,
    QPen,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from app.services.office.receipts_render import LAYOUTS, Line, PaperLayout, receipt_lines
from app.ui.fonts import cjk_family

MM_PER_INCH = 25.4


def _qr_image(text: str) -> QImage:
    qr = qrcode.QRCode(border=1, box_size=6, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    png = io.BytesIO()
    qr.make_image().get_image().save(png, format="PNG")
    return QImage.fromData(png.getvalue(), "PNG")


def _font(size_pt: float, bold: bool) -> QFont:
    font = QFont(cjk_family())
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    return font


def _wrap(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    out, current = [], ""
    for ch in text:
        if current and metrics.horizontalAdvance(current + ch) > width:
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return out


def paint_receipt(painter: QPainter, lines: list[Line], paper: PaperLayout, dpi: float) -> None:
    """Paint onto a device of `dpi` whose origin is the paper's top-left corner."""
    px = dpi / MM_PER_INCH
    margin = paper.margin_mm * px
    width = paper.width_mm * px
    inner = width - 2 * margin
    y = margin
    for line in lines:
        if line.kind == "rule":
            painter.setPen(QPen(Qt.GlobalColor.black, max(1.0, 0.2 * px), Qt.PenStyle.DashLine))
            painter.drawLine(int(margin), int(y + 1.5 * px), int(width - margin), int(y + 1.5 * px))
            y += 3 * px
            continue
        if line.kind == "qr":
            size = paper.qr_mm * px
            painter.drawImage(
                QRectF((width - size) / 2, y + 1 * px, size, size), _qr_image(line.text)
            )
            y += size + 2 * px
            continue
        font = _font(line.size_pt, line.bold)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        metrics = QFontMetricsF(font, painter.device())
        leading = line.size_pt * 1.45 / 72 * dpi
        if line.kind == "pair":
            values = _wrap(line.value, metrics, inner * 0.62)
            for i, value in enumerate(values):
                rect = QRectF(margin, y, inner, leading)
                if i == 0:
                    painter.drawText(
                        rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line.text
                    )
                painter.drawText(
                    rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, value
                )
                y += leading
        else:
            align = (
                Qt.AlignmentFlag.AlignHCenter
                if line.align == "center"
                else Qt.AlignmentFlag.AlignLeft
            )
            for piece in _wrap(line.text, metrics, inner):
                painter.drawText(
                    QRectF(margin, y, inner, leading), align | Qt.AlignmentFlag.AlignVCenter, piece
                )
                y += leading


def content_height_mm(lines: list[Line], paper: PaperLayout) -> float:
    """An estimate of a roll receipt's length (wrapping aside) so the page is cut short."""
    total = 2 * paper.margin_mm
    for line in lines:
        if line.kind == "rule":
            total += 3
        elif line.kind == "qr":
            total += paper.qr_mm + 2
        else:
            total += (
                line.size_pt
                * 1.45
                / 72
                * MM_PER_INCH
                * (2 if len(line.text) + len(line.value) > 18 else 1)
            )
    return total


def _setup(printer: QPrinter, lines: list[Line], paper: PaperLayout) -> None:
    height = paper.height_mm or content_height_mm(lines, paper)
    size = QPageSize(QSizeF(paper.width_mm, height), QPageSize.Unit.Millimeter, paper.key)
    printer.setPageLayout(
        QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    printer.setFullPage(True)


def _paint_on(printer: QPrinter, lines: list[Line], paper: PaperLayout) -> bool:
    """Paint the receipt; True when it went to a printer or a file, not only into a preview."""
    painter = QPainter(printer)
    if not painter.isActive():
        return False
    is_output = (
        painter.paintEngine().type() != QPaintEngine.Type.Picture
    )  # a preview paints into pictures
    try:
        paint_receipt(painter, lines, paper, printer.resolution())
    finally:
        painter.end()
    return is_output


def printer_available(name: str) -> bool:
    if name:
        return not QPrinterInfo.printerInfo(name).isNull()
    return not QPrinterInfo.defaultPrinter().isNull()


def print_receipt(data, printer_name: str, layout: str, copies: int = 1) -> bool:
    """Print without a dialog. False when the printer is not there (the PDF is kept anyway)."""
    if not printer_available(printer_name):
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if printer_name:
        printer.setPrinterName(printer_name)
    printer.setCopyCount(max(1, copies))
    paper = LAYOUTS[layout]
    lines = receipt_lines(data, paper)
    _setup(printer, lines, paper)
    _paint_on(printer, lines, paper)
    return True


def preview_receipt(parent: QWidget | None, data, layout: str) -> bool:
    """Show the receipt in a print preview. True when the clerk printed it from there (the
    preview's Print button); closing the preview prints nothing."""
    paper = LAYOUTS[layout]
    lines = receipt_lines(data, paper)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _setup(printer, lines, paper)
    dialog = QPrintPreviewDialog(printer, parent)
    printed: list[bool] = []
    dialog.paintRequested.connect(lambda p: printed.append(_paint_on(p, lines, paper)))
    dialog.exec()
    return any(printed)
