"""Monthly ledger (月报表台账): one report per site and month, one row per stall, and the
review trail. Rows are a snapshot taken when the report is built, so what the reviewer
approved is what stays; approving also writes the `MonthLock`."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Quantity, utcnow
from app.models.site import enum_col


class MonthStatus(enum.StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交审核
    APPROVED = "approved"  # 已审核（锁定）
    RETURNED = "returned"  # 退回修改
    REOPENED = "reopened"  # 已重新打开: an administrator unlocked the approved month to correct it


class MonthlyReport(Base):
    __tablename__ = "monthly_report"
    __table_args__ = (UniqueConstraint("site_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    month: Mapped[date]  # first day of the month
    status: Mapped[MonthStatus] = mapped_column(enum_col(MonthStatus), default=MonthStatus.DRAFT)
    jump_pct: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("50"))
    offline_days: Mapped[int] = mapped_column(default=3)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
    built_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    comment: Mapped[str] = mapped_column(Text, default="")  # the reviewer's last comment
    rows: Mapped[list[MonthlyRow]] = relationship(
        cascade="all, delete-orphan", order_by="MonthlyRow.id"
    )


class MonthlyRow(Base):
    __tablename__ = "monthly_row"
    __table_args__ = (UniqueConstraint("report_id", "stall_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id"), index=True)
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"))
    building: Mapped[str] = mapped_column(String(50))
    stall_code: Mapped[str] = mapped_column(String(30))
    stall_name: Mapped[str] = mapped_column(String(100), default="")
    electric_kwh: Mapped[Decimal] = mapped_column(Quantity)
    prev_electric_kwh: Mapped[Decimal] = mapped_column(Quantity)
    water_m3: Mapped[Decimal] = mapped_column(Quantity)
    prev_water_m3: Mapped[Decimal] = mapped_column(Quantity)
    electric_amount: Mapped[Decimal]
    water_amount: Mapped[Decimal]
    shared_electric: Mapped[Decimal]
    shared_water: Mapped[Decimal]
    property_amount: Mapped[Decimal]
    recharges: Mapped[Decimal]
    reversals: Mapped[Decimal]  # signed: reversing a recharge is negative, a bill positive
    refunds: Mapped[Decimal]  # signed (negative: paid out)
    adjustments: Mapped[Decimal]
    opening: Mapped[Decimal]
    closing: Mapped[Decimal]
    offline_days: Mapped[int] = mapped_column(default=0)
    flags: Mapped[str] = mapped_column(String(1000), default="")


class MonthlyReview(Base):
    """The review trail: who built, submitted, approved or sent back the month, when."""

    __tablename__ = "monthly_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))  # build, submit, approve, return, reopen
    comment: Mapped[str] = mapped_column(Text, default="")
