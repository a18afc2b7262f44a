"""Calibration and certification: each trainee against the programme's rule, and the decision."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ...agreement import HEADLINE_LABEL
from ...store import list_cohorts, record_decision
from ...store.models import DECISIONS, User
from ...training.certification import formulation_accuracy
from ...training.readiness import Readiness, cohort_readiness, criteria_table, readiness_table
from ...training.settings import CertificationRule, default_settings
from .. import charts
from ..state import database, library, require_role
from ..widgets import plain

DECISION_LABELS = {"certified": "Certified", "not_yet": "Not yet", "revoked": "Revoked"}


def render() -> None:
    user = require_role("supervisor", "admin")
    st.title("Calibration and certification")
    lib = library()
    rule = default_settings().certification
    st.caption(_rule_text(rule))
    if flash := st.session_state.pop("cert-flash", None):
        st.success(flash)
    with database(read_only=True) as db:
        cohorts = {c.id: c.name for c in list_cohorts(db, user)}
    if not cohorts:
        st.info("No cohort yet: create one under Cohorts and assignments.")
        return
    cohort_id = st.selectbox("Cohort", list(cohorts), format_func=cohorts.get, key="cert-cohort")
    with database(read_only=True) as db:
        rows = cohort_readiness(db, user, cohort_id, lib, rule)
    if not rows:
        st.info("This cohort has no trainees yet.")
        return
    table = readiness_table(rows)
    st.metric("Ready to certify", f"{int(table['ready'].sum())} of {len(table)}")
    st.dataframe(table, hide_index=True, width="stretch")
    by_id = {row.trainee.id: row for row in rows}
    chosen = st.selectbox(
        "Evidence for",
        list(by_id),
        format_func=lambda i: by_id[i].trainee.display_name,
        key="cert-trainee",
    )
    _evidence(by_id[chosen], rule)
    _decide(user, by_id[chosen])


def _rule_text(rule: CertificationRule) -> str:
    bound = "the 95% CI's lower bound" if rule.icc_bound == "lower" else "the estimate"
    return (
        f"Programme rule (settings.yaml): at least {rule.min_calibration_sessions} calibration "
        f"sessions; {HEADLINE_LABEL} with the expert ({bound}) at least {rule.min_icc:.2f}; "
        f"|bias| at most {rule.max_abs_bias:.2f} points; at least "
        f"{rule.min_formulation_cases} formulated cases with accuracy at least "
        f"{rule.min_formulation_accuracy:.0%}"
        + ("; all four problem areas covered." if rule.require_all_problem_areas else ".")
    )


def _evidence(row: Readiness, rule: CertificationRule) -> None:
    verdict = "meets every criterion" if row.standing.ready else "does not yet meet the rule"
    st.subheader(f"{plain(row.trainee.display_name)} {verdict}")
    st.dataframe(criteria_table(row), hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left:
        if row.calibration is None or row.calibration.per_session.empty:
            st.info("No submitted ratings of sessions with an expert reference rating yet.")
        else:
            st.plotly_chart(
                charts.calibration_over_time(row.calibration.per_session, rule.max_abs_bias),
                key="cert-calibration",
            )
    with right:
        accuracy = formulation_accuracy(row.attempts)
        if accuracy.empty:
            st.info("No formulation attempts yet.")
        else:
            st.markdown("**Formulation accuracy by the expert's problem area**")
            st.dataframe(
                accuracy,
                column_config={"accuracy": st.column_config.NumberColumn(format="percent")},
                hide_index=True,
                width="stretch",
            )
    if row.decisions:
        st.markdown("**Decisions so far**")
        st.dataframe(
            pd.DataFrame(
                [(d.decided_at, DECISION_LABELS[d.decision], d.note) for d in row.decisions],
                columns=["decided", "decision", "note"],
            ),
            hide_index=True,
            width="stretch",
        )


def _decide(user: User, row: Readiness) -> None:
    with st.form(f"cert-decide-{row.trainee.id}", clear_on_submit=True):
        decision = st.radio(
            "Decision", DECISIONS, format_func=DECISION_LABELS.get, horizontal=True, index=None
        )
        note = st.text_area("Note (the evidence you relied on)", height=80)
        submitted = st.form_submit_button("Record decision", type="primary")
    if not submitted:
        return
    if decision is None:
        st.error("Choose a decision first: none is chosen for you.")
        return
    if decision == "certified" and not row.standing.ready and not note.strip():
        st.error("The rule is not met: say in the note why you certify anyway.")
        return
    with database() as db:
        record_decision(db, user, row.trainee.id, decision, note)
    st.session_state["cert-flash"] = (
        f"Recorded: {DECISION_LABELS[decision]} for {plain(row.trainee.display_name)}."
    )
    st.rerun()
