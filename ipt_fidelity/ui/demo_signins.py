"""Seeding the demo cohort from the app, and showing its sign-ins exactly once."""

from __future__ import annotations

import streamlit as st

from ..demo import DEMO_COHORT, demo_exists, seed_demo
from ..store.models import User
from .state import database, library

_SIGNINS = "demo-signins"


def seed_demo_cohort(admin: User) -> None:
    """Seed the demo cohort as `admin`; its random sign-ins wait in the session to be shown."""
    with database() as db:
        result = seed_demo(db, library(), actor=admin)
    st.session_state[_SIGNINS] = result.describe()


def demo_controls(admin: User) -> None:
    """The seed button while there is no demo; once it exists, a plain note instead."""
    with database(read_only=True) as db:
        exists = demo_exists(db)
    if exists:
        st.caption(f"The {DEMO_COHORT.lower()} exists; its sign-ins were shown when it was made.")
        return
    if st.button("Seed the demo cohort", key="home-seed-demo"):
        seed_demo_cohort(admin)
        st.rerun()


def show_demo_signins() -> None:
    """Show the demo sign-ins once (they are not stored anywhere in clear)."""
    if text := st.session_state.pop(_SIGNINS, None):
        st.success("Demo cohort ready. Note these sign-ins now: they are shown only once.")
        st.code(text, language=None)
