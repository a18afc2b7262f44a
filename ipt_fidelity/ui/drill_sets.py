"""The supervisor's form that gives a cohort a set of item drills (items x sessions, a date)."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from ..content.library import Library
from ..store.drills import create_drill_set, list_drill_sets
from ..store.models import Cohort, User
from ..store.targets import shipped_title
from .state import database
from .widgets import plain


def drill_set_form(user: User, cohort: Cohort, lib: Library) -> None:
    """Choose items and sessions; trainees then find the set on their Item drills page."""
    items = {
        item.id: f"{item.text} ({rubric.title})"
        for rubric in lib.rubrics.values()
        if rubric.target == "session"
        for item in rubric.items
    }
    with st.form(f"drill-set-{cohort.id}", clear_on_submit=True):
        title = st.text_input("Title", placeholder="e.g. Linking mood to events, week 3")
        chosen_items = st.multiselect("Items", list(items), format_func=items.get)
        sessions = st.multiselect(
            "Sessions",
            list(lib.sessions),
            format_func=lambda s: shipped_title(lib, s),
            help="Trainees drill a calibration session only once they have rated it in full.",
        )
        due = st.date_input("Due date", value=date.today() + timedelta(days=14))
        submitted = st.form_submit_button("Give these drills", type="primary")
    if submitted:
        with database() as db:
            create_drill_set(db, user, lib, cohort.id, title, chosen_items, sessions, due)
        st.success("Drill set created: the cohort's trainees find it on Item drills.")
    with database(read_only=True) as db:
        sets = list_drill_sets(db, user, cohort.id)
    for drill_set in sets:
        due = f", due {drill_set.due_date:%d %b}" if drill_set.due_date else ""
        st.markdown(
            f"- **{plain(drill_set.title)}**: {len(drill_set.items)} item(s) × "
            f"{len(drill_set.sessions)} session(s){due}"
        )
