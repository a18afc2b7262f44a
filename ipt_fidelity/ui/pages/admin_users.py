"""Users (admins): every account, new accounts of any role, deactivation, password resets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ...auth import create_user, generate_password, reset_password, set_active
from ...store import list_users
from ...store.errors import StoreError
from ...store.models import ROLES, User
from ..state import db, require_role, show_store_error


def render() -> None:
    admin = require_role("admin")
    st.title("Users")
    if flash := st.session_state.pop("users-flash", None):
        message, password = flash
        st.success(message)
        if password:
            st.code(password, language=None)
    with db(read_only=True) as session:
        users = list_users(session, admin)
    st.dataframe(
        [
            {
                "username": u.username,
                "name": u.display_name,
                "role": u.role,
                "active": u.active,
                "must change password": u.must_change_password,
                "created": u.created_at,
            }
            for u in users
        ],
        hide_index=True,
        width="stretch",
    )
    _new_account(admin)
    others = {u.id: u for u in users if u.id != admin.id}
    if not others:
        return
    st.subheader("Change an account")
    who = st.selectbox(
        "Account",
        list(others),
        format_func=lambda i: f"{others[i].display_name} ({others[i].username}, {others[i].role})",
        key="users-who",
    )
    user = others[who]
    left, right = st.columns(2)
    label = "Deactivate" if user.active else "Reactivate"
    if left.button(label, key="users-active") and _act(set_active, admin, user.id, not user.active):
        st.session_state["users-flash"] = (f"{label}d {user.username}.", None)
        st.rerun()
    if right.button("Reset password", key="users-reset"):
        password = _act(reset_password, admin, user.id)
        if password:
            st.session_state["users-flash"] = (
                f"Temporary password of {user.username} (shown once):",
                password,
            )
            st.rerun()


def _act(action: Callable[..., Any], admin: User, *args: Any) -> Any:
    """Run an account action in its own session: its result (True for None), None on failure."""
    try:
        with db() as session:
            result = action(session, admin, *args)
            return True if result is None else result
    except StoreError as error:
        show_store_error(error)
        return None


def _new_account(admin: User) -> None:
    st.subheader("New account")
    with st.form("users-new", clear_on_submit=True):
        username = st.text_input("Username (lower-case letters, digits, . _ - @)")
        display_name = st.text_input("Display name")
        role = st.selectbox("Role", ROLES, index=ROLES.index("trainee"))
        submitted = st.form_submit_button("Create account", type="primary")
    if not submitted:
        return
    password = generate_password()
    try:
        with db() as session:
            user = create_user(
                session,
                admin,
                username,
                role,
                password,
                display_name=display_name,
                must_change_password=True,
            )
    except StoreError as error:
        show_store_error(error)
        return
    st.session_state["users-flash"] = (
        f"Account {user.username} ({user.role}) created. Temporary password (shown once):",
        password,
    )
    st.rerun()
