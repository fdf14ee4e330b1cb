"""Reports: meter usage, cashier shift, arrears and low balance.

Each report is a read-only service returning frozen dataclasses, plus an `.xlsx` (the one
exporter, `excel_io.export_table`) and a PDF (`pdf.py`) made from the same data. Their
words come from the catalogue, said in the documents' language (app.words.default_language,
Chinese unless set otherwise) unless a `lang` is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.comm.labels import METER_NAME
from app.comm.messages import shown as said
from app.comm.types import MeterKind
from app.models.account import Account, EntryKind, PayMethod, Receipt
from app.models.labels import PAY_METHOD
from app.models.meter import Meter, MeterDay
from app.models.money import ZERO, fmt_yuan
from app.models.site import Building, Customer, Site, Stall, StallRole, StallRoleKind
from app.models.user import Role, User
from app.services.market.readings import daily_usage
from app.services.money.tariffs import register_quantity
from app.services.office.excel_io import Column, export_table, fixed_quantity
from app.services.platform.audit import AuditRow, detail_text
from app.services.platform.bulk import chunked
from app.services.platform.context import (
    Actor,
    May,
    ServiceError,
    printed_name,
    require,
    shown_name,
)
from app.services.platform.timeutil import day_number, zone
from app.words import QT_TRANSLATE_NOOP, Said, Word

USAGE_REPORT_CAN_ONLY_TOTALLED = Word(
    "reports.usage_report_can_only_totalled",
    QT_TRANSLATE_NOOP(
        "Errors", "The usage report can only be totalled per day or per month. Choose day or month"
    ),
)
END_DATE_BEFORE_START_DATE = Word(
    "reports.end_date_before_start_date",
    QT_TRANSLATE_NOOP(
        "Errors", "The end date {last} is before the start date {first}. Choose the dates again"
    ),
)

_MD = MeterDay.__table__
UNITS = {MeterKind.ELECTRIC: "kWh", MeterKind.WATER: "m³"}
# The reports' own words (context "Reports")
MASTER_METER = Word("reports.master_meter", QT_TRANSLATE_NOOP("Reports", "(master meter)"))
NO_METHOD = Word("reports.no_method", QT_TRANSLATE_NOOP("Reports", "None"))
GRAND_TOTAL = Word("reports.grand_total", QT_TRANSLATE_NOOP("Reports", "Total"))
OPERATOR_TOTAL = Word("reports.operator_total", QT_TRANSLATE_NOOP("Reports", "All methods"))
ALL_OPERATORS = Word("reports.all_operators", QT_TRANSLATE_NOOP("Reports", "All cashiers"))
SHIFT_REPORT = Word("reports.shift_report", QT_TRANSLATE_NOOP("Reports", "Shift report"))
SHIFT_REPORT_OF = Word(
    "reports.shift_report_of", QT_TRANSLATE_NOOP("Reports", "{site} shift report {span}")
)
SPAN = Word("reports.span", QT_TRANSLATE_NOOP("Reports", "{start} to {end}"))
BY_OPERATOR_AND_METHOD = Word(
    "reports.by_operator_and_method", QT_TRANSLATE_NOOP("Reports", "By cashier and payment method")
)
BY_OPERATOR = Word("reports.by_operator", QT_TRANSLATE_NOOP("Reports", "Totals by cashier"))
BY_METHOD = Word("reports.by_method", QT_TRANSLATE_NOOP("Reports", "Totals by payment method"))
RECEIPT_NOS = Word(
    "reports.receipt_nos", QT_TRANSLATE_NOOP("Reports", "Receipt No. {first} — {last}")
)
NO_RECEIPTS = Word("reports.no_receipts", QT_TRANSLATE_NOOP("Reports", "No receipts in this shift"))
CASH_IN_DRAWER = Word(
    "reports.cash_in_drawer",
    QT_TRANSLATE_NOOP(
        "Reports",
        "Cash in the drawer ¥{cash} (cash recharges less cash reversals and cash refunds)",
    ),
)
SHIFT_SIGNATURES = Word(
    "reports.shift_signatures",
    QT_TRANSLATE_NOOP(
        "Reports",
        "Handed over by: ______________    Taken over by: ______________    Finance: "
        "______________",
    ),
)
IN_ARREARS = Word("reports.in_arrears", QT_TRANSLATE_NOOP("Reports", "In arrears"))
IN_ARREARS_TRIPPED = Word(
    "reports.in_arrears_tripped", QT_TRANSLATE_NOOP("Reports", "In arrears (supply cut)")
)
SUPPLY_CUT = Word("reports.supply_cut", QT_TRANSLATE_NOOP("Reports", "Supply cut"))
BELOW_ALARM2 = Word("reports.below_alarm2", QT_TRANSLATE_NOOP("Reports", "Below alarm 2"))
BELOW_ALARM1 = Word("reports.below_alarm1", QT_TRANSLATE_NOOP("Reports", "Below alarm 1"))
ARREARS_LIST = Word(
    "reports.arrears_list", QT_TRANSLATE_NOOP("Reports", "Arrears and low balances")
)
HOUSEHOLDS = Word("reports.households", QT_TRANSLATE_NOOP("Reports", "{count} stalls in all"))
PAYMENT_NOTICE = Word("reports.payment_notice", QT_TRANSLATE_NOOP("Reports", "Payment notice"))
LONG_DATE = Word("reports.long_date", QT_TRANSLATE_NOOP("Reports", "{month}/{day}/{year}"))
NOTICE_ARREARS = Word(
    "reports.notice_arrears",
    QT_TRANSLATE_NOOP(
        "Reports",
        "As of {date}, the available balance of your stall's electricity / water account is "
        "¥{available}: it is in arrears. So that your business is not affected, please recharge "
        "at the property office soon.",
    ),
)
NOTICE_LOW = Word(
    "reports.notice_low",
    QT_TRANSLATE_NOOP(
        "Reports",
        "As of {date}, the available balance of your stall's electricity / water account is "
        "¥{available}, below the alarm amount of ¥{alarm}. When the balance runs out, electricity "
        "(water) is cut automatically; please recharge at the property office in time.",
    ),
)
NOTICE_BALANCE = Word(
    "reports.notice_balance",
    QT_TRANSLATE_NOOP(
        "Reports",
        "As of {date}, the available balance of your stall's electricity / water account is "
        "¥{available}.",
    ),
)
NOTICE_CUT_RECHARGE = Word(
    "reports.notice_cut_recharge",
    QT_TRANSLATE_NOOP(
        "Reports", "The supply is cut now; it comes back automatically after a recharge."
    ),
)
NOTICE_CUT_ASK = Word(
    "reports.notice_cut_ask",
    QT_TRANSLATE_NOOP("Reports", "The supply is cut now; please ask the property office why."),
)
TWO_SENTENCES = Word("reports.two_sentences", QT_TRANSLATE_NOOP("Reports", "{first} {second}"))
CONTACT = Word("reports.contact", QT_TRANSLATE_NOOP("Reports", "Contact"))
PHONE = Word("reports.phone", QT_TRANSLATE_NOOP("Reports", "Phone"))
BALANCE = Word("reports.balance", QT_TRANSLATE_NOOP("Reports", "Balance"))
AVAILABLE = Word("reports.available", QT_TRANSLATE_NOOP("Reports", "Available balance"))
STATE = Word("reports.state", QT_TRANSLATE_NOOP("Reports", "State"))
YUAN = Word("reports.yuan", QT_TRANSLATE_NOOP("Reports", "¥{amount}"))
PROPERTY_OFFICE = Word(
    "reports.property_office", QT_TRANSLATE_NOOP("Reports", "{site} property office")
)
PROPERTY_OFFICE_PHONE = Word(
    "reports.property_office_phone",
    QT_TRANSLATE_NOOP("Reports", "{site} property office  Phone: {phone}"),
)


# ------------------------------------------------------------------ usage from closing registers


def _close_at(
    session: Session,
    batch: list[int],
    *,
    before: int | None = None,
    upto: int | None = None,
    first_from: tuple[int, int] | None = None,
) -> dict[int, int]:
    """Closing register per meter of the last day < before / ≤ upto, or of the first day
    within first_from = (lo, hi)."""
    if first_from is not None:
        pick = func.min(_MD.c.day)
        cond = and_(_MD.c.day >= first_from[0], _MD.c.day <= first_from[1])
    else:
        pick = func.max(_MD.c.day)
        cond = _MD.c.day < before if before is not None else _MD.c.day <= upto
    sub = (
        select(_MD.c.meter_id, pick.label("day"))
        .where(_MD.c.meter_id.in_(batch), cond)
        .group_by(_MD.c.meter_id)
        .subquery()
    )
    q = select(_MD.c.meter_id, _MD.c.close_total).join(
        sub, and_(sub.c.meter_id == _MD.c.meter_id, sub.c.day == _MD.c.day)
    )
    return dict(session.execute(q).all())


def period_usage(
    session: Session, meter_ids: Sequence[int], first: date, last: date
) -> dict[int, Decimal]:
    """Usage per meter over local days first..last (kWh / m³, ct applied): the closing
    register of the last day with a reading ≤ last minus that of the last day before
    `first` (a meter first read inside the period counts from its first day's close).
    Meters without readings in the period are absent. Read only; a few queries per 500
    meters, so a whole market's month is quick."""
    lo, hi = day_number(first), day_number(last)
    out: dict[int, Decimal] = {}
    for batch in chunked(list(meter_ids)):
        info = {
            m: (MeterKind(k), ct)
            for m, k, ct in session.execute(
                select(Meter.id, Meter.kind, Meter.ct_ratio).where(Meter.id.in_(batch))
            )
        }
        end = _close_at(session, batch, upto=hi)
        start = _close_at(session, batch, before=lo)
        missing = [m for m in batch if m not in start]
        if missing:
            start.update(_close_at(session, missing, first_from=(lo, hi)))
        for mid, close in end.items():
            if mid in start and mid in info:
                kind, ct = info[mid]
                out[mid] = register_quantity(kind, close - start[mid], ct)
    return out


def reading_days(
    session: Session, meter_ids: Sequence[int], first: date, last: date
) -> dict[int, int]:
    """How many local days in first..last each meter has a reading (offline detection)."""
    out: dict[int, int] = {}
    for batch in chunked(list(meter_ids)):
        out.update(
            session.execute(
                select(_MD.c.meter_id, func.count())
                .where(
                    _MD.c.meter_id.in_(batch),
                    _MD.c.day >= day_number(first),
                    _MD.c.day <= day_number(last),
                )
                .group_by(_MD.c.meter_id)
            ).all()
        )
    return out


@dataclass(frozen=True, slots=True)
class UsageRow:
    meter_id: int
    address: str
    kind: MeterKind
    stall_code: str
    stall_name: str
    period: str  # '2026-11-05' by day, '2026-11' by month
    usage: Decimal
    unit: str


def usage_report(
    session: Session,
    actor: Actor,
    first: date,
    last: date,
    *,
    meter_ids: Sequence[int] | None = None,
    by: str = "day",
) -> list[UsageRow]:
    """Meter usage report of any set of meters (all of the site when None) over
    local days first..last, per day or per month, from the daily closing registers.
    Permission: any user. Transaction: read only."""
    require(actor, May.VIEW_USAGE_REPORTS)
    if by not in ("day", "month"):
        raise ServiceError(USAGE_REPORT_CAN_ONLY_TOTALLED)
    if last < first:
        raise ServiceError(END_DATE_BEFORE_START_DATE, last=last, first=first)
    q = (
        select(Meter.id, Meter.address, Meter.kind, Stall.code, Stall.name)
        .outerjoin(Stall, Stall.id == Meter.stall_id)
        .where(Meter.site_id == actor.site_id)
    )
    if meter_ids is not None:
        q = q.where(Meter.id.in_(list(meter_ids)))
    meters = session.execute(q.order_by(Meter.kind, Stall.code, Meter.address)).all()
    usage = daily_usage(session, [m.id for m in meters], first, last)
    rows = []
    for mid, address, kind, code, name in meters:
        kind = MeterKind(kind)
        per: dict[str, Decimal] = defaultdict(lambda: Decimal("0.000"))
        for d, q in sorted(usage.get(mid, {}).items()):
            per[d.isoformat() if by == "day" else d.strftime("%Y-%m")] += q
        for period, q in per.items():
            rows.append(
                UsageRow(
                    mid,
                    address,
                    kind,
                    code or MASTER_METER.say(),
                    name or "",
                    period,
                    q,
                    UNITS[kind],
                )
            )
    return rows


def _column(key: str, code: str, text: tuple[str, str], kind: str = "text") -> Column:
    return Column(key, Word(f"reports.column_{code}", text), kind)


USAGE_COLUMNS = (
    _column("address", "address", QT_TRANSLATE_NOOP("Reports", "Meter No.")),
    _column("kind_name", "kind", QT_TRANSLATE_NOOP("Reports", "Kind")),
    _column("stall_code", "stall_code", QT_TRANSLATE_NOOP("Reports", "Stall code")),
    _column("stall_name", "stall_name", QT_TRANSLATE_NOOP("Reports", "Stall name")),
    _column("period", "period", QT_TRANSLATE_NOOP("Reports", "Date")),
    _column("usage", "usage", QT_TRANSLATE_NOOP("Reports", "Usage"), "quantity"),
    _column("unit", "unit", QT_TRANSLATE_NOOP("Reports", "Unit")),
)


def usage_xlsx(
    rows: Sequence[UsageRow], title: str | Word | Said, lang: str | None = None
) -> bytes:
    return export_table(USAGE_COLUMNS, [usage_dict(r) for r in rows], title, lang=lang)


def usage_dict(r: UsageRow) -> dict:
    return {
        "address": r.address,
        "kind_name": METER_NAME[r.kind].say(),
        "stall_code": r.stall_code,
        "stall_name": r.stall_name,
        "period": r.period,
        "usage": fixed_quantity(r.usage, r.unit),
        "unit": r.unit,
    }


def usage_pdf(
    rows: Sequence[UsageRow],
    *,
    site: str,
    title: str | Word | Said,
    period: str | Word | Said,
    lang: str | None = None,
) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    return render_table_pdf(
        title=title,
        site=site,
        period=period,
        columns=USAGE_COLUMNS,
        sections=[PdfSection("", [usage_dict(r) for r in rows], None)],
        landscape=False,
        lang=lang,
    )


# ------------------------------------------------------------------ a bill's lines

BILL_LINE_COLUMNS = (
    _column("description", "bill_item", QT_TRANSLATE_NOOP("Reports", "Item")),
    _column("meter_id", "bill_meter", QT_TRANSLATE_NOOP("Reports", "Meter")),
    _column(
        "start_reading", "bill_start", QT_TRANSLATE_NOOP("Reports", "Start reading"), "quantity"
    ),
    _column("end_reading", "bill_end", QT_TRANSLATE_NOOP("Reports", "End reading"), "quantity"),
    _column("quantity", "bill_quantity", QT_TRANSLATE_NOOP("Reports", "Quantity"), "quantity"),
    _column("unit", "bill_unit", QT_TRANSLATE_NOOP("Reports", "Unit")),
    _column("price", "bill_price", QT_TRANSLATE_NOOP("Reports", "Price ¥"), "quantity"),
    _column("amount", "bill_amount", QT_TRANSLATE_NOOP("Reports", "Amount ¥"), "money"),
)
BILL_LINES_TITLE = Word("reports.bill_lines_title", QT_TRANSLATE_NOOP("Reports", "Bill {bill}"))


def bill_line_dict(line, lang: str | None = None) -> dict:
    """A bill line (property.BillLineRow) with the program's words said in `lang`."""
    return {
        "description": said(line.description, lang),
        "meter_id": line.meter_id,
        "start_reading": line.start_reading,
        "end_reading": line.end_reading,
        "quantity": line.quantity,
        "unit": said(line.unit, lang),
        "price": line.price,
        "amount": line.amount,
    }


def bill_lines_xlsx(lines, bill: int, *, site: str, lang: str | None = None) -> bytes:
    title = f"{site} {BILL_LINES_TITLE.say(lang, bill=bill)}"
    rows = [bill_line_dict(line, lang) for line in lines]
    return export_table(BILL_LINE_COLUMNS, rows, title, lang=lang)


def bill_lines_pdf(lines, bill: int, *, site: str, lang: str | None = None) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    return render_table_pdf(
        title=BILL_LINES_TITLE(bill=bill),
        site=site,
        period="",
        columns=BILL_LINE_COLUMNS,
        sections=[PdfSection("", [bill_line_dict(line, lang) for line in lines], None)],
        landscape=False,
        lang=lang,
    )


# ------------------------------------------------------------------ shift report


@dataclass(frozen=True, slots=True)
class ShiftLine:
    """One row of the shift report: what one operator (or everybody) took by one payment
    method (or all): recharges, and beside them the reversals and refunds that gave money
    back (negative), and the net. `cash`: on an operator's or the grand total row, the net
    cash that operator's drawer should hold; None on the other rows."""

    operator: str
    method: str
    recharge_count: int = 0
    recharge: Decimal = ZERO
    reversal_count: int = 0
    reversal: Decimal = ZERO
    refund_count: int = 0
    refund: Decimal = ZERO
    method_key: str = ""  # the PayMethod value, for a client that shows its own words
    cash: Decimal | None = None

    @property
    def count(self) -> int:
        return self.recharge_count + self.reversal_count + self.refund_count

    @property
    def amount(self) -> Decimal:
        """The net: recharges minus what reversals and refunds gave back."""
        return self.recharge + self.reversal + self.refund


@dataclass(frozen=True, slots=True)
class ShiftReport:
    site_name: str
    start: datetime
    end: datetime
    lines: tuple[ShiftLine, ...]  # by operator, then payment method
    by_operator: tuple[ShiftLine, ...]  # one per operator (method OPERATOR_TOTAL), with its cash
    by_method: tuple[ShiftLine, ...]  # one per payment method, all operators
    total: Decimal
    count: int
    first_no: int | None
    last_no: int | None
    timezone: str = "Asia/Shanghai"
    cash: Decimal = ZERO  # net cash of the shift, what the drawer should hold

    @property
    def grand_total(self) -> ShiftLine:
        return _summed(GRAND_TOTAL.say(), "", self.lines, with_cash=True)


_SHIFT_FIELDS = {
    EntryKind.RECHARGE: ("recharge_count", "recharge"),
    EntryKind.REVERSAL: ("reversal_count", "reversal"),
    EntryKind.REFUND: ("refund_count", "refund"),
}


def _summed(
    operator: str, method: str, lines, *, method_key: str = "", with_cash: bool = False
) -> ShiftLine:
    lines = list(lines)
    cash = (
        sum((l.amount for l in lines if l.method_key == PayMethod.CASH.value), ZERO)
        if with_cash
        else None
    )
    return ShiftLine(
        operator,
        method,
        *(
            sum((getattr(l, f) for l in lines), z)
            for f, z in (
                ("recharge_count", 0),
                ("recharge", ZERO),
                ("reversal_count", 0),
                ("reversal", ZERO),
                ("refund_count", 0),
                ("refund", ZERO),
            )
        ),
        method_key,
        cash,
    )


def shift_report(
    session: Session,
    actor: Actor,
    start: datetime,
    end: datetime,
    *,
    operator_id: int | None = None,
) -> ShiftReport:
    """The shift report: recharges, reversals and refunds (at an account's close) taken or paid at
    the
    counter in
    [start, end), side by side per operator and payment method, from the receipts (every
    counter movement has one), with the cash each drawer should hold (net cash).
    A cashier sees only their own shift. Permission: cashier (own), admin, reviewer.
    Transaction: read only. Operator and method names are said in the documents' language."""
    require(actor, May.VIEW_SHIFT_REPORTS)
    if actor.role is Role.CASHIER:
        operator_id = actor.user_id
    q = (
        select(
            Receipt.operator_id,
            User.display_name,
            User.username,
            Receipt.operator_name,
            Receipt.method,
            Receipt.kind,
            func.count(),
            func.sum(Receipt.amount),
            func.min(Receipt.no),
            func.max(Receipt.no),
        )
        .outerjoin(User, User.id == Receipt.operator_id)
        .where(Receipt.site_id == actor.site_id, Receipt.at >= start, Receipt.at < end)
        .group_by(
            Receipt.operator_id,
            User.display_name,
            User.username,
            Receipt.operator_name,
            Receipt.method,
            Receipt.kind,
        )
    )
    if operator_id is not None:
        q = q.where(Receipt.operator_id == operator_id)
    per_line: dict[tuple[str, str, str], dict] = defaultdict(dict)
    nos = []
    for _oid, display, username, stored, method, kind, count, amount, lo, hi in session.execute(q):
        # The same name as on the receipt and in the history (a built-in actor by its key).
        op = shown_name(display, username, stored)
        m = (
            PAY_METHOD[PayMethod(method)].say()
            if method in PAY_METHOD
            else str(method)
            if method
            else NO_METHOD.say()
        )
        fields = _SHIFT_FIELDS.get(EntryKind(kind))
        if fields is None:
            continue
        acc = per_line[(op, m, str(method) if method else "")]
        acc[fields[0]] = acc.get(fields[0], 0) + count
        acc[fields[1]] = acc.get(fields[1], ZERO) + Decimal(amount)
        nos += [lo, hi]
    lines = [
        ShiftLine(op, m, method_key=mk, **acc) for (op, m, mk), acc in sorted(per_line.items())
    ]
    operators = sorted({l.operator for l in lines})
    methods = sorted({(l.method, l.method_key) for l in lines})
    site = session.get(Site, actor.site_id)
    total = _summed(GRAND_TOTAL.say(), "", lines, with_cash=True)
    everyone, all_methods = ALL_OPERATORS.say(), OPERATOR_TOTAL.say()
    return ShiftReport(
        site.name,
        start,
        end,
        tuple(lines),
        tuple(
            _summed(op, all_methods, (l for l in lines if l.operator == op), with_cash=True)
            for op in operators
        ),
        tuple(
            _summed(everyone, m, (l for l in lines if l.method_key == mk), method_key=mk)
            for m, mk in methods
        ),
        total.amount,
        total.count,
        min(nos) if nos else None,
        max(nos) if nos else None,
        site.timezone,
        total.cash,
    )


SHIFT_COLUMNS = (
    _column("operator", "operator", QT_TRANSLATE_NOOP("Reports", "Cashier")),
    _column("method", "method", QT_TRANSLATE_NOOP("Reports", "Payment method")),
    _column("recharge_count", "recharge_count", QT_TRANSLATE_NOOP("Reports", "Recharges"), "int"),
    _column("recharge", "recharge", QT_TRANSLATE_NOOP("Reports", "Recharged"), "money"),
    _column("reversal_count", "reversal_count", QT_TRANSLATE_NOOP("Reports", "Reversals"), "int"),
    _column("reversal", "reversal", QT_TRANSLATE_NOOP("Reports", "Reversed"), "money"),
    _column("refund_count", "refund_count", QT_TRANSLATE_NOOP("Reports", "Refunds"), "int"),
    _column("refund", "refund", QT_TRANSLATE_NOOP("Reports", "Refunded"), "money"),
    _column("amount", "amount", QT_TRANSLATE_NOOP("Reports", "Net (yuan)"), "money"),
    _column("cash", "cash", QT_TRANSLATE_NOOP("Reports", "Cash in the drawer"), "money"),
)


def shift_line_dict(l: ShiftLine) -> dict:
    return {
        "operator": printed_name(l.operator),
        "method": l.method,
        "recharge_count": l.recharge_count,
        "recharge": l.recharge,
        "reversal_count": l.reversal_count,
        "reversal": l.reversal,
        "refund_count": l.refund_count,
        "refund": l.refund,
        "amount": l.amount,
        "cash": l.cash,
    }


def shift_xlsx(report: ShiftReport, lang: str | None = None) -> bytes:
    rows = [
        shift_line_dict(l)
        for l in (*report.lines, *report.by_operator, *report.by_method, report.grand_total)
    ]
    title = SHIFT_REPORT_OF(site=report.site_name, span=shift_span(report, lang))
    return export_table(SHIFT_COLUMNS, rows, title, lang=lang)


def shift_span(report: ShiftReport, lang: str | None = None) -> str:
    tz = zone(report.timezone)
    return SPAN.say(
        lang,
        start=f"{report.start.astimezone(tz):%Y-%m-%d %H:%M}",
        end=f"{report.end.astimezone(tz):%Y-%m-%d %H:%M}",
    )


def shift_pdf(report: ShiftReport, lang: str | None = None) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    sections = [
        PdfSection(BY_OPERATOR_AND_METHOD, [shift_line_dict(l) for l in report.lines], None),
        PdfSection(BY_OPERATOR, [shift_line_dict(l) for l in report.by_operator], None),
        PdfSection(BY_METHOD, [shift_line_dict(l) for l in report.by_method], None),
    ]
    nos = (
        RECEIPT_NOS(first=report.first_no, last=report.last_no) if report.first_no else NO_RECEIPTS
    )
    return render_table_pdf(
        title=SHIFT_REPORT,
        site=report.site_name,
        period=shift_span(report, lang),
        columns=SHIFT_COLUMNS,
        sections=sections,
        grand_total=shift_line_dict(report.grand_total),
        landscape=True,
        notes=[nos, CASH_IN_DRAWER(cash=fmt_yuan(report.cash)), SHIFT_SIGNATURES],
        lang=lang,
    )


# ------------------------------------------------------------------ arrears and low balance


@dataclass(frozen=True, slots=True)
class ArrearsRow:
    stall_id: int
    building: str
    stall_code: str
    stall_name: str
    tenant: str
    phone: str
    balance: Decimal
    available: Decimal
    alarm1: Decimal
    alarm2: Decimal
    is_tripped: bool
    condition: Word  # IN_ARREARS(_TRIPPED) / SUPPLY_CUT / BELOW_ALARM2 / BELOW_ALARM1

    @property
    def state(self) -> str:
        """The condition in the documents' language."""
        return self.condition.say()


def arrears_report(
    session: Session, actor: Actor, *, include_low: bool = True, now: datetime | None = None
) -> list[ArrearsRow]:
    """Stalls in arrears (available balance below zero), tripped, or — with `include_low`
    — below their alarm thresholds, with the tenant's (else the owner's) phone. Available
    balance = balance − unsettled usage (usage.available_balances).
    Permission: any user. Transaction: read only."""
    require(actor, May.VIEW_ARREARS_LIST)
    from app.services.market.usage import available_balances

    accounts = session.execute(
        select(
            Stall.id,
            Building.name,
            Stall.code,
            Stall.name,
            Account.balance,
            Account.alarm1,
            Account.alarm2,
        )
        .join(Account, Account.stall_id == Stall.id)
        .join(Building, Building.id == Stall.building_id)
        .where(Stall.site_id == actor.site_id)
        .order_by(Building.name, Stall.code)
    ).all()
    available = available_balances(session, [a.id for a in accounts], now=now)
    tripped = set(
        session.scalars(
            select(Meter.stall_id).where(
                Meter.site_id == actor.site_id,
                Meter.supply_on.is_(False),
                Meter.stall_id.is_not(None),
            )
        )
    )
    people: dict[int, dict[StallRoleKind, tuple[str, str]]] = defaultdict(dict)
    for sid, role, name, phone in session.execute(
        select(StallRole.stall_id, StallRole.role, Customer.name, Customer.phone)
        .join(Customer, Customer.id == StallRole.customer_id)
        .join(Stall, Stall.id == StallRole.stall_id)
        .where(Stall.site_id == actor.site_id)
    ):
        people[sid][StallRoleKind(role)] = (name, phone)
    rows = []
    for sid, building, code, name, balance, alarm1, alarm2 in accounts:
        avail = available.get(sid, balance)
        is_tripped = sid in tripped
        if avail < 0:
            state = IN_ARREARS_TRIPPED if is_tripped else IN_ARREARS
        elif is_tripped:
            state = SUPPLY_CUT
        elif include_low and avail < alarm2:
            state = BELOW_ALARM2
        elif include_low and avail < alarm1:
            state = BELOW_ALARM1
        else:
            continue
        p = (
            people[sid].get(StallRoleKind.TENANT)
            or people[sid].get(StallRoleKind.OWNER)
            or ("", "")
        )
        rows.append(
            ArrearsRow(
                sid,
                building,
                code,
                name,
                p[0],
                p[1],
                balance,
                avail,
                alarm1,
                alarm2,
                is_tripped,
                state,
            )
        )
    return rows


ARREARS_COLUMNS = (
    _column("building", "building", QT_TRANSLATE_NOOP("Reports", "Building")),
    _column("stall_code", "stall_code", QT_TRANSLATE_NOOP("Reports", "Stall code")),
    _column("stall_name", "stall_name", QT_TRANSLATE_NOOP("Reports", "Stall name")),
    Column("tenant", CONTACT),
    Column("phone", PHONE),
    Column("balance", BALANCE, "money"),
    Column("available", AVAILABLE, "money"),
    _column("alarm1", "alarm1", QT_TRANSLATE_NOOP("Reports", "Alarm 1"), "money"),
    Column("state", STATE),
)


def arrears_dict(r: ArrearsRow) -> dict:
    """A row's cells; the state as its word, said in the document's language."""
    return {c.key: r.condition if c.key == "state" else getattr(r, c.key) for c in ARREARS_COLUMNS}


def arrears_xlsx(
    rows: Sequence[ArrearsRow], title: str | Word | Said, lang: str | None = None
) -> bytes:
    return export_table(ARREARS_COLUMNS, [arrears_dict(r) for r in rows], title, lang=lang)


def arrears_notices_pdf(
    rows: Sequence[ArrearsRow],
    *,
    site: str,
    site_phone: str = "",
    today: date,
    lang: str | None = None,
) -> bytes:
    """One payment notice per stall, one page each."""
    from app.services.office.pdf import render_notices

    return render_notices(
        arrears_notices(rows, site=site, site_phone=site_phone, today=today, lang=lang),
        site=site,
        lang=lang,
    )


def arrears_notices(
    rows: Sequence[ArrearsRow],
    *,
    site: str,
    site_phone: str = "",
    today: date,
    lang: str | None = None,
) -> list:
    """The payment notices' contents (pdf.Notice) in `lang`, for the PDF and for printing."""
    from app.services.office.pdf import Notice

    def w(word: Word, **params) -> str:
        return word.say(lang, **params)

    day = w(LONG_DATE, year=today.year, month=f"{today.month:02d}", day=f"{today.day:02d}")
    notices = []
    for r in rows:
        if r.available < 0:
            body = w(NOTICE_ARREARS, date=day, available=f"{r.available:.2f}")
        elif r.available < r.alarm1:
            body = w(NOTICE_LOW, date=day, available=f"{r.available:.2f}", alarm=f"{r.alarm1:.2f}")
        else:  # tripped with money enough: not for want of a recharge, so say nothing of one
            body = w(NOTICE_BALANCE, date=day, available=f"{r.available:.2f}")
        if r.is_tripped:
            body = w(
                TWO_SENTENCES,
                first=body,
                second=NOTICE_CUT_RECHARGE if r.available < r.alarm1 else NOTICE_CUT_ASK,
            )
        notices.append(
            Notice(
                title=w(PAYMENT_NOTICE),
                to=f"{r.building} {r.stall_code} {r.stall_name}".strip(),
                lines=(
                    (w(CONTACT), r.tenant or "—"),
                    (w(PHONE), r.phone or "—"),
                    (w(BALANCE), w(YUAN, amount=f"{r.balance:.2f}")),
                    (w(AVAILABLE), w(YUAN, amount=f"{r.available:.2f}")),
                    (w(STATE), r.condition.say(lang)),
                ),
                body=body,
                signature=w(PROPERTY_OFFICE_PHONE, site=site, phone=site_phone)
                if site_phone
                else w(PROPERTY_OFFICE, site=site),
                date_text=day,
            )
        )
    return notices


def arrears_pdf(
    rows: Sequence[ArrearsRow], *, site: str, today: date, lang: str | None = None
) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    return render_table_pdf(
        title=ARREARS_LIST,
        site=site,
        period=f"{today:%Y-%m-%d}",
        columns=ARREARS_COLUMNS,
        sections=[PdfSection("", [arrears_dict(r) for r in rows], None)],
        landscape=True,
        notes=[HOUSEHOLDS(count=len(rows))],
        lang=lang,
    )


# The operation log (操作日志) as a spreadsheet: its columns, headers said in default_language()
_AUDIT_COLUMNS = (
    ("at", Word("audit.column.at", QT_TRANSLATE_NOOP("Labels", "Time")), "datetime"),
    ("person", Word("audit.column.person", QT_TRANSLATE_NOOP("Labels", "Done by"))),
    ("action_name", Word("audit.column.action_name", QT_TRANSLATE_NOOP("Labels", "What"))),
    ("stall_code", Word("audit.column.stall_code", QT_TRANSLATE_NOOP("Labels", "Stall"))),
    ("object", Word("audit.column.object", QT_TRANSLATE_NOOP("Labels", "Record"))),
    ("amount", Word("audit.column.amount", QT_TRANSLATE_NOOP("Labels", "Amount (yuan)")), "money"),
    ("reason", Word("audit.column.reason", QT_TRANSLATE_NOOP("Labels", "Reason"))),
    ("detail", Word("audit.column.detail", QT_TRANSLATE_NOOP("Labels", "Details"))),
)


def audit_dict(row: AuditRow) -> dict:
    return {
        "at": row.at,
        "person": printed_name(row.person),
        "action_name": row.action_name,
        "stall_code": row.stall_code,
        "object": row.record,
        "amount": row.amount,
        "reason": said(row.reason),
        "detail": detail_text(row),
    }


def audit_xlsx(rows: list[AuditRow], title: str) -> bytes:
    columns = tuple(Column(key, header.say(), *kind) for key, header, *kind in _AUDIT_COLUMNS)
    return export_table(columns, [audit_dict(r) for r in rows], title)
