"""A therapist's adherence across imported sessions: fidelity totals, proscribed flags, trend."""

from __future__ import annotations

import streamlit as st

from ...agreement import HEADLINE_LABEL, READING_RULE
from ...store import list_imported_sessions
from ...store.co_raters import submitted_scores
from ...training.settings import default_settings
from ...training.therapist_timeline import (
    PROSCRIBED_FLAG,
    therapist_agreement,
    therapist_ids,
    timeline,
    trend,
)
from ..audit_widgets import co_raters_panel, timeline_chart
from ..state import database, library, require_role


def render() -> None:
    user = require_role("supervisor", "admin")
    st.title("Therapist timeline")
    lib = library()
    with database(read_only=True) as db:
        uploads = list_imported_sessions(db, user)
    if not uploads:
        st.info("No imported session yet: import one on “Import a session”.")
        return
    therapist = st.selectbox("Therapist", therapist_ids(uploads), key="timeline-therapist")
    mine = [u for u in uploads if u.therapist_id == therapist]
    rubric_ids = sorted({u.rubric_id for u in mine if u.rubric_id in lib.rubrics})
    if not rubric_ids:
        st.error("The rubric these sessions were imported with is not in the library.")
        return
    rubric_id = rubric_ids[0]
    if len(rubric_ids) > 1:
        rubric_id = st.selectbox(
            "Rubric (sessions rated with different rubrics are not compared)",
            rubric_ids,
            format_func=lambda r: lib.rubrics[r].title,
            key="timeline-rubric",
        )
    rubric = lib.rubrics[rubric_id]
    sessions = [u for u in mine if u.rubric_id == rubric_id]
    with database(read_only=True) as db:
        scores = submitted_scores(db, user, [u.id for u in sessions], rubric.id)
    threshold = default_settings().audit.fidelity_threshold
    frame = timeline(sessions, scores, rubric, threshold)
    st.markdown(trend(frame, threshold).sentence())
    flagged = frame[frame["proscribed"] != ""]
    if len(flagged):
        st.warning(
            f"Proscribed behaviour (an item scored {PROSCRIBED_FLAG} or more by a rater) in "
            f"{len(flagged)} session(s): " + ", ".join(f"#{n}" for n in flagged["session_number"])
        )
    st.plotly_chart(timeline_chart(frame, threshold, rubric.scale), key="timeline-chart")
    st.dataframe(
        frame.drop(columns=["order", "session_id"]),
        hide_index=True,
        width="stretch",
        column_config={
            "audited": st.column_config.DatetimeColumn("audited", format="D MMM YYYY"),
            "session_number": "session",
            "fidelity": st.column_config.NumberColumn("fidelity (mean)", format="%.2f"),
            "proscribed": "proscribed behaviour",
            "below_threshold": "below threshold",
        },
    )
    agreement = therapist_agreement(scores, rubric)
    if agreement is not None:
        st.subheader("Agreement over this therapist's sessions")
        st.caption(
            "Sessions are the units; per item and on the fidelity total. Each row says how "
            f"many sessions, raters and ratings its {HEADLINE_LABEL} rests on. {READING_RULE}"
        )
        st.dataframe(agreement, hide_index=True, width="stretch")
    st.subheader("Co-raters of a session")
    labels = {r.session_id: f"#{r.session_number} · {r.title}" for r in frame.itertuples()}
    chosen = st.selectbox("Session", list(labels), format_func=labels.get, key="timeline-session")
    co_raters_panel(user, chosen, rubric, key=f"timeline-co-{chosen}")
