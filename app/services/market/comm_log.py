"""The collection service's newest frames and errors, shared through the database with the
clerk PCs' comm monitors (通讯监视): the service stores what its poller logged every few
seconds (`store`, at most `PER_STORE` of each, the newest), keeps the newest `KEEP_FRAMES`
frames and `KEEP_ERRORS` errors of the market, and a client reads what is newer than what
it has (`frames_since` / `errors_since`, the poller's own names, so that the comm bridge
takes either).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.comm.messages import said_from, stored_text
from app.comm.types import CommError, Direction, FrameEvent, meant
from app.models.change_feed import CommLogLine
from app.words import CHINESE, ENGLISH

KEEP_FRAMES = 1000
KEEP_ERRORS = 500
PER_STORE = 200  # a collection logs thousands of frames a second: the newest are shared

FRAME, ERROR = "frame", "error"


def store(
    session: Session, site_id: int, frames: Sequence[FrameEvent], errors: Sequence[CommError]
) -> None:
    """Add the newest frames and errors and drop the oldest beyond the bounds. Transaction:
    the caller's (no change feed row: no view but the comm monitor shows them)."""
    rows = [
        {
            "site_id": site_id,
            "kind": FRAME,
            "at": f.at,
            "channel_id": f.channel_id,
            "address": f.address,
            "direction": str(f.direction),
            "text": f.hex,
            "meaning": _said_in_both(f.meaning),
        }
        for f in frames[-PER_STORE:]
    ] + [
        {
            "site_id": site_id,
            "kind": ERROR,
            "at": e.at,
            "channel_id": e.channel_id,
            "address": e.address,
            "direction": "",
            "text": stored_text(e.message),
            "meaning": "",
        }
        for e in errors[-PER_STORE:]
    ]
    if not rows:
        return
    session.execute(insert(CommLogLine), rows)
    for kind, keep in ((FRAME, KEEP_FRAMES), (ERROR, KEEP_ERRORS)):
        oldest_kept = session.scalar(
            select(CommLogLine.id)
            .where(CommLogLine.site_id == site_id, CommLogLine.kind == kind)
            .order_by(CommLogLine.id.desc())
            .offset(keep - 1)
            .limit(1)
        )
        if oldest_kept is not None:
            session.execute(
                delete(CommLogLine).where(
                    CommLogLine.site_id == site_id,
                    CommLogLine.kind == kind,
                    CommLogLine.id < oldest_kept,
                )
            )


def _said_in_both(meaning) -> str:
    """A frame's meaning (a `Meaning`, unsaid) in both languages the clerks read: each comm
    monitor shows it in its own."""
    return json.dumps(
        {lang: meant(meaning, lang) for lang in (CHINESE, ENGLISH)}, ensure_ascii=False
    )


def _meaning_in(stored: str, lang: str) -> str:
    try:
        said = json.loads(stored)
    except ValueError:
        return stored
    return said.get(lang, stored) if isinstance(said, dict) else stored


def _since(session: Session, site_id: int, kind: str, seq: int, limit: int | None):
    query = (
        select(CommLogLine)
        .where(CommLogLine.site_id == site_id, CommLogLine.kind == kind, CommLogLine.id > seq)
        .order_by(CommLogLine.id.desc())
        .limit(limit or KEEP_FRAMES)
    )
    rows = list(reversed(session.scalars(query).all()))  # the newest, oldest first
    return (rows[-1].id if rows else seq), rows


def frames_since(
    session: Session, site_id: int, seq: int = 0, limit: int | None = None, lang: str = ENGLISH
) -> tuple[int, list[FrameEvent]]:
    """The frames stored after `seq`, their meanings in `lang`."""
    last, rows = _since(session, site_id, FRAME, seq, limit)
    return last, [
        FrameEvent(
            r.at,
            r.channel_id,
            r.address,
            Direction(r.direction),
            r.text,
            _meaning_in(r.meaning, lang),
        )
        for r in rows
    ]


def errors_since(
    session: Session, site_id: int, seq: int = 0, limit: int | None = None
) -> tuple[int, list[CommError]]:
    last, rows = _since(session, site_id, ERROR, seq, limit)
    return last, [
        CommError(r.at, r.channel_id, r.address, said_from(r.text) or r.text) for r in rows
    ]
