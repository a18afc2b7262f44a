"""A trainee's answers against the expert, item by item: from drills and from full ratings.

The drills page uses it to choose where to send the trainee next; the progress page and the
dashboard use it to show per-item calibration from drills beside full ratings (certification
stays on full ratings alone).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from ..content.library import Library
from ..store import get_scores, list_ratings
from ..store.drills import cohort_member_ids, list_drill_attempts
from ..store.models import User

HISTORY_COLUMNS = ["user_id", "item", "session", "score", "expert", "source", "at"]
SUMMARY_COLUMNS = ["item", "source", "answers", "bias", "mean_abs_diff", "exact"]


def drill_answers(db: Session, actor: User, user_ids: list[int] | None) -> pd.DataFrame:
    """Drill answers as history rows."""
    rows = [
        (a.user_id, a.item_id, a.session_id, a.score, a.expert_score, "drill", a.answered_at)
        for a in list_drill_attempts(db, actor, user_ids=user_ids)
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def rating_answers(db: Session, actor: User, user_id: int, library: Library) -> pd.DataFrame:
    """The user's submitted item scores of shipped sessions beside the expert's, as history."""
    rows = []
    for rating in list_ratings(db, actor, rater_id=user_id, status="submitted"):
        session = library.sessions.get(rating.session_id)
        reference = session.reference_rating if session else None
        if reference is None or reference.rubric != rating.rubric_id:
            continue
        for item_id, score in get_scores(db, actor, rating.id).items():
            expert = reference.items.get(item_id)
            if score.score is None or expert is None or expert.score is None:
                continue
            rows.append(
                (user_id, item_id, rating.session_id, score.score, expert.score, "rating",
                 rating.submitted_at)
            )  # fmt: skip
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def trainee_history(db: Session, actor: User, user_id: int, library: Library) -> pd.DataFrame:
    """Every scored answer of the trainee against the expert, drills and ratings, oldest first."""
    frames = [drill_answers(db, actor, [user_id]), rating_answers(db, actor, user_id, library)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    history = pd.concat(frames, ignore_index=True)
    return history.sort_values("at", kind="stable").reset_index(drop=True)


def item_calibration(history: pd.DataFrame) -> pd.DataFrame:
    """Per item and source (drill or rating): answers, bias, mean |difference|, exact share."""
    if history.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    diff = history["score"].astype(float) - history["expert"].astype(float)
    frame = history.assign(diff=diff, absdiff=diff.abs(), exact=(diff == 0).astype(float))
    grouped = frame.groupby(["item", "source"], sort=True)
    table = grouped.agg(
        answers=("diff", "size"),
        bias=("diff", "mean"),
        mean_abs_diff=("absdiff", "mean"),
        exact=("exact", "mean"),
    )
    return table.reset_index()[SUMMARY_COLUMNS]


def cohort_drill_results(db: Session, actor: User, cohort_id: int) -> pd.DataFrame:
    """Per item: the cohort's trainees' drill answers against the expert (not certification)."""
    answers = drill_answers(db, actor, cohort_member_ids(db, actor, cohort_id))
    table = item_calibration(answers)
    trainees = answers.groupby("item")["user_id"].nunique().rename("trainees")
    return table.drop(columns="source").join(trainees, on="item")
