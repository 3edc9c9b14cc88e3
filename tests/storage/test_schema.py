"""Schema management: fresh databases are created, outdated ones are refused with the fix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from bot.errors import SchemaOutdatedError, StorageError
from storage.db import (
    current_revision,
    ensure_schema,
    head_revision,
    make_engine,
    make_sessionmaker,
)
from storage.models import Event


def test_fresh_database_is_created_at_head(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    assert current_revision(engine) == head_revision(engine)
    ensure_schema(engine)  # idempotent
    engine.dispose()


def test_outdated_schema_is_refused_with_a_hint(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    with pytest.raises(SchemaOutdatedError, match="intake-bot db upgrade"):
        ensure_schema(engine)
    engine.dispose()


def test_timestamps_come_back_utc_aware(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    sessions = make_sessionmaker(engine)
    johannesburg = timezone(timedelta(hours=2))
    at = datetime(2026, 11, 23, 11, 0, tzinfo=johannesburg)
    with sessions.begin() as session:
        session.add(Event(ticket_id=None, at=at, kind="k", actor="a", detail={"x": 1}))
    with sessions() as session:
        event = session.query(Event).one()
        assert event.at == at
        assert event.at.tzinfo is not None
        assert event.at.utcoffset() == timedelta(0)
        assert event.at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    engine.dispose()


def test_unreachable_database_is_one_clear_error() -> None:
    from tests.conftest import free_port

    engine = make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    with pytest.raises(StorageError, match="database unavailable"):
        ensure_schema(engine)
    engine.dispose()


def test_bad_url_is_one_clear_error() -> None:
    with pytest.raises(StorageError, match="not a database URL"):
        make_engine("not a url at all")


def test_a_setting_made_twice_keeps_the_first_value(db_url: str) -> None:
    """Two instances starting together on a new database both get one signing key."""
    from storage.repositories import add_setting_if_absent

    engine = make_engine(db_url)
    ensure_schema(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        assert add_setting_if_absent(session, "message_id_key", "aa") == "aa"
    with sessions.begin() as session:
        assert add_setting_if_absent(session, "message_id_key", "bb") == "aa"
    engine.dispose()
