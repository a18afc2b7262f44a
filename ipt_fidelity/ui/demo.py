"""Seeding the demo cohort from the app, and showing its sign-ins exactly once."""

from __future__ import annotations

import streamlit as st

from ..store.errors import StoreError
from ..training.demo import seed_demo
from .state import db, library

_SIGNINS = "demo-signins"


def seed_demo_cohort(admin) -> None:
    """Seed the demo cohort as `admin`; its random sign-ins wait in the session to be shown."""
    try:
        with db() as session:
            result = seed_demo(session, library(), actor=admin)
    except StoreError as error:
        st.session_state[_SIGNINS] = f"The demo cohort was not seeded: {error}"
        return
    st.session_state[_SIGNINS] = result.describe()


def show_demo_signins() -> None:
    """Show the demo sign-ins once (they are not stored anywhere in clear)."""
    if text := st.session_state.pop(_SIGNINS, None):
        st.success("Demo cohort ready. Note these sign-ins now: they are shown only once.")
        st.code(text, language=None)
