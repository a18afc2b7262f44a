"""Alembic environment: the caller's connection, else `DATABASE_URL` or the default database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ipt_fidelity.store.engine import make_engine
from ipt_fidelity.store.models import Base


def run_migrations() -> None:
    """Run the migrations online, on a given connection or on a fresh engine's."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or None
    engine = make_engine(url)
    try:
        with engine.begin() as fresh:
            _run(fresh)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations()
