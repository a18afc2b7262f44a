"""INSERT ... ON CONFLICT for whichever database the session is bound to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(db: Session, table: Any) -> Insert:
    """An INSERT that supports `on_conflict_do_nothing/update` on SQLite and PostgreSQL."""
    module = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(table)
