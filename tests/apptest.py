"""Helpers for AppTest page tests: a fresh database per test and users to act as."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PAGE_SCRIPT = """
import streamlit as st
from ipt_fidelity.ui.pages import {module} as page
page.render()
"""


def page_test(module: str, user_id: int | None = None, timeout: float = 60) -> AppTest:
    """An AppTest running one page's `render()` as the given user (None: signed out)."""
    at = AppTest.from_string(PAGE_SCRIPT.format(module=module), default_timeout=timeout)
    if user_id is not None:
        at.session_state["user_id"] = user_id
    return at


def app_test(user_id: int | None = None, timeout: float = 60) -> AppTest:
    """An AppTest of the whole app (navigation and gate included)."""
    at = AppTest.from_file("../streamlit_app.py", default_timeout=timeout)
    if user_id is not None:
        at.session_state["user_id"] = user_id
    return at
