"""Whisper JSON (segments with start/end/text) and WhisperX JSON (segments with speaker labels)."""

from __future__ import annotations

import json
from numbers import Real

from .common import brief, merge, require_turns, speakers_of
from .transcript import ImportedTranscript, Segment, TranscriptImportError


def load(text: str, name: str) -> list[dict]:
    """The segment list of a Whisper/WhisperX file: {"segments": [...]} or a bare list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptImportError(f"{name}: not valid JSON ({brief(exc)})") from exc
    segments = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(segments, list) or not all(isinstance(s, dict) for s in segments):
        raise TranscriptImportError(f"{name}: JSON without a 'segments' list of objects")
    return segments


def has_speakers(segments: list[dict]) -> bool:
    """True for WhisperX output: some segment carries a diarised 'speaker' label."""
    return any(isinstance(s.get("speaker"), str) and s["speaker"].strip() for s in segments)


def parse(text: str, name: str, *, speakers: bool) -> ImportedTranscript:
    """Read segments; only 'text' is required, a missing start or speaker is left empty."""
    fmt = "whisperx" if speakers else "whisper"
    segments: list[Segment] = []
    unlabelled = 0
    for i, seg in enumerate(load(text, name), start=1):
        body = seg.get("text")
        if not isinstance(body, str):
            raise TranscriptImportError(f"{name}: segment {i} has no text")
        speaker = seg.get("speaker") if speakers else None
        speaker = speaker.strip() if isinstance(speaker, str) else ""
        unlabelled += bool(speakers and not speaker and body.strip())
        start, end = _seconds(seg.get("start")), _seconds(seg.get("end"))
        segments.append(Segment(speaker, body, start, end))
    turns = require_turns(merge(segments), name, fmt)
    warnings = [f"{unlabelled} segment(s) without a speaker label"] if unlabelled else []
    return ImportedTranscript(fmt, speakers_of(turns), turns, warnings)


def _seconds(value: object) -> float | None:
    """A start time in seconds, or None when missing or not a non-negative number."""
    if isinstance(value, Real) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None
