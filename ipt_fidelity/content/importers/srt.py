"""SRT subtitles, with or without 'Name: ' / '[SPEAKER_00]: ' prefixes (WhisperX, Descript)."""

from __future__ import annotations

import srt

from .common import brief, merge, require_turns, speakers_of, split_caption_label
from .model import ImportedTranscript, Segment, TranscriptImportError


def parse(text: str, name: str) -> ImportedTranscript:
    """Parse with the srt package, stripping a byte-order mark older srt versions reject."""
    try:
        subtitles = list(srt.parse(text.lstrip("\ufeff")))
    except (srt.SRTParseError, srt.TimestampParseError) as exc:
        raise TranscriptImportError(f"{name}: not a valid SRT file ({brief(exc)})") from exc
    segments: list[Segment] = []
    speaker = ""
    for sub in subtitles:
        label, body = split_caption_label(sub.content)
        speaker = label or speaker  # an unlabelled cue continues the caption before it
        segments.append(Segment(speaker, body, sub.start.total_seconds()))
    turns = require_turns(merge(segments), name, "srt")
    return ImportedTranscript("srt", speakers_of(turns), turns)
