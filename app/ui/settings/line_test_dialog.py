"""Test a meter line (测试通道): read one meter address through a channel now and show its
values, or why it could not be read, in the words of the comm monitor."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.comm.probe import ProbeResult, read_once
from app.comm.types import MeterKind, MeterReading, Protocol
from app.services.market import channels
from app.services.market.channels import ChannelRow
from app.ui.errors import error_text
from app.ui.labels import comm_text, label
from app.ui.ops import CommOp, QueryOp
from app.ui.site_time import local

# the protocols' own names, as on the meters' labels and manuals
PROTOCOLS = (
    (Protocol.MODBUS_ACREL, "Modbus RTU (Acrel)"),
    (Protocol.DLT645_2007, "DL/T 645-2007"),
    (Protocol.DLT645_1997, "DL/T 645-1997"),
)
DIAL_IN_WAIT_S = 30.0


class LineTestDialog(QDialog):
    def __init__(self, parent: QWidget, actor, row: ChannelRow):
        super().__init__(parent)
        self.actor, self.row = actor, row
        self.setWindowTitle(self.tr("Test channel %1").replace("%1", row.name))
        self.setMinimumWidth(480)
        self.address = QLineEdit(self)
        self.address.setObjectName("address")
        self.address.setPlaceholderText(self.tr("e.g. 1 (Modbus) or 000000001234 (DL/T 645)"))
        self.protocol = QComboBox(self)
        for p, name in PROTOCOLS:
            self.protocol.addItem(name, p.value)
        self.kind = QComboBox(self)
        for k in (MeterKind.ELECTRIC, MeterKind.WATER):
            self.kind.addItem(label(k), k.value)
        self.read_button = QPushButton(self.tr("Read now"), self)
        self.read_button.setDefault(True)
        self.read_button.clicked.connect(self.read)
        self.result = QLabel(self)
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setMinimumHeight(120)
        form = QFormLayout()
        form.addRow(self.tr("Meter address"), self.address)
        form.addRow(self.tr("Protocol"), self.protocol)
        form.addRow(self.tr("Meter type"), self.kind)
        note = QLabel(
            self.tr(
                "A meter already bound to this channel is read as it is set up; the values are "
                "shown only, not stored."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.read_button)
        layout.addWidget(self.result, 1)
        layout.addWidget(close)

    def read(self) -> None:
        actor, channel_id, address = self.actor, self.row.id, self.address.text()
        protocol, kind = self.protocol.currentData(), self.kind.currentData()
        self.read_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Reading …"))
        QueryOp(
            self,
            lambda s: channels.line_test_config(s, actor, channel_id, address, protocol, kind),
        ).success(self._probe).failure(self._failed).run()

    def _probe(self, config) -> None:
        CommOp(self, lambda: read_once(config, wait_s=DIAL_IN_WAIT_S)).success(self._show).failure(
            self._failed
        ).run()

    def _failed(self, error: BaseException) -> None:
        self.read_button.setEnabled(True)
        self.result.setStyleSheet("color: #c0392b;")
        self.result.setText(error_text(error))

    def _show(self, probe: ProbeResult) -> None:
        self.read_button.setEnabled(True)
        if probe.reading is None:
            why = [comm_text(e.message) for e in probe.errors[-3:]] or [
                self.tr("The meter did not answer.")
            ]
            self.result.setStyleSheet("color: #c0392b;")
            self.result.setText(self.tr("Not read:") + "\n" + "\n".join(why))
            return
        self.result.setStyleSheet("color: #1e8449;")
        self.result.setText(
            "\n".join(f"{name}: {value}" for name, value in self.values(probe.reading))
        )

    def values(self, r: MeterReading) -> list[tuple[str, str]]:
        """What an engineer checks, in units: kWh / m³, V, A, kW, the relay or valve."""
        out = [(self.tr("Read at"), local(r.read_at).strftime("%Y-%m-%d %H:%M:%S"))]
        if r.kind is MeterKind.WATER:
            out.append((self.tr("Total"), f"{Decimal(r.total) / 1000:.3f} m³"))
        else:
            out.append((self.tr("Total"), f"{Decimal(r.total) / 100:.2f} kWh"))
        for name, value, unit in (
            (self.tr("Voltage"), r.voltage_v, "V"),
            (self.tr("Current"), r.current_a, "A"),
            (self.tr("Power"), r.power_kw, "kW"),
        ):
            if value is not None:
                out.append((name, f"{value:g} {unit}"))
        if r.relay_closed is not None:
            out.append(
                (self.tr("Relay"), self.tr("closed") if r.relay_closed else self.tr("tripped"))
            )
        if r.valve_open is not None:
            out.append((self.tr("Valve"), self.tr("open") if r.valve_open else self.tr("closed")))
        return out
