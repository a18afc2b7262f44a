"""Who may read and change what, as SQL conditions the queries apply and as checks that raise.

Trainees read their own work; after submitting their own rating of a session they also read the
submitted ratings of that session by people who share a cohort with them. Supervisors read the
work of the members of their cohorts. Admins read everything.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, true
from sqlalchemy.orm import Session, aliased

from .errors import PermissionDenied
from .models import Assignment, ImportedSession, Membership, Rating, User
from .transactions import reads


def require_admin(actor: User) -> None:
    """Raise unless the actor is an admin."""
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator may do this.")


def require_staff(actor: User) -> None:
    """Raise unless the actor is a supervisor or an admin."""
    if actor.role not in ("admin", "supervisor"):
        raise PermissionDenied("Only a supervisor or an administrator may do this.")


def actor_cohorts(actor: User) -> Select[tuple[int]]:
    """The ids of the cohorts the actor belongs to."""
    return select(Membership.cohort_id).where(Membership.user_id == actor.id)


def cohort_mate_ids(actor: User) -> Select[tuple[int]]:
    """Ids of the members of the actor's cohorts (for a supervisor: the people they supervise)."""
    return select(Membership.user_id).where(Membership.cohort_id.in_(actor_cohorts(actor)))


def user_readable(actor: User, user_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Condition: the work of the user in `user_id` is readable by the actor."""
    if actor.role == "admin":
        return true()
    if actor.role == "supervisor":
        return or_(user_id == actor.id, user_id.in_(cohort_mate_ids(actor)))
    return user_id == actor.id


def rating_readable(actor: User) -> ColumnElement[bool]:
    """Condition on `Rating`: readable by the actor (trainees: own, or peers' after submitting)."""
    if actor.role != "trainee":
        return user_readable(actor, Rating.rater_id)
    own = aliased(Rating)
    submitted_own = exists().where(
        own.rater_id == actor.id,
        own.session_id == Rating.session_id,
        own.status == "submitted",
    )
    return or_(
        Rating.rater_id == actor.id,
        and_(
            Rating.status == "submitted",
            submitted_own,
            Rating.rater_id.in_(cohort_mate_ids(actor)),
        ),
    )


def imported_session_readable(actor: User) -> ColumnElement[bool]:
    """Condition on `ImportedSession`: uploaded by someone the actor reads, or assigned to them."""
    if actor.role == "admin":
        return true()
    assigned = exists().where(
        Assignment.kind == "rate",
        Assignment.target_id == ImportedSession.id,
        or_(Assignment.user_id == actor.id, Assignment.cohort_id.in_(actor_cohorts(actor))),
    )
    return or_(user_readable(actor, ImportedSession.created_by), assigned)


@reads
def can_manage(db: Session, actor: User, user_id: int) -> bool:
    """Whether the actor may act on this user's behalf as their supervisor (or as an admin)."""
    if actor.role == "admin":
        return True
    if actor.role != "supervisor":
        return False
    query = select(User.role).where(User.id == user_id, User.id.in_(cohort_mate_ids(actor)))
    return db.scalar(query) == "trainee"


def require_manage(db: Session, actor: User, user_id: int) -> None:
    """Raise unless the actor supervises this trainee or is an admin."""
    if not can_manage(db, actor, user_id):
        raise PermissionDenied("Only this trainee's supervisor or an administrator may do this.")


@reads
def can_manage_account(db: Session, actor: User, user_id: int) -> bool:
    """Whether the actor may place, reset or deactivate this account.

    Admins may, for anyone. A supervisor may only for a trainee who is in at least one cohort
    and in no cohort the supervisor is not a member of: a trainee shared with another
    supervisor, or in no cohort at all, is the administrator's to move or reset.
    """
    if actor.role == "admin":
        return True
    if actor.role != "supervisor":
        return False
    role = db.scalar(select(User.role).where(User.id == user_id))
    if role != "trainee":
        return False
    cohorts = set(db.scalars(select(Membership.cohort_id).where(Membership.user_id == user_id)))
    mine = set(db.scalars(actor_cohorts(actor)))
    return bool(cohorts) and cohorts <= mine


def require_manage_account(db: Session, actor: User, user_id: int) -> None:
    """Raise unless the actor supervises every cohort of this trainee, or is an admin."""
    if not can_manage_account(db, actor, user_id):
        raise PermissionDenied(
            "Only an administrator, or a supervisor of every cohort this person is in, may do "
            "this. Ask an administrator to move a trainee between supervisors."
        )


@reads
def can_read_user(db: Session, actor: User, user_id: int) -> bool:
    """Whether the actor may read this user's work."""
    query = select(User.id).where(User.id == user_id, user_readable(actor, User.id))
    return db.scalar(query) is not None
