"""Co-raters of one audited session: their scores side by side and how far they agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..agreement import agreement_report
from ..content.models import Rubric
from .scoring import fidelity_totals


@dataclass(frozen=True)
class SessionAgreement:
    """Co-raters of one session: their scores side by side, totals, and agreement over items."""

    scores: pd.DataFrame  # item x rater
    totals: pd.Series  # fidelity total per rater
    report: dict[str, Any] | None  # engine report with the session's items as units


def session_agreement(scores: pd.DataFrame, rubric: Rubric) -> SessionAgreement:
    """How the raters of one session agree: the engine's coefficients with items as the units.

    Within one session each item has one value per rater, so per-item coefficients are undefined;
    over the session's items (units) the raters' profiles can be compared (ICC, alpha, exact and
    within-one agreement). Needs two raters; `report` is None otherwise.
    """
    wide = scores.pivot(index="item", columns="rater", values="score")
    order = [i.id for i in rubric.items if i.id in wide.index]
    totals = fidelity_totals(scores, rubric).set_index("rater")["score"]
    report = None
    if scores["rater"].nunique() >= 2:
        long = pd.DataFrame(
            {"unit": scores["item"], "rater": scores["rater"], "score": scores["score"]}
        )
        report = agreement_report(
            long,
            "interval",
            categories=rubric.scale.points,
            n_boot=500,
        )["items"]["all"]
    return SessionAgreement(scores=wide.loc[order], totals=totals, report=report)
