"""Supervisor and admin pages in AppTest: empty cohorts, the demo cohort's ratings, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ipt_fidelity.content.library import load_library
from ipt_fidelity.store import open_session
from ipt_fidelity.store.engine import make_engine
from ipt_fidelity.store.models import User
from ipt_fidelity.training.demo import seed_demo
from tests.apptest import page_test

PAGES = ("cohorts", "dashboard", "certification", "reports")
ADMIN_PAGES = ("admin_users", "audit_log")


@pytest.fixture
def env(monkeypatch, db_url, people):
    """The app on a fresh database with the shipped content; `people` are its users."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    return people


@pytest.fixture
def demo(env, db_url) -> User:
    """The demo cohort seeded next to `people`; returns its supervisor."""
    with open_session(make_engine(db_url)) as db:
        seed_demo(db, load_library(), env.admin, seed=7)
        return db.scalar(select(User).where(User.username == "demo-supervisor"))


def texts(at) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning]
    return "\n".join(str(e.value) for e in parts)


@pytest.mark.parametrize("module", PAGES + ADMIN_PAGES)
def test_a_trainee_is_refused(env, module):
    at = page_test(module, env.trainee.id).run()
    assert not at.exception
    assert "not available to your account" in texts(at)


@pytest.mark.parametrize("module", ADMIN_PAGES)
def test_a_supervisor_is_refused_admin_pages(env, module):
    at = page_test(module, env.sup_a.id).run()
    assert "not available to your account" in texts(at)


def test_dashboard_of_an_empty_cohort(env):
    at = page_test("dashboard", env.sup_a.id).run()
    assert not at.exception
    assert "No submitted ratings with this rubric in this cohort yet." in texts(at)
    assert "No formulation attempts" in texts(at)


def test_dashboard_over_the_demo_cohort(demo):
    at = page_test("dashboard", demo.id, timeout=120).run()
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        "Items",
        "Sections and total",
        "Raters",
        "Decision study",
        "Problem areas",
    ]
    page = texts(at)
    assert "ICC form: ICC(A,1)" in page and "Koo & Li (2016)" in page
    summary = at.dataframe[0].value
    assert {"ICC(A,1)", "alpha", "points most often split"} <= set(summary.columns)
    assert summary["ICC(A,1)"].dropna().is_monotonic_increasing  # worst first
    raters = next(d.value for d in at.dataframe if "bias" in d.value.columns)
    assert set(raters["rater"]) >= {"demo-lenient", "demo-severe"}
    lenient = raters.set_index("rater").loc["demo-lenient", "bias"]
    assert lenient > 0 > raters.set_index("rater").loc["demo-severe", "bias"]
    assert len(at.get("plotly_chart")) >= 6


def test_dashboard_with_the_expert_and_a_chosen_session(demo):
    at = page_test("dashboard", demo.id, timeout=120).run()
    at.toggle(key="dash-expert").set_value(True).run()
    at.radio(key="dash-basis").set_value("consensus").run()
    at.multiselect(key="dash-sessions").set_value(["grief-retired-teacher-s01"]).run()
    assert not at.exception
    assert "Deviation = rater − consensus" in texts(at)
