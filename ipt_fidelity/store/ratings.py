"""Ratings: drafts saved on every change, submission, reopening, permission-filtered reads.

The store decides what a rating may hold, whoever calls it: a session is rated with its own
rubric (`targets`), only items in scope for it, only scale points of that rubric, N/A only where
the rubric allows, evidence only from the transcript's turns; a submission is complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.library import Library
from ..content.models import Rubric
from .audit_log import record
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .models import ItemScore, Rating, User, utcnow
from .permissions import can_read_user, rating_readable, require_staff
from .targets import RateTarget, resolve_target
from .transactions import reads, writes
from .upsert import dialect_insert

MAX_COMMENT = 4000


@dataclass(frozen=True)
class ScoreEntry:
    """One item of a rating as a rater gives it: a scale point or N/A, evidence, a comment."""

    score: int | None = None
    not_applicable: bool = False
    evidence: tuple[int, ...] = field(default_factory=tuple)
    comment: str = ""


@reads
def find_own_rating(db: Session, actor: User, session_id: str) -> Rating | None:
    """The actor's own rating of a session (any rubric), if they have started one."""
    query = select(Rating).where(Rating.rater_id == actor.id, Rating.session_id == session_id)
    return db.scalars(query.order_by(Rating.id)).first()


@writes
def get_or_create_draft(
    db: Session, actor: User, library: Library, session_id: str, *, at: datetime | None = None
) -> Rating:
    """The actor's rating of this session with its rubric: the stored one, else a new draft."""
    target = resolve_target(db, actor, library, session_id)
    rubric = _rubric(library, target)
    now = at or utcnow()
    insert = dialect_insert(db, Rating).values(
        rater_id=actor.id,
        session_id=session_id,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        status="draft",
        created_at=now,
        updated_at=now,
    )
    key = ["rater_id", "session_id", "rubric_id"]
    db.execute(insert.on_conflict_do_nothing(index_elements=key))
    query = select(Rating).where(
        Rating.rater_id == actor.id, Rating.session_id == session_id, Rating.rubric_id == rubric.id
    )
    return db.scalars(query).one()


@reads
def get_rating(db: Session, actor: User, rating_id: int) -> Rating:
    """One rating the actor may read."""
    rating = db.scalar(select(Rating).where(Rating.id == rating_id, rating_readable(actor)))
    if rating is None:
        raise NotFound("No such rating, or it is not visible to you.")
    return rating


@reads
def get_scores(db: Session, actor: User, rating_id: int) -> dict[str, ItemScore]:
    """The item scores of a rating the actor may read, by item id."""
    get_rating(db, actor, rating_id)
    rows = db.scalars(select(ItemScore).where(ItemScore.rating_id == rating_id))
    return {row.item_id: row for row in rows}


@reads
def list_ratings(
    db: Session,
    actor: User,
    *,
    session_id: str | None = None,
    rubric_id: str | None = None,
    rater_id: int | None = None,
    status: str | None = None,
) -> list[Rating]:
    """The ratings the actor may read, optionally narrowed, oldest first."""
    query = select(Rating).where(rating_readable(actor)).order_by(Rating.id)
    for column, value in (
        (Rating.session_id, session_id),
        (Rating.rubric_id, rubric_id),
        (Rating.rater_id, rater_id),
        (Rating.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    return list(db.scalars(query))


def _rubric(library: Library, target: RateTarget) -> Rubric:
    rubric = target.rubric(library)
    if rubric is None:
        raise NotFound(f"The rubric '{target.rubric_id}' of this session is not installed.")
    return rubric


def _own_draft(db: Session, actor: User, rating_id: int) -> Rating:
    """The actor's own rating, locked for this transaction, which must still be a draft."""
    rating = db.scalar(select(Rating).where(Rating.id == rating_id).with_for_update())
    if rating is None:
        raise NotFound("No such rating.")
    if rating.rater_id != actor.id:
        raise PermissionDenied("Only the rater may change a rating.")
    if rating.status != "draft":
        raise Conflict("This rating was submitted and can no longer be changed.")
    return rating


def checked_entry(
    rubric: Rubric, target: RateTarget, item_id: str, entry: ScoreEntry
) -> dict[str, object]:
    """The row values of one entry, refused unless the rubric and the transcript allow it.

    The one check of what a rating may hold: the rating page and the CSV import both use it.
    """
    items = {item.id: item for item in target.items(rubric)}
    if item_id not in {item.id for item in rubric.items}:
        raise InvalidInput(f"'{item_id}' is not an item of rubric '{rubric.id}'.")
    if item_id not in items:
        raise InvalidInput(f"Item '{item_id}' does not apply to this session (phase or area).")
    if entry.not_applicable and entry.score is not None:
        raise InvalidInput("An item is either scored or not applicable, not both.")
    if entry.not_applicable and not rubric.na_allowed(items[item_id]):
        raise InvalidInput(f"'{item_id}' may not be marked not applicable.")
    if entry.score is not None and (
        isinstance(entry.score, bool) or entry.score not in rubric.scale.points
    ):
        raise InvalidInput(
            f"A score is a whole number from {rubric.scale.min} to {rubric.scale.max}."
        )
    turns = {turn.n for turn in target.turns}
    evidence = sorted({int(turn) for turn in entry.evidence})
    if stray := [n for n in evidence if n not in turns]:
        raise InvalidInput(f"Evidence turn(s) {stray} are not in this transcript.")
    if len(entry.comment) > MAX_COMMENT:
        raise InvalidInput(f"A comment may have at most {MAX_COMMENT} characters.")
    return {
        "score": entry.score,
        "not_applicable": entry.not_applicable,
        "evidence": evidence,
        "comment": entry.comment,
    }


@writes
def save_item_scores(
    db: Session,
    actor: User,
    library: Library,
    rating_id: int,
    entries: Mapping[str, ScoreEntry],
    *,
    at: datetime | None = None,
) -> None:
    """Store (or replace) items of the actor's draft; the page saves one item on every change."""
    rating = _own_draft(db, actor, rating_id)
    target = resolve_target(db, actor, library, rating.session_id)
    rubric = _rubric(library, target)
    now = at or utcnow()
    for item_id, entry in entries.items():
        values = checked_entry(rubric, target, item_id, entry) | {"updated_at": now}
        insert = dialect_insert(db, ItemScore).values(
            rating_id=rating_id, item_id=item_id, **values
        )
        db.execute(
            insert.on_conflict_do_update(index_elements=["rating_id", "item_id"], set_=values)
        )
    rating.updated_at = now


def save_item_score(
    db: Session, actor: User, library: Library, rating_id: int, item_id: str, entry: ScoreEntry
) -> None:
    """Store (or replace) one item of the actor's draft."""
    save_item_scores(db, actor, library, rating_id, {item_id: entry})


def missing_items(target: RateTarget, rubric: Rubric, scores: Iterable[ItemScore]) -> list[str]:
    """Items in scope that the scores leave unanswered (neither scored nor marked N/A)."""
    answered = {s.item_id for s in scores if s.score is not None or s.not_applicable}
    return [item.id for item in target.items(rubric) if item.id not in answered]


@writes
def submit_rating(
    db: Session, actor: User, library: Library, rating_id: int, *, at: datetime | None = None
) -> Rating:
    """Submit the actor's draft; every item in scope must be scored or marked N/A."""
    rating = _own_draft(db, actor, rating_id)
    target = resolve_target(db, actor, library, rating.session_id)
    rubric = _rubric(library, target)
    if rating.rubric_id != rubric.id:
        raise Conflict("This draft uses another rubric than the session's; start it again.")
    scores = db.scalars(select(ItemScore).where(ItemScore.rating_id == rating_id))
    if missing := missing_items(target, rubric, scores):
        raise InvalidInput(f"Score every item before submitting; missing: {', '.join(missing)}.")
    rating.status = "submitted"
    rating.submitted_at = rating.updated_at = at or utcnow()
    record(db, actor, "rating.submit", rating_id=rating.id, session_id=rating.session_id)
    return rating


@writes
def reopen_rating(db: Session, actor: User, rating_id: int, reason: str) -> Rating:
    """Turn a submitted rating back into a draft (its rater's supervisor or an admin; audited)."""
    rating = db.scalar(select(Rating).where(Rating.id == rating_id).with_for_update())
    if rating is None:
        raise NotFound("No such rating.")
    require_staff(actor)
    if not can_read_user(db, actor, rating.rater_id):
        raise PermissionDenied("Only the rater's supervisor or an administrator may reopen it.")
    if rating.status != "submitted":
        raise Conflict("Only a submitted rating can be reopened.")
    if not reason.strip():
        raise InvalidInput("Give a reason for reopening the rating.")
    record(
        db,
        actor,
        "rating.reopen",
        rating_id=rating.id,
        rater_id=rating.rater_id,
        was_submitted_at=rating.submitted_at.isoformat() if rating.submitted_at else None,
        reason=reason,
    )
    rating.status, rating.submitted_at, rating.updated_at = "draft", None, utcnow()
    return rating
