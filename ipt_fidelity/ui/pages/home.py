"""Home: what is due, what is half done, what came back; for staff, where to go next."""

from __future__ import annotations

from datetime import date

import streamlit as st

from ...store import list_assignments, list_attempts, list_ratings
from ..demo_signins import seed_demo_cohort, show_demo_signins
from ..links import link
from ..state import current_user, database, library


def render() -> None:
    user = current_user()
    st.title(f"Welcome, {user.display_name}")
    show_demo_signins()
    if user.role == "trainee":
        _trainee_home(user)
    else:
        _staff_home(user)


def _trainee_home(user) -> None:
    lib = library()
    with database(read_only=True) as db:
        assignments = list_assignments(db, user)
        ratings = list_ratings(db, user, rater_id=user.id)
        attempts = list_attempts(db, user, user_id=user.id)
    rated = {r.session_id for r in ratings if r.status == "submitted"}
    formulated = {a.case_id for a in attempts}
    st.subheader("Assignments due")
    open_work = [
        a
        for a in assignments
        if (a.kind == "rate" and a.target_id not in rated)
        or (a.kind == "formulate" and a.target_id not in formulated)
    ]
    if not open_work:
        st.markdown("Nothing assigned is waiting. Practise freely on any case or transcript.")
    for a in open_work:
        what = "Formulate" if a.kind == "formulate" else "Rate"
        title = _title(lib, a.target_id)
        due = f"due {a.due_date:%d %b}" if a.due_date else "no due date"
        late = " — **overdue**" if a.due_date and a.due_date < date.today() else ""
        st.markdown(f"- {what} **{title}** ({due}){late}")
    drafts = [r for r in ratings if r.status == "draft"]
    st.subheader("Drafts to continue")
    if not drafts:
        st.markdown("No ratings in progress.")
    for r in drafts:
        st.markdown(f"- {_title(lib, r.session_id)}, last saved {r.updated_at:%d %b %H:%M}")
    if drafts:
        link("rate", label="Continue rating", icon="✍️")
    st.subheader("Recent feedback")
    recent = sorted(attempts, key=lambda a: a.submitted_at, reverse=True)[:3]
    for a in recent:
        verdict = "matched the expert" if (a.feedback or {}).get("correct") else "differed"
        st.markdown(f"- Formulation of **{_title(lib, a.case_id)}**: {verdict}.")
    for r in sorted((r for r in ratings if r.submitted_at), key=lambda r: r.submitted_at)[-3:]:
        st.markdown(f"- Rating of **{_title(lib, r.session_id)}** submitted: see the comparison.")
    if not recent and not rated:
        st.markdown("Your feedback will appear here after your first submission.")


def _staff_home(user) -> None:
    lib = library()
    st.markdown(
        f"The library holds {len(lib.rubrics)} rubrics, {len(lib.cases)} cases and "
        f"{len(lib.sessions)} expert-rated transcripts."
    )
    link("cohorts", label="Cohorts and assignments", icon="👥")
    link("dashboard", label="Agreement dashboard", icon="📊")
    link("certification", label="Calibration and certification", icon="🎓")
    link("import", label="Import a session for audit", icon="📥")
    if user.role == "admin" and st.button("Seed the demo cohort"):
        seed_demo_cohort(user)
        st.rerun()


def _title(lib, target_id: str) -> str:
    if target_id in lib.cases:
        return lib.cases[target_id].title
    if target_id in lib.sessions:
        session = lib.sessions[target_id]
        case = lib.cases.get(session.case)
        who = case.vignette.client.pseudonym if case else session.case
        return f"{who}, session {session.session_number} ({session.phase})"
    return target_id
