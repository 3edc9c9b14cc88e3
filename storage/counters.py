"""Allocating numbers from named counters inside the caller's transaction.

One statement increments and returns (``UPDATE … RETURNING``), holding the row lock until the
caller commits: on PostgreSQL concurrent allocators queue on the row; on SQLite the transaction
already holds the write lock (``BEGIN IMMEDIATE``). Either way no two callers get one number.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import Counter


def next_value(session: Session, name: str) -> int:
    """The next value of counter ``name`` (starting at 1), in the session's transaction."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
    result = session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    return int(result.scalar_one())
