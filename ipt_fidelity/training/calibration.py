"""Calibration of a rater against the expert reference ratings of the shipped sessions.

Pairs each of the rater's item scores with the expert's score of the same item in the same session
(not-applicable on either side drops the pair), then asks the agreement engine for bias, mean
absolute difference, exact and within-one agreement, ICC(A,1) and weighted kappa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..agreement import rater_vs_reference
from ..content.library import Library
from .reference_rater import reference_scores


def paired(scores: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Join a rater's scores (session, item, score[, submitted_at]) with the expert's."""
    numeric = scores.dropna(subset=["score"])
    return numeric.merge(references, on=["session", "item"], how="inner")


@dataclass
class Calibration:
    """A rater's overall agreement with the expert, and the same per session over time."""

    overall: dict[str, Any]
    per_session: pd.DataFrame
    n_sessions: int


def calibrate(
    scores: pd.DataFrame, library: Library, categories: list[int] | None = None
) -> Calibration:
    """Calibration of one rater's submitted scores against the expert, overall and by session."""
    pairs = paired(scores, reference_scores(library))
    overall = rater_vs_reference(
        pairs["score"].to_numpy(), pairs["reference"].to_numpy(), categories
    )
    rows = []
    for session_id, group in pairs.groupby("session", sort=False):
        diff = group["score"] - group["reference"]
        rows.append(
            {
                "session": session_id,
                "submitted_at": group["submitted_at"].max() if "submitted_at" in group else None,
                "items": len(group),
                "bias": float(diff.mean()),
                "mean_abs_diff": float(diff.abs().mean()),
                "exact": float((diff == 0).mean()),
                "within_one": float((diff.abs() <= 1).mean()),
            }
        )
    per_session = pd.DataFrame(
        rows,
        columns=[
            "session",
            "submitted_at",
            "items",
            "bias",
            "mean_abs_diff",
            "exact",
            "within_one",
        ],
    )
    if not per_session.empty and per_session["submitted_at"].notna().all():
        per_session = per_session.sort_values("submitted_at", kind="stable")
    return Calibration(overall, per_session.reset_index(drop=True), len(per_session))
