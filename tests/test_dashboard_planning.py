"""Planning helpers of the supervisor pages: the reliability overlap and the completion matrix."""

from __future__ import annotations

from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest

from ipt_fidelity.training.completion import DONE, OVERDUE, STARTED, TO_DO, completion_matrix
from ipt_fidelity.training.overlap import overlap_plan

SESSIONS = [f"s{i}" for i in range(10)]


def test_every_session_gets_one_first_rater_in_turn():
    plan = overlap_plan(SESSIONS, [1, 2, 3], share=0.0)
    assert [r.session_id for r in plan] == SESSIONS
    assert Counter(r.user_id for r in plan) == {1: 4, 2: 3, 3: 3}


@pytest.mark.parametrize(("share", "seconds"), [(0.3, 3), (0.25, 3), (1.0, 10)])
def test_a_share_of_sessions_goes_to_a_different_second_rater(share, seconds):
    plan = overlap_plan(SESSIONS, [1, 2, 3], share=share, seed=4)
    first = {r.session_id: r.user_id for r in plan if not r.second}
    second = [r for r in plan if r.second]
    assert len(second) == seconds
    assert all(r.user_id != first[r.session_id] for r in second)
    assert len({r.session_id for r in second}) == seconds


def test_one_trainee_cannot_overlap_and_shares_are_checked():
    assert [r.second for r in overlap_plan(SESSIONS[:2], [7], share=1.0)] == [False, False]
    assert overlap_plan(SESSIONS, [], share=0.5) == []
    with pytest.raises(ValueError, match="between 0 and 1"):
        overlap_plan(SESSIONS, [1, 2], share=1.5)


def test_completion_matrix_statuses():
    ann, bob = SimpleNamespace(id=1, display_name="Ann"), SimpleNamespace(id=2, display_name="Bob")
    rate = SimpleNamespace(
        id=1,
        kind="rate",
        target_id="s1",
        rubric_id="r",
        user_id=None,
        due_date=date(2026, 1, 1),
        second_rater=False,
    )
    late = SimpleNamespace(
        id=2,
        kind="formulate",
        target_id="c1",
        rubric_id=None,
        user_id=2,
        due_date=date(2026, 1, 1),
        second_rater=False,
    )
    later = SimpleNamespace(
        id=3,
        kind="rate",
        target_id="s2",
        rubric_id="r",
        user_id=None,
        due_date=None,
        second_rater=True,
    )
    ratings = [
        SimpleNamespace(rater_id=1, session_id="s1", rubric_id="r", status="submitted"),
        SimpleNamespace(rater_id=2, session_id="s2", rubric_id="r", status="draft"),
    ]
    attempts = [SimpleNamespace(user_id=1, case_id="c1")]
    matrix = completion_matrix([rate, late, later], [ann, bob], ratings, attempts, date(2026, 2, 1))
    assert matrix.loc["Ann"].tolist() == [DONE, "", TO_DO]
    assert matrix.loc["Bob"].tolist() == [OVERDUE, OVERDUE, STARTED]
    assert "2nd rater" in matrix.columns[2] and "due 2026-01-01" in matrix.columns[0]
