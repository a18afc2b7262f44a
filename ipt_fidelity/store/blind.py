"""The blind rules: when a trainee may see a session's reference rating or a case's expert key.

A reference rating opens only on a real submission: the trainee's own submitted rating of that
same session, with the session's rubric, in which every item in scope is scored or marked N/A.
A case key opens once the trainee has submitted a formulation of the case.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..content.library import Library
from .errors import NotFound
from .models import FormulationAttempt, ItemScore, Rating, User
from .ratings import missing_items
from .targets import resolve_target
from .transactions import reads


@reads
def can_see_reference(db: Session, actor: User, library: Library, session_id: str) -> bool:
    """Whether the expert reference rating of a session may be shown to the actor."""
    if actor.role != "trainee":
        return True
    try:
        target = resolve_target(db, actor, library, session_id)
    except NotFound:
        return False
    rubric = target.rubric(library)
    rating = db.scalar(
        select(Rating).where(
            Rating.rater_id == actor.id,
            Rating.session_id == session_id,
            Rating.rubric_id == target.rubric_id,
            Rating.status == "submitted",
        )
    )
    if rating is None or rubric is None:
        return False
    scores = db.scalars(select(ItemScore).where(ItemScore.rating_id == rating.id))
    return not missing_items(target, rubric, scores)


@reads
def can_see_case_key(db: Session, actor: User, case_id: str) -> bool:
    """Whether the expert key of a case may be shown: staff always, trainees after an attempt."""
    if actor.role != "trainee":
        return True
    attempted = exists().where(
        FormulationAttempt.user_id == actor.id, FormulationAttempt.case_id == case_id
    )
    return bool(db.scalar(select(attempted)))
