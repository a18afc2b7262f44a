"""Each rater against the reference (expert or consensus): agreement, Bland-Altman, drift.

Computed on demand for the raters a supervisor picks, from a `DashboardView`, and remembered
under the view's data version (`memo.VIEW_RESULTS`) so a rerun of the page does not recompute
them. Bias, mean absolute difference, exact and within-one agreement, ICC(A,1) and weighted kappa
come from the engine's `rater_vs_reference`, the Bland-Altman bias and limits from its
`bland_altman`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from ..agreement import bland_altman as engine_bland_altman
from ..agreement import rater_vs_reference
from .dashboard import DashboardView
from .memo import VIEW_RESULTS
from .reference_rater import reference_values
from .scoring import TOTAL

T = TypeVar("T")
DRIFT_BLOCKS = 6
DRIFT_COLUMNS = [
    "rater",
    "unit",
    "submitted_at",
    "items",
    "bias",
    "mean_abs_diff",
    "exact",
    "icc_a1",
]
AGREEMENT_COLUMNS = [
    "rater",
    "name",
    "units",
    "bias",
    "mean_abs_diff",
    "exact",
    "within_one",
    "icc_a1",
    "icc_low",
    "icc_high",
    "icc_reading",
    "kappa_quadratic",
]


def _remembered(view: DashboardView, what: tuple, compute: Callable[[], T]) -> T:
    """A per-rater result of this view, computed once per data version (never for an uncached
    view, whose key is empty)."""
    if not view.key:
        return compute()
    return VIEW_RESULTS.get((view.key, *what), compute)  # type: ignore[return-value]


def _paired(scores: pd.DataFrame, view: DashboardView) -> pd.DataFrame:
    """The rater's scores beside the reference's, for every (unit, item) both scored."""
    frame = scores[["unit", "item", "score"]].astype({"unit": object, "item": object})
    frame["reference"] = reference_values(scores, view.reference)
    return frame.dropna(subset=["score", "reference"])


def _compare(pairs: pd.DataFrame, categories: list | None) -> dict[str, Any]:
    return rater_vs_reference(pairs["score"].to_numpy(), pairs["reference"].to_numpy(), categories)


def _categories(view: DashboardView) -> list:
    return view.report["categories"]


def rater_agreement(view: DashboardView, raters: list[str]) -> pd.DataFrame:
    """One row per rater: their item scores against the reference's, pooled over items."""
    names = view.rater_names
    rows = []
    for rater in raters:
        result = _remembered(
            view,
            ("agreement", rater),
            lambda r=rater: _compare(
                _paired(view.ratings[view.ratings["rater"] == r], view), _categories(view)
            ),
        )
        icc = result["icc_a1"]
        ci = icc.get("ci95") or [None, None]
        rows.append(
            [
                rater,
                names.get(rater, rater),
                result["n_units"],
                result["bias"],
                result["mean_abs_diff"],
                result["exact_agreement"],
                result["within_one"],
                icc.get("estimate"),
                ci[0],
                ci[1],
                icc.get("interpretation"),
                result["weighted_kappa_quadratic"].get("estimate"),
            ]
        )
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def bland_altman(view: DashboardView, rater: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per session: the rater's fidelity total against the reference's (mean and difference).

    Returns the points and ``bias`` (engine), ``low`` and ``high`` limits of agreement
    (bias -+ 1.96 SD of the differences) and ``n``.
    """

    def compute() -> tuple[pd.DataFrame, dict[str, Any]]:
        totals = view.composites[
            (view.composites["rater"] == rater) & (view.composites["item"] == TOTAL)
        ]
        pairs = _paired(totals, view)
        result = engine_bland_altman(pairs["score"].to_numpy(), pairs["reference"].to_numpy())
        points = pd.DataFrame(
            {
                "unit": pairs["unit"].to_numpy(),
                "mean": result["means"],
                "difference": result["differences"],
            }
        )
        limits = {key: result[key] for key in ("bias", "low", "high", "n")}
        return points, limits

    return _remembered(view, ("bland_altman", rater), compute)


def rater_drift(view: DashboardView, rater: str, blocks: int = DRIFT_BLOCKS) -> pd.DataFrame:
    """The rater's agreement with the reference over time, in up to `blocks` runs of sessions.

    Sessions are taken in submission order and cut into consecutive runs of near-equal size (one
    session per run when there are few); each run is compared with the reference by the engine.
    """

    def compute() -> pd.DataFrame:
        scores = view.ratings[view.ratings["rater"] == rater]
        pairs = _paired(scores, view).join(scores["submitted_at"])
        order = pairs.groupby("unit", sort=False)["submitted_at"].max().sort_values(kind="stable")
        run = pd.Series(
            np.arange(len(order)) * min(blocks, len(order)) // max(len(order), 1), index=order.index
        )
        rows = []
        for number, group in pairs.groupby(pairs["unit"].map(run), sort=True):
            result = _compare(group, _categories(view))
            rows.append(
                {
                    "rater": rater,
                    "unit": ", ".join(order.index[run.to_numpy() == number]),
                    "submitted_at": group["submitted_at"].max(),
                    "items": result["n_units"],
                    "bias": result["bias"],
                    "mean_abs_diff": result["mean_abs_diff"],
                    "exact": result["exact_agreement"],
                    "icc_a1": result["icc_a1"].get("estimate"),
                }
            )
        return pd.DataFrame(rows, columns=DRIFT_COLUMNS)

    return _remembered(view, ("drift", rater, blocks), compute)
