"""Comm channels (通道): add, edit, disable and delete the lines to the meters.

Each kind of channel has its own fields: a COM port chosen from this PC's ports (or typed)
with baud / parity / stop bits; a gateway's host and port; the listener port of 4G meters
and DTUs (and the address it binds to: empty is every address of this PC) with the DTU's
registration and heartbeat packet formats; the NB platform's address and keys (the secret
is never shown) and the subscription address with its push token, to paste into the CTWing
console; for listeners and pushes an optional list of allowed source networks. The comm service
looks at the channels every
half minute, wherever it runs, so a change reaches collection by itself (the note on the
page says so)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QWidget,
)
from serial.tools import list_ports

from app.comm.types import ChannelKind
from app.services.market import channels
from app.services.market.channels import BAUDS, MASK, ChannelRow, ChannelSpec
from app.services.platform.context import May
from app.ui.labels import label, yes_no
from app.ui.ops import CommOp, QueryOp
from app.ui.settings.page import RecordDialog, TablePage
from app.ui.tables.columns import CENTER, RIGHT, Column


def settings_text(settings: dict) -> str:
    # the push token is shown in the channel's dialog only, not in the list
    return ", ".join(f"{k}={v}" for k, v in settings.items() if k != "push_token")


def serial_ports() -> list[tuple[str, str]]:
    """(device, description) of this PC's COM ports (pyserial: QtSerialPort is not in
    PySide6-Essentials). pyserial says "n/a" for a port without a description: shown as none."""
    return [
        (p.device, "" if p.description in (None, "n/a") else p.description)
        for p in sorted(list_ports.comports(), key=lambda p: p.device)
    ]


def port_text(device: str, description: str) -> str:
    return f"{device} — {description}" if description else device


COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Channel"), width=140),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Type"), label, width=150),
    Column("settings", QT_TRANSLATE_NOOP("Columns", "Settings"), settings_text, width=280),
    Column(
        "poll_interval_s", QT_TRANSLATE_NOOP("Columns", "Poll every (s)"), str, RIGHT, width=100
    ),
    Column("is_enabled", QT_TRANSLATE_NOOP("Columns", "Enabled"), yes_no, CENTER, width=60),
    Column("meters", QT_TRANSLATE_NOOP("Columns", "Meters"), str, RIGHT, width=60),
]

# Which page of the dialog's stack shows the fields of a kind.
# Lines that may carry DL/T 645 meters, whose relay control password is set per channel.
DLT645_LINES = (ChannelKind.SERIAL, ChannelKind.SERIAL_SERVER, ChannelKind.DTU)
_GROUP = {
    ChannelKind.SERIAL: 0,
    ChannelKind.SERIAL_SERVER: 1,
    ChannelKind.MODBUS_TCP: 1,
    ChannelKind.ACREL_4G: 2,
    ChannelKind.DTU: 2,
    ChannelKind.CTWING: 3,
}


class ChannelDialog(RecordDialog):
    def __init__(
        self, parent: QWidget, actor, row: ChannelRow | None, ports: list[tuple[str, str]]
    ):
        super().__init__(parent, self.tr("Comm channel"))
        self.actor, self.row = actor, row
        s = dict(row.settings) if row else {}
        self.name = QLineEdit(row.name if row else "", self)
        self.kind = QComboBox(self)
        for k in ChannelKind:
            self.kind.addItem(label(k), k.value)
        self.poll = QSpinBox(self)
        self.poll.setRange(10, 86400)
        self.poll.setSuffix(self.tr(" s"))
        self.poll.setValue(row.poll_interval_s if row else 1800)
        self.enabled = QCheckBox(self.tr("Poll this channel"), self)
        self.enabled.setChecked(row.is_enabled if row else True)

        # serial
        self.port = QComboBox(self)
        self.port.setEditable(True)  # a port not plugged in now can still be typed
        for device, description in ports:
            self.port.addItem(port_text(device, description), device)
        self.port.setEditText(
            str(s.get("port", ""))
            if row and row.kind == ChannelKind.SERIAL
            else (self.port.itemText(0) if ports else "")
        )
        self.port.lineEdit().setPlaceholderText("COM3")
        self.baud = QComboBox(self)
        for b in BAUDS:
            self.baud.addItem(str(b), b)
        self.baud.setCurrentIndex(self.baud.findData(int(s.get("baud", 9600))))
        self.parity = QComboBox(self)
        for code, text in (
            ("N", self.tr("None (N)")),
            ("E", self.tr("Even (E)")),
            ("O", self.tr("Odd (O)")),
        ):
            self.parity.addItem(text, code)
        self.parity.setCurrentIndex(max(0, self.parity.findData(str(s.get("parity", "N")))))
        self.stopbits = QComboBox(self)
        self.stopbits.addItems(["1", "2"])
        self.stopbits.setCurrentText(str(s.get("stopbits", 1)))
        # gateway
        self.host = QLineEdit(str(s.get("host", "")), self)
        self.host.setPlaceholderText("192.168.1.200")
        self.tcp_port = QLineEdit(
            str(s.get("port", "")) if row and row.kind != ChannelKind.SERIAL else "", self
        )
        self.tcp_port.setPlaceholderText("502")
        # listener (Acrel 4G, DTU)
        self.listen_port = QLineEdit(str(s.get("listen_port", "")), self)
        self.listen_port.setPlaceholderText("9000")
        host = str(s.get("listen_host", ""))
        self.listen_host = QLineEdit("" if host in ("", channels.ALL_ADDRESSES) else host, self)
        self.listen_host.setPlaceholderText(self.tr("all addresses of this PC (0.0.0.0)"))
        sources = ", ".join(s.get("allowed_sources") or ())
        # the same setting on two pages of the stack: the listener's and the push receiver's
        self.dial_sources = QLineEdit(sources, self)
        self.push_sources = QLineEdit(sources, self)
        for edit in (self.dial_sources, self.push_sources):
            edit.setPlaceholderText(self.tr("any source; e.g. 10.8.0.0/16, 203.0.113.7"))
        self.register = QLineEdit(str(s.get("register", "")), self)
        self.register.setPlaceholderText("ascii:DTU:{id}\\r\\n")
        self.heartbeat = QLineEdit(str(s.get("heartbeat", "")), self)
        self.heartbeat.setPlaceholderText("ascii:HB\\r\\n")
        # NB platform
        self.base_url = QLineEdit(str(s.get("base_url", "")), self)
        self.base_url.setPlaceholderText("https://ag-api.ctwing.cn")
        self.app_key = QLineEdit(str(s.get("app_key", "")), self)
        self.app_secret = QLineEdit(self)
        self.master_key = QLineEdit(self)
        for secret, key in ((self.app_secret, "app_secret"), (self.master_key, "master_key")):
            secret.setEchoMode(QLineEdit.EchoMode.Password)
            if s.get(key) == MASK:
                secret.setPlaceholderText(self.tr("unchanged (type to replace)"))
        self.product_id = QLineEdit(str(s.get("product_id", "")), self)
        self.push_port = QLineEdit(str(s.get("push_port", "")), self)
        # DL/T 645 relay control on a line (empty: the meters' factory 000000 / 02 / 00000000)
        self.dlt_password = QLineEdit(self)
        self.dlt_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.dlt_password.setPlaceholderText(
            self.tr("unchanged (type to replace)") if s.get("dlt645_password") == MASK else "000000"
        )
        self.dlt_level = QLineEdit(str(s.get("dlt645_level", "")), self)
        self.dlt_level.setPlaceholderText("02")
        self.dlt_operator = QLineEdit(str(s.get("dlt645_operator", "")), self)
        self.dlt_operator.setPlaceholderText("00000000")
        self.dlt_labels = [
            QLabel(self.tr("DL/T 645 control password"), self),
            QLabel(self.tr("Password level"), self),
            QLabel(self.tr("Operator code"), self),
        ]
        # CTWing does not sign pushes: the address pasted into its subscription carries a secret
        self.push_address = QLineEdit(self)
        self.push_address.setReadOnly(True)
        if s.get("push_token"):
            office = self.tr("<office address>")  # the reverse proxy's public name (README)
            self.push_address.setText(
                f"https://{office}{s.get('push_path', '/ctwing/push')}?token={s['push_token']}"
            )
            self.push_address.setCursorPosition(0)
        else:
            self.push_address.setPlaceholderText(self.tr("made when the channel is saved"))

        self.stack = QStackedWidget(self)
        forms = []
        for _ in range(4):
            page = QWidget(self.stack)
            form = QFormLayout(page)
            form.setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(page)
            forms.append(form)
        forms[0].addRow(self.tr("COM port"), self.port)
        forms[0].addRow(self.tr("Baud rate"), self.baud)
        forms[0].addRow(self.tr("Parity"), self.parity)
        forms[0].addRow(self.tr("Stop bits"), self.stopbits)
        forms[1].addRow(self.tr("Gateway address"), self.host)
        forms[1].addRow(self.tr("Gateway port"), self.tcp_port)
        forms[2].addRow(self.tr("Listen on address"), self.listen_host)
        forms[2].addRow(self.tr("Listen on port"), self.listen_port)
        forms[2].addRow(self.tr("Allowed sources"), self.dial_sources)
        self.register_label = QLabel(self.tr("DTU registration packet"), self)
        self.heartbeat_label = QLabel(self.tr("DTU heartbeat packet"), self)
        forms[2].addRow(self.register_label, self.register)
        forms[2].addRow(self.heartbeat_label, self.heartbeat)
        forms[3].addRow(self.tr("Platform address"), self.base_url)
        forms[3].addRow(self.tr("App key"), self.app_key)
        forms[3].addRow(self.tr("App secret"), self.app_secret)
        forms[3].addRow(self.tr("Master key"), self.master_key)
        forms[3].addRow(self.tr("Product ID"), self.product_id)
        forms[3].addRow(self.tr("Push receiver port"), self.push_port)
        forms[3].addRow(self.tr("Allowed sources"), self.push_sources)
        forms[3].addRow(self.tr("Subscription address"), self.push_address)

        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Type"), self.kind)
        self.form.addRow(self.stack)
        for text, field in zip(
            self.dlt_labels, (self.dlt_password, self.dlt_level, self.dlt_operator), strict=True
        ):
            self.form.addRow(text, field)
        self.form.addRow(self.tr("Poll every"), self.poll)
        self.form.addRow("", self.enabled)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.setCurrentIndex(self.kind.findData(row.kind if row else ChannelKind.SERIAL.value))
        self._kind_changed()

    def current_kind(self) -> ChannelKind:
        return ChannelKind(self.kind.currentData())

    def _kind_changed(self, *_args) -> None:
        kind = self.current_kind()
        self.stack.setCurrentIndex(_GROUP[kind])
        for i in range(
            self.stack.count()
        ):  # the stack as tall as the shown fields, not the tallest
            policy = (
                QSizePolicy.Policy.Preferred if i == _GROUP[kind] else QSizePolicy.Policy.Ignored
            )
            self.stack.widget(i).setSizePolicy(policy, policy)
        for w in (self.register, self.heartbeat, self.register_label, self.heartbeat_label):
            w.setVisible(kind is ChannelKind.DTU)
        for w in (self.dlt_password, self.dlt_level, self.dlt_operator, *self.dlt_labels):
            w.setVisible(kind in DLT645_LINES)
        self.adjustSize()

    def com_port(self) -> str:
        """The device of the chosen port, or what was typed ("COM7 — USB …" → "COM7")."""
        text = self.port.currentText().strip()
        i = self.port.findText(text)
        return self.port.itemData(i) if i >= 0 else text.split(" — ")[0].strip()

    def spec(self) -> ChannelSpec:
        kind = self.current_kind()
        group = _GROUP[kind]
        if group == 0:
            settings = {
                "port": self.com_port(),
                "baud": self.baud.currentData(),
                "parity": self.parity.currentData(),
                "stopbits": self.stopbits.currentText(),
            }
        elif group == 1:
            settings = {"host": self.host.text(), "port": self.tcp_port.text()}
        elif group == 2:
            settings = {
                "listen_host": self.listen_host.text(),
                "listen_port": self.listen_port.text(),
                "allowed_sources": self.dial_sources.text(),
            }
            if kind is ChannelKind.DTU:
                settings.update(register=self.register.text(), heartbeat=self.heartbeat.text())
        else:
            settings = {
                "base_url": self.base_url.text(),
                "app_key": self.app_key.text(),
                "app_secret": self.app_secret.text(),
                "master_key": self.master_key.text(),
                "product_id": self.product_id.text(),
                "push_port": self.push_port.text(),
                "allowed_sources": self.push_sources.text(),
            }
        if kind in DLT645_LINES:
            settings.update(
                dlt645_password=self.dlt_password.text(),
                dlt645_level=self.dlt_level.text(),
                dlt645_operator=self.dlt_operator.text(),
            )
        return ChannelSpec(
            self.name.text(), kind, settings, self.poll.value(), self.enabled.isChecked()
        )

    def body(self):
        spec, actor, row = self.spec(), self.actor, self.row
        if row is None:
            return lambda s: channels.create_channel(s, actor, spec)
        return lambda s: channels.update_channel(s, actor, row.id, spec)


class ChannelsPage(TablePage):
    NAME = "channels"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Comm channels")
    SORT_ORDER = 50

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.ports: list[tuple[str, str]] = []
        self.build_table(
            COLUMNS,
            "settings_channels",
            self.tr("Add channel …"),
            self.tr("Edit …"),
            add=May.ADD_COMM_CHANNELS,
            edit=May.EDIT_COMM_CHANNELS,
            more=(
                (self.tr("Disable / enable"), self.toggle, May.DISABLE_OR_ENABLE_COMM_CHANNELS),
                (self.tr("Delete …"), self.delete, May.DELETE_COMM_CHANNELS),
                (self.tr("Test …"), self.test, May.READ_METERS_NOW),
            ),
        )
        self.ports_label = QLabel(self)
        self.ports_label.setWordWrap(True)
        note = QLabel(
            self.tr(
                "Changes reach meter reading by themselves within about half a minute: no restart "
                "needed."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.layout().addWidget(self.ports_label)
        self.layout().addWidget(note)

    def load(self) -> None:
        QueryOp(self, lambda s: channels.list_channels(s, self.client.site_id)).success(
            self.model.set_rows
        ).run()
        CommOp(self, serial_ports).success(self._show_ports).run()

    def _show_ports(self, ports: list[tuple[str, str]]) -> None:
        self.ports = ports
        text = (
            "; ".join(port_text(d, desc) for d, desc in ports) if ports else self.tr("none found")
        )
        self.ports_label.setText(self.tr("Serial ports on this PC: %1").replace("%1", text))

    def edit(self, row: ChannelRow | None) -> None:
        if self.client.may(May.ADD_COMM_CHANNELS if row is None else May.EDIT_COMM_CHANNELS):
            self.open_dialog(ChannelDialog(self, self.client.actor, row, self.ports))

    def test(self, row: ChannelRow) -> None:
        """Read one meter address through the channel now (values or the error)."""
        from app.ui.settings.line_test_dialog import LineTestDialog

        self.dialog = LineTestDialog(self, self.client.actor, row)
        self.dialog.open()

    def toggle(self, row: ChannelRow) -> None:
        actor, enable = self.client.actor, not row.is_enabled
        self.run(lambda s: channels.set_channel_enabled(s, actor, row.id, enable))

    def delete(self, row: ChannelRow) -> None:
        if self.confirm(
            self.tr("Delete channel"), self.tr("Delete the channel %1?").replace("%1", row.name)
        ):
            actor = self.client.actor
            self.run(lambda s: channels.delete_channel(s, actor, row.id))
