"""The change feed (变更通知): what the collection service committed, for clients that run
in other processes (clerk PCs on the office LAN, a client next to `python -m app service`).

Each transaction of the service that changes something adds one row in that same
transaction (`record`): the `Changes` flags and the meters whose row changed. A reader sees
a row only once the data it speaks of is committed. A client stands at the last id it read
and asks for the rows after it (`since`). The service prunes rows older than a few minutes
(`prune`); a reader that stood before the pruned rows is told so (`FeedBatch.is_gap`) and
reloads what it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.change_feed import ChangeFeed
from app.services.platform.context import Changes


@dataclass(frozen=True, slots=True)
class FeedBatch:
    last_id: int  # where the reader stands after these rows
    flags: Changes  # of all the rows, merged
    meter_ids: tuple[int, ...]
    is_gap: bool  # rows after where the reader stood were pruned before it read them
    is_full: bool  # the limit was reached: more rows may follow at once


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


def record(session: Session, site_id: int, flags: Changes, meter_ids: Iterable[int] = ()) -> None:
    """Add the row of the caller's transaction; call it last, just before the commit.
    Transaction: the caller's. Nothing is recorded when nothing changed."""
    packed = pack_ids(meter_ids)
    if not flags and not packed:
        return
    if session.get_bind().dialect.name == "postgresql":
        # An id is drawn at INSERT but seen at COMMIT: the service's two writers (the
        # poller's sink, the settlement thread) could commit 11 before 10, and a reader
        # that saw 11 would skip 10 for ever. Held until the commit, this lock makes ids
        # commit in order; readers (ACCESS SHARE) never wait for it. SQLite has one writer.
        session.execute(text("LOCK TABLE change_feed IN EXCLUSIVE MODE"))
    session.execute(
        insert(ChangeFeed).values(site_id=site_id, at=utcnow(), flags=int(flags), meter_ids=packed)
    )


def latest_id(session: Session) -> int:
    """The newest row's id (0 when there is none): a new reader starts there."""
    return session.scalar(select(func.max(ChangeFeed.id))) or 0


def since(session: Session, site_id: int, after_id: int, *, limit: int = 200) -> FeedBatch:
    """The site's rows after `after_id`, at most `limit` of them, merged."""
    rows = session.execute(
        select(ChangeFeed.id, ChangeFeed.flags, ChangeFeed.meter_ids)
        .where(ChangeFeed.id > after_id, ChangeFeed.site_id == site_id)
        .order_by(ChangeFeed.id)
        .limit(limit)
    ).all()
    # Pruning always leaves the newest row and removes the oldest first: a row missing just
    # after where the reader stood was pruned (or, on PostgreSQL, never committed).
    oldest = session.scalar(select(func.min(ChangeFeed.id))) or 0
    is_gap = oldest > after_id + 1
    flags, meter_ids = Changes.NONE, set()
    for _id, row_flags, packed in rows:
        flags |= Changes(row_flags)
        meter_ids.update(unpack_ids(packed))
    return FeedBatch(
        # after a gap the reader stands before the oldest row, even if no row is its site's
        last_id=rows[-1][0] if rows else (oldest - 1 if is_gap else after_id),
        flags=flags,
        meter_ids=tuple(sorted(meter_ids)),
        is_gap=is_gap,
        is_full=len(rows) == limit,
    )


def prune(session: Session, *, older_than: datetime) -> int:
    """Remove the rows recorded before `older_than`, but never the newest row (new readers
    start at its id). Transaction: the caller's. Returns the rows removed."""
    keep_from = session.scalar(select(func.min(ChangeFeed.id)).where(ChangeFeed.at >= older_than))
    if keep_from is None:
        keep_from = latest_id(session)
    return session.execute(delete(ChangeFeed).where(ChangeFeed.id < keep_from)).rowcount
