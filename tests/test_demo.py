"""The demo cohort: simulated raters whose habits show, seeded once, with printed sign-ins."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from ipt_fidelity import auth, store
from ipt_fidelity.content.library import Library, load_library
from ipt_fidelity.demo import AUDIT_COHORT, DEMO_COHORT, DEMO_THERAPIST, HABITS, seed_demo
from ipt_fidelity.store import Conflict, PermissionDenied
from ipt_fidelity.store.analytics import cohort_item_ratings
from ipt_fidelity.training.worklist import (
    DONE,
    DRAFT,
    TO_DO,
    formulation_worklist,
    rating_worklist,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped() -> Library:
    """The shipped content when it has rated sessions, else the tests skip."""
    library = load_library(root=REPO)
    if not any(s.reference_rating for s in library.sessions.values()) or not library.cases:
        pytest.skip("no shipped sessions with reference ratings yet")
    return library


def test_demo_on_the_tiny_library(db: Session, library: Library) -> None:
    result = seed_demo(db, library, seed=7)
    assert [a.role for a in result.accounts].count("trainee") == len(HABITS) + 2 == 10
    assert result.ratings >= 8 and result.attempts == 8
    passwords = {a.password for a in result.accounts}
    assert len(passwords) == 11 and all(len(p) >= auth.MIN_PASSWORD_LENGTH for p in passwords)
    text = result.describe()
    assert "demo-lenient" in text and "admin" not in text
    sup = auth.authenticate(db, "demo-supervisor", result.accounts[0].password)
    assert sup.role == "supervisor"
    assert [c.name for c in store.list_cohorts(db, sup)] == [DEMO_COHORT, AUDIT_COHORT]
    with pytest.raises(Conflict):
        seed_demo(db, library)


def test_only_admins_seed_from_the_app(db: Session, library: Library, people) -> None:
    with pytest.raises(PermissionDenied):
        seed_demo(db, library, actor=people.sup_a)
    assert seed_demo(db, library, actor=people.admin).ratings > 0


@pytest.mark.slow
def test_habits_show_against_the_reference(db: Session, shipped: Library) -> None:
    result = seed_demo(db, shipped, seed=1)
    sup = auth.authenticate(db, "demo-supervisor", result.accounts[0].password)
    rubric = next(
        iter({s.reference_rating.rubric for s in shipped.sessions.values() if s.reference_rating})
    )
    frame = cohort_item_ratings(db, sup, result.cohort_id, rubric)
    expert = {
        (s.id, item): r.score
        for s in shipped.sessions.values()
        if s.reference_rating and s.reference_rating.rubric == rubric
        for item, r in s.reference_rating.items.items()
    }
    frame["expert"] = [expert.get((u, i)) for u, i in zip(frame.unit, frame["item"], strict=True)]
    frame = frame.dropna(subset=["score", "expert"])
    bias = (frame.score - frame.expert.astype(float)).groupby(frame.rater, observed=True).mean()
    assert bias["demo-lenient"] > bias["demo-calibrated"] + 0.3
    assert bias["demo-severe"] < bias["demo-calibrated"] - 0.3
    drifting = frame[frame.rater == "demo-drifting"].sort_values("submitted_at")
    half = len(drifting) // 2
    early = (drifting.score - drifting.expert.astype(float)).iloc[:half].mean()
    late = (drifting.score - drifting.expert.astype(float)).iloc[half:].mean()
    assert late > early
    span = frame.submitted_at.max() - frame.submitted_at.min()
    assert span.days >= 42
    attempts = store.list_attempts(db, sup)
    assert {a.feedback["correct"] for a in attempts} == {True, False}


@pytest.mark.slow
def test_the_demo_therapist_has_an_audit_trail(db: Session, shipped: Library) -> None:
    result = seed_demo(db, shipped, seed=2)
    sup = auth.authenticate(db, "demo-supervisor", result.accounts[0].password)
    uploads = [u for u in store.list_imported_sessions(db, sup) if u.therapist_id == DEMO_THERAPIST]
    assert len(uploads) == result.uploads == len(shipped.sessions)
    for upload in uploads:
        rated = store.list_ratings(db, sup, session_id=upload.id, status="submitted")
        assert len(rated) == 3
    [training] = [c for c in store.list_cohorts(db, sup) if c.name == DEMO_COHORT]
    table = cohort_item_ratings(db, sup, training.id, "ipt_adherence")
    units = set(table.loc[table["rater_role"] == "trainee", "unit"])
    assert units <= set(shipped.sessions), "auditors' ratings stay off the training dashboard"


@pytest.mark.slow
def test_the_demo_leaves_each_trainee_work_to_do(db: Session, shipped: Library) -> None:
    result = seed_demo(db, shipped, seed=3)
    trainees = [a for a in result.accounts if a.username in {f"demo-{h.name}" for h in HABITS}]
    for account in trainees:
        user = auth.authenticate(db, account.username, account.password)
        work = rating_worklist(db, user, shipped) + formulation_worklist(db, user, shipped)
        statuses = {
            (w.kind, w.status)
            for w in work
            if w.target_id in shipped.sessions or w.kind == "formulate"
        }
        assert {("rate", DRAFT), ("rate", TO_DO), ("rate", DONE)} <= statuses, account.username
        assert {("formulate", DRAFT), ("formulate", TO_DO), ("formulate", DONE)} <= statuses
        assert any(w.assigned and w.status != DONE for w in work)
        assert any(w.overdue for w in work) and any(w.due and not w.overdue for w in work)
        drafts = [w for w in work if w.kind == "rate" and w.status == DRAFT]
        rating = store.find_own_rating(db, user, drafts[0].target_id)
        assert len(store.get_scores(db, user, rating.id)) > 0
