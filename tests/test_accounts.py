"""Account rules tried as attacks, on SQLite and PostgreSQL: taking over another supervisor's
trainee, reusing or outliving a temporary password, keeping a session after a password change,
reset or deactivation, and weak passwords."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipt_fidelity import auth, store
from ipt_fidelity.auth import SignInFailed
from ipt_fidelity.store import InvalidInput, NotFound, PermissionDenied
from ipt_fidelity.store.models import AuditEntry, User, utcnow
from ipt_fidelity.store.sign_ins import end_sign_in, open_sign_in, resume_sign_in
from tests.fixtures_db import PASSWORD, People, make_people

IDLE = timedelta(hours=8)


@pytest.fixture
def any_db(any_url: str) -> Iterator[Session]:
    engine = store.make_engine(any_url)
    with store.open_session(engine) as db:
        yield db
    engine.dispose()


@pytest.fixture
def cast(any_db: Session) -> People:
    return make_people(any_db)


def _actions(db: Session) -> list[str]:
    return [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]


# ---------------------------------------------------------------- 5: no takeover


def test_supervisor_b_cannot_take_over_supervisor_as_trainee(any_db: Session, cast: People):
    db, p = any_db, cast
    with pytest.raises(PermissionDenied, match="administrator"):
        store.add_member(db, p.sup_b, p.cohort_b, p.trainee.id)
    with pytest.raises(NotFound):
        store.get_user(db, p.sup_b, p.trainee.id)  # still not B's to read
    with pytest.raises(PermissionDenied):
        auth.reset_password(db, p.sup_b, p.trainee.id)
    with pytest.raises(PermissionDenied):
        auth.set_active(db, p.sup_b, p.trainee.id, False)
    # B's own cohort, a new one: still refused
    cohort_c = store.create_cohort(db, p.sup_b, "Cohort C").id
    with pytest.raises(PermissionDenied):
        store.add_member(db, p.sup_b, cohort_c, p.trainee.id)


def test_moving_a_trainee_is_an_admin_act_and_audited(any_db: Session, cast: People):
    db, p = any_db, cast
    store.add_member(db, p.admin, p.cohort_b, p.trainee.id)
    store.remove_member(db, p.admin, p.cohort_a, p.trainee.id)
    assert store.get_user(db, p.sup_b, p.trainee.id).id == p.trainee.id
    with pytest.raises(NotFound):
        store.get_user(db, p.sup_a, p.trainee.id)
    assert _actions(db)[-2:] == ["cohort.add_member", "cohort.remove_member"]


def test_a_shared_trainee_is_reset_or_deactivated_by_an_admin_only(any_db: Session, cast: People):
    db, p = any_db, cast
    store.add_member(db, p.admin, p.cohort_b, p.trainee.id)  # now in A and B
    for sup in (p.sup_a, p.sup_b):
        with pytest.raises(PermissionDenied):
            auth.reset_password(db, sup, p.trainee.id)
        with pytest.raises(PermissionDenied):
            auth.set_active(db, sup, p.trainee.id, False)
    auth.reset_password(db, p.admin, p.trainee.id)
    auth.set_active(db, p.admin, p.trainee.id, False)
    assert _actions(db)[-2:] == ["user.reset_password", "user.set_active"]


def test_own_supervisor_resets_and_deactivates_with_an_audit_entry(any_db: Session, cast: People):
    db, p = any_db, cast
    auth.reset_password(db, p.sup_a, p.trainee.id)
    auth.set_active(db, p.sup_a, p.trainee.id, False)
    entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2)))
    assert [(e.action, e.actor_id) for e in entries] == [
        ("user.set_active", p.sup_a.id),
        ("user.reset_password", p.sup_a.id),
    ]


# ---------------------------------------------------------------- 6: temporary passwords


def test_temporary_password_works_once(any_db: Session, cast: People):
    db, p = any_db, cast
    temporary = auth.reset_password(db, p.admin, p.trainee.id)
    user = auth.authenticate(db, "trainee", temporary)
    assert user.must_change_password
    with pytest.raises(SignInFailed, match="expired or was used"):
        auth.authenticate(db, "trainee", temporary)
    auth.change_password(db, user, temporary, "a fresh phrase of mine")
    assert not auth.authenticate(db, "trainee", "a fresh phrase of mine").must_change_password


def test_parallel_sign_ins_with_one_temporary_password_let_one_in(any_url: str, cast: People):
    """Ten browsers racing with the same temporary password: exactly one gets in."""
    import threading

    engine = store.make_engine(any_url)
    with store.open_session(engine) as db:
        temporary = auth.reset_password(db, cast.admin, cast.trainee.id)
    start, won, lost = threading.Barrier(4), [], []

    def race() -> None:
        start.wait()
        with store.open_session(engine) as db:
            try:
                won.append(auth.authenticate(db, "trainee", temporary))
            except Exception as failed:  # anything but SignInFailed fails the test below
                lost.append(failed)

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert len(won) == 1 and len(lost) == 3, lost
    assert all(isinstance(failed, SignInFailed) for failed in lost), lost


def test_temporary_password_expires(any_db: Session, cast: People):
    db, p = any_db, cast
    temporary = auth.reset_password(db, p.admin, p.trainee.id)
    user = db.get(User, p.trainee.id)
    assert user.temp_password_expires_at - utcnow() > timedelta(hours=23)
    user.temp_password_expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    with pytest.raises(SignInFailed, match="expired"):
        auth.authenticate(db, "trainee", temporary)


def test_new_accounts_get_a_temporary_password(any_db: Session, cast: People):
    db, p = any_db, cast
    made = auth.create_user(
        db,
        p.sup_a,
        "fresh",
        "trainee",
        "tempo pass word 99",
        cohort_id=p.cohort_a,
        must_change_password=True,
    )
    assert made.temp_password_expires_at is not None
    auth.authenticate(db, "fresh", "tempo pass word 99")
    with pytest.raises(SignInFailed):
        auth.authenticate(db, "fresh", "tempo pass word 99")


# ---------------------------------------------------------------- 7: sessions end


def test_password_change_ends_every_other_sign_in(any_db: Session, cast: People):
    db, p = any_db, cast
    here, there = open_sign_in(db, p.trainee), open_sign_in(db, p.trainee)
    other_user = open_sign_in(db, p.peer)
    auth.change_password(db, p.trainee, PASSWORD, "another long phrase", keep_sign_in=here)
    assert resume_sign_in(db, here, IDLE).user.id == p.trainee.id
    assert resume_sign_in(db, there, IDLE) is None
    assert resume_sign_in(db, other_user, IDLE) is not None


def test_reset_and_deactivation_end_every_sign_in(any_db: Session, cast: People):
    db, p = any_db, cast
    one, two = open_sign_in(db, p.trainee), open_sign_in(db, p.peer)
    auth.reset_password(db, p.sup_a, p.trainee.id)
    assert resume_sign_in(db, one, IDLE) is None
    auth.set_active(db, p.admin, p.peer.id, False)
    assert resume_sign_in(db, two, IDLE) is None
    auth.set_active(db, p.admin, p.peer.id, True)  # reactivation does not revive old tokens
    assert resume_sign_in(db, two, IDLE) is None


def test_sign_out_and_idle_time_end_a_sign_in(any_db: Session, cast: People):
    db, p = any_db, cast
    token = open_sign_in(db, p.trainee)
    assert resume_sign_in(db, token, IDLE) is not None
    assert resume_sign_in(db, token, timedelta(0)) is None  # idle for longer than allowed
    assert resume_sign_in(db, "not-a-token", IDLE) is None
    end_sign_in(db, token)
    assert resume_sign_in(db, token, IDLE) is None


# ---------------------------------------------------------------- 9: password policy


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("", "blank"),
        ("            ", "blank"),
        ("aaaaaaaaaaaa", "one character repeated"),
        ("trainee2024!", "easy to guess"),
        ("password123", "common"),
        ("qwertyuiop12", "common"),
        ("short", "at least 10"),
    ],
)
def test_weak_passwords_are_refused_in_plain_words(
    any_db: Session, cast: People, password: str, why: str
):
    with pytest.raises(InvalidInput, match=f"(?i){why}"):
        auth.change_password(any_db, cast.trainee, PASSWORD, password)
    assert auth.authenticate(any_db, "trainee", PASSWORD)  # unchanged


def test_policy_messages_say_why() -> None:
    for password, words in (
        ("", "blank"),
        ("aaaaaaaaaaaa", "repeated"),
        ("password123", "common"),
    ):
        with pytest.raises(InvalidInput, match=words):
            auth.check_password_policy(password, "someone")
    auth.check_password_policy(auth.generate_password(), "someone")
