"""The agreement dashboard's figures, built from a `DashboardView` on each run (never kept in
the shared view), and the page's first view that the dashboard benchmark times."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..agreement import HEADLINE_LABEL
from ..training.dashboard import TARGETS, DashboardView, prophecy_curve
from ..training.raters import bland_altman, rater_agreement, rater_drift
from ..training.scoring import TOTAL
from . import charts

MANY_RATERS = 25
DRIFT_SHOWN = 3  # raters whose drift shows before the supervisor picks


def default_raters(view: DashboardView) -> list[str]:
    """The raters compared before the supervisor picks any: all, or the first few of many."""
    return view.raters if len(view.raters) <= MANY_RATERS else view.raters[:8]


def items_chart(view: DashboardView) -> go.Figure:
    """Each item's headline coefficient with its CI (grey: too few sessions to rank)."""
    title = f"{HEADLINE_LABEL} per item, with 95% CI"
    items = view.summary[view.summary["group"] == "item"]
    return charts.agreement_by_item(items, "icc", title)


def totals_chart(view: DashboardView) -> go.Figure:
    """The ICC of each section score and of the totals."""
    title = f"{HEADLINE_LABEL} of section scores and totals, with 95% CI"
    composites = view.summary[view.summary["group"] == "composite"]
    return charts.agreement_by_item(composites, "icc", title)


def confusion_chart(view: DashboardView, item_id: str) -> go.Figure:
    """Which scale points raters split on for one item."""
    confusion = view.confusion[item_id]
    title = "Scores given to the same session"
    return charts.scale_confusion_heatmap(confusion, title)


def heatmap(view: DashboardView) -> go.Figure:
    """The rater x item deviation heatmap."""
    return charts.deviation_heatmap(view.deviation, view.labels, view.basis, view.rater_names)


def bland_altman_chart(view: DashboardView, rater: str) -> go.Figure:
    """One rater's Bland-Altman plot of the fidelity total."""
    points, limits = bland_altman(view, rater)
    return charts.bland_altman_plot(points, limits, view.rater_names.get(rater, rater), view.basis)


def drift_chart(view: DashboardView, raters: tuple[str, ...]) -> go.Figure:
    """The chosen raters' agreement with the reference over time."""
    drift = pd.concat([rater_drift(view, r) for r in raters], ignore_index=True)
    return charts.drift_plot(drift, view.rater_names, view.basis)


def dstudy_chart(view: DashboardView) -> go.Figure | None:
    """The Spearman-Brown curve of the fidelity total (None when its ICC is not positive)."""
    total = view.dstudy.set_index("key")["r1"].get(TOTAL)
    if total is None or pd.isna(total) or total <= 0:
        return None
    curve = prophecy_curve(float(total))
    return charts.decision_study_curve(curve, TARGETS)


def first_view(view: DashboardView) -> list[Any]:
    """What the page draws on opening with its default choices (the benchmark times this too)."""
    raters = default_raters(view)
    shown = [items_chart(view), totals_chart(view), heatmap(view), dstudy_chart(view)]
    if not view.summary.empty and view.summary["group"].eq("item").any():
        worst = view.summary[view.summary["group"] == "item"]["key"].iloc[0]
        shown.append(confusion_chart(view, worst))
    shown.append(rater_agreement(view, raters))
    if raters:
        shown += [
            bland_altman_chart(view, raters[0]),
            drift_chart(view, tuple(raters[:DRIFT_SHOWN])),
        ]
    return shown
