"""The audit log (操作日志): one row for every change of money, tariff, meter state or role,
and the log as people read it: newest first, filtered by person, kind, stall and time,
one page at a time, exported to Excel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.comm.messages import shown as said
from app.models.meter import Meter
from app.models.site import Stall
from app.models.user import AuditEvent, Role, User
from app.services.platform.context import Actor, NotFound, printed_name, require, shown_name
from app.services.office.excel_io import Column, export_table
from app.words import QT_TRANSLATE_NOOP, Word

STALL_NOT_FOUND_CHECK_STALL = Word("audit.stall_not_found_check_stall", QT_TRANSLATE_NOOP("Errors", "Stall “{p_code}” not found. Check the stall code"))


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def audit(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None, **detail) -> None:
    if actor.origin:
        detail["origin"] = actor.origin
    session.add(
        AuditEvent(
            user_id=actor.user_id,
            actor=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            stall_id=_stall_of(session, actor, entity, entity_id, detail),
            site_id=actor.site_id or None,  # 0: a failed login whose market is not known
            detail=_plain(detail),
        )
    )


def _stall_of(session: Session, actor: Actor, entity: str, entity_id: int | None, detail: dict) -> int | None:
    """The stall a change concerns, for the log's stall filter: the stall itself, the
    meter's stall, or the stall code the caller put in the detail."""
    with session.no_autoflush:  # a lookup, not the moment to write what the caller has pending
        return _find_stall(session, actor, entity, entity_id, detail)


def _find_stall(session: Session, actor: Actor, entity: str, entity_id: int | None, detail: dict) -> int | None:
    if isinstance(detail.get("stall_id"), int):
        return detail["stall_id"]
    if entity == "stall":
        return entity_id
    if entity == "meter" and entity_id is not None:
        stall_id = session.scalar(select(Meter.stall_id).where(Meter.id == entity_id))
        if stall_id is not None:
            return stall_id
    code = detail.get("stall")
    if isinstance(code, str) and code:
        return session.scalar(select(Stall.id).where(Stall.site_id == actor.site_id, Stall.code == code))
    return None


# ---------------------------------------------------------------- reading the log

# The kinds of change as the office calls them; an action not listed shows as stored.
ACTION_NAMES = {
    "recharge": "充值", "reversal": "冲正", "account.close": "销户退款", "account.open": "开户",
    "settlement.run": "结算", "settlement.final": "最终结算",
    "bill.issue": "账单下发", "bill.void": "账单作废", "property.generate": "生成物业账单",
    "shared_pool.create": "新建公摊", "shared_pool.members": "公摊档位设置", "shared_run.generate": "生成公摊账单",
    "shared_run.review": "公摊审核", "shared_run.issue": "公摊下发", "shared_run.void": "公摊作废",
    "shared_run.reverse": "公摊冲正",
    "month.build": "生成月报", "month.submit": "月报提交", "month.approve": "月报审核", "month.return": "月报退回",
    "meter.control_mode": "控制方式", "meter.state": "通断状态", "meter.create": "新增表", "meter.update": "修改表",
    "meter.replace": "换表", "meter.deactivate": "表停用", "meter.delete": "删除表", "meter.alarm": "余额报警",
    "meter.trip": "分闸", "meter.close": "合闸", "meter.valve_open": "开阀", "meter.valve_close": "关阀",
    "meter.forced_on": "保电", "meter.forced_off": "强制断电", "meter.restore_prepaid": "恢复预付费",
    "meter.read_now": "立即抄表",
    "control.trip": "自动分闸", "control.close": "自动合闸", "control.valve_close": "自动关阀",
    "control.valve_open": "自动开阀", "control.cancel": "撤销指令", "control.alarm_levels": "报警金额设置",
    "control.friendly_period": "友好时段设置", "control.holiday.add": "添加节假日", "control.holiday.remove": "删除节假日",
    "command.failed": "指令失败", "command.resend": "指令重发", "reading.accept": "异常读数接受",
    "reading.reject": "异常读数拒绝",
    "stall.create": "新增档位", "stall.update": "修改档位", "stall.delete": "删除档位", "stall.role": "租户/业主变更",
    "customer.create": "新增客户", "customer.update": "修改客户", "customer.delete": "删除客户",
    "building.create": "新增楼栋", "building.update": "修改楼栋", "building.delete": "删除楼栋",
    "tariff.create": "新增电价水价", "tariff.update": "修改电价水价",
    "charge_item.create": "新增收费项目", "charge_item.update": "修改收费项目", "charge_item.delete": "删除收费项目",
    "channel.create": "新增通道", "channel.update": "修改通道", "channel.delete": "删除通道",
    "channel.enable": "启用通道", "channel.disable": "停用通道", "channel.sync": "同步通道",
    "user.create": "新增用户", "user.role": "修改角色", "user.password": "修改密码", "user.deactivate": "停用用户",
    "login": "登录",
}
_AMOUNT_KEYS = ("amount", "refund")
_REASON_KEYS = ("reason", "note")


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    person: str  # who, as shown everywhere (display name; built-in actors by their key)
    action: str
    action_name: str
    entity: str
    entity_id: int | None
    record: str  # what was changed, in the clerk's words: 表计 000000000012, 档位 A-001, 账单 #75286
    stall_code: str
    amount: Decimal | None
    reason: str
    detail: dict


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    next_after: tuple[datetime, int] | None  # pass as `after` for the next (older) page


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """person: a login name (or 'system' / 'cli'); action: one kind; stall: a stall code;
    [since, until): the time range. Empty fields do not filter."""

    person: str | None = None
    action: str | None = None
    stall: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_page(session: Session, actor: Actor, where: AuditFilter = AuditFilter(), *,
               after: tuple[datetime, int] | None = None, limit: int = 100) -> AuditPage:
    """One page of the operation log, newest first, older than `after` (keyset paging:
    as fast on the thousandth page as on the first). Permission: admin, reviewer; reads only."""
    require(actor, Role.REVIEWER, doing="查看操作日志", doing_en="read the operation log")
    q = _query(session, actor, where)
    if after is not None:
        at, last_id = after
        # `at <= ` bounds the index range; the OR alone would make SQLite walk the index from
        # the newest row down to the page.
        q = q.where(AuditEvent.at <= at, or_(AuditEvent.at < at, and_(AuditEvent.at == at, AuditEvent.id < last_id)))
    events = list(session.scalars(q.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit + 1)))
    more = len(events) > limit
    events = events[:limit]
    rows = _rows(session, events)
    return AuditPage(rows, (events[-1].at, events[-1].id) if more else None)


def audit_rows(session: Session, actor: Actor, where: AuditFilter = AuditFilter(), *,
               page_size: int = 2000) -> Iterator[AuditRow]:
    """Every row matching `where`, newest first, read page by page (for an export)."""
    after = None
    while True:
        page = audit_page(session, actor, where, after=after, limit=page_size)
        yield from page.rows
        if page.next_after is None:
            return
        after = page.next_after


def people(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(login name, shown name) of everybody who can appear in the log, for the person filter."""
    require(actor, Role.REVIEWER, doing="查看操作日志", doing_en="read the operation log")
    users = session.execute(select(User.username, User.display_name).where(
        or_(User.site_id == actor.site_id, User.site_id.is_(None))).order_by(User.username)).all()
    return [(u, shown_name(d, u)) for u, d in users] + [("system", "system"), ("cli", "cli")]


def _query(session: Session, actor: Actor, where: AuditFilter):
    q = select(AuditEvent).where(AuditEvent.site_id == actor.site_id)  # a chain's markets: each reads its own
    if where.person:
        q = q.where(AuditEvent.actor == where.person)
    if where.action:
        q = q.where(AuditEvent.action == where.action)
    if where.stall:
        code = where.stall.strip()
        stall_id = session.scalar(select(Stall.id).where(Stall.site_id == actor.site_id, Stall.code == code))
        if stall_id is None:
            raise NotFound(STALL_NOT_FOUND_CHECK_STALL, p_code=code)
        q = q.where(AuditEvent.stall_id == stall_id)
    if where.since is not None:
        q = q.where(AuditEvent.at >= where.since)
    if where.until is not None:
        q = q.where(AuditEvent.at < where.until)
    return q


def _rows(session: Session, events: list[AuditEvent]) -> tuple[AuditRow, ...]:
    stall_ids = {e.stall_id for e in events if e.stall_id is not None}
    codes = dict(session.execute(select(Stall.id, Stall.code).where(Stall.id.in_(stall_ids))).all()) if stall_ids else {}
    user_ids = {e.user_id for e in events if e.user_id is not None}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    meter_ids = {e.entity_id for e in events if e.entity == "meter" and e.entity_id is not None}
    addresses = dict(session.execute(select(Meter.id, Meter.address).where(Meter.id.in_(meter_ids))).all()) if meter_ids else {}
    all_codes = codes | (dict(session.execute(select(Stall.id, Stall.code).where(Stall.id.in_(
        {e.entity_id for e in events if e.entity == "stall" and e.entity_id is not None}))).all()))
    rows = []
    for e in events:
        detail = e.detail or {}
        rows.append(AuditRow(
            e.id, e.at, shown_name(names.get(e.user_id), None, e.actor), e.action, ACTION_NAMES.get(e.action, e.action),
            e.entity, e.entity_id, _record(e, addresses, all_codes),
            codes.get(e.stall_id, str(detail.get("stall", "") or "")), _amount(detail),
            next((str(detail[k]) for k in _REASON_KEYS if detail.get(k)), ""), detail,
        ))
    return tuple(rows)


# What a row changed, in the clerk's words (the log stores the table's name).
ENTITY_NAMES = {
    "account": "账户", "app_user": "操作员", "bill": "账单", "building": "楼栋", "channel": "通讯通道",
    "charge_item": "收费项目", "customer": "客户", "holiday": "节假日", "ledger_entry": "账目", "login": "登录",
    "meter": "表计", "meter_command": "表计命令", "monthly_report": "月报表", "receipt": "收据", "recharge": "充值",
    "reversal": "冲正", "shared_pool": "公摊", "shared_run": "公摊账单", "site": "市场", "stall": "档位",
    "tariff": "电价",
}


def _record(e: AuditEvent, addresses: dict[int, str], codes: dict[int, str]) -> str:
    name = ENTITY_NAMES.get(e.entity, e.entity)
    if e.entity == "meter" and e.entity_id in addresses:
        return f"{name} {addresses[e.entity_id]}"
    if e.entity == "stall" and e.entity_id in codes:
        return f"{name} {codes[e.entity_id]}"
    if e.entity == "site" or e.entity_id is None:
        return name
    return f"{name} #{e.entity_id}"


def _amount(detail: dict) -> Decimal | None:
    for key in _AMOUNT_KEYS:
        if detail.get(key) not in (None, ""):
            try:
                return Decimal(str(detail[key]))
            except InvalidOperation:
                return None
    return None


def detail_text(row: AuditRow, lang: str | None = None) -> str:
    """The rest of the detail as one line (what the columns do not show already); a comm
    result in it in `lang` (default: app.words.default_language())."""
    shown = {"stall", "stall_id", *_AMOUNT_KEYS, *_REASON_KEYS}
    return "；".join(f"{k}={said(v, lang) if isinstance(v, str) else v}" for k, v in row.detail.items()
                    if k not in shown and v not in (None, "", [], {}))


AUDIT_COLUMNS = (Column("at", "时间", "datetime"), Column("person", "操作人"), Column("action_name", "操作"),
                 Column("stall_code", "档位"), Column("object", "对象"), Column("amount", "金额（元）", "money"),
                 Column("reason", "原因"), Column("detail", "详情"))


def audit_dict(row: AuditRow) -> dict:
    return {"at": row.at, "person": printed_name(row.person), "action_name": row.action_name,
            "stall_code": row.stall_code, "object": row.record,
            "amount": row.amount, "reason": said(row.reason), "detail": detail_text(row)}


def audit_xlsx(rows: list[AuditRow], title: str) -> bytes:
    return export_table(AUDIT_COLUMNS, [audit_dict(r) for r in rows], title)
