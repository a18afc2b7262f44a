"""What a detector reports: one suspected identifier at a place in one turn's text, and why."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: tuple[str, ...] = (
    "NAME",
    "ORG",
    "PLACE",
    "ADDRESS",
    "ZIP",
    "PHONE",
    "FAX",
    "EMAIL",
    "URL",
    "HANDLE",
    "IP",
    "ID",
    "SSN",
    "VEHICLE",
    "DATE",
    "AGE",
)
"""The identifiers that turn up in session speech (HIPAA Safe Harbor's, plus organisations and
handles); each redacts as a numbered [CATEGORY n]."""

PRIORITY: tuple[str, ...] = (
    "SSN",
    "EMAIL",
    "URL",
    "HANDLE",
    "IP",
    "DATE",
    "ZIP",
    "ID",
    "VEHICLE",
    "FAX",
    "PHONE",
    "ADDRESS",
    "AGE",
    "ORG",
    "PLACE",
    "NAME",
)
"""Which category wins when two detectors report exactly the same span with equal strength."""

REVIEWER = "added by the reviewer"
"""The reason of a finding a reviewer added by hand."""

Hit = tuple[str, int, int, str]
"""What a detector yields: (category, start, end, reason) within one turn's text."""


@dataclass(frozen=True)
class Finding:
    """A suspected identifier: `start`/`end` are offsets into turn `turn`'s text; `reason` says
    in plain words why it was flagged."""

    category: str
    text: str
    turn: int
    start: int
    end: int
    reason: str = ""

    @property
    def id(self) -> str:
        """A stable id for the review step: the same transcript always gives the same ids."""
        return f"{self.category.lower()}-{self.turn}-{self.start}-{self.end}"

    @property
    def added(self) -> bool:
        """True for a span the reviewer added (not found by the scan)."""
        return self.reason == REVIEWER

    def to_json(self) -> dict:
        """The JSON shape `deid-scan --json` prints."""
        return {
            "category": self.category,
            "text": self.text,
            "turn": self.turn,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
        }
