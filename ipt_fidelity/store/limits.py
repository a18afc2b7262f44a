"""Length limits of what people type, checked before the database sees it.

PostgreSQL refuses a value longer than its `VARCHAR(n)` column, and the error would reach the user
as "the database could not be reached"; SQLite stores it silently. So every new or changed row is
checked at flush time, before any SQL is sent, against the column lengths in `models.py` (and
`MAX_TEXT` for the unbounded text columns): the same plain `InvalidInput` on both databases,
nothing written. `check_length` does the same for a value a store function checks early.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import InstrumentedAttribute, Session

from .errors import InvalidInput

MAX_TEXT = 20_000
"""Longest free text (rating comment, decision note, cohort description, formulation)."""

LABELS = {
    "users.username": "A username",
    "users.display_name": "A display name",
    "sign_in_throttle.username": "A username",
    "cohorts.name": "A cohort name",
    "cohorts.description": "A cohort description",
    "drill_sets.title": "A drill set title",
    "imported_sessions.title": "An upload title",
    "imported_sessions.therapist_id": "A therapist id",
    "imported_sessions.original_filename": "A file name",
    "item_scores.comment": "A rating comment",
    "formulation_attempts.text": "A formulation",
    "certification_decisions.note": "A decision note",
    "case_exposures.via": "A case exposure note",
}


def column_limit(column: Any) -> int | None:
    """The longest value a String/Text column takes (`MAX_TEXT` for Text), None if unlimited."""
    kind = column.type
    if isinstance(kind, String) and kind.length:
        return kind.length
    if isinstance(kind, (Text, String)):
        return MAX_TEXT
    return None


def label_of(table: str, column: str) -> str:
    return LABELS.get(f"{table}.{column}", f"The {column.replace('_', ' ')}")


def too_long(label: str, limit: int, length: int) -> InvalidInput:
    return InvalidInput(f"{label} may have at most {limit:,} characters (this one has {length:,}).")


def fits(attribute: InstrumentedAttribute[Any], value: str) -> bool:
    """Whether `value` fits the column `attribute` (a lookup by a longer value finds nothing)."""
    limit = column_limit(attribute.property.columns[0])
    return limit is None or len(value) <= limit


def check_length(attribute: InstrumentedAttribute[Any], value: str | None) -> None:
    """Raise `InvalidInput` when `value` is longer than the column `attribute` holds."""
    column = attribute.property.columns[0]
    limit = column_limit(column)
    if value is not None and limit is not None and len(value) > limit:
        raise too_long(label_of(column.table.name, column.name), limit, len(value))


def check_row(obj: object, changed_only: bool = False) -> None:
    """Raise `InvalidInput` for the first text value of a mapped object over its column's length
    (with `changed_only`, of the values changed since loading: an old over-long value stored
    before this check existed does not block an unrelated change)."""
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        if changed_only and not state.attrs[attr.key].history.has_changes():
            continue
        value = state.dict.get(attr.key)  # loaded values only: never a query from here
        if not isinstance(value, str):
            continue
        limit = column_limit(column)
        if limit is not None and len(value) > limit:
            raise too_long(label_of(column.table.name, column.name), limit, len(value))


@event.listens_for(Session, "before_flush")
def _check_before_flush(db: Session, flush_context: Any, instances: Any) -> None:
    for obj in db.new:
        check_row(obj)
    for obj in db.dirty:
        check_row(obj, changed_only=True)
