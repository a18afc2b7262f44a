"""Plain text with a speaker label at the start of each turn: 'Therapist: ...', 'T: ...', names."""

from __future__ import annotations

from .common import merge, require_turns, speakers_of, split_text_label
from .model import ImportedTranscript, Segment, TranscriptImportError


def segments_of(lines: list[str]) -> list[Segment]:
    """A segment per labelled line; unlabelled lines continue the segment above them."""
    pieces: list[tuple[str, float | None, list[str]]] = []
    for line in lines:
        parsed = split_text_label(line)
        if parsed:
            pieces.append((parsed[0], parsed[1], [parsed[2]]))
        elif line.strip():
            if not pieces:
                pieces.append(("", None, []))
            pieces[-1][2].append(line)
    return [Segment(label, " ".join(body), start) for label, start, body in pieces]


def parse(text: str, name: str) -> ImportedTranscript:
    """Read a labelled plain-text transcript (LF or CRLF, optional (hh:mm:ss) or [m:ss] stamps)."""
    segments = segments_of(text.splitlines())
    if not any(s.speaker for s in segments):
        raise TranscriptImportError(
            f"{name}: no speaker labels found (expected lines like 'Therapist: ...')"
        )
    turns = require_turns(merge(segments), name, "text")
    warnings = ["text before the first speaker label is kept as an unlabelled turn"]
    return ImportedTranscript(
        "text", speakers_of(turns), turns, warnings if turns[0].speaker == "" else []
    )
