"""Tariffs (电价 / 水价): flat, time-of-use (up to 4 rates, 8 periods a day), tiered."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.comm.types import MeterKind
from app.models.base import Base, Price, Quantity
from app.models.site import enum_col


class TariffMode(enum.StrEnum):
    FLAT = "flat"
    TOU = "tou"  # 分时: 尖 峰 平 谷
    TIERED = "tiered"  # 阶梯: monthly blocks


RATE_NAMES = ("尖", "峰", "平", "谷")  # rate index 1..4, the meter's tariff registers


class Tariff(Base):
    __tablename__ = "tariff"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[MeterKind] = mapped_column(enum_col(MeterKind))
    mode: Mapped[TariffMode] = mapped_column(enum_col(TariffMode))
    price: Mapped[Decimal] = mapped_column(Price)  # flat price, or the first tier's
    rates: Mapped[list[TariffRate]] = relationship(
        cascade="all, delete-orphan", order_by="TariffRate.rate", lazy="selectin"
    )
    periods: Mapped[list[TariffPeriod]] = relationship(
        cascade="all, delete-orphan", order_by="TariffPeriod.start_minute", lazy="selectin"
    )
    tiers: Mapped[list[TariffTier]] = relationship(
        cascade="all, delete-orphan", order_by="TariffTier.level", lazy="selectin"
    )


class TariffRate(Base):
    __tablename__ = "tariff_rate"
    __table_args__ = (UniqueConstraint("tariff_id", "rate"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariff.id"))
    rate: Mapped[int]  # 1..4 = 尖 峰 平 谷
    price: Mapped[Decimal] = mapped_column(Price)


class TariffPeriod(Base):
    """A TOU period: from start_minute (local time of day) until the next period starts."""

    __tablename__ = "tariff_period"
    __table_args__ = (UniqueConstraint("tariff_id", "start_minute"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariff.id"))
    start_minute: Mapped[int]
    rate: Mapped[int]


class TariffTier(Base):
    """A monthly block: usage up to `up_to` (None = no limit) at `price`."""

    __tablename__ = "tariff_tier"
    __table_args__ = (UniqueConstraint("tariff_id", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariff.id"))
    level: Mapped[int]
    up_to: Mapped[Decimal | None] = mapped_column(Quantity)
    price: Mapped[Decimal] = mapped_column(Price)
