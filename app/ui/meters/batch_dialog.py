"""A batch meter operation's outcome, meter by meter, as the comm service finishes it.

The commands are durable rows: closing this dialog stops watching, not the commands."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.services.market.control import CommandRow
from app.services.market.meters import MeterRow
from app.ui.labels import comm_text, label
from app.ui.meters.meter_ops import BatchAction, command_rows_op
from app.ui.ops import repeat_every
from app.ui.tables.columns import CENTER, Column
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.row_model import RowTableModel

POLL_MS = 1500
FINAL = ("succeeded", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class BatchLine:
    id: int  # meter id
    stall: str
    meter: str
    kind: str
    command_id: int | None
    state: str  # a command status, or "not_sent"
    message: str


_NOT_SENT = QT_TRANSLATE_NOOP("BatchDialog", "Not sent")
# Why a meter got no command, in the client's language (the service's text is Chinese).
_WHY_NOT_SENT = {
    "already_in_state": QT_TRANSLATE_NOOP("BatchDialog", "Already in this state: nothing to send"),
    "already_open": QT_TRANSLATE_NOOP("BatchDialog", "The same command is already under way"),
    "not_applicable": QT_TRANSLATE_NOOP("BatchDialog", "This meter cannot do this operation"),
    "not_found": QT_TRANSLATE_NOOP("BatchDialog", "The meter no longer exists"),
}
COLUMNS = [
    Column("stall", QT_TRANSLATE_NOOP("Columns", "Stall"), width=140),
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Type"), label, CENTER, width=90),
    Column("meter", QT_TRANSLATE_NOOP("Columns", "Address"), width=120),
    Column(
        "state",
        QT_TRANSLATE_NOOP("Columns", "Result"),
        lambda s: (
            QCoreApplication.translate("BatchDialog", _NOT_SENT) if s == "not_sent" else label(s)
        ),
        CENTER,
        width=80,
    ),
    Column("message", QT_TRANSLATE_NOOP("Columns", "Why"), comm_text, width=300),
]
_COLOURS = {
    "succeeded": QBrush(QColor("#1e8449")),
    "failed": QBrush(QColor("#c0392b")),
    "not_sent": QBrush(QColor("#b9770e")),
}


def why(outcome) -> str:
    words = _WHY_NOT_SENT.get(outcome.outcome)
    return QCoreApplication.translate("BatchDialog", words) if words else outcome.message


class BatchResultDialog(QDialog):
    finished_all = Signal()

    def __init__(self, parent: QWidget, batch: BatchAction, outcomes, meters: dict[int, MeterRow]):
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("%1: result per meter").replace(
                "%1", QCoreApplication.translate("BatchAction", batch.title)
            )
        )
        self.resize(760, 520)
        lines = []
        for o in outcomes:
            m = meters.get(o.meter_id)
            issued = o.outcome == "issued" or (
                o.outcome == "already_open" and o.command_id is not None
            )
            lines.append(
                BatchLine(
                    o.meter_id,
                    f"{m.stall_code} {m.stall_name}".strip() if m else "",
                    m.address if m else str(o.meter_id),
                    m.kind if m else "",
                    o.command_id if issued else None,
                    "pending" if issued else "not_sent",
                    why(o),
                )
            )
        self.model = RowTableModel(COLUMNS, key=lambda r: r.id, parent=self)
        self.model.set_colors(
            lambda row, col: _COLOURS.get(row.state) if col.key == "state" else None
        )
        self.model.set_rows(lines)
        self.command_ids = [line.command_id for line in lines if line.command_id is not None]
        self.meter_of_command = {
            line.command_id: line.id for line in lines if line.command_id is not None
        }
        self.progress = QProgressBar(self)
        self.progress.setRange(0, max(1, len(self.command_ids)))
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        table = FilteredTable("batch_result", self.model, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            self.tr("You may close this window: the commands carry on and their results are kept.")
        )
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.is_finished = False
        self._poll = repeat_every(
            self, POLL_MS, lambda: command_rows_op(self, self.command_ids).success(self.apply)
        )
        self._update_summary()
        if self.command_ids:
            self._poll.start()
            self.poll_now()
        else:
            self._finish()

    def poll_now(self) -> None:
        command_rows_op(self, self.command_ids).success(self.apply).run()

    def apply(self, rows: list[CommandRow]) -> None:
        for c in rows:
            meter_id = self.meter_of_command.get(c.id)
            line = (
                self.model.rows[self.model.row_of[meter_id]]
                if meter_id in self.model.row_of
                else None
            )
            if line is not None and (line.state != c.status or line.message != c.result):
                message = (
                    c.result
                    if c.status in ("failed", "cancelled")
                    else ("" if c.status != "succeeded" else c.result)
                )
                self.model.replace_row(replace(line, state=c.status, message=message))
        self._update_summary()

    def _update_summary(self) -> None:
        counts: dict[str, int] = {}
        for line in self.model.rows:
            counts[line.state] = counts.get(line.state, 0) + 1
        done = sum(counts.get(s, 0) for s in FINAL)
        self.progress.setValue(done)
        self.summary.setText(
            self.tr("%1 meters: %2 succeeded, %3 failed, %4 waiting, %5 not sent.")
            .replace("%1", str(len(self.model.rows)))
            .replace("%2", str(counts.get("succeeded", 0)))
            .replace("%3", str(counts.get("failed", 0) + counts.get("cancelled", 0)))
            .replace("%4", str(counts.get("pending", 0) + counts.get("sent", 0)))
            .replace("%5", str(counts.get("not_sent", 0)))
        )
        if self.command_ids and done >= len(self.command_ids) and not self.is_finished:
            self._finish()

    def _finish(self) -> None:
        self.is_finished = True
        self._poll.stop()
        self.finished_all.emit()

    def done(self, result: int) -> None:
        self._poll.stop()
        super().done(result)
