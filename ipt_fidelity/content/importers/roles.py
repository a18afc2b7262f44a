"""Speaker mapping: which raw label is the therapist, which are others, the rest are clients."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .model import ImportedTranscript, Role, RoleMappingError


def map_roles(
    transcript: ImportedTranscript, therapist: str, other: Iterable[str] = ()
) -> ImportedTranscript:
    """Make `therapist` the therapist, `other` labels other, every remaining speaker a client."""
    lead = _resolve(transcript, therapist)
    others = {_resolve(transcript, label) for label in other}
    if lead in others:
        raise RoleMappingError(f"speaker '{lead}' cannot be both the therapist and other")

    def role(speaker: str) -> Role:
        if not speaker:
            return "unknown"
        if speaker == lead:
            return "therapist"
        return "other" if speaker in others else "client"

    return replace(transcript, turns=[replace(t, role=role(t.speaker)) for t in transcript.turns])


def _resolve(transcript: ImportedTranscript, label: str) -> str:
    """The transcript's own spelling of a label, matched exactly or else ignoring case."""
    if label in transcript.speakers:
        return label
    folded = [s for s in transcript.speakers if s.casefold() == label.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    known = ", ".join(f"'{s}'" for s in transcript.speakers) or "none"
    raise RoleMappingError(f"no speaker '{label}' in this transcript (speakers: {known})")
