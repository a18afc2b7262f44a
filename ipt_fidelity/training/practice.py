"""Submitting a formulation: the trainee's choices checked, graded from the case key, stored.

Pages hand over what the trainee chose and wrote; the feedback (and whether the reading counts
as accurate) is always computed here from the case's expert key, never taken from a page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..content.library import Library
from ..content.vocab import DISPUTE_STAGES, PROBLEM_AREAS
from ..store.errors import InvalidInput, NotFound
from ..store.formulation_attempts import record_attempt
from ..store.models import FormulationAttempt, User
from .formulation_feedback import Attempt, assess, vignette_sentences

FORMULATION_RUBRIC = "ipt_formulation"
MAX_TEXT = 6000


def check_attempt(library: Library, case_id: str, attempt: Attempt) -> None:
    """Refuse choices outside the vocabularies, people not in the case, passages not in it."""
    case = library.cases.get(case_id)
    if case is None:
        raise NotFound("No such case in the library.")
    if attempt.primary not in PROBLEM_AREAS:
        raise InvalidInput("Choose a primary problem area.")
    if attempt.secondary is not None and (
        attempt.secondary not in PROBLEM_AREAS or attempt.secondary == attempt.primary
    ):
        raise InvalidInput("A secondary problem area differs from the primary one.")
    disputed = "role_dispute" in (attempt.primary, attempt.secondary)
    if disputed and attempt.dispute_stage not in DISPUTE_STAGES:
        raise InvalidInput("Choose the stage of the dispute.")
    if not disputed and attempt.dispute_stage is not None:
        raise InvalidInput("A dispute stage goes only with a role dispute.")
    names = {p.name for p in case.vignette.interpersonal_inventory}
    if stray := [p for p in attempt.key_people if p.split(":")[0].strip() not in names]:
        raise InvalidInput(f"Not people of this case: {', '.join(stray)}.")
    sentences = set(vignette_sentences(case))
    if any(p not in sentences for p in attempt.passages):
        raise InvalidInput("Supporting passages are sentences of the vignette.")
    if len(attempt.text) > MAX_TEXT:
        raise InvalidInput(f"A formulation may have at most {MAX_TEXT} characters.")


def submit_formulation(
    db: Session,
    actor: User,
    library: Library,
    case_id: str,
    attempt: Attempt,
    *,
    at: datetime | None = None,
) -> FormulationAttempt:
    """Grade the attempt against the case key and store it (its draft goes in the same step)."""
    check_attempt(library, case_id, attempt)
    feedback = assess(library.cases[case_id], attempt, library.rubrics.get(FORMULATION_RUBRIC))
    return record_attempt(
        db,
        actor,
        case_id,
        primary_area=attempt.primary,
        secondary_area=attempt.secondary,
        dispute_stage=attempt.dispute_stage,
        key_people=attempt.key_people,
        text=attempt.text,
        self_check=attempt.self_check,
        feedback={**feedback.to_dict(), "passages": attempt.passages},
        at=at,
    )
