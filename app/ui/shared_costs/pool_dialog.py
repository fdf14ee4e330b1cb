"""A new shared-cost pool (公摊): who shares (a building, or stalls ticked one by one), what
(electricity or water), where the pool comes from (a master meter minus the stalls' own
meters, or an amount typed at each run) and how it is split."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.comm.types import MeterKind
from app.models.money import AmountError
from app.models.shared_cost import ShareMethod
from app.services.money import shared_costs
from app.services.money.shared_costs import PoolChoices
from app.ui.errors import error_text

METHOD_TITLES = {
    ShareMethod.MANUAL: QT_TRANSLATE_NOOP("SharedCosts", "Manual coefficient per stall"),
    ShareMethod.BY_USAGE: QT_TRANSLATE_NOOP("SharedCosts", "Automatic: by each stall's usage"),
    ShareMethod.BY_AREA: QT_TRANSLATE_NOOP("SharedCosts", "Automatic: by area (m²)"),
    ShareMethod.FIXED: QT_TRANSLATE_NOOP("SharedCosts", "Fixed amount per stall"),
}


class PoolDialog(QDialog):
    """`values()` → keyword arguments of shared_costs.create_pool; `problem()` says what is
    missing."""

    def __init__(self, choices: PoolChoices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New shared cost"))
        self.choices = choices
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. Building A common lighting"))
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Electricity"), MeterKind.ELECTRIC.value)
        self.kind.addItem(self.tr("Water"), MeterKind.WATER.value)
        self.kind.currentIndexChanged.connect(self._fill_meters)

        self.by_building = QRadioButton(self.tr("A whole building"), self)
        self.by_stalls = QRadioButton(self.tr("Chosen stalls"), self)
        self.by_building.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_building)
        group.addButton(self.by_stalls)
        self.building = QComboBox(self)
        for bid, bname in choices.buildings:
            self.building.addItem(bname, bid)
        self.stalls = QListWidget(self)
        for st in choices.stalls:
            item = QListWidgetItem(f"{st.code}  {st.name}")
            item.setData(Qt.ItemDataRole.UserRole, st.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.stalls.addItem(item)
        for w in (self.by_building, self.by_stalls, self.building):
            (w.toggled if isinstance(w, QRadioButton) else w.currentIndexChanged).connect(
                self._members_changed
            )
        self.stalls.itemChanged.connect(self._members_changed)

        self.master = QComboBox(self)
        self.price = QLineEdit(self)
        self.price.setPlaceholderText(
            self.tr("yuan per kWh / m³; empty: the master meter's tariff")
        )
        self.method = QComboBox(self)
        for m, title in METHOD_TITLES.items():
            self.method.addItem(QCoreApplication.translate("SharedCosts", title), m.value)
        self.method.setCurrentIndex(1)
        self.method.currentIndexChanged.connect(self._members_changed)
        self.values = QTableWidget(0, 2, self)
        self.values.setHorizontalHeaderLabels([self.tr("Stall"), self.tr("Value")])
        self.values.horizontalHeader().setStretchLastSection(True)
        self.values.verticalHeader().setVisible(False)
        self.values_label = QLabel(self)
        # 追加公摊: a second cost of the same stalls and kind over the same days (the lift on
        # top of the lighting). Ordinary pools that overlap are refused; this one says why not.
        self.additional = QCheckBox(
            self.tr("Additional pool: may overlap the periods of other pools of these stalls"), self
        )
        self.additional_reason = QLineEdit(self)
        self.additional_reason.setPlaceholderText(
            self.tr("Why this cost is billed besides the others, e.g. the lift")
        )
        self.additional_reason.setMaxLength(200)
        self.additional_reason.setEnabled(False)
        self.additional.toggled.connect(self.additional_reason.setEnabled)

        who = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(self.by_building)
        row.addWidget(self.building, 1)
        who.addLayout(row)
        who.addWidget(self.by_stalls)
        who.addWidget(self.stalls)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Electricity or water"), self.kind)
        form.addRow(self.tr("Who shares"), who)
        form.addRow(self.tr("Pool from"), self.master)
        form.addRow(self.tr("Price"), self.price)
        form.addRow(self.tr("Split"), self.method)
        form.addRow(self.values_label, self.values)
        form.addRow(self.additional)
        form.addRow(self.tr("Reason"), self.additional_reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 640)
        self._fill_meters()
        self._members_changed()

    def _fill_meters(self) -> None:
        kind = MeterKind(self.kind.currentData())
        self.master.clear()
        self.master.addItem(self.tr("An amount typed in at each run (no master meter)"), None)
        for m in self.choices.master_meters:
            if m.kind is kind:
                self.master.addItem(
                    self.tr("Master meter %1 minus the stalls' meters").replace("%1", m.address),
                    m.id,
                )

    def member_ids(self) -> list[int]:
        if self.by_building.isChecked():
            bid = self.building.currentData()
            return [s.id for s in self.choices.stalls if s.building_id == bid]
        return [
            self.stalls.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.stalls.count())
            if self.stalls.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _members_changed(self, *_args) -> None:
        method = ShareMethod(self.method.currentData())
        per_stall = method in (ShareMethod.MANUAL, ShareMethod.FIXED)
        self.values.setVisible(per_stall)
        self.values_label.setText(
            self.tr("Coefficient per stall")
            if method is ShareMethod.MANUAL
            else self.tr("Yuan per stall per period")
            if per_stall
            else ""
        )
        codes = {s.id: s.code for s in self.choices.stalls}
        # Typed values survive a change of members, not a change of method (other units).
        old = self.typed_values() if method is getattr(self, "_values_method", None) else {}
        self._values_method = method
        ids = self.member_ids()
        self.values.setRowCount(len(ids))
        for r, sid in enumerate(ids):
            code = QTableWidgetItem(codes[sid])
            code.setFlags(code.flags() & ~Qt.ItemFlag.ItemIsEditable)
            code.setData(Qt.ItemDataRole.UserRole, sid)
            self.values.setItem(r, 0, code)
            self.values.setItem(
                r, 1, QTableWidgetItem(old.get(sid, "1" if method is ShareMethod.MANUAL else ""))
            )

    def typed_values(self) -> dict[int, str]:
        out = {}
        for r in range(self.values.rowCount()):
            code, value = self.values.item(r, 0), self.values.item(r, 1)
            if code is not None and value is not None:
                out[code.data(Qt.ItemDataRole.UserRole)] = value.text().strip()
        return out

    def set_value(self, stall_id: int, text: str) -> None:
        for r in range(self.values.rowCount()):
            if self.values.item(r, 0).data(Qt.ItemDataRole.UserRole) == stall_id:
                self.values.item(r, 1).setText(text)

    def problem(self) -> str:
        """'' when the form can be saved, else what to fill in (the service checks again)."""
        try:
            self.pool_values()
        except ValueError as exc:
            return str(exc)
        return ""

    def pool_values(self) -> dict:
        name = self.name.text().strip()
        if not name:
            raise ValueError(
                QCoreApplication.translate(
                    "PoolDialog",
                    "Type a name for the shared cost, e.g. “Building A common lighting”.",
                )
            )
        ids = self.member_ids()
        if not ids:
            raise ValueError(
                QCoreApplication.translate(
                    "PoolDialog",
                    "No stalls share this cost: choose a building with stalls, or tick the stalls.",
                )
            )
        method = ShareMethod(self.method.currentData())
        price = None
        if self.price.text().strip():
            price = _typed(shared_costs.parse_pool_price, self.price.text())
        values: dict[int, Decimal] = {}
        if method in (ShareMethod.MANUAL, ShareMethod.FIXED):
            codes = {s.id: s.code for s in self.choices.stalls}
            values = _typed(shared_costs.parse_shares, method, self.typed_values(), codes)
        reason = ""
        if self.additional.isChecked():
            reason = self.additional_reason.text().strip()
            if not reason:
                raise ValueError(
                    QCoreApplication.translate(
                        "PoolDialog",
                        "An additional pool needs its reason: type why this cost is billed "
                        "besides the others.",
                    )
                )
        out = dict(
            name=name,
            kind=MeterKind(self.kind.currentData()),
            method=method,
            master_meter_id=self.master.currentData(),
            price=price,
            additional_reason=reason,
        )
        if self.by_building.isChecked():
            out["building_id"] = self.building.currentData()
        else:
            out["stall_ids"] = ids
        if method is ShareMethod.MANUAL:
            out["coefficients"] = values
        elif method is ShareMethod.FIXED:
            out["fixed_amounts"] = values
        return out

    def _accept(self) -> None:
        text = self.problem()
        if text:
            self.error.setText(text)
            return
        self.accept()


def _typed(parse, *args):
    """A number read by the service's parser (the one amount rule, app.services.money.amounts),
    its complaint in the client's language for the dialog's own error line."""
    try:
        return parse(*args)
    except AmountError as exc:
        raise ValueError(error_text(exc)) from None
