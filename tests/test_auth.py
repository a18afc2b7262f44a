"""Sign-in, throttling, first admin, password changes and resets."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from ipt_fidelity import auth, store
from ipt_fidelity.auth import SignInFailed, SignInLocked
from ipt_fidelity.store import Conflict, InvalidInput, PermissionDenied
from ipt_fidelity.store.models import SignInThrottle, User

if TYPE_CHECKING:
    from tests.fixtures_db import People

GOOD = "a long enough secret"


def test_first_admin_only_on_an_empty_database(db: Session) -> None:
    assert not auth.has_users(db)
    admin = auth.create_first_admin(db, "  Boss ", GOOD, "The Boss")
    assert admin.username == "boss" and admin.role == "admin"
    assert admin.password_hash.startswith("$argon2id$")
    with pytest.raises(Conflict):
        auth.create_first_admin(db, "second", GOOD)
    assert auth.authenticate(db, "BOSS", GOOD).id == admin.id


@pytest.mark.parametrize(
    ("username", "password"),
    [("ok", "short"), ("bad name!", GOOD), ("x", GOOD), ("samesame12", "samesame12")],
)
def test_policy(db: Session, username: str, password: str) -> None:
    with pytest.raises(InvalidInput):
        auth.create_first_admin(db, username, password)
    assert not auth.has_users(db)


def test_wrong_password_and_unknown_user_look_alike(db: Session, people: People) -> None:
    with pytest.raises(SignInFailed) as wrong:
        auth.authenticate(db, "trainee", "not the password")
    with pytest.raises(SignInFailed) as unknown:
        auth.authenticate(db, "nobody", "not the password")
    assert str(wrong.value) == str(unknown.value) == "Wrong username or password."


def test_lockout_after_five_failures_grows_and_is_stored(engine, people: People) -> None:
    for _ in range(auth.FREE_FAILURES - 1):
        with store.open_session(engine) as db, pytest.raises(SignInFailed) as exc:
            auth.authenticate(db, "trainee", "wrong password!")
        assert not isinstance(exc.value, SignInLocked)
    with store.open_session(engine) as db, pytest.raises(SignInLocked) as locked:
        auth.authenticate(db, "trainee", "wrong password!")
    assert 25 <= locked.value.retry_after <= 30
    with store.open_session(engine) as db, pytest.raises(SignInLocked):
        auth.authenticate(db, "trainee", "correct horse battery")  # even the right password waits
    with store.open_session(engine) as db:
        row = db.get(SignInThrottle, "user:trainee")
        row.locked_until = row.last_failure_at = row.locked_until - timedelta(minutes=5)
        db.commit()
    with store.open_session(engine) as db, pytest.raises(SignInLocked) as again:
        auth.authenticate(db, "trainee", "wrong password!")
    assert 55 <= again.value.retry_after <= 60  # doubled
    assert auth.lock_duration(40) == auth.LONGEST_LOCK


def test_success_clears_failures_and_rehashes_old_parameters(db: Session, people: People) -> None:
    with pytest.raises(SignInFailed):
        auth.authenticate(db, "trainee", "wrong password!")
    old = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash("correct horse battery")
    db.get(User, people.trainee.id).password_hash = old
    db.commit()
    user = auth.authenticate(db, "trainee", "correct horse battery")
    assert db.get(SignInThrottle, "user:trainee") is None
    assert user.password_hash != old and auth.HASHER.verify(
        user.password_hash, "correct horse battery"
    )


def test_inactive_users_cannot_sign_in(db: Session, people: People) -> None:
    auth.set_active(db, people.admin, people.trainee.id, False)
    with pytest.raises(SignInFailed):
        auth.authenticate(db, "trainee", "correct horse battery")
    assert store.load_actor(db, people.trainee.id) is None


def test_change_password_needs_the_current_one(db: Session, people: People) -> None:
    with pytest.raises(PermissionDenied):
        auth.change_password(db, people.trainee, "wrong one!!", "brand new secret")
    with pytest.raises(InvalidInput):
        auth.change_password(db, people.trainee, "correct horse battery", "short")
    auth.change_password(db, people.trainee, "correct horse battery", "brand new secret")
    assert auth.authenticate(db, "trainee", "brand new secret").id == people.trainee.id


def test_reset_password_forces_a_change_and_lifts_a_lockout(db: Session, people: People) -> None:
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(SignInFailed):
            auth.authenticate(db, "trainee", "wrong password!")
    temporary = auth.reset_password(db, people.sup_a, people.trainee.id)
    assert len(temporary) >= auth.MIN_PASSWORD_LENGTH
    user = auth.authenticate(db, "trainee", temporary)
    assert user.must_change_password
    with pytest.raises(PermissionDenied):
        auth.reset_password(db, people.sup_b, people.trainee.id)
    with pytest.raises(PermissionDenied):
        auth.reset_password(db, people.sup_a, people.sup_b.id)


def test_supervisor_creates_trainees_only_in_own_cohort(db: Session, people: People) -> None:
    made = auth.create_user(
        db, people.sup_a, "new1", "trainee", GOOD, cohort_id=people.cohort_a, display_name="New"
    )
    assert made.display_name == "New"
    assert made.id in {u.id for u in store.cohort_members(db, people.sup_a, people.cohort_a)}
    with pytest.raises(PermissionDenied):
        auth.create_user(db, people.sup_a, "new2", "trainee", GOOD, cohort_id=people.cohort_b)
    with pytest.raises(PermissionDenied):
        auth.create_user(db, people.sup_a, "new3", "trainee", GOOD)
    with pytest.raises(Conflict):
        auth.create_user(db, people.admin, "NEW1", "trainee", GOOD)
    with pytest.raises(InvalidInput):
        auth.create_user(db, people.admin, "new4", "wizard", GOOD)
