"""Every role against every read and write the store offers, on the trainee's work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ipt_fidelity import auth, store
from ipt_fidelity.content.library import Library
from ipt_fidelity.demo import seed_demo
from ipt_fidelity.store import NotFound, PermissionDenied, ScoreEntry, User, analytics
from ipt_fidelity.store.exchange import export_rows, import_ratings
from tests.fixtures_db import (
    PASSWORD,
    Databases,
    People,
    default_backend,
    load_people,
    make_people,
    mini_library,
)

library = mini_library()

ACTORS = ("admin", "sup_a", "sup_b", "trainee", "peer")


@dataclass
class Work:
    """The trainee's work the actors try to read and change."""

    draft_id: int
    submitted_id: int
    upload_id: str
    library: Library
    shared_id: int  # a trainee an admin placed in both cohorts A and B


def make_work(db: Session, p: People, library: Library) -> Work:
    draft = store.get_or_create_draft(db, p.trainee, library, "mini-session")
    store.save_item_score(db, p.trainee, library, draft.id, "focus", ScoreEntry(2))
    store.save_item_score(
        db, p.trainee, library, draft.id, "grief_work", ScoreEntry(None, not_applicable=True)
    )
    done = store.get_or_create_draft(db, p.trainee, library, "other-session")
    store.save_item_score(db, p.trainee, library, done.id, "focus", ScoreEntry(3))
    store.save_item_score(
        db, p.trainee, library, done.id, "grief_work", ScoreEntry(None, not_applicable=True)
    )
    store.submit_rating(db, p.trainee, library, done.id)
    store.record_attempt(db, p.trainee, "mini-case", primary_area="grief", feedback={})
    store.record_decision(db, p.sup_a, p.trainee.id, "not_yet", "keep going")
    store.create_assignment(
        db, p.sup_a, kind="rate", target_id="mini-session", rubric_id="mini", user_id=p.trainee.id
    )
    upload = store.add_imported_session(
        db,
        p.sup_a,
        title="Real session",
        therapist_id="T-01",
        phase="middle",
        session_number=3,
        rubric_id="mini",
        turns=[{"n": 1, "speaker": "therapist", "text": "Hello."}],
        original=b"raw transcript",
        original_filename="raw.txt",
    )
    shared = auth.create_user(db, p.admin, "shared", "trainee", PASSWORD)
    store.add_member(db, p.admin, p.cohort_a, shared.id)
    store.add_member(db, p.admin, p.cohort_b, shared.id)
    return Work(draft.id, done.id, upload.id, library, shared.id)


Op = Callable[[Session, User, People, Work], Any]


def _ids(rows: list[Any]) -> set[Any]:
    return {row.id for row in rows}


def _check(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("hidden by the query")


READS: dict[str, tuple[Op, set[str]]] = {
    "get draft rating": (
        lambda db, a, p, w: store.get_rating(db, a, w.draft_id),
        {"admin", "sup_a", "trainee"},
    ),
    "get submitted rating": (
        lambda db, a, p, w: store.get_rating(db, a, w.submitted_id),
        {"admin", "sup_a", "trainee"},
    ),
    "get item scores": (
        lambda db, a, p, w: store.get_scores(db, a, w.draft_id),
        {"admin", "sup_a", "trainee"},
    ),
    "list ratings": (
        lambda db, a, p, w: _check(w.draft_id in _ids(store.list_ratings(db, a))),
        {"admin", "sup_a", "trainee"},
    ),
    "list formulation attempts": (
        lambda db, a, p, w: _check(bool(store.list_attempts(db, a, user_id=p.trainee.id))),
        {"admin", "sup_a", "trainee"},
    ),
    "list decisions": (
        lambda db, a, p, w: _check(bool(store.list_decisions(db, a, p.trainee.id))),
        {"admin", "sup_a", "trainee"},
    ),
    "list assignments": (
        lambda db, a, p, w: _check(
            any(x.user_id == p.trainee.id for x in store.list_assignments(db, a))
        ),
        {"admin", "sup_a", "trainee"},
    ),
    "get user": (
        lambda db, a, p, w: store.get_user(db, a, p.trainee.id),
        {"admin", "sup_a", "trainee"},
    ),
    "list users": (
        lambda db, a, p, w: _check(p.trainee.id in _ids(store.list_users(db, a))),
        {"admin", "sup_a", "trainee"},
    ),
    "can read user": (
        lambda db, a, p, w: _check(store.can_read_user(db, a, p.trainee.id)),
        {"admin", "sup_a", "trainee"},
    ),
    "cohort members": (
        lambda db, a, p, w: store.cohort_members(db, a, p.cohort_a),
        {"admin", "sup_a"},
    ),
    "list cohorts": (
        lambda db, a, p, w: _check(p.cohort_a in _ids(store.list_cohorts(db, a))),
        {"admin", "sup_a", "trainee", "peer"},
    ),
    "cohort item ratings": (
        lambda db, a, p, w: _check(
            not analytics.cohort_item_ratings(db, a, p.cohort_a, "mini")
            .query("rater == 'trainee'")
            .empty
        ),
        {"admin", "sup_a", "trainee"},
    ),
    "submission marker": (
        lambda db, a, p, w: _check(
            analytics.latest_submission_marker(db, a, p.cohort_a, "mini")[1] > 0
        ),
        {"admin", "sup_a", "trainee"},
    ),
    "get uploaded session": (
        lambda db, a, p, w: store.get_imported_session(db, a, w.upload_id),
        {"admin", "sup_a"},
    ),
    "list uploaded sessions": (
        lambda db, a, p, w: _check(w.upload_id in _ids(store.list_imported_sessions(db, a))),
        {"admin", "sup_a"},
    ),
    "read original upload": (
        lambda db, a, p, w: store.read_original(db, a, w.upload_id),
        {"admin", "sup_a"},
    ),
    "audit log": (lambda db, a, p, w: store.list_audit(db, a), {"admin"}),
    "export ratings": (
        lambda db, a, p, w: _check(any(r["rater"] == "trainee" for r in export_rows(db, a))),
        {"admin", "sup_a", "trainee"},
    ),
    "see own reference of a rated session": (
        lambda db, a, p, w: _check(store.can_see_reference(db, a, library, "other-session")),
        {"admin", "sup_a", "sup_b", "trainee"},
    ),
    "see own case key after an attempt": (
        lambda db, a, p, w: _check(store.can_see_case_key(db, a, "mini-case")),
        {"admin", "sup_a", "sup_b", "trainee"},
    ),
    "can manage trainee": (
        lambda db, a, p, w: _check(store.can_manage(db, a, p.trainee.id)),
        {"admin", "sup_a"},
    ),
}

WRITES: dict[str, tuple[Op, set[str]]] = {
    "create own draft": (
        lambda db, a, p, w: store.get_or_create_draft(db, a, library, "mini-session"),
        set(ACTORS),
    ),
    "save item score": (
        lambda db, a, p, w: store.save_item_score(
            db, a, library, w.draft_id, "focus", ScoreEntry(3)
        ),
        {"trainee"},
    ),
    "submit rating": (
        lambda db, a, p, w: store.submit_rating(db, a, library, w.draft_id),
        {"trainee"},
    ),
    "reopen rating": (
        lambda db, a, p, w: store.reopen_rating(db, a, w.submitted_id, "typo in item 3"),
        {"admin", "sup_a"},
    ),
    "record formulation attempt": (
        lambda db, a, p, w: store.record_attempt(
            db, a, "mini-case", primary_area="grief", feedback={}
        ),
        {"trainee", "peer"},  # formulation practice is a trainee's, and only their own
    ),
    "record certification decision": (
        lambda db, a, p, w: store.record_decision(db, a, p.trainee.id, "certified"),
        {"admin", "sup_a"},
    ),
    "assign to the trainee": (
        lambda db, a, p, w: store.create_assignment(
            db, a, kind="formulate", target_id="mini-case", user_id=p.trainee.id
        ),
        {"admin", "sup_a"},
    ),
    "assign to cohort A": (
        lambda db, a, p, w: store.create_assignment(
            db, a, kind="formulate", target_id="mini-case", cohort_id=p.cohort_a
        ),
        {"admin", "sup_a"},
    ),
    "upload a session": (
        lambda db, a, p, w: store.add_imported_session(
            db,
            a,
            title="t",
            therapist_id="T-02",
            phase="initial",
            session_number=1,
            rubric_id="mini",
            turns=[{"n": 1, "speaker": "client", "text": "Hi."}],
        ),
        {"admin", "sup_a", "sup_b"},
    ),
    "create a trainee in cohort A": (
        lambda db, a, p, w: auth.create_user(
            db, a, "newbie", "trainee", PASSWORD, cohort_id=p.cohort_a
        ),
        {"admin", "sup_a"},
    ),
    "create a supervisor": (
        lambda db, a, p, w: auth.create_user(db, a, "newsup", "supervisor", PASSWORD),
        {"admin"},
    ),
    "create an admin": (
        lambda db, a, p, w: auth.create_user(db, a, "newadmin", "admin", PASSWORD),
        {"admin"},
    ),
    "create a cohort": (
        lambda db, a, p, w: store.create_cohort(db, a, "Cohort C"),
        {"admin", "sup_a", "sup_b"},
    ),
    # Account rules: moving a trainee between supervisors, resets and deactivation belong to
    # an admin or to a supervisor of every cohort the person is in.
    "add the outsider (B's trainee) to cohort A": (
        lambda db, a, p, w: store.add_member(db, a, p.cohort_a, p.outsider.id),
        {"admin"},
    ),
    "add the shared trainee to a new cohort of A": (
        lambda db, a, p, w: store.add_member(
            db, a, store.create_cohort(db, p.sup_a, "Cohort A2").id, w.shared_id
        ),
        {"admin"},
    ),
    "move the trainee into A's second cohort": (
        lambda db, a, p, w: store.add_member(
            db, a, store.create_cohort(db, p.sup_a, "Cohort A2").id, p.trainee.id
        ),
        {"admin", "sup_a"},  # sup_a supervises every cohort the trainee is in
    ),
    "reset the outsider's password": (
        lambda db, a, p, w: auth.reset_password(db, a, p.outsider.id),
        {"admin", "sup_b"},
    ),
    "reset the shared trainee's password": (
        lambda db, a, p, w: auth.reset_password(db, a, w.shared_id),
        {"admin"},
    ),
    "reset supervisor B's password": (
        lambda db, a, p, w: auth.reset_password(db, a, p.sup_b.id),
        {"admin"},
    ),
    "deactivate the shared trainee": (
        lambda db, a, p, w: auth.set_active(db, a, w.shared_id, False),
        {"admin"},
    ),
    "deactivate supervisor A": (
        lambda db, a, p, w: auth.set_active(db, a, p.sup_a.id, False),
        {"admin"},
    ),
    "remove the trainee from cohort A": (
        lambda db, a, p, w: store.remove_member(db, a, p.cohort_a, p.trainee.id),
        {"admin", "sup_a"},
    ),
    "add supervisor B to cohort A": (
        lambda db, a, p, w: store.add_member(db, a, p.cohort_a, p.sup_b.id),
        {"admin"},
    ),
    "reset the trainee's password": (
        lambda db, a, p, w: auth.reset_password(db, a, p.trainee.id),
        {"admin", "sup_a"},
    ),
    "import ratings": (
        lambda db, a, p, w: import_ratings(
            db,
            [
                {
                    "rater": "peer",
                    "session": "mini-session",
                    "rubric": "mini",
                    "item": item,
                    "score": score,
                }
                for item, score in (("focus", "2"), ("grief_work", "na"))
            ],
            w.library,
            actor=a,
        ),
        {"admin"},
    ),
    "seed the demo cohort": (lambda db, a, p, w: seed_demo(db, w.library, actor=a), {"admin"}),
    "deactivate the trainee": (
        lambda db, a, p, w: auth.set_active(db, a, p.trainee.id, False),
        {"admin", "sup_a"},
    ),
}

CASES = [
    pytest.param(op, actor, actor in allowed, id=f"{op}-{actor}")
    for table in (READS, WRITES)
    for op, (_, allowed) in table.items()
    for actor in ACTORS
]


@pytest.fixture(scope="module")
def populated(databases: Databases) -> Iterator[tuple[str, Work]]:
    """One database holding the cast and the trainee's work, built once for the whole matrix."""
    url = databases.fresh(default_backend())
    engine = store.make_engine(url)
    with store.open_session(engine) as db:
        work = make_work(db, make_people(db), library)
    engine.dispose()
    yield url, work
    databases.drop(url)


@pytest.fixture
def matrix(
    databases: Databases, populated: tuple[str, Work]
) -> Iterator[tuple[Session, People, Work]]:
    """A private copy of the populated database for one case of the matrix."""
    template, work = populated
    url = databases.clone(template)
    engine = store.make_engine(url)
    with store.open_session(engine) as db:
        yield db, load_people(db), work
    engine.dispose()
    databases.drop(url)


@pytest.mark.parametrize(("op", "actor", "allowed"), CASES)
def test_permission_matrix(
    matrix: tuple[Session, People, Work], op: str, actor: str, allowed: bool
) -> None:
    db, people, work = matrix
    call = {**READS, **WRITES}[op][0]
    if allowed:
        call(db, people.by_name(actor), people, work)
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            call(db, people.by_name(actor), people, work)
