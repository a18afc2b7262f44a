"""The scan: every detector over every turn, names carried across turns, whole-word findings.

`deid-scan`, `redact` and the in-app import all call `scan`, so they find the same things.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..importers.transcript import ImportedTranscript, RawTurn
from .finding import PRIORITY, Finding, Hit
from .names import PARTICLES, SAME_NAME, evidence_names, find_names, name_terms, propagate
from .numbers import find_numbers
from .patterns import matches
from .places import find_places
from .text import Word, widen, words

LISTED = "a name from a speaker label or the reviewer's list"
_WEAK_NAME = (
    "a capitalised word that is rare",
    "a surname",
    "a capitalised word next",
    "a word rare",
)
_WEAK_PLACE = ("a name after",)


def scan(transcript: ImportedTranscript, names: Iterable[str] = ()) -> list[Finding]:
    """Every suspected identifier, in turn and text order, overlapping reports collapsed."""
    terms = name_terms(transcript.speakers, names)
    turns = [(turn, words(turn.text)) for turn in transcript.turns]
    hits = {turn.n: _hits(turn, found, terms) for turn, found in turns}
    first = [f for turn, _ in turns for f in _resolve(turn, hits[turn.n])]
    flagged = _name_words(first)
    findings: list[Finding] = []
    for turn, found in turns:
        again = [*hits[turn.n], *propagate(turn.text, flagged, found)]
        findings.extend(_resolve(turn, again))
    return findings


def _hits(turn: RawTurn, found: list[Word], terms: list[str]) -> list[Hit]:
    """What every detector reports in one turn."""
    text = turn.text
    return [
        *matches(text),
        *find_numbers(text),
        *find_places(text, found),
        *(("NAME", a, b, LISTED) for a, b in find_names(text, terms)),
        *evidence_names(text, found),
    ]


def _name_words(findings: list[Finding]) -> set[str]:
    """The casefolded words of every name found, to be looked for in every turn."""
    return {
        w.folded
        for f in findings
        if f.category == "NAME"
        for w in words(f.text)
        if len(w.text) > 1 and w.folded not in PARTICLES
    }


def _strength(category: str, reason: str) -> int:
    """How sure a report is: patterns, then kind words and gazetteers, then names by cue."""
    if category == "NAME":
        return 1 if reason == SAME_NAME or reason.startswith(_WEAK_NAME) else 3
    if category in ("PLACE", "ORG"):
        return 0 if reason.startswith(_WEAK_PLACE) else 2
    return 4


def _resolve(turn: RawTurn, hits: list[Hit]) -> list[Finding]:
    """Widen to whole words; drop spans inside a longer one; of equal spans keep the surest."""
    text = turn.text
    spans = {}
    for category, start, end, reason in hits:
        a, b = widen(text, start, end)
        key = (a, b)
        rank = (-_strength(category, reason), PRIORITY.index(category))
        if key not in spans or rank < spans[key][0]:
            spans[key] = (rank, category, reason)
    kept: list[Finding] = []
    for (start, end), (_, category, reason) in sorted(
        spans.items(), key=lambda s: (s[0][0], -s[0][1])
    ):
        if kept and kept[-1].start <= start and end <= kept[-1].end:
            continue
        if any(k.start <= start and end <= k.end for k in kept):
            continue
        kept.append(Finding(category, text[start:end], turn.n, start, end, reason))
    return kept
