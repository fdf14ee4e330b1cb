"""Safety and tamper alerts (安全告警): raised by collection as it stores readings, listed,
acknowledged and resolved by the office.

`detect` runs in the collection's own transaction, before the readings are stored, so it
compares each reading with the meter's state as the previous reading left it:
- usage while off: the total advanced while the relay reads open (bypass, welded relay),
  or water counted while the valve reads closed, by more than the market's tolerance, with
  the supply already off at the previous reading (a trip between two reads is not one);
- overload: active power above the stall's contracted power;
- night load: power above the market's night level while the market is closed;
- stuck: the total has not moved for the market's days while the stall trades (a
  recharge since, or another of its meters moved since);
- reverse energy: the reverse active register advanced;
- cover open: the meter's cover-open count went up.
An alert is raised once per event: while one of its kind is live (open or acknowledged)
for the meter, nothing more is raised (a unique index says so too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from app.comm.types import Action, MeterKind, MeterReading
from app.models.account import Account, EntryKind, LedgerEntry
from app.models.base import utcnow
from app.models.meter import (
    OPEN_ALERT,
    Alert,
    AlertKind,
    AlertState,
    CommandStatus,
    Meter,
    MeterCommand,
)
from app.models.site import Site, Stall
from app.models.user import User
from app.services.market.stalls import STALL_ID_NOT_FOUND_REFRESH
from app.services.money.tariffs import REGISTER_PER_UNIT
from app.services.platform.audit import audit
from app.services.platform.bulk import chunked
from app.services.platform.context import (
    Actor,
    Changes,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
)
from app.services.platform.timeutil import zone
from app.words import QT_TRANSLATE_NOOP, Word

ALERT_NOT_FOUND = Word(
    "alerts.not_found",
    QT_TRANSLATE_NOOP("Errors", "Alert {alert_id} was not found. Refresh the alerts list"),
)
ALERT_ALREADY_RESOLVED = Word(
    "alerts.already_resolved",
    QT_TRANSLATE_NOOP(
        "Errors", "Alert {alert_id} was already resolved by {user}. Refresh the alerts list"
    ),
)
RESOLVE_NEEDS_NOTE = Word(
    "alerts.resolve_needs_note",
    QT_TRANSLATE_NOOP("Errors", "Say what was found or done (a note) before resolving the alert"),
)
NOTE_TOO_LONG = Word(
    "alerts.note_too_long",
    QT_TRANSLATE_NOOP("Errors", "The note is too long: keep it to 200 characters"),
)
THRESHOLD_NOT_VALID = Word(
    "alerts.threshold_not_valid",
    QT_TRANSLATE_NOOP(
        "Errors", "{what} must be a number from {low} to {high}. Correct it and save again"
    ),
)
NIGHT_LEVEL = Word("alerts.night_level", QT_TRANSLATE_NOOP("Labels", "The night load level"))
OFF_TOLERANCE = Word(
    "alerts.off_tolerance", QT_TRANSLATE_NOOP("Labels", "The usage allowed while off")
)
STUCK_DAYS = Word("alerts.stuck_days", QT_TRANSLATE_NOOP("Labels", "The days without usage"))
CONTRACTED_POWER = Word(
    "alerts.contracted_power", QT_TRANSLATE_NOOP("Labels", "The contracted power")
)
STALL_CODE_NOT_FOUND = Word(
    "alerts.stall_code_not_found",
    QT_TRANSLATE_NOOP("Errors", "Stall “{stall}” not found. Check the stall code"),
)
CLOSED_HOURS_BOTH = Word(
    "alerts.closed_hours_both",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Give both the time the market closes and the time it opens, or neither",
    ),
)

# what each kind is called, where it is shown
ALERT_KIND = {
    AlertKind.USAGE_WHILE_OFF: Word(
        "alerts.kind.usage_while_off", QT_TRANSLATE_NOOP("Labels", "Usage while switched off")
    ),
    AlertKind.OVERLOAD: Word(
        "alerts.kind.overload", QT_TRANSLATE_NOOP("Labels", "Above contracted power")
    ),
    AlertKind.NIGHT_LOAD: Word(
        "alerts.kind.night_load", QT_TRANSLATE_NOOP("Labels", "Load while the market is closed")
    ),
    AlertKind.STUCK: Word("alerts.kind.stuck", QT_TRANSLATE_NOOP("Labels", "Meter not counting")),
    AlertKind.REVERSE_ENERGY: Word(
        "alerts.kind.reverse_energy", QT_TRANSLATE_NOOP("Labels", "Reverse energy")
    ),
    AlertKind.COVER_OPEN: Word(
        "alerts.kind.cover_open", QT_TRANSLATE_NOOP("Labels", "Meter cover opened")
    ),
}
ALERT_STATE = {
    AlertState.OPEN: Word("alerts.state.open", QT_TRANSLATE_NOOP("Labels", "Open")),
    AlertState.ACKNOWLEDGED: Word(
        "alerts.state.acknowledged", QT_TRANSLATE_NOOP("Labels", "Acknowledged")
    ),
    AlertState.RESOLVED: Word("alerts.state.resolved", QT_TRANSLATE_NOOP("Labels", "Resolved")),
}
# what was read, per kind; the parameters are the alert's values
ALERT_DETAIL = {
    AlertKind.OVERLOAD: Word(
        "alerts.detail.overload",
        QT_TRANSLATE_NOOP("Labels", "{power_kw} kW read, contracted {limit_kw} kW"),
    ),
    AlertKind.NIGHT_LOAD: Word(
        "alerts.detail.night_load",
        QT_TRANSLATE_NOOP("Labels", "{power_kw} kW at {local_time}, night level {limit_kw} kW"),
    ),
    AlertKind.STUCK: Word(
        "alerts.detail.stuck",
        QT_TRANSLATE_NOOP(
            "Labels", "No usage since {since} ({days} days) while the stall {trades}"
        ),
    ),
    AlertKind.REVERSE_ENERGY: Word(
        "alerts.detail.reverse_energy",
        QT_TRANSLATE_NOOP("Labels", "Reverse energy went up {delta_kwh} kWh to {total_kwh} kWh"),
    ),
    AlertKind.COVER_OPEN: Word(
        "alerts.detail.cover_open",
        QT_TRANSLATE_NOOP("Labels", "Cover-open count went from {before} to {count}"),
    ),
}
# usage while off, per meter kind: a relay reads off (断电), a valve reads closed (关阀)
OFF_DETAIL = {
    MeterKind.ELECTRIC: Word(
        "alerts.detail.usage_while_off",
        QT_TRANSLATE_NOOP("Labels", "{used} kWh counted while the relay reads off (since {since})"),
    ),
    MeterKind.WATER: Word(
        "alerts.detail.water_while_closed",
        QT_TRANSLATE_NOOP(
            "Labels", "{used} m³ counted while the valve reads closed (since {since})"
        ),
    ),
}
TRADES = {
    "recharged": Word("alerts.trades.recharged", QT_TRANSLATE_NOOP("Labels", "was recharged")),
    "other_meter": Word(
        "alerts.trades.other_meter", QT_TRANSLATE_NOOP("Labels", "used its other meters")
    ),
}
CHANGES = Changes.ALERTS


@dataclass(frozen=True, slots=True)
class AlertSettings:
    closed_from: time | None
    closed_until: time | None
    night_load_kw: Decimal
    off_usage_tolerance: Decimal
    stuck_after_days: int


@dataclass(frozen=True, slots=True)
class AlertRow:
    id: int
    kind: AlertKind
    meter_id: int
    meter_address: str
    stall_id: int | None
    stall_code: str
    stall_name: str
    raised_at: datetime
    values: dict
    state: AlertState
    note: str
    handled_by: str  # who acknowledged or resolved it last
    handled_at: datetime | None

    def detail(self, lang: str | None = None) -> str:
        params = dict(self.values)
        if self.kind is AlertKind.USAGE_WHILE_OFF:
            return OFF_DETAIL[MeterKind(params.get("kind", "electric"))].say(lang, **params)
        if self.kind is AlertKind.STUCK:
            params["trades"] = TRADES.get(params.get("trades", ""), TRADES["recharged"])
        return ALERT_DETAIL[self.kind].say(lang, **params)


# ------------------------------------------------------------------ detection


def _is_closed(local: time, start: time | None, end: time | None) -> bool:
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # closed over midnight


def _qty(kind: MeterKind, registers: int) -> Decimal:
    return (Decimal(registers) / REGISTER_PER_UNIT[kind]).quantize(Decimal("0.001"))


def detect(session: Session, site_id: int, batch: Sequence[MeterReading]) -> list[int]:
    """Raise the alerts these readings show and keep what the next reading is compared with
    (when the total last moved, the reverse register, the cover-open count). Call before
    the readings are stored. Transaction: the caller's. Returns the new alerts' ids."""
    if not batch:
        return []
    site = session.get(Site, site_id)
    tz = zone(site.timezone)
    by_meter: dict[tuple[int, str], list[MeterReading]] = {}
    for r in batch:
        by_meter.setdefault((r.channel_id, r.address), []).append(r)
    cols = (
        Meter.id,
        Meter.channel_id,
        Meter.address,
        Meter.kind,
        Meter.stall_id,
        Meter.last_total,
        Meter.last_read_at,
        Meter.supply_on,
        Meter.moved_at,
        Meter.last_reverse_total,
        Meter.last_cover_opens,
    )
    meters = {}
    for channels in chunked(sorted({c for c, _ in by_meter})):
        for row in session.execute(
            select(*cols).where(
                Meter.channel_id.in_(channels), Meter.is_active, Meter.site_id == site_id
            )
        ):
            if (row.channel_id, row.address) in by_meter:
                meters[row.id] = row
    if not meters:
        return []
    stall_ids = {m.stall_id for m in meters.values() if m.stall_id is not None}
    contracted = {}
    for ids in chunked(sorted(stall_ids)):
        contracted.update(
            session.execute(
                select(Stall.id, Stall.contracted_power_kw).where(
                    Stall.id.in_(ids), Stall.contracted_power_kw.is_not(None)
                )
            ).all()
        )
    live: set[tuple[int, str]] = set()
    for ids in chunked(sorted(meters)):
        live.update(
            (mid, AlertKind(kind))
            for mid, kind in session.execute(
                select(Alert.meter_id, Alert.kind).where(
                    Alert.meter_id.in_(ids), Alert.state.in_(OPEN_ALERT)
                )
            )
        )
    new: list[Alert] = []

    def raise_(m, kind: AlertKind, at: datetime, /, **values) -> None:
        if (m.id, kind) in live:
            return
        live.add((m.id, kind))
        new.append(
            Alert(
                site_id=site_id,
                kind=kind,
                meter_id=m.id,
                stall_id=m.stall_id,
                raised_at=at,
                values=values,
                state=AlertState.OPEN,
            )
        )

    updates = []
    stuck: dict[int, tuple] = {}
    counted_off: dict[int, list[tuple]] = {}
    for m in meters.values():
        kind = MeterKind(m.kind)
        total, read_at, supply_on = m.last_total, m.last_read_at, m.supply_on
        moved_at, reverse, cover = m.moved_at, m.last_reverse_total, m.last_cover_opens
        for r in sorted(by_meter[(m.channel_id, m.address)], key=lambda r: r.read_at):
            if read_at is not None and r.read_at <= read_at:
                continue  # a reading already stored, or older: it tells nothing new
            off = r.relay_closed is False if kind is MeterKind.ELECTRIC else r.valve_open is False
            if total is not None:
                delta = r.total - total
                used = _qty(kind, delta)
                if off and supply_on is False and used > site.off_usage_tolerance:
                    # unless a trip landed after the previous read: checked below
                    counted_off.setdefault(m.id, []).append((m, r.read_at, read_at, used, kind))
                if delta > 0:
                    moved_at = r.read_at
                elif moved_at is not None and site.stuck_after_days > 0:
                    still = r.read_at - moved_at
                    if still >= timedelta(days=site.stuck_after_days) and m.stall_id is not None:
                        stuck[m.id] = (m, r.read_at, moved_at)  # does its stall trade? below
            else:
                moved_at = r.read_at
            if r.power_kw is not None:
                power = Decimal(str(round(r.power_kw, 3)))
                limit = contracted.get(m.stall_id)
                if limit is not None and power > limit:
                    raise_(
                        m, AlertKind.OVERLOAD, r.read_at, power_kw=str(power), limit_kw=str(limit)
                    )
                local = r.read_at.astimezone(tz)
                if power > site.night_load_kw and _is_closed(
                    local.time(), site.closed_from, site.closed_until
                ):
                    raise_(
                        m,
                        AlertKind.NIGHT_LOAD,
                        r.read_at,
                        power_kw=str(power),
                        limit_kw=str(site.night_load_kw),
                        local_time=local.strftime("%Y-%m-%d %H:%M"),
                    )
            if r.reverse_total is not None:
                if reverse is not None and r.reverse_total > reverse:
                    raise_(
                        m,
                        AlertKind.REVERSE_ENERGY,
                        r.read_at,
                        delta_kwh=str(_qty(MeterKind.ELECTRIC, r.reverse_total - reverse)),
                        total_kwh=str(_qty(MeterKind.ELECTRIC, r.reverse_total)),
                    )
                reverse = r.reverse_total
            if r.cover_opens is not None:
                if cover is not None and r.cover_opens > cover:
                    raise_(m, AlertKind.COVER_OPEN, r.read_at, before=cover, count=r.cover_opens)
                cover = r.cover_opens
            total, read_at = r.total, r.read_at
            if kind is MeterKind.ELECTRIC and r.relay_closed is not None:
                supply_on = r.relay_closed
            elif kind is MeterKind.WATER and r.valve_open is not None:
                supply_on = r.valve_open
        if (moved_at, reverse, cover) != (m.moved_at, m.last_reverse_total, m.last_cover_opens):
            updates.append({"b_id": m.id, "moved": moved_at, "rev": reverse, "cover": cover})
    tripped = _last_trips(session, list(counted_off))
    for candidates in counted_off.values():
        for m, at, since, used, kind in candidates:
            trip = tripped.get(m.id)
            if trip is not None and trip > since:
                continue  # switched off after the previous read: the usage may be from before
            raise_(
                m,
                AlertKind.USAGE_WHILE_OFF,
                at,
                used=str(used),
                kind=kind.value,
                since=since.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            )
            break
    moved_now = {u["b_id"]: u["moved"] for u in updates}
    trades = _trades(
        session, [v for k, v in stuck.items() if (k, AlertKind.STUCK) not in live], moved_now
    )
    for m, at, since in (v for v in stuck.values() if v[0].id in trades):
        raise_(
            m,
            AlertKind.STUCK,
            at,
            since=since.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            days=(at - since).days,
            trades=trades[m.id],
        )
    if updates:
        t = Meter.__table__  # executemany, no ORM object per meter (the hot path)
        session.execute(
            update(t)
            .where(t.c.id == bindparam("b_id"))
            .values(
                moved_at=bindparam("moved"),
                last_reverse_total=bindparam("rev"),
                last_cover_opens=bindparam("cover"),
            ),
            updates,
        )
    session.add_all(new)
    session.flush()
    return [a.id for a in new]


def _last_trips(session: Session, meter_ids: list[int]) -> dict[int, datetime]:
    """When each meter's last trip / forced off / valve close command succeeded."""
    out: dict[int, datetime] = {}
    for ids in chunked(meter_ids):
        for mid, at in session.execute(
            select(MeterCommand.meter_id, func.max(MeterCommand.finished_at))
            .where(
                MeterCommand.meter_id.in_(ids),
                MeterCommand.status == CommandStatus.SUCCEEDED,
                MeterCommand.action.in_((Action.TRIP, Action.FORCED_OFF, Action.VALVE_CLOSE)),
            )
            .group_by(MeterCommand.meter_id)
        ):
            if at is not None:
                out[mid] = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return out


def _trades(
    session: Session, candidates: Sequence[tuple], moved_now: dict[int, datetime | None]
) -> dict[int, str]:
    """Of the (meter, read at, still since) whose register stands still, those whose stall
    shows it trades since: meter id → "recharged" or "other_meter". A few queries for all,
    however many meters stand still (a market has many closed stalls)."""
    if not candidates:
        return {}
    stall_ids = sorted({m.stall_id for m, _, _ in candidates})
    recharged: dict[int, datetime] = {}
    others: dict[int, list[tuple[int, datetime | None]]] = {}
    for ids in chunked(stall_ids):
        recharged.update(
            session.execute(
                select(Account.stall_id, func.max(LedgerEntry.at))
                .join(LedgerEntry, LedgerEntry.account_id == Account.id)
                .where(Account.stall_id.in_(ids), LedgerEntry.kind == EntryKind.RECHARGE)
                .group_by(Account.stall_id)
            ).all()
        )
        for sid, mid, moved in session.execute(
            select(Meter.stall_id, Meter.id, Meter.moved_at).where(
                Meter.stall_id.in_(ids), Meter.is_active
            )
        ):
            others.setdefault(sid, []).append((mid, moved_now.get(mid, moved)))
    out = {}
    for m, _at, since in candidates:
        last = recharged.get(m.stall_id)
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=since.tzinfo)
        if last is not None and last > since:
            out[m.id] = "recharged"
        elif any(
            mid != m.id and moved and moved > since for mid, moved in others.get(m.stall_id, ())
        ):
            out[m.id] = "other_meter"
    return out


# ------------------------------------------------------------------ the office's side


def count_open(session: Session, actor: Actor) -> int:
    """Alerts nobody has resolved yet (open or acknowledged). Permission: view alerts."""
    require(actor, May.VIEW_ALERTS)
    return session.scalar(
        select(func.count())
        .select_from(Alert)
        .where(Alert.site_id == actor.site_id, Alert.state.in_(OPEN_ALERT))
    )


def list_alerts(
    session: Session, actor: Actor, *, only_open: bool = False, limit: int = 1000
) -> list[AlertRow]:
    """The market's alerts, newest first. Permission: view alerts. Read only."""
    require(actor, May.VIEW_ALERTS)
    q = (
        select(Alert, Meter.address, Stall.code, Stall.name)
        .join(Meter, Meter.id == Alert.meter_id)
        .outerjoin(Stall, Stall.id == Alert.stall_id)
        .where(Alert.site_id == actor.site_id)
        .order_by(Alert.raised_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    if only_open:
        q = q.where(Alert.state.in_(OPEN_ALERT))
    rows = session.execute(q).all()
    users = {
        uid: name
        for uid, name in session.execute(
            select(User.id, User.username).where(
                User.id.in_({a.resolved_by or a.acknowledged_by for a, *_ in rows} - {None})
            )
        )
    }
    return [
        AlertRow(
            a.id,
            a.kind,
            a.meter_id,
            address,
            a.stall_id,
            code or "",
            name or "",
            a.raised_at,
            dict(a.values or {}),
            a.state,
            a.note,
            users.get(a.resolved_by or a.acknowledged_by, ""),
            a.resolved_at or a.acknowledged_at,
        )
        for a, address, code, name in rows
    ]


def _alert(session: Session, actor: Actor, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None or alert.site_id != actor.site_id:
        raise NotFound(ALERT_NOT_FOUND, alert_id=alert_id)
    if alert.state is AlertState.RESOLVED:
        who = session.get(User, alert.resolved_by) if alert.resolved_by else None
        raise Conflict(ALERT_ALREADY_RESOLVED, alert_id=alert_id, user=who.username if who else "")
    return alert


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > 200:
        raise ServiceError(NOTE_TOO_LONG)
    return note


def acknowledge(
    session: Session, actor: Actor, alert_id: int, *, note: str = "", now: datetime | None = None
) -> None:
    """Someone has seen the alert and is on it; it stays counted until resolved.
    Permission: handle alerts. Transaction: the caller's. Audit: alert.acknowledge."""
    require(actor, May.HANDLE_ALERTS)
    note = _note(note)
    alert = _alert(session, actor, alert_id)
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_by, alert.acknowledged_at = actor.user_id, now or utcnow()
    if note:
        alert.note = note
    audit(
        session,
        actor,
        "alert.acknowledge",
        "meter",
        alert.meter_id,
        alert_id=alert.id,
        kind=alert.kind.value,
        note=note,
    )


def resolve(
    session: Session, actor: Actor, alert_id: int, *, note: str, now: datetime | None = None
) -> None:
    """The alert is dealt with; what was found or done is the note (required).
    Permission: handle alerts. Transaction: the caller's. Audit: alert.resolve."""
    require(actor, May.HANDLE_ALERTS)
    note = _note(note)
    if not note:
        raise ServiceError(RESOLVE_NEEDS_NOTE)
    alert = _alert(session, actor, alert_id)
    alert.state = AlertState.RESOLVED
    alert.resolved_by, alert.resolved_at = actor.user_id, now or utcnow()
    alert.note = note
    audit(
        session,
        actor,
        "alert.resolve",
        "meter",
        alert.meter_id,
        alert_id=alert.id,
        kind=alert.kind.value,
        note=note,
    )


# ------------------------------------------------------------------ settings


def alert_settings(session: Session, actor: Actor) -> AlertSettings:
    require(actor, May.VIEW_ALERTS)
    site = session.get(Site, actor.site_id)
    return AlertSettings(
        site.closed_from,
        site.closed_until,
        site.night_load_kw,
        site.off_usage_tolerance,
        site.stuck_after_days,
    )


def _in_range(value, what: Word, low, high, places: int = 3) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except ArithmeticError:
        d = None
    if d is None or not d.is_finite() or not low <= d <= high or d != round(d, places):
        raise ServiceError(THRESHOLD_NOT_VALID, what=what, low=low, high=high)
    return d


def set_alert_settings(session: Session, actor: Actor, settings: AlertSettings) -> AlertSettings:
    """The market's closed hours and alert levels. Permission: change alert thresholds.
    Transaction: the caller's. Audit: site.alert_settings (old and new)."""
    require(actor, May.CHANGE_ALERT_THRESHOLDS)
    if (settings.closed_from is None) != (settings.closed_until is None):
        raise ServiceError(CLOSED_HOURS_BOTH)
    night = _in_range(settings.night_load_kw, NIGHT_LEVEL, 0, 1000)
    tolerance = _in_range(settings.off_usage_tolerance, OFF_TOLERANCE, 0, 1000)
    days = int(_in_range(settings.stuck_after_days, STUCK_DAYS, 0, 365, places=0))
    site = session.get(Site, actor.site_id)
    before = alert_settings(session, actor)
    site.closed_from, site.closed_until = settings.closed_from, settings.closed_until
    site.night_load_kw, site.off_usage_tolerance, site.stuck_after_days = night, tolerance, days
    after = alert_settings(session, actor)
    audit(
        session,
        actor,
        "site.alert_settings",
        "site",
        site.id,
        before={k: str(v) for k, v in asdict(before).items()},
        after={k: str(v) for k, v in asdict(after).items()},
    )
    return after


def set_contracted_power(
    session: Session, actor: Actor, stall: int | str, power_kw: Decimal | str | None
) -> None:
    """A stall's contracted power (合同功率), by id or code; None or "" to watch no overload.
    Permission: edit stalls. Transaction: the caller's. Audit: stall.contracted_power."""
    require(actor, May.EDIT_STALLS)
    if isinstance(stall, str):
        row = session.scalar(
            select(Stall).where(Stall.site_id == actor.site_id, Stall.code == stall.strip())
        )
        if row is None:
            raise NotFound(STALL_CODE_NOT_FOUND, stall=stall.strip())
    else:
        row = session.get(Stall, stall)
        if row is None or row.site_id != actor.site_id:
            raise NotFound(STALL_ID_NOT_FOUND_REFRESH, code_or_id=stall)
    stall = row
    value = (
        None
        if power_kw is None or str(power_kw).strip() == ""
        else _in_range(power_kw, CONTRACTED_POWER, Decimal("0.001"), 10000)
    )
    before = stall.contracted_power_kw
    stall.contracted_power_kw = value
    audit(
        session,
        actor,
        "stall.contracted_power",
        "stall",
        stall.id,
        before=str(before) if before is not None else None,
        after=str(value) if value is not None else None,
    )
