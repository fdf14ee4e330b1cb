"""Bills (账单) and property charge items (收费项目)."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Price, Quantity, utcnow
from app.models.site import enum_col


class BillKind(enum.StrEnum):
    ELECTRIC = "electric"
    WATER = "water"
    PROPERTY = "property"
    SHARED_ELECTRIC = "shared_electric"  # 公摊电费
    SHARED_WATER = "shared_water"  # 公摊水费


class BillStatus(enum.StrEnum):
    UNPROCESSED = "unprocessed"  # generated, not yet issued (未下发)
    REVIEWED = "reviewed"
    SETTLED = "settled"  # issued (下发) and debited
    VOIDED = "voided"


class Bill(Base):
    __tablename__ = "bill"
    __table_args__ = (
        Index("ix_bill_stall_period", "stall_id", "period_end"),
        Index("ix_bill_site_month", "site_id", "month"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[BillKind] = mapped_column(enum_col(BillKind))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    amount: Mapped[Decimal]
    status: Mapped[BillStatus] = mapped_column(enum_col(BillStatus))
    # What makes the bill unique, so generating it twice finds the first one
    # (e.g. "electric:meter 17:2026-11-25T00:00", "property:item 3:2026-11").
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    # 账期: the month (its first day) whose monthly ledger counts the bill's money: the
    # local month of the period start, or, when the reviewer had already locked that
    # month, the first later month still open (corrections go into the next month).
    # Services set it (monthly_ledger.open_month); the default is the period's own month.
    month: Mapped[date] = mapped_column(default=lambda ctx: _period_month(ctx))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(String(1000), default="")
    lines: Mapped[list[BillLine]] = relationship(cascade="all, delete-orphan", lazy="selectin")


def _period_month(context) -> date:
    from zoneinfo import ZoneInfo

    from app.models.site import Site

    params = context.get_current_parameters()
    tz = context.connection.scalar(select(Site.timezone).where(Site.id == params["site_id"]))
    start = params["period_start"]
    if isinstance(start, str):
        start = datetime.fromisoformat(start)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    return start.astimezone(ZoneInfo(tz)).date().replace(day=1)


class BillLine(Base):
    __tablename__ = "bill_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bill.id"), index=True)
    meter_id: Mapped[int | None] = mapped_column(ForeignKey("meter.id"))
    # The program's words (code + parameters, app.words.stored_text) or a charge item's name
    # and unit as typed; said in the reader's language with app.words.shown.
    description: Mapped[str] = mapped_column(String(1000))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(String(100))
    price: Mapped[Decimal] = mapped_column(Price)
    amount: Mapped[Decimal]
    start_reading: Mapped[Decimal | None] = mapped_column(Quantity)
    end_reading: Mapped[Decimal | None] = mapped_column(Quantity)


class ChargeMethod(enum.StrEnum):
    FIXED_MONTH = "fixed_month"  # a fixed amount a month
    PER_M2 = "per_m2"  # price × stall area
    PER_UNIT = "per_unit"  # price × units assigned to the stall


class ChargeItem(Base):
    """收费项目: property fee, sanitation, management … charged monthly."""

    __tablename__ = "charge_item"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(60))
    method: Mapped[ChargeMethod] = mapped_column(enum_col(ChargeMethod))
    price: Mapped[Decimal] = mapped_column(Price)
    unit_name: Mapped[str] = mapped_column(String(10), default="")
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))  # None: all
    is_active: Mapped[bool] = mapped_column(default=True)


class StallCharge(Base):
    """Units of a per-unit charge item assigned to a stall (e.g. 2 bins)."""

    __tablename__ = "stall_charge"
    __table_args__ = (UniqueConstraint("stall_id", "charge_item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"))
    charge_item_id: Mapped[int] = mapped_column(ForeignKey("charge_item.id"))
    units: Mapped[Decimal] = mapped_column(Quantity)


class MonthLock(Base):
    """A month approved by a reviewer: nothing dated in it may change any more."""

    __tablename__ = "month_lock"
    __table_args__ = (UniqueConstraint("site_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    month: Mapped[date]  # first day of the month
    locked_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
