"""Cohorts and assignments: cohorts, trainee accounts, bulk assignments, the completion matrix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import streamlit as st

from ...auth import create_user, generate_password
from ...content.library import Library
from ...store import (
    add_member,
    cohort_members,
    create_cohort,
    list_cohorts,
    list_users,
    remove_member,
)
from ...store.assignments import create_assignments
from ...store.models import Cohort, User
from ...store.supervision import edit_cohort
from ...training.completion import OVERDUE, cohort_completion
from ...training.overlap import overlap_plan
from ..confirm import confirm, confirm_reset
from ..drill_sets import drill_set_form
from ..state import database, library, require_role
from ..widgets import plain

NEW = 0  # the selectbox value that opens the "new cohort" form
STATUS_COLOURS = {"done": "#d3f9d8", "started": "#fff3bf", "overdue": "#ffe3e3"}


def render() -> None:
    user = require_role("supervisor", "admin")
    st.title("Cohorts and assignments")
    if flash := st.session_state.pop("cohorts-flash", None):
        st.success(flash)
    with database(read_only=True) as db:
        cohorts = {c.id: c for c in list_cohorts(db, user)}
    if "cohorts-created" in st.session_state:  # select a new cohort before the widget exists
        st.session_state["cohorts-cohort"] = st.session_state.pop("cohorts-created")
    cohort_id = st.selectbox(
        "Cohort",
        [*cohorts, NEW],
        format_func=lambda c: cohorts[c].name if c in cohorts else "+ New cohort",
        key="cohorts-cohort",
    )
    if cohort_id == NEW:
        _new_cohort(user)
        return
    cohort = cohorts[cohort_id]
    with database(read_only=True) as db:
        members = cohort_members(db, user, cohort_id)
        candidates = [u for u in list_users(db, user) if u.id not in {m.id for m in members}]
    people, assign, progress, details = st.tabs(
        ["Members", "Assign work", "Completion", "Cohort details"]
    )
    with people:
        _members(user, cohort, members, candidates)
    with assign:
        _assign(user, cohort, [m for m in members if m.role == "trainee"], library())
    with progress:
        _completion(user, cohort)
    with details:
        _edit(user, cohort)


def _new_cohort(user: User) -> None:
    with st.form("cohorts-new", clear_on_submit=True):
        name = st.text_input("Name")
        description = st.text_area("Description", height=80)
        submitted = st.form_submit_button("Create cohort", type="primary")
    if not submitted:
        return
    with database() as db:
        cohort = create_cohort(db, user, name, description)
    st.session_state["cohorts-created"] = cohort.id
    st.rerun()


def _edit(user: User, cohort: Cohort) -> None:
    with st.form(f"cohorts-edit-{cohort.id}"):
        name = st.text_input("Name", value=cohort.name)
        description = st.text_area("Description", value=cohort.description, height=80)
        submitted = st.form_submit_button("Save")
    if submitted:
        _run(edit_cohort, user, cohort.id, name, description)
        st.rerun()


def _run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a store action in a database session of its own; failures reach the page's boundary."""
    with database() as db:
        return action(db, *args, **kwargs)


def _members(user: User, cohort: Cohort, members: list[User], candidates: list[User]) -> None:
    st.dataframe(
        [
            {"username": m.username, "name": m.display_name, "role": m.role, "active": m.active}
            for m in members
        ],
        hide_index=True,
        width="stretch",
    )
    st.subheader("Add a trainee account")
    roles = ["trainee", "supervisor"] if user.role == "admin" else ["trainee"]
    with st.form(f"cohorts-account-{cohort.id}", clear_on_submit=True):
        username = st.text_input("Username (lower-case letters, digits, . _ - @)")
        display_name = st.text_input("Display name")
        role = st.selectbox("Role", roles)
        submitted = st.form_submit_button("Create account")
    if submitted:
        password = generate_password()
        _run(
            create_user,
            user,
            username,
            role,
            password,
            display_name=display_name,
            cohort_id=cohort.id,
            must_change_password=True,
        )
        st.success(
            f"Account {plain(username.strip().lower())} created. Temporary password (shown once):"
        )
        st.code(password, language=None)
    trainees = {m.id: m for m in members if m.role == "trainee"}
    left, middle, right = st.columns(3)
    with left:
        _add_existing(user, cohort, candidates)
    with middle:
        _reset(user, trainees)
    with right:
        _remove(user, cohort, trainees)


def _pick(label: str, trainees: dict[int, User], key: str) -> User | None:
    """A trainee chosen on purpose: nobody is preselected."""
    chosen = st.selectbox(
        label,
        list(trainees),
        format_func=lambda i: f"{trainees[i].display_name} ({trainees[i].username})",
        index=None,
        placeholder="Choose a trainee",
        key=key,
    )
    return trainees.get(chosen)


def _reset(user: User, trainees: dict[int, User]) -> None:
    if flash := st.session_state.pop("cohorts-reset-flash", None):
        st.success(flash[0])
        st.code(flash[1], language=None)
    who = _pick("Reset the password of", trainees, "cohorts-reset-who")
    clicked = st.button("Reset password…", disabled=who is None, key="cohorts-reset")
    if who is None:
        return
    confirm_reset(
        clicked,
        "cohorts-reset-confirm",
        user,
        who,
        "cohorts-reset-flash",
        "shown once; they change it at sign-in",
    )


def _remove(user: User, cohort: Cohort, trainees: dict[int, User]) -> None:
    gone = _pick("Remove from the cohort", trainees, "cohorts-remove-who")
    clicked = st.button("Remove…", disabled=gone is None, key="cohorts-remove")
    if gone is None:
        return
    confirm(
        clicked,
        "cohorts-remove-confirm",
        gone.id,
        title="Remove from the cohort",
        question=f"Remove {gone.display_name} ({gone.username}) from {cohort.name}? You stop "
        "seeing their work; an administrator can put them back.",
        button=f"Yes, remove {gone.username}",
        action=lambda db: remove_member(db, user, cohort.id, gone.id),
        flash_key="cohorts-flash",
        flash=lambda _: f"Removed {gone.username} from {cohort.name}.",
    )


def _add_existing(user: User, cohort: Cohort, candidates: list[User]) -> None:
    allowed = [u for u in candidates if user.role == "admin" or u.role == "trainee"]
    names = {u.id: f"{u.display_name} ({u.username}, {u.role})" for u in allowed}
    chosen = st.selectbox(
        "Add an existing user", list(names), format_func=names.get, key="cohorts-add-who"
    )
    if st.button("Add", disabled=chosen is None, key="cohorts-add"):
        _run(add_member, user, cohort.id, chosen)
        st.rerun()


def _assign(user: User, cohort: Cohort, trainees: list[User], lib: Library) -> None:
    kind = st.radio(
        "Work",
        ["rate", "formulate", "drill"],
        horizontal=True,
        key="assign-kind",
        format_func={
            "rate": "Rate session transcripts",
            "formulate": "Formulate cases",
            "drill": "Item drills",
        }.get,
    )
    if kind == "drill":
        drill_set_form(user, cohort, lib)
        return
    if kind == "rate":
        options = {s.id: f"{s.id} ({s.phase})" for s in lib.sessions.values()}
        rubrics = {r.id: r.title for r in lib.rubrics.values() if r.target == "session"}
        rubric_id = st.selectbox(
            "Rubric", list(rubrics), format_func=rubrics.get, key="assign-rubric"
        )
    else:
        options = {c.id: c.title for c in lib.cases.values()}
        rubric_id = None
    targets = st.multiselect(
        "Sessions" if kind == "rate" else "Cases",
        list(options),
        format_func=options.get,
        key=f"assign-targets-{kind}",
    )
    due = st.date_input("Due date", value=date.today() + timedelta(days=14), key="assign-due")
    modes = ["cohort", "trainees"] + (["overlap"] if kind == "rate" else [])
    mode = st.radio(
        "Assign to",
        modes,
        horizontal=True,
        key="assign-mode",
        format_func={
            "cohort": "Every trainee of the cohort",
            "trainees": "Chosen trainees",
            "overlap": "Reliability overlap (one rater each, a share also to a second)",
        }.get,
    )
    names = {t.id: t.display_name for t in trainees}
    chosen = list(names)
    share = 0.0
    if mode == "trainees":
        chosen = st.multiselect("Trainees", list(names), format_func=names.get, key="assign-who")
    if mode == "overlap":
        share = (
            st.slider(
                "Share of sessions also given to a second, blind rater",
                0,
                100,
                30,
                5,
                key="assign-share",
            )
            / 100
        )
    if not st.button("Assign", type="primary", disabled=not targets, key="assign-go"):
        return
    common = {"kind": kind, "rubric_id": rubric_id, "due_date": due}
    if mode == "cohort":
        calls = [{"target_id": t, "cohort_id": cohort.id} for t in targets]
    elif mode == "trainees":
        calls = [{"target_id": t, "user_id": u} for t in targets for u in chosen]
    else:
        calls = [
            {"target_id": r.session_id, "user_id": r.user_id, "second_rater": r.second}
            for r in overlap_plan(targets, chosen, share)
        ]
    made = _run(create_assignments, user, [common | call for call in calls])
    st.success(f"{len(made)} assignment(s) created.")


def _completion(user: User, cohort: Cohort) -> None:
    with database(read_only=True) as db:
        matrix = cohort_completion(db, user, cohort.id, date.today())
    if matrix.empty or matrix.columns.empty:
        st.info("No assignments for this cohort yet.")
        return
    overdue = int((matrix == OVERDUE).to_numpy().sum())
    st.caption(f"{len(matrix)} trainees · {len(matrix.columns)} assignments · {overdue} overdue")
    styled = matrix.style.map(lambda v: f"background-color: {STATUS_COLOURS.get(v, 'white')}")
    st.dataframe(styled, width="stretch")
