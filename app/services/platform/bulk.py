"""Helpers for the bulk paths (20,000 meters in one statement batch, no per-row ORM)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import TypeVar

from sqlalchemy import ARRAY, Table, any_, bindparam
from sqlalchemy.orm import Session

T = TypeVar("T")

# SQLite allows 32,766 bound parameters per statement; stay well below for IN lists.
IN_CHUNK = 5000
_V_NAME = re.compile(r"\bv\.(\w+)")


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def in_ids(session: Session, column, values: Sequence):
    """`column IN (...)` for a large list: on PostgreSQL one array parameter (`= ANY`),
    so the driver does not parse thousands of placeholders; on SQLite the usual IN list
    (call it per chunked() batch there)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def batches(session: Session, items: Iterable[T]) -> Iterator[list[T]]:
    """chunked() on SQLite (bound parameter limit); one batch on PostgreSQL (in_ids() binds
    the whole list as one array)."""
    return _batches(items, session.get_bind().dialect.name == "postgresql")


def _batches(items: Iterable[T], pg: bool) -> Iterator[list[T]]:
    if pg:
        items = list(items)
        return iter([items] if items else [])
    return chunked(items)


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

    def insert(
        self, table: Table, columns: Sequence[str], rows: Sequence[tuple], suffix: str = ""
    ) -> int:
        """INSERT of many rows (values in the stored form, see time() / json() / scaled()).
        PostgreSQL: one statement over unnest() of one array per column, instead of a
        statement per row; SQLite: executemany (SQLite runs it in C, in process)."""
        if not rows:
            return 0
        names = ", ".join(columns)
        if self.pg:
            types = [self._pg_type(table, c) for c in columns]
            return self.conn.exec_driver_sql(
                f"INSERT INTO {table.name} ({names}) SELECT * FROM "
                f"unnest({', '.join(f'%s::{t}[]' for t in types)}) "
                f"{suffix}",
                _pg_arrays(types, rows),
            ).rowcount
        return self.many(
            f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(columns))}) {suffix}",
            rows,
        )

    def update(
        self,
        table: Table,
        columns: Sequence[str],
        rows: Sequence[tuple],
        *,
        key: Sequence[str] = ("id",),
        set_: dict[str, str] | None = None,
        where: str = "",
        types: dict[str, str] | None = None,
    ) -> int:
        """UPDATE many rows from a list of values: each row gives `columns` (the key
        columns among them) of a values table `v`. `set_` maps target columns to
        expressions over `v.<name>` and the target row `t` (default: every non-key column
        from v); `where` adds a condition. PostgreSQL: one `UPDATE … FROM unnest(…) AS v`
        (so a key must appear once); SQLite: executemany with `v.<name>` as parameters.
        `types` gives the PostgreSQL type of a v column that is not a column of `table`.
        Returns the number of rows updated."""
        if not rows:
            return 0
        set_ = set_ if set_ is not None else {c: f"v.{c}" for c in columns if c not in key}
        sets = ", ".join(f"{c} = {e}" for c, e in set_.items())
        cond = " AND ".join([f"t.{k} = v.{k}" for k in key] + ([where] if where else []))
        if self.pg:
            pg_types = [(types or {}).get(c) or self._pg_type(table, c) for c in columns]
            arrays = ", ".join(f"%s::{t}[]" for t in pg_types)
            return self.conn.exec_driver_sql(
                f"UPDATE {table.name} AS t SET {sets} FROM unnest({arrays}) AS "
                f"v({', '.join(columns)}) WHERE {cond}",
                _pg_arrays(pg_types, rows),
            ).rowcount
        order: list[int] = []
        position = {c: i for i, c in enumerate(columns)}

        def param(m: re.Match) -> str:
            order.append(position[m.group(1)])
            return "?"

        sql = _V_NAME.sub(param, f"UPDATE {table.name} AS t SET {sets} WHERE {cond}")
        if order == list(range(len(columns))):
            return self.many(sql, rows)
        if len(order) == 1:
            return self.many(sql, [(r[order[0]],) for r in rows])
        pick = itemgetter(*order)
        return self.many(sql, [pick(r) for r in rows])

    @staticmethod
    def _pg_type(table: Table, column: str) -> str:
        from sqlalchemy.dialects import postgresql

        return table.c[column].type.compile(dialect=postgresql.dialect())

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

    def day(self, d: date | None):
        """A Date column's stored form (SQLAlchemy's SQLite text format)."""
        if d is None:
            return None
        return d if self.pg else d.isoformat()

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

    def where_in(self, column: str, values: Sequence) -> tuple[str, tuple]:
        """`column IN (...)` as SQL text and parameters; one array parameter on PostgreSQL."""
        if self.pg:
            pg_type = "BIGINT" if all(isinstance(v, int) for v in values) else "TEXT"
            return f"{column} = ANY(%s::{pg_type}[])", _pg_arrays(
                (pg_type,), [(v,) for v in values]
            )
        return f"{column} IN {self.in_list(len(values))}", tuple(values)

    def batches(self, items: Iterable[T]) -> Iterator[list[T]]:
        """See batches(): pair with where_in()."""
        return _batches(items, self.pg)


_PG_PLAIN = ("INTEGER", "BIGINT", "SMALLINT", "BOOLEAN", "FLOAT", "REAL", "DOUBLE PRECISION")


def _pg_element(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bytes | bytearray | memoryview):
        return '"\\\\x' + bytes(v).hex() + '"'
    text = str(v)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pg_arrays(types: Sequence[str], rows: Sequence[tuple]) -> tuple[str, ...]:
    """One PostgreSQL array literal per column, written here in one join each: the
    driver's own list adaptation works value by value in Python, which costs more than
    the statement at 20,000 rows."""
    out = []
    for pg_type, col in zip(types, zip(*rows, strict=True), strict=True):
        if pg_type in _PG_PLAIN:
            out.append("{" + ",".join("NULL" if v is None else str(v) for v in col) + "}")
        else:
            out.append("{" + ",".join(map(_pg_element, col)) + "}")
    return tuple(out)


def scaled(value: Decimal, places: int = 2) -> int:
    """Money / Price / Quantity in their stored form (app/models/base.py ScaledDecimal)."""
    s = value.scaleb(places)
    n = int(s)
    if n != s:
        raise ValueError(f"{value} has more than {places} decimal places")
    return n


def unscaled(v: int, places: int = 2) -> Decimal:
    return Decimal(int(v)).scaleb(-places).quantize(Decimal(1).scaleb(-places))
