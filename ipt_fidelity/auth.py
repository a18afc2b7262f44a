"""Accounts and sign-in: argon2id hashes, a password policy, roles, and DB-backed throttling.

There are no default passwords: the first admin is created once, on an empty database, with a
password the operator chooses. Sign-in attempts are counted per account and per client address
in the database (`store/throttle.py`), so a lockout holds across every replica of the app. A
password set by someone else is temporary: it works once, within `accounts.
temporary_password_hours`, and its holder must choose their own. Changing a password signs the
account's other browsers out; a reset or a deactivation signs them all out (`store/sign_ins.py`).
"""

from __future__ import annotations

import functools
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from .store.audit_log import record
from .store.errors import Conflict, InvalidInput, NotFound, PermissionDenied, StoreError
from .store.models import ROLES, Membership, User, utcnow
from .store.people import is_cohort_supervisor
from .store.permissions import require_manage_account
from .store.sign_ins import end_all_sign_ins
from .store.throttle import (
    CLIENT_FREE_FAILURES,
    FIRST_LOCK,
    FREE_FAILURES,
    LONGEST_LOCK,
    account_key,
    client_key,
    forget,
    give_back,
    lock_duration,
    reserve_attempt,
    seconds_locked,
)
from .store.transactions import reads, writes
from .training.settings import default_settings

__all__ = ["CLIENT_FREE_FAILURES", "FIRST_LOCK", "FREE_FAILURES", "LONGEST_LOCK", "lock_duration"]

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MIN_STRENGTH = 3  # zxcvbn's score, 0-4: 3 is "safely unguessable" for an online attack
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters


class SignInFailed(StoreError):
    """Wrong username or password (deliberately not saying which)."""


class SignInLocked(SignInFailed):
    """Too many failed attempts for this username; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int, source: str = "for this account"):
        self.retry_after = retry_after
        super().__init__(f"Too many failed sign-ins {source}. Try again in {retry_after} seconds.")


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return HASHER.hash(password)


def check_password_policy(password: str, username: str = "", *others: str) -> None:
    """Raise `InvalidInput`, saying why in plain words, unless the password is acceptable.

    Refused: blank or only spaces, shorter than 10 characters, one character repeated, the
    username, and anything zxcvbn (a maintained strength estimator that works offline, with
    lists of common passwords, words and names) scores below 3 of 4. `others` are further
    words a guesser would try first (the person's name).
    """
    if not password.strip():
        raise InvalidInput("A password cannot be blank or only spaces.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"A password may have at most {MAX_PASSWORD_LENGTH} characters.")
    if len(set(password)) == 1:
        raise InvalidInput("A password of one character repeated is guessed at once.")
    if username and password.strip().lower() == username.lower():
        raise InvalidInput("The password may not be the username.")
    result = zxcvbn(password[:100], user_inputs=[w for w in (username, *others) if w])
    if result["score"] < MIN_STRENGTH:
        feedback = result["feedback"]
        why = feedback.get("warning") or "This password would be easy to guess."
        tips = " ".join(feedback.get("suggestions") or [])
        raise InvalidInput(
            f"{why} {tips} A few unrelated words, or a longer phrase, make a strong one.".strip()
        )


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
def _candidate(db: Session, username: str) -> tuple[User | None, bool, str]:
    """The active user of this name, whether the name exists at all, and the hash to check."""
    existing = db.scalar(select(User).where(User.username == username))
    user = existing if existing is not None and existing.active else None
    password_hash = user.password_hash if user else _dummy_hash()
    db.rollback()  # hold no lock on the database while argon2 runs
    return user, existing is not None, password_hash


def _reserve(db: Session, client: str | None, account: str) -> None:
    """Count this attempt against the client and the account before any password is checked."""
    if client is not None and (
        wait := reserve_attempt(db, client_key(client), CLIENT_FREE_FAILURES)
    ):
        raise SignInLocked(wait, "from this address")
    if wait := reserve_attempt(db, account, FREE_FAILURES):
        raise SignInLocked(wait)


@writes
def _register_success(db: Session, user: User, password: str, client: str | None) -> None:
    forget(db, account_key(user.username, True))
    if client is not None:
        give_back(db, client_key(client))
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record(db, user, "auth.sign_in")


@writes
def _claim_temporary(db: Session, user: User) -> bool:
    """Use up a temporary password, atomically: of parallel sign-ins with it, one wins."""
    if not user.must_change_password or user.temp_password_expires_at is None:
        return True
    now = utcnow()
    claimed = db.execute(
        update(User)
        .where(
            User.id == user.id,
            User.temp_password_used_at.is_(None),
            User.temp_password_expires_at > now,
        )
        .values(temp_password_used_at=now)
    )
    return claimed.rowcount == 1


def _temporary_password_spent(user: User) -> bool:
    """Whether the user holds a temporary password that was used once already or expired."""
    if not user.must_change_password or user.temp_password_expires_at is None:
        return False
    return user.temp_password_used_at is not None or user.temp_password_expires_at <= utcnow()


def authenticate(db: Session, username: str, password: str, client: str | None = None) -> User:
    """The active user with these credentials; raises `SignInFailed` or `SignInLocked`.

    `client` is the address the attempt comes from (counted by its own, wider limit). Each
    attempt is counted before its password is checked, atomically, so parallel guesses cannot
    pass the limit. Ends any transaction open on `db`: give the sign-in a session of its own.
    """
    name = normalise_username(username)
    user, exists, password_hash = _candidate(db, name)
    account = account_key(name, exists)
    _reserve(db, client, account)
    if not _verify(password_hash, password) or user is None:
        if wait := seconds_locked(db, account):
            db.rollback()
            raise SignInLocked(wait)
        db.rollback()
        raise SignInFailed("Wrong username or password.")
    if _temporary_password_spent(user) or not _claim_temporary(db, user):
        forget(db, account)
        db.commit()
        raise SignInFailed(
            "This temporary password has expired or was used already. Ask your supervisor or "
            "an administrator for a new one."
        )
    _register_success(db, user, password, client)
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
    check_password_policy(password, name, (display_name or "").strip())
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
    if must_change_password:
        _make_temporary(user)
    if cohort_id is not None:
        db.add(Membership(cohort_id=cohort_id, user_id=user.id))
    record(db, actor, "user.create", user_id=user.id, role=role, cohort_id=cohort_id)
    return user


def _make_temporary(user: User) -> None:
    """Mark the user's password as set by someone else: one sign-in, then their own."""
    hours = default_settings().accounts.temporary_password_hours
    user.must_change_password = True
    user.temp_password_expires_at = utcnow() + timedelta(hours=hours)
    user.temp_password_used_at = None


@writes
def change_password(
    db: Session,
    actor: User,
    current_password: str,
    new_password: str,
    keep_sign_in: str | None = None,
) -> None:
    """The actor changes their own password, proving the current one.

    Every other signed-in browser of the account is signed out; the one holding the token
    `keep_sign_in` (the browser making the change) stays signed in.
    """
    user = db.get(User, actor.id, populate_existing=True)
    if user is None or not user.active:
        raise NotFound("No such user.")
    if not _verify(user.password_hash, current_password):
        raise PermissionDenied("The current password is wrong.")
    if _verify(user.password_hash, new_password):
        raise InvalidInput("Choose a password different from the current one.")
    check_password_policy(new_password, user.username, user.display_name)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.temp_password_expires_at = user.temp_password_used_at = None
    end_all_sign_ins(db, user.id, keep=keep_sign_in)
    record(db, actor, "user.change_password", user_id=user.id)


@writes
def reset_password(db: Session, actor: User, user_id: int, new_password: str | None = None) -> str:
    """Set a temporary password and sign the account out everywhere; returns the password.

    An admin may reset anyone; a supervisor only a trainee all of whose cohorts they supervise.
    """
    user = db.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    require_manage_account(db, actor, user_id)
    if user_id == actor.id:
        raise InvalidInput("Change your own password on the Account page.")
    password = new_password or generate_password()
    check_password_policy(password, user.username)
    user.password_hash = hash_password(password)
    _make_temporary(user)
    forget(db, account_key(user.username, True))
    end_all_sign_ins(db, user.id)
    record(db, actor, "user.reset_password", user_id=user_id)
    return password


@writes
def set_active(db: Session, actor: User, user_id: int, active: bool) -> None:
    """Deactivate or reactivate an account (never your own); deactivation signs it out.

    An admin may for anyone; a supervisor only for a trainee all of whose cohorts they supervise.
    """
    user = db.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound("No such user.")
    require_manage_account(db, actor, user_id)
    if user_id == actor.id:
        raise InvalidInput("You cannot deactivate your own account.")
    user.active = active
    if not active:
        end_all_sign_ins(db, user.id)
    record(db, actor, "user.set_active", user_id=user_id, active=active)
