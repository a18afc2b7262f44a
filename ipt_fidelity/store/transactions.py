"""Decorators that make each store function one unit of work with plain-language failures."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


_NESTING = "ipt_fidelity.one_transaction"


@contextmanager
def _plain_failures(db: Session) -> Iterator[None]:
    """Roll back on any database failure and raise it as a `StoreError` with a plain message."""
    try:
        yield
    except StoreError:
        db.rollback()
        raise
    except IntegrityError as exc:
        db.rollback()
        raise Conflict(CLASH) from exc
    except SQLAlchemyError as exc:
        db.rollback()
        raise DatabaseUnavailable(UNAVAILABLE) from exc


@contextmanager
def one_transaction(db: Session) -> Iterator[Session]:
    """Several store writes as one unit of work: all of them are committed, or none.

    Inside, each `@writes` function only flushes; the outermost block commits at its end and
    rolls everything back when anything fails.
    """
    depth = db.info.get(_NESTING, 0)
    db.info[_NESTING] = depth + 1
    try:
        with _plain_failures(db):
            yield db
            if depth == 0:
                db.commit()
    finally:
        db.info[_NESTING] = depth


def writes(fn: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Commit when `fn` returns; roll back and raise a `StoreError` when anything fails.

    Inside `one_transaction` the function only flushes: the enclosing block commits.
    """

    @functools.wraps(fn)
    def wrapper(db: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        nested = bool(db.info.get(_NESTING))
        with _plain_failures(db):
            result = fn(db, *args, **kwargs)
            db.flush() if nested else db.commit()
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
