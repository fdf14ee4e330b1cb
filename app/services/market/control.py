"""Control: the decision to trip / close a meter or close / open a
water valve from the stall's available balance, and the durable command rows that carry it
to the comm service.

After every collection and every recharge `reconsider()` looks at each meter in prepaid
mode of an opened account: available balance below alarm 1 / alarm 2 → warning
level; below −overdraft limit → trip / valve close, unless the site's friendly period (no
cut at night, on holidays) applies; back above → close / valve open. Forced-on and
forced-off take a meter out of that decision until "restore prepaid".
A person's trip / close / valve command is forced control too (forced trip / forced close,
for water forced valve closed / open), as the meter itself models it (Acrel register 0x0057,
PROTOCOLS.md
§1.4): otherwise the next control pass would undo it within seconds.

Commands are rows: at most one open (pending / sent) command per meter and action (a
partial unique index, and the queries here), none when the meter already is in that state,
and a pending automatic trip is cancelled when the balance comes back (and vice versa).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.comm.labels import ACTION
from app.comm.messages import (
    BALANCE_RESTORED_CANCEL,
    FAILED,
    FRIENDLY_PERIOD_WAIT,
    NOT_PREPAID_CANCEL,
    RETRY,
    SUCCEEDED,
    Reason,
    stored_text,
)
from app.comm.types import Action, MeterKind
from app.models.account import Account, AccountStatus
from app.models.base import utcnow
from app.models.meter import (
    OPEN_COMMAND,
    AlarmLevel,
    CommandStatus,
    ControlMode,
    Meter,
    MeterCommand,
)
from app.models.money import ZERO
from app.models.site import Holiday, Site
from app.models.user import AuditEvent
from app.services.market.stall_codes import listed
from app.services.market.usage import meter_states, price_states
from app.services.platform.audit import _plain, audit
from app.services.platform.bulk import Raw, batches, chunked, in_ids, unscaled, upsert_insert
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
from app.services.portal import notices
from app.words import QT_TRANSLATE_NOOP, Said, Word

FORCED_ON_FORCED_OFF_RESTORE = Word(
    "control.forced_on_forced_off_restore",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Forced on, forced off and restore prepaid are set with the “Control” action, not here",
    ),
)
WRITE_WHY_YOU_METERS_STAY = Word(
    "control.write_why_you_meters_stay",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Write why you {doing}: the meters stay forced until prepaid control is restored, and the "
        "reason is kept in the audit log",
    ),
)
METER_ID_NOT_FOUND_REFRESH = Word(
    "control.meter_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Meter (id {ids}) not found. Refresh the list and try again"),
)
COMMAND_ID_NOT_FOUND_REFRESH = Word(
    "control.command_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Command (id {command_id}) not found. Refresh the list"),
)
READ_METERS_NOW = Word("control.read_meters_now", QT_TRANSLATE_NOOP("Errors", "read meters now"))
# What happened to a meter of a batch operation (CommandOutcome.message)
NO_SUCH_METER = Word(
    "control.no_such_meter", QT_TRANSLATE_NOOP("Commands", "Meter (id {meter_id}) not found")
)
NOT_FOR_METER = Word(
    "control.not_for_meter", QT_TRANSLATE_NOOP("Commands", "Meter {address} cannot {action}")
)
ALREADY_RUNNING = Word(
    "control.already_running", QT_TRANSLATE_NOOP("Commands", "The same command is already running")
)
ALREADY_IN_STATE = Word(
    "control.already_in_state",
    QT_TRANSLATE_NOOP("Commands", "Meter {address} is already in the state of “{action}”"),
)
# Why a command was given, cancelled or how it ended: stored with the command (MeterCommand.reason /
# result) and in the audit log as the word's code and parameters (stored_text), said in the
# reader's language (shown)
BELOW_OVERDRAFT = Word(
    "control.below_overdraft",
    QT_TRANSLATE_NOOP(
        "Commands", "Available balance ¥{available} is below the overdraft limit of −¥{limit}"
    ),
)
BALANCE_RESTORED = Word(
    "control.balance_restored",
    QT_TRANSLATE_NOOP("Commands", "Available balance ¥{available} is restored"),
)
BALANCE_CHANGED = Word(
    "control.balance_changed",
    QT_TRANSLATE_NOOP("Commands", "The balance changed; the command was withdrawn"),
)
SUPERSEDED_BY_PERSON = Word(
    "control.superseded_by_person",
    QT_TRANSLATE_NOOP("Commands", "Replaced by a person's control command"),
)
MODE_CHANGED = Word(
    "control.mode_changed", QT_TRANSLATE_NOOP("Commands", "The control mode was changed")
)
COMMAND_ID_ALREADY_FINISHED_RESULT = Word(
    "control.command_id_already_finished_result",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Command (id {command_id}) has already finished ({cmd_status}); its result is no longer "
        "recorded",
    ),
)

OFF_ACTION = {MeterKind.ELECTRIC: Action.TRIP, MeterKind.WATER: Action.VALVE_CLOSE}
ON_ACTION = {MeterKind.ELECTRIC: Action.CLOSE, MeterKind.WATER: Action.VALVE_OPEN}
SUPPLY_ACTIONS = (Action.TRIP, Action.CLOSE, Action.VALVE_OPEN, Action.VALVE_CLOSE)
# what an automatic supply command wants the relay / valve to be
SUPPLY_WANTED = {
    Action.TRIP: False,
    Action.VALVE_CLOSE: False,
    Action.CLOSE: True,
    Action.VALVE_OPEN: True,
}
RETRY_FIRST_S = 60  # a meter that just dropped off the line is often back within a minute …
RETRY_MAX_S = 1800  # … one that stays away is tried every half hour, as often as it is polled


def retry_delay_s(attempts: int) -> int:
    """Seconds before an automatic supply command that failed `attempts` times is sent again."""
    return min(RETRY_FIRST_S * 2 ** max(0, attempts - 1), RETRY_MAX_S)


MODE_ACTION = {
    ControlMode.FORCED_ON: Action.FORCED_ON,
    ControlMode.FORCED_OFF: Action.FORCED_OFF,
    ControlMode.PREPAID: Action.RESTORE_PREPAID,
}


@dataclass(frozen=True, slots=True)
class IssuedCommand:
    command_id: int
    meter_id: int
    action: Action


@dataclass(frozen=True, slots=True)
class ControlResult:
    """What one control pass decided."""

    stalls: int
    meters: int
    issued: tuple[IssuedCommand, ...] = ()
    cancelled: tuple[int, ...] = ()  # command ids
    alarm_changes: tuple[tuple[int, AlarmLevel], ...] = ()  # (meter_id, new level)
    spared: tuple[int, ...] = ()  # meters not tripped because of the friendly period
    available: dict[int, Decimal] = field(default_factory=dict)  # per stall

    @property
    def changes(self) -> Changes:
        c = Changes.NONE
        if self.issued or self.cancelled:
            c |= Changes.COMMANDS
        if self.alarm_changes:
            c |= Changes.METERS
        return c


# ── friendly period ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Friendly:
    tz: str
    night_start: object
    night_end: object
    no_cut_on_holidays: bool
    holidays: frozenset


def _friendly_rules(session: Session, site_ids: Iterable[int]) -> dict[int, _Friendly]:
    ids = set(site_ids)
    if not ids:
        return {}
    holidays: dict[int, set] = defaultdict(set)
    for site_id, day in session.execute(
        select(Holiday.site_id, Holiday.day).where(Holiday.site_id.in_(ids))
    ):
        holidays[site_id].add(day)
    rows = session.execute(
        select(
            Site.id,
            Site.timezone,
            Site.friendly_night_start,
            Site.friendly_night_end,
            Site.no_cut_on_holidays,
        ).where(Site.id.in_(ids))
    )
    return {r[0]: _Friendly(r[1], r[2], r[3], r[4], frozenset(holidays[r[0]])) for r in rows}


def _is_friendly(rule: _Friendly, now: datetime) -> bool:
    local = now.astimezone(zone(rule.tz))
    if rule.no_cut_on_holidays and local.date() in rule.holidays:
        return True
    start, end = rule.night_start, rule.night_end
    if start is None or end is None:
        return False
    t = local.time()
    return start <= t < end if start <= end else (t >= start or t < end)


def is_friendly_period(session: Session, site_id: int, now: datetime | None = None) -> bool:
    """True when no meter of the site may be cut now (night or holiday)."""
    return _is_friendly(_friendly_rules(session, [site_id])[site_id], now or utcnow())


# ── the decision ────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class _Open:
    id: int
    status: str
    is_automatic: bool


def _open_commands(
    session: Session, meter_ids: Sequence[int], actions=SUPPLY_ACTIONS
) -> dict[tuple[int, Action], _Open]:
    out = {}
    for batch in batches(session, meter_ids):
        rows = session.execute(
            select(
                MeterCommand.id,
                MeterCommand.meter_id,
                MeterCommand.action,
                MeterCommand.status,
                MeterCommand.is_automatic,
            ).where(
                in_ids(session, MeterCommand.meter_id, batch),
                MeterCommand.status.in_(OPEN_COMMAND),
                MeterCommand.action.in_(actions),
            )
        )
        for cid, meter_id, action, status, auto in rows:
            out[(meter_id, Action(action))] = _Open(cid, str(status), auto)
    return out


def _alarm_level(available: Decimal, alarm1: Decimal, alarm2: Decimal) -> AlarmLevel:
    if available < alarm2:
        return AlarmLevel.ALARM2
    if available < alarm1:
        return AlarmLevel.ALARM1
    return AlarmLevel.NONE


def _insert_commands(session: Session, rows: list[dict]) -> list[IssuedCommand]:
    """Insert command rows; a row that would be a second open command for its meter and
    action is skipped by the partial unique index (another clerk PC was quicker)."""
    if not rows:
        return []
    table = MeterCommand.__table__
    session.execute(upsert_insert(session, table).on_conflict_do_nothing(), rows)
    wanted = {(r["meter_id"], r["action"]) for r in rows}
    opened = _open_commands(session, sorted({m for m, _ in wanted}), tuple({a for _, a in wanted}))
    return [IssuedCommand(opened[k].id, k[0], k[1]) for k in sorted(wanted) if k in opened]


def _cancel(session: Session, ids: Sequence[int], reason: Word, now: datetime) -> None:
    for batch in batches(session, ids):
        session.execute(
            update(MeterCommand)
            .where(
                in_ids(session, MeterCommand.id, batch),
                MeterCommand.status == CommandStatus.PENDING,
            )
            .values(status=CommandStatus.CANCELLED, finished_at=now, result=stored_text(reason))
            .execution_options(synchronize_session=False)
        )


def _audit_rows(session: Session, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(AuditEvent.__table__), rows)


def reconsider(
    session: Session, stall_ids: Iterable[int], *, now: datetime | None = None
) -> ControlResult:
    """Decide warning level and supply for every prepaid meter of `stall_ids`.

    Permission: none (automatic; callers already checked theirs). Transaction: the
    caller's. Audit: meter.alarm once per level change, control.<action> per command
    issued, as actor "system"."""
    now = now or utcnow()
    stall_ids = sorted(set(stall_ids))
    raw = Raw(session)
    accounts = {}
    for batch in raw.batches(stall_ids):
        where, params = raw.where_in("stall_id", batch)
        for sid, balance, a1, a2, limit in raw.rows(
            "SELECT stall_id, balance, alarm1, alarm2, overdraft_limit FROM account WHERE status "
            f"= ? AND {where}",
            (AccountStatus.OPEN.value, *params),
        ):
            accounts[sid] = (sid, unscaled(balance), unscaled(a1), unscaled(a2), unscaled(limit))
    all_states = meter_states(session, stall_ids=accounts.keys())
    states = [s for s in all_states if s.is_active]
    control = {}
    for batch in raw.batches([s.id for s in states]):
        where, params = raw.where_in("id", batch)
        for mid, mode, opened, supply, level in raw.rows(
            "SELECT id, control_mode, is_account_opened, supply_on, alarm_level FROM meter WHERE "
            f"{where}",
            params,
        ):
            # alarm_level is stored by the enum's name (SQLAlchemy's Enum type)
            control[mid] = (
                mid,
                mode,
                bool(opened),
                None if supply is None else bool(supply),
                AlarmLevel[level],
            )
    states = [s for s in states if control[s.id][1] == ControlMode.PREPAID and control[s.id][2]]

    unsettled: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for u in price_states(session, all_states, now=now):
        unsettled[u.stall_id] += u.amount
    available = {sid: acc[1] - unsettled[sid] for sid, acc in accounts.items()}

    rules = _friendly_rules(session, {s.site_id for s in states})
    friendly = {site_id: _is_friendly(rule, now) for site_id, rule in rules.items()}
    opened = _open_commands(session, [s.id for s in states])

    alarm_updates, audits, new_commands, cancel_ids, spared = [], [], [], [], []
    alarm_changes = []
    for s in states:
        _, alarm1, alarm2, limit = accounts[s.stall_id][1:5]
        _, _, _, supply_on, level = control[s.id]
        avail = available[s.stall_id]
        new_level = _alarm_level(avail, alarm1, alarm2)
        if new_level != level:
            alarm_updates.append({"b_id": s.id, "b_level": new_level})
            alarm_changes.append((s.id, new_level))
            audits.append(
                _system_audit(
                    s.site_id,
                    "meter.alarm",
                    s.id,
                    now,
                    stall_id=s.stall_id,
                    before=int(level),
                    after=int(new_level),
                    available=avail,
                )
            )
        off, on = OFF_ACTION[s.kind], ON_ACTION[s.kind]
        open_off, open_on = opened.get((s.id, off)), opened.get((s.id, on))
        action = None
        if avail < -limit:
            if friendly.get(s.site_id):
                spared.append(s.id)
                continue
            still_closing = open_on is not None and not (
                open_on.status == "pending" and open_on.is_automatic
            )
            if open_on is not None and not still_closing:
                cancel_ids.append(open_on.id)
            if open_off is None and (supply_on is not False or still_closing):
                action = off
        else:
            if open_off is not None and open_off.status == "pending" and open_off.is_automatic:
                cancel_ids.append(open_off.id)
                open_off = None
            if open_on is None and open_off is None and supply_on is False:
                action = on
            elif (
                open_on is None
                and open_off is not None
                and open_off.status == "sent"
                and open_off.is_automatic
            ):
                action = on  # the trip is on its way; close right after it
        if action is not None:
            reason = stored_text(
                BELOW_OVERDRAFT(available=f"{avail:.2f}", limit=f"{limit:.2f}")
                if action == off
                else BALANCE_RESTORED(available=f"{avail:.2f}")
            )
            new_commands.append(
                {
                    "meter_id": s.id,
                    "action": action,
                    "status": CommandStatus.PENDING,
                    "reason": reason,
                    "is_automatic": True,
                    "created_at": now,
                    "attempts": 0,
                    "result": "",
                }
            )
            audits.append(
                _system_audit(
                    s.site_id,
                    f"control.{action}",
                    s.id,
                    now,
                    stall_id=s.stall_id,
                    available=avail,
                    reason=reason,
                )
            )

    # alarm_level is stored by the enum's name (SQLAlchemy's Enum type)
    raw.update(
        Meter.__table__,
        ("id", "alarm_level"),
        [(r["b_id"], r["b_level"].name) for r in alarm_updates],
    )
    _cancel(session, cancel_ids, BALANCE_CHANGED, now)
    issued = _insert_commands(session, new_commands)
    _audit_rows(session, audits)
    stall_alarms = {}
    for s in states:
        _, alarm1, alarm2, _ = accounts[s.stall_id][1:5]
        avail = available[s.stall_id]
        level = int(_alarm_level(avail, alarm1, alarm2))
        stall_alarms[s.stall_id] = notices.StallAlarm(s.site_id, level, avail, alarm1, alarm2)
    notices.alarm_levels_decided(session, stall_alarms, now=now)
    return ControlResult(
        stalls=len(accounts),
        meters=len(states),
        issued=tuple(issued),
        cancelled=tuple(cancel_ids),
        alarm_changes=tuple(alarm_changes),
        spared=tuple(spared),
        available=available,
    )


def _system_audit(site_id: int, action: str, meter_id: int, now: datetime, **detail) -> dict:
    return {
        "at": now,
        "user_id": None,
        "actor": "system",
        "action": action,
        "entity": "meter",
        "entity_id": meter_id,
        "stall_id": detail.get("stall_id"),
        "site_id": site_id,
        "detail": _plain(detail),
    }


def recheck_before_send(session: Session, command_id: int, *, now: datetime | None = None) -> bool:
    """Called by the comm service right before it sends a command. An automatic trip /
    valve close is sent only if the balance is still below the overdraft limit outside the
    friendly period and the meter is still in prepaid mode; otherwise it is cancelled here
    and False returned. Other commands: True while open. Transaction: the caller's.
    Audit: control.cancel when a trip is withdrawn."""
    now = now or utcnow()
    cmd = session.get(MeterCommand, command_id, populate_existing=True)
    if cmd is None or cmd.status not in (CommandStatus.PENDING, CommandStatus.SENT):
        return False
    if cmd.action not in (Action.TRIP, Action.VALVE_CLOSE) or not cmd.is_automatic:
        return True
    meter = session.get(Meter, cmd.meter_id, populate_existing=True)
    reason = None
    if (
        meter.control_mode != ControlMode.PREPAID
        or not meter.is_account_opened
        or meter.stall_id is None
    ):
        reason = NOT_PREPAID_CANCEL()
    else:
        account = session.scalar(
            select(Account)
            .where(Account.stall_id == meter.stall_id)
            .execution_options(populate_existing=True)
        )
        unsettled = sum(
            (
                u.amount
                for u in price_states(
                    session, meter_states(session, stall_ids=[meter.stall_id]), now=now
                )
            ),
            ZERO,
        )
        avail = account.balance - unsettled
        if account.status != AccountStatus.OPEN or avail >= -account.overdraft_limit:
            reason = BALANCE_RESTORED_CANCEL(available=f"{avail:.2f}")
        elif is_friendly_period(session, meter.site_id, now):
            reason = FRIENDLY_PERIOD_WAIT()
    if reason is None:
        return True
    cmd.status, cmd.finished_at, cmd.result = CommandStatus.CANCELLED, now, stored_text(reason)
    audit(
        session,
        Actor.system(meter.site_id),
        "control.cancel",
        "meter",
        meter.id,
        command_id=cmd.id,
        reason=cmd.result,
    )
    session.flush()
    return False


# ── manual operations ───────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    """What happened to one meter of a batch operation."""

    meter_id: int
    outcome: str  # issued / already_open / already_in_state / not_applicable / not_found
    command_id: int | None = None
    message: str = ""


def _meters_of(session: Session, actor: Actor, meter_ids: Iterable[int]) -> dict[int, Meter]:
    ids = sorted(set(meter_ids))
    meters = {}
    for batch in chunked(ids):
        for m in session.scalars(
            select(Meter)
            .where(Meter.id.in_(batch), Meter.site_id == actor.site_id)
            .execution_options(populate_existing=True)
        ):
            meters[m.id] = m
    return meters


def issue_command(
    session: Session,
    actor: Actor,
    meter_ids: Iterable[int],
    action: Action,
    reason: str | Said = "",
) -> list[CommandOutcome]:
    """Batch meter operation (trip, close, valve open, valve close, read now) from the meter list.

    A supply command puts each meter it applies to in forced mode (trip / valve close →
    FORCED_OFF, close / valve open → FORCED_ON), also when the meter already is in that
    state or the same command is on its way, so prepaid control leaves it alone until
    restore prepaid; it needs a reason. Pending automatic commands of those meters and open
    commands it supersedes (the opposite supply command, another mode) are cancelled.

    Permission: cashier may only read now; switching supply is for the admin. Transaction:
    the caller's. Audit: meter.<action> per command issued, meter.control_mode (with the
    reason) per meter whose mode changed."""
    if action in (Action.FORCED_ON, Action.FORCED_OFF, Action.RESTORE_PREPAID):
        raise ServiceError(FORCED_ON_FORCED_OFF_RESTORE, code="invalid")
    if action is Action.READ_NOW:
        require(actor, May.READ_METERS_NOW)
    else:
        require(actor, May.RUN_COMMANDS_ON_METERS, action=action.value, name=ACTION[action])
    reason = _stored_reason(reason).strip()
    if action in SUPPLY_ACTIONS and not reason:
        raise ServiceError(
            WRITE_WHY_YOU_METERS_STAY,
            code="invalid",
            p1=ACTION[action],
            doing=action.value.replace("_", " "),
        )
    now = utcnow()
    ids = list(dict.fromkeys(meter_ids))
    meters = _meters_of(session, actor, ids)
    if action in SUPPLY_ACTIONS:
        _force(
            session,
            actor,
            [m for m in meters.values() if action in (OFF_ACTION[m.kind], ON_ACTION[m.kind])],
            action,
            reason,
            now,
        )
    opened = _open_commands(session, list(meters), (action,))
    outcomes, rows = [], []
    for mid in ids:
        m = meters.get(mid)
        if m is None:
            outcomes.append(
                CommandOutcome(mid, "not_found", message=NO_SUCH_METER.say(meter_id=mid))
            )
            continue
        if action in SUPPLY_ACTIONS and action not in (OFF_ACTION[m.kind], ON_ACTION[m.kind]):
            outcomes.append(
                CommandOutcome(
                    mid,
                    "not_applicable",
                    message=NOT_FOR_METER.say(address=m.address, action=ACTION[action]),
                )
            )
            continue
        if (mid, action) in opened:
            outcomes.append(
                CommandOutcome(mid, "already_open", opened[(mid, action)].id, ALREADY_RUNNING.say())
            )
            continue
        if (action == OFF_ACTION.get(m.kind) and m.supply_on is False) or (
            action == ON_ACTION.get(m.kind) and m.supply_on is True
        ):
            outcomes.append(
                CommandOutcome(
                    mid,
                    "already_in_state",
                    message=ALREADY_IN_STATE.say(address=m.address, action=ACTION[action]),
                )
            )
            continue
        rows.append(
            {
                "meter_id": mid,
                "action": action,
                "status": CommandStatus.PENDING,
                "reason": reason,
                "is_automatic": False,
                "created_at": now,
                "created_by": actor.user_id,
                "attempts": 0,
                "result": "",
            }
        )
    issued = {c.meter_id: c for c in _insert_commands(session, rows)}
    for row in rows:
        c = issued.get(row["meter_id"])
        if c is None:
            outcomes.append(
                CommandOutcome(row["meter_id"], "already_open", message=ALREADY_RUNNING.say())
            )
            continue
        outcomes.append(CommandOutcome(c.meter_id, "issued", c.command_id))
        audit(
            session,
            actor,
            f"meter.{action}",
            "meter",
            c.meter_id,
            command_id=c.command_id,
            reason=reason,
        )
    order = {mid: i for i, mid in enumerate(ids)}
    return sorted(outcomes, key=lambda o: order[o.meter_id])


def _stored_reason(reason: str | Said | None) -> str:
    """A person's reason as typed; the program's (a word said) as its code and parameters."""
    return stored_text(reason) if isinstance(reason, Said) else reason or ""


FORCED_BY = {
    **{a: ControlMode.FORCED_OFF for a in OFF_ACTION.values()},
    **{a: ControlMode.FORCED_ON for a in ON_ACTION.values()},
}


def _force(
    session: Session, actor: Actor, meters: list[Meter], action: Action, reason: str, now: datetime
) -> None:
    """Put `meters` in the forced mode a person's supply command means (see issue_command)."""
    if not meters:
        return
    mode = FORCED_BY[action]
    ids = [m.id for m in meters]
    # Automatic commands would act on the balance again (and an automatic trip is withdrawn
    # before sending once the meter is out of prepaid control): this command replaces them.
    # The opposite supply command and a mode command that says otherwise are superseded.
    opposite = {
        OFF_ACTION[m.kind] if mode is ControlMode.FORCED_ON else ON_ACTION[m.kind] for m in meters
    }
    other_modes = tuple(a for m, a in MODE_ACTION.items() if m is not mode)
    stale = _open_commands(session, ids, SUPPLY_ACTIONS + other_modes)
    _cancel(
        session,
        [
            o.id
            for (_mid, a), o in stale.items()
            if o.is_automatic or a in opposite or a in other_modes
        ],
        SUPERSEDED_BY_PERSON,
        now,
    )
    for m in meters:
        if m.control_mode != mode:
            before = m.control_mode
            m.control_mode = mode
            audit(
                session,
                actor,
                "meter.control_mode",
                "meter",
                m.id,
                before=str(before),
                after=str(mode),
                command=str(action),
                reason=reason,
            )
    session.flush()


def set_control_mode(
    session: Session,
    actor: Actor,
    meter_ids: Iterable[int],
    mode: ControlMode,
    reason: str | Said = "",
) -> list[CommandOutcome]:
    """Forced on / forced off / restore prepaid for a batch of meters: sets Meter.control_mode,
    cancels
    pending automatic supply commands and issues the FORCED_ON / FORCED_OFF /
    RESTORE_PREPAID command; after a restore the prepaid decision runs again.

    Permission: admin only. Transaction: the caller's. Audit: meter.control_mode per meter."""
    require(actor, May.SET_CONTROL_MODE)
    reason = _stored_reason(reason)
    mode = ControlMode(mode)
    action = MODE_ACTION[mode]
    now = utcnow()
    ids = list(dict.fromkeys(meter_ids))
    meters = _meters_of(session, actor, ids)
    missing = [i for i in ids if i not in meters]
    if missing:
        raise NotFound(METER_ID_NOT_FOUND_REFRESH, ids=listed(missing))
    stale = _open_commands(session, list(meters))
    _cancel(session, [o.id for o in stale.values() if o.is_automatic], MODE_CHANGED, now)
    # An open mode command of another kind is superseded by this one.
    _cancel(
        session,
        [
            o.id
            for (mid, a), o in _open_commands(
                session, list(meters), tuple(a for a in MODE_ACTION.values() if a != action)
            ).items()
        ],
        MODE_CHANGED,
        now,
    )
    outcomes = []
    rows = []
    for mid in ids:
        m = meters[mid]
        before = m.control_mode
        m.control_mode = mode
        audit(
            session,
            actor,
            "meter.control_mode",
            "meter",
            mid,
            before=str(before),
            after=str(mode),
            reason=reason,
        )
        rows.append(
            {
                "meter_id": mid,
                "action": action,
                "status": CommandStatus.PENDING,
                "reason": reason,
                "is_automatic": False,
                "created_at": now,
                "created_by": actor.user_id,
                "attempts": 0,
                "result": "",
            }
        )
    session.flush()
    issued = {c.meter_id: c for c in _insert_commands(session, rows)}
    for mid in ids:
        c = issued.get(mid)
        outcomes.append(
            CommandOutcome(mid, "issued" if c else "already_open", c.command_id if c else None)
        )
    if mode is ControlMode.PREPAID:
        reconsider(
            session, {m.stall_id for m in meters.values() if m.stall_id is not None}, now=now
        )
    return outcomes


@dataclass(frozen=True, slots=True)
class CommandInfo:
    id: int
    meter_id: int
    action: Action
    status: CommandStatus
    result: str
    supply_on: bool | None


def command_finished(
    session: Session,
    command_id: int,
    ok: bool,
    *,
    relay_closed: bool | None = None,
    valve_open: bool | None = None,
    reason: Reason | str = "",
    now: datetime | None = None,
) -> CommandInfo:
    """Record the comm service's result of a command and the relay / valve state it read
    back; `reason` is the comm layer's word (a text is kept as it is). Permission: the comm
    service (system). Transaction: the caller's. Audit:
    meter.state when the supply state changed, command.failed on failure."""
    now = now or utcnow()
    cmd = session.get(MeterCommand, command_id, populate_existing=True)
    if cmd is None:
        raise NotFound(COMMAND_ID_NOT_FOUND_REFRESH, command_id=command_id)
    if cmd.status not in (CommandStatus.PENDING, CommandStatus.SENT):
        raise Conflict(
            COMMAND_ID_ALREADY_FINISHED_RESULT, command_id=command_id, cmd_status=cmd.status
        )
    meter = session.get(Meter, cmd.meter_id, populate_existing=True)
    actor = Actor.system(meter.site_id)
    cmd.status = CommandStatus.SUCCEEDED if ok else CommandStatus.FAILED
    cmd.finished_at = now
    reason = reason or (SUCCEEDED if ok else FAILED)
    cmd.result = stored_text(reason)
    before = meter.supply_on
    state = relay_closed if meter.kind == MeterKind.ELECTRIC else valve_open
    if state is None and ok:
        if cmd.action in (Action.TRIP, Action.VALVE_CLOSE, Action.FORCED_OFF):
            state = False
        elif cmd.action in (Action.CLOSE, Action.VALVE_OPEN, Action.FORCED_ON):
            state = True
    if state is not None:
        meter.supply_on = state
    if meter.supply_on != before and meter.stall_id is not None:
        # the tenant hears of a cut for arrears (an automatic trip / valve close), and is
        # heard of again once the supply is back, whatever brought it back
        if meter.supply_on or (cmd.is_automatic and cmd.action in OFF_ACTION.values()):
            notices.supply_changed(
                session, meter.site_id, meter.stall_id, is_cut=not meter.supply_on, now=now
            )
    if meter.supply_on != before:
        audit(
            session,
            actor,
            "meter.state",
            "meter",
            meter.id,
            command_id=cmd.id,
            command_action=str(cmd.action),
            before=before,
            after=meter.supply_on,
        )
    wanted = SUPPLY_WANTED.get(Action(cmd.action))
    if (
        not ok
        and cmd.is_automatic
        and cmd.attempts > 0
        and wanted is not None
        and meter.supply_on is not wanted
        and meter.control_mode == ControlMode.PREPAID
    ):
        # a trip for arrears or a close after a recharge must happen: sent again, later and
        # later, until it succeeds, the balance decides otherwise (reconsider cancels it) or
        # a person changes the control mode (set_control_mode cancels it)
        delay = retry_delay_s(cmd.attempts)
        cmd.status, cmd.finished_at, cmd.retry_at = (
            CommandStatus.PENDING,
            None,
            now + timedelta(seconds=delay),
        )
        cmd.result = stored_text(
            RETRY(reason=reason, attempts=cmd.attempts, minutes=max(1, round(delay / 60)))
        )
        audit(
            session,
            actor,
            "command.retry",
            "meter",
            meter.id,
            command_id=cmd.id,
            command_action=str(cmd.action),
            attempts=cmd.attempts,
            reason=stored_text(reason),
            retry_at=cmd.retry_at,
        )
    elif not ok:
        audit(
            session,
            actor,
            "command.failed",
            "meter",
            meter.id,
            command_id=cmd.id,
            command_action=str(cmd.action),
            reason=cmd.result,
        )
    session.flush()
    return CommandInfo(
        cmd.id,
        cmd.meter_id,
        Action(cmd.action),
        CommandStatus(cmd.status),
        cmd.result,
        meter.supply_on,
    )


@dataclass(frozen=True, slots=True)
class CommandRow:
    id: int
    meter_id: int
    action: str
    status: str
    result: str
    finished_at: datetime | None


def command_rows(session: Session, command_ids: list[int]) -> list[CommandRow]:
    out: list[CommandRow] = []
    # SQLite limits bound parameters; 900 per query is safe on every backend.
    for start in range(0, len(command_ids), 900):
        chunk = command_ids[start : start + 900]
        for c in session.scalars(
            select(MeterCommand)
            .where(MeterCommand.id.in_(chunk))
            .execution_options(populate_existing=True)
        ):
            out.append(
                CommandRow(c.id, c.meter_id, str(c.action), str(c.status), c.result, c.finished_at)
            )
    return out
