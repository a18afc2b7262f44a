"""An upload's review before it is stored: speakers mapped to roles, identifiers redacted.

The import review works on the importer's `ImportedTranscript`: speakers are mapped to roles,
the de-identification scan's findings are accepted unless the reviewer rejects them, and the
redacted transcript becomes the stored session's turns. Nothing identifying reaches the store or
the audit log: the summary holds counts per category only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from ..content.deid import Finding, ReviewDecisions, redact, scan
from ..content.importers import ImportedTranscript, RoleMappingError, map_roles, to_session
from ..content.library import Library
from ..content.models import Turn
from ..store import add_imported_session
from ..store.errors import InvalidInput
from ..store.models import ImportedSession, User
from ..store.permissions import require_staff

ROLES = ("therapist", "client", "interpreter", "other")


def suggested_roles(transcript: ImportedTranscript) -> dict[str, str]:
    """A role per speaker: role labels as they say; else the first speaker is the therapist."""
    labelled = {t.speaker: t.role for t in transcript.turns}
    roles = {s: labelled.get(s, "unknown") for s in transcript.speakers}
    has_therapist = "therapist" in roles.values()
    for speaker, role in roles.items():
        if role == "unknown":
            roles[speaker] = "client" if has_therapist else "therapist"
            has_therapist = True
    return roles


def apply_roles(transcript: ImportedTranscript, roles: dict[str, str]) -> ImportedTranscript:
    """The transcript with the reviewer's roles; turns without a speaker label are left out."""
    if not transcript.speakers:
        raise RoleMappingError(
            "This transcript has no speaker labels (plain Whisper output?), so its turns cannot "
            "be attributed: assign speakers first (by alternation or by pause)."
        )
    therapists = [s for s, role in roles.items() if role == "therapist"]
    if not therapists:
        raise RoleMappingError("Map at least one speaker to the therapist.")
    others = [s for s, role in roles.items() if role == "other"]
    interpreters = [s for s, role in roles.items() if role == "interpreter"]
    mapped = map_roles(transcript, therapists, other=others, interpreter=interpreters)
    turns = [t if t.speaker else replace(t, role="other") for t in mapped.turns]
    return replace(mapped, turns=turns)


@dataclass(frozen=True)
class Review:
    """A role-mapped transcript, the scan's findings, the ids the reviewer rejected, and the
    spans they added."""

    transcript: ImportedTranscript
    findings: list[Finding]
    names: tuple[str, ...] = ()
    rejected: frozenset[str] = frozenset()
    added: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, transcript: ImportedTranscript, names: tuple[str, ...] = ()) -> Review:
        """Scan a role-mapped transcript, with the names the reviewer added."""
        return cls(transcript, scan(transcript, names), names)

    def keeping(self, rejected: Iterable[str]) -> Review:
        """The same findings with these finding ids kept in the text (not identifiers)."""
        return replace(self, rejected=frozenset(rejected))

    def adding(self, value: str, category: str) -> Review:
        """Also redact every whole-word occurrence of a missed value (ValueError if absent)."""
        decisions = ReviewDecisions(tuple(self.findings), self.rejected, self.added)
        return replace(self, added=decisions.add_text(self.transcript, value, category).added)

    @property
    def accepted(self) -> list[Finding]:
        kept = [f for f in (*self.findings, *self.added) if f.id not in self.rejected]
        return sorted(kept, key=lambda f: (f.turn, f.start, -f.end))

    @cached_property
    def redacted(self) -> ImportedTranscript:
        return redact(self.transcript, self.accepted)

    def turns(self) -> list[Turn]:
        """The redacted therapist and client turns, renumbered (others and unlabelled left out)."""
        session = to_session(
            self.redacted,
            id="upload",
            case="imported",
            session_number=1,
            phase="initial",
            fidelity="mixed",  # required by the content model; an upload does not store it
            difficulty="intermediate",
            drop_other=True,
        )
        return list(session.turns)

    def summary(self) -> dict[str, Any]:
        """What the redaction did, as counts only: never the identifiers themselves."""
        counts = Counter(f.category for f in self.accepted)
        removed = len(self.rejected & {f.id for f in self.findings})
        return {
            "format": self.transcript.format,
            "redacted": dict(sorted(counts.items())),
            "kept": removed,
            "names_added": len(self.names),
            "removed": removed,
            "added": len([f for f in self.added if f.id not in self.rejected]),
        }


def findings_table(review: Review) -> pd.DataFrame:
    """One row per finding for the review step: id, category, text, turn, context and why."""
    texts = {t.n: t.text for t in review.transcript.turns}
    rows = [
        {
            "id": f.id,
            "category": f.category,
            "text": f.text,
            "turn": f.turn,
            "context": _context(texts[f.turn], f.start, f.end),
            "reason": f.reason,
        }
        for f in [*review.findings, *review.added]
    ]
    return pd.DataFrame(rows, columns=["id", "category", "text", "turn", "context", "reason"])


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    """The finding with a few words either side."""
    left = ("…" if start > width else "") + text[max(0, start - width) : start]
    right = text[end : end + width] + ("…" if end + width < len(text) else "")
    return f"{left}{text[start:end]}{right}"


def save_review(
    db: Session,
    actor: User,
    library: Library,
    review: Review,
    *,
    title: str,
    therapist_id: str,
    phase: str,
    session_number: int,
    case_id: str | None = None,
    rubric_id: str | None = None,
    problem_areas: tuple[str, ...] = (),
    original: tuple[str, bytes] | None = None,
) -> ImportedSession:
    """Store the redacted session; the original (name, bytes) only when the reviewer keeps it."""
    require_staff(actor)
    therapist_id = therapist_id.strip()
    if not therapist_id:
        raise InvalidInput("Give the therapist's pseudonymous id.")
    if case_id and case_id not in library.cases:
        raise InvalidInput(f"No case '{case_id}' in the library.")
    rubric_id = upload_rubric(library, case_id, rubric_id)
    turns = [t.model_dump(mode="json", exclude_none=True) for t in review.turns()]
    return add_imported_session(
        db,
        actor,
        problem_areas=problem_areas,
        redaction_summary=review.summary(),
        title=title.strip() or f"Session {session_number}",
        therapist_id=therapist_id,
        phase=phase,
        session_number=session_number,
        turns=turns,
        case_id=case_id or None,
        rubric_id=rubric_id,
        original=original[1] if original else None,
        original_filename=original[0] if original else None,
    )


def upload_rubric(library: Library, case_id: str | None, rubric_id: str | None) -> str:
    """The rubric an upload is rated with: its case's, else the one the reviewer chose."""
    case = library.cases.get(case_id) if case_id else None
    if case is not None and rubric_id not in (None, case.rubric):
        raise InvalidInput(f"Sessions of this case are rated with rubric '{case.rubric}'.")
    chosen = case.rubric if case is not None else rubric_id
    if chosen is None:
        raise InvalidInput("Choose the rubric this session is rated with.")
    rubric = library.rubrics.get(chosen)
    if rubric is None or rubric.target != "session":
        raise InvalidInput(f"No session rubric '{chosen}' in the library.")
    return chosen
