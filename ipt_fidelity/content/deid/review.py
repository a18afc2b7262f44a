"""The review step's API: scan a transcript for identifiers, then redact the accepted ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from ..importers.common import speakers_of
from ..importers.model import ImportedTranscript, RawTurn
from .finding import PRIORITY, Finding
from .names import find_names, name_terms
from .patterns import matches


def scan(transcript: ImportedTranscript, names: Iterable[str] = ()) -> list[Finding]:
    """Every suspected identifier, in turn and text order, with overlapping duplicates removed."""
    terms = name_terms(transcript.speakers, names)
    findings: list[Finding] = []
    for turn in transcript.turns:
        spans = [*matches(turn.text), *(("NAME", a, b) for a, b in find_names(turn.text, terms))]
        findings.extend(_resolve(turn, spans))
    return findings


def _resolve(turn: RawTurn, spans: list[tuple[str, int, int]]) -> list[Finding]:
    """Drop spans inside a longer one; of identical spans keep the one PRIORITY ranks first."""
    ordered = sorted(set(spans), key=lambda s: (s[1], -s[2], PRIORITY.index(s[0])))
    kept: list[Finding] = []
    for category, start, end in ordered:
        if kept and kept[-1].start <= start and end <= kept[-1].end:
            continue
        kept.append(Finding(category, turn.text[start:end], turn.n, start, end))
    return kept


def redact(
    transcript: ImportedTranscript,
    accepted: Iterable[Finding],
    extra_names: Iterable[str] = (),
) -> ImportedTranscript:
    """Replace accepted findings and every extra name with [CATEGORY]; rename named speakers."""
    by_turn: dict[int, list[tuple[str, int, int]]] = {}
    texts = {t.n: t.text for t in transcript.turns}
    for f in accepted:
        if texts.get(f.turn, "")[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.id} ({f.text!r}) does not match turn {f.turn}")
        by_turn.setdefault(f.turn, []).append((f.category, f.start, f.end))
    terms = name_terms((), extra_names)
    for n, text in texts.items():
        if terms:
            by_turn.setdefault(n, []).extend(("NAME", a, b) for a, b in find_names(text, terms))
    labels = _generic_labels(transcript)
    turns = [
        replace(t, speaker=labels.get(t.speaker, t.speaker), text=_apply(t.text, by_turn.get(t.n)))
        for t in transcript.turns
    ]
    return replace(transcript, speakers=speakers_of(turns), turns=turns)


def _apply(text: str, spans: list[tuple[str, int, int]] | None) -> str:
    """Replace spans in one pass; overlapping spans merge under the longer one's category."""
    merged: list[tuple[str, int, int]] = []
    for category, start, end in sorted(spans or [], key=lambda s: (s[1], -s[2])):
        if merged and start < merged[-1][2]:
            kept, first, last = merged[-1]
            longer = category if end - start > last - first else kept
            merged[-1] = (longer, first, max(last, end))
        else:
            merged.append((category, start, end))
    pieces, done = [], 0
    for category, start, end in merged:
        pieces += [text[done:start], f"[{category}]"]
        done = end
    return "".join([*pieces, text[done:]])


def _generic_labels(transcript: ImportedTranscript) -> dict[str, str]:
    """A role-based label ('Therapist', 'Client 2', 'Speaker 1') for each label holding a name."""
    words = {"therapist": "Therapist", "client": "Client", "other": "Other"}
    roles = {t.speaker: t.role for t in transcript.turns}
    used = {s for s in transcript.speakers if not name_terms([s])}
    named = [s for s in transcript.speakers if s not in used]
    per_word = Counter(words.get(roles.get(s, "unknown"), "Speaker") for s in named)
    renamed: dict[str, str] = {}
    for speaker in named:
        word = words.get(roles.get(speaker, "unknown"), "Speaker")
        label, k = (word if per_word[word] == 1 and word != "Speaker" else f"{word} 1"), 1
        while label in used:
            k += 1
            label = f"{word} {k}"
        used.add(label)
        renamed[speaker] = label
    return renamed
