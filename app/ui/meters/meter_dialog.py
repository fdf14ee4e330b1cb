"""Add or change one meter (表计) of a stall, and replace one (换表)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QLineEdit, QSpinBox, QWidget

from app.comm.types import MeterKind, Protocol
from app.services.market import meters
from app.services.market.meters import MeterDetail, MeterFormChoices, ProfileChoice
from app.services.platform.context import Changes
from app.ui.client import Client
from app.ui.settings.page import RecordDialog

METER_CHANGES = Changes.METERS | Changes.STALLS
KINDS = (MeterKind.ELECTRIC, MeterKind.WATER)
DEFAULT_PROFILE = {MeterKind.ELECTRIC: "acrel_ddsy1352_mapb", MeterKind.WATER: "nb_water_ctwing"}
PROTOCOL_NAMES = {
    Protocol.DLT645_2007: "DL/T 645-2007",
    Protocol.DLT645_1997: "DL/T 645-1997",
    Protocol.MODBUS_ACREL: "Modbus",
    Protocol.CTWING_WATER: "NB (CTWing)",
}


class _CodeCompleter(QCompleter):
    """Matches "code  name" anywhere; a chosen line puts only the stall code in the field."""

    def pathFromIndex(self, index) -> str:
        return (index.data() or "").split("  ", 1)[0]


def profile_text(choice: ProfileChoice) -> str:
    """How a profile is shown in the combo: the model first, the profile's file name after."""
    if not choice.profile:
        return PROTOCOL_NAMES[choice.protocol]
    if choice.protocol is Protocol.CTWING_WATER:
        return QCoreApplication.translate("MeterDialog", "NB water meter (%1)").replace(
            "%1", choice.profile
        )
    return f"{choice.model or choice.profile} ({choice.profile})"


def kind_text(kind: MeterKind) -> str:
    if kind is MeterKind.ELECTRIC:
        return QCoreApplication.translate("MeterDialog", "Electricity meter")
    return QCoreApplication.translate("MeterDialog", "Water meter")


def fill_channels(combo: QComboBox, choices: MeterFormChoices) -> None:
    for c in choices.channels:
        combo.addItem(c.name, c.id)


def fill_profiles(combo: QComboBox, choices: MeterFormChoices, kind: MeterKind) -> None:
    for p in choices.profiles:
        if p.kind is None or p.kind is kind:
            combo.addItem(profile_text(p), p)
            combo.setItemData(combo.count() - 1, p.description, Qt.ItemDataRole.ToolTipRole)


class MeterDialog(RecordDialog):
    """Add a meter (detail None; `stall_code` prefilled) or change one. Save runs one
    service call; what it refuses (an address already on the channel …) is shown under
    the form and the dialog stays open with what was typed."""

    CHANGES = METER_CHANGES

    def __init__(
        self,
        parent: QWidget,
        client: Client,
        choices: MeterFormChoices,
        detail: MeterDetail | None = None,
        stall_code: str = "",
        channel_id: int | None = None,
        kind: MeterKind | str | None = None,
    ):
        title = (
            self.tr("Add meter")
            if detail is None
            else self.tr("Edit meter %1").replace("%1", detail.address)
        )
        super().__init__(parent, title)
        self.setMinimumWidth(520)
        self.client, self.choices, self.detail = client, choices, detail
        self.stall_by_code = {s.code: s.id for s in choices.stalls}
        self.stall = QLineEdit(detail.stall_code if detail else stall_code, self)
        self.stall.setPlaceholderText(
            self.tr("Stall code; empty for a meter of no stall (master meter)")
        )
        lines = QStringListModel(
            [f"{s.code}  {s.name}" if s.name else s.code for s in choices.stalls], self
        )
        self.completer = _CodeCompleter(lines, self)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.stall.setCompleter(self.completer)
        self.kind = QComboBox(self)
        for k in KINDS:
            self.kind.addItem(kind_text(k), k)
        self.profile = QComboBox(self)
        self.model = QLineEdit(detail.model if detail else "", self)
        self.channel = QComboBox(self)
        fill_channels(self.channel, choices)
        self.channel.addItem(self.tr("No channel (not read)"), None)
        self.address = QLineEdit(detail.address if detail else "", self)
        self.address.setPlaceholderText(
            self.tr("Slave id on an RS485 line, meter number, or NB device id")
        )
        self.tariff = QComboBox(self)
        self.ct_ratio = QSpinBox(self)
        self.ct_ratio.setRange(1, 100000)
        self.ct_ratio.setValue(detail.ct_ratio if detail else 1)
        if detail is None and kind is not None:
            self.kind.setCurrentIndex(KINDS.index(MeterKind(kind)))  # the chosen row's kind
        if detail is None and channel_id is not None:
            self.channel.setCurrentIndex(
                max(0, self.channel.findData(channel_id))
            )  # the chosen row's line
        if detail is not None:
            self.kind.setCurrentIndex(KINDS.index(detail.kind))
            self.kind.setEnabled(False)  # a meter's kind never changes
            self.stall.setEnabled(False)  # moving a meter between stalls is not a correction
            at = self.channel.findData(detail.channel_id) if detail.channel_id is not None else -1
            self.channel.setCurrentIndex(at if at >= 0 else self.channel.count() - 1)
        self._fill_for_kind()
        self.kind.currentIndexChanged.connect(self._fill_for_kind)
        self.profile.currentIndexChanged.connect(self._profile_picked)
        form = self.form
        form.addRow(self.tr("Stall"), self.stall)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Model / profile"), self.profile)
        form.addRow(self.tr("Model (as on the nameplate)"), self.model)
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Meter address"), self.address)
        form.addRow(self.tr("Tariff"), self.tariff)
        form.addRow(self.tr("CT ratio"), self.ct_ratio)
        if not choices.channels:
            form.addRow(
                QLabel(
                    self.tr(
                        "Add a channel under Settings → Channels first, or the meter is not read."
                    )
                )
            )

    def _fill_for_kind(self) -> None:
        kind = MeterKind(self.kind.currentData())
        d = self.detail
        self.profile.blockSignals(True)
        self.profile.clear()
        known = (
            any(p.profile == d.profile and p.protocol is d.protocol for p in self.choices.profiles)
            if d
            else True
        )
        if d is not None and not known:
            # Set by the import or the demo: kept as it is unless another is chosen.
            self.profile.addItem(
                self.tr("As now: %1").replace("%1", d.profile or PROTOCOL_NAMES[d.protocol]), None
            )
        fill_profiles(self.profile, self.choices, kind)
        for i in range(self.profile.count()):
            p = self.profile.itemData(i)
            if p is not None and (
                p.profile == d.profile and p.protocol is d.protocol
                if d
                else p.profile == DEFAULT_PROFILE[kind]
            ):
                self.profile.setCurrentIndex(i)
        self.profile.blockSignals(False)
        if d is None:
            self._profile_picked()
        self.tariff.clear()
        self.tariff.addItem(self.tr("No tariff (not billed)"), None)
        for t in self.choices.tariffs:
            if t.kind == kind.value:
                self.tariff.addItem(t.name, t.id)
        if d is not None:
            self.tariff.setCurrentIndex(max(0, self.tariff.findData(d.tariff_id)))
        elif self.tariff.count() > 1:
            self.tariff.setCurrentIndex(1)

    def _profile_picked(self) -> None:
        p = self.profile.currentData()
        known_models = {c.model for c in self.choices.profiles}
        if (
            p is not None
            and p.model
            and (not self.model.text().strip() or self.model.text().strip() in known_models)
        ):
            self.model.setText(p.model)

    def values(self) -> dict:
        p: ProfileChoice | None = self.profile.currentData()
        v = {
            "model": self.model.text().strip(),
            "channel_id": self.channel.currentData(),
            "address": self.address.text().strip(),
            "tariff_id": self.tariff.currentData(),
            "ct_ratio": self.ct_ratio.value(),
        }
        if p is not None:
            v["protocol"], v["profile"] = p.protocol, p.profile
        return v

    def stall_id(self) -> int | None:
        return meters.chosen_stall_id(self.stall_by_code, self.stall.text())

    def body(self):
        v, actor, d = self.values(), self.client.actor, self.detail
        if d is None:
            stall_id, kind = self.stall_id(), MeterKind(self.kind.currentData())
            return lambda s: meters.create_meter(s, actor, stall_id, kind, v.pop("address"), **v)
        changed = {k: x for k, x in v.items() if x != getattr(d, k)}
        if not changed:
            return lambda _s: d
        return lambda s: meters.update_meter(s, actor, d.id, **changed)


class ReplaceMeterDialog(RecordDialog):
    """换表: the old meter's final reading (its last reading to start with), the new meter's
    address and first reading; its model, profile and channel as the old one's unless chosen."""

    CHANGES = METER_CHANGES

    def __init__(
        self, parent: QWidget, client: Client, choices: MeterFormChoices, detail: MeterDetail
    ):
        super().__init__(parent, self.tr("Replace meter %1").replace("%1", detail.address))
        self.setMinimumWidth(520)
        self.client, self.detail = client, detail
        unit = "kWh" if detail.kind is MeterKind.ELECTRIC else "m³"
        old = (
            self.tr("Stall %1 · %2 · address %3 on %4")
            .replace("%1", detail.stall_code or "—")
            .replace("%2", kind_text(detail.kind))
            .replace("%3", detail.address)
            .replace("%4", detail.channel or "—")
        )
        self.old = QLabel(old, self)
        self.old.setWordWrap(True)
        self.final = QLineEdit(
            "" if detail.last_reading is None else str(detail.last_reading), self
        )
        self.address = QLineEdit(self)
        self.address.setPlaceholderText(self.tr("The new meter's address (may be the old one's)"))
        self.first = QLineEdit("0", self)
        self.model = QLineEdit(self)
        self.model.setPlaceholderText(
            self.tr("As the old meter: %1").replace("%1", detail.model or "—")
        )
        self.profile = QComboBox(self)
        self.profile.addItem(self.tr("As the old meter"), None)
        fill_profiles(self.profile, choices, detail.kind)
        self.channel = QComboBox(self)
        self.channel.addItem(
            self.tr("As the old meter: %1").replace("%1", detail.channel or "—"), None
        )
        fill_channels(self.channel, choices)
        form = self.form
        form.addRow(self.tr("Old meter"), self.old)
        form.addRow(self.tr("Old meter's final reading (%1)").replace("%1", unit), self.final)
        form.addRow(self.tr("New meter address"), self.address)
        form.addRow(self.tr("New meter's first reading (%1)").replace("%1", unit), self.first)
        form.addRow(self.tr("New model"), self.model)
        form.addRow(self.tr("New model / profile"), self.profile)
        form.addRow(self.tr("New channel"), self.channel)
        note = QLabel(
            self.tr(
                "The old meter's usage up to its final reading is still billed by the next "
                "settlement."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        form.addRow(note)

    def body(self):
        actor, d = self.client.actor, self.detail
        address, final, first = self.address.text(), self.final.text(), self.first.text()
        model = self.model.text().strip() or None
        p: ProfileChoice | None = self.profile.currentData()
        channel_id = self.channel.currentData()
        return lambda s: meters.replace_meter(
            s,
            actor,
            d.id,
            address,
            final,
            first,
            new_model=model,
            new_channel_id=channel_id,
            new_profile=p.profile if p else None,
            new_protocol=p.protocol if p else None,
        )
