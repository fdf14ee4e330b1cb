"""Meters (表计): every meter with its comm and supply state; batch operations.

20,000 rows load in one query and show at once; the comm bridge's status updates are
applied live by the model; meters changed by readings or commands are re-read in a QueryOp.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.market.meters import MeterDetail, MeterRow
from app.services.platform.context import Changes, May
from app.ui.client import Client, touches
from app.ui.comm.bridge import drain
from app.ui.labels import label
from app.ui.meters.batch_dialog import BatchResultDialog
from app.ui.meters.held_readings_dialog import HeldReadingsDialog
from app.ui.meters.history_dialog import MeterHistoryDialog
from app.ui.meters.meter_dialog import MeterDialog, ReplaceMeterDialog
from app.ui.meters.meter_ops import (
    BATCH_ACTIONS,
    BatchAction,
    batch_op,
    held_readings_op,
    meter_form_op,
    meter_rows_by_id_op,
    meter_rows_op,
    remove_meter_op,
    resolve_identity_op,
)
from app.ui.tables.columns import local_time
from app.ui.tables.filtered_table import FilteredTable
from app.ui.tables.meter_status_table import MeterStatusModel
from app.ui.view_base import View

log = logging.getLogger(__name__)

SHOW_FILTERS = (
    ("all", QT_TRANSLATE_NOOP("MetersView", "All meters"), None),
    ("electric", QT_TRANSLATE_NOOP("MetersView", "Electricity"), lambda r: r.kind == "electric"),
    ("water", QT_TRANSLATE_NOOP("MetersView", "Water"), lambda r: r.kind == "water"),
    ("offline", QT_TRANSLATE_NOOP("MetersView", "Offline"), lambda r: r.comm == "offline"),
    (
        "off",
        QT_TRANSLATE_NOOP("MetersView", "Tripped / valve closed"),
        lambda r: r.supply_on is False,
    ),
    (
        "negative",
        QT_TRANSLATE_NOOP("MetersView", "Balance below zero"),
        lambda r: r.balance is not None and r.balance < 0,
    ),
    (
        "forced",
        QT_TRANSLATE_NOOP("MetersView", "Not prepaid (forced)"),
        lambda r: r.control_mode != "prepaid",
    ),
    (
        "identity",
        QT_TRANSLATE_NOOP("MetersView", "Identity conflict"),
        lambda r: r.identity_conflict,
    ),
    (
        "retrying",
        QT_TRANSLATE_NOOP("MetersView", "Command being retried"),
        lambda r: r.command_attempts > 1,
    ),
)


class MetersView(View):
    cares_about = (Changes.METERS, Changes.BALANCES, Changes.READINGS, Changes.STALLS)
    APPLY_BUDGET_S = 0.010  # GUI-thread time per slice of re-read rows …
    APPLY_CHUNK = 100  # … checked every this many rows (~1 ms on a quiet PC)
    batch_opened = Signal(object)  # BatchResultDialog
    dialog_opened = Signal(object)  # MeterDialog / ReplaceMeterDialog

    def __init__(self, client: Client, parent: QWidget | None = None):
        super().__init__(client, parent)
        self.model = MeterStatusModel(self)
        self.table = FilteredTable("meters", self.model, self, multi_select=True)
        self.table.activated_row.connect(self.open_history)
        self.show_filter = QComboBox(self)
        for key, title, _pred in SHOW_FILTERS:
            self.show_filter.addItem(QCoreApplication.translate("MetersView", title), key)
        self.show_filter.currentIndexChanged.connect(self._apply_show_filter)
        self.history_button = QPushButton(self.tr("History …"), self)
        self.history_button.clicked.connect(lambda: self.open_history(self.table.current_row()))

        self.table.layout().itemAt(0).layout().insertWidget(0, self.show_filter)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Selected meters:")))
        self.batch_buttons: dict[str, QPushButton] = {}
        for batch in BATCH_ACTIONS:
            button = QPushButton(QCoreApplication.translate("BatchAction", batch.title), self)
            button.clicked.connect(lambda _c=False, b=batch: self.run_batch(b))
            allowed = client.may(
                May.READ_METERS_NOW if batch.key == "read_now" else May.RUN_COMMANDS_ON_METERS
            )
            button.setVisible(allowed)
            self.batch_buttons[batch.key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        # One meter at a time (admin): as on the customers view, the buttons stay in view,
        # disabled, with the reason.
        self.add_button = QPushButton(self.tr("Add meter …"), self)
        self.edit_button = QPushButton(self.tr("Edit …"), self)
        self.replace_button = QPushButton(self.tr("Replace …"), self)
        self.remove_button = QPushButton(self.tr("Remove …"), self)
        self.identity_button = QPushButton(self.tr("Identity …"), self)
        self.identity_button.setToolTip(
            self.tr(
                "A 4G meter's SIM, bound on its first registration: accept a new "
                "one or clear it after an identity conflict"
            )
        )
        self.identity_button.clicked.connect(lambda: self._with_chosen(self.decide_identity))
        self.held_button = QPushButton(self.tr("Held readings …"), self)
        self.held_button.clicked.connect(lambda: self._with_chosen(self.open_held_readings))
        self.add_button.clicked.connect(lambda: self.add_meter(self.table.current_row()))
        self.edit_button.clicked.connect(lambda: self._with_chosen(self.edit_meter))
        self.replace_button.clicked.connect(lambda: self._with_chosen(self.replace_meter))
        self.remove_button.clicked.connect(lambda: self._with_chosen(self.remove_meter))
        self.read_only_note = QLabel(
            self.tr("Only an administrator can add, change or remove meters."), self
        )
        self.read_only_note.setStyleSheet("color: #555;")
        self.read_only_note.setVisible(not client.may(May.EDIT_METERS))
        manage = QHBoxLayout()
        manage.addWidget(QLabel(self.tr("One meter:")))
        for b, action in (
            (self.add_button, May.ADD_METERS),
            (self.edit_button, May.EDIT_METERS),
            (self.replace_button, May.REPLACE_METERS),
            (self.remove_button, May.REMOVE_METERS),
            (self.identity_button, May.DECIDE_IDENTITY_CONFLICTS),
            (self.held_button, May.HANDLE_ABNORMAL_READINGS),
        ):
            b.setEnabled(client.may(action))
            manage.addWidget(b)
        manage.addWidget(self.read_only_note)
        manage.addStretch(1)
        manage.addWidget(self.history_button)  # on this row the batch row keeps within 1024×768
        self._select_after_load: int | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(manage)
        layout.addWidget(self.table, 1)

        self.model.follow(client.comm.meter_status)
        client.comm.service_state_changed.connect(self._show_service_state)
        # Meters whose readings / command results were stored: re-read those rows only, at
        # once when the comm side says so, and on a timer for ids queued by this window.
        client.comm.follows_meters = True
        self._rereading = False
        client.comm.meters_changed.connect(self._refresh_changed)
        self._changed_timer = QTimer(self, interval=2000)
        self._changed_timer.timeout.connect(self._refresh_changed)
        self._changed_timer.start()

    def refresh(self) -> None:
        meter_rows_op(self, self.client).success(self._loaded).run()

    def _loaded(self, rows: list[MeterRow]) -> None:
        self.model.set_rows(rows)
        if self._select_after_load is not None:
            self.select_meter(self._select_after_load)
            self._select_after_load = None
        self.mark_loaded()
        self._refresh_changed()  # meters stored while the load was on its way

    def _show_service_state(self) -> None:
        self.model.set_service_stopped(local_time(self.client.comm.service_stopped_since)[5:])

    def others_changed(self, flags: int, unnamed: int, stall_ids: list[int]) -> None:
        """Another clerk's changes: the meters they name come one by one (the bridge's
        `on_meters`, re-read in `_refresh_changed`); a change that names none reloads."""
        if touches(unnamed, *self.cares_about):
            self._reload_live()

    def _refresh_changed(self) -> None:
        # One re-read at a time: ids stored meanwhile wait in the queue and all go in the
        # next one (on SQLite every transaction waits for the write lock behind the
        # collection's writes, so one op per burst falls behind a large collection).
        # Before the first load they wait too: it may have read the rows before they changed.
        if self._rereading or not self.is_loaded:
            return
        ids = list(dict.fromkeys(drain(self.client.comm.changed_meters, 5000)))
        if not ids:
            return
        self._rereading = True
        meter_rows_by_id_op(self, ids).success(self._changed_rows).failure(
            lambda e: self._reread_failed(ids, e)
        ).in_background().run()

    def _changed_rows(self, rows: list[MeterRow], start: int = 0) -> None:
        # Thousands of rows come back after a collection: they are put in place in slices
        # of APPLY_BUDGET_S, with the event loop (paint, input) turning in between.
        deadline = time.perf_counter() + self.APPLY_BUDGET_S
        i = start
        while i < len(rows):
            self.model.replace_rows(rows[i : i + self.APPLY_CHUNK])
            i += self.APPLY_CHUNK
            if i < len(rows) and time.perf_counter() > deadline:
                QTimer.singleShot(0, self, lambda start=i: self._changed_rows(rows, start))
                return
        self._rereading = False
        self._refresh_changed()

    def _reread_failed(self, ids: list[int], error: BaseException) -> None:
        self._rereading = False
        for meter_id in ids:  # tried again on the next tick
            self.client.comm.changed_meters.put(meter_id)
        log.warning("re-reading %d changed meters failed: %s", len(ids), error)

    def show_page(self, name: str) -> None:
        """Show only the meters of one of SHOW_FILTERS (the overview's cards)."""
        self.show_filter.setCurrentIndex(max(0, self.show_filter.findData(name)))

    def _apply_show_filter(self) -> None:
        key = self.show_filter.currentData()
        self.table.proxy.set_predicate(next(pred for k, _t, pred in SHOW_FILTERS if k == key))

    # -- batch operations --------------------------------------------------------------------
    def run_batch(self, batch: BatchAction, *, reason: str | None = None, ask: bool = True) -> None:
        selected = [r for r in self.table.selected_rows() if r.kind in batch.kinds]
        title = QCoreApplication.translate("BatchAction", batch.title)
        if not selected:
            QMessageBox.information(
                self,
                title,
                self.tr(
                    "Select the meters first (Ctrl+click or Shift+click; Ctrl+A selects all "
                    "shown). "
                    "This operation applies to %1 meters."
                ).replace("%1", self._kinds_text(batch)),
            )
            return
        if ask:
            question = QCoreApplication.translate("BatchAction", batch.question).replace(
                "%n", str(len(selected))
            )
            text, ok = QInputDialog.getText(
                self, title, question + "\n\n" + self.tr("Reason (kept in the audit log):")
            )
            if not ok:
                return
            reason = text.strip()
        meters = {r.id: r for r in selected}
        op = batch_op(self, self.client, batch, list(meters), reason or "")
        op.success(lambda outcomes: self._show_batch(batch, outcomes, meters))
        op.with_progress(self.tr("Sending %1 commands …").replace("%1", str(len(selected)))).run()

    def _kinds_text(self, batch: BatchAction) -> str:
        return " / ".join(label(k) for k in batch.kinds)

    def _show_batch(self, batch: BatchAction, outcomes, meters: dict[int, MeterRow]) -> None:
        dialog = BatchResultDialog(self, batch, outcomes, meters)
        dialog.setModal(False)
        # Control mode changes at once, the relay / valve when the commands finish.
        dialog.finished_all.connect(lambda: self._reread(meters))
        self._reread(meters)
        self.batch_opened.emit(dialog)
        dialog.show()

    def _reread(self, meters: dict[int, MeterRow]) -> None:
        for meter_id in meters:
            self.client.comm.on_meter_changed(meter_id)

    # -- one meter: add, edit, replace, remove -----------------------------------------------
    def select_meter(self, meter_id: int) -> None:
        self.table.select(meter_id)

    def _with_chosen(self, then) -> None:
        row = self.table.current_row()
        if row is None:
            QMessageBox.information(
                self, self.tr("Meters"), self.tr("Click a meter in the list first.")
            )
            return
        then(row)

    def add_meter(self, row: MeterRow | None = None) -> None:
        """The meter dialog for a new meter, of the chosen row's stall if a row is chosen."""
        if not self.client.may(May.ADD_METERS):
            return
        code = row.stall_code if row is not None else ""
        channel_id, kind = (row.channel_id, row.kind) if row is not None else (None, None)
        meter_form_op(self, self.client).success(
            lambda loaded: self._open(
                MeterDialog(
                    self, self.client, loaded[0], stall_code=code, channel_id=channel_id, kind=kind
                )
            )
        ).run()

    def edit_meter(self, row: MeterRow) -> None:
        if not self.client.may(May.EDIT_METERS):
            return
        meter_form_op(self, self.client, row.id).success(
            lambda loaded: self._open(MeterDialog(self, self.client, loaded[0], loaded[1]))
        ).run()

    def replace_meter(self, row: MeterRow) -> None:
        if not self.client.may(May.REPLACE_METERS):
            return
        meter_form_op(self, self.client, row.id).success(
            lambda loaded: self._open(ReplaceMeterDialog(self, self.client, loaded[0], loaded[1]))
        ).run()

    def _open(self, dialog) -> None:
        self.dialog = dialog
        # The change reloads the list (Changes.METERS); the saved meter is chosen again.
        dialog.saved.connect(lambda detail: setattr(self, "_select_after_load", detail.id))
        self.dialog_opened.emit(dialog)
        dialog.open()

    def remove_meter(self, row: MeterRow) -> None:
        if not self.client.may(May.REMOVE_METERS):
            return
        meter_form_op(self, self.client, row.id).success(
            lambda loaded: self._ask_remove(loaded[1])
        ).run()

    def _ask_remove(self, detail: MeterDetail) -> None:
        where = (
            self.tr("meter %1 of stall %2")
            .replace("%1", detail.address)
            .replace("%2", detail.stall_code)
            if detail.stall_code
            else self.tr("meter %1 (no stall)").replace("%1", detail.address)
        )
        if detail.channel:
            where += self.tr(" on channel %1").replace("%1", detail.channel)
        if detail.has_history:
            title = self.tr("Take meter out of use")
            question = self.tr(
                "Take %1 out of use? It has readings or bills, so it is kept in the history and "
                "no longer read; its usage read but not yet settled is still billed by the next "
                "settlement. Its address on the channel is free again."
            ).replace("%1", where)
        else:
            title = self.tr("Delete meter")
            question = self.tr(
                "Delete %1? It has no readings and no bills, so it is deleted as entered by "
                "mistake."
            ).replace("%1", where)
        if QMessageBox.question(self, title, question) == QMessageBox.StandardButton.Yes:
            remove_meter_op(self, self.client, detail.id).run()

    def decide_identity(self, row: MeterRow) -> None:
        """身份冲突: show the SIM bound and the one offered; the admin accepts the new one
        (the SIM was really changed) or clears the binding (the next registration binds)."""
        if not self.client.may(May.DECIDE_IDENTITY_CONFLICTS):
            return
        lines = [
            self.tr("Meter %1").replace("%1", row.address),
            self.tr("SIM bound: %1").replace("%1", row.identity or self.tr("none yet")),
            self.tr("SIM of the refused registrations: %1").replace(
                "%1", row.identity_offered or "—"
            ),
        ]
        if row.identity_conflict:
            lines.insert(
                1,
                self.tr(
                    "Another device keeps registering with this meter's number (identity "
                    "conflict). Check the meter on site before deciding."
                ),
            )
        box = QMessageBox(
            QMessageBox.Icon.Warning if row.identity_conflict else QMessageBox.Icon.Information,
            self.tr("Dial-in identity"),
            "\n".join(lines),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        accept = box.addButton(self.tr("Accept the new SIM"), QMessageBox.ButtonRole.AcceptRole)
        accept.setEnabled(bool(row.identity_offered))
        clear = box.addButton(self.tr("Clear the binding"), QMessageBox.ButtonRole.DestructiveRole)
        self.identity_box = box

        def decided(button) -> None:
            decision = "accept" if button is accept else "clear" if button is clear else None
            if decision:
                self._select_after_load = row.id
                resolve_identity_op(self, self.client, row.id, decision).success(
                    lambda _d: self.refresh()
                ).run()

        box.buttonClicked.connect(decided)
        box.open()
        self.dialog_opened.emit(box)

    def open_held_readings(self, row: MeterRow) -> None:
        if not self.client.may(May.HANDLE_ABNORMAL_READINGS):
            return

        def loaded(anomaly) -> None:
            if anomaly is None:
                QMessageBox.information(
                    self,
                    self.tr("Held readings"),
                    self.tr("No readings are held for meter %1.").replace("%1", row.address),
                )
                return
            dialog = HeldReadingsDialog(self, self.client.actor, row, anomaly)
            dialog.saved.connect(lambda _info: self.refresh())
            dialog.open()
            self.dialog_opened.emit(dialog)

        held_readings_op(self, self.client, row.id).success(loaded).run()

    def open_history(self, row: MeterRow | None) -> None:
        if row is None:
            QMessageBox.information(self, self.tr("History"), self.tr("Select a meter first."))
            return
        MeterHistoryDialog(self, row).show()

    def hideEvent(self, event) -> None:
        self.table.save_header()
        super().hideEvent(event)
