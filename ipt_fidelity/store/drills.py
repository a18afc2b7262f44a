"""Drill answers and drill sets, under the blind rule and the permission rules of ratings.

A drill shows the expert's score of one item of one session, so the store accepts an answer
only for a practice session or a session the trainee has already rated in full; the expert
score is taken from the library here, never from the caller, and returned only with the stored
answer. Answering a drill counts as seeing the case's answer (`exposures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.library import Library
from .audit_log import record
from .blind import can_see_reference
from .errors import InvalidInput, NotFound, PermissionDenied
from .exposures import record_exposure
from .models import DrillAttempt, DrillSet, Membership, User, utcnow
from .people import is_cohort_supervisor
from .permissions import actor_cohorts, user_readable
from .ratings import check_scale
from .transactions import reads, writes

MAX_TITLE = 120


@reads
def drill_open(db: Session, actor: User, library: Library, session_id: str) -> bool:
    """Whether the actor may drill this session: a practice session, or one they rated in full."""
    session = library.sessions.get(session_id)
    if session is None:
        return False
    return session.use == "practice" or can_see_reference(db, actor, library, session_id)


@writes
def record_drill_answer(
    db: Session,
    actor: User,
    library: Library,
    session_id: str,
    item_id: str,
    score: int,
    *,
    shown_at: datetime | None = None,
    drill_set_id: int | None = None,
    at: datetime | None = None,
) -> DrillAttempt:
    """Store a trainee's score of a drill and return it with the expert's score."""
    if actor.role != "trainee":
        raise PermissionDenied("Drills are for trainees.")
    session = library.sessions.get(session_id)
    reference = session.reference_rating if session else None
    expert = reference.items.get(item_id) if reference else None
    if session is None or expert is None or expert.score is None or not expert.evidence:
        raise NotFound("No such drill.")
    if not drill_open(db, actor, library, session_id):
        raise PermissionDenied("Rate this session in full before drilling it.")
    rubric = library.rubrics[reference.rubric]
    check_scale(rubric, score)
    now = at or utcnow()
    attempt = DrillAttempt(
        user_id=actor.id,
        session_id=session_id,
        item_id=item_id,
        rubric_id=rubric.id,
        score=score,
        expert_score=expert.score,
        drill_set_id=drill_set_id,
        shown_at=min(shown_at or now, now),
        answered_at=now,
    )
    db.add(attempt)
    record_exposure(db, actor, session.case, "item drill", at=now)
    db.flush()
    record(db, actor, "drill.answer", attempt_id=attempt.id, session_id=session_id, item=item_id)
    return attempt


@reads
def list_drill_attempts(
    db: Session, actor: User, *, user_ids: Sequence[int] | None = None
) -> list[DrillAttempt]:
    """The drill answers the actor may read (their own; their trainees' for a supervisor)."""
    query = (
        select(DrillAttempt)
        .where(user_readable(actor, DrillAttempt.user_id))
        .order_by(DrillAttempt.answered_at, DrillAttempt.id)
    )
    if user_ids is not None:
        query = query.where(DrillAttempt.user_id.in_(list(user_ids)))
    return list(db.scalars(query))


@writes
def create_drill_set(
    db: Session,
    actor: User,
    library: Library,
    cohort_id: int,
    title: str,
    items: Sequence[str],
    sessions: Sequence[str],
    due_date: date | None = None,
) -> DrillSet:
    """Give a cohort drills of these items on these sessions (its supervisors or an admin)."""
    if actor.role != "admin" and not is_cohort_supervisor(db, actor, cohort_id):
        raise PermissionDenied("Only the cohort's supervisors or an administrator may do this.")
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(f"A drill set needs a title of at most {MAX_TITLE} characters.")
    if not items or not sessions:
        raise InvalidInput("Choose at least one item and one session.")
    if unknown := [s for s in sessions if s not in library.sessions]:
        raise InvalidInput(f"Not sessions of the library: {', '.join(unknown)}.")
    known = {i.id for r in library.rubrics.values() if r.target == "session" for i in r.items}
    if unknown := [i for i in items if i not in known]:
        raise InvalidInput(f"Not rubric items: {', '.join(unknown)}.")
    drill_set = DrillSet(
        cohort_id=cohort_id,
        title=title,
        items=list(dict.fromkeys(items)),
        sessions=list(dict.fromkeys(sessions)),
        due_date=due_date,
        created_by=actor.id,
    )
    db.add(drill_set)
    db.flush()
    record(db, actor, "drill_set.create", drill_set_id=drill_set.id, cohort_id=cohort_id)
    return drill_set


@reads
def list_drill_sets(db: Session, actor: User, cohort_id: int | None = None) -> list[DrillSet]:
    """The drill sets of the actor's cohorts (every cohort's for an admin), newest first."""
    query = select(DrillSet).order_by(DrillSet.created_at.desc(), DrillSet.id.desc())
    if actor.role != "admin":
        query = query.where(DrillSet.cohort_id.in_(actor_cohorts(actor)))
    if cohort_id is not None:
        query = query.where(DrillSet.cohort_id == cohort_id)
    return list(db.scalars(query))


@reads
def cohort_member_ids(db: Session, actor: User, cohort_id: int) -> list[int]:
    """Ids of a cohort's trainees, for its supervisors and admins."""
    if actor.role != "admin" and not is_cohort_supervisor(db, actor, cohort_id):
        raise PermissionDenied("Only the cohort's supervisors or an administrator may do this.")
    query = select(Membership.user_id).join(User, User.id == Membership.user_id)
    query = query.where(Membership.cohort_id == cohort_id, User.role == "trainee")
    return list(db.scalars(query))
