"""Migrations run from code: `ensure_schema(engine)` on app start, `upgrade(url)` from the CLI.

Alembic is configured programmatically, so it works from an installed package; on PostgreSQL an
advisory lock lets several replicas start at once without racing each other's migrations.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from .engine import make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ADVISORY_LOCK_KEY = 0x1F7F1DE1  # any constant shared by every replica of this app


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (and a live connection, if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration revision shipped with this version of the app."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when it has never been migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine) -> None:
    """Migrate the database to the newest revision unless it is there already."""
    if current_revision(engine) == head_revision():
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")


def upgrade(url: str | None = None) -> str:
    """Migrate the database at `url` (default: the configured one); returns the new revision."""
    engine = make_engine(url)
    try:
        ensure_schema(engine)
        return current_revision(engine) or ""
    finally:
        engine.dispose()
