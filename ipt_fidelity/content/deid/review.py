"""The reviewer's decisions on a scan: findings un-flagged, missed spans added, and their counts.

decisions = ReviewDecisions.of(scan(t))
decisions = decisions.unflag(["date-3-10-18"])          # not an identifier: keep the text
decisions = decisions.add_text(t, "Biscuit", "NAME")   # every whole-word occurrence
decisions = decisions.add_span(t, turn=4, start=10, end=16, category="PLACE")
clean = redact(t, decisions.accepted)
decisions.counts()  # {"removed": 1, "added": 3}: kept with the redaction's audit log entry
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..importers.transcript import ImportedTranscript
from .finding import CATEGORIES, REVIEWER, Finding
from .text import widen


@dataclass(frozen=True)
class ReviewDecisions:
    """The scan's findings, the ids the reviewer un-flagged, and the spans they added."""

    findings: tuple[Finding, ...]
    removed: frozenset[str] = frozenset()
    added: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> ReviewDecisions:
        """Start a review: every finding of the scan is to be redacted."""
        return cls(tuple(findings))

    def unflag(self, ids: Iterable[str]) -> ReviewDecisions:
        """Keep these findings (scanned or added) in the text: the reviewer says they are safe."""
        ids = set(ids)
        known = {f.id for f in self.findings}
        unknown = ids - known - {f.id for f in self.added}
        if unknown:
            raise ValueError(f"no finding with id {', '.join(sorted(unknown))}")
        added = tuple(f for f in self.added if f.id not in ids)
        return replace(self, removed=self.removed | (ids & known), added=added)

    def restore(self, ids: Iterable[str]) -> ReviewDecisions:
        """Flag un-flagged findings again."""
        return replace(self, removed=self.removed - set(ids))

    def add_span(
        self, transcript: ImportedTranscript, turn: int, start: int, end: int, category: str
    ) -> ReviewDecisions:
        """Add a missed identifier at a place in one turn, widened to whole words."""
        text = _turn_text(transcript, turn)
        if not 0 <= start < end <= len(text):
            raise ValueError(f"turn {turn} has no characters {start}-{end}")
        a, b = widen(text, start, end)
        return self._with([Finding(_category(category), text[a:b], turn, a, b, REVIEWER)])

    def add_text(
        self,
        transcript: ImportedTranscript,
        value: str,
        category: str,
        turn: int | None = None,
    ) -> ReviewDecisions:
        """Add every whole-word occurrence of a missed value (any case), in one turn or all."""
        value = " ".join(value.split())
        if not value:
            raise ValueError("give the text to redact")
        pattern = re.compile(
            r"(?<![\w'’-])" + r"\s+".join(map(re.escape, value.split())) + r"(?![\w-])", re.I
        )
        turns = [t for t in transcript.turns if turn is None or t.n == turn]
        if turn is not None and not turns:
            raise ValueError(f"there is no turn {turn}")
        found = [
            Finding(_category(category), m.group(), t.n, m.start(), m.end(), REVIEWER)
            for t in turns
            for m in pattern.finditer(t.text)
        ]
        if not found:
            where = f"turn {turn}" if turn is not None else "the transcript"
            raise ValueError(f"'{value}' does not occur in {where}")
        return self._with(found)

    def _with(self, new: list[Finding]) -> ReviewDecisions:
        """Add findings the scan (or an earlier addition) does not already hold at that span."""
        have = {(f.turn, f.start, f.end) for f in self.accepted}
        fresh = [f for f in new if (f.turn, f.start, f.end) not in have]
        return replace(self, added=(*self.added, *fresh))

    @property
    def accepted(self) -> list[Finding]:
        """What will be redacted: the scan's findings not un-flagged, and every added span."""
        kept = [f for f in self.findings if f.id not in self.removed]
        return sorted([*kept, *self.added], key=lambda f: (f.turn, f.start, -f.end))

    def counts(self) -> dict[str, int]:
        """How many scan findings the reviewer removed and how many spans they added."""
        return {"removed": len(self.removed), "added": len(self.added)}


def _turn_text(transcript: ImportedTranscript, turn: int) -> str:
    """The text of turn `turn`, or a clear error."""
    for t in transcript.turns:
        if t.n == turn:
            return t.text
    raise ValueError(f"there is no turn {turn}")


def _category(category: str) -> str:
    """A known category in upper case, or a clear error."""
    upper = category.strip().upper()
    if upper not in CATEGORIES:
        raise ValueError(f"unknown category '{category}' (one of {', '.join(CATEGORIES)})")
    return upper
