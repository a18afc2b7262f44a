"""Seeding the demo cohort from the app, and showing its sign-ins exactly once."""

from __future__ import annotations

import streamlit as st

from ..demo import seed_demo
from .state import database, library

_SIGNINS = "demo-signins"


def seed_demo_cohort(admin) -> None:
    """Seed the demo cohort as `admin`; its random sign-ins wait in the session to be shown."""
    with database() as db:
        result = seed_demo(db, library(), actor=admin)
    st.session_state[_SIGNINS] = result.describe()


def show_demo_signins() -> None:
    """Show the demo sign-ins once (they are not stored anywhere in clear)."""
    if text := st.session_state.pop(_SIGNINS, None):
        st.success("Demo cohort ready. Note these sign-ins now: they are shown only once.")
        st.code(text, language=None)
