"""Destructive actions ask first, in a dialog that names the person they act on.

The dialog stays open (across reruns) until it is answered or dismissed, and it acts only on the
person it was opened for: changing the choice underneath closes it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from ..auth import reset_password
from ..store.errors import StoreError
from ..store.models import User
from .state import database, show_store_error
from .widgets import plain


def confirm(
    clicked: bool,
    key: str,
    target: int,
    *,
    title: str,
    question: str,
    button: str,
    action: Callable[[Session], object],
    flash_key: str,
    flash: Callable[[object], object],
) -> None:
    """After `clicked` (the "Reset…"/"Remove…" button), ask `question` with `button` and Cancel;
    on `button`, run `action` in a database session, put `flash(result)` under `flash_key` and
    rerun. Call it on every run with the person chosen now (`target`)."""
    state = f"{key}-open"
    if clicked:
        st.session_state[state] = target
    if st.session_state.get(state) != target:
        st.session_state.pop(state, None)
        return

    def close() -> None:
        st.session_state.pop(state, None)

    @st.dialog(title, on_dismiss=close)
    def ask() -> None:
        st.markdown(plain(question))
        yes, no = st.columns(2)
        if yes.button(button, type="primary", key=f"{key}-yes"):
            close()
            try:
                with database() as db:
                    result = action(db)
            except StoreError as error:
                show_store_error(error)
                return
            st.session_state[flash_key] = flash(result)
            st.rerun()
        if no.button("Cancel", key=f"{key}-no"):
            close()
            st.rerun()

    ask()


def confirm_reset(
    clicked: bool, key: str, actor: User, person: User, flash_key: str, note: str = "shown once"
) -> None:
    """The password-reset confirmation, the same on every page that offers it."""
    confirm(
        clicked,
        key,
        person.id,
        title="Reset a password",
        question=f"Reset the password of {person.display_name} ({person.username})? They are "
        "signed out everywhere and get a temporary password that works once.",
        button=f"Yes, reset {person.username}'s password",
        action=lambda db: reset_password(db, actor, person.id),
        flash_key=flash_key,
        flash=lambda password: (f"Temporary password of {person.username} ({note}):", password),
    )
