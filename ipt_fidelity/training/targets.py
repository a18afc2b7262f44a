"""What a rater rates: a shipped transcript or an uploaded one, seen through one shape."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.library import Library
from ..content.models import Item, ReferenceRating, Rubric, Turn


@dataclass(frozen=True)
class RateTarget:
    """A transcript to rate, with the phase and problem areas that decide which items apply.

    `rubric_id` is the session rubric its case names (adult or adolescent IPT), if it has a case.
    """

    id: str
    title: str
    phase: str
    areas: frozenset[str]
    turns: list[Turn]
    reference: ReferenceRating | None = None
    rubric_id: str | None = None

    def items(self, rubric: Rubric) -> list[Item]:
        """The rubric items in scope for this transcript."""
        return rubric.applicable_items(self.phase, set(self.areas))


def shipped_target(library: Library, session_id: str) -> RateTarget:
    """A shipped session with its case's problem areas and the expert reference rating."""
    session = library.sessions[session_id]
    case = library.case_of(session)
    title = f"{case.vignette.client.pseudonym} · session {session.session_number} ({session.phase})"
    return RateTarget(
        id=session.id,
        title=title,
        phase=session.phase,
        areas=frozenset(case.key.areas),
        turns=list(session.turns),
        reference=session.reference_rating,
        rubric_id=case.rubric,
    )


def uploaded_target(library: Library, upload) -> RateTarget:
    """An uploaded session; its problem areas: its attached case's, else those given at import."""
    case = library.cases.get(upload.case_id) if upload.case_id else None
    turns = [
        Turn(n=t["n"], speaker=t["speaker"], text=t["text"], start=t.get("start"))
        for t in upload.turns
    ]
    return RateTarget(
        id=upload.id,
        title=f"{upload.title} · therapist {upload.therapist_id} · session {upload.session_number}",
        phase=upload.phase,
        areas=frozenset(case.key.areas if case else upload.problem_areas),
        turns=turns,
        rubric_id=case.rubric if case else None,
    )
