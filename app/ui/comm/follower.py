"""Follows the change feed (app/services/platform/change_feed.py): what a collection
service in another process and the other clerks' clients stored reaches this client's
views. The service's rows go to the comm bridge as the service's own callbacks do when it
runs in this process (the merged flags to `on_changes`); the other clerks' to
`on_others` (the views that care re-read the stalls named, or reload); the changed meters
of both to `on_meters`. This client's own rows are skipped: its views already refreshed.
If the feed was pruned past where this client stood, the bridge's `on_missed` makes every
view reload.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import SQLAlchemyError

from app.models.db import Database
from app.services.market import comm_log
from app.services.platform import change_feed, market_service
from app.ui.comm.bridge import CommBridge
from app.words import ENGLISH

log = logging.getLogger(__name__)

POLL_S = 0.5
SERVICE_STATE_EVERY_S = 2.0  # how often the service's heartbeat is looked at


class ChangeFollower:
    """A daemon thread that reads the feed every `poll_s` through `Database.reading()`: it
    never takes the writer's turn, so it never waits for the collection's writes. A
    database error is logged and the read tried again on the next tick."""

    def __init__(
        self, db: Database, site_id: int, bridge: CommBridge, *, poll_s: float = POLL_S
    ) -> None:
        self.db = db
        self.site_id = site_id
        self.bridge = bridge
        self.poll_s = poll_s
        self.last_id: int | None = None  # None until the newest id at the start is known
        self.me = change_feed.CLERK_PREFIX + change_feed.this_process()
        self._state_read_at: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="change-feed", daemon=True)

    def start(self) -> ChangeFollower:
        """Start at the newest row, read here when the database answers, so that views
        loaded after this call miss nothing; otherwise the thread reads it."""
        try:
            with self.db.reading() as session:
                self.last_id = change_feed.latest_id(session)
        except SQLAlchemyError as exc:
            log.warning("reading the change feed failed: %s", exc)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._read()
            except SQLAlchemyError as exc:
                log.warning(
                    "reading the change feed failed, tried again in %.1f s: %s", self.poll_s, exc
                )
            self._stop.wait(self.poll_s)

    def _read(self) -> None:
        with self.db.reading() as session:
            now = time.monotonic()
            if self._state_read_at is None or now - self._state_read_at >= SERVICE_STATE_EVERY_S:
                self._state_read_at = now
                self.bridge.on_service_state(market_service.state(session, self.site_id))
            if self.last_id is None:
                self.last_id = change_feed.latest_id(session)
                return
            while not self._stop.is_set():
                batch = change_feed.since(session, self.site_id, self.last_id, skip_origin=self.me)
                self.last_id = batch.last_id
                if batch.is_gap:
                    log.info(
                        "the change feed was pruned past where this client stood: the views reload"
                    )
                    self.bridge.on_missed()
                if batch.meter_ids:
                    self.bridge.on_meters(batch.meter_ids)
                if batch.by_others:
                    self.bridge.on_others(batch.by_others, batch.unnamed, batch.stall_ids)
                if batch.by_service:
                    self.bridge.on_changes(batch.by_service)
                if not batch.is_full:
                    return


class DatabaseLog:
    """The market's collection service's newest frames and errors as it shares them
    through the database (app/services/market/comm_log.py), for the comm monitor of a
    client on another PC; the poller's `frames_since` / `errors_since`. A database error
    is logged and reads nothing new."""

    def __init__(self, db: Database, site_id: int) -> None:
        self.db = db
        self.site_id = site_id

    def _read(self, what, seq: int, limit: int | None, *lang: str):
        try:
            with self.db.reading() as session:
                return what(session, self.site_id, seq, limit, *lang)
        except SQLAlchemyError as exc:
            log.warning("reading the service's comm log failed: %s", exc)
            return seq, []

    def frames_since(self, seq: int = 0, limit: int | None = None, lang: str = ENGLISH):
        return self._read(comm_log.frames_since, seq, limit, lang)

    def errors_since(self, seq: int = 0, limit: int | None = None):
        return self._read(comm_log.errors_since, seq, limit)
