"""The agreement dashboard's data: one long table, the engine's report, cached per data version.

Every coefficient comes from `ipt_fidelity.agreement`. This module decides what to ask the engine
(items on the rubric's scale; section scores and the fidelity total as interval scores), reshapes
the answers into tables, and lines up each score with the reference's so the engine's `bias_matrix`
gives the heatmap's signed deviations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from ..agreement import agreement_report, raters_needed, scale_confusion, spearman_brown
from ..content.library import Library
from ..content.models import Rubric
from ..store.analytics import cohort_item_ratings, latest_submission_marker
from ..store.models import User
from .memo import VIEW_RESULTS, Memo
from .references import (
    EXPERT,
    consensus_reference,
    deviation_matrix,
    expert_reference,
)
from .scoring import KEYS, TOTAL, categorical, composite_labels, composite_scores

LEVEL = "interval"
TARGETS = (0.75, 0.80, 0.90)
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
class IccChoice:
    """The ICC form shown, why, and the coefficient items are ranked by."""

    key: str
    name: str
    reason: str
    headline: str


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
    choice: IccChoice
    summary: pd.DataFrame  # one row per item or composite, worst agreement first
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


def choose_icc(total: dict[str, Any]) -> IccChoice:
    """ICC(A,1) for a crossed design; Krippendorff's alpha ranks items when it is not crossed."""
    icc = total["coefficients"].get("ICC2", {})
    complete, units = icc.get("n_units_complete", 0), total["n_units"]
    if complete == units and complete >= 2:
        reason = (
            "ICC(A,1), two-way random, absolute agreement, single rater: every rater rated every "
            "session, the raters stand for trainees the programme will certify, and each will "
            "later score alone on the rubric's absolute scale."
        )
        return IccChoice("ICC2", "ICC(A,1)", reason, "ICC2")
    reason = (
        f"ICC(A,1) uses only the {complete} of {units} sessions every rater rated, so items are "
        "ranked by Krippendorff's alpha (interval), which uses every rating and tolerates "
        "missing ones."
    )
    return IccChoice("ICC2", "ICC(A,1)", reason, "krippendorff_alpha")


def _confused_points(confusion: dict[str, Any]) -> str:
    """The pair of scale points raters most often split on, from the engine's pair counts."""
    counts = np.triu(np.asarray(confusion["counts"], dtype=float), k=1)
    if counts.sum() == 0:
        return ""
    i, j = np.unravel_index(np.argmax(counts), counts.shape)
    labels = confusion["categories"]
    return f"{labels[i]} vs {labels[j]} ({counts[i, j] / counts.sum():.0%} of split pairs)"


def _record(report: dict[str, Any], key: str) -> dict[str, Any]:
    return report["coefficients"].get(key) or {}


def summary_table(
    reports: dict[str, dict[str, Any]],
    choice: IccChoice,
    labels: dict[str, str],
    rubric: Rubric,
    confused: dict[str, str],
) -> pd.DataFrame:
    """One row per item or composite: the headline coefficients, worst agreement first."""
    kinds = {item.id: item.kind for item in rubric.items}
    rows = []
    for key, report in reports.items():
        icc, alpha = _record(report, choice.key), _record(report, "krippendorff_alpha")
        icc_ci, alpha_ci = icc.get("ci95") or [None, None], alpha.get("ci95") or [None, None]
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "group": "item" if key in kinds else "composite",
                "kind": kinds.get(key, ""),
                "units": report["n_units"],
                "raters": report["n_raters"],
                "ratings": report["n_ratings"],
                "icc": icc.get("estimate"),
                "icc_low": icc_ci[0],
                "icc_high": icc_ci[1],
                "icc_reading": icc.get("interpretation", "undefined"),
                "alpha": alpha.get("estimate"),
                "alpha_low": alpha_ci[0],
                "alpha_high": alpha_ci[1],
                "alpha_reading": alpha.get("interpretation", "undefined"),
                "exact": _record(report, "percent_agreement").get("estimate"),
                "within_one": _record(report, "percent_agreement_within_one").get("estimate"),
                "headline": _record(report, choice.headline).get("estimate"),
                "confused": confused.get(key, ""),
                "why_undefined": icc.get("undefined_reason", ""),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.sort_values("headline", na_position="last", kind="stable")
    return table.reset_index(drop=True)


def decision_study(reports: dict[str, dict[str, Any]], choice: IccChoice) -> pd.DataFrame:
    """Raters needed for each target reliability, from the single-rater ICC (Spearman-Brown)."""
    rows = []
    for key, report in reports.items():
        r1 = _record(report, choice.key).get("estimate")
        needed = {f"k_{t:.2f}": (raters_needed(r1, t) if r1 is not None else None) for t in TARGETS}
        rows.append({"key": key, "r1": r1, **needed})
    return pd.DataFrame(rows, columns=["key", "r1", *(f"k_{t:.2f}" for t in TARGETS)])


def prophecy_curve(r1: float, max_raters: int = 10) -> pd.DataFrame:
    """Reliability of the mean of 1..max_raters raters (Spearman-Brown), for the curve."""
    ks = range(1, max_raters + 1)
    return pd.DataFrame({"raters": list(ks), "reliability": [spearman_brown(r1, k) for k in ks]})


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
    choice = choose_icc(reports.get(TOTAL) or _empty_item())
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
        choice=choice,
        summary=summary_table(reports, choice, labels, rubric, confused),
        confusion=confusion,
        deviation=deviation,
        dstudy=decision_study(reports, choice),
        labels=labels,
        rater_names=dict(zip(first["rater"], first["rater_name"], strict=True)),
        key=key,
    )


def _empty_item() -> dict[str, Any]:
    return {"n_units": 0, "n_raters": 0, "n_ratings": 0, "coefficients": {}}


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


def poorly_agreed_items(view: DashboardView, min_units: int = 5) -> list[str]:
    """Labels of the items whose headline agreement reads poor on enough sessions to judge."""
    items = view.summary[view.summary["group"] == "item"] if not view.summary.empty else None
    if items is None:
        return []
    poor = items[(items["icc_reading"] == "poor") & (items["units"] >= min_units)]
    return list(poor["label"])
