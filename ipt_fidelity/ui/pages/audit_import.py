"""Import a recorded session: upload, map speakers, review identifiers, preview, attach, save."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from ...content.deid import CATEGORIES
from ...content.importers import (
    SPEAKER_METHODS,
    ImportedTranscript,
    RoleMappingError,
    TranscriptImportError,
    assign_speakers,
    import_bytes,
    set_speaker,
)
from ...content.vocab import PHASES, PROBLEM_AREA_LABELS, PROBLEM_AREAS
from ...store.models import User
from ...training.upload_review import (
    ROLES,
    Review,
    apply_roles,
    findings_table,
    save_review,
    suggested_roles,
)
from ..audit_widgets import co_raters_panel
from ..state import database, library, require_role
from ..widgets import plain, transcript_view

SAVED = "import-saved"
UPLOAD = "import-upload-"
ROUND = "import-round"
ROLE_LABELS = {
    "therapist": "therapist",
    "client": "client",
    "interpreter": "interpreter (kept)",
    "other": "other (left out)",
}
METHOD_LABELS = {"alternate": "alternation", "pause": "pauses"}


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
        transcript = _assign_speakers(prefix, transcript)
        if transcript is None:
            return
    mapped = _speakers(prefix, transcript)
    if mapped is None:
        return
    review = _identifiers(prefix, mapped)
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


def _assign_speakers(prefix: str, transcript: ImportedTranscript) -> ImportedTranscript | None:
    """Plain Whisper output: speakers by alternation or by pauses, corrected turn by turn."""
    st.subheader("Speakers of an unlabelled transcript")
    st.caption("This transcript has no speaker labels: assign them, then correct any turn.")
    left, right = st.columns(2)
    method = left.radio(
        "Assign speakers by",
        SPEAKER_METHODS,
        format_func=METHOD_LABELS.get,
        horizontal=True,
        key=f"{prefix}-assign",
    )
    pause = right.number_input(
        "Pause that changes the speaker (seconds)",
        min_value=0.1,
        value=1.0,
        step=0.1,
        disabled=method != "pause",
        key=f"{prefix}-pause",
    )
    try:
        assigned = assign_speakers(transcript, method, pause=float(pause))
    except RoleMappingError as error:
        st.error(plain(str(error)))
        return None
    labels = assigned.speakers
    table = pd.DataFrame(
        {
            "turn": [t.n for t in assigned.turns],
            "speaker": [t.speaker for t in assigned.turns],
            "text": [t.text for t in assigned.turns],
        }
    )
    edited = st.data_editor(
        table,
        column_config={"speaker": st.column_config.SelectboxColumn(options=labels, required=True)},
        disabled=["turn", "text"],
        hide_index=True,
        width="stretch",
        key=f"{prefix}-speakers-{method}-{pause}",
    )
    for n, label, before in zip(edited["turn"], edited["speaker"], table["speaker"], strict=True):
        if label != before:
            assigned = set_speaker(assigned, int(n), str(label))
    return assigned


def _speakers(prefix: str, transcript: ImportedTranscript) -> ImportedTranscript | None:
    """Step 1: each raw speaker mapped to therapist, client or other (role labels pre-filled)."""
    st.subheader("1. Speakers")
    st.caption(f"Read as {transcript.format}: {len(transcript.turns)} turns.")
    for warning in transcript.warnings:
        st.warning(plain(warning))
    counts = pd.Series([t.speaker for t in transcript.turns]).value_counts()
    suggested = suggested_roles(transcript)
    roles = {}
    columns = st.columns(max(min(len(transcript.speakers), 3), 1))
    for i, speaker in enumerate(transcript.speakers):
        roles[speaker] = columns[i % len(columns)].selectbox(
            f"Role of {plain(speaker)} ({counts.get(speaker, 0)} turns)",
            ROLES,
            index=ROLES.index(suggested[speaker]),
            format_func=ROLE_LABELS.get,
            key=f"{prefix}-role-{i}",
        )
    if unlabelled := int(counts.get("", 0)):
        st.warning(f"{unlabelled} turn(s) have no speaker label and will be left out.")
    try:
        return apply_roles(transcript, roles)
    except RoleMappingError as error:
        st.error(plain(str(error)))
        return None


def _identifiers(prefix: str, mapped: ImportedTranscript) -> Review:
    """Step 2: the scan's findings, each redacted unless the reviewer keeps it; add names."""
    st.subheader("2. Identifiers")
    names_key, kept_key = f"{prefix}-names", f"{prefix}-kept"
    names = tuple(st.session_state.get(names_key, ()))
    review = _scanned(prefix, mapped, names)
    for value, category in st.session_state.get(f"{prefix}-added", []):
        review = review.adding(value, category)
    table = findings_table(review)
    if table.empty:
        st.info("The scan found no identifiers. Read the preview: add any name it missed below.")
    else:
        st.caption(
            f"{len(table)} finding(s). Each is replaced by [CATEGORY n] unless you keep it below."
        )
        st.dataframe(table.drop(columns="id"), hide_index=True, width="stretch")
    options = {f.id: f"{f.category} · turn {f.turn} · {f.text}" for f in table.itertuples()}
    kept = st.multiselect(
        "Not identifiers: keep these as they are",
        list(options),
        default=[i for i in st.session_state.get(kept_key, []) if i in options],
        format_func=options.get,
        key=f"{prefix}-keep-{len(names)}",
    )
    st.session_state[kept_key] = kept
    with st.form(f"{prefix}-names-form", clear_on_submit=True, border=False):
        added = st.text_input("Other names to find (comma-separated)", key=f"{prefix}-name-input")
        if st.form_submit_button("Add and re-scan"):
            extra = [n.strip() for n in added.split(",") if n.strip()]
            st.session_state[names_key] = tuple(dict.fromkeys([*names, *extra]))
            st.rerun()
    if names:
        st.caption(f"{len(names)} name(s) added to the scan.")
    _add_form(prefix, review)
    return review.keeping(kept)


def _scanned(prefix: str, mapped: ImportedTranscript, names: tuple[str, ...]) -> Review:
    """The scan of this upload, run once per set of added names and speakers, not every rerun."""
    key = f"{prefix}-scan-{hash((names, tuple(mapped.speakers)))}"
    if key not in st.session_state:
        st.session_state[key] = Review.of(mapped, names).findings
    return Review(mapped, st.session_state[key], names)


def _add_form(prefix: str, review: Review) -> None:
    """A missed identifier of any category, added by the reviewer wherever it occurs."""
    added_key = f"{prefix}-added"
    added = list(st.session_state.get(added_key, []))
    with st.form(f"{prefix}-add-form", clear_on_submit=True, border=False):
        left, right = st.columns([3, 1])
        value = left.text_input("A missed identifier (exact text, redacted wherever it occurs)")
        category = right.selectbox("Category", CATEGORIES)
        if st.form_submit_button("Add to the redaction") and value.strip():
            try:
                review.adding(value, category)
            except ValueError as error:
                st.error(plain(str(error)))
            else:
                st.session_state[added_key] = [*added, (value, category)]
                st.rerun()
    if review.added:
        st.caption(f"{len(review.added)} span(s) added by you for redaction.")


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
