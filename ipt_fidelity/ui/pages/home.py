"""Home: for trainees what is due, half done and came back; for staff what needs attention."""

from __future__ import annotations

from datetime import date

import streamlit as st

from ...store import list_attempts, list_ratings
from ...store.targets import shipped_title
from ...training.attention import supervisor_attention
from ...training.settings import default_settings
from ...training.worklist import DONE, DRAFT, WorkItem, formulation_worklist, rating_worklist
from ..demo_signins import demo_controls, show_demo_signins
from ..links import link
from ..state import current_user, database, library
from ..widgets import plain

PAGES = {"rate": ("rate", "session"), "formulate": ("practice", "case")}
VERBS = {"rate": "Rate", "formulate": "Formulate"}


def render() -> None:
    user = current_user()
    st.title(f"Welcome, {plain(user.display_name)}")
    show_demo_signins()
    if user.role == "trainee":
        _trainee_home(user)
    else:
        _staff_home(user)


def _open(item: WorkItem, label: str) -> None:
    page, param = PAGES[item.kind]
    link(page, label=label, icon=":material/arrow_forward:", query={param: item.target_id})


def _trainee_home(user) -> None:
    lib = library()
    with database(read_only=True) as db:
        work = formulation_worklist(db, user, lib) + rating_worklist(db, user, lib)
        ratings = list_ratings(db, user, rater_id=user.id, status="submitted")
        attempts = list_attempts(db, user, user_id=user.id)
    st.subheader("Assignments due")
    due = sorted(
        (w for w in work if w.assigned and w.status != DONE),
        key=lambda w: w.due or date.max,
    )
    if not due:
        st.markdown("Nothing assigned is waiting. Practise freely on any case or transcript.")
    for item in due:
        _open(item, f"{VERBS[item.kind]} {item.title} — {item.mark}")
    st.subheader("Drafts to continue")
    drafts = sorted(
        (w for w in work if w.status == DRAFT), key=lambda w: w.updated_at or date.min, reverse=True
    )
    if not drafts:
        st.markdown("Nothing in progress.")
    for item in drafts:
        saved = f", last saved {item.updated_at:%d %b %H:%M}" if item.updated_at else ""
        _open(item, f"Continue: {VERBS[item.kind].lower()} {item.title}{saved}")
    _next_up(work)
    _recent(lib, ratings, attempts)


def _next_up(work: list[WorkItem]) -> None:
    """The first unstarted case and transcript in the library's order (easiest first)."""
    fresh = [w for w in work if w.status not in (DONE, DRAFT) and not w.assigned]
    picks = [next((w for w in fresh if w.kind == kind), None) for kind in ("formulate", "rate")]
    picks = [w for w in picks if w is not None]
    if picks:
        st.subheader("Next in the library")
        for item in picks:
            _open(item, f"{VERBS[item.kind]} {item.title} ({item.difficulty or 'uploaded'})")


def _recent(lib, ratings, attempts) -> None:
    st.subheader("Recent feedback")
    recent = sorted(attempts, key=lambda a: a.submitted_at, reverse=True)[:3]
    for a in recent:
        verdict = "matched the expert" if (a.feedback or {}).get("correct") else "differed"
        title = lib.cases[a.case_id].title if a.case_id in lib.cases else a.case_id
        link(
            "practice",
            label=f"Formulation of {title}: {verdict}",
            icon=":material/school:",
            query={"case": a.case_id},
        )
    for r in sorted(ratings, key=lambda r: r.submitted_at)[-3:]:
        if r.session_id in lib.sessions:
            title = shipped_title(lib, r.session_id)
            link(
                "rate",
                label=f"Your rating of {title}: see the comparison",
                icon=":material/compare_arrows:",
                query={"session": r.session_id},
            )
    if not recent and not ratings:
        st.markdown("Your feedback will appear here after your first submission.")


def _staff_home(user) -> None:
    lib = library()
    st.subheader("Needs your attention")
    with database(read_only=True) as db:
        matters = supervisor_attention(
            db, user, lib, default_settings().certification, date.today()
        )
    if not matters:
        st.markdown("Nothing is waiting: no overdue work, drift or pending decision.")
    for matter in matters:
        link(
            matter.page,
            label=f"{matter.cohort}: {matter.text}",
            icon=":material/priority_high:",
            query=matter.query,
        )
    st.subheader("Go to")
    link("cohorts", label="Cohorts and assignments", icon=":material/groups:")
    link("dashboard", label="Agreement dashboard", icon=":material/monitoring:")
    link("certification", label="Calibration and certification", icon=":material/verified:")
    link("import", label="Import a session for audit", icon=":material/upload_file:")
    st.caption(
        f"The library holds {len(lib.rubrics)} rubrics, {len(lib.cases)} cases and "
        f"{len(lib.sessions)} expert-rated transcripts."
    )
    if user.role == "admin":
        demo_controls(user)
