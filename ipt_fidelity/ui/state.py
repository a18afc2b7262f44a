"""Per-tab state: the database, the signed-in user, and cached read-only resources.

Only the user's id lives in `st.session_state`; the user is re-read from the database on every run,
so a deactivated account or a changed role takes effect at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.errors import StreamlitSecretNotFoundError

from ..config import content_root, database_url
from ..content.library import Library, load_library
from ..store.engine import get_engine, open_session
from ..store.errors import StoreError
from ..store.identity import user_for_identity
from ..store.migrate import ensure_schema
from ..store.models import User
from ..store.people import load_actor
from .widgets import plain


@st.cache_resource(show_spinner=False)
def _library(root: str) -> Library:
    return load_library(root=Path(root))


def library() -> Library:
    """The content library, loaded once per server process (content is read-only at run time)."""
    return _library(str(content_root()))


@st.cache_resource(show_spinner="Preparing the database…")
def _migrated_engine(url: str) -> Engine:
    bound = get_engine(url)
    ensure_schema(bound)
    return bound


def engine() -> Engine:
    """The engine of the configured database, migrated to the newest schema on first use."""
    return _migrated_engine(database_url())


@contextmanager
def database(read_only: bool = False) -> Iterator[Session]:
    """A short database session (`db`) for one action."""
    with open_session(engine(), read_only=read_only) as db:
        yield db


def oidc_configured() -> bool:
    """Whether single sign-on is set up: an `[auth]` section in `.streamlit/secrets.toml`."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def current_user() -> User | None:
    """The signed-in user of this tab, re-read from the database, or None."""
    user_id = st.session_state.get("user_id")
    if user_id is None and oidc_configured() and st.user.get("is_logged_in"):
        with database() as db:
            user = user_for_identity(db, st.user.get("email"))
        if user is not None:
            sign_in_as(user)
            user_id = user.id
    if user_id is None:
        return None
    with database(read_only=True) as db:
        user = load_actor(db, user_id)
    if user is None:
        st.session_state.clear()
    return user


def sign_in_as(user: User) -> None:
    """Start a clean session for `user`: nothing from a previous user survives."""
    st.session_state.clear()
    st.session_state["user_id"] = user.id


def sign_out() -> None:
    """End this tab's session (and the single sign-on session, if there is one)."""
    st.session_state.clear()
    if oidc_configured() and st.user.get("is_logged_in"):
        st.logout()


def can_see_keys() -> bool:
    """Supervisors and admins see expert keys and reference ratings in the library."""
    user = current_user()
    return user is not None and user.role in ("supervisor", "admin")


def require_role(*roles: str) -> User:
    """Stop the page unless the signed-in user has one of `roles` (pages check, the store too)."""
    user = current_user()
    if user is None or user.role not in roles:
        st.error("This page is not available to your account.")
        st.stop()
    return user


def show_store_error(error: StoreError) -> None:
    """A store failure as a plain message; nothing half-saved, nothing technical."""
    st.error(plain(str(error)))  # messages may quote what people typed (store/limits.py)
