"""Certification decisions about trainees, taken by their supervisors or an admin."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .audit_log import record
from .errors import InvalidInput
from .models import DECISIONS, CertificationDecision, User
from .permissions import require_manage, user_readable
from .transactions import reads, writes


@writes
def record_decision(
    db: Session, actor: User, trainee_id: int, decision: str, note: str = ""
) -> CertificationDecision:
    """Record a decision on a trainee (their supervisor or an admin); audited."""
    if decision not in DECISIONS:
        raise InvalidInput(f"A decision is one of: {', '.join(DECISIONS)}.")
    require_manage(db, actor, trainee_id)
    entry = CertificationDecision(
        trainee_id=trainee_id, decided_by=actor.id, decision=decision, note=note
    )
    db.add(entry)
    db.flush()
    record(db, actor, "certification.decide", trainee_id=trainee_id, decision=decision)
    return entry


@reads
def list_decisions(
    db: Session, actor: User, trainee_id: int | None = None
) -> list[CertificationDecision]:
    """The decisions the actor may read (trainees: their own), oldest first."""
    query = (
        select(CertificationDecision)
        .where(user_readable(actor, CertificationDecision.trainee_id))
        .order_by(CertificationDecision.decided_at, CertificationDecision.id)
    )
    if trainee_id is not None:
        query = query.where(CertificationDecision.trainee_id == trainee_id)
    return list(db.scalars(query))
