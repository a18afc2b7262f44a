"""Ratings: drafts survive, submitted ratings are immutable, reopening is audited, peers unlock."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from ipt_fidelity import store
from ipt_fidelity.store import Conflict, InvalidInput, PermissionDenied, ScoreEntry, analytics
from tests.fixtures_db import mini_library

library = mini_library()

if TYPE_CHECKING:
    from tests.fixtures_db import People


def _rate(db: Session, user: store.User, session_id: str = "mini-session", score: int = 2) -> int:
    rating = store.get_or_create_draft(db, user, library, session_id)
    store.save_item_score(db, user, library, rating.id, "focus", ScoreEntry(score, evidence=[1, 3]))
    store.save_item_score(
        db, user, library, rating.id, "grief_work", ScoreEntry(None, not_applicable=True)
    )
    store.submit_rating(db, user, library, rating.id)
    return rating.id


def test_draft_survives_a_new_session(engine, people: People) -> None:
    with store.open_session(engine) as db:
        rating = store.get_or_create_draft(db, people.trainee, library, "mini-session")
        store.save_item_score(
            db, people.trainee, library, rating.id, "focus", ScoreEntry(2, comment="first")
        )
        store.save_item_score(
            db, people.trainee, library, rating.id, "focus", ScoreEntry(3, evidence=[3, 1, 1])
        )
    with store.open_session(engine) as db:
        again = store.get_or_create_draft(db, people.trainee, library, "mini-session")
        scores = store.get_scores(db, people.trainee, again.id)
    assert again.id == rating.id and again.status == "draft"
    assert scores["focus"].score == 3 and scores["focus"].evidence == [1, 3]
    assert again.updated_at.tzinfo is not None


def test_submit_needs_every_required_item(db: Session, people: People) -> None:
    rating = store.get_or_create_draft(db, people.trainee, library, "mini-session")
    store.save_item_score(db, people.trainee, library, rating.id, "focus", ScoreEntry(2))
    with pytest.raises(InvalidInput, match="grief_work"):
        store.submit_rating(db, people.trainee, library, rating.id)
    assert store.get_rating(db, people.trainee, rating.id).status == "draft"


def test_score_and_na_are_exclusive(db: Session, people: People) -> None:
    rating = store.get_or_create_draft(db, people.trainee, library, "mini-session")
    with pytest.raises(InvalidInput):
        store.save_item_score(
            db, people.trainee, library, rating.id, "focus", ScoreEntry(2, not_applicable=True)
        )


def test_submitted_rating_is_immutable_until_reopened(db: Session, people: People) -> None:
    rating_id = _rate(db, people.trainee)
    with pytest.raises(Conflict):
        store.save_item_score(db, people.trainee, library, rating_id, "focus", ScoreEntry(1))
    with pytest.raises(Conflict):
        store.submit_rating(db, people.trainee, library, rating_id)
    with pytest.raises(PermissionDenied):
        store.reopen_rating(db, people.trainee, rating_id, "I changed my mind")
    with pytest.raises(InvalidInput):
        store.reopen_rating(db, people.sup_a, rating_id, "  ")
    reopened = store.reopen_rating(db, people.sup_a, rating_id, "scored the wrong session")
    assert reopened.status == "draft" and reopened.submitted_at is None
    store.save_item_score(db, people.trainee, library, rating_id, "focus", ScoreEntry(1))
    entries = [e for e in store.list_audit(db, people.admin) if e.action == "rating.reopen"]
    assert entries[0].actor_id == people.sup_a.id
    assert entries[0].details["reason"] == "scored the wrong session"


def test_reference_and_peer_ratings_unlock_after_own_submission(
    db: Session, people: People
) -> None:
    peer_rating = _rate(db, people.peer)
    outsider_rating = _rate(db, people.outsider)
    assert not store.can_see_reference(db, people.trainee, library, "mini-session")
    assert store.list_ratings(db, people.trainee, session_id="mini-session") == []
    own = store.get_or_create_draft(db, people.trainee, library, "mini-session")
    assert not store.can_see_reference(db, people.trainee, library, "mini-session")
    assert [r.id for r in store.list_ratings(db, people.trainee, session_id="mini-session")] == [
        own.id
    ]
    _rate(db, people.trainee)
    assert store.can_see_reference(db, people.trainee, library, "mini-session")
    visible = {r.id for r in store.list_ratings(db, people.trainee, session_id="mini-session")}
    assert peer_rating in visible and own.id in visible
    assert outsider_rating not in visible  # other cohort: never
    assert store.get_scores(db, people.trainee, peer_rating)["focus"].score == 2


def test_peer_drafts_stay_hidden_after_own_submission(db: Session, people: People) -> None:
    draft = store.get_or_create_draft(db, people.peer, library, "mini-session")
    _rate(db, people.trainee)
    with pytest.raises(store.NotFound):
        store.get_rating(db, people.trainee, draft.id)


def test_case_key_unlocks_after_an_attempt(db: Session, people: People) -> None:
    assert not store.can_see_case_key(db, people.trainee, "mini-case")
    store.record_attempt(
        db,
        people.trainee,
        "mini-case",
        primary_area="role_transition",
        key_people=["Jon"],
        feedback={"correct": False},
    )
    assert store.can_see_case_key(db, people.trainee, "mini-case")
    assert not store.can_see_case_key(db, people.peer, "mini-case")
    [attempt] = store.list_attempts(db, people.sup_a, case_id="mini-case")
    assert attempt.feedback == {"correct": False} and attempt.key_people == ["Jon"]


def test_cohort_frame_is_one_long_table(db: Session, people: People) -> None:
    for user, score in ((people.trainee, 2), (people.peer, 3), (people.sup_a, 3)):
        _rate(db, user, score=score)
    _rate(db, people.outsider)
    frame = analytics.cohort_item_ratings(db, people.sup_a, people.cohort_a, "mini")
    assert len(frame) == 6
    assert set(frame["rater"]) == {"trainee", "peer", "sup_a"}
    assert set(frame.loc[frame.rater == "sup_a", "rater_role"]) == {"supervisor"}
    assert frame["score"].isna().sum() == 3  # not applicable is missing, never a score
    assert str(frame["submitted_at"].dt.tz) == "UTC"
    newest, count = analytics.latest_submission_marker(db, people.sup_a, people.cohort_a, "mini")
    assert count == 3 and newest == frame["submitted_at"].max().to_pydatetime()
    empty = analytics.cohort_item_ratings(db, people.sup_b, people.cohort_a, "mini")
    assert empty.empty and list(empty.columns) == list(frame.columns)


def test_audit_log_refuses_update_and_delete(db: Session, people: People) -> None:
    assert store.list_audit(db, people.admin)
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            db.execute(text(statement))
        db.rollback()


def test_original_upload_is_loaded_only_on_request(db: Session, people: People) -> None:
    upload = store.add_imported_session(
        db,
        people.sup_a,
        title="Session 3",
        therapist_id="T-7",
        phase="middle",
        session_number=3,
        rubric_id="mini",
        turns=[{"n": 1, "speaker": "therapist", "text": "Hi."}],
        original=b"secret words",
        original_filename="s3.vtt",
    )
    store.create_assignment(
        db,
        people.sup_a,
        kind="rate",
        target_id=upload.id,
        rubric_id="mini",
        cohort_id=people.cohort_a,
    )
    db.expunge_all()
    seen = store.get_imported_session(db, people.trainee, upload.id)
    assert seen.turns[0]["text"] == "Hi." and "original" not in seen.__dict__
    with pytest.raises(PermissionDenied):
        store.read_original(db, people.trainee, upload.id)
    assert store.read_original(db, people.sup_a, upload.id) == (b"secret words", "s3.vtt")


def test_an_upload_is_saved_whole_or_not_at_all(db: Session, people: People) -> None:
    upload = {
        "title": "t",
        "therapist_id": "T-1",
        "phase": "middle",
        "session_number": 1,
        "rubric_id": "mini",
        "turns": [{"n": 1, "speaker": "therapist", "text": "Hello."}],
    }
    with pytest.raises(InvalidInput, match="Unknown problem area"):
        store.add_imported_session(db, people.sup_a, problem_areas=["grief", "sadness"], **upload)
    assert store.list_imported_sessions(db, people.admin) == []
    saved = store.add_imported_session(
        db,
        people.sup_a,
        problem_areas=["grief"],
        redaction_summary={"redacted": {"PHONE": 2}},
        **upload,
    )
    assert saved.problem_areas == ["grief"]
    actions = [(e.action, e.details) for e in store.list_audit(db, people.admin)]
    assert ("upload.redact", {"session_id": saved.id, "redacted": {"PHONE": 2}}) in actions
