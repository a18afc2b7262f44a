"""Audit of real sessions: a reviewed upload saved with its redaction, co-raters, their scores."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from .assignments import create_assignment
from .models import Assignment, ItemScore, Rating, User
from .permissions import cohort_mate_ids, rating_readable, require_staff
from .transactions import reads
from .uploads import get_imported_session

SCORE_COLUMNS = ["unit", "rater", "rater_name", "item", "score", "submitted_at"]


@reads
def co_rater_candidates(db: Session, actor: User) -> list[User]:
    """Active trainees the actor may assign work to: their cohorts' (every trainee for an admin)."""
    require_staff(actor)
    query = select(User).where(User.role == "trainee", User.active).order_by(User.username)
    if actor.role != "admin":
        query = query.where(User.id.in_(cohort_mate_ids(actor)))
    return list(db.scalars(query))


@reads
def co_raters(db: Session, actor: User, session_id: str) -> dict[int, str]:
    """The users assigned to rate an uploaded session, with their rating's status ('' if none)."""
    get_imported_session(db, actor, session_id)
    assigned = select(Assignment.user_id).where(
        Assignment.kind == "rate",
        Assignment.target_id == session_id,
        Assignment.user_id.is_not(None),
    )
    status = dict(
        db.execute(
            select(Rating.rater_id, Rating.status).where(
                Rating.session_id == session_id, rating_readable(actor)
            )
        ).all()
    )
    return {user_id: status.get(user_id, "") for user_id in db.scalars(assigned)}


def assign_co_raters(
    db: Session, actor: User, session_id: str, user_ids: Iterable[int], rubric_id: str
) -> list[int]:
    """A `rate` assignment of the session for each user not yet assigned; returns who was added."""
    already = co_raters(db, actor, session_id)
    added = []
    for user_id in dict.fromkeys(user_ids):
        if user_id not in already:
            create_assignment(
                db, actor, kind="rate", target_id=session_id, user_id=user_id, rubric_id=rubric_id
            )
            added.append(user_id)
    return added


@reads
def submitted_scores(
    db: Session, actor: User, session_ids: Iterable[str], rubric_id: str
) -> pd.DataFrame:
    """Submitted item scores of these sessions the actor may read, one row per (unit, rater, item).

    `score` is NaN for an item marked not applicable.
    """
    query = (
        select(
            Rating.session_id,
            User.username,
            User.display_name,
            ItemScore.item_id,
            ItemScore.score,
            Rating.submitted_at,
        )
        .join(ItemScore, ItemScore.rating_id == Rating.id)
        .join(User, User.id == Rating.rater_id)
        .where(
            Rating.session_id.in_(list(session_ids)),
            Rating.rubric_id == rubric_id,
            Rating.status == "submitted",
            rating_readable(actor),
        )
        .order_by(Rating.session_id, Rating.id, ItemScore.item_id)
    )
    frame = pd.DataFrame(db.execute(query).all(), columns=SCORE_COLUMNS)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype("float64")
    return frame
