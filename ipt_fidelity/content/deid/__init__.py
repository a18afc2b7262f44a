"""Offline de-identification of transcripts: find HIPAA Safe Harbor identifiers, redact them."""

from .finding import CATEGORIES, Finding
from .names import find_names, name_terms
from .review import redact, scan

__all__ = ["CATEGORIES", "Finding", "find_names", "name_terms", "redact", "scan"]
