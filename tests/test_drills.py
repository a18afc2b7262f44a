"""Item drills: built from reference ratings, blind until rated, adaptive, stored like ratings."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from ipt_fidelity import store
from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.library import load_library
from ipt_fidelity.store import InvalidInput, NotFound, PermissionDenied, ScoreEntry
from ipt_fidelity.store.drills import (
    create_drill_set,
    drill_open,
    list_drill_attempts,
    list_drill_sets,
    record_drill_answer,
)
from ipt_fidelity.store.exposures import first_exposures
from ipt_fidelity.training.drill_history import item_calibration, trainee_history
from ipt_fidelity.training.drills import (
    CONTEXT,
    drill_catalogue,
    excerpt,
    next_drill,
    open_to,
    weakness,
)
from tests.fixtures_db import mini_library

library = mini_library()
SHIPPED = load_library(root=REPO_ROOT)


def _rate_in_full(db: Session, user, session_id: str = "mini-session") -> None:
    draft = store.get_or_create_draft(db, user, library, session_id)
    entries = {"focus": ScoreEntry(2), "grief_work": ScoreEntry(not_applicable=True)}
    store.save_item_scores(db, user, library, draft.id, entries)
    store.submit_rating(db, user, library, draft.id)


def test_the_shipped_library_yields_well_over_a_hundred_drills() -> None:
    drills = drill_catalogue(SHIPPED)
    assert len(drills) > 100
    assert all(d.evidence and d.expert_score is not None for d in drills)
    assert {d.rubric_id for d in drills} == {
        SHIPPED.cases[SHIPPED.sessions[d.session_id].case].rubric for d in drills
    }


def test_calibration_sessions_are_never_drilled_before_they_are_rated() -> None:
    drills = drill_catalogue(SHIPPED)
    practice = {s.id for s in SHIPPED.sessions.values() if s.use == "practice"}
    assert practice, "the library marks some sessions as practice material"
    opened = open_to(drills, rated=set())
    assert {d.session_id for d in opened} == practice
    one = next(s for s in SHIPPED.sessions if s not in practice)
    assert {d.session_id for d in open_to(drills, {one})} == practice | {one}


def test_the_excerpt_shows_the_evidence_with_context() -> None:
    session = SHIPPED.sessions["declan-s06"]
    shown = [t.n for t in excerpt(session.turns, [10, 30])]
    assert shown == [*range(10 - CONTEXT, 10 + CONTEXT + 1), *range(30 - CONTEXT, 30 + CONTEXT + 1)]


def test_the_store_refuses_a_drill_of_an_unrated_calibration_session(db, people) -> None:
    assert not drill_open(db, people.trainee, library, "mini-session")
    with pytest.raises(PermissionDenied, match="Rate this session in full"):
        record_drill_answer(db, people.trainee, library, "mini-session", "focus", 2)
    assert list_drill_attempts(db, people.trainee) == []


def test_an_answer_is_stored_with_the_experts_score_and_exposes_the_case(db, people) -> None:
    _rate_in_full(db, people.trainee)
    attempt = record_drill_answer(db, people.trainee, library, "mini-session", "focus", 1)
    assert (attempt.score, attempt.expert_score) == (1, 3)
    assert "mini-case" in first_exposures(db, people.trainee, people.trainee.id)
    assert [a.id for a in list_drill_attempts(db, people.sup_a)] == [attempt.id]
    assert list_drill_attempts(db, people.peer) == []
    assert list_drill_attempts(db, people.sup_b) == []
    actions = [e.action for e in store.list_audit(db, people.admin)]
    assert "drill.answer" in actions


@pytest.mark.parametrize(
    ("item", "score", "error"),
    [
        ("focus", 9, InvalidInput),
        ("focus", True, InvalidInput),
        ("dispute_work", 2, NotFound),  # no reference score: no drill
        ("nothing", 2, NotFound),
    ],
)
def test_bad_drill_answers_are_refused(db, people, item, score, error) -> None:
    _rate_in_full(db, people.trainee)
    with pytest.raises(error):
        record_drill_answer(db, people.trainee, library, "mini-session", item, score)


def test_staff_do_not_take_drills(db, people) -> None:
    with pytest.raises(PermissionDenied):
        record_drill_answer(db, people.sup_a, library, "mini-session", "focus", 2)


def test_drill_sets_belong_to_the_cohorts_supervisors(db, people) -> None:
    made = create_drill_set(
        db, people.sup_a, library, people.cohort_a, "Focus week", ["focus"], ["mini-session"]
    )
    assert [s.id for s in list_drill_sets(db, people.trainee)] == [made.id]
    assert list_drill_sets(db, people.outsider) == []
    with pytest.raises(PermissionDenied):
        create_drill_set(
            db, people.sup_b, library, people.cohort_a, "x", ["focus"], ["mini-session"]
        )
    with pytest.raises(InvalidInput, match="Not sessions"):
        create_drill_set(db, people.sup_a, library, people.cohort_a, "x", ["focus"], ["nope"])


def test_the_next_drill_goes_where_a_planted_bias_is() -> None:
    drills = open_to(drill_catalogue(SHIPPED), set(SHIPPED.sessions))
    items = sorted({d.item_id for d in drills})
    weak, others = items[0], items[1:]
    history = pd.DataFrame(
        [(weak, 4, 1)] * 6 + [(item, 2, 2) for item in others for _ in range(3)],
        columns=["item", "score", "expert"],
    )
    assert weakness(history).idxmax() == weak
    rng = np.random.default_rng(0)
    picks = Counter(next_drill(drills, history, [], rng).item_id for _ in range(400))
    assert picks[weak] > 4 * max(picks[i] for i in others)


def test_unseen_items_are_mixed_in() -> None:
    drills = open_to(drill_catalogue(SHIPPED), set(SHIPPED.sessions))
    items = sorted({d.item_id for d in drills})
    history = pd.DataFrame([(items[0], 2, 2)] * 5, columns=["item", "score", "expert"])
    rng = np.random.default_rng(1)
    picks = {next_drill(drills, history, [], rng).item_id for _ in range(200)}
    assert len(picks) > len(items) // 2


def test_drills_and_ratings_feed_one_history(db, people) -> None:
    _rate_in_full(db, people.trainee)
    record_drill_answer(db, people.trainee, library, "mini-session", "focus", 1)
    history = trainee_history(db, people.trainee, people.trainee.id, library)
    assert sorted(history["source"]) == ["drill", "rating"]
    table = item_calibration(history).set_index("source")
    assert table.loc["drill", "bias"] == -2 and table.loc["rating", "bias"] == -1
