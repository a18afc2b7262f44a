"""Formulation attempts: a trainee's reading of a case, stored with the feedback it received."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .errors import InvalidInput, PermissionDenied
from .models import FormulationAttempt, FormulationDraft, User, utcnow
from .permissions import user_readable
from .transactions import reads, writes


@writes
def record_attempt(
    db: Session,
    actor: User,
    case_id: str,
    *,
    primary_area: str,
    secondary_area: str | None = None,
    dispute_stage: str | None = None,
    key_people: Sequence[str] = (),
    text: str = "",
    self_check: dict[str, Any] | None = None,
    feedback: dict[str, Any],
    at: datetime | None = None,
) -> FormulationAttempt:
    """Store the actor's submitted formulation of a case and drop its draft, in one transaction.

    `feedback` is computed by `training.formulation_feedback` from the case key, never by a page.
    """
    if not primary_area:
        raise InvalidInput("Choose a primary problem area.")
    if actor.role != "trainee":
        raise PermissionDenied("Formulation practice is for trainees.")
    attempt = FormulationAttempt(
        user_id=actor.id,
        case_id=case_id,
        primary_area=primary_area,
        secondary_area=secondary_area,
        dispute_stage=dispute_stage,
        key_people=list(key_people),
        text=text,
        self_check=self_check or {},
        feedback=feedback,
        submitted_at=at or utcnow(),
    )
    db.add(attempt)
    db.execute(
        delete(FormulationDraft).where(
            FormulationDraft.user_id == actor.id, FormulationDraft.case_id == case_id
        )
    )
    db.flush()
    return attempt


@reads
def list_attempts(
    db: Session, actor: User, *, user_id: int | None = None, case_id: str | None = None
) -> list[FormulationAttempt]:
    """The attempts the actor may read, optionally of one user or case, oldest first."""
    query = (
        select(FormulationAttempt)
        .where(user_readable(actor, FormulationAttempt.user_id))
        .order_by(FormulationAttempt.submitted_at, FormulationAttempt.id)
    )
    if user_id is not None:
        query = query.where(FormulationAttempt.user_id == user_id)
    if case_id is not None:
        query = query.where(FormulationAttempt.case_id == case_id)
    return list(db.scalars(query))
