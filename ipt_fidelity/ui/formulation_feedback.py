"""The feedback a trainee sees after submitting a formulation: verdicts, cues, rubric, model."""

from __future__ import annotations

import streamlit as st

from ..content.models import Case, Rubric
from ..content.vocab import label
from .widgets import anchors_table, vignette_html


def feedback_view(case: Case, attempt, rubric: Rubric | None) -> None:
    """Everything the stored feedback of `attempt` says, laid out to teach."""
    feedback = attempt.feedback or {}
    key = case.key
    if feedback.get("correct"):
        st.success("Your reading of the case matches the expert's.")
    else:
        st.error("Your reading of the case differs from the expert's. See why below.")
    for choice in feedback.get("choices", []):
        mark = "✅" if choice["correct"] else "❌"
        st.markdown(
            f"{mark} **{choice['name'].capitalize()}**: you chose *{label(choice['chosen'])}*; "
            f"the expert: *{label(choice['expected'])}*."
        )
    with st.expander("Why the expert reads it this way", expanded=not feedback.get("correct")):
        st.markdown(key.rationale)

    st.subheader("The cues in the vignette")
    st.caption("Green: cues you picked or used. Red: cues you missed.")
    named, missed = feedback.get("cues_named", []), feedback.get("cues_missed", [])
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(vignette_html(case, named=named, missed=missed), unsafe_allow_html=True)
    with right:
        for cue in key.cues:
            mark = "✅" if cue.quote in named else "⬜"
            st.markdown(f"{mark} “{cue.quote}”  \n→ *{label(cue.area)}*: {cue.why}")
    _people(feedback)
    _rubric_checklist(attempt, feedback, rubric)
    st.subheader("Model formulation")
    st.markdown(key.model_formulation)
    st.subheader("Teaching points")
    st.markdown("\n".join(f"- {point}" for point in key.teaching_points))
    st.subheader("Common mistakes with this case")
    st.markdown("\n".join(f"- {mistake}" for mistake in key.common_mistakes))


def _people(feedback: dict) -> None:
    st.subheader("Key people")
    named = feedback.get("people_named", [])
    missed = feedback.get("people_missed", [])
    extra = feedback.get("people_extra", [])
    st.markdown(
        f"Named as the expert does: {', '.join(named) or 'none'}.  \n"
        f"Missed: {', '.join(missed) or 'none'}.  \n"
        f"Named but not central for the expert: {', '.join(extra) or 'none'}."
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
        mine = "✅" if attempt.self_check.get(item.id) else "⬜"
        hint = hints.get(item.id)
        hint_text = (
            ""
            if hint is None
            else (" · automatic hint: found" if hint else " · automatic hint: not found")
        )
        with st.expander(f"{mine} {item.text}{hint_text}"):
            st.markdown(item.description)
            st.markdown(anchors_table(rubric, item))
    if attempt.text:
        with st.expander("Your formulation"):
            st.text(attempt.text)
