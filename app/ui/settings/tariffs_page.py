"""Tariffs (电价 / 水价): flat, time-of-use (尖峰平谷, up to 8 periods) or tiered.

Periods are typed as "08:00=峰, 11:00=尖, 22:00=谷" and tiers as "200=0.6, 400=0.8, =1.0"
(the last tier has no upper limit): one line instead of a grid, checked by the service."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.comm.types import MeterKind
from app.models.tariff import RATE_NAMES, TariffMode
from app.services.money import tariffs
from app.services.money.amounts import parse_amount
from app.services.platform.context import May, ServiceError
from app.services.money.tariffs import TariffPlan, TariffSpec
from app.ui.client import Client
from app.ui.labels import label
from app.ui.ops import QueryOp
from app.ui.settings.page import RecordDialog, TablePage
from app.ui.tables.columns import CENTER, Column
from app import words
from app.words import Word

TIER_NOT_WRITTEN_RIGHT_WRITE = Word("tariffs_page.tier_not_written_right_write", words.QT_TRANSLATE_NOOP("Errors", "Tier “{part}” is not written right. Write it like 200=0.60, and the last tier like =1.00"))
PERIOD_NOT_WRITTEN_RIGHT_WRITE = Word("tariffs_page.period_not_written_right_write", words.QT_TRANSLATE_NOOP("Errors", "Period “{part}” is not written right. Write it like 08:00=2 (rate 1–4), with commas between periods"))


def describe(plan: TariffPlan) -> str:
    if plan.mode == TariffMode.TOU:
        return "  ".join(f"{RATE_NAMES[r - 1]} {p:.4f}" for r, p in sorted(plan.rate_prices.items()))
    if plan.mode == TariffMode.TIERED:
        parts, below = [], None
        for up_to, price in plan.tiers:
            limit = f"≤{up_to.normalize():f}" if up_to is not None else f">{below.normalize():f}" if below is not None else ""
            parts.append(f"{limit}: {price:.4f}")
            below = up_to
        return "  ".join(parts)
    return f"{plan.price:.4f}"


COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Tariff"), width=140),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Type"), label, CENTER, width=70),
    Column("mode", QT_TRANSLATE_NOOP("Columns", "Mode"), label, CENTER, width=80),
    Column("prices", QT_TRANSLATE_NOOP("Columns", "Prices (¥ per kWh / m³)"), get=describe, width=380),
]


def _money(text: str, what: str, what_en: str) -> Decimal:
    """A price (yuan, four decimals) or a usage limit, read by the one amount rule."""
    return parse_amount(text, allow_zero=True, places=4, maximum=None, what=what, what_en=what_en)


def parse_periods(text: str) -> list[tuple[int, int]]:
    periods = []
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        try:
            clock, rate = part.split("=")
            hh, mm = clock.strip().split(":")
            rate = rate.strip()
            rate_no = RATE_NAMES.index(rate) + 1 if rate in RATE_NAMES else int(rate)
            periods.append((int(hh) * 60 + int(mm), rate_no))
        except ValueError:
            raise ServiceError(PERIOD_NOT_WRITTEN_RIGHT_WRITE, part=part) from None
    return periods


def parse_tiers(text: str) -> list[tuple[Decimal | None, Decimal]]:
    tiers = []
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        if "=" not in part:
            raise ServiceError(TIER_NOT_WRITTEN_RIGHT_WRITE, part=part)
        up_to, price = part.split("=")
        tiers.append((_money(up_to, "用量上限", "The usage limit") if up_to.strip() else None, _money(price, "单价", "The price")))
    return tiers


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
        self.periods.setPlaceholderText("00:00=谷, 08:00=峰, 11:00=尖, 13:00=平, 22:00=谷")
        self.tiers = QLineEdit(self)
        self.tiers.setPlaceholderText("200=0.60, 400=0.80, =1.00")
        if plan:
            self.kind.setCurrentIndex(self.kind.findData(str(plan.kind)))
            self.mode.setCurrentIndex(self.mode.findData(str(plan.mode)))
            for r, edit in enumerate(self.rates, start=1):
                if r in plan.rate_prices:
                    edit.setText(f"{plan.rate_prices[r]:.4f}")
            self.periods.setText(", ".join(f"{m // 60:02d}:{m % 60:02d}={RATE_NAMES[r - 1]}" for m, r in plan.periods))
            self.tiers.setText(", ".join(f"{'' if u is None else u}={p:.4f}" for u, p in plan.tiers))
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
        mode = TariffMode(self.mode.currentData())
        rate_prices = {r: _money(e.text(), f"{RATE_NAMES[r - 1]}的单价", f"The price of {RATE_NAMES[r - 1]}") for r, e in enumerate(self.rates, 1) if e.text().strip()}
        tiers = parse_tiers(self.tiers.text()) if mode is TariffMode.TIERED else []
        price = _money(self.price.text() or (str(tiers[0][1]) if tiers else "0"), "单价", "The price")
        spec = TariffSpec(
            self.name.text(), MeterKind(self.kind.currentData()), mode, price,
            rate_prices if mode is TariffMode.TOU else None,
            parse_periods(self.periods.text()) if mode is TariffMode.TOU else (), tiers,
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
        self.build_table(COLUMNS, "settings_tariffs", self.tr("Add tariff …"), self.tr("Edit …"),
                         add=May.ADD_TARIFFS, edit=May.EDIT_TARIFFS, hide_when_read_only=True)

    def load(self) -> None:
        QueryOp(self, lambda s: tariffs.list_tariffs(s, self.client.site_id)).success(self.model.set_rows).run()

    def edit(self, plan: TariffPlan | None) -> None:
        if self.client.may(May.ADD_TARIFFS if plan is None else May.EDIT_TARIFFS):
            self.open_dialog(TariffDialog(self, self.client.actor, plan))
