"""Formulation feedback: choices, cues, people and hints against the mini case's key."""

from pathlib import Path

from ipt_fidelity.content.library import load_library
from ipt_fidelity.training.formulation_feedback import (
    Attempt,
    assess,
    is_correct,
    vignette_sentences,
)

MINI = load_library(root=Path(__file__).parent / "data" / "content")
CASE = MINI.cases["mini-case"]


def test_right_area_with_the_cue_picked():
    passage = next(s for s in vignette_sentences(CASE) if "died last spring" in s)
    feedback = assess(CASE, Attempt(primary="grief", key_people=["Tom"], passages=[passage]))
    assert feedback.correct
    assert [c.correct for c in feedback.choices] == [True, True]
    assert feedback.cues_named == ["her husband died last spring"]
    assert feedback.cues_missed == []
    assert feedback.people_named == ["Tom"] and feedback.people_missed == []


def test_wrong_area_and_missed_cue():
    feedback = assess(CASE, Attempt(primary="role_transition", key_people=["Church friends"]))
    assert not feedback.correct
    assert feedback.choices[0].chosen == "role_transition"
    assert feedback.choices[0].expected == "grief"
    assert feedback.cues_missed == ["her husband died last spring"]
    assert feedback.people_missed == ["Tom"] and feedback.people_extra == ["Church friends"]


def test_cue_echoed_in_the_text_counts_as_named():
    text = (
        "Your depression began after your husband died last spring; we will meet for 12 sessions."
    )
    feedback = assess(CASE, Attempt(primary="grief", text=text))
    assert feedback.cues_named == ["her husband died last spring"]
    assert feedback.hints["form_links_events"] and feedback.hints["form_contract"]
    assert feedback.hints["form_names_area"] is False
    assert feedback.hints["form_agreement"] is False


def test_a_stage_is_only_judged_when_it_matters():
    assert len(assess(CASE, Attempt(primary="grief")).choices) == 2
    verdicts = assess(CASE, Attempt(primary="grief", dispute_stage="impasse")).choices
    assert verdicts[-1].name == "dispute stage" and not verdicts[-1].correct


def test_correctness_needs_the_stage_for_a_dispute():
    dispute = CASE.model_copy(
        update={
            "key": CASE.key.model_copy(
                update={"primary_problem_area": "role_dispute", "dispute_stage": "impasse"}
            )
        }
    )
    assert is_correct(dispute, Attempt(primary="role_dispute", dispute_stage="impasse"))
    assert not is_correct(dispute, Attempt(primary="role_dispute", dispute_stage="dissolution"))
