"""Cohort editing by its supervisors (creation is `people.create_cohort`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .audit_log import record
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .models import Cohort, User
from .people import is_cohort_supervisor
from .transactions import writes


@writes
def edit_cohort(db: Session, actor: User, cohort_id: int, name: str, description: str) -> Cohort:
    """Rename a cohort or change its description (its supervisors or an admin); audited."""
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("No such cohort.")
    if actor.role != "admin" and not is_cohort_supervisor(db, actor, cohort_id):
        raise PermissionDenied("Only the cohort's supervisors or an administrator may edit it.")
    name = name.strip()
    if not name:
        raise InvalidInput("A cohort needs a name.")
    clash = select(Cohort.id).where(Cohort.name == name, Cohort.id != cohort_id)
    if db.scalar(clash) is not None:
        raise Conflict(f"A cohort named {name!r} exists already.")
    record(db, actor, "cohort.edit", cohort_id=cohort_id, name=name, was=cohort.name)
    cohort.name, cohort.description = name, description
    return cohort
