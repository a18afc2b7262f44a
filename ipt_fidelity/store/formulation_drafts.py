"""Formulation drafts: what a trainee has chosen and written so far, kept until they submit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import FormulationDraft, User, utcnow
from .transactions import reads, writes
from .upsert import dialect_insert


@writes
def save_formulation_draft(db: Session, actor: User, case_id: str, payload: dict[str, Any]) -> None:
    """Store (or replace) the actor's own draft of a case; only ever their own."""
    now = utcnow()
    insert = dialect_insert(db, FormulationDraft).values(
        user_id=actor.id, case_id=case_id, payload=payload, updated_at=now
    )
    db.execute(
        insert.on_conflict_do_update(
            index_elements=["user_id", "case_id"], set_={"payload": payload, "updated_at": now}
        )
    )


@reads
def get_formulation_draft(db: Session, actor: User, case_id: str) -> dict[str, Any] | None:
    """The actor's own draft of a case, if any."""
    query = select(FormulationDraft.payload).where(
        FormulationDraft.user_id == actor.id, FormulationDraft.case_id == case_id
    )
    return db.scalar(query)


@reads
def list_formulation_drafts(db: Session, actor: User) -> dict[str, datetime]:
    """The actor's own drafts: case id -> when it was last saved."""
    query = select(FormulationDraft.case_id, FormulationDraft.updated_at).where(
        FormulationDraft.user_id == actor.id
    )
    return dict(db.execute(query).all())
