"""Reports: meter usage, cashier shift (交班报表), arrears and low balance (欠费/低余额).

Each report is a read-only service returning frozen dataclasses, plus an `.xlsx` (the one
exporter, `excel_io.export_table`) and a PDF (`pdf.py`) made from the same data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.comm.types import MeterKind
from app.comm.labels import METER_NAME
from app.models.account import Account, EntryKind, PayMethod, Receipt
from app.models.labels import PAY_METHOD
from app.models.meter import Meter, MeterDay
from app.models.money import ZERO, fmt_yuan
from app.models.site import Building, Customer, Site, Stall, StallRole, StallRoleKind
from app.models.user import Role, User
from app.services.platform.bulk import chunked
from app.services.platform.context import Actor, ServiceError, printed_name, require, shown_name
from app.services.office.excel_io import Column, export_table, fixed_quantity
from app.services.market.readings import daily_usage
from app.services.money.tariffs import register_quantity
from app.services.platform.timeutil import day_number, zone
from app.words import QT_TRANSLATE_NOOP, Word

USAGE_REPORT_CAN_ONLY_TOTALLED = Word("reports.usage_report_can_only_totalled", QT_TRANSLATE_NOOP("Errors", "The usage report can only be totalled per day or per month. Choose day or month"))
END_DATE_BEFORE_START_DATE = Word("reports.end_date_before_start_date", QT_TRANSLATE_NOOP("Errors", "The end date {last} is before the start date {first}. Choose the dates again"))

_MD = MeterDay.__table__
UNITS = {MeterKind.ELECTRIC: "kWh", MeterKind.WATER: "m³"}


# ------------------------------------------------------------------ usage from closing registers


def _close_at(session: Session, batch: list[int], *, before: int | None = None, upto: int | None = None,
              first_from: tuple[int, int] | None = None) -> dict[int, int]:
    """Closing register per meter of the last day < before / ≤ upto, or of the first day
    within first_from = (lo, hi)."""
    if first_from is not None:
        pick = func.min(_MD.c.day)
        cond = and_(_MD.c.day >= first_from[0], _MD.c.day <= first_from[1])
    else:
        pick = func.max(_MD.c.day)
        cond = _MD.c.day < before if before is not None else _MD.c.day <= upto
    sub = select(_MD.c.meter_id, pick.label("day")).where(_MD.c.meter_id.in_(batch), cond).group_by(_MD.c.meter_id).subquery()
    q = select(_MD.c.meter_id, _MD.c.close_total).join(sub, and_(sub.c.meter_id == _MD.c.meter_id, sub.c.day == _MD.c.day))
    return dict(session.execute(q).all())


def period_usage(session: Session, meter_ids: Sequence[int], first: date, last: date) -> dict[int, Decimal]:
    """Usage per meter over local days first..last (kWh / m³, ct applied): the closing
    register of the last day with a reading ≤ last minus that of the last day before
    `first` (a meter first read inside the period counts from its first day's close).
    Meters without readings in the period are absent. Read only; a few queries per 500
    meters, so a whole market's month is quick."""
    lo, hi = day_number(first), day_number(last)
    out: dict[int, Decimal] = {}
    for batch in chunked(list(meter_ids)):
        info = {m: (MeterKind(k), ct) for m, k, ct in session.execute(
            select(Meter.id, Meter.kind, Meter.ct_ratio).where(Meter.id.in_(batch)))}
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


def reading_days(session: Session, meter_ids: Sequence[int], first: date, last: date) -> dict[int, int]:
    """How many local days in first..last each meter has a reading (offline detection)."""
    out: dict[int, int] = {}
    for batch in chunked(list(meter_ids)):
        out.update(session.execute(
            select(_MD.c.meter_id, func.count()).where(
                _MD.c.meter_id.in_(batch), _MD.c.day >= day_number(first), _MD.c.day <= day_number(last))
            .group_by(_MD.c.meter_id)
        ).all())
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


def usage_report(session: Session, actor: Actor, first: date, last: date, *,
                 meter_ids: Sequence[int] | None = None, by: str = "day") -> list[UsageRow]:
    """Meter usage report (用量报表) of any set of meters (all of the site when None) over
    local days first..last, per day or per month, from the daily closing registers.
    Permission: any user. Transaction: read only."""
    require(actor, Role.CASHIER, Role.REVIEWER, Role.VIEWER, doing="查看用量报表",
            doing_en="view usage reports")
    if by not in ("day", "month"):
        raise ServiceError(USAGE_REPORT_CAN_ONLY_TOTALLED)
    if last < first:
        raise ServiceError(END_DATE_BEFORE_START_DATE, last=last, first=first)
    q = (select(Meter.id, Meter.address, Meter.kind, Stall.code, Stall.name)
         .outerjoin(Stall, Stall.id == Meter.stall_id).where(Meter.site_id == actor.site_id))
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
            rows.append(UsageRow(mid, address, kind, code or "（总表）", name or "", period, q, UNITS[kind]))
    return rows


USAGE_COLUMNS = (
    Column("address", "表号"), Column("kind_name", "类型"), Column("stall_code", "档位编号"),
    Column("stall_name", "档位名称"), Column("period", "日期"), Column("usage", "用量", "quantity"),
    Column("unit", "单位"),
)


def usage_xlsx(rows: Sequence[UsageRow], title: str) -> bytes:
    return export_table(USAGE_COLUMNS, [usage_dict(r) for r in rows], title)


def usage_dict(r: UsageRow) -> dict:
    return {"address": r.address, "kind_name": METER_NAME[r.kind].say(), "stall_code": r.stall_code,
            "stall_name": r.stall_name, "period": r.period, "usage": fixed_quantity(r.usage, r.unit), "unit": r.unit}


def usage_pdf(rows: Sequence[UsageRow], *, site: str, title: str, period: str) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    return render_table_pdf(title=title, site=site, period=period, columns=USAGE_COLUMNS,
                            sections=[PdfSection("", [usage_dict(r) for r in rows], None)], landscape=False)


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
    by_operator: tuple[ShiftLine, ...]  # one per operator (method '合计'), with its cash
    by_method: tuple[ShiftLine, ...]  # one per payment method, all operators
    total: Decimal
    count: int
    first_no: int | None
    last_no: int | None
    timezone: str = "Asia/Shanghai"
    cash: Decimal = ZERO  # 应有现金: net cash of the shift, what the drawer should hold

    @property
    def grand_total(self) -> ShiftLine:
        return _summed("总计", "", self.lines, with_cash=True)


_SHIFT_FIELDS = {EntryKind.RECHARGE: ("recharge_count", "recharge"), EntryKind.REVERSAL: ("reversal_count", "reversal"),
                 EntryKind.REFUND: ("refund_count", "refund")}


def _summed(operator: str, method: str, lines, *, method_key: str = "", with_cash: bool = False) -> ShiftLine:
    lines = list(lines)
    cash = sum((l.amount for l in lines if l.method_key == PayMethod.CASH.value), ZERO) if with_cash else None
    return ShiftLine(operator, method, *(sum((getattr(l, f) for l in lines), z) for f, z in (
        ("recharge_count", 0), ("recharge", ZERO), ("reversal_count", 0), ("reversal", ZERO), ("refund_count", 0),
        ("refund", ZERO))), method_key, cash)


def shift_report(session: Session, actor: Actor, start: datetime, end: datetime, *,
                 operator_id: int | None = None) -> ShiftReport:
    """交班报表: recharges, reversals and refunds (销户退款) taken or paid at the counter in
    [start, end), side by side per operator and payment method, from the receipts (every
    counter movement has one), with the cash each drawer should hold (net cash).
    A cashier sees only their own shift. Permission: cashier (own), admin, reviewer.
    Transaction: read only."""
    require(actor, Role.CASHIER, Role.REVIEWER, doing="查看交班报表", doing_en="view shift reports")
    if actor.role is Role.CASHIER:
        operator_id = actor.user_id
    q = (select(Receipt.operator_id, User.display_name, User.username, Receipt.operator_name, Receipt.method, Receipt.kind,
                func.count(), func.sum(Receipt.amount), func.min(Receipt.no), func.max(Receipt.no))
         .outerjoin(User, User.id == Receipt.operator_id)
         .where(Receipt.site_id == actor.site_id, Receipt.at >= start, Receipt.at < end)
         .group_by(Receipt.operator_id, User.display_name, User.username, Receipt.operator_name, Receipt.method,
                   Receipt.kind))
    if operator_id is not None:
        q = q.where(Receipt.operator_id == operator_id)
    per_line: dict[tuple[str, str, str], dict] = defaultdict(dict)
    nos = []
    for _oid, display, username, stored, method, kind, count, amount, lo, hi in session.execute(q):
        # The same name as on the receipt and in the history (a built-in actor by its key).
        op = shown_name(display, username, stored)
        m = PAY_METHOD[PayMethod(method)].say() if method else "无"
        fields = _SHIFT_FIELDS.get(EntryKind(kind))
        if fields is None:
            continue
        acc = per_line[(op, m, str(method) if method else "")]
        acc[fields[0]] = acc.get(fields[0], 0) + count
        acc[fields[1]] = acc.get(fields[1], ZERO) + Decimal(amount)
        nos += [lo, hi]
    lines = [ShiftLine(op, m, method_key=mk, **acc) for (op, m, mk), acc in sorted(per_line.items())]
    operators = sorted({l.operator for l in lines})
    methods = sorted({(l.method, l.method_key) for l in lines})
    site = session.get(Site, actor.site_id)
    total = _summed("总计", "", lines, with_cash=True)
    return ShiftReport(
        site.name, start, end, tuple(lines),
        tuple(_summed(op, "合计", (l for l in lines if l.operator == op), with_cash=True) for op in operators),
        tuple(_summed("全部", m, (l for l in lines if l.method_key == mk), method_key=mk) for m, mk in methods),
        total.amount, total.count, min(nos) if nos else None, max(nos) if nos else None, site.timezone, total.cash,
    )


SHIFT_COLUMNS = (Column("operator", "收银员"), Column("method", "支付方式"),
                 Column("recharge_count", "充值笔数", "int"), Column("recharge", "充值金额", "money"),
                 Column("reversal_count", "冲正笔数", "int"), Column("reversal", "冲正金额", "money"),
                 Column("refund_count", "退款笔数", "int"), Column("refund", "退款金额", "money"),
                 Column("amount", "净额（元）", "money"), Column("cash", "应有现金", "money"))


def shift_line_dict(l: ShiftLine) -> dict:
    return {"operator": printed_name(l.operator), "method": l.method, "recharge_count": l.recharge_count,
            "recharge": l.recharge, "reversal_count": l.reversal_count, "reversal": l.reversal,
            "refund_count": l.refund_count, "refund": l.refund, "amount": l.amount, "cash": l.cash}


def shift_xlsx(report: ShiftReport) -> bytes:
    rows = [shift_line_dict(l) for l in (*report.lines, *report.by_operator, *report.by_method, report.grand_total)]
    return export_table(SHIFT_COLUMNS, rows, f"{report.site_name} 交班报表 {shift_span(report)}")


def shift_span(report: ShiftReport) -> str:
    tz = zone(report.timezone)
    return f"{report.start.astimezone(tz):%Y-%m-%d %H:%M} 至 {report.end.astimezone(tz):%Y-%m-%d %H:%M}"


def shift_pdf(report: ShiftReport) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    sections = [
        PdfSection("按收银员、支付方式", [shift_line_dict(l) for l in report.lines], None),
        PdfSection("按收银员合计", [shift_line_dict(l) for l in report.by_operator], None),
        PdfSection("按支付方式合计", [shift_line_dict(l) for l in report.by_method], None),
    ]
    nos = f"收据号 {report.first_no} — {report.last_no}" if report.first_no else "本班无收据"
    return render_table_pdf(
        title="交班报表", site=report.site_name, period=shift_span(report), columns=SHIFT_COLUMNS, sections=sections,
        grand_total=shift_line_dict(report.grand_total), landscape=True,
        notes=[nos, f"应有现金 {fmt_yuan(report.cash)} 元（现金充值减现金冲正、现金退款）",
               "交班人签字：______________    接班人签字：______________    财务签字：______________"],
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
    state: str  # 已欠费 / 已断电 / 低于二级报警 / 低于一级报警


def arrears_report(session: Session, actor: Actor, *, include_low: bool = True,
                   now: datetime | None = None) -> list[ArrearsRow]:
    """Stalls in arrears (available balance below zero), tripped, or — with `include_low`
    — below their alarm thresholds, with the tenant's (else the owner's) phone. Available
    balance = balance − unsettled usage (usage.available_balances).
    Permission: any user. Transaction: read only."""
    require(actor, Role.CASHIER, Role.REVIEWER, Role.VIEWER, doing="查看欠费名单",
            doing_en="view the arrears list")
    from app.services.market.usage import available_balances

    accounts = session.execute(
        select(Stall.id, Building.name, Stall.code, Stall.name, Account.balance, Account.alarm1, Account.alarm2)
        .join(Account, Account.stall_id == Stall.id).join(Building, Building.id == Stall.building_id)
        .where(Stall.site_id == actor.site_id).order_by(Building.name, Stall.code)
    ).all()
    available = available_balances(session, [a.id for a in accounts], now=now)
    tripped = set(session.scalars(select(Meter.stall_id).where(
        Meter.site_id == actor.site_id, Meter.supply_on.is_(False), Meter.stall_id.is_not(None))))
    people: dict[int, dict[StallRoleKind, tuple[str, str]]] = defaultdict(dict)
    for sid, role, name, phone in session.execute(
        select(StallRole.stall_id, StallRole.role, Customer.name, Customer.phone)
        .join(Customer, Customer.id == StallRole.customer_id).join(Stall, Stall.id == StallRole.stall_id)
        .where(Stall.site_id == actor.site_id)
    ):
        people[sid][StallRoleKind(role)] = (name, phone)
    rows = []
    for sid, building, code, name, balance, alarm1, alarm2 in accounts:
        avail = available.get(sid, balance)
        is_tripped = sid in tripped
        if avail < 0:
            state = "已欠费"
        elif is_tripped:
            state = "已断电"
        elif include_low and avail < alarm2:
            state = "低于二级报警"
        elif include_low and avail < alarm1:
            state = "低于一级报警"
        else:
            continue
        if is_tripped and state == "已欠费":
            state = "已欠费（已断电）"
        p = people[sid].get(StallRoleKind.TENANT) or people[sid].get(StallRoleKind.OWNER) or ("", "")
        rows.append(ArrearsRow(sid, building, code, name, p[0], p[1], balance, avail, alarm1, alarm2, is_tripped, state))
    return rows


ARREARS_COLUMNS = (
    Column("building", "楼栋"), Column("stall_code", "档位编号"), Column("stall_name", "档位名称"),
    Column("tenant", "联系人"), Column("phone", "电话"), Column("balance", "账户余额", "money"),
    Column("available", "可用余额", "money"), Column("alarm1", "一级报警", "money"), Column("state", "状态"),
)


def arrears_dict(r: ArrearsRow) -> dict:
    return {c.key: getattr(r, c.key) for c in ARREARS_COLUMNS}


def arrears_xlsx(rows: Sequence[ArrearsRow], title: str) -> bytes:
    return export_table(ARREARS_COLUMNS, [arrears_dict(r) for r in rows], title)


def arrears_notices_pdf(rows: Sequence[ArrearsRow], *, site: str, site_phone: str = "", today: date) -> bytes:
    """One payment notice (缴费通知单) per stall, one page each."""
    from app.services.office.pdf import render_notices

    return render_notices(arrears_notices(rows, site=site, site_phone=site_phone, today=today), site=site)


def arrears_notices(rows: Sequence[ArrearsRow], *, site: str, site_phone: str = "", today: date) -> list:
    """The payment notices' contents (pdf.Notice), for the PDF and for printing."""
    from app.services.office.pdf import Notice

    notices = []
    for r in rows:
        if r.available < 0:
            body = (f"截至 {today:%Y年%m月%d日}，贵档位电费/水费账户可用余额为 {r.available:.2f} 元，已欠费。"
                    "为免影响正常经营，请尽快到物业管理处充值。")
        elif r.available < r.alarm1:
            body = (f"截至 {today:%Y年%m月%d日}，贵档位电费/水费账户可用余额为 {r.available:.2f} 元，"
                    f"低于报警金额 {r.alarm1:.2f} 元。余额不足时将自动断电（断水），请及时到物业管理处充值。")
        else:  # tripped with money enough: not for want of a recharge, so say nothing of one
            body = f"截至 {today:%Y年%m月%d日}，贵档位电费/水费账户可用余额为 {r.available:.2f} 元。"
        if r.is_tripped and r.available < r.alarm1:
            body += "目前已断电（断水），充值后将自动恢复供电（供水）。"
        elif r.is_tripped:
            body += "目前已断电（断水），请到物业管理处询问原因。"
        notices.append(Notice(
            title="缴费通知单", to=f"{r.building} {r.stall_code} {r.stall_name}".strip(),
            lines=(("联系人", r.tenant or "—"), ("电话", r.phone or "—"), ("账户余额", f"{r.balance:.2f} 元"),
                   ("可用余额", f"{r.available:.2f} 元"), ("状态", r.state)),
            body=body, signature=f"{site} 物业管理处" + (f"　电话：{site_phone}" if site_phone else ""),
            date_text=f"{today:%Y年%m月%d日}",
        ))
    return notices


def arrears_pdf(rows: Sequence[ArrearsRow], *, site: str, today: date) -> bytes:
    from app.services.office.pdf import PdfSection, render_table_pdf

    return render_table_pdf(title="欠费及低余额名单", site=site, period=f"{today:%Y-%m-%d}", columns=ARREARS_COLUMNS,
                            sections=[PdfSection("", [arrears_dict(r) for r in rows], None)], landscape=True,
                            notes=[f"共 {len(rows)} 户"])
