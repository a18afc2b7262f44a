"""Nothing reveals the expert key early: no page, no query parameter, no cached value."""

from __future__ import annotations

import pytest

from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.library import load_library
from ipt_fidelity.store import (
    ScoreEntry,
    get_or_create_draft,
    open_session,
    save_item_score,
    submit_rating,
)
from ipt_fidelity.store.engine import make_engine
from tests.apptest import page_test

LIB = load_library(root=REPO_ROOT)
library = LIB
FIRST_CASE = LIB.cases[next(iter(LIB.cases))]
FIRST_SESSION = LIB.sessions[next(iter(LIB.sessions))]
SECRETS = [
    FIRST_CASE.key.rationale[:60],
    FIRST_CASE.key.model_formulation[:60],
    FIRST_CASE.key.teaching_points[0][:60],
    *[r.rationale[:50] for r in FIRST_SESSION.reference_rating.items.values()][:5],
]
PROBES = [{}, {"show_key": "1"}, {"case": FIRST_CASE.id, "feedback": "true"}, {"reveal": "all"}]


@pytest.fixture
def env(shipped_app):
    return shipped_app


def everything_shown(at) -> str:
    """All text an AppTest run put on the page: prose, labels, options, values, tables."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "code",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("expander", "tabs", "metric", "button", "checkbox", "text_input", "text_area"):
        parts += [str(getattr(e, "label", "")) for e in getattr(at, kind)]
    for kind in ("selectbox", "radio", "multiselect"):
        for widget in getattr(at, kind):
            parts += [widget.label, *map(str, widget.options)]
    parts += [str(e.value) for e in at.metric]
    parts += [e.value.to_csv() for e in at.dataframe]
    return "\n".join(parts)


def submit_everything(db_url, user, session_id: str) -> None:
    """Rate every applicable item of a shipped session as `user` and submit."""
    rubric = LIB.rubric_for(LIB.sessions[session_id])
    items = LIB.applicable_items(session_id, rubric.id)
    with open_session(make_engine(db_url)) as db:
        rating = get_or_create_draft(db, user, library, session_id)
        for item in items:
            save_item_score(db, user, library, rating.id, item.id, ScoreEntry(2, evidence=[1]))
        submit_rating(db, user, library, rating.id)


@pytest.mark.parametrize("module", ["home", "library", "practice", "rate", "progress"])
@pytest.mark.parametrize("params", PROBES)
def test_no_page_shows_the_key_before_submission(env, db_url, module, params):
    submit_everything(db_url, env.peer, FIRST_SESSION.id)  # a cohort mate has submitted
    at = page_test(module, env.trainee.id)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    shown = everything_shown(at)
    leaked = [s for s in SECRETS if s in shown]
    assert leaked == [], f"{module} with {params} leaked {leaked}"


def test_the_key_appears_once_the_trainee_has_submitted(env, db_url):
    submit_everything(db_url, env.trainee, FIRST_SESSION.id)
    at = page_test("rate", env.trainee.id)
    at.query_params["session"] = FIRST_SESSION.id
    shown = everything_shown(at.run())
    first_item = LIB.applicable_items(FIRST_SESSION.id, LIB.rubric_for(FIRST_SESSION).id)[0]
    rationale = FIRST_SESSION.reference_rating.items[first_item.id].rationale
    assert rationale in shown, "the expert's rationale is shown after submitting"


def test_another_trainees_submission_does_not_open_the_key(env, db_url):
    submit_everything(db_url, env.peer, FIRST_SESSION.id)
    at = page_test("rate", env.trainee.id).run()
    assert not at.metric, "no comparison metrics before one's own submission"
    assert "cohort median" not in everything_shown(at)


def test_the_case_key_appears_once_the_trainee_has_formulated(env):
    at = page_test("practice", env.trainee.id)
    at.query_params["case"] = FIRST_CASE.id
    at.run()
    at.radio(key=f"practice-{FIRST_CASE.id}-primary").set_value("grief")
    at.button(key=f"practice-{FIRST_CASE.id}-submit").click().run()
    shown = everything_shown(at)
    assert FIRST_CASE.key.rationale[:60] in shown
    assert FIRST_CASE.key.model_formulation[:60] in shown
