"""Certification that cannot be gamed: each rule tried the way an adversarial trainee would.

First attempts only, exposure before a first attempt, the blind rule on real submissions only,
what the store accepts in a rating, feedback computed from the key, and cue precision.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from ipt_fidelity import store
from ipt_fidelity.store import InvalidInput, ScoreEntry
from ipt_fidelity.store.exposures import record_exposure
from ipt_fidelity.store.models import Rating, utcnow
from ipt_fidelity.training.formulation_feedback import Attempt, assess, vignette_sentences
from ipt_fidelity.training.practice import submit_formulation
from ipt_fidelity.training.progress import AFTER_EXPOSURE, COUNTS, REPEAT, attempts_table
from tests.fixtures_db import mini_library

library = mini_library()
CASE = library.cases["mini-case"]
CUE_SENTENCE = next(s for s in vignette_sentences(CASE) if "since her husband died" in s)


def _formulate(db: Session, user, primary: str, **extra) -> None:
    submit_formulation(db, user, library, "mini-case", Attempt(primary=primary, **extra))


# ---------------------------------------------------------------- 12.1 first attempts


def test_a_retry_after_reading_the_key_is_practice(db: Session, people) -> None:
    _formulate(db, people.trainee, "role_transition")  # wrong, then the key is shown
    _formulate(db, people.trainee, "grief")  # the key's answer, copied
    table = attempts_table(db, people.trainee, people.trainee.id, library)
    assert list(table["status"]) == [COUNTS, REPEAT]
    assert list(table["counts"]) == [True, False]
    counted = table[table["counts"]]
    assert counted["correct"].mean() == 0.0  # 0% right first time stays 0%


def test_a_first_attempt_after_opening_the_cases_transcript_is_practice(db: Session, people):
    record_exposure(db, people.trainee, "mini-case", "rating page")
    _formulate(db, people.trainee, "grief")
    table = attempts_table(db, people.trainee, people.trainee.id, library)
    assert list(table["status"]) == [AFTER_EXPOSURE] and not table["counts"].any()


def test_only_the_first_exposure_counts_and_staff_leave_none(db: Session, people) -> None:
    first = utcnow() - timedelta(days=3)
    record_exposure(db, people.trainee, "mini-case", "rating page", at=first)
    record_exposure(db, people.trainee, "mini-case", "drill", at=utcnow())
    record_exposure(db, people.sup_a, "mini-case", "rating page")
    from ipt_fidelity.store.exposures import first_exposures

    assert first_exposures(db, people.trainee, people.trainee.id) == {"mini-case": first}
    assert first_exposures(db, people.sup_a, people.sup_a.id) == {}
    assert first_exposures(db, people.outsider, people.trainee.id) == {}  # not theirs to read


def test_opening_the_rating_page_records_the_exposure(mini_app, db_url) -> None:
    from tests.apptest import open_store, page_test

    at = page_test("rate", mini_app.trainee.id).run()
    assert not at.exception
    with open_store(db_url) as db:
        from ipt_fidelity.store.exposures import first_exposures

        seen = first_exposures(db, mini_app.trainee, mini_app.trainee.id)
    assert set(seen) == {"mini-case"}


# ---------------------------------------------------------------- 12.3 the blind rule


def test_an_empty_submission_is_refused_and_opens_nothing(db: Session, people) -> None:
    draft = store.get_or_create_draft(db, people.trainee, library, "mini-session")
    with pytest.raises(InvalidInput, match="Score every item"):
        store.submit_rating(db, people.trainee, library, draft.id)
    assert not store.can_see_reference(db, people.trainee, library, "mini-session")


def test_a_submitted_row_without_scores_opens_nothing(db: Session, people) -> None:
    """Whatever wrote it (an old import, a manual fix), an incomplete submission stays blind."""
    now = utcnow()
    db.execute(
        insert(Rating).values(
            rater_id=people.trainee.id,
            session_id="mini-session",
            rubric_id="mini",
            rubric_version="1.0",
            status="submitted",
            created_at=now,
            updated_at=now,
            submitted_at=now,
        )
    )
    db.commit()
    assert not store.can_see_reference(db, people.trainee, library, "mini-session")


def test_a_submission_under_another_rubric_opens_nothing(db: Session, people) -> None:
    now = utcnow()
    db.execute(
        insert(Rating).values(
            rater_id=people.trainee.id,
            session_id="mini-session",
            rubric_id="other",
            rubric_version="1.0",
            status="submitted",
            created_at=now,
            updated_at=now,
            submitted_at=now,
        )
    )
    db.commit()
    assert not store.can_see_reference(db, people.trainee, library, "mini-session")


def test_a_complete_submission_opens_only_its_own_session(db: Session, people) -> None:
    draft = store.get_or_create_draft(db, people.trainee, library, "mini-session")
    store.save_item_scores(
        db,
        people.trainee,
        library,
        draft.id,
        {"focus": ScoreEntry(2), "grief_work": ScoreEntry(not_applicable=True)},
    )
    store.submit_rating(db, people.trainee, library, draft.id)
    assert store.can_see_reference(db, people.trainee, library, "mini-session")
    assert not store.can_see_reference(db, people.trainee, library, "other-session")
    assert not store.can_see_reference(db, people.peer, library, "mini-session")


@pytest.mark.parametrize(
    ("item", "entry", "message"),
    [
        ("focus", ScoreEntry(7), "whole number from 1 to 3"),
        ("focus", ScoreEntry(0), "whole number from 1 to 3"),
        ("focus", ScoreEntry(True), "whole number from 1 to 3"),
        ("not_an_item", ScoreEntry(2), "not an item of rubric 'mini'"),
        ("dispute_work", ScoreEntry(2), "does not apply to this session"),
        ("closing", ScoreEntry(2), "does not apply to this session"),
        ("focus", ScoreEntry(not_applicable=True), "may not be marked not applicable"),
        ("focus", ScoreEntry(2, evidence=(99,)), "not in this transcript"),
        ("focus", ScoreEntry(2, comment="x" * 5000), "at most 4000 characters"),
    ],
)
def test_the_store_refuses_what_a_rating_may_not_hold(db, people, item, entry, message) -> None:
    draft = store.get_or_create_draft(db, people.trainee, library, "mini-session")
    with pytest.raises(InvalidInput, match=message):
        store.save_item_score(db, people.trainee, library, draft.id, item, entry)
    assert store.get_scores(db, people.trainee, draft.id) == {}


def test_a_draft_is_always_made_with_the_sessions_own_rubric(db: Session, people) -> None:
    draft = store.get_or_create_draft(db, people.trainee, library, "mini-session")
    assert (draft.rubric_id, draft.rubric_version) == ("mini", "1.0")
    with pytest.raises(store.NotFound):
        store.get_or_create_draft(db, people.trainee, library, "not-a-session")


# ---------------------------------------------------------------- feedback from the key


def test_feedback_is_computed_from_the_key_not_taken_from_the_page(db: Session, people) -> None:
    _formulate(db, people.trainee, "role_transition")
    [attempt] = store.list_attempts(db, people.trainee, user_id=people.trainee.id)
    assert attempt.feedback["correct"] is False
    assert attempt.feedback["choices"][0]["expected"] == "grief"


@pytest.mark.parametrize(
    ("attempt", "message"),
    [
        (Attempt(primary="sadness"), "primary problem area"),
        (Attempt(primary="grief", secondary="grief"), "differs from the primary"),
        (Attempt(primary="role_dispute"), "stage of the dispute"),
        (Attempt(primary="grief", dispute_stage="impasse"), "only with a role dispute"),
        (Attempt(primary="grief", key_people=["Mallory: a stranger"]), "Not people of this case"),
        (Attempt(primary="grief", passages=["Made-up sentence."]), "sentences of the vignette"),
    ],
)
def test_a_formulation_outside_the_case_is_refused(db, people, attempt, message) -> None:
    with pytest.raises(InvalidInput, match=message):
        submit_formulation(db, people.trainee, library, "mini-case", attempt)
    assert store.list_attempts(db, people.trainee, user_id=people.trainee.id) == []


def test_a_formulation_and_its_draft_go_in_one_step(db: Session, people) -> None:
    from ipt_fidelity.store.formulation_drafts import (
        get_formulation_draft,
        save_formulation_draft,
    )

    save_formulation_draft(db, people.trainee, "mini-case", {"text": "half"})
    _formulate(db, people.trainee, "grief")
    assert get_formulation_draft(db, people.trainee, "mini-case") is None


# ---------------------------------------------------------------- 12.4 cue precision


def test_picking_every_passage_earns_less_than_picking_the_cue() -> None:
    everything = assess(CASE, Attempt(primary="grief", passages=vignette_sentences(CASE)))
    right_few = assess(CASE, Attempt(primary="grief", passages=[CUE_SENTENCE]))
    assert everything.cues_missed == [] and right_few.cues_missed == []
    assert len(everything.passages_not_cues) == len(vignette_sentences(CASE)) - 1
    assert right_few.passages_not_cues == [] and right_few.cue_score == 1.0
    assert everything.cue_score < 0.5 * right_few.cue_score


def test_the_attempts_export_labels_practice(db: Session, people) -> None:
    from ipt_fidelity.training.exports import formulation_rows, table_csv

    _formulate(db, people.trainee, "role_transition")
    _formulate(db, people.trainee, "grief")
    table = formulation_rows(db, people.sup_a, people.cohort_a, library)
    assert list(table["status"]) == [COUNTS, REPEAT]
    assert list(table["trainee"]) == ["trainee", "trainee"]
    assert formulation_rows(db, people.sup_b, people.cohort_b, library).empty
    assert b"practice: a repeat attempt" in table_csv(table)
