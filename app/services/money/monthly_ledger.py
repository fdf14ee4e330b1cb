"""Monthly ledger (月报表台账) and its review.

Per stall per month: electricity kWh and water m³ (from the daily closing registers), the
money of every bill kind, recharges, reversals, refunds and adjustments, and opening and
closing balance — all money from the LEDGER. Each entry counts in one month: a bill's
debit in the bill's month (账期, `Bill.month`: the month of its period, so the night run
on the 1st puts the last day's usage into the month it was used, or the first open month
when that one was locked); every other entry in the month of its date. Opening = the sum
of the account's entries counted in earlier months, closing = opening + the month's
entries. So for every stall: opening + recharges + reversals + refunds + adjustments −
bills = closing, and the closing of one month is the opening of the next.

This month is compared with last month; a row is flagged when usage jumps or falls by more
than `jump_pct` percent or a meter sent no reading for `offline_days` days or more.

Review: draft → submitted (admin) → approved by a reviewer (locks the month: `MonthLock`)
or returned with a comment → rebuilt → submitted … Approval refuses a report whose
figures no longer match the ledger (something was posted after it was built).
A month can be built at any time (a draft to look at), but submitted and approved only
once it has ended in the site's time zone: approving the running month would lock the
counter for the rest of it. Four eyes: whoever submitted a month does not approve it,
unless the site allows it (`Site.submitter_may_approve`, a one-person office); the ledger
then says 由提交人审核. An approved month is reopened only by an administrator with a
reason (the lock goes, the report is 已重新打开, and each rebuild writes what changed
against the previous figures into the review trail), then rebuilt, submitted and
approved again.

Locked months (approving locks the month; corrections go into the next month). One rule,
two helpers, and each case decides which applies:
- `ensure_month_open(session, site_id, when)` refuses (Conflict, code month_locked) what
  would be dated in a locked month and has nowhere else to go: a recharge or refund today
  when today's month is locked, generating property bills for a locked month, generating
  a shared-cost run whose period lies in a locked month, voiding a bill counted in one.
- `open_month(session, site_id, when)` gives the month something counts in: its own month,
  or the first later month that is not locked. Settlement (periodic and final) bills a
  period inside a locked month all the same, with the bill's month (账期, `Bill.month`)
  moved to that first open month; issuing a property or shared-cost bill whose month was
  locked meanwhile moves it the same way. Readings dated in a locked month are stored
  (meter data is never thrown away) and counted in `IngestResult.in_locked_month`; their
  money reaches the ledger only through settlement, so it lands in the first open month.
  A reversal of a recharge made in a locked month posts in the current month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, delete, func, insert, not_, or_, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.models.account import Account, EntryKind, LedgerEntry
from app.models.base import utcnow
from app.models.billing import Bill, BillKind, MonthLock
from app.models.labels import MONTH_STATUS, MONTH_STEP
from app.models.meter import Meter
from app.models.money import ZERO
from app.models.monthly import MonthlyReport, MonthlyReview, MonthlyRow, MonthStatus
from app.models.site import Building, Site, Stall
from app.models.user import User
from app.services.platform.audit import audit
from app.services.platform.context import (
    LIST,
    Actor,
    Conflict,
    May,
    NotFound,
    PermissionDenied,
    ServiceError,
    printed_name,
    require,
    shown_name,
)
from app.services.platform.timeutil import local_midnight, next_month, site_zone, zone
from app.words import QT_TRANSLATE_NOOP, Said, Word, said_from, shown, stored_text

MONTHLY_REPORT_REVIEWED_LOCKED_BILLS = Word(
    "monthly_ledger.monthly_report_reviewed_locked_bills",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The monthly report of {month:%Y-%m} has been reviewed and locked: bills, readings and "
        "reversals of that month can no longer be added or changed. Make corrections in the "
        "current, unlocked month",
    ),
)
NOT_ENDED_YET_ENDS_AT = Word(
    "monthly_ledger.not_ended_yet_ends_at",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{month:%Y-%m} has not ended yet (it ends at {local_end:%Y-%m-%d %H:%M}), so it cannot be "
        "{doing}. Build a draft to look at now; submit it for review once the month has ended",
    ),
)
MONTHLY_REPORTS_BY_NAMED_PERSON = Word(
    "monthly_ledger.monthly_reports_by_named_person",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Only a named person may {doing}: add --operator USERNAME to the command to sign in as "
        "yourself, then try again",
    ),
)
MONTHLY_REPORT_CANNOT_SUBMITTED = Word(
    "monthly_ledger.monthly_report_cannot_submitted",
    QT_TRANSLATE_NOOP(
        "Errors", "The monthly report of {report_month:%Y-%m} is “{status}” and cannot be submitted"
    ),
)
MONTHLY_REPORT_WAS_RETURNED_DEAL = Word(
    "monthly_ledger.monthly_report_was_returned_deal",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The monthly report of {report_month:%Y-%m} was returned. Deal with the reviewer's notes "
        "and build it again, then submit it",
    ),
)
MONTHLY_REPORT_WAS_REOPENED_MAKE = Word(
    "monthly_ledger.monthly_report_was_reopened_make",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The monthly report of {report_month:%Y-%m} was reopened. Make the corrections and build "
        "it again, then submit it",
    ),
)
MONTHLY_REPORT_ONLY_SUBMITTED_REPORT = Word(
    "monthly_ledger.monthly_report_only_submitted_report",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The monthly report of {report_month:%Y-%m} is “{status}”; only a submitted report can be "
        "approved",
    ),
)
YOU_SUBMITTED_MONTHLY_REPORT_ANOTHER = Word(
    "monthly_ledger.you_submitted_monthly_report_another",
    QT_TRANSLATE_NOOP(
        "Errors",
        "You submitted the monthly report of {report_month:%Y-%m}, so another person must approve "
        "it (four eyes). In a one-person office an administrator can allow the submitter to "
        "approve under Settings → Users and roles",
    ),
)
MONEY_MOVED_IN_MONTH_AFTER = Word(
    "monthly_ledger.money_moved_in_month_after",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Money moved in the month after the report was built (stall {stalls}{more}). Return the "
        "report, build it again, then approve it",
    ),
)
WRITE_WHY_APPROVED_MONTH_REOPENED = Word(
    "monthly_ledger.write_why_approved_month_reopened",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Write why the approved month is reopened (e.g. the bill to correct); it is kept in the "
        "review history and the audit log",
    ),
)
MONTHLY_REPORT_ONLY_APPROVED_REPORT = Word(
    "monthly_ledger.monthly_report_only_approved_report",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The monthly report of {report_month:%Y-%m} is “{status}”; only an approved report needs "
        "reopening",
    ),
)
APPROVED_LOCKED_TOO_OPENING_BALANCES = Word(
    "monthly_ledger.approved_locked_too_opening_balances",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{later:%Y-%m} is approved and locked too, and its opening balances come from "
        "{report_month:%Y-%m}. Reopen {later:%Y-%m} first",
    ),
)
WRITE_WHY_REPORT_RETURNED_ADMINISTRATOR = Word(
    "monthly_ledger.write_why_report_returned_administrator",
    QT_TRANSLATE_NOOP(
        "Errors", "Write why the report is returned, so the administrator knows what to change"
    ),
)
MONTHLY_REPORT_ONLY_SUBMITTED_REPORT_2 = Word(
    "monthly_ledger.monthly_report_only_submitted_report_2",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The monthly report of {report_month:%Y-%m} is “{status}”; only a submitted report can be "
        "returned",
    ),
)
MONTHLY_REPORT_NOT_BUILT_YET = Word(
    "monthly_ledger.monthly_report_not_built_yet",
    QT_TRANSLATE_NOOP(
        "Errors", "The monthly report of {month:%Y-%m} has not been built yet. Build it first"
    ),
)
MONTH_NOT_WRITTEN_RIGHT_WRITE = Word(
    "monthly_ledger.month_not_written_right_write",
    QT_TRANSLATE_NOOP("Errors", "Month “{text}” is not written right. Write it like 2026-11"),
)
# what a person may be refused, said in PermissionDenied
BUILD_MONTHLY_REPORTS = Word(
    "monthly_ledger.build_monthly_reports", QT_TRANSLATE_NOOP("Errors", "build monthly reports")
)
SUBMIT_MONTHLY_REPORTS = Word(
    "monthly_ledger.submit_monthly_reports", QT_TRANSLATE_NOOP("Errors", "submit monthly reports")
)
APPROVE_MONTHLY_REPORTS = Word(
    "monthly_ledger.approve_monthly_reports", QT_TRANSLATE_NOOP("Errors", "approve monthly reports")
)
RETURN_MONTHLY_REPORTS = Word(
    "monthly_ledger.return_monthly_reports", QT_TRANSLATE_NOOP("Errors", "return monthly reports")
)

# kept with the review step as text (MonthlyReview.comment), in Chinese as the office's records are
# kept
APPROVED_BY_SUBMITTER = Word(
    "monthly_ledger.approved_by_submitter", QT_TRANSLATE_NOOP("Labels", "approved by the submitter")
)
STATUS_BY_SUBMITTER = Word(
    "monthly_ledger.status_by_submitter", QT_TRANSLATE_NOOP("Labels", "{status}, {by}")
)
MONTH = Word("monthly_ledger.month", QT_TRANSLATE_NOOP("Labels", "{month:%Y-%m}"))
CANNOT_BUILD_AGAIN = Word(
    "monthly_ledger.cannot_build_again",
    QT_TRANSLATE_NOOP(
        "Errors", "The monthly report of {month:%Y-%m} is “{status}” and cannot be built again"
    ),
)
CANNOT_BUILD_AGAIN_SUBMITTED = Word(
    "monthly_ledger.cannot_build_again_submitted",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The monthly report of {month:%Y-%m} is “{status}” and cannot be built again; ask a "
        "reviewer to return it first",
    ),
)
# what a month that has not ended cannot be (NOT_ENDED_YET_ENDS_AT)
_SUBMITTED = Word("monthly_ledger.not_ended.submitted", QT_TRANSLATE_NOOP("Errors", "submitted"))
_APPROVED = Word("monthly_ledger.not_ended.approved", QT_TRANSLATE_NOOP("Errors", "approved"))
_AND_MORE = Word("monthly_ledger.and_more", QT_TRANSLATE_NOOP("Errors", " and more"))
# The ledger's documents (.xlsx, PDF) and its rows' texts, said in default_language(); the
# flags and the notes of the review trail the program writes (MonthlyRow.flags,
# MonthlyReview.comment) are stored as the words' codes and parameters (stored_text).
HOUSEHOLDS = Word("monthly_ledger.households", QT_TRANSLATE_NOOP("Labels", "{count} stalls"))
FLAGGED = Word("monthly_ledger.flagged", QT_TRANSLATE_NOOP("Labels", "{count} flagged"))
TOTAL_OF = Word("monthly_ledger.total_of", QT_TRANSLATE_NOOP("Labels", "{building} total"))
SITE_TOTAL = Word("monthly_ledger.site_total", QT_TRANSLATE_NOOP("Labels", "Market total"))
OFFLINE = Word(
    "monthly_ledger.offline", QT_TRANSLATE_NOOP("Labels", "{kind} {address} offline {days} days")
)
ELECTRIC_METER = Word(
    "monthly_ledger.electric_meter", QT_TRANSLATE_NOOP("Labels", "Electricity meter")
)
WATER_METER = Word("monthly_ledger.water_meter", QT_TRANSLATE_NOOP("Labels", "Water meter"))
ELECTRICITY_USE = Word(
    "monthly_ledger.electricity_use", QT_TRANSLATE_NOOP("Labels", "Electricity use")
)
WATER_USE = Word("monthly_ledger.water_use", QT_TRANSLATE_NOOP("Labels", "Water use"))
JUMPED = Word("monthly_ledger.jumped", QT_TRANSLATE_NOOP("Labels", "{what} jumped {change}%"))
DROPPED = Word("monthly_ledger.dropped", QT_TRANSLATE_NOOP("Labels", "{what} dropped {change}%"))
FROM_ZERO = Word(
    "monthly_ledger.from_zero",
    QT_TRANSLATE_NOOP("Labels", "{what} was 0 last month, {now} this month"),
)
CLOSING_CHANGED = Word(
    "monthly_ledger.closing_changed", QT_TRANSLATE_NOOP("Labels", "{stall} closing {old}→{new}")
)
MORE_STALLS = Word(
    "monthly_ledger.more_stalls", QT_TRANSLATE_NOOP("Labels", " and {count} stalls in all")
)
CHANGED_SINCE = Word(
    "monthly_ledger.changed_since",
    QT_TRANSLATE_NOOP(
        "Labels",
        "Changed since the last build: {shown}{more}; closing balances {delta} yuan in all",
    ),
)
SEPARATOR = Word("monthly_ledger.separator", QT_TRANSLATE_NOOP("Labels", "{first}; {next}"))
LEDGER_TITLE = Word(
    "monthly_ledger.ledger_title",
    QT_TRANSLATE_NOOP("Labels", "{site} {month} monthly ledger ({status})"),
)
LEDGER_HEADING = Word(
    "monthly_ledger.ledger_heading", QT_TRANSLATE_NOOP("Labels", "{month} monthly ledger")
)
BUILDING_SECTION = Word(
    "monthly_ledger.building_section", QT_TRANSLATE_NOOP("Labels", "Building: {building}")
)
PERIOD_STATUS = Word(
    "monthly_ledger.period_status", QT_TRANSLATE_NOOP("Labels", "{month}　Status: {status}")
)
STEP = Word("monthly_ledger.step", QT_TRANSLATE_NOOP("Labels", "{at} {who} {action}"))
STEP_WITH_COMMENT = Word(
    "monthly_ledger.step_with_comment",
    QT_TRANSLATE_NOOP("Labels", "{at} {who} {action} ({comment})"),
)
REVIEW_TRAIL = Word(
    "monthly_ledger.review_trail", QT_TRANSLATE_NOOP("Labels", "Review trail: {steps}")
)
FLAG_RULE = Word(
    "monthly_ledger.flag_rule",
    QT_TRANSLATE_NOOP(
        "Labels",
        "Flagged when usage changes by more than {pct}% from last month or a meter is offline "
        "{days} days or more",
    ),
)
_COLUMNS = (
    ("building", Word("monthly_ledger.column.building", QT_TRANSLATE_NOOP("Labels", "Building"))),
    (
        "stall_code",
        Word("monthly_ledger.column.stall_code", QT_TRANSLATE_NOOP("Labels", "Stall code")),
    ),
    (
        "stall_name",
        Word("monthly_ledger.column.stall_name", QT_TRANSLATE_NOOP("Labels", "Stall name")),
    ),
    (
        "electric_kwh",
        Word(
            "monthly_ledger.column.electric_kwh",
            QT_TRANSLATE_NOOP("Labels", "Electricity this month kWh"),
        ),
        "kwh",
    ),
    (
        "prev_electric_kwh",
        Word(
            "monthly_ledger.column.prev_electric_kwh",
            QT_TRANSLATE_NOOP("Labels", "Electricity last month kWh"),
        ),
        "kwh",
    ),
    (
        "electric_change_kwh",
        Word(
            "monthly_ledger.column.electric_change_kwh",
            QT_TRANSLATE_NOOP("Labels", "Electricity change"),
        ),
        "kwh",
    ),
    (
        "electric_amount",
        Word(
            "monthly_ledger.column.electric_amount",
            QT_TRANSLATE_NOOP("Labels", "Electricity charge"),
        ),
        "money",
    ),
    (
        "water_m3",
        Word("monthly_ledger.column.water_m3", QT_TRANSLATE_NOOP("Labels", "Water this month m³")),
        "m3",
    ),
    (
        "prev_water_m3",
        Word(
            "monthly_ledger.column.prev_water_m3",
            QT_TRANSLATE_NOOP("Labels", "Water last month m³"),
        ),
        "m3",
    ),
    (
        "water_amount",
        Word("monthly_ledger.column.water_amount", QT_TRANSLATE_NOOP("Labels", "Water charge")),
        "money",
    ),
    (
        "shared_electric",
        Word(
            "monthly_ledger.column.shared_electric",
            QT_TRANSLATE_NOOP("Labels", "Shared electricity"),
        ),
        "money",
    ),
    (
        "shared_water",
        Word("monthly_ledger.column.shared_water", QT_TRANSLATE_NOOP("Labels", "Shared water")),
        "money",
    ),
    (
        "property_amount",
        Word("monthly_ledger.column.property_amount", QT_TRANSLATE_NOOP("Labels", "Property")),
        "money",
    ),
    (
        "opening",
        Word("monthly_ledger.column.opening", QT_TRANSLATE_NOOP("Labels", "Opening balance")),
        "money",
    ),
    (
        "recharges",
        Word("monthly_ledger.column.recharges", QT_TRANSLATE_NOOP("Labels", "Recharge")),
        "money",
    ),
    (
        "reversals",
        Word("monthly_ledger.column.reversals", QT_TRANSLATE_NOOP("Labels", "Reversal")),
        "money",
    ),
    (
        "refunds",
        Word("monthly_ledger.column.refunds", QT_TRANSLATE_NOOP("Labels", "Refund")),
        "money",
    ),
    (
        "adjustments",
        Word("monthly_ledger.column.adjustments", QT_TRANSLATE_NOOP("Labels", "Adjustment")),
        "money",
    ),
    (
        "closing",
        Word("monthly_ledger.column.closing", QT_TRANSLATE_NOOP("Labels", "Closing balance")),
        "money",
    ),
    ("flags", Word("monthly_ledger.column.flags", QT_TRANSLATE_NOOP("Labels", "Flags"))),
)
# Statuses in which the admin rebuilds the draft before (re)submitting it.
_TO_REBUILD = (MonthStatus.RETURNED, MonthStatus.REOPENED)
MONEY_FIELDS = (
    "electric_amount",
    "water_amount",
    "shared_electric",
    "shared_water",
    "property_amount",
    "recharges",
    "reversals",
    "refunds",
    "adjustments",
    "opening",
    "closing",
)
_BILL_FIELD = {
    BillKind.ELECTRIC: "electric_amount",
    BillKind.WATER: "water_amount",
    BillKind.SHARED_ELECTRIC: "shared_electric",
    BillKind.SHARED_WATER: "shared_water",
    BillKind.PROPERTY: "property_amount",
}
_ENTRY_FIELD = {
    EntryKind.RECHARGE: "recharges",
    EntryKind.REVERSAL: "reversals",
    EntryKind.REFUND: "refunds",
    EntryKind.ADJUSTMENT: "adjustments",
}


def month_label(month: date) -> str:
    """The month in default_language(): 2026年11月 / 2026-11."""
    return MONTH.say(month=month)


def parse_month(text: str) -> date:
    """'2026-11' / '2026/11' / '202611' → date(2026, 11, 1)."""
    s = text.strip().replace("/", "-").replace("年", "-").replace("月", "")
    try:
        if "-" in s:
            y, m = s.split("-")[:2]
        else:
            y, m = s[:4], s[4:]
        return date(int(y), int(m), 1)
    except ValueError:
        raise ServiceError(MONTH_NOT_WRITTEN_RIGHT_WRITE, text=text) from None


# ------------------------------------------------------------------ locked months


def ensure_month_open(session: Session, site_id: int, when: date | datetime) -> None:
    """Raise Conflict when `when` (a local date, or an instant) lies in a month the
    reviewer approved: nothing dated in a locked month may change. Transaction: read only."""
    if isinstance(when, datetime):
        when = when.astimezone(site_zone(session, site_id)).date()
    month = when.replace(day=1)
    if session.scalar(
        select(MonthLock.id).where(MonthLock.site_id == site_id, MonthLock.month == month)
    ):
        raise Conflict(
            MONTHLY_REPORT_REVIEWED_LOCKED_BILLS,
            code="month_locked",
            p1=MONTH(month=month),
            month=month,
        )


def open_month(session: Session, site_id: int, when: date | datetime) -> date:
    """The month (first day) that money dated `when` counts in: `when`'s own local month
    or, if the reviewer locked it, the first later month not locked. Read only."""
    if isinstance(when, datetime):
        when = when.astimezone(site_zone(session, site_id)).date()
    month = when.replace(day=1)
    locked = set(
        session.scalars(
            select(MonthLock.month).where(MonthLock.site_id == site_id, MonthLock.month >= month)
        )
    )
    while month in locked:
        month = next_month(month)
    return month


# ------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class MonthRow:
    stall_id: int | None
    building: str
    stall_code: str
    stall_name: str
    electric_kwh: Decimal
    prev_electric_kwh: Decimal
    water_m3: Decimal
    prev_water_m3: Decimal
    electric_amount: Decimal
    water_amount: Decimal
    shared_electric: Decimal
    shared_water: Decimal
    property_amount: Decimal
    recharges: Decimal
    reversals: Decimal
    refunds: Decimal
    adjustments: Decimal
    opening: Decimal
    closing: Decimal
    offline_days: int = 0
    flags: str = ""  # said in default_language()
    flag_words: Said | None = field(default=None, compare=False)  # to say them in another

    @classmethod
    def stored(cls, row: MonthlyRow) -> MonthRow:
        """A row as the month keeps it (MonthlyRow), its flags put into words."""
        words = said_from(row.flags)
        return cls(
            **{n: getattr(row, n) for n in _STORED_FIELDS if n != "flags"},
            flags=shown(row.flags),
            flag_words=words,
        )

    def to_store(self) -> dict:
        """The MonthlyRow columns of this row: its flags as the words' codes and parameters."""
        values = {n: getattr(self, n) for n in _STORED_FIELDS}
        values["flags"] = stored_text(self.flag_words) if self.flag_words else self.flags
        return values

    @property
    def bills(self) -> Decimal:
        return (
            self.electric_amount
            + self.water_amount
            + self.shared_electric
            + self.shared_water
            + self.property_amount
        )

    @property
    def electric_change_kwh(self) -> Decimal:
        return self.electric_kwh - self.prev_electric_kwh

    @property
    def water_change_m3(self) -> Decimal:
        return self.water_m3 - self.prev_water_m3

    @property
    def is_reconciled(self) -> bool:
        return (
            self.opening
            + self.recharges
            + self.reversals
            + self.refunds
            + self.adjustments
            - self.bills
            == self.closing
        )


def _total(label_building: str, label: str, rows: list[MonthRow]) -> MonthRow:
    sums = {f: sum((getattr(r, f) for r in rows), ZERO) for f in MONEY_FIELDS}
    qty = {
        f: sum((getattr(r, f) for r in rows), Decimal("0.000"))
        for f in ("electric_kwh", "prev_electric_kwh", "water_m3", "prev_water_m3")
    }
    return MonthRow(
        None,
        label_building,
        label,
        HOUSEHOLDS.say(count=len(rows)),
        **qty,
        **sums,
        offline_days=0,
        flags=FLAGGED.say(count=sum(1 for r in rows if r.flags)) if rows else "",
    )


_STORED_FIELDS = tuple(f.name for f in fields(MonthRow) if f.name != "flag_words")


@dataclass(frozen=True, slots=True)
class ReviewStep:
    at: datetime
    username: str
    action: str
    comment: str  # said in default_language()
    comment_words: Said | None = None  # a comment the program wrote, to say it in another


@dataclass(frozen=True, slots=True)
class MonthSummary:
    site_id: int
    site_name: str
    timezone: str
    month: date
    status: MonthStatus
    jump_pct: Decimal
    offline_days: int
    rows: tuple[MonthRow, ...]
    building_totals: tuple[MonthRow, ...]
    site_total: MonthRow
    reviews: tuple[ReviewStep, ...]
    ends_at: datetime | None = None  # the instant the month ends (site's local midnight of the 1st)
    submitted_by_id: int | None = None  # who submitted it last (user id; None for a built-in actor)
    submitted_by: str = ""  # … and their stored name
    submitter_may_approve: bool = False  # the site's setting (one-person office)
    approved_by_submitter: bool = False  # approved by the same person who submitted it

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def status_name(self) -> str:
        name = MONTH_STATUS[self.status].say()
        if self.status is MonthStatus.APPROVED and self.approved_by_submitter:
            return STATUS_BY_SUBMITTER.say(
                status=MONTH_STATUS[self.status], by=APPROVED_BY_SUBMITTER
            )
        return name

    def has_ended(self, now: datetime) -> bool:
        return self.ends_at is not None and now >= self.ends_at

    def was_submitted_by(self, user_id: int | None, username: str) -> bool:
        """Whether this person submitted the month last (a built-in actor by its name)."""
        if not self.submitted_by:
            return False
        if user_id is not None or self.submitted_by_id is not None:
            return user_id == self.submitted_by_id
        return username == self.submitted_by


# ------------------------------------------------------------------ computing


def _bounds(session: Session, site_id: int, month: date):
    tz = site_zone(session, site_id)
    return tz, local_midnight(month, tz), local_midnight(next_month(month), tz)


def _by_bill_month():
    """Entries counted in their bill's month (a bill debit); all others count by date."""
    return and_(LedgerEntry.kind == EntryKind.BILL, LedgerEntry.bill_id.is_not(None))


def _balances_before(
    session: Session, site_id: int, month: date, t: datetime
) -> dict[int, Decimal]:
    """Per stall: the entries counted in months before `month` (which starts at `t`)."""
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    base = (
        select(Account.stall_id, func.sum(LedgerEntry.amount))
        .join(Account, Account.id == LedgerEntry.account_id)
        .join(Stall, Stall.id == Account.stall_id)
        .where(Stall.site_id == site_id)
        .group_by(Account.stall_id)
    )
    by_date = base.where(not_(_by_bill_month()), LedgerEntry.at < t)
    by_bill = base.join(Bill, Bill.id == LedgerEntry.bill_id).where(
        _by_bill_month(), Bill.month < month
    )
    for q in (by_date, by_bill):
        for sid, v in session.execute(q):
            out[sid] += Decimal(v)
    return dict(out)


def compute_rows(
    session: Session,
    site_id: int,
    month: date,
    *,
    jump_pct: Decimal = Decimal("50"),
    offline_days: int = 3,
    today: date | None = None,
) -> list[MonthRow]:
    """The month's rows as computed now from the ledger and the readings (not stored)."""
    from app.services.office.reports import (  # reports builds on this module
        period_usage,
        reading_days,
    )

    tz, start, end = _bounds(session, site_id, month)
    last_day = next_month(month) - timedelta(days=1)
    prev_month = (month - timedelta(days=1)).replace(day=1)
    stalls = session.execute(
        select(Stall.id, Stall.code, Stall.name, Building.name)
        .join(Building, Building.id == Stall.building_id)
        .where(Stall.site_id == site_id)
        .order_by(Building.name, Stall.code)
    ).all()
    opening = _balances_before(session, site_id, month, start)
    money: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    q = (
        select(Account.stall_id, LedgerEntry.kind, Bill.kind, func.sum(LedgerEntry.amount))
        .join(Account, Account.id == LedgerEntry.account_id)
        .join(Stall, Stall.id == Account.stall_id)
        .outerjoin(Bill, Bill.id == LedgerEntry.bill_id)
        .where(
            Stall.site_id == site_id,
            or_(
                and_(not_(_by_bill_month()), LedgerEntry.at >= start, LedgerEntry.at < end),
                and_(_by_bill_month(), Bill.month == month),
            ),
        )
        .group_by(Account.stall_id, LedgerEntry.kind, Bill.kind)
    )
    for sid, entry_kind, bill_kind, amount in session.execute(q):
        amount = Decimal(amount)
        if EntryKind(entry_kind) is EntryKind.BILL:
            money[sid][_BILL_FIELD[BillKind(bill_kind)]] -= (
                amount  # a debit: shown as a positive bill
            )
        else:
            money[sid][_ENTRY_FIELD[EntryKind(entry_kind)]] += amount
    meters = session.execute(
        select(Meter.id, Meter.stall_id, Meter.kind, Meter.address).where(
            Meter.site_id == site_id, Meter.stall_id.is_not(None)
        )
    ).all()
    ids = [m.id for m in meters]
    now_usage = period_usage(session, ids, month, last_day)
    prev_usage = period_usage(session, ids, prev_month, month - timedelta(days=1))
    today = today or utcnow().astimezone(tz).date()
    days_due = max(0, (min(last_day, today) - month).days + 1)
    seen = reading_days(session, ids, month, min(last_day, today)) if days_due else {}
    usage: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(lambda: Decimal("0.000"))
    )
    offline: dict[int, list[Said]] = defaultdict(list)
    worst: dict[int, int] = defaultdict(int)
    for mid, sid, kind, address in meters:
        k = "electric" if MeterKind(kind) is MeterKind.ELECTRIC else "water"
        usage[sid][k] += now_usage.get(mid, Decimal(0))
        usage[sid]["prev_" + k] += prev_usage.get(mid, Decimal(0))
        missing = days_due - seen.get(mid, 0)
        if days_due and missing >= offline_days:
            offline[sid].append(
                OFFLINE(
                    kind=ELECTRIC_METER if k == "electric" else WATER_METER,
                    address=address,
                    days=missing,
                )
            )
            worst[sid] = max(worst[sid], missing)
    rows = []
    for sid, code, name, building in stalls:
        m = money.get(sid, {})
        u = usage.get(sid, {})
        o = opening.get(sid, ZERO)
        values = {f: m.get(f, ZERO) for f in MONEY_FIELDS if f not in ("opening", "closing")}
        bills = sum((values[f] for f in _BILL_FIELD.values()), ZERO)
        closing = (
            o
            + values["recharges"]
            + values["reversals"]
            + values["refunds"]
            + values["adjustments"]
            - bills
        )
        e, pe = u.get("electric", Decimal("0.000")), u.get("prev_electric", Decimal("0.000"))
        w, pw = u.get("water", Decimal("0.000")), u.get("prev_water", Decimal("0.000"))
        flags = [
            f
            for f in (
                _change_flag(ELECTRICITY_USE, e, pe, jump_pct),
                _change_flag(WATER_USE, w, pw, jump_pct),
            )
            if f
        ]
        flags += offline.get(sid, [])
        rows.append(
            MonthRow(
                sid,
                building,
                code,
                name,
                e,
                pe,
                w,
                pw,
                **values,
                opening=o,
                closing=closing,
                offline_days=worst.get(sid, 0),
                flags=_joined(flags).say() if flags else "",
                flag_words=_joined(flags) if flags else None,
            )
        )
    return rows


def _change_flag(what: Word, now: Decimal, prev: Decimal, pct: Decimal) -> Said | None:
    if prev > 0:
        change = (now - prev) / prev * 100
        if abs(change) > pct:
            return (JUMPED if change > 0 else DROPPED)(what=what, change=f"{change:+.0f}")
    elif now > 0 and pct >= 0 and prev == 0 and now >= 1:
        return FROM_ZERO(what=what, now=f"{now.normalize():f}")
    return None


def _joined(items: list) -> Said:
    said = items[0]
    for item in items[1:]:
        said = SEPARATOR(first=said, next=item)
    return said


# ------------------------------------------------------------------ workflow


def _report(
    session: Session, site_id: int, month: date, *, lock: bool = False
) -> MonthlyReport | None:
    q = select(MonthlyReport).where(MonthlyReport.site_id == site_id, MonthlyReport.month == month)
    if lock:
        q = q.with_for_update()
    return session.scalar(q)


def _step(
    session: Session,
    actor: Actor,
    report: MonthlyReport,
    action: str,
    comment: str = "",
    now: datetime | None = None,
) -> None:
    session.add(
        MonthlyReview(
            report_id=report.id,
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            comment=comment,
            at=now or utcnow(),
        )
    )


def build_month(
    session: Session,
    actor: Actor,
    month: date,
    *,
    jump_pct: Decimal | None = None,
    offline_days: int | None = None,
    now: datetime | None = None,
) -> MonthSummary:
    """Build (or rebuild) the month's draft ledger from the ledger and the readings.

    Permission: admin. Transaction: the caller's. Refused once submitted or approved.
    Audit: month.build; review trail: build."""
    require(actor, May.BUILD_MONTHLY_REPORTS)
    month = month.replace(day=1)
    now = now or utcnow()
    report = _report(session, actor.site_id, month, lock=True)
    if report is None:
        report = MonthlyReport(site_id=actor.site_id, month=month)
        session.add(report)
        session.flush()
    elif report.status in (MonthStatus.SUBMITTED, MonthStatus.APPROVED):
        # Reopening an approved month is its own step (reopen_month), for an administrator.
        raise Conflict(
            CANNOT_BUILD_AGAIN_SUBMITTED
            if report.status is MonthStatus.SUBMITTED
            else CANNOT_BUILD_AGAIN,
            month=report.month,
            status=MONTH_STATUS[report.status],
        )
    before = {
        r.stall_id: r
        for r in session.scalars(select(MonthlyRow).where(MonthlyRow.report_id == report.id))
    }
    if jump_pct is not None:
        report.jump_pct = Decimal(jump_pct)
    if offline_days is not None:
        report.offline_days = offline_days
    tz = site_zone(session, actor.site_id)
    rows = compute_rows(
        session,
        actor.site_id,
        month,
        jump_pct=report.jump_pct,
        offline_days=report.offline_days,
        today=now.astimezone(tz).date(),
    )
    session.execute(delete(MonthlyRow).where(MonthlyRow.report_id == report.id))
    if rows:
        session.execute(
            insert(MonthlyRow), [{"report_id": report.id, **r.to_store()} for r in rows]
        )
    report.status, report.built_at, report.built_by = MonthStatus.DRAFT, now, actor.user_id
    _step(session, actor, report, "build", _corrections(before, rows), now=now)
    session.flush()
    audit(
        session,
        actor,
        "month.build",
        "monthly_report",
        report.id,
        month=month.isoformat(),
        rows=len(rows),
        flagged=sum(1 for r in rows if r.flags),
    )
    return get_month(session, actor, month)


def _corrections(before: dict[int, MonthlyRow], rows: list[MonthRow]) -> str:
    """What a rebuild changed against the previous figures, for the review trail (a
    reopened month's corrections stay visible after it is approved again)."""
    if not before:
        return ""
    changed = []
    for r in rows:
        old = before.get(r.stall_id)
        old_closing = old.closing if old is not None else ZERO
        if (
            old is None
            or old_closing != r.closing
            or any(getattr(old, f) != getattr(r, f) for f in MONEY_FIELDS)
        ):
            changed.append((r.stall_code, old_closing, r.closing))
    if not changed:
        return ""
    delta = sum((new - old for _, old, new in changed), ZERO)
    closings = _joined(
        [
            CLOSING_CHANGED(stall=code, old=f"{old:.2f}", new=f"{new:.2f}")
            for code, old, new in changed[:5]
        ]
    )
    more = MORE_STALLS(count=len(changed)) if len(changed) > 5 else ""
    return stored_text(CHANGED_SINCE(shown=closings, more=more, delta=f"{delta:+.2f}"))


def _approved_comment(comment: str, by_submitter: bool) -> str:
    """The approval's comment for the review trail: as typed, after the note that the submitter
    approved it (a word, stored as its code and parameters) when so."""
    if not by_submitter:
        return comment
    return stored_text(
        SEPARATOR(first=APPROVED_BY_SUBMITTER, next=comment) if comment else APPROVED_BY_SUBMITTER
    )


def _listed(items) -> Word | Said | str:
    """Stall codes listed in the reader's language (A001、A002 / A001, A002)."""
    said: Word | Said | str = items[0] if items else ""
    for item in items[1:]:
        said = LIST(first=said, next=item)
    return said


def _month_end(session: Session, site_id: int, month: date) -> datetime:
    return _bounds(session, site_id, month)[2]


def _ensure_ended(session: Session, site_id: int, month: date, now: datetime, doing: Word) -> None:
    """Refuse to submit or approve a month that has not ended in the site's time zone."""
    end = _month_end(session, site_id, month)
    if now < end:
        local_end = end.astimezone(site_zone(session, site_id))
        raise Conflict(
            NOT_ENDED_YET_ENDS_AT,
            code="month_not_ended",
            p1=MONTH(month=month),
            local_end=local_end,
            doing=doing,
            month=month,
        )


def _last_step(session: Session, report: MonthlyReport, action: str) -> MonthlyReview | None:
    return session.scalar(
        select(MonthlyReview)
        .where(MonthlyReview.report_id == report.id, MonthlyReview.action == action)
        .order_by(MonthlyReview.id.desc())
        .limit(1)
    )


def _same_person(a: Actor | MonthlyReview, b: MonthlyReview) -> bool:
    # A built-in actor (the command line) has no user id: it is one person by its name.
    if a.user_id is not None or b.user_id is not None:
        return a.user_id == b.user_id
    return a.username == b.username


def _need_person(actor: Actor, doing: Word) -> None:
    """Four eyes need two known people: the built-in command-line admin is nobody in
    particular, so whoever submitted, it could approve its own month."""
    if actor.user_id is None:
        raise PermissionDenied(MONTHLY_REPORTS_BY_NAMED_PERSON, code="needs_person", doing=doing)


def submit_month(
    session: Session, actor: Actor, month: date, *, now: datetime | None = None
) -> MonthSummary:
    """Submit the draft of a month that has ended for review. Permission: admin, signed in
    as themself. Transaction: the caller's. Audit: month.submit; review trail: submit."""
    require(actor, May.SUBMIT_MONTHLY_REPORTS)
    _need_person(actor, SUBMIT_MONTHLY_REPORTS)
    now = now or utcnow()
    report = _need(session, actor, month, lock=True)
    if report.status not in (MonthStatus.DRAFT, *_TO_REBUILD):
        raise Conflict(
            MONTHLY_REPORT_CANNOT_SUBMITTED,
            p1=MONTH(month=report.month),
            status=MONTH_STATUS[report.status],
            report_month=report.month,
        )
    if report.status is MonthStatus.RETURNED:
        raise Conflict(
            MONTHLY_REPORT_WAS_RETURNED_DEAL,
            p1=MONTH(month=report.month),
            report_month=report.month,
        )
    if report.status is MonthStatus.REOPENED:
        raise Conflict(
            MONTHLY_REPORT_WAS_REOPENED_MAKE,
            p1=MONTH(month=report.month),
            report_month=report.month,
        )
    _ensure_ended(session, report.site_id, report.month, now, _SUBMITTED)
    report.status = MonthStatus.SUBMITTED
    _step(session, actor, report, "submit", now=now)
    audit(
        session, actor, "month.submit", "monthly_report", report.id, month=report.month.isoformat()
    )
    return get_month(session, actor, month)


def approve_month(
    session: Session, actor: Actor, month: date, comment: str = "", *, now: datetime | None = None
) -> MonthSummary:
    """Approve a submitted month and lock it (MonthLock): afterwards nothing changes the
    money counted in it (see "Locked months" above: what would be dated in it is refused
    or goes into the first open month). Refused when the ledger no longer matches the report.

    Permission: reviewer (or admin), signed in as themself. Transaction: the caller's.
    Audit: month.approve; review trail: approve."""
    require(actor, May.APPROVE_MONTHLY_REPORTS)
    _need_person(actor, APPROVE_MONTHLY_REPORTS)
    now = now or utcnow()
    report = _need(session, actor, month, lock=True)
    if report.status is not MonthStatus.SUBMITTED:
        raise Conflict(
            MONTHLY_REPORT_ONLY_SUBMITTED_REPORT,
            p1=MONTH(month=report.month),
            status=MONTH_STATUS[report.status],
            report_month=report.month,
        )
    _ensure_ended(session, report.site_id, report.month, now, _APPROVED)
    submitted = _last_step(session, report, "submit")
    by_submitter = submitted is not None and _same_person(actor, submitted)
    if by_submitter and not session.scalar(
        select(Site.submitter_may_approve).where(Site.id == report.site_id)
    ):
        raise Conflict(
            YOU_SUBMITTED_MONTHLY_REPORT_ANOTHER,
            code="four_eyes",
            p1=MONTH(month=report.month),
            report_month=report.month,
        )
    _, _, end = _bounds(session, report.site_id, report.month)
    actual = _balances_before(session, report.site_id, next_month(report.month), end)
    stale = [r.stall_code for r in report.rows if actual.get(r.stall_id, ZERO) != r.closing]
    if stale:
        raise Conflict(
            MONEY_MOVED_IN_MONTH_AFTER,
            stalls=_listed(stale[:5]),
            more=_AND_MORE if len(stale) > 5 else "",
        )
    report.status, report.comment = MonthStatus.APPROVED, comment
    session.add(
        MonthLock(
            site_id=report.site_id, month=report.month, locked_at=now, locked_by=actor.user_id
        )
    )
    _step(
        session,
        actor,
        report,
        "approve",
        _approved_comment(comment, by_submitter),
        now=now,
    )
    audit(
        session,
        actor,
        "month.approve",
        "monthly_report",
        report.id,
        month=report.month.isoformat(),
        comment=comment,
        approved_by_submitter=by_submitter,
    )
    return get_month(session, actor, month)


def reopen_month(
    session: Session, actor: Actor, month: date, reason: str, *, now: datetime | None = None
) -> MonthSummary:
    """Reopen an approved month to correct it (重新打开): the lock goes, so what is dated in
    the month can change again; the admin corrects, rebuilds (the rebuild notes what changed
    in the review trail), submits, and a reviewer approves it again. Refused while a later
    month is locked: its opening balances were approved on this month's figures.

    Permission: admin only, with a reason. Transaction: the caller's. Audit: month.reopen
    with the reason; review trail: reopen."""
    require(actor, May.REOPEN_MONTHLY_REPORTS)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(WRITE_WHY_APPROVED_MONTH_REOPENED, code="invalid")
    now = now or utcnow()
    report = _need(session, actor, month, lock=True)
    if report.status is not MonthStatus.APPROVED:
        raise Conflict(
            MONTHLY_REPORT_ONLY_APPROVED_REPORT,
            p1=MONTH(month=report.month),
            status=MONTH_STATUS[report.status],
            report_month=report.month,
        )
    later = session.scalar(
        select(func.min(MonthLock.month)).where(
            MonthLock.site_id == report.site_id, MonthLock.month > report.month
        )
    )
    if later is not None:
        raise Conflict(
            APPROVED_LOCKED_TOO_OPENING_BALANCES,
            p1=MONTH(month=later),
            p2=MONTH(month=report.month),
            later=later,
            report_month=report.month,
        )
    session.execute(
        delete(MonthLock).where(
            MonthLock.site_id == report.site_id, MonthLock.month == report.month
        )
    )
    report.status, report.comment = MonthStatus.REOPENED, reason
    _step(session, actor, report, "reopen", reason, now=now)
    audit(
        session,
        actor,
        "month.reopen",
        "monthly_report",
        report.id,
        month=report.month.isoformat(),
        reason=reason,
    )
    return get_month(session, actor, month)


def submitter_may_approve(session: Session, site_id: int) -> bool:
    """The site's four-eyes setting (see set_submitter_may_approve). Read only."""
    return bool(session.scalar(select(Site.submitter_may_approve).where(Site.id == site_id)))


def set_submitter_may_approve(session: Session, actor: Actor, allowed: bool) -> None:
    """One-person office: allow (True) or forbid (False, the default: four eyes) that whoever
    submitted a month approves it. Permission: admin. Transaction: the caller's.
    Audit: month.four_eyes with before and after."""
    require(actor, May.CHANGE_MONTHLY_APPROVAL_RULE)
    site = session.get(Site, actor.site_id)
    before = site.submitter_may_approve
    site.submitter_may_approve = bool(allowed)
    session.flush()
    audit(
        session,
        actor,
        "month.four_eyes",
        "site",
        site.id,
        before={"submitter_may_approve": before},
        after={"submitter_may_approve": site.submitter_may_approve},
    )


def return_month(
    session: Session, actor: Actor, month: date, comment: str, *, now: datetime | None = None
) -> MonthSummary:
    """Send a submitted month back with a comment (退回). Permission: reviewer (or admin).
    Transaction: the caller's. Audit: month.return; review trail: return."""
    require(actor, May.RETURN_MONTHLY_REPORTS)
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError(WRITE_WHY_REPORT_RETURNED_ADMINISTRATOR)
    report = _need(session, actor, month, lock=True)
    if report.status is not MonthStatus.SUBMITTED:
        raise Conflict(
            MONTHLY_REPORT_ONLY_SUBMITTED_REPORT_2,
            p1=MONTH(month=report.month),
            status=MONTH_STATUS[report.status],
            report_month=report.month,
        )
    report.status, report.comment = MonthStatus.RETURNED, comment
    _step(session, actor, report, "return", comment, now=now)
    audit(
        session,
        actor,
        "month.return",
        "monthly_report",
        report.id,
        month=report.month.isoformat(),
        comment=comment,
    )
    return get_month(session, actor, month)


def _need(session: Session, actor: Actor, month: date, *, lock: bool = False) -> MonthlyReport:
    report = _report(session, actor.site_id, month.replace(day=1), lock=lock)
    if report is None:
        raise NotFound(MONTHLY_REPORT_NOT_BUILT_YET, p1=MONTH(month=month), month=month)
    return report


def has_month(session: Session, actor: Actor, month: date) -> bool:
    """Whether the month's ledger has been built (as a draft or further). Reads only."""
    return _report(session, actor.site_id, month.replace(day=1)) is not None


def get_month(session: Session, actor: Actor, month: date) -> MonthSummary:
    """The stored month with totals per building and for the site. Permission: any user
    (reads only)."""
    report = _need(session, actor, month)
    rows = [
        MonthRow.stored(r)
        for r in session.scalars(
            select(MonthlyRow)
            .where(MonthlyRow.report_id == report.id)
            .order_by(MonthlyRow.building, MonthlyRow.stall_code)
        )
    ]
    by_building: dict[str, list[MonthRow]] = defaultdict(list)
    for r in rows:
        by_building[r.building].append(r)
    totals = tuple(_total(b, TOTAL_OF.say(building=b), rs) for b, rs in by_building.items())
    reviews = tuple(
        ReviewStep(
            v.at,
            shown_name(display, None, v.username),
            v.action,
            shown(v.comment),
            said_from(v.comment),
        )
        for v, display in session.execute(
            select(MonthlyReview, User.display_name)
            .outerjoin(User, User.id == MonthlyReview.user_id)
            .where(MonthlyReview.report_id == report.id)
            .order_by(MonthlyReview.id)
        )
    )
    site = session.get(Site, report.site_id)
    submitted = _last_step(session, report, "submit")
    approved = (
        _last_step(session, report, "approve") if report.status is MonthStatus.APPROVED else None
    )
    by_submitter = (
        submitted is not None and approved is not None and _same_person(approved, submitted)
    )
    return MonthSummary(
        report.site_id,
        site.name,
        site.timezone,
        report.month,
        report.status,
        report.jump_pct,
        report.offline_days,
        tuple(rows),
        totals,
        _total("", SITE_TOTAL.say(), rows),
        reviews,
        ends_at=_month_end(session, report.site_id, report.month),
        submitted_by_id=submitted.user_id if submitted else None,
        submitted_by=submitted.username if submitted else "",
        submitter_may_approve=bool(site.submitter_may_approve),
        approved_by_submitter=by_submitter,
    )


# ------------------------------------------------------------------ export


def month_columns():
    from app.services.office.excel_io import Column

    return tuple(Column(key, header.say(), *kind) for key, header, *kind in _COLUMNS)


def _row_dict(r: MonthRow) -> dict:
    d = {n: getattr(r, n) for n in _STORED_FIELDS}
    d["flags"] = r.flag_words or r.flags  # said in the document's language
    d["electric_change_kwh"] = r.electric_change_kwh
    return d


def month_table(summary: MonthSummary) -> list[dict]:
    """Rows in building order with each building's total after its stalls and the site
    total last: what both the .xlsx and the PDF show."""
    out = []
    totals = {t.building: t for t in summary.building_totals}
    current = None
    for r in summary.rows:
        if current is not None and r.building != current:
            out.append(_row_dict(totals[current]))
        current = r.building
        out.append(_row_dict(r))
    if current is not None:
        out.append(_row_dict(totals[current]))
    out.append(_row_dict(summary.site_total))
    return out


def month_xlsx(summary: MonthSummary) -> bytes:
    from app.services.office.excel_io import export_table

    title = LEDGER_TITLE.say(
        site=summary.site_name, month=summary.label, status=summary.status_name
    )
    return export_table(month_columns(), month_table(summary), title, sheet_name=summary.label)


def month_pdf(summary: MonthSummary) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    sections = []
    totals = {t.building: t for t in summary.building_totals}
    by_building: dict[str, list[dict]] = defaultdict(list)
    for r in summary.rows:
        by_building[r.building].append(_row_dict(r))
    for b, rows in by_building.items():
        sections.append(PdfSection(BUILDING_SECTION.say(building=b), rows, _row_dict(totals[b])))
    cols = [c for c in month_columns() if c.key not in ("building", "prev_water_m3")]
    steps = [
        (STEP_WITH_COMMENT if s.comment else STEP)(
            at=s.at.astimezone(zone(summary.timezone)).strftime("%m-%d %H:%M"),
            who=printed_name(s.username),
            action=MONTH_STEP.get(s.action, s.action),
            comment=s.comment_words or s.comment,
        )
        for s in summary.reviews[-6:]
    ]
    return render_table_pdf(
        title=LEDGER_HEADING.say(month=summary.label),
        site=summary.site_name,
        period=PERIOD_STATUS.say(month=summary.label, status=summary.status_name),
        columns=cols,
        sections=sections,
        grand_total=_row_dict(summary.site_total),
        notes=[
            REVIEW_TRAIL.say(steps=_joined(steps)) if steps else "",
            FLAG_RULE.say(pct=f"{summary.jump_pct.normalize():f}", days=summary.offline_days),
        ],
    )


def latest_ledger_month(session: Session, site_id: int, last_ended: date) -> date | None:
    """The month (first day) the monthly ledger opens on: the latest month up to
    `last_ended` that has a built report or bills, else the latest such month at all (a
    market that started this month). Read only."""
    from app.models.monthly import MonthlyReport

    def latest(until: date | None) -> date | None:
        found = []
        for column, where in (
            (MonthlyReport.month, MonthlyReport.site_id == site_id),
            (Bill.month, Bill.site_id == site_id),
        ):
            q = select(func.max(column)).where(where)
            if until is not None:
                q = q.where(column <= until)
            found.append(session.scalar(q))
        months = [m for m in found if m is not None]
        return max(months) if months else None

    return latest(last_ended) or latest(None)
