"""Agreement on the primary problem area across a cohort's trainees; their choices vs the expert's.

Each trainee's latest formulation of a case is one rating of that case (a nominal choice among the
four areas). The engine gives Fleiss' kappa, Gwet's AC1 and the rest at nominal level, and the
confusion of chosen against expert areas.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from ..agreement import agreement_report, scale_confusion
from ..content.library import Library
from ..content.vocab import PROBLEM_AREAS
from ..store import cohort_members, list_attempts
from ..store.models import User
from .reference_rater import EXPERT

CHOICE_COLUMNS = ["unit", "rater", "score", "expert"]


def area_choices(db: Session, actor: User, cohort_id: int, library: Library) -> pd.DataFrame:
    """The latest primary area each trainee of the cohort chose for each case in the library."""
    trainees = {
        u.id: u.username for u in cohort_members(db, actor, cohort_id) if u.role == "trainee"
    }
    rows = {
        (a.user_id, a.case_id): (
            a.case_id,
            trainees[a.user_id],
            a.primary_area,
            library.cases[a.case_id].key.primary_problem_area,
        )
        for a in list_attempts(db, actor)
        if a.user_id in trainees and a.case_id in library.cases
    }
    return pd.DataFrame(list(rows.values()), columns=CHOICE_COLUMNS)


def area_agreement(choices: pd.DataFrame, with_expert: bool = False) -> dict[str, Any]:
    """The engine's nominal report of the choices (cases are units; the expert may be a rater)."""
    long = choices[["unit", "rater", "score"]]
    if with_expert:
        expert = choices.drop_duplicates("unit")[["unit", "expert"]]
        long = pd.concat(
            [long, expert.rename(columns={"expert": "score"}).assign(rater=EXPERT)],
            ignore_index=True,
        )
    report = agreement_report(long, "nominal", categories=PROBLEM_AREAS)
    return report["items"]["all"]


def area_confusion(choices: pd.DataFrame) -> dict[str, Any]:
    """Counts of chosen (rows) against expert (columns) areas over every (trainee, case)."""
    units = choices["rater"] + "/" + choices["unit"]
    long = pd.concat(
        [
            pd.DataFrame({"unit": units, "rater": "chosen", "score": choices["score"]}),
            pd.DataFrame({"unit": units, "rater": "expert", "score": choices["expert"]}),
        ],
        ignore_index=True,
    )
    return scale_confusion(long, PROBLEM_AREAS, rater_a="chosen", rater_b="expert")
