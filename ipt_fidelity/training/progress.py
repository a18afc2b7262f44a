"""A trainee's record as tables: formulation attempts and submitted item scores, with standing.

What counts toward certification (docs/supervisors.md, "What counts"):
- a formulation attempt counts only if it is the trainee's first attempt of that case and was
  submitted before the trainee could have learnt the case's answer elsewhere (opened one of its
  transcripts or drills: `store.exposures`); later attempts stay as practice;
- a rating counts only if it is a submitted rating of a calibration session (`use: calibration`)
  made with that session's rubric; practice sessions may have been drilled before they were rated.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from ..content.library import Library
from ..store import get_scores, list_attempts, list_ratings
from ..store.exposures import first_exposures
from ..store.models import User
from .calibration import Calibration, calibrate
from .certification import Standing, standing
from .settings import CertificationRule

ATTEMPT_COLUMNS = [
    "case",
    "expert_area",
    "chosen_area",
    "correct",
    "cue_score",
    "submitted_at",
    "counts",
    "status",
]
SCORE_COLUMNS = ["session", "item", "score", "submitted_at"]
COUNTS = "counts toward certification"
REPEAT = "practice: a repeat attempt"
AFTER_EXPOSURE = "practice: made after opening this case's transcript"


def attempt_status(first: bool, exposed: bool) -> str:
    """Why an attempt counts toward certification or is practice only."""
    if not first:
        return REPEAT
    return AFTER_EXPOSURE if exposed else COUNTS


def attempts_table(db: Session, actor: User, user_id: int, library: Library) -> pd.DataFrame:
    """One row per submitted formulation attempt of a case still in the library, labelled."""
    exposures = first_exposures(db, actor, user_id)
    seen: set[str] = set()
    rows = []
    for a in list_attempts(db, actor, user_id=user_id):
        if a.case_id not in library.cases:
            continue
        first = a.case_id not in seen
        seen.add(a.case_id)
        exposed_at = exposures.get(a.case_id)
        status = attempt_status(first, exposed_at is not None and exposed_at <= a.submitted_at)
        feedback = a.feedback or {}
        rows.append(
            (
                a.case_id,
                library.cases[a.case_id].key.primary_problem_area,
                a.primary_area,
                bool(feedback.get("correct")),
                feedback.get("cue_score"),
                a.submitted_at,
                status == COUNTS,
                status,
            )
        )
    return pd.DataFrame(rows, columns=ATTEMPT_COLUMNS)


def calibration_scores(db: Session, actor: User, user_id: int, library: Library) -> pd.DataFrame:
    """Item scores of the user's submitted ratings that count: calibration sessions, own rubric."""
    rows = []
    for rating in list_ratings(db, actor, rater_id=user_id, status="submitted"):
        session = library.sessions.get(rating.session_id)
        if session is None or session.use != "calibration" or session.reference_rating is None:
            continue
        if rating.rubric_id != library.cases[session.case].rubric:
            continue
        for item_id, score in get_scores(db, actor, rating.id).items():
            value = None if score.not_applicable else score.score
            rows.append((rating.session_id, item_id, value, rating.submitted_at))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).astype({"score": "float"})


def scale_points(library: Library) -> list[int]:
    """Every scale point of the library's session rubrics (they share one scale in practice)."""
    points = {p for r in library.rubrics.values() if r.target == "session" for p in r.scale.points}
    return sorted(points)


def trainee_standing(
    db: Session, actor: User, user_id: int, library: Library, rule: CertificationRule
) -> tuple[Standing, Calibration | None, pd.DataFrame]:
    """The trainee's standing against the rule, with the calibration and attempts behind it."""
    attempts = attempts_table(db, actor, user_id, library)
    scores = calibration_scores(db, actor, user_id, library)
    calibration = calibrate(scores, library, scale_points(library)) if not scores.empty else None
    return standing(rule, calibration, attempts), calibration, attempts
