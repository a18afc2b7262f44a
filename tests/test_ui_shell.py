"""The app shell in AppTest: first run, sign-in throttle, sign-out, roles, password change."""

from __future__ import annotations

import pytest

from ipt_fidelity import auth
from ipt_fidelity.config import REPO_ROOT
from ipt_fidelity.store import list_users, open_session
from ipt_fidelity.store.engine import make_engine
from ipt_fidelity.ui.navigation import specs_for
from tests.apptest import app_test, page_test
from tests.fixtures_db import PASSWORD


@pytest.fixture
def fresh(monkeypatch, db_url):
    """An empty, migrated database and the shipped content."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("IPT_FIDELITY_CONTENT", str(REPO_ROOT))
    return db_url


@pytest.fixture
def staffed(fresh, people):
    return people


def sign_in(at, username: str, password: str):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


@pytest.mark.slow
def test_first_run_creates_the_administrator_and_can_seed_the_demo(fresh):
    at = app_test().run()
    assert [t.value for t in at.title] == ["Welcome: create the administrator"]
    for box, value in zip(at.text_input, ["boss", "The Boss", PASSWORD, PASSWORD], strict=True):
        box.input(value)
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Welcome, The Boss"]
    signins = at.code[0].value
    assert "demo-supervisor" in signins and "demo-calibrated" in signins
    again = app_test(user_id=at.session_state["user_id"]).run()
    assert not again.code, "demo sign-ins are shown only once"
    with open_session(make_engine(fresh)) as db:
        boss = auth.authenticate(db, "boss", PASSWORD)
        assert boss.role == "admin"
        assert len(list_users(db, boss)) == 12  # the admin, a supervisor, 10 trainees


def test_first_run_refuses_mismatched_or_weak_passwords(fresh):
    at = app_test().run()
    for box, value in zip(at.text_input, ["boss", "", "short", "short"], strict=True):
        box.input(value)
    at.button[0].click().run()
    assert at.error and "10" in at.error[0].value
    assert [t.value for t in at.title] == ["Welcome: create the administrator"]


def test_sign_in_with_a_wrong_password_then_the_right_one(staffed):
    at = sign_in(app_test().run(), "trainee", "not the password")
    assert [e.value for e in at.error] == ["Wrong username or password."]
    at = sign_in(at, "trainee", PASSWORD)
    assert not at.exception
    assert [t.value for t in at.title] == ["Welcome, trainee"]


def test_repeated_failures_lock_the_account(staffed):
    at = app_test().run()
    for _ in range(6):
        at = sign_in(at, "peer", "wrong password!")
    assert "Too many failed sign-ins" in at.error[0].value
    at = sign_in(at, "peer", PASSWORD)
    assert "Too many failed sign-ins" in at.error[0].value, "locked even with the right password"


def test_signing_out_clears_the_session(staffed):
    at = page_test("account", staffed.trainee.id).run()
    at.session_state["practice-case"] = "left-over"
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert "user_id" not in at.session_state
    assert "practice-case" not in at.session_state


def test_password_change(staffed, db_url):
    at = page_test("account", staffed.trainee.id).run()
    new = "a new long password"
    for box, value in zip(at.text_input, [PASSWORD, new, new], strict=True):
        box.input(value)
    next(b for b in at.button if b.label == "Change password").click().run()
    assert [s.value.split(".")[0] for s in at.success] == ["Password changed"]
    with open_session(make_engine(db_url)) as db:
        assert auth.authenticate(db, "trainee", "a new long password").username == "trainee"


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("trainee", {"practice", "rate", "progress"}, {"dashboard", "cohorts", "import", "users"}),
        ("supervisor", {"dashboard", "cohorts", "import", "rate"}, {"practice", "users"}),
        ("admin", {"dashboard", "users", "audit-log"}, {"practice", "progress"}),
        (None, {"signin"}, {"home", "library", "rate"}),
    ],
)
def test_navigation_by_role(role, allowed, refused):
    paths = {spec.url_path for spec in specs_for(role)}
    assert allowed <= paths
    assert not paths & refused


@pytest.mark.parametrize("module", ["practice", "progress"])
def test_trainee_pages_refuse_staff(staffed, module):
    at = page_test(module, staffed.sup_a.id).run()
    assert [e.value for e in at.error] == ["This page is not available to your account."]


def test_deactivated_user_is_signed_out_on_the_next_run(staffed, db_url):
    with open_session(make_engine(db_url)) as db:
        auth.set_active(db, staffed.admin, staffed.trainee.id, False)
    at = app_test(user_id=staffed.trainee.id).run()
    assert [t.value for t in at.title] == ["Sign in"]


def test_single_sign_on_button_only_when_configured(staffed):
    plain = app_test().run()
    assert not any("organisation account" in b.label for b in plain.button)
    configured = app_test()
    configured.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "ipt",
        "client_secret": "secret",
        "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration",
    }
    configured.run()
    assert not configured.exception
    assert any(b.label == "Sign in with your organisation account" for b in configured.button)


def test_identity_maps_only_to_existing_active_accounts(staffed, db_url):
    from ipt_fidelity.store.identity import user_for_identity

    with open_session(make_engine(db_url)) as db:
        auth.create_user(db, staffed.admin, "ana@clinic.example", "trainee", PASSWORD)
        assert user_for_identity(db, "Ana@Clinic.example ").username == "ana@clinic.example"
        assert user_for_identity(db, "stranger@clinic.example") is None
        assert user_for_identity(db, None) is None
