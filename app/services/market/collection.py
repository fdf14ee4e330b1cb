"""The collection service: what the comm poller reads goes into the database,
and the durable command rows go out to the meters.

`CollectionSink` is the poller's sink (app/comm/poller.py): every call is one transaction.
`CommService` runs the poller, the sink and a periodic settlement together; it is what
`python -m app service` runs headless on the PC that has the meter lines, and what the
desktop client runs in the background on a single PC.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.comm import messages
from app.comm.poller import ChannelChanges, Poller
from app.comm.types import (
    ChannelConfig,
    ChannelStatus,
    CommandRequest,
    CommandResult,
    IdentityEvent,
    IdentityEventKind,
    MeterEndpoint,
    MeterKind,
    MeterReading,
    MeterStatus,
    Protocol,
)
from app.models.base import utcnow
from app.models.db import Database
from app.models.meter import Channel, CommandStatus, CommStatus, Meter, MeterCommand
from app.services.market import alerts, control, readings
from app.services.money import settlement
from app.services.platform import bulk, change_feed
from app.services.platform.audit import audit
from app.services.platform.context import Actor, Changes, Conflict, ServiceError

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def channel_configs(session: Session, site_id: int) -> list[ChannelConfig]:
    """The enabled channels of a site that have active meters, for the poller."""
    return configs_from(channel_snapshot(session, site_id))


ChannelSnapshot = tuple[list, list]


def channel_snapshot(session: Session, site_id: int) -> ChannelSnapshot:
    """The rows `channel_configs` is made of: equal snapshots make equal configs. Plain
    rows read on the connection, the meters' enums as their text: for 20,000 meters about a
    fifth of the time the configs take (~25 ms), so the comm service can compare every half
    minute and make configs only when something changed."""
    channel, meter = Channel.__table__.c, Meter.__table__.c
    conn = session.connection()
    channels = conn.execute(
        select(
            channel.id,
            channel.name,
            channel.kind,
            channel.settings,
            channel.poll_interval_s,
            channel.timeout_s,
            channel.retries,
            channel.offline_after_failures,
        )
        .where(channel.site_id == site_id, channel.is_enabled)
        .order_by(channel.id)
    ).all()
    meters = conn.execute(
        select(
            meter.channel_id,
            meter.address,
            type_coerce(meter.kind, String),
            type_coerce(meter.protocol, String),
            meter.profile,
            meter.dialin_identity,
        )
        .where(meter.site_id == site_id, meter.is_active, meter.channel_id.is_not(None))
        .order_by(meter.channel_id, meter.id)
    ).all()
    return channels, meters


def configs_from(snapshot: ChannelSnapshot) -> list[ChannelConfig]:
    """The poller's channels from a snapshot; a channel without meters is left out."""
    channels, meters = snapshot
    endpoints: dict[int, list[MeterEndpoint]] = {}
    identities: dict[int, dict[str, str]] = {}
    for channel_id, address, kind, protocol, profile, identity in meters:
        endpoints.setdefault(channel_id, []).append(
            MeterEndpoint(channel_id, address, MeterKind(kind), Protocol(protocol), profile)
        )
        if identity:
            identities.setdefault(channel_id, {})[address] = identity
    return [
        ChannelConfig(
            id=cid,
            name=name,
            kind=kind,
            settings=dict(settings or {}),
            poll_interval_s=poll_interval_s,
            timeout_s=timeout_s,
            retries=retries,
            offline_after_failures=offline_after_failures,
            meters=tuple(endpoints[cid]),
            identities=identities.get(cid, {}),
        )
        for (
            cid,
            name,
            kind,
            settings,
            poll_interval_s,
            timeout_s,
            retries,
            offline_after_failures,
        ) in channels
        if cid in endpoints
    ]


def take_commands(
    session: Session, site_id: int, *, now: datetime, limit: int = 500
) -> list[CommandRequest]:
    """Hand the pending commands to the comm service, each exactly once: a command is
    marked SENT in the same transaction, and an automatic trip whose reason has gone
    (recharged, friendly period) is withdrawn here instead (control.recheck_before_send)."""
    rows = session.execute(
        select(MeterCommand.id, Meter.channel_id, Meter.address, MeterCommand.action)
        .join(Meter, Meter.id == MeterCommand.meter_id)
        .where(
            Meter.site_id == site_id,
            MeterCommand.status == CommandStatus.PENDING,
            or_(MeterCommand.retry_at.is_(None), MeterCommand.retry_at <= now),
        )  # a retry waits its turn
        .order_by(MeterCommand.id)
        .limit(limit)
    ).all()
    requests = []
    for command_id, channel_id, address, action in rows:
        if channel_id is None:
            control.command_finished(
                session, command_id, False, reason=messages.NO_CHANNEL, now=now
            )
            continue
        if not control.recheck_before_send(session, command_id, now=now):
            continue
        command = session.get(MeterCommand, command_id)
        command.status = CommandStatus.SENT
        command.sent_at = now
        command.attempts += 1
        requests.append(CommandRequest(command_id, channel_id, address, action, command.attempts))
    session.flush()
    return requests


def take_back_unfinished(session: Session, site_id: int) -> int:
    """Commands that an earlier run of the comm service took (SENT) but whose result it
    never recorded, because it stopped or the PC went down half-way: pending again, so that
    this run sends them. Sending a supply command again is harmless (the meter's state is
    read back either way); left SENT, it would stay open for good and block every later
    command of its meter. Returns how many. Transaction: the caller's. Audit:
    command.resend for each."""
    commands = session.scalars(
        select(MeterCommand)
        .join(Meter, Meter.id == MeterCommand.meter_id)
        .where(Meter.site_id == site_id, MeterCommand.status == CommandStatus.SENT)
    ).all()
    actor = Actor.system(site_id)
    for command in commands:
        command.status = CommandStatus.PENDING
        command.result = messages.stored_text(messages.SENT_AGAIN)
        audit(
            session,
            actor,
            "command.resend",
            "meter",
            command.meter_id,
            command_id=command.id,
            command_action=str(command.action),
            sent_at=command.sent_at,
        )
    session.flush()
    return len(commands)


def record_command_results(
    session: Session, results: Sequence[CommandResult], *, now: datetime
) -> None:
    for result in results:
        if result.pending:
            command = session.get(MeterCommand, result.command_id)
            if command is not None and command.status == CommandStatus.SENT:
                command.result = messages.stored_text(result.reason or messages.WATER_WAITING)
            continue
        try:
            control.command_finished(
                session,
                result.command_id,
                result.ok,
                relay_closed=result.relay_closed,
                valve_open=result.valve_open,
                reason=result.reason or "",
                now=now,
            )
        except Conflict as exc:
            # A result for a command that was cancelled meanwhile: the meter state it
            # read back still arrives with the next reading.
            log.info("command %s: %s", result.command_id, exc)


def record_meter_status(
    session: Session, site_id: int, statuses: Sequence[MeterStatus]
) -> list[int]:
    """Store the meters' comm state; returns the ids of the meters found."""
    if not statuses:
        return []
    meters = {
        (m.channel_id, m.address): m
        for m in session.scalars(
            select(Meter).where(
                Meter.site_id == site_id,
                Meter.is_active,
                Meter.channel_id.in_({s.channel_id for s in statuses}),
                Meter.address.in_({s.address for s in statuses}),  # not a whole 4G / NB channel
            )
        )
    }
    found = []
    for status in statuses:
        meter = meters.get((status.channel_id, status.address))
        if meter is None:
            continue
        found.append(meter.id)
        meter.comm_status = CommStatus.ONLINE if status.online else CommStatus.OFFLINE
        meter.comm_failures = status.failures
        meter.comm_error = messages.stored_text(status.error)
        if status.last_seen is not None:
            meter.last_seen_at = status.last_seen
    session.flush()
    return found


def record_identity_events(
    session: Session, site_id: int, events: Sequence[IdentityEvent]
) -> list[int]:
    """Store who dialled in as a meter. The identity of a first registration is bound; a
    refused one is kept as the identity offered (for an admin who knows the SIM was really
    changed); a takeover storm, or a first registration of a meter bound meanwhile to
    another identity, marks the meter "identity conflict" until an admin decides
    (meters.resolve_identity). Returns the meters changed. Transaction: the caller's.
    Audit: meter.identity_bound / meter.identity_refused / meter.identity_conflict, as the
    system."""
    actor, changed = Actor.system(site_id), []
    for event in events:
        meter = session.scalar(
            select(Meter).where(
                Meter.site_id == site_id,
                Meter.is_active,
                Meter.channel_id == event.channel_id,
                Meter.address == event.address,
            )
        )
        if meter is None:
            continue
        offered = event.identity[:40]
        if event.kind is IdentityEventKind.BOUND and meter.dialin_identity in ("", offered):
            if not meter.dialin_identity:
                meter.dialin_identity = offered
                audit(session, actor, "meter.identity_bound", "meter", meter.id, identity=offered)
                changed.append(meter.id)
            continue
        if offered:
            meter.identity_offered = offered
        if event.kind is IdentityEventKind.MISMATCH:
            audit(
                session,
                actor,
                "meter.identity_refused",
                "meter",
                meter.id,
                offered=offered,
                bound=meter.dialin_identity,
                detail=messages.stored_text(event.detail),
            )
        else:
            meter.identity_conflict = True
            audit(
                session,
                actor,
                "meter.identity_conflict",
                "meter",
                meter.id,
                kind=str(event.kind),
                offered=offered,
                bound=meter.dialin_identity,
                detail=messages.stored_text(event.detail),
            )
        changed.append(meter.id)
    session.flush()
    return changed


def record_channel_status(session: Session, status: ChannelStatus) -> None:
    channel = session.get(Channel, status.channel_id)
    if channel is not None:
        channel.is_connected = status.connected
        channel.status_detail = messages.stored_text(status.detail)


class CollectionSink:
    """The poller's sink; called from the poller's one dispatcher thread, in order.

    Each transaction that changes something records a change feed row (app/services/
    change_feed.py) for clients in other processes, and prunes old rows at most every
    FEED_PRUNE_EVERY_S. In the same process, `on_change(changes)` is called after each
    committed transaction so that a window can refresh what it shows, and
    `on_meters(meter_ids)` with the meters whose row changed (a reading, a command result,
    comm status, or the balance of their stall); both on the calling thread."""

    FEED_KEEP = timedelta(minutes=10)
    FEED_PRUNE_EVERY_S = 60.0

    def __init__(
        self,
        db: Database,
        site_id: int,
        *,
        clock: Clock = utcnow,
        on_change: Callable[[Changes], None] | None = None,
        on_meters: Callable[[list[int]], None] | None = None,
    ) -> None:
        self.db = db
        self.site_id = site_id
        self.clock = clock
        self.on_change = on_change
        self.on_meters = on_meters
        self.last_ingest: readings.IngestResult | None = None
        self._pruned_at: float | None = None
        self._prune_lock = threading.Lock()  # the sink's thread and the settlement thread

    def _record(self, session: Session, changes: Changes, meter_ids: Sequence[int] = ()) -> None:
        change_feed.record(session, self.site_id, changes, meter_ids)
        with self._prune_lock:
            due = (
                self._pruned_at is None
                or time.monotonic() - self._pruned_at >= self.FEED_PRUNE_EVERY_S
            )
            if due:
                self._pruned_at = time.monotonic()
        if due:
            change_feed.prune(session, older_than=utcnow() - self.FEED_KEEP)

    def _notify(self, changes: Changes, meter_ids: Sequence[int] = ()) -> None:
        if self.on_meters and meter_ids:
            self.on_meters(list(meter_ids))
        if self.on_change and changes:
            self.on_change(changes)

    def on_readings(self, batch: list[MeterReading]) -> None:
        now = self.clock()
        with self.db.transaction() as session:
            # alerts compare each reading with the state the previous one left: before storing
            raised = alerts.detect(session, self.site_id, batch)
            result = readings.ingest(session, batch, now=now)
            decided = control.reconsider(session, result.stall_ids, now=now)
            changes = (
                result.changes | decided.changes | (alerts.CHANGES if raised else Changes.NONE)
            )
            touched = self._touched(session, result.meter_ids, result.stall_ids)
            self._record(session, changes, touched)
        self.last_ingest = result
        if result.unknown:
            log.warning(
                "readings from %d unknown meters, e.g. %s", len(result.unknown), result.unknown[:3]
            )
        self._notify(changes, touched)

    def on_command_results(self, results: list[CommandResult]) -> None:
        with self.db.transaction() as session:
            record_command_results(session, results, now=self.clock())
            touched = session.scalars(
                select(MeterCommand.meter_id).where(
                    MeterCommand.id.in_([r.command_id for r in results])
                )
            ).all()
            self._record(session, Changes.COMMANDS | Changes.METERS, touched)
        self._notify(Changes.COMMANDS | Changes.METERS, touched)

    def on_meter_status(self, statuses: list[MeterStatus]) -> None:
        with self.db.transaction() as session:
            touched = record_meter_status(session, self.site_id, statuses)
            self._record(session, Changes.METERS, touched)
        self._notify(Changes.METERS, touched)

    def _touched(
        self, session: Session, meter_ids: Sequence[int], stall_ids: Sequence[int]
    ) -> list[int]:
        """The meters read and the meters of the stalls whose balance or supply changed:
        the rows a window shows differently now."""
        touched = set(meter_ids)
        for batch in bulk.batches(session, stall_ids):
            touched.update(
                session.scalars(
                    select(Meter.id).where(
                        bulk.in_ids(session, Meter.stall_id, batch),
                        Meter.site_id == self.site_id,
                        Meter.is_active,
                    )
                )
            )
        return sorted(touched)

    def on_identity_events(self, events: list[IdentityEvent]) -> None:
        with self.db.transaction() as session:
            touched = record_identity_events(session, self.site_id, events)
            self._record(session, Changes.METERS, touched)
        self._notify(Changes.METERS, touched)

    def on_channel_status(self, status: ChannelStatus) -> None:
        with self.db.transaction() as session:
            record_channel_status(session, status)
            self._record(session, Changes.METERS)
        self._notify(Changes.METERS)

    def fetch_commands(self) -> list[CommandRequest]:
        with self.db.transaction() as session:
            requests = take_commands(session, self.site_id, now=self.clock())
            if requests:
                self._record(session, Changes.COMMANDS)
        if requests:
            self._notify(Changes.COMMANDS)
        return requests

    def settle_due(self) -> settlement.SettlementResult:
        """Settle whatever the buildings' schedules make due now (idempotent)."""
        with self.db.transaction() as session:
            result = settlement.settle(session, Actor.system(self.site_id), now=self.clock())
            touched = self._touched(session, (), result.stall_ids)
            self._record(session, result.changes, touched)
        self._notify(result.changes, touched)
        return result


class CommService:
    """Poller + sink + periodic settlement, started and stopped together. The channels and
    the meters bound to them are looked at again every `reload_every_s`: an edit made on
    any clerk PC (settings page, stall import, meter edit) reaches collection without a
    restart (`reload_if_changed`)."""

    RECONFIGURE_TIMEOUT_S = 60.0

    def __init__(
        self,
        db: Database,
        site_id: int,
        *,
        clock: Clock = utcnow,
        speed: float = 1.0,
        settle_every_s: float = 60.0,
        reload_every_s: float = 30.0,
        on_change: Callable[[Changes], None] | None = None,
        on_meters: Callable[[list[int]], None] | None = None,
        command_poll_s: float = 2.0,
    ) -> None:
        self.db = db
        self.site_id = site_id
        self.sink = CollectionSink(
            db, site_id, clock=clock, on_change=on_change, on_meters=on_meters
        )
        with db.transaction() as session:
            self._snapshot: ChannelSnapshot | None = channel_snapshot(session, site_id)
            resent = take_back_unfinished(session, site_id)
        if resent:
            log.warning(
                "%d commands sent by an earlier run got no result; they are sent again", resent
            )
        self.poller = Poller(
            configs_from(self._snapshot),
            self.sink,
            clock=clock,
            speed=speed,
            command_poll_s=command_poll_s,
        )
        self.settle_every_s = settle_every_s
        self.reload_every_s = reload_every_s
        self._stop = threading.Event()
        self._settler: threading.Thread | None = None
        self._reloader: threading.Thread | None = None

    def start(self) -> None:
        self.poller.start()
        self._settler = threading.Thread(target=self._settle_loop, name="settlement", daemon=True)
        self._settler.start()
        self._reloader = threading.Thread(
            target=self._reload_loop, name="channel-reload", daemon=True
        )
        self._reloader.start()

    def reload_if_changed(self) -> ChannelChanges | None:
        """Give the poller the site's channels again when they differ from what it runs.
        Reads one snapshot (writes nothing); the configs are made only when the snapshot's
        rows differ from the last ones. Returns what changed, or None."""
        with self.db.reading() as session:
            snapshot = channel_snapshot(session, self.site_id)
        if snapshot == self._snapshot:
            return None
        configs = configs_from(snapshot)
        wanted = {c.id: c for c in configs}
        changes = None
        if wanted != self.poller.channels:
            running = self.poller.channels
            changes = self.poller.reconfigure(configs).result(self.RECONFIGURE_TIMEOUT_S)
            names = {**running, **wanted}
            log.info(
                "comm channels reloaded: added %s; changed %s; removed %s",
                *(
                    ", ".join(f"{cid} {names[cid].name}" for cid in ids) or "none"
                    for ids in (changes.added, changes.changed, changes.removed)
                ),
            )
        # what the configs do not compare: dial-in identities bound, accepted or cleared,
        # handed to the running channels without rebuilding them
        self.poller.set_identities(configs)
        # a channel that could not start is not running: the next look tries it again
        self._snapshot = snapshot if wanted == self.poller.channels else None
        return changes

    def _reload_loop(self) -> None:
        while not self._stop.wait(self.reload_every_s):
            try:
                self.reload_if_changed()
            except (
                SQLAlchemyError,
                TimeoutError,
            ) as exc:  # said in the log, looked at again next time
                log.warning("reloading the comm channels failed: %s", exc)

    def _settle_loop(self) -> None:
        while not self._stop.wait(self.settle_every_s):
            try:
                self.sink.settle_due()
            except (ServiceError, SQLAlchemyError) as exc:  # said in the log, tried again next time
                log.warning("settlement failed: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        if self._reloader is not None:
            self._reloader.join(10)
        self.poller.stop()
        if self._settler is not None:
            self._settler.join(10)
