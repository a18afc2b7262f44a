"""Decorators that make each store function one unit of work with plain-language failures."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from .errors import Conflict, DatabaseUnavailable, StoreError

P = ParamSpec("P")
R = TypeVar("R")

UNAVAILABLE = (
    "The database could not be reached or is busy, so nothing was saved. "
    "Please try again in a moment."
)
CLASH = "This change clashes with one saved at the same moment. Reload and try again."


def writes(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Commit when `fn` returns; roll back and raise a `StoreError` when anything fails."""

    @functools.wraps(fn)
    def wrapper(db: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = fn(db, *args, **kwargs)
            db.commit()
        except StoreError:
            db.rollback()
            raise
        except IntegrityError as exc:
            db.rollback()
            raise Conflict(CLASH) from exc
        except SQLAlchemyError as exc:
            db.rollback()
            raise DatabaseUnavailable(UNAVAILABLE) from exc
        return result

    return wrapper


def reads(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Turn a database failure during a read into `DatabaseUnavailable`."""

    @functools.wraps(fn)
    def wrapper(db: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(db, *args, **kwargs)
        except SQLAlchemyError as exc:
            db.rollback()
            raise DatabaseUnavailable(UNAVAILABLE) from exc

    return wrapper
