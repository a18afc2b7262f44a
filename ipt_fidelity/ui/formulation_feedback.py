"""The feedback a trainee sees after submitting a formulation: verdicts, cues, rubric, model.

Every mark carries a word and a Material icon (which render without an emoji font); found and
missed cues are labelled in the text, not only coloured.
"""

from __future__ import annotations

import streamlit as st

from ..content.models import Case, Rubric
from ..content.vocab import label
from .widgets import anchors_table, plain, vignette_html

RIGHT = ":material/check_circle: **matches**"
WRONG = ":material/cancel: **differs**"
FOUND = ":material/check_box: found"
MISSED = ":material/check_box_outline_blank: missed"


def feedback_view(case: Case, attempt, rubric: Rubric | None) -> None:
    """Everything the stored feedback of `attempt` says, laid out to teach."""
    feedback = attempt.feedback or {}
    key = case.key
    if feedback.get("correct"):
        st.success("Your reading of the case matches the expert's.", icon=":material/check:")
    else:
        st.error(
            "Your reading of the case differs from the expert's. See why below.",
            icon=":material/close:",
        )
    for choice in feedback.get("choices", []):
        mark = RIGHT if choice["correct"] else WRONG
        st.markdown(
            f"{mark} — **{choice['name'].capitalize()}**: you chose *{label(choice['chosen'])}*; "
            f"the expert: *{label(choice['expected'])}*."
        )
    with st.expander("Why the expert reads it this way", expanded=not feedback.get("correct")):
        st.markdown(key.rationale)
    _cues(case, feedback)
    _people(feedback)
    _rubric_checklist(attempt, feedback, rubric)
    st.subheader("Model formulation")
    st.markdown(key.model_formulation)
    st.subheader("Teaching points")
    st.markdown("\n".join(f"- {point}" for point in key.teaching_points))
    st.subheader("Common mistakes with this case")
    st.markdown("\n".join(f"- {mistake}" for mistake in key.common_mistakes))


def _cues(case: Case, feedback: dict) -> None:
    st.subheader("The cues in the vignette")
    named, missed = feedback.get("cues_named", []), feedback.get("cues_missed", [])
    stray = feedback.get("passages_not_cues", [])
    score = feedback.get("cue_score")
    summary = f"You found {len(named)} of {len(named) + len(missed)} cues"
    if stray:
        summary += f"; {len(stray)} passage(s) you picked are not cues"
    if score is not None:
        summary += f". Cue score {score:.0%} (finding cues, and picking only cues)"
    st.caption(summary + ". In the text: green underline = cue found, red = cue missed.")
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(vignette_html(case, named=named, missed=missed), unsafe_allow_html=True)
    with right:
        for cue in case.key.cues:
            mark = FOUND if cue.quote in named else MISSED
            st.markdown(f"{mark}: “{cue.quote}”  \n→ *{label(cue.area)}*: {cue.why}")
        if stray:
            st.markdown("**Passages you picked that are not cues**")
            st.markdown("\n".join(f"- :material/remove: {plain(p)}" for p in stray))


def _people(feedback: dict) -> None:
    st.subheader("Key people")
    named = feedback.get("people_named", [])
    missed = feedback.get("people_missed", [])
    extra = feedback.get("people_extra", [])
    st.markdown(
        f"Named as the expert does: {', '.join(named) or 'none'}.  \n"
        f"Missed: {', '.join(missed) or 'none'}.  \n"
        f"Named but not central for the expert: {plain(', '.join(extra)) or 'none'}."
    )


def _rubric_checklist(attempt, feedback: dict, rubric: Rubric | None) -> None:
    if rubric is None:
        return
    st.subheader("Your formulation against the formulation rubric")
    st.caption(
        "Your self-check is what you ticked. The automatic hint is a crude keyword check of "
        "your text, not a rating: read the anchors and judge for yourself."
    )
    hints = feedback.get("hints", {})
    for item in rubric.items:
        mine = "ticked" if attempt.self_check.get(item.id) else "not ticked"
        hint = hints.get(item.id)
        hint_text = "" if hint is None else f" · automatic hint: {'found' if hint else 'not found'}"
        with st.expander(f"{item.text} — you: {mine}{hint_text}"):
            st.markdown(item.description)
            st.markdown(anchors_table(rubric, item))
    if attempt.text:
        with st.expander("Your formulation"):
            st.text(attempt.text)
