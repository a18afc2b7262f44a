"""A trainee's record as tables: formulation attempts and submitted item scores, with standing."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from ..content.library import Library
from ..store import get_scores, list_attempts, list_ratings
from .calibration import Calibration, calibrate
from .certification import Standing, standing
from .settings import CertificationRule

ATTEMPT_COLUMNS = ["case", "expert_area", "chosen_area", "correct", "submitted_at"]
SCORE_COLUMNS = ["session", "item", "score", "submitted_at"]


def attempts_table(db: Session, actor, user_id: int, library: Library) -> pd.DataFrame:
    """One row per submitted formulation attempt of a case still in the library."""
    rows = [
        (
            a.case_id,
            library.cases[a.case_id].key.primary_problem_area,
            a.primary_area,
            bool((a.feedback or {}).get("correct")),
            a.submitted_at,
        )
        for a in list_attempts(db, actor, user_id=user_id)
        if a.case_id in library.cases
    ]
    return pd.DataFrame(rows, columns=ATTEMPT_COLUMNS)


def scores_table(db: Session, actor, user_id: int, rubric_id: str) -> pd.DataFrame:
    """Every item score of the user's submitted ratings with this rubric (N/A as missing)."""
    rows = []
    for rating in list_ratings(
        db, actor, rater_id=user_id, rubric_id=rubric_id, status="submitted"
    ):
        for item_id, score in get_scores(db, actor, rating.id).items():
            value = None if score.not_applicable else score.score
            rows.append((rating.session_id, item_id, value, rating.submitted_at))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).astype({"score": "float"})


def trainee_standing(
    db: Session, actor, user_id: int, library: Library, rubric_id: str, rule: CertificationRule
) -> tuple[Standing, Calibration | None, pd.DataFrame]:
    """The trainee's standing against the rule, with the calibration and attempts behind it."""
    attempts = attempts_table(db, actor, user_id, library)
    scores = scores_table(db, actor, user_id, rubric_id)
    rubric = library.rubrics.get(rubric_id)
    calibration = (
        calibrate(scores, library, rubric.scale.points if rubric else None)
        if not scores.empty
        else None
    )
    return standing(rule, calibration, attempts), calibration, attempts
