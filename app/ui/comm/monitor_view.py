"""Comm monitor (调试报文): channels and their state, the live frame log and the error log.

Frames arrive from the poller through the bridge's queues; a 500 ms timer drains them
into the log models (newest 5,000 kept) while the view is shown and not paused: only then
does the bridge fetch them from a collection service process."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.comm.types import CommError, FrameEvent
from app.services.market.channels import ChannelRow, channel_rows
from app.services.platform.context import Changes
from app.ui import site_time
from app.ui.client import Client
from app.ui.comm.bridge import drain
from app.ui.comm.service_banner import ServiceStoppedBanner
from app.ui.errors import ui_language
from app.ui.labels import comm_text, label, yes_no
from app.ui.ops import QueryOp
from app.ui.tables.columns import CENTER, RIGHT, Column
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel
from app.ui.view_base import View

KEEP_ROWS = 5000
DRAIN_MS = 500


def clock(at: datetime) -> str:
    return site_time.local(at).strftime("%H:%M:%S.%f")[:-3]


@dataclass(frozen=True, slots=True)
class FrameLine:
    id: int
    at: datetime
    channel: str
    meter: str
    direction: str
    hex: str
    meaning: str


@dataclass(frozen=True, slots=True)
class ErrorLine:
    id: int
    at: datetime
    channel: str
    meter: str
    message: str


CHANNEL_COLUMNS = [
    Column("name", QT_TRANSLATE_NOOP("Columns", "Channel"), width=140),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Type"), label, width=150),
    Column("is_enabled", QT_TRANSLATE_NOOP("Columns", "Enabled"), yes_no, CENTER, width=60),
    Column("is_connected", QT_TRANSLATE_NOOP("Columns", "Connected"), yes_no, CENTER, width=70),
    Column("meters", QT_TRANSLATE_NOOP("Columns", "Meters"), str, RIGHT, width=60),
    Column("meters_online", QT_TRANSLATE_NOOP("Columns", "Online"), str, RIGHT, width=60),
    Column("poll_interval_s", QT_TRANSLATE_NOOP("Columns", "Poll every (s)"), str, RIGHT, width=90),
    Column("status_detail", QT_TRANSLATE_NOOP("Columns", "Detail"), comm_text, width=240),
]
FRAME_COLUMNS = [
    Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), clock, width=100),
    Column("channel", QT_TRANSLATE_NOOP("Columns", "Channel"), width=120),
    Column("meter", QT_TRANSLATE_NOOP("Columns", "Meter"), width=110),
    Column("direction", QT_TRANSLATE_NOOP("Columns", "Direction"), label, CENTER, width=60),
    Column("hex", QT_TRANSLATE_NOOP("Columns", "Frame (hex)"), width=360),
    Column("meaning", QT_TRANSLATE_NOOP("Columns", "Meaning"), width=260),
]
ERROR_COLUMNS = [
    Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), clock, width=100),
    Column("channel", QT_TRANSLATE_NOOP("Columns", "Channel"), width=120),
    Column("meter", QT_TRANSLATE_NOOP("Columns", "Meter"), width=110),
    Column("message", QT_TRANSLATE_NOOP("Columns", "Error"), comm_text, width=480),
]


class CommMonitorView(View):
    cares_about = (Changes.SETTINGS, Changes.METERS)
    live_cares_about = (Changes.METERS,)  # channel connected, meters online

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self._ids = itertools.count(1)
        self.channel_names: dict[int, str] = {}
        self.channels = RowTableModel(CHANNEL_COLUMNS, parent=self)
        self.frames = RowTableModel(FRAME_COLUMNS, parent=self)
        self.errors = RowTableModel(ERROR_COLUMNS, parent=self)
        lines = self.tr("Filter: type any part of a channel, meter address, frame or meaning …")
        self.frame_table = FilteredTable("comm_frames", self.frames, self, placeholder=lines)
        self.error_table = FilteredTable("comm_errors", self.errors, self, placeholder=lines)
        channel_table = FilteredTable(
            "comm_channels",
            self.channels,
            self,
            placeholder=self.tr("Filter: type any part of a channel's name or kind …"),
        )
        self.pause = QCheckBox(self.tr("Pause"), self)
        self.pause.setToolTip(
            self.tr("Stop adding frames so you can read them; nothing is lost while paused.")
        )
        self.follow = QCheckBox(self.tr("Follow newest"), self)
        self.follow.setChecked(True)
        clear = QPushButton(self.tr("Clear"), self)
        clear.clicked.connect(lambda: (self.frames.set_rows([]), self.errors.set_rows([])))
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )  # the log path, to copy
        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(self.pause)
        top.addWidget(self.follow)
        top.addWidget(clear)
        logs = QTabWidget(self)
        logs.addTab(self.frame_table, self.tr("Frames"))
        logs.addTab(self.error_table, self.tr("Errors"))
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(channel_table)
        split.addWidget(logs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([220, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(ServiceStoppedBanner(client.comm, self))
        layout.addLayout(top)
        layout.addWidget(split, 1)
        client.comm.state_changed.connect(self._show_state)
        self._timer = QTimer(self, interval=DRAIN_MS)
        self._timer.timeout.connect(self.drain)
        self._timer.start()

    def refresh(self) -> None:
        QueryOp(self, lambda s: channel_rows(s, self.client.site_id)).success(self._loaded).run()

    def _loaded(self, rows: list[ChannelRow]) -> None:
        self.channels.set_rows(rows)
        self.channel_names = {r.id: r.name for r in rows}
        self._show_state()
        self.mark_loaded()

    def _show_state(self) -> None:
        comm = self.client.comm
        if comm.problem:
            text = comm.problem
        elif comm.is_running and comm.service is not None:
            text = self.tr(
                "Collection is running in a background process of this program (its log: %1)."
            ).replace("%1", str(comm.service.log_file))
        elif comm.is_running:
            text = self.tr("Collection is running in this program.")
        else:
            text = self.tr(
                "Collection is not running in this program (it may run as a service on another PC)."
            )
        self.state.setText(text)
        self.state.setStyleSheet("color: #b00020;" if comm.problem else "")

    def drain(self) -> None:
        if self.pause.isChecked() or not self.isVisible():
            return
        self.client.comm.pull(ui_language())  # the frames' meanings in the clerk's language
        frames: list[FrameEvent] = drain(self.client.comm.frames, 2000)
        errors: list[CommError] = drain(self.client.comm.errors, 2000)
        name = self.channel_names.get
        self.frames.append_rows(
            [
                FrameLine(
                    next(self._ids),
                    f.at,
                    name(f.channel_id, str(f.channel_id)),
                    f.address or "",
                    str(f.direction),
                    f.hex,
                    f.meaning,
                )
                for f in frames
            ],
            KEEP_ROWS,
        )
        self.errors.append_rows(
            [
                ErrorLine(
                    next(self._ids),
                    e.at,
                    name(e.channel_id, str(e.channel_id)),
                    e.address or "",
                    comm_text(e.message),
                )
                for e in errors
            ],
            KEEP_ROWS,
        )
        if frames and self.follow.isChecked():
            self.frame_table.view.scrollToBottom()
        if errors and self.follow.isChecked():
            self.error_table.view.scrollToBottom()
