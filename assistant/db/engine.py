"""Build the SQLAlchemy engine for a URL and bring its schema to the newest migration."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, pool, text
from sqlalchemy.engine import URL

from assistant.data_dir import create_private_file

# Any constant shared by every process that migrates: concurrent start-ups wait for each other.
_MIGRATION_LOCK_ID = 0x5A1E5DB
# SQLite files: the lock this process's writers take turns on (one_writer).
_WRITERS: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()


def normalize_url(url: str) -> URL:
    """Parse a database URL; plain `postgresql://` (and `postgres://`) get the psycopg 3 driver."""
    parsed = make_url(
        url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r}; use sqlite or postgresql")
    return parsed


def one_writer(engine: Engine) -> AbstractContextManager[Any]:
    """Hold this around a write transaction that every answer makes (its log, audit, review intake).

    SQLite lets one connection write at a time; another that finds the file locked sleeps in SQLite's
    busy handler, in steps growing to 100 ms, and may lose again when it wakes. Twenty answers at once
    then took up to 2.7 s where most took 0.2 s. This process's writers queue here instead, in turn (a
    thread already holding it may take it again). Other databases write concurrently: no lock.
    """
    return _WRITERS.get(engine) or nullcontext()


def build_engine(url: str) -> Engine:
    """An engine for `url` (SQLite file dirs are created) with migrations applied up to head."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        # A long-running service outlives server restarts and idle-connection reapers.
        engine = create_engine(parsed, pool_pre_ping=True)
    try:
        migrate(engine)
    except Exception:
        engine.dispose()
        raise
    return engine


def migrate(engine: Engine) -> None:
    """Run `alembic upgrade head` on this engine, inside one transaction."""
    config = Config()
    config.set_main_option("script_location", "assistant.db:migrations")
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ":memory:"
    in_memory = database == ":memory:" or database.startswith("file::memory:")
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        # One shared connection, or every checkout would see its own empty database.
        kwargs["poolclass"] = pool.StaticPool
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        create_private_file(Path(database).expanduser())
    engine = create_engine(url, **kwargs)
    if not in_memory:  # in memory: one shared connection already
        _WRITERS[engine] = threading.RLock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            # Readers (token checks on every request) do not wait behind a writer.
            cursor.execute("PRAGMA journal_mode=WAL")
            # Commits append to the WAL without waiting for the disk (it is synced at checkpoints):
            # each answer's log and audit writes no longer queue behind fsyncs. Safe against the app
            # crashing and never corrupt; a power loss may drop the last commits (README: Users,
            # tokens, audit).
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine
