"""Speaker mapping: which raw labels are therapists, interpreters or others; the rest are clients.

Co-therapy and group sessions have more than one therapist or client, and a session with an
interpreter keeps the interpreter's turns: every role is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .transcript import ImportedTranscript, Role, RoleMappingError


def map_roles(
    transcript: ImportedTranscript,
    therapist: str | Iterable[str],
    other: Iterable[str] = (),
    interpreter: Iterable[str] = (),
) -> ImportedTranscript:
    """Make the `therapist` label(s) therapists, `interpreter` interpreters, `other` other, and
    every remaining speaker a client."""
    leads = [therapist] if isinstance(therapist, str) else list(therapist)
    if not leads:
        raise RoleMappingError("name at least one therapist")
    chosen: dict[str, Role] = {}
    for labels, role in ((leads, "therapist"), (interpreter, "interpreter"), (other, "other")):
        for label in labels:
            speaker = _resolve(transcript, label)
            if chosen.setdefault(speaker, role) != role:
                raise RoleMappingError(
                    f"speaker '{speaker}' cannot be both the {chosen[speaker]} and {role}"
                )

    def role(speaker: str) -> Role:
        if not speaker:
            return "unknown"
        return chosen.get(speaker, "client")

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
