"""The rules of automatic control a site sets: the friendly period (no
cut at night or on holidays) and the alarm thresholds (alarm 1 / alarm 2, overdraft limit) of its
stalls' accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.money import AmountError
from app.models.site import Building, Holiday, Site, Stall
from app.services.market.control import reconsider
from app.services.money.amounts import parse_amount
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Conflict, May, NotFound, ServiceError, require
from app.words import QT_TRANSLATE_NOOP, Word

FOR_NO_CUT_AT_NIGHT = Word(
    "control_rules.for_no_cut_at_night",
    QT_TRANSLATE_NOOP(
        "Errors", "For no cut at night, set both the start and the end time, or neither"
    ),
)
START_END_NO_CUT_AT = Word(
    "control_rules.start_end_no_cut_at",
    QT_TRANSLATE_NOOP(
        "Errors", "The start and end of no cut at night cannot be the same. Set e.g. 22:00 to 06:00"
    ),
)
HOLIDAY_NAME_CAN_HAVE_AT = Word(
    "control_rules.holiday_name_can_have_at",
    QT_TRANSLATE_NOOP("Errors", "A holiday name can have at most 50 characters. Shorten it"),
)
ALREADY_HOLIDAY_NOTHING_ADD = Word(
    "control_rules.already_holiday_nothing_add",
    QT_TRANSLATE_NOOP("Errors", "{day:%Y-%m-%d} is already a holiday. Nothing to add"),
)
NOT_HOLIDAY_REFRESH_TRY_AGAIN = Word(
    "control_rules.not_holiday_refresh_try_again",
    QT_TRANSLATE_NOOP("Errors", "{day:%Y-%m-%d} is not a holiday. Refresh and try again"),
)
ALARM_CANNOT_HIGHER_THAN_ALARM = Word(
    "control_rules.alarm_cannot_higher_than_alarm",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Alarm 2 (¥{a2:.2f}) cannot be higher than alarm 1 (¥{a1:.2f}): the balance falls to "
        "alarm 1 first, then to alarm 2. Lower alarm 2 or raise alarm 1",
    ),
)
BUILDING_ID_NOT_FOUND_REFRESH = Word(
    "control_rules.building_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "Building (id {building_id}) not found. Refresh and try again"),
)
MESSAGE = Word("control_rules.message", QT_TRANSLATE_NOOP("Errors", "{what}: {problem}"))
ALARM1 = Word("control_rules.alarm1", QT_TRANSLATE_NOOP("Errors", "Alarm 1"))
ALARM2 = Word("control_rules.alarm2", QT_TRANSLATE_NOOP("Errors", "Alarm 2"))
OVERDRAFT_LIMIT = Word(
    "control_rules.overdraft_limit", QT_TRANSLATE_NOOP("Errors", "Overdraft limit")
)
SET_HOLIDAYS = Word("control_rules.set_holidays", QT_TRANSLATE_NOOP("Errors", "set holidays"))


def set_friendly_period(
    session: Session,
    actor: Actor,
    night_start: time | None,
    night_end: time | None,
    no_cut_on_holidays: bool,
) -> None:
    """Set the night hours in which no stall is cut (both None: no night protection) and
    whether holidays protect too. Permission: admin. Transaction: the caller's.
    Audit: control.friendly_period with before and after."""
    require(actor, May.CHANGE_THE_FRIENDLY_PERIOD)
    if (night_start is None) != (night_end is None):
        raise ServiceError(FOR_NO_CUT_AT_NIGHT, code="invalid")
    if night_start is not None and night_start == night_end:
        raise ServiceError(START_END_NO_CUT_AT, code="invalid")
    site = session.get(Site, actor.site_id)
    before = {
        "night_start": site.friendly_night_start,
        "night_end": site.friendly_night_end,
        "no_cut_on_holidays": site.no_cut_on_holidays,
    }
    site.friendly_night_start, site.friendly_night_end = night_start, night_end
    site.no_cut_on_holidays = bool(no_cut_on_holidays)
    session.flush()
    audit(
        session,
        actor,
        "control.friendly_period",
        "site",
        site.id,
        before=before,
        after={
            "night_start": night_start,
            "night_end": night_end,
            "no_cut_on_holidays": site.no_cut_on_holidays,
        },
    )


def add_holiday(session: Session, actor: Actor, day: date, name: str = "") -> None:
    """Add a holiday (no cut that day when holidays protect). Permission: admin.
    Audit: control.holiday.add."""
    require(actor, May.SET_HOLIDAYS)
    name = (name or "").strip()
    if len(name) > 50:
        raise ServiceError(HOLIDAY_NAME_CAN_HAVE_AT, code="invalid")
    if (
        session.scalar(
            select(Holiday.id).where(Holiday.site_id == actor.site_id, Holiday.day == day)
        )
        is not None
    ):
        raise Conflict(ALREADY_HOLIDAY_NOTHING_ADD, day=day)
    holiday = Holiday(site_id=actor.site_id, day=day, name=name)
    session.add(holiday)
    session.flush()
    audit(session, actor, "control.holiday.add", "holiday", holiday.id, day=day, name=name)


def remove_holiday(session: Session, actor: Actor, day: date) -> None:
    """Remove a holiday. Permission: admin. Audit: control.holiday.remove."""
    require(actor, May.SET_HOLIDAYS)
    holiday = session.scalar(
        select(Holiday).where(Holiday.site_id == actor.site_id, Holiday.day == day)
    )
    if holiday is None:
        raise NotFound(NOT_HOLIDAY_REFRESH_TRY_AGAIN, day=day)
    audit(
        session, actor, "control.holiday.remove", "holiday", holiday.id, day=day, name=holiday.name
    )
    session.delete(holiday)
    session.flush()


def apply_alarm_levels(
    session: Session,
    actor: Actor,
    alarm1: Decimal | str,
    alarm2: Decimal | str,
    overdraft_limit: Decimal | str,
    building_id: int | None = None,
) -> int:
    """Set alarm 1, alarm 2 and the overdraft limit of every stall account of the site (or
    of one building); returns how many accounts changed. Single stalls can differ afterwards
    (Stalls → Edit). Permission: admin. Transaction: the caller's. Audit:
    control.alarm_levels with the values, the building and the count; the control
    decisions that follow are audited by control.reconsider."""
    require(actor, May.CHANGE_ALARM_LIMITS)
    a1, a2, limit = (
        _amount(v, what)
        for v, what in ((alarm1, ALARM1), (alarm2, ALARM2), (overdraft_limit, OVERDRAFT_LIMIT))
    )
    if a2 > a1:
        raise ServiceError(ALARM_CANNOT_HIGHER_THAN_ALARM, code="invalid", a2=a2, a1=a1)
    stalls = select(Stall.id).where(Stall.site_id == actor.site_id)
    if building_id is not None:
        building = session.get(Building, building_id)
        if building is None or building.site_id != actor.site_id:
            raise NotFound(BUILDING_ID_NOT_FOUND_REFRESH, building_id=building_id)
        stalls = stalls.where(Stall.building_id == building_id)
    stall_ids = list(session.scalars(select(Account.stall_id).where(Account.stall_id.in_(stalls))))
    session.execute(
        update(Account)
        .where(Account.stall_id.in_(stalls))
        .values(alarm1=a1, alarm2=a2, overdraft_limit=limit)
        .execution_options(synchronize_session=False)
    )
    if building_id is None:  # the market's levels: the stalls added later open with them
        site = session.get(Site, actor.site_id)
        site.default_alarm1, site.default_alarm2, site.default_overdraft_limit = a1, a2, limit
    count = len(stall_ids)
    # New levels can raise or clear warnings, trip or close at once, as a recharge would.
    reconsider(session, stall_ids)
    audit(
        session,
        actor,
        "control.alarm_levels",
        "site",
        actor.site_id,
        alarm1=a1,
        alarm2=a2,
        overdraft_limit=limit,
        building_id=building_id,
        accounts=count,
    )
    return count


def _amount(value: Decimal | str, what: Word) -> Decimal:
    try:
        return parse_amount(value, allow_zero=True)
    except AmountError as exc:  # the amount's problem as it was said, named by its field
        raise ServiceError(
            MESSAGE, code="invalid_amount", what=what, problem=exc.said or str(exc)
        ) from None


@dataclass(frozen=True, slots=True)
class ControlRules:
    """The site's friendly period (no cut at night / on holidays) and default alarm levels."""

    night_start: time | None
    night_end: time | None
    no_cut_on_holidays: bool
    holidays: list[tuple[date, str]]
    alarm1_levels: dict[str, int]  # "50.00" → stalls with that alarm 1
    alarm2_levels: dict[str, int]
    # what a stall added later opens with (`opening_levels`)
    default_alarm1: Decimal
    default_alarm2: Decimal
    default_overdraft_limit: Decimal


def current_rules(session: Session, site_id: int) -> ControlRules:
    site = session.get(Site, site_id)
    holidays = [
        (h.day, h.name)
        for h in session.scalars(
            select(Holiday).where(Holiday.site_id == site_id).order_by(Holiday.day)
        )
    ]
    levels: list[dict[str, int]] = [{}, {}]
    for column, out in ((Account.alarm1, levels[0]), (Account.alarm2, levels[1])):
        for value, n in session.execute(
            select(column, func.count())
            .join(Stall, Stall.id == Account.stall_id)
            .where(Stall.site_id == site_id)
            .group_by(column)
        ):
            out[f"{value:.2f}"] = n
    return ControlRules(
        site.friendly_night_start,
        site.friendly_night_end,
        site.no_cut_on_holidays,
        holidays,
        levels[0],
        levels[1],
        site.default_alarm1,
        site.default_alarm2,
        site.default_overdraft_limit,
    )


def opening_levels(session: Session, site_id: int) -> dict[str, Decimal]:
    """Alarm 1, alarm 2 and the overdraft limit a new stall account of the site opens with:
    the market's, as last set for all stalls (`apply_alarm_levels`). Reads only."""
    site = session.get(Site, site_id)
    return {
        "alarm1": site.default_alarm1,
        "alarm2": site.default_alarm2,
        "overdraft_limit": site.default_overdraft_limit,
    }
