"""Line losses (线损): a building's master meter against its stalls' meters per day or month,
as a table and a bar chart (above the building's threshold in red); a month's loss taken into
the master meter's shared-cost pool; which meter is a building's master meter."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.comm.types import MeterKind
from app.models.money import fmt_yuan
from app.services.market.stalls import building_rows
from app.services.money import losses
from app.services.money.losses import BuildingLosses, LossRow
from app.services.platform.context import Changes, May, ServiceError
from app.ui import site_time
from app.ui.client import Client
from app.ui.errors import error_text
from app.ui.labels import label, yes_no
from app.ui.ops import DbOp, QueryOp
from app.ui.tables.columns import CENTER, RIGHT, Column, number, text
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View

qty = number(3)
COLUMNS = [
    Column("first", QT_TRANSLATE_NOOP("Columns", "From"), text, width=90),
    Column("last", QT_TRANSLATE_NOOP("Columns", "To"), text, width=90),
    Column("master", QT_TRANSLATE_NOOP("Columns", "Master meter"), qty, RIGHT, width=100),
    Column("stalls", QT_TRANSLATE_NOOP("Columns", "Stalls' meters"), qty, RIGHT, width=100),
    Column("loss", QT_TRANSLATE_NOOP("Columns", "Loss"), qty, RIGHT, width=90),
    Column("percent", QT_TRANSLATE_NOOP("Columns", "Loss %"), number(2), RIGHT, width=70),
    Column("is_flagged", QT_TRANSLATE_NOOP("Columns", "Above threshold"), yes_no, CENTER, width=90),
]
DAYS, MONTHS = 31, 12


class LossesView(View):
    cares_about = (Changes.READINGS, Changes.METERS, Changes.SETTINGS, Changes.BILLS)

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.building = QComboBox(self)
        self.kind = QComboBox(self)
        for k in (MeterKind.ELECTRIC, MeterKind.WATER):
            self.kind.addItem(label(k), k.value)
        self.by = QComboBox(self)
        self.by.addItem(self.tr("Per day, last 31 days"), False)
        self.by.addItem(self.tr("Per month, last 12 months"), True)
        for box in (self.building, self.kind, self.by):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self.refresh)
        self.master_button = QPushButton(self.tr("Master meter …"), self)
        self.master_button.clicked.connect(self.choose_master)
        self.master_button.setVisible(client.may(May.EDIT_METERS))
        self.threshold_button = QPushButton(self.tr("Threshold …"), self)
        self.threshold_button.clicked.connect(self.set_threshold)
        self.threshold_button.setVisible(client.may(May.EDIT_BUILDINGS))
        self.pool_button = QPushButton(self.tr("Take into shared cost …"), self)
        self.pool_button.clicked.connect(self.take_into_pool)
        self.pool_button.setVisible(client.may(May.GENERATE_SHARED_COST_BILLS))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Building")))
        top.addWidget(self.building)
        top.addWidget(self.kind)
        top.addWidget(self.by)
        top.addStretch(1)
        for b in (self.master_button, self.threshold_button, self.pool_button):
            top.addWidget(b)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = RowTableModel(COLUMNS, key=lambda r: r.first, parent=self)
        self.table = FilteredTable("losses", self.model, self)
        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart_view, 3)
        layout.addWidget(self.table, 2)
        self._result: BuildingLosses | None = None

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        actor, site_id = self.client.actor, self.client.site_id
        building_id = self.building.currentData()
        kind = MeterKind(self.kind.currentData())
        monthly = bool(self.by.currentData())
        today = site_time.now().date()
        if monthly:
            first = (today.replace(day=1) - timedelta(days=31 * (MONTHS - 1))).replace(day=1)
        else:
            first = today - timedelta(days=DAYS - 1)

        def body(s):
            buildings = [(b.id, b.name) for b in building_rows(s, site_id)]
            chosen = building_id if building_id is not None else (buildings or [(None,)])[0][0]
            result: BuildingLosses | str | None = None
            if chosen is not None:
                try:
                    result = losses.building_losses(
                        s, actor, chosen, kind, first, today, monthly=monthly
                    )
                except ServiceError as exc:  # no master meter yet: said in the view
                    result = error_text(exc)
            return buildings, chosen, result

        QueryOp(self, body).success(self._loaded).run()

    def _loaded(self, loaded) -> None:
        buildings, chosen, result = loaded
        self.building.blockSignals(True)
        self.building.clear()
        for bid, name in buildings:
            self.building.addItem(name, bid)
        self.building.setCurrentIndex(max(0, self.building.findData(chosen)))
        self.building.blockSignals(False)
        self._result = result if isinstance(result, BuildingLosses) else None
        rows = self._result.rows if self._result else ()
        self.model.set_rows(list(rows))
        if isinstance(result, str):
            self.summary.setText(result)
        elif self._result is not None:
            r = self._result
            total_master = sum((x.master for x in rows), Decimal(0))
            total_loss = sum((x.loss for x in rows), Decimal(0))
            pct = f"{total_loss * 100 / total_master:.2f}" if total_master else "—"
            self.summary.setText(
                self.tr(
                    "Master meter %1, stalls' meters %2, loss %3 (%4 %); threshold %5 %, "
                    "%6 periods above it."
                )
                .replace("%1", qty(total_master))
                .replace("%2", qty(sum((x.stalls for x in rows), Decimal(0))))
                .replace("%3", qty(total_loss))
                .replace("%4", pct)
                .replace("%5", f"{r.threshold_pct:.2f}")
                .replace("%6", str(losses.flagged(rows)))
            )
        else:
            self.summary.setText(self.tr("Add a building first (Settings → Buildings)."))
        self._draw(rows)
        self.mark_loaded()

    def _draw(self, rows: tuple[LossRow, ...] | list[LossRow]) -> None:
        """Loss per period: within the threshold grey-blue, above it red (one stacked bar
        each, so a bar has one colour)."""
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        within = QBarSet(self.tr("Loss within threshold"))
        above = QBarSet(self.tr("Loss above threshold"))
        within.setColor(QColor("#5b8def"))
        above.setColor(QColor("#d93025"))
        monthly = bool(self.by.currentData())
        names = []
        for r in rows:
            value = float(r.loss)
            within.append(0.0 if r.is_flagged else value)
            above.append(value if r.is_flagged else 0.0)
            # 31 days fit under the bars only as day numbers; the table has the dates
            names.append(r.first.strftime("%y-%m") if monthly else r.first.strftime("%d"))
        series = QStackedBarSeries()
        series.append(within)
        series.append(above)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(names)
        if not monthly:
            x.setLabelsAngle(-90)  # 31 day numbers fit under the bars only standing up
        y = QValueAxis()
        low = min((float(r.loss) for r in rows), default=0.0)
        high = max((float(r.loss) for r in rows), default=0.0)
        y.setRange(min(0.0, low), high * 1.1 if high > 0 else 1.0)
        unit = losses.UNIT[MeterKind(self.kind.currentData())]
        y.setTitleText(self.tr("Loss (%1)").replace("%1", unit))
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    # ------------------------------------------------------------------ actions
    def choose_master(self) -> None:
        actor = self.client.actor
        QueryOp(self, lambda s: losses.meters_without_stall(s, actor)).success(
            self._choose_master
        ).run()

    def _choose_master(self, meters) -> None:
        if not meters:
            QMessageBox.information(
                self,
                self.tr("Master meter"),
                self.tr(
                    "There is no meter without a stall. Add the master meter under Meters, "
                    "bound to no stall, first."
                ),
            )
            return
        building_id, building = self.building.currentData(), self.building.currentText()
        names = [f"{m.address} ({label(m.kind)})" for m in meters]
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("Master meter"),
            self.tr("The master meter of building %1:").replace("%1", building),
            names,
            0,
            False,
        )
        if not ok:
            return
        meter = meters[names.index(choice)]
        actor = self.client.actor
        DbOp(
            self,
            lambda s: losses.set_master_meter(s, actor, meter.meter_id, building_id),
            changes=Changes.METERS,
        ).run()

    def set_threshold(self) -> None:
        building_id = self.building.currentData()
        if building_id is None:
            return
        current = float(self._result.threshold_pct) if self._result else 5.0
        value, ok = QInputDialog.getDouble(
            self,
            self.tr("Loss threshold"),
            self.tr("Flag the days and months of building %1 whose loss is above (%):").replace(
                "%1", self.building.currentText()
            ),
            current,
            0.0,
            100.0,
            2,
        )
        if not ok:
            return
        actor = self.client.actor
        DbOp(
            self,
            lambda s: losses.set_loss_threshold(s, actor, building_id, f"{value:.2f}"),
            changes=Changes.SETTINGS,
        ).run()

    def take_into_pool(self) -> None:
        row: LossRow | None = self.table.current_row()
        building_id = self.building.currentData()
        if row is None or building_id is None:
            QMessageBox.information(
                self,
                self.tr("Take into shared cost"),
                self.tr("Choose a period (a month is usual) in the table first."),
            )
            return
        actor, kind = self.client.actor, MeterKind(self.kind.currentData())
        QueryOp(self, lambda s: losses.pools_for(s, actor, building_id, kind)).success(
            lambda pools: self._take(row, building_id, pools)
        ).run()

    def _take(self, row: LossRow, building_id: int, pools) -> None:
        if not pools:
            QMessageBox.information(
                self,
                self.tr("Take into shared cost"),
                self.tr(
                    "No shared cost is metered by this building's master meter. Set one up "
                    "under Shared costs (with this master meter), then come back."
                ),
            )
            return
        names = [name for _, name in pools]
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("Take into shared cost"),
            self.tr("Share the loss of %1 to %2 (%3) among the stalls through:")
            .replace("%1", row.first.isoformat())
            .replace("%2", row.last.isoformat())
            .replace("%3", qty(row.loss)),
            names,
            0,
            False,
        )
        if not ok:
            return
        pool_id = pools[names.index(choice)][0]
        actor = self.client.actor
        DbOp(
            self,
            lambda s: losses.take_loss_into_pool(
                s, actor, building_id, pool_id, row.first, row.last
            ),
            changes=Changes.BILLS,
        ).success(
            lambda run: QMessageBox.information(
                self,
                self.tr("Take into shared cost"),
                self.tr(
                    "Shared bills generated: ¥%1 for %2 stalls. Review and issue them under "
                    "Shared costs."
                )
                .replace("%1", fmt_yuan(run.amount))
                .replace("%2", str(len(run.bill_ids))),
            )
        ).run()
