"""Account rules in AppTest: the temporary-password gate, sessions ended by a password change
in another tab, confirmations before destructive acts, no default certification decision."""

from __future__ import annotations

from sqlalchemy import select

from ipt_fidelity import auth
from ipt_fidelity.store import open_session
from ipt_fidelity.store.engine import make_engine
from ipt_fidelity.store.models import User
from tests.apptest import app_test, page_test
from tests.fixtures_db import PASSWORD


def _reset(db_url: str, people) -> str:
    with open_session(make_engine(db_url)) as db:
        return auth.reset_password(db, people.admin, people.trainee.id)


def _sign_in(at, username: str, password: str):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_temporary_password_reaches_only_the_change_page(mini_app, db_url):
    temporary = _reset(db_url, mini_app)
    at = _sign_in(app_test().run(), "trainee", temporary)
    assert not at.exception
    assert [t.value for t in at.title] == ["Choose your password"]
    for module in ("home", "practice", "rate", "progress"):  # any other page, by its own route
        page = page_test(module, mini_app.trainee.id).run()
        assert "This page is not available to your account." in [e.value for e in page.error]
    # the temporary password worked once: a second sign-in with it (another tab) is refused
    again = _sign_in(app_test().run(), "trainee", temporary)
    assert again.error and "expired or was used" in again.error[0].value
    new = "my very own phrase now"
    for box, value in zip(at.text_input, [temporary, new, new], strict=True):
        box.input(value)
    next(b for b in at.button if b.label == "Change password").click().run()
    assert not at.exception
    assert "Choose your password" not in [t.value for t in at.title]


def test_password_change_in_one_tab_signs_the_other_out(mini_app):
    here = page_test("account", mini_app.trainee.id).run()
    there = app_test(user_id=mini_app.trainee.id).run()
    assert "Sign in" not in [t.value for t in there.title]
    new = "a fresh passphrase here"
    for box, value in zip(here.text_input, [PASSWORD, new, new], strict=True):
        box.input(value)
    next(b for b in here.button if b.label == "Change password").click().run()
    assert here.success
    assert [t.value for t in there.run().title] == ["Sign in"]
    assert [t.value for t in here.run().title] == ["Account"]  # the changing tab stays


def test_reset_signs_the_trainee_out(mini_app, db_url):
    tab = app_test(user_id=mini_app.trainee.id).run()
    _reset(db_url, mini_app)
    assert [t.value for t in tab.run().title] == ["Sign in"]


def test_reset_and_remove_ask_first_and_preselect_nobody(mini_app, db_url):
    at = page_test("cohorts", mini_app.sup_a.id).run()
    reset = next(b for b in at.button if b.label == "Reset password…")
    remove = next(b for b in at.button if b.label == "Remove…")
    assert reset.disabled and remove.disabled  # nobody chosen yet
    at.selectbox(key="cohorts-reset-who").select(mini_app.trainee.id).run()
    next(b for b in at.button if b.label == "Reset password…").click().run()
    assert not at.exception
    assert any("Reset the password of trainee" in m.value for m in at.markdown)
    with open_session(make_engine(db_url)) as db:  # nothing happened yet
        assert not db.scalar(select(User).where(User.username == "trainee")).must_change_password


def test_admin_deactivate_asks_first(mini_app, db_url):
    at = page_test("admin_users", mini_app.admin.id).run()
    assert next(b for b in at.button if b.label == "Deactivate…").disabled
    at.selectbox(key="users-who").select(mini_app.peer.id).run()
    next(b for b in at.button if b.label == "Deactivate…").click().run()
    assert any("Deactivate peer (peer, trainee)?" in m.value.replace("\\", "") for m in at.markdown)
    with open_session(make_engine(db_url)) as db:
        assert db.get(User, mini_app.peer.id).active


def test_certification_decision_has_no_default(mini_app):
    at = page_test("certification", mini_app.sup_a.id).run()
    assert not at.exception
    radios = [r for r in at.radio if r.label == "Decision"]
    assert radios and all(r.value is None for r in radios)
