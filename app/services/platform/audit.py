"""The audit log (operation log): one row for every change of money, tariff, meter state or role,
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
from app.models.user import AuditEvent, User
from app.services.platform.context import Actor, May, NotFound, require, shown_name
from app.words import QT_TRANSLATE_NOOP, Word

STALL_NOT_FOUND_CHECK_STALL = Word(
    "audit.stall_not_found_check_stall",
    QT_TRANSLATE_NOOP("Errors", "Stall “{p_code}” not found. Check the stall code"),
)
# what a person may be refused, said in PermissionDenied


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


def audit(
    session: Session, actor: Actor, action: str, entity: str, entity_id: int | None, **detail
) -> None:
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


def _stall_of(
    session: Session, actor: Actor, entity: str, entity_id: int | None, detail: dict
) -> int | None:
    """The stall a change concerns, for the log's stall filter: the stall itself, the
    meter's stall, or the stall code the caller put in the detail."""
    with session.no_autoflush:  # a lookup, not the moment to write what the caller has pending
        return _find_stall(session, actor, entity, entity_id, detail)


def _find_stall(
    session: Session, actor: Actor, entity: str, entity_id: int | None, detail: dict
) -> int | None:
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
        return session.scalar(
            select(Stall.id).where(Stall.site_id == actor.site_id, Stall.code == code)
        )
    return None


# ---------------------------------------------------------------- reading the log

# The kinds of change as the office calls them; an action not listed shows as stored.
ACTION_NAMES = {
    "recharge": Word("audit.action.recharge", QT_TRANSLATE_NOOP("Labels", "Recharge")),
    "database.restore": Word(
        "audit.action.database_restore",
        QT_TRANSLATE_NOOP("Labels", "Database restored from a backup"),
    ),
    "reversal": Word("audit.action.reversal", QT_TRANSLATE_NOOP("Labels", "Reversal")),
    "account.close": Word(
        "audit.action.account_close", QT_TRANSLATE_NOOP("Labels", "Account closed and refunded")
    ),
    "account.open": Word(
        "audit.action.account_open", QT_TRANSLATE_NOOP("Labels", "Account opened")
    ),
    "settlement.run": Word(
        "audit.action.settlement_run", QT_TRANSLATE_NOOP("Labels", "Settlement")
    ),
    "settlement.final": Word(
        "audit.action.settlement_final", QT_TRANSLATE_NOOP("Labels", "Final settlement")
    ),
    "bill.issue": Word("audit.action.bill_issue", QT_TRANSLATE_NOOP("Labels", "Bills issued")),
    "bill.void": Word("audit.action.bill_void", QT_TRANSLATE_NOOP("Labels", "Bill voided")),
    "property.generate": Word(
        "audit.action.property_generate", QT_TRANSLATE_NOOP("Labels", "Property bills generated")
    ),
    "shared_pool.create": Word(
        "audit.action.shared_pool_create", QT_TRANSLATE_NOOP("Labels", "Shared cost created")
    ),
    "shared_pool.members": Word(
        "audit.action.shared_pool_members", QT_TRANSLATE_NOOP("Labels", "Shared-cost stalls set")
    ),
    "shared_run.generate": Word(
        "audit.action.shared_run_generate",
        QT_TRANSLATE_NOOP("Labels", "Shared-cost bills generated"),
    ),
    "shared_run.review": Word(
        "audit.action.shared_run_review", QT_TRANSLATE_NOOP("Labels", "Shared cost reviewed")
    ),
    "shared_run.issue": Word(
        "audit.action.shared_run_issue", QT_TRANSLATE_NOOP("Labels", "Shared cost issued")
    ),
    "shared_run.void": Word(
        "audit.action.shared_run_void", QT_TRANSLATE_NOOP("Labels", "Shared cost voided")
    ),
    "shared_run.reverse": Word(
        "audit.action.shared_run_reverse", QT_TRANSLATE_NOOP("Labels", "Shared cost reversed")
    ),
    "month.build": Word(
        "audit.action.month_build", QT_TRANSLATE_NOOP("Labels", "Monthly report built")
    ),
    "month.submit": Word(
        "audit.action.month_submit", QT_TRANSLATE_NOOP("Labels", "Monthly report submitted")
    ),
    "month.approve": Word(
        "audit.action.month_approve", QT_TRANSLATE_NOOP("Labels", "Monthly report approved")
    ),
    "month.return": Word(
        "audit.action.month_return", QT_TRANSLATE_NOOP("Labels", "Monthly report returned")
    ),
    "meter.control_mode": Word(
        "audit.action.meter_control_mode", QT_TRANSLATE_NOOP("Labels", "Control mode")
    ),
    "meter.state": Word("audit.action.meter_state", QT_TRANSLATE_NOOP("Labels", "Supply state")),
    "meter.create": Word("audit.action.meter_create", QT_TRANSLATE_NOOP("Labels", "Meter added")),
    "meter.update": Word("audit.action.meter_update", QT_TRANSLATE_NOOP("Labels", "Meter changed")),
    "meter.replace": Word(
        "audit.action.meter_replace", QT_TRANSLATE_NOOP("Labels", "Meter replaced")
    ),
    "meter.deactivate": Word(
        "audit.action.meter_deactivate", QT_TRANSLATE_NOOP("Labels", "Meter deactivated")
    ),
    "meter.delete": Word("audit.action.meter_delete", QT_TRANSLATE_NOOP("Labels", "Meter deleted")),
    "meter.alarm": Word("audit.action.meter_alarm", QT_TRANSLATE_NOOP("Labels", "Balance alarm")),
    "meter.trip": Word("audit.action.meter_trip", QT_TRANSLATE_NOOP("Labels", "Trip")),
    "meter.close": Word("audit.action.meter_close", QT_TRANSLATE_NOOP("Labels", "Close")),
    "meter.valve_open": Word(
        "audit.action.meter_valve_open", QT_TRANSLATE_NOOP("Labels", "Open valve")
    ),
    "meter.valve_close": Word(
        "audit.action.meter_valve_close", QT_TRANSLATE_NOOP("Labels", "Close valve")
    ),
    "meter.forced_on": Word(
        "audit.action.meter_forced_on", QT_TRANSLATE_NOOP("Labels", "Forced on")
    ),
    "meter.forced_off": Word(
        "audit.action.meter_forced_off", QT_TRANSLATE_NOOP("Labels", "Forced off")
    ),
    "meter.restore_prepaid": Word(
        "audit.action.meter_restore_prepaid", QT_TRANSLATE_NOOP("Labels", "Prepaid restored")
    ),
    "meter.read_now": Word("audit.action.meter_read_now", QT_TRANSLATE_NOOP("Labels", "Read now")),
    "control.trip": Word(
        "audit.action.control_trip", QT_TRANSLATE_NOOP("Labels", "Automatic trip")
    ),
    "control.close": Word(
        "audit.action.control_close", QT_TRANSLATE_NOOP("Labels", "Automatic close")
    ),
    "control.valve_close": Word(
        "audit.action.control_valve_close", QT_TRANSLATE_NOOP("Labels", "Automatic valve close")
    ),
    "control.valve_open": Word(
        "audit.action.control_valve_open", QT_TRANSLATE_NOOP("Labels", "Automatic valve open")
    ),
    "control.cancel": Word(
        "audit.action.control_cancel", QT_TRANSLATE_NOOP("Labels", "Command cancelled")
    ),
    "control.alarm_levels": Word(
        "audit.action.control_alarm_levels", QT_TRANSLATE_NOOP("Labels", "Alarm amounts set")
    ),
    "control.friendly_period": Word(
        "audit.action.control_friendly_period", QT_TRANSLATE_NOOP("Labels", "Friendly period set")
    ),
    "control.holiday.add": Word(
        "audit.action.control_holiday_add", QT_TRANSLATE_NOOP("Labels", "Holiday added")
    ),
    "control.holiday.remove": Word(
        "audit.action.control_holiday_remove", QT_TRANSLATE_NOOP("Labels", "Holiday removed")
    ),
    "command.failed": Word(
        "audit.action.command_failed", QT_TRANSLATE_NOOP("Labels", "Command failed")
    ),
    "command.resend": Word(
        "audit.action.command_resend", QT_TRANSLATE_NOOP("Labels", "Command sent again")
    ),
    "reading.accept": Word(
        "audit.action.reading_accept", QT_TRANSLATE_NOOP("Labels", "Abnormal reading accepted")
    ),
    "reading.reject": Word(
        "audit.action.reading_reject", QT_TRANSLATE_NOOP("Labels", "Abnormal reading rejected")
    ),
    "stall.create": Word("audit.action.stall_create", QT_TRANSLATE_NOOP("Labels", "Stall added")),
    "stall.update": Word("audit.action.stall_update", QT_TRANSLATE_NOOP("Labels", "Stall changed")),
    "stall.delete": Word("audit.action.stall_delete", QT_TRANSLATE_NOOP("Labels", "Stall deleted")),
    "stall.role": Word(
        "audit.action.stall_role", QT_TRANSLATE_NOOP("Labels", "Tenant or owner changed")
    ),
    "customer.create": Word(
        "audit.action.customer_create", QT_TRANSLATE_NOOP("Labels", "Customer added")
    ),
    "customer.update": Word(
        "audit.action.customer_update", QT_TRANSLATE_NOOP("Labels", "Customer changed")
    ),
    "customer.delete": Word(
        "audit.action.customer_delete", QT_TRANSLATE_NOOP("Labels", "Customer deleted")
    ),
    "building.create": Word(
        "audit.action.building_create", QT_TRANSLATE_NOOP("Labels", "Building added")
    ),
    "building.update": Word(
        "audit.action.building_update", QT_TRANSLATE_NOOP("Labels", "Building changed")
    ),
    "building.delete": Word(
        "audit.action.building_delete", QT_TRANSLATE_NOOP("Labels", "Building deleted")
    ),
    "tariff.create": Word(
        "audit.action.tariff_create", QT_TRANSLATE_NOOP("Labels", "Tariff added")
    ),
    "tariff.update": Word(
        "audit.action.tariff_update", QT_TRANSLATE_NOOP("Labels", "Tariff changed")
    ),
    "charge_item.create": Word(
        "audit.action.charge_item_create", QT_TRANSLATE_NOOP("Labels", "Charge item added")
    ),
    "charge_item.update": Word(
        "audit.action.charge_item_update", QT_TRANSLATE_NOOP("Labels", "Charge item changed")
    ),
    "charge_item.delete": Word(
        "audit.action.charge_item_delete", QT_TRANSLATE_NOOP("Labels", "Charge item deleted")
    ),
    "channel.create": Word(
        "audit.action.channel_create", QT_TRANSLATE_NOOP("Labels", "Channel added")
    ),
    "channel.update": Word(
        "audit.action.channel_update", QT_TRANSLATE_NOOP("Labels", "Channel changed")
    ),
    "channel.delete": Word(
        "audit.action.channel_delete", QT_TRANSLATE_NOOP("Labels", "Channel deleted")
    ),
    "channel.enable": Word(
        "audit.action.channel_enable", QT_TRANSLATE_NOOP("Labels", "Channel enabled")
    ),
    "channel.disable": Word(
        "audit.action.channel_disable", QT_TRANSLATE_NOOP("Labels", "Channel disabled")
    ),
    "channel.sync": Word(
        "audit.action.channel_sync", QT_TRANSLATE_NOOP("Labels", "Channel synchronised")
    ),
    "site.create": Word("audit.action.site_create", QT_TRANSLATE_NOOP("Labels", "Market created")),
    "site.update": Word("audit.action.site_update", QT_TRANSLATE_NOOP("Labels", "Market changed")),
    "user.create": Word("audit.action.user_create", QT_TRANSLATE_NOOP("Labels", "User added")),
    "user.role": Word("audit.action.user_role", QT_TRANSLATE_NOOP("Labels", "Role changed")),
    "user.password": Word(
        "audit.action.user_password", QT_TRANSLATE_NOOP("Labels", "Password changed")
    ),
    "user.password_reset": Word(
        "audit.action.user_password_reset", QT_TRANSLATE_NOOP("Labels", "Password reset")
    ),
    "user.locked": Word("audit.action.user_locked", QT_TRANSLATE_NOOP("Labels", "User locked")),
    "user.unlock": Word("audit.action.user_unlock", QT_TRANSLATE_NOOP("Labels", "User unlocked")),
    "user.deactivate": Word(
        "audit.action.user_deactivate", QT_TRANSLATE_NOOP("Labels", "User deactivated")
    ),
    "login": Word("audit.action.login", QT_TRANSLATE_NOOP("Labels", "Login")),
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
    record: (
        str  # what was changed, in the clerk's words: Meter 000000000012, Stall A-001, Bill #75286
    )
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


def audit_page(
    session: Session,
    actor: Actor,
    where: AuditFilter = AuditFilter(),
    *,
    after: tuple[datetime, int] | None = None,
    limit: int = 100,
) -> AuditPage:
    """One page of the operation log, newest first, older than `after` (keyset paging:
    as fast on the thousandth page as on the first). Permission: admin, reviewer; reads only."""
    require(actor, May.READ_OPERATION_LOG)
    q = _query(session, actor, where)
    if after is not None:
        at, last_id = after
        # `at <= ` bounds the index range; the OR alone would make SQLite walk the index from
        # the newest row down to the page.
        q = q.where(
            AuditEvent.at <= at,
            or_(AuditEvent.at < at, and_(AuditEvent.at == at, AuditEvent.id < last_id)),
        )
    events = list(
        session.scalars(q.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit + 1))
    )
    more = len(events) > limit
    events = events[:limit]
    rows = _rows(session, events)
    return AuditPage(rows, (events[-1].at, events[-1].id) if more else None)


def audit_rows(
    session: Session, actor: Actor, where: AuditFilter = AuditFilter(), *, page_size: int = 2000
) -> Iterator[AuditRow]:
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
    require(actor, May.READ_OPERATION_LOG)
    users = session.execute(
        select(User.username, User.display_name)
        .where(or_(User.site_id == actor.site_id, User.site_id.is_(None)))
        .order_by(User.username)
    ).all()
    return [(u, shown_name(d, u)) for u, d in users] + [("system", "system"), ("cli", "cli")]


def _query(session: Session, actor: Actor, where: AuditFilter):
    q = select(AuditEvent).where(
        AuditEvent.site_id == actor.site_id
    )  # a chain's markets: each reads its own
    if where.person:
        q = q.where(AuditEvent.actor == where.person)
    if where.action:
        q = q.where(AuditEvent.action == where.action)
    if where.stall:
        code = where.stall.strip()
        stall_id = session.scalar(
            select(Stall.id).where(Stall.site_id == actor.site_id, Stall.code == code)
        )
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
    codes = (
        dict(session.execute(select(Stall.id, Stall.code).where(Stall.id.in_(stall_ids))).all())
        if stall_ids
        else {}
    )
    user_ids = {e.user_id for e in events if e.user_id is not None}
    names = (
        dict(session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    meter_ids = {e.entity_id for e in events if e.entity == "meter" and e.entity_id is not None}
    addresses = (
        dict(session.execute(select(Meter.id, Meter.address).where(Meter.id.in_(meter_ids))).all())
        if meter_ids
        else {}
    )
    all_codes = codes | (
        dict(
            session.execute(
                select(Stall.id, Stall.code).where(
                    Stall.id.in_(
                        {
                            e.entity_id
                            for e in events
                            if e.entity == "stall" and e.entity_id is not None
                        }
                    )
                )
            ).all()
        )
    )
    rows = []
    for e in events:
        detail = e.detail or {}
        rows.append(
            AuditRow(
                e.id,
                e.at,
                shown_name(names.get(e.user_id), None, e.actor),
                e.action,
                _action_name(e.action),
                e.entity,
                e.entity_id,
                _record(e, addresses, all_codes),
                codes.get(e.stall_id, str(detail.get("stall", "") or "")),
                _amount(detail),
                next((str(detail[k]) for k in _REASON_KEYS if detail.get(k)), ""),
                detail,
            )
        )
    return tuple(rows)


# What a row changed, in the clerk's words (the log stores the table's name).
ENTITY_NAMES = {
    "account": Word("audit.entity.account", QT_TRANSLATE_NOOP("Labels", "Account")),
    "app_user": Word("audit.entity.app_user", QT_TRANSLATE_NOOP("Labels", "Operator")),
    "bill": Word("audit.entity.bill", QT_TRANSLATE_NOOP("Labels", "Bill")),
    "building": Word("audit.entity.building", QT_TRANSLATE_NOOP("Labels", "Building")),
    "channel": Word("audit.entity.channel", QT_TRANSLATE_NOOP("Labels", "Comm channel")),
    "charge_item": Word("audit.entity.charge_item", QT_TRANSLATE_NOOP("Labels", "Charge item")),
    "customer": Word("audit.entity.customer", QT_TRANSLATE_NOOP("Labels", "Customer")),
    "holiday": Word("audit.entity.holiday", QT_TRANSLATE_NOOP("Labels", "Holiday")),
    "ledger_entry": Word("audit.entity.ledger_entry", QT_TRANSLATE_NOOP("Labels", "Ledger entry")),
    "login": Word("audit.entity.login", QT_TRANSLATE_NOOP("Labels", "Login")),
    "meter": Word("audit.entity.meter", QT_TRANSLATE_NOOP("Labels", "Meter")),
    "meter_command": Word(
        "audit.entity.meter_command", QT_TRANSLATE_NOOP("Labels", "Meter command")
    ),
    "monthly_report": Word(
        "audit.entity.monthly_report", QT_TRANSLATE_NOOP("Labels", "Monthly report")
    ),
    "receipt": Word("audit.entity.receipt", QT_TRANSLATE_NOOP("Labels", "Receipt")),
    "recharge": Word("audit.entity.recharge", QT_TRANSLATE_NOOP("Labels", "Recharge")),
    "reversal": Word("audit.entity.reversal", QT_TRANSLATE_NOOP("Labels", "Reversal")),
    "shared_pool": Word("audit.entity.shared_pool", QT_TRANSLATE_NOOP("Labels", "Shared cost")),
    "shared_run": Word("audit.entity.shared_run", QT_TRANSLATE_NOOP("Labels", "Shared-cost run")),
    "site": Word("audit.entity.site", QT_TRANSLATE_NOOP("Labels", "Market")),
    "stall": Word("audit.entity.stall", QT_TRANSLATE_NOOP("Labels", "Stall")),
    "tariff": Word("audit.entity.tariff", QT_TRANSLATE_NOOP("Labels", "Tariff")),
}


def _action_name(action: str) -> str:
    word = ACTION_NAMES.get(action)
    return word.say() if word is not None else action


def _record(e: AuditEvent, addresses: dict[int, str], codes: dict[int, str]) -> str:
    word = ENTITY_NAMES.get(e.entity)
    name = word.say() if word is not None else e.entity
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
    return "；".join(
        f"{k}={said(v, lang) if isinstance(v, str) else _said_inside(v, lang)}"
        for k, v in row.detail.items()
        if k not in shown and v not in (None, "", [], {})
    )


def _said_inside(value, lang: str | None):
    """A list of the detail with the words in it said (a settlement's skipped meters and why),
    written as before."""
    if isinstance(value, list):
        return [_said_inside(v, lang) for v in value]
    return said(value, lang) if isinstance(value, str) else value
