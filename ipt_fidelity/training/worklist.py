"""What a trainee has to do: every case and transcript with its status, due date and order.

One list feeds Home, the case picker and the transcript picker, so "done", "draft" and "due" mean
the same everywhere. Assigned, unfinished work comes first (soonest due first), then the rest of
the library in difficulty order (introductory, intermediate, advanced), then finished work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from ..content.library import Library
from ..content.vocab import DIFFICULTIES
from ..store import list_assignments, list_attempts, list_imported_sessions, list_ratings
from ..store.formulation_drafts import list_formulation_drafts
from ..store.models import User
from ..store.targets import shipped_title, uploaded_title

DONE, DRAFT, TO_DO = "done", "draft", "to do"


@dataclass(frozen=True)
class WorkItem:
    """A case to formulate or a session to rate, as this trainee stands with it."""

    kind: str  # "formulate" or "rate"
    target_id: str
    title: str
    status: str  # done, draft or to do
    due: date | None
    assigned: bool
    difficulty: str
    updated_at: datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.status != DONE and self.due is not None and self.due < date.today()

    @property
    def mark(self) -> str:
        """A word or two for pickers and lists (never an emoji or a colour alone)."""
        if self.status == DONE:
            return "done"
        parts = ["draft"] if self.status == DRAFT else []
        if self.overdue:
            parts.append("overdue")
        elif self.due is not None:
            parts.append(f"due {self.due:%d %b}")
        return ", ".join(parts) or ("assigned" if self.assigned else "new")

    @property
    def label(self) -> str:
        return f"{self.title} — {self.mark}"


def _order(item: WorkItem) -> tuple:
    rank = DIFFICULTIES.index(item.difficulty) if item.difficulty in DIFFICULTIES else 1
    open_assigned = item.assigned and item.status != DONE
    return (
        item.status == DONE,
        not open_assigned,
        item.due or date.max if open_assigned else date.max,
        rank,
        item.title,
    )


def _due_dates(db: Session, actor: User, kind: str) -> dict[str, date | None]:
    """Target id -> the soonest due date of the actor's assignments of this kind."""
    due: dict[str, date | None] = {}
    for a in list_assignments(db, actor):
        if a.kind != kind or (a.user_id is not None and a.user_id != actor.id):
            continue
        known = due.get(a.target_id, date.max)
        due[a.target_id] = min(known or date.max, a.due_date or date.max)
    return {k: (None if v == date.max else v) for k, v in due.items()}


def rating_worklist(db: Session, actor: User, library: Library) -> list[WorkItem]:
    """Every session the actor may rate: shipped ones and uploads assigned to or made by them."""
    due = _due_dates(db, actor, "rate")
    ratings = {r.session_id: r for r in list_ratings(db, actor, rater_id=actor.id)}
    items = []
    for session in library.sessions.values():
        items.append(
            _rating_item(
                session.id, shipped_title(library, session.id), session.difficulty, due, ratings
            )
        )
    for upload in list_imported_sessions(db, actor):
        items.append(_rating_item(upload.id, uploaded_title(upload), "", due, ratings))
    return sorted(items, key=_order)


def _rating_item(target_id, title, difficulty, due, ratings) -> WorkItem:
    rating = ratings.get(target_id)
    status = TO_DO if rating is None else DONE if rating.status == "submitted" else DRAFT
    return WorkItem(
        kind="rate",
        target_id=target_id,
        title=title,
        status=status,
        due=due.get(target_id),
        assigned=target_id in due,
        difficulty=difficulty,
        updated_at=rating.updated_at if rating else None,
    )


def formulation_worklist(db: Session, actor: User, library: Library) -> list[WorkItem]:
    """Every case of the library with the actor's status on it."""
    due = _due_dates(db, actor, "formulate")
    attempted = {a.case_id for a in list_attempts(db, actor, user_id=actor.id)}
    drafts = list_formulation_drafts(db, actor)
    items = [
        WorkItem(
            kind="formulate",
            target_id=case.id,
            title=case.title,
            status=DONE if case.id in attempted else DRAFT if case.id in drafts else TO_DO,
            due=due.get(case.id),
            assigned=case.id in due,
            difficulty=case.difficulty,
            updated_at=drafts.get(case.id),
        )
        for case in library.cases.values()
    ]
    return sorted(items, key=_order)
