"""The agreement dashboard's data: one long table, the engine's report, cached per data version.

Every coefficient comes from `ipt_fidelity.agreement`. This module decides what to ask the engine
(items on the rubric's scale; section scores and the fidelity total as interval scores), reshapes
the answers into tables (`agreement_summary`), and lines up each score with the reference's so
the engine's `bias_matrix` gives the heatmap's signed deviations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from ..agreement import agreement_report, scale_confusion
from ..content.library import Library
from ..content.models import Rubric
from ..store.analytics import cohort_item_ratings, latest_submission_marker
from ..store.models import User
from .agreement_summary import (
    TARGETS,
    decision_study,
    poorly_agreed,
    prophecy_curve,
    summary_table,
)
from .memo import VIEW_RESULTS, Memo
from .reference_rater import (
    EXPERT,
    consensus_reference,
    deviation_matrix,
    expert_reference,
)
from .scoring import KEYS, categorical, composite_labels, composite_scores
from .settings import default_settings

LEVEL = "interval"
__all__ = ["TARGETS", "DashboardView", "Scope", "build_view", "cohort_view", "prophecy_curve"]
MEMO_SIZE = 4


@dataclass(frozen=True)
class Scope:
    """What the supervisor looks at: a cohort's ratings with a rubric, narrowed and framed."""

    cohort_id: int
    rubric_id: str
    sessions: tuple[str, ...] = ()  # empty: every session with submitted ratings
    with_expert: bool = False  # count the expert's reference rating as one more rater
    basis: str = "expert"  # deviations from the "expert", else from the "consensus"
    include_staff: bool = False  # count supervisors' own ratings


@dataclass(frozen=True)
class DashboardView:
    """Everything the dashboard draws, computed once per data version and never changed after:
    per-rater results are remembered by `raters` under `key`, figures are built by the UI."""

    ratings: pd.DataFrame  # unit, rater, rater_name, item, score, submitted_at
    composites: pd.DataFrame  # unit, rater, item (section:<id>, total, quality), score
    reference: pd.DataFrame  # unit, item, reference: the basis of deviations (items + composites)
    basis: str  # "expert" or "consensus"
    report: dict[str, Any]  # engine report of the items, on the rubric's scale
    composite_report: dict[str, Any]  # engine report of the section scores and totals
    summary: pd.DataFrame  # one row per item or composite: ranked worst first, then the rest
    confusion: dict[str, dict[str, Any]]  # engine scale confusion per item
    deviation: pd.DataFrame  # rater x item mean signed deviation from the reference
    dstudy: pd.DataFrame  # raters needed per target, per item and composite
    labels: dict[str, str]  # item or composite key -> label
    rater_names: dict[str, str]  # username -> display name
    key: tuple = ()  # the data version it was computed for (empty: not cached)

    @property
    def raters(self) -> list[str]:
        return sorted(set(self.ratings["rater"].cat.categories) - {EXPERT})


def coded(ratings: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """Unit, rater and item as integer codes for the engine (its fast path), and the items."""
    frame = pd.DataFrame(
        {key: ratings[key].cat.codes.to_numpy(dtype=np.int64) for key in KEYS}
        | {"score": ratings["score"].to_numpy()}
    )
    return frame, ratings["item"].cat.categories


def _relabel(report: dict[str, Any], items: pd.Index) -> dict[str, Any]:
    """The engine's report keyed by item label instead of item code."""
    return {**report, "items": {str(items[int(k)]): v for k, v in report["items"].items()}}


# ---------------------------------------------------------------- the view


def _confused_points(confusion: dict[str, Any]) -> str:
    """The pair of scale points raters most often split on, from the engine's pair counts."""
    counts = np.triu(np.asarray(confusion["counts"], dtype=float), k=1)
    if counts.sum() == 0:
        return ""
    i, j = np.unravel_index(np.argmax(counts), counts.shape)
    labels = confusion["categories"]
    return f"{labels[i]} vs {labels[j]} ({counts[i, j] / counts.sum():.0%} of split pairs)"


def _scoped(ratings: pd.DataFrame, scope: Scope, rubric: Rubric) -> pd.DataFrame:
    keep = ratings["item"].isin({item.id for item in rubric.items})
    if not scope.include_staff:
        keep &= ratings["rater_role"] == "trainee"
    if scope.sessions:
        keep &= ratings["unit"].isin(scope.sessions)
    return ratings.loc[keep, ["unit", "rater", "rater_name", "item", "score", "submitted_at"]]


def _with_expert(ratings: pd.DataFrame, expert: pd.DataFrame) -> pd.DataFrame:
    rated = expert[expert["unit"].isin(ratings["unit"].unique())]
    rows = pd.DataFrame(
        {
            "unit": rated["unit"],
            "rater": EXPERT,
            "rater_name": EXPERT,
            "item": rated["item"],
            "score": rated["reference"].astype(float),
            "submitted_at": pd.NaT,
        }
    )
    return pd.concat([ratings, rows], ignore_index=True)


def build_view(
    ratings: pd.DataFrame, rubric: Rubric, expert: pd.DataFrame, scope: Scope, key: tuple = ()
) -> DashboardView:
    """The dashboard's tables and engine reports from the cohort's long table."""
    ratings = _scoped(ratings, scope, rubric)
    if scope.with_expert and not expert.empty:
        ratings = _with_expert(ratings, expert)
    ratings = categorical(ratings)
    ratings = ratings.assign(**{k: ratings[k].cat.remove_unused_categories() for k in KEYS})
    labels = composite_labels(rubric)
    composites = composite_scores(ratings, rubric)
    trainees = ratings[ratings["rater"] != EXPERT]
    shared = expert[expert["unit"].isin(trainees["unit"].unique())]
    basis = "expert" if scope.basis == "expert" and not shared.empty else "consensus"
    items_ref = shared if basis == "expert" else consensus_reference(trainees, rubric)
    expert_rows = items_ref.rename(columns={"reference": "score"}).assign(rater="reference")
    composite_ref = composite_scores(expert_rows, rubric).rename(columns={"score": "reference"})
    reference = pd.concat(
        [items_ref[["unit", "item", "reference"]], composite_ref[["unit", "item", "reference"]]],
        ignore_index=True,
    ).astype({"unit": object, "item": object})
    codes, items = coded(ratings)
    report = _relabel(agreement_report(codes, LEVEL, categories=rubric.scale.points), items)
    composite_codes, composite_items = coded(composites)
    composite_report = _relabel(agreement_report(composite_codes, LEVEL), composite_items)
    reports = {**report["items"], **composite_report["items"]}
    confusion = {
        str(items[code]): scale_confusion(group[["unit", "rater", "score"]], rubric.scale.points)
        for code, group in codes.groupby("item", sort=True)
    }
    confused = {key: _confused_points(c) for key, c in confusion.items()}
    deviation = pd.concat(
        [
            deviation_matrix(trainees, reference),
            deviation_matrix(composites[composites["rater"] != EXPERT], reference),
        ],
        axis=1,
    )
    first = ratings.drop_duplicates("rater")
    return DashboardView(
        ratings=ratings.reset_index(drop=True),
        composites=composites,
        reference=reference,
        basis=basis,
        report=report,
        composite_report=composite_report,
        summary=summary_table(
            reports, labels, rubric, confused, default_settings().agreement.min_units
        ),
        confusion=confusion,
        deviation=deviation,
        dstudy=decision_study(reports),
        labels=labels,
        rater_names=dict(zip(first["rater"], first["rater_name"], strict=True)),
        key=key,
    )


# ---------------------------------------------------------------- the cache

_VIEWS: Memo[DashboardView] = Memo(MEMO_SIZE)


def cohort_view(
    db: Session, actor: User, scope: Scope, rubric: Rubric, library: Library
) -> DashboardView:
    """The view of a scope, computed once per data version (keyed on the latest submission).

    The key holds the database, the actor, the scope, the rubric version and the submission
    marker; content (the expert's reference ratings) is read-only while the app runs.
    """
    marker = latest_submission_marker(db, actor, scope.cohort_id, rubric.id)
    key = (str(db.get_bind().url), actor.id, scope, rubric.id, rubric.version, marker)

    def compute() -> DashboardView:
        ratings = cohort_item_ratings(db, actor, scope.cohort_id, rubric.id)
        return build_view(ratings, rubric, expert_reference(library, rubric), scope, key)

    return _VIEWS.get(key, compute)


def clear_memo() -> None:
    """Forget every cached view and per-rater result (tests and benchmarks start cold)."""
    _VIEWS.clear()
    VIEW_RESULTS.clear()


def poorly_agreed_items(view: DashboardView, min_units: int | None = None) -> list[str]:
    """Labels of the items whose headline agreement reads poor on enough sessions to judge.

    Items resting on fewer than ``min_units`` sessions (default: ``agreement.min_units`` of
    the settings, as the summary used) are never among them.
    """
    if view.summary.empty:
        return []
    summary = view.summary
    if min_units is not None:
        summary = summary.assign(ranked=summary["ranked"] & (summary["icc_units"] >= min_units))
    return poorly_agreed(summary)
