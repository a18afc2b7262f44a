"""The signed-in user's account: who they are, password change, sign out.

A user whose password was set by someone else sees only this page until they choose their own.
"""

from __future__ import annotations

import streamlit as st

from ...auth import change_password
from ..state import current_user, database, sign_out, this_sign_in
from ..widgets import plain


def render() -> None:
    user = current_user()
    if user.must_change_password:
        st.title("Choose your password")
        st.warning(
            "Your password was set by someone else and works for this one sign-in only. "
            "Choose your own to go on; other pages open once you have."
        )
    else:
        st.title("Account")
    st.markdown(
        f"Signed in as **{plain(user.display_name)}** ({plain(user.username)}, {user.role})."
    )
    if flash := st.session_state.pop("account-flash", None):
        st.success(flash)
    with st.form("change-password", clear_on_submit=True):
        current = st.text_input("Current password", type="password")
        new = st.text_input(
            "New password (at least 10 characters; a few unrelated words work well)",
            type="password",
        )
        again = st.text_input("New password again", type="password")
        submitted = st.form_submit_button("Change password", type="primary")
    if submitted:
        if new != again:
            st.error("The two new passwords differ.")
        else:
            with database() as db:
                change_password(db, user, current, new, keep_sign_in=this_sign_in())
            st.session_state["account-flash"] = (
                "Password changed. Any other browser signed in to your account is signed out."
            )
            st.rerun()
    if st.button("Sign out"):
        sign_out()
        st.rerun()
