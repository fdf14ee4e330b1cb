"""The market's one collection service (抄表服务) and its heartbeat.

The service holds the market's turn (`Database.take_service_turn`: an advisory lock on
PostgreSQL, a file lock beside a SQLite file) for as long as it runs, and records in
`market_service` which PC holds it since when (`begin`), then beats every few seconds
(`beat`) and says when it stops cleanly (`end`). A second service is refused with the
holder's PC and start (`ALREADY_RUNNING`). Every client reads the row (`state`) and says
that collection has stopped once the beat is late by more than two of its intervals.

Times are the database's clock on PostgreSQL (`db_now`): the service's PC and the clerks'
PCs need not agree on the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.change_feed import MarketService
from app.words import QT_TRANSLATE_NOOP, Word

BEAT_EVERY_S = 10
LATE_BEATS = 2  # a beat later than this many intervals: the service has stopped

ALREADY_RUNNING = Word(
    "market_service.already_running",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Meter reading is already running for this market on PC “{host}” (process {pid}, since "
        "{since}). Only one meter reading service may run per market: stop that one first, or "
        "start this one with --standby to take over when it stops.",
    ),
)
STANDING_BY = Word(
    "market_service.standing_by",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Standing by: meter reading runs on PC “{host}” (since {since}); this PC takes over "
        "when it stops.",
    ),
)


@dataclass(frozen=True, slots=True)
class ServiceState:
    host: str
    pid: int
    started_at: datetime
    beat_at: datetime
    beat_every_s: int
    stopped_at: datetime | None
    now: datetime  # the database's clock when this was read

    @property
    def stopped_since(self) -> datetime | None:
        """When collection stopped: its clean end, or its last beat if that is too late."""
        if self.stopped_at is not None:
            return self.stopped_at
        if self.now - self.beat_at > timedelta(seconds=LATE_BEATS * self.beat_every_s):
            return self.beat_at
        return None

    @property
    def stopped_minutes(self) -> int:
        since = self.stopped_since
        return 0 if since is None else max(0, int((self.now - since).total_seconds() // 60))


def db_now(session: Session) -> datetime:
    """UTC now by the database's clock on PostgreSQL (shared by every PC), else this PC's."""
    if session.get_bind().dialect.name == "postgresql":
        naive = session.scalar(select(func.timezone("UTC", func.now())))
        return naive.replace(tzinfo=utcnow().tzinfo)
    return utcnow()


def state(session: Session, site_id: int) -> ServiceState | None:
    """The market's service as last recorded; None when none ever ran. Reads only."""
    row = session.get(MarketService, site_id)
    if row is None:
        return None
    return ServiceState(
        row.host,
        row.pid,
        row.started_at,
        row.beat_at,
        row.beat_every_s,
        row.stopped_at,
        db_now(session),
    )


def begin(
    session: Session, site_id: int, host: str, pid: int, beat_every_s: int = BEAT_EVERY_S
) -> None:
    """This process holds the market's turn now (the caller took it). Transaction: the
    caller's."""
    now = db_now(session)
    row = session.get(MarketService, site_id)
    if row is None:
        row = MarketService(site_id=site_id)
        session.add(row)
    row.host, row.pid, row.beat_every_s = host, pid, beat_every_s
    row.started_at = row.beat_at = now
    row.stopped_at = None


def beat(session: Session, site_id: int) -> None:
    row = session.get(MarketService, site_id)
    if row is not None:
        row.beat_at = db_now(session)
        row.stopped_at = None


def end(session: Session, site_id: int) -> None:
    """The service stopped cleanly: clients say so at once."""
    row = session.get(MarketService, site_id)
    if row is not None:
        row.stopped_at = db_now(session)
