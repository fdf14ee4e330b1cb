"""Under a stall's card: its usage of the last 30 days as bars, and its last recharges."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.comm.types import MeterKind
from app.models.money import fmt_yuan
from app.services.office.overview import StallRecent, stall_recent
from app.ui.charts import BarChart
from app.ui.client import Client
from app.ui.labels import label
from app.ui.ops import QueryOp
from app.ui.tables.columns import local_time

UNITS = {MeterKind.ELECTRIC: "kWh", MeterKind.WATER: "m³"}


class StallRecentWidget(QWidget):
    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(parent)
        self.client = client
        self.stall_id: int | None = None
        self.recent: StallRecent | None = None
        self.chart = BarChart(self.tr("Usage, last 30 days"), self)
        self.chart.setMinimumHeight(200)
        self.recharges = QLabel(self)
        self.recharges.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart)
        layout.addWidget(QLabel("<b>" + self.tr("Last recharges") + "</b>", self))
        layout.addWidget(self.recharges)
        self.setVisible(False)

    def show_stall(self, stall_id: int | None) -> None:
        self.stall_id = stall_id
        if stall_id is None:
            self.setVisible(False)
            return
        site_id = self.client.site_id
        QueryOp(self, lambda s: stall_recent(s, site_id, stall_id)).success(
            lambda recent, asked=stall_id: self._show(asked, recent)
        ).run()

    def _show(self, stall_id: int, recent: StallRecent) -> None:
        if stall_id != self.stall_id:
            return  # another stall was chosen meanwhile
        self.recent = recent
        days = [d.strftime("%m-%d") for d in recent.days]
        # electricity first; a water-only stall shows its water
        kinds = sorted(recent.usage, key=lambda k: k is not MeterKind.ELECTRIC)
        if kinds:
            kind = kinds[0]
            self.chart.set_bars(
                days,
                [(str(kind), label(kind), [recent.usage[kind][d] for d in recent.days])],
                UNITS[kind],
                every=10,
            )
        self.chart.setVisible(bool(kinds))
        self.recharges.setText(
            "\n".join(
                f"{local_time(r.at)}   {label(r.what)}   ¥ {fmt_yuan(r.value)}"
                for r in recent.recharges
            )
            or self.tr("No recharge yet.")
        )
        self.setVisible(True)
