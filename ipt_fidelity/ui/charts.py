"""Plotly figures for the pages: built from plain DataFrames, returned for `st.plotly_chart`."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ..content.vocab import PROBLEM_AREA_LABELS


def formulation_accuracy_over_time(attempts: pd.DataFrame) -> go.Figure:
    """Cumulative accuracy per expert problem area, attempt by attempt (submitted_at, correct)."""
    frame = attempts.sort_values("submitted_at").copy()
    frame["area"] = frame["expert_area"].map(PROBLEM_AREA_LABELS)
    frame["accuracy"] = frame.groupby("area")["correct"].transform(lambda s: s.expanding().mean())
    figure = px.line(
        frame,
        x="submitted_at",
        y="accuracy",
        color="area",
        markers=True,
        labels={
            "submitted_at": "submitted",
            "accuracy": "cumulative accuracy",
            "area": "expert area",
        },
    )
    figure.update_yaxes(range=[-0.05, 1.05], tickformat=".0%")
    return figure


def calibration_over_time(per_session: pd.DataFrame, bias_limit: float) -> go.Figure:
    """Bias and mean absolute difference against the expert, session by session."""
    frame = per_session.reset_index(drop=True).copy()
    frame["order"] = range(1, len(frame) + 1)
    figure = go.Figure()
    figure.add_scatter(x=frame["order"], y=frame["bias"], mode="lines+markers", name="bias")
    figure.add_scatter(
        x=frame["order"], y=frame["mean_abs_diff"], mode="lines+markers", name="mean |difference|"
    )
    for limit in (bias_limit, -bias_limit):
        figure.add_hline(y=limit, line_dash="dot", line_color="grey")
    figure.add_hline(y=0, line_color="black", line_width=1)
    figure.update_layout(
        xaxis_title="rated session (in order)", yaxis_title="scale points (you − expert)"
    )
    return figure
