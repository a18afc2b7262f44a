"""Offline de-identification of transcripts: find identifiers, review them, redact them."""

from .finding import CATEGORIES, REVIEWER, Finding
from .names import find_names, name_terms
from .redaction import placeholders, redact
from .review import ReviewDecisions
from .scan import scan

__all__ = [
    "CATEGORIES",
    "REVIEWER",
    "Finding",
    "ReviewDecisions",
    "find_names",
    "name_terms",
    "placeholders",
    "redact",
    "scan",
]
