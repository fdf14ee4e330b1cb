"""Users, roles and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.site import enum_col


class Role(enum.StrEnum):
    ADMIN = "admin"  # 管理员
    CASHIER = "cashier"  # 收银员
    REVIEWER = "reviewer"  # 审核员
    VIEWER = "viewer"  # 只读


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_col(Role))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Wrong passwords in a row since the last sign-in; at five the user is locked for a while,
    # so a shared counter PC cannot be used to guess a colleague's password.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    # Set when an administrator resets the password: the user chooses their own at sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class AuditEvent(Base):
    """Who changed what: every change of money, tariff, meter state or role."""

    __tablename__ = "audit_event"
    # The operation log (操作日志) pages one market's rows newest first by (at, id), filtered by
    # person, kind or stall: one index per filter, each ending in (at, id), keeps a page fast
    # at millions.
    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_site_at", "site_id", "at", "id"),
        Index("ix_audit_event_actor_at", "actor", "at", "id"),
        Index("ix_audit_event_action_at", "action", "at", "id"),
        Index("ix_audit_event_stall_at", "stall_id", "at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor: Mapped[str] = mapped_column(String(60))  # username, or "system" for automatic control
    action: Mapped[str] = mapped_column(
        String(40)
    )  # recharge, reversal, tariff.update, meter.trip …
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None]
    # The stall the change concerns (of the meter, account, bill …), for the log's stall filter.
    # No foreign key: the log outlives a stall deleted as entered by mistake.
    stall_id: Mapped[int | None]
    # The market the row belongs to: a chain keeps several markets in one database, and each
    # market's log shows its own rows only. No foreign key, like stall_id.
    site_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
