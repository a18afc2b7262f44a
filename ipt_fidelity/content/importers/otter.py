"""Otter.ai text export: a 'Name  M:SS' header line, the speech below it, a blank line between."""

from __future__ import annotations

import re

from .common import merge, parse_clock, require_turns, speakers_of
from .transcript import ImportedTranscript, Segment

HEADER = re.compile(r"(?P<name>\S[^\t]{0,59}?)[ \t]+(?P<time>(?:\d{1,2}:)?\d{1,2}:\d{2})[ \t]*")
_FOOTER = re.compile(r"transcribed by\s+https?://otter\.ai\S*", re.I)


def headers(text: str) -> int:
    """How many lines are Otter speaker headers (first line of a block, name then time)."""
    count = 0
    previous = ""
    for line in text.splitlines():
        if not previous.strip() and HEADER.fullmatch(line.strip()):
            count += 1
        previous = line
    return count


def parse(text: str, name: str) -> ImportedTranscript:
    """Each block opens with a header; lines before the first header have no speaker."""
    segments: list[Segment] = []
    speaker, start, body = "", None, []
    previous = ""
    for line in text.splitlines():
        stripped = line.strip()
        header = HEADER.fullmatch(stripped) if not previous.strip() else None
        previous = line
        if header:
            segments.append(Segment(speaker, " ".join(body), start))
            speaker, start, body = header["name"], parse_clock(header["time"]), []
        elif stripped and not _FOOTER.fullmatch(stripped):
            body.append(stripped)
    segments.append(Segment(speaker, " ".join(body), start))
    turns = require_turns(merge(segments), name, "otter")
    return ImportedTranscript("otter", speakers_of(turns), turns)
