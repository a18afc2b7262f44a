"""When a trainee could first have learnt a case's answer elsewhere than in formulating it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import CaseExposure, User, utcnow
from .permissions import user_readable
from .transactions import reads, writes
from .upsert import dialect_insert


@writes
def record_exposure(
    db: Session, actor: User, case_id: str, via: str, *, at: datetime | None = None
) -> None:
    """Note that the actor saw material revealing the case's answer (only the first time counts)."""
    if actor.role != "trainee":
        return
    insert = dialect_insert(db, CaseExposure).values(
        user_id=actor.id, case_id=case_id, via=via[:120], first_at=at or utcnow()
    )
    db.execute(insert.on_conflict_do_nothing(index_elements=["user_id", "case_id"]))


@reads
def first_exposures(db: Session, actor: User, user_id: int) -> dict[str, datetime]:
    """Case id -> the first moment the user saw that case's answer elsewhere."""
    query = select(CaseExposure.case_id, CaseExposure.first_at).where(
        CaseExposure.user_id == user_id, user_readable(actor, CaseExposure.user_id)
    )
    return dict(db.execute(query).all())
