"""Per-tab state: the signed-in user and cached, read-only resources."""

from __future__ import annotations

import streamlit as st

from ..content.library import Library, load_library


@st.cache_resource(show_spinner=False)
def library() -> Library:
    """The content library, loaded once per server process (content is read-only at run time)."""
    return load_library()


def current_user():
    """The signed-in user of this tab, or None."""
    return st.session_state.get("user")


def can_see_keys() -> bool:
    """Supervisors and admins see expert keys and reference ratings in the library."""
    user = current_user()
    return user is not None and user.role in ("supervisor", "admin")
