"""Submitted item ratings as one long table for the agreement dashboards, and its cache marker.

`cohort_item_ratings` is the dashboard's one query. It reads rows straight from the driver's
cursor, without per-row result processing, so 600,000 item ratings load close to the speed of a
raw `fetchall`; raters' names and roles come from a lookup of the cohort's members.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from .models import ItemScore, Membership, Rating, User
from .permissions import rating_readable
from .transactions import reads


def _submitted(actor: User, cohort_id: int, rubric_id: str) -> list[ColumnElement[bool]]:
    """Conditions on `Rating`: submitted, of this rubric, by a cohort member, readable by actor."""
    members = select(Membership.user_id).where(Membership.cohort_id == cohort_id)
    return [
        Rating.status == "submitted",
        Rating.rubric_id == rubric_id,
        Rating.rater_id.in_(members),
        rating_readable(actor),
    ]


LONG_COLUMNS = ["unit", "rater", "rater_name", "rater_role", "item", "score", "submitted_at"]


def _raw_rows(db: Session, query: Select) -> list[tuple]:
    """Rows of `query` as the driver's plain tuples (no per-row SQLAlchemy processing)."""
    compiled = query.compile(dialect=db.get_bind().dialect)
    params = compiled.params
    arguments = (
        tuple(params[name] for name in compiled.positiontup) if compiled.positional else params
    )
    cursor = db.connection().connection.cursor()
    try:
        cursor.execute(str(compiled), arguments)
        return cursor.fetchall()
    finally:
        cursor.close()


@reads
def cohort_item_ratings(db: Session, actor: User, cohort_id: int, rubric_id: str) -> pd.DataFrame:
    """Submitted item scores of a cohort's members for a rubric, one row per (unit, rater, item).

    `unit`, `rater` (username) and `item` are categorical; `score` is NaN for an item marked not
    applicable; `submitted_at` is a UTC timestamp. One query reads the rows; the raters' names
    and roles come from a lookup of the cohort's members.
    """
    query = (
        select(Rating.session_id, Rating.rater_id, ItemScore.item_id, ItemScore.score)
        .add_columns(Rating.submitted_at)
        .join(ItemScore, ItemScore.rating_id == Rating.id)
        .where(*_submitted(actor, cohort_id, rubric_id))
    )
    rows = np.array(_raw_rows(db, query), dtype=object).reshape(-1, 5)
    score = rows[:, 3].copy()
    score[pd.isna(score)] = np.nan
    members = select(Membership.user_id).where(Membership.cohort_id == cohort_id)
    people = db.execute(
        select(User.id, User.username, User.display_name, User.role)
        .where(User.id.in_(members))
        .order_by(User.id)
    ).all()
    ids = np.array([p.id for p in people], dtype=np.int64)
    who = np.searchsorted(ids, rows[:, 1].astype(np.int64))
    codes, stamps = pd.factorize(rows[:, 4])
    return pd.DataFrame(
        {
            "unit": pd.Categorical(rows[:, 0]),
            "rater": pd.Categorical.from_codes(who, [p.username for p in people]),
            "rater_name": np.array([p.display_name for p in people], dtype=object)[who],
            "rater_role": np.array([p.role for p in people], dtype=object)[who],
            "item": pd.Categorical(rows[:, 2]),
            "score": score.astype(np.float64),
            "submitted_at": pd.to_datetime(pd.Index(stamps), utc=True).take(codes),
        },
        columns=LONG_COLUMNS,
    )


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
