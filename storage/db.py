"""Opening the database: engine settings per dialect, sessions, and the schema check.

SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` (take the write lock up front; a deferred
transaction that later upgrades to a writer fails at once with "database is locked" instead of
waiting). PostgreSQL needs nothing special.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import SchemaOutdatedError, StorageError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; a bad URL is a :class:`StorageError` with one clear line."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"storage.url is not a database URL: {url!r}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url, parsed.database)
        return create_engine(url, pool_pre_ping=True)
    except (ImportError, SQLAlchemyError) as exc:
        raise StorageError(f"cannot use database {parsed.render_as_string()}: {exc}") from None


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        parent = Path(database).parent
        if not parent.exists():
            raise StorageError(f"database folder does not exist: {parent}")
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")  # must run outside a transaction
        cursor.execute("PRAGMA synchronous=FULL")  # a 250 means on disk, even after power loss
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    from alembic import command

    try:
        with _schema_lock(engine):  # instances upgrading at once (systemd ExecStartPre) queue
            before = current_revision(engine)
            command.upgrade(alembic_config(engine), "head")
            return before, head_revision(engine)
    except OperationalError as exc:
        raise StorageError(f"database unavailable: {_first_line(exc)}") from None


# pg_advisory_lock key held while the schema is checked and created: instances started together
# on an empty PostgreSQL database would otherwise all create it, and all but one fail.
_SCHEMA_LOCK = 0x1A7A_5C4E


@contextlib.contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield  # SQLite: one writer at a time already
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK})
            conn.commit()


def ensure_schema(engine: Engine, *, create: bool = True) -> None:
    """Create a fresh database's schema, or refuse an outdated one with the fix to run."""
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables - {"alembic_version"} and create:
            upgrade(engine)  # under the schema lock; a no-op for whoever comes second
            return
        current, head = current_revision(engine), head_revision(engine)
    except OperationalError as exc:
        raise StorageError(f"database unavailable: {_first_line(exc)}") from None
    except DBAPIError as exc:  # e.g. a storage.url pointing at a file that is not a database
        raise StorageError(f"cannot use the database: {_first_line(exc)}") from None
    if current != head:
        raise SchemaOutdatedError(
            f"database schema is at {current or 'an unknown version'}, this version needs {head}:"
            " run 'intake-bot db upgrade'"
        )


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
