"""Formulation practice: read a vignette, choose the problem area, write the formulation, learn.

The chosen case is kept in the address (`?case=<id>`: ids never carry an answer). Only a
trainee's first attempt of a case, made before opening its transcripts, counts toward
certification; "Formulate this case again" is practice and says so.
"""

from __future__ import annotations

import streamlit as st

from ...content.models import Case
from ...content.vocab import DISPUTE_STAGES, PROBLEM_AREAS, label
from ...store import can_see_case_key, list_attempts
from ...store.errors import StoreError
from ...store.formulation_drafts import get_formulation_draft, save_formulation_draft
from ...training.formulation_feedback import Attempt, vignette_sentences
from ...training.practice import FORMULATION_RUBRIC, submit_formulation
from ...training.worklist import formulation_worklist
from ..formulation_feedback import feedback_view
from ..selection import remembered_choice
from ..state import current_user, database, library, require_role, show_store_error
from ..widgets import client_line, plain, vignette_html

FIELDS = ("primary", "secondary", "stage", "passages", "text")


def render() -> None:
    user = require_role("trainee")
    lib = library()
    st.title("Formulation practice")
    if not lib.cases:
        st.info("There are no cases in the library yet.")
        return
    with database(read_only=True) as db:
        work = {w.target_id: w for w in formulation_worklist(db, user, lib)}
    case_id = remembered_choice(
        "Case", list(work), lambda c: work[c].label, key="practice-case", param="case"
    )
    case = lib.cases[case_id]
    with database(read_only=True) as db:
        mine = list_attempts(db, user, user_id=user.id, case_id=case_id)
    if mine and not st.session_state.get(f"practice-again-{case_id}"):
        _show_feedback(case, mine)
        return
    if mine:
        st.info(
            "This is a practice attempt: only your first attempt of a case counts toward "
            "certification."
        )
    _attempt_form(case)


def _show_feedback(case: Case, attempts: list) -> None:
    user = current_user()
    with database(read_only=True) as db:
        allowed = can_see_case_key(db, user, case.id)
    if not allowed:
        st.error("The expert key of this case is not available to you.")
        return
    latest = attempts[-1]
    st.caption(
        f"You submitted this formulation on {latest.submitted_at:%d %b %Y, %H:%M}"
        + (f" (attempt {len(attempts)}; practice)." if len(attempts) > 1 else ".")
    )
    feedback_view(case, latest, library().rubrics.get(FORMULATION_RUBRIC))
    if st.button("Formulate this case again (practice)", key=f"practice-again-button-{case.id}"):
        st.session_state[f"practice-again-{case.id}"] = True
        st.rerun()


def _attempt_form(case: Case) -> None:
    _restore_draft(case)
    st.markdown(f"**{plain(case.title)}**  \n{plain(client_line(case))}")
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
    with database(read_only=True) as db:
        draft = get_formulation_draft(db, current_user(), case.id)
    if not draft:
        return
    sentences = set(vignette_sentences(case))
    draft["passages"] = [p for p in draft.get("passages", []) if p in sentences]
    for field in FIELDS:
        if draft.get(field) is not None:
            st.session_state[f"{key}-{field}"] = draft[field]
    for item_id, checked in draft.get("self_check", {}).items():
        st.session_state[f"{key}-check-{item_id}"] = checked
    names = {p.name for p in case.vignette.interpersonal_inventory}
    for row in draft.get("people") or []:
        if row.get("person") in names:
            person = _person_key(case, row["person"])
            st.session_state[f"{person}-key"] = bool(row.get("key"))
            st.session_state[f"{person}-part"] = row.get("their part") or ""


def _autosave(case: Case, payload: dict) -> None:
    """Save the draft whenever anything in it changed since the last save."""
    key = f"practice-{case.id}-saved"
    if st.session_state.get(key) == payload:
        return
    try:
        with database() as db:
            save_formulation_draft(db, current_user(), case.id, payload)
    except StoreError as error:  # the page goes on: what is typed stays in the widgets
        show_store_error(error)
        return
    st.session_state[key] = payload


def _person_key(case: Case, name: str) -> str:
    index = [p.name for p in case.vignette.interpersonal_inventory].index(name)
    return f"practice-{case.id}-person-{index}"


def _people(case: Case) -> list[dict]:
    """Key people: a checkbox and a line of text per person of the inventory (keyboard-friendly)."""
    st.markdown("**Key people** — tick those central to the problem and say their part.")
    rows = []
    for person in case.vignette.interpersonal_inventory:
        key = _person_key(case, person.name)
        tick, part = st.columns([2, 3])
        chosen = tick.checkbox(f"{person.name} ({person.relationship})", key=f"{key}-key")
        text = part.text_input(
            f"Part played by {person.name}",
            key=f"{key}-part",
            placeholder="their part",
            label_visibility="collapsed",
        )
        rows.append({"person": person.name, "key": chosen, "their part": text})
    return rows


def _choices(case: Case) -> tuple[Attempt, list[dict]]:
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
    people = _people(case)
    passages = st.multiselect(
        "Passages that support your choice",
        vignette_sentences(case),
        key=f"{key}-passages",
        help="Pick the sentences of the vignette that point to the problem area. Passages that "
        "are not cues count against you: pick the telling few, not everything.",
    )
    attempt = Attempt(
        primary=primary or "",
        secondary=secondary,
        dispute_stage=stage,
        key_people=[
            f"{row['person']}: {row['their part']}".rstrip(": ") for row in people if row["key"]
        ],
        passages=passages,
    )
    return attempt, people


def _submit(case: Case, drawn: tuple[Attempt, list[dict]]) -> None:
    choices, people = drawn
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
            "people": people,
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
    with database() as db:
        submit_formulation(db, current_user(), library(), case.id, choices)
    for name in [k for k in st.session_state if str(k).startswith(f"{key}-")]:
        del st.session_state[name]
    st.session_state.pop(f"practice-again-{case.id}", None)
    st.rerun()
