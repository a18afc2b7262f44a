"""Engines and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL via psycopg 3.

SQLite write transactions start with `BEGIN IMMEDIATE`, so concurrent writers queue on the busy
timeout instead of failing when a read lock cannot be upgraded. Keep sessions short: open one per
action (`with open_session() as db: ...`).
"""

from __future__ import annotations

import sqlite3
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.pool import NullPool

from ..config import database_url

BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """The URL with `postgresql://`/`postgres://` rewritten to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """A new engine for `url` (default: `DATABASE_URL` or the SQLite file from config)."""
    url = normalise_url(url or database_url())
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("poolclass", NullPool)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection SQLite settings; the driver's own transaction handling is switched off."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut, not just a crash
    cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """Put the file in WAL mode (once per file); the switch ignores the busy timeout, so a
    brand-new file opened by several connections at once is retried for a while."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(connection: Any) -> None:
    """Begin IMMEDIATE (take the write lock now), or DEFERRED for read-only sessions."""
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: the configured database)."""
    return make_engine(url)


def _always_fresh(state: ORMExecuteState) -> None:
    """Refresh loaded objects from every SELECT: a session outlives its transactions, and a
    status or role cached from an earlier one must never decide a later one."""
    if state.is_select:
        state.update_execution_options(populate_existing=True)


@lru_cache(maxsize=8)
def _session_factory(engine: Engine, read_only: bool) -> sessionmaker[Session]:
    bind = engine.execution_options(sqlite_begin="DEFERRED") if read_only else engine
    factory = sessionmaker(bind=bind, expire_on_commit=False)
    event.listen(factory, "do_orm_execute", _always_fresh)
    return factory


def open_session(engine: Engine | None = None, *, read_only: bool = False) -> Session:
    """A new session (use as a context manager); objects stay readable after commit."""
    return _session_factory(engine or get_engine(), read_only)()
