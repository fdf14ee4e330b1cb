"""The change feed (变更通知): one row per transaction of the collection service that
changed something, so that clients in other processes follow it (app/services/change_feed.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
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
