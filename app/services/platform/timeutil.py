"""Local time of a site (Site.timezone) for days, months and the friendly period."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.site import Site

EPOCH_DAY = date(1970, 1, 1)
DEFAULT_ZONE = "Asia/Shanghai"  # a site without a zone set (Site.timezone's default)


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def site_zone(session: Session, site_id: int) -> ZoneInfo:
    return zone(session.scalar(select(Site.timezone).where(Site.id == site_id)) or DEFAULT_ZONE)


def day_number(d: date) -> int:
    return (d - EPOCH_DAY).days


def day_of_number(n: int) -> date:
    return EPOCH_DAY + timedelta(days=n)


def local_day(t: datetime, tz: ZoneInfo) -> int:
    """MeterDay.day of an instant: the local date as days since 1970-01-01."""
    return day_number(t.astimezone(tz).date())


def local_midnight(d: date, tz: ZoneInfo, at: time = time(0, 0)) -> datetime:
    """The UTC instant of local time `at` on day `d`."""
    return datetime.combine(d, at, tzinfo=tz).astimezone(UTC)


def month_start(t: datetime, tz: ZoneInfo) -> date:
    return t.astimezone(tz).date().replace(day=1)


def next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def from_ts(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def to_ts(t: datetime) -> int:
    return int(t.timestamp())
