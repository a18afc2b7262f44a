"""Signed-in browsers: a random token in a cookie, stored here only as its SHA-256.

Signing out ends one; a password change ends every other one of the account; a password
reset and a deactivation end them all. A token unused for the idle time no longer works.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import AuthSession, User, utcnow
from .transactions import reads, writes

TOUCH_EVERY = timedelta(minutes=1)  # how stale last_seen_at may get before a write refreshes it


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """A live signed-in browser: its user, and when it was last used."""

    user: User
    last_seen_at: datetime

    @property
    def stale(self) -> bool:
        return utcnow() - self.last_seen_at > TOUCH_EVERY


@writes
def open_sign_in(db: Session, user: User) -> str:
    """A new token for a browser that just signed in as `user` (returned once, never stored)."""
    token = secrets.token_urlsafe(32)
    db.add(AuthSession(user_id=user.id, token_hash=token_digest(token)))
    return token


@reads
def resume_sign_in(db: Session, token: str, idle: timedelta) -> SignIn | None:
    """The signed-in browser of this token, unless it was ended, idled out or its user is gone."""
    query = (
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(
            AuthSession.token_hash == token_digest(token),
            AuthSession.revoked_at.is_(None),
            User.active.is_(True),
        )
    )
    row = db.execute(query).first()
    if row is None or utcnow() - row.AuthSession.last_seen_at > idle:
        return None
    return SignIn(row.User, row.AuthSession.last_seen_at)


@writes
def touch_sign_in(db: Session, token: str) -> None:
    """Mark the token as used now (idle time counts from here)."""
    db.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == token_digest(token), AuthSession.revoked_at.is_(None))
        .values(last_seen_at=utcnow())
    )


@writes
def end_sign_in(db: Session, token: str) -> None:
    """Sign one browser out."""
    db.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == token_digest(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_all_sign_ins(db: Session, user_id: int, keep: str | None = None) -> None:
    """Sign every browser of the account out (but the one holding `keep`), in the caller's
    transaction."""
    query = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(AuthSession.token_hash != token_digest(keep))
    db.execute(query.values(revoked_at=utcnow()))
