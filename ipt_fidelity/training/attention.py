"""What needs a supervisor's attention, cohort by cohort: overdue work, raters drifting from the
expert, items raters read differently, trainees ready for a certification decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..content.library import Library
from ..store import is_cohort_supervisor, list_cohorts
from ..store.models import User
from .completion import OVERDUE, cohort_completion
from .dashboard import Scope, cohort_view, poorly_agreed_items
from .readiness import cohort_readiness
from .settings import CertificationRule


@dataclass(frozen=True)
class Attention:
    """One thing to look at: what, in which cohort, and the page (with its query) that shows it."""

    cohort: str
    text: str
    page: str
    query: dict[str, str]


def supervisor_attention(
    db: Session, actor: User, library: Library, rule: CertificationRule, today: date
) -> list[Attention]:
    """Every open matter in the cohorts the actor supervises (all cohorts for an admin)."""
    found: list[Attention] = []
    for cohort in list_cohorts(db, actor):
        if actor.role != "admin" and not is_cohort_supervisor(db, actor, cohort.id):
            continue
        query = {"cohort": str(cohort.id)}
        matrix = cohort_completion(db, actor, cohort.id, today)
        overdue = int((matrix == OVERDUE).to_numpy().sum()) if not matrix.empty else 0
        if overdue:
            found.append(
                Attention(cohort.name, f"{overdue} assignment(s) overdue", "cohorts", query)
            )
        for rubric in library.rubrics.values():
            if rubric.target != "session":
                continue
            view = cohort_view(db, actor, Scope(cohort.id, rubric.id), rubric, library)
            if poor := poorly_agreed_items(view):
                found.append(
                    Attention(
                        cohort.name,
                        f"{len(poor)} item(s) of {rubric.title} with poor agreement: "
                        + "; ".join(poor[:3])
                        + ("…" if len(poor) > 3 else ""),
                        "dashboard",
                        query | {"rubric": rubric.id},
                    )
                )
        readiness = cohort_readiness(db, actor, cohort.id, library, rule)
        drifting = [
            row.trainee.display_name
            for row in readiness
            if row.calibration is not None
            and row.calibration.overall.get("bias") is not None
            and abs(row.calibration.overall["bias"]) > rule.max_abs_bias
        ]
        if drifting:
            found.append(
                Attention(
                    cohort.name,
                    f"bias beyond ±{rule.max_abs_bias:g} against the expert: {', '.join(drifting)}",
                    "certification",
                    query,
                )
            )
        waiting = [
            row.trainee.display_name
            for row in readiness
            if row.standing.ready and row.latest_decision != "certified"
        ]
        if waiting:
            found.append(
                Attention(
                    cohort.name,
                    f"ready for a certification decision: {', '.join(waiting)}",
                    "certification",
                    query,
                )
            )
    return found
