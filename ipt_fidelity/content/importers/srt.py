"""SRT subtitles, with or without 'Name: ' / '[SPEAKER_00]: ' prefixes (WhisperX, Descript)."""

from __future__ import annotations

import srt

from .common import brief, caption_segments, merge, require_turns, speakers_of
from .transcript import ImportedTranscript, TranscriptImportError


def parse(text: str, name: str) -> ImportedTranscript:
    """Parse with the srt package, stripping a byte-order mark older srt versions reject."""
    try:
        subtitles = list(srt.parse(text.lstrip("\ufeff")))
    except (srt.SRTParseError, srt.TimestampParseError) as exc:
        raise TranscriptImportError(f"{name}: not a valid SRT file ({brief(exc)})") from exc
    segments = caption_segments(("", s.content, s.start.total_seconds()) for s in subtitles)
    turns = require_turns(merge(segments), name, "srt")
    return ImportedTranscript("srt", speakers_of(turns), turns)
