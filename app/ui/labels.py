"""Words shown for stored values (enums), marked once here and translated where shown."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

CTX = "Labels"

_LABELS: dict[str, str] = {
    # meter kinds
    "electric": QT_TRANSLATE_NOOP("Labels", "Electricity"),
    "water": QT_TRANSLATE_NOOP("Labels", "Water"),
    # comm status
    "online": QT_TRANSLATE_NOOP("Labels", "Online"),
    "offline": QT_TRANSLATE_NOOP("Labels", "Offline"),
    "unknown": QT_TRANSLATE_NOOP("Labels", "Not read yet"),
    "identity_conflict": QT_TRANSLATE_NOOP("Labels", "Identity conflict"),
    # held readings (AnomalyKind)
    "went_down": QT_TRANSLATE_NOOP("Labels", "counter went down"),
    "jump": QT_TRANSLATE_NOOP("Labels", "implausible jump"),
    "rollover": QT_TRANSLATE_NOOP("Labels", "register rolled over"),
    # control modes
    "prepaid": QT_TRANSLATE_NOOP("Labels", "Prepaid"),
    "forced_on": QT_TRANSLATE_NOOP("Labels", "Forced on"),
    "forced_off": QT_TRANSLATE_NOOP("Labels", "Forced off"),
    # command actions
    "trip": QT_TRANSLATE_NOOP("Labels", "Trip"),
    "close": QT_TRANSLATE_NOOP("Labels", "Close"),
    "restore_prepaid": QT_TRANSLATE_NOOP("Labels", "Restore prepaid"),
    "valve_open": QT_TRANSLATE_NOOP("Labels", "Open valve"),
    "valve_close": QT_TRANSLATE_NOOP("Labels", "Close valve"),
    "read_now": QT_TRANSLATE_NOOP("Labels", "Read now"),
    # command status
    "pending": QT_TRANSLATE_NOOP("Labels", "Waiting"),
    "sent": QT_TRANSLATE_NOOP("Labels", "Sent"),
    "succeeded": QT_TRANSLATE_NOOP("Labels", "Succeeded"),
    "failed": QT_TRANSLATE_NOOP("Labels", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled"),
    # pay methods
    "cash": QT_TRANSLATE_NOOP("Labels", "Cash"),
    "wechat": QT_TRANSLATE_NOOP("Labels", "WeChat Pay"),
    "alipay": QT_TRANSLATE_NOOP("Labels", "Alipay"),
    "card": QT_TRANSLATE_NOOP("Labels", "Bank card"),
    "transfer": QT_TRANSLATE_NOOP("Labels", "Bank transfer"),
    # counter movements (receipt kinds)
    "recharge": QT_TRANSLATE_NOOP("Labels", "Recharge"),
    "reversal": QT_TRANSLATE_NOOP("Labels", "Reversal"),
    "refund": QT_TRANSLATE_NOOP("Labels", "Refund"),
    # bill kinds and status
    "property": QT_TRANSLATE_NOOP("Labels", "Property"),
    "shared_electric": QT_TRANSLATE_NOOP("Labels", "Shared electricity"),
    "shared_water": QT_TRANSLATE_NOOP("Labels", "Shared water"),
    "unprocessed": QT_TRANSLATE_NOOP("Labels", "Not issued"),
    "reviewed": QT_TRANSLATE_NOOP("Labels", "Reviewed"),
    "settled": QT_TRANSLATE_NOOP("Labels", "Settled"),
    "voided": QT_TRANSLATE_NOOP("Labels", "Voided"),
    # stall status
    "active": QT_TRANSLATE_NOOP("Labels", "In use"),
    "vacant": QT_TRANSLATE_NOOP("Labels", "Vacant"),
    "closed": QT_TRANSLATE_NOOP("Labels", "Closed"),
    # settlement cycles
    "hourly": QT_TRANSLATE_NOOP("Labels", "Hourly"),
    "daily": QT_TRANSLATE_NOOP("Labels", "Daily"),
    "monthly": QT_TRANSLATE_NOOP("Labels", "Monthly"),
    # tariff modes
    "flat": QT_TRANSLATE_NOOP("Labels", "Flat"),
    "tou": QT_TRANSLATE_NOOP("Labels", "Time of use"),
    "tiered": QT_TRANSLATE_NOOP("Labels", "Tiered"),
    # who acts without a user row (app.services.platform.context.BUILT_IN_ACTORS)
    "system": QT_TRANSLATE_NOOP("Labels", "System (automatic)"),
    "cli": QT_TRANSLATE_NOOP("Labels", "Command line"),
    # roles
    "admin": QT_TRANSLATE_NOOP("Labels", "Administrator"),
    "cashier": QT_TRANSLATE_NOOP("Labels", "Cashier"),
    "reviewer": QT_TRANSLATE_NOOP("Labels", "Reviewer"),
    "viewer": QT_TRANSLATE_NOOP("Labels", "Viewer"),
    # channel kinds
    "serial": QT_TRANSLATE_NOOP("Labels", "RS485 serial port"),
    "serial_server": QT_TRANSLATE_NOOP("Labels", "Serial server (TCP)"),
    "modbus_tcp": QT_TRANSLATE_NOOP("Labels", "Modbus TCP gateway"),
    "acrel_4g": QT_TRANSLATE_NOOP("Labels", "Acrel 4G meters"),
    "dtu": QT_TRANSLATE_NOOP("Labels", "4G DTU"),
    "ctwing": QT_TRANSLATE_NOOP("Labels", "NB-IoT (CTWing)"),
    # frame direction
    "tx": QT_TRANSLATE_NOOP("Labels", "Sent"),
    "rx": QT_TRANSLATE_NOOP("Labels", "Received"),
}
# Forced control per meter kind (强制分闸 / 强制合闸, 强制关阀 / 强制开阀), keyed by (kind, mode):
# a person's trip / close / valve command, kept until prepaid control is restored.
_MODE = {
    ("electric", "forced_on"): QT_TRANSLATE_NOOP("Labels", "Forced close"),
    ("electric", "forced_off"): QT_TRANSLATE_NOOP("Labels", "Forced trip"),
    ("water", "forced_on"): QT_TRANSLATE_NOOP("Labels", "Forced valve open"),
    ("water", "forced_off"): QT_TRANSLATE_NOOP("Labels", "Forced valve closed"),
}
# Relay / valve state words, keyed by (kind, supply_on)
_SUPPLY = {
    ("electric", True): QT_TRANSLATE_NOOP("Labels", "Power on"),
    ("electric", False): QT_TRANSLATE_NOOP("Labels", "Tripped"),
    ("water", True): QT_TRANSLATE_NOOP("Labels", "Valve open"),
    ("water", False): QT_TRANSLATE_NOOP("Labels", "Valve closed"),
}


def label(value: object) -> str:
    """The translated word for a stored value; the value itself if it has none."""
    if value is None:
        return ""
    return _label(str(value))


# The language is chosen at start-up and never changes while running, so a translated word
# can be kept: a 20,000-row table asks for the same few words 100,000 times.
@lru_cache(maxsize=512)
def _label(key: str) -> str:
    source = _LABELS.get(key)
    return QCoreApplication.translate(CTX, source) if source else key


@lru_cache(maxsize=16)
def supply_label(kind: str, supply_on: bool | None) -> str:
    if supply_on is None:
        return QCoreApplication.translate("Labels", "Unknown")
    return QCoreApplication.translate(CTX, _SUPPLY[(str(kind), supply_on)])


@lru_cache(maxsize=16)
def mode_label(kind: str, mode: str) -> str:
    """A meter's control mode in the words of its kind: 预付费, or e.g. 强制关阀 for water."""
    source = _MODE.get((str(kind), str(mode)))
    return QCoreApplication.translate(CTX, source) if source else _label(str(mode))


def forget_translations() -> None:
    """After the language changes (tests switch it; the client sets it once at start)."""
    _label.cache_clear()
    supply_label.cache_clear()
    mode_label.cache_clear()


def comm_text(text) -> str:
    """A comm / command result in the client's language: a word the comm layer handed on
    (Said / Word), or as stored (code + parameters; a plain text as it is)."""
    from app.comm.messages import shown
    from app.ui.errors import ui_language

    return shown(text, ui_language())


def yes_no(value: bool) -> str:
    return QCoreApplication.translate("Labels", "Yes") if value else QCoreApplication.translate("Labels", "No")
