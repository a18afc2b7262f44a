"""Engine settings, URL handling, and migrations that match the models on both databases."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from ipt_fidelity import store
from ipt_fidelity.store import DatabaseUnavailable, make_engine, normalise_url
from ipt_fidelity.store.migrate import current_revision, ensure_schema, head_revision
from ipt_fidelity.store.models import Base, User


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("IPT_FIDELITY_HOME", str(tmp_path / "home"))
    engine = make_engine()
    assert engine.url.database == str(tmp_path / "home" / "ipt_fidelity.sqlite3")
    ensure_schema(engine)
    assert (tmp_path / "home" / "ipt_fidelity.sqlite3").exists()
    engine.dispose()


def test_sqlite_connection_settings(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 30_000
    engine.dispose()


def test_migrations_match_the_models(any_url: str) -> None:
    engine = make_engine(any_url)
    assert current_revision(engine) == head_revision()
    ensure_schema(engine)  # a second run is a no-op
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_foreign_keys_are_enforced(any_url: str) -> None:
    engine = make_engine(any_url)
    with store.open_session(engine) as db, pytest.raises(IntegrityError, match=r"(?i)foreign"):
        db.execute(text("INSERT INTO memberships VALUES (99, 99, CURRENT_TIMESTAMP)"))
        db.flush()
    engine.dispose()


def test_a_database_failure_is_a_plain_store_error() -> None:
    engine = make_engine(
        "postgresql://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
    )
    actor = User(id=1, username="x", role="admin", display_name="x", password_hash="")
    with store.open_session(engine) as db, pytest.raises(DatabaseUnavailable) as exc:
        store.list_ratings(db, actor)
    assert "nothing was saved" in str(exc.value) and "psycopg" not in str(exc.value)
    engine.dispose()


def test_replicas_starting_together_migrate_once(any_empty_url: str) -> None:
    engines = [make_engine(any_empty_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def boot(engine: Engine) -> None:
        start.wait()
        try:
            ensure_schema(engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=boot, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_revision(engines[0]) == head_revision()
    for engine in engines:
        engine.dispose()
