"""A small painted bar chart (usage per day or month); no QtCharts needed."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: list[tuple[str, float]] = []
        self.unit = ""
        self.empty_text = ""
        self.setMinimumHeight(220)

    def set_data(
        self, bars: list[tuple[str, Decimal | float]], unit: str, empty_text: str = ""
    ) -> None:
        self.bars = [(label, float(value)) for label, value in bars]
        self.unit = unit
        self.empty_text = empty_text
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = p.fontMetrics()
        left, bottom, top, right = (
            metrics.horizontalAdvance("00000.0") + 10,
            metrics.height() + 8,
            metrics.height() + 6,
            10,
        )
        area = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        p.fillRect(self.rect(), self.palette().base())
        if not self.bars:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        peak = max(max(v for _, v in self.bars), 1e-9)
        grid = QPen(QColor("#dddddd"))
        for i in range(5):
            y = area.bottom() - area.height() * i / 4
            p.setPen(grid)
            p.drawLine(int(area.left()), int(y), int(area.right()), int(y))
            p.setPen(self.palette().text().color())
            p.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{peak * i / 4:.1f}",
            )
        p.drawText(QRectF(0, 0, left + 60, top), Qt.AlignmentFlag.AlignLeft, self.unit)
        slot = area.width() / len(self.bars)
        every = max(
            1, int(metrics.horizontalAdvance("00-00 ") / max(slot, 1)) + 1
        )  # skip labels that would overlap
        for i, (label, value) in enumerate(self.bars):
            h = area.height() * max(value, 0) / peak
            bar = QRectF(area.left() + i * slot + slot * 0.15, area.bottom() - h, slot * 0.7, h)
            p.fillRect(bar, QColor("#2e86c1"))
            if i % every == 0:
                p.setPen(self.palette().text().color())
                p.drawText(
                    QRectF(area.left() + i * slot - 20, area.bottom() + 2, slot + 40, bottom),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    label,
                )
