"""Widgets of the audit pages: safe labels, the timeline chart, co-raters and their agreement."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..agreement import HEADLINE, coefficient_views
from ..content.models import Rubric, Scale
from ..store.co_raters import assign_co_raters, co_rater_candidates, co_raters, submitted_scores
from ..store.models import User
from ..training.session_agreement import session_agreement
from .state import database

PHASE_COLOURS = {"initial": "#1f77b4", "middle": "#2ca02c", "termination": "#9467bd"}


def timeline_chart(frame: pd.DataFrame, threshold: float, scale: Scale) -> go.Figure:
    """Mean fidelity total per session in order, coloured by phase, with the threshold line."""
    rated = frame.dropna(subset=["fidelity"])
    figure = go.Figure()
    figure.add_scatter(
        x=rated["order"],
        y=rated["fidelity"],
        mode="lines",
        line={"color": "#bbbbbb"},
        showlegend=False,
        hoverinfo="skip",
    )
    for phase, colour in PHASE_COLOURS.items():
        part = rated[rated["phase"] == phase]
        if part.empty:
            continue
        figure.add_scatter(
            x=part["order"],
            y=part["fidelity"],
            mode="markers",
            name=phase,
            marker={
                "color": colour,
                "size": 12,
                "symbol": ["x" if p else "circle" for p in part["proscribed"]],
            },
            customdata=part[["session_number", "raters", "proscribed"]],
            hovertemplate="session %{customdata[0]}<br>fidelity %{y:.2f}"
            "<br>%{customdata[1]} rater(s)<br>%{customdata[2]}<extra></extra>",
        )
    figure.add_hline(
        y=threshold,
        line_dash="dash",
        line_color="#d62728",
        annotation_text=f"threshold {threshold:g}",
    )
    figure.update_layout(
        xaxis={
            "title": "session",
            "tickvals": frame["order"],
            "ticktext": [
                f"{when:%d %b} · session {n}"
                for when, n in zip(frame["audited"], frame["session_number"], strict=True)
            ],
        },
        yaxis={
            "title": "fidelity total (mean of raters)",
            "range": [scale.min - 0.1, scale.max + 0.1],
        },
        legend_title_text="phase (✕: proscribed behaviour)",
    )
    return figure


def co_raters_panel(user: User, session_id: str, rubric: Rubric, key: str) -> None:
    """Assign blind co-raters to an uploaded session; show submitted ratings and agreement."""
    with database(read_only=True) as db:
        candidates = {u.id: u for u in co_rater_candidates(db, user)}
        assigned = co_raters(db, user, session_id)
        scores = submitted_scores(db, user, [session_id], rubric.id)
    names = {i: f"{u.display_name} ({u.username})" for i, u in candidates.items()}
    status_words = {"": "not started", "draft": "rating (draft)", "submitted": "submitted"}
    if assigned:
        st.dataframe(
            pd.DataFrame(
                {
                    "co-rater": [names.get(i, f"user {i}") for i in assigned],
                    "status": [status_words[s] for s in assigned.values()],
                }
            ),
            hide_index=True,
        )
    choices = [i for i in candidates if i not in assigned]
    with st.form(f"{key}-assign", clear_on_submit=True, border=False):
        chosen = st.multiselect(
            "Assign co-raters (trainees of your cohorts)", choices, format_func=names.get
        )
        if st.form_submit_button("Assign", disabled=not choices):
            with database() as db:
                added = assign_co_raters(db, user, session_id, chosen, rubric.id)
            st.session_state[f"{key}-assigned"] = len(added)
            st.rerun()
    if added := st.session_state.pop(f"{key}-assigned", None):
        st.success(
            f"{added} co-rater(s) assigned. Each sees only their own rating until they submit."
        )
    _agreement(scores, rubric)


SHOWN = (HEADLINE, "krippendorff_alpha", "percent_agreement", "percent_agreement_within_one")


def _agreement(scores: pd.DataFrame, rubric: Rubric) -> None:
    """The submitted ratings side by side and the engine's agreement over the session's items."""
    if scores.empty:
        st.info("No submitted rating of this session yet.")
        return
    view = session_agreement(scores, rubric)
    texts = {i.id: i.text for i in rubric.items}
    table = view.scores.rename(index=texts)
    table.loc["Fidelity total"] = view.totals
    st.dataframe(table, width="stretch")
    if view.report is None:
        st.caption("Agreement needs at least two submitted ratings.")
        return
    views = coefficient_views(view.report)
    rows = [
        {
            "coefficient": views[key].label,
            "estimate": views[key].estimate_text,
            "95% CI": views[key].ci_text,
            "reading": views[key].reading,
            "source": views[key].source,
            "items": views[key].n_units,
            "raters": views[key].n_raters,
            "ratings": views[key].n_ratings,
        }
        for key in SHOWN
        if key in views
    ]
    st.caption(
        f"Agreement of {view.report['n_raters']} raters over this session's "
        f"{view.report['n_units']} items (items as units; within one session each item has a "
        "single value per rater)."
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
