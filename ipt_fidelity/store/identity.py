"""Single sign-on: map an identity proven by the organisation's OIDC provider to an account."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .audit_log import record
from .models import User
from .transactions import writes


@writes
def user_for_identity(db: Session, email: str | None) -> User | None:
    """The active account whose username is this e-mail address (audited), else None.

    Accounts are never created from a sign-on: an administrator creates them first, so a
    provider's whole directory does not get access by default.
    """
    if not email:
        return None
    user = db.scalar(
        select(User).where(User.username == email.strip().lower(), User.active.is_(True))
    )
    if user is not None:
        record(db, user, "auth.sign_in_oidc")
    return user
