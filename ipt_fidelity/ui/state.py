"""Per-tab state: the database, the signed-in user, and cached read-only resources.

A signed-in tab holds its sign-in token (also in the browser's cookie, so a reload or a new tab
stays signed in); the token and its user are checked in the database on every run, so signing
out elsewhere, a password change or reset, a deactivation or a changed role take effect at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
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
from ..store.sign_ins import end_sign_in, open_sign_in, resume_sign_in, touch_sign_in
from .sign_in_cookie import cookie_token, idle_seconds, write_cookie
from .widgets import plain

TOKEN = "sign-in-token"
REJECTED = "sign-in-cookie-rejected"


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


def _token() -> str | None:
    """This tab's sign-in token, or the one its browser's cookie brought (once per cookie)."""
    if token := st.session_state.get(TOKEN):
        return token
    cookie = cookie_token()
    if cookie is not None and cookie != st.session_state.get(REJECTED):
        return cookie
    if oidc_configured() and st.user.get("is_logged_in"):
        with database() as db:
            user = user_for_identity(db, st.user.get("email"))
        if user is not None:
            sign_in_as(user)
            return st.session_state[TOKEN]
    return None


def current_user() -> User | None:
    """The signed-in user of this tab, re-read from the database with its token, or None."""
    token = _token()
    if token is None:
        return None
    with database(read_only=True) as db:
        found = resume_sign_in(db, token, timedelta(seconds=idle_seconds()))
    if found is None:  # signed out elsewhere, password changed or reset, deactivated, idle
        rejected = cookie_token()
        st.session_state.clear()
        st.session_state[REJECTED] = rejected
        return None
    if found.stale:
        with database() as db:
            touch_sign_in(db, token)
        st.session_state["sign-in-stamp"] = found.last_seen_at.isoformat()  # refresh the cookie
    if st.session_state.get("user_id") != found.user.id:
        st.session_state["user_id"] = found.user.id
    st.session_state[TOKEN] = token
    return found.user


def keep_cookie() -> None:
    """Put this tab's token in the browser's cookie (or delete a cookie that no longer works)."""
    token = st.session_state.get(TOKEN)
    write_cookie(token, stamp=str(st.session_state.get("sign-in-stamp", "")))


def sign_in_as(user: User) -> None:
    """Start a clean session for `user`: nothing from a previous user survives."""
    with database() as db:
        token = open_sign_in(db, user)
    st.session_state.clear()
    st.session_state["user_id"] = user.id
    st.session_state[TOKEN] = token


def this_sign_in() -> str | None:
    """This tab's token (to keep it when the password changes)."""
    return st.session_state.get(TOKEN)


def sign_out() -> None:
    """End this browser's sign-in (and the single sign-on session, if there is one)."""
    if token := st.session_state.get(TOKEN):
        with database() as db:
            end_sign_in(db, token)
    st.session_state.clear()
    st.session_state[REJECTED] = cookie_token()
    if oidc_configured() and st.user.get("is_logged_in"):
        st.logout()


def can_see_keys() -> bool:
    """Supervisors and admins see expert keys and reference ratings in the library."""
    user = current_user()
    return user is not None and user.role in ("supervisor", "admin")


def require_role(*roles: str) -> User:
    """Stop the page unless the signed-in user has one of `roles` (pages check, the store too);
    a user who must change their password first reaches no page but the Account page."""
    user = current_user()
    if user is None or user.role not in roles or user.must_change_password:
        st.error("This page is not available to your account.")
        st.stop()
    return user


def show_store_error(error: StoreError) -> None:
    """A store failure as a plain message; nothing half-saved, nothing technical."""
    st.error(plain(str(error)))  # messages may quote what people typed (store/limits.py)
