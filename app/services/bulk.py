"""Helpers for the bulk paths (20,000 meters in one statement batch, no per-row ORM)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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
