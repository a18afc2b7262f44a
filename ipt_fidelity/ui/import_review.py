"""The import review's steps as widgets: speakers of an unlabelled transcript, roles of each
speaker, the identifiers found (keep, add, re-scan). The page strings them together."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..content.deid import CATEGORIES
from ..content.importers import (
    SPEAKER_METHODS,
    ImportedTranscript,
    RoleMappingError,
    assign_speakers,
    set_speaker,
)
from ..training.upload_review import ROLES, Review, apply_roles, findings_table, suggested_roles
from .widgets import plain

ROLE_LABELS = {
    "therapist": "therapist",
    "client": "client",
    "interpreter": "interpreter (kept)",
    "other": "other (left out)",
}
METHOD_LABELS = {"alternate": "alternation", "pause": "pauses"}


def assign_unlabelled(prefix: str, transcript: ImportedTranscript) -> ImportedTranscript | None:
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


def map_speakers(prefix: str, transcript: ImportedTranscript) -> ImportedTranscript | None:
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


def review_identifiers(prefix: str, mapped: ImportedTranscript) -> Review:
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
