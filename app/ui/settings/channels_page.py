"""Comm channels (通道): what exists, read-only, and the serial ports on this PC."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel
from serial.tools import list_ports

from app.services import views as view_queries
from app.ui.labels import label, yes_no
from app.ui.ops import CommOp
from app.ui.settings.read_only_table import ReadOnlyTablePage
from app.ui.tables.columns import CENTER, RIGHT, Column


def settings_text(settings: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in settings.items())


def serial_ports() -> list[str]:
    """COM ports with their description (pyserial: QtSerialPort is not in PySide6-Essentials)."""
    return [f"{p.device} — {p.description}" for p in sorted(list_ports.comports(), key=lambda p: p.device)]


class ChannelsPage(ReadOnlyTablePage):
    NAME = "channels"
    TITLE = QT_TRANSLATE_NOOP("Settings", "Comm channels")
    SORT_ORDER = 50
    COLUMNS = [
        Column("name", QT_TRANSLATE_NOOP("Columns", "Channel"), width=140),
        Column("kind", QT_TRANSLATE_NOOP("Columns", "Type"), label, width=150),
        Column("settings", QT_TRANSLATE_NOOP("Columns", "Settings"), settings_text, width=260),
        Column("poll_interval_s", QT_TRANSLATE_NOOP("Columns", "Poll every (s)"), str, RIGHT, width=90),
        Column("is_enabled", QT_TRANSLATE_NOOP("Columns", "Enabled"), yes_no, CENTER, width=60),
        Column("meters", QT_TRANSLATE_NOOP("Columns", "Meters"), str, RIGHT, width=60),
    ]

    def __init__(self, client, parent=None):
        super().__init__(client, parent)
        self.ports = QLabel(self)
        self.ports.setWordWrap(True)
        self.layout_.insertWidget(1, self.ports)
        self.note.setText(self.tr("Channels are shown here; adding and changing them comes with the comm service's "
                                  "channel settings (python -m app comm … on the command line meanwhile)."))

    def query(self):
        return lambda s: view_queries.channel_rows(s, self.client.site_id)

    def load(self) -> None:
        super().load()
        CommOp(self, serial_ports).success(self._show_ports).run()

    def _show_ports(self, ports: list[str]) -> None:
        self.ports.setText(self.tr("Serial ports on this PC: %1").replace("%1", "; ".join(ports) if ports else self.tr("none found")))
