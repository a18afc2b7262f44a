"""The append-only audit log: entries are added with the change they describe, never edited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, User
from .permissions import require_admin
from .transactions import reads


def record(db: Session, actor: User | None, action: str, **details: Any) -> None:
    """Add an entry to the caller's transaction (None actor: the command line operator)."""
    db.add(AuditEntry(actor_id=actor.id if actor else None, action=action, details=details))


@reads
def list_audit(db: Session, actor: User, limit: int = 500) -> list[AuditEntry]:
    """The newest entries first; admins only."""
    require_admin(actor)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    return list(db.scalars(query))
