"""Tariffs (电价 / 水价): flat, time-of-use (尖峰平谷, up to 8 periods) or tiered.

Periods are typed as "08:00=峰, 11:00=尖, 22:00=谷" and tiers as "200=0.6, 400=0.8, =1.0"
(the last tier has no upper limit): one line instead of a grid, checked by the service."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.comm.types import MeterKind
from app.models.tariff import RATE_NAMES, TariffMode
from app.services.money import tariffs
from app.services.money.tariffs import TariffPlan
from app.services.platform.context import May
from app.ui.client import Client
from app.ui.labels import label
from app.ui.ops import QueryOp
from app.ui.settings.page import RecordDialog, TablePage
from app.ui.tables.columns import CENTER, Column


def describe(plan: TariffPlan) -> str:
    if plan.mode == TariffMode.TOU:
        return "  ".join(
            f"{RATE_NAMES[r - 1]} {p:.4f}" for r, p in sorted(plan.rate_prices.items())
        )
    if plan.mode == TariffMode.TIERED:
        parts, below = [], None
        for up_to, price in plan.tiers:
            limit = (
                f"≤{up_to.normalize():f}"
                if up_to is not None
                else f">{below.normalize():f}"
                if below is not None
                else ""
            )
            parts.append(f"{limit}: {price:.4f}")
            below = up_to
        return "  ".join(parts)
    return f"{plan.price:.4f}"


COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Tariff"), width=140),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Type"), label, CENTER, width=70),
    Column("mode", QT_TRANSLATE_NOOP("Columns", "Mode"), label, CENTER, width=80),
    Column(
        "prices", QT_TRANSLATE_NOOP("Columns", "Prices (¥ per kWh / m³)"), get=describe, width=380
    ),
]


class TariffDialog(RecordDialog):
    def __init__(self, parent: QWidget, actor, plan: TariffPlan | None):
        super().__init__(parent, self.tr("Tariff"))
        self.actor, self.plan = actor, plan
        self.name = QLineEdit(plan.name if plan else "", self)
        self.kind = QComboBox(self)
        for k in MeterKind:
            self.kind.addItem(label(k), k.value)
        self.mode = QComboBox(self)
        for m in TariffMode:
            self.mode.addItem(label(m), m.value)
        self.price = QLineEdit(f"{plan.price:.4f}" if plan else "", self)
        self.rates = [QLineEdit(self) for _ in RATE_NAMES]
        self.periods = QLineEdit(self)
        sharp, peak, flat, valley = (
            RATE_NAMES  # the rates as typed (尖 峰 平 谷), data the parser reads
        )
        self.periods.setPlaceholderText(
            f"00:00={valley}, 08:00={peak}, 11:00={sharp}, 13:00={flat}, 22:00={valley}"
        )
        self.tiers = QLineEdit(self)
        self.tiers.setPlaceholderText("200=0.60, 400=0.80, =1.00")
        if plan:
            self.kind.setCurrentIndex(self.kind.findData(str(plan.kind)))
            self.mode.setCurrentIndex(self.mode.findData(str(plan.mode)))
            for r, edit in enumerate(self.rates, start=1):
                if r in plan.rate_prices:
                    edit.setText(f"{plan.rate_prices[r]:.4f}")
            self.periods.setText(
                ", ".join(
                    f"{m // 60:02d}:{m % 60:02d}={RATE_NAMES[r - 1]}" for m, r in plan.periods
                )
            )
            self.tiers.setText(
                ", ".join(f"{'' if u is None else u}={p:.4f}" for u, p in plan.tiers)
            )
        rates_row = QHBoxLayout()
        for name, edit in zip(RATE_NAMES, self.rates, strict=True):
            rates_row.addWidget(QLabel(name))
            rates_row.addWidget(edit)
        form = self.form
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("For"), self.kind)
        form.addRow(self.tr("Mode"), self.mode)
        form.addRow(self.tr("Price (flat, or first tier)"), self.price)
        form.addRow(self.tr("Time-of-use prices"), rates_row)
        form.addRow(self.tr("Time-of-use periods"), self.periods)
        form.addRow(self.tr("Tiers (monthly usage = price)"), self.tiers)

    def body(self):
        spec = tariffs.read_tariff(
            self.name.text(),
            MeterKind(self.kind.currentData()),
            TariffMode(self.mode.currentData()),
            self.price.text(),
            {r: e.text() for r, e in enumerate(self.rates, 1)},
            self.periods.text(),
            self.tiers.text(),
        )
        actor, plan = self.actor, self.plan
        if plan is None:
            return lambda s: tariffs.create_tariff(s, actor, spec)
        return lambda s: tariffs.update_tariff(s, actor, plan.id, spec)


class TariffsPage(TablePage):
    NAME = "tariffs"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Tariffs")
    SORT_ORDER = 20

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        # A cashier may look at tariffs but not change them.
        self.build_table(
            COLUMNS,
            "settings_tariffs",
            self.tr("Add tariff …"),
            self.tr("Edit …"),
            add=May.ADD_TARIFFS,
            edit=May.EDIT_TARIFFS,
            hide_when_read_only=True,
        )

    def load(self) -> None:
        QueryOp(self, lambda s: tariffs.list_tariffs(s, self.client.site_id)).success(
            self.model.set_rows
        ).run()

    def edit(self, plan: TariffPlan | None) -> None:
        if self.client.may(May.ADD_TARIFFS if plan is None else May.EDIT_TARIFFS):
            self.open_dialog(TariffDialog(self, self.client.actor, plan))
