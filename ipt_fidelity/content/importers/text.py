"""Plain text with a speaker label at the start of each turn: 'Therapist: ...', 'T: ...', names."""

from __future__ import annotations

from .common import is_metadata_label, merge, require_turns, speakers_of, split_text_label
from .transcript import ImportedTranscript, Segment, TranscriptImportError


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
    """Read a labelled plain-text transcript (LF or CRLF, optional (hh:mm:ss) or [m:ss] stamps).

    Text before the first speaker label is a title, and 'Date: ...'-style metadata lines are
    left out: neither is ever a turn.
    """
    segments = segments_of(text.splitlines())
    kept = [s for s in segments if s.speaker and not is_metadata_label(s.speaker)]
    if not kept:
        raise TranscriptImportError(
            f"{name}: no speaker labels found (expected lines like 'Therapist: ...')"
        )
    title = segments[0].text.strip() if not segments[0].speaker else ""
    left_out = len(segments) - len(kept) - bool(title)
    warnings = [f"{left_out} metadata line(s) left out"] if left_out else []
    turns = require_turns(merge(kept), name, "text")
    return ImportedTranscript(
        "text", speakers_of(turns), turns, warnings, title=" ".join(title.split())
    )
