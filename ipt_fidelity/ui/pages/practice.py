"""Formulation practice: read a vignette, choose the problem area, write the formulation, learn."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ...content.models import Case
from ...content.vocab import DISPUTE_STAGES, PROBLEM_AREAS, label
from ...store import can_see_case_key, list_attempts, record_attempt
from ...store.drafts import (
    discard_formulation_draft,
    get_formulation_draft,
    save_formulation_draft,
)
from ...store.errors import StoreError
from ...training.formulation import Attempt, assess, vignette_sentences
from ..formulation_feedback import feedback_view
from ..state import current_user, db, library, require_role, show_store_error
from ..widgets import client_line, vignette_html

FORMULATION_RUBRIC = "ipt_formulation"


def render() -> None:
    user = require_role("trainee")
    lib = library()
    st.title("Formulation practice")
    if not lib.cases:
        st.info("There are no cases in the library yet.")
        return
    with db(read_only=True) as session:
        attempts = list_attempts(session, user, user_id=user.id)
    done = {a.case_id for a in attempts}
    case_id = st.selectbox(
        "Case",
        list(lib.cases),
        format_func=lambda c: ("✓ " if c in done else "") + lib.cases[c].title,
        key="practice-case",
    )
    case = lib.cases[case_id]
    mine = [a for a in attempts if a.case_id == case_id]
    if mine and not st.session_state.get(f"practice-again-{case_id}"):
        _show_feedback(case, mine[-1])
        return
    _attempt_form(case)


def _show_feedback(case: Case, attempt) -> None:
    user = current_user()
    with db(read_only=True) as session:
        allowed = can_see_case_key(session, user, case.id)
    if not allowed:
        st.error("The expert key of this case is not available to you.")
        return
    st.caption(f"You submitted this formulation on {attempt.submitted_at:%d %b %Y, %H:%M}.")
    feedback_view(case, attempt, library().rubrics.get(FORMULATION_RUBRIC))
    if st.button("Formulate this case again", key=f"again-{case.id}"):
        st.session_state[f"practice-again-{case.id}"] = True
        st.rerun()


def _attempt_form(case: Case) -> None:
    _restore_draft(case)
    st.markdown(f"**{case.title}**  \n{client_line(case)}")
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(vignette_html(case), unsafe_allow_html=True)
    with right:
        choices = _choices(case)
    st.divider()
    _submit(case, choices)


def _restore_draft(case: Case) -> None:
    """Once per tab, put the saved draft of this case back into the widgets."""
    key = f"practice-{case.id}"
    if st.session_state.get(f"{key}-restored"):
        return
    st.session_state[f"{key}-restored"] = True
    with db(read_only=True) as session:
        draft = get_formulation_draft(session, current_user(), case.id)
    if not draft:
        return
    sentences = set(vignette_sentences(case))
    draft["passages"] = [p for p in draft.get("passages", []) if p in sentences]
    for field in ("primary", "secondary", "stage", "passages", "text"):
        if draft.get(field) is not None:
            st.session_state[f"{key}-{field}"] = draft[field]
    for item_id, checked in draft.get("self_check", {}).items():
        st.session_state[f"{key}-check-{item_id}"] = checked
    st.session_state[f"{key}-people-rows"] = draft.get("people")


def _autosave(case: Case, payload: dict) -> None:
    """Save the draft whenever anything in it changed since the last save."""
    key = f"practice-{case.id}-saved"
    if st.session_state.get(key) == payload:
        return
    try:
        with db() as session:
            save_formulation_draft(session, current_user(), case.id, payload)
    except StoreError as error:
        show_store_error(error)
        return
    st.session_state[key] = payload


def _choices(case: Case) -> Attempt:
    """The trainee's choices, drawn as widgets; returns the attempt as it stands."""
    key = f"practice-{case.id}"
    primary = st.radio(
        "Primary problem area", PROBLEM_AREAS, format_func=label, index=None, key=f"{key}-primary"
    )
    secondary = st.selectbox(
        "Secondary problem area (if any)",
        [None, *PROBLEM_AREAS],
        format_func=lambda a: "none" if a is None else label(a),
        key=f"{key}-secondary",
    )
    stage = None
    if "role_dispute" in (primary, secondary):
        stage = st.radio(
            "Stage of the dispute",
            DISPUTE_STAGES,
            format_func=label,
            index=None,
            key=f"{key}-stage",
            horizontal=True,
        )
    st.markdown("**Key people** — tick those central to the problem and say their part.")
    names = [p.name for p in case.vignette.interpersonal_inventory]
    saved = {r["person"]: r for r in st.session_state.get(f"{key}-people-rows") or []}
    people = pd.DataFrame(
        {
            "person": names,
            "key": [bool(saved.get(n, {}).get("key")) for n in names],
            "their part": [saved.get(n, {}).get("their part") or "" for n in names],
        }
    )
    edited = st.data_editor(
        people,
        key=f"{key}-people",
        hide_index=True,
        disabled=["person"],
        width="stretch",
    )
    key_people = [
        f"{row['person']}: {row['their part']}".rstrip(": ")
        for row in edited.to_dict("records")
        if row["key"]
    ]
    passages = st.multiselect(
        "Passages that support your choice",
        vignette_sentences(case),
        key=f"{key}-passages",
        help="Pick the sentences of the vignette that point to the problem area.",
    )
    st.session_state[f"{key}-people-now"] = edited.to_dict("records")
    return Attempt(
        primary=primary or "",
        secondary=secondary,
        dispute_stage=stage,
        key_people=key_people,
        passages=passages,
    )


def _submit(case: Case, choices: Attempt) -> None:
    key = f"practice-{case.id}"
    text = st.text_area(
        "Your interpersonal formulation, as you would say it to the client",
        height=180,
        key=f"{key}-text",
        placeholder="Name the problem area, link the onset to what happened, explain depression "
        "as an illness, propose the time-limited contract, and ask whether it fits.",
    )
    rubric = library().rubrics.get(FORMULATION_RUBRIC)
    self_check: dict[str, bool] = {}
    if rubric:
        st.markdown("**Self-check** against the formulation rubric: does your formulation…")
        for item in rubric.items:
            self_check[item.id] = st.checkbox(item.text, key=f"{key}-check-{item.id}")
    _autosave(
        case,
        {
            "primary": choices.primary or None,
            "secondary": choices.secondary,
            "stage": choices.dispute_stage,
            "people": st.session_state.get(f"{key}-people-now", []),
            "passages": choices.passages,
            "text": text,
            "self_check": self_check,
        },
    )
    st.caption("Your draft is saved as you go.")
    if not st.button("Submit formulation", type="primary", key=f"{key}-submit"):
        return
    if not choices.primary:
        st.error("Choose a primary problem area first.")
        return
    if "role_dispute" in (choices.primary, choices.secondary) and not choices.dispute_stage:
        st.error("Choose the stage of the dispute.")
        return
    choices.text, choices.self_check = text, self_check
    feedback = assess(case, choices, rubric)
    user = current_user()
    try:
        with db() as session:
            record_attempt(
                session,
                user,
                case.id,
                primary_area=choices.primary,
                secondary_area=choices.secondary,
                dispute_stage=choices.dispute_stage,
                key_people=choices.key_people,
                text=text,
                self_check=self_check,
                feedback={**feedback.to_dict(), "passages": choices.passages},
            )
    except StoreError as error:
        show_store_error(error)
        return
    with db() as session:
        discard_formulation_draft(session, user, case.id)
    for name in [k for k in st.session_state if str(k).startswith(f"{key}-")]:
        del st.session_state[name]
    st.session_state.pop(f"practice-again-{case.id}", None)
    st.rerun()
