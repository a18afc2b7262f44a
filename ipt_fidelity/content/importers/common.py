"""Pieces every importer shares: size and binary checks, decoding, timestamps, labels, merging."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import charset_normalizer

from .transcript import RawTurn, Role, Segment, TranscriptImportError

MAX_BYTES = 5 * 1024 * 1024
"""Largest file accepted: a two-hour session transcript is well under 1 MB."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

THERAPIST_LABELS = frozenset(
    {"therapist", "t", "th", "counsellor", "counselor", "clinician", "psychotherapist", "provider"}
    | {"cotherapist", "facilitator", "cofacilitator", "leader", "coleader"}
)
CLIENT_LABELS = frozenset({"client", "c", "cl", "patient", "pt", "member", "participant"})
INTERPRETER_LABELS = frozenset({"interpreter", "translator", "int"})
_METADATA = """date time duration length session recorded recording transcript transcribed
transcription location venue participants attendees present file filename title subject meeting
topic notes note"""
METADATA_LABELS = frozenset(_METADATA.split())
"""Labels of metadata lines ('Date: ...', 'Session: 6'), which are never speakers."""

_STAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
STAMP_RE = re.compile(rf"[\[(]\s*({_STAMP})\s*[\])]")
"""A bracketed time stamp such as (00:01:02), [1:02] or [01:02.500]."""


def check_size(data: bytes, name: str) -> None:
    """Refuse empty files and files over MAX_BYTES before any parser sees them."""
    check_length(len(data), name)
    if not data.strip():
        raise TranscriptImportError(f"{name}: the file is empty")


def check_length(size: int, name: str) -> None:
    """Refuse a file over MAX_BYTES, so a huge upload never reaches a parser."""
    if size > MAX_BYTES:
        raise TranscriptImportError(
            f"{name}: the file is {size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB"
        )


def decode(data: bytes, name: str) -> str:
    """Bytes to text: a byte-order mark wins, then UTF-16 told by its zero bytes, then strict
    UTF-8, then charset-normalizer."""
    text = _decode_bom(data)
    if text is None:
        text = _decode_utf16(data)
    if text is None:
        if b"\x00" in data:
            raise TranscriptImportError(f"{name}: binary data, not a text transcript")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_guess(data, name)
    if _looks_binary(text):
        raise TranscriptImportError(f"{name}: binary data, not a text transcript")
    if not text.strip():
        raise TranscriptImportError(f"{name}: the file is empty")
    return text


def _decode_bom(data: bytes) -> str | None:
    """Decode by byte-order mark (dropping it), or None when there is none."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    return None


def _decode_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: most text is Latin, so every other byte is zero."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) > 0.3 * len(zeros) and other.count(0) < 0.05 * len(other):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_guess(data: bytes, name: str) -> str:
    """Guess a legacy encoding; among equally good guesses prefer cp1252, the usual Windows one."""
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise TranscriptImportError(f"{name}: cannot tell the text encoding (binary data?)")
    tied = [r for r in results if r.chaos <= best.chaos]
    chosen = next((r for r in tied if r.encoding == "cp1252"), best)
    return str(chosen)


def _looks_binary(text: str) -> bool:
    """True when control characters (other than tab, newlines, form feed) are more than 1%."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0c")
    return "\x00" in text or controls > len(text) / 100


def parse_clock(value: str) -> float:
    """Seconds from a clock stamp: 'h:mm:ss', 'm:ss', with an optional '.mmm' or ',mmm'."""
    *head, last = value.replace(",", ".").split(":")
    total = 0
    for part in head:
        total = total * 60 + int(part)
    return total * 60 + float(last)


def role_for_label(label: str) -> Role:
    """The role a label names by itself (Therapist, Co-therapist, CL, Client 2, Interpreter),
    else 'unknown'."""
    key = re.sub(r"\s*\d+$", "", re.sub(r"[^\w ]", "", label).strip()).casefold()
    if key in THERAPIST_LABELS:
        return "therapist"
    if key in CLIENT_LABELS:
        return "client"
    if key in INTERPRETER_LABELS:
        return "interpreter"
    return "unknown"


def is_metadata_label(label: str) -> bool:
    """True for a metadata line's label ('Date', 'Session', 'Recorded on'), never a speaker."""
    words = re.sub(r"[^\w ]", " ", label).casefold().split()
    return bool(words) and words[0] in METADATA_LABELS


def clean(text: str) -> str:
    """Fold runs of whitespace (line wraps, tabs, non-breaking spaces) into single spaces."""
    return " ".join(text.split())


def merge(segments: Iterable[Segment]) -> list[RawTurn]:
    """Number turns, merging consecutive segments of one speaker; unlabelled ones stay apart."""
    groups: list[tuple[Segment, Segment, list[str]]] = []
    for seg in segments:
        text = clean(seg.text)
        if not text:
            continue
        if groups and seg.speaker and groups[-1][0].speaker == seg.speaker:
            first, _, texts = groups[-1]
            groups[-1] = (first, seg, [*texts, text])
        else:
            groups.append((seg, seg, [text]))
    return [
        RawTurn(
            n, first.speaker, role_for_label(first.speaker), first.start, " ".join(texts), last.end
        )
        for n, (first, last, texts) in enumerate(groups, start=1)
    ]


def speakers_of(turns: Iterable[RawTurn]) -> list[str]:
    """Speaker labels in order of first appearance, leaving out the empty (unlabelled) one."""
    return list(dict.fromkeys(t.speaker for t in turns if t.speaker))


def require_turns(turns: list[RawTurn], name: str, fmt: str) -> list[RawTurn]:
    """Fail clearly when a file parsed but held no speech at all."""
    if not turns:
        raise TranscriptImportError(f"{name}: no transcript text found (read as {fmt})")
    return turns


_CAPTION_LABEL = re.compile(
    r"\s*(?:\[(?P<bracket>[^\]\n]{1,60})\]\s*:?|(?P<plain>[^:\n]{1,60}?)\s*:(?=\s|$))\s*(?P<rest>.*)",
    re.S,
)
_WORD = r"[A-Z][\w'’.\-]*"
_TEXT_LABEL = re.compile(
    rf"\s*(?:{STAMP_RE.pattern}\s*)?(?P<label>{_WORD}(?:[ \t]+(?:{_WORD}|\d+)){{0,3}})"
    rf"\s*(?:{STAMP_RE.pattern}\s*)?:(?=\s|$)\s*(?P<rest>.*)",
    re.S,
)


def caption_segments(cues: Iterable[tuple[str, str, float | None]]) -> list[Segment]:
    """Segments from (voice, text, start) cues, splitting 'Name: ' / '[SPEAKER_00]: ' labels off.

    A cue without a label continues the speaker before it (captions split sentences). A label
    starting in lower case (a Zoom device name such as 'iPhone') counts only when it recurs.
    """
    cues = list(cues)
    seen = Counter(_caption_label(text)[0] for voice, text, _ in cues if not voice)
    segments, speaker = [], ""
    for voice, text, start in cues:
        label, body = (voice, text) if voice else _caption_label(text)
        if label and not voice and label[0].islower() and seen[label] < 2:
            label, body = "", text
        speaker = label or speaker
        segments.append(Segment(speaker, body, start))
    return segments


def _caption_label(payload: str) -> tuple[str, str]:
    """('Name', rest) when a caption opens with a label of up to four words, else ('', payload)."""
    m = _CAPTION_LABEL.fullmatch(payload)
    if not m:
        return "", payload
    label = (m["bracket"] or m["plain"]).strip()
    plausible = label[:1].isalpha() and len(label.split()) <= 4
    return (label, m["rest"]) if plausible else ("", payload)


def split_text_label(line: str) -> tuple[str, float | None, str] | None:
    """Split '[1:02] Therapist: text' or 'T (00:01:02): text' into (label, start, text)."""
    m = _TEXT_LABEL.fullmatch(line)
    if not m:
        return None
    stamp = next((s for s in m.groups()[:1] + m.groups()[2:3] if s), None)
    return m["label"], parse_clock(stamp) if stamp else None, m["rest"]


def brief(exc: BaseException, limit: int = 120) -> str:
    """A library's error message cut to one short line, for a one-line import error."""
    text = clean(str(exc)) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
