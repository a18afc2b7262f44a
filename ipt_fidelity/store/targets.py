"""What a rater rates: a shipped transcript or an uploaded one, seen through one shape.

A session's rubric is decided in one place each: a shipped session's by its case
(`Library.rubric_for`), an uploaded session's by the reviewer at import (stored with it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.library import Library
from ..content.models import Item, ReferenceRating, Rubric, Turn
from .errors import NotFound
from .models import ImportedSession, User
from .permissions import imported_session_readable
from .transactions import reads


@dataclass(frozen=True)
class RateTarget:
    """A transcript to rate, with the phase and problem areas that decide which items apply."""

    id: str
    title: str
    phase: str
    areas: frozenset[str]
    turns: list[Turn]
    rubric_id: str
    reference: ReferenceRating | None = None
    use: str = "calibration"

    def rubric(self, library: Library) -> Rubric | None:
        """The rubric this transcript is rated with (None if the library lacks it)."""
        return library.rubrics.get(self.rubric_id)

    def items(self, rubric: Rubric) -> list[Item]:
        """The rubric items in scope for this transcript."""
        return rubric.applicable_items(self.phase, set(self.areas))


def shipped_title(library: Library, session_id: str) -> str:
    """A shipped session as people name it: client, session number and phase (never the key)."""
    session = library.sessions[session_id]
    case = library.cases.get(session.case)
    who = case.vignette.client.pseudonym if case else session.case
    return f"{who} · session {session.session_number} ({session.phase})"


def shipped_target(library: Library, session_id: str) -> RateTarget:
    """A shipped session with its case's problem areas, rubric and expert reference rating."""
    session = library.sessions[session_id]
    case = library.case_of(session)
    return RateTarget(
        id=session.id,
        title=shipped_title(library, session_id),
        phase=session.phase,
        areas=frozenset(case.key.areas),
        turns=list(session.turns),
        rubric_id=case.rubric,
        reference=session.reference_rating,
        use=session.use,
    )


def uploaded_title(upload: ImportedSession) -> str:
    """An uploaded session as people name it: its title, therapist and session number."""
    return f"{upload.title} · therapist {upload.therapist_id} · session {upload.session_number}"


def uploaded_target(library: Library, upload: ImportedSession) -> RateTarget:
    """An uploaded session; its problem areas: its attached case's, else those given at import."""
    case = library.cases.get(upload.case_id) if upload.case_id else None
    turns = [
        Turn(
            n=t["n"],
            speaker=t["speaker"],
            text=t["text"],
            start=t.get("start"),
            label=t.get("label"),
        )
        for t in upload.turns
    ]
    return RateTarget(
        id=upload.id,
        title=uploaded_title(upload),
        phase=upload.phase,
        areas=frozenset(case.key.areas if case else upload.problem_areas),
        turns=turns,
        rubric_id=upload.rubric_id,
    )


@reads
def resolve_target(db: Session, actor: User, library: Library, session_id: str) -> RateTarget:
    """The transcript a session id names, as the actor may see it: shipped, else an upload."""
    if session_id in library.sessions:
        return shipped_target(library, session_id)
    query = select(ImportedSession).where(
        ImportedSession.id == session_id, imported_session_readable(actor)
    )
    upload = db.scalar(query)
    if upload is None:
        raise NotFound("No such session, or it is not visible to you.")
    return uploaded_target(library, upload)
