"""Helpers for the bulk paths (20,000 meters in one statement batch, no per-row ORM)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")

# SQLite allows 32,766 bound parameters per statement; stay well below for IN lists.
IN_CHUNK = 5000


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def upsert_insert(session: Session, table):
    """`INSERT` with ON CONFLICT support for the session's backend (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def unique(items: Sequence[T]) -> list[T]:
    return list(dict.fromkeys(items))


class Raw:
    """Driver-level executemany for the hottest statements (20,000 rows a collection).

    SQLAlchemy binds an executemany one value at a time through each column type, which
    costs more than the database's own work at this size; here values are converted once,
    in the same storage form the column types use (naive UTC times in SQLAlchemy's SQLite
    text format, JSON text, scaled integers for money), and the SQL is written with `?`
    placeholders (turned into `%s` for psycopg)."""

    def __init__(self, session: Session):
        self.conn = session.connection()
        self.pg = self.conn.dialect.name == "postgresql"
        self._times: dict[datetime, object] = {}  # a collection's readings share a few instants

    def sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.pg else text

    def many(self, text: str, rows: Sequence[tuple]) -> int:
        if not rows:
            return 0
        return self.conn.exec_driver_sql(self.sql(text), list(rows)).rowcount

    def rows(self, text: str, params: tuple = ()) -> list[tuple]:
        return self.conn.exec_driver_sql(self.sql(text), params).fetchall()

    def time(self, t: datetime | None):
        if t is None:
            return None
        stored = self._times.get(t)
        if stored is None:
            naive = t.astimezone(UTC).replace(tzinfo=None)
            stored = naive if self.pg else f"{naive:%Y-%m-%d %H:%M:%S}.{naive.microsecond:06d}"
            self._times[t] = stored
        return stored

    def from_time(self, v) -> datetime | None:
        if v is None:
            return None
        t = self._times.get(v)
        if t is None:
            t = (datetime.fromisoformat(v) if isinstance(v, str) else v).replace(tzinfo=UTC)
            self._times[v] = t
        return t

    def json(self, v):
        return None if v is None else json.dumps(v)

    @staticmethod
    def from_json(v):
        if v is None or isinstance(v, list | dict):
            return v
        return json.loads(v)

    @staticmethod
    def in_list(n: int) -> str:
        return "(" + ",".join("?" * n) + ")"


def scaled(value: Decimal, places: int = 2) -> int:
    """Money / Price / Quantity in their stored form (app/models/base.py ScaledDecimal)."""
    s = value.scaleb(places)
    n = int(s)
    if n != s:
        raise ValueError(f"{value} has more than {places} decimal places")
    return n


def unscaled(v: int, places: int = 2) -> Decimal:
    return Decimal(int(v)).scaleb(-places).quantize(Decimal(1).scaleb(-places))
