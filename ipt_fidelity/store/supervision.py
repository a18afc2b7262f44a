"""Supervisor reads and writes the other store modules lack: the fast long table, cohort editing.

`cohort_long_ratings` is the dashboard's one query. It returns the same rows as
`analytics.cohort_item_ratings` (same permission filter) but reads them straight from the driver's
cursor, without per-row result processing, so 600,000 item ratings load close to the speed of a
raw `fetchall`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from .analytics import _submitted
from .audit import record
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .models import Cohort, ItemScore, Membership, Rating, User
from .people import create_cohort, is_cohort_supervisor
from .transactions import reads, writes

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
def cohort_long_ratings(db: Session, actor: User, cohort_id: int, rubric_id: str) -> pd.DataFrame:
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


def open_cohort(db: Session, actor: User, name: str, description: str = "") -> Cohort:
    """A new cohort: any for an admin; for a supervisor, their own (they become its member)."""
    if actor.role == "admin":
        return create_cohort(db, actor, name, description)
    return _supervised_cohort(db, actor, name, description)


@writes
def _supervised_cohort(db: Session, actor: User, name: str, description: str) -> Cohort:
    if actor.role != "supervisor":
        raise PermissionDenied("Only supervisors and administrators create cohorts.")
    name = name.strip()
    if not name:
        raise InvalidInput("A cohort needs a name.")
    if db.scalar(select(Cohort.id).where(Cohort.name == name)) is not None:
        raise Conflict(f"A cohort named {name!r} exists already.")
    cohort = Cohort(name=name, description=description)
    db.add(cohort)
    db.flush()
    db.add(Membership(cohort_id=cohort.id, user_id=actor.id))
    record(db, actor, "cohort.create", cohort_id=cohort.id, name=name)
    return cohort


@writes
def edit_cohort(db: Session, actor: User, cohort_id: int, name: str, description: str) -> Cohort:
    """Rename a cohort or change its description (its supervisors or an admin); audited."""
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("No such cohort.")
    if actor.role != "admin" and not is_cohort_supervisor(db, actor, cohort_id):
        raise PermissionDenied("Only the cohort's supervisors or an administrator may edit it.")
    name = name.strip()
    if not name:
        raise InvalidInput("A cohort needs a name.")
    clash = select(Cohort.id).where(Cohort.name == name, Cohort.id != cohort_id)
    if db.scalar(clash) is not None:
        raise Conflict(f"A cohort named {name!r} exists already.")
    record(db, actor, "cohort.edit", cohort_id=cohort_id, name=name, was=cohort.name)
    cohort.name, cohort.description = name, description
    return cohort
