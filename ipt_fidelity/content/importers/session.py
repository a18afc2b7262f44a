"""Turn a role-mapped transcript into the session shape of content/models.py, and into YAML."""

from __future__ import annotations

import re

import yaml

from ..models import Session
from .transcript import ImportedTranscript, RawTurn, RoleMappingError


def to_session(
    transcript: ImportedTranscript,
    *,
    id: str,
    case: str,
    session_number: int,
    phase: str,
    fidelity: str,
    difficulty: str = "intermediate",
    title: str = "",
    summary: str = "",
    drop_other: bool = False,
) -> Session:
    """A validated Session; fails naming any speaker whose role is not therapist or client."""
    _require_mapped(transcript, drop_other)
    kept = [t for t in transcript.turns if t.role in KEPT_ROLES]
    labels = role_labels(kept)
    turns = [
        {
            "n": i,
            "speaker": t.role,
            "text": t.text,
            "start": t.start,
            "label": labels.get(t.speaker),
        }
        for i, t in enumerate(kept, start=1)
    ]
    return Session.model_validate(
        {
            "id": id,
            "case": case,
            "title": title,
            "session_number": session_number,
            "phase": phase,
            "fidelity": fidelity,
            "difficulty": difficulty,
            "summary": summary,
            "turns": turns,
        }
    )


KEPT_ROLES = ("therapist", "client", "interpreter")
"""The roles a session keeps: every speaker but 'other' (noise, a device, a visitor)."""


def role_labels(turns: list[RawTurn]) -> dict[str, str]:
    """'Therapist 1', 'Therapist 2' (in order of first turn) for the speakers of a role that has
    more than one speaker in the session; a role with one speaker needs no label."""
    by_role: dict[str, list[str]] = {}
    for t in turns:
        speakers = by_role.setdefault(t.role, [])
        if t.speaker not in speakers:
            speakers.append(t.speaker)
    return {
        speaker: f"{role.capitalize()} {k}"
        for role, speakers in by_role.items()
        if len(speakers) > 1
        for k, speaker in enumerate(speakers, start=1)
    }


def _require_mapped(transcript: ImportedTranscript, drop_other: bool) -> None:
    """Raise one error naming every unlabelled turn, unmapped speaker and (unless dropped) other."""
    unknown = list(dict.fromkeys(t.speaker for t in transcript.turns if t.role == "unknown"))
    others = list(dict.fromkeys(t.speaker for t in transcript.turns if t.role == "other"))
    problems = []
    if "" in unknown:
        count = sum(1 for t in transcript.turns if not t.speaker)
        problems.append(f"{count} turn(s) have no speaker label")
    if named := [s for s in unknown if s]:
        problems.append("no role for speaker(s) " + ", ".join(f"'{s}'" for s in named))
    if others and not drop_other:
        problems.append(
            "speaker(s) "
            + ", ".join(f"'{s}'" for s in others)
            + " are mapped as other (a session holds therapist, client and interpreter turns;"
            " drop them to leave their turns out)"
        )
    if problems:
        raise RoleMappingError("cannot make a session: " + "; ".join(problems))


def session_id(name: str) -> str:
    """A valid session id from a file name: lower case, [a-z0-9_-] only, at most 80 characters."""
    slug = re.sub(r"[^a-z0-9_\-]+", "-", name.lower()).strip("-_")[:80].rstrip("-_")
    return slug or "imported-session"


def session_yaml(session: Session) -> str:
    """The session as YAML in the field order of the model, leaving out fields left at default."""
    data = session.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
