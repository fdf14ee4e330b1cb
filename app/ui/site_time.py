"""The site's local time (Site.timezone) for everything the client shows and prints.

A clerk PC set to another zone still shows the market's times: every time column, the
receipt, the history and report ranges read the zone from here. The signed-in Client sets
it once (`use_site_zone`); nothing else decides it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from app.services.platform.timeutil import DEFAULT_ZONE, local_midnight, zone

_zone: ZoneInfo = zone(DEFAULT_ZONE)


def use_site_zone(name: str) -> None:
    global _zone
    _zone = zone(name or DEFAULT_ZONE)


def site_zone() -> ZoneInfo:
    return _zone


def now() -> datetime:
    return datetime.now(_zone)


def local(value: datetime) -> datetime:
    """An instant as the site's wall-clock time (a naive stored time is UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone)


def day_start(d: date) -> datetime:
    """The UTC instant the site's day `d` begins."""
    return local_midnight(d, _zone)


def at(d: date, t: time) -> datetime:
    """The UTC instant of the site's wall-clock time `t` on day `d`."""
    return local_midnight(d, _zone, t)
