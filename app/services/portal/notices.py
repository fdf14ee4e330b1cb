"""Notices to tenants by SMS (短信通知): balance below alarm 1, below alarm 2, supply cut, recharge
received.

Each notice is written "queued" into the outbox (sms_message) in the transaction of its
event, so a rolled-back settlement or recharge tells nobody and a committed one is never
forgotten; `send_due_notices` sends the queued rows afterwards, outside any transaction, and
retries a failed send. A stall's tenant is told once per event: sms_notice_state keeps what
the stall was last told (alarm level, supply cut), changed by a conditional UPDATE, so two
settlements at the same moment queue one notice. Alarm and supply-cut notices due in the
market's quiet hours wait for their end; "recharge received" goes at once, since the tenant
has just paid (often at the counter or on the phone) and expects its confirmation.

The notice goes to the stall's tenant's phone, else its owner's: the one who pays the
electricity; phones authorized in the portal only look.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.db import Database
from app.models.portal import SmsMessage, SmsNoticeSetting, SmsNoticeState
from app.models.site import Customer, Stall, StallRole, StallRoleKind
from app.services.market.usage import available_balances
from app.services.platform.audit import audit
from app.services.platform.bulk import batches, in_ids, upsert_insert
from app.services.platform.context import Actor, May, ServiceError, require
from app.services.platform.timeutil import site_zone, zone
from app.services.portal.sms import (
    ALIYUN,
    OUTBOX,
    AliyunSms,
    OutboxSender,
    Sent,
    SmsSender,
    sms_account,
)
from app.words import QT_TRANSLATE_NOOP, Word

log = logging.getLogger(__name__)

ALARM1, ALARM2, SUPPLY_CUT, RECHARGE = "alarm1", "alarm2", "supply_cut", "recharge"
KINDS = (ALARM1, ALARM2, SUPPLY_CUT, RECHARGE)
TEMPLATES = {kind: f"notice_{kind}" for kind in KINDS}
QUEUED = "queued"
DEFAULT_QUIET = (time(22, 0), time(8, 0))
MAX_ATTEMPTS = 5
LEASE_S = 300  # a row being sent is left alone this long by a second sender
RETRY_S = (60, 300, 900, 3600)  # after the 1st, 2nd, … failed try

# What the tenant reads: the provider's approved template says the same (README), the
# outbox shows it.
NOTICE_TEXTS = {
    ALARM1: Word(
        "notices.alarm1",
        QT_TRANSLATE_NOOP(
            "SMS",
            "Stall {stall}: the available balance is ¥{available}, below ¥{alarm}. "
            "Please recharge in time",
        ),
    ),
    ALARM2: Word(
        "notices.alarm2",
        QT_TRANSLATE_NOOP(
            "SMS",
            "Stall {stall}: the available balance is ¥{available}, below ¥{alarm}. When it runs "
            "out the supply is cut; please recharge now",
        ),
    ),
    SUPPLY_CUT: Word(
        "notices.supply_cut",
        QT_TRANSLATE_NOOP(
            "SMS",
            "Stall {stall}: the supply was cut because the balance ran out (available "
            "¥{available}). It comes back by itself after a recharge",
        ),
    ),
    RECHARGE: Word(
        "notices.recharge",
        QT_TRANSLATE_NOOP(
            "SMS",
            "Stall {stall}: your recharge of ¥{amount} was received; the balance is ¥{balance}. "
            "Receipt no. {receipt}",
        ),
    ),
}
KIND_NAMES = {
    ALARM1: Word("notices.kind_alarm1", QT_TRANSLATE_NOOP("Labels", "Balance below alarm 1")),
    ALARM2: Word("notices.kind_alarm2", QT_TRANSLATE_NOOP("Labels", "Balance below alarm 2")),
    SUPPLY_CUT: Word("notices.kind_supply_cut", QT_TRANSLATE_NOOP("Labels", "Supply cut")),
    RECHARGE: Word("notices.kind_recharge", QT_TRANSLATE_NOOP("Labels", "Recharge received")),
}
UNKNOWN_KIND = Word(
    "notices.unknown_kind",
    QT_TRANSLATE_NOOP("Errors", "Unknown kind of notice “{kind}”. Choose from: {choices}"),
)
BAD_QUIET_HOURS = Word(
    "notices.bad_quiet_hours",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Quiet hours are written as HH:MM-HH:MM (for example 22:00-08:00), or “none”; "
        "“{text}” is not",
    ),
)
NO_TEMPLATE = Word(
    "notices.no_template",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The notice “{kind}” needs its template code approved by the SMS provider: add it with "
        "sms setup --template {template}=SMS_…",
    ),
)


@dataclass(frozen=True, slots=True)
class NoticeSettings:
    """Which notices are on, and the quiet hours (None: none)."""

    on: frozenset[str]
    quiet_start: time | None
    quiet_end: time | None

    def is_on(self, kind: str) -> bool:
        return kind in self.on


def _settings_row(session: Session, site_id: int) -> SmsNoticeSetting | None:
    return session.get(SmsNoticeSetting, site_id)


def _settings_of(row: SmsNoticeSetting | None) -> NoticeSettings:
    if row is None:
        return NoticeSettings(frozenset(), *DEFAULT_QUIET)
    return NoticeSettings(
        frozenset(k for k in KINDS if getattr(row, k)), row.quiet_start, row.quiet_end
    )


def notice_settings(session: Session, site_id: int) -> NoticeSettings:
    """The market's notices (all off until the admin turns them on). Reads only."""
    return _settings_of(_settings_row(session, site_id))


def parse_quiet_hours(text: str) -> tuple[time | None, time | None]:
    """'22:00-08:00' → (22:00, 08:00); 'none' or '' → no quiet hours."""
    value = text.strip().lower()
    if value in ("", "none", "-"):
        return None, None
    m = re.fullmatch(r"(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})", value)
    if m:
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 and (h1, m1) != (h2, m2):
            return time(h1, m1), time(h2, m2)
    raise ServiceError(BAD_QUIET_HOURS, code="invalid", text=text)


def set_notices(
    session: Session,
    actor: Actor,
    *,
    on: Iterable[str] = (),
    off: Iterable[str] = (),
    quiet: str | None = None,
) -> NoticeSettings:
    """Turn kinds of notice on / off and set the quiet hours ('22:00-08:00', 'none'; None
    keeps them). Permission: admin (sets up the portal). Audit: sms.notices, before and
    after."""
    require(actor, May.SET_UP_TENANT_PORTAL)
    on, off = list(on), list(off)
    for kind in on + off:
        if kind not in KINDS:
            raise ServiceError(UNKNOWN_KIND, code="invalid", kind=kind, choices=", ".join(KINDS))
    account = sms_account(session, actor.site_id)
    if account.provider == ALIYUN:
        templates = account.settings.get("templates") or {}
        for kind in on:
            if not templates.get(TEMPLATES[kind]):
                raise ServiceError(
                    NO_TEMPLATE, code="required", kind=KIND_NAMES[kind], template=TEMPLATES[kind]
                )
    row = _settings_row(session, actor.site_id)
    if row is None:
        row = SmsNoticeSetting(site_id=actor.site_id, quiet_start=DEFAULT_QUIET[0])
        row.quiet_end = DEFAULT_QUIET[1]
        for kind in KINDS:
            setattr(row, kind, False)
        session.add(row)
    before = _settings_of(row)
    for kind in on:
        setattr(row, kind, True)
    for kind in off:
        setattr(row, kind, False)
    if quiet is not None:
        row.quiet_start, row.quiet_end = parse_quiet_hours(quiet)
    session.flush()
    after = _settings_of(row)
    audit(
        session,
        actor,
        "sms.notices",
        "sms_account",
        account.id,
        before=_described(before),
        after=_described(after),
    )
    return after


def _described(s: NoticeSettings) -> dict:
    quiet = (
        f"{s.quiet_start:%H:%M}-{s.quiet_end:%H:%M}"
        if s.quiet_start is not None and s.quiet_end is not None
        else "none"
    )
    return {"on": [k for k in KINDS if k in s.on], "quiet": quiet}


def due_time(settings: NoticeSettings, tz_name: str | object, now: datetime) -> datetime:
    """`now`, or the end of the quiet hours when `now` falls inside them."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None:
        return now
    tz = zone(tz_name) if isinstance(tz_name, str) else tz_name
    local = now.astimezone(tz)
    t = local.time()
    inside = start <= t < end if start <= end else (t >= start or t < end)
    if not inside:
        return now
    end_day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz).astimezone(now.tzinfo)


# ── the events ──────────────────────────────────────────────────────────────────────


def _phones(session: Session, stall_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """stall id → (stall code, the tenant's phone, else the owner's; '' when neither)."""
    out: dict[int, tuple[str, str]] = {}
    ids = sorted(set(stall_ids))
    for batch in batches(session, ids):
        for sid, code in session.execute(
            select(Stall.id, Stall.code).where(in_ids(session, Stall.id, batch))
        ):
            out[sid] = (code, "")
        rows = session.execute(
            select(StallRole.stall_id, StallRole.role, Customer.phone)
            .join(Customer, Customer.id == StallRole.customer_id)
            .where(in_ids(session, StallRole.stall_id, batch))
        )
        found: dict[int, dict] = {}
        for sid, role, phone in rows:
            if phone:
                found.setdefault(sid, {})[StallRoleKind(role)] = phone.strip()
        for sid, by_role in found.items():
            phone = by_role.get(StallRoleKind.TENANT) or by_role.get(StallRoleKind.OWNER) or ""
            out[sid] = (out.get(sid, ("", ""))[0], phone)
    return out


def _queue(
    session: Session,
    site_id: int,
    stall_ids: Iterable[int],
    kind: str,
    params: Mapping[int, dict],
    now: datetime,
    due_at: datetime,
) -> int:
    phones = _phones(session, stall_ids)
    rows = []
    for sid, (code, phone) in phones.items():
        if not phone:
            log.info("notice %s of stall %s not sent: no phone on record", kind, code)
            continue
        rows.append(
            SmsMessage(
                site_id=site_id,
                at=now,
                phone=phone,
                template=TEMPLATES[kind],
                params={"stall": code, **params[sid]},
                provider="",
                status=QUEUED,
                detail="",
                stall_id=sid,
                due_at=due_at,
                attempts=0,
            )
        )
    session.add_all(rows)
    session.flush()
    return len(rows)


def _states(session: Session, stall_ids: list[int]) -> dict[int, tuple[int, bool]]:
    """stall id → (alarm level told, supply cut told); a stall never told gets its row."""

    def read(ids) -> dict[int, tuple[int, bool]]:
        out = {}
        for batch in batches(session, ids):
            for sid, level, cut in session.execute(
                select(
                    SmsNoticeState.stall_id, SmsNoticeState.alarm_level, SmsNoticeState.supply_cut
                ).where(in_ids(session, SmsNoticeState.stall_id, batch))
            ):
                out[sid] = (level, cut)
        return out

    found = read(stall_ids)
    missing = [sid for sid in stall_ids if sid not in found]
    if missing:
        table = SmsNoticeState.__table__
        for batch in batches(session, missing):
            session.execute(
                upsert_insert(session, table).on_conflict_do_nothing(),
                [{"stall_id": sid, "alarm_level": 0, "supply_cut": False} for sid in batch],
            )
        found.update(read(missing))
    return found


def _moved(session: Session, stall_id: int, column: str, old, new) -> bool:
    """The stall's state moved from `old` to `new` by this transaction (False: another one
    moved it first; on PostgreSQL this waits for it and then sees its change)."""
    col = getattr(SmsNoticeState, column)
    done = session.execute(
        update(SmsNoticeState)
        .where(SmsNoticeState.stall_id == stall_id, col == old)
        .values({column: new})
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


@dataclass(frozen=True, slots=True)
class StallAlarm:
    """A stall's alarm level (0, 1, 2) as a control pass decided it."""

    site_id: int
    level: int
    available: Decimal
    alarm1: Decimal
    alarm2: Decimal


def alarm_levels_decided(
    session: Session, alarms: Mapping[int, StallAlarm], *, now: datetime | None = None
) -> int:
    """After a control pass: tell the tenants of stalls that entered alarm 1 or 2 (a fall
    from none straight to 2 tells alarm 2 only; a rise from 2 to 1 tells nothing). Returns
    the notices queued. Transaction: the caller's (the event's). Audit: none (the control
    pass audits meter.alarm)."""
    now = now or utcnow()
    sites = {a.site_id for a in alarms.values()}
    settings = {site: notice_settings(session, site) for site in sites}
    watched = sorted(
        sid
        for sid, a in alarms.items()
        if settings[a.site_id].is_on(ALARM1) or settings[a.site_id].is_on(ALARM2)
    )
    if not watched:
        return 0
    states = _states(session, watched)
    queued = 0
    for sid in watched:
        a, (told, _) = alarms[sid], states[sid]
        if a.level == told or not _moved(session, sid, "alarm_level", told, a.level):
            continue
        kind = {1: ALARM1, 2: ALARM2}.get(a.level)
        if a.level > told and kind and settings[a.site_id].is_on(kind):
            alarm = a.alarm1 if a.level == 1 else a.alarm2
            due = due_time(settings[a.site_id], site_zone(session, a.site_id), now)
            queued += _queue(
                session,
                a.site_id,
                [sid],
                kind,
                {sid: {"available": f"{a.available:.2f}", "alarm": f"{alarm:.2f}"}},
                now,
                due,
            )
    return queued


def supply_changed(
    session: Session,
    site_id: int,
    stall_id: int,
    *,
    is_cut: bool,
    available: Decimal | None = None,
    now: datetime | None = None,
) -> int:
    """A meter of the stall was cut by control (is_cut) or its supply came back: the
    tenant is told of the cut once, until the supply is back. Transaction: the caller's
    (the command's result)."""
    now = now or utcnow()
    settings = notice_settings(session, site_id)
    if not settings.is_on(SUPPLY_CUT):
        return 0
    told = _states(session, [stall_id])[stall_id][1]
    if told == is_cut or not _moved(session, stall_id, "supply_cut", told, is_cut):
        return 0
    if not is_cut:
        return 0
    if available is None:
        available = available_balances(session, [stall_id]).get(stall_id)
    shown = "—" if available is None else f"{available:.2f}"
    due = due_time(settings, site_zone(session, site_id), now)
    return _queue(
        session, site_id, [stall_id], SUPPLY_CUT, {stall_id: {"available": shown}}, now, due
    )


def recharge_received(
    session: Session,
    site_id: int,
    stall_id: int,
    *,
    amount: Decimal,
    balance: Decimal,
    receipt_no: int,
    now: datetime | None = None,
) -> int:
    """A recharge (counter or online) was credited: the tenant is told at once, quiet hours
    or not. Transaction: the caller's (the recharge's)."""
    now = now or utcnow()
    if not notice_settings(session, site_id).is_on(RECHARGE):
        return 0
    params = {"amount": f"{amount:.2f}", "balance": f"{balance:.2f}", "receipt": str(receipt_no)}
    return _queue(session, site_id, [stall_id], RECHARGE, {stall_id: params}, now, now)


# ── sending ─────────────────────────────────────────────────────────────────────────


def notice_text(template: str, params: Mapping[str, str], lang: str | None = None) -> str | None:
    """What a notice says (None for a message that is not a notice, e.g. a sign-in code)."""
    for kind, name in TEMPLATES.items():
        if name == template:
            return NOTICE_TEXTS[kind].say(lang, **{k: str(v) for k, v in params.items()})
    return None


@dataclass(frozen=True, slots=True)
class _Due:
    id: int
    phone: str
    template: str
    params: dict
    attempts: int


def _claim(session: Session, site_id: int, now: datetime, limit: int) -> list[_Due]:
    """The queued notices due now, each leased (due_at pushed LEASE_S on, a try counted) by
    a conditional UPDATE so two senders never both take one."""
    rows = session.execute(
        select(
            SmsMessage.id,
            SmsMessage.phone,
            SmsMessage.template,
            SmsMessage.params,
            SmsMessage.attempts,
            SmsMessage.due_at,
        )
        .where(
            SmsMessage.site_id == site_id,
            SmsMessage.status == QUEUED,
            SmsMessage.due_at <= now,
        )
        .order_by(SmsMessage.due_at, SmsMessage.id)
        .limit(limit)
    ).all()
    taken = []
    for mid, phone, template, params, attempts, due_at in rows:
        done = session.execute(
            update(SmsMessage)
            .where(SmsMessage.id == mid, SmsMessage.status == QUEUED, SmsMessage.due_at == due_at)
            .values(due_at=now + timedelta(seconds=LEASE_S), attempts=attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:
            taken.append(_Due(mid, phone, template, dict(params), attempts + 1))
    return taken


def _sent(
    session: Session, site_id: int, due: _Due, provider: str, sent: Sent, now: datetime
) -> None:
    row = session.get(SmsMessage, due.id)
    row.provider, row.detail = provider, sent.detail[:500]
    if sent.status != "failed":
        row.status, row.due_at = sent.status, None
    elif due.attempts >= MAX_ATTEMPTS:
        row.status, row.due_at = "failed", None
        log.warning("notice %s given up after %d tries: %s", due.id, due.attempts, sent.detail)
    else:
        wait = RETRY_S[min(due.attempts, len(RETRY_S)) - 1]
        settings = notice_settings(session, site_id)
        later = now + timedelta(seconds=wait)
        row.due_at = (
            later
            if due.template == TEMPLATES[RECHARGE]
            else due_time(settings, site_zone(session, site_id), later)
        )
    session.flush()


def send_due_notices(
    db: Database,
    site_id: int,
    *,
    now: datetime | None = None,
    sender: SmsSender | None = None,
    limit: int = 100,
) -> int:
    """Send the queued notices that are due: claimed in one transaction, each sent through
    the market's provider outside any transaction (a slow provider holds nothing up), its
    outcome kept in another. Without an SMS contract the outbox is the sender: the row
    becomes "outbox" for the office to read. A failed try is tried again later (1, 5, 15,
    60 min), MAX_ATTEMPTS in all. Returns how many were handled."""
    now = now or utcnow()
    with db.transaction() as s:
        account = sms_account(s, site_id)
        provider, settings = account.provider, dict(account.settings)
        due = _claim(s, site_id, now, limit)
    if not due:
        return 0
    sender = sender or (OutboxSender() if provider == OUTBOX else AliyunSms(settings))
    templates = settings.get("templates") or {}
    for d in due:
        if sender.provider != OUTBOX and not templates.get(d.template):
            sent = Sent("failed", f"no template code for {d.template}")
        else:
            sent = sender.send(d.phone, d.template, d.params)
        with db.transaction() as s:
            _sent(s, site_id, d, sender.provider or provider, sent, now)
    return len(due)
