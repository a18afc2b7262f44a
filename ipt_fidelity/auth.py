"""Accounts and sign-in: argon2id hashes, a password policy, roles, and DB-backed throttling.

There are no default passwords: the first admin is created once, on an empty database, with a
password the operator chooses. Failed sign-ins are counted per username in the database, so a
lockout holds across every replica of the app.
"""

from __future__ import annotations

import functools
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from .store.audit_log import record
from .store.errors import Conflict, InvalidInput, NotFound, PermissionDenied, StoreError
from .store.limits import fits
from .store.models import ROLES, Membership, SignInThrottle, User, utcnow
from .store.people import is_cohort_supervisor
from .store.permissions import require_admin, require_manage
from .store.transactions import reads, writes
from .store.upsert import dialect_insert

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
FREE_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(hours=1)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters


class SignInFailed(StoreError):
    """Wrong username or password (deliberately not saying which)."""


class SignInLocked(SignInFailed):
    """Too many failed attempts for this username; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(
            f"Too many failed sign-ins for this account. Try again in {retry_after} seconds."
        )


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return HASHER.hash(password)


def check_password_policy(password: str, username: str = "") -> None:
    """Raise `InvalidInput` unless the password is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"A password may have at most {MAX_PASSWORD_LENGTH} characters.")
    if username and password.strip().lower() == username.lower():
        raise InvalidInput("The password may not be the username.")


def generate_password() -> str:
    """A random password that meets the policy, for resets and demo accounts."""
    return secrets.token_urlsafe(12)


def normalise_username(username: str) -> str:
    """The stored form of a username: trimmed and lower-case."""
    return username.strip().lower()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown usernames, so they take as long as known ones."""
    return HASHER.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# ---------------------------------------------------------------- sign-in


@reads
def _seconds_locked(db: Session, username: str) -> int:
    row = db.get(SignInThrottle, username, populate_existing=True)
    if row is None or row.locked_until is None:
        return 0
    return max(0, int((row.locked_until - utcnow()).total_seconds() + 0.999))


def lock_duration(failures: int) -> timedelta | None:
    """How long an account stays locked after this many consecutive failures (doubling)."""
    if failures < FREE_FAILURES:
        return None
    return min(FIRST_LOCK * 2 ** (failures - FREE_FAILURES), LONGEST_LOCK)


@writes
def _register_failure(db: Session, username: str) -> None:
    now = utcnow()
    insert = dialect_insert(db, SignInThrottle).values(
        username=username, failures=1, last_failure_at=now
    )
    upsert = insert.on_conflict_do_update(
        index_elements=["username"],
        set_={"failures": SignInThrottle.failures + 1, "last_failure_at": now},
    ).returning(SignInThrottle.failures)
    failures = db.execute(upsert).scalar_one()
    if (duration := lock_duration(failures)) is not None:
        db.get(SignInThrottle, username, populate_existing=True).locked_until = now + duration


@writes
def _register_success(db: Session, user: User, password: str) -> None:
    row = db.get(SignInThrottle, user.username, populate_existing=True)
    if row is not None:
        db.delete(row)
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record(db, user, "auth.sign_in")


@reads
def _candidate(db: Session, username: str) -> tuple[User | None, str]:
    """The active user of this name and the hash to check (a dummy one for unknown names)."""
    user = db.scalar(select(User).where(User.username == username, User.active.is_(True)))
    password_hash = user.password_hash if user else _dummy_hash()
    db.rollback()  # hold no lock on the database while argon2 runs
    return user, password_hash


def authenticate(db: Session, username: str, password: str) -> User:
    """The active user with these credentials; raises `SignInFailed` or `SignInLocked`.

    Ends any transaction open on `db`: the sign-in page should give it a session of its own.
    """
    name = normalise_username(username)
    if not fits(SignInThrottle.username, name):  # longer than any username (store/limits.py)
        raise SignInFailed("Wrong username or password.")
    if wait := _seconds_locked(db, name):
        raise SignInLocked(wait)
    user, password_hash = _candidate(db, name)
    if not _verify(password_hash, password) or user is None:
        _register_failure(db, name)
        if wait := _seconds_locked(db, name):
            raise SignInLocked(wait)
        raise SignInFailed("Wrong username or password.")
    _register_success(db, user, password)
    return user


# ---------------------------------------------------------------- accounts


@reads
def has_users(db: Session) -> bool:
    """Whether any account exists (if not, the app shows its first-run screen)."""
    return bool(db.scalar(select(func.count(User.id))))


def _new_user(
    db: Session, username: str, role: str, password: str, display_name: str | None
) -> User:
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise InvalidInput(
            "A username has 2-64 characters: letters, digits, '.', '_', '-' or '@', "
            "starting with a letter or digit."
        )
    if role not in ROLES:
        raise InvalidInput(f"A role is one of: {', '.join(ROLES)}.")
    check_password_policy(password, name)
    if db.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(f"The username {name!r} is taken.")
    user = User(
        username=name,
        display_name=(display_name or "").strip() or name,
        role=role,
        password_hash=hash_password(password),
    )
    db.add(user)
    db.flush()
    return user


@writes
def create_first_admin(
    db: Session, username: str, password: str, display_name: str | None = None
) -> User:
    """The first account, an admin; refused once any account exists."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
    if db.scalar(select(func.count(User.id))):
        raise Conflict("An administrator exists already; sign in instead.")
    user = _new_user(db, username, "admin", password, display_name)
    record(db, user, "user.create_first_admin", user_id=user.id)
    return user


@writes
def create_user(
    db: Session,
    actor: User | None,
    username: str,
    role: str,
    password: str,
    *,
    display_name: str | None = None,
    cohort_id: int | None = None,
    must_change_password: bool = False,
) -> User:
    """A new account: admins create any role; supervisors create trainees in their cohorts.

    `actor` None is the operator at the command line, who has the database in hand anyway.
    """
    if actor is not None and actor.role == "supervisor":
        if role != "trainee":
            raise PermissionDenied("Supervisors may create trainee accounts only.")
        if cohort_id is None or not is_cohort_supervisor(db, actor, cohort_id):
            raise PermissionDenied("Choose one of your cohorts for the new trainee.")
    elif actor is not None and actor.role != "admin":
        raise PermissionDenied("Only supervisors and administrators create accounts.")
    user = _new_user(db, username, role, password, display_name)
    user.must_change_password = must_change_password
    if cohort_id is not None:
        db.add(Membership(cohort_id=cohort_id, user_id=user.id))
    record(db, actor, "user.create", user_id=user.id, role=role, cohort_id=cohort_id)
    return user


@writes
def change_password(db: Session, actor: User, current_password: str, new_password: str) -> None:
    """The actor changes their own password, proving the current one."""
    user = db.get(User, actor.id, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    if not _verify(user.password_hash, current_password):
        raise PermissionDenied("The current password is wrong.")
    check_password_policy(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    record(db, actor, "user.change_password", user_id=user.id)


@writes
def reset_password(db: Session, actor: User, user_id: int, new_password: str | None = None) -> str:
    """Set a temporary password (a trainee's supervisor, or an admin); returns it."""
    user = db.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    if actor.role != "admin":
        require_manage(db, actor, user_id)
    password = new_password or generate_password()
    check_password_policy(password, user.username)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    db.execute(SignInThrottle.__table__.delete().where(SignInThrottle.username == user.username))
    record(db, actor, "user.reset_password", user_id=user_id)
    return password


@writes
def set_active(db: Session, actor: User, user_id: int, active: bool) -> None:
    """Deactivate or reactivate an account (admins only; never your own)."""
    require_admin(actor)
    if user_id == actor.id:
        raise InvalidInput("You cannot deactivate your own account.")
    user = db.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    user.active = active
    record(db, actor, "user.set_active", user_id=user_id, active=active)
