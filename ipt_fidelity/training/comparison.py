"""A submitted rating beside the expert's and the cohort's, item by item, with a summary."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from ..agreement import HEADLINE, Coefficient, rater_vs_reference
from ..content.models import Rubric
from ..store import get_scores, list_ratings
from ..store.targets import RateTarget

MIN_COHORT = 3
NA = "N/A"


def _shown(score) -> Any:
    if score is None:
        return None
    return NA if score.not_applicable else score.score


def cohort_medians(db: Session, actor, target: RateTarget, rubric: Rubric) -> dict[str, float]:
    """Median score per item over the other submitted ratings the actor may read (>= 3)."""
    others = [
        r
        for r in list_ratings(
            db, actor, session_id=target.id, rubric_id=rubric.id, status="submitted"
        )
        if r.rater_id != actor.id
    ]
    if len(others) < MIN_COHORT:
        return {}
    rows = [
        (item_id, s.score)
        for r in others
        for item_id, s in get_scores(db, actor, r.id).items()
        if s.score is not None
    ]
    frame = pd.DataFrame(rows, columns=["item", "score"])
    return frame.groupby("item")["score"].median().to_dict()


def comparison_table(
    db: Session, actor, target: RateTarget, rubric: Rubric, scores: dict
) -> pd.DataFrame:
    """One row per item in scope: yours, the expert's, the distance, the cohort median."""
    reference = target.reference.items if target.reference else {}
    medians = cohort_medians(db, actor, target, rubric) if target.reference else {}
    rows = []
    for item in target.items(rubric):
        mine = scores.get(item.id)
        expert = reference.get(item.id)
        yours, theirs = (
            _shown(mine),
            (None if expert is None else NA if expert.not_applicable else expert.score),
        )
        numeric = isinstance(yours, int) and isinstance(theirs, int)
        rows.append(
            {
                "item_id": item.id,
                "section": rubric.section_of(item.id).title,
                "item": item.text,
                "yours": yours,
                "expert": theirs,
                "distance": abs(yours - theirs) if numeric else None,
                "cohort median": medians.get(item.id),
                "rationale": expert.rationale if expert else "",
                "expert evidence": ", ".join(map(str, expert.evidence)) if expert else "",
                "your evidence": ", ".join(map(str, mine.evidence)) if mine else "",
            }
        )
    return pd.DataFrame(rows).set_index("item_id")


def headline(stats: dict[str, Any]) -> Coefficient:
    """The headline ICC of a :func:`summary` (or calibration) as a view with its counts."""
    return Coefficient.from_record(HEADLINE, stats.get("icc_a1"))


def headline_sentence(stats: dict[str, Any], unit_word: str = "items") -> str:
    """The headline ICC in one sentence: estimate, interval, reading and what it rests on."""
    icc = headline(stats)
    if icc.estimate is None:
        return f"{icc.label}: undefined ({icc.undefined_reason})."
    text = f"{icc.label} {icc.estimate_text}"
    if icc.ci95:
        text += f", 95% CI {icc.ci_text}"
    text += f", over {icc.support(unit_word)} scored by both: {icc.reading}."
    if note := icc.shortfall(unit_word):
        text += f" Not judged yet: {note}."
    return text


def summary(table: pd.DataFrame, rubric: Rubric) -> dict[str, Any]:
    """Bias, mean absolute difference, exact/within-one agreement and the headline ICC."""
    both = table[table["distance"].notna()]
    return rater_vs_reference(
        both["yours"].astype(float).to_numpy(),
        both["expert"].astype(float).to_numpy(),
        rubric.scale.points,
    )
