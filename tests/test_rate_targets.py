"""What a rater rates: every transcript is rated with the session rubric its case names."""

from __future__ import annotations

from types import SimpleNamespace

from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.library import load_library
from ipt_fidelity.store.targets import shipped_target, uploaded_target

LIB = load_library(root=REPO_ROOT)


def test_shipped_targets_carry_their_cases_rubric():
    rubrics = {sid: shipped_target(LIB, sid).rubric_id for sid in LIB.sessions}
    assert rubrics == {sid: LIB.cases[s.case].rubric for sid, s in LIB.sessions.items()}
    assert {rubrics["daniela-s02"], rubrics["declan-s01"]} == {"ipta_adherence", "ipt_adherence"}


def upload(case_id: str | None, rubric_id: str) -> SimpleNamespace:
    """The fields of an uploaded session that a rate target reads."""
    return SimpleNamespace(
        rubric_id=rubric_id,
        id="up-1",
        title="Week 3",
        therapist_id="T-1",
        session_number=3,
        phase="initial",
        problem_areas=["role_dispute"],
        case_id=case_id,
        turns=[{"n": 1, "speaker": "therapist", "text": "Hello."}],
    )


def test_an_upload_is_rated_with_the_rubric_stored_at_import():
    assert uploaded_target(LIB, upload("rhys", "ipta_adherence")).rubric_id == "ipta_adherence"
    assert uploaded_target(LIB, upload(None, "ipt_adherence")).rubric_id == "ipt_adherence"
