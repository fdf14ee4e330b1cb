"""The words for comm's own stored values (meter kind, channel kind, command action, frame
direction, supply state), one table per enum, next to the enums (app/comm/types.py). They
live here rather than with the model enums' tables (app/models/labels.py) because comm knows
no models; the models and everything above them read these. Put into words where shown:
`METER_KIND[kind].say(lang)`, or by Qt with the same context and source."""

from __future__ import annotations

from app.comm.types import Action, ChannelKind, Direction, MeterKind
from app.words import QT_TRANSLATE_NOOP, Word

METER_KIND = {
    MeterKind.ELECTRIC: Word(
        "labels.meter_kind.electric", QT_TRANSLATE_NOOP("Labels", "Electricity")
    ),
    MeterKind.WATER: Word("labels.meter_kind.water", QT_TRANSLATE_NOOP("Labels", "Water")),
}
# A meter of each kind as the office names the device (电表 / 水表) in lists of meters.
METER_NAME = {
    MeterKind.ELECTRIC: Word(
        "labels.meter_name.electric", QT_TRANSLATE_NOOP("Labels", "Electricity meter")
    ),
    MeterKind.WATER: Word("labels.meter_name.water", QT_TRANSLATE_NOOP("Labels", "Water meter")),
}
CHANNEL_KIND = {
    ChannelKind.SERIAL: Word(
        "labels.channel_kind.serial", QT_TRANSLATE_NOOP("Labels", "RS485 serial port")
    ),
    ChannelKind.SERIAL_SERVER: Word(
        "labels.channel_kind.serial_server", QT_TRANSLATE_NOOP("Labels", "Serial server (TCP)")
    ),
    ChannelKind.MODBUS_TCP: Word(
        "labels.channel_kind.modbus_tcp", QT_TRANSLATE_NOOP("Labels", "Modbus TCP gateway")
    ),
    ChannelKind.ACREL_4G: Word(
        "labels.channel_kind.acrel_4g", QT_TRANSLATE_NOOP("Labels", "Acrel 4G meters")
    ),
    ChannelKind.DTU: Word("labels.channel_kind.dtu", QT_TRANSLATE_NOOP("Labels", "4G DTU")),
    ChannelKind.CTWING: Word(
        "labels.channel_kind.ctwing", QT_TRANSLATE_NOOP("Labels", "NB-IoT (CTWing)")
    ),
}
ACTION = {
    Action.TRIP: Word("labels.action.trip", QT_TRANSLATE_NOOP("Labels", "Trip")),
    Action.CLOSE: Word("labels.action.close", QT_TRANSLATE_NOOP("Labels", "Close")),
    Action.FORCED_ON: Word("labels.action.forced_on", QT_TRANSLATE_NOOP("Labels", "Forced on")),
    Action.FORCED_OFF: Word("labels.action.forced_off", QT_TRANSLATE_NOOP("Labels", "Forced off")),
    Action.RESTORE_PREPAID: Word(
        "labels.action.restore_prepaid", QT_TRANSLATE_NOOP("Labels", "Restore prepaid")
    ),
    Action.VALVE_OPEN: Word("labels.action.valve_open", QT_TRANSLATE_NOOP("Labels", "Open valve")),
    Action.VALVE_CLOSE: Word(
        "labels.action.valve_close", QT_TRANSLATE_NOOP("Labels", "Close valve")
    ),
    Action.READ_NOW: Word("labels.action.read_now", QT_TRANSLATE_NOOP("Labels", "Read now")),
}
DIRECTION = {
    Direction.TX: Word("labels.direction.tx", QT_TRANSLATE_NOOP("Labels", "Sent")),
    Direction.RX: Word("labels.direction.rx", QT_TRANSLATE_NOOP("Labels", "Received")),
}
# A meter's relay / valve state, keyed by (kind, supply_on); None: not read yet.
SUPPLY = {
    (MeterKind.ELECTRIC, True): Word(
        "labels.supply.power_on", QT_TRANSLATE_NOOP("Labels", "Power on")
    ),
    (MeterKind.ELECTRIC, False): Word(
        "labels.supply.tripped", QT_TRANSLATE_NOOP("Labels", "Tripped")
    ),
    (MeterKind.WATER, True): Word(
        "labels.supply.valve_open", QT_TRANSLATE_NOOP("Labels", "Valve open")
    ),
    (MeterKind.WATER, False): Word(
        "labels.supply.valve_closed", QT_TRANSLATE_NOOP("Labels", "Valve closed")
    ),
}
SUPPLY_UNKNOWN = Word("labels.supply.unknown", QT_TRANSLATE_NOOP("Labels", "Unknown"))
