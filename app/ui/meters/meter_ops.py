"""Meter actions as ops. Commands are durable rows (services/market/control.py); the
comm service executes them and this client polls their rows for the results."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from app.comm.types import Action, MeterKind
from app.models.meter import ControlMode
from app.services.market import control, meters, readings
from app.services.market.control import command_rows
from app.services.market.meters import meter_history, meter_rows, meter_rows_for
from app.services.platform.context import Changes
from app.ui.client import Client
from app.ui.ops import DbOp, QueryOp


@dataclass(frozen=True)
class BatchAction:
    key: str
    title: str  # QT_TRANSLATE_NOOP("BatchAction", …)
    question: str  # "%n" = number of meters
    kinds: tuple[MeterKind, ...]  # which meters it applies to
    action: Action | None = None  # a command (issue_command) …
    mode: ControlMode | None = None  # … or a control mode (set_control_mode)


ELECTRIC, WATER = (MeterKind.ELECTRIC,), (MeterKind.WATER,)
BATCH_ACTIONS = (
    BatchAction(
        "trip",
        QT_TRANSLATE_NOOP("BatchAction", "Trip (power off)"),
        QT_TRANSLATE_NOOP(
            "BatchAction",
            "Switch OFF the power of %n electricity meters? They stay off (forced trip) "
            "whatever their balance, until prepaid control is restored.",
        ),
        ELECTRIC,
        Action.TRIP,
    ),
    BatchAction(
        "close",
        QT_TRANSLATE_NOOP("BatchAction", "Close (power on)"),
        QT_TRANSLATE_NOOP(
            "BatchAction",
            "Switch ON the power of %n electricity meters? They stay on (forced close) "
            "whatever their balance, until prepaid control is restored.",
        ),
        ELECTRIC,
        Action.CLOSE,
    ),
    BatchAction(
        "forced_on",
        QT_TRANSLATE_NOOP("BatchAction", "Forced on"),
        QT_TRANSLATE_NOOP("BatchAction", "Keep %n meters on whatever their balance (forced on)?"),
        ELECTRIC + WATER,
        mode=ControlMode.FORCED_ON,
    ),
    BatchAction(
        "restore_prepaid",
        QT_TRANSLATE_NOOP("BatchAction", "Restore prepaid"),
        QT_TRANSLATE_NOOP(
            "BatchAction", "Return %n meters to prepaid control (the balance decides again)?"
        ),
        ELECTRIC + WATER,
        mode=ControlMode.PREPAID,
    ),
    BatchAction(
        "valve_open",
        QT_TRANSLATE_NOOP("BatchAction", "Open valve"),
        QT_TRANSLATE_NOOP(
            "BatchAction",
            "Open the valve of %n water meters? They stay open (forced) whatever their "
            "balance, until prepaid control is restored.",
        ),
        WATER,
        Action.VALVE_OPEN,
    ),
    BatchAction(
        "valve_close",
        QT_TRANSLATE_NOOP("BatchAction", "Close valve"),
        QT_TRANSLATE_NOOP(
            "BatchAction",
            "Close the valve of %n water meters? They stay closed (forced) whatever their "
            "balance, until prepaid control is restored.",
        ),
        WATER,
        Action.VALVE_CLOSE,
    ),
    BatchAction(
        "read_now",
        QT_TRANSLATE_NOOP("BatchAction", "Read now"),
        QT_TRANSLATE_NOOP("BatchAction", "Read %n meters now?"),
        ELECTRIC + WATER,
        Action.READ_NOW,
    ),
)


def meter_rows_op(parent: QWidget, client: Client) -> QueryOp:
    return QueryOp(parent, lambda s: meter_rows(s, client.site_id))


def meter_rows_by_id_op(parent: QWidget, meter_ids: list[int]) -> QueryOp:
    return QueryOp(parent, lambda s: meter_rows_for(s, meter_ids))


def batch_op(
    parent: QWidget, client: Client, batch: BatchAction, meter_ids: list[int], reason: str
) -> DbOp:
    if batch.mode is not None:
        body = lambda s: control.set_control_mode(s, client.actor, meter_ids, batch.mode, reason)  # noqa: E731
    else:
        body = lambda s: control.issue_command(s, client.actor, meter_ids, batch.action, reason)  # noqa: E731
    return DbOp(parent, body, changes=Changes.COMMANDS | Changes.METERS)


def command_rows_op(parent: QWidget, command_ids: list[int]) -> QueryOp:
    return QueryOp(parent, lambda s: command_rows(s, command_ids))


def meter_history_op(parent: QWidget, meter_id: int) -> QueryOp:
    return QueryOp(parent, lambda s: meter_history(s, meter_id))


def meter_form_op(parent: QWidget, client: Client, meter_id: int | None = None) -> QueryOp:
    """What the meter dialogs offer, and the meter to edit (None: a new one)."""

    def body(s):
        choices = meters.meter_form_choices(s, client.site_id)
        return choices, meters.meter_detail(
            s, client.site_id, meter_id
        ) if meter_id is not None else None

    return QueryOp(parent, body)


def held_readings_op(parent: QWidget, client: Client, meter_id: int) -> QueryOp:
    """The meter's held anomaly with all its readings, or None."""
    return QueryOp(
        parent,
        lambda s: next(
            (a for a in readings.held_anomalies(s, client.site_id) if a.meter_id == meter_id), None
        ),
    )


def resolve_identity_op(parent: QWidget, client: Client, meter_id: int, decision: str) -> DbOp:
    return DbOp(
        parent,
        lambda s: meters.resolve_identity(s, client.actor, meter_id, decision),
        changes=Changes.METERS,
    )


def remove_meter_op(parent: QWidget, client: Client, meter_id: int) -> DbOp:
    return DbOp(
        parent,
        lambda s: meters.remove_meter(s, client.actor, meter_id),
        changes=Changes.METERS | Changes.STALLS,
    )
