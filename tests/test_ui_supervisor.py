"""Supervisor and admin pages in AppTest: empty cohorts, the demo cohort's ratings, refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from ipt_fidelity import store
from ipt_fidelity.agreement import MIN_UNITS, READING_RULE
from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.content.library import load_library
from ipt_fidelity.demo import seed_demo
from ipt_fidelity.store import open_session
from ipt_fidelity.store.engine import make_engine
from ipt_fidelity.store.models import User
from tests.apptest import assert_people_facing, page_test, page_text
from tests.fixtures_db import default_backend, make_people

PAGES = ("cohorts", "dashboard", "certification", "exports")
ADMIN_PAGES = ("admin_users", "audit_log")


@pytest.fixture
def env(shipped_app):
    return shipped_app


@pytest.fixture(scope="module")
def demo_template(databases) -> Iterator[str]:
    """One database holding `people` and the seeded demo cohort, built once for this module."""
    url = databases.fresh(default_backend())
    engine = make_engine(url)
    with open_session(engine) as db:
        seed_demo(db, load_library(), make_people(db).admin, seed=7)
    engine.dispose()
    yield url
    databases.drop(url)


@pytest.fixture
def demo_url(monkeypatch, databases, demo_template) -> Iterator[str]:
    """A private copy of the demo database, which the app under test opens."""
    url = databases.clone(demo_template)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("IPT_FIDELITY_CONTENT", str(REPO_ROOT))
    yield url
    databases.drop(url)


@pytest.fixture
def demo(demo_url) -> User:
    """The demo cohort's supervisor."""
    engine = make_engine(demo_url)
    with open_session(engine) as db:
        supervisor = db.scalar(select(User).where(User.username == "demo-supervisor"))
    engine.dispose()
    return supervisor


@pytest.mark.parametrize("module", PAGES + ADMIN_PAGES)
def test_a_trainee_is_refused(env, module):
    at = page_test(module, env.trainee.id).run()
    assert not at.exception
    assert "not available to your account" in page_text(at)


@pytest.mark.parametrize("module", ADMIN_PAGES)
def test_a_supervisor_is_refused_admin_pages(env, module):
    at = page_test(module, env.sup_a.id).run()
    assert "not available to your account" in page_text(at)


def test_dashboard_of_an_empty_cohort(env):
    at = page_test("dashboard", env.sup_a.id).run()
    assert not at.exception
    assert "No submitted ratings with this rubric in this cohort yet." in page_text(at)
    assert "No formulation attempts" in page_text(at)


def test_dashboard_over_the_demo_cohort(demo):
    at = page_test("dashboard", demo.id, timeout=120).run()
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        "Items",
        "Sections and total",
        "Raters",
        "Decision study",
        "Problem areas",
        "Drills",
    ]
    page = page_text(at)
    assert "ICC form: ICC(A,1)" in page and "Koo & Li (2016)" in page
    assert READING_RULE in page
    summary = at.dataframe[0].value
    assert {"ICC(A,1)", "sessions", "raters", "ratings", "alpha", "points most often split"} <= set(
        summary.columns
    )
    # ranked rows first, worst first; rows on fewer than MIN_UNITS sessions after, marked
    ranked = summary[summary["ranked"] == "yes"]
    assert list(ranked.index) == list(range(len(ranked)))
    assert ranked["ICC(A,1)"].astype(float).is_monotonic_increasing
    assert (ranked["sessions"] >= MIN_UNITS).all()
    rest = summary[summary["ranked"] == "no"]
    assert all(
        (n < MIN_UNITS and note == f"rests on {n} sessions; needs {MIN_UNITS}") or e == "—"
        for n, note, e in zip(rest["sessions"], rest["note"], rest["ICC(A,1)"], strict=True)
    )
    for frame in at.dataframe:
        assert_people_facing(frame.value)
    raters = next(d.value for d in at.dataframe if "bias" in d.value.columns)
    bias = raters.set_index("rater")["bias"].astype(float)
    assert bias.filter(like="(lenient:").iloc[0] > 0 > bias.filter(like="(severe:").iloc[0]
    assert len(at.get("plotly_chart")) >= 6


def test_dashboard_with_the_expert_and_a_chosen_session(demo):
    at = page_test("dashboard", demo.id, timeout=120).run()
    at.toggle(key="dash-expert").set_value(True).run()
    at.radio(key="dash-basis").set_value("consensus").run()
    at.multiselect(key="dash-sessions").set_value(["declan-s01"]).run()
    assert not at.exception
    assert "Deviation = rater − consensus" in page_text(at)


# ---------------------------------------------------------------- cohorts and assignments


def test_a_supervisor_creates_a_cohort_and_becomes_its_supervisor(env, db_url):
    at = page_test("cohorts", env.sup_a.id).run()
    at.selectbox(key="cohorts-cohort").set_value(0).run()
    at.text_input[0].input("Spring <b>cohort</b>")
    at.button[0].click().run()
    assert not at.exception
    with open_session(make_engine(db_url)) as db:
        cohorts = {c.name: c.id for c in store.list_cohorts(db, env.sup_a)}
    assert "Spring <b>cohort</b>" in cohorts
    assert at.selectbox(key="cohorts-cohort").value == cohorts["Spring <b>cohort</b>"]


def test_a_supervisor_creates_a_trainee_and_resets_a_password(env, db_url):
    at = page_test("cohorts", env.sup_a.id).run()
    form = at.get("form")[0]
    at.text_input[0].input("newbie")
    at.text_input[1].input("New Bie")
    at.button[0].click().run()
    assert not at.exception and form is not None
    assert "Account newbie created" in page_text(at)
    at.selectbox(key="cohorts-reset-who").set_value(env.trainee.id).run()
    at.button(key="cohorts-reset").click().run()
    assert "Temporary password" not in page_text(at)  # asks first
    at.button(key="cohorts-reset-confirm-yes").click().run()
    assert "Temporary password" in page_text(at)
    with open_session(make_engine(db_url)) as db:
        members = {u.username for u in store.cohort_members(db, env.sup_a, env.cohort_a)}
        trainee = db.get(User, env.trainee.id)
    assert "newbie" in members and trainee.must_change_password


def test_bulk_assignment_with_overlap_and_the_completion_matrix(env, db_url):
    at = page_test("cohorts", env.sup_a.id).run()
    at.multiselect(key="assign-targets-rate").set_value(["declan-s01"])
    at.radio(key="assign-mode").set_value("overlap").run()
    at.slider(key="assign-share").set_value(100)
    at.button(key="assign-go").click().run()
    assert not at.exception
    assert "2 assignment(s) created." in page_text(at)
    with open_session(make_engine(db_url)) as db:
        made = store.list_assignments(db, env.sup_a)
    assert sorted(a.second_rater for a in made) == [False, True]
    assert len({a.user_id for a in made}) == 2
    matrix = next(d.value for d in page_test("cohorts", env.sup_a.id).run().dataframe[1:])
    assert set(matrix.index) == {"peer", "trainee"}


def test_assigning_to_the_whole_cohort(env, db_url):
    at = page_test("cohorts", env.sup_a.id).run()
    at.radio(key="assign-kind").set_value("formulate").run()
    at.multiselect(key="assign-targets-formulate").set_value(["declan"]).run()
    at.button(key="assign-go").click().run()
    assert "1 assignment(s) created." in page_text(at)


# ---------------------------------------------------------------- certification


def test_certification_of_an_empty_cohort(env):
    at = page_test("certification", env.sup_b.id).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["trainee"]) == ["outsider"] and not table["ready"].any()


def test_certification_evidence_and_an_audited_decision(demo, demo_url):
    at = page_test("certification", demo.id, timeout=120).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 8 and "agreement with the expert, ICC(A,1)" in table.columns
    assert "Programme rule (settings.yaml)" in page_text(at)
    at.radio[0].set_value("not_yet")
    at.text_area[0].input("Bias too large on <script>alert(1)</script> items.")
    at.button[0].click().run()
    assert not at.exception
    assert "Recorded: Not yet" in page_text(at)
    with open_session(make_engine(demo_url)) as db:
        decisions = store.list_decisions(db, demo)
        audit = [e.action for e in store.list_audit(db, db.get(User, 1))]
    assert [d.decision for d in decisions] == ["not_yet"]
    assert "certification.decide" in audit
    notes = next(d.value for d in at.dataframe if "note" in d.value.columns)
    assert notes["note"].tolist() == ["Bias too large on <script>alert(1)</script> items."]


def test_certifying_against_the_rule_needs_a_note(demo):
    at = page_test("certification", demo.id, timeout=120).run()
    at.radio[0].set_value("certified")
    at.button[0].click().run()
    ready = at.dataframe[0].value["ready"].iloc[0]
    if not ready:
        assert "say in the note why you certify anyway" in page_text(at)


# ---------------------------------------------------------------- exports and reports


def test_reports_of_an_empty_cohort(env):
    at = page_test("exports", env.sup_a.id).run()
    assert not at.exception
    assert "No submitted ratings with this rubric in this cohort yet." in page_text(at)
    assert "0 item scores" in page_text(at)


def test_downloads_and_the_printable_cohort_report(demo):
    at = page_test("exports", demo.id, timeout=120).run()
    assert not at.exception
    assert "item scores of submitted ratings" in page_text(at)
    at.button(key="rep-build").click().run()
    assert not at.exception
    frames = at.get("iframe")
    assert frames, "the report is rendered in the page"
    page = frames[0].proto.srcdoc
    assert "Rater agreement report: Demo cohort" in page and "ICC form: ICC(A,1)" in page
    assert "Items, worst agreement first" in page and "plotly" in page


def test_the_printable_report_of_one_trainee_escapes_names(demo, demo_url):
    with open_session(make_engine(demo_url)) as db:
        trainee = db.scalar(select(User).where(User.username == "demo-lenient"))
        trainee.display_name = "<script>alert('x')</script> Blessing"
        db.commit()
        trainee_id = trainee.id
    at = page_test("exports", demo.id, timeout=120).run()
    at.selectbox(key="rep-of").set_value(trainee_id).run()
    at.button(key="rep-build").click().run()
    assert not at.exception
    page = at.get("iframe")[0].proto.srcdoc
    assert "Trainee report: &lt;script&gt;" in page and "<script>alert('x')</script>" not in page
    assert "Certification standing" in page and "Bland-Altman" in page


# ---------------------------------------------------------------- administration


def test_an_admin_creates_a_supervisor_and_deactivates_an_account(env, db_url):
    at = page_test("admin_users", env.admin.id).run()
    assert not at.exception
    assert set(at.dataframe[0].value["username"]) >= {"admin", "sup_a", "trainee"}
    at.text_input[0].input("newsup")
    at.selectbox[0].set_value("supervisor")
    at.button[0].click().run()
    assert not at.exception
    assert "Account newsup (supervisor) created" in page_text(at)
    at.selectbox(key="users-who").set_value(env.outsider.id).run()
    at.button(key="users-active").click().run()
    assert "Deactivated outsider." not in page_text(at)  # asks first, naming the person
    at.button(key="users-active-confirm-yes").click().run()
    assert "Deactivated outsider." in page_text(at)
    with open_session(make_engine(db_url)) as db:
        assert db.get(User, env.outsider.id).active is False
        assert db.scalar(select(User.role).where(User.username == "newsup")) == "supervisor"


def test_the_audit_log_lists_and_filters_changes(env):
    at = page_test("audit_log", env.admin.id).run()
    assert not at.exception
    actions = set(at.dataframe[0].value["action"])
    assert {"cohort.create", "user.create"} <= actions
    at.multiselect(key="audit-actions").set_value(["cohort.create"]).run()
    assert set(at.dataframe[0].value["action"]) == {"cohort.create"}
