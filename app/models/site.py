"""The market's structure: site (市场) → building (楼栋) → stall (档位); customers."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Money, Quantity, utcnow


def enum_col(e: type[enum.Enum], **kw):
    """Enums are stored by value as plain strings (no DB enum type to migrate)."""
    return Enum(
        e, native_enum=False, length=20, values_callable=lambda cls: [m.value for m in cls], **kw
    )


class Site(Base):
    """One market of the chain (市场)."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Lines printed above and below every receipt (e.g. the office's hours, a notice).
    receipt_header: Mapped[str] = mapped_column(Text, default="", server_default="")
    receipt_footer: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Gapless receipt numbers: the next number is taken by incrementing this in the
    # recharge's own transaction, which also serialises concurrent recharges.
    receipt_seq: Mapped[int] = mapped_column(default=0)
    # Friendly period (no cut at night): local times; both None means no night protection.
    friendly_night_start: Mapped[time | None]
    friendly_night_end: Mapped[time | None]
    no_cut_on_holidays: Mapped[bool] = mapped_column(default=True)
    # The levels a stall's account opens with (created or imported later); set for all
    # stalls at once on Settings → Alarms (setup step 7). Stored in fen, as Money is.
    default_alarm1: Mapped[Decimal] = mapped_column(
        Money, default=Decimal("50"), server_default="5000"
    )
    default_alarm2: Mapped[Decimal] = mapped_column(
        Money, default=Decimal("20"), server_default="2000"
    )
    default_overdraft_limit: Mapped[Decimal] = mapped_column(
        Money, default=Decimal("0"), server_default="0"
    )
    reading_retention_days: Mapped[int] = mapped_column(default=92)
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    # Four eyes on the monthly ledger: by default whoever submitted a month may not approve
    # it. A one-person office turns this on; its ledger then says 由提交人审核.
    submitter_may_approve: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Safety alerts (Settings → Alerts). The market is closed (no load expected) from
    # closed_from to closed_until, local time; both None: never closed, no night-load alert.
    closed_from: Mapped[time | None]
    closed_until: Mapped[time | None]
    # load above this while closed is a night-load alert (fire risk), kW
    night_load_kw: Mapped[Decimal] = mapped_column(
        Quantity, default=Decimal("0.5"), server_default="500"
    )
    # energy (kWh) or water (m³) counted while the relay / valve reads off, beyond this, is an
    # alert: a bypass or a failed relay
    off_usage_tolerance: Mapped[Decimal] = mapped_column(
        Quantity, default=Decimal("0.05"), server_default="50"
    )
    # a register that has not moved for this many days while its stall trades is stuck
    stuck_after_days: Mapped[int] = mapped_column(default=3, server_default="3")


class Holiday(Base):
    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("site_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    day: Mapped[date]
    name: Mapped[str] = mapped_column(String(50), default="")


class SettlementCycle(enum.StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"
    MONTHLY = "monthly"


class Building(Base):
    """楼栋 / 区域, with its settlement schedule (抄表时间, 结算时间, 结算周期)."""

    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(50))
    reading_time: Mapped[time] = mapped_column(default=time(0, 0))
    settlement_time: Mapped[time] = mapped_column(default=time(1, 0))
    settlement_cycle: Mapped[SettlementCycle] = mapped_column(
        enum_col(SettlementCycle), default=SettlementCycle.DAILY
    )
    settled_until: Mapped[datetime | None]  # end of the last settled period (UTC)
    # 线损: the master meters' usage minus the stalls' above this percentage is flagged
    loss_threshold_pct: Mapped[Decimal] = mapped_column(
        Money, default=Decimal("5"), server_default="500"
    )
    stalls: Mapped[list[Stall]] = relationship(back_populates="building")


class StallStatus(enum.StrEnum):
    ACTIVE = "active"
    VACANT = "vacant"
    CLOSED = "closed"


class Stall(Base):
    """档位: the unit that is rented and billed."""

    __tablename__ = "stall"
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100), default="")
    floor: Mapped[str] = mapped_column(String(20), default="")  # 楼层, "" when not given
    area_m2: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    status: Mapped[StallStatus] = mapped_column(enum_col(StallStatus), default=StallStatus.ACTIVE)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # 合同功率 (kW): load above it is an overload alert; None: not agreed, not watched
    contracted_power_kw: Mapped[Decimal | None] = mapped_column(Quantity)
    building: Mapped[Building] = relationship(back_populates="stalls")
    roles: Mapped[list[StallRole]] = relationship(
        back_populates="stall", cascade="all, delete-orphan"
    )


class Customer(Base):
    """A person or business: owner (业主) or tenant (租户) of stalls."""

    __tablename__ = "customer"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    note: Mapped[str] = mapped_column(Text, default="")


class StallRoleKind(enum.StrEnum):
    OWNER = "owner"
    TENANT = "tenant"


class StallRole(Base):
    __tablename__ = "stall_role"
    __table_args__ = (UniqueConstraint("stall_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stall_id: Mapped[int] = mapped_column(ForeignKey("stall.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    role: Mapped[StallRoleKind] = mapped_column(enum_col(StallRoleKind))
    since: Mapped[date | None]
    stall: Mapped[Stall] = relationship(back_populates="roles")
    customer: Mapped[Customer] = relationship()
