"""Ratings: drafts saved on every change, submission, reopening, permission-filtered reads."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .audit import record
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .models import ItemScore, Rating, User, utcnow
from .permissions import can_read_user, rating_readable, require_staff
from .transactions import reads, writes
from .upsert import dialect_insert


@writes
def get_or_create_draft(
    db: Session, actor: User, session_id: str, rubric_id: str, rubric_version: str
) -> Rating:
    """The actor's rating of this session with this rubric: the stored one, else a new draft."""
    insert = dialect_insert(db, Rating).values(
        rater_id=actor.id,
        session_id=session_id,
        rubric_id=rubric_id,
        rubric_version=rubric_version,
        status="draft",
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    key = ["rater_id", "session_id", "rubric_id"]
    db.execute(insert.on_conflict_do_nothing(index_elements=key))
    query = select(Rating).where(
        Rating.rater_id == actor.id, Rating.session_id == session_id, Rating.rubric_id == rubric_id
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


@writes
def save_item_score(
    db: Session,
    actor: User,
    rating_id: int,
    item_id: str,
    score: int | None,
    not_applicable: bool = False,
    evidence: Iterable[int] = (),
    comment: str = "",
) -> None:
    """Store (or replace) one item of the actor's draft; called on every change."""
    if not_applicable and score is not None:
        raise InvalidInput("An item is either scored or not applicable, not both.")
    rating = _own_draft(db, actor, rating_id)
    now = utcnow()
    values = {
        "score": score,
        "not_applicable": not_applicable,
        "evidence": sorted({int(turn) for turn in evidence}),
        "comment": comment,
        "updated_at": now,
    }
    insert = dialect_insert(db, ItemScore).values(rating_id=rating_id, item_id=item_id, **values)
    db.execute(insert.on_conflict_do_update(index_elements=["rating_id", "item_id"], set_=values))
    rating.updated_at = now


@writes
def submit_rating(
    db: Session, actor: User, rating_id: int, required_items: Collection[str] = ()
) -> Rating:
    """Submit the actor's draft; every item in `required_items` must be scored or marked N/A."""
    rating = _own_draft(db, actor, rating_id)
    scores = db.scalars(select(ItemScore).where(ItemScore.rating_id == rating_id))
    answered = {s.item_id for s in scores if s.score is not None or s.not_applicable}
    missing = [item for item in required_items if item not in answered]
    if missing:
        raise InvalidInput(f"Score every item before submitting; missing: {', '.join(missing)}.")
    rating.status = "submitted"
    rating.submitted_at = rating.updated_at = utcnow()
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
