"""Users and cohorts as the acting user may see and change them (accounts themselves: `auth`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .audit_log import record
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .models import Cohort, Membership, User
from .permissions import actor_cohorts, require_manage_account, user_readable
from .transactions import reads, writes


@reads
def load_actor(db: Session, user_id: int) -> User | None:
    """The signed-in user, re-read on each page run (None once deactivated or deleted)."""
    return db.scalar(select(User).where(User.id == user_id, User.active.is_(True)))


@reads
def get_user(db: Session, actor: User, user_id: int) -> User:
    """A user whose work the actor may read."""
    user = db.scalar(select(User).where(User.id == user_id, user_readable(actor, User.id)))
    if user is None:
        raise NotFound("No such user, or not one you can see.")
    return user


@reads
def list_users(db: Session, actor: User, role: str | None = None) -> list[User]:
    """The users the actor may see (admin: all; supervisor: their cohorts; trainee: self)."""
    query = select(User).where(user_readable(actor, User.id)).order_by(User.username)
    if role is not None:
        query = query.where(User.role == role)
    return list(db.scalars(query))


@reads
def list_cohorts(db: Session, actor: User) -> list[Cohort]:
    """Every cohort for an admin; the cohorts the actor belongs to for anyone else."""
    query = select(Cohort).order_by(Cohort.name)
    if actor.role != "admin":
        query = query.where(Cohort.id.in_(actor_cohorts(actor)))
    return list(db.scalars(query))


@reads
def cohort_members(db: Session, actor: User, cohort_id: int) -> list[User]:
    """The members of a cohort, for its supervisors and admins."""
    _require_cohort_staff(db, actor, cohort_id)
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort_id)
        .order_by(User.role, User.username)
    )
    return list(db.scalars(query))


@reads
def is_cohort_supervisor(db: Session, actor: User, cohort_id: int) -> bool:
    """Whether the actor is a supervisor member of this cohort."""
    if actor.role != "supervisor":
        return False
    query = select(Membership.user_id).where(
        Membership.cohort_id == cohort_id, Membership.user_id == actor.id
    )
    return db.scalar(query) is not None


def _require_cohort_staff(db: Session, actor: User, cohort_id: int) -> None:
    if db.get(Cohort, cohort_id) is None:
        raise NotFound("No such cohort.")
    if actor.role != "admin" and not is_cohort_supervisor(db, actor, cohort_id):
        raise PermissionDenied("Only the cohort's supervisors or an administrator may do this.")


@writes
def create_cohort(db: Session, actor: User, name: str, description: str = "") -> Cohort:
    """A new cohort: an admin creates any; a supervisor creates one and supervises it."""
    if actor.role not in ("admin", "supervisor"):
        raise PermissionDenied("Only supervisors and administrators create cohorts.")
    name = name.strip()
    if not name:
        raise InvalidInput("A cohort needs a name.")
    if db.scalar(select(Cohort.id).where(Cohort.name == name)) is not None:
        raise Conflict(f"A cohort named {name!r} exists already.")
    cohort = Cohort(name=name, description=description)
    db.add(cohort)
    db.flush()
    if actor.role == "supervisor":
        db.add(Membership(cohort_id=cohort.id, user_id=actor.id))
    record(db, actor, "cohort.create", cohort_id=cohort.id, name=name)
    return cohort


@writes
def add_member(db: Session, actor: User, cohort_id: int, user_id: int) -> None:
    """Put a user in a cohort: admins add anyone; a cohort's supervisors add trainees.

    A supervisor may add only a trainee all of whose cohorts they supervise already (moving
    one of their own trainees between their cohorts): taking over another supervisor's trainee,
    or placing someone who is in no cohort, is an administrator's act.
    """
    _require_cohort_staff(db, actor, cohort_id)
    user = db.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    if actor.role != "admin" and user.role != "trainee":
        raise PermissionDenied("Only an administrator may add supervisors to a cohort.")
    require_manage_account(db, actor, user_id)
    if db.get(Membership, (cohort_id, user_id), populate_existing=True) is None:
        db.add(Membership(cohort_id=cohort_id, user_id=user_id))
        record(db, actor, "cohort.add_member", cohort_id=cohort_id, user_id=user_id)


@writes
def remove_member(db: Session, actor: User, cohort_id: int, user_id: int) -> None:
    """Take a user out of a cohort (admins, or the cohort's supervisors for trainees)."""
    _require_cohort_staff(db, actor, cohort_id)
    membership = db.get(Membership, (cohort_id, user_id), populate_existing=True)
    if membership is None:
        raise NotFound("That user is not in this cohort.")
    user = db.get(User, user_id, populate_existing=True)
    if actor.role != "admin" and (user is None or user.role != "trainee"):
        raise PermissionDenied("Only an administrator may remove supervisors from a cohort.")
    db.delete(membership)
    record(db, actor, "cohort.remove_member", cohort_id=cohort_id, user_id=user_id)
