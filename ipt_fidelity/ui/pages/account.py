"""The signed-in user's account: who they are, password change, sign out."""

from __future__ import annotations

import streamlit as st

from ...auth import change_password
from ..state import current_user, database, sign_out
from ..widgets import plain


def render() -> None:
    user = current_user()
    st.title("Account")
    st.markdown(
        f"Signed in as **{plain(user.display_name)}** ({plain(user.username)}, {user.role})."
    )
    if user.must_change_password:
        st.warning("Your password was set by someone else: choose your own now.")
    with st.form("change-password", clear_on_submit=True):
        current = st.text_input("Current password", type="password")
        new = st.text_input("New password (at least 10 characters)", type="password")
        again = st.text_input("New password again", type="password")
        submitted = st.form_submit_button("Change password")
    if submitted:
        if new != again:
            st.error("The two new passwords differ.")
        else:
            with database() as db:
                change_password(db, user, current, new)
            st.success("Password changed.")
    if st.button("Sign out"):
        sign_out()
        st.rerun()
