"""WebVTT: Zoom cues ('Name: text'), Teams cues (<v Name> voice spans, GUID cue ids)."""

from __future__ import annotations

import html
import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from .common import brief, caption_segments, merge, require_turns, speakers_of
from .transcript import ImportedTranscript, TranscriptImportError

_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>]*)>")
_CUE_TAGS = re.compile(r"</?(?:c|i|b|u|ruby|rt|v|lang)(?:[.\s][^>]*)?>|<\d[\d:.]*>")
"""Only WebVTT's own cue tags; any other '<...>' (HTML, script) stays in the text as typed."""


def parse(text: str, name: str) -> ImportedTranscript:
    """Read cues with webvtt-py; split voices and labels ourselves (it sees line 1's voice only)."""
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise TranscriptImportError(f"{name}: not a valid WebVTT file ({brief(exc)})") from exc
    cues = [
        (voice, html.unescape(_CUE_TAGS.sub("", payload)), cue.start_time.in_milliseconds() / 1000)
        for cue in captions  # in milliseconds: webvtt-py's start_in_seconds truncates to int
        for voice, payload in _voices(cue.raw_text)
    ]
    segments = caption_segments(cues)
    turns = require_turns(merge(segments), name, "vtt")
    return ImportedTranscript("vtt", speakers_of(turns), turns, _dropped(text, len(captions)))


def _voices(raw: str) -> list[tuple[str, str]]:
    """Split a cue into (voice, text) pieces: webvtt-py reads only a voice on the first line."""
    starts = list(_VOICE.finditer(raw))
    if not starts:
        return [("", raw)]
    pieces = [("", raw[: starts[0].start()])] if raw[: starts[0].start()].strip() else []
    for m, nxt in zip(starts, [*starts[1:], None], strict=True):
        pieces.append((m[1].strip(), raw[m.end() : nxt.start() if nxt else len(raw)]))
    return pieces


def _dropped(text: str, parsed: int) -> list[str]:
    """Warn when webvtt-py silently skipped malformed cues: compare with a count of '-->' lines."""
    timing_lines = sum(1 for line in text.splitlines() if "-->" in line)
    missing = timing_lines - parsed
    if missing <= 0:
        return []
    return [f"{missing} malformed cue(s) skipped: {timing_lines} timing lines, {parsed} cues read"]
