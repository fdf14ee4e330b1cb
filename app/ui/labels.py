"""Stored values (enums) in the client's words. The one label table per enum is in
app/models/labels.py (app/comm/labels.py for comm's enums); the client translates each
word through Qt with the same context and source, so it reads as on receipts and reports."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QCoreApplication

from app.comm import labels as cl
from app.models import labels as ml
from app.words import QT_TRANSLATE_NOOP

# The client's lookup of a stored value's word: the tables of app/models/labels.py and
# app/comm/labels.py by value (the few values two enums share have the same word there).
_LABELS: dict[str, tuple[str, str]] = {
    str(value): word.text
    for table in (
        ml.PAY_METHOD,
        ml.ENTRY_KIND,
        ml.BILL_KIND,
        ml.BILL_STATUS,
        ml.STALL_STATUS,
        ml.SETTLEMENT_CYCLE,
        ml.TARIFF_MODE,
        ml.COMM_STATUS,
        ml.ANOMALY_KIND,
        ml.COMMAND_STATUS,
        ml.ROLE,
        ml.BUILT_IN_ACTOR,
        cl.METER_KIND,
        cl.CHANNEL_KIND,
        cl.ACTION,
        cl.DIRECTION,
        ml.CONTROL_MODE,
    )
    for value, word in table.items()
}
# A meter whose SIM or serial another device claims (the status table's comm column).
_LABELS["identity_conflict"] = QT_TRANSLATE_NOOP("Labels", "Identity conflict")


def label(value: object) -> str:
    """The translated word for a stored value; the value itself if it has none."""
    if value is None:
        return ""
    return _label(str(value))


# The language is chosen at start-up and never changes while running, so a translated word
# can be kept: a 20,000-row table asks for the same few words 100,000 times.
@lru_cache(maxsize=512)
def _label(key: str) -> str:
    text = _LABELS.get(key)
    return QCoreApplication.translate(*text) if text else key


@lru_cache(maxsize=16)
def supply_label(kind: str, supply_on: bool | None) -> str:
    word = cl.SUPPLY_UNKNOWN if supply_on is None else cl.SUPPLY[(str(kind), supply_on)]
    return QCoreApplication.translate(*word.text)


@lru_cache(maxsize=16)
def mode_label(kind: str, mode: str) -> str:
    """A meter's control mode in the words of its kind: 预付费, or e.g. 强制关阀 for water."""
    word = ml.KIND_MODE.get((str(kind), str(mode)))
    return QCoreApplication.translate(*word.text) if word else _label(str(mode))


def forget_translations() -> None:
    """After the language changes (tests switch it; the client sets it once at start)."""
    _label.cache_clear()
    supply_label.cache_clear()
    mode_label.cache_clear()


def comm_text(text) -> str:
    """A text the program wrote (a comm result, a command's reason, a month's flags) in the
    client's language: a word handed on (Said / Word), or as stored (code + parameters; a
    plain text, typed by a person, as it is)."""
    from app.ui.errors import ui_language
    from app.words import shown

    return shown(text, ui_language())


def yes_no(value: bool) -> str:
    return (
        QCoreApplication.translate("Labels", "Yes")
        if value
        else QCoreApplication.translate("Labels", "No")
    )
