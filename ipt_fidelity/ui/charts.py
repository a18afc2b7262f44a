"""Plotly figures for the pages: built from plain DataFrames, returned for `st.plotly_chart`."""

from __future__ import annotations

import html

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ..content.vocab import PROBLEM_AREA_LABELS


def inert(text: object) -> str:
    """Text people typed (a display name, an upload title) as Plotly shows it: its HTML subset
    (`<a href>`, `<b>`) escaped, so a name never becomes a link in a chart."""
    return html.escape(str(text), quote=False)


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
    figure.update_xaxes(tickformat="%d %b %Y", range=_date_range(frame["submitted_at"]))
    return figure


def _date_range(stamps: pd.Series) -> list:
    """An x range of whole days around the stamps (a lone point gets a week either side)."""
    first, last = pd.Timestamp(stamps.min()), pd.Timestamp(stamps.max())
    pad = pd.Timedelta(days=7) if last - first < pd.Timedelta(days=1) else (last - first) * 0.05
    return [first - pad, last + pad]


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
        xaxis={
            "title": "rated session (in order)",
            "tickmode": "linear",
            "tick0": 1,
            "dtick": 1,
            "range": [0.5, len(frame) + 0.5],
        },
        yaxis_title="scale points (you − expert)",
    )
    return figure


# ---------------------------------------------------------------- supervisor dashboard

KOO_LI_BANDS = (
    (0.0, 0.5, "poor"),
    (0.5, 0.75, "moderate"),
    (0.75, 0.9, "good"),
    (0.9, 1.0, "excellent"),
)


def agreement_by_item(summary: pd.DataFrame, coefficient: str, title: str) -> go.Figure:
    """Each item's coefficient with its 95% CI, worst at the top, over the Koo & Li bands.

    Rows not ranked (too few sessions) are grey, and the hover says what each estimate rests on.
    """
    frame = summary.dropna(subset=[coefficient]).iloc[::-1]
    low, high = frame[f"{coefficient}_low"], frame[f"{coefficient}_high"]
    ranked = frame["ranked"] if "ranked" in frame else pd.Series(True, index=frame.index)
    note = frame["shortfall"] if "shortfall" in frame else pd.Series("", index=frame.index)
    units = frame["icc_units"] if "icc_units" in frame else frame["units"]
    support = [f"{u} sessions{'; ' + n if n else ''}" for u, n in zip(units, note, strict=True)]
    figure = go.Figure(
        go.Scatter(
            x=frame[coefficient],
            y=frame["label"],
            mode="markers",
            customdata=support,
            marker={"size": 9, "color": ["#1f5f99" if r else "#b0b0b0" for r in ranked]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (high - frame[coefficient]).fillna(0),
                "arrayminus": (frame[coefficient] - low).fillna(0),
            },
            hovertemplate="%{y}: %{x:.2f} (%{customdata})<extra></extra>",
        )
    )
    for start, end, band in KOO_LI_BANDS:
        figure.add_vrect(x0=start, x1=end, line_width=0, fillcolor="grey", opacity=0.04 + end / 12)
        figure.add_annotation(x=(start + end) / 2, y=1.02, yref="paper", text=band, showarrow=False)
    figure.update_layout(
        title=title,
        height=max(320, 22 * len(frame) + 120),
        xaxis={"range": [min(-0.1, float(frame[coefficient].min() or 0) - 0.05), 1.02]},
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    return figure


def deviation_heatmap(
    deviation: pd.DataFrame, labels: dict[str, str], basis: str, names: dict[str, str]
) -> go.Figure:
    """Rater x item mean signed deviation from the expert or the consensus (red: higher).

    Every row and column is labelled (raters by display name), however many there are.
    """
    limit = float(max(1.0, abs(deviation.to_numpy(dtype=float, na_value=0.0)).max()))
    columns = [labels.get(c, c) for c in deviation.columns]
    rows = [inert(names.get(r, r)) for r in deviation.index]
    figure = go.Figure(
        go.Heatmap(
            z=deviation.to_numpy(dtype=float, na_value=float("nan")),
            x=columns,
            y=rows,
            colorscale="RdBu_r",
            zmid=0,
            zmin=-limit,
            zmax=limit,
            colorbar={"title": "points"},
            hovertemplate="%{y}<br>%{x}<br>%{z:+.2f} points<extra></extra>",
        )
    )
    figure.update_layout(
        title=f"Mean signed deviation from the {basis} (rater − {basis})",
        height=max(360, 20 * len(deviation.index) + 260),
        xaxis={"tickangle": -45, "tickmode": "array", "tickvals": columns, "ticktext": columns},
        yaxis={"tickmode": "array", "tickvals": rows, "ticktext": rows, "autorange": "reversed"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def scale_confusion_heatmap(confusion: dict, title: str) -> go.Figure:
    """The engine's pair counts over the scale: how often raters put a session on i and j."""
    labels = [str(c) for c in confusion["categories"]]
    figure = go.Figure(
        go.Heatmap(
            z=confusion["counts"],
            x=labels,
            y=labels,
            colorscale="Blues",
            hovertemplate="%{y} and %{x}: %{z} pairs<extra></extra>",
        )
    )
    figure.update_layout(
        title=title,
        xaxis_title="score of one rater",
        yaxis_title="score of another rater",
        height=380,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return figure


def bland_altman_plot(points: pd.DataFrame, limits: dict, rater: str, basis: str) -> go.Figure:
    """Difference against mean of the rater's and the reference's fidelity totals."""
    figure = go.Figure(
        go.Scatter(
            x=points["mean"],
            y=points["difference"],
            mode="markers",
            text=points["unit"].map(inert),
            hovertemplate="%{text}<br>mean %{x:.2f}, difference %{y:+.2f}<extra></extra>",
        )
    )
    for name in ("bias", "low", "high"):
        if limits.get(name) is not None:
            figure.add_hline(
                y=limits[name],
                line_dash="solid" if name == "bias" else "dot",
                annotation_text=f"{name} {limits[name]:+.2f}",
            )
    figure.update_layout(
        title=f"Bland-Altman: {inert(rater)} against the {basis}, fidelity total per session",
        xaxis_title=f"mean of rater and {basis}",
        yaxis_title=f"rater − {basis}",
        height=380,
    )
    return figure


def drift_plot(drift: pd.DataFrame, names: dict[str, str], basis: str) -> go.Figure:
    """Each chosen rater's bias against the reference, session by session over time."""
    figure = go.Figure()
    for rater, frame in drift.groupby("rater", sort=False):
        figure.add_scatter(
            x=frame["submitted_at"],
            y=frame["bias"],
            mode="lines+markers",
            name=inert(names.get(rater, rater)),
            text=frame["unit"].map(inert),
            hovertemplate="%{text}<br>bias %{y:+.2f}<extra></extra>",
        )
    figure.add_hline(y=0, line_color="black", line_width=1)
    figure.update_layout(
        title=f"Drift: mean signed difference from the {basis} per rated session",
        xaxis_title="submitted",
        yaxis_title=f"rater − {basis} (points)",
        height=400,
    )
    return figure


def decision_study_curve(curve: pd.DataFrame, targets: tuple[float, ...]) -> go.Figure:
    """Reliability of the mean of k raters (Spearman-Brown), with the target lines."""
    figure = go.Figure(go.Scatter(x=curve["raters"], y=curve["reliability"], mode="lines+markers"))
    for target in targets:
        figure.add_hline(y=target, line_dash="dot", annotation_text=f"{target:.2f}")
    figure.update_layout(
        title="Decision study: reliability of the fidelity total averaged over k raters",
        xaxis_title="raters averaged (k)",
        yaxis_title="reliability",
        yaxis={"range": [0, 1.02]},
        height=360,
    )
    return figure


def area_confusion_heatmap(confusion: dict) -> go.Figure:
    """Problem area chosen by trainees (rows) against the expert's (columns)."""
    labels = [PROBLEM_AREA_LABELS.get(c, c) for c in confusion["categories"]]
    figure = go.Figure(
        go.Heatmap(
            z=confusion["counts"],
            x=labels,
            y=labels,
            colorscale="Greens",
            texttemplate="%{z}",
            hovertemplate="chosen %{y}, expert %{x}: %{z}<extra></extra>",
        )
    )
    figure.update_layout(
        title="Primary problem area: trainees' choice against the expert's",
        xaxis_title="expert",
        yaxis_title="trainee",
        height=420,
    )
    return figure


def figure_html(figure: go.Figure, with_library: bool) -> str:
    """A figure as an HTML fragment for the printable report (plotly.js embedded once)."""
    return figure.to_html(full_html=False, include_plotlyjs=with_library, default_width="100%")


def drill_bias_over_time(drills: pd.DataFrame, texts: dict[str, str]) -> go.Figure:
    """Running bias (you − expert) per item over the drills, in the order they were answered."""
    frame = drills.sort_values("at").copy()
    frame["item"] = frame["item"].map(lambda i: texts.get(i, i))
    frame["gap"] = frame["score"].astype(float) - frame["expert"].astype(float)
    frame["bias"] = frame.groupby("item")["gap"].transform(lambda s: s.expanding().mean())
    frame["drill"] = frame.groupby("item").cumcount() + 1
    figure = px.line(
        frame,
        x="drill",
        y="bias",
        color="item",
        markers=True,
        labels={"drill": "drills of the item (in order)", "bias": "running bias (you − expert)"},
    )
    figure.add_hline(y=0, line_color="black", line_width=1)
    figure.update_xaxes(tickmode="linear", tick0=1, dtick=1)
    return figure
