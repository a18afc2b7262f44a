"""Who did what: each trainee's status on each of a cohort's assignments."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from ..store import cohort_members, list_assignments, list_attempts, list_ratings
from ..store.models import Assignment, FormulationAttempt, Rating, User

DONE, STARTED, OVERDUE, TO_DO = "done", "started", "overdue", "to do"


def assignment_label(assignment: Assignment) -> str:
    """What the assignment asks and by when, in a few words."""
    verb = "rate" if assignment.kind == "rate" else "formulate"
    due = f" · due {assignment.due_date.isoformat()}" if assignment.due_date else ""
    second = " · 2nd rater" if assignment.second_rater else ""
    return f"{verb} {assignment.target_id}{due}{second} (#{assignment.id})"


def completion_matrix(
    assignments: list[Assignment],
    trainees: list[User],
    ratings: list[Rating],
    attempts: list[FormulationAttempt],
    today: date,
) -> pd.DataFrame:
    """Trainee x assignment: done, started (a draft), overdue or to do; blank if not theirs."""
    rated = {(r.rater_id, r.session_id, r.rubric_id): r.status for r in ratings}
    formulated = {(a.user_id, a.case_id) for a in attempts}
    table = {}
    for assignment in assignments:
        column = {}
        for trainee in trainees:
            if assignment.user_id not in (None, trainee.id):
                continue
            if assignment.kind == "rate":
                status = rated.get((trainee.id, assignment.target_id, assignment.rubric_id))
                done, started = status == "submitted", status == "draft"
            else:
                done, started = (trainee.id, assignment.target_id) in formulated, False
            late = assignment.due_date is not None and assignment.due_date < today
            column[trainee.display_name] = (
                DONE if done else STARTED if started and not late else OVERDUE if late else TO_DO
            )
        table[assignment_label(assignment)] = column
    index = [t.display_name for t in trainees]
    return pd.DataFrame(table, index=index, dtype=object).reindex(index).fillna("")


def cohort_completion(db: Session, actor: User, cohort_id: int, today: date) -> pd.DataFrame:
    """The completion matrix of a cohort's trainees over the assignments given to them."""
    trainees = [u for u in cohort_members(db, actor, cohort_id) if u.role == "trainee"]
    ids = {t.id for t in trainees}
    assignments = [
        a for a in list_assignments(db, actor) if a.cohort_id == cohort_id or a.user_id in ids
    ]
    ratings = [r for r in list_ratings(db, actor) if r.rater_id in ids]
    attempts = [a for a in list_attempts(db, actor) if a.user_id in ids]
    return completion_matrix(assignments, trainees, ratings, attempts, today)
