"""Submitted item ratings as one long table for the agreement dashboards, and its cache marker."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from .models import ItemScore, Membership, Rating, User
from .permissions import rating_readable
from .transactions import reads

COLUMNS = [
    "unit",
    "rater",
    "rater_name",
    "rater_role",
    "item",
    "score",
    "not_applicable",
    "rubric_version",
    "submitted_at",
    "rating_id",
]


def _submitted(actor: User, cohort_id: int, rubric_id: str) -> list[ColumnElement[bool]]:
    """Conditions on `Rating`: submitted, of this rubric, by a cohort member, readable by actor."""
    members = select(Membership.user_id).where(Membership.cohort_id == cohort_id)
    return [
        Rating.status == "submitted",
        Rating.rubric_id == rubric_id,
        Rating.rater_id.in_(members),
        rating_readable(actor),
    ]


@reads
def cohort_item_ratings(db: Session, actor: User, cohort_id: int, rubric_id: str) -> pd.DataFrame:
    """Every submitted item score of a cohort's members for a rubric that the actor may read.

    One row per (session, rater, item): `unit` is the session id, `score` is NaN when the item
    was marked not applicable. Built by one SQL query.
    """
    query = (
        select(
            Rating.session_id.label("unit"),
            User.username.label("rater"),
            User.display_name.label("rater_name"),
            User.role.label("rater_role"),
            ItemScore.item_id.label("item"),
            ItemScore.score,
            ItemScore.not_applicable,
            Rating.rubric_version,
            Rating.submitted_at,
            Rating.id.label("rating_id"),
        )
        .join(ItemScore, ItemScore.rating_id == Rating.id)
        .join(User, User.id == Rating.rater_id)
        .where(*_submitted(actor, cohort_id, rubric_id))
        .order_by(Rating.submitted_at, Rating.id, ItemScore.item_id)
    )
    rows = db.execute(query).all()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype("float64")
    frame["not_applicable"] = frame["not_applicable"].astype(bool)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    return frame


@reads
def latest_submission_marker(
    db: Session, actor: User, cohort_id: int, rubric_id: str
) -> tuple[datetime | None, int]:
    """(Newest submission time, number of submitted ratings): changes whenever the table does."""
    query = select(func.max(Rating.submitted_at), func.count(Rating.id)).where(
        *_submitted(actor, cohort_id, rubric_id)
    )
    newest, count = db.execute(query).one()
    return newest, int(count)
