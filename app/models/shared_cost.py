"""Shared costs (公摊): pools of common electricity or water and their allocation runs.

A pool belongs to a building (or is a chosen set of stalls) and is either metered — the
master meter (总表: a Meter with no stall) minus the members' own meters — or an amount
typed in for each run. A run is one period of one pool; its bills are ordinary `Bill`s of
kind SHARED_ELECTRIC / SHARED_WATER with dedupe key "shared:run<id>:stall<id>".
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.comm.types import MeterKind
from app.models.base import Base, Price, Quantity, ScaledDecimal, utcnow
from app.models.site import enum_col

Coefficient = ScaledDecimal(4)


class ShareMethod(enum.StrEnum):
    MANUAL = "manual"  # 手动系数: a coefficient typed per stall
    BY_USAGE = "by_usage"  # 自动系数（按用量）: each stall's share of the period's usage
    BY_AREA = "by_area"  # 自动系数（按面积）
    FIXED = "fixed"  # 固定金额: a fixed amount per stall


class SharedPool(Base):
    __tablename__ = "shared_pool"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[MeterKind] = mapped_column(enum_col(MeterKind))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    master_meter_id: Mapped[int | None] = mapped_column(
        ForeignKey("meter.id")
    )  # None: amount typed per run
    method: Mapped[ShareMethod] = mapped_column(enum_col(ShareMethod))
    price: Mapped[Decimal | None] = mapped_column(Price)  # yuan per kWh / m³ of a metered pool
    is_active: Mapped[bool] = mapped_column(default=True)
    # 追加公摊: why this pool may bill the same stalls, kind and days as another pool (the
    # building's lift on top of its lighting); '' for an ordinary pool, whose periods may not
    # overlap another live run of its scope and kind.
    additional_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    members: Mapped[list[SharedPoolMember]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SharedPoolMember.id"
    )


class SharedPoolMember(Base):
    __tablename__ = "shared_pool_member"
    __table_args__ = (UniqueConstraint("pool_id", "stall_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("shared_pool.id"))
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"))
    coefficient: Mapped[Decimal] = mapped_column(Coefficient, default=Decimal("0"))  # MANUAL
    fixed_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))  # FIXED, yuan per period


class SharedRunStatus(enum.StrEnum):
    GENERATED = "generated"  # bills unprocessed (未处理)
    REVIEWED = "reviewed"
    ISSUED = "issued"  # 已下发: debited
    VOIDED = "voided"  # cancelled before issue
    REVERSED = "reversed"  # debits reversed after issue


OPEN_RUN = ("generated", "reviewed", "issued")


class SharedRun(Base):
    """One allocation of one pool for one period (local days, both ends included)."""

    __tablename__ = "shared_run"
    __table_args__ = (
        # A pool's period is allocated once, unless the earlier run was voided or reversed.
        Index(
            "uq_shared_run_open",
            "pool_id",
            "period_start",
            unique=True,
            sqlite_where=text("status IN ('generated', 'reviewed', 'issued')"),
            postgresql_where=text("status IN ('generated', 'reviewed', 'issued')"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    pool_id: Mapped[int] = mapped_column(ForeignKey("shared_pool.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    method: Mapped[ShareMethod] = mapped_column(enum_col(ShareMethod))
    master_usage: Mapped[Decimal | None] = mapped_column(Quantity)
    members_usage: Mapped[Decimal | None] = mapped_column(Quantity)
    price: Mapped[Decimal | None] = mapped_column(Price)
    amount: Mapped[Decimal]
    status: Mapped[SharedRunStatus] = mapped_column(enum_col(SharedRunStatus))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    issued_at: Mapped[datetime | None]
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
