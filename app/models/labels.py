"""The words for the models' stored values, one table per enum, in one module beside the
models (an enum's words are its labels in every client: the counter, receipts and reports,
the command line). The comm enums' tables are in app/comm/labels.py, since comm knows no
models. Each label is a catalogue `Word`: `PAY_METHOD[method].say(lang)` in a document or the
command line, Qt's translate with the same context and source in the client (app/ui/labels.py)."""

from __future__ import annotations

from app.comm.labels import ACTION, METER_KIND
from app.comm.types import MeterKind
from app.models.account import EntryKind, PayMethod
from app.models.billing import BillKind, BillStatus, ChargeMethod
from app.models.meter import AnomalyKind, CommandStatus, CommStatus, ControlMode
from app.models.monthly import MonthStatus
from app.models.shared_cost import SharedRunStatus, ShareMethod
from app.models.site import SettlementCycle, StallStatus
from app.models.tariff import TariffMode
from app.models.user import Role
from app.words import QT_TRANSLATE_NOOP, Word

PAY_METHOD = {
    PayMethod.CASH: Word("labels.pay_method.cash", QT_TRANSLATE_NOOP("Labels", "Cash")),
    PayMethod.WECHAT: Word("labels.pay_method.wechat", QT_TRANSLATE_NOOP("Labels", "WeChat Pay")),
    PayMethod.ALIPAY: Word("labels.pay_method.alipay", QT_TRANSLATE_NOOP("Labels", "Alipay")),
    PayMethod.CARD: Word("labels.pay_method.card", QT_TRANSLATE_NOOP("Labels", "Bank card")),
    PayMethod.TRANSFER: Word(
        "labels.pay_method.transfer", QT_TRANSLATE_NOOP("Labels", "Bank transfer")
    ),
}
ENTRY_KIND = {
    EntryKind.RECHARGE: Word("labels.entry_kind.recharge", QT_TRANSLATE_NOOP("Labels", "Recharge")),
    EntryKind.REVERSAL: Word("labels.entry_kind.reversal", QT_TRANSLATE_NOOP("Labels", "Reversal")),
    # the only refund is the one paid when an account is closed (销户退款)
    EntryKind.REFUND: Word(
        "labels.entry_kind.refund", QT_TRANSLATE_NOOP("Labels", "Refund at closing")
    ),
    EntryKind.BILL: Word("labels.entry_kind.bill", QT_TRANSLATE_NOOP("Labels", "Bill debit")),
    EntryKind.ADJUSTMENT: Word(
        "labels.entry_kind.adjustment", QT_TRANSLATE_NOOP("Labels", "Adjustment")
    ),
}
BILL_KIND = {
    BillKind.ELECTRIC: METER_KIND[MeterKind.ELECTRIC],
    BillKind.WATER: METER_KIND[MeterKind.WATER],
    BillKind.PROPERTY: Word("labels.bill_kind.property", QT_TRANSLATE_NOOP("Labels", "Property")),
    BillKind.SHARED_ELECTRIC: Word(
        "labels.bill_kind.shared_electric", QT_TRANSLATE_NOOP("Labels", "Shared electricity")
    ),
    BillKind.SHARED_WATER: Word(
        "labels.bill_kind.shared_water", QT_TRANSLATE_NOOP("Labels", "Shared water")
    ),
}
BILL_STATUS = {
    BillStatus.UNPROCESSED: Word(
        "labels.bill_status.unprocessed", QT_TRANSLATE_NOOP("Labels", "Not issued")
    ),
    BillStatus.REVIEWED: Word(
        "labels.bill_status.reviewed", QT_TRANSLATE_NOOP("Labels", "Reviewed")
    ),
    BillStatus.SETTLED: Word("labels.bill_status.settled", QT_TRANSLATE_NOOP("Labels", "Settled")),
    BillStatus.VOIDED: Word("labels.bill_status.voided", QT_TRANSLATE_NOOP("Labels", "Voided")),
}
CHARGE_METHOD = {
    ChargeMethod.FIXED_MONTH: Word(
        "labels.charge_method.fixed_month", QT_TRANSLATE_NOOP("Settings", "Fixed per month")
    ),
    ChargeMethod.PER_M2: Word(
        "labels.charge_method.per_m2", QT_TRANSLATE_NOOP("Settings", "Per m² of stall area")
    ),
    ChargeMethod.PER_UNIT: Word(
        "labels.charge_method.per_unit", QT_TRANSLATE_NOOP("Settings", "Per unit")
    ),
}
STALL_STATUS = {
    StallStatus.ACTIVE: Word("labels.stall_status.active", QT_TRANSLATE_NOOP("Labels", "In use")),
    StallStatus.VACANT: Word("labels.stall_status.vacant", QT_TRANSLATE_NOOP("Labels", "Vacant")),
    StallStatus.CLOSED: Word("labels.stall_status.closed", QT_TRANSLATE_NOOP("Labels", "Closed")),
}
SETTLEMENT_CYCLE = {
    SettlementCycle.HOURLY: Word(
        "labels.settlement_cycle.hourly", QT_TRANSLATE_NOOP("Labels", "Hourly")
    ),
    SettlementCycle.DAILY: Word(
        "labels.settlement_cycle.daily", QT_TRANSLATE_NOOP("Labels", "Daily")
    ),
    SettlementCycle.MONTHLY: Word(
        "labels.settlement_cycle.monthly", QT_TRANSLATE_NOOP("Labels", "Monthly")
    ),
}
TARIFF_MODE = {
    TariffMode.FLAT: Word("labels.tariff_mode.flat", QT_TRANSLATE_NOOP("Labels", "Flat")),
    TariffMode.TOU: Word("labels.tariff_mode.tou", QT_TRANSLATE_NOOP("Labels", "Time of use")),
    TariffMode.TIERED: Word("labels.tariff_mode.tiered", QT_TRANSLATE_NOOP("Labels", "Tiered")),
}
# A person's forced modes are the commands that set them (保电 / 强制断电).
CONTROL_MODE = {
    ControlMode.PREPAID: Word(
        "labels.control_mode.prepaid", QT_TRANSLATE_NOOP("Labels", "Prepaid")
    ),
    ControlMode.FORCED_ON: ACTION[ControlMode.FORCED_ON],
    ControlMode.FORCED_OFF: ACTION[ControlMode.FORCED_OFF],
}
# The forced modes in the words of the meter's kind (强制分闸 / 强制合闸, 强制关阀 / 强制开阀),
# keyed by (kind, mode): a person's trip / close / valve command, kept until prepaid returns.
KIND_MODE = {
    (MeterKind.ELECTRIC, ControlMode.FORCED_ON): Word(
        "labels.kind_mode.forced_close", QT_TRANSLATE_NOOP("Labels", "Forced close")
    ),
    (MeterKind.ELECTRIC, ControlMode.FORCED_OFF): Word(
        "labels.kind_mode.forced_trip", QT_TRANSLATE_NOOP("Labels", "Forced trip")
    ),
    (MeterKind.WATER, ControlMode.FORCED_ON): Word(
        "labels.kind_mode.forced_valve_open", QT_TRANSLATE_NOOP("Labels", "Forced valve open")
    ),
    (MeterKind.WATER, ControlMode.FORCED_OFF): Word(
        "labels.kind_mode.forced_valve_closed", QT_TRANSLATE_NOOP("Labels", "Forced valve closed")
    ),
}
COMM_STATUS = {
    CommStatus.ONLINE: Word("labels.comm_status.online", QT_TRANSLATE_NOOP("Labels", "Online")),
    CommStatus.OFFLINE: Word("labels.comm_status.offline", QT_TRANSLATE_NOOP("Labels", "Offline")),
    CommStatus.UNKNOWN: Word(
        "labels.comm_status.unknown", QT_TRANSLATE_NOOP("Labels", "Not read yet")
    ),
}
ANOMALY_KIND = {
    AnomalyKind.WENT_DOWN: Word(
        "labels.anomaly_kind.went_down", QT_TRANSLATE_NOOP("Labels", "counter went down")
    ),
    AnomalyKind.JUMP: Word(
        "labels.anomaly_kind.jump", QT_TRANSLATE_NOOP("Labels", "implausible jump")
    ),
    AnomalyKind.ROLLOVER: Word(
        "labels.anomaly_kind.rollover", QT_TRANSLATE_NOOP("Labels", "register rolled over")
    ),
}
COMMAND_STATUS = {
    CommandStatus.PENDING: Word(
        "labels.command_status.pending", QT_TRANSLATE_NOOP("Labels", "Waiting")
    ),
    CommandStatus.SENT: Word("labels.command_status.sent", QT_TRANSLATE_NOOP("Labels", "Sent")),
    CommandStatus.SUCCEEDED: Word(
        "labels.command_status.succeeded", QT_TRANSLATE_NOOP("Labels", "Succeeded")
    ),
    CommandStatus.FAILED: Word(
        "labels.command_status.failed", QT_TRANSLATE_NOOP("Labels", "Failed")
    ),
    CommandStatus.CANCELLED: Word(
        "labels.command_status.cancelled", QT_TRANSLATE_NOOP("Labels", "Cancelled")
    ),
}
ROLE = {
    Role.ADMIN: Word("labels.role.admin", QT_TRANSLATE_NOOP("Labels", "Administrator")),
    Role.CASHIER: Word("labels.role.cashier", QT_TRANSLATE_NOOP("Labels", "Cashier")),
    Role.REVIEWER: Word("labels.role.reviewer", QT_TRANSLATE_NOOP("Labels", "Reviewer")),
    Role.VIEWER: Word("labels.role.viewer", QT_TRANSLATE_NOOP("Labels", "Viewer")),
}
# Who acts without a user row (app.services.platform.context: SYSTEM_ACTOR, CLI_ACTOR).
BUILT_IN_ACTOR = {
    "system": Word("labels.actor.system", QT_TRANSLATE_NOOP("Labels", "System (automatic)")),
    "cli": Word("labels.actor.cli", QT_TRANSLATE_NOOP("Labels", "Command line")),
    "portal": Word("labels.actor.portal", QT_TRANSLATE_NOOP("Labels", "Tenant portal")),
    "online_payment": Word("labels.actor.online", QT_TRANSLATE_NOOP("Operators", "Online")),
}
MONTH_STATUS = {
    MonthStatus.DRAFT: Word("labels.month_status.draft", QT_TRANSLATE_NOOP("Labels", "Draft")),
    MonthStatus.SUBMITTED: Word(
        "labels.month_status.submitted", QT_TRANSLATE_NOOP("Labels", "Waiting for review")
    ),
    MonthStatus.APPROVED: Word(
        "labels.month_status.approved", QT_TRANSLATE_NOOP("Labels", "Approved (locked)")
    ),
    MonthStatus.RETURNED: Word(
        "labels.month_status.returned", QT_TRANSLATE_NOOP("Labels", "Sent back")
    ),
    MonthStatus.REOPENED: Word(
        "labels.month_status.reopened", QT_TRANSLATE_NOOP("Labels", "Reopened")
    ),
}
# The steps of a monthly report's review, as its history stores them.
MONTH_STEP = {
    "build": Word("labels.month_step.build", QT_TRANSLATE_NOOP("MonthlyView", "Built")),
    "submit": Word("labels.month_step.submit", QT_TRANSLATE_NOOP("MonthlyView", "Submitted")),
    "approve": Word("labels.month_step.approve", QT_TRANSLATE_NOOP("MonthlyView", "Approved")),
    "return": Word("labels.month_step.return", QT_TRANSLATE_NOOP("MonthlyView", "Sent back")),
    "reopen": Word("labels.month_step.reopen", QT_TRANSLATE_NOOP("MonthlyView", "Reopened")),
}
SHARE_METHOD = {
    ShareMethod.MANUAL: Word(
        "labels.share_method.manual", QT_TRANSLATE_NOOP("Labels", "Manual coefficient")
    ),
    ShareMethod.BY_USAGE: Word(
        "labels.share_method.by_usage", QT_TRANSLATE_NOOP("Labels", "By usage")
    ),
    ShareMethod.BY_AREA: Word(
        "labels.share_method.by_area", QT_TRANSLATE_NOOP("Labels", "By area")
    ),
    ShareMethod.FIXED: Word(
        "labels.share_method.fixed", QT_TRANSLATE_NOOP("Labels", "Fixed amount")
    ),
}
# A run's state in one word (the shared-cost view adds what comes next).
SHARED_RUN_STATUS = {
    SharedRunStatus.GENERATED: Word(
        "labels.shared_run_status.generated", QT_TRANSLATE_NOOP("Labels", "Not processed")
    ),
    SharedRunStatus.REVIEWED: BILL_STATUS[BillStatus.REVIEWED],
    SharedRunStatus.ISSUED: Word(
        "labels.shared_run_status.issued", QT_TRANSLATE_NOOP("Labels", "Issued")
    ),
    SharedRunStatus.VOIDED: BILL_STATUS[BillStatus.VOIDED],
    SharedRunStatus.REVERSED: Word(
        "labels.shared_run_status.reversed", QT_TRANSLATE_NOOP("Labels", "Reversed")
    ),
}
