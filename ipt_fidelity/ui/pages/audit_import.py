"""Import a recorded session: upload, map speakers, review identifiers, preview, attach, save."""

from __future__ import annotations

import hashlib

import streamlit as st
from pydantic import ValidationError

from ...content.importers import (
    ImportedTranscript,
    RoleMappingError,
    TranscriptImportError,
    import_bytes,
)
from ...content.vocab import PHASES, PROBLEM_AREA_LABELS, PROBLEM_AREAS
from ...store.models import User
from ...training.upload_review import (
    Review,
    save_review,
)
from ..audit_widgets import co_raters_panel
from ..import_review import assign_unlabelled, map_speakers, review_identifiers
from ..state import database, library, require_role
from ..widgets import plain, transcript_view

SAVED = "import-saved"
UPLOAD = "import-upload-"
ROUND = "import-round"


def render() -> None:
    user = require_role("supervisor", "admin")
    st.title("Import a session")
    st.caption(
        "WebVTT (Zoom, Teams), SRT, Otter text, Whisper/WhisperX JSON, plain text with speaker "
        "labels or DOCX, up to 5 MB. Nothing is stored until you save, and then only the "
        "redacted transcript."
    )
    file = st.file_uploader("Transcript file", key=f"import-file-{st.session_state.get(ROUND, 0)}")
    if file is None:
        _saved(user)
        return
    data = file.getvalue()
    prefix = UPLOAD + hashlib.sha256(data).hexdigest()[:16]
    _forget_other_uploads(prefix)
    try:
        transcript = _transcript(prefix, data, file.name)
    except TranscriptImportError as error:
        st.error(plain(str(error)))
        return
    if not transcript.speakers:
        transcript = assign_unlabelled(prefix, transcript)
        if transcript is None:
            return
    mapped = map_speakers(prefix, transcript)
    if mapped is None:
        return
    review = review_identifiers(prefix, mapped)
    try:
        turns = review.turns()
    except RoleMappingError as error:
        st.error(plain(f"This transcript cannot be saved as a session: {error}"))
        return
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        st.error(plain(f"This transcript cannot be saved as a session: {problems}"))
        return
    st.subheader("3. Preview of the redacted transcript")
    transcript_view(turns, key=f"{prefix}-preview", height=420)
    _save(user, prefix, review, file.name, data)


def _forget_other_uploads(prefix: str) -> None:
    """Drop the review state of any earlier upload in this tab (and the last save's notice)."""
    for key in list(st.session_state):
        if key == SAVED or (str(key).startswith(UPLOAD) and not str(key).startswith(prefix)):
            del st.session_state[key]


def _transcript(prefix: str, data: bytes, name: str) -> ImportedTranscript:
    """The upload read once per file (kept in this tab's state until saved or replaced)."""
    key = f"{prefix}-transcript"
    if key not in st.session_state:
        st.session_state[key] = import_bytes(data, name)
    return st.session_state[key]


def _save(user: User, prefix: str, review: Review, filename: str, data: bytes) -> None:
    """Step 4: attach to a therapist's pseudonymous id, phase and number, and save."""
    st.subheader("4. Attach and save")
    lib = library()
    with st.form(f"{prefix}-save"):
        left, right = st.columns(2)
        therapist_id = left.text_input(
            "Therapist (pseudonymous id)", help="An id such as T-014, never a name."
        )
        title = right.text_input("Title", help="Shown to raters; never a name.")
        phase = left.selectbox("Phase", PHASES)
        number = right.number_input("Session number", min_value=1, max_value=999, value=1)
        case_id = left.selectbox(
            "Case of the library (optional)",
            [None, *lib.cases],
            format_func=lambda c: "none" if c is None else lib.cases[c].title,
        )
        areas = right.multiselect(
            "Problem areas (when no case is attached)",
            PROBLEM_AREAS,
            format_func=PROBLEM_AREA_LABELS.get,
        )
        rubrics = {r.id: r.title for r in lib.rubrics.values() if r.target == "session"}
        rubric_id = left.selectbox(
            "Rubric",
            [None, *rubrics],
            format_func=lambda r: "the attached case's rubric" if r is None else rubrics[r],
            help="A session of a library case is rated with that case's rubric.",
        )
        keep = st.checkbox(
            "Keep the original (restricted): only you and administrators can open it",
            help="Unticked, the original upload is discarded and only the redacted text is kept.",
        )
        if not st.form_submit_button("Save the session", type="primary"):
            return
    with database() as db:
        saved = save_review(
            db,
            user,
            lib,
            review,
            title=title,
            therapist_id=therapist_id,
            phase=phase,
            session_number=int(number),
            case_id=case_id,
            rubric_id=rubric_id,
            problem_areas=tuple(areas),
            original=(filename, data) if keep else None,
        )
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    st.session_state[SAVED] = (saved.id, saved.rubric_id)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.rerun()


def _saved(user: User) -> None:
    """After a save: the session's id and its co-raters."""
    if SAVED not in st.session_state:
        return
    saved, rubric_id = st.session_state[SAVED]
    rubric = library().rubrics.get(rubric_id)
    if rubric is None:
        return
    st.success(f"Saved as {saved}. Assign co-raters below, or import another session.")
    st.subheader("Co-raters of the saved session")
    co_raters_panel(user, saved, rubric, key="import-co")
