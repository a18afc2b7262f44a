"""A cohort's trainees against the certification rule, with the evidence and past decisions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from ..content.library import Library
from ..store import cohort_members, list_decisions
from ..store.models import CertificationDecision, User
from .calibration import Calibration
from .certification import Standing
from .progress import trainee_standing
from .settings import CertificationRule


@dataclass
class Readiness:
    """One trainee's standing, the calibration and attempts behind it, and the decisions taken."""

    trainee: User
    standing: Standing
    calibration: Calibration | None
    attempts: pd.DataFrame
    decisions: list[CertificationDecision]

    @property
    def latest_decision(self) -> str:
        return self.decisions[-1].decision if self.decisions else "none yet"


def cohort_readiness(
    db: Session,
    actor: User,
    cohort_id: int,
    library: Library,
    rule: CertificationRule,
) -> list[Readiness]:
    """Every trainee of the cohort against the rule (the same evaluation trainees see)."""
    out = []
    for trainee in cohort_members(db, actor, cohort_id):
        if trainee.role != "trainee":
            continue
        standing, calibration, attempts = trainee_standing(db, actor, trainee.id, library, rule)
        decisions = list_decisions(db, actor, trainee_id=trainee.id)
        out.append(Readiness(trainee, standing, calibration, attempts, decisions))
    return out


def readiness_table(rows: list[Readiness]) -> pd.DataFrame:
    """One row per trainee: ready or not, each criterion's observed value and mark, the decision."""
    records = []
    for row in rows:
        record = {
            "trainee": row.trainee.display_name,
            "username": row.trainee.username,
            "ready": row.standing.ready,
        }
        for criterion in row.standing.criteria:
            mark = "met" if criterion.met else "not met"
            record[criterion.name] = f"{criterion.observed} ({mark})"
        record["decision"] = row.latest_decision
        records.append(record)
    return pd.DataFrame(records)


def criteria_table(row: Readiness) -> pd.DataFrame:
    """The evidence for one trainee: each criterion, what is required and what they have."""
    return pd.DataFrame(
        [(c.name, c.required, c.observed, c.met) for c in row.standing.criteria],
        columns=["criterion", "required", "observed", "met"],
    )
