"""Users (admins): every account, new accounts of any role, deactivation, password resets.

Deactivating and resetting ask first, naming the person; no one is chosen in advance."""

from __future__ import annotations

import streamlit as st

from ...auth import create_user, generate_password, set_active
from ...store import list_users
from ...store.models import ROLES, User
from ..confirm import confirm, confirm_reset
from ..state import database, require_role


def render() -> None:
    admin = require_role("admin")
    st.title("Users")
    if flash := st.session_state.pop("users-flash", None):
        message, password = flash
        st.success(message)
        if password:
            st.code(password, language=None)
    with database(read_only=True) as db:
        users = list_users(db, admin)
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
        index=None,
        placeholder="Choose an account",
        key="users-who",
    )
    user = others.get(who)
    left, right = st.columns(2)
    label = "Deactivate" if user is None or user.active else "Reactivate"
    deactivate = left.button(f"{label}…", key="users-active", disabled=user is None)
    reset = right.button("Reset password…", key="users-reset", disabled=user is None)
    if user is None:
        return
    confirm(
        deactivate,
        "users-active-confirm",
        user.id,
        title=f"{label} an account",
        question=f"{label} {user.display_name} ({user.username}, {user.role})?"
        + (" They are signed out everywhere at once." if user.active else ""),
        button=f"Yes, {label.lower()} {user.username}",
        action=lambda db: set_active(db, admin, user.id, not user.active),
        flash_key="users-flash",
        flash=lambda _: (f"{label}d {user.username}.", None),
    )
    confirm_reset(reset, "users-reset-confirm", admin, user, "users-flash")


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
    with database() as db:
        user = create_user(
            db,
            admin,
            username,
            role,
            password,
            display_name=display_name,
            must_change_password=True,
        )
    st.session_state["users-flash"] = (
        f"Account {user.username} ({user.role}) created. Temporary password (shown once):",
        password,
    )
    st.rerun()
