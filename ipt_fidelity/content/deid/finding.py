"""What a detector reports: one suspected identifier at a place in one turn's text."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: tuple[str, ...] = (
    "NAME",
    "PHONE",
    "FAX",
    "EMAIL",
    "DATE",
    "AGE",
    "ADDRESS",
    "ZIP",
    "ID",
    "SSN",
    "URL",
    "IP",
)
"""The HIPAA Safe Harbor identifiers that turn up in session speech; each redacts as [CATEGORY]."""

PRIORITY: tuple[str, ...] = (
    "SSN",
    "EMAIL",
    "URL",
    "IP",
    "ID",
    "FAX",
    "PHONE",
    "ADDRESS",
    "ZIP",
    "DATE",
    "AGE",
    "NAME",
)
"""Which category wins when two detectors report exactly the same span."""


@dataclass(frozen=True)
class Finding:
    """A suspected identifier: `start`/`end` are character offsets into turn `turn`'s text."""

    category: str
    text: str
    turn: int
    start: int
    end: int

    @property
    def id(self) -> str:
        """A stable id for the review step: the same transcript always gives the same ids."""
        return f"{self.category.lower()}-{self.turn}-{self.start}-{self.end}"

    def to_json(self) -> dict:
        """The JSON shape `deid-scan --json` prints."""
        return {
            "category": self.category,
            "text": self.text,
            "turn": self.turn,
            "start": self.start,
            "end": self.end,
        }
