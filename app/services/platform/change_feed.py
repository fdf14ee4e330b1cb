"""The change feed (变更通知): what was committed, for clients that run in other processes
(clerk PCs on the office LAN, a client next to `python -m app service`).

Each transaction that changes something adds one row in that same transaction: the
`Changes` flags, the meters and stalls whose rows changed, and the process that wrote it
(`this_process`, so that a client skips what it already showed). The collection service
writes its row itself (`record`); every other writer's row is written by the session
hook below (`_flushed` / `_committing`), from the rows the transaction flushed, so that
no service that changes data can forget it. A reader sees a row only once the data it
speaks of is committed. A client stands at the last id it read and asks for the rows
after it (`since`). The service prunes rows older than a few minutes (`prune`), and every
writer the rows far behind the newest (`record`); a reader that stood before the pruned
rows is told so (`FeedBatch.is_gap`) and reloads what it shows.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Delete, Insert, Update, case, delete, event, func, insert, select, text
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.base import utcnow
from app.models.change_feed import ChangeFeed
from app.models.meter import Meter
from app.models.site import Site
from app.services.platform.context import Changes

SERVICE = ""  # `record(by=SERVICE)`: the writing process is the collection service
CLERK_PREFIX = "clerk "  # the hook's rows: "clerk host:pid"
# every PRUNE_EVERY_ROWS-th row, its writer removes the rows more than KEEP_ROWS before it
PRUNE_EVERY_ROWS = 100
KEEP_ROWS = 5000
_RECORDED = "change_feed.recorded"
_PENDING = "change_feed.pending"


@dataclass(frozen=True, slots=True)
class FeedBatch:
    last_id: int  # where the reader stands after these rows
    flags: Changes  # of all the rows, merged
    meter_ids: tuple[int, ...]
    is_gap: bool  # rows after where the reader stood were pruned before it read them
    is_full: bool  # the limit was reached: more rows may follow at once
    stall_ids: tuple[int, ...] = ()
    by_others: Changes = Changes.NONE  # of the rows written by clerks' processes, merged
    by_service: Changes = Changes.NONE  # of the collection service's rows, merged
    # of the clerks' rows that name no meter or stall (an UPDATE of many rows): the views
    # that care reload, where for the others they re-read just the rows named
    unnamed: Changes = Changes.NONE


def this_process() -> str:
    """Who writes a row: "host:pid" (computed each time: a forked child is another writer)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def pack_ids(meter_ids: Iterable[int]) -> str:
    """Sorted ids as their differences ("105,1,1,7"): a collection's ids are close together."""
    out, previous = [], 0
    for meter_id in sorted(set(meter_ids)):
        out.append(str(meter_id - previous))
        previous = meter_id
    return ",".join(out)


def unpack_ids(packed: str) -> list[int]:
    ids, total = [], 0
    for part in packed.split(",") if packed else ():
        total += int(part)
        ids.append(total)
    return ids


def record(
    session: Session,
    site_id: int,
    flags: Changes,
    meter_ids: Iterable[int] = (),
    stall_ids: Iterable[int] = (),
    *,
    by: str = SERVICE,
) -> None:
    """Add the row of the caller's transaction; call it last, just before the commit.
    Transaction: the caller's. Nothing is recorded when nothing changed. `by`: the
    collection service's rows are told apart from the clerks' (`FeedBatch.by_others`)."""
    session.info[_RECORDED] = True  # the hook adds no second row
    packed = pack_ids(meter_ids)
    stalls = pack_ids(stall_ids)
    if not flags and not packed and not stalls:
        return
    if session.get_bind().dialect.name == "postgresql":
        # An id is drawn at INSERT but seen at COMMIT: the service's two writers (the
        # poller's sink, the settlement thread) could commit 11 before 10, and a reader
        # that saw 11 would skip 10 for ever. Held until the commit, this lock makes ids
        # commit in order; readers (ACCESS SHARE) never wait for it. SQLite has one writer.
        session.execute(text("LOCK TABLE change_feed IN EXCLUSIVE MODE"))
    new_id = session.execute(
        insert(ChangeFeed).values(
            site_id=site_id,
            at=utcnow(),
            flags=int(flags),
            meter_ids=packed,
            stall_ids=stalls,
            origin=this_process() if by == SERVICE else by,
        )
    ).inserted_primary_key[0]
    if new_id % PRUNE_EVERY_ROWS == 0:
        # Whoever writes prunes too: with no service running (no meter line yet, or it
        # stopped for days) the clerks' rows would pile up. By count, not by age: each PC
        # stamps `at` with its own clock. A follower reads every half second, so it never
        # stands KEEP_ROWS behind unless it slept; then `since` tells it of the gap.
        session.execute(delete(ChangeFeed).where(ChangeFeed.id <= new_id - KEEP_ROWS))


def latest_id(session: Session) -> int:
    """The newest row's id (0 when there is none): a new reader starts there."""
    return session.scalar(select(func.max(ChangeFeed.id))) or 0


def since(
    session: Session, site_id: int, after_id: int, *, limit: int = 200, skip_origin: str = ""
) -> FeedBatch:
    """The site's rows after `after_id`, at most `limit` of them, merged; the rows written
    by `skip_origin` (the reader's own process) only move the reader on."""
    rows = session.execute(
        select(
            ChangeFeed.id,
            ChangeFeed.flags,
            ChangeFeed.meter_ids,
            ChangeFeed.stall_ids,
            ChangeFeed.origin,
        )
        .where(ChangeFeed.id > after_id, ChangeFeed.site_id == site_id)
        .order_by(ChangeFeed.id)
        .limit(limit)
    ).all()
    # Pruning always leaves the newest row and removes the oldest first: a row missing just
    # after where the reader stood was pruned (or, on PostgreSQL, never committed).
    oldest = session.scalar(select(func.min(ChangeFeed.id))) or 0
    is_gap = oldest > after_id + 1
    flags, by_others, by_service, unnamed = Changes.NONE, Changes.NONE, Changes.NONE, Changes.NONE
    meter_ids, stall_ids = set(), set()
    for _id, row_flags, packed, stalls, origin in rows:
        if skip_origin and origin == skip_origin:
            continue
        flags |= Changes(row_flags)
        if origin.startswith(CLERK_PREFIX):
            by_others |= Changes(row_flags)
            if not packed and not stalls:
                unnamed |= Changes(row_flags)
        else:
            by_service |= Changes(row_flags)
        meter_ids.update(unpack_ids(packed))
        stall_ids.update(unpack_ids(stalls))
    return FeedBatch(
        # after a gap the reader stands before the oldest row, even if no row is its site's
        last_id=rows[-1][0] if rows else (oldest - 1 if is_gap else after_id),
        flags=flags,
        meter_ids=tuple(sorted(meter_ids)),
        is_gap=is_gap,
        is_full=len(rows) == limit,
        stall_ids=tuple(sorted(stall_ids)),
        by_others=by_others,
        by_service=by_service,
        unnamed=unnamed,
    )


# -- market settings kept between a long-running reader's pages ----------------------------

_MEMO = "change_feed.settings_memo"


class SettingsMemo:
    """Settings that a long-running reader needs for every page it builds, the same for
    all of them: tariff plans, time zones, payment platforms (the portal's workers). Kept
    until the change feed shows a settings change, of any market (a tariff's rate names no
    market), or rows it may have missed. `lend(session)` at the start of a reading checks
    the feed and lends the memo to that session; `remembered` takes what it holds. Shared
    by a process's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._feed_id: int | None = None  # the newest feed row seen
        self._generation = 0  # a value read before a clear is not kept after it
        self._values: dict[object, object] = {}

    def lend(self, session: Session) -> None:
        """Check the feed (one read) and lend the memo to `session`'s reads."""
        with self._lock:
            seen = self._feed_id
        if seen is None:
            newest, stale = latest_id(session), True
        else:
            is_settings = ChangeFeed.flags.op("&")(int(Changes.SETTINGS)) != 0
            first, newest, settings = session.execute(
                select(
                    func.min(ChangeFeed.id),
                    func.max(ChangeFeed.id),
                    func.max(case((is_settings, ChangeFeed.id))),
                ).where(ChangeFeed.id > seen)
            ).one()
            # a missing row after the last one seen was pruned (or rolled back): what it
            # said is unknown
            stale = first is not None and (first != seen + 1 or settings is not None)
        with self._lock:  # other threads read the feed meanwhile: any that saw a change clears
            if stale:
                self._values.clear()
                self._generation += 1
            if newest is not None:
                self._feed_id = max(newest, self._feed_id or 0)
            session.info[_MEMO] = (self, self._generation)

    def _get(self, key: object, generation: int, read):
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = read()
        with self._lock:
            if generation == self._generation:
                self._values[key] = value
        return value


def remembered(session: Session, key: object, read):
    """`read()`, or what the memo lent to `session` holds under `key` (see SettingsMemo).
    Without a memo, as in every process but the portal's, it reads."""
    lent = session.info.get(_MEMO)
    if lent is None:
        return read()
    memo, generation = lent
    return memo._get(key, generation, read)


def prune(session: Session, *, older_than: datetime) -> int:
    """Remove the rows recorded before `older_than`, but never the newest row (new readers
    start at its id). Transaction: the caller's. Returns the rows removed."""
    keep_from = session.scalar(select(func.min(ChangeFeed.id)).where(ChangeFeed.at >= older_than))
    if keep_from is None:
        keep_from = latest_id(session)
    return session.execute(delete(ChangeFeed).where(ChangeFeed.id < keep_from)).rowcount


# -- every other writer's row, from what its transaction flushed ----------------------------


# What a changed row of each table means to the views that show it. Tables not named
# (the operation log, the feed itself, the service's heartbeat) change nothing shown.
TABLE_CHANGES: dict[str, Changes] = {
    "account": Changes.BALANCES,
    "ledger_entry": Changes.BALANCES,
    "receipt": Changes.BALANCES,
    "bill": Changes.BILLS,
    "bill_line": Changes.BILLS,
    "charge_item": Changes.SETTINGS,
    "stall_charge": Changes.SETTINGS,
    "month_lock": Changes.LEDGER_MONTHS,
    "monthly_report": Changes.LEDGER_MONTHS,
    "monthly_row": Changes.LEDGER_MONTHS,
    "monthly_review": Changes.LEDGER_MONTHS,
    "channel": Changes.METERS,
    "meter": Changes.METERS,
    "meter_replacement": Changes.METERS,
    "reading_anomaly": Changes.METERS | Changes.READINGS,
    "meter_realtime": Changes.READINGS | Changes.METERS,
    "meter_day": Changes.READINGS,
    "meter_command": Changes.COMMANDS | Changes.METERS,
    "shared_pool": Changes.BILLS,
    "shared_pool_member": Changes.BILLS,
    "shared_run": Changes.BILLS,
    "site": Changes.SETTINGS,
    "holiday": Changes.SETTINGS,
    "building": Changes.STALLS,
    "stall": Changes.STALLS,
    "customer": Changes.STALLS,
    "stall_role": Changes.STALLS,
    "tariff": Changes.SETTINGS,
    "tariff_rate": Changes.SETTINGS,
    "tariff_period": Changes.SETTINGS,
    "tariff_tier": Changes.SETTINGS,
    "payment_setting": Changes.SETTINGS,
    "app_user": Changes.USERS,
}
# the attribute of a changed row that names the meter / stall / account it belongs to
_METER_OF = {
    "meter": "id",
    "meter_realtime": "meter_id",
    "meter_command": "meter_id",
    "reading_anomaly": "meter_id",
    "meter_replacement": "new_meter_id",
}
_STALL_OF = {
    "stall": "id",
    "account": "stall_id",
    "receipt": "stall_id",
    "stall_role": "stall_id",
    "stall_charge": "stall_id",
    "meter": "stall_id",
}


@dataclass
class _Pending:
    flags: Changes = Changes.NONE
    site_id: int | None = None
    meter_ids: set[int] = field(default_factory=set)
    stall_ids: set[int] = field(default_factory=set)
    account_ids: set[int] = field(default_factory=set)


def _pending(session: Session) -> _Pending:
    return session.info.setdefault(_PENDING, _Pending())


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    pending = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", "")
        flags = TABLE_CHANGES.get(table)
        if not flags or (obj in session.dirty and not session.is_modified(obj)):
            continue
        pending = pending or _pending(session)
        pending.flags |= flags
        if pending.site_id is None:
            pending.site_id = getattr(obj, "site_id", None)
        if (meter_id := getattr(obj, _METER_OF.get(table, "-"), None)) is not None:
            pending.meter_ids.add(meter_id)
        if (stall_id := getattr(obj, _STALL_OF.get(table, "-"), None)) is not None:
            pending.stall_ids.add(stall_id)
        if table == "ledger_entry":
            pending.account_ids.add(obj.account_id)


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    """UPDATE / DELETE / INSERT statements change rows the flush never sees: their tables'
    flags are recorded without ids (the views that care reload)."""
    statement = state.statement
    if isinstance(statement, (Insert, Update, Delete)):
        flags = TABLE_CHANGES.get(getattr(statement.table, "name", ""))
        if flags:
            _pending(state.session).flags |= flags


@event.listens_for(Session, "before_commit")
def _committing(session: Session) -> None:
    if session.info.pop(_RECORDED, False):
        session.info.pop(_PENDING, None)
        return
    session.flush()  # the last changes are flushed after this hook: they count too
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None or not pending.flags:
        return
    if pending.account_ids:
        pending.stall_ids.update(
            session.scalars(select(Account.stall_id).where(Account.id.in_(pending.account_ids)))
        )
    if pending.flags & (Changes.BALANCES | Changes.STALLS) and pending.stall_ids:
        # a stall's balance, code and name show on its meters' rows
        pending.meter_ids.update(
            session.scalars(select(Meter.id).where(Meter.stall_id.in_(pending.stall_ids)))
        )
    site_id = pending.site_id or session.scalar(select(func.min(Site.id)))
    if site_id is None:
        return  # no market yet: nobody follows it
    record(
        session,
        site_id,
        pending.flags,
        pending.meter_ids,
        pending.stall_ids,
        by=CLERK_PREFIX + this_process(),
    )
    session.info.pop(_RECORDED, None)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_RECORDED, None)
