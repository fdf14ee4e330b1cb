"""The meter-status table (STYLE.md §6): up to 20,000 rows, fed live from the comm bridge.

The poller puts `MeterStatus` on a thread-safe queue; a 1 s timer on the GUI thread drains
it within a time budget and emits `dataChanged` for just the rows that changed.
"""

from __future__ import annotations

import queue
import time
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from app.comm.types import MeterStatus
from app.services.market.meters import MeterRow
from app.ui.comm.bridge import drain
from app.ui.labels import comm_text, label, mode_label, supply_label, yes_no
from app.ui.tables.columns import CENTER, RIGHT, Column, local_time, number, tr_col, yuan
from app.ui.tables.row_model import RowTableModel

NO_TARIFF = QT_TRANSLATE_NOOP("Columns", "none: billed nothing")
UNKNOWN_SINCE = QT_TRANSLATE_NOOP("Columns", "unknown since %1")
WAITING = QT_TRANSLATE_NOOP("Columns", "%1, waiting for the meter reading service")
RETRY = QT_TRANSLATE_NOOP("Columns", "%1, sent %2 times")


def command_text(action: str, attempts: int) -> str:
    if not action:
        return ""
    return (
        tr_col(RETRY).replace("%1", label(action)).replace("%2", str(attempts))
        if attempts > 1
        else label(action)
    )


class _Reading(Decimal):
    """A register reading that knows its unit: sorts as a number, shows
    "123.45 kWh" / "6.789 m³"."""

    unit = ""
    places = 2

    @classmethod
    def of(cls, row: MeterRow) -> _Reading | None:
        if row.total is None:
            return None
        value = cls(row.total)
        value.unit, value.places = ("m³", 3) if str(row.kind) == "water" else ("kWh", 2)
        return value


def _reading(value: _Reading | None) -> str:
    return "" if value is None else f"{value:.{value.places}f} {value.unit}"


# The money and the supply first: at 1024×768 (the counter PC) they stay in view beside the
# stall; the address (an NB device id is 32 characters) and the line follow.
COLUMNS = [
    Column("stall_code", QT_TRANSLATE_NOOP("Columns", "Stall"), width=70),
    Column("stall_name", QT_TRANSLATE_NOOP("Columns", "Stall name"), width=110),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Type"), label, CENTER, width=50),
    Column(
        "total",
        QT_TRANSLATE_NOOP("Columns", "Total reading"),
        _reading,
        RIGHT,
        width=115,
        searchable=False,
        get=_Reading.of,
    ),
    Column(
        "balance",
        QT_TRANSLATE_NOOP("Columns", "Balance ¥"),
        yuan,
        RIGHT,
        width=85,
        searchable=False,
    ),
    Column(
        "supply",
        QT_TRANSLATE_NOOP("Columns", "Relay / valve"),
        lambda v: supply_label(*v),
        CENTER,
        width=80,
        get=lambda r: (r.kind, r.supply_on),
    ),
    Column(
        "control_mode",
        QT_TRANSLATE_NOOP("Columns", "Control"),
        lambda v: mode_label(*v),
        CENTER,
        width=85,
        get=lambda r: (r.kind, r.control_mode),
    ),
    Column(
        "comm",
        QT_TRANSLATE_NOOP("Columns", "Comm"),
        label,
        CENTER,
        width=60,
        get=lambda r: "identity_conflict" if r.identity_conflict else r.comm,
    ),
    Column(
        "address", QT_TRANSLATE_NOOP("Columns", "Address"), width=250
    ),  # an NB device id: 32 characters
    Column("channel", QT_TRANSLATE_NOOP("Columns", "Channel"), width=140),
    Column("building", QT_TRANSLATE_NOOP("Columns", "Building"), width=90),
    Column(
        "is_account_opened",
        QT_TRANSLATE_NOOP("Columns", "Account opened"),
        yes_no,
        CENTER,
        hidden_by_default=True,
        searchable=False,
    ),
    Column(
        "power_kw",
        QT_TRANSLATE_NOOP("Columns", "Power kW"),
        number(3),
        RIGHT,
        width=80,
        searchable=False,
    ),
    Column(
        "tariff",
        QT_TRANSLATE_NOOP("Columns", "Price plan"),
        lambda name: name or tr_col(NO_TARIFF),
        width=110,
    ),
    Column(
        "last_read_at",
        QT_TRANSLATE_NOOP("Columns", "Last reading"),
        local_time,
        width=130,
        searchable=False,
    ),
    Column(
        "comm_error",
        QT_TRANSLATE_NOOP("Columns", "Last error"),
        comm_text,
        hidden_by_default=True,
        width=200,
    ),
    # an open trip / close and how often it has been sent: control retries a failed one
    Column(
        "command",
        QT_TRANSLATE_NOOP("Columns", "Command"),
        lambda v: command_text(*v),
        width=110,
        get=lambda r: (r.command, r.command_attempts),
    ),
]

_RED = QBrush(QColor("#c0392b"))
_GREY = QBrush(QColor("#7f8c8d"))
_GREEN = QBrush(QColor("#1e8449"))
_ORANGE = QBrush(QColor("#d35400"))


class MeterStatusModel(RowTableModel):
    """Rows are `MeterRow`s; the 'supply' column is derived from kind + supply_on."""

    # The GUI thread spends about this long per tick (checked every DRAIN_BATCH statuses:
    # on a busy PC one status costs up to ~0.5 ms, so a batch must stay small).
    DRAIN_BUDGET_S = 0.020
    DRAIN_BATCH = 20

    def __init__(self, parent: QObject | None = None):
        super().__init__(COLUMNS, key=lambda r: r.id, parent=parent)
        self.endpoint_of: dict[tuple[int | None, str], int] = {}
        self.set_colors(self._color)
        self._queue: queue.SimpleQueue | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.drain_queue)
        self.updates_applied = 0
        # while the collection service is stopped: when it stopped, as shown
        self.unknown_since: str = ""

    def set_rows(self, rows) -> None:
        super().set_rows(rows)
        self.endpoint_of = {(r.channel_id, r.address): r.id for r in self.rows}

    def set_service_stopped(self, since: str) -> None:
        """The collection service stopped at `since` ("" once it runs again): a meter's
        online state is unknown since then and its pending command waits for it."""
        if since == self.unknown_since:
            return
        self.unknown_since = since
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
            )

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if self.unknown_since and role == Qt.ItemDataRole.DisplayRole:
            key = self.columns[index.column()].key
            row = self.rows[index.row()]
            if key == "comm" and row.comm in ("online", "offline"):
                return tr_col(UNKNOWN_SINCE).replace("%1", self.unknown_since)
            if key == "command" and row.command:
                return tr_col(WAITING).replace(
                    "%1", command_text(row.command, row.command_attempts)
                )
        return super().data(index, role)

    def _color(self, row: MeterRow, col: Column):
        if col.key == "comm" and self.unknown_since:
            return _GREY
        if col.key == "comm":
            if row.identity_conflict:
                return _RED
            return _GREEN if row.comm == "online" else _RED if row.comm == "offline" else _GREY
        if col.key == "command" and row.command_attempts > 1:
            return _RED
        if col.key == "supply" and row.supply_on is False:
            return _RED
        if col.key == "control_mode" and row.control_mode != "prepaid":
            return _ORANGE  # forced: prepaid control leaves it alone until restored
        if col.key == "balance" and row.balance is not None and row.balance < 0:
            return _RED
        return None

    # -- live updates ------------------------------------------------------------------------
    def follow(self, q: queue.SimpleQueue) -> None:
        """Drain this queue of `MeterStatus` every second."""
        self._queue = q
        self._timer.start()

    def drain_queue(self) -> None:
        if self._queue is None:
            return
        deadline = time.perf_counter() + self.DRAIN_BUDGET_S
        while time.perf_counter() < deadline:
            batch = drain(self._queue, self.DRAIN_BATCH)
            if not batch:
                return
            self.apply_statuses(batch)
        # More is waiting: come back after the event loop has painted and handled input.
        QTimer.singleShot(40, self.drain_queue)

    def apply_statuses(self, statuses: list[MeterStatus]) -> None:
        latest: dict[int, MeterStatus] = {}
        for st in statuses:
            meter_id = self.endpoint_of.get((st.channel_id, st.address))
            if meter_id is not None:
                latest[meter_id] = st  # only the newest state of a meter matters
        for meter_id, st in latest.items():
            self.update_fields(
                meter_id,
                comm="online" if st.online else "offline",
                comm_error=st.error,
            )
        self.updates_applied += len(latest)
