"""Sign-in, and the first-run screen that creates the first administrator."""

from __future__ import annotations

import streamlit as st

from ...auth import SignInFailed, authenticate, create_first_admin, has_users
from ...store.errors import StoreError
from ..demo_signins import seed_demo_cohort
from ..sign_in_cookie import client_address
from ..state import database, oidc_configured, show_store_error, sign_in_as


def render() -> None:
    with database(read_only=True) as db:
        first_run = not has_users(db)
    if first_run:
        _first_run()
    else:
        _sign_in()


def _sign_in() -> None:
    st.title("Sign in")
    st.caption("IPT fidelity: formulation practice, fidelity rating and inter-rater agreement.")
    if oidc_configured():
        _single_sign_on()
    with st.form("sign-in"):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    try:
        with database() as db:
            try:
                user = authenticate(db, username, password, client=client_address())
            finally:
                db.commit()  # a failure counts towards the throttle, a success is audited
    except SignInFailed as failed:
        st.error(str(failed))
        return
    except StoreError as error:
        show_store_error(error)
        return
    sign_in_as(user)
    st.rerun()


def _single_sign_on() -> None:
    """Sign in through the organisation's identity provider (Streamlit's `st.login`)."""
    if st.user.get("is_logged_in"):
        st.error(
            f"{st.user.get('email', 'Your account')} has no active account here. "
            "Ask an administrator to create one with your e-mail address as the username."
        )
        if st.button("Sign out of single sign-on"):
            st.logout()
        return
    if st.button("Sign in with your organisation account", type="primary"):
        st.login()
    st.caption("Or sign in with a username and password:")


def _first_run() -> None:
    st.title("Welcome: create the administrator")
    st.markdown(
        "There are no accounts yet. Create the first administrator; there are no default "
        "passwords. Afterwards you can add supervisors and trainees, or seed a demo cohort."
    )
    with st.form("first-run"):
        username = st.text_input("Administrator username")
        display_name = st.text_input("Display name")
        password = st.text_input(
            "Password (at least 10 characters; a few unrelated words work well)", type="password"
        )
        again = st.text_input("Password again", type="password")
        demo = st.checkbox(
            "Also seed a demo cohort (a supervisor and eight simulated trainees who rated the "
            "shipped transcripts), so the dashboards have data to show"
        )
        submitted = st.form_submit_button("Create administrator", type="primary")
    if not submitted:
        return
    if password != again:
        st.error("The two passwords differ.")
        return
    try:
        with database() as db:
            user = create_first_admin(db, username, password, display_name)
    except StoreError as error:
        show_store_error(error)
        return
    sign_in_as(user)
    if demo:
        seed_demo_cohort(user)
    st.rerun()
