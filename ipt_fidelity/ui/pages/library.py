"""Content library: rubrics with anchors, case vignettes, transcripts in a readable turn view."""

from __future__ import annotations

import streamlit as st

from ...content.library import Library
from ...content.vocab import label
from ...store.targets import shipped_title
from ..state import can_see_keys, library
from ..widgets import client_line, rubric_view, transcript_view, vignette_html


def render() -> None:
    st.title("Content library")
    lib = library()
    if lib.problems:
        st.warning(
            f"{len(lib.problems)} problem(s) in the content files; run "
            "`python -m ipt_fidelity validate` for the list."
        )
    rubrics, cases, transcripts = st.tabs(["Rubrics", "Cases", "Transcripts"])
    with rubrics:
        _rubrics(lib)
    with cases:
        _cases(lib)
    with transcripts:
        _transcripts(lib)


def _rubrics(lib: Library) -> None:
    if not lib.rubrics:
        st.info("No rubrics yet. Add one under `rubrics/` (see CONTENT.md).")
        return
    rubric_id = st.selectbox(
        "Rubric",
        list(lib.rubrics),
        format_func=lambda r: f"{lib.rubrics[r].title} (v{lib.rubrics[r].version})",
        key="library-rubric",
    )
    rubric = lib.rubrics[rubric_id]
    st.caption(f"{len(rubric.items)} items in {len(rubric.sections)} sections")
    rubric_view(rubric)


def _cases(lib: Library) -> None:
    if not lib.cases:
        st.info("No cases yet. Add one under `vignettes/<case-id>/case.yaml`.")
        return
    case_id = st.selectbox(
        "Case", list(lib.cases), format_func=lambda c: lib.cases[c].title, key="library-case"
    )
    case = lib.cases[case_id]
    st.markdown(f"**{case.title}**  \n{client_line(case)}")
    st.caption(f"Difficulty: {case.difficulty}")
    st.markdown(vignette_html(case), unsafe_allow_html=True)
    if not can_see_keys():
        st.info("The expert key is shown after you submit your own formulation of this case.")
        return
    key = case.key
    with st.expander("Expert key", expanded=False):
        st.markdown(
            f"**Primary:** {label(key.primary_problem_area)}  \n"
            f"**Secondary:** {label(key.secondary_problem_area)}  \n"
            f"**Dispute stage:** {label(key.dispute_stage)}"
        )
        st.markdown(f"**Rationale.** {key.rationale}")
        st.markdown(f"**Model formulation.** {key.model_formulation}")
        for cue in key.cues:
            st.markdown(f"- “{cue.quote}” → *{label(cue.area)}*: {cue.why}")


def _transcripts(lib: Library) -> None:
    if not lib.sessions:
        st.info("No transcripts yet. Add one under `vignettes/<case-id>/sessions/`.")
        return
    session_id = st.selectbox(
        "Transcript",
        list(lib.sessions),
        format_func=lambda s: shipped_title(lib, s),
        key="library-session",
    )
    session = lib.sessions[session_id]
    st.caption(
        f"Case: {lib.cases[session.case].title if session.case in lib.cases else session.case}"
        f" · session {session.session_number} · {session.phase} phase · {len(session.turns)} turns"
    )
    if can_see_keys() and session.summary:
        st.markdown(
            f"**Summary (supervisors).** {session.summary} Intended fidelity: {session.fidelity}."
        )
    transcript_view(session.turns, key="library-transcript")
