"""AppTest helpers: run a page or the whole app as a user, on a fresh database."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.store import open_session
from ipt_fidelity.store.engine import make_engine

MINI_CONTENT = Path(__file__).parent / "data" / "content"
PAGE_SCRIPT = """
import streamlit as st
from ipt_fidelity.ui.pages import {module} as page
from ipt_fidelity.ui.navigation import guarded
guarded(page.render)()
"""


def signed_in(at: AppTest, user_id: int | None) -> AppTest:
    """Sign the AppTest's tab in as the user, with a real sign-in token (as the sign-in page
    would), on the database `DATABASE_URL` names."""
    if user_id is not None:
        from ipt_fidelity.store.models import User
        from ipt_fidelity.store.sign_ins import open_sign_in

        engine = make_engine()
        with open_session(engine) as db:
            token = open_sign_in(db, db.get(User, user_id))
        engine.dispose()
        at.session_state["user_id"] = user_id
        at.session_state["sign-in-token"] = token
    return at


def page_test(module: str, user_id: int | None = None, timeout: float = 60) -> AppTest:
    """An AppTest running one page's `render()` as the given user (None: signed out)."""
    at = AppTest.from_string(PAGE_SCRIPT.format(module=module), default_timeout=timeout)
    return signed_in(at, user_id)


def app_test(user_id: int | None = None, timeout: float = 60) -> AppTest:
    """An AppTest of the whole app (navigation and gate included)."""
    at = AppTest.from_file("../streamlit_app.py", default_timeout=timeout)
    return signed_in(at, user_id)


def page_text(at: AppTest) -> str:
    """The prose and messages an AppTest run drew."""
    parts = [*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning]
    return "\n".join(str(e.value) for e in parts)


RAW_KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")  # mean_abs_diff, interpersonal_deficits
FLOAT_NOISE = re.compile(r"\d\.\d{3,}")


def assert_people_facing(table: pd.DataFrame) -> None:
    """A table people read: named headers, no internal keys, no None/nan, two decimals at most."""
    for header in table.columns:
        assert not RAW_KEY.match(str(header)), f"internal key as header: {header}"
    for column in table.columns:
        for value in table[column]:
            assert value is not None, f"None in {column}"
            if isinstance(value, float):
                assert value == value, f"NaN in {column}"
                assert round(value, 2) == value, f"float noise in {column}: {value}"
            text = str(value)
            assert text not in {"None", "nan", "NaN", "NaT"}, f"{text} in {column}"
            assert not RAW_KEY.match(text), f"internal key in {column}: {text}"
            assert not FLOAT_NOISE.search(text), f"float noise in {column}: {text}"


def open_store(db_url: str) -> Session:
    """A store session on the test's database (use as a context manager)."""
    return open_session(make_engine(db_url))


@pytest.fixture
def mini_app(monkeypatch, db_url, people):
    """The app on a fresh database with the mini content set; returns its `people`."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("IPT_FIDELITY_CONTENT", str(MINI_CONTENT))
    return people


@pytest.fixture
def shipped_app(monkeypatch, db_url, people):
    """The app on a fresh database with the shipped content; returns its `people`."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("IPT_FIDELITY_CONTENT", str(REPO_ROOT))
    return people
