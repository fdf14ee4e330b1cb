"""The change feed (变更通知): one row per committed transaction that changed something (the
collection service's and every clerk's), so that clients in other processes follow it
(app/services/platform/change_feed.py). The market's collection service (`MarketService`)
keeps its heartbeat beside it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class ChangeFeed(Base):
    __tablename__ = "change_feed"
    # Ids are never reused, even after pruning has emptied the table: a reader stands at an id.
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    flags: Mapped[int]  # app.services.platform.context.Changes
    meter_ids: Mapped[str] = mapped_column(Text, default="")  # sorted, as deltas: "105,1,1,7"
    stall_ids: Mapped[str] = mapped_column(Text, default="", server_default="")  # likewise
    # the process that wrote it ("host:pid"): a client skips its own rows, already shown
    origin: Mapped[str] = mapped_column(String(120), default="", server_default="")


class MarketService(Base):
    """The market's one collection service (抄表服务): which PC holds it since when, and its
    heartbeat. Written by the service only; every client reads it to say when collection
    has stopped. The row stays after the service ends (`stopped_at`), for the next one."""

    __tablename__ = "market_service"
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    host: Mapped[str] = mapped_column(String(120))
    pid: Mapped[int]
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
    beat_every_s: Mapped[int]
    stopped_at: Mapped[datetime | None]


class CommLogLine(Base):
    """The newest frames and errors of the market's collection service, shared through
    the database so that a clerk PC's comm monitor shows them (the service's own monitor
    port answers on its PC only). Bounded: the service keeps the newest few hundred."""

    __tablename__ = "comm_log_line"
    __table_args__ = (
        Index("ix_comm_log_line_site_kind_id", "site_id", "kind", "id"),
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    kind: Mapped[str] = mapped_column(String(5))  # "frame" or "error"
    at: Mapped[datetime]
    channel_id: Mapped[int]
    address: Mapped[str | None] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(8), default="")  # a frame's
    text: Mapped[str] = mapped_column(Text)  # a frame's hex; an error's stored words
    meaning: Mapped[str] = mapped_column(Text, default="")  # a frame's
