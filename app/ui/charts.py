"""Bar charts (Qt Charts): one bar per day or month, a bar that can be clicked."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

COLORS = ("#2e86c1", "#28b463", "#f39c12", "#8e44ad", "#c0392b", "#7f8c8d")


class BarChart(QChartView):
    """Bars by category (a day, a month), one colour per set; `bar_clicked` says which
    category and set a click hit."""

    bar_clicked = Signal(int, str)  # category index, set key

    def __init__(self, title: str = "", parent: QWidget | None = None, *, stacked: bool = False):
        chart = QChart()
        chart.setTitle(title)
        chart.setMargins(QMargins(2, 2, 2, 2))
        chart.setBackgroundRoundness(0)
        chart.layout().setContentsMargins(0, 0, 0, 0)
        font = QFont(chart.titleFont())
        font.setBold(True)
        chart.setTitleFont(font)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(180)
        self.stacked = stacked
        self.categories: list[str] = []
        self.sets: dict[str, list[float]] = {}
        self.unit = ""
        self.series: QBarSeries | None = None
        self._keys: dict[str, str] = {}  # legend name → set key

    def set_bars(
        self,
        categories: Sequence[str],
        sets: Sequence[tuple[str, str, Sequence[Decimal | int | float]]],
        unit: str,
        *,
        every: int = 1,
    ) -> None:
        """`sets`: (key, legend name, one value per category). `every`: label every n-th
        category only, so thirty days stay readable."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.categories = list(categories)
        self.sets = {key: [float(v) for v in values] for key, _name, values in sets}
        self.unit = unit
        series = QStackedBarSeries() if self.stacked else QBarSeries()
        series.setBarWidth(0.8)
        self._keys = {}
        for i, (key, name, values) in enumerate(sets):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(COLORS[i % len(COLORS)]))
            bar_set.setBorderColor(QColor(COLORS[i % len(COLORS)]))
            bar_set.append([float(v) for v in values])
            series.append(bar_set)
            self._keys[name] = key
        series.clicked.connect(self._clicked)
        chart.addSeries(series)
        self.series = series
        # a label under every `every`-th bar only: thirty dates side by side do not fit
        x = QCategoryAxis()
        x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x.setRange(-0.5, len(categories) - 0.5)
        x.setStartValue(-0.5)
        for i in range(0, len(categories), every):
            x.append(categories[i], i)
        x.setGridLineVisible(False)
        y = QValueAxis()
        y.setLabelFormat("%.0f")
        y.setTitleText(unit)
        peak = max(
            (sum(col) for col in zip(*self.sets.values(), strict=True))
            if self.stacked and self.sets
            else (v for values in self.sets.values() for v in values),
            default=0.0,
        )
        y.setRange(0, max(peak * 1.1, 1.0))
        y.applyNiceNumbers()
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        chart.legend().setVisible(len(sets) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)

    def _clicked(self, index: int, bar_set: QBarSet) -> None:
        self.bar_clicked.emit(index, self._keys.get(bar_set.label(), ""))

    def bar_point(self, index: int, key: str):
        """Where on the screen (viewport coordinates) the middle of a bar is drawn."""
        keys = list(self.sets)
        values = self.sets[key]
        if self.stacked:
            below = sum(self.sets[k][index] for k in keys[: keys.index(key)])
            x, y = float(index), below + values[index] / 2
        else:
            width = 0.8 / len(keys)
            x = index - 0.4 + width * (keys.index(key) + 0.5)
            y = values[index] / 2
        scene = self.chart().mapToPosition(QPointF(x, y), self.series)
        return self.mapFromScene(scene)
