"""Assignments: a case to formulate or a session to rate, for a cohort or one user."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session

from .audit_log import record
from .errors import InvalidInput, PermissionDenied
from .models import ASSIGNMENT_KINDS, Assignment, User, utcnow
from .people import is_cohort_supervisor
from .permissions import actor_cohorts, can_manage, user_readable
from .transactions import one_transaction, reads, writes


@writes
def create_assignment(
    db: Session,
    actor: User,
    *,
    kind: str,
    target_id: str,
    cohort_id: int | None = None,
    user_id: int | None = None,
    rubric_id: str | None = None,
    due_date: date | None = None,
    second_rater: bool = False,
    at: datetime | None = None,
) -> Assignment:
    """Give work to a cohort or a trainee (the cohort's or trainee's supervisor, or an admin)."""
    if kind not in ASSIGNMENT_KINDS:
        raise InvalidInput(f"An assignment is one of: {', '.join(ASSIGNMENT_KINDS)}.")
    if (cohort_id is None) == (user_id is None):
        raise InvalidInput("Assign to a cohort or to one user, not both.")
    if kind == "rate" and not rubric_id:
        raise InvalidInput("A rating assignment names its rubric.")
    if cohort_id is not None:
        allowed = actor.role == "admin" or is_cohort_supervisor(db, actor, cohort_id)
    else:
        allowed = can_manage(db, actor, user_id)
    if not allowed:
        raise PermissionDenied("Only the supervisor or an administrator may assign this work.")
    assignment = Assignment(
        kind=kind,
        target_id=target_id,
        rubric_id=rubric_id,
        cohort_id=cohort_id,
        user_id=user_id,
        due_date=due_date,
        second_rater=second_rater,
        created_by=actor.id,
        created_at=at or utcnow(),
    )
    db.add(assignment)
    db.flush()
    record(db, actor, "assignment.create", assignment_id=assignment.id, target_id=target_id)
    return assignment


def create_assignments(
    db: Session, actor: User, plans: Sequence[Mapping[str, Any]]
) -> list[Assignment]:
    """Several assignments (the keyword arguments of `create_assignment` each), all or none."""
    with one_transaction(db):
        return [create_assignment(db, actor, **plan) for plan in plans]


@reads
def list_assignments(db: Session, actor: User) -> list[Assignment]:
    """The assignments meant for the actor, or for the people and cohorts they supervise."""
    if actor.role == "admin":
        visible = true()
    else:
        visible = or_(
            Assignment.cohort_id.in_(actor_cohorts(actor)),
            user_readable(actor, Assignment.user_id),
        )
    query = select(Assignment).where(visible).order_by(Assignment.due_date, Assignment.id)
    return list(db.scalars(query))
