"""Declarative base and the column types every model shares.

Money and other decimal quantities are stored as scaled integers (fen for yuan), so sums
and comparisons stay exact `Decimal` on SQLite as well as on PostgreSQL. Times are stored
as naive UTC and handed out timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ScaledDecimal(TypeDecorator):
    """A Decimal with a fixed number of places, stored as an integer (value × 10^places)."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int = 2):
        super().__init__()
        self.places = places
        self._quantum = Decimal(1).scaleb(-places)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        d = Decimal(value)
        scaled = d.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places).quantize(self._quantum)

    @property
    def python_type(self):
        return Decimal


Money = ScaledDecimal(2)  # yuan, stored in fen
Price = ScaledDecimal(4)  # yuan per unit, 0.0001 yuan
Quantity = ScaledDecimal(3)  # kWh / m³ / m², 0.001


class UtcDateTime(TypeDecorator):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    @property
    def python_type(self):
        return datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {Decimal: Money, datetime: UtcDateTime}
